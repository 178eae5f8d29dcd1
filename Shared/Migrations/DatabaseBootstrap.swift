// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Logging
public import Postgres

/// The one-time cluster set-up that needs a PostgreSQL superuser: the roles, the database and the
/// schema. Everything after it (migrations, tenant roles) runs as the control-plane role.
///
/// Roles:
/// - `csms_owner` (NOLOGIN, CREATEROLE): owns the schema, every table and the SECURITY DEFINER
///   functions that create tenant roles and partitions. Nobody logs in as it.
/// - `csms_control` (LOGIN, NOINHERIT, member of csms_owner): the control plane. It reaches owner
///   rights only through an explicit `SET ROLE` (migrations); its own row access is the
///   `control_plane` policy on every tenant table.
/// - one LOGIN role per tenant, made later by `csms.ensure_tenant_role`.
///
/// Idempotent: running it again repairs grants and sets the control-plane password.
public struct DatabaseBootstrap: Sendable {
    public static let ownerRole = "csms_owner"
    public static let controlRole = "csms_control"

    public let database: String
    public let logger: Logger

    public init(database: String, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// - Parameters:
    ///   - superuser: a connection pool logged in as a superuser to any database of the cluster.
    ///   - databaseConninfo: how to reach the CSMS database as a superuser once it exists.
    ///   - controlPassword: the password the control plane will log in with.
    public func run(superuser: PGPool, databaseConninfo: String, controlPassword: String) async throws {
        try await superuser.withConnection { conn in
            // A second bootstrap racing this one would fail on CREATE ROLE: take turns.
            _ = try await conn.query("SELECT pg_advisory_lock(\(MigrationRunner.lockKey))")
            let verifier = try await conn.encryptPassword(controlPassword, user: Self.controlRole)
            let owner = try await conn.escapeIdentifier(Self.ownerRole)
            let control = try await conn.escapeIdentifier(Self.controlRole)
            let passwordLiteral = try await conn.escapeLiteral(verifier)
            let databaseIdentifier = try await conn.escapeIdentifier(database)
            if try await conn.query("SELECT 1 FROM pg_roles WHERE rolname = \(Self.ownerRole)").rows.isEmpty {
                try await conn.simpleQuery("CREATE ROLE \(owner) NOLOGIN CREATEROLE")
                logger.info("created role", metadata: ["db.role": "\(Self.ownerRole)"])
            }
            let controlAttributes = "LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
            if try await conn.query("SELECT 1 FROM pg_roles WHERE rolname = \(Self.controlRole)").rows.isEmpty {
                try await conn.simpleQuery(
                    "CREATE ROLE \(control) \(controlAttributes) PASSWORD \(passwordLiteral)")
                logger.info("created role", metadata: ["db.role": "\(Self.controlRole)"])
            } else {
                try await conn.simpleQuery(
                    "ALTER ROLE \(control) \(controlAttributes) PASSWORD \(passwordLiteral)")
            }
            try await conn.simpleQuery("GRANT \(owner) TO \(control)")
            if try await conn.query("SELECT 1 FROM pg_database WHERE datname = \(database)").rows.isEmpty {
                try await conn.simpleQuery(
                    "CREATE DATABASE \(databaseIdentifier) OWNER \(owner) ENCODING 'UTF8' TEMPLATE template0")
                logger.info("created database", metadata: ["db.name": "\(database)"])
            }
            _ = try await conn.query("SELECT pg_advisory_unlock(\(MigrationRunner.lockKey))")
        }
        let pool = PGPool(
            configuration: PGPoolConfiguration(conninfo: databaseConninfo, maxConnections: 1), logger: logger)
        do {
            try await pool.withConnection { conn in
                let db = try await conn.escapeIdentifier(database)
                let owner = try await conn.escapeIdentifier(Self.ownerRole)
                let control = try await conn.escapeIdentifier(Self.controlRole)
                // Nobody but the roles granted below may connect or create temporary objects (a
                // temporary view or function is one way to try to get around a policy).
                try await conn.simpleQuery(
                    """
                    REVOKE ALL ON DATABASE \(db) FROM PUBLIC;
                    GRANT CONNECT ON DATABASE \(db) TO \(control);
                    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                    CREATE SCHEMA IF NOT EXISTS csms AUTHORIZATION \(owner);
                    REVOKE ALL ON SCHEMA csms FROM PUBLIC;
                    GRANT USAGE ON SCHEMA csms TO \(control);
                    """)
            }
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }
}
