// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

/// Types shared by several OCPP 2.0.1 messages (`definitions` in the OCA schemas).
enum OCPP201Definitions {
    /// `ACChargingParametersType`.
    static let acChargingParametersType: PayloadSchema = makeAcChargingParametersType()

    private static func makeAcChargingParametersType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("energyAmount", PayloadSchema.integer()),
                PayloadSchema.Property("evMinCurrent", PayloadSchema.integer()),
                PayloadSchema.Property("evMaxCurrent", PayloadSchema.integer()),
                PayloadSchema.Property("evMaxVoltage", PayloadSchema.integer()),
            ],
            required: ["energyAmount", "evMinCurrent", "evMaxCurrent", "evMaxVoltage"], additionalProperties: false)
    }

    /// `AdditionalInfoType`.
    static let additionalInfoType: PayloadSchema = makeAdditionalInfoType()

    private static func makeAdditionalInfoType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("additionalIdToken", PayloadSchema.string(maxLength: 36)),
                PayloadSchema.Property("type", PayloadSchema.string(maxLength: 50)),
            ],
            required: ["additionalIdToken", "type"], additionalProperties: false)
    }

    /// `APNAuthenticationEnumType`.
    static let apnAuthenticationEnumType: PayloadSchema = makeApnAuthenticationEnumType()

    private static func makeApnAuthenticationEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["CHAP", "NONE", "PAP", "AUTO"])
    }

    /// `APNType`.
    static let apnType: PayloadSchema = makeApnType()

    private static func makeApnType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("apn", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("apnUserName", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("apnPassword", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("simPin", PayloadSchema.integer()),
                PayloadSchema.Property("preferredNetwork", PayloadSchema.string(maxLength: 6)),
                PayloadSchema.Property("useOnlyPreferredNetwork", PayloadSchema.boolean()),
                PayloadSchema.Property("apnAuthentication", OCPP201Definitions.apnAuthenticationEnumType),
            ],
            required: ["apn", "apnAuthentication"], additionalProperties: false)
    }

    /// `AttributeEnumType`.
    static let attributeEnumType: PayloadSchema = makeAttributeEnumType()

    private static func makeAttributeEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Actual", "Target", "MinSet", "MaxSet"])
    }

    /// `AuthorizationData`.
    static let authorizationData: PayloadSchema = makeAuthorizationData()

    private static func makeAuthorizationData() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("idToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("idTokenInfo", OCPP201Definitions.idTokenInfoType),
            ],
            required: ["idToken"], additionalProperties: false)
    }

    /// `AuthorizationStatusEnumType`.
    static let authorizationStatusEnumType: PayloadSchema = makeAuthorizationStatusEnumType()

    private static func makeAuthorizationStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "Blocked", "ConcurrentTx", "Expired", "Invalid", "NoCredit", "NotAllowedTypeEVSE",
            "NotAtThisLocation", "NotAtThisTime", "Unknown",
        ])
    }

    /// `AuthorizeCertificateStatusEnumType`.
    static let authorizeCertificateStatusEnumType: PayloadSchema = makeAuthorizeCertificateStatusEnumType()

    private static func makeAuthorizeCertificateStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "SignatureError", "CertificateExpired", "CertificateRevoked", "NoCertificateAvailable",
            "CertChainError", "ContractCancelled",
        ])
    }

    /// `BootReasonEnumType`.
    static let bootReasonEnumType: PayloadSchema = makeBootReasonEnumType()

    private static func makeBootReasonEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset", "Triggered",
            "Unknown", "Watchdog",
        ])
    }

    /// `CancelReservationStatusEnumType`.
    static let cancelReservationStatusEnumType: PayloadSchema = makeCancelReservationStatusEnumType()

    private static func makeCancelReservationStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `CertificateActionEnumType`.
    static let certificateActionEnumType: PayloadSchema = makeCertificateActionEnumType()

    private static func makeCertificateActionEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Install", "Update"])
    }

    /// `CertificateHashDataChainType`.
    static let certificateHashDataChainType: PayloadSchema = makeCertificateHashDataChainType()

    private static func makeCertificateHashDataChainType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("certificateHashData", OCPP201Definitions.certificateHashDataType),
                PayloadSchema.Property("certificateType", OCPP201Definitions.getCertificateIdUseEnumType),
                PayloadSchema.Property(
                    "childCertificateHashData",
                    PayloadSchema.array(of: OCPP201Definitions.certificateHashDataType, minItems: 1, maxItems: 4)),
            ],
            required: ["certificateType", "certificateHashData"], additionalProperties: false)
    }

    /// `CertificateHashDataType`.
    static let certificateHashDataType: PayloadSchema = makeCertificateHashDataType()

    private static func makeCertificateHashDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("hashAlgorithm", OCPP201Definitions.hashAlgorithmEnumType),
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

    /// `CertificateSigningUseEnumType`.
    static let certificateSigningUseEnumType: PayloadSchema = makeCertificateSigningUseEnumType()

    private static func makeCertificateSigningUseEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["ChargingStationCertificate", "V2GCertificate"])
    }

    /// `ChangeAvailabilityStatusEnumType`.
    static let changeAvailabilityStatusEnumType: PayloadSchema = makeChangeAvailabilityStatusEnumType()

    private static func makeChangeAvailabilityStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "Scheduled"])
    }

    /// `ChargingLimitSourceEnumType`.
    static let chargingLimitSourceEnumType: PayloadSchema = makeChargingLimitSourceEnumType()

    private static func makeChargingLimitSourceEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["EMS", "Other", "SO", "CSO"])
    }

    /// `ChargingLimitType`.
    static let chargingLimitType: PayloadSchema = makeChargingLimitType()

    private static func makeChargingLimitType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("chargingLimitSource", OCPP201Definitions.chargingLimitSourceEnumType),
                PayloadSchema.Property("isGridCritical", PayloadSchema.boolean()),
            ],
            required: ["chargingLimitSource"], additionalProperties: false)
    }

    /// `ChargingNeedsType`.
    static let chargingNeedsType: PayloadSchema = makeChargingNeedsType()

    private static func makeChargingNeedsType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("acChargingParameters", OCPP201Definitions.acChargingParametersType),
                PayloadSchema.Property("dcChargingParameters", OCPP201Definitions.dcChargingParametersType),
                PayloadSchema.Property("requestedEnergyTransfer", OCPP201Definitions.energyTransferModeEnumType),
                PayloadSchema.Property("departureTime", PayloadSchema.string(format: .dateTime)),
            ],
            required: ["requestedEnergyTransfer"], additionalProperties: false)
    }

    /// `ChargingProfileCriterionType`.
    static let chargingProfileCriterionType: PayloadSchema = makeChargingProfileCriterionType()

    private static func makeChargingProfileCriterionType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("chargingProfilePurpose", OCPP201Definitions.chargingProfilePurposeEnumType),
                PayloadSchema.Property("stackLevel", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "chargingProfileId", PayloadSchema.array(of: PayloadSchema.integer(), minItems: 1)),
                PayloadSchema.Property(
                    "chargingLimitSource",
                    PayloadSchema.array(of: OCPP201Definitions.chargingLimitSourceEnumType, minItems: 1, maxItems: 4)),
            ],
            required: [], additionalProperties: false)
    }

    /// `ChargingProfileKindEnumType`.
    static let chargingProfileKindEnumType: PayloadSchema = makeChargingProfileKindEnumType()

    private static func makeChargingProfileKindEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Absolute", "Recurring", "Relative"])
    }

    /// `ChargingProfilePurposeEnumType`.
    static let chargingProfilePurposeEnumType: PayloadSchema = makeChargingProfilePurposeEnumType()

    private static func makeChargingProfilePurposeEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile",
        ])
    }

    /// `ChargingProfileStatusEnumType`.
    static let chargingProfileStatusEnumType: PayloadSchema = makeChargingProfileStatusEnumType()

    private static func makeChargingProfileStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `ChargingProfileType`.
    static let chargingProfileType: PayloadSchema = makeChargingProfileType()

    private static func makeChargingProfileType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("stackLevel", PayloadSchema.integer()),
                PayloadSchema.Property("chargingProfilePurpose", OCPP201Definitions.chargingProfilePurposeEnumType),
                PayloadSchema.Property("chargingProfileKind", OCPP201Definitions.chargingProfileKindEnumType),
                PayloadSchema.Property("recurrencyKind", OCPP201Definitions.recurrencyKindEnumType),
                PayloadSchema.Property("validFrom", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("validTo", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property(
                    "chargingSchedule",
                    PayloadSchema.array(of: OCPP201Definitions.chargingScheduleType, minItems: 1, maxItems: 3)),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
            ],
            required: ["id", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule"],
            additionalProperties: false)
    }

    /// `ChargingRateUnitEnumType`.
    static let chargingRateUnitEnumType: PayloadSchema = makeChargingRateUnitEnumType()

    private static func makeChargingRateUnitEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["W", "A"])
    }

    /// `ChargingSchedulePeriodType`.
    static let chargingSchedulePeriodType: PayloadSchema = makeChargingSchedulePeriodType()

    private static func makeChargingSchedulePeriodType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("startPeriod", PayloadSchema.integer()),
                PayloadSchema.Property("limit", PayloadSchema.number()),
                PayloadSchema.Property("numberPhases", PayloadSchema.integer()),
                PayloadSchema.Property("phaseToUse", PayloadSchema.integer()),
            ],
            required: ["startPeriod", "limit"], additionalProperties: false)
    }

    /// `ChargingScheduleType`.
    static let chargingScheduleType: PayloadSchema = makeChargingScheduleType()

    private static func makeChargingScheduleType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("startSchedule", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("chargingRateUnit", OCPP201Definitions.chargingRateUnitEnumType),
                PayloadSchema.Property(
                    "chargingSchedulePeriod",
                    PayloadSchema.array(of: OCPP201Definitions.chargingSchedulePeriodType, minItems: 1, maxItems: 1024)),
                PayloadSchema.Property("minChargingRate", PayloadSchema.number()),
                PayloadSchema.Property("salesTariff", OCPP201Definitions.salesTariffType),
            ],
            required: ["id", "chargingRateUnit", "chargingSchedulePeriod"], additionalProperties: false)
    }

    /// `ChargingStateEnumType`.
    static let chargingStateEnumType: PayloadSchema = makeChargingStateEnumType()

    private static func makeChargingStateEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle"])
    }

    /// `ChargingStationType`.
    static let chargingStationType: PayloadSchema = makeChargingStationType()

    private static func makeChargingStationType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("serialNumber", PayloadSchema.string(maxLength: 25)),
                PayloadSchema.Property("model", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("modem", OCPP201Definitions.modemType),
                PayloadSchema.Property("vendorName", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("firmwareVersion", PayloadSchema.string(maxLength: 50)),
            ],
            required: ["model", "vendorName"], additionalProperties: false)
    }

    /// `ClearCacheStatusEnumType`.
    static let clearCacheStatusEnumType: PayloadSchema = makeClearCacheStatusEnumType()

    private static func makeClearCacheStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected"])
    }

    /// `ClearChargingProfileStatusEnumType`.
    static let clearChargingProfileStatusEnumType: PayloadSchema = makeClearChargingProfileStatusEnumType()

    private static func makeClearChargingProfileStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Unknown"])
    }

    /// `ClearChargingProfileType`.
    static let clearChargingProfileType: PayloadSchema = makeClearChargingProfileType()

    private static func makeClearChargingProfileType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingProfilePurpose", OCPP201Definitions.chargingProfilePurposeEnumType),
                PayloadSchema.Property("stackLevel", PayloadSchema.integer()),
            ],
            required: [], additionalProperties: false)
    }

    /// `ClearMessageStatusEnumType`.
    static let clearMessageStatusEnumType: PayloadSchema = makeClearMessageStatusEnumType()

    private static func makeClearMessageStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Unknown"])
    }

    /// `ClearMonitoringResultType`.
    static let clearMonitoringResultType: PayloadSchema = makeClearMonitoringResultType()

    private static func makeClearMonitoringResultType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.clearMonitoringStatusEnumType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status", "id"], additionalProperties: false)
    }

    /// `ClearMonitoringStatusEnumType`.
    static let clearMonitoringStatusEnumType: PayloadSchema = makeClearMonitoringStatusEnumType()

    private static func makeClearMonitoringStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "NotFound"])
    }

    /// `ComponentCriterionEnumType`.
    static let componentCriterionEnumType: PayloadSchema = makeComponentCriterionEnumType()

    private static func makeComponentCriterionEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Active", "Available", "Enabled", "Problem"])
    }

    /// `ComponentType`.
    static let componentType: PayloadSchema = makeComponentType()

    private static func makeComponentType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evse", OCPP201Definitions.evseType),
                PayloadSchema.Property("name", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("instance", PayloadSchema.string(maxLength: 50)),
            ],
            required: ["name"], additionalProperties: false)
    }

    /// `ComponentVariableType`.
    static let componentVariableType: PayloadSchema = makeComponentVariableType()

    private static func makeComponentVariableType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: ["component"], additionalProperties: false)
    }

    /// `CompositeScheduleType`.
    static let compositeScheduleType: PayloadSchema = makeCompositeScheduleType()

    private static func makeCompositeScheduleType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "chargingSchedulePeriod",
                    PayloadSchema.array(of: OCPP201Definitions.chargingSchedulePeriodType, minItems: 1)),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("scheduleStart", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingRateUnit", OCPP201Definitions.chargingRateUnitEnumType),
            ],
            required: ["evseId", "duration", "scheduleStart", "chargingRateUnit", "chargingSchedulePeriod"],
            additionalProperties: false)
    }

    /// `ConnectorEnumType`.
    static let connectorEnumType: PayloadSchema = makeConnectorEnumType()

    private static func makeConnectorEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "cCCS1", "cCCS2", "cG105", "cTesla", "cType1", "cType2", "s309-1P-16A", "s309-1P-32A", "s309-3P-16A",
            "s309-3P-32A", "sBS1361", "sCEE-7-7", "sType2", "sType3", "Other1PhMax16A", "Other1PhOver16A", "Other3Ph",
            "Pan", "wInductive", "wResonant", "Undetermined", "Unknown",
        ])
    }
}
