// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Exponential backoff with full jitter ("Exponential Backoff And Jitter"): the n-th delay is
/// drawn uniformly from [base·2^n / 2, min(cap, base·2^n)], so a fleet of clients that lost the same
/// server does not come back in lock-step, yet no client retries sooner than half the nominal delay.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    public private(set) var attempt: Int = 0

    public init(base: Duration = .milliseconds(250), cap: Duration = .seconds(30)) {
        self.base = base
        self.cap = cap
    }

    /// The nominal (un-jittered) delay for the current attempt.
    public var nominal: Duration {
        let factor = 1 << min(attempt, 30)
        let raw = base * factor
        return raw > cap ? cap : raw
    }

    /// Returns the delay before the next attempt and advances the attempt counter.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let high = nominal
        attempt += 1
        let highNanos = high.nanoseconds
        let lowNanos = highNanos / 2
        guard highNanos > lowNanos else { return high }
        return .nanoseconds(Int64.random(in: lowNanos...highNanos, using: &generator))
    }

    public mutating func next() -> Duration {
        var g = SystemRandomNumberGenerator()
        return next(using: &g)
    }

    public mutating func reset() { attempt = 0 }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    public var nanoseconds: Int64 {
        let (s, a) = components
        let (mul, o1) = s.multipliedReportingOverflow(by: 1_000_000_000)
        if o1 { return s < 0 ? .min : .max }
        let (sum, o2) = mul.addingReportingOverflow(a / 1_000_000_000)
        return o2 ? .max : sum
    }

    /// Seconds as a Double, for log lines and metrics.
    public var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
