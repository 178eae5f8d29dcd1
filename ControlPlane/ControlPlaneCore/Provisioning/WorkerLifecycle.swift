// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

/// What tenant provisioning needs from whatever runs the worker processes (the
/// `WorkerSupervisor`; tests may put something else here).
public protocol WorkerLifecycle: Sendable {
    /// Supervises the tenant's worker and starts it (or adopts a live one); returns without
    /// waiting for it to become healthy (see `waitUntilServing`).
    func startWorker(_ launch: WorkerLaunch) async throws
    /// Starts a drained or crash-looping worker again, with a clean crash history.
    func resumeWorker(slug: String) async throws
    /// Rolling restart (the worker reads its tenant file at start): returns once the new worker
    /// serves; if it fails, the old one keeps serving and this throws.
    func restartWorker(slug: String) async throws
    /// Drains the worker (its stations get a going-away close) and returns once it has exited;
    /// the tenant stays supervised, stopped. Nothing to do for an unsupervised tenant.
    func drainWorker(slug: String) async throws
    /// Drains the worker and forgets the tenant. Nothing to do for an unsupervised tenant.
    func removeWorker(slug: String) async throws
    /// nil for an unsupervised tenant.
    func workerStatus(slug: String) async -> WorkerStatus?
}

extension WorkerSupervisor: WorkerLifecycle {
    public func startWorker(_ launch: WorkerLaunch) async throws {
        try await start(config: launch, waitUntilRunning: false)
    }

    public func resumeWorker(slug: String) async throws {
        try await resume(slug: slug, waitUntilRunning: false)
    }

    public func restartWorker(slug: String) async throws {
        try await restart(slug: slug)
    }

    public func drainWorker(slug: String) async throws {
        guard state(slug: slug) != nil else { return }
        try await drain(slug: slug)
    }

    public func removeWorker(slug: String) async throws {
        guard state(slug: slug) != nil else { return }
        try await stop(slug: slug)
    }

    public func workerStatus(slug: String) async -> WorkerStatus? {
        state(slug: slug)
    }
}

/// Why a worker did not become healthy.
struct WorkerHealthFailure: Error, CustomStringConvertible {
    let description: String
}

extension WorkerLifecycle {
    /// Waits until the tenant's worker answers health checks and serves, at most `timeout`.
    /// Fails as soon as the worker exits instead (a binary that cannot start, a crash during
    /// start-up), so a broken worker does not cost the whole timeout.
    func waitUntilServing(slug: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var last: WorkerStatus?
        while ContinuousClock.now < deadline {
            guard let status = await workerStatus(slug: slug) else {
                throw WorkerHealthFailure(description: "the worker is not supervised")
            }
            last = status
            switch status.state {
            case "running" where status.healthy:
                return
            case "backing_off", "crash_loop":
                throw WorkerHealthFailure(
                    description: "the worker exited before it became healthy (\(status.lastExit ?? "no exit status"))")
            default:
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        throw WorkerHealthFailure(
            description:
                "the worker did not become healthy within \(timeout.seconds) s (state \(last?.state ?? "unknown"))")
    }
}
