// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Postgres
import Synchronization
import TestSupport
import Testing

/// A database and a login role of its own for one test suite, created before the suite's tests run
/// and dropped after them, so suites run in parallel without seeing each other.
struct TestDatabase: Sendable {
    let name: String
    let role: String
    let password: String

    @TaskLocal static var current: TestDatabase?

    static func require() throws -> TestDatabase {
        guard let current else { throw MissingTrait() }
        return current
    }

    struct MissingTrait: Error, CustomStringConvertible {
        var description: String { "no TestDatabase: the suite needs the .postgresDatabase trait" }
    }

    /// conninfo of the suite's role on the suite's database.
    func url(password: String? = nil) throws -> String {
        try TestEnvironment.postgresURL(database: name, user: role, password: password ?? self.password)
    }

    /// conninfo of the superuser on the suite's database.
    func superuserURL() throws -> String {
        try TestEnvironment.postgresURL(database: name)
    }

    /// A pool as the suite's role with a unique application_name, so tests can find its backends.
    func pool(
        _ configure: (inout PGPoolConfiguration) -> Void = { _ in }, logger: Logger = Logger(label: "test.pg")
    ) throws -> PGPool {
        var configuration = PGPoolConfiguration(conninfo: try url())
        configuration.applicationName = "pgtest_" + TestEnvironment.uniqueSuffix()
        configure(&configuration)
        return PGPool(configuration: configuration, logger: logger)
    }

    /// A superuser pool on the suite's database (terminating backends, reading pg_stat_activity).
    func adminPool() throws -> PGPool {
        PGPool(
            configuration: PGPoolConfiguration(
                conninfo: try superuserURL(), maxConnections: 2, applicationName: "pgtest_admin"),
            logger: Logger(label: "test.pg.admin"))
    }
}

/// Runs `body` with `pool` and shuts the pool down afterwards, also when `body` throws.
@discardableResult
func using<T>(_ pool: PGPool, _ body: (PGPool) async throws -> T) async throws -> T {
    do {
        let value = try await body(pool)
        await pool.shutdown()
        return value
    } catch {
        await pool.shutdown()
        throw error
    }
}

/// Backends of `applicationName` as seen by the server.
func backendCount(admin: PGPool, applicationName: String) async throws -> Int {
    let r = try await admin.query(
        "SELECT count(*)::bigint FROM pg_stat_activity WHERE application_name = \(applicationName)")
    return try r[0].decode(Int.self, column: 0)
}

struct PostgresDatabaseTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Throws (failing the suite) when CSMS_TEST_PG_URL is missing.
        let superuser = try TestEnvironment.postgresSuperuserURL()
        let suffix = TestEnvironment.uniqueSuffix()
        let database = TestDatabase(
            name: "pgtest_\(suffix)", role: "pgtest_role_\(suffix)", password: "pw'\(TestEnvironment.uniqueSuffix())")
        let admin = PGPool(
            configuration: PGPoolConfiguration(conninfo: superuser, maxConnections: 1, applicationName: "pgtest_setup"),
            logger: Logger(label: "test.pg.setup"))
        try await admin.withConnection { c in
            let role = try await c.escapeIdentifier(database.role)
            let password = try await c.escapeLiteral(database.password)
            try await c.simpleQuery("CREATE ROLE \(role) LOGIN PASSWORD \(password)")
            try await c.simpleQuery("CREATE DATABASE \(try await c.escapeIdentifier(database.name)) OWNER \(role)")
        }
        var failure: (any Error)? = nil
        do {
            try await TestDatabase.$current.withValue(database) { try await function() }
        } catch {
            failure = error
        }
        try await admin.withConnection { c in
            try await c.simpleQuery(
                "DROP DATABASE IF EXISTS \(try await c.escapeIdentifier(database.name)) WITH (FORCE)")
            try await c.simpleQuery("DROP ROLE IF EXISTS \(try await c.escapeIdentifier(database.role))")
        }
        await admin.shutdown()
        if let failure { throw failure }
    }
}

extension Trait where Self == PostgresDatabaseTrait {
    /// Gives the suite its own database and role (see ``TestDatabase``).
    static var postgresDatabase: Self { Self() }
}

/// Collects log messages for assertions.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    func logger(label: String = "test.capture") -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged: [String: String] = [:]
            for (k, v) in metadata { merged[k] = "\(v)" }
            for (k, v) in event.metadata ?? [:] { merged[k] = "\(v)" }
            capture.append(Entry(level: event.level, message: "\(event.message)", metadata: merged))
        }
    }
}

/// The `PGError` that `body` throws, or `nil` (recording an issue) when it throws none or another.
func pgError<T>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async -> PGError? {
    do {
        _ = try await body()
        Issue.record("expected a PGError, got none", sourceLocation: sourceLocation)
        return nil
    } catch let error as PGError {
        return error
    } catch {
        Issue.record("expected a PGError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
