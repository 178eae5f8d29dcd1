// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `BootNotificationRequest.json`.
    static let bootNotificationRequest: PayloadSchema = makeBootNotificationRequest()

    private static func makeBootNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("chargingStation", OCPP201Definitions.chargingStationType),
                PayloadSchema.Property("reason", OCPP201Definitions.bootReasonEnumType),
            ],
            required: ["reason", "chargingStation"], additionalProperties: false)
    }

    /// `BootNotificationResponse.json`.
    static let bootNotificationResponse: PayloadSchema = makeBootNotificationResponse()

    private static func makeBootNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("currentTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("interval", PayloadSchema.integer()),
                PayloadSchema.Property("status", OCPP201Definitions.registrationStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["currentTime", "interval", "status"], additionalProperties: false)
    }
}
