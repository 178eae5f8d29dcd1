// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Redis
import Synchronization

/// Request-rate limits kept in Redis, so every process serving the tenant (a rolling restart runs
/// two workers at once) counts against the same budget: one for the tenant (its plan's rate) and
/// one per API key or user.
///
/// A sliding window over one-second buckets (`t:<slug>:rl:<scope>:<second>`): the estimate is this
/// second's count plus last second's, weighted by how much of last second the window still covers.
/// It never lets more than twice the rate through in any one-second span and needs no script (the
/// tenant's Redis user may not run EVAL): one MULTI with INCR, EXPIRE and GET.
///
/// When Redis fails, each scope falls back to a token bucket in this process with the same rate,
/// rather than letting requests through without a limit; the failure is logged once until Redis
/// answers again.
final class SharedRateLimiter: Sendable {
    /// What the limiter decided for one request.
    struct Decision: Sendable, Equatable {
        var allowed: Bool
        var limit: Int
        /// Requests left in the current window (0 when refused).
        var remaining: Int
        /// Seconds until the window has room again (Retry-After when refused).
        var resetSeconds: Int
        /// The count came from the local fallback, not Redis.
        var local: Bool
    }

    private let redis: RedisClient
    private let keyPrefix: String
    private let logger: Logger
    private let clock: @Sendable () -> Date
    /// The fallback buckets' clock.
    private let monotonic: @Sendable () -> ContinuousClock.Instant
    private let fallback = Mutex<[String: RateLimiter]>([:])
    private let redisFailing = Atomic<Bool>(false)

    init(
        redis: RedisClient, slug: String, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
        monotonic: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.redis = redis
        self.keyPrefix = "t:\(slug):rl:"
        self.logger = logger
        self.clock = clock
        self.monotonic = monotonic
    }

    /// Counts one request against `scope` (e.g. `tenant`, `key:<id>`) allowing `limit` per second.
    func check(scope: String, limit: Int) async -> Decision {
        let now = clock().timeIntervalSince1970
        let second = Int64(now.rounded(.down))
        let elapsed = now - Double(second)
        let current = keyPrefix + scope + ":" + String(second)
        let previous = keyPrefix + scope + ":" + String(second - 1)
        do {
            let replies = try await redis.transaction([
                ["INCR", current], ["EXPIRE", current, "3"], ["GET", previous],
            ])
            guard replies.count == 3, case .integer(let count) = replies[0] else {
                throw SharedRateLimiterFailure(description: "unexpected reply to INCR: \(replies)")
            }
            let before = replies[2].string.flatMap { Int($0) } ?? 0
            if redisFailing.exchange(false, ordering: .relaxed) {
                logger.notice("API rate limits are counted in Redis again")
            }
            // The window covers (1 - elapsed) of last second.
            let estimate = Double(before) * (1 - elapsed) + Double(count)
            let allowed = estimate <= Double(limit)
            return Decision(
                allowed: allowed, limit: limit, remaining: max(0, limit - Int(estimate.rounded(.up))),
                resetSeconds: 1, local: false)
        } catch {
            if !redisFailing.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "Redis does not answer; API rate limits are counted in this process until it does",
                    metadata: ["error": "\(error)"])
            }
            return localCheck(scope: scope, limit: limit)
        }
    }

    private func localCheck(scope: String, limit: Int) -> Decision {
        let bucket = fallback.withLock { buckets in
            if let existing = buckets[scope], existing.perSecond == limit { return existing }
            let made = RateLimiter(perSecond: limit, now: monotonic())
            buckets[scope] = made
            return made
        }
        if let retryAfter = bucket.take(now: monotonic()) {
            return Decision(allowed: false, limit: limit, remaining: 0, resetSeconds: retryAfter, local: true)
        }
        return Decision(allowed: true, limit: limit, remaining: max(0, bucket.available), resetSeconds: 1, local: true)
    }
}

struct SharedRateLimiterFailure: Error, CustomStringConvertible {
    let description: String
}
