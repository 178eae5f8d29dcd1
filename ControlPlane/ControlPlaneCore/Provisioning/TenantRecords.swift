// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres

/// A tenant's lifecycle state in csms.tenants.
public enum TenantStatus: String, Sendable, Codable, CaseIterable {
    /// The platform API is creating it (role, Redis user, file, worker); not served yet.
    case provisioning
    case active
    /// Keeps its data and configuration; no worker runs and the router answers 403.
    case suspended
    /// No role, no worker, no file; its rows are kept until `dataRetainedUntil`, then erased.
    case deleted
}

/// One row of csms.tenants, with the retention date of a deleted tenant from its plan.
public struct TenantRecord: Sendable, Equatable {
    public var id: String
    public var slug: String
    public var displayName: String
    public var plan: String
    public var databaseRole: String
    public var status: TenantStatus
    /// RFC 3339 UTC with milliseconds.
    public var createdAt: String
    public var updatedAt: String
    public var deletedAt: String?
    /// `deleted_at` plus the plan's `data_retention_days`.
    public var dataRetainedUntil: String?
}

/// The queries on csms.tenants that the platform API runs as the control-plane role.
struct TenantRecords: Sendable {
    let postgres: PGPool

    private static let columns = """
        t.id::text, t.slug, t.display_name, t.plan, t.db_role::text, t.status,
        to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char(t.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char((t.deleted_at + make_interval(days => p.data_retention_days)) AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        """

    static func record(_ row: PGRow) throws -> TenantRecord {
        let statusText = try row.decode(String.self, column: 5)
        guard let status = TenantStatus(rawValue: statusText) else {
            throw PGDecodingFailure("unknown tenant status \(statusText)")
        }
        return TenantRecord(
            id: try row.decode(String.self, column: 0), slug: try row.decode(String.self, column: 1),
            displayName: try row.decode(String.self, column: 2), plan: try row.decode(String.self, column: 3),
            databaseRole: try row.decode(String.self, column: 4), status: status,
            createdAt: try row.decode(String.self, column: 6), updatedAt: try row.decode(String.self, column: 7),
            deletedAt: try row.decode(String?.self, column: 8),
            dataRetainedUntil: try row.decode(String?.self, column: 9))
    }

    /// Inserts a tenant in `provisioning`. Returns nil when the slug (or its role name) is taken:
    /// the unique constraints decide between concurrent creates, on this host or another.
    func insert(slug: String, displayName: String, plan: String, role: String) async throws -> TenantRecord? {
        let rows = try await postgres.query(
            PGQuery(
                sql: """
                    WITH t AS (
                        INSERT INTO csms.tenants (slug, display_name, plan, db_role, status)
                        VALUES ($1, $2, $3, $4, 'provisioning')
                        ON CONFLICT DO NOTHING
                        RETURNING *)
                    SELECT \(Self.columns) FROM t LEFT JOIN csms.plans p ON p.name = t.plan
                    """, binds: [slug, displayName, plan, role])
        ).rows
        return try rows.first.map(Self.record)
    }

    func find(slug: String) async throws -> TenantRecord? {
        let rows = try await postgres.query(
            PGQuery(
                sql: """
                    SELECT \(Self.columns) FROM csms.tenants t LEFT JOIN csms.plans p ON p.name = t.plan
                    WHERE t.slug = $1
                    """, binds: [slug])
        ).rows
        return try rows.first.map(Self.record)
    }

    func list(includeDeleted: Bool) async throws -> [TenantRecord] {
        let rows = try await postgres.query(
            PGQuery(
                sql: """
                    SELECT \(Self.columns) FROM csms.tenants t LEFT JOIN csms.plans p ON p.name = t.plan
                    WHERE $1 OR t.status <> 'deleted'
                    ORDER BY t.slug
                    """, binds: [includeDeleted])
        ).rows
        return try rows.map(Self.record)
    }

    func setStatus(id: String, _ status: TenantStatus) async throws {
        try await postgres.execute(
            """
            UPDATE csms.tenants SET status = \(status.rawValue), updated_at = now(),
                deleted_at = CASE WHEN \(status.rawValue) = 'deleted' THEN coalesce(deleted_at, now()) END
            WHERE id = \(id)::uuid
            """)
    }

    func update(id: String, displayName: String, plan: String) async throws {
        try await postgres.execute(
            """
            UPDATE csms.tenants SET display_name = \(displayName), plan = \(plan), updated_at = now()
            WHERE id = \(id)::uuid
            """)
    }

    /// Deleted tenants whose retention period (deletion time plus their plan's
    /// `data_retention_days`) is over.
    func expired() async throws -> [String] {
        try await postgres.query(
            """
            SELECT t.slug FROM csms.tenants t JOIN csms.plans p ON p.name = t.plan
            WHERE t.status = 'deleted' AND t.deleted_at + make_interval(days => p.data_retention_days) <= now()
            ORDER BY t.slug
            """
        ).rows.map { try $0.decode(String.self, column: 0) }
    }

    /// csms.erase_tenant: every row of the (deleted, role-less) tenant, and the tenant row.
    @discardableResult
    func erase(id: String) async throws -> Int64 {
        try await postgres.query("SELECT csms.erase_tenant(\(id)::uuid)").rows.first?.decode(Int64.self, column: 0)
            ?? 0
    }
}
