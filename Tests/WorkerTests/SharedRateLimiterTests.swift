// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Redis
import Synchronization
import TestSupport
import Testing

@testable import WorkerCore

/// The API rate limits in Redis, as a tenant's own ACL user (keys `t:<slug>:*`, no scripting).
@Suite("API rate limits in Redis")
struct SharedRateLimiterTests {
    /// A clock the test moves by hand.
    final class TestClock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_900_000_000))
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    /// A Redis client for a fresh ACL user limited to `t:<slug>:*`, as the control plane makes it.
    func tenantRedis(slug: String) async throws -> RedisClient {
        let admin = RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.redisPort(),
                username: try TestEnvironment.redisAdminUser(), password: try TestEnvironment.redisAdminPassword()),
            logger: Logger(label: "test"))
        let user = "rl_\(slug)"
        let password = "p-\(TestEnvironment.uniqueSuffix())"
        try await admin.aclSetUser(user, password: password, keyPatterns: ["t:\(slug):*"], channelPatterns: [])
        await admin.shutdown()
        return RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.redisPort(), username: user, password: password),
            logger: Logger(label: "test"))
    }

    @Test func theRateHoldsAcrossProcessesSharingRedis() async throws {
        let slug = "rl\(TestEnvironment.uniqueSuffix().prefix(8))"
        let clock = TestClock()
        let redis = try await tenantRedis(slug: slug)
        defer { Task { await redis.shutdown() } }
        // Two limiters stand for the old and new worker of a rolling restart.
        let old = SharedRateLimiter(redis: redis, slug: slug, logger: Logger(label: "test"), clock: clock.read)
        let new = SharedRateLimiter(redis: redis, slug: slug, logger: Logger(label: "test"), clock: clock.read)
        clock.advance(0.999)  // the end of a second: last second's weight is ~0
        var allowed = 0
        for index in 0..<10 {
            let decision = await (index.isMultiple(of: 2) ? old : new).check(scope: "tenant", limit: 6)
            #expect(!decision.local)
            if decision.allowed { allowed += 1 }
        }
        #expect(allowed == 6)
        let refused = await old.check(scope: "tenant", limit: 6)
        #expect(!refused.allowed && refused.remaining == 0 && refused.resetSeconds >= 1)
        // Another scope (an API key) has its own budget.
        #expect(await new.check(scope: "key:k1", limit: 6).allowed)
        // Half a second into the next second, half of last second's 11 requests still count.
        clock.advance(0.501)
        let halfway = await old.check(scope: "tenant", limit: 6)
        #expect(!halfway.allowed)
        // Two seconds on, the window is empty again.
        clock.advance(2)
        let later = await new.check(scope: "tenant", limit: 6)
        #expect(later.allowed && later.remaining == 5)
    }

    @Test func withoutRedisTheLimitIsKeptInTheProcess() async throws {
        let slug = "rl\(TestEnvironment.uniqueSuffix().prefix(8))"
        // Nothing listens on this port: every Redis call fails.
        let dead = RedisClient(
            configuration: RedisConfiguration(host: "127.0.0.1", port: 1, username: "nobody", password: "x"),
            logger: Logger(label: "test"))
        defer { Task { await dead.shutdown() } }
        // The fallback's clock stands still: failed connection attempts take time of their own.
        let instant = ContinuousClock.now
        let limiter = SharedRateLimiter(redis: dead, slug: slug, logger: Logger(label: "test"), monotonic: { instant })
        var decisions: [SharedRateLimiter.Decision] = []
        for _ in 0..<5 { decisions.append(await limiter.check(scope: "tenant", limit: 3)) }
        #expect(decisions.allSatisfy { $0.local })
        #expect(decisions.map(\.allowed) == [true, true, true, false, false])
        #expect(decisions[3].resetSeconds >= 1)
    }
}
