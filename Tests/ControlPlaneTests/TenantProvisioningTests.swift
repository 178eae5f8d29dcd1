// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import ControlPlaneCore
import Foundation
import Postgres
import TestSupport
import Testing

/// Tenants through the platform API with real worker processes: create (row, role, Redis user,
/// file, healthy worker), duplicates, a provisioning that fails half-way and leaves nothing,
/// suspend and resume, update, and delete with and without erasing the data.
@Suite("Platform API tenant provisioning", .serialized)
struct TenantProvisioningTests {
    func body(_ slug: String, plan: String = "starter") -> [String: Any] {
        ["slug": slug, "display_name": "Tenant \(slug)", "plan": plan]
    }

    /// Runs `test` with a harness and always shuts it down (its workers are separate processes).
    func withHarness(
        workerExecutable: String? = nil, _ test: (PlatformAPIHarness) async throws -> Void
    ) async throws {
        let h = try await PlatformAPIHarness.start(workerExecutable: workerExecutable)
        do {
            try await test(h)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    @Test func createProvisionsEverythingAndStartsAHealthyWorker() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("new")
            let started = ContinuousClock.now
            var request = body(slug)
            request["ocpp"] = ["heartbeat_interval": 60, "unknown_stations": "pending"]
            request["api_keys"] = [["name": "ops", "sha256": String(repeating: "ab", count: 32)]]
            let created = try await h.request("POST", "/platform/v1/tenants", json: request)
            let elapsed = ContinuousClock.now - started
            #expect(created.status == 201, "\(created.text)")
            #expect(created.header("Location") == "/platform/v1/tenants/\(slug)")
            #expect(created.json["status"] as? String == "active")
            #expect(created.json["host"] as? String == "\(slug).csms.test")
            #expect((created.json["ocpp"] as? [String: Any])?["heartbeat_interval"] as? String == "1m")
            let worker = try #require(created.json["worker"] as? [String: Any])
            #expect(worker["state"] as? String == "running")
            #expect(worker["healthy"] as? Bool == true)
            #expect(elapsed < .seconds(15))

            #expect(try await h.tenantRow(slug)?.status == "active")
            #expect(try await h.roleExists(slug))
            #expect(try await h.redisUserExists(slug))
            #expect(h.tenantFileExists(slug))
            let file = try TenantConfig.load(path: h.dir + "/tenants/\(slug).yaml", platform: nil)
            #expect(file.displayName == "Tenant \(slug)")
            #expect(file.ocpp.unknownStations == .pending)
            #expect(file.apiKeys.map(\.name) == ["ops"])
            let mode =
                try FileManager.default.attributesOfItem(atPath: h.dir + "/data/secrets/\(slug).postgres")[
                    .posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(
                try !FileManager.default.contentsOfDirectory(atPath: h.dir + "/tenants").contains { $0.hasPrefix(".") })

            // The worker itself: its tenant, PostgreSQL (as its own role) and Redis reachable.
            let health = try #require(await h.workerHealth(slug))
            #expect(health["tenant"] as? String == slug)
            #expect((health["postgres"] as? [String: Any])?["state"] as? String == "ok")
            #expect((health["redis"] as? [String: Any])?["state"] as? String == "ok")
            #expect(h.workerPIDs(slug).count == 1)

            let shown = try await h.request("GET", "/platform/v1/tenants/\(slug)")
            #expect(shown.status == 200)
            #expect(shown.json["id"] as? String == created.json["id"] as? String)
            let list = try await h.request("GET", "/platform/v1/tenants")
            #expect(list.items.map { $0["slug"] as? String } == [slug])
            let workers = try await h.request("GET", "/platform/v1/workers")
            #expect(workers.items.count == 1)
            #expect(workers.items.first?["slug"] as? String == slug)
            #expect(workers.items.first?["state"] as? String == "running")
            #expect(workers.items.first?["tenant_status"] as? String == "active")

            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true").status == 204)
        }
    }

    @Test func duplicatesAndConcurrentCreatesOfOneSlug() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("twin")
            // Two creates at once: one wins, the other is told the tenant exists or is being made.
            async let first = h.request("POST", "/platform/v1/tenants", json: body(slug))
            async let second = h.request("POST", "/platform/v1/tenants", json: body(slug))
            let statuses = try await [first.status, second.status].sorted()
            #expect(statuses == [201, 409])
            #expect(h.workerPIDs(slug).count == 1)

            let again = try await h.request("POST", "/platform/v1/tenants", json: body(slug))
            #expect(again.status == 409)
            #expect(again.header("Content-Type") == "application/problem+json")
            #expect(again.json["detail"] as? String == "tenant \(slug) already exists")
            // The loser changed nothing.
            #expect(try await h.tenantRow(slug)?.status == "active")
            #expect(await h.workerHealth(slug) != nil)

            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true").status == 204)
        }
    }

    @Test func unknownPlanIs422AndCreatesNothing() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("noplan")
            let reply = try await h.request("POST", "/platform/v1/tenants", json: body(slug, plan: "platinum"))
            #expect(reply.status == 422)
            #expect(reply.json["errors"] as? [[String: Any]] != nil)
            #expect(try await h.tenantRow(slug) == nil)
            #expect(try await !h.roleExists(slug))
            #expect(!h.tenantFileExists(slug))
        }
    }

    @Test func failedProvisioningLeavesNothingBehind() async throws {
        // A worker that exits at once: the create fails at the health wait, after the row, the
        // secrets, the role, the Redis user and the file were made.
        try await withHarness(workerExecutable: "/bin/false") { h in
            let slug = PlatformAPIHarness.slug("broken")
            let started = ContinuousClock.now
            let reply = try await h.request("POST", "/platform/v1/tenants", json: body(slug))
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(reply.status == 500, "\(reply.text)")
            #expect(reply.header("Content-Type") == "application/problem+json")
            #expect(reply.json["type"] as? String == "urn:open-csms:problem:operation-failed")
            #expect(reply.json["failed_step"] as? String == "wait_for_worker_health")
            #expect(
                reply.json["rolled_back"] as? [String] == [
                    "stop_worker", "remove_tenant_file", "drop_redis_user", "drop_database_role", "remove_secrets",
                    "delete_tenant_row",
                ])
            #expect(reply.json["rollback_failures"] as? [String] == [])

            #expect(try await h.tenantRow(slug) == nil)
            #expect(try await !h.roleExists(slug))
            #expect(try await !h.redisUserExists(slug))
            #expect(!h.tenantFileExists(slug))
            #expect(!h.secretsExist(slug))
            #expect(h.runFiles(slug).isEmpty, "\(h.runFiles(slug))")
            #expect(try await h.request("GET", "/platform/v1/workers").items.isEmpty)
            #expect(try await h.request("GET", "/platform/v1/tenants?include_deleted=true").items.isEmpty)
        }
    }

    @Test func suspendDrainsTheWorkerAndResumeBringsItBack() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("nap")
            #expect(try await h.request("POST", "/platform/v1/tenants", json: body(slug)).status == 201)
            #expect(h.workerPIDs(slug).count == 1)

            let suspended = try await h.request("POST", "/platform/v1/tenants/\(slug)/suspend")
            #expect(suspended.status == 200, "\(suspended.text)")
            #expect(suspended.json["status"] as? String == "suspended")
            #expect((suspended.json["worker"] as? [String: Any])?["state"] as? String == "stopped")
            #expect(h.workerPIDs(slug).isEmpty)
            #expect(try await h.tenantRow(slug)?.status == "suspended")
            #expect(try TenantConfig.load(path: h.dir + "/tenants/\(slug).yaml", platform: nil).suspended)
            #expect(await h.workerHealth(slug) == nil)
            // The tenant keeps its role and Redis user while suspended.
            #expect(try await h.roleExists(slug))
            #expect(try await h.redisUserExists(slug))
            // Again: nothing changes.
            #expect(try await h.request("POST", "/platform/v1/tenants/\(slug)/suspend").status == 200)
            // Settings may change while suspended; the tenant stays suspended.
            let renamed = try await h.request(
                "PATCH", "/platform/v1/tenants/\(slug)", json: ["display_name": "Renamed while asleep"])
            #expect(renamed.status == 200)
            #expect(renamed.json["status"] as? String == "suspended")

            let resumed = try await h.request("POST", "/platform/v1/tenants/\(slug)/resume")
            #expect(resumed.status == 200, "\(resumed.text)")
            #expect(resumed.json["status"] as? String == "active")
            #expect((resumed.json["worker"] as? [String: Any])?["healthy"] as? Bool == true)
            #expect(try await h.tenantRow(slug)?.status == "active")
            #expect(try !TenantConfig.load(path: h.dir + "/tenants/\(slug).yaml", platform: nil).suspended)
            #expect(await h.workerHealth(slug)?["tenant"] as? String == slug)
            #expect(h.workerPIDs(slug).count == 1)
            // Resuming a healthy tenant changes nothing.
            #expect(try await h.request("POST", "/platform/v1/tenants/\(slug)/resume").status == 200)

            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true").status == 204)
        }
    }

    @Test func updateRewritesTheFileAndRestartsTheWorker() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("edit")
            #expect(try await h.request("POST", "/platform/v1/tenants", json: body(slug)).status == 201)
            let before = try #require(h.workerPIDs(slug).first)

            let renamed = try await h.request(
                "PATCH", "/platform/v1/tenants/\(slug)", json: ["display_name": "Acme Charging \"Nord\""])
            #expect(renamed.status == 200, "\(renamed.text)")
            #expect(renamed.json["display_name"] as? String == "Acme Charging \"Nord\"")
            // A display name is not read by the worker: no restart.
            #expect(h.workerPIDs(slug) == [before])

            let changed = try await h.request(
                "PATCH", "/platform/v1/tenants/\(slug)",
                json: ["ocpp": ["heartbeat_interval": "2m", "allowed_versions": ["ocpp2.0.1"]]])
            #expect(changed.status == 200, "\(changed.text)")
            let file = try TenantConfig.load(path: h.dir + "/tenants/\(slug).yaml", platform: nil)
            #expect(file.ocpp.heartbeatInterval == .seconds(120))
            #expect(file.ocpp.allowedVersions == [.ocpp201])
            #expect(file.displayName == "Acme Charging \"Nord\"")
            // Rolling restart: a new worker serves, and the old one drains and exits.
            let deadline = ContinuousClock.now + .seconds(15)
            while h.workerPIDs(slug).contains(before) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(h.workerPIDs(slug).count == 1)
            #expect(!h.workerPIDs(slug).contains(before))
            #expect(await h.workerHealth(slug) != nil)

            let invalid = try await h.request(
                "PATCH", "/platform/v1/tenants/\(slug)", json: ["ocpp": ["max_message_size": 10]])
            #expect(invalid.status == 422)
            let unknownPlan = try await h.request("PATCH", "/platform/v1/tenants/\(slug)", json: ["plan": "nope"])
            #expect(unknownPlan.status == 422)
            #expect(try TenantConfig.load(path: h.dir + "/tenants/\(slug).yaml", platform: nil) == file)

            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true").status == 204)
        }
    }

    @Test func deleteKeepsTheDataUntilErased() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("gone")
            let created = try await h.request("POST", "/platform/v1/tenants", json: body(slug))
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            // Some of the tenant's data, as the worker would have written it.
            try await h.database.control.execute(
                "INSERT INTO csms.stations (tenant_id, identity) VALUES (\(id)::uuid, 'CP-1')")
            try await h.database.control.execute(
                "INSERT INTO csms.id_tokens (tenant_id, token, token_type) VALUES (\(id)::uuid, 'T1', 'ISO14443')")

            let deleted = try await h.request("DELETE", "/platform/v1/tenants/\(slug)")
            #expect(deleted.status == 200, "\(deleted.text)")
            #expect(deleted.json["status"] as? String == "deleted")
            #expect(deleted.json["deleted_at"] as? String != nil)
            #expect(deleted.json["data_retained_until"] as? String != nil)
            #expect(deleted.json["worker"] == nil)
            #expect(h.workerPIDs(slug).isEmpty)
            #expect(try await h.tenantRow(slug)?.status == "deleted")
            #expect(try await !h.roleExists(slug))
            #expect(try await !h.redisUserExists(slug))
            #expect(!h.tenantFileExists(slug))
            #expect(!h.secretsExist(slug))
            #expect(h.runFiles(slug).isEmpty, "\(h.runFiles(slug))")
            let stations = try await h.database.control.query(
                "SELECT count(*)::bigint FROM csms.stations WHERE tenant_id = \(id)::uuid"
            ).rows[0].decode(Int64.self, column: 0)
            #expect(stations == 1)
            // Listed only on request; the slug is not free while the data is retained.
            #expect(try await h.request("GET", "/platform/v1/tenants").items.isEmpty)
            #expect(try await h.request("GET", "/platform/v1/tenants?include_deleted=true").items.count == 1)
            #expect(try await h.request("GET", "/platform/v1/workers").items.isEmpty)
            let reuse = try await h.request("POST", "/platform/v1/tenants", json: body(slug))
            #expect(reuse.status == 409)
            #expect((reuse.json["detail"] as? String)?.contains("erase_data=true") == true)
            #expect(try await h.request("POST", "/platform/v1/tenants/\(slug)/resume").status == 404)

            // GDPR erasure of the retained data frees the slug.
            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true").status == 204)
            #expect(try await h.tenantRow(slug) == nil)
            for table in ["stations", "id_tokens"] {
                let count = try await h.database.control.query(
                    PGQuery(sql: "SELECT count(*)::bigint FROM csms.\(table) WHERE tenant_id = $1::uuid", binds: [id])
                ).rows[0].decode(Int64.self, column: 0)
                #expect(count == 0, "\(table)")
            }
            #expect(try await h.request("GET", "/platform/v1/tenants/\(slug)").status == 404)
            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)").status == 404)
        }
    }

    @Test func deleteWithErasureRemovesEverythingAtOnce() async throws {
        try await withHarness { h in
            let slug = PlatformAPIHarness.slug("erase")
            let created = try await h.request("POST", "/platform/v1/tenants", json: body(slug))
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            try await h.database.control.execute(
                "INSERT INTO csms.stations (tenant_id, identity) VALUES (\(id)::uuid, 'CP-1')")

            let erased = try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true")
            #expect(erased.status == 204, "\(erased.text)")
            #expect(try await h.tenantRow(slug) == nil)
            #expect(try await !h.roleExists(slug))
            #expect(try await !h.redisUserExists(slug))
            #expect(!h.tenantFileExists(slug))
            #expect(h.workerPIDs(slug).isEmpty)
            let stations = try await h.database.control.query(
                "SELECT count(*)::bigint FROM csms.stations WHERE tenant_id = \(id)::uuid"
            ).rows[0].decode(Int64.self, column: 0)
            #expect(stations == 0)

            // The slug can be used again, by a new tenant with a new id.
            let again = try await h.request("POST", "/platform/v1/tenants", json: body(slug))
            #expect(again.status == 201, "\(again.text)")
            #expect(again.json["id"] as? String != id)
            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=true").status == 204)
            #expect(try await h.request("DELETE", "/platform/v1/tenants/\(slug)?erase_data=maybe").status == 422)
        }
    }

    @Test func deletedTenantsAreErasedWhenTheirRetentionIsOver() async throws {
        try await withHarness { h in
            // Two deleted tenants on a plan that keeps data 30 days: one deleted 31 days ago, one
            // yesterday, each with a station.
            for (slug, days) in [("old-one", 31), ("recent-one", 1)] {
                let id = try await h.database.control.query(
                    """
                    INSERT INTO csms.tenants (slug, display_name, plan, db_role, status, deleted_at)
                    VALUES (\(slug), \(slug), 'starter', \("csms_tenant_gone_" + slug.replacingOccurrences(of: "-", with: "_")),
                        'deleted', now() - make_interval(days => \(days)))
                    RETURNING id::text
                    """
                ).rows[0].decode(String.self, column: 0)
                try await h.database.control.execute(
                    "INSERT INTO csms.stations (tenant_id, identity) VALUES (\(id)::uuid, 'CP-1')")
            }
            #expect(try await h.api.operations.eraseExpired() == ["old-one"])
            #expect(try await h.tenantRow("old-one") == nil)
            #expect(try await h.tenantRow("recent-one")?.status == "deleted")
            let stations = try await h.database.control.query("SELECT count(*)::bigint FROM csms.stations").rows[0]
                .decode(Int64.self, column: 0)
            #expect(stations == 1)
            #expect(try await h.api.operations.eraseExpired() == [])
        }
    }
}
