// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Hummingbird
import NIOCore

/// The worker's request context: Hummingbird's core storage and the authenticated caller, set by
/// ``AuthenticationMiddleware`` for `/api/v1`.
struct TenantRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var principal: Principal?
    /// The client's `ip:port` (on a handed-over connection, the real client: the socket is its).
    let remoteAddress: String?

    init(source: Source) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.remoteAddress = source.channel.remoteAddress.map { address in
            guard let ip = address.ipAddress else { return "\(address)" }
            return address.port.map { ip.contains(":") ? "[\(ip)]:\($0)" : "\(ip):\($0)" } ?? ip
        }
    }

    /// The caller, or 401 when the route was registered without authentication (a bug).
    func caller() throws -> Principal {
        guard let principal else {
            throw ProblemDocument(status: .unauthorized, detail: "this request is not authenticated")
        }
        return principal
    }

    /// The caller, once it holds `scope` (else 403).
    @discardableResult
    func require(_ scope: APIScope) throws -> Principal {
        let principal = try caller()
        try principal.require(scope)
        return principal
    }
}
