// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

public import OCPPRPC

/// The payload schemas of every OCPP 2.0.1 action, compiled from the official OCA JSON schemas.
///
/// Each message's schema is built on first use and kept for the life of the process.
public enum OCPP201Schemas {
    /// Every action name as it appears on the wire, sorted.
    public static let actions: [String] = [
        "Authorize",
        "BootNotification",
        "CancelReservation",
        "CertificateSigned",
        "ChangeAvailability",
        "ClearCache",
        "ClearChargingProfile",
        "ClearDisplayMessage",
        "ClearVariableMonitoring",
        "ClearedChargingLimit",
        "CostUpdated",
        "CustomerInformation",
        "DataTransfer",
        "DeleteCertificate",
        "FirmwareStatusNotification",
        "Get15118EVCertificate",
        "GetBaseReport",
        "GetCertificateStatus",
        "GetChargingProfiles",
        "GetCompositeSchedule",
        "GetDisplayMessages",
        "GetInstalledCertificateIds",
        "GetLocalListVersion",
        "GetLog",
        "GetMonitoringReport",
        "GetReport",
        "GetTransactionStatus",
        "GetVariables",
        "Heartbeat",
        "InstallCertificate",
        "LogStatusNotification",
        "MeterValues",
        "NotifyChargingLimit",
        "NotifyCustomerInformation",
        "NotifyDisplayMessages",
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "NotifyEvent",
        "NotifyMonitoringReport",
        "NotifyReport",
        "PublishFirmware",
        "PublishFirmwareStatusNotification",
        "ReportChargingProfiles",
        "RequestStartTransaction",
        "RequestStopTransaction",
        "ReservationStatusUpdate",
        "ReserveNow",
        "Reset",
        "SecurityEventNotification",
        "SendLocalList",
        "SetChargingProfile",
        "SetDisplayMessage",
        "SetMonitoringBase",
        "SetMonitoringLevel",
        "SetNetworkProfile",
        "SetVariableMonitoring",
        "SetVariables",
        "SignCertificate",
        "StatusNotification",
        "TransactionEvent",
        "TriggerMessage",
        "UnlockConnector",
        "UnpublishFirmware",
        "UpdateFirmware",
    ]

    /// The schema of the CALL payload of `action` (the wire name, e.g. `BootNotification`), or nil
    /// for an action OCPP 2.0.1 does not define.
    public static func request(_ action: String) -> PayloadSchema? {
        switch action {
        case "Authorize": return authorizeRequest
        case "BootNotification": return bootNotificationRequest
        case "CancelReservation": return cancelReservationRequest
        case "CertificateSigned": return certificateSignedRequest
        case "ChangeAvailability": return changeAvailabilityRequest
        case "ClearCache": return clearCacheRequest
        case "ClearChargingProfile": return clearChargingProfileRequest
        case "ClearDisplayMessage": return clearDisplayMessageRequest
        case "ClearVariableMonitoring": return clearVariableMonitoringRequest
        case "ClearedChargingLimit": return clearedChargingLimitRequest
        case "CostUpdated": return costUpdatedRequest
        case "CustomerInformation": return customerInformationRequest
        case "DataTransfer": return dataTransferRequest
        case "DeleteCertificate": return deleteCertificateRequest
        case "FirmwareStatusNotification": return firmwareStatusNotificationRequest
        case "Get15118EVCertificate": return get15118EVCertificateRequest
        case "GetBaseReport": return getBaseReportRequest
        case "GetCertificateStatus": return getCertificateStatusRequest
        case "GetChargingProfiles": return getChargingProfilesRequest
        case "GetCompositeSchedule": return getCompositeScheduleRequest
        case "GetDisplayMessages": return getDisplayMessagesRequest
        case "GetInstalledCertificateIds": return getInstalledCertificateIdsRequest
        case "GetLocalListVersion": return getLocalListVersionRequest
        case "GetLog": return getLogRequest
        case "GetMonitoringReport": return getMonitoringReportRequest
        case "GetReport": return getReportRequest
        case "GetTransactionStatus": return getTransactionStatusRequest
        case "GetVariables": return getVariablesRequest
        case "Heartbeat": return heartbeatRequest
        case "InstallCertificate": return installCertificateRequest
        case "LogStatusNotification": return logStatusNotificationRequest
        case "MeterValues": return meterValuesRequest
        case "NotifyChargingLimit": return notifyChargingLimitRequest
        case "NotifyCustomerInformation": return notifyCustomerInformationRequest
        case "NotifyDisplayMessages": return notifyDisplayMessagesRequest
        case "NotifyEVChargingNeeds": return notifyEVChargingNeedsRequest
        case "NotifyEVChargingSchedule": return notifyEVChargingScheduleRequest
        case "NotifyEvent": return notifyEventRequest
        case "NotifyMonitoringReport": return notifyMonitoringReportRequest
        case "NotifyReport": return notifyReportRequest
        case "PublishFirmware": return publishFirmwareRequest
        case "PublishFirmwareStatusNotification": return publishFirmwareStatusNotificationRequest
        case "ReportChargingProfiles": return reportChargingProfilesRequest
        case "RequestStartTransaction": return requestStartTransactionRequest
        case "RequestStopTransaction": return requestStopTransactionRequest
        case "ReservationStatusUpdate": return reservationStatusUpdateRequest
        case "ReserveNow": return reserveNowRequest
        case "Reset": return resetRequest
        case "SecurityEventNotification": return securityEventNotificationRequest
        case "SendLocalList": return sendLocalListRequest
        case "SetChargingProfile": return setChargingProfileRequest
        case "SetDisplayMessage": return setDisplayMessageRequest
        case "SetMonitoringBase": return setMonitoringBaseRequest
        case "SetMonitoringLevel": return setMonitoringLevelRequest
        case "SetNetworkProfile": return setNetworkProfileRequest
        case "SetVariableMonitoring": return setVariableMonitoringRequest
        case "SetVariables": return setVariablesRequest
        case "SignCertificate": return signCertificateRequest
        case "StatusNotification": return statusNotificationRequest
        case "TransactionEvent": return transactionEventRequest
        case "TriggerMessage": return triggerMessageRequest
        case "UnlockConnector": return unlockConnectorRequest
        case "UnpublishFirmware": return unpublishFirmwareRequest
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
        case "ClearCache": return clearCacheResponse
        case "ClearChargingProfile": return clearChargingProfileResponse
        case "ClearDisplayMessage": return clearDisplayMessageResponse
        case "ClearVariableMonitoring": return clearVariableMonitoringResponse
        case "ClearedChargingLimit": return clearedChargingLimitResponse
        case "CostUpdated": return costUpdatedResponse
        case "CustomerInformation": return customerInformationResponse
        case "DataTransfer": return dataTransferResponse
        case "DeleteCertificate": return deleteCertificateResponse
        case "FirmwareStatusNotification": return firmwareStatusNotificationResponse
        case "Get15118EVCertificate": return get15118EVCertificateResponse
        case "GetBaseReport": return getBaseReportResponse
        case "GetCertificateStatus": return getCertificateStatusResponse
        case "GetChargingProfiles": return getChargingProfilesResponse
        case "GetCompositeSchedule": return getCompositeScheduleResponse
        case "GetDisplayMessages": return getDisplayMessagesResponse
        case "GetInstalledCertificateIds": return getInstalledCertificateIdsResponse
        case "GetLocalListVersion": return getLocalListVersionResponse
        case "GetLog": return getLogResponse
        case "GetMonitoringReport": return getMonitoringReportResponse
        case "GetReport": return getReportResponse
        case "GetTransactionStatus": return getTransactionStatusResponse
        case "GetVariables": return getVariablesResponse
        case "Heartbeat": return heartbeatResponse
        case "InstallCertificate": return installCertificateResponse
        case "LogStatusNotification": return logStatusNotificationResponse
        case "MeterValues": return meterValuesResponse
        case "NotifyChargingLimit": return notifyChargingLimitResponse
        case "NotifyCustomerInformation": return notifyCustomerInformationResponse
        case "NotifyDisplayMessages": return notifyDisplayMessagesResponse
        case "NotifyEVChargingNeeds": return notifyEVChargingNeedsResponse
        case "NotifyEVChargingSchedule": return notifyEVChargingScheduleResponse
        case "NotifyEvent": return notifyEventResponse
        case "NotifyMonitoringReport": return notifyMonitoringReportResponse
        case "NotifyReport": return notifyReportResponse
        case "PublishFirmware": return publishFirmwareResponse
        case "PublishFirmwareStatusNotification": return publishFirmwareStatusNotificationResponse
        case "ReportChargingProfiles": return reportChargingProfilesResponse
        case "RequestStartTransaction": return requestStartTransactionResponse
        case "RequestStopTransaction": return requestStopTransactionResponse
        case "ReservationStatusUpdate": return reservationStatusUpdateResponse
        case "ReserveNow": return reserveNowResponse
        case "Reset": return resetResponse
        case "SecurityEventNotification": return securityEventNotificationResponse
        case "SendLocalList": return sendLocalListResponse
        case "SetChargingProfile": return setChargingProfileResponse
        case "SetDisplayMessage": return setDisplayMessageResponse
        case "SetMonitoringBase": return setMonitoringBaseResponse
        case "SetMonitoringLevel": return setMonitoringLevelResponse
        case "SetNetworkProfile": return setNetworkProfileResponse
        case "SetVariableMonitoring": return setVariableMonitoringResponse
        case "SetVariables": return setVariablesResponse
        case "SignCertificate": return signCertificateResponse
        case "StatusNotification": return statusNotificationResponse
        case "TransactionEvent": return transactionEventResponse
        case "TriggerMessage": return triggerMessageResponse
        case "UnlockConnector": return unlockConnectorResponse
        case "UnpublishFirmware": return unpublishFirmwareResponse
        case "UpdateFirmware": return updateFirmwareResponse
        default: return nil
        }
    }
}
