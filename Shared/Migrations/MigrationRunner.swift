// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
public import Logging
public import Postgres

/// One schema change: `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let path: String
    public let sql: String
}

/// What went wrong while migrating, with the file and what the operator should do.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Applies `migrations/NNNN_name.sql` in order, each in its own transaction running as the schema
/// owner, under a PostgreSQL advisory lock so that two processes migrating at once take turns.
/// Each applied file is recorded with its SHA-256; a file changed after it was applied stops the
/// run before anything is changed.
public struct MigrationRunner: Sendable {
    /// Advisory lock key shared by every Open-CSMS process ("csms" in ASCII).
    public static let lockKey: Int64 = 0x6373_6D73
    /// The role that owns the schema; migrations run as it (`SET LOCAL ROLE`).
    public static let ownerRole = "csms_owner"

    public let directory: String
    public let logger: Logger

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// Reads and orders the migration files. Names must be `NNNN_name.sql` with distinct numbers.
    public func loadMigrations() throws -> [Migration] {
        let fm = FileManager.default
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError("cannot read the migrations folder \(directory): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        var seen: [Int: String] = [:]
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let migration = try Self.parseName(name) else { continue }
            if let other = seen[migration.version] {
                throw MigrationError(
                    "migrations \(other) and \(name) share the number \(migration.version); renumber one of them")
            }
            seen[migration.version] = name
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = fm.contents(atPath: path), let sql = String(data: data, encoding: .utf8) else {
                throw MigrationError("cannot read \(path) as UTF-8 text")
            }
            migrations.append(Migration(version: migration.version, name: migration.name, path: path, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }

    static func parseName(_ file: String) throws -> (version: Int, name: String)? {
        let base = String(file.dropLast(4))
        let parts = base.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0 else {
            throw MigrationError(
                "\(file): migration files are named NNNN_name.sql (four digits, an underscore, a name)")
        }
        return (version, String(parts[1]))
    }

    /// Applies every pending migration. Returns the versions it applied.
    @discardableResult
    public func run(pool: PGPool) async throws -> [Int] {
        let migrations = try loadMigrations()
        return try await pool.withConnection { conn in
            logger.debug("waiting for the migration lock")
            _ = try await conn.query("SELECT pg_advisory_lock(\(Self.lockKey))")
            do {
                let applied = try await apply(migrations, on: conn)
                _ = try await conn.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                return applied
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                throw error
            }
        }
    }

    private func apply(_ migrations: [Migration], on conn: PGConnection) async throws -> [Int] {
        try await conn.simpleQuery(
            """
            BEGIN;
            SET LOCAL ROLE csms_owner;
            CREATE TABLE IF NOT EXISTS csms.schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms integer NOT NULL
            );
            GRANT SELECT ON csms.schema_migrations TO csms_control;
            COMMIT;
            """)
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for row in try await conn.query("SELECT version, name, checksum FROM csms.schema_migrations").rows {
            recorded[try row.decode(Int.self, column: 0)] = (
                try row.decode(String.self, column: 1), try row.decode(String.self, column: 2)
            )
        }
        // Verify everything before changing anything.
        var checksums: [Int: String] = [:]
        for m in migrations {
            let sum = try await conn.query("SELECT encode(sha256(convert_to(\(m.sql), 'UTF8')), 'hex')").rows[0]
                .decode(String.self, column: 0)
            checksums[m.version] = sum
            if let r = recorded[m.version], r.checksum != sum {
                throw MigrationError(
                    """
                    \(m.path) was changed after it was applied (recorded SHA-256 \(r.checksum.prefix(12))…, \
                    file now \(sum.prefix(12))…). Applied migrations must never change: restore the file \
                    and put the change in a new migration.
                    """)
            }
        }
        let known = Set(migrations.map(\.version))
        if let unknown = recorded.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError(
                """
                the database has migration \(unknown) (\(recorded[unknown]?.name ?? "")) that is not in \
                \(directory): this build is older than the database schema; run a newer build
                """)
        }
        var applied: [Int] = []
        for m in migrations where recorded[m.version] == nil {
            let start = ContinuousClock.now
            do {
                try await conn.simpleQuery("BEGIN; SET LOCAL ROLE \(Self.ownerRole);")
                try await conn.simpleQuery(m.sql)
                let ms = Int((ContinuousClock.now - start).seconds * 1000)
                try await conn.execute(
                    """
                    INSERT INTO csms.schema_migrations (version, name, checksum, duration_ms) \
                    VALUES (\(m.version), \(m.name), \(checksums[m.version] ?? ""), \(ms))
                    """)
                try await conn.simpleQuery("COMMIT")
                logger.info(
                    "applied migration",
                    metadata: [
                        "migration.version": "\(m.version)", "migration.name": "\(m.name)", "duration_ms": "\(ms)",
                    ])
                applied.append(m.version)
            } catch {
                _ = try? await conn.simpleQuery("ROLLBACK")
                throw MigrationError("migration \(m.path) failed and was rolled back: \(error)")
            }
        }
        return applied
    }
}
