// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Logging
import NIOPosix
import Synchronization

/// A pool of libpq connections to one PostgreSQL server as one role.
///
/// - Grows lazily up to `maxConnections`, shrinks to zero when idle (`idleTimeout`), so hundreds of
///   tenant pools can share one server.
/// - Blocking libpq calls (connecting, preparing, scripts, pipelines, health checks) run on the pool's
///   own `NIOThreadPool` (`maxConnections + 1` threads: one per connection plus one for cancel
///   requests), never on an event loop or the Swift concurrency pool. A single statement whose
///   prepared statement is already cached on the connection takes a shorter path: the calling task
///   sends it without blocking and the pool's I/O thread (`PGIOLoop`) reads the result and resumes
///   the task, saving one thread hand-over per statement.
/// - Connections that broke (server restart, `pg_terminate_backend`, network) are discarded: before a
///   connection is handed out it gets a non-blocking check (has the server sent anything or closed
///   the socket while it was idle?) or, after `healthCheckAfterIdle`, a round trip. So after a
///   server restart or `pg_terminate_backend` on idle connections, the next statement succeeds on a
///   new connection. A statement that was in flight when its connection broke (or was sent in the
///   instant before the server's notice arrived) fails with ``PGError/Code/connectionClosed``; the
///   pool discards that connection and the statement after it succeeds.
/// - Statements are prepared once per connection and cached by SQL text.
///
/// Call ``shutdown()`` before the process exits (or before dropping a pool that is not needed any
/// more) so that connections are closed with a proper Terminate message.
public final class PGPool: Sendable {
    public let configuration: PGPoolConfiguration
    let logger: Logger
    private let settings: Result<PGConnectSettings, PGError>
    private let threadPool: NIOThreadPool
    private let ioLoop = PGIOLoop()
    private let state: Mutex<State>

    /// What a waiter is woken with: `.use(connection, idleSince: nil)` (handed over by a release) or
    /// `.connect` (a slot was reserved for it).
    private typealias Grant = PGPoolStateMachine<PGBackend>.AcquireAction

    private struct Waiter {
        var continuation: CheckedContinuation<Grant, any Error>
        var timer: Task<Void, Never>?
    }

    private struct State: ~Copyable {
        var machine: PGPoolStateMachine<PGBackend>
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiterID: UInt64 = 0
        var nextConnectionID = 0
        var reaper: Task<Void, Never>? = nil
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        var threadPoolStopped = false
    }

    public init(configuration: PGPoolConfiguration, logger: Logger) {
        self.configuration = configuration
        let settings = PGConnectSettings.make(configuration)
        self.settings = settings
        var logger = logger
        if case .success(let s) = settings {
            logger[metadataKey: "pg.endpoint"] = "\(s.endpoint)"
        }
        self.logger = logger
        if case .failure(let error) = settings {
            logger.error("PostgreSQL pool configuration is invalid: \(error)")
        }
        let size = max(1, configuration.maxConnections)
        threadPool = NIOThreadPool(numberOfThreads: size + 1)
        threadPool.start()
        state = Mutex(State(machine: PGPoolStateMachine(maxConnections: size)))
    }

    deinit {
        let stop = state.withLock { s in
            s.reaper?.cancel()
            defer { s.threadPoolStopped = true }
            return !s.threadPoolStopped
        }
        if stop {
            threadPool.shutdownGracefully { _ in }
            ioLoop.stop()
        }
    }

    // MARK: Public API

    /// Runs one parameterised statement on any free connection.
    public func query(_ query: PGQuery) async throws -> PGResult {
        let backend = try await acquire()
        let lease = backend.beginLease()
        defer { release(backend) }
        return try await backend.execute(lease: lease, .prepared(query)).get()
    }

    /// Runs one parameterised statement and returns the number of affected rows.
    @discardableResult
    public func execute(_ query: PGQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// Leases one connection for the duration of `body`. The ``PGConnection`` must not be used after
    /// `body` returns. A connection left inside an open transaction is closed, not reused.
    @discardableResult
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation, _ body: (PGConnection) async throws -> T
    ) async throws -> T {
        let backend = try await acquire()
        let lease = backend.beginLease()
        defer { release(backend) }
        return try await body(PGConnection(backend: backend, lease: lease))
    }

    /// Runs `body` inside `BEGIN ... COMMIT`. When `body` throws (including cancellation), the
    /// transaction is rolled back and the error rethrown; a connection whose ROLLBACK failed is
    /// discarded. A `COMMIT` that the server turned into a rollback (because a statement failed and
    /// the error was caught inside `body`) throws.
    @discardableResult
    public func transaction<T>(
        isolation level: PGIsolationLevel = .serverDefault,
        actorIsolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> T
    ) async throws -> T {
        let backend = try await acquire()
        let lease = backend.beginLease()
        defer { release(backend) }
        let connection = PGConnection(backend: backend, lease: lease)
        try await connection.begin(level)
        let value: T
        do {
            value = try await body(connection)
        } catch {
            await connection.rollback()
            throw error
        }
        try await connection.commit()
        return value
    }

    /// Sends `queries` in one pipeline (see ``PGConnection/pipeline(_:)``).
    public func pipeline(_ queries: [PGQuery]) async throws -> [PGResult] {
        try await withConnection { try await $0.pipeline(queries) }
    }

    /// Inserts many rows with one statement in one pipeline (see
    /// ``PGConnection/insertBatch(sql:rows:)``); all rows or none are inserted.
    @discardableResult
    public func insertBatch(sql: String, rows: [PGBindings]) async throws -> Int {
        try await withConnection { try await $0.insertBatch(sql: sql, rows: rows) }
    }

    /// Proves the server is reachable and accepts this pool's login: a `SELECT 1` round trip on a
    /// pooled (possibly new) connection.
    public func ping() async throws {
        let backend = try await acquire()
        let lease = backend.beginLease()
        defer { release(backend) }
        _ = try await backend.execute(lease: lease, .command("SELECT 1")).get()
    }

    public var statistics: PGPoolStatistics {
        state.withLock { $0.machine.statistics }
    }

    /// Fails waiting tasks, closes idle connections, waits until leased connections come back
    /// (and closes them) and stops the thread pool. Statements started afterwards fail with
    /// ``PGError/Code/poolShutdown``.
    public func shutdown() async {
        let (waiters, closing, complete, reaper) = state.withLock { s in
            let r = s.machine.shutdown()
            var failed: [Waiter] = []
            for id in r.failWaiters {
                if let w = s.waiters.removeValue(forKey: id) { failed.append(w) }
            }
            let reaper = s.reaper
            s.reaper = nil
            return (failed, r.close, r.complete, reaper)
        }
        reaper?.cancel()
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: Self.shutdownError)
        }
        for backend in closing { backend.close() }
        if !complete {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { s -> Bool in
                    if s.machine.leased + s.machine.connecting == 0 { return true }
                    s.shutdownWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }
        let stop = state.withLock { s in
            defer { s.threadPoolStopped = true }
            return !s.threadPoolStopped
        }
        // Queued jobs (the closes above) run before the threads stop.
        if stop {
            try? await threadPool.shutdownGracefully()
            ioLoop.stop()
        }
        logger.debug("PostgreSQL pool shut down")
    }

    // MARK: Acquire and release

    private static let shutdownError = PGError(
        code: .poolShutdown, message: "the pool was shut down; no new statements are accepted")

    /// A connection for exclusive use; the caller must `release` it.
    func acquire() async throws(PGError) -> PGBackend {
        if case .failure(let error) = settings { throw error }
        let deadline = ContinuousClock.now + configuration.acquireTimeout
        var action = state.withLock { $0.machine.acquire() }
        while true {
            switch action {
            case .use(let backend, let idleSince):
                if let idleSince, !(await isHealthy(backend, idleSince: idleSince)) {
                    let freed = state.withLock { $0.machine.discard() }
                    backend.close()
                    logger.debug(
                        "discarded a broken idle PostgreSQL connection",
                        metadata: ["pg.connection_id": "\(backend.id)"])
                    perform(freed)
                    action = state.withLock { $0.machine.acquire() }
                    continue
                }
                return backend
            case .connect:
                return try await openConnection()
            case .wait:
                action = try await waitForConnection(deadline: deadline)
            case .shutDown:
                throw Self.shutdownError
            }
        }
    }

    private func isHealthy(_ backend: PGBackend, idleSince: ContinuousClock.Instant) async -> Bool {
        if ContinuousClock.now - idleSince >= configuration.healthCheckAfterIdle {
            return (try? await backend.run(lease: nil, cancellable: false) { .success($0.ping()) }.get()) ?? false
        }
        if let ok = backend.probe() { return ok }
        return (try? await backend.run(lease: nil, cancellable: false) { .success($0.probe()) }.get()) ?? false
    }

    private func waitForConnection(
        deadline: ContinuousClock.Instant
    ) async throws(PGError)
        -> PGPoolStateMachine<PGBackend>.AcquireAction
    {
        let id = state.withLock { s in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                    // Decide again under the lock: a connection may have come back meanwhile.
                    let immediate = state.withLock { s -> Grant? in
                        let action = s.machine.acquire()
                        guard case .wait = action else { return action }
                        if Task.isCancelled { return nil }
                        s.machine.addWaiter(id)
                        let timer = Task { [weak self] in
                            try? await Task.sleep(until: deadline, clock: .continuous)
                            if Task.isCancelled { return }
                            self?.failWaiter(id, timedOut: true)
                        }
                        s.waiters[id] = Waiter(continuation: continuation, timer: timer)
                        return .wait
                    }
                    switch immediate {
                    case .none: continuation.resume(throwing: PGError.cancelled())
                    case .wait?: break
                    case let action?: continuation.resume(returning: action)
                    }
                }
            } onCancel: {
                self.failWaiter(id, timedOut: false)
            }
        } catch let error as PGError {
            throw error
        } catch {
            throw PGError(code: .unexpectedResponse, message: "\(error)")
        }
    }

    private func failWaiter(_ id: UInt64, timedOut: Bool) {
        let (waiter, stats) = state.withLock { s -> (Waiter?, PGPoolStatistics) in
            guard s.machine.removeWaiter(id, timedOut: timedOut) else { return (nil, s.machine.statistics) }
            return (s.waiters.removeValue(forKey: id), s.machine.statistics)
        }
        guard let waiter else { return }
        waiter.timer?.cancel()
        if timedOut {
            let error = PGError(
                code: .acquireTimeout,
                message: "no connection became free within \(configuration.acquireTimeout): all \(stats.maxConnections)"
                    + " connections are in use and \(stats.waiters + 1) tasks were waiting; raise maxConnections,"
                    + " shorten transactions or look for a task that holds a connection too long")
            logger.warning("\(error)")
            waiter.continuation.resume(throwing: error)
        } else {
            waiter.continuation.resume(throwing: PGError.cancelled())
        }
    }

    private func openConnection() async throws(PGError) -> PGBackend {
        guard case .success(let settings) = settings else {
            perform(state.withLock { $0.machine.connectFailed() })
            if case .failure(let error) = self.settings { throw error }
            throw Self.shutdownError
        }
        let id = state.withLock { s in
            s.nextConnectionID += 1
            return s.nextConnectionID
        }
        let logger = self.logger
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<LibPQSession, PGError>, Never>) in
            threadPool.submit { workState in
                guard case .active = workState else {
                    continuation.resume(returning: .failure(Self.shutdownError))
                    return
                }
                continuation.resume(returning: LibPQSession.connect(settings: settings, logger: logger, id: id))
            }
        }
        switch result {
        case .success(let session):
            let backend = PGBackend(session: session, threadPool: threadPool, ioLoop: ioLoop)
            let (use, freed) = state.withLock { $0.machine.connectSucceeded() }
            guard use else {
                backend.close()
                perform(freed)
                throw Self.shutdownError
            }
            logger.debug(
                "opened PostgreSQL connection",
                metadata: ["pg.connection_id": "\(id)", "pg.backend_pid": "\(backend.backendPID)"])
            return backend
        case .failure(let error):
            perform(state.withLock { $0.machine.connectFailed() })
            logger.warning("\(error)")
            throw error
        }
    }

    func release(_ backend: PGBackend) {
        let reusable = backend.endLease()
        let now = ContinuousClock.now
        let (action, waiter) = state.withLock { s -> (PGPoolStateMachine<PGBackend>.ReleaseAction, Waiter?) in
            let action = s.machine.release(backend, reusable: reusable, now: now)
            switch action {
            case .handOver(_, let id): return (action, s.waiters.removeValue(forKey: id))
            case .keepIdle(startReaper: true):
                s.reaper = makeReaper(firstDeadline: now + configuration.idleTimeout)
                return (action, nil)
            default: return (action, nil)
            }
        }
        switch action {
        case .keepIdle: return
        case .handOver(let backend, _):
            waiter?.timer?.cancel()
            waiter?.continuation.resume(returning: .use(backend, idleSince: nil))
        case .close(let backend, let freed):
            backend.close()
            logger.debug("closed PostgreSQL connection", metadata: ["pg.connection_id": "\(backend.id)"])
            perform(freed)
        }
    }

    private func perform(_ freed: PGPoolStateMachine<PGBackend>.FreedSlot) {
        switch freed {
        case .none: return
        case .grantConnect(let id):
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.timer?.cancel()
            waiter?.continuation.resume(returning: .connect)
        case .shutdownComplete:
            let waiting = state.withLock { s in
                defer { s.shutdownWaiters = [] }
                return s.shutdownWaiters
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    // MARK: Idle reaper

    private func makeReaper(firstDeadline: ContinuousClock.Instant) -> Task<Void, Never> {
        Task { [weak self] in
            var wake = firstDeadline
            while !Task.isCancelled {
                try? await Task.sleep(until: wake, tolerance: .milliseconds(50), clock: .continuous)
                guard let pool = self, let next = pool.reapIdle() else { return }
                wake = next
            }
        }
    }

    /// Closes expired idle connections; returns when to run again, or `nil` to stop.
    private func reapIdle() -> ContinuousClock.Instant? {
        let (expired, next) = state.withLock { s in
            let r = s.machine.reap(now: .now, idleTimeout: configuration.idleTimeout)
            if r.next == nil { s.reaper = nil }
            return r
        }
        for backend in expired {
            backend.close()
            logger.debug("closed idle PostgreSQL connection", metadata: ["pg.connection_id": "\(backend.id)"])
        }
        return next
    }
}
