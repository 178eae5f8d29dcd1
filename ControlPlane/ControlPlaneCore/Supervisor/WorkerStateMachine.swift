// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common

/// The life of one tenant's worker as a state machine: it decides, the supervisor's I/O shell
/// (`WorkerSupervisor`) carries out the actions it returns. It never touches a process, a clock or a
/// socket, so every transition is unit-tested without processes.
///
/// Every process the machine asks for gets a new *generation* number. A generation names one
/// process and its sockets (`<slug>.<generation>.sock`, `.handover`), so a rolling restart can run
/// the new worker beside the old one and switch the router over only when the new one answers.
///
/// Policy (issue 5, supervisor):
/// - a worker that exits (or is killed) while starting or running is restarted: the first restart
///   at once, then after 1 s doubling up to 60 s, each drawn with full jitter (uniformly from zero
///   to the nominal delay) so that many workers that died together do not come back in lock-step;
///   the count starts over once a worker has answered health checks for 10 minutes;
/// - 5 such exits within 60 s are a crash loop: no more automatic restarts until an operator
///   resumes the tenant;
/// - a running worker that misses 3 health checks in a row is killed (and so restarted); a worker
///   that has not answered at all within the start timeout is killed the same way;
/// - drain (suspend, delete, shutdown) sends SIGTERM and SIGKILL after the stop timeout; a drained
///   worker's exit is not a crash.
public struct WorkerStateMachine: Sendable {
    public struct Settings: Sendable, Equatable {
        /// The second restart's nominal delay; each later one doubles it (the first is immediate).
        public var initialBackoff: Duration = .seconds(1)
        public var maxBackoff: Duration = .seconds(60)
        /// A worker that has answered health checks this long starts over with an immediate restart.
        public var backoffResetAfter: Duration = .seconds(600)
        public var crashLoopThreshold = 5
        public var crashLoopWindow: Duration = .seconds(60)
        public var missedHealthChecksBeforeKill = 3
        /// A worker that has not answered one health check this long after its spawn is killed.
        public var startTimeout: Duration = .seconds(30)
        public init() {}
    }

    /// One process of this tenant, named by its generation.
    public struct Worker: Sendable, Equatable {
        public var generation: Int
        public var spawnedAt: ContinuousClock.Instant
        public init(generation: Int, spawnedAt: ContinuousClock.Instant) {
            self.generation = generation
            self.spawnedAt = spawnedAt
        }
    }

    public enum State: Sendable, Equatable {
        /// No worker, none wanted.
        case stopped
        /// A worker was spawned and has not answered a health check yet.
        case starting(Worker)
        /// The worker answers health checks and receives the tenant's connections.
        case running(Worker, since: ContinuousClock.Instant)
        /// Rolling restart: `old` keeps serving while `new` starts; `new` takes over when it answers.
        case replacing(old: Worker, since: ContinuousClock.Instant, new: Worker)
        /// Waiting before the next restart.
        case backingOff(until: ContinuousClock.Instant)
        /// Too many crashes: no automatic restart until `resume`.
        case crashLoop(since: ContinuousClock.Instant)
        /// Stopping: every remaining process was sent SIGTERM; `stopped` once they are all gone.
        case draining
    }

    public enum KillReason: Sendable, Equatable {
        /// It missed this many health checks in a row.
        case unresponsive(missedChecks: Int)
        /// It never answered a health check within the start timeout.
        case startTimeout
        /// It did not exit within the stop timeout after SIGTERM.
        case stopTimeout
    }

    public enum Action: Sendable, Equatable {
        /// Spawn a worker process for this generation.
        case spawn(generation: Int)
        /// Hand the tenant's connections to this generation from now on.
        case route(generation: Int)
        /// No worker can take connections (the router answers 503).
        case unroute
        /// Send SIGTERM (the worker drains and exits), then call `stopTimeoutElapsed` after the stop timeout.
        case terminate(generation: Int)
        /// Send SIGKILL.
        case kill(generation: Int, reason: KillReason)
        /// Call `backoffElapsed(token:)` after this delay.
        case scheduleRestart(after: Duration, token: Int)
        /// The tenant is crash-looping: log an error and count it; restarts stop until `resume`.
        case enterCrashLoop(crashes: Int)
        /// A rolling restart's new worker died or never answered; the old one keeps serving.
        case replacementFailed(generation: Int)
    }

    public let settings: Settings
    public private(set) var state: State = .stopped
    /// The generation the next spawn gets.
    public private(set) var nextGeneration: Int
    /// The generation receiving connections, if any.
    public private(set) var routed: Int?
    /// Processes that were sent SIGTERM and have not exited yet (drained or replaced).
    public private(set) var retiring: Set<Int> = []
    /// Automatic restarts after a crash, since this machine was made.
    public private(set) var restarts = 0
    /// Crash loops entered, since this machine was made.
    public private(set) var crashLoops = 0
    /// Health checks that got no answer, since this machine was made.
    public private(set) var healthCheckFailures = 0
    /// Restarts since the worker was last healthy for `backoffResetAfter` (0: the next one is immediate).
    public private(set) var backoffAttempt = 0
    private var crashes: [ContinuousClock.Instant] = []
    private var missedHealthChecks = 0
    private var restartToken = 0

    public init(settings: Settings = Settings(), nextGeneration: Int = 1) {
        self.settings = settings
        self.nextGeneration = max(1, nextGeneration)
    }

    // MARK: - Operator and start-up events

    /// Start-up, provisioning or an operator wants the worker running. A crash loop needs `resume`.
    public mutating func start(at now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .stopped, .draining:
            // A worker still draining keeps its own sockets; the new generation gets new ones.
            forgetCrashes()
            return spawn(at: now)
        case .starting, .running, .replacing, .backingOff, .crashLoop:
            return []
        }
    }

    /// An operator resumes a crash-looping (or stopped) tenant: crash history and backoff start over.
    public mutating func resume(at now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .crashLoop:
            forgetCrashes()
            return spawn(at: now)
        case .stopped, .draining, .starting, .running, .replacing, .backingOff:
            return start(at: now)
        }
    }

    /// A worker found running by a new control plane (its pid file named it and its control socket
    /// answered for this tenant) becomes this tenant's serving worker. Only from `stopped`.
    public mutating func adopt(generation: Int, at now: ContinuousClock.Instant) -> [Action] {
        guard case .stopped = state else { return [] }
        nextGeneration = max(nextGeneration, generation + 1)
        state = .running(Worker(generation: generation, spawnedAt: now), since: now)
        missedHealthChecks = 0
        routed = generation
        return [.route(generation: generation)]
    }

    /// Another verified worker of this tenant found at start-up (a rolling restart cut short by the
    /// previous control plane's death): drain it.
    public mutating func retireAdopted(generation: Int) -> [Action] {
        nextGeneration = max(nextGeneration, generation + 1)
        guard !retiring.contains(generation), generation != currentGenerations.first else { return [] }
        retiring.insert(generation)
        return [.terminate(generation: generation)]
    }

    /// Rolling restart: start a new worker beside the running one and switch when it answers.
    /// From `backingOff` it restarts at once; anything but `running` and `backingOff` has nothing to do.
    public mutating func restart(at now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .running(let old, let since):
            let new = Worker(generation: takeGeneration(), spawnedAt: now)
            state = .replacing(old: old, since: since, new: new)
            return [.spawn(generation: new.generation)]
        case .backingOff:
            return spawn(at: now)
        case .stopped, .starting, .replacing, .crashLoop, .draining:
            return []
        }
    }

    /// Suspend, delete or shutdown: SIGTERM every process, no restart.
    public mutating func drain() -> [Action] {
        var actions: [Action] = []
        let current = currentGenerations
        restartToken += 1  // a pending backoff timer must not spawn anything
        if routed != nil {
            routed = nil
            actions.append(.unroute)
        }
        for generation in current where !retiring.contains(generation) {
            retiring.insert(generation)
            actions.append(.terminate(generation: generation))
        }
        state = retiring.isEmpty ? .stopped : .draining
        return actions
    }

    // MARK: - Process events

    /// A spawn failed (the executable could not be started): the same as a crash of that generation.
    public mutating func spawnFailed(generation: Int, at now: ContinuousClock.Instant) -> [Action] {
        var rng = SystemRandomNumberGenerator()
        return exited(generation: generation, at: now, using: &rng)
    }

    /// A health check of `generation` got an answer (`answered`) or none.
    /// A health-check result. `answered`: the worker answered its control socket (a miss counts
    /// towards a kill); `ready`: it also reported its dependencies up (200). A rolling restart
    /// switches to the new worker only once it is ready, so the old one keeps serving while the new
    /// one cannot; `ready` nil means the same as `answered`.
    public mutating func healthCheck(
        generation: Int, answered: Bool, ready: Bool? = nil, at now: ContinuousClock.Instant
    ) -> [Action] {
        switch state {
        case .starting(let worker) where worker.generation == generation:
            if answered {
                state = .running(worker, since: now)
                missedHealthChecks = 0
                routed = generation
                return [.route(generation: generation)]
            }
            // A starting worker is probed often; only a serving worker's misses count as failures.
            return now - worker.spawnedAt >= settings.startTimeout
                ? [.kill(generation: generation, reason: .startTimeout)] : []
        case .running(let worker, let since) where worker.generation == generation:
            return checkServing(generation: generation, since: since, answered: answered, at: now)
        case .replacing(let old, let since, let new):
            if old.generation == generation {
                return checkServing(generation: generation, since: since, answered: answered, at: now)
            }
            guard new.generation == generation else { return [] }
            if answered && (ready ?? answered) {
                state = .running(new, since: now)
                missedHealthChecks = 0
                routed = generation
                retiring.insert(old.generation)
                return [.route(generation: generation), .terminate(generation: old.generation)]
            }
            return now - new.spawnedAt >= settings.startTimeout
                ? [.kill(generation: generation, reason: .startTimeout)] : []
        case .starting, .running, .backingOff, .crashLoop, .draining, .stopped:
            return []
        }
    }

    private mutating func checkServing(
        generation: Int, since: ContinuousClock.Instant, answered: Bool, at now: ContinuousClock.Instant
    ) -> [Action] {
        if answered {
            missedHealthChecks = 0
            if now - since >= settings.backoffResetAfter { backoffAttempt = 0 }
            return []
        }
        healthCheckFailures += 1
        missedHealthChecks += 1
        guard missedHealthChecks >= settings.missedHealthChecksBeforeKill else { return [] }
        let missed = missedHealthChecks
        missedHealthChecks = 0
        return [.kill(generation: generation, reason: .unresponsive(missedChecks: missed))]
    }

    /// The process of `generation` exited (or was killed). Expected for a retiring process; a crash
    /// otherwise.
    public mutating func exited<G: RandomNumberGenerator>(
        generation: Int, at now: ContinuousClock.Instant, using rng: inout G
    ) -> [Action] {
        if retiring.remove(generation) != nil {
            if case .draining = state, retiring.isEmpty { state = .stopped }
            return []
        }
        switch state {
        case .starting(let worker) where worker.generation == generation:
            return crashed(at: now, serving: nil, using: &rng)
        case .running(let worker, let since) where worker.generation == generation:
            return crashed(at: now, serving: since, using: &rng)
        case .replacing(let old, let since, let new):
            if new.generation == generation {
                // The old worker keeps serving; the operator sees the failed rolling restart.
                state = .running(old, since: since)
                return [.replacementFailed(generation: generation)]
            }
            guard old.generation == generation else { return [] }
            // The serving worker died mid-roll: its replacement is already starting.
            crashes.append(now)
            state = .starting(new)
            if routed != nil {
                routed = nil
                return [.unroute]
            }
            return []
        case .starting, .running, .backingOff, .crashLoop, .draining, .stopped:
            return []
        }
    }

    public mutating func exited(generation: Int, at now: ContinuousClock.Instant) -> [Action] {
        var rng = SystemRandomNumberGenerator()
        return exited(generation: generation, at: now, using: &rng)
    }

    /// The backoff delay announced with `token` is over.
    public mutating func backoffElapsed(token: Int, at now: ContinuousClock.Instant) -> [Action] {
        guard case .backingOff = state, token == restartToken else { return [] }
        return spawn(at: now)
    }

    /// The stop timeout of a process sent SIGTERM is over.
    public mutating func stopTimeoutElapsed(generation: Int) -> [Action] {
        retiring.contains(generation) ? [.kill(generation: generation, reason: .stopTimeout)] : []
    }

    // MARK: - Helpers

    private mutating func crashed<G: RandomNumberGenerator>(
        at now: ContinuousClock.Instant, serving since: ContinuousClock.Instant?, using rng: inout G
    ) -> [Action] {
        var actions: [Action] = []
        if routed != nil {
            routed = nil
            actions.append(.unroute)
        }
        if let since, now - since >= settings.backoffResetAfter { backoffAttempt = 0 }
        crashes.append(now)
        let window = settings.crashLoopWindow
        crashes.removeAll { now - $0 >= window }
        if crashes.count >= settings.crashLoopThreshold {
            state = .crashLoop(since: now)
            crashLoops += 1
            actions.append(.enterCrashLoop(crashes: crashes.count))
            return actions
        }
        restarts += 1
        let delay = nextDelay(using: &rng)
        if delay == .zero {
            return actions + spawn(at: now)
        }
        restartToken += 1
        state = .backingOff(until: now + delay)
        actions.append(.scheduleRestart(after: delay, token: restartToken))
        return actions
    }

    /// Nominal delay of the current attempt: 0, then `initialBackoff` doubling, capped.
    public var nominalDelay: Duration {
        guard backoffAttempt > 0 else { return .zero }
        let factor = 1 << min(backoffAttempt - 1, 30)
        let raw = settings.initialBackoff * factor
        return raw > settings.maxBackoff ? settings.maxBackoff : raw
    }

    /// Full jitter: uniformly from zero to the nominal delay.
    private mutating func nextDelay<G: RandomNumberGenerator>(using rng: inout G) -> Duration {
        let high = nominalDelay.nanoseconds
        backoffAttempt += 1
        guard high > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...high, using: &rng))
    }

    private mutating func spawn(at now: ContinuousClock.Instant) -> [Action] {
        let worker = Worker(generation: takeGeneration(), spawnedAt: now)
        state = .starting(worker)
        missedHealthChecks = 0
        return [.spawn(generation: worker.generation)]
    }

    private mutating func takeGeneration() -> Int {
        defer { nextGeneration += 1 }
        return nextGeneration
    }

    private mutating func forgetCrashes() {
        crashes.removeAll()
        backoffAttempt = 0
    }

    /// Generations of live processes the machine is responsible for (not counting retiring ones).
    public var currentGenerations: [Int] {
        switch state {
        case .starting(let w), .running(let w, _): [w.generation]
        case .replacing(let old, _, let new): [old.generation, new.generation]
        case .stopped, .backingOff, .crashLoop, .draining: []
        }
    }

    /// A short name for logs, metrics and the platform API.
    public var stateName: String {
        switch state {
        case .stopped: "stopped"
        case .starting: "starting"
        case .running, .replacing: "running"
        case .backingOff: "backing_off"
        case .crashLoop: "crash_loop"
        case .draining: "draining"
        }
    }

    /// Every state name, for metrics that show one series per state.
    public static let stateNames = ["starting", "running", "backing_off", "crash_loop", "draining", "stopped"]
}
