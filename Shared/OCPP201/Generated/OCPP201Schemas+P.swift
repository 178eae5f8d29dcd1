// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `PublishFirmwareRequest.json`.
    static let publishFirmwareRequest: PayloadSchema = makePublishFirmwareRequest()

    private static func makePublishFirmwareRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("location", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("retries", PayloadSchema.integer()),
                PayloadSchema.Property("checksum", PayloadSchema.string(maxLength: 32)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("retryInterval", PayloadSchema.integer()),
            ],
            required: ["location", "checksum", "requestId"], additionalProperties: false)
    }

    /// `PublishFirmwareResponse.json`.
    static let publishFirmwareResponse: PayloadSchema = makePublishFirmwareResponse()

    private static func makePublishFirmwareResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `PublishFirmwareStatusNotificationRequest.json`.
    static let publishFirmwareStatusNotificationRequest: PayloadSchema = makePublishFirmwareStatusNotificationRequest()

    private static func makePublishFirmwareStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.publishFirmwareStatusEnumType),
                PayloadSchema.Property(
                    "location", PayloadSchema.array(of: PayloadSchema.string(maxLength: 512), minItems: 1)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `PublishFirmwareStatusNotificationResponse.json`.
    static let publishFirmwareStatusNotificationResponse: PayloadSchema =
        makePublishFirmwareStatusNotificationResponse()

    private static func makePublishFirmwareStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }
}
