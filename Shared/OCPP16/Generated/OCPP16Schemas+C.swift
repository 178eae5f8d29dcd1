// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `CancelReservation.json`.
    static let cancelReservationRequest: PayloadSchema = makeCancelReservationRequest()

    private static func makeCancelReservationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("reservationId", PayloadSchema.integer())
            ],
            required: ["reservationId"], additionalProperties: false)
    }

    /// `CancelReservationResponse.json`.
    static let cancelReservationResponse: PayloadSchema = makeCancelReservationResponse()

    private static func makeCancelReservationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `CertificateSigned.json`.
    static let certificateSignedRequest: PayloadSchema = makeCertificateSignedRequest()

    private static func makeCertificateSignedRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("certificateChain", PayloadSchema.string(maxLength: 10000))
            ],
            required: ["certificateChain"], additionalProperties: false)
    }

    /// `CertificateSignedResponse.json`.
    static let certificateSignedResponse: PayloadSchema = makeCertificateSignedResponse()

    private static func makeCertificateSignedResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", OCPP16Definitions.certificateSignedStatusEnumType)
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ChangeAvailability.json`.
    static let changeAvailabilityRequest: PayloadSchema = makeChangeAvailabilityRequest()

    private static func makeChangeAvailabilityRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("type", PayloadSchema.enumeration(["Inoperative", "Operative"])),
            ],
            required: ["connectorId", "type"], additionalProperties: false)
    }

    /// `ChangeAvailabilityResponse.json`.
    static let changeAvailabilityResponse: PayloadSchema = makeChangeAvailabilityResponse()

    private static func makeChangeAvailabilityResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected", "Scheduled"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ChangeConfiguration.json`.
    static let changeConfigurationRequest: PayloadSchema = makeChangeConfigurationRequest()

    private static func makeChangeConfigurationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("key", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("value", PayloadSchema.string(maxLength: 500)),
            ],
            required: ["key", "value"], additionalProperties: false)
    }

    /// `ChangeConfigurationResponse.json`.
    static let changeConfigurationResponse: PayloadSchema = makeChangeConfigurationResponse()

    private static func makeChangeConfigurationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property(
                    "status", PayloadSchema.enumeration(["Accepted", "Rejected", "RebootRequired", "NotSupported"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ClearCache.json`.
    static let clearCacheRequest: PayloadSchema = makeClearCacheRequest()

    private static func makeClearCacheRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }

    /// `ClearCacheResponse.json`.
    static let clearCacheResponse: PayloadSchema = makeClearCacheResponse()

    private static func makeClearCacheResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Rejected"]))
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ClearChargingProfile.json`.
    static let clearChargingProfileRequest: PayloadSchema = makeClearChargingProfileRequest()

    private static func makeClearChargingProfileRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("id", PayloadSchema.integer()),
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "chargingProfilePurpose",
                    PayloadSchema.enumeration(["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"])),
                PayloadSchema.Property("stackLevel", PayloadSchema.integer()),
            ],
            required: [], additionalProperties: false)
    }

    /// `ClearChargingProfileResponse.json`.
    static let clearChargingProfileResponse: PayloadSchema = makeClearChargingProfileResponse()

    private static func makeClearChargingProfileResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Unknown"]))
            ],
            required: ["status"], additionalProperties: false)
    }
}
