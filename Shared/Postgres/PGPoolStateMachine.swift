// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The pool's bookkeeping as a plain state machine (swift-nio/postgres-nio style): it decides, the
/// `PGPool` shell performs the I/O. Generic over the connection type so it is unit-tested without a
/// database.
///
/// Invariant: `idle.count + leased + connecting <= maxConnections`; waiters exist only while no idle
/// connection exists and no slot is free.
struct PGPoolStateMachine<Connection> {
    struct IdleConnection {
        var connection: Connection
        var since: ContinuousClock.Instant
    }

    enum AcquireAction {
        /// Use this connection. `idleSince` is `nil` for a connection handed over straight from a
        /// release (no health check needed).
        case use(Connection, idleSince: ContinuousClock.Instant?)
        /// A slot was reserved: open a new connection, then call `connectSucceeded`/`connectFailed`.
        case connect
        /// Every slot is busy: register as a waiter.
        case wait
        case shutDown
    }

    enum FreedSlot: Equatable {
        case none
        /// The first waiter may open a connection (a slot was reserved for it).
        case grantConnect(waiter: UInt64)
        /// The pool is shut down and the last connection is gone.
        case shutdownComplete
    }

    enum ReleaseAction {
        case keepIdle(startReaper: Bool)
        case handOver(Connection, waiter: UInt64)
        case close(Connection, then: FreedSlot)
    }

    let maxConnections: Int
    /// Oldest first: released connections are appended and acquired from the end (LIFO keeps a few
    /// connections hot and lets the rest age out).
    private(set) var idle: [IdleConnection] = []
    private(set) var leased = 0
    private(set) var connecting = 0
    /// Waiter ids in arrival order.
    private(set) var waiters: [UInt64] = []
    private(set) var isShutDown = false
    private(set) var reaperRunning = false
    private(set) var totalOpened = 0
    private(set) var totalClosed = 0
    private(set) var totalAcquireTimeouts = 0

    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    var open: Int { idle.count + leased + connecting }

    mutating func acquire() -> AcquireAction {
        if isShutDown { return .shutDown }
        if let entry = idle.popLast() {
            leased += 1
            return .use(entry.connection, idleSince: entry.since)
        }
        if open < maxConnections {
            connecting += 1
            return .connect
        }
        return .wait
    }

    mutating func addWaiter(_ id: UInt64) {
        waiters.append(id)
    }

    /// Removes a waiter that timed out or was cancelled; `false` if it was already served.
    mutating func removeWaiter(_ id: UInt64, timedOut: Bool) -> Bool {
        guard let index = waiters.firstIndex(of: id) else { return false }
        waiters.remove(at: index)
        if timedOut { totalAcquireTimeouts += 1 }
        return true
    }

    /// A connection opened for a `.connect` slot. `false`: the pool shut down meanwhile; close it.
    mutating func connectSucceeded() -> (use: Bool, then: FreedSlot) {
        connecting -= 1
        totalOpened += 1
        if isShutDown {
            totalClosed += 1
            return (false, shutdownCompletion())
        }
        leased += 1
        return (true, .none)
    }

    mutating func connectFailed() -> FreedSlot {
        connecting -= 1
        return freedSlot()
    }

    mutating func release(_ connection: Connection, reusable: Bool, now: ContinuousClock.Instant) -> ReleaseAction {
        leased -= 1
        if !reusable || isShutDown {
            totalClosed += 1
            return .close(connection, then: freedSlot())
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            leased += 1
            return .handOver(connection, waiter: waiter)
        }
        idle.append(IdleConnection(connection: connection, since: now))
        if reaperRunning { return .keepIdle(startReaper: false) }
        reaperRunning = true
        return .keepIdle(startReaper: true)
    }

    /// A leased connection failed its health check before use; the caller closes it and retries.
    mutating func discard() -> FreedSlot {
        leased -= 1
        totalClosed += 1
        return freedSlot()
    }

    /// Removes idle connections older than `idleTimeout`. Returns them and when to look again
    /// (`nil`: no idle connection is left and the reaper stops).
    mutating func reap(
        now: ContinuousClock.Instant, idleTimeout: Duration
    ) -> (
        close: [Connection], next: ContinuousClock.Instant?
    ) {
        var expired: [Connection] = []
        while let first = idle.first, now - first.since >= idleTimeout {
            expired.append(first.connection)
            idle.removeFirst()
        }
        totalClosed += expired.count
        guard let oldest = idle.first else {
            reaperRunning = false
            return (expired, nil)
        }
        return (expired, oldest.since + idleTimeout)
    }

    /// Starts the shutdown: returns the waiters to fail and the idle connections to close.
    mutating func shutdown() -> (failWaiters: [UInt64], close: [Connection], complete: Bool) {
        if isShutDown { return ([], [], leased + connecting == 0) }
        isShutDown = true
        let failed = waiters
        waiters = []
        let closing = idle.map(\.connection)
        idle = []
        totalClosed += closing.count
        return (failed, closing, leased + connecting == 0)
    }

    private mutating func freedSlot() -> FreedSlot {
        if isShutDown { return shutdownCompletion() }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            connecting += 1
            return .grantConnect(waiter: waiter)
        }
        return .none
    }

    private func shutdownCompletion() -> FreedSlot {
        leased + connecting == 0 ? .shutdownComplete : .none
    }

    var statistics: PGPoolStatistics {
        PGPoolStatistics(
            open: open, idle: idle.count, inUse: leased, connecting: connecting, waiters: waiters.count,
            maxConnections: maxConnections, totalOpened: totalOpened, totalClosed: totalClosed,
            totalAcquireTimeouts: totalAcquireTimeouts)
    }
}

extension PGPoolStateMachine.AcquireAction: Sendable where Connection: Sendable {}
