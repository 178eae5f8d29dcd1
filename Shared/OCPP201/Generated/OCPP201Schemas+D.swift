// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `DataTransferRequest.json`.
    static let dataTransferRequest: PayloadSchema = makeDataTransferRequest()

    private static func makeDataTransferRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("messageId", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("data", PayloadSchema.anyValue()),
                PayloadSchema.Property("vendorId", PayloadSchema.string(maxLength: 255)),
            ],
            required: ["vendorId"], additionalProperties: false)
    }

    /// `DataTransferResponse.json`.
    static let dataTransferResponse: PayloadSchema = makeDataTransferResponse()

    private static func makeDataTransferResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.dataTransferStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("data", PayloadSchema.anyValue()),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `DeleteCertificateRequest.json`.
    static let deleteCertificateRequest: PayloadSchema = makeDeleteCertificateRequest()

    private static func makeDeleteCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("certificateHashData", OCPP201Definitions.certificateHashDataType),
            ],
            required: ["certificateHashData"], additionalProperties: false)
    }

    /// `DeleteCertificateResponse.json`.
    static let deleteCertificateResponse: PayloadSchema = makeDeleteCertificateResponse()

    private static func makeDeleteCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.deleteCertificateStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }
}
