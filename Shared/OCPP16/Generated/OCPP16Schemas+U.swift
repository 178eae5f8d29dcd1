// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `UnlockConnector.json`.
    static let unlockConnectorRequest: PayloadSchema = makeUnlockConnectorRequest()

    private static func makeUnlockConnectorRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer())
            ],
            required: ["connectorId"], additionalProperties: false)
    }

    /// `UnlockConnectorResponse.json`.
    static let unlockConnectorResponse: PayloadSchema = makeUnlockConnectorResponse()

    private static func makeUnlockConnectorResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Unlocked", "UnlockFailed", "NotSupported"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `UpdateFirmware.json`.
    static let updateFirmwareRequest: PayloadSchema = makeUpdateFirmwareRequest()

    private static func makeUpdateFirmwareRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("location", PayloadSchema.string(format: .uri)),
                PayloadSchema.Property("retries", PayloadSchema.integer()),
                PayloadSchema.Property("retrieveDate", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("retryInterval", PayloadSchema.integer()),
            ],
            required: ["location", "retrieveDate"], additionalProperties: false)
    }

    /// `UpdateFirmwareResponse.json`.
    static let updateFirmwareResponse: PayloadSchema = makeUpdateFirmwareResponse()

    private static func makeUpdateFirmwareResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }
}
