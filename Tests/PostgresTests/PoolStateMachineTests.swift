// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import Postgres

/// The pool's decisions, without connections.
@Suite struct PoolStateMachineTests {
    final class Conn: Sendable {
        let id: Int
        init(_ id: Int) { self.id = id }
    }

    typealias Machine = PGPoolStateMachine<Conn>

    private func isConnect(_ a: Machine.AcquireAction) -> Bool {
        if case .connect = a { return true }
        return false
    }

    private func isWait(_ a: Machine.AcquireAction) -> Bool {
        if case .wait = a { return true }
        return false
    }

    @Test func growsLazilyUpToMaxThenWaits() {
        var m = Machine(maxConnections: 2)
        #expect(isConnect(m.acquire()))
        #expect(isConnect(m.acquire()))
        #expect(isWait(m.acquire()))
        #expect(m.connectSucceeded().use)
        #expect(m.connectSucceeded().use)
        #expect(m.statistics.inUse == 2)
        #expect(m.statistics.open == 2)
    }

    @Test func releaseHandsOverToFirstWaiter() {
        var m = Machine(maxConnections: 1)
        let c = Conn(1)
        _ = m.acquire()
        _ = m.connectSucceeded()
        #expect(isWait(m.acquire()))
        m.addWaiter(10)
        m.addWaiter(11)
        guard case .handOver(let handed, let waiter) = m.release(c, reusable: true, now: .now) else {
            Issue.record("expected hand-over")
            return
        }
        #expect(handed === c)
        #expect(waiter == 10)
        #expect(m.statistics.inUse == 1)
        #expect(m.statistics.waiters == 1)
    }

    @Test func brokenConnectionGrantsSlotToWaiter() {
        var m = Machine(maxConnections: 1)
        _ = m.acquire()
        _ = m.connectSucceeded()
        m.addWaiter(7)
        guard case .close(_, let freed) = m.release(Conn(1), reusable: false, now: .now) else {
            Issue.record("expected close")
            return
        }
        #expect(freed == .grantConnect(waiter: 7))
        #expect(m.statistics.connecting == 1)
        #expect(m.statistics.open == 1)
    }

    @Test func failedConnectFreesTheSlot() {
        var m = Machine(maxConnections: 1)
        _ = m.acquire()
        #expect(m.connectFailed() == .none)
        #expect(m.statistics.open == 0)
        #expect(isConnect(m.acquire()))
    }

    @Test func idleConnectionsAreReusedLIFOAndReapedOldestFirst() {
        var m = Machine(maxConnections: 3)
        let t0 = ContinuousClock.now
        let a = Conn(1)
        let b = Conn(2)
        _ = m.acquire()
        _ = m.acquire()
        _ = m.connectSucceeded()
        _ = m.connectSucceeded()
        guard case .keepIdle(startReaper: true) = m.release(a, reusable: true, now: t0) else {
            Issue.record("first idle connection starts the reaper")
            return
        }
        guard case .keepIdle(startReaper: false) = m.release(b, reusable: true, now: t0 + .seconds(5)) else {
            Issue.record("reaper already running")
            return
        }
        let r1 = m.reap(now: t0 + .seconds(7), idleTimeout: .seconds(6))
        #expect(r1.close.map(\.id) == [1])
        #expect(r1.next == t0 + .seconds(11))
        let r2 = m.reap(now: t0 + .seconds(11), idleTimeout: .seconds(6))
        #expect(r2.close.map(\.id) == [2])
        #expect(r2.next == nil)
        #expect(m.statistics.open == 0)
        #expect(m.statistics.totalClosed == 2)
    }

    @Test func shutdownFailsWaitersClosesIdleAndWaitsForLeased() {
        var m = Machine(maxConnections: 2)
        let a = Conn(1)
        _ = m.acquire()
        _ = m.acquire()
        _ = m.connectSucceeded()
        _ = m.connectSucceeded()
        _ = m.release(a, reusable: true, now: .now)
        m.addWaiter(3)  // (not reachable in practice with an idle connection, but must be failed)
        let s = m.shutdown()
        #expect(s.failWaiters == [3])
        #expect(s.close.map(\.id) == [1])
        #expect(!s.complete)
        guard case .shutDown = m.acquire() else {
            Issue.record("acquire after shutdown must fail")
            return
        }
        guard case .close(_, let freed) = m.release(Conn(2), reusable: true, now: .now) else {
            Issue.record("release after shutdown closes")
            return
        }
        #expect(freed == .shutdownComplete)
    }

    @Test func waiterRemoval() {
        var m = Machine(maxConnections: 1)
        m.addWaiter(1)
        let first = m.removeWaiter(1, timedOut: true)
        let second = m.removeWaiter(1, timedOut: true)
        #expect(first)
        #expect(!second)
        #expect(m.statistics.totalAcquireTimeouts == 1)
    }
}
