// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `Authorize.json`.
    static let authorizeRequest: PayloadSchema = makeAuthorizeRequest()

    private static func makeAuthorizeRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("idTag", PayloadSchema.string(maxLength: 20))
            ],
            required: ["idTag"], additionalProperties: false)
    }

    /// `AuthorizeResponse.json`.
    static let authorizeResponse: PayloadSchema = makeAuthorizeResponse()

    private static func makeAuthorizeResponse() -> PayloadSchema {
        let idTagInfoSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("expiryDate", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("parentIdTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"])),
            ],
            required: ["status"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("idTagInfo", idTagInfoSchema)
            ],
            required: ["idTagInfo"], additionalProperties: false)
    }
}
