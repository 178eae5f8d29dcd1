// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
public import Hummingbird

/// The body of `GET /healthz`.
public struct HealthReport: ResponseEncodable, Decodable, Sendable, Equatable {
    public var status: String
    public var tenant: String
    public var version: String
    public var pid: Int32
    public var uptimeSeconds: Double
    public var postgres: DependencyStatus
    public var redis: DependencyStatus

    enum CodingKeys: String, CodingKey {
        case status, tenant, version, pid, postgres, redis
        case uptimeSeconds = "uptime_seconds"
    }
}

/// `GET /healthz`: 200 with `status: ok` when PostgreSQL and Redis both answer, otherwise 503 with
/// `status: degraded` and, per dependency, what failed and what to do.
public struct HealthRoutes: Sendable {
    let health: DependencyHealth
    let tenant: String
    let started: ContinuousClock.Instant

    public init(health: DependencyHealth, tenant: String, started: ContinuousClock.Instant) {
        self.health = health
        self.tenant = tenant
        self.started = started
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/healthz") { _, _ -> EditedResponse<HealthReport> in
            let report = await report()
            return EditedResponse(
                status: report.status == "ok" ? .ok : .serviceUnavailable,
                headers: [.cacheControl: "no-store"], response: report)
        }
    }

    public func report() async -> HealthReport {
        let pg = await health.postgres
        let redis = await health.redis
        return HealthReport(
            status: pg.state == .ok && redis.state == .ok ? "ok" : "degraded", tenant: tenant,
            version: CSMSVersion.current, pid: getpid(), uptimeSeconds: (ContinuousClock.now - started).seconds,
            postgres: pg, redis: redis)
    }
}
