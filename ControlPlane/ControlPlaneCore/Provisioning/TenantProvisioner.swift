// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
public import Config
import Foundation
public import Logging
public import Postgres
public import Redis

/// A tenant whose database role and Redis user exist, ready for its worker.
public struct ProvisionedTenant: Sendable, Equatable {
    public var slug: String
    public var tenantID: String
    public var databaseRole: String
    public var postgresPasswordFile: String
    public var redisUser: String
    public var redisPasswordFile: String
}

public struct ProvisioningError: Error, CustomStringConvertible {
    public let description: String
}

/// Makes the database and Redis match the configuration files: plans, tenant rows, each tenant's
/// PostgreSQL login role and Redis ACL user, and their secrets (0600 files under
/// `<data>/secrets/`). Idempotent, so the control plane runs it at every start.
public struct TenantProvisioner: Sendable {
    let postgres: PGPool
    let redis: RedisClient
    let secretsDirectory: String
    let rolePrefix: String
    let workerMaxConnections: Int
    let logger: Logger

    public init(
        postgres: PGPool, redis: RedisClient, secretsDirectory: String, rolePrefix: String,
        workerMaxConnections: Int, logger: Logger
    ) {
        self.postgres = postgres
        self.redis = redis
        self.secretsDirectory = secretsDirectory
        self.rolePrefix = rolePrefix
        self.workerMaxConnections = workerMaxConnections
        self.logger = logger
    }

    /// Redis keys and channels of a tenant all start with this prefix; its ACL user reaches nothing else.
    public static func redisPrefix(slug: String) -> String { "t:\(slug):" }

    /// The PostgreSQL role (and Redis user) name of a tenant.
    public func roleName(slug: String) throws -> String {
        let name = rolePrefix + slug.replacingOccurrences(of: "-", with: "_")
        guard name.utf8.count <= 63 else {
            throw ProvisioningError(
                description:
                    "tenant \(slug): role name \(name) is longer than PostgreSQL's 63 bytes; use a shorter slug or tenant_role_prefix"
            )
        }
        return name
    }

    /// Writes the plans of platform.yaml into csms.plans (plans created through the API are kept).
    public func syncPlans(_ plans: [PlatformConfig.Plan]) async throws {
        try await postgres.transaction { conn in
            for plan in plans {
                try await conn.execute(
                    """
                    INSERT INTO csms.plans (name, monthly_price, currency, included_stations, price_per_extra_station,
                        max_stations, max_concurrent_connections, api_requests_per_second, ocpi_enabled,
                        data_retention_days, source)
                    VALUES (\(plan.name), \(plan.monthlyPriceText)::numeric, \(plan.currency), \(plan.includedStations),
                        \(plan.pricePerExtraStationText)::numeric, \(plan.maxStations), \(plan.maxConcurrentConnections),
                        \(plan.apiRequestsPerSecond), \(plan.ocpiEnabled), \(plan.dataRetentionDays), 'config')
                    ON CONFLICT (name) DO UPDATE SET monthly_price = EXCLUDED.monthly_price,
                        currency = EXCLUDED.currency, included_stations = EXCLUDED.included_stations,
                        price_per_extra_station = EXCLUDED.price_per_extra_station,
                        max_stations = EXCLUDED.max_stations,
                        max_concurrent_connections = EXCLUDED.max_concurrent_connections,
                        api_requests_per_second = EXCLUDED.api_requests_per_second,
                        ocpi_enabled = EXCLUDED.ocpi_enabled, data_retention_days = EXCLUDED.data_retention_days,
                        source = 'config', updated_at = now()
                    """)
            }
        }
    }

    /// Creates the monthly meter-value partitions for this month and the next `months - 1`.
    public func ensurePartitions(months: Int = 3) async throws {
        let created =
            try await postgres.query(
                "SELECT csms.ensure_meter_value_partitions(current_date, \(months))"
            ).rows.first?.decode(Int.self, column: 0) ?? 0
        if created > 0 { logger.info("created meter value partitions", metadata: ["count": "\(created)"]) }
    }

    /// Ensures the tenant row, its database role and its Redis user exist and match the config.
    public func ensure(_ tenant: TenantConfig) async throws -> ProvisionedTenant {
        let role = try roleName(slug: tenant.slug)
        try FileManager.default.createDirectory(
            atPath: secretsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let pgSecretPath = (secretsDirectory as NSString).appendingPathComponent("\(tenant.slug).postgres")
        let redisSecretPath = (secretsDirectory as NSString).appendingPathComponent("\(tenant.slug).redis")
        let pgPassword = try SecretFile.readOrCreate(pgSecretPath)
        let redisPassword = try SecretFile.readOrCreate(redisSecretPath)
        let status = tenant.suspended ? "suspended" : "active"

        let tenantID = try await postgres.transaction { conn -> String in
            let rows = try await conn.query(
                """
                INSERT INTO csms.tenants (slug, display_name, plan, db_role, status)
                VALUES (\(tenant.slug), \(tenant.displayName), \(tenant.plan), \(role), \(status))
                ON CONFLICT (slug) DO UPDATE SET display_name = EXCLUDED.display_name, plan = EXCLUDED.plan,
                    status = EXCLUDED.status, updated_at = now()
                RETURNING id::text, db_role::text
                """
            ).rows
            guard let row = rows.first else { throw ProvisioningError(description: "tenant \(tenant.slug): no row") }
            let existingRole = try row.decode(String.self, column: 1)
            guard existingRole == role else {
                throw ProvisioningError(
                    description:
                        "tenant \(tenant.slug) already uses database role \(existingRole), not \(role); keep tenant_role_prefix unchanged"
                )
            }
            // The SCRAM verifier is computed here, so the clear-text password never reaches the server.
            let verifier = try await conn.encryptPassword(pgPassword, user: role)
            _ = try await conn.query(
                "SELECT csms.ensure_tenant_role(\(role), \(verifier), \(workerMaxConnections + 2))")
            return try row.decode(String.self, column: 0)
        }
        let prefix = Self.redisPrefix(slug: tenant.slug)
        try await redis.aclSetUser(
            role, password: redisPassword, keyPatterns: [prefix + "*"], channelPatterns: [prefix + "*"])
        logger.info(
            "tenant provisioned",
            metadata: [
                "tenant.slug": "\(tenant.slug)", "tenant.id": "\(tenantID)", "db.role": "\(role)",
                "tenant.status": "\(status)",
            ])
        return ProvisionedTenant(
            slug: tenant.slug, tenantID: tenantID, databaseRole: role, postgresPasswordFile: pgSecretPath,
            redisUser: role, redisPasswordFile: redisSecretPath)
    }
}
