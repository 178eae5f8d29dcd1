// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPPHandlerKit
import OCPPRPC

/// TransactionEventRequest (OCPP 2.0.1 functional block E): a transaction started, changed or
/// ended, with its meter values.
///
/// Always answered with a CALLRESULT, whatever the event says: a TransactionEvent cannot be
/// rejected (OCTT TC_E_53: `seqNo` restarts at 0 with every new transaction, and the only sign of
/// trouble a station sees is a missing answer), events may arrive late and out of order with
/// `offline` set (E12), and a resend is answered like the first (the store writes nothing for a
/// known (station, transactionId, seqNo)). The answer carries `idTokenInfo` whenever the request
/// carried an `idToken` (TransactionEventResponse.idTokenInfo "is required when the
/// transactionEventRequest contained an idToken").
enum TransactionEventHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let info = payload.object("transactionInfo") ?? [:]
        let transactionId = info.string("transactionId") ?? ""
        let evse = payload.object("evse")
        let token = IdTokenInfo.token(payload)
        let meterValues = MeterValueSamples(payload.objects("meterValue"), context: context)
        let eventType = payload.string("eventType") ?? ""
        guard let kind = TransactionEvent.Kind(rawValue: eventType) else {
            // Unreachable for a schema-checked payload (eventType is an enum).
            throw OCPPHandlerError(.propertyConstraintViolation, "eventType must be Started, Updated or Ended")
        }
        let event = TransactionEvent(
            kind: kind, transactionId: transactionId, seqNo: payload.int("seqNo") ?? 0,
            timestamp: payload.date("timestamp") ?? context.now(), triggerReason: payload.string("triggerReason") ?? "",
            offline: payload.bool("offline") ?? false, chargingState: info.string("chargingState"),
            stoppedReason: info.string("stoppedReason"), evseId: evse?.int("id"), connectorId: evse?.int("connectorId"),
            idToken: token?.token, idTokenType: token?.type, samples: meterValues.samples)
        let outcome = try await context.store.recordTransactionEvent(station: context.stationPK, event: event)
        if !outcome.duplicate {
            try await meterValues.recordSigned(
                action: "TransactionEvent", evseId: event.evseId, transactionId: transactionId, context: context)
        }
        log(event, outcome, skippedSamples: meterValues.skipped, context)

        guard let token else { return [:] }
        let authorization: AuthorizationResult
        if token.type == IdTokenInfo.noAuthorizationType {
            authorization = IdTokenInfo.notRequired
        } else if let checked = outcome.authorization {
            authorization = checked
        } else {
            // The store answered without a verdict (e.g. for a resend), but the answer must carry
            // idTokenInfo: check the token now.
            authorization = try await context.store.authorize(token: token.token, type: token.type, at: context.now())
        }
        if authorization.status != .accepted {
            context.logger.notice(
                "Transaction \(transactionId) on \(context.identity) reported with a refused idToken: stored",
                metadata: [
                    "ocpp.id_token": "\(token.token)", "ocpp.id_token_status": "\(authorization.status.rawValue)",
                ])
        }
        return ["idTokenInfo": IdTokenInfo.wire(authorization)]
    }

    private static func log(
        _ event: TransactionEvent, _ outcome: TransactionEventOutcome, skippedSamples: Int, _ context: StationContext
    ) {
        let metadata: Logger.Metadata = [
            "ocpp.transaction_id": "\(event.transactionId)", "ocpp.seq_no": "\(event.seqNo)",
            "ocpp.trigger_reason": "\(event.triggerReason)", "ocpp.offline": "\(event.offline)",
            "ocpp.samples": "\(event.samples.count)", "ocpp.skipped_samples": "\(skippedSamples)",
        ]
        if outcome.duplicate {
            context.logger.info(
                "Repeated TransactionEvent \(event.kind.rawValue) from \(context.identity): answered, not stored again",
                metadata: metadata)
            return
        }
        context.logger.info(
            "Transaction \(event.transactionId) \(event.kind.rawValue.lowercased()) on \(context.identity)",
            metadata: metadata)
        if !outcome.missingSeqNos.isEmpty {
            context.logger.notice(
                "TransactionEvent seqNo gap on \(context.identity): \(outcome.missingSeqNos.count) events missing",
                metadata: [
                    "ocpp.transaction_id": "\(event.transactionId)",
                    "ocpp.missing_seq_nos": "\(outcome.missingSeqNos.map(String.init).joined(separator: ","))",
                ])
        }
    }
}
