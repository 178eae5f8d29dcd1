// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `timestamptz` text in `DateStyle=ISO` (PostgreSQL docs §8.5.2, "Date/Time Output"), without
/// Foundation's calendar machinery: civil-date arithmetic on the proleptic Gregorian calendar, which
/// is also what PostgreSQL uses.
enum PGTimestamp {
    /// Seconds between 1970-01-01 and 2001-01-01 (Foundation's reference date).
    static let unixToReference: Int64 = 978_307_200

    // MARK: Encoding

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` (UTC, always six fraction digits, ` BC` for years <= 0).
    static func encode(_ date: Date, into encoder: inout PGEncoder) {
        let t = date.timeIntervalSinceReferenceDate
        if t.isNaN {
            encoder.write("NaN")  // rejected by the server with its own message
            return
        }
        if t.isInfinite {
            encoder.write(t > 0 ? "infinity" : "-infinity")
            return
        }
        var whole = t.rounded(.down)
        var micros = Int64(((t - whole) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            whole += 1
            micros -= 1_000_000
        }
        // Beyond PostgreSQL's range (294276 AD) anyway; clamp to keep the arithmetic in Int64.
        let seconds = Int64(max(min(whole, 1e15), -1e15)) + unixToReference
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        let bc = year <= 0
        writePadded(&encoder, bc ? 1 - year : year, width: 4)
        encoder.write(byte: UInt8(ascii: "-"))
        writePadded(&encoder, month, width: 2)
        encoder.write(byte: UInt8(ascii: "-"))
        writePadded(&encoder, day, width: 2)
        encoder.write(byte: UInt8(ascii: " "))
        writePadded(&encoder, secondOfDay / 3600, width: 2)
        encoder.write(byte: UInt8(ascii: ":"))
        writePadded(&encoder, secondOfDay / 60 % 60, width: 2)
        encoder.write(byte: UInt8(ascii: ":"))
        writePadded(&encoder, secondOfDay % 60, width: 2)
        encoder.write(byte: UInt8(ascii: "."))
        writePadded(&encoder, micros, width: 6)
        encoder.write("+00")
        if bc { encoder.write(" BC") }
    }

    private static func writePadded(_ encoder: inout PGEncoder, _ value: Int64, width: Int) {
        var digits = 1
        var v = value / 10
        while v > 0 {
            digits += 1
            v /= 10
        }
        for _ in digits..<max(width, digits) { encoder.write(byte: UInt8(ascii: "0")) }
        encoder.writeDecimal(value)
    }

    // MARK: Decoding

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.f...]][+HH[:MM[:SS]]][ BC]`, `infinity` and `-infinity`.
    /// A value without an offset (`timestamp`, `date`) is read as UTC.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        var p = Parser(text: text)
        if p.rest("infinity") { return Date(timeIntervalSinceReferenceDate: .infinity) }
        if p.rest("-infinity") { return Date(timeIntervalSinceReferenceDate: -.infinity) }

        guard let year = p.number(minDigits: 4, maxDigits: 9), p.take(UInt8(ascii: "-")),
            let month = p.number(minDigits: 2, maxDigits: 2), p.take(UInt8(ascii: "-")),
            let day = p.number(minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }

        var hour: Int64 = 0
        var minute: Int64 = 0
        var second: Int64 = 0
        var micros: Int64 = 0
        var offset: Int64 = 0
        if p.take(UInt8(ascii: " ")) || p.take(UInt8(ascii: "T")) {
            if p.peekLetter {
                // Only " BC" may follow a date without a time.
                p.index -= 1
            } else {
                guard let h = p.number(minDigits: 2, maxDigits: 2), p.take(UInt8(ascii: ":")),
                    let m = p.number(minDigits: 2, maxDigits: 2), p.take(UInt8(ascii: ":")),
                    let s = p.number(minDigits: 2, maxDigits: 2), h <= 24, m < 60, s <= 60
                else { return nil }
                hour = h
                minute = m
                second = s
                if p.take(UInt8(ascii: ".")) {
                    var scale: Int64 = 100_000
                    var digits = 0
                    var roundUp = false
                    while let d = p.digit() {
                        if digits < 6 {
                            micros += d * scale
                            scale /= 10
                        } else if digits == 6 {
                            roundUp = d >= 5
                        }
                        digits += 1
                    }
                    guard digits > 0 else { return nil }
                    if roundUp { micros += 1 }
                }
                if p.take(UInt8(ascii: "Z")) {
                    offset = 0
                } else if let sign = p.sign() {
                    guard let oh = p.number(minDigits: 2, maxDigits: 2) else { return nil }
                    var om: Int64 = 0
                    var os: Int64 = 0
                    if p.take(UInt8(ascii: ":")) {
                        guard let v = p.number(minDigits: 2, maxDigits: 2) else { return nil }
                        om = v
                        if p.take(UInt8(ascii: ":")) {
                            guard let v = p.number(minDigits: 2, maxDigits: 2) else { return nil }
                            os = v
                        }
                    }
                    offset = sign * (oh * 3600 + om * 60 + os)
                }
            }
        }
        var civilYear = year
        if p.rest(" BC") {
            civilYear = 1 - year
        } else if !p.atEnd {
            return nil
        }
        let days = days(fromCivil: civilYear, month, day)
        let unix = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        let reference = unix - unixToReference
        return Date(timeIntervalSinceReferenceDate: Double(reference) + Double(micros) / 1_000_000)
    }

    private struct Parser {
        let text: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == text.count }
        var peekLetter: Bool {
            index < text.count && (text[index] | 0x20) >= UInt8(ascii: "a") && (text[index] | 0x20) <= UInt8(ascii: "z")
        }

        mutating func take(_ c: UInt8) -> Bool {
            guard index < text.count, text[index] == c else { return false }
            index += 1
            return true
        }

        /// Whether the remaining text is exactly `s` (consumes it if so).
        mutating func rest(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard text.count - index == n else { return false }
            let matches = s.withUTF8Buffer { expected in
                (0..<n).allSatisfy { text[index + $0] == expected[$0] }
            }
            if matches { index += n }
            return matches
        }

        mutating func digit() -> Int64? {
            guard index < text.count, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") else {
                return nil
            }
            defer { index += 1 }
            return Int64(text[index] - UInt8(ascii: "0"))
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            var value: Int64 = 0
            var n = 0
            while n < maxDigits, let d = digit() {
                value = value * 10 + d
                n += 1
            }
            return n >= minDigits ? value : nil
        }

        mutating func sign() -> Int64? {
            if take(UInt8(ascii: "+")) { return 1 }
            if take(UInt8(ascii: "-")) { return -1 }
            return nil
        }
    }

    // MARK: Civil calendar (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms")

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
