// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `DataTransfer.json`.
    static let dataTransferRequest: PayloadSchema = makeDataTransferRequest()

    private static func makeDataTransferRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("vendorId", PayloadSchema.string(maxLength: 255)),
                PayloadSchema.Property("messageId", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("data", PayloadSchema.string()),
            ],
            required: ["vendorId"], additionalProperties: false)
    }

    /// `DataTransferResponse.json`.
    static let dataTransferResponse: PayloadSchema = makeDataTransferResponse()

    private static func makeDataTransferResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status",
                    PayloadSchema.enumeration(["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"])),
                PayloadSchema.Property("data", PayloadSchema.string()),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `DeleteCertificate.json`.
    static let deleteCertificateRequest: PayloadSchema = makeDeleteCertificateRequest()

    private static func makeDeleteCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("certificateHashData", OCPP16Definitions.certificateHashDataType)
            ],
            required: ["certificateHashData"], additionalProperties: false)
    }

    /// `DeleteCertificateResponse.json`.
    static let deleteCertificateResponse: PayloadSchema = makeDeleteCertificateResponse()

    private static func makeDeleteCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.deleteCertificateStatusEnumType)
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `DiagnosticsStatusNotification.json`.
    static let diagnosticsStatusNotificationRequest: PayloadSchema = makeDiagnosticsStatusNotificationRequest()

    private static func makeDiagnosticsStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Idle", "Uploaded", "UploadFailed", "Uploading"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `DiagnosticsStatusNotificationResponse.json`.
    static let diagnosticsStatusNotificationResponse: PayloadSchema = makeDiagnosticsStatusNotificationResponse()

    private static func makeDiagnosticsStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }
}
