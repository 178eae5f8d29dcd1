// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Config
import Foundation
import Postgres

/// A billing plan as stored in csms.plans.
public struct PlanRecord: Sendable, Equatable {
    /// Who owns the plan: `platform.yaml` (`config`) or the platform API (`api`).
    public enum Source: String, Sendable, Codable {
        case config
        case api
    }

    public var plan: PlatformConfig.Plan
    public var source: Source
    /// Tenants on the plan, deleted ones whose data is still retained included.
    public var tenants: Int
    public var createdAt: String
    public var updatedAt: String
}

/// Plan CRUD on csms.plans. platform.yaml is authoritative for the plans it names (synced at
/// every start, see `TenantProvisioner.syncPlans`); the API creates, replaces and deletes only the
/// others.
struct PlanCatalog: Sendable {
    let postgres: PGPool

    /// Writes `plan` as owned by `source`: platform.yaml's sync (`config`) and the platform API
    /// (`api`, only for plans that are not `config`) store a plan the same way.
    static func upsert(_ plan: PlatformConfig.Plan, source: PlanRecord.Source, on conn: PGConnection) async throws {
        try await conn.execute(
            """
            INSERT INTO csms.plans (name, monthly_price, currency, included_stations, price_per_extra_station,
                max_stations, max_concurrent_connections, api_requests_per_second, ocpi_enabled,
                data_retention_days, source)
            VALUES (\(plan.name), \(plan.monthlyPriceText)::numeric, \(plan.currency), \(plan.includedStations),
                \(plan.pricePerExtraStationText)::numeric, \(plan.maxStations), \(plan.maxConcurrentConnections),
                \(plan.apiRequestsPerSecond), \(plan.ocpiEnabled), \(plan.dataRetentionDays), \(source.rawValue))
            ON CONFLICT (name) DO UPDATE SET monthly_price = EXCLUDED.monthly_price,
                currency = EXCLUDED.currency, included_stations = EXCLUDED.included_stations,
                price_per_extra_station = EXCLUDED.price_per_extra_station,
                max_stations = EXCLUDED.max_stations,
                max_concurrent_connections = EXCLUDED.max_concurrent_connections,
                api_requests_per_second = EXCLUDED.api_requests_per_second,
                ocpi_enabled = EXCLUDED.ocpi_enabled, data_retention_days = EXCLUDED.data_retention_days,
                source = EXCLUDED.source, updated_at = now()
            """)
    }

    enum DeleteOutcome: Equatable {
        case deleted
        case notFound
        case fromConfig
        case inUse(tenants: Int)
    }

    enum WriteOutcome: Equatable {
        case created
        case replaced
        case exists
        case fromConfig
    }

    private static let columns = """
        p.name, p.monthly_price::text, p.currency::text, p.included_stations, p.price_per_extra_station::text,
        p.max_stations, p.max_concurrent_connections, p.api_requests_per_second, p.ocpi_enabled,
        p.data_retention_days, p.source,
        (SELECT count(*) FROM csms.tenants t WHERE t.plan = p.name)::bigint,
        to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        """

    static func record(_ row: PGRow) throws -> PlanRecord {
        func amount(_ column: Int) throws -> Decimal {
            let text = try row.decode(String.self, column: column)
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw PGDecodingFailure("plan amount \(text) is not a decimal")
            }
            return value
        }
        let sourceText = try row.decode(String.self, column: 10)
        guard let source = PlanRecord.Source(rawValue: sourceText) else {
            throw PGDecodingFailure("unknown plan source \(sourceText)")
        }
        let plan = PlatformConfig.Plan(
            name: try row.decode(String.self, column: 0), monthlyPrice: try amount(1),
            currency: try row.decode(String.self, column: 2), includedStations: try row.decode(Int.self, column: 3),
            pricePerExtraStation: try amount(4), maxStations: try row.decode(Int.self, column: 5),
            maxConcurrentConnections: try row.decode(Int.self, column: 6),
            apiRequestsPerSecond: try row.decode(Int.self, column: 7),
            ocpiEnabled: try row.decode(Bool.self, column: 8),
            dataRetentionDays: try row.decode(Int.self, column: 9))
        return PlanRecord(
            plan: plan, source: source, tenants: Int(try row.decode(Int64.self, column: 11)),
            createdAt: try row.decode(String.self, column: 12), updatedAt: try row.decode(String.self, column: 13))
    }

    func all() async throws -> [PlanRecord] {
        try await postgres.query(PGQuery(sql: "SELECT \(Self.columns) FROM csms.plans p ORDER BY p.name")).rows
            .map(Self.record)
    }

    func find(_ name: String) async throws -> PlanRecord? {
        try await postgres.query(
            PGQuery(sql: "SELECT \(Self.columns) FROM csms.plans p WHERE p.name = $1", binds: [name])
        )
        .rows.first.map(Self.record)
    }

    /// Inserts an API plan; `.exists` when the name is taken (by either kind of plan).
    func create(_ plan: PlatformConfig.Plan) async throws -> WriteOutcome {
        let inserted = try await postgres.execute(
            """
            INSERT INTO csms.plans (name, monthly_price, currency, included_stations, price_per_extra_station,
                max_stations, max_concurrent_connections, api_requests_per_second, ocpi_enabled,
                data_retention_days, source)
            VALUES (\(plan.name), \(plan.monthlyPriceText)::numeric, \(plan.currency), \(plan.includedStations),
                \(plan.pricePerExtraStationText)::numeric, \(plan.maxStations), \(plan.maxConcurrentConnections),
                \(plan.apiRequestsPerSecond), \(plan.ocpiEnabled), \(plan.dataRetentionDays), 'api')
            ON CONFLICT (name) DO NOTHING
            """)
        return inserted == 1 ? .created : .exists
    }

    /// Creates or replaces an API plan; a plan of platform.yaml is left alone (`.fromConfig`).
    func put(_ plan: PlatformConfig.Plan) async throws -> WriteOutcome {
        try await postgres.transaction { conn in
            let existing = try await conn.query(
                "SELECT source FROM csms.plans WHERE name = \(plan.name) FOR UPDATE"
            ).rows.first.map { try $0.decode(String.self, column: 0) }
            if existing == PlanRecord.Source.config.rawValue { return .fromConfig }
            try await Self.upsert(plan, source: .api, on: conn)
            return existing == nil ? .created : .replaced
        }
    }

    /// Deletes an API plan that no tenant uses (deleted tenants whose data is retained count: the
    /// plan gives their retention period).
    func delete(_ name: String) async throws -> DeleteOutcome {
        try await postgres.transaction { conn in
            guard
                let source = try await conn.query("SELECT source FROM csms.plans WHERE name = \(name) FOR UPDATE")
                    .rows.first.map({ try $0.decode(String.self, column: 0) })
            else { return .notFound }
            if source == PlanRecord.Source.config.rawValue { return .fromConfig }
            // The FOR UPDATE lock makes a concurrent tenant insert on this plan wait (its foreign
            // key check takes FOR KEY SHARE on the plan row), so the count is exact; the foreign
            // key stays the last word all the same.
            let users =
                try await conn.query("SELECT count(*)::bigint FROM csms.tenants WHERE plan = \(name)")
                .rows.first?.decode(Int64.self, column: 0) ?? 0
            if users > 0 { return .inUse(tenants: Int(users)) }
            do {
                try await conn.execute("DELETE FROM csms.plans WHERE name = \(name)")
            } catch let error as PGError where error.sqlState == "23503" {
                return .inUse(tenants: 1)
            }
            return .deleted
        }
    }
}
