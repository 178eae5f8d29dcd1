// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `LogStatusNotificationRequest.json`.
    static let logStatusNotificationRequest: PayloadSchema = makeLogStatusNotificationRequest()

    private static func makeLogStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.uploadLogStatusEnumType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `LogStatusNotificationResponse.json`.
    static let logStatusNotificationResponse: PayloadSchema = makeLogStatusNotificationResponse()

    private static func makeLogStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }
}
