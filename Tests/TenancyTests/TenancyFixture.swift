// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Postgres
import TestFixtures
import TestSupport

/// One migrated database with two tenants, A and B, each with its own login role and a station,
/// EVSE, connector, id token, transaction and meter value written by the control-plane role.
struct TenancyFixture: Sendable {
    let database: TestDatabase
    let tenantA: Tenant
    let tenantB: Tenant
    var control: PGPool { database.control }

    struct Tenant: Sendable {
        let slug: String
        let id: String
        let role: String
        let pool: PGPool
        let stationID: Int
        let transactionID: Int
    }

    static let shared = Task { try await TenancyFixture.make() }

    static func make() async throws -> TenancyFixture {
        let db = try await TestDatabase.create(prefix: "csms_tenancy")
        let suffix = TestEnvironment.uniqueSuffix()
        let a = try await seed(try await db.createTenant(slug: "a\(suffix)"), control: db.control)
        let b = try await seed(try await db.createTenant(slug: "b\(suffix)"), control: db.control)
        return TenancyFixture(database: db, tenantA: a, tenantB: b)
    }

    static func seed(_ t: TestDatabase.Tenant, control: PGPool) async throws -> Tenant {
        let id = t.id
        let stationID = try await control.query(
            """
            INSERT INTO csms.stations (tenant_id, identity, registration_status, vendor)
            VALUES (\(id)::uuid, \("CP-" + t.slug), 'accepted', \("vendor-" + t.slug)) RETURNING id
            """
        ).rows[0].decode(Int.self, column: 0)
        let evse = try await control.query(
            "INSERT INTO csms.evses (tenant_id, station_id, evse_id) VALUES (\(id)::uuid, \(stationID), 1) RETURNING id"
        ).rows[0].decode(Int.self, column: 0)
        try await control.execute(
            "INSERT INTO csms.connectors (tenant_id, evse_pk, connector_id) VALUES (\(id)::uuid, \(evse), 1)")
        try await control.execute(
            "INSERT INTO csms.id_tokens (tenant_id, token) VALUES (\(id)::uuid, \("TAG-" + t.slug))")
        let tx = try await control.query(
            """
            INSERT INTO csms.transactions (tenant_id, station_id, evse_pk, remote_id, id_token, started_at)
            VALUES (\(id)::uuid, \(stationID), \(evse), 'tx-1', \("TAG-" + t.slug), now()) RETURNING id
            """
        ).rows[0].decode(Int.self, column: 0)
        try await control.execute(
            """
            INSERT INTO csms.meter_values (tenant_id, station_id, transaction_id, evse_id, sampled_at, value)
            VALUES (\(id)::uuid, \(stationID), \(tx), 1, now(), 1234.5)
            """)
        return Tenant(slug: t.slug, id: id, role: t.role, pool: t.pool, stationID: stationID, transactionID: tx)
    }
}
