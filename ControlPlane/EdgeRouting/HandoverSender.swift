// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Common
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One connection waiting to be passed to a worker.
struct HandoverJob: Sendable {
    let connection: ClientConnection
    let tenant: String
    let transport: Transport

    var metadata: [UInt8] {
        HandoverMetadata.encode(
            tenant: tenant, client: connection.client, acceptedAt: connection.acceptedAt, transport: transport)
    }
}

/// The sender for one worker hand-over socket, so a worker that is slow to take descriptors delays
/// only its own tenant's connections (ROUTER.md: never one global lock). It keeps one
/// SOCK_SEQPACKET connection to the worker open and reconnects when it breaks.
///
/// Fast path: when nothing is queued and the connection is up, the thread that decided the route
/// sends right away under this sender's lock (a non-blocking sendmsg, microseconds), saving a
/// thread hop. Everything that may wait (connecting, a full worker queue, reconnecting after EPIPE)
/// is left to the sender's own thread, which then owns the connection (`busy`) and answers 503
/// itself when the worker cannot take the connection.
final class HandoverSender: Sendable {
    struct State {
        var jobs: [HandoverJob] = []
        var closed = false
        /// The sender thread is using `worker` outside the lock; the fast path must not touch it.
        var busy = false
        var worker: WorkerConnection
    }

    enum Submission {
        case handedOver
        case queued
        case full
        case closed
    }

    let socketPath: String
    let engine: RouterEngine
    let state: Mutex<State>
    /// One signal per queued job (and one for a stop), so no wake-up is lost between the queue
    /// check and the wait.
    let signal = DispatchSemaphore(value: 0)

    init(socketPath: String, engine: RouterEngine) {
        self.socketPath = socketPath
        self.engine = engine
        self.state = Mutex(State(worker: WorkerConnection(path: socketPath, engine: engine)))
    }

    /// Hands the job over right away when possible, else queues it for the sender thread.
    func submit(_ job: HandoverJob) -> Submission {
        let metadata = job.metadata
        let submission = state.withLock { state -> Submission in
            guard !state.closed else { return .closed }
            if state.jobs.isEmpty, !state.busy, state.worker.isConnected {
                let sent = metadata.withUnsafeBytes {
                    csms_send_fd(state.worker.fd, job.connection.fd, $0.baseAddress, $0.count)
                }
                if sent >= 0 { return .handedOver }
                // EAGAIN, EPIPE, ...: the sender thread waits, reconnects or answers 503.
            }
            guard state.jobs.count < engine.limits.handoverQueueDepth else { return .full }
            state.jobs.append(job)
            return .queued
        }
        switch submission {
        case .handedOver: handedOver(job)
        case .queued: signal.signal()
        case .full, .closed: break
        }
        return submission
    }

    func wake() { signal.signal() }

    /// Marks the sender closed if nothing is queued (called under the router's sender-table lock).
    func closeIfIdle() -> Bool {
        state.withLock { state -> Bool in
            guard state.jobs.isEmpty, !state.busy else { return false }
            state.closed = true
            return true
        }
    }

    func run() {
        let idleNanos = UInt64(max(1_000_000, engine.limits.senderIdleTimeout.nanoseconds))
        let waitNanos = UInt64(max(0, engine.limits.handoverWait.nanoseconds))
        var lastUse = Posix.monotonicNanoseconds()
        while true {
            _ = signal.wait(timeout: .now() + .nanoseconds(Int(clamping: idleNanos)))
            if engine.stopping.load(ordering: .sequentiallyConsistent) { break }
            let taken = state.withLock { state -> ([HandoverJob], WorkerConnection)? in
                guard !state.jobs.isEmpty else { return nil }
                state.busy = true
                defer { state.jobs.removeAll(keepingCapacity: true) }
                return (state.jobs, state.worker)
            }
            guard let (jobs, connection) = taken else {
                if Posix.monotonicNanoseconds() &- lastUse >= idleNanos, engine.retire(self) { break }
                continue
            }
            var worker = connection
            for job in jobs { deliver(job, over: &worker, wait: waitNanos) }
            state.withLock { state in
                state.worker = worker
                state.busy = false
            }
            lastUse = Posix.monotonicNanoseconds()
        }
        // Stopping or retired: what is queued is still sent, without waiting on a full worker queue.
        let (rest, connection) = state.withLock { state -> ([HandoverJob], WorkerConnection) in
            state.closed = true
            state.busy = true
            defer { state.jobs = [] }
            return (state.jobs, state.worker)
        }
        var worker = connection
        for job in rest { deliver(job, over: &worker, wait: 0) }
        worker.close()
    }

    func handedOver(_ job: HandoverJob) {
        engine.counters.handedOver.add(1, ordering: .relaxed)
        engine.closeClient(job.connection.fd)
        engine.logger.debug(
            "connection handed over",
            metadata: [
                "tenant.slug": "\(job.tenant)", "client.address": "\(job.connection.client)",
                "router.transport": "\(job.transport.rawValue)",
            ])
    }

    /// Sends one descriptor and its metadata, then closes the router's copy. On failure the router
    /// answers the client itself (503 with Retry-After, or a TLS alert).
    func deliver(_ job: HandoverJob, over worker: inout WorkerConnection, wait: UInt64) {
        let connection = job.connection
        let metadata = job.metadata
        let deadline = Posix.monotonicNanoseconds() &+ wait
        var reconnected = false
        var failure: String
        while true {
            if !worker.isConnected {
                if let problem = worker.connect() {
                    failure = problem
                    break
                }
            }
            let sent = metadata.withUnsafeBytes { csms_send_fd(worker.fd, connection.fd, $0.baseAddress, $0.count) }
            if sent >= 0 {
                handedOver(job)
                return
            }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK {
                // The worker's queue is full: wait a little for room, never long (issue 5: 503 then).
                let now = Posix.monotonicNanoseconds()
                if now < deadline,
                    Posix.pollOne(
                        worker.fd, events: Int16(POLLOUT),
                        timeoutMilliseconds: Posix.millisecondsUntil(deadline, now: now)) != 0
                {
                    continue
                }
                failure = "the worker's hand-over queue is full"
                break
            }
            if code == EPIPE || code == ECONNRESET || code == ENOTCONN || code == ECONNREFUSED {
                // The worker restarted or closed our connection: reconnect once.
                worker.close()
                if reconnected {
                    failure = "sendmsg: \(Posix.describe(code))"
                    break
                }
                reconnected = true
                continue
            }
            // ETOOMANYREFS (descriptors in flight over the router's RLIMIT_NOFILE), ENOBUFS, ...
            failure = "sendmsg: \(Posix.describe(code))"
            break
        }
        engine.logger.warning(
            "edge router could not hand a connection to its worker",
            metadata: [
                "tenant.slug": "\(job.tenant)", "client.address": "\(connection.client)",
                "router.handover_socket": "\(socketPath)", "router.reason": "\(failure)",
            ])
        let decision = engine.policy.handoverFailed(tenant: job.tenant, transport: job.transport)
        if let lingering = engine.apply(decision, to: connection) { engine.watch(lingering) }
    }
}

/// A connection to one worker's hand-over socket: used under its sender's lock (fast path) or by the
/// sender thread while it is marked busy, never by two threads at once.
struct WorkerConnection {
    let path: String
    let engine: RouterEngine
    private(set) var fd: Int32 = -1

    init(path: String, engine: RouterEngine) {
        self.path = path
        self.engine = engine
    }

    var isConnected: Bool { fd >= 0 }

    /// Connects (non-blocking, so a worker with a full accept backlog cannot stall the sender) and
    /// checks that the worker runs as this user (SO_PEERCRED). Returns why it failed, or nil.
    mutating func connect() -> String? {
        let socket = csms_seqpacket_socket()
        guard socket >= 0 else { return "socket: \(Posix.describe(errno))" }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            Glibc.close(socket)
            return "the socket path is longer than \(capacity - 1) bytes"
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        guard Posix.setNonBlocking(socket) else {
            let reason = Posix.describe(errno)
            Glibc.close(socket)
            return "fcntl: \(reason)"
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, length) }
        }
        guard connected == 0 else {
            // ENOENT: no worker socket; ECONNREFUSED: nobody listens; EAGAIN: its backlog is full.
            let reason = Posix.describe(errno)
            Glibc.close(socket)
            return "connect: \(reason)"
        }
        var uid: uid_t = 0
        guard csms_peer_uid(socket, &uid) == 0, uid == geteuid() else {
            Glibc.close(socket)
            return "the socket's owner (uid \(uid)) is not this process's user"
        }
        fd = socket
        engine.counters.workerConnections.add(1, ordering: .relaxed)
        engine.logger.info("edge router connected to a worker", metadata: ["router.handover_socket": "\(path)"])
        return nil
    }

    mutating func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
        engine.counters.workerConnections.subtract(1, ordering: .relaxed)
    }
}
