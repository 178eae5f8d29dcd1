// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `InstallCertificateRequest.json`.
    static let installCertificateRequest: PayloadSchema = makeInstallCertificateRequest()

    private static func makeInstallCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("certificateType", OCPP201Definitions.installCertificateUseEnumType),
                PayloadSchema.Property("certificate", PayloadSchema.string(maxLength: 5500)),
            ],
            required: ["certificateType", "certificate"], additionalProperties: false)
    }

    /// `InstallCertificateResponse.json`.
    static let installCertificateResponse: PayloadSchema = makeInstallCertificateResponse()

    private static func makeInstallCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.installCertificateStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }
}
