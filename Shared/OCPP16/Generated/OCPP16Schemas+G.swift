// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `GetCompositeSchedule.json`.
    static let getCompositeScheduleRequest: PayloadSchema = makeGetCompositeScheduleRequest()

    private static func makeGetCompositeScheduleRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("chargingRateUnit", PayloadSchema.enumeration(["A", "W"])),
            ],
            required: ["connectorId", "duration"], additionalProperties: false)
    }

    /// `GetCompositeScheduleResponse.json`.
    static let getCompositeScheduleResponse: PayloadSchema = makeGetCompositeScheduleResponse()

    private static func makeGetCompositeScheduleResponse() -> PayloadSchema {
        let chargingScheduleChargingSchedulePeriodItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("startPeriod", PayloadSchema.integer()),
                PayloadSchema.Property("limit", PayloadSchema.number(multipleOf: 0.1)),
                PayloadSchema.Property("numberPhases", PayloadSchema.integer()),
            ],
            required: ["startPeriod", "limit"], additionalProperties: false)
        let chargingScheduleSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("startSchedule", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingRateUnit", PayloadSchema.enumeration(["A", "W"])),
                PayloadSchema.Property(
                    "chargingSchedulePeriod", PayloadSchema.array(of: chargingScheduleChargingSchedulePeriodItemSchema)),
                PayloadSchema.Property("minChargingRate", PayloadSchema.number(multipleOf: 0.1)),
            ],
            required: ["chargingRateUnit", "chargingSchedulePeriod"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected"])),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("scheduleStart", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingSchedule", chargingScheduleSchema),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetConfiguration.json`.
    static let getConfigurationRequest: PayloadSchema = makeGetConfigurationRequest()

    private static func makeGetConfigurationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("key", PayloadSchema.array(of: PayloadSchema.string(maxLength: 50)))
            ],
            required: [], additionalProperties: false)
    }

    /// `GetConfigurationResponse.json`.
    static let getConfigurationResponse: PayloadSchema = makeGetConfigurationResponse()

    private static func makeGetConfigurationResponse() -> PayloadSchema {
        let configurationKeyItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("key", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("readonly", PayloadSchema.boolean()),
                PayloadSchema.Property("value", PayloadSchema.string(maxLength: 500)),
            ],
            required: ["key", "readonly"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("configurationKey", PayloadSchema.array(of: configurationKeyItemSchema)),
                PayloadSchema.Property("unknownKey", PayloadSchema.array(of: PayloadSchema.string(maxLength: 50))),
            ],
            required: [], additionalProperties: false)
    }

    /// `GetDiagnostics.json`.
    static let getDiagnosticsRequest: PayloadSchema = makeGetDiagnosticsRequest()

    private static func makeGetDiagnosticsRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("location", PayloadSchema.string(format: .uri)),
                PayloadSchema.Property("retries", PayloadSchema.integer()),
                PayloadSchema.Property("retryInterval", PayloadSchema.integer()),
                PayloadSchema.Property("startTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("stopTime", PayloadSchema.string(format: .dateTime)),
            ],
            required: ["location"], additionalProperties: false)
    }

    /// `GetDiagnosticsResponse.json`.
    static let getDiagnosticsResponse: PayloadSchema = makeGetDiagnosticsResponse()

    private static func makeGetDiagnosticsResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("fileName", PayloadSchema.string(maxLength: 255))
            ],
            required: [], additionalProperties: false)
    }

    /// `GetInstalledCertificateIds.json`.
    static let getInstalledCertificateIdsRequest: PayloadSchema = makeGetInstalledCertificateIdsRequest()

    private static func makeGetInstalledCertificateIdsRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("certificateType", OCPP16Definitions.certificateUseEnumType)
            ],
            required: ["certificateType"], additionalProperties: false)
    }

    /// `GetInstalledCertificateIdsResponse.json`.
    static let getInstalledCertificateIdsResponse: PayloadSchema = makeGetInstalledCertificateIdsResponse()

    private static func makeGetInstalledCertificateIdsResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "certificateHashData",
                    PayloadSchema.array(of: OCPP16Definitions.certificateHashDataType, minItems: 1)),
                PayloadSchema.Property("status", OCPP16Definitions.getInstalledCertificateStatusEnumType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `GetLocalListVersion.json`.
    static let getLocalListVersionRequest: PayloadSchema = makeGetLocalListVersionRequest()

    private static func makeGetLocalListVersionRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }

    /// `GetLocalListVersionResponse.json`.
    static let getLocalListVersionResponse: PayloadSchema = makeGetLocalListVersionResponse()

    private static func makeGetLocalListVersionResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("listVersion", PayloadSchema.integer())
            ],
            required: ["listVersion"], additionalProperties: false)
    }

    /// `GetLog.json`.
    static let getLogRequest: PayloadSchema = makeGetLogRequest()

    private static func makeGetLogRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("log", OCPP16Definitions.logParametersType),
                PayloadSchema.Property("logType", OCPP16Definitions.logEnumType),
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
                PayloadSchema.Property("status", OCPP16Definitions.logStatusEnumType),
                PayloadSchema.Property("filename", PayloadSchema.string(maxLength: 255)),
            ],
            required: ["status"], additionalProperties: false)
    }
}
