// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Postgres
import TestSupport
import Testing

/// Prepared-statement cache, server errors, decoding errors, scripts, escaping, notices.
@Suite(.postgresDatabase) struct StatementTests {
    @Test func statementIsPreparedOnceAndReused() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.withConnection { c in
                let q: PGQuery = "SELECT \(1)::int + 41 AS answer"
                for _ in 0..<3 {
                    #expect(try await c.query(q).rows[0].decode(Int.self, column: "answer") == 42)
                }
                let prepared = try await c.query(
                    "SELECT name, statement FROM pg_prepared_statements WHERE statement = \(q.sql)")
                #expect(prepared.count == 1)
                let all = try await c.query("SELECT count(*)::int FROM pg_prepared_statements")
                // This statement, the one above and the cached query: one each.
                #expect(try all.rows[0].decode(Int.self, column: 0) == 3)
            }
        }
    }

    @Test func statementCacheEvictsLeastRecentlyUsed() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.statementCacheCapacity = 2 }) { pool in
            try await pool.withConnection { c in
                _ = try await c.query("SELECT 'a'")
                _ = try await c.query("SELECT 'b'")
                _ = try await c.query("SELECT 'c'")
                let r = try await c.query("SELECT statement FROM pg_prepared_statements ORDER BY statement")
                let statements = try r.map { try $0.decode(String.self, column: 0) }
                #expect(statements.count == 2)
                #expect(statements.contains("SELECT 'c'"))
                #expect(!statements.contains("SELECT 'a'"))
            }
        }
    }

    @Test func cachedStatementSurvivesDeallocateAllAndTableChanges() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            try await pool.execute("CREATE TABLE plan_change (a int)")
            try await pool.execute("INSERT INTO plan_change VALUES (1)")
            let q: PGQuery = "SELECT * FROM plan_change"
            #expect(try await pool.query(q).columnNames == ["a"])
            try await pool.withConnection { try await $0.simpleQuery("DEALLOCATE ALL") }
            #expect(try await pool.query(q).count == 1)
            try await pool.execute("ALTER TABLE plan_change ADD COLUMN b text")
            #expect(try await pool.query(q).columnNames == ["a", "b"])
        }
    }

    @Test func uniqueViolationCarriesSQLState() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.execute("CREATE TABLE station_uv (id text PRIMARY KEY)")
            try await pool.execute("INSERT INTO station_uv VALUES (\("CS-1"))")
            do {
                try await pool.execute("INSERT INTO station_uv VALUES (\("CS-1"))")
                Issue.record("duplicate insert succeeded")
            } catch let error as PGError {
                #expect(error.code == .server)
                #expect(error.sqlState == "23505")
                #expect(error.conditionName == "unique_violation")
                #expect(error.constraintName == "station_uv_pkey")
                #expect(error.tableName == "station_uv")
                #expect(error.detail?.contains("(id)=(CS-1)") == true)
                #expect(error.query == "INSERT INTO station_uv VALUES ($1)")
                #expect(error.description.hasPrefix("PostgreSQL error 23505 (unique_violation): duplicate key value"))
            }
            // The connection that saw the error is still fine.
            #expect(try await pool.query("SELECT 1").count == 1)
        }
    }

    @Test func undefinedTableAndPermissionDenied() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let undefined = await pgError { try await pool.query("SELECT * FROM no_such_table") }
            #expect(undefined?.sqlState == "42P01")
            #expect(
                undefined?.description.hasPrefix(
                    "PostgreSQL error 42P01 (undefined_table): relation \"no_such_table\" does not exist") == true)
            let denied = await pgError { try await pool.query("SELECT * FROM pg_authid") }
            #expect(denied?.sqlState == "42501")
            #expect(
                denied?.description.hasPrefix("PostgreSQL error 42501 (insufficient_privilege): permission denied")
                    == true)
            // A wrong parameter count is reported by the server, not silently padded.
            let mismatch = await pgError {
                try await pool.query(PGQuery(sql: "SELECT $1::int + $2::int", binds: [1]))
            }
            #expect(mismatch?.sqlState == "08P01")
            #expect(mismatch?.code == .server)
            let after = try await pool.query("SELECT 1")
            #expect(after.count == 1)
        }
    }

    @Test func decodingErrorsNameColumnAndType() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let r = try await pool.query("SELECT 'abc'::text AS station, NULL::int AS meter")
            do {
                _ = try r.rows[0].decode(Int.self, column: "station")
                Issue.record("decoded text as Int")
            } catch let error as PGError {
                #expect(error.code == .decoding)
                #expect(error.message.contains("\"station\""))
                #expect(error.message.contains("text"))
                #expect(error.message.contains("Int"))
            }
            do {
                _ = try r.rows[0].decode(Int.self, column: "meter")
                Issue.record("decoded NULL as Int")
            } catch let error as PGError {
                #expect(error.code == .decoding)
                #expect(error.message.contains("NULL"))
                #expect(error.message.contains("int4"))
            }
            #expect(try r.rows[0].decode(Int?.self, column: "meter") == nil)
            #expect(throws: PGError.self) { try r.rows[0].decode(String.self, column: "nope") }
            #expect(throws: PGError.self) { try r.rows[0].decode(String.self, column: 7) }
        }
    }

    @Test func scriptsWithSeveralStatements() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.withConnection { c in
                let results = try await c.simpleQuery(
                    """
                    CREATE TABLE script_t (id int);
                    INSERT INTO script_t VALUES (1), (2);
                    SELECT count(*) FROM script_t;
                    """)
                #expect(results.count == 3)
                #expect(results[1].affectedRows == 2)
                #expect(try results[2].rows[0].decode(Int.self, column: 0) == 2)
                await #expect(throws: PGError.self) {
                    try await c.simpleQuery(
                        "INSERT INTO script_t VALUES (3); SELECT * FROM missing; INSERT INTO script_t VALUES (4)")
                }
                // The failed script ran as one implicit transaction: nothing of it stayed.
                #expect(try await c.query("SELECT count(*) FROM script_t").rows[0].decode(Int.self, column: 0) == 2)
            }
        }
    }

    @Test func escapingForDDL() async throws {
        let db = try TestDatabase.require()
        let roleName = "csms tenant \"odd\" \(TestEnvironment.uniqueSuffix())"
        let password = "it's a \\ secret"
        let admin = try db.adminPool()
        try await using(admin) { admin in
            try await admin.withConnection { c in
                #expect(try await c.escapeIdentifier("a\"b") == "\"a\"\"b\"")
                #expect(try await c.escapeLiteral("it's") == "'it''s'")
                let role = try await c.escapeIdentifier(roleName)
                try await c.simpleQuery("CREATE ROLE \(role) LOGIN PASSWORD \(try await c.escapeLiteral(password))")
            }
            // The escaped password works for logging in as the escaped role name.
            let url = try TestEnvironment.postgresURL(database: db.name)
                .split(separator: " ").filter { !$0.hasPrefix("user=") && !$0.hasPrefix("password=") }
                .joined(separator: " ")
            let conninfo =
                url + " user='\(roleName.replacingOccurrences(of: "'", with: "\\'"))'"
                + " password='\(password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
            try await using(PGPool(configuration: .init(conninfo: conninfo), logger: Logger(label: "test"))) { pool in
                let who = try await pool.query("SELECT current_user").rows[0].decode(String.self, column: 0)
                #expect(who == roleName)
            }
            try await admin.withConnection { c in
                try await c.simpleQuery("DROP ROLE \(try await c.escapeIdentifier(roleName))")
            }
        }
    }

    @Test func noticesGoToTheLoggerAtDebug() async throws {
        let db = try TestDatabase.require()
        let capture = LogCapture()
        try await using(try db.pool(logger: capture.logger())) { pool in
            try await pool.withConnection { c in
                try await c.simpleQuery("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$")
            }
        }
        let notices = capture.all.filter { $0.message.contains("hello from plpgsql") }
        #expect(notices.count == 1)
        #expect(notices.first?.level == .debug)
        #expect(notices.first?.metadata["pg.severity"] == "NOTICE")
    }

    @Test func connectionUsedFromSeveralTasksIsSerialised() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            try await pool.withConnection { c in
                async let a = c.query("SELECT pg_backend_pid(), pg_sleep(0.05)::text")
                async let b = c.query("SELECT pg_backend_pid(), pg_sleep(0.05)::text")
                let (ra, rb) = try await (a, b)
                #expect(try ra.rows[0].decode(Int32.self, column: 0) == c.backendPID)
                #expect(try rb.rows[0].decode(Int32.self, column: 0) == c.backendPID)
            }
        }
    }

    @Test func connectionCannotBeUsedAfterItsClosure() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool()) { pool in
            let escaped = try await pool.withConnection { $0 }
            #expect(await pgError { try await escaped.query("SELECT 1") }?.code == .invalidArgument)
            #expect(try await pool.query("SELECT 1").count == 1)
        }
    }

    @Test func copyIsRefusedAndTheConnectionStaysUsable() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            try await pool.withConnection { c in
                try await c.simpleQuery("CREATE TABLE copy_t (a int)")
                #expect(
                    await pgError { try await c.simpleQuery("COPY copy_t FROM STDIN") }?.code == .unexpectedResponse)
                #expect(await pgError { try await c.simpleQuery("COPY copy_t TO STDOUT") }?.code == .unexpectedResponse)
                #expect(try await c.query("SELECT count(*) FROM copy_t").rows[0].decode(Int.self, column: 0) == 0)
            }
        }
    }
}
