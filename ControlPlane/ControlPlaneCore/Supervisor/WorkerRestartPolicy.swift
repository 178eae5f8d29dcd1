// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common

/// The life of one tenant's worker process as a state machine: it decides, and the supervisor's
/// I/O shell carries out its actions. Unit-tested without processes.
///
/// Policy: a worker that exits unexpectedly is restarted after an exponential backoff (1 s
/// doubling, capped at 60 s, with jitter); the backoff is forgotten once a worker stayed up for
/// `stableAfter`. `crashLoopThreshold` exits within `crashLoopWindow` mark the tenant degraded: no
/// more automatic restarts until an operator resumes it.
public struct WorkerRestartPolicy: Sendable {
    public struct Settings: Sendable, Equatable {
        public var initialBackoff: Duration = .seconds(1)
        public var maxBackoff: Duration = .seconds(60)
        public var crashLoopThreshold = 5
        public var crashLoopWindow: Duration = .seconds(60)
        public var stableAfter: Duration = .seconds(60)
        public var missedHealthChecksBeforeKill = 3
        public init() {}
    }

    public enum State: Sendable, Equatable {
        case stopped
        case starting
        case running(since: ContinuousClock.Instant)
        case backingOff(until: ContinuousClock.Instant)
        case crashLoop
        case stopping
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Spawn the process now.
        case start
        /// Wait, then call `backoffElapsed`.
        case restart(after: Duration)
        /// Stop restarting; log an error and surface the degraded state.
        case markDegraded(crashes: Int)
        /// Ask the process to exit (SIGTERM; SIGKILL after the stop timeout).
        case terminate
        /// The process stopped answering health checks: kill it so it is restarted.
        case kill
    }

    public let settings: Settings
    public private(set) var state: State = .stopped
    public private(set) var restarts = 0
    private var crashes: [ContinuousClock.Instant] = []
    private var backoff: Backoff
    private var missedHealthChecks = 0

    public init(settings: Settings = Settings()) {
        self.settings = settings
        self.backoff = Backoff(base: settings.initialBackoff, cap: settings.maxBackoff)
    }

    /// An operator (or start-up) wants the worker running. Also clears a crash loop.
    public mutating func start() -> Action {
        switch state {
        case .stopped, .crashLoop:
            crashes.removeAll()
            backoff.reset()
            state = .starting
            return .start
        case .starting, .running, .backingOff, .stopping:
            return .none
        }
    }

    /// The process was spawned.
    public mutating func spawned(at now: ContinuousClock.Instant) {
        if case .starting = state {
            state = .running(since: now)
            missedHealthChecks = 0
        }
    }

    /// The process exited (or could not be spawned).
    public mutating func exited<G: RandomNumberGenerator>(at now: ContinuousClock.Instant, using rng: inout G) -> Action
    {
        switch state {
        case .stopping, .stopped:
            state = .stopped
            return .none
        case .crashLoop, .backingOff:
            return .none
        case .starting, .running:
            if case .running(let since) = state, now - since >= settings.stableAfter {
                backoff.reset()
            }
            crashes.append(now)
            let window = settings.crashLoopWindow
            crashes.removeAll { now - $0 > window }
            if crashes.count >= settings.crashLoopThreshold {
                state = .crashLoop
                return .markDegraded(crashes: crashes.count)
            }
            let delay = backoff.next(using: &rng)
            state = .backingOff(until: now + delay)
            return .restart(after: delay)
        }
    }

    public mutating func exited(at now: ContinuousClock.Instant) -> Action {
        var g = SystemRandomNumberGenerator()
        return exited(at: now, using: &g)
    }

    /// The backoff delay is over.
    public mutating func backoffElapsed() -> Action {
        guard case .backingOff = state else { return .none }
        state = .starting
        restarts += 1
        return .start
    }

    /// A health check answered.
    public mutating func healthCheckSucceeded() { missedHealthChecks = 0 }

    /// A health check got no answer; after `missedHealthChecksBeforeKill` in a row, kill.
    public mutating func healthCheckFailed() -> Action {
        guard case .running = state else { return .none }
        missedHealthChecks += 1
        if missedHealthChecks >= settings.missedHealthChecksBeforeKill {
            missedHealthChecks = 0
            return .kill
        }
        return .none
    }

    /// Shutdown, suspend or delete: stop the worker and do not restart it.
    public mutating func stop() -> Action {
        switch state {
        case .running, .starting:
            state = .stopping
            return .terminate
        case .backingOff, .crashLoop:
            state = .stopped
            return .none
        case .stopping, .stopped:
            return .none
        }
    }

    /// A short name for logs, metrics and the health document.
    public var stateName: String {
        switch state {
        case .stopped: "stopped"
        case .starting: "starting"
        case .running: "running"
        case .backingOff: "backing_off"
        case .crashLoop: "crash_loop"
        case .stopping: "draining"
        }
    }
}
