// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ControlPlaneCore
import Testing

/// A deterministic generator so jittered delays are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Worker restart policy")
struct WorkerRestartPolicyTests {
    let t0 = ContinuousClock.now

    @Test func startsAndRestartsWithGrowingJitteredBackoff() {
        var policy = WorkerRestartPolicy()
        var rng = SeededGenerator(state: 1)
        #expect(policy.start() == .start)
        #expect(policy.start() == .none)
        var now = t0
        var delays: [Duration] = []
        for _ in 0..<4 {
            policy.spawned(at: now)
            now += .seconds(20)  // stays up 20 s each time: not stable, and 4 exits in 80 s is no crash loop
            guard case .restart(let delay) = policy.exited(at: now, using: &rng) else {
                Issue.record("expected a restart")
                return
            }
            delays.append(delay)
            #expect(policy.backoffElapsed() == .start)
            now += delay
        }
        // 1 s doubling, each within [nominal/2, nominal].
        for (i, d) in delays.enumerated() {
            let nominal = Duration.seconds(1 << i)
            #expect(d <= nominal && d >= nominal / 2, "attempt \(i): \(d)")
        }
        #expect(policy.restarts == 4)
    }

    @Test func backoffIsCappedAtSixtySeconds() {
        var settings = WorkerRestartPolicy.Settings()
        settings.crashLoopThreshold = 1000
        var policy = WorkerRestartPolicy(settings: settings)
        var rng = SeededGenerator(state: 2)
        _ = policy.start()
        var now = t0
        var last: Duration = .zero
        for _ in 0..<12 {
            policy.spawned(at: now)
            now += .seconds(1)
            if case .restart(let d) = policy.exited(at: now, using: &rng) { last = d }
            _ = policy.backoffElapsed()
        }
        #expect(last <= .seconds(60) && last >= .seconds(30))
    }

    @Test func fiveCrashesInAMinuteIsACrashLoop() {
        var policy = WorkerRestartPolicy()
        var rng = SeededGenerator(state: 3)
        _ = policy.start()
        var now = t0
        var actions: [WorkerRestartPolicy.Action] = []
        for _ in 0..<5 {
            policy.spawned(at: now)
            now += .seconds(2)
            let action = policy.exited(at: now, using: &rng)
            actions.append(action)
            if case .restart(let d) = action {
                now += d
                _ = policy.backoffElapsed()
            }
        }
        #expect(actions.last == .markDegraded(crashes: 5))
        #expect(policy.state == .crashLoop)
        #expect(policy.stateName == "crash_loop")
        // No automatic restart from a crash loop; an operator's start clears it.
        #expect(policy.backoffElapsed() == .none)
        #expect(policy.start() == .start)
    }

    @Test func aWorkerThatStayedUpStartsOverAtOneSecond() {
        var policy = WorkerRestartPolicy()
        var rng = SeededGenerator(state: 4)
        _ = policy.start()
        var now = t0
        for _ in 0..<3 {
            policy.spawned(at: now)
            now += .seconds(1)
            _ = policy.exited(at: now, using: &rng)
            _ = policy.backoffElapsed()
        }
        policy.spawned(at: now)
        now += .seconds(120)
        guard case .restart(let d) = policy.exited(at: now, using: &rng) else {
            Issue.record("expected a restart")
            return
        }
        #expect(d <= .seconds(1))
    }

    @Test func stoppingIsNotACrash() {
        var policy = WorkerRestartPolicy()
        _ = policy.start()
        policy.spawned(at: t0)
        #expect(policy.stop() == .terminate)
        #expect(policy.stateName == "draining")
        #expect(policy.exited(at: t0 + .seconds(1)) == .none)
        #expect(policy.state == .stopped)
    }

    @Test func threeMissedHealthChecksKill() {
        var policy = WorkerRestartPolicy()
        _ = policy.start()
        policy.spawned(at: t0)
        #expect(policy.healthCheckFailed() == .none)
        #expect(policy.healthCheckFailed() == .none)
        policy.healthCheckSucceeded()
        #expect(policy.healthCheckFailed() == .none)
        #expect(policy.healthCheckFailed() == .none)
        #expect(policy.healthCheckFailed() == .kill)
    }
}
