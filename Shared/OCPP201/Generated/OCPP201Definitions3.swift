// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Definitions {
    /// `MessageContentType`.
    static let messageContentType: PayloadSchema = makeMessageContentType()

    private static func makeMessageContentType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("format", OCPP201Definitions.messageFormatEnumType),
                PayloadSchema.Property("language", PayloadSchema.string(maxLength: 8)),
                PayloadSchema.Property("content", PayloadSchema.string(maxLength: 512)),
            ],
            required: ["format", "content"], additionalProperties: false)
    }

    /// `MessageFormatEnumType`.
    static let messageFormatEnumType: PayloadSchema = makeMessageFormatEnumType()

    private static func makeMessageFormatEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["ASCII", "HTML", "URI", "UTF8"])
    }

    /// `MessageInfoType`.
    static let messageInfoType: PayloadSchema = makeMessageInfoType()

    private static func makeMessageInfoType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("display", OCPP201Definitions.componentType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("priority", OCPP201Definitions.messagePriorityEnumType),
                PayloadSchema.Property("state", OCPP201Definitions.messageStateEnumType),
                PayloadSchema.Property("startDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("endDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
                PayloadSchema.Property("message", OCPP201Definitions.messageContentType),
            ],
            required: ["id", "priority", "message"], additionalProperties: false)
    }

    /// `MessagePriorityEnumType`.
    static let messagePriorityEnumType: PayloadSchema = makeMessagePriorityEnumType()

    private static func makeMessagePriorityEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["AlwaysFront", "InFront", "NormalCycle"])
    }

    /// `MessageStateEnumType`.
    static let messageStateEnumType: PayloadSchema = makeMessageStateEnumType()

    private static func makeMessageStateEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Charging", "Faulted", "Idle", "Unavailable"])
    }

    /// `MessageTriggerEnumType`.
    static let messageTriggerEnumType: PayloadSchema = makeMessageTriggerEnumType()

    private static func makeMessageTriggerEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
            "SignChargingStationCertificate", "SignV2GCertificate", "StatusNotification", "TransactionEvent",
            "SignCombinedCertificate", "PublishFirmwareStatusNotification",
        ])
    }

    /// `MeterValueType`.
    static let meterValueType: PayloadSchema = makeMeterValueType()

    private static func makeMeterValueType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "sampledValue", PayloadSchema.array(of: OCPP201Definitions.sampledValueType, minItems: 1)),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
            ],
            required: ["timestamp", "sampledValue"], additionalProperties: false)
    }

    /// `ModemType`.
    static let modemType: PayloadSchema = makeModemType()

    private static func makeModemType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("iccid", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("imsi", PayloadSchema.string(maxLength: 20)),
            ],
            required: [], additionalProperties: false)
    }

    /// `MonitorEnumType`.
    static let monitorEnumType: PayloadSchema = makeMonitorEnumType()

    private static func makeMonitorEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned",
        ])
    }

    /// `MonitoringBaseEnumType`.
    static let monitoringBaseEnumType: PayloadSchema = makeMonitoringBaseEnumType()

    private static func makeMonitoringBaseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["All", "FactoryDefault", "HardWiredOnly"])
    }

    /// `MonitoringCriterionEnumType`.
    static let monitoringCriterionEnumType: PayloadSchema = makeMonitoringCriterionEnumType()

    private static func makeMonitoringCriterionEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring"])
    }

    /// `MonitoringDataType`.
    static let monitoringDataType: PayloadSchema = makeMonitoringDataType()

    private static func makeMonitoringDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
                PayloadSchema.Property(
                    "variableMonitoring",
                    PayloadSchema.array(of: OCPP201Definitions.variableMonitoringType, minItems: 1)),
            ],
            required: ["component", "variable", "variableMonitoring"], additionalProperties: false)
    }

    /// `MutabilityEnumType`.
    static let mutabilityEnumType: PayloadSchema = makeMutabilityEnumType()

    private static func makeMutabilityEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["ReadOnly", "WriteOnly", "ReadWrite"])
    }

    /// `NetworkConnectionProfileType`.
    static let networkConnectionProfileType: PayloadSchema = makeNetworkConnectionProfileType()

    private static func makeNetworkConnectionProfileType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("apn", OCPP201Definitions.apnType),
                PayloadSchema.Property("ocppVersion", OCPP201Definitions.ocppVersionEnumType),
                PayloadSchema.Property("ocppTransport", OCPP201Definitions.ocppTransportEnumType),
                PayloadSchema.Property("ocppCsmsUrl", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("messageTimeout", PayloadSchema.integer()),
                PayloadSchema.Property("securityProfile", PayloadSchema.integer()),
                PayloadSchema.Property("ocppInterface", OCPP201Definitions.ocppInterfaceEnumType),
                PayloadSchema.Property("vpn", OCPP201Definitions.vpnType),
            ],
            required: [
                "ocppVersion", "ocppTransport", "ocppCsmsUrl", "messageTimeout", "securityProfile", "ocppInterface",
            ], additionalProperties: false)
    }

    /// `NotifyEVChargingNeedsStatusEnumType`.
    static let notifyEVChargingNeedsStatusEnumType: PayloadSchema = makeNotifyEVChargingNeedsStatusEnumType()

    private static func makeNotifyEVChargingNeedsStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "Processing"])
    }

    /// `OCPPInterfaceEnumType`.
    static let ocppInterfaceEnumType: PayloadSchema = makeOcppInterfaceEnumType()

    private static func makeOcppInterfaceEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3",
        ])
    }

    /// `OCPPTransportEnumType`.
    static let ocppTransportEnumType: PayloadSchema = makeOcppTransportEnumType()

    private static func makeOcppTransportEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["JSON", "SOAP"])
    }

    /// `OCPPVersionEnumType`.
    static let ocppVersionEnumType: PayloadSchema = makeOcppVersionEnumType()

    private static func makeOcppVersionEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["OCPP12", "OCPP15", "OCPP16", "OCPP20"])
    }

    /// `OCSPRequestDataType`.
    static let ocspRequestDataType: PayloadSchema = makeOcspRequestDataType()

    private static func makeOcspRequestDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("hashAlgorithm", OCPP201Definitions.hashAlgorithmEnumType),
                PayloadSchema.Property("issuerNameHash", PayloadSchema.string(maxLength: 128)),
                PayloadSchema.Property("issuerKeyHash", PayloadSchema.string(maxLength: 128)),
                PayloadSchema.Property("serialNumber", PayloadSchema.string(maxLength: 40)),
                PayloadSchema.Property("responderURL", PayloadSchema.string(maxLength: 512)),
            ],
            required: ["hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber", "responderURL"],
            additionalProperties: false)
    }

    /// `OperationalStatusEnumType`.
    static let operationalStatusEnumType: PayloadSchema = makeOperationalStatusEnumType()

    private static func makeOperationalStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Inoperative", "Operative"])
    }

    /// `PhaseEnumType`.
    static let phaseEnumType: PayloadSchema = makePhaseEnumType()

    private static func makePhaseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"])
    }

    /// `PublishFirmwareStatusEnumType`.
    static let publishFirmwareStatusEnumType: PayloadSchema = makePublishFirmwareStatusEnumType()

    private static func makePublishFirmwareStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Idle", "DownloadScheduled", "Downloading", "Downloaded", "Published", "DownloadFailed", "DownloadPaused",
            "InvalidChecksum", "ChecksumVerified", "PublishFailed",
        ])
    }

    /// `ReadingContextEnumType`.
    static let readingContextEnumType: PayloadSchema = makeReadingContextEnumType()

    private static func makeReadingContextEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Interruption.Begin", "Interruption.End", "Other", "Sample.Clock", "Sample.Periodic", "Transaction.Begin",
            "Transaction.End", "Trigger",
        ])
    }

    /// `ReasonEnumType`.
    static let reasonEnumType: PayloadSchema = makeReasonEnumType()

    private static func makeReasonEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "DeAuthorized", "EmergencyStop", "EnergyLimitReached", "EVDisconnected", "GroundFault", "ImmediateReset",
            "Local", "LocalOutOfCredit", "MasterPass", "Other", "OvercurrentFault", "PowerLoss", "PowerQuality",
            "Reboot", "Remote", "SOCLimitReached", "StoppedByEV", "TimeLimitReached", "Timeout",
        ])
    }

    /// `RecurrencyKindEnumType`.
    static let recurrencyKindEnumType: PayloadSchema = makeRecurrencyKindEnumType()

    private static func makeRecurrencyKindEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Daily", "Weekly"])
    }

    /// `RegistrationStatusEnumType`.
    static let registrationStatusEnumType: PayloadSchema = makeRegistrationStatusEnumType()

    private static func makeRegistrationStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Pending", "Rejected"])
    }

    /// `RelativeTimeIntervalType`.
    static let relativeTimeIntervalType: PayloadSchema = makeRelativeTimeIntervalType()

    private static func makeRelativeTimeIntervalType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("start", PayloadSchema.integer()),
                PayloadSchema.Property("duration", PayloadSchema.integer()),
            ],
            required: ["start"], additionalProperties: false)
    }

    /// `ReportBaseEnumType`.
    static let reportBaseEnumType: PayloadSchema = makeReportBaseEnumType()

    private static func makeReportBaseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["ConfigurationInventory", "FullInventory", "SummaryInventory"])
    }

    /// `ReportDataType`.
    static let reportDataType: PayloadSchema = makeReportDataType()

    private static func makeReportDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
                PayloadSchema.Property(
                    "variableAttribute",
                    PayloadSchema.array(of: OCPP201Definitions.variableAttributeType, minItems: 1, maxItems: 4)),
                PayloadSchema.Property("variableCharacteristics", OCPP201Definitions.variableCharacteristicsType),
            ],
            required: ["component", "variable", "variableAttribute"], additionalProperties: false)
    }

    /// `RequestStartStopStatusEnumType`.
    static let requestStartStopStatusEnumType: PayloadSchema = makeRequestStartStopStatusEnumType()

    private static func makeRequestStartStopStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `ReservationUpdateStatusEnumType`.
    static let reservationUpdateStatusEnumType: PayloadSchema = makeReservationUpdateStatusEnumType()

    private static func makeReservationUpdateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Expired", "Removed"])
    }

    /// `ReserveNowStatusEnumType`.
    static let reserveNowStatusEnumType: PayloadSchema = makeReserveNowStatusEnumType()

    private static func makeReserveNowStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"])
    }

    /// `ResetEnumType`.
    static let resetEnumType: PayloadSchema = makeResetEnumType()

    private static func makeResetEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Immediate", "OnIdle"])
    }

    /// `ResetStatusEnumType`.
    static let resetStatusEnumType: PayloadSchema = makeResetStatusEnumType()

    private static func makeResetStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "Scheduled"])
    }

    /// `SalesTariffEntryType`.
    static let salesTariffEntryType: PayloadSchema = makeSalesTariffEntryType()

    private static func makeSalesTariffEntryType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("relativeTimeInterval", OCPP201Definitions.relativeTimeIntervalType),
                PayloadSchema.Property("ePriceLevel", PayloadSchema.integer(minimum: 0.0)),
                PayloadSchema.Property(
                    "consumptionCost",
                    PayloadSchema.array(of: OCPP201Definitions.consumptionCostType, minItems: 1, maxItems: 3)),
            ],
            required: ["relativeTimeInterval"], additionalProperties: false)
    }

    /// `SalesTariffType`.
    static let salesTariffType: PayloadSchema = makeSalesTariffType()

    private static func makeSalesTariffType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("salesTariffDescription", PayloadSchema.string(maxLength: 32)),
                PayloadSchema.Property("numEPriceLevels", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "salesTariffEntry",
                    PayloadSchema.array(of: OCPP201Definitions.salesTariffEntryType, minItems: 1, maxItems: 1024)),
            ],
            required: ["id", "salesTariffEntry"], additionalProperties: false)
    }

    /// `SampledValueType`.
    static let sampledValueType: PayloadSchema = makeSampledValueType()

    private static func makeSampledValueType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("value", PayloadSchema.number()),
                PayloadSchema.Property("context", OCPP201Definitions.readingContextEnumType),
                PayloadSchema.Property("measurand", OCPP201Definitions.measurandEnumType),
                PayloadSchema.Property("phase", OCPP201Definitions.phaseEnumType),
                PayloadSchema.Property("location", OCPP201Definitions.locationEnumType),
                PayloadSchema.Property("signedMeterValue", OCPP201Definitions.signedMeterValueType),
                PayloadSchema.Property("unitOfMeasure", OCPP201Definitions.unitOfMeasureType),
            ],
            required: ["value"], additionalProperties: false)
    }

    /// `SendLocalListStatusEnumType`.
    static let sendLocalListStatusEnumType: PayloadSchema = makeSendLocalListStatusEnumType()

    private static func makeSendLocalListStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Failed", "VersionMismatch"])
    }

    /// `SetMonitoringDataType`.
    static let setMonitoringDataType: PayloadSchema = makeSetMonitoringDataType()

    private static func makeSetMonitoringDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("transaction", PayloadSchema.boolean()),
                PayloadSchema.Property("value", PayloadSchema.number()),
                PayloadSchema.Property("type", OCPP201Definitions.monitorEnumType),
                PayloadSchema.Property("severity", PayloadSchema.integer()),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: ["value", "type", "severity", "component", "variable"], additionalProperties: false)
    }

    /// `SetMonitoringResultType`.
    static let setMonitoringResultType: PayloadSchema = makeSetMonitoringResultType()

    private static func makeSetMonitoringResultType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("status", OCPP201Definitions.setMonitoringStatusEnumType),
                PayloadSchema.Property("type", OCPP201Definitions.monitorEnumType),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
                PayloadSchema.Property("severity", PayloadSchema.integer()),
            ],
            required: ["status", "type", "severity", "component", "variable"], additionalProperties: false)
    }
}
