// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// FirmwareStatusNotification.req (OCPP 1.6 §4.5): progress of an UpdateFirmware download and install.
enum FirmwareStatusNotificationHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        try await StationEventRecorder.recordStatus(action: "FirmwareStatusNotification", payload, context)
        return [:]
    }
}
