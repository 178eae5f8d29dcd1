// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `FirmwareStatusNotificationRequest.json`.
    static let firmwareStatusNotificationRequest: PayloadSchema = makeFirmwareStatusNotificationRequest()

    private static func makeFirmwareStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.firmwareStatusEnumType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `FirmwareStatusNotificationResponse.json`.
    static let firmwareStatusNotificationResponse: PayloadSchema = makeFirmwareStatusNotificationResponse()

    private static func makeFirmwareStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }
}
