// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A Swift type that can be read from a column in PostgreSQL text format.
public protocol PGDecodable: Sendable {
    /// Decodes a non-NULL value. Throw ``PGDecodingFailure`` (or any error) when the text does not
    /// fit; ``PGRow`` adds the column name, the column type and the query to the error.
    static func decode(from value: PGValue) throws -> Self

    /// Called for SQL NULL. The default throws; `Optional` returns `nil`.
    static func decodeNull() throws -> Self
}

extension PGDecodable {
    public static func decodeNull() throws -> Self {
        throw PGDecodingFailure("the value is NULL (decode as \(Self.self)? to accept NULL)")
    }
}

/// Why a value could not be decoded.
public struct PGDecodingFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Optional: PGDecodable where Wrapped: PGDecodable {
    public static func decode(from value: PGValue) throws -> Wrapped? { try Wrapped.decode(from: value) }
    public static func decodeNull() throws -> Wrapped? { nil }
}

extension String: PGDecodable {
    /// Any column's text representation.
    public static func decode(from value: PGValue) throws -> String { value.string }
}

enum PGInteger {
    static func parse<I: FixedWidthInteger>(_ text: UnsafeBufferPointer<UInt8>, as type: I.Type) throws -> I {
        var i = 0
        var negative = false
        if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < text.count else {
            throw PGDecodingFailure("\"\(String(decoding: text, as: UTF8.self))\" is not an integer")
        }
        // Accumulate negatively so that I.min parses without overflow.
        var value: I = 0
        while i < text.count {
            let c = text[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else {
                throw PGDecodingFailure("\"\(String(decoding: text, as: UTF8.self))\" is not an integer")
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(I(c &- UInt8(ascii: "0")))
            if o1 || o2 {
                throw PGDecodingFailure("\(String(decoding: text, as: UTF8.self)) does not fit in \(I.self)")
            }
            value = s
            i += 1
        }
        if negative { return value }
        let (positive, overflow) = I.zero.subtractingReportingOverflow(value)
        if overflow { throw PGDecodingFailure("\(String(decoding: text, as: UTF8.self)) does not fit in \(I.self)") }
        return positive
    }
}

extension Int: PGDecodable {
    public static func decode(from value: PGValue) throws -> Int {
        try value.withUTF8 { try PGInteger.parse($0, as: Int.self) }
    }
}

extension Int16: PGDecodable {
    public static func decode(from value: PGValue) throws -> Int16 {
        try value.withUTF8 { try PGInteger.parse($0, as: Int16.self) }
    }
}

extension Int32: PGDecodable {
    public static func decode(from value: PGValue) throws -> Int32 {
        try value.withUTF8 { try PGInteger.parse($0, as: Int32.self) }
    }
}

extension Int64: PGDecodable {
    public static func decode(from value: PGValue) throws -> Int64 {
        try value.withUTF8 { try PGInteger.parse($0, as: Int64.self) }
    }
}

extension Double: PGDecodable {
    /// `float4`, `float8` and `numeric` text, including `NaN`, `Infinity` and `-Infinity`.
    public static func decode(from value: PGValue) throws -> Double {
        let text = value.string
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let d = Double(text) else { throw PGDecodingFailure("\"\(text)\" is not a number") }
            return d
        }
    }
}

extension Float: PGDecodable {
    public static func decode(from value: PGValue) throws -> Float {
        Float(try Double.decode(from: value))
    }
}

extension Bool: PGDecodable {
    public static func decode(from value: PGValue) throws -> Bool {
        try value.withUTF8 { text in
            if text.count == 1 {
                if text[0] == UInt8(ascii: "t") { return true }
                if text[0] == UInt8(ascii: "f") { return false }
            }
            switch String(decoding: text, as: UTF8.self).lowercased() {
            case "true": return true
            case "false": return false
            default: throw PGDecodingFailure("\"\(String(decoding: text, as: UTF8.self))\" is not a boolean (t/f)")
            }
        }
    }
}

extension UUID: PGDecodable {
    public static func decode(from value: PGValue) throws -> UUID {
        try value.withUTF8 { text in
            var bytes = (
                UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0)
            )
            let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var n = 0
                var high: UInt8? = nil
                for c in text {
                    if c == UInt8(ascii: "-") { continue }
                    guard let nibble = PGHex.nibble(c), n < 16 else { return false }
                    if let h = high {
                        out[n] = h << 4 | nibble
                        n += 1
                        high = nil
                    } else {
                        high = nibble
                    }
                }
                return n == 16 && high == nil
            }
            guard ok else { throw PGDecodingFailure("\"\(String(decoding: text, as: UTF8.self))\" is not a UUID") }
            return UUID(uuid: bytes)
        }
    }
}

extension Date: PGDecodable {
    /// `timestamptz` (any session time zone), `timestamp` (read as UTC) and `date` (midnight UTC) in
    /// `DateStyle=ISO`. `infinity` and `-infinity` become dates with infinite time intervals, which
    /// encode back to the same values.
    public static func decode(from value: PGValue) throws -> Date {
        try value.withUTF8 { text in
            guard let date = PGTimestamp.decode(text) else {
                throw PGDecodingFailure(
                    "\"\(String(decoding: text, as: UTF8.self))\" is not an ISO timestamp (the connection must use DateStyle=ISO)"
                )
            }
            return date
        }
    }
}

extension Data: PGDecodable {
    public static func decode(from value: PGValue) throws -> Data {
        Data(try PGBytea.decode(value))
    }
}

extension Array: PGDecodable where Element: PGArrayElement {
    public static func decode(from value: PGValue) throws -> [Element] {
        try Element.decodeArray(value)
    }
}

enum PGHex {
    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}

/// `bytea` text: hex format (`\x...`, the default since PostgreSQL 9.0 and what this module asks
/// for) and the older escape format.
enum PGBytea {
    static func decode(_ value: PGValue) throws -> [UInt8] {
        try value.withUTF8 { text in
            if text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") {
                guard text.count % 2 == 0 else { throw PGDecodingFailure("odd number of hex digits in bytea") }
                var out = [UInt8]()
                out.reserveCapacity((text.count - 2) / 2)
                var i = 2
                while i < text.count {
                    guard let h = PGHex.nibble(text[i]), let l = PGHex.nibble(text[i + 1]) else {
                        throw PGDecodingFailure("invalid hex digit in bytea at offset \(i)")
                    }
                    out.append(h << 4 | l)
                    i += 2
                }
                return out
            }
            // Escape format: `\\` is a backslash, `\ooo` an octal byte, anything else itself.
            var out = [UInt8]()
            out.reserveCapacity(text.count)
            var i = 0
            while i < text.count {
                let c = text[i]
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                } else if i + 1 < text.count, text[i + 1] == UInt8(ascii: "\\") {
                    out.append(c)
                    i += 2
                } else if i + 3 < text.count {
                    var byte: UInt32 = 0
                    for k in 1...3 {
                        let d = text[i + k]
                        guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") else {
                            throw PGDecodingFailure("invalid escape in bytea at offset \(i)")
                        }
                        byte = byte * 8 + UInt32(d - UInt8(ascii: "0"))
                    }
                    guard byte <= 255 else { throw PGDecodingFailure("invalid escape in bytea at offset \(i)") }
                    out.append(UInt8(byte))
                    i += 4
                } else {
                    throw PGDecodingFailure("truncated escape in bytea at offset \(i)")
                }
            }
            return out
        }
    }
}
