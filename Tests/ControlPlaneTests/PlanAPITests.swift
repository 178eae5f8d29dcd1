// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ControlPlaneCore
import Foundation
import Postgres
import Testing

/// Plans through the platform API: platform.yaml's plans are read-only there, API plans are
/// created, replaced and deleted, and a plan in use cannot be deleted.
@Suite("Platform API plans", .serialized)
struct PlanAPITests {
    static var gold: [String: Any] {
        [
            "name": "gold", "monthly_price": "199.5", "currency": "USD", "included_stations": 20,
            "price_per_extra_station": 2.25, "max_stations": 100, "max_concurrent_connections": 500,
            "api_requests_per_second": 50, "ocpi_enabled": true, "data_retention_days": 730,
        ]
    }

    @Test func planCRUD() async throws {
        let h = try await PlatformAPIHarness.start()
        do {
            // platform.yaml's plan, synced at start.
            let list = try await h.request("GET", "/platform/v1/plans")
            #expect(list.status == 200)
            let starter = try #require(list.items.first { $0["name"] as? String == "starter" })
            #expect(starter["source"] as? String == "config")
            #expect(starter["monthly_price"] as? String == "49.00")
            #expect(starter["price_per_extra_station"] as? String == "4.125")
            #expect(starter["data_retention_days"] as? Int == 30)

            let created = try await h.request("POST", "/platform/v1/plans", json: Self.gold)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.header("Location") == "/platform/v1/plans/gold")
            #expect(created.json["source"] as? String == "api")
            #expect(created.json["monthly_price"] as? String == "199.50")
            #expect(created.json["price_per_extra_station"] as? String == "2.25")
            #expect(created.json["currency"] as? String == "USD")
            #expect(created.json["ocpi_enabled"] as? Bool == true)
            #expect(created.json["tenants"] as? Int == 0)

            #expect(try await h.request("POST", "/platform/v1/plans", json: Self.gold).status == 409)
            var yamlName = Self.gold
            yamlName["name"] = "starter"
            #expect(try await h.request("POST", "/platform/v1/plans", json: yamlName).status == 409)

            let shown = try await h.request("GET", "/platform/v1/plans/gold")
            #expect(shown.status == 200)
            #expect(shown.json["max_stations"] as? Int == 100)

            // PUT replaces the whole plan (left-out fields take their defaults).
            let replaced = try await h.request(
                "PUT", "/platform/v1/plans/gold",
                json: [
                    "monthly_price": 250, "max_stations": 80, "max_concurrent_connections": 400,
                    "api_requests_per_second": 40,
                ])
            #expect(replaced.status == 200, "\(replaced.text)")
            #expect(replaced.json["monthly_price"] as? String == "250.00")
            #expect(replaced.json["currency"] as? String == "EUR")
            #expect(replaced.json["included_stations"] as? Int == 80)
            #expect(replaced.json["ocpi_enabled"] as? Bool == false)
            #expect(replaced.json["data_retention_days"] as? Int == 365)

            let put = try await h.request(
                "PUT", "/platform/v1/plans/silver",
                json: [
                    "monthly_price": "9.9999", "max_stations": 5, "max_concurrent_connections": 10,
                    "api_requests_per_second": 5,
                ])
            #expect(put.status == 201, "\(put.text)")
            #expect(put.json["monthly_price"] as? String == "9.9999")

            // platform.yaml is authoritative for its plans.
            let putConfig = try await h.request(
                "PUT", "/platform/v1/plans/starter",
                json: [
                    "monthly_price": 1, "max_stations": 5, "max_concurrent_connections": 10,
                    "api_requests_per_second": 5,
                ])
            #expect(putConfig.status == 409)
            #expect(try await h.request("DELETE", "/platform/v1/plans/starter").status == 409)

            // Invalid plans: every problem at once.
            let invalid = try await h.request(
                "POST", "/platform/v1/plans",
                json: [
                    "name": "Bad Name", "monthly_price": "-1", "currency": "eur", "included_stations": 10,
                    "max_stations": 5, "max_concurrent_connections": 0, "data_retention_days": 5000,
                ])
            #expect(invalid.status == 422)
            let fields = Set((invalid.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(
                fields == [
                    "name", "monthly_price", "currency", "max_stations", "max_concurrent_connections",
                    "api_requests_per_second", "data_retention_days",
                ], "\(invalid.text)")
            let mismatch = try await h.request(
                "PUT", "/platform/v1/plans/gold",
                json: [
                    "name": "other", "monthly_price": 1, "max_stations": 5, "max_concurrent_connections": 10,
                    "api_requests_per_second": 5,
                ])
            #expect(mismatch.status == 422)

            // In use (a deleted tenant whose data is retained counts): 409, then deletable once free.
            try await h.database.control.execute(
                """
                INSERT INTO csms.tenants (slug, display_name, plan, db_role, status)
                VALUES ('plan-user', 'Plan user', 'gold', 'csms_tenant_plan_user_none', 'deleted')
                """)
            let inUse = try await h.request("DELETE", "/platform/v1/plans/gold")
            #expect(inUse.status == 409)
            #expect((inUse.json["detail"] as? String)?.contains("used by 1 tenant") == true)
            #expect(try await h.request("GET", "/platform/v1/plans/gold").json["tenants"] as? Int == 1)
            try await h.database.control.execute("DELETE FROM csms.tenants WHERE slug = 'plan-user'")
            #expect(try await h.request("DELETE", "/platform/v1/plans/gold").status == 204)
            #expect(try await h.request("GET", "/platform/v1/plans/gold").status == 404)
            #expect(try await h.request("DELETE", "/platform/v1/plans/gold").status == 404)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    @Test func planLeavingPlatformYAMLBecomesAnAPIPlan() async throws {
        let h = try await PlatformAPIHarness.start()
        do {
            var other = h.controlPlane.platform.plans[0]
            other.name = "legacy"
            try await h.controlPlane.tenantProvisioner.syncPlans(h.controlPlane.platform.plans + [other])
            #expect(try await h.request("GET", "/platform/v1/plans/legacy").json["source"] as? String == "config")
            // The next start no longer lists it.
            try await h.controlPlane.tenantProvisioner.syncPlans(h.controlPlane.platform.plans)
            #expect(try await h.request("GET", "/platform/v1/plans/legacy").json["source"] as? String == "api")
            #expect(try await h.request("GET", "/platform/v1/plans/starter").json["source"] as? String == "config")
            #expect(try await h.request("DELETE", "/platform/v1/plans/legacy").status == 204)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }
}
