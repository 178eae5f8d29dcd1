// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation
public import Postgres

/// A tenant's metered usage for one calendar month (UTC) and the invoice its plan gives for it.
/// The workers meter durably (migration 0005: triggers count sessions, energy and active stations
/// with the writes that make them true; API calls are added in batches); this reads the totals.
public struct UsageReport: Sendable, Equatable {
    public struct Invoice: Sendable, Equatable {
        public var currency: String
        public var monthlyPrice: Decimal
        public var includedStations: Int
        public var extraStations: Int
        public var pricePerExtraStation: Decimal
        public var extraStationsAmount: Decimal
        public var total: Decimal
    }

    public var tenant: String
    /// `YYYY-MM`.
    public var month: String
    public var plan: String
    public var activeStations: Int
    public var sessions: Int64
    public var energyWh: Double
    public var apiCalls: Int64
    public var invoice: Invoice
}

public struct UsageReportError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case badMonth, unknownTenant }
    public var kind: Kind
    public var description: String
}

public enum UsageReports {
    /// Parses `YYYY-MM` (months 01–12, years 2000–9999) into the first day of that month.
    public static func monthStart(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (2000...9999).contains(year), (1...12).contains(month)
        else { return nil }
        return "\(parts[0])-\(parts[1])-01"
    }

    /// The current month as `YYYY-MM` (UTC).
    public static func currentMonth(now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month], from: now)
        return String(format: "%04d-%02d", c.year ?? 1970, c.month ?? 1)
    }

    /// Reads one tenant's usage as the control-plane role (its policy sees every tenant's rows).
    public static func report(slug: String, month: String, pool: PGPool) async throws -> UsageReport {
        guard let first = monthStart(month) else {
            throw UsageReportError(kind: .badMonth, description: "month must be YYYY-MM, got \"\(month)\"")
        }
        let rows = try await pool.query(
            """
            SELECT t.plan, p.currency, p.monthly_price::text, p.included_stations, p.price_per_extra_station::text,
                   coalesce(u.sessions, 0), coalesce(u.energy_wh, 0)::float8, coalesce(u.api_calls, 0),
                   (SELECT count(*) FROM csms.usage_active_stations a
                    WHERE a.tenant_id = t.id AND a.month = \(first)::date)::bigint
            FROM csms.tenants t
            JOIN csms.plans p ON p.name = t.plan
            LEFT JOIN csms.usage_months u ON u.tenant_id = t.id AND u.month = \(first)::date
            WHERE t.slug = \(slug) AND t.status <> 'deleted'
            """)
        guard let row = rows.first else {
            throw UsageReportError(kind: .unknownTenant, description: "no tenant \(slug)")
        }
        let monthly = Decimal(string: try row.decode(String.self, column: 2)) ?? 0
        let included = try row.decode(Int.self, column: 3)
        let perExtra = Decimal(string: try row.decode(String.self, column: 4)) ?? 0
        let active = Int(try row.decode(Int64.self, column: 8))
        let extra = max(0, active - included)
        let extraAmount = perExtra * Decimal(extra)
        return UsageReport(
            tenant: slug, month: month, plan: try row.decode(String.self, column: 0), activeStations: active,
            sessions: try row.decode(Int64.self, column: 5), energyWh: try row.decode(Double.self, column: 6),
            apiCalls: try row.decode(Int64.self, column: 7),
            invoice: .init(
                currency: try row.decode(String.self, column: 1), monthlyPrice: monthly, includedStations: included,
                extraStations: extra, pricePerExtraStation: perExtra, extraStationsAmount: extraAmount,
                total: monthly + extraAmount))
    }
}
