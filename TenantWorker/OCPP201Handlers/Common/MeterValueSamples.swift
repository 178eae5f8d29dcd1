// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPPHandlerKit
import OCPPRPC

/// Turns OCPP 2.0.1 `MeterValueType` objects (MeterValuesRequest and TransactionEventRequest
/// `meterValue`) into domain samples.
///
/// Units: a 2.0.1 `SampledValueType.value` is a JSON number and `unitOfMeasure.multiplier` is a
/// power of ten ("multiplier 3 means 10 raised to the 3rd power", UnitOfMeasureType). The domain
/// sample has no multiplier, so it is applied to the value here: `{value: 12.5, unit: "Wh",
/// multiplier: 3}` is stored as 12500 Wh. The unit is kept as the station wrote it (a `kWh` reading
/// stays in kWh, as 1.6 readings do), so a stored row always says what the meter measured.
///
/// A sample that cannot be stored (its scaled value does not fit a `Double`) is skipped and logged,
/// never answered with a CALLERROR: a TransactionEvent cannot be rejected (OCTT TC_E_53) and a
/// station retries what the CSMS fails to process (OCPP 2.0.1 E13), so one odd sample would block
/// its queue.
struct MeterValueSamples {
    /// Samples in message order, values scaled by their multiplier.
    var samples: [MeterSample] = []
    /// Sampled values that carry a `signedMeterValue`, with the `timestamp` of their `MeterValue`:
    /// the signed blob is what a driver needs to verify a bill, so it is kept as a station event.
    var signed: [(sampledAt: Date, sampledValue: JSONObject)] = []
    /// Values that could not be stored.
    var skipped = 0

    // OCPP 2.0.1 SampledValueType / UnitOfMeasureType defaults for omitted fields.
    static let defaultMeasurand = "Energy.Active.Import.Register"
    static let defaultContext = "Sample.Periodic"
    static let defaultLocation = "Outlet"
    /// UnitOfMeasureType.unit: "Default = "Wh" if the (default) measurand is an "Energy" type";
    /// other measurands have no default unit.
    static let defaultEnergyUnit = "Wh"

    init() {}

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
        let measurand = sampledValue.string("measurand") ?? Self.defaultMeasurand
        let unitOfMeasure = sampledValue.object("unitOfMeasure")
        let multiplier = unitOfMeasure?.int("multiplier") ?? 0
        if sampledValue.object("signedMeterValue") != nil {
            signed.append((sampledAt, sampledValue))
        }
        guard let raw = sampledValue["value"], let value = Self.scaled(raw, multiplier: multiplier) else {
            skipped += 1
            context.logger.notice(
                "Meter value from \(context.identity) cannot be stored: sample skipped",
                metadata: [
                    "ocpp.measurand": "\(measurand)", "ocpp.value": "\(sampledValue["value"].map(\.jsonText) ?? "")",
                    "ocpp.multiplier": "\(multiplier)",
                ])
            return
        }
        let unit = unitOfMeasure?.string("unit") ?? (measurand.hasPrefix("Energy.") ? Self.defaultEnergyUnit : nil)
        samples.append(
            MeterSample(
                sampledAt: sampledAt, measurand: measurand, phase: sampledValue.string("phase"), unit: unit,
                context: sampledValue.string("context") ?? Self.defaultContext,
                location: sampledValue.string("location") ?? Self.defaultLocation, value: value))
    }

    /// `value × 10^multiplier`, computed on the decimal the station wrote rather than by a binary
    /// multiplication, so `1.1` with multiplier 2 is exactly 110 (the `Double` product `1.1 * 100` is
    /// 110.00000000000001). Nil when the value is not a number or the result is not a finite,
    /// non-vanishing `Double`.
    static func scaled(_ raw: JSONValue, multiplier: Int) -> Double? {
        let text: String
        let original: Double
        switch raw {
        case .integer(let i):
            text = String(i)
            original = Double(i)
        case .number(let d) where d.isFinite:
            text = d.description
            original = d
        default:
            return nil
        }
        guard multiplier != 0 else { return original }
        // Far beyond any Double exponent: the result can only be infinite or zero.
        guard abs(multiplier) <= 1000 else { return nil }
        // Shortest round-trip text is "<mantissa>" or "<mantissa>e<exponent>" ("1e-07", "1.5e+20").
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let parsed = Int(text[text.index(after: e)...]) else { return nil }
            mantissa = text[..<e]
            exponent = parsed
        }
        guard let value = Double("\(mantissa)e\(exponent + multiplier)"), value.isFinite,
            value != 0 || original == 0
        else { return nil }
        return value
    }

    /// Stores each signed sampled value as a station event of `action`, so the signed blob outlives
    /// the frame log.
    func recordSigned(action: String, evseId: Int?, transactionId: String?, context: StationContext) async throws {
        for (sampledAt, sampledValue) in signed {
            var details: JSONObject = [:]
            if let evseId { details["evseId"] = .integer(Int64(evseId)) }
            if let transactionId { details["transactionId"] = .string(transactionId) }
            details["timestamp"] = .string(OCPPDateTime.format(sampledAt))
            details["sampledValue"] = .object(sampledValue)
            let measurand = sampledValue.string("measurand") ?? Self.defaultMeasurand
            let readingContext = sampledValue.string("context") ?? Self.defaultContext
            try await StationEvents.record(
                kind: action, at: sampledAt, summary: "SignedMeterValue \(measurand) \(readingContext)",
                details: details, context)
        }
    }
}
