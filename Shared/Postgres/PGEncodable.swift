// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A Swift value that can be sent as a bind parameter, in PostgreSQL text format.
public protocol PGEncodable: Sendable {
    /// Writes the value's text representation (what the type's input function accepts) to `encoder`,
    /// or calls ``PGEncoder/writeNull()``.
    func encode(into encoder: inout PGEncoder)
}

/// Receives one parameter's text.
public struct PGEncoder {
    var bytes: [UInt8]
    var isNull = false

    init(bytes: [UInt8]) { self.bytes = bytes }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ text: Substring) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func write<Bytes: Sequence>(utf8 bytes: Bytes) where Bytes.Element == UInt8 {
        self.bytes.append(contentsOf: bytes)
    }

    public mutating func write(byte: UInt8) {
        bytes.append(byte)
    }

    /// Marks the parameter as SQL NULL.
    public mutating func writeNull() {
        isNull = true
    }

    mutating func writeDecimal<I: BinaryInteger>(_ value: I) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // Magnitude as UInt64 handles Int64.min without overflow.
        var magnitude = UInt64(value.magnitude)
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 0
            while magnitude > 0 {
                digits[n] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                bytes.append(digits[n])
            }
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func writeHex(_ byte: UInt8) {
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0x0F)])
    }
}

/// SQL NULL of unspecified type, for `"\(nil)"` in a ``PGQuery``.
public struct PGNull: PGEncodable, ExpressibleByNilLiteral, Hashable {
    public init() {}
    public init(nilLiteral: ()) {}
    public func encode(into encoder: inout PGEncoder) { encoder.writeNull() }
}

extension Optional: PGEncodable where Wrapped: PGEncodable {
    public func encode(into encoder: inout PGEncoder) {
        switch self {
        case .none: encoder.writeNull()
        case .some(let value): value.encode(into: &encoder)
        }
    }
}

extension String: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.write(self) }
}

extension Substring: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.write(self) }
}

extension Int: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.writeDecimal(self) }
}

extension Int16: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.writeDecimal(self) }
}

extension Int32: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.writeDecimal(self) }
}

extension Int64: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.writeDecimal(self) }
}

extension Bool: PGEncodable {
    public func encode(into encoder: inout PGEncoder) {
        encoder.write(byte: self ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }
}

extension Double: PGEncodable {
    /// Shortest text that reads back as the same `Double` (Swift's `description`); infinities and
    /// NaN use PostgreSQL's spelling.
    public func encode(into encoder: inout PGEncoder) { encoder.writeFloatingPoint(self) }
}

extension Float: PGEncodable {
    public func encode(into encoder: inout PGEncoder) { encoder.writeFloatingPoint(self) }
}

extension PGEncoder {
    mutating func writeFloatingPoint<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) {
        if value.isNaN {
            write("NaN")
        } else if value.isInfinite {
            write(value < 0 ? "-Infinity" : "Infinity")
        } else {
            write(value.description)
        }
    }
}

extension UUID: PGEncodable {
    public func encode(into encoder: inout PGEncoder) {
        withUnsafeBytes(of: uuid) { raw in
            for (i, byte) in raw.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { encoder.write(byte: UInt8(ascii: "-")) }
                encoder.writeHex(byte)
            }
        }
    }
}

extension Date: PGEncodable {
    /// `timestamptz` text in UTC with microseconds: `2026-03-01 12:00:00.123456+00`.
    public func encode(into encoder: inout PGEncoder) {
        PGTimestamp.encode(self, into: &encoder)
    }
}

extension Data: PGEncodable {
    /// `bytea` in hex format (`\x0a1b...`).
    public func encode(into encoder: inout PGEncoder) {
        encoder.write(byte: UInt8(ascii: "\\"))
        encoder.write(byte: UInt8(ascii: "x"))
        encoder.bytes.reserveCapacity(encoder.bytes.count + count * 2 + 1)
        for byte in self { encoder.writeHex(byte) }
    }
}

/// Element types of arrays sent as PostgreSQL array literals (`{"a","b"}`); `[UInt8]` is the
/// exception and is sent as `bytea`.
public protocol PGArrayElement: Sendable {
    static func encodeArray(_ elements: [Self], into encoder: inout PGEncoder)
    static func decodeArray(_ value: PGValue) throws -> [Self]
}

extension PGArrayElement where Self: PGEncodable {
    public static func encodeArray(_ elements: [Self], into encoder: inout PGEncoder) {
        PGArrayLiteral.encode(elements, into: &encoder)
    }
}

extension PGArrayElement where Self: PGDecodable {
    public static func decodeArray(_ value: PGValue) throws -> [Self] {
        try PGArrayLiteral.decode(value)
    }
}

extension Array: PGEncodable where Element: PGArrayElement {
    public func encode(into encoder: inout PGEncoder) {
        Element.encodeArray(self, into: &encoder)
    }
}

extension String: PGArrayElement {}
extension Int: PGArrayElement {}
extension Int16: PGArrayElement {}
extension Int32: PGArrayElement {}
extension Int64: PGArrayElement {}
extension Double: PGArrayElement {}
extension Bool: PGArrayElement {}
extension UUID: PGArrayElement {}

extension UInt8: PGArrayElement {
    /// `[UInt8]` is `bytea` (hex format), not an array of numbers.
    public static func encodeArray(_ elements: [UInt8], into encoder: inout PGEncoder) {
        encoder.write(byte: UInt8(ascii: "\\"))
        encoder.write(byte: UInt8(ascii: "x"))
        encoder.bytes.reserveCapacity(encoder.bytes.count + elements.count * 2 + 1)
        for byte in elements { encoder.writeHex(byte) }
    }

    public static func decodeArray(_ value: PGValue) throws -> [UInt8] {
        try PGBytea.decode(value)
    }
}
