// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Testing

@testable import Postgres

/// Encoding and decoding without a server.
@Suite struct CodecTests {
    private func text(_ binds: PGBindings, _ i: Int) -> String? {
        let offset = binds.offsets[i]
        if offset < 0 { return nil }
        let start = Int(offset)
        let end = binds.bytes[start...].firstIndex(of: 0)!
        return String(decoding: binds.bytes[start..<end], as: UTF8.self)
    }

    private func decodeTimestamp(_ s: String) -> Date? {
        var s = s
        return s.withUTF8 { PGTimestamp.decode($0) }
    }

    @Test func interpolationBindsEveryValue() {
        let id = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E")!
        let name: String? = nil
        let q: PGQuery = "SELECT * FROM s WHERE id = \(id) AND n = \(name) AND k = \(42) AND v = \(nil)"
        #expect(q.sql == "SELECT * FROM s WHERE id = $1 AND n = $2 AND k = $3 AND v = $4")
        #expect(q.binds.count == 4)
        #expect(text(q.binds, 0) == "0f8fad5b-d9cb-469f-a165-70867728950e")
        #expect(text(q.binds, 1) == nil)
        #expect(text(q.binds, 2) == "42")
        #expect(text(q.binds, 3) == nil)
        // Logging a query never shows values.
        #expect(!"\(q)".contains("0f8fad5b"))
    }

    @Test func explicitBinds() {
        let q = PGQuery(sql: "INSERT INTO t VALUES ($1, $2, $3)", binds: ["a", nil, Int16(-7)])
        #expect(q.binds.count == 3)
        #expect(text(q.binds, 0) == "a")
        #expect(text(q.binds, 1) == nil)
        #expect(text(q.binds, 2) == "-7")
    }

    @Test func scalarEncodings() {
        var b = PGBindings()
        b.append(Int64.min)
        b.append(Int64.max)
        b.append(true)
        b.append(Double.infinity)
        b.append(-Double.infinity)
        b.append(Double.nan)
        b.append(0.1)
        b.append([UInt8]([0, 1, 0xAB, 0xFF]))
        b.append(Data([0xDE, 0xAD]))
        b.append(["a", "b,c", "q\"uote", "back\\slash", "", "NULL", "{x}"])
        b.append([1, -2, 3])
        b.append([String]())
        #expect(text(b, 0) == "-9223372036854775808")
        #expect(text(b, 1) == "9223372036854775807")
        #expect(text(b, 2) == "t")
        #expect(text(b, 3) == "Infinity")
        #expect(text(b, 4) == "-Infinity")
        #expect(text(b, 5) == "NaN")
        #expect(text(b, 6) == "0.1")
        #expect(text(b, 7) == "\\x0001abff")
        #expect(text(b, 8) == "\\xdead")
        #expect(text(b, 9) == #"{"a","b,c","q\"uote","back\\slash","","NULL","{x}"}"#)
        #expect(text(b, 10) == #"{"1","-2","3"}"#)
        #expect(text(b, 11) == "{}")
    }

    @Test func nulByteIsRejectedBeforeSending() {
        let q: PGQuery = "SELECT \("a\u{0}b")"
        #expect(throws: PGError.self) { try q.binds.validate(sql: q.sql) }
        do {
            try q.binds.validate(sql: q.sql)
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("$1"))
        }
    }

    @Test func timestampEncoding() {
        func encode(_ d: Date) -> String {
            var b = PGBindings()
            b.append(d)
            return text(b, 0)!
        }
        #expect(encode(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
        #expect(encode(Date(timeIntervalSince1970: 1_767_225_600.123456)) == "2026-01-01 00:00:00.123456+00")
        #expect(encode(Date(timeIntervalSince1970: -1.5)) == "1969-12-31 23:59:58.500000+00")
        #expect(encode(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000000+00")
        #expect(encode(Date(timeIntervalSinceReferenceDate: .infinity)) == "infinity")
        // 44 BC: astronomical year -43.
        let days = PGTimestamp.days(fromCivil: -43, 3, 15)
        let idesOfMarch = Date(timeIntervalSince1970: Double(days * 86_400 + 12 * 3600))
        #expect(encode(idesOfMarch) == "0044-03-15 12:00:00.000000+00 BC")
    }

    @Test func timestampDecoding() {
        let base = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00:00 UTC
        #expect(decodeTimestamp("2026-01-01 00:00:00+00") == base)
        #expect(decodeTimestamp("2026-01-01 05:30:00+05:30") == base)
        #expect(decodeTimestamp("2025-12-31 20:30:00-03:30") == base)
        #expect(decodeTimestamp("2026-01-01 00:19:32+00:19:32") == base)
        #expect(decodeTimestamp("2026-01-01T00:00:00Z") == base)
        #expect(decodeTimestamp("2026-01-01 00:00:00") == base)
        #expect(decodeTimestamp("2026-01-01") == base)
        #expect(decodeTimestamp("2026-01-01 00:00:00.5+00")?.timeIntervalSince(base) == 0.5)
        let micro = decodeTimestamp("2026-01-01 00:00:00.000001+00")!
        #expect(abs(micro.timeIntervalSince(base) - 0.000001) < 1e-7)
        #expect(decodeTimestamp("infinity") == Date(timeIntervalSinceReferenceDate: .infinity))
        #expect(decodeTimestamp("-infinity") == Date(timeIntervalSinceReferenceDate: -.infinity))
        #expect(decodeTimestamp("12026-01-01 00:00:00+00") != nil)
        let bc = decodeTimestamp("0044-03-15 12:00:00+00 BC")!
        let days = PGTimestamp.days(fromCivil: -43, 3, 15)
        #expect(bc == Date(timeIntervalSince1970: Double(days * 86_400 + 12 * 3600)))
        #expect(decodeTimestamp("2026-13-01 00:00:00+00") == nil)
        #expect(decodeTimestamp("yesterday") == nil)
        #expect(decodeTimestamp("2026-01-01 00:00:00+00 garbage") == nil)
    }

    @Test func civilCalendarRoundTrip() {
        for days in stride(from: Int64(-1_000_000), through: 1_000_000, by: 997) {
            let (y, m, d) = PGTimestamp.civil(fromDays: days)
            #expect(PGTimestamp.days(fromCivil: y, m, d) == days)
        }
    }

    @Test func arrayLiteralSplitting() throws {
        func split(_ s: String) throws -> [String?] {
            var s = s
            return try s.withUTF8 { try PGArrayLiteral.split($0) }
        }
        #expect(try split("{}") == [])
        #expect(try split("{a,b}") == ["a", "b"])
        #expect(
            try split(#"{"b,c","q\"uote","back\\slash","",NULL,"NULL"}"#) == [
                "b,c", "q\"uote", "back\\slash", "", nil, "NULL",
            ])
        #expect(try split("[0:1]={7,8}") == ["7", "8"])
        #expect(throws: PGDecodingFailure.self) { try split("{{1,2},{3,4}}") }
        #expect(throws: PGDecodingFailure.self) { try split("not an array") }
    }

    @Test func integerParsing() throws {
        func parse<I: FixedWidthInteger>(_ s: String, _ type: I.Type) throws -> I {
            var s = s
            return try s.withUTF8 { try PGInteger.parse($0, as: I.self) }
        }
        #expect(try parse("-32768", Int16.self) == .min)
        #expect(try parse("32767", Int16.self) == .max)
        #expect(try parse("-9223372036854775808", Int64.self) == .min)
        #expect(throws: PGDecodingFailure.self) { try parse("32768", Int16.self) }
        #expect(throws: PGDecodingFailure.self) { try parse("12.5", Int.self) }
        #expect(throws: PGDecodingFailure.self) { try parse("", Int.self) }
        #expect(throws: PGDecodingFailure.self) { try parse("-", Int.self) }
    }

    @Test func errorDescriptions() {
        var e = PGError(
            code: .server, message: "permission denied for table x", sqlState: "42501",
            query: "SELECT * FROM x WHERE a = $1")
        #expect(
            e.description
                == "PostgreSQL error 42501 (insufficient_privilege): permission denied for table x; query: SELECT * FROM x WHERE a = $1"
        )
        e = PGError(
            code: .connectionFailed,
            message:
                "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"bob\"",
            endpoint: "host=127.0.0.1 port=5432 user=bob dbname=csms")
        #expect(e.description.contains("host=127.0.0.1 port=5432 user=bob"))
        #expect(e.description.contains("password authentication failed for user \"bob\""))
        #expect(e.description.contains("check the user name, the password"))
        #expect(PGError.Code.poolExhausted == .acquireTimeout)
    }

    @Test func configurationValidation() {
        var c = PGPoolConfiguration(conninfo: "host=x")
        #expect(c.validationErrors().isEmpty)
        c.maxConnections = 0
        c.statementCacheCapacity = 0
        c.connectTimeout = .zero
        #expect(c.validationErrors().count == 3)
    }
}
