// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
public import Logging
public import ServiceLifecycle

/// What the control plane knows about one worker, for `/healthz` and the logs.
public struct WorkerStatus: Sendable, Codable, Equatable {
    public var slug: String
    public var state: String
    public var pid: Int32?
    public var restarts: Int
    public var lastExit: String?
    public var healthy: Bool

    enum CodingKeys: String, CodingKey {
        case slug, state, pid, restarts, healthy
        case lastExit = "last_exit"
    }
}

/// Current state of every supervised worker.
public actor WorkerRegistry {
    private var workers: [String: WorkerStatus] = [:]
    public init() {}
    func update(_ slug: String, _ change: (inout WorkerStatus) -> Void) {
        var status = workers[slug] ?? WorkerStatus(slug: slug, state: "stopped", restarts: 0, healthy: false)
        change(&status)
        workers[slug] = status
    }
    public var all: [WorkerStatus] { workers.values.sorted { $0.slug < $1.slug } }
    public func status(_ slug: String) -> WorkerStatus? { workers[slug] }
}

/// Starts one worker process per tenant and keeps it running (see `WorkerRestartPolicy`); on
/// graceful shutdown it stops them all: SIGTERM, then SIGKILL after the stop timeout.
public struct WorkerSupervisor: Service {
    public struct Settings: Sendable {
        public var policy = WorkerRestartPolicy.Settings()
        public var healthCheckInterval: Duration = .seconds(2)
        public var startTimeout: Duration = .seconds(30)
        public var stopTimeout: Duration = .seconds(15)
        public init() {}
    }

    let launches: [WorkerLaunch]
    let settings: Settings
    public let registry: WorkerRegistry
    let logger: Logger

    public init(launches: [WorkerLaunch], settings: Settings, registry: WorkerRegistry, logger: Logger) {
        self.launches = launches
        self.settings = settings
        self.registry = registry
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for launch in launches {
                group.addTask { await supervise(launch) }
            }
        }
    }

    private func supervise(_ launch: WorkerLaunch) async {
        var logger = self.logger
        logger[metadataKey: "tenant.slug"] = "\(launch.slug)"
        var policy = WorkerRestartPolicy(settings: settings.policy)
        var action = policy.start()
        while true {
            await registry.update(launch.slug) {
                $0.state = policy.stateName; $0.restarts = policy.restarts
            }
            switch action {
            case .start:
                if Task.isShuttingDownGracefully || Task.isCancelled {
                    _ = policy.stop()
                    await registry.update(launch.slug) {
                        $0.state = "stopped"; $0.pid = nil
                    }
                    return
                }
                let process: WorkerProcess
                do {
                    process = try WorkerProcess.spawn(launch)
                } catch {
                    logger.error(
                        "cannot start worker: \(error)", metadata: ["worker.executable": "\(launch.executable)"])
                    action = policy.exited(at: .now)
                    continue
                }
                policy.spawned(at: .now)
                logger.info("worker started", metadata: ["worker.pid": "\(process.pid)"])
                await registry.update(launch.slug) {
                    $0.state = policy.stateName
                    $0.pid = process.pid
                    $0.healthy = false
                }
                let how = await watch(process, launch: launch, policy: &policy, logger: logger)
                await registry.update(launch.slug) {
                    $0.lastExit = how; $0.pid = nil; $0.healthy = false
                }
                if Task.isShuttingDownGracefully || Task.isCancelled {
                    logger.info("worker stopped", metadata: ["worker.exit": "\(how)"])
                    await registry.update(launch.slug) { $0.state = "stopped" }
                    return
                }
                action = policy.exited(at: .now)
                logger.warning("worker exited unexpectedly", metadata: ["worker.exit": "\(how)"])
            case .restart(let delay):
                logger.notice("restarting worker", metadata: ["delay_s": "\(delay.seconds)"])
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                } catch {
                    await registry.update(launch.slug) { $0.state = "stopped" }
                    return
                }
                if Task.isShuttingDownGracefully {
                    await registry.update(launch.slug) { $0.state = "stopped" }
                    return
                }
                action = policy.backoffElapsed()
            case .markDegraded(let crashes):
                logger.error(
                    "worker is crash-looping; no more automatic restarts until an operator resumes the tenant",
                    metadata: ["worker.crashes": "\(crashes)"])
                await registry.update(launch.slug) { $0.state = policy.stateName }
                try? await gracefulShutdown()
                return
            case .none, .terminate, .kill:
                return
            }
        }
    }

    /// Waits for the process to exit, probing its health meanwhile. On graceful shutdown it asks the
    /// worker to stop (SIGTERM) and kills it if it is still there after the stop timeout.
    private func watch(
        _ process: WorkerProcess, launch: WorkerLaunch, policy: inout WorkerRestartPolicy, logger: Logger
    ) async -> String {
        let started = ContinuousClock.now
        let box = PolicyBox(policy)
        let how = await withTaskGroup(of: String?.self) { group -> String in
            group.addTask { await process.waitForExit() }
            group.addTask {
                // Probe until cancelled (the process exited) or the shutdown begins.
                var everHealthy = false
                while !Task.isCancelled {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.healthCheckInterval) }
                    } catch {
                        if Task.isShuttingDownGracefully { break }
                        return nil
                    }
                    if Task.isShuttingDownGracefully { break }
                    let ok = (try? await UnixSocketHTTP.get(socketPath: launch.socketPath, path: "/healthz")) != nil
                    await registry.update(launch.slug) { $0.healthy = ok }
                    if ok {
                        if !everHealthy {
                            logger.info("worker answers health checks", metadata: ["worker.pid": "\(process.pid)"])
                        }
                        everHealthy = true
                        await box.mutate { $0.healthCheckSucceeded() }
                    } else if everHealthy || ContinuousClock.now - started > settings.startTimeout {
                        let action = await box.mutate { $0.healthCheckFailed() }
                        if action == .kill {
                            logger.error(
                                "worker missed \(settings.policy.missedHealthChecksBeforeKill) health checks; killing it"
                            )
                            process.signal(SIGKILL)
                        }
                    }
                }
                // Graceful shutdown: ask the worker to drain and exit, then insist.
                logger.info("stopping worker", metadata: ["worker.pid": "\(process.pid)"])
                process.signal(SIGTERM)
                try? await Task.sleep(for: settings.stopTimeout)
                if !Task.isCancelled {
                    logger.warning("worker did not stop within the stop timeout; killing it")
                    process.signal(SIGKILL)
                }
                return nil
            }
            var result = "exited"
            for await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                }
            }
            return result
        }
        policy = await box.value
        return how
    }
}

/// Lets the probe task update the policy the supervising loop owns.
private actor PolicyBox {
    var value: WorkerRestartPolicy
    init(_ value: WorkerRestartPolicy) { self.value = value }
    func mutate<T: Sendable>(_ body: (inout WorkerRestartPolicy) -> T) -> T { body(&value) }
}
