// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
public import Logging
public import Postgres
public import Redis
public import ServiceLifecycle

/// Checks PostgreSQL and Redis on a fixed interval and records the result for `/healthz`.
///
/// A dependency that is down is retried by the next check; the pools themselves reconnect on
/// demand, so the worker recovers by itself once the server is back. State changes are logged
/// once (not on every failed check) with the cause and what to do.
public struct HealthMonitor: Service {
    let health: DependencyHealth
    let postgres: PGPool
    let redis: RedisClient
    let interval: Duration
    let logger: Logger
    let postgresDescription: String
    let redisDescription: String

    public init(
        health: DependencyHealth, postgres: PGPool, postgresDescription: String, redis: RedisClient,
        redisDescription: String, interval: Duration, logger: Logger
    ) {
        self.health = health
        self.postgres = postgres
        self.redis = redis
        self.interval = interval
        self.logger = logger
        self.postgresDescription = postgresDescription
        self.redisDescription = redisDescription
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await checkOnce()
            try? await Task.sleep(for: interval)
        }
    }

    /// One round of checks (also used by tests).
    public func checkOnce() async {
        await checkPostgres()
        await checkRedis()
    }

    private func checkPostgres() async {
        let start = ContinuousClock.now
        let pool = postgres
        do {
            // The tenant is resolved from the login role; NULL means this role is not bound to a
            // tenant (wrong user in the connection string, or the tenant was deleted).
            let tenant = try await withTimeout(.seconds(5), operation: "PostgreSQL health check") {
                try await pool.query("SELECT csms.current_tenant_id()::text").rows.first?
                    .decode(String?.self, column: 0)
            }
            guard tenant != nil else {
                let message =
                    "connected to \(postgresDescription) but the role is not bound to an active tenant; "
                    + "check the user in the connection string and the tenant's status"
                record(
                    .postgres, ok: false, error: message, latency: nil,
                    changed: await health.record(
                        .postgres, ok: false, error: message, latencyMs: nil))
                return
            }
            let ms = (ContinuousClock.now - start).seconds * 1000
            record(
                .postgres, ok: true, error: nil, latency: ms,
                changed: await health.record(
                    .postgres, ok: true, error: nil, latencyMs: ms))
        } catch {
            let message =
                "PostgreSQL at \(postgresDescription) unavailable: \(error); retrying every \(interval.seconds) s"
            record(
                .postgres, ok: false, error: message, latency: nil,
                changed: await health.record(
                    .postgres, ok: false, error: message, latencyMs: nil))
        }
    }

    private func checkRedis() async {
        let start = ContinuousClock.now
        let client = redis
        do {
            try await withTimeout(.seconds(5), operation: "Redis health check") { try await client.ping() }
            let ms = (ContinuousClock.now - start).seconds * 1000
            record(
                .redis, ok: true, error: nil, latency: ms,
                changed: await health.record(
                    .redis, ok: true, error: nil, latencyMs: ms))
        } catch {
            let message = "Redis at \(redisDescription) unavailable: \(error); retrying every \(interval.seconds) s"
            record(
                .redis, ok: false, error: message, latency: nil,
                changed: await health.record(
                    .redis, ok: false, error: message, latencyMs: nil))
        }
    }

    private func record(_ dep: DependencyHealth.Dependency, ok: Bool, error: String?, latency: Double?, changed: Bool) {
        guard changed else { return }
        if ok {
            logger.info("dependency is up", metadata: ["dependency": "\(dep.rawValue)"])
        } else {
            logger.error("dependency is down", metadata: ["dependency": "\(dep.rawValue)", "error": "\(error ?? "")"])
        }
    }
}
