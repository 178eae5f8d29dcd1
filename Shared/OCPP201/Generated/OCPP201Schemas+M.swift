// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v201/schemas).

import OCPPRPC

extension OCPP201Schemas {
    /// `MeterValuesRequest.json`.
    static let meterValuesRequest: PayloadSchema = makeMeterValuesRequest()

    private static func makeMeterValuesRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType),
                PayloadSchema.Property("evseId", PayloadSchema.integer()),
                PayloadSchema.Property(
                    "meterValue", PayloadSchema.array(of: OCPP201Definitions.meterValueType, minItems: 1)),
            ],
            required: ["evseId", "meterValue"], additionalProperties: false)
    }

    /// `MeterValuesResponse.json`.
    static let meterValuesResponse: PayloadSchema = makeMeterValuesResponse()

    private static func makeMeterValuesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("customData", OCPP201Definitions.customDataType)
            ],
            required: [], additionalProperties: false)
    }
}
