// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres
import Testing

/// BEGIN/COMMIT/ROLLBACK through `PGPool.transaction`.
@Suite(.postgresDatabase) struct TransactionTests {
    struct Boom: Error {}

    private func count(_ pool: PGPool, _ table: String) async throws -> Int {
        try await pool.query(PGQuery(sql: "SELECT count(*) FROM \(table)")).rows[0].decode(Int.self, column: 0)
    }

    @Test func commitMakesChangesVisible() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.execute("CREATE TABLE tx_commit (id int PRIMARY KEY)")
            let n = try await pool.transaction { c in
                try await c.execute("INSERT INTO tx_commit VALUES (\(1))")
                try await c.execute("INSERT INTO tx_commit VALUES (\(2))")
                return try await c.query("SELECT count(*) FROM tx_commit").rows[0].decode(Int.self, column: 0)
            }
            #expect(n == 2)
            #expect(try await count(pool, "tx_commit") == 2)
        }
    }

    @Test func thrownErrorRollsBack() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            try await pool.execute("CREATE TABLE tx_rollback (id int PRIMARY KEY)")
            await #expect(throws: Boom.self) {
                try await pool.transaction { c in
                    try await c.execute("INSERT INTO tx_rollback VALUES (\(1))")
                    throw Boom()
                }
            }
            #expect(try await count(pool, "tx_rollback") == 0)
            // A failing statement inside the body rolls back too, and the error is the server's.
            let duplicate = await pgError {
                try await pool.transaction { c in
                    try await c.execute("INSERT INTO tx_rollback VALUES (\(1))")
                    try await c.execute("INSERT INTO tx_rollback VALUES (\(1))")
                }
            }
            #expect(duplicate?.sqlState == "23505")
            #expect(try await count(pool, "tx_rollback") == 0)
            // The single connection went back to the pool in a clean state.
            #expect(pool.statistics.totalOpened == 1)
        }
    }

    @Test func cancellationRollsBack() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.execute("CREATE TABLE tx_cancel (id int PRIMARY KEY)")
            let started = ContinuousClock.now
            let task = Task {
                try await pool.transaction { c in
                    try await c.execute("INSERT INTO tx_cancel VALUES (\(1))")
                    _ = try await c.query("SELECT pg_sleep(30)")
                }
            }
            // Cancel only once the server runs the sleep, so the cancel request reaches the server.
            let appName = pool.configuration.applicationName
            try await using(try db.adminPool()) { admin in
                try await waitUntil {
                    let r = try await admin.query(
                        """
                        SELECT count(*)::bigint FROM pg_stat_activity
                        WHERE application_name = \(appName) AND state = 'active' AND query LIKE '%pg_sleep(30)%'
                        """)
                    return try r[0].decode(Int.self, column: 0) == 1
                }
            }
            task.cancel()
            let result = await task.result
            #expect(ContinuousClock.now - started < .seconds(10))
            guard case .failure(let error) = result else {
                Issue.record("the cancelled transaction succeeded")
                return
            }
            #expect((error as? PGError)?.code == .cancelled)
            #expect((error as? PGError)?.sqlState == "57014")
            #expect(try await count(pool, "tx_cancel") == 0)
        }
    }

    @Test func commitAfterSwallowedErrorThrows() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.execute("CREATE TABLE tx_swallow (id int PRIMARY KEY)")
            let swallowed = await pgError {
                try await pool.transaction { c in
                    try await c.execute("INSERT INTO tx_swallow VALUES (\(1))")
                    _ = try? await c.execute("INSERT INTO tx_swallow VALUES (\(1))")
                }
            }
            #expect(swallowed?.sqlState == "25P02")
            #expect(try await count(pool, "tx_swallow") == 0)
        }
    }

    @Test func isolationLevel() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let level = try await pool.transaction(isolation: .serializable) { c in
                try await c.query("SHOW transaction_isolation").rows[0].decode(String.self, column: 0)
            }
            #expect(level == "serializable")
            let plain = try await pool.transaction { c in
                try await c.query("SHOW transaction_isolation").rows[0].decode(String.self, column: 0)
            }
            #expect(plain == "read committed")
        }
    }

    @Test func connectionLeftInsideATransactionIsNotReused() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            let first = try await pool.withConnection { c in
                try await c.simpleQuery("BEGIN")
                return c.backendPID
            }
            let second = try await pool.withConnection { c in
                _ = try await c.query("SELECT 1")
                return c.backendPID
            }
            #expect(second != first)
            #expect(pool.statistics.totalOpened == 2)
        }
    }
}
