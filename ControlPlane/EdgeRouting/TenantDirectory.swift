// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Where the router sends a tenant's connections. The control plane implements it from its
/// registry of tenants and workers.
///
/// `route(tenant:)` is called synchronously on the router's own threads (accept and peek threads),
/// once per connection, so it must be fast and must not block: answer from memory (a lock around a
/// dictionary), never from the database or an `await`.
public protocol TenantDirectory: Sendable {
    func route(tenant slug: String) -> TenantRoute
}

/// What the directory knows about one tenant slug.
public enum TenantRoute: Sendable, Equatable {
    /// The tenant's worker is running: hand the connection over on this SOCK_SEQPACKET socket
    /// (`<data_directory>/run/<slug>.handover`).
    case active(handoverSocket: String)
    /// The tenant exists but is suspended: the router answers 403.
    case suspended
    /// No such tenant: the router answers 404.
    case unknown
    /// The tenant exists but its worker is not serving now (starting, backing off, draining): the
    /// router answers 503 with this Retry-After.
    case unavailable(retryAfterSeconds: Int)
}
