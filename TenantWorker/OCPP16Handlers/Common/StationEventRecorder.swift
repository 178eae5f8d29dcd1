// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// Keeps status reports that only operators act on (firmware and diagnostics progress) as station
/// events: kind = the action, summary = the reported `status`, details = the whole payload.
enum StationEventRecorder {
    static func recordStatus(action: String, _ payload: JSONObject, _ context: StationContext) async throws {
        let status = payload.string("status") ?? ""
        try await context.store.recordEvent(
            station: context.stationPK,
            event: StationEvent(
                kind: action, occurredAt: context.now(), summary: status, detailsJSON: detailsJSON(payload))
        )
        context.logger.info("\(action) from \(context.identity): \(status)")
    }

    /// Compact JSON text of a payload, kept whole in `StationEvent.detailsJSON`.
    static func detailsJSON(_ object: JSONObject) -> String {
        JSONValue.object(object).jsonText
    }
}
