// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// MeterValuesRequest (OCPP 2.0.1 J01): samples of one EVSE (0: the station's main power meter)
/// that are not part of a transaction. Transaction meter values travel in TransactionEvent, so no
/// transaction is linked here.
///
/// Always answered once the samples are stored; samples that cannot be stored are skipped and
/// logged (see ``MeterValueSamples``).
enum MeterValuesHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let evseId = payload.int("evseId") ?? 0
        let values = MeterValueSamples(payload.objects("meterValue"), context: context)
        if !values.samples.isEmpty {
            try await context.store.recordMeterValues(
                station: context.stationPK, evseId: evseId, transactionRemoteId: nil, samples: values.samples)
        }
        try await values.recordSigned(action: "MeterValues", evseId: evseId, transactionId: nil, context: context)
        context.logger.debug(
            "Stored \(values.samples.count) meter samples of EVSE \(evseId) from \(context.identity)",
            metadata: ["ocpp.signed": "\(values.signed.count)", "ocpp.skipped": "\(values.skipped)"])
        return [:]
    }
}
