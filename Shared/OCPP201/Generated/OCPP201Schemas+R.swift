// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `ReportChargingProfilesRequest.json`.
    static let reportChargingProfilesRequest: PayloadSchema = makeReportChargingProfilesRequest()

    private static func makeReportChargingProfilesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingLimitSource", OCPP201Definitions.chargingLimitSourceEnumType),
                PayloadSchema.Property(
                    "chargingProfile", PayloadSchema.array(of: OCPP201Definitions.chargingProfileType, minItems: 1)),
                PayloadSchema.Property("tbc", PayloadSchema.boolean()),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
            ],
            required: ["requestId", "chargingLimitSource", "evseId", "chargingProfile"], additionalProperties: false)
    }

    /// `ReportChargingProfilesResponse.json`.
    static let reportChargingProfilesResponse: PayloadSchema = makeReportChargingProfilesResponse()

    private static func makeReportChargingProfilesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `RequestStartTransactionRequest.json`.
    static let requestStartTransactionRequest: PayloadSchema = makeRequestStartTransactionRequest()

    private static func makeRequestStartTransactionRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("groupIdToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("idToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("remoteStartId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingProfile", OCPP201Definitions.chargingProfileType),
            ],
            required: ["remoteStartId", "idToken"], additionalProperties: false)
    }

    /// `RequestStartTransactionResponse.json`.
    static let requestStartTransactionResponse: PayloadSchema = makeRequestStartTransactionResponse()

    private static func makeRequestStartTransactionResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.requestStartStopStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `RequestStopTransactionRequest.json`.
    static let requestStopTransactionRequest: PayloadSchema = makeRequestStopTransactionRequest()

    private static func makeRequestStopTransactionRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
            ],
            required: ["transactionId"], additionalProperties: false)
    }

    /// `RequestStopTransactionResponse.json`.
    static let requestStopTransactionResponse: PayloadSchema = makeRequestStopTransactionResponse()

    private static func makeRequestStopTransactionResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.requestStartStopStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ReservationStatusUpdateRequest.json`.
    static let reservationStatusUpdateRequest: PayloadSchema = makeReservationStatusUpdateRequest()

    private static func makeReservationStatusUpdateRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("reservationId", PayloadSchema.integer()),
                PayloadSchema.Property("reservationUpdateStatus", OCPP201Definitions.reservationUpdateStatusEnumType),
            ],
            required: ["reservationId", "reservationUpdateStatus"], additionalProperties: false)
    }

    /// `ReservationStatusUpdateResponse.json`.
    static let reservationStatusUpdateResponse: PayloadSchema = makeReservationStatusUpdateResponse()

    private static func makeReservationStatusUpdateResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `ReserveNowRequest.json`.
    static let reserveNowRequest: PayloadSchema = makeReserveNowRequest()

    private static func makeReserveNowRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("expiryDateTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("connectorType", OCPP201Definitions.connectorEnumType),
                PayloadSchema.Property("idToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property("groupIdToken", OCPP201Definitions.idTokenType),
            ],
            required: ["id", "expiryDateTime", "idToken"], additionalProperties: false)
    }

    /// `ReserveNowResponse.json`.
    static let reserveNowResponse: PayloadSchema = makeReserveNowResponse()

    private static func makeReserveNowResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.reserveNowStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ResetRequest.json`.
    static let resetRequest: PayloadSchema = makeResetRequest()

    private static func makeResetRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("type", OCPP201Definitions.resetEnumType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
            ],
            required: ["type"], additionalProperties: false)
    }

    /// `ResetResponse.json`.
    static let resetResponse: PayloadSchema = makeResetResponse()

    private static func makeResetResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.resetStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }
}
