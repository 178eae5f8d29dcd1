// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

/// The last known state of one dependency (PostgreSQL, Redis) as `/healthz` reports it.
public struct DependencyStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case unknown, ok, down }
    public var state: State
    /// What failed and what to do, when down.
    public var error: String?
    /// Round-trip time of the last successful check.
    public var latencyMs: Double?
    /// When the state last changed.
    public var since: Date

    public static func unknown(at date: Date = Date()) -> Self { .init(state: .unknown, since: date) }

    enum CodingKeys: String, CodingKey {
        case state, error, since
        case latencyMs = "latency_ms"
    }
}

/// Shared between the health monitor (writer) and the HTTP handlers (readers).
public actor DependencyHealth {
    public private(set) var postgres = DependencyStatus.unknown()
    public private(set) var redis = DependencyStatus.unknown()

    public init() {}

    /// Records a check result; returns true when the state changed (worth a log line).
    @discardableResult
    public func record(_ dependency: Dependency, ok: Bool, error: String?, latencyMs: Double?) -> Bool {
        var status = dependency == .postgres ? postgres : redis
        let newState: DependencyStatus.State = ok ? .ok : .down
        let changed = status.state != newState || (!ok && status.error != error)
        if status.state != newState { status.since = Date() }
        status.state = newState
        status.error = ok ? nil : error
        status.latencyMs = ok ? latencyMs : nil
        switch dependency {
        case .postgres: postgres = status
        case .redis: redis = status
        }
        return changed
    }

    public var isHealthy: Bool { postgres.state == .ok && redis.state == .ok }

    public enum Dependency: String, Sendable { case postgres, redis }
}
