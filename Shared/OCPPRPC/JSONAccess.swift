// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

/// Typed reads of a payload that has already passed its schema check.
///
/// Handlers run only after the payload was validated against the action's schema, so a field the
/// schema requires is present with the right JSON type; these accessors still return optionals so
/// that a schema gap can never crash the worker.
extension JSONObject {
    public func string(_ key: String) -> String? {
        if case .string(let s)? = self[key] { return s }
        return nil
    }

    /// An integer field; a number with a zero fraction (`3.0`) is accepted as the integer it spells.
    public func int(_ key: String) -> Int? {
        switch self[key] {
        case .integer(let i)?: return Int(exactly: i)
        case .number(let d)?: return d.rounded() == d ? Int(exactly: d) : nil
        default: return nil
        }
    }

    public func double(_ key: String) -> Double? {
        switch self[key] {
        case .integer(let i)?: return Double(i)
        case .number(let d)?: return d
        default: return nil
        }
    }

    public func bool(_ key: String) -> Bool? {
        if case .bool(let b)? = self[key] { return b }
        return nil
    }

    public func object(_ key: String) -> JSONObject? {
        if case .object(let o)? = self[key] { return o }
        return nil
    }

    public func array(_ key: String) -> [JSONValue]? {
        if case .array(let a)? = self[key] { return a }
        return nil
    }

    /// The members of an array field that are objects (all of them, for a validated payload).
    public func objects(_ key: String) -> [JSONObject] {
        (array(key) ?? []).compactMap { if case .object(let o) = $0 { o } else { nil } }
    }

    /// A `date-time` field (RFC 3339), as a `Date`.
    public func date(_ key: String) -> Date? {
        string(key).flatMap(OCPPDateTime.parse)
    }
}

extension JSONValue {
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// RFC 3339 date-times as OCPP uses them (`2026-11-25T10:00:00Z`, `2026-11-25T10:00:00.123+01:00`).
public enum OCPPDateTime {
    /// Parses an RFC 3339 `date-time` (JSON Schema `format: date-time`): full date, `T` (or `t`),
    /// time with optional fraction, and `Z` or a numeric offset. Anything else is nil.
    public static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= u.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                let c = u[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard u.count >= 20, let year = digits(0, 4), u[4] == 0x2D, let month = digits(5, 2), u[7] == 0x2D,
            let day = digits(8, 2), u[10] == 0x54 || u[10] == 0x74, let hour = digits(11, 2), u[13] == 0x3A,
            let minute = digits(14, 2), u[16] == 0x3A, let second = digits(17, 2)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < u.count, u[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                fraction += Double(u[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < u.count else { return nil }
        var offsetSeconds = 0
        if u[i] == 0x5A || u[i] == 0x7A {
            i += 1
        } else if u[i] == 0x2B || u[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < u.count, u[i + 3] == 0x3A, let om = digits(i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (u[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count, (1...12).contains(month), hour < 24, minute < 60, second <= 60 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }
        // Days from 1970-01-01 (proleptic Gregorian; civil-from-days inverse).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `2026-11-25T10:00:00.123Z`: UTC, millisecond precision (what stations parse most reliably).
    public static func format(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - days * 86_400_000
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let doe = days - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let h = msOfDay / 3_600_000
        let m = msOfDay / 60000 % 60
        let s = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}
