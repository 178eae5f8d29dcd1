// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `TriggerMessage.json`.
    static let triggerMessageRequest: PayloadSchema = makeTriggerMessageRequest()

    private static func makeTriggerMessageRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "requestedMessage",
                    PayloadSchema.enumeration([
                        "BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat",
                        "MeterValues", "StatusNotification",
                    ])),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
            ],
            required: ["requestedMessage"], additionalProperties: false)
    }

    /// `TriggerMessageResponse.json`.
    static let triggerMessageResponse: PayloadSchema = makeTriggerMessageResponse()

    private static func makeTriggerMessageResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected", "NotImplemented"]))
            ],
            required: ["status"], additionalProperties: false)
    }
}
