// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import OCPPHandlerKit
import OCPPRPC

/// Reports that only operators act on (security events, device-model events, firmware and log
/// upload progress, data transfers) are kept as station events: kind = the action, a short
/// searchable summary, and the reported JSON whole in the details.
enum StationEvents {
    /// `csms.station_events.summary` holds at most 1000 characters; a longer summary (a NotifyEvent
    /// `actualValue` may have 2500) is cut, the details keep the full text.
    static let maxSummaryLength = 1000

    static func record(
        kind: String, at occurredAt: Date, summary: String, details: JSONObject, _ context: StationContext
    ) async throws {
        let event = StationEvent(
            kind: kind, occurredAt: occurredAt, summary: truncated(summary), detailsJSON: details.jsonText)
        try await context.store.recordEvent(station: context.stationPK, event: event)
    }

    /// Firmware and log upload progress: summary = the reported `status` (and the `requestId` it
    /// answers, when given).
    static func recordStatus(kind: String, _ payload: JSONObject, _ context: StationContext) async throws {
        let status = payload.string("status") ?? ""
        let summary = payload.int("requestId").map { "\(status) (request \($0))" } ?? status
        try await record(kind: kind, at: context.now(), summary: summary, details: payload, context)
        context.logger.info("\(kind) from \(context.identity): \(summary)")
    }

    /// Cut by Unicode scalars, which is what PostgreSQL `length()` counts.
    static func truncated(_ text: String) -> String {
        guard text.unicodeScalars.count > maxSummaryLength else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(maxSummaryLength)))
    }
}

extension JSONObject {
    /// Compact JSON text of the object (for `StationEvent.detailsJSON`).
    var jsonText: String { JSONValue.object(self).jsonText }
}
