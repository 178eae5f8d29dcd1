// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Postgres
import Synchronization
import TestSupport
import Testing

/// Pool size, waiting, failures, reconnecting, shrinking, shutdown.
@Suite(.postgresDatabase) struct PoolTests {
    @Test func maxSizeRespectedUnderFiftyConcurrentQueries() async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool { $0.maxConnections = 5 }
        let admin = try db.adminPool()
        let appName = pool.configuration.applicationName
        try await using(admin) { admin in
            try await using(pool) { pool in
                let peakServer = Peak()
                let peakInUse = Peak()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<50 {
                        group.addTask {
                            let r = try await pool.query("SELECT \(i)::int, pg_sleep(0.05)::text")
                            #expect(try r.rows[0].decode(Int.self, column: 0) == i)
                            let inUse = pool.statistics.inUse
                            peakInUse.record(inUse)
                        }
                    }
                    group.addTask {
                        for _ in 0..<10 {
                            let n = try await backendCount(admin: admin, applicationName: appName)
                            peakServer.record(n)
                            try await Task.sleep(for: .milliseconds(40))
                        }
                    }
                    try await group.waitForAll()
                }
                let stats = pool.statistics
                #expect(stats.totalOpened <= 5)
                #expect(stats.open <= 5)
                #expect(stats.inUse == 0)
                #expect(stats.waiters == 0)
                #expect(peakServer.value <= 5)
                #expect(peakServer.value >= 2)
                #expect(peakInUse.value <= 5)
            }
        }
    }

    @Test func acquireTimeoutWhenExhausted() async throws {
        let db = try TestDatabase.require()
        try await using(
            try db.pool {
                $0.maxConnections = 2; $0.acquireTimeout = .milliseconds(300)
            }
        ) { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { _ = try await pool.query("SELECT pg_sleep(2)") }
                }
                try await waitUntil { pool.statistics.open == 2 && pool.statistics.idle == 0 }  // both busy
                let started = ContinuousClock.now
                do {
                    _ = try await pool.query("SELECT 1")
                    Issue.record("query got a connection from an exhausted pool")
                } catch let error as PGError {
                    let waited = ContinuousClock.now - started
                    #expect(error.code == .acquireTimeout)
                    #expect(error.code == .poolExhausted)
                    #expect(error.description.contains("exhausted"))
                    #expect(error.description.contains("all 2 connections are in use"))
                    #expect(waited >= .milliseconds(250))
                    #expect(waited < .seconds(1.5))
                }
                #expect(pool.statistics.totalAcquireTimeouts == 1)
                try await group.waitForAll()
            }
            // Once the long queries finish the pool serves again.
            #expect(try await pool.query("SELECT 1").count == 1)
        }
    }

    @Test func waiterGetsReleasedConnection() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            async let slow = pool.query("SELECT pg_sleep(0.3)")
            try await Task.sleep(for: .milliseconds(100))
            let r = try await pool.query("SELECT 2")  // waits for the slow one
            _ = try await slow
            #expect(r.count == 1)
            #expect(pool.statistics.totalOpened == 1)
        }
    }

    @Test func wrongPasswordNamesTheUser() async throws {
        let db = try TestDatabase.require()
        let conninfo = try db.url(password: "definitely-wrong-pw")
        try await using(PGPool(configuration: .init(conninfo: conninfo), logger: Logger(label: "test"))) { pool in
            do {
                try await pool.ping()
                Issue.record("logged in with a wrong password")
            } catch let error as PGError {
                #expect(error.code == .connectionFailed)
                #expect(error.message.contains("password authentication failed for user \"\(db.role)\""))
                #expect(error.description.contains("user=\(db.role)"))
                #expect(!error.description.contains("definitely-wrong-pw"))
            }
            #expect(pool.statistics.open == 0)
        }
    }

    @Test func unreachableServerSaysWhereAndWhatToCheck() async throws {
        let conninfo = "host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=2"
        try await using(PGPool(configuration: .init(conninfo: conninfo), logger: Logger(label: "test"))) { pool in
            do {
                _ = try await pool.query("SELECT 1")
                Issue.record("connected to port 1")
            } catch let error as PGError {
                #expect(error.code == .connectionFailed)
                #expect(error.description.contains("host=127.0.0.1 port=1 user=nobody"))
                #expect(error.description.contains("is the server running"))
            }
        }
    }

    @Test func invalidConninfoIsAConfigurationError() async throws {
        try await using(PGPool(configuration: .init(conninfo: "host=x bogus_key=1"), logger: Logger(label: "t"))) {
            pool in
            let error = await pgError { try await pool.ping() }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("bogus_key") == true)
        }
    }

    /// After `pg_terminate_backend` (or a server restart) the next query succeeds: idle connections
    /// are probed before use, the dead one is discarded and a new one opened.
    @Test func reconnectAfterBackendsAreTerminated() async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool { $0.maxConnections = 3 }
        let appName = pool.configuration.applicationName
        try await using(try db.adminPool()) { admin in
            try await using(pool) { pool in
                let before = try await pool.query("SELECT pg_backend_pid()").rows[0].decode(Int32.self, column: 0)
                try await terminate(admin: admin, applicationName: appName)
                let after = try await pool.query("SELECT pg_backend_pid()").rows[0].decode(Int32.self, column: 0)
                #expect(after != before)
                #expect(pool.statistics.totalOpened == 2)
                try await pool.ping()
            }
        }
    }

    /// A statement in flight when its backend dies fails with `.connectionClosed`; the pool discards
    /// that connection and the next statement succeeds. `prepared`: the statement is already in the
    /// connection's cache, so it runs on the non-blocking path (I/O loop) instead of a pool thread.
    @Test(arguments: [false, true])
    func queryInFlightWhenBackendDiesFailsThenNextSucceeds(prepared: Bool) async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool { $0.maxConnections = 1 }
        let appName = pool.configuration.applicationName
        try await using(try db.adminPool()) { admin in
            try await using(pool) { pool in
                if prepared { _ = try await pool.query("SELECT pg_sleep(\(0.0))") }
                async let victim = pool.query("SELECT pg_sleep(\(20.0))")
                try await waitUntil {
                    try await admin.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = \(appName) AND state = 'active'"
                    ).rows[0].decode(Int.self, column: 0) == 1
                }
                try await terminate(admin: admin, applicationName: appName)
                do {
                    _ = try await victim
                    Issue.record("query survived its backend")
                } catch let error as PGError {
                    #expect(error.code == .connectionClosed)
                    #expect(error.description.contains("the next query opens a new one"))
                }
                #expect(try await pool.query("SELECT 1").count == 1)
                #expect(pool.statistics.open == 1)
            }
        }
    }

    @Test func healthCheckRoundTripAfterIdle() async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool { $0.healthCheckAfterIdle = .zero }
        let appName = pool.configuration.applicationName
        try await using(try db.adminPool()) { admin in
            try await using(pool) { pool in
                _ = try await pool.query("SELECT 1")
                try await terminate(admin: admin, applicationName: appName)
                #expect(try await pool.query("SELECT 1").count == 1)
                #expect(pool.statistics.totalOpened == 2)
            }
        }
    }

    @Test func idleConnectionsShrinkToZero() async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool { $0.idleTimeout = .milliseconds(300) }
        let appName = pool.configuration.applicationName
        try await using(try db.adminPool()) { admin in
            try await using(pool) { pool in
                // Three connections held at once: each task keeps its connection until all three have one.
                let barrier = Barrier(parties: 3)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<3 {
                        group.addTask {
                            try await pool.withConnection { connection in
                                _ = try await connection.query("SELECT 1")
                                await barrier.arriveAndWait()
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(pool.statistics.open == 3)
                #expect(pool.statistics.idle == 3)
                try await waitUntil { pool.statistics.open == 0 }
                try await waitUntil { try await backendCount(admin: admin, applicationName: appName) == 0 }
                #expect(pool.statistics.totalClosed == 3)
                // And it grows again on demand.
                #expect(try await pool.query("SELECT 1").count == 1)
                #expect(pool.statistics.open == 1)
            }
        }
    }

    @Test(arguments: [false, true])
    func cancellingAQueryCancelsItOnTheServer(prepared: Bool) async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            if prepared { _ = try await pool.query("SELECT pg_sleep(\(0.0))") }
            let task = Task { try await pool.query("SELECT pg_sleep(\(30.0))") }
            // Cancel once the server runs the statement: a cancel request that reaches the server
            // before the statement does finds nothing to cancel (PQcancel's inherent race).
            let appName = pool.configuration.applicationName
            try await using(try db.adminPool()) { admin in
                try await waitUntil {
                    let r = try await admin.query(
                        """
                        SELECT count(*)::bigint FROM pg_stat_activity
                        WHERE application_name = \(appName) AND state = 'active' AND query LIKE '%pg_sleep%'
                        """)
                    return try r[0].decode(Int.self, column: 0) == 1
                }
            }
            let started = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(ContinuousClock.now - started < .seconds(5))
            guard case .failure(let error) = result else {
                Issue.record("cancelled query succeeded")
                return
            }
            #expect((error as? PGError)?.code == .cancelled)
            // Same connection, still usable.
            #expect(try await pool.query("SELECT 1").count == 1)
            #expect(pool.statistics.totalOpened == 1)
        }
    }

    @Test func cancellingAWaiter() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 1 }) { pool in
            async let holder = pool.query("SELECT pg_sleep(1)")
            try await waitUntil { pool.statistics.open == 1 && pool.statistics.idle == 0 }
            let waiter = Task { try await pool.query("SELECT 1") }
            try await waitUntil { pool.statistics.waiters == 1 }
            waiter.cancel()
            let result = await waiter.result
            guard case .failure(let error) = result else {
                Issue.record("cancelled waiter got a connection")
                return
            }
            #expect((error as? PGError)?.code == .cancelled)
            #expect(pool.statistics.waiters == 0)
            _ = try await holder
        }
    }

    @Test func statisticsAndShutdown() async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool()
        let appName = pool.configuration.applicationName
        try await using(try db.adminPool()) { admin in
            #expect(pool.statistics.open == 0)
            try await pool.withConnection { c in
                let s = pool.statistics
                #expect(s.inUse == 1)
                #expect(s.idle == 0)
                #expect(s.open == 1)
                _ = try await c.query("SELECT 1")
            }
            #expect(pool.statistics.idle == 1)
            #expect(pool.statistics.inUse == 0)
            await pool.shutdown()
            #expect(pool.statistics.open == 0)
            #expect(await pgError { try await pool.query("SELECT 1") }?.code == .poolShutdown)
            try await waitUntil { try await backendCount(admin: admin, applicationName: appName) == 0 }
            await pool.shutdown()  // idempotent
        }
    }

    @Test func shutdownWaitsForLeasedConnections() async throws {
        let db = try TestDatabase.require()
        let pool = try db.pool()
        let task = Task { try await pool.query("SELECT pg_sleep(0.5)") }
        // Connected and running (a connection still being opened when shutdown starts is closed and
        // its acquire fails with .poolShutdown).
        try await waitUntil { pool.statistics.inUse == 1 }
        await pool.shutdown()
        #expect(try await task.value.count == 1)
        #expect(pool.statistics.open == 0)
    }

    @Test func poolDroppedWithoutShutdownClosesItsConnections() async throws {
        let db = try TestDatabase.require()
        var pool: PGPool? = try db.pool()
        let appName = try #require(pool?.configuration.applicationName)
        try await using(try db.adminPool()) { admin in
            _ = try await pool?.query("SELECT 1")
            #expect(try await backendCount(admin: admin, applicationName: appName) == 1)
            pool = nil
            try await waitUntil { try await backendCount(admin: admin, applicationName: appName) == 0 }
        }
    }

    @Test func manyConcurrentStatementsOnTheNonBlockingPath() async throws {
        let db = try TestDatabase.require()
        try await using(try db.pool { $0.maxConnections = 4 }) { pool in
            try await pool.execute("CREATE TABLE nb_path (k int, v text)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        for i in 0..<100 {
                            try await pool.execute("INSERT INTO nb_path VALUES (\(task), \("v\(i)"))")
                        }
                        let n = try await pool.query("SELECT count(*) FROM nb_path WHERE k = \(task)")
                        #expect(try n.rows[0].decode(Int.self, column: 0) == 100)
                    }
                }
                try await group.waitForAll()
            }
            let total = try await pool.query("SELECT count(*), count(DISTINCT v) FROM nb_path")
            let (count, distinct) = try total.rows[0].decode((Int, Int).self)
            #expect(count == 1600)
            #expect(distinct == 100)
        }
    }

    // MARK: Helpers

    private func terminate(admin: PGPool, applicationName: String) async throws {
        let r = try await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(applicationName)")
        #expect(r.count >= 1)
        try await waitUntil { try await backendCount(admin: admin, applicationName: applicationName) == 0 }
        // The backend is gone from pg_stat_activity slightly before its socket is closed.
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// Suspends each caller until `parties` callers have arrived.
actor Barrier {
    private let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) {
        self.parties = parties
    }

    func arriveAndWait() async {
        arrived += 1
        if arrived >= parties {
            for continuation in waiting { continuation.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// Polls `condition` for up to `timeout`.
func waitUntil(
    timeout: Duration = .seconds(10), _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
}

final class Peak: Sendable {
    private let state = Mutex(0)
    func record(_ v: Int) { state.withLock { $0 = max($0, v) } }
    var value: Int { state.withLock { $0 } }
}
