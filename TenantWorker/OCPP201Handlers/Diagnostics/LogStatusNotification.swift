// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// LogStatusNotificationRequest (OCPP 2.0.1 N01): progress of a GetLog upload.
enum LogStatusNotificationHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        try await StationEvents.recordStatus(kind: "LogStatusNotification", payload, context)
        return [:]
    }
}
