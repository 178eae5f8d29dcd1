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
    /// The plan's limits, passed to the worker (`--max-stations`, `--max-connections`).
    public var maxStations: Int?
    public var maxConnections: Int?
    /// The plan's API requests per second (`--api-rate`).
    public var apiRate: Int?

    public init(
        slug: String, tenantID: String, databaseRole: String, postgresPasswordFile: String, redisUser: String,
        redisPasswordFile: String, maxStations: Int? = nil, maxConnections: Int? = nil, apiRate: Int? = nil
    ) {
        self.apiRate = apiRate
        self.maxStations = maxStations
        self.maxConnections = maxConnections
        self.slug = slug
        self.tenantID = tenantID
        self.databaseRole = databaseRole
        self.postgresPasswordFile = postgresPasswordFile
        self.redisUser = redisUser
        self.redisPasswordFile = redisPasswordFile
    }
}

public struct ProvisioningError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Makes the database and Redis match the configuration files: plans, tenant rows, each tenant's
/// PostgreSQL login role and Redis ACL user, and their secrets (0600 files under
/// `<data>/secrets/`). `ensure` is idempotent, so the control plane runs it at every start; the
/// single steps below are what the platform API composes (and undoes) when it creates or deletes
/// a tenant.
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

    /// The 0600 files holding a tenant's PostgreSQL and Redis passwords.
    public func secretPaths(slug: String) -> (postgres: String, redis: String) {
        let folder = secretsDirectory as NSString
        return (folder.appendingPathComponent("\(slug).postgres"), folder.appendingPathComponent("\(slug).redis"))
    }

    /// Writes the plans of platform.yaml into csms.plans. platform.yaml is authoritative for the
    /// names it lists (their rows are overwritten and marked `config`); every other plan belongs to
    /// the platform API. A plan that was removed from platform.yaml stays (tenants may still use it)
    /// and becomes an API plan, so it can be edited or deleted through the API from then on.
    public func syncPlans(_ plans: [PlatformConfig.Plan]) async throws {
        try await postgres.transaction { conn in
            for plan in plans {
                try await PlanCatalog.upsert(plan, source: .config, on: conn)
            }
            let names = plans.map(\.name)
            let demoted = try await conn.execute(
                """
                UPDATE csms.plans SET source = 'api', updated_at = now()
                WHERE source = 'config' AND NOT (name = ANY (\(names)::text[]))
                """)
            if demoted > 0 {
                logger.notice(
                    "plans no longer in platform.yaml are kept as API plans", metadata: ["plans.count": "\(demoted)"])
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

    /// The tenants whose plan exists in csms.plans; each other one is logged and left out, so a
    /// tenant file naming a plan that was deleted does not stop the other tenants. Plans come from
    /// platform.yaml and from the platform API, so tenant files are checked against the database
    /// (after `syncPlans`), not against platform.yaml alone.
    public func withKnownPlans(_ tenants: [TenantConfig]) async throws -> [TenantConfig] {
        let known = Set(
            try await postgres.query("SELECT name FROM csms.plans").rows.map { try $0.decode(String.self, column: 0) })
        return tenants.filter { tenant in
            if known.contains(tenant.plan) { return true }
            logger.error(
                "tenant file names an unknown plan; the tenant is not started",
                metadata: [
                    "tenant.slug": "\(tenant.slug)", "tenant.plan": "\(tenant.plan)",
                    "plans": "\(known.sorted().joined(separator: ", "))",
                ])
            return false
        }
    }

    /// Ensures the tenant row, its database role and its Redis user exist and match the config.
    public func ensure(_ tenant: TenantConfig) async throws -> ProvisionedTenant {
        let role = try roleName(slug: tenant.slug)
        try createSecretsDirectory()
        let paths = secretPaths(slug: tenant.slug)
        let pgPassword = try SecretFile.readOrCreate(paths.postgres)
        let redisPassword = try SecretFile.readOrCreate(paths.redis)
        let status = tenant.suspended ? "suspended" : "active"

        let tenantID = try await postgres.transaction { conn -> String in
            let rows = try await conn.query(
                """
                INSERT INTO csms.tenants (slug, display_name, plan, db_role, status)
                VALUES (\(tenant.slug), \(tenant.displayName), \(tenant.plan), \(role), \(status))
                ON CONFLICT (slug) DO UPDATE SET display_name = EXCLUDED.display_name, plan = EXCLUDED.plan,
                    status = EXCLUDED.status, deleted_at = NULL, updated_at = now()
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
            try await ensureRole(role, password: pgPassword, on: conn)
            return try row.decode(String.self, column: 0)
        }
        let limits = try await planLimits(tenant.plan)
        try await ensureRedisUser(role, slug: tenant.slug, password: redisPassword)
        logger.info(
            "tenant provisioned",
            metadata: [
                "tenant.slug": "\(tenant.slug)", "tenant.id": "\(tenantID)", "db.role": "\(role)",
                "tenant.status": "\(status)",
            ])
        return ProvisionedTenant(
            slug: tenant.slug, tenantID: tenantID, databaseRole: role, postgresPasswordFile: paths.postgres,
            redisUser: role, redisPasswordFile: paths.redis, maxStations: limits?.maxStations,
            maxConnections: limits?.maxConnections, apiRate: limits?.apiRate)
    }

    /// The station and connection limits of a plan (nil when the plan does not exist).
    public func planLimits(_ plan: String) async throws -> (maxStations: Int, maxConnections: Int, apiRate: Int)? {
        let rows = try await postgres.query(
            """
            SELECT max_stations, max_concurrent_connections, api_requests_per_second FROM csms.plans
            WHERE name = \(plan)
            """)
        guard let row = rows.first else { return nil }
        return (
            try row.decode(Int.self, column: 0), try row.decode(Int.self, column: 1),
            try row.decode(Int.self, column: 2)
        )
    }

    // MARK: Single steps (the platform API composes and undoes these)

    func createSecretsDirectory() throws {
        try FileManager.default.createDirectory(
            atPath: secretsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// New random passwords for a new tenant, replacing whatever files a former tenant of the same
    /// slug may have left. Returns them; they are never logged.
    func writeFreshSecrets(slug: String) throws -> (postgres: String, redis: String) {
        try createSecretsDirectory()
        let paths = secretPaths(slug: slug)
        let pg = SecretFile.random(length: 32)
        let redisPassword = SecretFile.random(length: 32)
        try SecretFile.write(pg, to: paths.postgres)
        try SecretFile.write(redisPassword, to: paths.redis)
        return (pg, redisPassword)
    }

    /// Removes a tenant's secret files; absent files are fine.
    func removeSecrets(slug: String) throws {
        let paths = secretPaths(slug: slug)
        for path in [paths.postgres, paths.redis] where unlink(path) != 0 && errno != ENOENT {
            throw ProvisioningError(
                description: "cannot remove secret file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates or repairs the login role of a tenant whose row exists (csms.ensure_tenant_role).
    func ensureRole(_ role: String, password: String) async throws {
        try await postgres.transaction { conn in try await ensureRole(role, password: password, on: conn) }
    }

    private func ensureRole(_ role: String, password: String, on conn: PGConnection) async throws {
        // The SCRAM verifier is computed here, so the clear-text password never reaches the server.
        let verifier = try await conn.encryptPassword(password, user: role)
        _ = try await conn.query("SELECT csms.ensure_tenant_role(\(role), \(verifier), \(workerMaxConnections + 2))")
    }

    /// Drops a tenant's login role (csms.drop_tenant_role; the tenant row must still exist).
    func dropRole(_ role: String) async throws {
        try await postgres.transaction { conn in
            _ = try await conn.query("SELECT csms.drop_tenant_role(\(role))")
        }
        logger.info("tenant database role dropped", metadata: ["db.role": "\(role)"])
    }

    /// Creates or replaces the tenant's Redis ACL user, confined to `t:<slug>:*`.
    func ensureRedisUser(_ user: String, slug: String, password: String) async throws {
        let prefix = Self.redisPrefix(slug: slug)
        try await redis.aclSetUser(
            user, password: password, keyPatterns: [prefix + "*"], channelPatterns: [prefix + "*"])
    }

    /// Deletes the tenant's Redis user (which also disconnects its clients) and its keys: Redis
    /// holds only live, disposable state.
    func dropRedisUser(_ user: String, slug: String) async throws {
        try await redis.aclDelUser(user)
        try await purgeRedisKeys(slug: slug)
    }

    /// Deletes every key under `t:<slug>:` (SCAN + UNLINK in batches, so a large tenant does not
    /// block Redis).
    func purgeRedisKeys(slug: String) async throws {
        let pattern = Self.redisPrefix(slug: slug) + "*"
        var cursor = "0"
        var removed = 0
        repeat {
            let reply = try await redis.command(["SCAN", cursor, "MATCH", pattern, "COUNT", "500"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array
            else {
                throw ProvisioningError(description: "unexpected SCAN reply from Redis: \(reply)")
            }
            let names = keys.compactMap(\.string)
            if !names.isEmpty {
                _ = try await redis.command(["UNLINK"] + names)
                removed += names.count
            }
            cursor = next
        } while cursor != "0"
        if removed > 0 {
            logger.info("tenant Redis keys removed", metadata: ["tenant.slug": "\(slug)", "redis.keys": "\(removed)"])
        }
    }
}
