// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `InstallCertificate.json`.
    static let installCertificateRequest: PayloadSchema = makeInstallCertificateRequest()

    private static func makeInstallCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("certificateType", OCPP16Definitions.certificateUseEnumType),
                PayloadSchema.Property("certificate", PayloadSchema.string(maxLength: 5500)),
            ],
            required: ["certificateType", "certificate"], additionalProperties: false)
    }

    /// `InstallCertificateResponse.json`.
    static let installCertificateResponse: PayloadSchema = makeInstallCertificateResponse()

    private static func makeInstallCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.installCertificateStatusEnumType)
            ],
            required: ["status"], additionalProperties: false)
    }
}
