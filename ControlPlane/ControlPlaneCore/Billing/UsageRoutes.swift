// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Hummingbird
import Postgres

/// `GET /platform/v1/tenants/{slug}/usage?month=YYYY-MM` (default: the current month, UTC): the
/// tenant's metered usage and the invoice preview its plan gives.
struct UsageRoutes: Sendable {
    let postgres: PGPool

    func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        PlatformAPI.route(
            group, "tenants/{slug}/usage", [.get: { request, context in try await usage(request, context) }])
    }

    private func usage(_ request: Request, _ context: some RequestContext) async throws -> PlatformResponse {
        let slug = try context.parameters.require("slug")
        let month = request.uri.queryParameters.get("month") ?? UsageReports.currentMonth()
        do {
            let report = try await UsageReports.report(slug: slug, month: month, pool: postgres)
            return PlatformResponse(body: Self.json(report))
        } catch let error as UsageReportError {
            switch error.kind {
            case .badMonth: throw PlatformProblem(status: .badRequest, detail: error.description)
            case .unknownTenant: throw PlatformProblem(status: .notFound, detail: error.description)
            }
        }
    }

    static func json(_ r: UsageReport) -> PlatformJSON {
        // Amounts as everywhere in the platform API: exact decimal strings with two decimals at least.
        func money(_ d: Decimal) -> PlatformJSON { .string(PlatformViews.amount(d)) }
        return .object([
            "tenant": .string(r.tenant), "month": .string(r.month), "plan": .string(r.plan),
            "active_stations": .int(Int64(r.activeStations)), "sessions": .int(r.sessions),
            "energy_wh": .number(Decimal(r.energyWh)), "energy_kwh": .number(Decimal(r.energyWh) / 1000),
            "api_calls": .int(r.apiCalls),
            "invoice": .object([
                "currency": .string(r.invoice.currency), "monthly_price": money(r.invoice.monthlyPrice),
                "included_stations": .int(Int64(r.invoice.includedStations)),
                "extra_stations": .int(Int64(r.invoice.extraStations)),
                "price_per_extra_station": money(r.invoice.pricePerExtraStation),
                "extra_stations_amount": money(r.invoice.extraStationsAmount), "total": money(r.invoice.total),
            ]),
        ])
    }
}
