// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CoreMetrics
public import Prometheus

/// The supervisor's Prometheus metrics, labelled by tenant (swift-metrics over swift-prometheus;
/// the factory is passed explicitly rather than bootstrapped, so several supervisors in one test
/// process keep their own series):
///
/// - `csms_worker_state{tenant,state}`: 1 for the worker's current state, 0 for the others;
/// - `csms_worker_restarts_total{tenant}`: automatic restarts after a crash;
/// - `csms_worker_crash_loops_total{tenant}`: times the tenant was marked degraded;
/// - `csms_worker_health_check_failures_total{tenant}`: health checks that got no answer;
/// - `csms_worker_last_start_time_seconds{tenant}`: Unix time of the last spawn or adoption.
public final class WorkerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    /// Series go into `registry` (the control plane's, served on `/metrics`).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// The Prometheus text exposition of `registry`.
    public func exposition() -> String { registry.emitToString() }

    func tenant(_ slug: String) -> TenantWorkerMetrics { TenantWorkerMetrics(slug: slug, factory: factory) }
}

/// One tenant's series.
final class TenantWorkerMetrics: Sendable {
    let restarts: CoreMetrics.Counter
    let crashLoops: CoreMetrics.Counter
    let healthCheckFailures: CoreMetrics.Counter
    let lastStart: CoreMetrics.Gauge
    let states: [String: CoreMetrics.Gauge]

    init(slug: String, factory: PrometheusMetricsFactory) {
        let tenant = [("tenant", slug)]
        restarts = CoreMetrics.Counter(label: "csms_worker_restarts_total", dimensions: tenant, factory: factory)
        crashLoops = CoreMetrics.Counter(label: "csms_worker_crash_loops_total", dimensions: tenant, factory: factory)
        healthCheckFailures = CoreMetrics.Counter(
            label: "csms_worker_health_check_failures_total", dimensions: tenant, factory: factory)
        lastStart = CoreMetrics.Gauge(
            label: "csms_worker_last_start_time_seconds", dimensions: tenant, factory: factory)
        var states: [String: CoreMetrics.Gauge] = [:]
        for name in WorkerStateMachine.stateNames {
            let gauge = CoreMetrics.Gauge(
                label: "csms_worker_state", dimensions: [("tenant", slug), ("state", name)], factory: factory)
            gauge.record(0)
            states[name] = gauge
        }
        self.states = states
        restarts.increment(by: 0)
        crashLoops.increment(by: 0)
        healthCheckFailures.increment(by: 0)
    }

    func setState(_ name: String) {
        for (state, gauge) in states { gauge.record(state == name ? 1 : 0) }
    }

    /// Removes the tenant's series (deleted tenant).
    func destroy() {
        restarts.destroy()
        crashLoops.destroy()
        healthCheckFailures.destroy()
        lastStart.destroy()
        for gauge in states.values { gauge.destroy() }
    }
}
