// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Definitions {
    /// `ConnectorStatusEnumType`.
    static let connectorStatusEnumType: PayloadSchema = makeConnectorStatusEnumType()

    private static func makeConnectorStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Available", "Occupied", "Reserved", "Unavailable", "Faulted"])
    }

    /// `ConsumptionCostType`.
    static let consumptionCostType: PayloadSchema = makeConsumptionCostType()

    private static func makeConsumptionCostType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("startValue", PayloadSchema.number()),
                PayloadSchema.Property(
                    "cost", PayloadSchema.array(of: OCPP201Definitions.costType, minItems: 1, maxItems: 3)),
            ],
            required: ["startValue", "cost"], additionalProperties: false)
    }

    /// `CostKindEnumType`.
    static let costKindEnumType: PayloadSchema = makeCostKindEnumType()

    private static func makeCostKindEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "CarbonDioxideEmission", "RelativePricePercentage", "RenewableGenerationPercentage",
        ])
    }

    /// `CostType`.
    static let costType: PayloadSchema = makeCostType()

    private static func makeCostType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("costKind", OCPP201Definitions.costKindEnumType),
                PayloadSchema.Property("amount", PayloadSchema.integer()),
                PayloadSchema.Property("amountMultiplier", PayloadSchema.integer()),
            ],
            required: ["costKind", "amount"], additionalProperties: false)
    }

    /// `CustomDataType`.
    static let customDataType: PayloadSchema = makeCustomDataType()

    private static func makeCustomDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("vendorId", PayloadSchema.string(maxLength: 255))
            ],
            required: ["vendorId"], additionalProperties: true)
    }

    /// `CustomerInformationStatusEnumType`.
    static let customerInformationStatusEnumType: PayloadSchema = makeCustomerInformationStatusEnumType()

    private static func makeCustomerInformationStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "Invalid"])
    }

    /// `DataEnumType`.
    static let dataEnumType: PayloadSchema = makeDataEnumType()

    private static func makeDataEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "string", "decimal", "integer", "dateTime", "boolean", "OptionList", "SequenceList", "MemberList",
        ])
    }

    /// `DataTransferStatusEnumType`.
    static let dataTransferStatusEnumType: PayloadSchema = makeDataTransferStatusEnumType()

    private static func makeDataTransferStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"])
    }

    /// `DCChargingParametersType`.
    static let dcChargingParametersType: PayloadSchema = makeDcChargingParametersType()

    private static func makeDcChargingParametersType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evMaxCurrent", PayloadSchema.integer()),
                PayloadSchema.Property("evMaxVoltage", PayloadSchema.integer()),
                PayloadSchema.Property("energyAmount", PayloadSchema.integer()),
                PayloadSchema.Property("evMaxPower", PayloadSchema.integer()),
                PayloadSchema.Property("stateOfCharge", PayloadSchema.integer(minimum: 0.0, maximum: 100.0)),
                PayloadSchema.Property("evEnergyCapacity", PayloadSchema.integer()),
                PayloadSchema.Property("fullSoC", PayloadSchema.integer(minimum: 0.0, maximum: 100.0)),
                PayloadSchema.Property("bulkSoC", PayloadSchema.integer(minimum: 0.0, maximum: 100.0)),
            ],
            required: ["evMaxCurrent", "evMaxVoltage"], additionalProperties: false)
    }

    /// `DeleteCertificateStatusEnumType`.
    static let deleteCertificateStatusEnumType: PayloadSchema = makeDeleteCertificateStatusEnumType()

    private static func makeDeleteCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Failed", "NotFound"])
    }

    /// `DisplayMessageStatusEnumType`.
    static let displayMessageStatusEnumType: PayloadSchema = makeDisplayMessageStatusEnumType()

    private static func makeDisplayMessageStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "NotSupportedMessageFormat", "Rejected", "NotSupportedPriority", "NotSupportedState",
            "UnknownTransaction",
        ])
    }

    /// `EnergyTransferModeEnumType`.
    static let energyTransferModeEnumType: PayloadSchema = makeEnergyTransferModeEnumType()

    private static func makeEnergyTransferModeEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["DC", "AC_single_phase", "AC_two_phase", "AC_three_phase"])
    }

    /// `EventDataType`.
    static let eventDataType: PayloadSchema = makeEventDataType()

    private static func makeEventDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("eventId", PayloadSchema.integer()),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("trigger", OCPP201Definitions.eventTriggerEnumType),
                PayloadSchema.Property("cause", PayloadSchema.integer()),
                PayloadSchema.Property("actualValue", PayloadSchema.string(maxLength: 2500)),
                PayloadSchema.Property("techCode", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("techInfo", PayloadSchema.string(maxLength: 500)),
                PayloadSchema.Property("cleared", PayloadSchema.boolean()),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variableMonitoringId", PayloadSchema.integer()),
                PayloadSchema.Property("eventNotificationType", OCPP201Definitions.eventNotificationEnumType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: [
                "eventId", "timestamp", "trigger", "actualValue", "eventNotificationType", "component", "variable",
            ], additionalProperties: false)
    }

    /// `EventNotificationEnumType`.
    static let eventNotificationEnumType: PayloadSchema = makeEventNotificationEnumType()

    private static func makeEventNotificationEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "HardWiredNotification", "HardWiredMonitor", "PreconfiguredMonitor", "CustomMonitor",
        ])
    }

    /// `EventTriggerEnumType`.
    static let eventTriggerEnumType: PayloadSchema = makeEventTriggerEnumType()

    private static func makeEventTriggerEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Alerting", "Delta", "Periodic"])
    }

    /// `EVSEType`.
    static let evseType: PayloadSchema = makeEvseType()

    private static func makeEvseType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
            ],
            required: ["id"], additionalProperties: false)
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
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("location", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("retrieveDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("installDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("signingCertificate", PayloadSchema.string(maxLength: 5500)),
                PayloadSchema.Property("signature", PayloadSchema.string(maxLength: 800)),
            ],
            required: ["location", "retrieveDateTime"], additionalProperties: false)
    }

    /// `GenericDeviceModelStatusEnumType`.
    static let genericDeviceModelStatusEnumType: PayloadSchema = makeGenericDeviceModelStatusEnumType()

    private static func makeGenericDeviceModelStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "NotSupported", "EmptyResultSet"])
    }

    /// `GenericStatusEnumType`.
    static let genericStatusEnumType: PayloadSchema = makeGenericStatusEnumType()

    private static func makeGenericStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `GetCertificateIdUseEnumType`.
    static let getCertificateIdUseEnumType: PayloadSchema = makeGetCertificateIdUseEnumType()

    private static func makeGetCertificateIdUseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "V2GCertificateChain",
            "ManufacturerRootCertificate",
        ])
    }

    /// `GetCertificateStatusEnumType`.
    static let getCertificateStatusEnumType: PayloadSchema = makeGetCertificateStatusEnumType()

    private static func makeGetCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Failed"])
    }

    /// `GetChargingProfileStatusEnumType`.
    static let getChargingProfileStatusEnumType: PayloadSchema = makeGetChargingProfileStatusEnumType()

    private static func makeGetChargingProfileStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "NoProfiles"])
    }

    /// `GetDisplayMessagesStatusEnumType`.
    static let getDisplayMessagesStatusEnumType: PayloadSchema = makeGetDisplayMessagesStatusEnumType()

    private static func makeGetDisplayMessagesStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Unknown"])
    }

    /// `GetInstalledCertificateStatusEnumType`.
    static let getInstalledCertificateStatusEnumType: PayloadSchema = makeGetInstalledCertificateStatusEnumType()

    private static func makeGetInstalledCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "NotFound"])
    }

    /// `GetVariableDataType`.
    static let getVariableDataType: PayloadSchema = makeGetVariableDataType()

    private static func makeGetVariableDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("attributeType", OCPP201Definitions.attributeEnumType),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: ["component", "variable"], additionalProperties: false)
    }

    /// `GetVariableResultType`.
    static let getVariableResultType: PayloadSchema = makeGetVariableResultType()

    private static func makeGetVariableResultType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("attributeStatusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("attributeStatus", OCPP201Definitions.getVariableStatusEnumType),
                PayloadSchema.Property("attributeType", OCPP201Definitions.attributeEnumType),
                PayloadSchema.Property("attributeValue", PayloadSchema.string(maxLength: 2500)),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: ["attributeStatus", "component", "variable"], additionalProperties: false)
    }

    /// `GetVariableStatusEnumType`.
    static let getVariableStatusEnumType: PayloadSchema = makeGetVariableStatusEnumType()

    private static func makeGetVariableStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType",
        ])
    }

    /// `HashAlgorithmEnumType`.
    static let hashAlgorithmEnumType: PayloadSchema = makeHashAlgorithmEnumType()

    private static func makeHashAlgorithmEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["SHA256", "SHA384", "SHA512"])
    }

    /// `IdTokenEnumType`.
    static let idTokenEnumType: PayloadSchema = makeIdTokenEnumType()

    private static func makeIdTokenEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization",
        ])
    }

    /// `IdTokenInfoType`.
    static let idTokenInfoType: PayloadSchema = makeIdTokenInfoType()

    private static func makeIdTokenInfoType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.authorizationStatusEnumType),
                PayloadSchema.Property("cacheExpiryDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingPriority", PayloadSchema.integer()),
                PayloadSchema.Property("language1", PayloadSchema.string(maxLength: 8)),
                PayloadSchema.Property("evseId", PayloadSchema.array(of: PayloadSchema.integer(), minItems: 1)),
                PayloadSchema.Property("groupIdToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("language2", PayloadSchema.string(maxLength: 8)),
                PayloadSchema.Property("personalMessage", OCPP201Definitions.messageContentType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `IdTokenType`.
    static let idTokenType: PayloadSchema = makeIdTokenType()

    private static func makeIdTokenType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "additionalInfo", PayloadSchema.array(of: OCPP201Definitions.additionalInfoType, minItems: 1)),
                PayloadSchema.Property("idToken", PayloadSchema.string(maxLength: 36)),
                PayloadSchema.Property("type", OCPP201Definitions.idTokenEnumType),
            ],
            required: ["idToken", "type"], additionalProperties: false)
    }

    /// `InstallCertificateStatusEnumType`.
    static let installCertificateStatusEnumType: PayloadSchema = makeInstallCertificateStatusEnumType()

    private static func makeInstallCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "Failed"])
    }

    /// `InstallCertificateUseEnumType`.
    static let installCertificateUseEnumType: PayloadSchema = makeInstallCertificateUseEnumType()

    private static func makeInstallCertificateUseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "ManufacturerRootCertificate",
        ])
    }

    /// `Iso15118EVCertificateStatusEnumType`.
    static let iso15118EVCertificateStatusEnumType: PayloadSchema = makeIso15118EVCertificateStatusEnumType()

    private static func makeIso15118EVCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Failed"])
    }

    /// `LocationEnumType`.
    static let locationEnumType: PayloadSchema = makeLocationEnumType()

    private static func makeLocationEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Body", "Cable", "EV", "Inlet", "Outlet"])
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
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
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

    /// `MeasurandEnumType`.
    static let measurandEnumType: PayloadSchema = makeMeasurandEnumType()

    private static func makeMeasurandEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Current.Export", "Current.Import", "Current.Offered", "Energy.Active.Export.Register",
            "Energy.Active.Import.Register", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
            "Energy.Active.Export.Interval", "Energy.Active.Import.Interval", "Energy.Active.Net",
            "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Energy.Reactive.Net",
            "Energy.Apparent.Net", "Energy.Apparent.Import", "Energy.Apparent.Export", "Frequency",
            "Power.Active.Export", "Power.Active.Import", "Power.Factor", "Power.Offered", "Power.Reactive.Export",
            "Power.Reactive.Import", "SoC", "Voltage",
        ])
    }
}
