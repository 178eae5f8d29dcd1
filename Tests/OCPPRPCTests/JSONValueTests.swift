// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import OCPPRPC

func parseError(_ text: String, maxDepth: Int = 64) -> JSONParseError.Code? {
    do {
        _ = try JSONValue.parse(text, maxDepth: maxDepth)
        return nil
    } catch {
        return error.code
    }
}

@Suite struct JSONValueTests {
    @Test func integersStayExactInt64AndFractionsBecomeDouble() throws {
        #expect(try JSONValue.parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try JSONValue.parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try JSONValue.parse("1.5") == .number(1.5))
        #expect(try JSONValue.parse("1e3") == .number(1000))
        #expect(try JSONValue.parse("1.0") == .number(1.0))
        // Too big for Int64: falls back to Double instead of failing.
        #expect(try JSONValue.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }

    @Test func rejectsMalformedNumbers() {
        #expect(parseError("01") == .trailingData)
        #expect(parseError("-") == .unexpectedEndOfInput)
        #expect(parseError("1.") == .invalidNumber)
        #expect(parseError("1e") == .invalidNumber)
        #expect(parseError("+1") == .unexpectedCharacter)
        #expect(parseError("1e400") == .invalidNumber)
        #expect(parseError("NaN") == .unexpectedCharacter)
    }

    @Test func rejectsTrailingGarbageButAllowsTrailingWhitespace() throws {
        #expect(parseError("{} x") == .trailingData)
        #expect(parseError("[1]]") == .trailingData)
        #expect(parseError("{}{}") == .trailingData)
        #expect(try JSONValue.parse(" \t\r\n[1] \n") == [1])
        // RFC 8259 §8.1: a byte-order mark is not JSON text.
        #expect(parseError("\u{FEFF}{}") == .unexpectedCharacter)
    }

    @Test func rejectsStructuralErrors() {
        #expect(parseError("") == .unexpectedEndOfInput)
        #expect(parseError("[1,]") == .unexpectedCharacter)
        #expect(parseError("{\"a\":1,}") == .unexpectedCharacter)
        #expect(parseError("{\"a\" 1}") == .unexpectedCharacter)
        #expect(parseError("{a:1}") == .unexpectedCharacter)
        #expect(parseError("[1 2]") == .unexpectedCharacter)
        #expect(parseError("tru") == .unexpectedEndOfInput)
        #expect(parseError("nul1") == .unexpectedCharacter)
        #expect(parseError("{\"a\":1,\"a\":2}") == .duplicateKey)
    }

    @Test func depthCapIsReportedDistinctly() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        #expect(parseError(tooDeep) == .depthLimitExceeded)
        #expect(parseError("{\"a\":{\"b\":{}}}", maxDepth: 2) == .depthLimitExceeded)
        // A deep document that is also truncated fails on depth first, without recursing further.
        #expect(parseError(String(repeating: "[", count: 100_000)) == .depthLimitExceeded)
    }

    @Test func stringEscapesDecode() throws {
        #expect(try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try JSONValue.parse(#""\u00e9\u20AC""#) == .string("é€"))
        // Surrogate pair for U+1F50C (electric plug).
        #expect(try JSONValue.parse(#""\ud83d\udd0c""#) == .string("🔌"))
        #expect(try JSONValue.parse("\"Zürich ⚡ 充电\"") == .string("Zürich ⚡ 充电"))
    }

    @Test func rejectsInvalidStrings() {
        #expect(parseError(#""\x""#) == .invalidString)
        #expect(parseError(#""\u12""#) == .invalidString)
        #expect(parseError(#""\ud83d""#) == .invalidString)
        #expect(parseError(#""\ud83dx""#) == .invalidString)
        #expect(parseError(#""\udd0c""#) == .invalidString)
        #expect(parseError("\"a\nb\"") == .invalidString)
        #expect(parseError("\"abc") == .unexpectedEndOfInput)
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func serializerIsCompactAndEscapesOnlyWhatJSONRequires() {
        let value: JSONValue = [
            "b": [1, 2.5, true, false, nil],
            "a": "quote\" backslash\\ slash/ nl\n tab\t bell\u{7} é 🔌",
        ]
        #expect(
            value.jsonText
                == #"{"b":[1,2.5,true,false,null],"a":"quote\" backslash\\ slash/ nl\n tab\t bell\u0007 é 🔌"}"#)
        #expect(JSONValue.number(.infinity).jsonText == "null")
        #expect(JSONValue.number(1e-7).jsonText == "1e-07")
    }

    @Test func roundTripPreservesKeyOrderAndValues() throws {
        let text = #"{"z":1,"a":{"y":[],"b":{}},"m":-0.25,"s":"\u0001é","n":null,"i":-12345678901234}"#
        let parsed = try JSONValue.parse(text)
        #expect(parsed.jsonText == text)
        #expect(try JSONValue.parse(parsed.serialized()) == parsed)
        guard case .object(let object) = parsed else {
            Issue.record("expected an object")
            return
        }
        #expect(object.keys == ["z", "a", "m", "s", "n", "i"])
        #expect(object["i"] == .integer(-12_345_678_901_234))
    }

    @Test func objectSubscriptReplacesInPlaceAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 3
        object["c"] = 4
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(JSONValue.object(object).jsonText == #"{"a":3,"c":4}"#)
    }
}
