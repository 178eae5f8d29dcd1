// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `Heartbeat.json`.
    static let heartbeatRequest: PayloadSchema = makeHeartbeatRequest()

    private static func makeHeartbeatRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }

    /// `HeartbeatResponse.json`.
    static let heartbeatResponse: PayloadSchema = makeHeartbeatResponse()

    private static func makeHeartbeatResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("currentTime", PayloadSchema.string(format: .dateTime))
            ],
            required: ["currentTime"], additionalProperties: false)
    }
}
