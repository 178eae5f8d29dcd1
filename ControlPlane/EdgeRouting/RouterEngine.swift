// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Common
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A client connection the router holds until it is handed over or refused.
struct ClientConnection: Sendable {
    let fd: Int32
    /// `ip:port` of the client, for the metadata record and log lines.
    let client: String
    /// Wall-clock accept time (RFC 3339, ms) for the metadata record.
    let acceptedAt: String
    /// Monotonic deadline for a complete head.
    let headDeadline: UInt64
    /// The SO_RCVLOWAT currently set on the socket (1 is the kernel default).
    var lowWatermark = 1
}

/// The running router: its listener, threads and per-worker senders. Created by
/// ``EdgeRouter/start()``, alive until every thread has exited after ``stop()``.
final class RouterEngine: Sendable {
    let policy: RoutingPolicy
    let limits: EdgeRouter.Limits
    let logger: Logger
    let counters: Counters
    let listenFD: Int32
    let boundPort: Int
    /// Written once by `stop()`, never read: its readable end stays readable, so every thread
    /// polling it wakes and sees the stop.
    let stopChannel: (read: Int32, write: Int32)
    let peekers: [PeekWorker]
    let nextPeeker = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let senders = Mutex<SenderTable>(SenderTable())
    let book = Mutex<ThreadBook>(ThreadBook())
    let headTimeoutNanos: UInt64
    let lingerNanos: UInt64

    struct SenderTable {
        var byPath: [String: HandoverSender] = [:]
        var stopping = false
    }

    struct ThreadBook {
        var running = 0
        var stopRequested = false
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private init(
        policy: RoutingPolicy, limits: EdgeRouter.Limits, logger: Logger, counters: Counters, listenFD: Int32,
        boundPort: Int, stopChannel: (read: Int32, write: Int32), peekers: [PeekWorker]
    ) {
        self.policy = policy
        self.limits = limits
        self.logger = logger
        self.counters = counters
        self.listenFD = listenFD
        self.boundPort = boundPort
        self.stopChannel = stopChannel
        self.peekers = peekers
        self.headTimeoutNanos = UInt64(max(0, limits.headTimeout.nanoseconds))
        self.lingerNanos = UInt64(max(0, limits.lingerTimeout.nanoseconds))
    }

    static func start(
        host: String, port: Int, policy: RoutingPolicy, limits: EdgeRouter.Limits, counters: Counters, logger: Logger
    ) throws(EdgeRouter.StartFailure) -> RouterEngine {
        let (listenFD, boundPort) = try Listener.open(host: host, port: port, backlog: limits.listenBacklog)
        var peekers: [PeekWorker] = []
        var stopChannel: (read: Int32, write: Int32)?
        func cleanUp() {
            close(listenFD)
            if let stopChannel {
                close(stopChannel.read)
                close(stopChannel.write)
            }
            for peeker in peekers { peeker.closeWakeChannel() }
        }
        guard let channel = Posix.wakePair() else {
            let reason = Posix.describe(errno)
            cleanUp()
            throw EdgeRouter.StartFailure(description: "edge router: socketpair: \(reason)")
        }
        stopChannel = channel
        for _ in 0..<max(1, limits.peekThreads) {
            guard let wake = Posix.wakePair() else {
                let reason = Posix.describe(errno)
                cleanUp()
                throw EdgeRouter.StartFailure(description: "edge router: socketpair: \(reason)")
            }
            peekers.append(PeekWorker(wake: wake))
        }
        let engine = RouterEngine(
            policy: policy, limits: limits, logger: logger, counters: counters, listenFD: listenFD,
            boundPort: boundPort, stopChannel: channel, peekers: peekers)
        for (index, peeker) in peekers.enumerated() {
            engine.spawn("edge-router-peek-\(index)") { peeker.run(engine: engine) }
        }
        engine.spawn("edge-router-accept") { engine.acceptLoop() }
        logger.info(
            "edge router listening",
            metadata: [
                "router.listen": "\(host):\(boundPort)", "router.base_domain": "\(policy.baseDomain)",
                "router.peek_threads": "\(peekers.count)",
            ])
        return engine
    }

    // MARK: - Threads

    func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        book.withLock { $0.running += 1 }
        let thread = Thread {
            body()
            self.threadFinished()
        }
        thread.name = name
        thread.start()
    }

    private func threadFinished() {
        let waiters = book.withLock { book -> [CheckedContinuation<Void, Never>]? in
            book.running -= 1
            guard book.running == 0, book.stopRequested, !book.finished else { return nil }
            book.finished = true
            defer { book.waiters = [] }
            return book.waiters
        }
        guard let waiters else { return }
        // Every thread has exited: nobody polls or writes the stop channel any more.
        close(stopChannel.read)
        close(stopChannel.write)
        logger.info("edge router stopped", metadata: ["router.statistics": "\(counters.snapshot())"])
        for waiter in waiters { waiter.resume() }
    }

    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = book.withLock { book -> Bool in
                if book.finished { return true }
                book.waiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    func stop() {
        let first = book.withLock { book -> Bool in
            defer { book.stopRequested = true }
            return !book.stopRequested
        }
        guard first else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        let senders = self.senders.withLock { table -> [HandoverSender] in
            table.stopping = true
            // Dropping the table breaks the engine ↔ sender reference cycle; each sender's thread
            // keeps its own reference until it has sent what is queued.
            defer { table.byPath = [:] }
            return Array(table.byPath.values)
        }
        for sender in senders { sender.wake() }
        Posix.signal(stopChannel.write)
    }

    // MARK: - Accept thread

    func acceptLoop() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.maxHeadBytes, alignment: 16)
        defer {
            buffer.deallocate()
            close(listenFD)
        }
        var fds = [
            pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stopChannel.read, events: Int16(POLLIN), revents: 0),
        ]
        var lastResourceLog: UInt64 = 0
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("edge router: poll on the listener failed: \(Posix.describe(errno))")
                return
            }
            if fds[1].revents != 0 { return }
            // Accept what the backlog holds, a bounded batch at a time so a stop is seen promptly.
            for _ in 0..<64 {
                var storage = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let fd = withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { csms_accept4(listenFD, $0, &length, 0) }
                }
                if fd >= 0 {
                    accepted(fd, address: storage, buffer: buffer)
                    continue
                }
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK { break }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // Out of descriptors or memory: the connection stays in the backlog. Back off
                    // instead of spinning on a listener that stays readable.
                    let now = Posix.monotonicNanoseconds()
                    if now &- lastResourceLog > 1_000_000_000 {
                        lastResourceLog = now
                        logger.error(
                            "edge router cannot accept connections: \(Posix.describe(code)); raise the open-file limit")
                    }
                    if Posix.pollOne(stopChannel.read, events: Int16(POLLIN), timeoutMilliseconds: 100) != 0 { return }
                    break
                }
                // ECONNABORTED, EPROTO, ...: that one connection is gone; carry on.
            }
        }
    }

    private func accepted(_ fd: Int32, address: sockaddr_storage, buffer: UnsafeMutableRawBufferPointer) {
        counters.accepted.add(1, ordering: .relaxed)
        counters.held.add(1, ordering: .relaxed)
        var connection = ClientConnection(
            fd: fd, client: Posix.describe(address: address), acceptedAt: Posix.rfc3339Now(),
            headDeadline: Posix.monotonicNanoseconds() &+ headTimeoutNanos)
        // The first peek on the accept thread: most clients send their head with the connection, and
        // deciding here saves a thread hop (ROUTER.md: ~100 µs → ~50 µs added at p50).
        let peeked = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        if peeked > 0 {
            let decision = policy.decide(UnsafeRawBufferPointer(rebasing: buffer[0..<peeked]))
            if decision != .needMoreBytes {
                counters.decidedOnFirstPeek.add(1, ordering: .relaxed)
                if let lingering = apply(decision, to: connection) { watch(lingering) }
                return
            }
            connection.lowWatermark = peeked + 1
            Posix.setReceiveLowWatermark(fd, connection.lowWatermark)
        } else if peeked == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
            _ = apply(
                .refuse(.clientClosed, RefusalAnswer(wire: .silent, detail: "the client closed before sending a head")),
                to: connection)
            return
        }
        if counters.watched.load(ordering: .relaxed) >= limits.maxWatchedConnections {
            let answer = RefusalAnswer(
                wire: .http(status: 503, retryAfter: 1), detail: "the router is handling too many slow connections")
            if let lingering = apply(.refuse(.overloaded, answer), to: connection) { closeLingering(lingering) }
            return
        }
        watch(PendingConnection(connection: connection, phase: .peeking))
    }

    // MARK: - Decisions

    /// Carries out a decision on the calling thread. Returns the connection when it must linger
    /// after an error response (the caller watches it on a peek thread), nil when it is gone.
    func apply(_ decision: RoutingDecision, to connection: ClientConnection) -> PendingConnection? {
        switch decision {
        case .needMoreBytes:
            // Callers only apply final decisions; never crash the control plane over a router bug.
            assertionFailure("apply is only called with a final decision")
            closeClient(connection.fd)
            return nil
        case .handOver(let tenant, let socket, let transport):
            if connection.lowWatermark != 1 {
                // The worker reads this socket as a fresh one: undo the peek-time watermark.
                Posix.setReceiveLowWatermark(connection.fd, 1)
            }
            var reset = connection
            reset.lowWatermark = 1
            let job = HandoverJob(connection: reset, tenant: tenant, transport: transport)
            if enqueue(job, socket: socket) { return nil }
            return apply(policy.handoverFailed(tenant: tenant, transport: transport), to: reset)
        case .serveLocally(let transport):
            guard let local = policy.local else {
                assertionFailure("the policy serves locally only with a local handler")
                closeClient(connection.fd)
                return nil
            }
            giveAway(connection, to: local, overTLS: transport == .tls, purpose: .platform)
            return nil
        case .refuse(let reason, let answer):
            return refuse(connection, reason: reason, answer: answer)
        }
    }

    /// Passes the connection to the control plane's own handler; the router holds nothing after.
    private func giveAway(
        _ connection: ClientConnection, to local: any LocalConnectionHandler, overTLS: Bool,
        purpose: LocalConnection.Purpose
    ) {
        if connection.lowWatermark != 1 { Posix.setReceiveLowWatermark(connection.fd, 1) }
        counters.servedLocally.add(1, ordering: .relaxed)
        counters.held.subtract(1, ordering: .relaxed)
        local.adopt(
            LocalConnection(descriptor: connection.fd, client: connection.client, overTLS: overTLS, purpose: purpose))
    }

    /// Writes the refusal, reads what the client sent and shuts down the sending half (ROUTER.md:
    /// closing with unread input sends a reset that can destroy the response before it is read).
    private func refuse(
        _ connection: ClientConnection, reason: EdgeRouter.Refusal, answer: RefusalAnswer
    )
        -> PendingConnection?
    {
        counters.count(reason)
        logger.notice(
            "edge router refused a connection",
            metadata: [
                "client.address": "\(connection.client)", "router.refusal": "\(reason.rawValue)",
                "router.detail": "\(answer.detail)",
            ])
        if case .overTLS(let status, let retryAfter) = answer.wire, let local = policy.local {
            giveAway(
                connection, to: local, overTLS: true,
                purpose: .refusal(status: status, detail: answer.detail, retryAfter: retryAfter))
            return nil
        }
        let bytes = answer.bytes(date: Posix.httpDateNow())
        guard !bytes.isEmpty else {
            closeClient(connection.fd)
            return nil
        }
        if connection.lowWatermark != 1 { Posix.setReceiveLowWatermark(connection.fd, 1) }
        // A fresh socket's send buffer is empty: the short answer goes out whole without blocking.
        _ = bytes.withUnsafeBytes {
            send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
        }
        var lingering = PendingConnection(connection: connection, phase: .lingering(discarded: 0))
        lingering.connection.lowWatermark = 1
        if discardInput(&lingering) {
            closeClient(connection.fd)
            return nil
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        lingering.deadline = Posix.monotonicNanoseconds() &+ lingerNanos
        return lingering
    }

    /// Reads and drops what the client has sent so far. Returns true when the connection is done
    /// (end of stream, an error, or more input than a lingering close should read).
    func discardInput(_ item: inout PendingConnection) -> Bool {
        guard case .lingering(var discarded) = item.phase else { return true }
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        defer { item.phase = .lingering(discarded: discarded) }
        while true {
            let n = scratch.withUnsafeMutableBytes {
                recv(item.connection.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            if n > 0 {
                discarded += n
                if discarded > 1 << 20 { return true }
                continue
            }
            if n < 0, errno == EINTR { continue }
            return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        }
    }

    /// Hands a connection to a peek thread to watch (a slow head, or a lingering refusal).
    func watch(_ item: PendingConnection) {
        if case .lingering = item.phase,
            counters.watched.load(ordering: .relaxed) >= limits.maxWatchedConnections
        {
            closeLingering(item)
            return
        }
        let index = nextPeeker.wrappingAdd(1, ordering: .relaxed).oldValue
        let peeker = peekers[Int(UInt(bitPattern: index) % UInt(peekers.count))]
        counters.watched.add(1, ordering: .relaxed)
        if !peeker.submit(item) {
            counters.watched.subtract(1, ordering: .relaxed)
            abandon(item)
        }
    }

    /// Closes a connection the router gives up on because it is stopping.
    func abandon(_ item: PendingConnection) {
        if case .peeking = item.phase { counters.count(.shutdown) }
        closeClient(item.connection.fd)
    }

    func closeLingering(_ item: PendingConnection) {
        closeClient(item.connection.fd)
    }

    func closeClient(_ fd: Int32) {
        close(fd)
        counters.held.subtract(1, ordering: .relaxed)
    }

    // MARK: - Hand-over

    /// Passes the job to the sender of its worker socket (created on first use). The sender-table
    /// lock covers only the lookup; sending happens under the sender's own lock or on its thread.
    private func enqueue(_ job: HandoverJob, socket: String) -> Bool {
        // A sender that retired between the lookup and the submission is replaced once.
        for _ in 0..<2 {
            let sender = senders.withLock { table -> HandoverSender? in
                guard !table.stopping else { return nil }
                if let sender = table.byPath[socket] { return sender }
                let sender = HandoverSender(socketPath: socket, engine: self)
                table.byPath[socket] = sender
                spawn("edge-router-send") { sender.run() }
                return sender
            }
            guard let sender else { return false }
            switch sender.submit(job) {
            case .handedOver, .queued: return true
            case .full: return false
            case .closed: continue
            }
        }
        return false
    }

    /// Removes an idle sender; false when a job arrived meanwhile (it then keeps running).
    func retire(_ sender: HandoverSender) -> Bool {
        senders.withLock { table -> Bool in
            guard sender.closeIfIdle() else { return false }
            if table.byPath[sender.socketPath] === sender { table.byPath[sender.socketPath] = nil }
            return true
        }
    }
}

/// The listening socket.
enum Listener {
    static func open(host: String, port: Int, backlog: Int) throws(EdgeRouter.StartFailure) -> (Int32, Int) {
        func failure(_ what: String) -> EdgeRouter.StartFailure {
            EdgeRouter.StartFailure(description: "edge router cannot listen on \(host):\(port): \(what)")
        }
        guard (0...65535).contains(port) else { throw failure("the port is out of range") }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw failure(String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(results) }
        let info = first.pointee
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(info.ai_family, type, 0)
        guard fd >= 0 else { throw failure("socket: \(Posix.describe(errno))") }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
            let reason = Posix.describe(errno)
            close(fd)
            throw failure("bind: \(reason)")
        }
        guard listen(fd, Int32(clamping: backlog)) == 0 else {
            let reason = Posix.describe(errno)
            close(fd)
            throw failure("listen: \(reason)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let bound = Posix.describe(address: storage)
        let boundPort = bound.split(separator: ":").last.flatMap { Int($0) } ?? port
        return (fd, boundPort)
    }
}
