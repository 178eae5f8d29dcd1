// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Synchronization

/// Where the router hands a tenant's connections: the sockets of the worker generation that
/// answers health checks. A rolling restart changes it only once the new worker answers.
public struct WorkerEndpoint: Sendable, Equatable {
    public var slug: String
    public var generation: Int
    public var pid: Int32
    /// SOCK_SEQPACKET hand-over socket (SCM_RIGHTS).
    public var handoverSocket: String
    /// HTTP control socket (`/healthz`).
    public var controlSocket: String
}

/// The routing table the supervisor keeps for the router. Read synchronously from any thread (the
/// router's accept and peek threads are not in the concurrency pool) under a lock held for a
/// dictionary lookup only.
public final class WorkerDirectory: Sendable {
    private struct Table {
        var endpoints: [String: WorkerEndpoint] = [:]
        var version: UInt64 = 0
    }

    private let table = Mutex(Table())

    public init() {}

    /// The endpoint of `slug`'s serving worker; nil when it has none (stopped, starting, crashed:
    /// the router answers 503) or is not supervised.
    public func endpoint(for slug: String) -> WorkerEndpoint? { table.withLock { $0.endpoints[slug] } }

    /// Every routed tenant.
    public func snapshot() -> [String: WorkerEndpoint] { table.withLock { $0.endpoints } }

    /// Increases on every change, so a reader can tell cheaply whether to reconnect.
    public var version: UInt64 { table.withLock { $0.version } }

    func set(_ slug: String, _ endpoint: WorkerEndpoint?) {
        table.withLock {
            guard $0.endpoints[slug] != endpoint else { return }
            $0.endpoints[slug] = endpoint
            $0.version &+= 1
        }
    }
}
