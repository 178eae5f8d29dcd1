// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// StartTransaction.req (OCPP 1.6 §4.8): stores the transaction and hands out its id.
///
/// The transaction is stored and answered whatever its idTag's status: the station may have
/// authorized the tag offline, and a refused tag is reported in `idTagInfo` so the station can stop
/// the session; it is never a CALLERROR (§4.8: sanity checks "SHOULD NOT ever cause the Central
/// System to not respond with a StartTransaction.conf").
enum StartTransactionHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let connectorId = payload.int("connectorId") ?? 0
        guard connectorId > 0 else {
            // OCPP 1.6 §6 StartTransaction.req: connectorId > 0. Connector 0 is the station itself
            // and cannot host a transaction; this is a malformed message, not a business refusal.
            context.logger.notice("StartTransaction from \(context.identity) on connectorId \(connectorId)")
            throw OCPPHandlerError(.propertyConstraintViolation, "connectorId must be greater than 0")
        }
        let idTag = payload.string("idTag") ?? ""
        let start = TransactionStart(
            connectorId: connectorId, idToken: idTag, startedAt: payload.date("timestamp") ?? context.now(),
            meterStartWh: Double(payload.int("meterStart") ?? 0), reservationId: payload.int("reservationId"))
        let outcome = try await context.store.startTransaction(station: context.stationPK, start: start)
        let status = outcome.authorization.status
        context.logger.info(
            outcome.duplicate
                ? "Repeated StartTransaction from \(context.identity): answered with transaction \(outcome.transactionId)"
                : "Transaction \(outcome.transactionId) started on \(context.identity) connector \(connectorId)",
            metadata: ["ocpp.id_tag": "\(idTag)", "ocpp.id_tag_status": "\(status.ocpp16)"])
        if status != .accepted {
            context.logger.notice(
                "Transaction \(outcome.transactionId) on \(context.identity) started with a refused idTag: stored",
                metadata: ["ocpp.id_tag": "\(idTag)", "ocpp.id_tag_status": "\(status.rawValue)"])
        }
        return ["transactionId": .integer(outcome.transactionId), "idTagInfo": IdTagInfo.wire(outcome.authorization)]
    }
}
