// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPPHandlerKit
import OCPPRPC

/// Turns OCPP 1.6 `MeterValue` objects (MeterValues.req `meterValue`, StopTransaction.req
/// `transactionData`) into domain samples.
///
/// A 1.6 `SampledValue.value` is a string. A value that is not a decimal number is skipped and
/// logged rather than answered with a CALLERROR: meter values are transaction-related messages, and
/// a station retries a message the CSMS fails to process (OCPP 1.6 §3.7.1), so one bad sample would
/// otherwise block the station's whole queue.
struct SampledValues {
    /// Numeric samples, in message order.
    var samples: [MeterSample] = []
    /// `SignedData` sampled values (with the `timestamp` of their `MeterValue`): their value is an
    /// opaque signed blob, not a number, so it is kept as an event instead of a sample.
    var signed: [(sampledAt: Date, sampledValue: JSONObject)] = []
    /// Values that were neither numbers nor signed data.
    var skipped = 0

    static let defaultMeasurand = "Energy.Active.Import.Register"
    // OCPP 1.6 §7 SampledValue defaults for omitted fields.
    static let defaultContext = "Sample.Periodic"
    static let defaultLocation = "Outlet"
    static let defaultEnergyUnit = "Wh"

    init(_ meterValues: [JSONObject], context: StationContext) {
        for meterValue in meterValues {
            let sampledAt: Date
            if let time = meterValue.date("timestamp") {
                sampledAt = time
            } else {
                // Unreachable for a schema-checked payload (timestamp is required, date-time).
                sampledAt = context.now()
                context.logger.notice(
                    "MeterValue from \(context.identity) without a readable timestamp: using the receive time",
                    metadata: ["ocpp.timestamp": "\(meterValue.string("timestamp") ?? "")"])
            }
            for sampledValue in meterValue.objects("sampledValue") {
                add(sampledValue, at: sampledAt, context: context)
            }
        }
    }

    private mutating func add(_ sampledValue: JSONObject, at sampledAt: Date, context: StationContext) {
        let text = sampledValue.string("value") ?? ""
        let measurand = sampledValue.string("measurand") ?? Self.defaultMeasurand
        if sampledValue.string("format") == "SignedData" {
            signed.append((sampledAt, sampledValue))
            context.logger.info(
                "Signed meter value from \(context.identity) kept as an event, not as a number",
                metadata: ["ocpp.measurand": "\(measurand)", "ocpp.value": "\(text)"])
            return
        }
        guard let value = Self.decimal(text) else {
            skipped += 1
            context.logger.notice(
                "Meter value '\(text)' from \(context.identity) is not a decimal number: sample skipped",
                metadata: ["ocpp.measurand": "\(measurand)", "ocpp.value": "\(text)"])
            return
        }
        // OCPP 1.6 §7 SampledValue: the unit defaults to Wh only for the energy measurands; other
        // measurands have no default unit. Values keep the unit the station reported (kWh is not
        // rescaled), so the stored row says exactly what the meter said.
        let unit = sampledValue.string("unit") ?? (measurand.hasPrefix("Energy.") ? Self.defaultEnergyUnit : nil)
        samples.append(
            MeterSample(
                sampledAt: sampledAt, measurand: measurand, phase: sampledValue.string("phase"), unit: unit,
                context: sampledValue.string("context") ?? Self.defaultContext,
                location: sampledValue.string("location") ?? Self.defaultLocation, value: value))
    }

    /// Parses decimal number text: optional sign, digits with an optional fraction, optional
    /// exponent, surrounding spaces ignored. Hexadecimal, `nan`, `inf`, a decimal comma and
    /// anything out of `Double` range are refused (`Double(String)` alone would take the first three).
    static func decimal(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bytes = Array(trimmed.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var mantissaDigits = digits()
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == bytes.count, let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// Stores each signed value as a station event of `action`, so the signed blob (which a driver
    /// may need to verify the bill) outlives the log.
    func recordSigned(
        action: String, connectorId: Int?, transactionId: Int64?, context: StationContext
    ) async throws {
        for (sampledAt, sampledValue) in signed {
            var details: JSONObject = [:]
            if let connectorId { details["connectorId"] = .integer(Int64(connectorId)) }
            if let transactionId { details["transactionId"] = .integer(transactionId) }
            details["timestamp"] = .string(OCPPDateTime.format(sampledAt))
            details["sampledValue"] = .object(sampledValue)
            let measurand = sampledValue.string("measurand") ?? Self.defaultMeasurand
            let readingContext = sampledValue.string("context") ?? Self.defaultContext
            try await context.store.recordEvent(
                station: context.stationPK,
                event: StationEvent(
                    kind: action, occurredAt: sampledAt, summary: "SignedData \(measurand) \(readingContext)",
                    detailsJSON: StationEventRecorder.detailsJSON(details)))
        }
    }
}
