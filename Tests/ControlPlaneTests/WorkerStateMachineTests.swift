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

typealias Machine = WorkerStateMachine
typealias Action = WorkerStateMachine.Action

@Suite("Worker state machine")
struct WorkerStateMachineTests {
    let t0 = ContinuousClock.now

    /// A machine whose generation 1 answered health checks at `t0`.
    func running(_ settings: Machine.Settings = .init()) -> Machine {
        var m = Machine(settings: settings)
        _ = m.start(at: t0)
        _ = m.healthCheck(generation: 1, answered: true, at: t0)
        return m
    }

    // MARK: Start and health

    @Test func startSpawnsAndAnsweringRoutes() {
        var m = Machine()
        #expect(m.stateName == "stopped")
        #expect(m.start(at: t0) == [.spawn(generation: 1)])
        #expect(m.stateName == "starting")
        #expect(m.start(at: t0) == [])
        #expect(m.routed == nil)
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(1)) == [])
        #expect(m.healthCheckFailures == 0, "a starting worker's misses are not failures")
        #expect(m.healthCheck(generation: 7, answered: true, at: t0) == [], "another generation's answer")
        #expect(m.healthCheck(generation: 1, answered: true, at: t0 + .seconds(1)) == [.route(generation: 1)])
        #expect(m.stateName == "running")
        #expect(m.routed == 1)
        #expect(m.start(at: t0) == [])
    }

    @Test func aWorkerThatNeverAnswersIsKilledAfterTheStartTimeout() {
        var m = Machine()
        _ = m.start(at: t0)
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(29)) == [])
        #expect(
            m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(30))
                == [.kill(generation: 1, reason: .startTimeout)])
        // Its exit is a crash: restarted at once.
        #expect(m.exited(generation: 1, at: t0 + .seconds(30)) == [.spawn(generation: 2)])
    }

    @Test func threeMissedHealthChecksInARowKill() {
        var m = running()
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(2)) == [])
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(4)) == [])
        #expect(m.healthCheck(generation: 1, answered: true, at: t0 + .seconds(6)) == [])
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(8)) == [])
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(10)) == [])
        #expect(
            m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(12))
                == [.kill(generation: 1, reason: .unresponsive(missedChecks: 3))])
        #expect(m.healthCheckFailures == 5)
        // The kill ends in an exit, a crash like any other: the route goes, a new worker starts.
        #expect(m.exited(generation: 1, at: t0 + .seconds(12)) == [.unroute, .spawn(generation: 2)])
    }

    // MARK: Backoff

    @Test func firstRestartImmediateThenOneSecondDoublingCappedAtSixty() {
        var settings = Machine.Settings()
        settings.crashLoopThreshold = 1000
        var m = Machine(settings: settings)
        _ = m.start(at: t0)
        var rng = SeededGenerator(state: 1)
        var now = t0
        var nominal: [Duration] = []
        for _ in 0..<10 {
            nominal.append(m.nominalDelay)
            now += .seconds(1)
            let actions = m.exited(generation: m.currentGenerations.first ?? -1, at: now, using: &rng)
            switch actions.last {
            case .spawn: #expect(nominal.last == .zero)
            case .scheduleRestart(let delay, let token):
                #expect(delay >= .zero && delay <= nominal.last ?? .zero, "full jitter within [0, nominal]")
                now += delay
                #expect(m.backoffElapsed(token: token, at: now).count == 1)
            default: Issue.record("unexpected \(actions)")
            }
        }
        #expect(
            nominal == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) }, "nominal delays: \(nominal)")
        #expect(m.restarts == 10)
    }

    @Test func jitterIsFullNotEqual() {
        // Full jitter draws from [0, nominal]: over many draws some fall below half the nominal delay.
        var below = 0
        for seed in 0..<50 {
            var m = Machine()
            var rng = SeededGenerator(state: UInt64(seed))
            _ = m.start(at: t0)
            _ = m.exited(generation: 1, at: t0, using: &rng)  // immediate
            guard case .scheduleRestart(let delay, _) = m.exited(generation: 2, at: t0, using: &rng).last else {
                Issue.record("expected a scheduled restart")
                return
            }
            #expect(delay <= .seconds(1))
            if delay < .milliseconds(500) { below += 1 }
        }
        #expect(below > 10 && below < 40, "\(below) of 50 below half")
    }

    @Test func tenMinutesHealthyStartsTheBackoffOver() {
        var m = running()
        var rng = SeededGenerator(state: 4)
        _ = m.exited(generation: 1, at: t0 + .seconds(5), using: &rng)  // immediate → gen 2
        _ = m.healthCheck(generation: 2, answered: true, at: t0 + .seconds(6))
        #expect(m.backoffAttempt == 1)
        // Nine minutes up: not yet.
        _ = m.healthCheck(generation: 2, answered: true, at: t0 + .seconds(6 + 540))
        #expect(m.backoffAttempt == 1)
        // Ten minutes: the next crash restarts at once again.
        _ = m.healthCheck(generation: 2, answered: true, at: t0 + .seconds(6 + 600))
        #expect(m.backoffAttempt == 0)
        #expect(m.exited(generation: 2, at: t0 + .seconds(700), using: &rng) == [.unroute, .spawn(generation: 3)])
    }

    @Test func aCrashAfterTenMinutesUpIsImmediateEvenWithoutAHealthCheckInBetween() {
        var m = running()
        var rng = SeededGenerator(state: 5)
        _ = m.exited(generation: 1, at: t0 + .seconds(1), using: &rng)
        _ = m.healthCheck(generation: 2, answered: true, at: t0 + .seconds(2))
        #expect(m.exited(generation: 2, at: t0 + .seconds(2 + 600), using: &rng) == [.unroute, .spawn(generation: 3)])
    }

    @Test func aStaleBackoffTimerDoesNothing() {
        var m = running()
        var rng = SeededGenerator(state: 6)
        _ = m.exited(generation: 1, at: t0, using: &rng)
        guard case .scheduleRestart(_, let token) = m.exited(generation: 2, at: t0, using: &rng).last else {
            Issue.record("expected a scheduled restart")
            return
        }
        #expect(m.drain() == [])
        #expect(m.stateName == "stopped")
        #expect(m.backoffElapsed(token: token, at: t0 + .seconds(1)) == [])
        _ = m.start(at: t0 + .seconds(2))
        #expect(m.backoffElapsed(token: token, at: t0 + .seconds(3)) == [])
        #expect(m.stateName == "starting")
    }

    // MARK: Crash loop

    @Test func fiveCrashesWithinAMinuteIsACrashLoop() {
        var m = running()
        var rng = SeededGenerator(state: 3)
        var now = t0
        var last: [Action] = []
        for crash in 1...5 {
            now += .seconds(5)
            last = m.exited(generation: m.currentGenerations.first ?? -1, at: now, using: &rng)
            if crash < 5, case .scheduleRestart(let delay, let token) = last.last {
                now += delay
                _ = m.backoffElapsed(token: token, at: now)
            }
        }
        #expect(last.last == .enterCrashLoop(crashes: 5))
        #expect(m.stateName == "crash_loop")
        #expect(m.crashLoops == 1)
        #expect(m.currentGenerations.isEmpty)
        // No automatic or casual restart out of it.
        #expect(m.start(at: now) == [])
        #expect(m.restart(at: now) == [])
        #expect(m.backoffElapsed(token: 0, at: now + .seconds(600)) == [])
        // An operator's resume starts over: crash history and backoff forgotten.
        let generation = m.nextGeneration
        #expect(m.resume(at: now + .seconds(1)) == [.spawn(generation: generation)])
        #expect(m.backoffAttempt == 0)
        #expect(
            m.exited(generation: generation, at: now + .seconds(2), using: &rng) == [.spawn(generation: generation + 1)]
        )
    }

    @Test func fiveCrashesSpreadOverMoreThanAMinuteAreNoCrashLoop() {
        var m = running()
        var rng = SeededGenerator(state: 8)
        var now = t0
        for _ in 1...8 {
            now += .seconds(16)
            let actions = m.exited(generation: m.currentGenerations.first ?? -1, at: now, using: &rng)
            #expect(!actions.contains { if case .enterCrashLoop = $0 { true } else { false } })
            if case .scheduleRestart(let delay, let token) = actions.last {
                now += delay
                _ = m.backoffElapsed(token: token, at: now)
            }
        }
        #expect(m.crashLoops == 0)
    }

    @Test func aWorkerThatCannotBeSpawnedCountsAsACrash() {
        var m = Machine()
        _ = m.start(at: t0)
        #expect(m.spawnFailed(generation: 1, at: t0) == [.spawn(generation: 2)])
        #expect(m.restarts == 1)
    }

    // MARK: Drain

    @Test func drainTerminatesThenKillsAfterTheStopTimeout() {
        var m = running()
        #expect(m.drain() == [.unroute, .terminate(generation: 1)])
        #expect(m.stateName == "draining")
        #expect(m.routed == nil)
        #expect(m.drain() == [])
        #expect(m.healthCheck(generation: 1, answered: false, at: t0 + .seconds(60)) == [])
        #expect(m.stopTimeoutElapsed(generation: 1) == [.kill(generation: 1, reason: .stopTimeout)])
        #expect(m.exited(generation: 1, at: t0 + .seconds(16)) == [])
        #expect(m.stateName == "stopped")
        #expect(m.restarts == 0, "a drained worker's exit is no crash")
        #expect(m.stopTimeoutElapsed(generation: 1) == [])
    }

    @Test func drainFromEveryState() {
        var starting = Machine()
        _ = starting.start(at: t0)
        #expect(starting.drain() == [.terminate(generation: 1)], "not routed yet: nothing to unroute")

        var backingOff = running()
        var rng = SeededGenerator(state: 9)
        _ = backingOff.exited(generation: 1, at: t0, using: &rng)
        _ = backingOff.exited(generation: 2, at: t0, using: &rng)
        #expect(backingOff.stateName == "backing_off")
        #expect(backingOff.drain() == [])
        #expect(backingOff.stateName == "stopped")

        var loop = crashLooping()
        #expect(loop.drain() == [])
        #expect(loop.stateName == "stopped")

        var stopped = Machine()
        #expect(stopped.drain() == [])
    }

    @Test func startWhileDrainingRunsANewGenerationBesideTheDrainingOne() {
        var m = running()
        _ = m.drain()
        #expect(m.start(at: t0 + .seconds(1)) == [.spawn(generation: 2)])
        #expect(m.retiring == [1])
        #expect(m.exited(generation: 1, at: t0 + .seconds(2)) == [])
        #expect(m.stateName == "starting")
        #expect(m.healthCheck(generation: 2, answered: true, at: t0 + .seconds(2)) == [.route(generation: 2)])
    }

    // MARK: Rolling restart

    @Test func rollingRestartSwitchesWhenTheNewWorkerIsReady() {
        var m = running()
        #expect(m.restart(at: t0 + .seconds(10)) == [.spawn(generation: 2)])
        #expect(m.stateName == "running")
        #expect(m.routed == 1)
        #expect(m.restart(at: t0 + .seconds(10)) == [], "one rolling restart at a time")
        #expect(m.healthCheck(generation: 2, answered: false, at: t0 + .seconds(11)) == [])
        #expect(m.healthCheck(generation: 1, answered: true, at: t0 + .seconds(11)) == [])
        // Answering while its database or Redis is not ready yet is not enough to take over.
        #expect(m.healthCheck(generation: 2, answered: true, ready: false, at: t0 + .seconds(11)) == [])
        #expect(m.routed == 1)
        #expect(
            m.healthCheck(generation: 2, answered: true, ready: true, at: t0 + .seconds(12))
                == [.route(generation: 2), .terminate(generation: 1)])
        #expect(m.routed == 2)
        #expect(m.retiring == [1])
        #expect(m.exited(generation: 1, at: t0 + .seconds(13)) == [])
        #expect(m.restarts == 0)
        #expect(m.currentGenerations == [2])
    }

    @Test func aFailedReplacementLeavesTheOldWorkerServing() {
        var m = running()
        _ = m.restart(at: t0)
        #expect(m.exited(generation: 2, at: t0 + .seconds(1)) == [.replacementFailed(generation: 2)])
        #expect(m.routed == 1)
        #expect(m.currentGenerations == [1])
        #expect(m.restarts == 0)

        _ = m.restart(at: t0 + .seconds(2))
        #expect(
            m.healthCheck(generation: 3, answered: false, at: t0 + .seconds(32))
                == [.kill(generation: 3, reason: .startTimeout)])
        #expect(m.exited(generation: 3, at: t0 + .seconds(32)) == [.replacementFailed(generation: 3)])
    }

    @Test func theOldWorkerDyingMidRollLeavesTheNewOneStarting() {
        var m = running()
        _ = m.restart(at: t0)
        #expect(m.exited(generation: 1, at: t0 + .seconds(1)) == [.unroute])
        #expect(m.stateName == "starting")
        #expect(m.healthCheck(generation: 2, answered: true, at: t0 + .seconds(2)) == [.route(generation: 2)])
    }

    @Test func drainMidRollTerminatesBoth() {
        var m = running()
        _ = m.restart(at: t0)
        #expect(m.drain() == [.unroute, .terminate(generation: 1), .terminate(generation: 2)])
        #expect(m.exited(generation: 2, at: t0) == [])
        #expect(m.stateName == "draining")
        #expect(m.exited(generation: 1, at: t0) == [])
        #expect(m.stateName == "stopped")
    }

    @Test func restartOutsideRunning() {
        var stopped = Machine()
        #expect(stopped.restart(at: t0) == [])
        var starting = Machine()
        _ = starting.start(at: t0)
        #expect(starting.restart(at: t0) == [])
        var backingOff = running()
        var rng = SeededGenerator(state: 10)
        _ = backingOff.exited(generation: 1, at: t0, using: &rng)
        _ = backingOff.exited(generation: 2, at: t0, using: &rng)
        #expect(backingOff.restart(at: t0) == [.spawn(generation: 3)], "an operator's restart skips the wait")
    }

    // MARK: Adoption

    @Test func adoptionRoutesTheFoundWorkerAndRetiresTheOthers() {
        var m = Machine(nextGeneration: 1)
        #expect(m.adopt(generation: 7, at: t0) == [.route(generation: 7)])
        #expect(m.stateName == "running")
        #expect(m.nextGeneration == 8)
        #expect(m.retireAdopted(generation: 9) == [.terminate(generation: 9)])
        #expect(m.nextGeneration == 10)
        #expect(m.retireAdopted(generation: 9) == [])
        #expect(m.retireAdopted(generation: 7) == [], "the serving worker is not retired")
        #expect(m.adopt(generation: 3, at: t0) == [], "only from stopped")
        #expect(m.exited(generation: 9, at: t0) == [])
        // An adopted worker that dies is restarted like any other.
        #expect(m.exited(generation: 7, at: t0) == [.unroute, .spawn(generation: 10)])
    }

    // MARK: Exhaustive: every event in every state keeps the invariants

    func crashLooping() -> Machine {
        var m = running()
        var rng = SeededGenerator(state: 11)
        for _ in 0..<5 {
            let actions = m.exited(generation: m.currentGenerations.first ?? -1, at: t0, using: &rng)
            if case .scheduleRestart(_, let token) = actions.last { _ = m.backoffElapsed(token: token, at: t0) }
        }
        return m
    }

    /// One machine in each state.
    func machinesInEveryState() -> [String: Machine] {
        var result: [String: Machine] = [:]
        result["stopped"] = Machine()
        var starting = Machine()
        _ = starting.start(at: t0)
        result["starting"] = starting
        result["running"] = running()
        var replacing = running()
        _ = replacing.restart(at: t0)
        result["replacing"] = replacing
        var backingOff = running()
        var rng = SeededGenerator(state: 12)
        _ = backingOff.exited(generation: 1, at: t0, using: &rng)
        _ = backingOff.exited(generation: 2, at: t0, using: &rng)
        result["backing_off"] = backingOff
        result["crash_loop"] = crashLooping()
        var draining = running()
        _ = draining.drain()
        result["draining"] = draining
        return result
    }

    func check(_ m: Machine, _ context: String) {
        let current = Set(m.currentGenerations)
        #expect(current.isDisjoint(with: m.retiring), "\(context): retiring and current overlap")
        if let routed = m.routed { #expect(current.contains(routed), "\(context): routed \(routed) not current") }
        switch m.state {
        case .running, .replacing: #expect(m.routed != nil, "\(context): serving without a route")
        default: #expect(m.routed == nil, "\(context): a route without a serving worker")
        }
        if case .draining = m.state { #expect(!m.retiring.isEmpty, "\(context): draining nothing") }
        #expect(current.allSatisfy { $0 < m.nextGeneration }, "\(context): generation reused")
        #expect(Machine.stateNames.contains(m.stateName))
    }

    @Test func everyEventInEveryStateKeepsTheInvariants() {
        let later = t0 + .seconds(3600)
        let events: [(String, (inout Machine) -> [Action])] = [
            ("start", { $0.start(at: later) }),
            ("resume", { $0.resume(at: later) }),
            ("restart", { $0.restart(at: later) }),
            ("drain", { $0.drain() }),
            ("adopt", { $0.adopt(generation: 40, at: later) }),
            ("retireAdopted", { $0.retireAdopted(generation: 41) }),
            ("answer 1", { $0.healthCheck(generation: 1, answered: true, at: later) }),
            ("answer 2", { $0.healthCheck(generation: 2, answered: true, at: later) }),
            ("miss 1", { $0.healthCheck(generation: 1, answered: false, at: later) }),
            ("miss 2", { $0.healthCheck(generation: 2, answered: false, at: later) }),
            ("exit 1", { $0.exited(generation: 1, at: later) }),
            ("exit 2", { $0.exited(generation: 2, at: later) }),
            ("exit 99", { $0.exited(generation: 99, at: later) }),
            ("spawnFailed 2", { $0.spawnFailed(generation: 2, at: later) }),
            ("backoffElapsed", { $0.backoffElapsed(token: 2, at: later) }),
            ("stopTimeout 1", { $0.stopTimeoutElapsed(generation: 1) }),
        ]
        var transitions = 0
        for (name, machine) in machinesInEveryState().sorted(by: { $0.key < $1.key }) {
            check(machine, name)
            for (event, apply) in events {
                var m = machine
                let actions = apply(&m)
                check(m, "\(name) + \(event)")
                // Every spawn uses a fresh generation, every route names a live one.
                for case .spawn(let g) in actions { #expect(!machine.currentGenerations.contains(g)) }
                for case .route(let g) in actions { #expect(m.currentGenerations.contains(g)) }
                // A second event of the same kind is harmless too.
                _ = apply(&m)
                check(m, "\(name) + \(event) twice")
                transitions += 1
            }
        }
        #expect(transitions == 7 * events.count)
    }

    @Test func stateNames() {
        let names = machinesInEveryState().mapValues(\.stateName)
        #expect(names["replacing"] == "running")
        #expect(names["backing_off"] == "backing_off")
        #expect(names["crash_loop"] == "crash_loop")
        #expect(names["draining"] == "draining")
        #expect(Set(names.values) == Set(Machine.stateNames))
    }
}
