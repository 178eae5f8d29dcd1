// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// A token bucket in this process (requests per second, with a burst of one second's worth): what
/// ``SharedRateLimiter`` falls back to while Redis does not answer.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Int
    private let bucket: Mutex<Bucket>

    init(perSecond: Int, now: ContinuousClock.Instant = .now) {
        self.perSecond = perSecond
        self.bucket = Mutex(Bucket(tokens: Double(perSecond), updated: now))
    }

    /// Whole tokens left now (without refilling).
    var available: Int { bucket.withLock { Int($0.tokens) } }

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

/// 429 with `Retry-After` (RFC 6585) once the tenant's rate is spent, and the RateLimit header
/// fields (draft-ietf-httpapi-ratelimit-headers: limit, remaining, reset) on every answer.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = TenantRequestContext

    let limiter: SharedRateLimiter
    /// The plan's API requests per second.
    let perSecond: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var decision = await limiter.check(scope: "tenant", limit: perSecond)
        var whose = "this tenant's plan allows \(perSecond)"
        // A key with a budget of its own is held to it as well (one integrator cannot use up the
        // whole tenant's rate); the stricter answer is the one reported.
        if decision.allowed, let caller = context.principal, let own = caller.requestsPerSecond {
            let personal = await limiter.check(scope: caller.rateScope, limit: own)
            if !personal.allowed || personal.remaining < decision.remaining {
                decision = personal
                whose = "this API key allows \(own)"
            }
        }
        var fields: HTTPFields = [
            Self.limitField: "\(decision.limit)", Self.remainingField: "\(decision.remaining)",
            Self.resetField: "\(decision.resetSeconds)", Self.policyField: "\(decision.limit);w=1",
        ]
        guard decision.allowed else {
            fields[.retryAfter] = "\(decision.resetSeconds)"
            throw ProblemDocument(
                status: .tooManyRequests,
                detail: "\(whose) API requests per second; retry in \(decision.resetSeconds) s",
                headers: fields)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: fields)
        return response
    }

    static var limitField: HTTPField.Name { HTTPField.Name("RateLimit-Limit")! }
    static var remainingField: HTTPField.Name { HTTPField.Name("RateLimit-Remaining")! }
    static var resetField: HTTPField.Name { HTTPField.Name("RateLimit-Reset")! }
    static var policyField: HTTPField.Name { HTTPField.Name("RateLimit-Policy")! }
}
