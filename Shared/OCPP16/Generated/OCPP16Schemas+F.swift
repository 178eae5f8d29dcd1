// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `FirmwareStatusNotification.json`.
    static let firmwareStatusNotificationRequest: PayloadSchema = makeFirmwareStatusNotificationRequest()

    private static func makeFirmwareStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status",
                    PayloadSchema.enumeration([
                        "Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing",
                        "Installed",
                    ]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `FirmwareStatusNotificationResponse.json`.
    static let firmwareStatusNotificationResponse: PayloadSchema = makeFirmwareStatusNotificationResponse()

    private static func makeFirmwareStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }
}
