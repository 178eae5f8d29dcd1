// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres
import Testing

/// The bulk path: libpq pipeline mode.
@Suite(.postgresDatabase) struct PipelineTests {
    private func meterValues(_ n: Int, badRow: Int? = nil) -> [PGBindings] {
        (0..<n).map { i in
            var b = PGBindings()
            b.append("CS-\(i % 100)")
            if i == badRow { b.appendNull() } else { b.append(Double(i) * 0.5) }
            b.append(Date(timeIntervalSince1970: 1_767_225_600 + Double(i)))
            return b
        }
    }

    private func createTable(_ pool: PGPool, _ name: String) async throws {
        try await pool.withConnection { c in
            try await c.simpleQuery(
                "CREATE TABLE \(try await c.escapeIdentifier(name)) (id bigserial PRIMARY KEY, station text NOT NULL,"
                    + " value double precision NOT NULL, at timestamptz NOT NULL)")
        }
    }

    private func count(_ pool: PGPool, _ table: String) async throws -> Int {
        try await pool.query(PGQuery(sql: "SELECT count(*) FROM \(table)")).rows[0].decode(Int.self, column: 0)
    }

    @Test func tenThousandRowsInOneBatch() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await createTable(pool, "pl_bulk")
            let inserted = try await pool.insertBatch(
                sql: "INSERT INTO pl_bulk (station, value, at) VALUES ($1, $2, $3)", rows: meterValues(10_000))
            #expect(inserted == 10_000)
            #expect(try await count(pool, "pl_bulk") == 10_000)
            let last = try await pool.query("SELECT value, at FROM pl_bulk ORDER BY id DESC LIMIT 1")
            let (value, at) = try last.rows[0].decode((Double, Date).self)
            #expect(value == 9999 * 0.5)
            #expect(at == Date(timeIntervalSince1970: 1_767_225_600 + 9999))
        }
    }

    @Test func failingRowAbortsTheWholeBatch() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            try await createTable(pool, "pl_atomic")
            do {
                try await pool.insertBatch(
                    sql: "INSERT INTO pl_atomic (station, value, at) VALUES ($1, $2, $3)",
                    rows: meterValues(5_000, badRow: 2_500))
                Issue.record("batch with a NULL in a NOT NULL column succeeded")
            } catch let error as PGError {
                #expect(error.code == .server)
                #expect(error.sqlState == "23502")
                #expect(error.pipelineIndex == 2_500)
                #expect(error.columnName == "value")
            }
            #expect(try await count(pool, "pl_atomic") == 0)
            // The connection is fine afterwards (same single connection).
            #expect(
                try await pool.insertBatch(
                    sql: "INSERT INTO pl_atomic (station, value, at) VALUES ($1, $2, $3)",
                    rows: meterValues(10)) == 10)
            #expect(pool.statistics.totalOpened == 1)
        }
    }

    @Test func failingBatchInsideTransactionRollsBackEverything() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await createTable(pool, "pl_tx")
            await #expect(throws: PGError.self) {
                try await pool.transaction { c in
                    try await c.execute(
                        "INSERT INTO pl_tx (station, value, at) VALUES (\("before"), \(1.0), \(Date()))")
                    try await c.insertBatch(
                        sql: "INSERT INTO pl_tx (station, value, at) VALUES ($1, $2, $3)",
                        rows: meterValues(1_000, badRow: 999))
                }
            }
            #expect(try await count(pool, "pl_tx") == 0)
            try await pool.transaction { c in
                try await c.insertBatch(
                    sql: "INSERT INTO pl_tx (station, value, at) VALUES ($1, $2, $3)", rows: meterValues(1_000))
            }
            #expect(try await count(pool, "pl_tx") == 1_000)
        }
    }

    @Test func mixedStatementsReturnResultsInOrder() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await createTable(pool, "pl_mixed")
            let results = try await pool.pipeline([
                "INSERT INTO pl_mixed (station, value, at) VALUES (\("A"), \(1.5), \(Date())) RETURNING id",
                "INSERT INTO pl_mixed (station, value, at) VALUES (\("B"), \(2.5), \(Date())) RETURNING id",
                "SELECT station FROM pl_mixed ORDER BY id",
                "UPDATE pl_mixed SET value = value + \(1.0)",
            ])
            #expect(results.count == 4)
            #expect(try results[0].rows[0].decode(Int.self, column: 0) == 1)
            #expect(try results[1].rows[0].decode(Int.self, column: 0) == 2)
            #expect(try results[2].map { try $0.decode(String.self, column: 0) } == ["A", "B"])
            #expect(results[3].affectedRows == 2)
            #expect(try await pool.pipeline([]).isEmpty)
        }
    }

    @Test func manyDistinctStatementsBeyondTheCacheCapacity() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.statementCacheCapacity = 4 }) { pool in
            let queries = (0..<20).map { PGQuery(sql: "SELECT \($0) + $1::int", binds: [1]) }
            let results = try await pool.pipeline(queries)
            #expect(try results.enumerated().allSatisfy { i, r in try r.rows[0].decode(Int.self, column: 0) == i + 1 })
        }
    }
}
