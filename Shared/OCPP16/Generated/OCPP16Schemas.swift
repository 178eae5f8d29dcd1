// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

public import OCPPRPC

/// The payload schemas of every OCPP 1.6J action, compiled from the official OCA JSON schemas.
///
/// Each message's schema is built on first use and kept for the life of the process.
public enum OCPP16Schemas {
    /// Every action name as it appears on the wire, sorted.
    public static let actions: [String] = [
        "Authorize",
        "BootNotification",
        "CancelReservation",
        "CertificateSigned",
        "ChangeAvailability",
        "ChangeConfiguration",
        "ClearCache",
        "ClearChargingProfile",
        "DataTransfer",
        "DeleteCertificate",
        "DiagnosticsStatusNotification",
        "ExtendedTriggerMessage",
        "FirmwareStatusNotification",
        "GetCompositeSchedule",
        "GetConfiguration",
        "GetDiagnostics",
        "GetInstalledCertificateIds",
        "GetLocalListVersion",
        "GetLog",
        "Heartbeat",
        "InstallCertificate",
        "LogStatusNotification",
        "MeterValues",
        "RemoteStartTransaction",
        "RemoteStopTransaction",
        "ReserveNow",
        "Reset",
        "SecurityEventNotification",
        "SendLocalList",
        "SetChargingProfile",
        "SignCertificate",
        "SignedFirmwareStatusNotification",
        "SignedUpdateFirmware",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
        "TriggerMessage",
        "UnlockConnector",
        "UpdateFirmware",
    ]

    /// The schema of the CALL payload of `action` (the wire name, e.g. `BootNotification`), or nil
    /// for an action OCPP 1.6J does not define.
    public static func request(_ action: String) -> PayloadSchema? {
        switch action {
        case "Authorize": return authorizeRequest
        case "BootNotification": return bootNotificationRequest
        case "CancelReservation": return cancelReservationRequest
        case "CertificateSigned": return certificateSignedRequest
        case "ChangeAvailability": return changeAvailabilityRequest
        case "ChangeConfiguration": return changeConfigurationRequest
        case "ClearCache": return clearCacheRequest
        case "ClearChargingProfile": return clearChargingProfileRequest
        case "DataTransfer": return dataTransferRequest
        case "DeleteCertificate": return deleteCertificateRequest
        case "DiagnosticsStatusNotification": return diagnosticsStatusNotificationRequest
        case "ExtendedTriggerMessage": return extendedTriggerMessageRequest
        case "FirmwareStatusNotification": return firmwareStatusNotificationRequest
        case "GetCompositeSchedule": return getCompositeScheduleRequest
        case "GetConfiguration": return getConfigurationRequest
        case "GetDiagnostics": return getDiagnosticsRequest
        case "GetInstalledCertificateIds": return getInstalledCertificateIdsRequest
        case "GetLocalListVersion": return getLocalListVersionRequest
        case "GetLog": return getLogRequest
        case "Heartbeat": return heartbeatRequest
        case "InstallCertificate": return installCertificateRequest
        case "LogStatusNotification": return logStatusNotificationRequest
        case "MeterValues": return meterValuesRequest
        case "RemoteStartTransaction": return remoteStartTransactionRequest
        case "RemoteStopTransaction": return remoteStopTransactionRequest
        case "ReserveNow": return reserveNowRequest
        case "Reset": return resetRequest
        case "SecurityEventNotification": return securityEventNotificationRequest
        case "SendLocalList": return sendLocalListRequest
        case "SetChargingProfile": return setChargingProfileRequest
        case "SignCertificate": return signCertificateRequest
        case "SignedFirmwareStatusNotification": return signedFirmwareStatusNotificationRequest
        case "SignedUpdateFirmware": return signedUpdateFirmwareRequest
        case "StartTransaction": return startTransactionRequest
        case "StatusNotification": return statusNotificationRequest
        case "StopTransaction": return stopTransactionRequest
        case "TriggerMessage": return triggerMessageRequest
        case "UnlockConnector": return unlockConnectorRequest
        case "UpdateFirmware": return updateFirmwareRequest
        default: return nil
        }
    }

    /// The schema of the CALLRESULT payload of `action`, or nil for an unknown action.
    public static func response(_ action: String) -> PayloadSchema? {
        switch action {
        case "Authorize": return authorizeResponse
        case "BootNotification": return bootNotificationResponse
        case "CancelReservation": return cancelReservationResponse
        case "CertificateSigned": return certificateSignedResponse
        case "ChangeAvailability": return changeAvailabilityResponse
        case "ChangeConfiguration": return changeConfigurationResponse
        case "ClearCache": return clearCacheResponse
        case "ClearChargingProfile": return clearChargingProfileResponse
        case "DataTransfer": return dataTransferResponse
        case "DeleteCertificate": return deleteCertificateResponse
        case "DiagnosticsStatusNotification": return diagnosticsStatusNotificationResponse
        case "ExtendedTriggerMessage": return extendedTriggerMessageResponse
        case "FirmwareStatusNotification": return firmwareStatusNotificationResponse
        case "GetCompositeSchedule": return getCompositeScheduleResponse
        case "GetConfiguration": return getConfigurationResponse
        case "GetDiagnostics": return getDiagnosticsResponse
        case "GetInstalledCertificateIds": return getInstalledCertificateIdsResponse
        case "GetLocalListVersion": return getLocalListVersionResponse
        case "GetLog": return getLogResponse
        case "Heartbeat": return heartbeatResponse
        case "InstallCertificate": return installCertificateResponse
        case "LogStatusNotification": return logStatusNotificationResponse
        case "MeterValues": return meterValuesResponse
        case "RemoteStartTransaction": return remoteStartTransactionResponse
        case "RemoteStopTransaction": return remoteStopTransactionResponse
        case "ReserveNow": return reserveNowResponse
        case "Reset": return resetResponse
        case "SecurityEventNotification": return securityEventNotificationResponse
        case "SendLocalList": return sendLocalListResponse
        case "SetChargingProfile": return setChargingProfileResponse
        case "SignCertificate": return signCertificateResponse
        case "SignedFirmwareStatusNotification": return signedFirmwareStatusNotificationResponse
        case "SignedUpdateFirmware": return signedUpdateFirmwareResponse
        case "StartTransaction": return startTransactionResponse
        case "StatusNotification": return statusNotificationResponse
        case "StopTransaction": return stopTransactionResponse
        case "TriggerMessage": return triggerMessageResponse
        case "UnlockConnector": return unlockConnectorResponse
        case "UpdateFirmware": return updateFirmwareResponse
        default: return nil
        }
    }
}
