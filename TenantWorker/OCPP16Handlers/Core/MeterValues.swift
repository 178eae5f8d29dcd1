// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// MeterValues.req (OCPP 1.6 §4.7): samples of one connector (0: the station's main meter),
/// optionally tied to a transaction.
///
/// Always answered with an empty MeterValues.conf once the numeric samples are stored; samples that
/// are not numbers are skipped (see ``SampledValues``), because periodic meter values are
/// transaction-related messages the station retries until they are accepted (§3.7.1).
enum MeterValuesHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let connectorId = payload.int("connectorId") ?? 0
        guard connectorId >= 0 else {
            // OCPP 1.6 §6 MeterValues.req: connectorId is 0 (main meter) or a connector number.
            context.logger.notice("MeterValues from \(context.identity) with connectorId \(connectorId)")
            throw OCPPHandlerError(
                .propertyConstraintViolation, "connectorId must be 0 (the main meter) or a connector number")
        }
        let transactionId = payload.int("transactionId").map(Int64.init)
        let values = SampledValues(payload.objects("meterValue"), context: context)
        // Signed values first: if a later write fails the station resends the whole message, and a
        // repeated event does less harm than repeated energy samples.
        try await values.recordSigned(
            action: "MeterValues", connectorId: connectorId, transactionId: transactionId, context: context)
        if !values.samples.isEmpty {
            // 1.6 connector n is EVSE n; the store keys 1.6 transactions by the decimal id it assigned.
            try await context.store.recordMeterValues(
                station: context.stationPK, evseId: connectorId, transactionRemoteId: transactionId.map { String($0) },
                samples: values.samples)
        }
        context.logger.debug(
            "Stored \(values.samples.count) meter samples from \(context.identity)",
            metadata: ["ocpp.signed": "\(values.signed.count)", "ocpp.skipped": "\(values.skipped)"])
        return [:]
    }
}
