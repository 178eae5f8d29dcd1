// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The edge router: one listening port for all tenant traffic. For each connection it peeks (never
/// reads) the TLS ClientHello's SNI or the HTTP request head's Host, finds the tenant, and passes the
/// descriptor to that tenant's worker over the worker's SOCK_SEQPACKET hand-over socket, then closes
/// its own copy. It keeps no state for a handed-over connection, so restarting it drops none.
///
/// Every blocking call runs on the router's own threads (ROUTER.md), never on the Swift concurrency
/// pool: one accept thread, `limits.peekThreads` threads watching clients whose head is not complete
/// yet (and lingering on refused ones), and one sender thread per worker socket so one slow worker
/// cannot stall the others.
public final class EdgeRouter: Sendable {
    public struct Limits: Sendable, Equatable {
        /// A head (HTTP request head or TLS ClientHello) longer than this is refused: 431 (issue 5).
        public var maxHeadBytes = 16 * 1024
        /// A client that has not sent a complete head by then is refused: 408, the slowloris guard.
        public var headTimeout: Duration = .seconds(5)
        /// Threads that watch clients whose head did not arrive with the connection.
        public var peekThreads = 2
        /// Connections the peek threads may watch at once (slow heads and lingering refusals); beyond
        /// it new slow connections get 503, so a flood cannot exhaust the router's descriptors.
        public var maxWatchedConnections = 4096
        /// How long a hand-over may wait for room on a worker socket whose queue is full (EAGAIN)
        /// before the client gets 503.
        public var handoverWait: Duration = .milliseconds(100)
        /// Connections queued for one worker's sender; beyond it they get 503.
        public var handoverQueueDepth = 1024
        /// Retry-After sent with a 503 when the worker socket refused the connection.
        public var handoverRetryAfterSeconds = 2
        /// After an error response the router keeps reading (and discarding) until the client closes,
        /// at most this long, so closing with unread input cannot reset the response away.
        public var lingerTimeout: Duration = .seconds(2)
        /// A sender that had nothing to send for this long closes its worker connection and exits.
        public var senderIdleTimeout: Duration = .seconds(60)
        public var listenBacklog = 4096

        public init() {}
    }

    /// Why the router refused a connection itself (the `reason` label of the refusal metric).
    public enum Refusal: String, Sendable, CaseIterable, Hashable {
        /// 400 (HTTP) or a decode_error alert (TLS): the head is malformed, has no or several Hosts.
        case badRequest = "bad_request"
        /// 404 / unrecognized_name: no tenant at that host (also no SNI, IP literals, and `admin.`
        /// when the router has no local handler).
        case unknownTenant = "unknown_tenant"
        /// 403 / access_denied: the tenant is suspended.
        case suspended
        /// 503 / internal_error: the directory says the tenant's worker is not serving.
        case unavailable
        /// 503 / internal_error: the worker's hand-over socket could not take the connection.
        case handoverFailed = "handover_failed"
        /// 431 / handshake_failure: the head is longer than `maxHeadBytes`.
        case headTooLarge = "head_too_large"
        /// 408 (or a plain close for TLS): no complete head within `headTimeout`.
        case headTimeout = "head_timeout"
        /// The client closed or reset before its head was complete.
        case clientClosed = "client_closed"
        /// 503: too many connections were already waiting for their heads.
        case overloaded
        /// The router stopped while the connection was waiting for its head.
        case shutdown
    }

    public struct Statistics: Sendable, Equatable {
        /// Connections accepted since start.
        public var accepted: Int
        /// Connections passed to a worker.
        public var handedOver: Int
        /// Connections the router answered or closed itself, by reason.
        public var refused: [Refusal: Int]
        /// Client descriptors the router holds right now (waiting for a head, queued for a hand-over,
        /// lingering after an error). Zero at rest: the router holds nothing per handed-over station.
        public var heldDescriptors: Int
        /// Client connections on the peek threads right now (slow heads and lingering refusals).
        public var watchedConnections: Int
        /// Open connections to worker hand-over sockets.
        public var workerConnections: Int
        /// Connections decided on the accept thread's first peek (the fast path).
        public var decidedOnFirstPeek: Int
        /// Connections given to the control plane's own handler (the platform host, and refusals
        /// answered over TLS; those are also counted in `refused`).
        public var servedLocally: Int

        public var totalRefused: Int { refused.values.reduce(0, +) }
        public func refused(_ reason: Refusal) -> Int { refused[reason] ?? 0 }
    }

    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public let listenHost: String
    public let port: Int
    public let baseDomain: String
    public let limits: Limits
    let logger: Logger
    let policy: RoutingPolicy
    let counters = Counters()
    let phase = Mutex<Phase>(.idle)

    enum Phase {
        case idle
        case running(RouterEngine)
        case stopped
    }

    /// - Parameters:
    ///   - listenHost: address to listen on (`0.0.0.0`, `::`, `127.0.0.1`, a host name).
    ///   - port: TCP port; 0 picks a free one (see ``listeningPort``).
    ///   - baseDomain: tenants are `<slug>.<baseDomain>` (platform.yaml `base_domain`).
    ///   - directory: the tenant registry, consulted once per connection on router threads.
    ///   - local: the control plane's own handler for `admin.<baseDomain>` and for refusals over TLS;
    ///     nil: the platform host is 404 and TLS refusals are alerts.
    public init(
        listenHost: String, port: Int, baseDomain: String, directory: any TenantDirectory, logger: Logger,
        limits: Limits = Limits(), local: (any LocalConnectionHandler)? = nil
    ) {
        self.listenHost = listenHost
        self.port = port
        self.baseDomain = HostName.normalizedBaseDomain(baseDomain)
        self.limits = limits
        self.logger = logger
        self.policy = RoutingPolicy(
            baseDomain: baseDomain, directory: directory, maxHeadBytes: limits.maxHeadBytes,
            handoverRetryAfterSeconds: limits.handoverRetryAfterSeconds, local: local)
    }

    /// The bound port once started.
    public var listeningPort: Int? {
        phase.withLock { phase in
            if case .running(let engine) = phase { return engine.boundPort }
            return nil
        }
    }

    public var statistics: Statistics { counters.snapshot() }

    /// Binds the listening socket and starts the router's threads; returns the bound port. Called by
    /// ``run()`` when needed; call it first to fail fast when the port is taken.
    @discardableResult
    public func start() throws(StartFailure) -> Int {
        try phase.withLock { phase throws(StartFailure) -> Int in
            switch phase {
            case .running(let engine):
                return engine.boundPort
            case .stopped:
                throw StartFailure(description: "the edge router was stopped and cannot be started again")
            case .idle:
                let engine = try RouterEngine.start(
                    host: listenHost, port: port, policy: policy, limits: limits, counters: counters, logger: logger)
                phase = .running(engine)
                return engine.boundPort
            }
        }
    }

    /// Runs until the calling task is cancelled (or ``stop()`` is called), then stops the threads,
    /// closes every descriptor it holds and returns. As a ServiceLifecycle service, wrap it in
    /// `cancelOnGracefulShutdown` so a graceful shutdown stops it.
    public func run() async throws {
        try start()
        let engine = phase.withLock { phase -> RouterEngine? in
            if case .running(let engine) = phase { return engine }
            return nil
        }
        guard let engine else { return }
        await withTaskCancellationHandler {
            await engine.waitUntilFinished()
        } onCancel: {
            self.stop()
        }
    }

    /// Stops accepting, closes connections still waiting for their heads, sends what is queued for
    /// workers and lets the threads exit. ``run()`` returns once they have.
    public func stop() {
        let engine = phase.withLock { phase -> RouterEngine? in
            defer { phase = .stopped }
            if case .running(let engine) = phase { return engine }
            return nil
        }
        engine?.stop()
    }
}

/// Counters shared by the router's threads; read together by ``EdgeRouter/statistics``.
final class Counters: Sendable {
    let accepted = Atomic<Int>(0)
    let handedOver = Atomic<Int>(0)
    let held = Atomic<Int>(0)
    let watched = Atomic<Int>(0)
    let workerConnections = Atomic<Int>(0)
    let decidedOnFirstPeek = Atomic<Int>(0)
    let servedLocally = Atomic<Int>(0)
    let refused = Mutex<[EdgeRouter.Refusal: Int]>([:])

    func count(_ reason: EdgeRouter.Refusal) {
        refused.withLock { $0[reason, default: 0] += 1 }
    }

    func snapshot() -> EdgeRouter.Statistics {
        EdgeRouter.Statistics(
            accepted: accepted.load(ordering: .relaxed), handedOver: handedOver.load(ordering: .relaxed),
            refused: refused.withLock { $0 }, heldDescriptors: held.load(ordering: .relaxed),
            watchedConnections: watched.load(ordering: .relaxed),
            workerConnections: workerConnections.load(ordering: .relaxed),
            decidedOnFirstPeek: decidedOnFirstPeek.load(ordering: .relaxed),
            servedLocally: servedLocally.load(ordering: .relaxed))
    }
}
