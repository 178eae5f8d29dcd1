// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import WorkerCore

@Suite("API rate limiter")
struct RateLimiterTests {
    @Test func aBurstOfOneSecondThenTheRate() {
        let limiter = RateLimiter(perSecond: 4)
        let start = ContinuousClock.now
        for _ in 0..<4 { #expect(limiter.take(now: start) == nil) }
        #expect(limiter.take(now: start) == 1)
        // A quarter second later one token is back.
        #expect(limiter.take(now: start + .milliseconds(250)) == nil)
        #expect(limiter.take(now: start + .milliseconds(250)) != nil)
        // Idle time refills to the burst, never beyond it.
        let later = start + .seconds(10)
        for _ in 0..<4 { #expect(limiter.take(now: later) == nil) }
        #expect(limiter.take(now: later) != nil)
    }
}
