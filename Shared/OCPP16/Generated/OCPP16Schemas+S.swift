// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `SecurityEventNotification.json`.
    static let securityEventNotificationRequest: PayloadSchema = makeSecurityEventNotificationRequest()

    private static func makeSecurityEventNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
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
            [],
            required: [], additionalProperties: false)
    }

    /// `SendLocalList.json`.
    static let sendLocalListRequest: PayloadSchema = makeSendLocalListRequest()

    private static func makeSendLocalListRequest() -> PayloadSchema {
        let localAuthorizationListItemIdTagInfoSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("expiryDate", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("parentIdTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"])),
            ],
            required: ["status"], additionalProperties: false)
        let localAuthorizationListItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("idTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("idTagInfo", localAuthorizationListItemIdTagInfoSchema),
            ],
            required: ["idTag"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("listVersion", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "localAuthorizationList", PayloadSchema.array(of: localAuthorizationListItemSchema)),
                PayloadSchema.Property("updateType", PayloadSchema.enumeration(["Differential", "Full"])),
            ],
            required: ["listVersion", "updateType"], additionalProperties: false)
    }

    /// `SendLocalListResponse.json`.
    static let sendLocalListResponse: PayloadSchema = makeSendLocalListResponse()

    private static func makeSendLocalListResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Failed", "NotSupported", "VersionMismatch"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SetChargingProfile.json`.
    static let setChargingProfileRequest: PayloadSchema = makeSetChargingProfileRequest()

    private static func makeSetChargingProfileRequest() -> PayloadSchema {
        let csChargingProfilesChargingScheduleChargingSchedulePeriodItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("startPeriod", PayloadSchema.integer()),
                PayloadSchema.Property("limit", PayloadSchema.number(multipleOf: 0.1)),
                PayloadSchema.Property("numberPhases", PayloadSchema.integer()),
            ],
            required: ["startPeriod", "limit"], additionalProperties: false)
        let csChargingProfilesChargingScheduleSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("startSchedule", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingRateUnit", PayloadSchema.enumeration(["A", "W"])),
                PayloadSchema.Property(
                    "chargingSchedulePeriod",
                    PayloadSchema.array(of: csChargingProfilesChargingScheduleChargingSchedulePeriodItemSchema)),
                PayloadSchema.Property("minChargingRate", PayloadSchema.number(multipleOf: 0.1)),
            ],
            required: ["chargingRateUnit", "chargingSchedulePeriod"], additionalProperties: false)
        let csChargingProfilesSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("chargingProfileId", PayloadSchema.integer()),
                PayloadSchema.Property("transactionId", PayloadSchema.integer()),
                PayloadSchema.Property("stackLevel", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "chargingProfilePurpose",
                    PayloadSchema.enumeration(["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"])),
                PayloadSchema.Property(
                    "chargingProfileKind", PayloadSchema.enumeration(["Absolute", "Recurring", "Relative"])),
                PayloadSchema.Property("recurrencyKind", PayloadSchema.enumeration(["Daily", "Weekly"])),
                PayloadSchema.Property("validFrom", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("validTo", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingSchedule", csChargingProfilesChargingScheduleSchema),
            ],
            required: [
                "chargingProfileId", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule",
            ], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("csChargingProfiles", csChargingProfilesSchema),
            ],
            required: ["connectorId", "csChargingProfiles"], additionalProperties: false)
    }

    /// `SetChargingProfileResponse.json`.
    static let setChargingProfileResponse: PayloadSchema = makeSetChargingProfileResponse()

    private static func makeSetChargingProfileResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected", "NotSupported"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SignCertificate.json`.
    static let signCertificateRequest: PayloadSchema = makeSignCertificateRequest()

    private static func makeSignCertificateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("csr", PayloadSchema.string(maxLength: 5500))
            ],
            required: ["csr"], additionalProperties: false)
    }

    /// `SignCertificateResponse.json`.
    static let signCertificateResponse: PayloadSchema = makeSignCertificateResponse()

    private static func makeSignCertificateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.genericStatusEnumType)
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SignedFirmwareStatusNotification.json`.
    static let signedFirmwareStatusNotificationRequest: PayloadSchema = makeSignedFirmwareStatusNotificationRequest()

    private static func makeSignedFirmwareStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.firmwareStatusEnumType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `SignedFirmwareStatusNotificationResponse.json`.
    static let signedFirmwareStatusNotificationResponse: PayloadSchema = makeSignedFirmwareStatusNotificationResponse()

    private static func makeSignedFirmwareStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }

    /// `SignedUpdateFirmware.json`.
    static let signedUpdateFirmwareRequest: PayloadSchema = makeSignedUpdateFirmwareRequest()

    private static func makeSignedUpdateFirmwareRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("retries", PayloadSchema.integer()),
                PayloadSchema.Property("retryInterval", PayloadSchema.integer()),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("firmware", OCPP16Definitions.firmwareType),
            ],
            required: ["requestId", "firmware"], additionalProperties: false)
    }

    /// `SignedUpdateFirmwareResponse.json`.
    static let signedUpdateFirmwareResponse: PayloadSchema = makeSignedUpdateFirmwareResponse()

    private static func makeSignedUpdateFirmwareResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.updateFirmwareStatusEnumType)
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `StartTransaction.json`.
    static let startTransactionRequest: PayloadSchema = makeStartTransactionRequest()

    private static func makeStartTransactionRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("idTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("meterStart", PayloadSchema.integer()),
                PayloadSchema.Property("reservationId", PayloadSchema.integer()),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
            ],
            required: ["connectorId", "idTag", "meterStart", "timestamp"], additionalProperties: false)
    }

    /// `StartTransactionResponse.json`.
    static let startTransactionResponse: PayloadSchema = makeStartTransactionResponse()

    private static func makeStartTransactionResponse() -> PayloadSchema {
        let idTagInfoSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("expiryDate", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("parentIdTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"])),
            ],
            required: ["status"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("idTagInfo", idTagInfoSchema),
                PayloadSchema.Property("transactionId", PayloadSchema.integer()),
            ],
            required: ["idTagInfo", "transactionId"], additionalProperties: false)
    }

    /// `StatusNotification.json`.
    static let statusNotificationRequest: PayloadSchema = makeStatusNotificationRequest()

    private static func makeStatusNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "errorCode",
                    PayloadSchema.enumeration([
                        "ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature",
                        "InternalError", "LocalListConflict", "NoError", "OtherError", "OverCurrentFailure",
                        "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage",
                        "OverVoltage", "WeakSignal",
                    ])),
                PayloadSchema.Property("info", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property(
                    "status",
                    PayloadSchema.enumeration([
                        "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved",
                        "Unavailable", "Faulted",
                    ])),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("vendorId", PayloadSchema.string(maxLength: 255)),
                PayloadSchema.Property("vendorErrorCode", PayloadSchema.string(maxLength: 50)),
            ],
            required: ["connectorId", "errorCode", "status"], additionalProperties: false)
    }

    /// `StatusNotificationResponse.json`.
    static let statusNotificationResponse: PayloadSchema = makeStatusNotificationResponse()

    private static func makeStatusNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }

    /// `StopTransaction.json`.
    static let stopTransactionRequest: PayloadSchema = makeStopTransactionRequest()

    private static func makeStopTransactionRequest() -> PayloadSchema {
        let transactionDataItemSampledValueItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("value", PayloadSchema.string()),
                PayloadSchema.Property(
                    "context",
                    PayloadSchema.enumeration([
                        "Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic",
                        "Transaction.Begin", "Transaction.End", "Trigger", "Other",
                    ])),
                PayloadSchema.Property("format", PayloadSchema.enumeration(["Raw", "SignedData"])),
                PayloadSchema.Property(
                    "measurand",
                    PayloadSchema.enumeration([
                        "Energy.Active.Export.Register", "Energy.Active.Import.Register",
                        "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
                        "Energy.Active.Export.Interval", "Energy.Active.Import.Interval",
                        "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Power.Active.Export",
                        "Power.Active.Import", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import",
                        "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage", "Frequency",
                        "Temperature", "SoC", "RPM",
                    ])),
                PayloadSchema.Property(
                    "phase",
                    PayloadSchema.enumeration([
                        "L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1",
                    ])),
                PayloadSchema.Property(
                    "location", PayloadSchema.enumeration(["Cable", "EV", "Inlet", "Outlet", "Body"])),
                PayloadSchema.Property(
                    "unit",
                    PayloadSchema.enumeration([
                        "Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celcius",
                        "Celsius", "Fahrenheit", "Percent",
                    ])),
            ],
            required: ["value"], additionalProperties: false)
        let transactionDataItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property(
                    "sampledValue", PayloadSchema.array(of: transactionDataItemSampledValueItemSchema)),
            ],
            required: ["timestamp", "sampledValue"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("idTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("meterStop", PayloadSchema.integer()),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("transactionId", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "reason",
                    PayloadSchema.enumeration([
                        "EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot",
                        "Remote", "SoftReset", "UnlockCommand", "DeAuthorized",
                    ])),
                PayloadSchema.Property("transactionData", PayloadSchema.array(of: transactionDataItemSchema)),
            ],
            required: ["transactionId", "timestamp", "meterStop"], additionalProperties: false)
    }

    /// `StopTransactionResponse.json`.
    static let stopTransactionResponse: PayloadSchema = makeStopTransactionResponse()

    private static func makeStopTransactionResponse() -> PayloadSchema {
        let idTagInfoSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("expiryDate", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("parentIdTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"])),
            ],
            required: ["status"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("idTagInfo", idTagInfoSchema)
            ],
            required: [], additionalProperties: false)
    }
}
