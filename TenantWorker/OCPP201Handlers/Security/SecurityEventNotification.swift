// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// SecurityEventNotificationRequest (OCPP 2.0.1 A04): a security-relevant event on the station
/// (firmware updated, tamper detection, invalid CSMS certificate, ...). Kept as a station event:
/// summary = the event `type` and its `techInfo`, time = when it happened on the station.
enum SecurityEventNotificationHandler {
    static let kind = "SecurityEventNotification"

    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let type = payload.string("type") ?? ""
        let summary = payload.string("techInfo").map { "\(type): \($0)" } ?? type
        try await StationEvents.record(
            kind: kind, at: payload.date("timestamp") ?? context.now(), summary: summary, details: payload, context)
        context.logger.notice("Security event on \(context.identity): \(summary)")
        return [:]
    }
}
