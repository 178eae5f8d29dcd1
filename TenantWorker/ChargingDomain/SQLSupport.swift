// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres

/// A `text[]` parameter whose elements may be NULL, as a PostgreSQL array literal (PostgreSQL
/// §8.15.6): every element double-quoted with `"` and `\` escaped, NULL unquoted. The `Postgres`
/// module encodes arrays of non-optional elements only; sample columns such as `phase` and `unit`
/// are often absent, and `unnest` needs one array per column.
struct PGNullableTextArray: PGEncodable {
    var elements: [String?]

    init(_ elements: [String?]) { self.elements = elements }

    func encode(into encoder: inout PGEncoder) {
        encoder.write(byte: UInt8(ascii: "{"))
        for (i, element) in elements.enumerated() {
            if i > 0 { encoder.write(byte: UInt8(ascii: ",")) }
            guard let element else {
                encoder.write("NULL")
                continue
            }
            encoder.write(byte: UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { encoder.write(byte: UInt8(ascii: "\\")) }
                encoder.write(byte: byte)
            }
            encoder.write(byte: UInt8(ascii: "\""))
        }
        encoder.write(byte: UInt8(ascii: "}"))
    }
}

/// Runs one statement: implemented by the pool (any connection) and by a leased connection (inside
/// a transaction), so helpers work in both.
protocol SQLRunner: Sendable {
    func query(_ query: PGQuery) async throws -> PGResult
}

extension PGPool: SQLRunner {}
extension PGConnection: SQLRunner {}

extension MeterSample {
    static let energyRegister = "Energy.Active.Import.Register"

    /// The value in Wh when this is an energy register reading in Wh or kWh (OCPP 1.6 UnitOfMeasure
    /// `Wh` is the default when the unit is omitted; 2.0.1 likewise); nil for any other unit.
    var watthours: Double? {
        switch unit?.lowercased() {
        case nil, "wh": value
        case "kwh": value * 1000
        default: nil
        }
    }

    /// The reading of the whole outlet's imported energy in `samples`, in Wh: the sample with
    /// `context` if there is one, otherwise the first (`earliest`) or last sample by time. Phase
    /// readings and readings at the EV or inlet are not the transaction's meter.
    static func energyWh(in samples: [MeterSample], context: String, earliest: Bool) -> Double? {
        let register = samples.filter {
            $0.measurand == energyRegister && $0.phase == nil && ($0.location == nil || $0.location == "Outlet")
                && $0.watthours != nil
        }
        if let tagged = register.last(where: { $0.context == context }) { return tagged.watthours }
        let pick =
            earliest
            ? register.min(by: { $0.sampledAt < $1.sampledAt })
            : register.max(by: { $0.sampledAt < $1.sampledAt })
        return pick?.watthours
    }
}

/// The columns of a set of samples as arrays, for one `INSERT ... SELECT ... FROM unnest(...)`:
/// one statement and one round trip for any number of samples (MeterValues are the hot path).
struct SampleColumns: Sendable {
    var sampledAt: [Double] = []
    var measurand: [String] = []
    var phase: [String?] = []
    var unit: [String?] = []
    var context: [String?] = []
    var location: [String?] = []
    var value: [Double] = []

    init(_ samples: [MeterSample]) {
        sampledAt.reserveCapacity(samples.count)
        for s in samples {
            // Seconds since 1970 as float8; to_timestamp() turns them back into timestamptz with
            // microsecond precision, the precision of the column.
            sampledAt.append(s.sampledAt.timeIntervalSince1970)
            measurand.append(s.measurand)
            phase.append(s.phase)
            unit.append(s.unit)
            context.append(s.context)
            location.append(s.location)
            value.append(s.value)
        }
    }
}

extension String {
    /// At most `limit` Unicode scalars (PostgreSQL's `length()` counts code points).
    func truncatedScalars(_ limit: Int) -> String {
        if utf8.count <= limit { return self }
        let scalars = unicodeScalars
        if scalars.count <= limit { return self }
        return String(String.UnicodeScalarView(scalars.prefix(limit)))
    }
}
