// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A connection watched by a peek thread.
struct PendingConnection: Sendable {
    enum Phase: Sendable, Equatable {
        /// Waiting for the rest of its head.
        case peeking
        /// Refused and shut down for writing; input is read and dropped until the client closes.
        case lingering(discarded: Int)
    }

    var connection: ClientConnection
    var phase: Phase
    /// Monotonic: the head deadline while peeking, the end of the linger time while lingering.
    var deadline: UInt64
    /// Peeks that found the head still incomplete.
    var incompletePeeks = 0
    /// Monotonic: not polled before this (see ``PeekWorker/throttleNanos``).
    var quietUntil: UInt64 = 0

    init(connection: ClientConnection, phase: Phase) {
        self.connection = connection
        self.phase = phase
        self.deadline = connection.headDeadline
    }
}

/// One peek thread: watches many slow connections with one `poll`, so a few threads absorb any
/// number of slow clients (a slowloris costs a descriptor until its deadline, never a thread).
///
/// While a head is incomplete, SO_RCVLOWAT is raised to (bytes peeked + 1) so `poll` reports the
/// socket only when a new byte arrives instead of spinning on bytes already seen (ROUTER.md);
/// POLLRDHUP reports a client that half-closes with an incomplete head.
final class PeekWorker: Sendable {
    /// A head normally arrives in one to a few segments. A client that needs more is polled at most
    /// once per `throttleNanos`: every peek copies the whole head so far, so a client dribbling one
    /// byte at a time would otherwise cost O(head²) copying (16 K peeks of up to 16 KiB each).
    static let peeksBeforeThrottle = 4
    static let throttleNanos: UInt64 = 25_000_000

    struct Inbox {
        var items: [PendingConnection] = []
        var closed = false
    }

    let inbox = Mutex<Inbox>(Inbox())
    /// Written under the inbox lock (so never after the thread closed it), read by the thread.
    let wake: (read: Int32, write: Int32)

    init(wake: (read: Int32, write: Int32)) {
        self.wake = wake
    }

    /// Queues a connection for this thread; false when the thread has stopped (the caller closes it).
    func submit(_ item: PendingConnection) -> Bool {
        inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.items.append(item)
            Posix.signal(wake.write)
            return true
        }
    }

    func closeWakeChannel() {
        close(wake.read)
        close(wake.write)
    }

    func run(engine: RouterEngine) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: engine.limits.maxHeadBytes, alignment: 16)
        defer { buffer.deallocate() }
        var active: [PendingConnection] = []
        var next: [PendingConnection] = []
        var fds: [pollfd] = []
        let watchEvents = Int16(POLLIN) | csms_pollrdhup
        while true {
            active.append(
                contentsOf: inbox.withLock { inbox in
                    defer { inbox.items.removeAll(keepingCapacity: true) }
                    return inbox.items
                })
            var now = Posix.monotonicNanoseconds()
            next.removeAll(keepingCapacity: true)
            for item in active {
                if item.deadline > now {
                    next.append(item)
                } else if let kept = expire(item, engine: engine, buffer: buffer) {
                    next.append(kept)
                } else {
                    engine.counters.watched.subtract(1, ordering: .relaxed)
                }
            }
            swap(&active, &next)

            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: engine.stopChannel.read, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
            var earliest = UInt64.max
            now = Posix.monotonicNanoseconds()
            for item in active {
                // poll ignores a negative descriptor: a throttled connection keeps its slot unwatched.
                let watched = item.quietUntil <= now
                fds.append(pollfd(fd: watched ? item.connection.fd : -1, events: watchEvents, revents: 0))
                earliest = min(earliest, watched ? item.deadline : min(item.deadline, item.quietUntil))
            }
            let timeout = earliest == .max ? -1 : Posix.millisecondsUntil(earliest, now: now)
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                engine.logger.error("edge router: poll on waiting connections failed: \(Posix.describe(errno))")
                if Posix.pollOne(engine.stopChannel.read, events: Int16(POLLIN), timeoutMilliseconds: 10) != 0 { break }
                continue
            }
            if fds[0].revents != 0 { break }
            if fds[1].revents != 0 { Posix.drainWakeups(wake.read) }
            if ready == 0 { continue }
            next.removeAll(keepingCapacity: true)
            for (index, item) in active.enumerated() {
                let revents = fds[index + 2].revents
                if revents == 0 {
                    next.append(item)
                } else if let kept = advance(item, revents: revents, engine: engine, buffer: buffer) {
                    next.append(kept)
                } else {
                    engine.counters.watched.subtract(1, ordering: .relaxed)
                }
            }
            swap(&active, &next)
        }
        let rest = inbox.withLock { inbox -> [PendingConnection] in
            inbox.closed = true
            defer { inbox.items = [] }
            return inbox.items
        }
        closeWakeChannel()
        for item in active + rest {
            engine.counters.watched.subtract(1, ordering: .relaxed)
            engine.abandon(item)
        }
    }

    /// Handles a readable (or hung-up) connection; returns it when it stays on this thread.
    func advance(
        _ item: PendingConnection, revents: Int16, engine: RouterEngine, buffer: UnsafeMutableRawBufferPointer
    ) -> PendingConnection? {
        var item = item
        let hungUp = revents & (csms_pollrdhup | Int16(POLLHUP) | Int16(POLLERR)) != 0
        switch item.phase {
        case .lingering:
            if engine.discardInput(&item) || hungUp && revents & Int16(POLLIN) == 0 {
                engine.closeLingering(item)
                return nil
            }
            return item
        case .peeking:
            let fd = item.connection.fd
            let peeked = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
            if peeked < 0, errno == EAGAIN || errno == EWOULDBLOCK, !hungUp { return item }
            if peeked <= 0 {
                let answer = RefusalAnswer(wire: .silent, detail: "the client closed before its head was complete")
                return engine.apply(.refuse(.clientClosed, answer), to: item.connection)
            }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<peeked])
            let decision = hungUp ? engine.policy.decideAtHalfClose(bytes) : engine.policy.decide(bytes)
            guard decision == .needMoreBytes else { return engine.apply(decision, to: item.connection) }
            item.incompletePeeks += 1
            if item.incompletePeeks >= Self.peeksBeforeThrottle {
                item.quietUntil = Posix.monotonicNanoseconds() &+ Self.throttleNanos
            }
            if item.connection.lowWatermark != peeked + 1 {
                item.connection.lowWatermark = peeked + 1
                Posix.setReceiveLowWatermark(fd, peeked + 1)
            }
            return item
        }
    }

    /// Handles a connection whose deadline passed.
    func expire(
        _ item: PendingConnection, engine: RouterEngine, buffer: UnsafeMutableRawBufferPointer
    )
        -> PendingConnection?
    {
        switch item.phase {
        case .lingering:
            engine.closeLingering(item)
            return nil
        case .peeking:
            let peeked = recv(
                item.connection.fd, buffer.baseAddress, buffer.count, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<max(0, peeked)])
            // The head may have completed in the same instant: route it rather than time it out.
            var decision = engine.policy.decide(bytes)
            if decision == .needMoreBytes {
                decision = engine.policy.decideAtDeadline(bytes, timeout: engine.limits.headTimeout)
            }
            return engine.apply(decision, to: item.connection)
        }
    }
}
