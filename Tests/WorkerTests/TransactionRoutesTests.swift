// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import Postgres
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// Keyset pagination of transactions and meter values, run against the real schema as the
/// tenant's own role: pages never repeat or skip a row, also when rows share a sort time and when
/// rows are added between pages.
@Suite("Transactions and meter values in the tenant REST API")
struct TransactionRoutesTests {
    struct Fixture {
        let pool: PGPool
        let station: Int64
        var routes: TransactionRoutes { TransactionRoutes(postgres: pool) }
    }

    static func fixture() async throws -> Fixture {
        let db = try await WorkerHealthTests.database.value
        let tenant = try await db.createTenant(slug: "tx-\(TestEnvironment.uniqueSuffix().prefix(8))")
        let station = try await tenant.pool.query(
            "INSERT INTO csms.stations (identity, registration_status) VALUES ('CP-TX', 'accepted') RETURNING id"
        ).rows[0].decode(Int64.self, column: 0)
        return Fixture(pool: tenant.pool, station: station)
    }

    static func request(_ pathAndQuery: String) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "acme.csms.test", path: pathAndQuery),
            body: RequestBody(buffer: ByteBuffer()))
    }

    /// Inserts a transaction; returns its id.
    @discardableResult
    static func transaction(
        _ f: Fixture, remote: String, startedAt: Date?, status: String = "completed", token: String? = nil
    ) async throws -> Int64 {
        try await f.pool.query(
            """
            INSERT INTO csms.transactions (station_id, remote_id, status, started_at, id_token, meter_start_wh,
                meter_stop_wh)
            VALUES (\(f.station), \(remote), \(status), \(startedAt)::timestamptz, \(token), 100, 350)
            RETURNING id
            """
        ).rows[0].decode(Int64.self, column: 0)
    }

    /// Every page of `path` (limit `limit`), running `between` after each.
    static func pages(
        _ path: String, limit: Int, list: (Request) async throws -> JSONBody,
        between: (Int) async throws -> Void = { _ in }
    ) async throws -> [[JSONObject]] {
        var pages: [[JSONObject]] = []
        var cursor: JSONValue = .null
        repeat {
            var url = path + (path.contains("?") ? "&" : "?") + "limit=\(limit)"
            if case .string(let next) = cursor { url += "&cursor=\(next)" }
            let body = try await list(request(url)).value
            guard case .array(let items)? = body.objectValue?["items"] else {
                Issue.record("no items in \(body.jsonText)")
                break
            }
            pages.append(items.compactMap(\.objectValue))
            cursor = body.objectValue?["next_cursor"] ?? .null
            try await between(pages.count)
        } while cursor != .null && pages.count < 100
        return pages
    }

    @Test func newestFirstPagesNeitherRepeatNorSkipWhileTransactionsArrive() async throws {
        let f = try await Self.fixture()
        let base = Date(timeIntervalSince1970: 1_780_000_000.123456)
        var expected: Set<Int64> = []
        // Pairs share a start time: the id breaks the tie.
        for i in 0..<10 {
            expected.insert(try await Self.transaction(f, remote: "r\(i)", startedAt: base + Double(i / 2)))
        }
        // An orphan stop without a start time sorts by when it was recorded (now: newest).
        let orphan = try await Self.transaction(f, remote: "orphan", startedAt: nil, status: "orphan")
        expected.insert(orphan)
        var late: Int64 = 0
        let pages = try await Self.pages("/api/v1/transactions", limit: 3, list: f.routes.list) { page in
            guard page == 1 else { return }
            // Newer than the cursor: not on later pages. Older than everything: on the last one.
            try await Self.transaction(f, remote: "new", startedAt: base + 3600)
            late = try await Self.transaction(f, remote: "old", startedAt: base - 3600)
        }
        let seen = pages.flatMap { $0 }
        let ids = seen.compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
        #expect(Set(ids).count == ids.count, "duplicates in \(ids)")
        #expect(Set(ids) == expected.union([late]), "\(ids)")
        #expect(ids.first == orphan && ids.last == late, "\(ids)")
        let starts = seen.compactMap { $0["started_at"]?.stringValue }
        #expect(starts == starts.sorted(by: >), "\(starts)")

        let oldest = try await Self.pages("/api/v1/transactions?sort=started_at", limit: 4, list: f.routes.list)
        let ascending = oldest.flatMap { $0 }.compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
        #expect(ascending.count == 13 && Set(ascending).count == 13 && ascending.first == late, "\(ascending)")
    }

    @Test func filtersNarrowTheList() async throws {
        let f = try await Self.fixture()
        let base = Date(timeIntervalSince1970: 1_780_000_000)
        try await Self.transaction(f, remote: "a", startedAt: base, status: "active", token: "TAG-A")
        try await Self.transaction(f, remote: "b", startedAt: base + 60, token: "TAG-B")
        try await Self.transaction(f, remote: "c", startedAt: base + 120, token: "TAG-A")
        func remotes(_ query: String) async throws -> [String] {
            let body = try await f.routes.list(Self.request("/api/v1/transactions?" + query)).value
            guard case .array(let items)? = body.objectValue?["items"] else { return [] }
            return items.compactMap { $0.objectValue?["remote_id"]?.stringValue }
        }
        #expect(try await remotes("status=active") == ["a"])
        #expect(try await remotes("id_token=TAG-A") == ["c", "a"])
        #expect(try await remotes("station=CP-TX&from=2026-05-28T20:28:00Z&to=2026-05-28T20:29:00Z") == ["c"])
        #expect(try await remotes("station=OTHER").isEmpty)
        for bad in ["status=paused", "from=yesterday", "sort=id", "cursor=e30"] {
            await #expect(throws: ProblemDocument.self, "\(bad)") {
                _ = try await f.routes.list(Self.request("/api/v1/transactions?" + bad))
            }
        }
    }

    @Test func meterValuesPageByTimeAndIdEvenWhenSamplesShareATime() async throws {
        let f = try await Self.fixture()
        let tx = try await Self.transaction(f, remote: "mv", startedAt: Date())
        let at = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        // Seven samples at one instant (measurands and phases of one MeterValue), then three later.
        try await f.pool.execute(
            """
            INSERT INTO csms.meter_values (station_id, transaction_id, sampled_at, measurand, phase, value)
            SELECT \(f.station), \(tx), \(at)::timestamptz + (CASE WHEN n > 7 THEN n ELSE 0 END) * interval '1 second',
                CASE WHEN n % 2 = 0 THEN 'Power.Active.Import' ELSE 'Energy.Active.Import.Register' END,
                'L' || (n % 3 + 1), n
            FROM generate_series(1, 10) n
            """)
        let pages = try await Self.pages(
            "/api/v1/transactions/\(tx)/meter-values", limit: 4,
            list: { try await f.routes.meterValues($0, id: String(tx)) })
        #expect(pages.map(\.count) == [4, 4, 2])
        let values = pages.flatMap { $0 }.compactMap { $0["value"] }
        #expect(Set(values).count == 10 && values.count == 10, "\(values)")
        let energy = try await f.routes.meterValues(
            Self.request("/api/v1/transactions/\(tx)/meter-values?measurand=Energy.Active.Import.Register"),
            id: String(tx)
        ).value
        guard case .array(let items)? = energy.objectValue?["items"] else {
            Issue.record("no items: \(energy.jsonText)")
            return
        }
        #expect(items.count == 5)
        #expect(items.allSatisfy { $0.objectValue?["measurand"] == "Energy.Active.Import.Register" })
        await #expect(throws: ProblemDocument.self) {
            _ = try await f.routes.meterValues(Self.request("/api/v1/transactions/999999/meter-values"), id: "999999")
        }
        let detail = try await f.routes.detail(String(tx)).value.objectValue ?? [:]
        guard case .array(let all)? = detail["meter_values"] else {
            Issue.record("no meter_values")
            return
        }
        #expect(all.count == 10 && detail["energy_wh"] == .number(250) && detail["station"] == "CP-TX")
    }
}
