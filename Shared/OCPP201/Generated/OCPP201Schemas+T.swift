// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `TransactionEventRequest.json`.
    static let transactionEventRequest: PayloadSchema = makeTransactionEventRequest()

    private static func makeTransactionEventRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("eventType", OCPP201Definitions.transactionEventEnumType),
                PayloadSchema.Property(
                    "meterValue", PayloadSchema.array(of: OCPP201Definitions.meterValueType, minItems: 1)),
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("triggerReason", OCPP201Definitions.triggerReasonEnumType),
                PayloadSchema.Property("seqNo", PayloadSchema.integer()),
                PayloadSchema.Property("offline", PayloadSchema.boolean()),
                PayloadSchema.Property("numberOfPhasesUsed", PayloadSchema.integer()),
                PayloadSchema.Property("cableMaxCurrent", PayloadSchema.integer()),
                PayloadSchema.Property("reservationId", PayloadSchema.integer()),
                PayloadSchema.Property("transactionInfo", OCPP201Definitions.transactionType),
                PayloadSchema.Property("evse", OCPP201Definitions.evseType),
                PayloadSchema.Property("idToken", OCPP201Definitions.idTokenType),
            ],
            required: ["eventType", "timestamp", "triggerReason", "seqNo", "transactionInfo"],
            additionalProperties: false)
    }

    /// `TransactionEventResponse.json`.
    static let transactionEventResponse: PayloadSchema = makeTransactionEventResponse()

    private static func makeTransactionEventResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("totalCost", PayloadSchema.number()),
                PayloadSchema.Property("chargingPriority", PayloadSchema.integer()),
                PayloadSchema.Property("idTokenInfo", OCPP201Definitions.idTokenInfoType),
                PayloadSchema.Property("updatedPersonalMessage", OCPP201Definitions.messageContentType),
            ],
            required: [], additionalProperties: false)
    }

    /// `TriggerMessageRequest.json`.
    static let triggerMessageRequest: PayloadSchema = makeTriggerMessageRequest()

    private static func makeTriggerMessageRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evse", OCPP201Definitions.evseType),
                PayloadSchema.Property("requestedMessage", OCPP201Definitions.messageTriggerEnumType),
            ],
            required: ["requestedMessage"], additionalProperties: false)
    }

    /// `TriggerMessageResponse.json`.
    static let triggerMessageResponse: PayloadSchema = makeTriggerMessageResponse()

    private static func makeTriggerMessageResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("status", OCPP201Definitions.triggerMessageStatusEnumType),
                PayloadSchema.Property("statusInfo", OCPP201Definitions.statusInfoType),
            ],
            required: ["status"], additionalProperties: false)
    }
}
