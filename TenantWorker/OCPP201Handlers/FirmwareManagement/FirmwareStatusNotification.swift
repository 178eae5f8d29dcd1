// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// FirmwareStatusNotificationRequest (OCPP 2.0.1 L01): progress of an UpdateFirmware download,
/// signature check and installation.
enum FirmwareStatusNotificationHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        try await StationEvents.recordStatus(kind: "FirmwareStatusNotification", payload, context)
        return [:]
    }
}
