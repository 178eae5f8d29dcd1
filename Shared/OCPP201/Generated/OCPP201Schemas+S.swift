// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `SecurityEventNotificationRequest.json`.
    static let securityEventNotificationRequest: PayloadSchema = makeSecurityEventNotificationRequest()

    private static func makeSecurityEventNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("type", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("techInfo", PayloadSchema.string(maxLength: 255)),
            ],
            required: ["type", "timestamp"], additionalProperties: false)
    }

    /// `SecurityEventNotificationResponse.json`.
    static let securityEventNotificationResponse: PayloadSchema = makeSecurityEventNotificationResponse()

    private static func makeSecurityEventNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `SendLocalListRequest.json`.
    static let sendLocalListRequest: PayloadSchema = makeSendLocalListRequest()

    private static func makeSendLocalListRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "localAuthorizationList", PayloadSchema.array(of: OCPP201Definitions.authorizationData, minItems: 1)
                ),
                PayloadSchema.Property("versionNumber", PayloadSchema.integer()),
                PayloadSchema.Property("updateType", OCPP201Definitions.updateEnumType),
            ],
            required: ["versionNumber", "updateType"], additionalProperties: false)
    }

    /// `SendLocalListResponse.json`.
    static let sendLocalListResponse: PayloadSchema = makeSendLocalListResponse()

    private static func makeSendLocalListResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.sendLocalListStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetChargingProfileRequest.json`.
    static let setChargingProfileRequest: PayloadSchema = makeSetChargingProfileRequest()

    private static func makeSetChargingProfileRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingProfile", OCPP201Definitions.chargingProfileType),
            ],
            required: ["evseId", "chargingProfile"], additionalProperties: false)
    }

    /// `SetChargingProfileResponse.json`.
    static let setChargingProfileResponse: PayloadSchema = makeSetChargingProfileResponse()

    private static func makeSetChargingProfileResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.chargingProfileStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetDisplayMessageRequest.json`.
    static let setDisplayMessageRequest: PayloadSchema = makeSetDisplayMessageRequest()

    private static func makeSetDisplayMessageRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("message", OCPP201Definitions.messageInfoType),
            ],
            required: ["message"], additionalProperties: false)
    }

    /// `SetDisplayMessageResponse.json`.
    static let setDisplayMessageResponse: PayloadSchema = makeSetDisplayMessageResponse()

    private static func makeSetDisplayMessageResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.displayMessageStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetMonitoringBaseRequest.json`.
    static let setMonitoringBaseRequest: PayloadSchema = makeSetMonitoringBaseRequest()

    private static func makeSetMonitoringBaseRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("monitoringBase", OCPP201Definitions.monitoringBaseEnumType),
            ],
            required: ["monitoringBase"], additionalProperties: false)
    }

    /// `SetMonitoringBaseResponse.json`.
    static let setMonitoringBaseResponse: PayloadSchema = makeSetMonitoringBaseResponse()

    private static func makeSetMonitoringBaseResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericDeviceModelStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetMonitoringLevelRequest.json`.
    static let setMonitoringLevelRequest: PayloadSchema = makeSetMonitoringLevelRequest()

    private static func makeSetMonitoringLevelRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("severity", PayloadSchema.integer()),
            ],
            required: ["severity"], additionalProperties: false)
    }

    /// `SetMonitoringLevelResponse.json`.
    static let setMonitoringLevelResponse: PayloadSchema = makeSetMonitoringLevelResponse()

    private static func makeSetMonitoringLevelResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetNetworkProfileRequest.json`.
    static let setNetworkProfileRequest: PayloadSchema = makeSetNetworkProfileRequest()

    private static func makeSetNetworkProfileRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("configurationSlot", PayloadSchema.integer()),
                PayloadSchema.Property("connectionData", OCPP201Definitions.networkConnectionProfileType),
            ],
            required: ["configurationSlot", "connectionData"], additionalProperties: false)
    }

    /// `SetNetworkProfileResponse.json`.
    static let setNetworkProfileResponse: PayloadSchema = makeSetNetworkProfileResponse()

    private static func makeSetNetworkProfileResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.setNetworkProfileStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetVariableMonitoringRequest.json`.
    static let setVariableMonitoringRequest: PayloadSchema = makeSetVariableMonitoringRequest()

    private static func makeSetVariableMonitoringRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "setMonitoringData", PayloadSchema.array(of: OCPP201Definitions.setMonitoringDataType, minItems: 1)),
            ],
            required: ["setMonitoringData"], additionalProperties: false)
    }

    /// `SetVariableMonitoringResponse.json`.
    static let setVariableMonitoringResponse: PayloadSchema = makeSetVariableMonitoringResponse()

    private static func makeSetVariableMonitoringResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "setMonitoringResult",
                    PayloadSchema.array(of: OCPP201Definitions.setMonitoringResultType, minItems: 1)),
            ],
            required: ["setMonitoringResult"], additionalProperties: false)
    }

    /// `SetVariablesRequest.json`.
    static let setVariablesRequest: PayloadSchema = makeSetVariablesRequest()

    private static func makeSetVariablesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "setVariableData", PayloadSchema.array(of: OCPP201Definitions.setVariableDataType, minItems: 1)),
            ],
            required: ["setVariableData"], additionalProperties: false)
    }

    /// `SetVariablesResponse.json`.
    static let setVariablesResponse: PayloadSchema = makeSetVariablesResponse()

    private static func makeSetVariablesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "setVariableResult", PayloadSchema.array(of: OCPP201Definitions.setVariableResultType, minItems: 1)),
            ],
            required: ["setVariableResult"], additionalProperties: false)
    }

    /// `SignCertificateRequest.json`.
    static let signCertificateRequest: PayloadSchema = makeSignCertificateRequest()

    private static func makeSignCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("csr", PayloadSchema.string(maxLength: 5500)),
                PayloadSchema.Property("certificateType", OCPP201Definitions.certificateSigningUseEnumType),
            ],
            required: ["csr"], additionalProperties: false)
    }

    /// `SignCertificateResponse.json`.
    static let signCertificateResponse: PayloadSchema = makeSignCertificateResponse()

    private static func makeSignCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `StatusNotificationRequest.json`.
    static let statusNotificationRequest: PayloadSchema = makeStatusNotificationRequest()

    private static func makeStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("connectorStatus", OCPP201Definitions.connectorStatusEnumType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
            ],
            required: ["timestamp", "connectorStatus", "evseId", "connectorId"], additionalProperties: false)
    }

    /// `StatusNotificationResponse.json`.
    static let statusNotificationResponse: PayloadSchema = makeStatusNotificationResponse()

    private static func makeStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }
}
