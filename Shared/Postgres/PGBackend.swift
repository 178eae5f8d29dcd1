// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

internal import CLibPQ
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One pooled connection: a `LibPQSession` plus the serial job queue that is the only way to use it.
///
/// Jobs (blocking libpq calls) run on the pool's `NIOThreadPool`, one at a time per connection and
/// in submission order, so two tasks sharing a `PGConnection` (`async let`) are serialised instead
/// of corrupting the `PGconn`. Single statements whose prepared statement is cached skip the thread
/// pool: `execute(lease:_:)` sends them from the calling thread and the `PGIOLoop` finishes them.
///
/// `@unchecked Sendable` is safe because `session`, the only non-thread-safe member, is touched only
/// by the current owner of `busy`: the job being run by `drain`, a `tryInline` body, or a
/// non-blocking statement (its caller until it registers with the I/O loop, then the loop thread).
/// Ownership is taken by setting `busy` (false → true) under `state`'s lock and given back under
/// the lock, so at most one thread uses the session at any time and each use is ordered after the
/// previous one (the I/O loop's own lock orders the caller → loop hand-over). All other stored
/// properties are immutable or inside the `Mutex`.
final class PGBackend: @unchecked Sendable {
    let id: Int
    let endpoint: String
    let backendPID: Int32
    private let session: LibPQSession
    private let threadPool: NIOThreadPool
    private let ioLoop: PGIOLoop
    private let socket: Int32
    private let cancelHandle: PGCancelHandle?
    private let state = Mutex(State())

    enum TransactionState: Sendable { case idle, inTransaction, failed, unknown }

    struct State: ~Copyable {
        var jobs: [Job] = []
        var busy = false
        var runningJobID: UInt64? = nil
        var nextJobID: UInt64 = 0
        /// The lease allowed to submit jobs; `nil` while the connection is idle in the pool.
        var lease: UInt64? = nil
        var nextLeaseID: UInt64 = 0
        var closing = false
        var healthy = true
        var transaction = TransactionState.idle
        var watched = true
    }

    enum JobInput {
        case run(LibPQSession)
        case reject(PGError)
    }

    struct Job: Sendable {
        let id: UInt64
        /// `nil` for the pool's own jobs (health check, close), which any lease state allows.
        let lease: UInt64?
        let work: @Sendable (JobInput) -> Void
    }

    init(session: LibPQSession, threadPool: NIOThreadPool, ioLoop: PGIOLoop) {
        self.session = session
        self.threadPool = threadPool
        self.ioLoop = ioLoop
        id = session.id
        endpoint = session.endpoint
        backendPID = session.backendPID
        cancelHandle = session.cancelHandle
        socket = session.socket
        ioLoop.add(fd: socket)
    }

    deinit {
        // Normally done by `close()`; a pool dropped without shutdown() ends up here.
        if state.withLock({ $0.watched }) { ioLoop.remove(fd: socket) }
    }

    /// Closes the session; the I/O loop stops watching the socket before it is closed.
    private func closeSession() {
        let watched = state.withLock { s in
            defer { s.watched = false }
            return s.watched
        }
        if watched { ioLoop.remove(fd: socket) }
        session.close()
    }

    // MARK: Leases

    /// Starts a lease: only jobs carrying the returned id (and the pool's own) are accepted.
    func beginLease() -> UInt64 {
        state.withLock { s in
            s.nextLeaseID += 1
            s.lease = s.nextLeaseID
            return s.nextLeaseID
        }
    }

    /// Ends the lease; returns whether the connection can go back to the idle list.
    func endLease() -> Bool {
        state.withLock { s in
            s.lease = nil
            return s.healthy && !s.closing && s.transaction == .idle
        }
    }

    // MARK: Running jobs

    /// Runs `body` with exclusive use of the session on the thread pool and returns its result.
    ///
    /// With `cancellable`, cancelling the calling task removes a job that has not started, or asks
    /// the server to cancel the running statement (`PQcancel`); the statement then fails with
    /// ``PGError/Code/cancelled``. ROLLBACK and the pool's own jobs are not cancellable.
    func run<T: Sendable>(
        lease: UInt64?, cancellable: Bool, _ body: @escaping @Sendable (LibPQSession) -> Result<T, PGError>
    ) async -> Result<T, PGError> {
        if !cancellable {
            let jobID = state.withLock { s in
                s.nextJobID += 1
                return s.nextJobID
            }
            return await submit(jobID: jobID, lease: lease, body)
        }
        if Task.isCancelled { return .failure(.cancelled()) }
        let jobID = state.withLock { s in
            s.nextJobID += 1
            return s.nextJobID
        }
        let result = await withTaskCancellationHandler {
            await submit(jobID: jobID, lease: lease, body)
        } onCancel: {
            self.cancel(jobID: jobID)
        }
        if case .failure(var error) = result, error.sqlState == "57014", Task.isCancelled {
            error.code = .cancelled
            return .failure(error)
        }
        return result
    }

    private func submit<T: Sendable>(
        jobID: UInt64, lease: UInt64?, _ body: @escaping @Sendable (LibPQSession) -> Result<T, PGError>
    ) async -> Result<T, PGError> {
        // Unsafe (unchecked) continuation on the hot path: each job is resumed exactly once, either
        // by `drain` running it or by `enqueue`/`drain`/`cancel` rejecting it; a job leaves the
        // queue (under the lock) before either happens.
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<T, PGError>, Never>) in
            let job = Job(id: jobID, lease: lease) { input in
                switch input {
                case .run(let session):
                    let result = body(session)
                    // Record the connection's state before the caller can release it.
                    self.recordStatus(of: session)
                    continuation.resume(returning: result)
                case .reject(let error):
                    continuation.resume(returning: .failure(error))
                }
            }
            enqueue(job)
        }
    }

    private func enqueue(_ job: Job) {
        enum Decision { case queued, startDrain, reject(PGError) }
        let decision = state.withLock { s -> Decision in
            if s.closing && job.lease != nil {
                return .reject(Self.closedError(endpoint: endpoint))
            }
            if let lease = job.lease, s.lease != lease {
                return .reject(Self.staleLeaseError)
            }
            s.jobs.append(job)
            if s.busy { return .queued }
            s.busy = true
            return .startDrain
        }
        switch decision {
        case .queued: return
        case .startDrain: startDrain()
        case .reject(let error): job.work(.reject(error))
        }
    }

    private func startDrain() {
        threadPool.submit { workState in self.drain(workState) }
    }

    /// Runs queued jobs until the queue is empty (on a thread-pool thread).
    private func drain(_ workState: NIOThreadPool.WorkItemState) {
        while true {
            enum Next { case run(Job), reject(Job, PGError), done }
            let next = state.withLock { s -> Next in
                s.runningJobID = nil
                guard !s.jobs.isEmpty else {
                    s.busy = false
                    return .done
                }
                let job = s.jobs.removeFirst()
                if case .cancelled = workState {
                    return .reject(job, PGError(code: .poolShutdown, message: "the pool's thread pool was stopped"))
                }
                if let lease = job.lease, s.lease != lease { return .reject(job, Self.staleLeaseError) }
                s.runningJobID = job.id
                return .run(job)
            }
            switch next {
            case .done: return
            case .run(let job): job.work(.run(session))
            case .reject(let job, let error):
                job.work(.reject(error))
                if case .cancelled = workState { closeSession() }
            }
        }
    }

    /// The check before an idle connection is handed out: without a system call when the I/O loop
    /// has been watching the socket and saw nothing arrive, otherwise `LibPQSession.probe()`.
    func probe() -> Bool? {
        let quiet = !ioLoop.mayHaveInput(fd: socket)
        return tryInline { session in
            quiet ? session.isOK && session.transactionStatus == PQTRANS_IDLE : session.probe()
        }
    }

    /// Runs a non-blocking `body` on the calling thread if no job is running or queued.
    func tryInline<T>(_ body: (LibPQSession) -> T) -> T? {
        let acquired = state.withLock { s in
            guard !s.busy else { return false }
            s.busy = true
            return true
        }
        guard acquired else { return nil }
        let result = body(session)
        releaseOwnership()
        return result
    }

    /// Ends an inline or I/O-loop use of the session: records its state, then lets queued jobs run.
    private func releaseOwnership() {
        let healthy = session.isOK
        let transaction = Self.transactionState(session)
        let restart = state.withLock { s in
            s.healthy = healthy
            s.transaction = transaction
            s.runningJobID = nil
            if s.jobs.isEmpty {
                s.busy = false
                return false
            }
            return true  // jobs arrived meanwhile; `busy` stays set for the drain
        }
        if restart { startDrain() }
    }

    // MARK: Single statements without a thread hop

    enum Statement: Sendable {
        case prepared(PGQuery)
        case command(String)

        var sql: String {
            switch self {
            case .prepared(let q): return q.sql
            case .command(let sql): return sql
            }
        }
    }

    /// Runs one statement: sent on the calling thread without blocking (the connection is in
    /// non-blocking mode) and finished by the pool's I/O loop, which resumes the caller. Falls back
    /// to a thread-pool job when the statement must be prepared first, when the connection is busy
    /// with another job, or when the I/O loop is unavailable.
    func execute(
        lease: UInt64, _ statement: Statement, cancellable: Bool = true
    ) async -> Result<PGResult, PGError> {
        func blocking() async -> Result<PGResult, PGError> {
            await run(lease: lease, cancellable: cancellable) { session in
                switch statement {
                case .prepared(let q): return session.execute(q)
                case .command(let sql): return session.command(sql)
                }
            }
        }
        guard ioLoop.isSupported else { return await blocking() }
        if cancellable && Task.isCancelled { return .failure(.cancelled()) }
        enum Start { case owned(UInt64), queue, reject(PGError) }
        let start = state.withLock { s -> Start in
            if s.closing { return .reject(Self.closedError(endpoint: endpoint)) }
            if s.lease != lease { return .reject(Self.staleLeaseError) }
            if s.busy { return .queue }
            s.busy = true
            s.nextJobID += 1
            s.runningJobID = s.nextJobID
            return .owned(s.nextJobID)
        }
        let jobID: UInt64
        switch start {
        case .reject(let error): return .failure(error)
        case .queue: return await blocking()
        case .owned(let id): jobID = id
        }
        let sent: LibPQSession.AsyncStart
        switch statement {
        case .prepared(let q): sent = session.sendPrepared(q)
        case .command(let sql): sent = session.sendCommand(sql)
        }
        let flushPending: Bool
        switch sent {
        case .notPrepared:
            releaseOwnership()
            return await blocking()
        case .failed(let error):
            releaseOwnership()
            return .failure(error)
        case .sent(let pending):
            flushPending = pending
        }
        let sql = statement.sql
        let wait = { @Sendable () async -> AsyncOutcome in
            await withUnsafeContinuation { (continuation: UnsafeContinuation<AsyncOutcome, Never>) in
                AsyncExecution(backend: self, query: sql, continuation: continuation).wait(writable: flushPending)
            }
        }
        let outcome: AsyncOutcome
        if cancellable {
            outcome = await withTaskCancellationHandler {
                await wait()
            } onCancel: {
                self.cancel(jobID: jobID)
            }
        } else {
            outcome = await wait()
        }
        switch outcome {
        case .finished(.failure(var error)) where error.sqlState == "57014" && Task.isCancelled:
            error.code = .cancelled
            return .failure(error)
        case .finished(let result):
            return result
        case .rePrepare:
            guard case .prepared(let q) = statement else { return await blocking() }
            return await run(lease: lease, cancellable: cancellable) { $0.reExecute(q) }
        }
    }

    enum AsyncOutcome: Sendable {
        case finished(Result<PGResult, PGError>)
        /// The cached prepared statement was unusable and the statement did not run: prepare again
        /// on the thread pool.
        case rePrepare
    }

    /// One statement in flight on the I/O loop.
    ///
    /// `@unchecked Sendable`: used by one thread at a time, the one that owns the session (`busy`):
    /// first the caller, then the loop thread (or a pool thread, if the loop refused the socket). The
    /// hand-over goes through the loop's lock, which orders the accesses.
    private final class AsyncExecution: @unchecked Sendable {
        let backend: PGBackend
        let query: String
        let continuation: UnsafeContinuation<AsyncOutcome, Never>
        var first: Result<PGResult, PGError>? = nil

        init(backend: PGBackend, query: String, continuation: UnsafeContinuation<AsyncOutcome, Never>) {
            self.backend = backend
            self.query = query
            self.continuation = continuation
        }

        func wait(writable: Bool) {
            let watched = backend.ioLoop.watch(fd: backend.socket, writable: writable) { _, _ in self.step() }
            if !watched {
                // The loop is stopping: finish with blocking waits on a pool thread.
                backend.threadPool.submit { _ in self.finishBlocking() }
            }
        }

        private func step() {
            switch backend.session.continueAsync(first: &first, query: query) {
            case .waiting(let writable): wait(writable: writable)
            case .finished(let result): complete(result)
            }
        }

        private func finishBlocking() {
            while true {
                switch backend.session.continueAsync(first: &first, query: query) {
                case .finished(let result):
                    complete(result)
                    return
                case .waiting(let writable):
                    let events = Int16(POLLIN) | (writable ? Int16(POLLOUT) : 0)
                    _ = LibPQSession.waitForSocket(backend.socket, events: events, timeout: nil)
                }
            }
        }

        private func complete(_ result: Result<PGResult, PGError>) {
            var rePrepare = false
            if case .failure(let error) = result { rePrepare = backend.session.shouldRePrepare(after: error) }
            // Record the connection's state before the caller can release it.
            backend.releaseOwnership()
            continuation.resume(returning: rePrepare ? .rePrepare : .finished(result))
        }
    }

    private func recordStatus(of session: LibPQSession) {
        let healthy = session.isOK
        let transaction = Self.transactionState(session)
        state.withLock { s in
            s.healthy = healthy
            s.transaction = transaction
        }
    }

    private static func transactionState(_ session: LibPQSession) -> TransactionState {
        switch session.transactionStatus {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .unknown
        }
    }

    private func cancel(jobID: UInt64) {
        enum Action { case none, dequeued(Job), cancelRunning }
        let action = state.withLock { s -> Action in
            if let i = s.jobs.firstIndex(where: { $0.id == jobID }) { return .dequeued(s.jobs.remove(at: i)) }
            if s.runningJobID == jobID { return .cancelRunning }
            return .none
        }
        switch action {
        case .none: return
        case .dequeued(let job): job.work(.reject(.cancelled()))
        case .cancelRunning:
            // PQcancel opens a connection to the server: blocking, so it goes to the thread pool,
            // which has one thread more than the pool has connections.
            guard let handle = cancelHandle else { return }
            threadPool.submit { workState in
                guard case .active = workState else { return }
                _ = handle.cancel()
            }
        }
    }

    /// Closes the connection once queued jobs have run; later jobs are rejected.
    func close() {
        let job = Job(id: 0, lease: nil) { input in
            if case .run = input { self.closeSession() }
        }
        let inline = state.withLock { s -> Bool in
            s.closing = true
            s.healthy = false
            return !s.busy
        }
        if inline, tryInline({ _ in self.closeSession() }) != nil { return }
        enqueue(job)
    }

    static let staleLeaseError = PGError(
        code: .invalidArgument,
        message: "a PGConnection was used after the withConnection/transaction closure that provided it returned")

    static func closedError(endpoint: String) -> PGError {
        var e = PGError(code: .connectionClosed, message: "the connection was closed by the pool")
        e.endpoint = endpoint
        return e
    }
}
