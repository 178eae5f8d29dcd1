// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// One-dimensional PostgreSQL array literals in text format (PostgreSQL docs §8.15.6, "Array Input
/// and Output Syntax"): `{"a","b c",NULL}`.
enum PGArrayLiteral {
    /// Writes `{"e1","e2",...}`. Every element is double-quoted with `"` and `\` backslash-escaped, so
    /// commas, braces, spaces, the word NULL and empty strings survive unchanged.
    static func encode<Element: PGEncodable>(_ elements: [Element], into encoder: inout PGEncoder) {
        encoder.write(byte: UInt8(ascii: "{"))
        var scratch = PGEncoder(bytes: [])
        for (i, element) in elements.enumerated() {
            if i > 0 { encoder.write(byte: UInt8(ascii: ",")) }
            scratch.bytes.removeAll(keepingCapacity: true)
            scratch.isNull = false
            element.encode(into: &scratch)
            if scratch.isNull {
                encoder.write("NULL")
                continue
            }
            encoder.write(byte: UInt8(ascii: "\""))
            for byte in scratch.bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { encoder.write(byte: UInt8(ascii: "\\")) }
                encoder.write(byte: byte)
            }
            encoder.write(byte: UInt8(ascii: "\""))
        }
        encoder.write(byte: UInt8(ascii: "}"))
    }

    static func decode<Element: PGDecodable>(_ value: PGValue) throws -> [Element] {
        let elementType = PGTypeNames.elementType(ofArray: value.typeOID)
        let items = try value.withUTF8 { try split($0) }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            do {
                if let text = item {
                    result.append(try Element.decode(from: PGValue(text: text, typeOID: elementType)))
                } else {
                    result.append(try Element.decodeNull())
                }
            } catch {
                throw PGDecodingFailure("array element \(i + 1): \(error)")
            }
        }
        return result
    }

    /// Splits a one-dimensional array literal into its elements (`nil` for NULL).
    static func split(_ text: UnsafeBufferPointer<UInt8>) throws -> [String?] {
        var i = 0
        // Optional dimension decoration for lower bounds other than 1: `[0:2]={...}`.
        if i < text.count, text[i] == UInt8(ascii: "[") {
            while i < text.count, text[i] != UInt8(ascii: "=") { i += 1 }
            i += 1
        }
        guard i < text.count, text[i] == UInt8(ascii: "{"), text.last == UInt8(ascii: "}") else {
            throw PGDecodingFailure("\"\(String(decoding: text, as: UTF8.self))\" is not an array literal")
        }
        i += 1
        let end = text.count - 1
        var items: [String?] = []
        if i == end { return items }
        var current: [UInt8] = []
        while true {
            current.removeAll(keepingCapacity: true)
            while i < end, text[i] == UInt8(ascii: " ") { i += 1 }
            if i < end, text[i] == UInt8(ascii: "{") {
                throw PGDecodingFailure("multi-dimensional arrays are not supported")
            }
            if i < end, text[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < end {
                    let c = text[i]
                    if c == UInt8(ascii: "\\"), i + 1 < end {
                        current.append(text[i + 1])
                        i += 2
                    } else if c == UInt8(ascii: "\"") {
                        i += 1
                        closed = true
                        break
                    } else {
                        current.append(c)
                        i += 1
                    }
                }
                guard closed else { throw PGDecodingFailure("unterminated quoted array element") }
                while i < end, text[i] == UInt8(ascii: " ") { i += 1 }
                items.append(String(decoding: current, as: UTF8.self))
            } else {
                while i < end, text[i] != UInt8(ascii: ",") {
                    if text[i] == UInt8(ascii: "\\"), i + 1 < end {
                        current.append(text[i + 1])
                        i += 2
                    } else {
                        current.append(text[i])
                        i += 1
                    }
                }
                while let last = current.last, last == UInt8(ascii: " ") { current.removeLast() }
                if current.count == 4, String(decoding: current, as: UTF8.self).uppercased() == "NULL" {
                    items.append(nil)
                } else {
                    items.append(String(decoding: current, as: UTF8.self))
                }
            }
            if i == end { break }
            guard text[i] == UInt8(ascii: ",") else {
                throw PGDecodingFailure("unexpected character in array literal at offset \(i)")
            }
            i += 1
        }
        return items
    }
}
