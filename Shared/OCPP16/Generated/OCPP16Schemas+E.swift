// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `ExtendedTriggerMessage.json`.
    static let extendedTriggerMessageRequest: PayloadSchema = makeExtendedTriggerMessageRequest()

    private static func makeExtendedTriggerMessageRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("requestedMessage", OCPP16Definitions.messageTriggerEnumType),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
            ],
            required: ["requestedMessage"], additionalProperties: false)
    }

    /// `ExtendedTriggerMessageResponse.json`.
    static let extendedTriggerMessageResponse: PayloadSchema = makeExtendedTriggerMessageResponse()

    private static func makeExtendedTriggerMessageResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.triggerMessageStatusEnumType)
            ],
            required: ["status"], additionalProperties: false)
    }
}
