// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// DiagnosticsStatusNotification.req (OCPP 1.6 §4.4): progress of a GetDiagnostics upload.
enum DiagnosticsStatusNotificationHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        try await StationEventRecorder.recordStatus(action: "DiagnosticsStatusNotification", payload, context)
        return [:]
    }
}
