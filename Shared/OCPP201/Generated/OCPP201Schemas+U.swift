// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `UnlockConnectorRequest.json`.
    static let unlockConnectorRequest: PayloadSchema = makeUnlockConnectorRequest()

    private static func makeUnlockConnectorRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
            ],
            required: ["evseId", "connectorId"], additionalProperties: false)
    }

    /// `UnlockConnectorResponse.json`.
    static let unlockConnectorResponse: PayloadSchema = makeUnlockConnectorResponse()

    private static func makeUnlockConnectorResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.unlockStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `UnpublishFirmwareRequest.json`.
    static let unpublishFirmwareRequest: PayloadSchema = makeUnpublishFirmwareRequest()

    private static func makeUnpublishFirmwareRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("checksum", PayloadSchema.string(maxLength: 32)),
            ],
            required: ["checksum"], additionalProperties: false)
    }

    /// `UnpublishFirmwareResponse.json`.
    static let unpublishFirmwareResponse: PayloadSchema = makeUnpublishFirmwareResponse()

    private static func makeUnpublishFirmwareResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.unpublishFirmwareStatusEnumType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `UpdateFirmwareRequest.json`.
    static let updateFirmwareRequest: PayloadSchema = makeUpdateFirmwareRequest()

    private static func makeUpdateFirmwareRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("retries", PayloadSchema.integer()),
                PayloadSchema.Property("retryInterval", PayloadSchema.integer()),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("firmware", OCPP201Definitions.firmwareType),
            ],
            required: ["requestId", "firmware"], additionalProperties: false)
    }

    /// `UpdateFirmwareResponse.json`.
    static let updateFirmwareResponse: PayloadSchema = makeUpdateFirmwareResponse()

    private static func makeUpdateFirmwareResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.updateFirmwareStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }
}
