// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `CancelReservationRequest.json`.
    static let cancelReservationRequest: PayloadSchema = makeCancelReservationRequest()

    private static func makeCancelReservationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("reservationId", PayloadSchema.integer()),
            ],
            required: ["reservationId"], additionalProperties: false)
    }

    /// `CancelReservationResponse.json`.
    static let cancelReservationResponse: PayloadSchema = makeCancelReservationResponse()

    private static func makeCancelReservationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.cancelReservationStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `CertificateSignedRequest.json`.
    static let certificateSignedRequest: PayloadSchema = makeCertificateSignedRequest()

    private static func makeCertificateSignedRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("certificateChain", PayloadSchema.string(maxLength: 10000)),
                PayloadSchema.Property("certificateType", OCPP201Definitions.certificateSigningUseEnumType),
            ],
            required: ["certificateChain"], additionalProperties: false)
    }

    /// `CertificateSignedResponse.json`.
    static let certificateSignedResponse: PayloadSchema = makeCertificateSignedResponse()

    private static func makeCertificateSignedResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.certificateSignedStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ChangeAvailabilityRequest.json`.
    static let changeAvailabilityRequest: PayloadSchema = makeChangeAvailabilityRequest()

    private static func makeChangeAvailabilityRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evse", OCPP201Definitions.evseType),
                PayloadSchema.Property("operationalStatus", OCPP201Definitions.operationalStatusEnumType),
            ],
            required: ["operationalStatus"], additionalProperties: false)
    }

    /// `ChangeAvailabilityResponse.json`.
    static let changeAvailabilityResponse: PayloadSchema = makeChangeAvailabilityResponse()

    private static func makeChangeAvailabilityResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.changeAvailabilityStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ClearCacheRequest.json`.
    static let clearCacheRequest: PayloadSchema = makeClearCacheRequest()

    private static func makeClearCacheRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `ClearCacheResponse.json`.
    static let clearCacheResponse: PayloadSchema = makeClearCacheResponse()

    private static func makeClearCacheResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.clearCacheStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ClearChargingProfileRequest.json`.
    static let clearChargingProfileRequest: PayloadSchema = makeClearChargingProfileRequest()

    private static func makeClearChargingProfileRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("chargingProfileId", PayloadSchema.integer()),
                PayloadSchema.Property("chargingProfileCriteria", OCPP201Definitions.clearChargingProfileType),
            ],
            required: [], additionalProperties: false)
    }

    /// `ClearChargingProfileResponse.json`.
    static let clearChargingProfileResponse: PayloadSchema = makeClearChargingProfileResponse()

    private static func makeClearChargingProfileResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.clearChargingProfileStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ClearDisplayMessageRequest.json`.
    static let clearDisplayMessageRequest: PayloadSchema = makeClearDisplayMessageRequest()

    private static func makeClearDisplayMessageRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.integer()),
            ],
            required: ["id"], additionalProperties: false)
    }

    /// `ClearDisplayMessageResponse.json`.
    static let clearDisplayMessageResponse: PayloadSchema = makeClearDisplayMessageResponse()

    private static func makeClearDisplayMessageResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.clearMessageStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }

    /// `ClearVariableMonitoringRequest.json`.
    static let clearVariableMonitoringRequest: PayloadSchema = makeClearVariableMonitoringRequest()

    private static func makeClearVariableMonitoringRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("id", PayloadSchema.array(of: PayloadSchema.integer(), minItems: 1)),
            ],
            required: ["id"], additionalProperties: false)
    }

    /// `ClearVariableMonitoringResponse.json`.
    static let clearVariableMonitoringResponse: PayloadSchema = makeClearVariableMonitoringResponse()

    private static func makeClearVariableMonitoringResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property(
                    "clearMonitoringResult",
                    PayloadSchema.array(of: OCPP201Definitions.clearMonitoringResultType, minItems: 1)),
            ],
            required: ["clearMonitoringResult"], additionalProperties: false)
    }

    /// `ClearedChargingLimitRequest.json`.
    static let clearedChargingLimitRequest: PayloadSchema = makeClearedChargingLimitRequest()

    private static func makeClearedChargingLimitRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("chargingLimitSource", OCPP201Definitions.chargingLimitSourceEnumType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
            ],
            required: ["chargingLimitSource"], additionalProperties: false)
    }

    /// `ClearedChargingLimitResponse.json`.
    static let clearedChargingLimitResponse: PayloadSchema = makeClearedChargingLimitResponse()

    private static func makeClearedChargingLimitResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `CostUpdatedRequest.json`.
    static let costUpdatedRequest: PayloadSchema = makeCostUpdatedRequest()

    private static func makeCostUpdatedRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("totalCost", PayloadSchema.number()),
                PayloadSchema.Property("transactionId", PayloadSchema.string(maxLength: 36)),
            ],
            required: ["totalCost", "transactionId"], additionalProperties: false)
    }

    /// `CostUpdatedResponse.json`.
    static let costUpdatedResponse: PayloadSchema = makeCostUpdatedResponse()

    private static func makeCostUpdatedResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }

    /// `CustomerInformationRequest.json`.
    static let customerInformationRequest: PayloadSchema = makeCustomerInformationRequest()

    private static func makeCustomerInformationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("customerCertificate", OCPP201Definitions.certificateHashDataType),
                PayloadSchema.Property("idToken", OCPP201Definitions.idTokenType),
                PayloadSchema.Property("requestId", PayloadSchema.integer()),
                PayloadSchema.Property("report", PayloadSchema.boolean()),
                PayloadSchema.Property("clear", PayloadSchema.boolean()),
                PayloadSchema.Property("customerIdentifier", PayloadSchema.string(maxLength: 64)),
            ],
            required: ["requestId", "report", "clear"], additionalProperties: false)
    }

    /// `CustomerInformationResponse.json`.
    static let customerInformationResponse: PayloadSchema = makeCustomerInformationResponse()

    private static func makeCustomerInformationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.customerInformationStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }
}
