// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import Postgres
import Redis
import TestFixtures
import TestSupport

/// One migrated database with two tenants, A and B, each with its own PostgreSQL role, its own
/// Redis ACL user (keys `t:<slug>:*` only) and a ``PostgresChargingStore`` on both. Tests create
/// their own stations and tokens with unique names, so they run in parallel on the shared tenants.
struct ChargingFixture: Sendable {
    let database: TestDatabase
    let a: TenantStore
    let b: TenantStore
    var control: PGPool { database.control }

    struct TenantStore: Sendable {
        let tenant: TestDatabase.Tenant
        /// The store's pool (the tenant's role, more connections than `tenant.pool`).
        let pool: PGPool
        let redis: RedisClient
        let store: PostgresChargingStore
        var slug: String { tenant.slug }
    }

    static let shared = Task { try await ChargingFixture.make() }

    static var logger: Logger {
        var logger = Logger(label: "charging-tests")
        logger.logLevel = .warning
        return logger
    }

    static func make() async throws -> ChargingFixture {
        let db = try await TestDatabase.create(prefix: "csms_domain")
        // Today's frame partition must exist before any test logs a frame (frames written earlier
        // would land in the default partition and keep the day's partition from being created).
        _ = try await db.control.query("SELECT csms.ensure_ocpp_frame_partitions((now() AT TIME ZONE 'UTC')::date, 3)")
        let suffix = TestEnvironment.uniqueSuffix()
        let a = try await makeTenant(db, slug: "da\(suffix)")
        let b = try await makeTenant(db, slug: "db\(suffix)")
        return ChargingFixture(database: db, a: a, b: b)
    }

    static func redisAdmin() throws -> RedisClient {
        RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.redisPort(),
                username: try TestEnvironment.redisAdminUser(), password: try TestEnvironment.redisAdminPassword()),
            logger: logger)
    }

    /// A tenant with a store whose pool has `connections` connections (the tenant role allows 10).
    static func makeTenant(_ db: TestDatabase, slug: String, connections: Int = 6) async throws -> TenantStore {
        let tenant = try await db.createTenant(slug: slug)
        let admin = try redisAdmin()
        let redisPassword = "r-\(TestEnvironment.uniqueSuffix())"
        try await admin.aclSetUser(
            tenant.role, password: redisPassword, keyPatterns: [RedisACL.tenantPattern(slug)],
            channelPatterns: [RedisACL.tenantPattern(slug)])
        await admin.shutdown()
        let redis = RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.redisPort(), username: tenant.role, password: redisPassword
            ),
            logger: logger)
        let pool = PGPool(
            configuration: PGPoolConfiguration(
                conninfo: tenant.conninfo + " password=\(tenant.password)", maxConnections: connections),
            logger: logger)
        let store = PostgresChargingStore(postgres: pool, redis: redis, tenantSlug: slug, logger: logger)
        return TenantStore(tenant: tenant, pool: pool, redis: redis, store: store)
    }
}

extension ChargingFixture.TenantStore {
    /// A new accepted station with a unique identity.
    func newStation(_ prefix: String = "CP") async throws -> StationRecord {
        try await store.upsertStation(
            identity: "\(prefix)-\(TestEnvironment.uniqueSuffix())", registrationStatus: .accepted, passwordHash: nil)
    }

    /// A new token with a unique value.
    @discardableResult
    func newToken(
        _ prefix: String = "T", type: String = "Central", status: String = "accepted", expiresAt: Date? = nil,
        parent: String? = nil
    ) async throws -> String {
        let token = "\(prefix)\(TestEnvironment.uniqueSuffix())"
        _ = try await store.upsertToken(
            TokenInput(token: token, type: type, status: status, expiresAt: expiresAt, parentToken: parent))
        return token
    }
}

/// Now, with millisecond precision (what OCPP timestamps carry), so values survive the round trip
/// through PostgreSQL exactly.
func wallClock(offset: TimeInterval = 0) -> Date {
    Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 + offset) * 1000).rounded(.down) / 1000)
}

/// `count` energy samples a second apart, in Wh.
func energySamples(
    from start: Date, count: Int, firstWh: Double, context: String = "Sample.Periodic"
)
    -> [MeterSample]
{
    (0..<count).map { i in
        MeterSample(
            sampledAt: start.addingTimeInterval(Double(i)), unit: "Wh", context: context, value: firstWh + Double(i))
    }
}

extension PGPool {
    /// The first column of the first row.
    func scalar<T: PGDecodable>(_ query: PGQuery, as type: T.Type = T.self) async throws -> T {
        try await self.query(query).rows[0].decode(T.self, column: 0)
    }
}

extension Date {
    /// Microseconds since 1970, rounded: the precision PostgreSQL stores. Dates that went through
    /// the database (or JSON) compare equal by this, not always by `==` (the Double can differ in
    /// its last bit).
    var micros: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
}

extension Optional where Wrapped == Date {
    var micros: Int64? { map(\.micros) }
}

extension ConnectorStatus {
    /// Every field, with the time in microseconds (see ``Date/micros``).
    var comparable: String {
        "\(evseId)/\(connectorId) \(status) \(errorCode ?? "-") \(info ?? "-") \(vendorErrorCode ?? "-") \(timestamp.micros)"
    }
}
