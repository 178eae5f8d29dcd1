// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `Get15118EVCertificateRequest.json`.
    static let get15118EVCertificateRequest: PayloadSchema = makeGet15118EVCertificateRequest()

    private static func makeGet15118EVCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("iso15118SchemaVersion", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("action", OCPP201Definitions.certificateActionEnumType),
                PayloadSchema.Property("exiRequest", PayloadSchema.string(maxLength: 5600)),
            ],
            required: ["iso15118SchemaVersion", "action", "exiRequest"], additionalProperties: false)
    }

    /// `Get15118EVCertificateResponse.json`.
    static let get15118EVCertificateResponse: PayloadSchema = makeGet15118EVCertificateResponse()

    private static func makeGet15118EVCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.iso15118EVCertificateStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("exiResponse", PayloadSchema.string(maxLength: 7500)),
            ],
            required: ["status", "exiResponse"], additionalProperties: false)
    }

    /// `GetBaseReportRequest.json`.
    static let getBaseReportRequest: PayloadSchema = makeGetBaseReportRequest()

    private static func makeGetBaseReportRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("reportBase", OCPP201Definitions.reportBaseEnumType),
            ],
            required: ["requestId", "reportBase"], additionalProperties: false)
    }

    /// `GetBaseReportResponse.json`.
    static let getBaseReportResponse: PayloadSchema = makeGetBaseReportResponse()

    private static func makeGetBaseReportResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericDeviceModelStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetCertificateStatusRequest.json`.
    static let getCertificateStatusRequest: PayloadSchema = makeGetCertificateStatusRequest()

    private static func makeGetCertificateStatusRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("ocspRequestData", OCPP201Definitions.ocspRequestDataType),
            ],
            required: ["ocspRequestData"], additionalProperties: false)
    }

    /// `GetCertificateStatusResponse.json`.
    static let getCertificateStatusResponse: PayloadSchema = makeGetCertificateStatusResponse()

    private static func makeGetCertificateStatusResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.getCertificateStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("ocspResult", PayloadSchema.string(maxLength: 5500)),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetChargingProfilesRequest.json`.
    static let getChargingProfilesRequest: PayloadSchema = makeGetChargingProfilesRequest()

    private static func makeGetChargingProfilesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingProfile", OCPP201Definitions.chargingProfileCriterionType),
            ],
            required: ["requestId", "chargingProfile"], additionalProperties: false)
    }

    /// `GetChargingProfilesResponse.json`.
    static let getChargingProfilesResponse: PayloadSchema = makeGetChargingProfilesResponse()

    private static func makeGetChargingProfilesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.getChargingProfileStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetCompositeScheduleRequest.json`.
    static let getCompositeScheduleRequest: PayloadSchema = makeGetCompositeScheduleRequest()

    private static func makeGetCompositeScheduleRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("chargingRateUnit", OCPP201Definitions.chargingRateUnitEnumType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
            ],
            required: ["duration", "evseId"], additionalProperties: false)
    }

    /// `GetCompositeScheduleResponse.json`.
    static let getCompositeScheduleResponse: PayloadSchema = makeGetCompositeScheduleResponse()

    private static func makeGetCompositeScheduleResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("schedule", OCPP201Definitions.compositeScheduleType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetDisplayMessagesRequest.json`.
    static let getDisplayMessagesRequest: PayloadSchema = makeGetDisplayMessagesRequest()

    private static func makeGetDisplayMessagesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.array(of: PayloadSchema.integer(), minItems: 1)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("priority", OCPP201Definitions.messagePriorityEnumType),
                PayloadSchema.Property("state", OCPP201Definitions.messageStateEnumType),
            ],
            required: ["requestId"], additionalProperties: false)
    }

    /// `GetDisplayMessagesResponse.json`.
    static let getDisplayMessagesResponse: PayloadSchema = makeGetDisplayMessagesResponse()

    private static func makeGetDisplayMessagesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.getDisplayMessagesStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetInstalledCertificateIdsRequest.json`.
    static let getInstalledCertificateIdsRequest: PayloadSchema = makeGetInstalledCertificateIdsRequest()

    private static func makeGetInstalledCertificateIdsRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "certificateType",
                    PayloadSchema.array(of: OCPP201Definitions.getCertificateIdUseEnumType, minItems: 1)),
            ],
            required: [], additionalProperties: false)
    }

    /// `GetInstalledCertificateIdsResponse.json`.
    static let getInstalledCertificateIdsResponse: PayloadSchema = makeGetInstalledCertificateIdsResponse()

    private static func makeGetInstalledCertificateIdsResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.getInstalledCertificateStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property(
                    "certificateHashDataChain",
                    PayloadSchema.array(of: OCPP201Definitions.certificateHashDataChainType, minItems: 1)),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetLocalListVersionRequest.json`.
    static let getLocalListVersionRequest: PayloadSchema = makeGetLocalListVersionRequest()

    private static func makeGetLocalListVersionRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `GetLocalListVersionResponse.json`.
    static let getLocalListVersionResponse: PayloadSchema = makeGetLocalListVersionResponse()

    private static func makeGetLocalListVersionResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("versionNumber", PayloadSchema.integer()),
            ],
            required: ["versionNumber"], additionalProperties: false)
    }

    /// `GetLogRequest.json`.
    static let getLogRequest: PayloadSchema = makeGetLogRequest()

    private static func makeGetLogRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("log", OCPP201Definitions.logParametersType),
                PayloadSchema.Property("logType", OCPP201Definitions.logEnumType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("retries", PayloadSchema.integer()),
                PayloadSchema.Property("retryInterval", PayloadSchema.integer()),
            ],
            required: ["logType", "requestId", "log"], additionalProperties: false)
    }

    /// `GetLogResponse.json`.
    static let getLogResponse: PayloadSchema = makeGetLogResponse()

    private static func makeGetLogResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.logStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("filename", PayloadSchema.string(maxLength: 255)),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetMonitoringReportRequest.json`.
    static let getMonitoringReportRequest: PayloadSchema = makeGetMonitoringReportRequest()

    private static func makeGetMonitoringReportRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "componentVariable", PayloadSchema.array(of: OCPP201Definitions.componentVariableType, minItems: 1)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "monitoringCriteria",
                    PayloadSchema.array(of: OCPP201Definitions.monitoringCriterionEnumType, minItems: 1, maxItems: 3)),
            ],
            required: ["requestId"], additionalProperties: false)
    }

    /// `GetMonitoringReportResponse.json`.
    static let getMonitoringReportResponse: PayloadSchema = makeGetMonitoringReportResponse()

    private static func makeGetMonitoringReportResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericDeviceModelStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetReportRequest.json`.
    static let getReportRequest: PayloadSchema = makeGetReportRequest()

    private static func makeGetReportRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "componentVariable", PayloadSchema.array(of: OCPP201Definitions.componentVariableType, minItems: 1)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "componentCriteria",
                    PayloadSchema.array(of: OCPP201Definitions.componentCriterionEnumType, minItems: 1, maxItems: 4)),
            ],
            required: ["requestId"], additionalProperties: false)
    }

    /// `GetReportResponse.json`.
    static let getReportResponse: PayloadSchema = makeGetReportResponse()

    private static func makeGetReportResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericDeviceModelStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetTransactionStatusRequest.json`.
    static let getTransactionStatusRequest: PayloadSchema = makeGetTransactionStatusRequest()

    private static func makeGetTransactionStatusRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
            ],
            required: [], additionalProperties: false)
    }

    /// `GetTransactionStatusResponse.json`.
    static let getTransactionStatusResponse: PayloadSchema = makeGetTransactionStatusResponse()

    private static func makeGetTransactionStatusResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("ongoingIndicator", PayloadSchema.boolean()),
                PayloadSchema.Property("messagesInQueue", PayloadSchema.boolean()),
            ],
            required: ["messagesInQueue"], additionalProperties: false)
    }

    /// `GetVariablesRequest.json`.
    static let getVariablesRequest: PayloadSchema = makeGetVariablesRequest()

    private static func makeGetVariablesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "getVariableData", PayloadSchema.array(of: OCPP201Definitions.getVariableDataType, minItems: 1)),
            ],
            required: ["getVariableData"], additionalProperties: false)
    }

    /// `GetVariablesResponse.json`.
    static let getVariablesResponse: PayloadSchema = makeGetVariablesResponse()

    private static func makeGetVariablesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "getVariableResult", PayloadSchema.array(of: OCPP201Definitions.getVariableResultType, minItems: 1)),
            ],
            required: ["getVariableResult"], additionalProperties: false)
    }
}
