// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The plan's API request rate for this tenant, as a token bucket in the worker (requests per
/// second, with a burst of one second's worth). Each tenant has its own worker, so an in-process
/// bucket is exact for the tenant; per-key limits shared across hosts come with the identity work.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Int
    private let bucket: Mutex<Bucket>

    init(perSecond: Int) {
        self.perSecond = perSecond
        self.bucket = Mutex(Bucket(tokens: Double(perSecond), updated: .now))
    }

    /// Takes one token; returns nil when allowed, else the seconds until one is available.
    func take(now: ContinuousClock.Instant = .now) -> Int? {
        bucket.withLock { b in
            let elapsed = now - b.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            b.tokens = min(Double(perSecond), b.tokens + seconds * Double(perSecond))
            b.updated = now
            if b.tokens >= 1 {
                b.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - b.tokens) / Double(perSecond)).rounded(.up)))
        }
    }
}

/// 429 with `Retry-After` (RFC 6585) and the RateLimit header fields once the tenant's rate is spent.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: RateLimiter

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if let retryAfter = limiter.take() {
            throw ProblemDocument(
                status: .tooManyRequests,
                detail:
                    "this tenant's plan allows \(limiter.perSecond) API requests per second; retry in \(retryAfter) s",
                headers: [
                    .retryAfter: "\(retryAfter)",
                    HTTPField.Name("RateLimit-Policy")!: "\(limiter.perSecond);w=1",
                ])
        }
        return try await next(request, context)
    }
}
