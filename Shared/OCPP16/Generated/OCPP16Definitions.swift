// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

/// Types shared by several OCPP 1.6J messages (`definitions` in the OCA schemas).
enum OCPP16Definitions {
    /// `CertificateHashDataType`.
    static let certificateHashDataType: PayloadSchema = makeCertificateHashDataType()

    private static func makeCertificateHashDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("hashAlgorithm", OCPP16Definitions.hashAlgorithmEnumType),
                PayloadSchema.Property("issuerNameHash", PayloadSchema.string(maxLength: 128)),
                PayloadSchema.Property("issuerKeyHash", PayloadSchema.string(maxLength: 128)),
                PayloadSchema.Property("serialNumber", PayloadSchema.string(maxLength: 40)),
            ],
            required: ["hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber"], additionalProperties: false)
    }

    /// `CertificateSignedStatusEnumType`.
    static let certificateSignedStatusEnumType: PayloadSchema = makeCertificateSignedStatusEnumType()

    private static func makeCertificateSignedStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `CertificateUseEnumType`.
    static let certificateUseEnumType: PayloadSchema = makeCertificateUseEnumType()

    private static func makeCertificateUseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["CentralSystemRootCertificate", "ManufacturerRootCertificate"])
    }

    /// `DeleteCertificateStatusEnumType`.
    static let deleteCertificateStatusEnumType: PayloadSchema = makeDeleteCertificateStatusEnumType()

    private static func makeDeleteCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Failed", "NotFound"])
    }

    /// `FirmwareStatusEnumType`.
    static let firmwareStatusEnumType: PayloadSchema = makeFirmwareStatusEnumType()

    private static func makeFirmwareStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle",
            "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled",
            "InstallVerificationFailed", "InvalidSignature", "SignatureVerified",
        ])
    }

    /// `FirmwareType`.
    static let firmwareType: PayloadSchema = makeFirmwareType()

    private static func makeFirmwareType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("location", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("retrieveDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("installDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("signingCertificate", PayloadSchema.string(maxLength: 5500)),
                PayloadSchema.Property("signature", PayloadSchema.string(maxLength: 800)),
            ],
            required: ["location", "retrieveDateTime", "signingCertificate", "signature"], additionalProperties: false)
    }

    /// `GenericStatusEnumType`.
    static let genericStatusEnumType: PayloadSchema = makeGenericStatusEnumType()

    private static func makeGenericStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `GetInstalledCertificateStatusEnumType`.
    static let getInstalledCertificateStatusEnumType: PayloadSchema = makeGetInstalledCertificateStatusEnumType()

    private static func makeGetInstalledCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "NotFound"])
    }

    /// `HashAlgorithmEnumType`.
    static let hashAlgorithmEnumType: PayloadSchema = makeHashAlgorithmEnumType()

    private static func makeHashAlgorithmEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["SHA256", "SHA384", "SHA512"])
    }

    /// `InstallCertificateStatusEnumType`.
    static let installCertificateStatusEnumType: PayloadSchema = makeInstallCertificateStatusEnumType()

    private static func makeInstallCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Failed", "Rejected"])
    }

    /// `LogEnumType`.
    static let logEnumType: PayloadSchema = makeLogEnumType()

    private static func makeLogEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["DiagnosticsLog", "SecurityLog"])
    }

    /// `LogParametersType`.
    static let logParametersType: PayloadSchema = makeLogParametersType()

    private static func makeLogParametersType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("remoteLocation", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("oldestTimestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("latestTimestamp", PayloadSchema.string(format: .dateTime)),
            ],
            required: ["remoteLocation"], additionalProperties: false)
    }

    /// `LogStatusEnumType`.
    static let logStatusEnumType: PayloadSchema = makeLogStatusEnumType()

    private static func makeLogStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "AcceptedCanceled"])
    }

    /// `MessageTriggerEnumType`.
    static let messageTriggerEnumType: PayloadSchema = makeMessageTriggerEnumType()

    private static func makeMessageTriggerEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
            "SignChargePointCertificate", "StatusNotification",
        ])
    }

    /// `TriggerMessageStatusEnumType`.
    static let triggerMessageStatusEnumType: PayloadSchema = makeTriggerMessageStatusEnumType()

    private static func makeTriggerMessageStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "NotImplemented"])
    }

    /// `UpdateFirmwareStatusEnumType`.
    static let updateFirmwareStatusEnumType: PayloadSchema = makeUpdateFirmwareStatusEnumType()

    private static func makeUpdateFirmwareStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate",
        ])
    }

    /// `UploadLogStatusEnumType`.
    static let uploadLogStatusEnumType: PayloadSchema = makeUploadLogStatusEnumType()

    private static func makeUploadLogStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading",
        ])
    }
}
