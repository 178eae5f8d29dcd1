// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Migrations
import Postgres
import TestFixtures
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    let logger = Logger(label: "test")

    /// A copy of migrations/ in a temporary folder, to change files without touching the repo.
    func copyOfMigrations() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "migrations-\(TestEnvironment.uniqueSuffix())")
        try FileManager.default.copyItem(atPath: TestDatabase.migrationsDirectory, toPath: dir.path)
        return dir.path
    }

    func freshDatabase() async throws -> PGPool {
        try await TestDatabase.create(prefix: "csms_migr", migrate: false).control
    }

    @Test func appliesEachMigrationOnceAndRecordsIt() async throws {
        let pool = try await freshDatabase()
        let runner = MigrationRunner(directory: TestDatabase.migrationsDirectory, logger: logger)
        let files = try runner.loadMigrations()
        #expect(files.map(\.version) == Array(1...files.count))
        let first = try await runner.run(pool: pool)
        #expect(first == files.map(\.version))
        let second = try await runner.run(pool: pool)
        #expect(second.isEmpty)
        let recorded = try await pool.query("SELECT count(*), count(DISTINCT checksum) FROM csms.schema_migrations")
            .rows[0]
        #expect(try recorded.decode(Int.self, column: 0) == files.count)
        #expect(try recorded.decode(Int.self, column: 1) == files.count)
    }

    @Test func twoRunnersAtOnceTakeTurns() async throws {
        let pool = try await freshDatabase()
        let runner = MigrationRunner(directory: TestDatabase.migrationsDirectory, logger: logger)
        async let a = runner.run(pool: pool)
        async let b = runner.run(pool: pool)
        let (ra, rb) = try await (a, b)
        let files = try runner.loadMigrations().count
        // Every migration was applied exactly once, by one of the two.
        #expect(ra.count + rb.count == files)
        #expect(Set(ra).isDisjoint(with: Set(rb)))
    }

    @Test func aChangedAppliedMigrationStopsTheRun() async throws {
        let pool = try await freshDatabase()
        let dir = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await MigrationRunner(directory: dir, logger: logger).run(pool: pool)
        let path = dir + "/0001_control_plane.sql"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        try (original + "\n-- edited\n").write(toFile: path, atomically: true, encoding: .utf8)
        // A new migration added at the same time must not be applied either.
        try "CREATE TABLE csms.should_not_exist (x int);".write(
            toFile: dir + "/0099_new.sql", atomically: true, encoding: .utf8)
        await #expect {
            try await MigrationRunner(directory: dir, logger: logger).run(pool: pool)
        } throws: { error in
            "\(error)".contains("0001_control_plane.sql was changed after it was applied")
        }
        let exists = try await pool.query("SELECT to_regclass('csms.should_not_exist') IS NOT NULL").rows[0]
            .decode(Bool.self, column: 0)
        #expect(!exists)
    }

    @Test func aFailingMigrationIsRolledBackAndNamed() async throws {
        let pool = try await freshDatabase()
        let dir = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "CREATE TABLE csms.half_done (x int);\nSELECT no_such_function();\n".write(
            toFile: dir + "/0098_broken.sql", atomically: true, encoding: .utf8)
        await #expect {
            try await MigrationRunner(directory: dir, logger: logger).run(pool: pool)
        } throws: { error in
            let text = "\(error)"
            return text.contains("0098_broken.sql") && text.contains("42883")
        }
        let exists = try await pool.query("SELECT to_regclass('csms.half_done') IS NOT NULL").rows[0]
            .decode(Bool.self, column: 0)
        #expect(!exists)
        // The migrations before it were applied and stay applied.
        let applied = try await pool.query("SELECT max(version) FROM csms.schema_migrations").rows[0]
            .decode(Int?.self, column: 0)
        let repoLatest = try MigrationRunner(directory: TestDatabase.migrationsDirectory, logger: logger)
            .loadMigrations().last?.version
        #expect(applied == repoLatest)
    }

    @Test func badFileNamesAreReported() throws {
        let dir = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "SELECT 1;".write(toFile: dir + "/12_short.sql", atomically: true, encoding: .utf8)
        #expect { try MigrationRunner(directory: dir, logger: logger).loadMigrations() } throws: { error in
            "\(error)".contains("12_short.sql")
        }
        try FileManager.default.removeItem(atPath: dir + "/12_short.sql")
        try "SELECT 1;".write(toFile: dir + "/0001_duplicate.sql", atomically: true, encoding: .utf8)
        #expect { try MigrationRunner(directory: dir, logger: logger).loadMigrations() } throws: { error in
            "\(error)".contains("share the number 1")
        }
    }
}
