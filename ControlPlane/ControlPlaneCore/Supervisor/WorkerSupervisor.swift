// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
public import Foundation
public import Logging
public import ServiceLifecycle
public import UnixSignals

/// What the control plane knows about one tenant's worker: for the platform API, `/healthz` and logs.
public struct WorkerStatus: Sendable, Codable, Equatable {
    public var slug: String
    /// starting, running, backing_off, crash_loop (the tenant is degraded), draining, stopped.
    public var state: String
    /// The serving (or starting) worker's process.
    public var pid: Int32?
    public var generation: Int?
    /// Automatic restarts after a crash.
    public var restarts: Int
    public var crashLoops: Int
    public var healthCheckFailures: Int
    /// The serving worker answered its last health check with 200 (PostgreSQL and Redis reachable).
    public var healthy: Bool
    /// The serving worker was found running by this control plane rather than started by it.
    public var adopted: Bool
    public var lastExit: String?
    public var lastStart: Date?
    public var controlSocket: String?
    public var handoverSocket: String?

    enum CodingKeys: String, CodingKey {
        case slug, state, pid, generation, restarts, healthy, adopted
        case crashLoops = "crash_loops"
        case healthCheckFailures = "health_check_failures"
        case lastExit = "last_exit"
        case lastStart = "last_start"
        case controlSocket = "control_socket"
        case handoverSocket = "handover_socket"
    }
}

/// Keeps one worker process per tenant running (see `WorkerStateMachine` for the policy), publishes
/// the serving worker's sockets in `directory` for the router, and exports metrics.
///
/// Workers outlive the control plane: they run in sessions of their own, and only `drain`, `stop`
/// or the graceful shutdown of `run()` (SIGTERM to the control plane) stops them. A control plane
/// that crashes, is SIGKILLed or is detached (`detach()`, the `detachSignals`) leaves them running,
/// and the next one adopts them: every spawn writes `<run>/<slug>.pid`, and `start(config:)` first
/// looks for a live worker there that answers `/healthz` for that tenant with that pid.
public actor WorkerSupervisor: Service {
    public struct Settings: Sendable {
        public var machine = WorkerStateMachine.Settings()
        /// Between health checks of a serving worker.
        public var healthCheckInterval: Duration = .seconds(2)
        /// Between probes of a starting worker: it gets the tenant's connections as soon as it answers.
        public var startingProbeInterval: Duration = .milliseconds(50)
        /// A health check without an answer within this time is missed.
        public var healthCheckTimeout: Duration = .seconds(1)
        /// SIGTERM → SIGKILL.
        public var stopTimeout: Duration = .seconds(15)
        /// Signals that end `run()` leaving every worker running (for a new control plane to adopt).
        public var detachSignals: [UnixSignal] = []
        /// A worker that has not answered a health check this long after its spawn is killed.
        public var startTimeout: Duration {
            get { machine.startTimeout }
            set { machine.startTimeout = newValue }
        }
        public init() {}
    }

    private struct Process {
        let pid: Int32
        let paths: WorkerPaths
        let startedAt: Date
        let adopted: Bool
        var probe: Task<Void, Never>?
        var ready = false
    }

    private enum Goal {
        case running
        case generationRouted(Int)
        case stopped
    }

    private struct Waiter {
        let id: UUID
        let goal: Goal
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Tenant {
        var launch: WorkerLaunch
        var machine: WorkerStateMachine
        var processes: [Int: Process] = [:]
        let metrics: TenantWorkerMetrics
        let logger: Logger
        var lastExit: String?
        var lastStart: Date?
        var waiters: [Waiter] = []
    }

    private struct AdoptionPlan: Sendable {
        var serving: WorkerRecord.Process?
        var others: [WorkerRecord.Process] = []
        var nextGeneration = 1
    }

    public nonisolated let directory: WorkerDirectory
    public nonisolated let metrics: WorkerMetrics
    public nonisolated let runDirectory: String
    let settings: Settings
    let logger: Logger
    private let initialLaunches: [WorkerLaunch]
    private let watcher = ProcessWatcher()
    private var tenants: [String: Tenant] = [:]
    private var adoptions: [String: Task<AdoptionPlan, Never>] = [:]
    private var timers: [UUID: Task<Void, Never>] = [:]
    private var detached = false

    /// - Parameters:
    ///   - runDirectory: `<data_directory>/run` (created with mode 0700): sockets, FIFOs, pid files.
    ///   - launches: tenants `run()` starts (or adopts) first; more come through `start(config:)`.
    public init(
        settings: Settings = Settings(), runDirectory: String, launches: [WorkerLaunch] = [],
        directory: WorkerDirectory = WorkerDirectory(), metrics: WorkerMetrics = WorkerMetrics(), logger: Logger
    ) {
        do {
            try FileManager.default.createDirectory(
                atPath: runDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            // Every spawn then fails with the cause in its own log line.
            logger.error("cannot create the run folder \(runDirectory): \(error)")
        }
        self.settings = settings
        self.runDirectory = runDirectory
        self.initialLaunches = launches
        self.directory = directory
        self.metrics = metrics
        self.logger = logger
    }

    // MARK: - Service

    /// Starts (or adopts) the initial tenants, then supervises until the graceful shutdown, which
    /// drains every worker, unless `detach()` was called before. One of `Settings.detachSignals`
    /// detaches and returns at once.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for launch in initialLaunches {
                group.addTask {
                    do {
                        _ = try await self.start(config: launch, waitUntilRunning: false)
                    } catch {
                        self.logger.error(
                            "cannot start the worker", metadata: ["tenant.slug": "\(launch.slug)", "error": "\(error)"])
                    }
                }
            }
        }
        let signals = settings.detachSignals
        try? await cancelWhenGracefulShutdown {
            if signals.isEmpty {
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
            // Returning ends this service; the service group then ends (configure this service with
            // `successTerminationBehavior: .gracefullyShutdownGroup` for a graceful end of the others).
            for await signal in await UnixSignalsSequence(trapping: signals) {
                self.logger.notice("\(signal): leaving the workers running for the next control plane")
                await self.detach()
                return
            }
        }
        await shutdown(leavingWorkersRunning: detached)
    }

    /// Ends supervision: drains every worker, or with `leavingWorkersRunning` only stops watching
    /// them (their pid files stay, for the next control plane to adopt them).
    public func shutdown(leavingWorkersRunning: Bool) async {
        if leavingWorkersRunning {
            let count = tenants.values.reduce(0) { $0 + $1.processes.count }
            logger.notice("supervisor detached; its workers keep running", metadata: ["workers": "\(count)"])
        } else {
            await drainAll()
        }
        stopWatching()
    }

    /// On the coming shutdown, leave every worker running instead of draining it.
    public func detach() { detached = true }

    /// Drains every tenant's worker and waits until they are all gone.
    public func drainAll() async {
        await withTaskGroup(of: Void.self) { group in
            for slug in tenants.keys {
                group.addTask {
                    do {
                        try await self.drain(slug: slug)
                    } catch {
                        self.logger.error(
                            "worker did not stop", metadata: ["tenant.slug": "\(slug)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    private func stopWatching() {
        for timer in timers.values { timer.cancel() }
        timers.removeAll()
        for tenant in tenants.values {
            for process in tenant.processes.values { process.probe?.cancel() }
        }
        watcher.shutdown()
    }

    // MARK: - API

    /// Supervises `config.slug`'s worker: adopts the live worker named by its pid file if it
    /// answers for this tenant, else starts one. An already supervised tenant gets the new launch
    /// for its next spawn and is started if stopped. With `waitUntilRunning`, returns once the worker
    /// answers health checks and throws if it exits first (provisioning rolls back on that).
    @discardableResult
    public func start(config launch: WorkerLaunch, waitUntilRunning: Bool = true) async throws -> WorkerStatus {
        let slug = launch.slug
        if let pending = adoptions[slug] { _ = await pending.value }
        if tenants[slug] == nil {
            let plan = Task { [runDirectory, settings] in
                await Self.inspect(slug: slug, runDirectory: runDirectory, timeout: settings.healthCheckTimeout)
            }
            adoptions[slug] = plan
            let inspected = await plan.value
            adoptions[slug] = nil
            if tenants[slug] == nil {
                adopt(launch, plan: inspected)
            }
        } else {
            tenants[slug]?.launch = launch
            event(slug) { $0.start(at: .now) }
        }
        if waitUntilRunning { try await wait(slug, for: .running, timeout: nil) }
        return try status(of: slug)
    }

    /// Rolling restart: a new worker starts beside the serving one, takes the tenant's connections
    /// when it answers, and the old one is drained. Throws if the new worker fails (the old one
    /// keeps serving) or the tenant has no running worker.
    public func restart(slug: String) async throws {
        guard let tenant = tenants[slug] else { throw unknown(slug) }
        switch tenant.machine.state {
        case .running, .backingOff: break
        case .replacing: throw SupervisorError("tenant \(slug): a rolling restart is already under way")
        case .crashLoop:
            throw SupervisorError("tenant \(slug) is crash-looping: resume it instead of restarting it")
        case .stopped, .starting, .draining:
            throw SupervisorError(
                "tenant \(slug) has no running worker to restart (state: \(tenant.machine.stateName))")
        }
        let actions = event(slug) { $0.restart(at: .now) }
        for case .spawn(let generation) in actions {
            try await wait(slug, for: .generationRouted(generation), timeout: nil)
        }
    }

    /// Rolling restart of every running tenant, one after another (to bound the load); throws
    /// listing every tenant whose restart failed.
    public func restartAll() async throws {
        var failures: [String] = []
        for slug in tenants.keys.sorted() {
            guard case .running = tenants[slug]?.machine.state else { continue }
            do {
                try await restart(slug: slug)
            } catch {
                failures.append("\(slug): \(error)")
            }
        }
        if !failures.isEmpty { throw SupervisorError("rolling restart failed for \(failures.joined(separator: "; "))") }
    }

    /// Drain (suspend, delete, shutdown): the router stops handing connections to the worker, the
    /// worker gets SIGTERM (it refuses new hand-overs, closes its WebSockets with 1001 and exits) and
    /// SIGKILL after the stop timeout. Returns when no process of the tenant is left. The tenant
    /// stays known (`start(config:)` or `resume(slug:)` starts it again).
    public func drain(slug: String) async throws {
        guard tenants[slug] != nil else { throw unknown(slug) }
        event(slug) { $0.drain() }
        try await wait(slug, for: .stopped, timeout: settings.stopTimeout + .seconds(10))
    }

    /// Drains the tenant's worker and forgets the tenant (delete): no state, no metrics, no pid file.
    public func stop(slug: String) async throws {
        guard tenants[slug] != nil else { throw unknown(slug) }
        try await drain(slug: slug)
        guard let tenant = tenants.removeValue(forKey: slug) else { return }
        tenant.metrics.destroy()
        directory.set(slug, nil)
        setAliases(slug, to: nil)
        unlink(WorkerRecord.path(runDirectory: runDirectory, slug: slug))
        tenant.logger.info("tenant no longer supervised")
    }

    /// An operator resumes a crash-looping (degraded) or stopped tenant: crash history and backoff
    /// start over and a worker starts. With `waitUntilRunning`, as `start(config:)`.
    public func resume(slug: String, waitUntilRunning: Bool = true) async throws {
        guard tenants[slug] != nil else { throw unknown(slug) }
        tenants[slug]?.logger.notice("resumed by an operator")
        event(slug) { $0.resume(at: .now) }
        if waitUntilRunning { try await wait(slug, for: .running, timeout: nil) }
    }

    public func state(slug: String) -> WorkerStatus? { try? status(of: slug) }

    public func states() -> [WorkerStatus] { tenants.keys.sorted().compactMap { try? status(of: $0) } }

    // MARK: - Events

    /// Feeds one event to the tenant's machine and carries out what it returns.
    @discardableResult
    private func event(
        _ slug: String, _ body: (inout WorkerStateMachine) -> [WorkerStateMachine.Action]
    )
        -> [WorkerStateMachine.Action]
    {
        guard var tenant = tenants[slug] else { return [] }
        let before = tenant.machine
        let actions = body(&tenant.machine)
        tenants[slug] = tenant
        countChanges(slug, from: before)
        perform(slug, actions)
        return actions
    }

    private func perform(_ slug: String, _ actions: [WorkerStateMachine.Action]) {
        var queue = actions[...]
        while let action = queue.popFirst() {
            guard tenants[slug] != nil else { return }
            let more = perform(slug, action)
            queue.append(contentsOf: more)
        }
        settleWaiters(slug, after: actions)
        tenants[slug].map { $0.metrics.setState($0.machine.stateName) }
    }

    private func perform(_ slug: String, _ action: WorkerStateMachine.Action) -> [WorkerStateMachine.Action] {
        guard let tenant = tenants[slug] else { return [] }
        let logger = tenant.logger
        switch action {
        case .spawn(let generation):
            return spawn(slug, generation: generation)
        case .route(let generation):
            guard let process = tenant.processes[generation] else { return [] }
            directory.set(
                slug,
                WorkerEndpoint(
                    slug: slug, generation: generation, pid: process.pid,
                    handoverSocket: process.paths.handoverSocket, controlSocket: process.paths.controlSocket))
            writeRecord(slug)
            setAliases(slug, to: process.paths)
            let startup = Date().timeIntervalSince(process.startedAt)
            logger.info(
                process.adopted
                    ? "adopted worker serves the tenant" : "worker answers health checks and serves the tenant",
                metadata: [
                    "worker.pid": "\(process.pid)", "worker.generation": "\(generation)",
                    "worker.startup_ms": "\(process.adopted ? 0 : Int(startup * 1000))",
                ])
        case .unroute:
            directory.set(slug, nil)
            writeRecord(slug)
            setAliases(slug, to: nil)
        case .terminate(let generation):
            guard let process = tenant.processes[generation] else { return [] }
            logger.info(
                "stopping worker (SIGTERM)",
                metadata: ["worker.pid": "\(process.pid)", "worker.generation": "\(generation)"])
            watcher.signal(process.pid, SIGTERM)
            schedule(after: settings.stopTimeout) { supervisor in
                await supervisor.event(slug) { $0.stopTimeoutElapsed(generation: generation) }
            }
        case .kill(let generation, let reason):
            guard let process = tenant.processes[generation] else { return [] }
            let metadata: Logger.Metadata = ["worker.pid": "\(process.pid)", "worker.generation": "\(generation)"]
            switch reason {
            case .unresponsive(let missed):
                logger.error("worker missed \(missed) health checks in a row; killing it", metadata: metadata)
            case .startTimeout:
                logger.error(
                    "worker did not answer a health check within \(settings.machine.startTimeout); killing it",
                    metadata: metadata)
            case .stopTimeout:
                logger.warning(
                    "worker did not exit within \(settings.stopTimeout) of SIGTERM; killing it", metadata: metadata)
            }
            watcher.signal(process.pid, SIGKILL)
        case .scheduleRestart(let delay, let token):
            logger.notice(
                "restarting worker after a backoff", metadata: ["delay_s": "\(String(format: "%.3f", delay.seconds))"])
            schedule(after: delay) { supervisor in
                await supervisor.event(slug) { $0.backoffElapsed(token: token, at: .now) }
            }
        case .enterCrashLoop(let crashes):
            logger.error(
                """
                worker is crash-looping (\(crashes) exits within \(settings.machine.crashLoopWindow)); the tenant is \
                degraded and gets no more automatic restarts until an operator resumes it
                """,
                metadata: ["worker.crashes": "\(crashes)", "worker.last_exit": "\(tenant.lastExit ?? "-")"])
        case .replacementFailed(let generation):
            logger.error(
                "rolling restart failed: the new worker did not come up; the old one keeps serving",
                metadata: ["worker.generation": "\(generation)", "worker.last_exit": "\(tenant.lastExit ?? "-")"])
        }
        return []
    }

    private func spawn(_ slug: String, generation: Int) -> [WorkerStateMachine.Action] {
        guard let tenant = tenants[slug] else { return [] }
        let paths = WorkerPaths(runDirectory: runDirectory, slug: slug, generation: generation)
        let spawned: WorkerSpawner.Spawned
        do {
            spawned = try WorkerSpawner.spawn(tenant.launch, paths: paths)
        } catch {
            paths.remove()
            tenants[slug]?.lastExit = "could not start: \(error)"
            tenant.logger.error(
                "cannot start worker",
                metadata: ["error": "\(error)", "worker.executable": "\(tenant.launch.executable)"])
            var machine = tenant.machine
            let actions = machine.spawnFailed(generation: generation, at: .now)
            tenants[slug]?.machine = machine
            countChanges(slug, from: tenant.machine)
            return actions
        }
        let now = Date()
        tenants[slug]?.processes[generation] = Process(
            pid: spawned.pid, paths: paths, startedAt: now, adopted: false)
        tenants[slug]?.lastStart = now
        tenant.metrics.lastStart.record(now.timeIntervalSince1970)
        tenant.logger.info(
            "worker started",
            metadata: [
                "worker.pid": "\(spawned.pid)", "worker.generation": "\(generation)",
                "worker.executable": "\(tenant.launch.executable)",
            ])
        follow(slug, generation: generation, pid: spawned.pid, isChild: true, output: spawned.output)
        writeRecord(slug)
        return []
    }

    /// Watches a process (exit, output) and starts its health probe.
    private func follow(_ slug: String, generation: Int, pid: Int32, isChild: Bool, output: Int32?) {
        guard let tenant = tenants[slug] else { return }
        var workerLogger = tenant.logger
        workerLogger[metadataKey: "worker.pid"] = "\(pid)"
        if let output {
            let lineLogger = workerLogger
            watcher.readLines(from: output) { line in Self.logWorkerLine(line, logger: lineLogger) }
        }
        watcher.watch(pid: pid, isChild: isChild) { exit in
            Task { await self.processExited(slug, generation: generation, pid: pid, exit: exit) }
        }
        let probe = Task { await self.probeLoop(slug, generation: generation, pid: pid) }
        tenants[slug]?.processes[generation]?.probe = probe
    }

    private func processExited(_ slug: String, generation: Int, pid: Int32, exit: WorkerExit) {
        guard let process = tenants[slug]?.processes[generation], process.pid == pid else { return }
        tenants[slug]?.processes[generation] = nil
        process.probe?.cancel()
        process.paths.remove()
        tenants[slug]?.lastExit = exit.description
        guard let tenant = tenants[slug] else { return }
        let metadata: Logger.Metadata = [
            "worker.pid": "\(pid)", "worker.generation": "\(generation)", "worker.exit": "\(exit)",
        ]
        if tenant.machine.retiring.contains(generation) {
            tenant.logger.info("worker stopped", metadata: metadata)
        } else {
            tenant.logger.warning("worker exited unexpectedly", metadata: metadata)
        }
        writeRecord(slug)
        event(slug) { $0.exited(generation: generation, at: .now) }
    }

    // MARK: - Health checks

    private enum ProbeResult: Sendable {
        case answered(ready: Bool)
        case missed(String)
    }

    private func probeLoop(_ slug: String, generation: Int, pid: Int32) async {
        var interval = settings.startingProbeInterval
        let socket = tenants[slug]?.processes[generation]?.paths.controlSocket ?? ""
        let timeout = settings.healthCheckTimeout
        // Fast probes are for start-up only: a worker whose dependencies stay down is then checked
        // at the normal interval, not twenty times a second.
        var fastProbes = 0
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let result = await Self.probe(socket: socket, slug: slug, pid: pid, timeout: timeout)
            guard let next = healthResult(slug, generation: generation, result: result) else { return }
            if next == settings.startingProbeInterval {
                fastProbes += 1
                interval = fastProbes > 200 ? settings.healthCheckInterval : next
            } else {
                fastProbes = 0
                interval = next
            }
        }
    }

    /// Applies a probe result; returns when to probe next, nil to stop (the process is retiring or gone).
    private func healthResult(_ slug: String, generation: Int, result: ProbeResult) -> Duration? {
        guard tenants[slug]?.processes[generation] != nil, let machine = tenants[slug]?.machine else { return nil }
        guard machine.currentGenerations.contains(generation) else { return nil }
        let answered: Bool
        switch result {
        case .answered(let ready):
            answered = true
            tenants[slug]?.processes[generation]?.ready = ready
        case .missed(let reason):
            answered = false
            tenants[slug]?.processes[generation]?.ready = false
            if machine.routed == generation {
                tenants[slug]?.logger.warning(
                    "worker missed a health check",
                    metadata: ["worker.generation": "\(generation)", "reason": "\(reason)"])
            }
        }
        let ready = tenants[slug]?.processes[generation]?.ready ?? false
        event(slug) { $0.healthCheck(generation: generation, answered: answered, ready: ready, at: .now) }
        guard let after = tenants[slug]?.machine, after.currentGenerations.contains(generation) else { return nil }
        // Probe fast until the routed worker also reports its dependencies ready: a worker answers
        // /healthz before its first PostgreSQL/Redis check has run, and waiting a whole interval
        // for that would add up to two seconds to every tenant creation.
        return after.routed == generation && ready ? settings.healthCheckInterval : settings.startingProbeInterval
    }

    /// GET /healthz on the worker's control socket. An answer counts only if it names this tenant and
    /// this pid (a stale socket or a recycled path must not pass for the worker).
    private static func probe(socket: String, slug: String, pid: Int32, timeout: Duration) async -> ProbeResult {
        do {
            let response = try await UnixSocketHTTP.get(socketPath: socket, path: "/healthz", timeout: timeout)
            let report = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            if let tenant = report?["tenant"] as? String, tenant != slug {
                return .missed("the control socket answers for tenant \(tenant)")
            }
            if let answeringPid = (report?["pid"] as? NSNumber)?.int32Value, answeringPid != pid {
                return .missed("the control socket answers from pid \(answeringPid)")
            }
            return .answered(ready: response.status == 200)
        } catch {
            return .missed("\(error)")
        }
    }

    // MARK: - Adoption

    /// Reads the pid file and checks each recorded process: alive, and its control socket answers
    /// `/healthz` for this tenant with this pid. Runs before the tenant is supervised.
    private static func inspect(slug: String, runDirectory: String, timeout: Duration) async -> AdoptionPlan {
        var plan = AdoptionPlan()
        guard let record = WorkerRecord.read(runDirectory: runDirectory, slug: slug), record.slug == slug else {
            return plan
        }
        var verified: [WorkerRecord.Process] = []
        for process in record.processes {
            plan.nextGeneration = max(plan.nextGeneration, process.generation + 1)
            guard isAlive(process.pid) else {
                process.paths.remove()
                continue
            }
            if case .answered = await probe(
                socket: process.paths.controlSocket, slug: slug, pid: process.pid, timeout: timeout)
            {
                verified.append(process)
            } else if commandLine(of: process.pid).contains(process.paths.controlSocket) {
                // Ours (its command line names the socket) but deaf: a hung worker, not to be left beside
                // the one about to start.
                kill(process.pid, SIGKILL)
            }
        }
        plan.serving =
            verified.first { $0.generation == record.routed } ?? verified.max { $0.generation < $1.generation }
        plan.others = verified.filter { $0.generation != plan.serving?.generation }
        return plan
    }

    private func adopt(_ launch: WorkerLaunch, plan: AdoptionPlan) {
        let slug = launch.slug
        var tenantLogger = logger
        tenantLogger[metadataKey: "tenant.slug"] = "\(slug)"
        tenants[slug] = Tenant(
            launch: launch,
            machine: WorkerStateMachine(settings: settings.machine, nextGeneration: plan.nextGeneration),
            metrics: metrics.tenant(slug), logger: tenantLogger)
        for process in [plan.serving].compactMap({ $0 }) + plan.others {
            tenants[slug]?.processes[process.generation] = Process(
                pid: process.pid, paths: process.paths, startedAt: process.startedAt, adopted: true)
            follow(
                slug, generation: process.generation, pid: process.pid, isChild: false,
                output: WorkerSpawner.reopenOutput(process.paths.output))
        }
        if let serving = plan.serving {
            tenants[slug]?.lastStart = serving.startedAt
            tenants[slug]?.metrics.lastStart.record(serving.startedAt.timeIntervalSince1970)
            event(slug) { $0.adopt(generation: serving.generation, at: .now) }
            for other in plan.others {
                event(slug) { $0.retireAdopted(generation: other.generation) }
            }
        } else {
            event(slug) { $0.start(at: .now) }
        }
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    private static func commandLine(of pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: - Waiting

    private func wait(_ slug: String, for goal: Goal, timeout: Duration?) async throws {
        if try reached(slug, goal) { return }
        let id = UUID()
        if let timeout {
            schedule(after: timeout) { supervisor in await supervisor.expire(slug, waiter: id, after: timeout) }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if tenants[slug] == nil {
                continuation.resume(throwing: unknown(slug))
            } else {
                tenants[slug]?.waiters.append(Waiter(id: id, goal: goal, continuation: continuation))
            }
        }
    }

    private func expire(_ slug: String, waiter id: UUID, after timeout: Duration) {
        guard let index = tenants[slug]?.waiters.firstIndex(where: { $0.id == id }),
            let waiter = tenants[slug]?.waiters.remove(at: index)
        else { return }
        waiter.continuation.resume(
            throwing: SupervisorError(
                "tenant \(slug): still \(tenants[slug]?.machine.stateName ?? "unknown") after \(timeout)"))
    }

    /// True when `goal` holds, nil-free: throws when it can no longer hold.
    private func reached(_ slug: String, _ goal: Goal) throws -> Bool {
        guard let tenant = tenants[slug] else { throw unknown(slug) }
        let machine = tenant.machine
        switch goal {
        case .running:
            switch machine.state {
            case .running, .replacing: return true
            case .starting: return false
            case .backingOff, .crashLoop:
                throw SupervisorError(
                    "tenant \(slug): the worker exited before answering a health check (\(tenant.lastExit ?? "unknown"))"
                )
            case .stopped, .draining:
                throw SupervisorError("tenant \(slug): the worker was stopped before it answered a health check")
            }
        case .generationRouted(let generation):
            if machine.routed == generation { return true }
            if machine.currentGenerations.contains(generation) { return false }
            throw SupervisorError(
                "tenant \(slug): the new worker did not come up (\(tenant.lastExit ?? "unknown")); the old one keeps serving"
            )
        case .stopped:
            switch machine.state {
            case .stopped, .crashLoop, .backingOff: return tenant.processes.isEmpty
            case .draining: return false
            case .starting, .running, .replacing:
                throw SupervisorError("tenant \(slug) was started again while draining")
            }
        }
    }

    private func settleWaiters(_ slug: String, after actions: [WorkerStateMachine.Action]) {
        guard let waiters = tenants[slug]?.waiters, !waiters.isEmpty else { return }
        var pending: [Waiter] = []
        for waiter in waiters {
            do {
                if try reached(slug, waiter.goal) {
                    waiter.continuation.resume()
                } else {
                    pending.append(waiter)
                }
            } catch {
                waiter.continuation.resume(throwing: error)
            }
        }
        tenants[slug]?.waiters = pending
    }

    // MARK: - Helpers

    private func schedule(after delay: Duration, _ body: @escaping @Sendable (WorkerSupervisor) async -> Void) {
        let id = UUID()
        timers[id] = Task {
            do { try await Task.sleep(for: delay) } catch { return }
            self.fired(id)
            await body(self)
        }
    }

    private func fired(_ id: UUID) { timers[id] = nil }

    private func countChanges(_ slug: String, from before: WorkerStateMachine) {
        guard let tenant = tenants[slug] else { return }
        let after = tenant.machine
        if after.restarts > before.restarts { tenant.metrics.restarts.increment(by: after.restarts - before.restarts) }
        if after.crashLoops > before.crashLoops {
            tenant.metrics.crashLoops.increment(by: after.crashLoops - before.crashLoops)
        }
        if after.healthCheckFailures > before.healthCheckFailures {
            tenant.metrics.healthCheckFailures.increment(by: after.healthCheckFailures - before.healthCheckFailures)
        }
    }

    private func writeRecord(_ slug: String) {
        guard let tenant = tenants[slug] else { return }
        let record = WorkerRecord(
            slug: slug, routed: tenant.machine.routed,
            processes: tenant.processes.sorted { $0.key < $1.key }.map {
                WorkerRecord.Process(
                    generation: $0.key, pid: $0.value.pid, paths: $0.value.paths, startedAt: $0.value.startedAt)
            })
        do {
            try record.write(runDirectory: runDirectory)
        } catch {
            tenant.logger.error("cannot record the worker's pid; a restarted control plane will not adopt it: \(error)")
        }
    }

    /// `<run>/<slug>.sock` and `<run>/<slug>.handover` are symbolic links to the serving generation's
    /// sockets (replaced atomically), for operators' tools and for readers of the fixed paths; absent
    /// while no worker serves, so a connect fails at once.
    private func setAliases(_ slug: String, to paths: WorkerPaths?) {
        let aliases = WorkerPaths.aliases(runDirectory: runDirectory, slug: slug)
        for (alias, target) in [(aliases.control, paths?.controlSocket), (aliases.handover, paths?.handoverSocket)] {
            guard let target else {
                unlink(alias)
                continue
            }
            let temporary = alias + ".new"
            unlink(temporary)
            if symlink((target as NSString).lastPathComponent, temporary) != 0 || rename(temporary, alias) != 0 {
                logger.warning("cannot link \(alias) to \(target): \(String(cString: strerror(errno)))")
                unlink(temporary)
            }
        }
    }

    private func status(of slug: String) throws -> WorkerStatus {
        guard let tenant = tenants[slug] else { throw unknown(slug) }
        let machine = tenant.machine
        let generation = machine.routed ?? machine.currentGenerations.last
        let process = generation.flatMap { tenant.processes[$0] }
        return WorkerStatus(
            slug: slug, state: machine.stateName, pid: process?.pid, generation: process == nil ? nil : generation,
            restarts: machine.restarts, crashLoops: machine.crashLoops,
            healthCheckFailures: machine.healthCheckFailures,
            healthy: machine.routed != nil && process?.ready == true, adopted: process?.adopted ?? false,
            lastExit: tenant.lastExit, lastStart: tenant.lastStart, controlSocket: process?.paths.controlSocket,
            handoverSocket: process?.paths.handoverSocket)
    }

    private func unknown(_ slug: String) -> SupervisorError {
        SupervisorError("tenant \(slug) is not supervised")
    }

    /// Re-logs one line of a worker's output under the control plane's logger with the tenant's
    /// metadata, at the level the worker's own log handler wrote (`<time> <level> <label> : ...`).
    static func logWorkerLine(_ line: String, logger: Logger) {
        guard !line.isEmpty else { return }
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        let level = fields.count > 1 ? Logger.Level(rawValue: String(fields[1])) ?? .info : .info
        logger.log(level: level, "\(line)", metadata: ["source": "worker"])
    }
}
