// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
public import Hummingbird
import HummingbirdCore
import Logging

/// The body of the control plane's `GET /healthz`.
public struct ControlPlaneHealth: ResponseEncodable, Decodable, Sendable {
    public var status: String
    public var version: String
    public var postgres: String
    public var redis: String
    public var workers: [WorkerStatus]
}

/// The control plane's own HTTP server: `/healthz`, `/metrics` and the platform API, on `listen.admin`
/// and, through the edge router, at `admin.<base_domain>`.
struct AdminServer {
    let controlPlane: ControlPlane
    /// Shared with the retention sweeper, so both take the same per-tenant locks.
    let platformAPI: PlatformAPI
    /// Serves the same application to `admin.<base_domain>` connections from the edge router.
    let endpoint: PlatformEndpoint
    /// `/auth/`: OIDC login, session tokens, the session keys.
    let auth: AuthRoutes

    func application() -> some ApplicationProtocol {
        let router = Router()
        // Tenant changes made through the platform API reach the edge router before the answer.
        router.add(
            middleware: RoutingRefreshMiddleware(
                routes: controlPlane.routes, postgres: controlPlane.postgres, logger: controlPlane.logger))
        let cp = controlPlane
        router.get("/healthz") { _, _ -> EditedResponse<ControlPlaneHealth> in
            let pg =
                (try? await withTimeout(.seconds(2), operation: "PostgreSQL ping") { try await cp.postgres.ping() })
                != nil
            let redis =
                (try? await withTimeout(.seconds(2), operation: "Redis ping") { try await cp.redis.ping() }) != nil
            let workers = await cp.supervisor.states()
            let ok = pg && redis && workers.allSatisfy { $0.state == "running" && $0.healthy }
            return EditedResponse(
                status: ok ? .ok : .serviceUnavailable, headers: [.cacheControl: "no-store"],
                response: ControlPlaneHealth(
                    status: ok ? "ok" : "degraded", version: CSMSVersion.current, postgres: pg ? "ok" : "down",
                    redis: redis ? "ok" : "down", workers: workers))
        }
        // Prometheus text exposition: worker state, restarts, crash loops, health-check failures.
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: cp.supervisor.metrics.exposition())))
        }
        auth.register(on: router)
        // The platform API (/platform/v1) behind the platform API keys of platform.yaml, or a
        // platform session token.
        let platformGroup = platformAPI.register(on: router)
        UsageRoutes(postgres: cp.postgres).register(on: platformGroup)
        let routes = cp.routes
        let suspended: @Sendable (String) -> Bool = { routes.route(tenant: $0) == .suspended }
        WorkerRoutes(supervisor: cp.supervisor, isSuspended: suspended).register(on: platformGroup)
        let address = controlPlane.platform.listen.admin
        let endpoint = self.endpoint
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in
                endpoint.install(responder: responder)
                return HTTP1Channel(responder: responder)
            },
            configuration: .init(
                address: .hostname(address.host, port: address.port), serverName: "open-csms-controlplane"),
            logger: controlPlane.logger)
    }
}
