// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Migrations
public import Postgres
import TestSupport

/// A fresh, migrated CSMS database in the test cluster, and tenants with their own login roles.
public struct TestDatabase: Sendable {
    /// Every test sets the cluster-wide control-plane role to this password, so that suites
    /// running in parallel never lock each other out.
    public static let controlPassword = "csms-control-test-password"

    public let name: String
    public let superuser: PGPool
    public let control: PGPool

    public struct Tenant: Sendable {
        public let slug: String
        public let id: String
        public let role: String
        public let password: String
        /// libpq connection string of the tenant's role, without the password.
        public let conninfo: String
        public let pool: PGPool
    }

    public static var migrationsDirectory: String {
        TestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
    }

    /// Bootstraps a database named `<prefix>_<random>`; migrates it unless told otherwise.
    public static func create(prefix: String, migrate: Bool = true) async throws -> TestDatabase {
        let logger = Logger(label: "test")
        let name = "\(prefix)_\(TestEnvironment.uniqueSuffix())"
        let superuser = PGPool(
            configuration: PGPoolConfiguration(conninfo: try TestEnvironment.postgresSuperuserURL(), maxConnections: 2),
            logger: logger)
        try await DatabaseBootstrap(database: name, logger: logger).run(
            superuser: superuser, databaseConninfo: try TestEnvironment.postgresURL(database: name),
            controlPassword: controlPassword)
        let control = PGPool(
            configuration: PGPoolConfiguration(
                conninfo: try TestEnvironment.postgresURL(
                    database: name, user: DatabaseBootstrap.controlRole, password: controlPassword),
                maxConnections: 4),
            logger: logger)
        if migrate {
            try await MigrationRunner(directory: migrationsDirectory, logger: logger).run(pool: control)
            _ = try await control.query("SELECT csms.ensure_meter_value_partitions(current_date, 2)")
            try await control.execute(
                """
                INSERT INTO csms.plans (name, monthly_price, currency, included_stations, price_per_extra_station,
                    max_stations, max_concurrent_connections, api_requests_per_second, ocpi_enabled,
                    data_retention_days)
                VALUES ('test', 10, 'EUR', 1, 1, 10, 10, 10, false, 30)
                """)
        }
        return TestDatabase(name: name, superuser: superuser, control: control)
    }

    /// Inserts a tenant on plan `test` and creates its login role with a random password.
    public func createTenant(slug: String) async throws -> Tenant {
        let role = "csms_tenant_\(slug.replacingOccurrences(of: "-", with: "_"))"
        let password = "pw-\(TestEnvironment.uniqueSuffix())"
        let id = try await control.query(
            """
            INSERT INTO csms.tenants (slug, display_name, plan, db_role) VALUES (\(slug), \(slug), 'test', \(role))
            RETURNING id::text
            """
        ).rows[0].decode(String.self, column: 0)
        try await control.withConnection { conn in
            let verifier = try await conn.encryptPassword(password, user: role)
            _ = try await conn.query("SELECT csms.ensure_tenant_role(\(role), \(verifier), 10)")
        }
        let base = try TestEnvironment.postgresURL(database: name)
            .split(separator: " ").filter { !$0.hasPrefix("user=") && !$0.hasPrefix("password=") }
            .joined(separator: " ")
        let conninfo = base + " user=\(role)"
        let pool = PGPool(
            configuration: PGPoolConfiguration(conninfo: conninfo + " password=\(password)", maxConnections: 2),
            logger: Logger(label: "test"))
        return Tenant(slug: slug, id: id, role: role, password: password, conninfo: conninfo, pool: pool)
    }
}
