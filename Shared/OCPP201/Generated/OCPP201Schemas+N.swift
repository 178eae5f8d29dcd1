// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `NotifyChargingLimitRequest.json`.
    static let notifyChargingLimitRequest: PayloadSchema = makeNotifyChargingLimitRequest()

    private static func makeNotifyChargingLimitRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "chargingSchedule", PayloadSchema.array(of: OCPP201Definitions.chargingScheduleType, minItems: 1)),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingLimit", OCPP201Definitions.chargingLimitType),
            ],
            required: ["chargingLimit"], additionalProperties: false)
    }

    /// `NotifyChargingLimitResponse.json`.
    static let notifyChargingLimitResponse: PayloadSchema = makeNotifyChargingLimitResponse()

    private static func makeNotifyChargingLimitResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `NotifyCustomerInformationRequest.json`.
    static let notifyCustomerInformationRequest: PayloadSchema = makeNotifyCustomerInformationRequest()

    private static func makeNotifyCustomerInformationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("data", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("tbc", PayloadSchema.boolean()),
                PayloadSchema.Property("seqNo", PayloadSchema.integer()),
                PayloadSchema.Property("generatedAt", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
            ],
            required: ["data", "seqNo", "generatedAt", "requestId"], additionalProperties: false)
    }

    /// `NotifyCustomerInformationResponse.json`.
    static let notifyCustomerInformationResponse: PayloadSchema = makeNotifyCustomerInformationResponse()

    private static func makeNotifyCustomerInformationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `NotifyDisplayMessagesRequest.json`.
    static let notifyDisplayMessagesRequest: PayloadSchema = makeNotifyDisplayMessagesRequest()

    private static func makeNotifyDisplayMessagesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "messageInfo", PayloadSchema.array(of: OCPP201Definitions.messageInfoType, minItems: 1)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("tbc", PayloadSchema.boolean()),
            ],
            required: ["requestId"], additionalProperties: false)
    }

    /// `NotifyDisplayMessagesResponse.json`.
    static let notifyDisplayMessagesResponse: PayloadSchema = makeNotifyDisplayMessagesResponse()

    private static func makeNotifyDisplayMessagesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `NotifyEVChargingNeedsRequest.json`.
    static let notifyEVChargingNeedsRequest: PayloadSchema = makeNotifyEVChargingNeedsRequest()

    private static func makeNotifyEVChargingNeedsRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("maxScheduleTuples", PayloadSchema.integer()),
                PayloadSchema.Property("chargingNeeds", OCPP201Definitions.chargingNeedsType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
            ],
            required: ["evseId", "chargingNeeds"], additionalProperties: false)
    }

    /// `NotifyEVChargingNeedsResponse.json`.
    static let notifyEVChargingNeedsResponse: PayloadSchema = makeNotifyEVChargingNeedsResponse()

    private static func makeNotifyEVChargingNeedsResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.notifyEVChargingNeedsStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `NotifyEVChargingScheduleRequest.json`.
    static let notifyEVChargingScheduleRequest: PayloadSchema = makeNotifyEVChargingScheduleRequest()

    private static func makeNotifyEVChargingScheduleRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("timeBase", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingSchedule", OCPP201Definitions.chargingScheduleType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
            ],
            required: ["timeBase", "evseId", "chargingSchedule"], additionalProperties: false)
    }

    /// `NotifyEVChargingScheduleResponse.json`.
    static let notifyEVChargingScheduleResponse: PayloadSchema = makeNotifyEVChargingScheduleResponse()

    private static func makeNotifyEVChargingScheduleResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.genericStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `NotifyEventRequest.json`.
    static let notifyEventRequest: PayloadSchema = makeNotifyEventRequest()

    private static func makeNotifyEventRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("generatedAt", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("tbc", PayloadSchema.boolean()),
                PayloadSchema.Property("seqNo", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "eventData", PayloadSchema.array(of: OCPP201Definitions.eventDataType, minItems: 1)),
            ],
            required: ["generatedAt", "seqNo", "eventData"], additionalProperties: false)
    }

    /// `NotifyEventResponse.json`.
    static let notifyEventResponse: PayloadSchema = makeNotifyEventResponse()

    private static func makeNotifyEventResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `NotifyMonitoringReportRequest.json`.
    static let notifyMonitoringReportRequest: PayloadSchema = makeNotifyMonitoringReportRequest()

    private static func makeNotifyMonitoringReportRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "monitor", PayloadSchema.array(of: OCPP201Definitions.monitoringDataType, minItems: 1)),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("tbc", PayloadSchema.boolean()),
                PayloadSchema.Property("seqNo", PayloadSchema.integer()),
                PayloadSchema.Property("generatedAt", PayloadSchema.string(format: .dateTime)),
            ],
            required: ["requestId", "seqNo", "generatedAt"], additionalProperties: false)
    }

    /// `NotifyMonitoringReportResponse.json`.
    static let notifyMonitoringReportResponse: PayloadSchema = makeNotifyMonitoringReportResponse()

    private static func makeNotifyMonitoringReportResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `NotifyReportRequest.json`.
    static let notifyReportRequest: PayloadSchema = makeNotifyReportRequest()

    private static func makeNotifyReportRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("generatedAt", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property(
                    "reportData", PayloadSchema.array(of: OCPP201Definitions.reportDataType, minItems: 1)),
                PayloadSchema.Property("tbc", PayloadSchema.boolean()),
                PayloadSchema.Property("seqNo", PayloadSchema.integer()),
            ],
            required: ["requestId", "generatedAt", "seqNo"], additionalProperties: false)
    }

    /// `NotifyReportResponse.json`.
    static let notifyReportResponse: PayloadSchema = makeNotifyReportResponse()

    private static func makeNotifyReportResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }
}
