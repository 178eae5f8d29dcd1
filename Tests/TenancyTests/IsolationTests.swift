// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Logging
import Postgres
import TestFixtures
import TestSupport
import Testing

/// Logged in as tenant A's own role with raw SQL, nothing of tenant B can be seen, changed or
/// pointed at, and none of the usual ways around a row-level security policy works.
@Suite("Tenant isolation in PostgreSQL")
struct IsolationTests {
    static let tenantTables = ["stations", "evses", "connectors", "id_tokens", "transactions", "meter_values"]

    /// Runs `sql` as tenant A and returns the SQLSTATE it failed with (nil when it succeeded).
    func sqlState(_ pool: PGPool, _ sql: String) async -> String? {
        do {
            try await pool.withConnection { conn in try await conn.simpleQuery(sql) }
            return nil
        } catch let error as PGError {
            return error.sqlState ?? "connection"
        } catch {
            return "other"
        }
    }

    @Test func tenantSeesOnlyItsOwnRowsInEveryTable() async throws {
        let f = try await TenancyFixture.shared.value
        for table in Self.tenantTables {
            let tenants = try await f.tenantA.pool.query(
                PGQuery(sql: "SELECT DISTINCT tenant_id::text FROM csms.\(table)", binds: [])
            ).rows.map { try $0.decode(String.self, column: 0) }
            #expect(tenants == [f.tenantA.id], "table \(table)")
            let bRows = try await f.tenantA.pool.query(
                PGQuery(sql: "SELECT count(*) FROM csms.\(table) WHERE tenant_id = $1::uuid", binds: [f.tenantB.id])
            ).rows[0].decode(Int.self, column: 0)
            #expect(bRows == 0, "table \(table)")
        }
        let me = try await f.tenantA.pool.query("SELECT csms.current_tenant_id()::text").rows[0]
            .decode(String.self, column: 0)
        #expect(me == f.tenantA.id)
    }

    @Test func updatesAndDeletesOfAnotherTenantsRowsChangeNothing() async throws {
        let f = try await TenancyFixture.shared.value
        let updated = try await f.tenantA.pool.execute(
            "UPDATE csms.stations SET vendor = 'hijacked' WHERE id = \(f.tenantB.stationID)")
        #expect(updated == 0)
        let updatedAll = try await f.tenantA.pool.execute(
            "UPDATE csms.id_tokens SET status = 'blocked' WHERE tenant_id = \(f.tenantB.id)::uuid")
        #expect(updatedAll == 0)
        let deleted = try await f.tenantA.pool.execute(
            "DELETE FROM csms.transactions WHERE id = \(f.tenantB.transactionID)")
        #expect(deleted == 0)
        let deletedMeter = try await f.tenantA.pool.execute(
            "DELETE FROM csms.meter_values WHERE tenant_id = \(f.tenantB.id)::uuid")
        #expect(deletedMeter == 0)
        // B's rows are untouched, as the control plane sees them.
        let vendor = try await f.control.query(
            "SELECT vendor FROM csms.stations WHERE id = \(f.tenantB.stationID)"
        ).rows[0].decode(String.self, column: 0)
        #expect(vendor == "vendor-\(f.tenantB.slug)")
        let tx = try await f.control.query(
            "SELECT count(*) FROM csms.transactions WHERE id = \(f.tenantB.transactionID)"
        ).rows[0].decode(Int.self, column: 0)
        #expect(tx == 1)
        let meter = try await f.control.query(
            "SELECT count(*) FROM csms.meter_values WHERE tenant_id = \(f.tenantB.id)::uuid"
        ).rows[0].decode(Int.self, column: 0)
        #expect(meter == 1)
    }

    @Test func insertingOrMovingARowIntoAnotherTenantIsRefused() async throws {
        let f = try await TenancyFixture.shared.value
        let a = f.tenantA.pool
        // 42501: new row violates row-level security policy.
        #expect(
            await sqlState(a, "INSERT INTO csms.stations (tenant_id, identity) VALUES ('\(f.tenantB.id)', 'evil-1')")
                == "42501")
        #expect(
            await sqlState(
                a, "UPDATE csms.stations SET tenant_id = '\(f.tenantB.id)' WHERE id = \(f.tenantA.stationID)")
                == "42501")
        #expect(
            await sqlState(
                a,
                "INSERT INTO csms.meter_values (tenant_id, station_id, sampled_at, value) VALUES ('\(f.tenantB.id)', \(f.tenantB.stationID), now(), 1)"
            ) == "42501")
        // Its own rows it may write, without naming its tenant at all.
        let inserted = try await a.execute("INSERT INTO csms.id_tokens (token) VALUES ('OWN-TOKEN-1')")
        #expect(inserted == 1)
    }

    @Test func foreignKeysCannotPointIntoAnotherTenant() async throws {
        let f = try await TenancyFixture.shared.value
        let a = f.tenantA.pool
        // 23503: the composite key (A, B's station id) does not exist.
        #expect(
            await sqlState(a, "INSERT INTO csms.evses (station_id, evse_id) VALUES (\(f.tenantB.stationID), 7)")
                == "23503")
        #expect(
            await sqlState(
                a,
                "INSERT INTO csms.transactions (station_id, remote_id) VALUES (\(f.tenantB.stationID), 'steal')")
                == "23503")
        #expect(
            await sqlState(
                a,
                "INSERT INTO csms.meter_values (station_id, transaction_id, sampled_at, value) VALUES (\(f.tenantA.stationID), \(f.tenantB.transactionID), now(), 1)"
            ) == "23503")
    }

    @Test func uniqueKeysAreScopedToTheTenant() async throws {
        let f = try await TenancyFixture.shared.value
        // B has a station with this identity; A may use it too, and learns nothing about B.
        let inserted = try await f.tenantA.pool.execute(
            "INSERT INTO csms.stations (identity) VALUES (\("CP-" + f.tenantB.slug))")
        #expect(inserted == 1)
    }

    @Test func copyShowsOnlyOwnRowsAndCannotWrite() async throws {
        let f = try await TenancyFixture.shared.value
        let out = try await f.tenantA.pool.withConnection { conn in
            try await conn.copyOut("COPY csms.stations (tenant_id, identity) TO STDOUT")
        }
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains(f.tenantA.id))
        #expect(!text.contains(f.tenantB.id))
        // COPY FROM is refused on tables under row-level security (0A000), and server-side files
        // need privileges a tenant does not have (42501).
        let copyIn = await sqlState(f.tenantA.pool, "COPY csms.stations (tenant_id, identity) FROM STDIN")
        #expect(copyIn == "0A000" || copyIn == "42501")
        #expect(await sqlState(f.tenantA.pool, "COPY csms.stations TO '/tmp/stations.txt'") == "42501")
    }

    @Test func changingRoleOrSettingsDoesNotEscapeThePolicy() async throws {
        let f = try await TenancyFixture.shared.value
        let a = f.tenantA.pool
        #expect(await sqlState(a, "SET ROLE csms_owner") == "42501")
        #expect(await sqlState(a, "SET ROLE csms_control") == "42501")
        #expect(await sqlState(a, "SET ROLE \(f.tenantB.role)") == "42501")
        #expect(await sqlState(a, "SET SESSION AUTHORIZATION \(f.tenantB.role)") == "42501")
        #expect(await sqlState(a, "SET row_security = off; SELECT * FROM csms.stations") == "42501")
        // Settings and RESET are allowed but change nothing: the tenant comes from the login role.
        let seen = try await a.withConnection { conn -> [String] in
            try await conn.simpleQuery(
                "SELECT set_config('app.tenant_id', '\(f.tenantB.id)', false); RESET ROLE; RESET ALL; RESET SESSION AUTHORIZATION;"
            )
            return try await conn.query("SELECT DISTINCT tenant_id::text FROM csms.stations").rows.map {
                try $0.decode(String.self, column: 0)
            }
        }
        #expect(seen == [f.tenantA.id])
    }

    @Test func noObjectsCanBeCreatedToGetAroundThePolicy() async throws {
        let f = try await TenancyFixture.shared.value
        let a = f.tenantA.pool
        #expect(await sqlState(a, "CREATE VIEW csms.all_stations AS SELECT * FROM csms.stations") == "42501")
        #expect(await sqlState(a, "CREATE VIEW public.all_stations AS SELECT * FROM csms.stations") == "42501")
        #expect(await sqlState(a, "CREATE TEMP VIEW all_stations AS SELECT * FROM csms.stations") == "42501")
        #expect(
            await sqlState(
                a,
                "CREATE FUNCTION public.peek() RETURNS SETOF csms.stations LANGUAGE sql SECURITY DEFINER AS 'SELECT * FROM csms.stations'"
            ) == "42501")
        #expect(
            await sqlState(a, "CREATE FUNCTION pg_temp.peek() RETURNS int LANGUAGE sql AS 'SELECT 1'") == "42501")
        #expect(await sqlState(a, "CREATE TABLE public.loot (x int)") == "42501")
        #expect(await sqlState(a, "ALTER TABLE csms.stations DISABLE ROW LEVEL SECURITY") == "42501")
        #expect(await sqlState(a, "ALTER TABLE csms.stations NO FORCE ROW LEVEL SECURITY") == "42501")
        #expect(await sqlState(a, "DROP POLICY tenant_isolation ON csms.stations") == "42501")
        #expect(
            await sqlState(a, "CREATE POLICY open ON csms.stations FOR SELECT USING (true)") == "42501")
        #expect(await sqlState(a, "TRUNCATE csms.stations") == "42501")
        #expect(await sqlState(a, "SELECT * FROM csms.tenants") == "42501")
        #expect(await sqlState(a, "SELECT * FROM csms.meter_values_default") == "42501")
        #expect(
            await sqlState(a, "SELECT csms.ensure_tenant_role('\(f.tenantB.role)', 'SCRAM-SHA-256$x', 5)") == "42501")
        #expect(await sqlState(a, "SELECT csms.apply_tenant_isolation('csms.stations')") == "42501")
    }

    @Test func tenantRoleIsNeitherOwnerNorPrivileged() async throws {
        let f = try await TenancyFixture.shared.value
        let row = try await f.control.query(
            """
            SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb, r.rolinherit, r.rolcanlogin,
                   (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid),
                   (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)
            FROM pg_roles r WHERE r.rolname = \(f.tenantA.role)
            """
        ).rows[0]
        #expect(try row.decode(Bool.self, column: 0) == false)
        #expect(try row.decode(Bool.self, column: 1) == false)
        #expect(try row.decode(Bool.self, column: 2) == false)
        #expect(try row.decode(Bool.self, column: 3) == false)
        #expect(try row.decode(Bool.self, column: 4) == false)
        #expect(try row.decode(Bool.self, column: 5) == true)
        #expect(try row.decode(Int.self, column: 6) == 0)
        #expect(try row.decode(Int.self, column: 7) == 0)
    }

    /// Every table anywhere with a tenant_id column has row-level security enabled and forced, the
    /// tenant policy, unique keys that lead with tenant_id and composite foreign keys; a table
    /// added by a future migration cannot forget.
    @Test func catalogHasNoUnprotectedTenantTable() async throws {
        let f = try await TenancyFixture.shared.value
        let tables = try await f.control.query(
            """
            SELECT c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """
        ).rows
        #expect(tables.count >= Self.tenantTables.count)
        for t in tables {
            let name = try t.decode(String.self, column: 0)
            #expect(try t.decode(Bool.self, column: 1), "\(name): row-level security not enabled")
            #expect(try t.decode(Bool.self, column: 2), "\(name): row-level security not forced")
            #expect(try t.decode(Bool.self, column: 3), "\(name): no tenant_isolation policy")
        }
        let badUniques = try await f.control.query(
            """
            SELECT i.indexrelid::regclass::text FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = 'tenant_id'
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.indisunique AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND i.indkey[0] <> a.attnum
            """
        ).rows.map { try $0.decode(String.self, column: 0) }
        #expect(badUniques.isEmpty, "unique keys not leading with tenant_id: \(badUniques)")
        let badForeignKeys = try await f.control.query(
            """
            SELECT con.conname::text FROM pg_constraint con
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attname = 'tenant_id'
            JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attname = 'tenant_id'
            WHERE con.contype = 'f' AND NOT (a.attnum = ANY (con.conkey) AND fa.attnum = ANY (con.confkey))
            """
        ).rows.map { try $0.decode(String.self, column: 0) }
        #expect(badForeignKeys.isEmpty, "foreign keys between tenant tables without tenant_id: \(badForeignKeys)")
    }
}

@Suite("Append-only tables")
struct AppendOnlyTests {
    /// The audit log (issue 6): a tenant's worker role can write entries and read its own, but can
    /// neither change nor remove one, however it tries.
    @Test func theTenantRoleCannotAlterTheAuditLog() async throws {
        let f = try await TenancyFixture.shared.value
        let a = f.tenantA.pool
        try await a.execute(
            "INSERT INTO csms.audit_log (actor_kind, actor, action, target) VALUES ('api_key', 'k1', 'tokens.create', '/api/v1/tokens/1')"
        )
        let mine = try await a.query("SELECT count(*) FROM csms.audit_log").rows[0].decode(Int.self, column: 0)
        #expect(mine >= 1)
        let isolation = IsolationTests()
        #expect(await isolation.sqlState(a, "UPDATE csms.audit_log SET action = 'nothing happened'") == "42501")
        #expect(await isolation.sqlState(a, "DELETE FROM csms.audit_log") == "42501")
        #expect(await isolation.sqlState(a, "TRUNCATE csms.audit_log") == "42501")
        let entries = try await f.control.query(
            "SELECT count(*) FROM csms.audit_log WHERE tenant_id = \(f.tenantA.id)::uuid AND action = 'tokens.create'"
        ).rows[0].decode(Int.self, column: 0)
        #expect(entries == mine)
    }

    /// A role provisioned while a table still granted UPDATE and DELETE loses them the next time
    /// the control plane ensures the role (at every start).
    @Test func ensuringARoleTakesBackWhatATableNoLongerGrants() async throws {
        let db = try await TestDatabase.create(prefix: "csms_roles")
        let tenant = try await db.createTenant(slug: "p\(TestEnvironment.uniqueSuffix())")
        // As an older ensure_tenant_role did: every privilege on every tenant table.
        try await db.control.withConnection { conn in
            try await conn.simpleQuery(
                "SET ROLE csms_owner; GRANT UPDATE, DELETE ON csms.audit_log TO \"\(tenant.role)\"; RESET ROLE")
        }
        func privileges() async throws -> [String] {
            try await db.control.query(
                """
                SELECT p FROM unnest(ARRAY['DELETE', 'INSERT', 'SELECT', 'UPDATE']) AS p
                WHERE has_table_privilege(\(tenant.role), 'csms.audit_log', p) ORDER BY p
                """
            ).rows.map { try $0.decode(String.self, column: 0) }
        }
        #expect(try await privileges() == ["DELETE", "INSERT", "SELECT", "UPDATE"])
        try await db.control.withConnection { conn in
            let verifier = try await conn.encryptPassword("pw-\(TestEnvironment.uniqueSuffix())", user: tenant.role)
            _ = try await conn.query("SELECT csms.ensure_tenant_role(\(tenant.role), \(verifier), 5)")
        }
        #expect(try await privileges() == ["INSERT", "SELECT"])
    }
}

@Suite("Tenant role provisioning")
struct TenantRoleProvisioningTests {
    /// The control plane runs `ensure_tenant_role` at every start: a second run repairs the role
    /// (new password, grants) instead of failing, and the old password stops working.
    @Test func ensuringAnExistingRoleRepairsIt() async throws {
        let db = try await TestDatabase.create(prefix: "csms_roles")
        let tenant = try await db.createTenant(slug: "r\(TestEnvironment.uniqueSuffix())")
        let newPassword = "new-\(TestEnvironment.uniqueSuffix())"
        try await db.control.withConnection { conn in
            let verifier = try await conn.encryptPassword(newPassword, user: tenant.role)
            _ = try await conn.query("SELECT csms.ensure_tenant_role(\(tenant.role), \(verifier), 7)")
        }
        let limit = try await db.control.query(
            "SELECT rolconnlimit FROM pg_roles WHERE rolname = \(tenant.role)"
        ).rows[0].decode(Int.self, column: 0)
        #expect(limit == 7)
        let pool = PGPool(
            configuration: PGPoolConfiguration(
                conninfo: tenant.conninfo + " password=\(newPassword)", maxConnections: 1),
            logger: Logger(label: "test"))
        let me = try await pool.query("SELECT csms.current_tenant_id()::text").rows[0].decode(String.self, column: 0)
        #expect(me == tenant.id)
        await pool.shutdown()
    }

    @Test func onlyRolesOfTenantsCanBeProvisioned() async throws {
        let db = try await TestDatabase.create(prefix: "csms_roles")
        await #expect(throws: PGError.self) {
            _ = try await db.control.query("SELECT csms.ensure_tenant_role('postgres', 'SCRAM-SHA-256$x', 5)")
        }
        await #expect(throws: PGError.self) {
            _ = try await db.control.query("SELECT csms.ensure_tenant_role('csms_control', 'SCRAM-SHA-256$x', 5)")
        }
    }
}
