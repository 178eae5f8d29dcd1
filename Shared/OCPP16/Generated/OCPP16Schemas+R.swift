// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `RemoteStartTransaction.json`.
    static let remoteStartTransactionRequest: PayloadSchema = makeRemoteStartTransactionRequest()

    private static func makeRemoteStartTransactionRequest() -> PayloadSchema {
        let chargingProfileChargingScheduleChargingSchedulePeriodItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("startPeriod", PayloadSchema.integer()),
                PayloadSchema.Property("limit", PayloadSchema.number(multipleOf: 0.1)),
                PayloadSchema.Property("numberPhases", PayloadSchema.integer()),
            ],
            required: ["startPeriod", "limit"], additionalProperties: false)
        let chargingProfileChargingScheduleSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("duration", PayloadSchema.integer()),
                PayloadSchema.Property("startSchedule", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("chargingRateUnit", PayloadSchema.enumeration(["A", "W"])),
                PayloadSchema.Property(
                    "chargingSchedulePeriod",
                    PayloadSchema.array(of: chargingProfileChargingScheduleChargingSchedulePeriodItemSchema)),
                PayloadSchema.Property("minChargingRate", PayloadSchema.number(multipleOf: 0.1)),
            ],
            required: ["chargingRateUnit", "chargingSchedulePeriod"], additionalProperties: false)
        let chargingProfileSchema: PayloadSchema = PayloadSchema.object(
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
                PayloadSchema.Property("chargingSchedule", chargingProfileChargingScheduleSchema),
            ],
            required: [
                "chargingProfileId", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule",
            ], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("idTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("chargingProfile", chargingProfileSchema),
            ],
            required: ["idTag"], additionalProperties: false)
    }

    /// `RemoteStartTransactionResponse.json`.
    static let remoteStartTransactionResponse: PayloadSchema = makeRemoteStartTransactionResponse()

    private static func makeRemoteStartTransactionResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `RemoteStopTransaction.json`.
    static let remoteStopTransactionRequest: PayloadSchema = makeRemoteStopTransactionRequest()

    private static func makeRemoteStopTransactionRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("transactionId", PayloadSchema.integer())
            ],
            required: ["transactionId"], additionalProperties: false)
    }

    /// `RemoteStopTransactionResponse.json`.
    static let remoteStopTransactionResponse: PayloadSchema = makeRemoteStopTransactionResponse()

    private static func makeRemoteStopTransactionResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ReserveNow.json`.
    static let reserveNowRequest: PayloadSchema = makeReserveNowRequest()

    private static func makeReserveNowRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("expiryDate", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("idTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("parentIdTag", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("reservationId", PayloadSchema.integer()),
            ],
            required: ["connectorId", "expiryDate", "idTag", "reservationId"], additionalProperties: false)
    }

    /// `ReserveNowResponse.json`.
    static let reserveNowResponse: PayloadSchema = makeReserveNowResponse()

    private static func makeReserveNowResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `Reset.json`.
    static let resetRequest: PayloadSchema = makeResetRequest()

    private static func makeResetRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("type", PayloadSchema.enumeration(["Hard", "Soft"]))
            ],
            required: ["type"], additionalProperties: false)
    }

    /// `ResetResponse.json`.
    static let resetResponse: PayloadSchema = makeResetResponse()

    private static func makeResetResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected"]))
            ],
            required: ["status"], additionalProperties: false)
    }
}
