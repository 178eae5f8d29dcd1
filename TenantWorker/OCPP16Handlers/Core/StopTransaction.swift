// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// StopTransaction.req (OCPP 1.6 §4.10): completes a transaction with its meter stop and
/// `transactionData`.
///
/// Always answered: "The Central System cannot prevent a transaction from stopping" (§4.10). An
/// unknown transaction id, including the `-1` that stations send when they never received a
/// StartTransaction.conf, is stored by the store as an orphan for reconciliation.
enum StopTransactionHandler {
    /// What the station uses as transaction id when it never got one from the CSMS.
    static let unassignedTransactionId: Int64 = -1

    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let transactionId = payload.int("transactionId").map(Int64.init) ?? unassignedTransactionId
        let idTag = payload.string("idTag")
        let data = SampledValues(payload.objects("transactionData"), context: context)
        // OCPP 1.6 §6 StopTransaction.req: the reason may only be omitted when it is "Local".
        let reason = payload.string("reason") ?? "Local"
        let stop = TransactionStop(
            transactionId: transactionId, idToken: idTag, stoppedAt: payload.date("timestamp") ?? context.now(),
            meterStopWh: Double(payload.int("meterStop") ?? 0), reason: reason, samples: data.samples)
        let outcome = try await context.store.stopTransaction(station: context.stationPK, stop: stop)
        // Signed values after the stop: if this write fails the station resends the stop, which the
        // store applies only once, so nothing is stored twice.
        try await data.recordSigned(
            action: "StopTransaction", connectorId: nil, transactionId: transactionId, context: context)

        if outcome.duplicate {
            context.logger.info("Repeated StopTransaction from \(context.identity) for transaction \(transactionId)")
        } else if outcome.orphan {
            context.logger.notice(
                transactionId == unassignedTransactionId
                    ? "StopTransaction from \(context.identity) for a transaction it never got an id for: stored as orphan"
                    : "StopTransaction from \(context.identity) for unknown transaction \(transactionId): stored as orphan",
                metadata: ["ocpp.reason": "\(reason)"])
        } else {
            context.logger.info(
                "Transaction \(transactionId) stopped on \(context.identity)", metadata: ["ocpp.reason": "\(reason)"])
        }

        // idTagInfo answers the idTag the stop was presented with; without an idTag there is
        // nothing to report on (OCPP 1.6 §6 StopTransaction.conf: idTagInfo is only
        // sent back when idTag was present).
        guard idTag != nil, let authorization = outcome.authorization else { return [:] }
        return ["idTagInfo": IdTagInfo.wire(authorization)]
    }
}
