// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `BootNotification.json`.
    static let bootNotificationRequest: PayloadSchema = makeBootNotificationRequest()

    private static func makeBootNotificationRequest() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("chargePointVendor", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("chargePointModel", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("chargePointSerialNumber", PayloadSchema.string(maxLength: 25)),
                PayloadSchema.Property("chargeBoxSerialNumber", PayloadSchema.string(maxLength: 25)),
                PayloadSchema.Property("firmwareVersion", PayloadSchema.string(maxLength: 50)),
                PayloadSchema.Property("iccid", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("imsi", PayloadSchema.string(maxLength: 20)),
                PayloadSchema.Property("meterType", PayloadSchema.string(maxLength: 25)),
                PayloadSchema.Property("meterSerialNumber", PayloadSchema.string(maxLength: 25)),
            ],
            required: ["chargePointVendor", "chargePointModel"], additionalProperties: false)
    }

    /// `BootNotificationResponse.json`.
    static let bootNotificationResponse: PayloadSchema = makeBootNotificationResponse()

    private static func makeBootNotificationResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [
                PayloadSchema.Property("status", PayloadSchema.enumeration(["Accepted", "Pending", "Rejected"])),
                PayloadSchema.Property("currentTime", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property("interval", PayloadSchema.integer()),
            ],
            required: ["status", "currentTime", "interval"], additionalProperties: false)
    }
}
