// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Why a byte sequence is not an acceptable JSON document.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unexpectedEndOfInput, unexpectedCharacter, trailingData, invalidString, invalidNumber
            case duplicateKey, depthLimitExceeded
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input stopped inside a value.
        public static let unexpectedEndOfInput = Code(.unexpectedEndOfInput)
        /// A byte that the JSON grammar does not allow at this position.
        public static let unexpectedCharacter = Code(.unexpectedCharacter)
        /// A complete value followed by anything but whitespace.
        public static let trailingData = Code(.trailingData)
        /// Bad escape, unescaped control character, lone surrogate or invalid UTF-8 in a string.
        public static let invalidString = Code(.invalidString)
        /// Malformed number, or one outside the range of `Double`.
        public static let invalidNumber = Code(.invalidNumber)
        /// The same key twice in one object (RFC 8259 §4 leaves the meaning open, so it is refused).
        public static let duplicateKey = Code(.duplicateKey)
        /// Arrays and objects nested deeper than the configured limit.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// Byte offset into the input where the problem was found.
    public let offset: Int
    public let reason: String

    public var description: String { "\(code) at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// The default nesting limit: an OCPP frame is an array holding a payload object, and no
    /// OCPP 1.6 or 2.0.1 message schema nests anywhere near 64 levels.
    public static let defaultMaxDepth = 64

    /// Parses exactly one JSON value (RFC 8259) from UTF-8 bytes.
    ///
    /// Strict: only space, tab, CR and LF count as whitespace, a byte-order mark is refused,
    /// anything after the value other than whitespace is an error, strings must be valid
    /// UTF-8 without lone surrogates, duplicate object keys are refused, and more than
    /// `maxDepth` nested arrays/objects fail with ``JSONParseError/Code/depthLimitExceeded``.
    public static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses the UTF-8 encoding of `text`; see the `[UInt8]` overload.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

struct JSONParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index != bytes.count {
            throw fail(.trailingData, "unexpected data after the JSON value")
        }
        return value
    }

    private func fail(_ code: JSONParseError.Code, _ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(code: code, offset: offset ?? index, reason: reason)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw fail(.unexpectedEndOfInput, "input ended inside a JSON value") }
        return bytes[index]
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let byte:
            throw fail(.unexpectedCharacter, "unexpected byte 0x\(String(byte, radix: 16)) at start of value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let text = literal.withUTF8Buffer { Array($0) }
        for expected in text {
            guard index < bytes.count else { throw fail(.unexpectedEndOfInput, "input ended inside \(literal)") }
            guard bytes[index] == expected else {
                throw fail(.unexpectedCharacter, "invalid literal, expected \(literal)", at: start)
            }
            index += 1
        }
    }

    private mutating func enter(_ depth: Int) throws(JSONParseError) {
        if depth > maxDepth {
            throw fail(.depthLimitExceeded, "arrays/objects nested deeper than \(maxDepth) levels")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth)
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw fail(.unexpectedCharacter, "expected ',' or ']' in array")
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONObject {
        try enter(depth)
        index += 1
        var members: [JSONObject.Member] = []
        var seen = Set<String>()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            let keyOffset = index
            guard try peek() == UInt8(ascii: "\"") else {
                throw fail(.unexpectedCharacter, "expected a string key in object")
            }
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw fail(.duplicateKey, "duplicate object key \"\(key)\"", at: keyOffset)
            }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw fail(.unexpectedCharacter, "expected ':' after key") }
            index += 1
            skipWhitespace()
            members.append(JSONObject.Member(key: key, value: try parseValue(depth: depth)))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return JSONObject(members)
            default: throw fail(.unexpectedCharacter, "expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail(.unexpectedEndOfInput, "unterminated string", at: start) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw fail(.invalidString, "string is not valid UTF-8", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw fail(.invalidString, "unescaped control character 0x\(String(byte, radix: 16)) in string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index - 1
        let byte = try peek()
        index += 1
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalarValue = UInt32(try parseHex4())
            if (0xD800...0xDBFF).contains(scalarValue) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail(.invalidString, "high surrogate without a following low surrogate", at: escapeStart) }
                index += 2
                let low = UInt32(try parseHex4())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw fail(.invalidString, "high surrogate followed by a non-low surrogate", at: escapeStart)
                }
                scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalarValue) {
                throw fail(.invalidString, "lone low surrogate escape", at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw fail(.invalidString, "invalid unicode escape", at: escapeStart)
            }
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw fail(.invalidString, "invalid escape sequence", at: escapeStart)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = try peek()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidString, "expected four hex digits after \\u")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail(.unexpectedEndOfInput, "input ended inside a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if try scanDigits() == 0 {
            throw fail(.invalidNumber, "expected a digit", at: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard try scanDigits() > 0 else { throw fail(.invalidNumber, "expected a digit after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard try scanDigits() > 0 else { throw fail(.invalidNumber, "expected a digit in exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else {
            throw fail(.invalidNumber, "number \(text) is out of range", at: start)
        }
        return .number(double)
    }

    private mutating func scanDigits() throws(JSONParseError) -> Int {
        var count = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            index += 1
            count += 1
        }
        return count
    }
}
