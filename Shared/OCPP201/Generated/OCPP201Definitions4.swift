// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Definitions {
    /// `SetMonitoringStatusEnumType`.
    static let setMonitoringStatusEnumType: PayloadSchema = makeSetMonitoringStatusEnumType()

    private static func makeSetMonitoringStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "UnknownComponent", "UnknownVariable", "UnsupportedMonitorType", "Rejected", "Duplicate",
        ])
    }

    /// `SetNetworkProfileStatusEnumType`.
    static let setNetworkProfileStatusEnumType: PayloadSchema = makeSetNetworkProfileStatusEnumType()

    private static func makeSetNetworkProfileStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "Failed"])
    }

    /// `SetVariableDataType`.
    static let setVariableDataType: PayloadSchema = makeSetVariableDataType()

    private static func makeSetVariableDataType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("attributeType", OCPP201Definitions.attributeEnumType),
                PayloadSchema.Property("attributeValue", PayloadSchema.string(maxLength: 1000)),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: ["attributeValue", "component", "variable"], additionalProperties: false)
    }

    /// `SetVariableResultType`.
    static let setVariableResultType: PayloadSchema = makeSetVariableResultType()

    private static func makeSetVariableResultType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("attributeType", OCPP201Definitions.attributeEnumType),
                PayloadSchema.Property("attributeStatus", OCPP201Definitions.setVariableStatusEnumType),
                PayloadSchema.Property("attributeStatusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("component", OCPP201Definitions.componentType),
                PayloadSchema.Property("variable", OCPP201Definitions.variableType),
            ],
            required: ["attributeStatus", "component", "variable"], additionalProperties: false)
    }

    /// `SetVariableStatusEnumType`.
    static let setVariableStatusEnumType: PayloadSchema = makeSetVariableStatusEnumType()

    private static func makeSetVariableStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType",
            "RebootRequired",
        ])
    }

    /// `SignedMeterValueType`.
    static let signedMeterValueType: PayloadSchema = makeSignedMeterValueType()

    private static func makeSignedMeterValueType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("signedMeterData", PayloadSchema.string(maxLength: 2500)),
                PayloadSchema.Property("signingMethod", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("encodingMethod", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("publicKey", PayloadSchema.string(maxLength: 2500)),
            ],
            required: ["signedMeterData", "signingMethod", "encodingMethod", "publicKey"], additionalProperties: false)
    }

    /// `StatusInfoType`.
    static let statusInfoType: PayloadSchema = makeStatusInfoType()

    private static func makeStatusInfoType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("reasonCode", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("additionalInfo", PayloadSchema.string(maxLength: 512)),
            ],
            required: ["reasonCode"], additionalProperties: false)
    }

    /// `TransactionEventEnumType`.
    static let transactionEventEnumType: PayloadSchema = makeTransactionEventEnumType()

    private static func makeTransactionEventEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Ended", "Started", "Updated"])
    }

    /// `TransactionType`.
    static let transactionType: PayloadSchema = makeTransactionType()

    private static func makeTransactionType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
                PayloadSchema.Property("chargingState", OCPP201Definitions.chargingStateEnumType),
                PayloadSchema.Property("timeSpentCharging", PayloadSchema.integer()),
                PayloadSchema.Property("stoppedReason", OCPP201Definitions.reasonEnumType),
                PayloadSchema.Property("remoteStartId", PayloadSchema.integer()),
            ],
            required: ["transactionId"], additionalProperties: false)
    }

    /// `TriggerMessageStatusEnumType`.
    static let triggerMessageStatusEnumType: PayloadSchema = makeTriggerMessageStatusEnumType()

    private static func makeTriggerMessageStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Accepted", "Rejected", "NotImplemented"])
    }

    /// `TriggerReasonEnumType`.
    static let triggerReasonEnumType: PayloadSchema = makeTriggerReasonEnumType()

    private static func makeTriggerReasonEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Authorized", "CablePluggedIn", "ChargingRateChanged", "ChargingStateChanged", "Deauthorized",
            "EnergyLimitReached", "EVCommunicationLost", "EVConnectTimeout", "MeterValueClock", "MeterValuePeriodic",
            "TimeLimitReached", "Trigger", "UnlockCommand", "StopAuthorized", "EVDeparted", "EVDetected", "RemoteStop",
            "RemoteStart", "AbnormalCondition", "SignedDataReceived", "ResetCommand",
        ])
    }

    /// `UnitOfMeasureType`.
    static let unitOfMeasureType: PayloadSchema = makeUnitOfMeasureType()

    private static func makeUnitOfMeasureType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("unit", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("multiplier", PayloadSchema.integer()),
            ],
            required: [], additionalProperties: false)
    }

    /// `UnlockStatusEnumType`.
    static let unlockStatusEnumType: PayloadSchema = makeUnlockStatusEnumType()

    private static func makeUnlockStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration([
            "Unlocked", "UnlockFailed", "OngoingAuthorizedTransaction", "UnknownConnector",
        ])
    }

    /// `UnpublishFirmwareStatusEnumType`.
    static let unpublishFirmwareStatusEnumType: PayloadSchema = makeUnpublishFirmwareStatusEnumType()

    private static func makeUnpublishFirmwareStatusEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["DownloadOngoing", "NoFirmware", "Unpublished"])
    }

    /// `UpdateEnumType`.
    static let updateEnumType: PayloadSchema = makeUpdateEnumType()

    private static func makeUpdateEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["Differential", "Full"])
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
            "AcceptedCanceled",
        ])
    }

    /// `VariableAttributeType`.
    static let variableAttributeType: PayloadSchema = makeVariableAttributeType()

    private static func makeVariableAttributeType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("type", OCPP201Definitions.attributeEnumType),
                PayloadSchema.Property("value", PayloadSchema.string(maxLength: 2500)),
                PayloadSchema.Property("mutability", OCPP201Definitions.mutabilityEnumType),
                PayloadSchema.Property("persistent", PayloadSchema.boolean()),
                PayloadSchema.Property("constant", PayloadSchema.boolean()),
            ],
            required: [], additionalProperties: false)
    }

    /// `VariableCharacteristicsType`.
    static let variableCharacteristicsType: PayloadSchema = makeVariableCharacteristicsType()

    private static func makeVariableCharacteristicsType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("unit", PayloadSchema.string(maxLength: 16)),
                PayloadSchema.Property("dataType", OCPP201Definitions.dataEnumType),
                PayloadSchema.Property("minLimit", PayloadSchema.number()),
                PayloadSchema.Property("maxLimit", PayloadSchema.number()),
                PayloadSchema.Property("valuesList", PayloadSchema.string(maxLength: 1000)),
                PayloadSchema.Property("supportsMonitoring", PayloadSchema.boolean()),
            ],
            required: ["dataType", "supportsMonitoring"], additionalProperties: false)
    }

    /// `VariableMonitoringType`.
    static let variableMonitoringType: PayloadSchema = makeVariableMonitoringType()

    private static func makeVariableMonitoringType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("transaction", PayloadSchema.boolean()),
                PayloadSchema.Property("value", PayloadSchema.number()),
                PayloadSchema.Property("type", OCPP201Definitions.monitorEnumType),
                PayloadSchema.Property("severity", PayloadSchema.integer()),
            ],
            required: ["id", "transaction", "value", "type", "severity"], additionalProperties: false)
    }

    /// `VariableType`.
    static let variableType: PayloadSchema = makeVariableType()

    private static func makeVariableType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("name", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("instance", PayloadSchema.string(maxLength: 50)),
            ],
            required: ["name"], additionalProperties: false)
    }

    /// `VPNEnumType`.
    static let vpnEnumType: PayloadSchema = makeVpnEnumType()

    private static func makeVpnEnumType() -> PayloadSchema {
        return PayloadSchema.enumeration(["IKEv2", "IPSec", "L2TP", "PPTP"])
    }

    /// `VPNType`.
    static let vpnType: PayloadSchema = makeVpnType()

    private static func makeVpnType() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("server", PayloadSchema.string(maxLength: 512)),
                PayloadSchema.Property("user", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("group", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("password", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("key", PayloadSchema.string(maxLength: 255)),
                PayloadSchema.Property("type", OCPP201Definitions.vpnEnumType),
            ],
            required: ["server", "user", "password", "key", "type"], additionalProperties: false)
    }
}
