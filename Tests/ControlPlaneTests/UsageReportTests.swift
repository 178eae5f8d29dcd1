// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ControlPlaneCore
import Foundation
import Postgres
import TestFixtures
import TestSupport
import Testing

@Suite("Usage report and invoice preview")
struct UsageReportTests {
    @Test func monthsAreValidated() {
        #expect(UsageReports.monthStart("2026-11") == "2026-11-01")
        #expect(UsageReports.monthStart("2026-1") == nil)
        #expect(UsageReports.monthStart("2026-13") == nil)
        #expect(UsageReports.monthStart("26-11") == nil)
        #expect(UsageReports.monthStart("2026-11-01") == nil)
        #expect(UsageReports.currentMonth(now: Date(timeIntervalSince1970: 1_764_028_800)) == "2025-11")
    }

    @Test func reportSumsTheTenantsMeteredUsageAndPricesExtraStations() async throws {
        let db = try await TestDatabase.create(prefix: "csms_usage")
        let slug = "usage\(TestEnvironment.uniqueSuffix())"
        let tenant = try await db.createTenant(slug: slug)
        try await db.control.execute(
            """
            INSERT INTO csms.plans (name, monthly_price, currency, included_stations, price_per_extra_station,
                max_stations, max_concurrent_connections, api_requests_per_second, ocpi_enabled, data_retention_days)
            VALUES ('usage-plan', 49.00, 'EUR', 2, 4.50, 10, 100, 10, false, 365)
            """)
        try await db.control.execute("UPDATE csms.tenants SET plan = 'usage-plan' WHERE slug = \(slug)")
        // Written as the tenant, as the worker's triggers and meter do.
        try await tenant.pool.execute(
            """
            INSERT INTO csms.usage_months (month, sessions, energy_wh, api_calls)
            VALUES ('2026-10-01', 7, 123456.5, 42), ('2026-11-01', 1, 10, 1)
            """)
        for i in 1...3 {
            try await tenant.pool.execute(
                """
                INSERT INTO csms.usage_active_stations (month, station_id, identity, first_seen_at)
                VALUES ('2026-10-01', \(Int64(i)), \("CP-\(i)"), now())
                """)
        }
        let report = try await UsageReports.report(slug: slug, month: "2026-10", pool: db.control)
        #expect(report.plan == "usage-plan")
        #expect(report.activeStations == 3)
        #expect(report.sessions == 7)
        #expect(report.energyWh == 123456.5)
        #expect(report.apiCalls == 42)
        #expect(report.invoice.extraStations == 1)
        #expect(report.invoice.extraStationsAmount == Decimal(string: "4.5"))
        #expect(report.invoice.total == Decimal(string: "53.5"))
        #expect(report.invoice.currency == "EUR")

        let empty = try await UsageReports.report(slug: slug, month: "2026-09", pool: db.control)
        #expect(empty.sessions == 0 && empty.activeStations == 0 && empty.invoice.total == Decimal(49))
        await #expect(throws: UsageReportError.self) {
            _ = try await UsageReports.report(slug: "nobody", month: "2026-10", pool: db.control)
        }
        await tenant.pool.shutdown()
    }
}
