// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
//
// GENERATED FILE, do not edit. Regenerate with: scripts/generate-ocpp-schemas.sh
// Source: the OCA JSON schemas in the Python `ocpp` package 2.1.0 (ocpp/v16/schemas).

import OCPPRPC

extension OCPP16Schemas {
    /// `MeterValues.json`.
    static let meterValuesRequest: PayloadSchema = makeMeterValuesRequest()

    private static func makeMeterValuesRequest() -> PayloadSchema {
        let meterValueItemSampledValueItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("value", PayloadSchema.string()),
                PayloadSchema.Property(
                    "context",
                    PayloadSchema.enumeration([
                        "Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic",
                        "Transaction.Begin", "Transaction.End", "Trigger", "Other",
                    ])),
                PayloadSchema.Property("format", PayloadSchema.enumeration(["Raw", "SignedData"])),
                PayloadSchema.Property(
                    "measurand",
                    PayloadSchema.enumeration([
                        "Energy.Active.Export.Register", "Energy.Active.Import.Register",
                        "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
                        "Energy.Active.Export.Interval", "Energy.Active.Import.Interval",
                        "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Power.Active.Export",
                        "Power.Active.Import", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import",
                        "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage", "Frequency",
                        "Temperature", "SoC", "RPM",
                    ])),
                PayloadSchema.Property(
                    "phase",
                    PayloadSchema.enumeration([
                        "L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1",
                    ])),
                PayloadSchema.Property(
                    "location", PayloadSchema.enumeration(["Cable", "EV", "Inlet", "Outlet", "Body"])),
                PayloadSchema.Property(
                    "unit",
                    PayloadSchema.enumeration([
                        "Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celcius",
                        "Celsius", "Fahrenheit", "Percent", "Hertz",
                    ])),
            ],
            required: ["value"], additionalProperties: false)
        let meterValueItemSchema: PayloadSchema = PayloadSchema.object(
            [
                PayloadSchema.Property("timestamp", PayloadSchema.string(format: .dateTime)),
                PayloadSchema.Property(
                    "sampledValue", PayloadSchema.array(of: meterValueItemSampledValueItemSchema, minItems: 1)),
            ],
            required: ["timestamp", "sampledValue"], additionalProperties: false)
        return PayloadSchema.object(
            [
                PayloadSchema.Property("connectorId", PayloadSchema.integer()),
                PayloadSchema.Property("transactionId", PayloadSchema.integer()),
                PayloadSchema.Property("meterValue", PayloadSchema.array(of: meterValueItemSchema, minItems: 1)),
            ],
            required: ["connectorId", "meterValue"], additionalProperties: false)
    }

    /// `MeterValuesResponse.json`.
    static let meterValuesResponse: PayloadSchema = makeMeterValuesResponse()

    private static func makeMeterValuesResponse() -> PayloadSchema {
        return PayloadSchema.object(
            [],
            required: [], additionalProperties: false)
    }
}
