// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import EdgeRouting
import Hummingbird
public import Logging
public import Postgres
import ServiceLifecycle
import Synchronization

/// What the edge router asks for every connection: is this tenant known, suspended, and which
/// worker socket serves it now. Tenant states come from provisioning (create, suspend, resume,
/// delete); sockets come from the supervisor's directory, so a rolling restart re-routes new
/// connections without the router holding any per-connection state.
public final class RoutingTable: TenantDirectory {
    public enum TenantState: Sendable, Equatable {
        case active, suspended, provisioning
    }

    private let workers: WorkerDirectory
    private let states = Mutex<[String: TenantState]>([:])

    public init(workers: WorkerDirectory) {
        self.workers = workers
    }

    public func set(_ slug: String, _ state: TenantState?) {
        states.withLock { $0[slug] = state }
    }

    public func state(_ slug: String) -> TenantState? {
        states.withLock { $0[slug] }
    }

    func replaceAll(_ next: [String: TenantState]) {
        states.withLock { $0 = next }
    }

    public func route(tenant slug: String) -> TenantRoute {
        switch states.withLock({ $0[slug] }) {
        case nil:
            return .unknown
        case .suspended:
            return .suspended
        case .provisioning:
            return .unavailable(retryAfterSeconds: 5)
        case .active:
            // Known but no worker serving (starting, backing off, crash loop): try again shortly.
            guard let endpoint = workers.endpoint(for: slug) else { return .unavailable(retryAfterSeconds: 5) }
            return .active(handoverSocket: endpoint.handoverSocket)
        }
    }
}

extension RoutingTable {
    /// Reads every tenant's status from the database: `active` routes to its worker, `suspended`
    /// gets 403, `provisioning` 503 (its worker is being started), `deleted` and absent 404.
    public func refresh(from postgres: PGPool) async throws {
        let rows = try await postgres.query("SELECT slug, status FROM csms.tenants")
        var next: [String: TenantState] = [:]
        for row in rows.rows {
            let slug = try row.decode(String.self, column: 0)
            switch try row.decode(String.self, column: 1) {
            case "active": next[slug] = .active
            case "suspended": next[slug] = .suspended
            case "provisioning": next[slug] = .provisioning
            default: break
            }
        }
        replaceAll(next)
    }

    /// Refreshes every `interval` until cancelled: a suspend, resume, create or delete made through
    /// the platform API (or by another control plane on a shared database) reaches the router within
    /// one interval.
    public func keepFresh(from postgres: PGPool, every interval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await refresh(from: postgres)
            } catch {
                logger.warning(
                    "could not refresh the routing table; keeping the last one", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// The edge router as a lifecycle service.
struct EdgeRouterService: Service {
    let router: EdgeRouter

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await router.run()
        }
    }
}

/// A background loop as a lifecycle service, cancelled on graceful shutdown.
struct TaskLoopService: Service {
    let body: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await body()
        }
    }
}

/// After a platform API request that may have changed a tenant (create, suspend, resume, delete,
/// update), refreshes the routing table before answering, so the router serves the new state as
/// soon as the caller has its answer, not up to one refresh interval later.
struct RoutingRefreshMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RoutingTable
    let postgres: PGPool
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            let response = try await next(request, context)
            if request.method != .get { await refresh() }
            return response
        } catch {
            if request.method != .get { await refresh() }
            throw error
        }
    }

    private func refresh() async {
        do {
            try await routes.refresh(from: postgres)
        } catch {
            logger.warning("could not refresh the routing table", metadata: ["error": "\(error)"])
        }
    }
}
