// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `AuthorizeRequest.json`.
    static let authorizeRequest: PayloadSchema = makeAuthorizeRequest()

    private static func makeAuthorizeRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("idToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("certificate", PayloadSchema.string(maxLength: 5500)),
                PayloadSchema.Property(
                    "iso15118CertificateHashData",
                    PayloadSchema.array(of: OCPP201Definitions.ocspRequestDataType, minItems: 1, maxItems: 4)),
            ],
            required: ["idToken"], additionalProperties: false)
    }

    /// `AuthorizeResponse.json`.
    static let authorizeResponse: PayloadSchema = makeAuthorizeResponse()

    private static func makeAuthorizeResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("idTokenInfo", OCPP201Definitions.idTokenInfoType),
                PayloadSchema.Property("certificateStatus", OCPP201Definitions.authorizeCertificateStatusEnumType),
            ],
            required: ["idTokenInfo"], additionalProperties: false)
    }
}
