// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres
import Testing

/// Every supported type through a real server: bind parameter → column → decoded value.
@Suite(.postgresDatabase) struct TypeRoundTripTests {
    struct Row: Equatable {
        var t: String?
        var i8: Int?
        var i4: Int32?
        var i2: Int16?
        var i64: Int64?
        var f8: Double?
        var b: Bool?
        var u: UUID?
        var ts: Date?
        var by: [UInt8]?
        var data: Data?
        var ta: [String]?
        var ia: [Int]?
        var ua: [UUID]?
    }

    @Test func everyTypeIncludingNullsAndUnicode() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.execute(
                """
                CREATE TABLE types_rt (
                    id int PRIMARY KEY, t text, i8 bigint, i4 integer, i2 smallint, i64 bigint, f8 double precision,
                    b boolean, u uuid, ts timestamptz, by bytea, data bytea, ta text[], ia bigint[], ua uuid[])
                """)
            let full = Row(
                t: "Ladesäule ⚡ 充电桩 🚗 \"quoted\" \\ back 'single'", i8: Int.min, i4: Int32.max, i2: Int16.min,
                i64: Int64.max, f8: -1.5e-300, b: true, u: UUID(),
                ts: Date(timeIntervalSinceReferenceDate: 800_000_000.123456),
                by: Array(0...255), data: Data([0, 0x5C, 0x78, 0xFF]),
                ta: ["a", "b,c", "q\"uote", "back\\slash", "", "NULL", "{x}", "äöü ☃"], ia: [Int.min, 0, Int.max],
                ua: [UUID(), UUID()])
            let empty = Row(ta: [], ia: [], ua: [])
            let nulls = Row()
            for (id, r) in [(1, full), (2, empty), (3, nulls)] {
                let n = try await pool.execute(
                    """
                    INSERT INTO types_rt VALUES (\(id), \(r.t), \(r.i8), \(r.i4), \(r.i2), \(r.i64), \(r.f8), \(r.b),
                        \(r.u), \(r.ts), \(r.by), \(r.data), \(r.ta), \(r.ia), \(r.ua))
                    """)
                #expect(n == 1)
            }
            let result = try await pool.query(
                "SELECT t, i8, i4, i2, i64, f8, b, u, ts, by, data, ta, ia, ua FROM types_rt ORDER BY id")
            #expect(result.count == 3)
            #expect(
                result.columnNames == [
                    "t", "i8", "i4", "i2", "i64", "f8", "b", "u", "ts", "by", "data", "ta", "ia", "ua",
                ])
            let decoded = try result.map { row in
                Row(
                    t: try row.decode(String?.self, column: "t"), i8: try row.decode(Int?.self, column: "i8"),
                    i4: try row.decode(Int32?.self, column: "i4"), i2: try row.decode(Int16?.self, column: "i2"),
                    i64: try row.decode(Int64?.self, column: "i64"), f8: try row.decode(Double?.self, column: "f8"),
                    b: try row.decode(Bool?.self, column: "b"), u: try row.decode(UUID?.self, column: "u"),
                    ts: try row.decode(Date?.self, column: "ts"), by: try row.decode([UInt8]?.self, column: "by"),
                    data: try row.decode(Data?.self, column: "data"), ta: try row.decode([String]?.self, column: "ta"),
                    ia: try row.decode([Int]?.self, column: "ia"), ua: try row.decode([UUID]?.self, column: "ua"))
            }
            #expect(decoded == [full, empty, nulls])
        }
    }

    @Test func specialDoubles() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            for value in [0.0, -0.0, .pi, 1e300, -1e-300, .infinity, -.infinity, .greatestFiniteMagnitude] {
                let back = try await pool.query("SELECT \(value)::float8").rows[0].decode(Double.self, column: 0)
                #expect(back == value)
                #expect(back.sign == value.sign)
            }
            let nan = try await pool.query("SELECT \(Double.nan)::float8").rows[0].decode(Double.self, column: 0)
            #expect(nan.isNaN)
            let numeric = try await pool.query("SELECT 12.50::numeric").rows[0].decode(Double.self, column: 0)
            #expect(numeric == 12.5)
        }
    }

    @Test func substringAndBoolAndEmptyString() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let text = "charge-point-0042"
            let sub = text.dropFirst(7).prefix(5)
            let r = try await pool.query("SELECT \(sub)::text, \(false)::bool, \("")::text, \(nil)::text")
            let (s, b, e, n) = try r.rows[0].decode((String, Bool, String, String?).self)
            #expect(s == "point")
            #expect(b == false)
            #expect(e == "")
            #expect(n == nil)
        }
    }

    /// The server prints timestamptz in the session's time zone; decoding must give the same instant
    /// whatever that zone is, including historical offsets with seconds and dates BC.
    @Test(arguments: ["UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "Europe/Amsterdam"])
    func timestampsInAnySessionTimeZone(zone: String) async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let dates = [
                Date(timeIntervalSince1970: 1_767_225_600.654321),
                Date(timeIntervalSince1970: 0),
                Date(timeIntervalSince1970: -3_786_825_600.25),  // 1850: local mean time offsets
                Date(timeIntervalSince1970: -62_167_219_200 - 86_400 * 400),  // before year 1: BC
                Date(timeIntervalSince1970: 32_503_680_000.000001),  // year 3000
                Date(timeIntervalSinceReferenceDate: .infinity),
                Date(timeIntervalSinceReferenceDate: -.infinity),
            ]
            try await pool.transaction { c in
                try await c.simpleQuery("SET LOCAL TIME ZONE \(try await c.escapeLiteral(zone))")
                for date in dates {
                    let r = try await c.query("SELECT \(date)::timestamptz AS at, \(date)::timestamptz::text AS shown")
                    let back = try r.rows[0].decode(Date.self, column: "at")
                    let shown = try r.rows[0].decode(String.self, column: "shown")
                    if date.timeIntervalSinceReferenceDate.isInfinite {
                        #expect(back == date, "\(shown)")
                    } else {
                        #expect(abs(back.timeIntervalSince(date)) < 0.000_001, "\(shown) in \(zone)")
                    }
                }
            }
        }
    }

    @Test func dateAndTimestampWithoutTimeZoneAreUTC() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let r = try await pool.query("SELECT '2026-03-01'::date, '2026-03-01 12:30:00.5'::timestamp")
            let (day, local) = try r.rows[0].decode((Date, Date).self)
            #expect(day == Date(timeIntervalSince1970: 1_772_323_200))
            #expect(local == Date(timeIntervalSince1970: 1_772_323_200 + 12 * 3600 + 1800.5))
        }
    }
}
