// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import ControlPlaneCore
import Foundation
import Logging
import Synchronization
import TestFixtures
import TestSupport
import Testing

/// Log lines captured from the supervisor, with their level and metadata.
final class CapturedLog: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "supervisor-test") { _ in Handler(log: self) }
    }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var all = metadata
            for (key, value) in event.metadata ?? [:] { all[key] = value }
            log.append(
                Entry(level: event.level, message: "\(event.message)", metadata: all.mapValues { "\($0)" }))
        }
    }
}

/// Runs `WorkerSupervisor` in-process with real child processes: shell scripts standing in for
/// workers that crash, ignore SIGTERM or print, and the real `tenant-worker` against the test
/// PostgreSQL and Redis for kill -9 recovery, rolling restart and adoption.
@Suite("Worker supervisor with real processes", .serialized)
struct WorkerSupervisorTests {
    struct Sandbox {
        let dir: String
        var run: String { dir + "/run" }

        init() throws { dir = try TestEnvironment.temporaryDirectory("sup") }

        /// An executable shell script.
        func script(_ name: String, _ body: String) throws -> String {
            let path = dir + "/\(name).sh"
            try
                ("#!/bin/sh\n# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.\n"
                + body).write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            return path
        }

        func lines(_ file: String) -> [String] {
            ((try? String(contentsOfFile: dir + "/" + file, encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }
    }

    func settings(stopTimeout: Duration = .seconds(5)) -> WorkerSupervisor.Settings {
        var settings = WorkerSupervisor.Settings()
        settings.stopTimeout = stopTimeout
        return settings
    }

    /// Polls `condition` every 5 ms until it holds or `timeout` passes.
    func eventually(_ timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    // MARK: Fake workers

    @Test func workerOutputIsLoggedLineByLineUnderTheTenant() async throws {
        let box = try Sandbox()
        let log = CapturedLog()
        let worker = try box.script(
            "talker",
            """
            echo "plain line"
            echo "2026-11-26T00:00:00+0000 error tenant-worker : tenant.slug=talk [WorkerCore] something broke" >&2
            printf 'no newline at the end'
            exec sleep 30
            """)
        let supervisor = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: log.logger())
        try await supervisor.start(
            config: WorkerLaunch(slug: "talk", executable: worker, arguments: []), waitUntilRunning: false)
        let captured = await eventually {
            log.all.contains { $0.message.hasPrefix("2026-11-26") } && log.all.contains { $0.message == "plain line" }
        }
        #expect(captured, "\(log.all.map(\.message))")
        let plain = log.all.first { $0.message == "plain line" }
        #expect(plain?.metadata["tenant.slug"] == "talk")
        #expect(plain?.metadata["worker.pid"] != nil)
        #expect(plain?.level == .info)
        #expect(log.all.first { $0.message.contains("something broke") }?.level == .error)
        await supervisor.shutdown(leavingWorkersRunning: false)
        // The unterminated last line is flushed when the output closes.
        #expect(await eventually { log.all.contains { $0.message == "no newline at the end" } })
    }

    @Test func fiveCrashesInAMinuteStopTheRestartsUntilResumed() async throws {
        let box = try Sandbox()
        let log = CapturedLog()
        var settings = settings()
        settings.machine.initialBackoff = .milliseconds(100)
        let worker = try box.script("crasher", "echo run >> \(box.dir)/runs\nexit 3\n")
        let supervisor = WorkerSupervisor(settings: settings, runDirectory: box.run, logger: log.logger())
        let launch = WorkerLaunch(slug: "crashy", executable: worker, arguments: [])
        await #expect(throws: SupervisorError.self) { try await supervisor.start(config: launch) }
        #expect(await eventually { await supervisor.state(slug: "crashy")?.state == "crash_loop" })
        #expect(box.lines("runs").count == 5)
        // No more automatic restarts.
        try await Task.sleep(for: .seconds(1))
        #expect(box.lines("runs").count == 5)
        let status = try #require(await supervisor.state(slug: "crashy"))
        #expect(status.restarts == 4)
        #expect(status.crashLoops == 1)
        #expect(status.lastExit == "exited with status 3")
        #expect(log.all.contains { $0.level == .error && $0.message.contains("crash-looping") })
        let metrics = supervisor.metrics.exposition()
        #expect(metrics.contains(#"csms_worker_crash_loops_total{tenant="crashy"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"csms_worker_restarts_total{tenant="crashy"} 4"#))
        #expect(metrics.contains(#"csms_worker_state{tenant="crashy",state="crash_loop"} 1"#))
        #expect(metrics.contains(#"csms_worker_state{tenant="crashy",state="running"} 0"#))
        await #expect(throws: SupervisorError.self) { try await supervisor.restart(slug: "crashy") }

        // The operator fixes the cause and resumes: it starts again.
        _ = try box.script("crasher", "echo run >> \(box.dir)/runs\nexec sleep 30\n")
        try await supervisor.resume(slug: "crashy", waitUntilRunning: false)
        #expect(await eventually { box.lines("runs").count == 6 })
        #expect(await supervisor.state(slug: "crashy")?.state == "starting")
        try await supervisor.stop(slug: "crashy")
        #expect(await supervisor.state(slug: "crashy") == nil)
        #expect(!supervisor.metrics.exposition().contains("crashy"))
        await supervisor.shutdown(leavingWorkersRunning: false)
    }

    @Test func aMissingExecutableIsACrashLoopToo() async throws {
        let box = try Sandbox()
        var settings = settings()
        settings.machine.initialBackoff = .milliseconds(10)
        let supervisor = WorkerSupervisor(settings: settings, runDirectory: box.run, logger: CapturedLog().logger())
        let launch = WorkerLaunch(slug: "ghost", executable: box.dir + "/no-such-worker", arguments: [])
        await #expect(throws: SupervisorError.self) { try await supervisor.start(config: launch) }
        #expect(await eventually { await supervisor.state(slug: "ghost")?.state == "crash_loop" })
        #expect(await supervisor.state(slug: "ghost")?.lastExit?.contains("No such file") == true)
        await supervisor.shutdown(leavingWorkersRunning: false)
    }

    @Test func drainSendsSIGTERMThenSIGKILLAfterTheStopTimeout() async throws {
        let box = try Sandbox()
        let log = CapturedLog()
        let stubborn = try box.script(
            "stubborn", "trap 'echo TERM ignored >> \(box.dir)/signals' TERM\nwhile :; do sleep 0.05; done\n")
        let polite = try box.script(
            "polite", "trap 'echo TERM >> \(box.dir)/signals-polite; exit 0' TERM\nwhile :; do sleep 0.05; done\n")
        let supervisor = WorkerSupervisor(
            settings: settings(stopTimeout: .seconds(1)), runDirectory: box.run, logger: log.logger())
        try await supervisor.start(
            config: WorkerLaunch(slug: "stubborn", executable: stubborn, arguments: []), waitUntilRunning: false)
        try await supervisor.start(
            config: WorkerLaunch(slug: "polite", executable: polite, arguments: []), waitUntilRunning: false)
        let stubbornPid = try #require(await supervisor.state(slug: "stubborn")?.pid)
        let politePid = try #require(await supervisor.state(slug: "polite")?.pid)
        try await Task.sleep(for: .milliseconds(200))  // let the shells install their traps

        let started = ContinuousClock.now
        try await supervisor.drain(slug: "stubborn")
        let took = ContinuousClock.now - started
        #expect(took >= .seconds(1) && took < .seconds(4), "drain took \(took)")
        #expect(box.lines("signals") == ["TERM ignored"])
        #expect(!Self.isAlive(stubbornPid))
        let stubbornStatus = await supervisor.state(slug: "stubborn")
        #expect(stubbornStatus?.state == "stopped")
        #expect(stubbornStatus?.lastExit == "killed by signal 9")
        #expect(log.all.contains { $0.message.contains("did not exit within") })

        let politeStarted = ContinuousClock.now
        try await supervisor.drain(slug: "polite")
        #expect(ContinuousClock.now - politeStarted < .seconds(1))
        #expect(box.lines("signals-polite") == ["TERM"])
        #expect(await supervisor.state(slug: "polite")?.lastExit == "exited with status 0")
        #expect(!Self.isAlive(politePid))
        // Drained is not crashed.
        #expect(await supervisor.state(slug: "polite")?.restarts == 0)
        // Nothing left in the run folder but the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.run).isEmpty)
        await supervisor.shutdown(leavingWorkersRunning: false)
    }

    @Test func workersRunInTheirOwnSessionWithOnlyTheirStandardDescriptors() async throws {
        let box = try Sandbox()
        let worker = try box.script("inspect", "exec sleep 30\n")
        // A descriptor the control plane holds without close-on-exec must not leak into the worker.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        let supervisor = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: CapturedLog().logger())
        try await supervisor.start(
            config: WorkerLaunch(slug: "inspect", executable: worker, arguments: []), waitUntilRunning: false)
        let pid = try #require(await supervisor.state(slug: "inspect")?.pid)
        // Wait until `sleep` itself is asleep: right after the exec, the dynamic loader briefly
        // holds each shared library it maps open on descriptor 3.
        #expect(
            await eventually {
                let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                let state = stat.split(separator: ")").last?.split(separator: " ").first
                return command.hasPrefix("sleep") && state == "S"
            })
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").sorted()
        #expect(fds == ["0", "1", "2"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0") == "/dev/null")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/2") == box.run + "/inspect.1.out"
        )
        // Session id (field 6 of /proc/pid/stat) = its own pid: not in the control plane's session or group.
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")") ?? stat.startIndex)...].split(separator: " ")
        #expect(fields.count > 4 && fields[3] == "\(pid)", "session of \(pid): \(fields.prefix(5))")
        // No standard signal (1–31) ignored or blocked (the control plane ignores SIGTERM/SIGINT itself).
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix("SigIgn") || line.hasPrefix("SigBlk") {
            let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16) ?? .max
            #expect(mask & 0x7fff_ffff == 0, "\(line)")
        }
        await supervisor.shutdown(leavingWorkersRunning: false)
    }

    // MARK: The real worker

    struct RealWorker {
        let launch: WorkerLaunch
        let database: TestDatabase
    }

    func realWorker(
        slug: String, in box: Sandbox, logLevel: String = "info", handover: Bool = false
    ) async throws
        -> RealWorker
    {
        let database = try await TestDatabase.create(prefix: "sup")
        let tenant = try await database.createTenant(slug: slug)
        let yaml = box.dir + "/\(slug).yaml"
        try "slug: \(slug)\ndisplay_name: Tenant \(slug)\nplan: test\n".write(
            toFile: yaml, atomically: true, encoding: .utf8)
        try TestEnvironment.write(secret: tenant.password, to: box.dir + "/\(slug)-pg.pw")
        let redisPassword = try TestEnvironment.redisAdminPasswordFile(in: box.dir)
        let launch = WorkerLaunch(
            slug: slug, executable: try TestEnvironment.binDirectory() + "/tenant-worker",
            arguments: [
                "--tenant-config", yaml, "--postgres", tenant.conninfo, "--postgres-password-file",
                box.dir + "/\(slug)-pg.pw", "--redis", "127.0.0.1:\(try TestEnvironment.redisPort())", "--redis-user",
                try TestEnvironment.redisAdminUser(), "--redis-password-file", redisPassword, "--health-interval",
                "0.5",
                "--log-level", logLevel,
            ] + (handover ? ["--base-domain", "csms.test"] : []),
            handoverSocketOption: handover ? "--handover-socket" : nil)
        return RealWorker(launch: launch, database: database)
    }

    @Test func killNineIsNoticedAtOnceAndTheTenantServesAgainWithinTwoSeconds() async throws {
        let box = try Sandbox()
        let log = CapturedLog()
        let worker = try await realWorker(slug: "kill9", in: box)
        let supervisor = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: log.logger())
        let first = try await supervisor.start(config: worker.launch)
        #expect(first.state == "running")
        let pid = try #require(first.pid)
        let endpoint = try #require(supervisor.directory.endpoint(for: "kill9"))
        #expect(endpoint.pid == pid)
        #expect(endpoint.controlSocket == box.run + "/kill9.1.sock")
        #expect(endpoint.handoverSocket == box.run + "/kill9.1.handover")

        var measurements: [(noticed: Duration, serving: Duration)] = []
        var victim = pid
        for _ in 0..<3 {
            let killed = ContinuousClock.now
            kill(victim, SIGKILL)
            #expect(await eventually { await supervisor.state(slug: "kill9")?.pid != victim })
            let noticed = ContinuousClock.now - killed
            #expect(
                await eventually {
                    supervisor.directory.endpoint(for: "kill9").map { $0.pid != victim } ?? false
                })
            let serving = ContinuousClock.now - killed
            measurements.append((noticed, serving))
            #expect(noticed < .seconds(1), "exit noticed after \(noticed)")
            #expect(serving < .seconds(5), "serving again after \(serving)")
            victim = try #require(await supervisor.state(slug: "kill9")?.pid)
            // Spaced out so the three kills stay below the crash-loop threshold and restart at once.
            try await Task.sleep(for: .milliseconds(300))
        }
        print(
            "kill -9 → exit noticed / serving again (ms): "
                + measurements.map {
                    "\(Int($0.noticed.seconds * 1000)) / \(Int($0.serving.seconds * 1000))"
                }.joined(separator: ", "))

        let status = try #require(await supervisor.state(slug: "kill9"))
        #expect(status.state == "running")
        #expect(status.restarts == 3)
        #expect(status.lastExit == "killed by signal 9")
        // The stable alias follows the serving generation, and answers for the tenant.
        let alias = try FileManager.default.destinationOfSymbolicLink(atPath: box.run + "/kill9.sock")
        #expect(alias == "kill9.\(status.generation ?? 0).sock")
        let health = try await UnixSocketHTTP.get(socketPath: box.run + "/kill9.sock", path: "/healthz")
        #expect(health.text.contains("\"kill9\""))
        let metrics = supervisor.metrics.exposition()
        #expect(metrics.contains(#"csms_worker_restarts_total{tenant="kill9"} 3"#), "\(metrics)")
        #expect(metrics.contains(#"csms_worker_state{tenant="kill9",state="running"} 1"#))
        #expect(metrics.contains(#"csms_worker_last_start_time_seconds{tenant="kill9"}"#))
        // The worker's own lines reach the control plane's log under the tenant.
        #expect(log.all.contains { $0.metadata["source"] == "worker" && $0.message.contains("tenant worker starting") })
        await supervisor.shutdown(leavingWorkersRunning: false)
        #expect(!Self.isAlive(victim))
    }

    @Test func rollingRestartSwitchesToTheNewWorkerThenDrainsTheOld() async throws {
        let box = try Sandbox()
        let worker = try await realWorker(slug: "roll", in: box, handover: true)
        let supervisor = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: CapturedLog().logger())
        let before = try await supervisor.start(config: worker.launch)
        let oldPid = try #require(before.pid)

        // While the restart runs, the directory always names a live worker.
        let watching = Task {
            var seen: Set<Int> = []
            while !Task.isCancelled {
                if let endpoint = supervisor.directory.endpoint(for: "roll") { seen.insert(endpoint.generation) }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return seen
        }
        try await supervisor.restart(slug: "roll")
        let after = try #require(await supervisor.state(slug: "roll"))
        #expect(after.state == "running")
        #expect(after.generation == 2)
        #expect(after.pid != oldPid)
        #expect(after.restarts == 0)
        #expect(supervisor.directory.endpoint(for: "roll")?.handoverSocket == box.run + "/roll.2.handover")
        // The new worker listens on its own generation's hand-over socket; the alias follows it.
        var info = stat()
        #expect(stat(box.run + "/roll.2.handover", &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK)
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: box.run + "/roll.handover") == "roll.2.handover")
        // The old worker drains (SIGTERM) and exits by itself.
        #expect(await eventually { !Self.isAlive(oldPid) })
        watching.cancel()
        #expect(await watching.value == [1, 2])

        try await supervisor.restartAll()
        #expect(await supervisor.state(slug: "roll")?.generation == 3)
        await supervisor.shutdown(leavingWorkersRunning: false)
    }

    @Test func aNewSupervisorAdoptsTheRunningWorkerInsteadOfStartingASecond() async throws {
        let box = try Sandbox()
        let worker = try await realWorker(slug: "adopt", in: box, logLevel: "trace")
        let first = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: CapturedLog().logger())
        let pid = try #require(try await first.start(config: worker.launch).pid)
        // The first control plane goes away without stopping its worker (as if SIGKILLed).
        await first.shutdown(leavingWorkersRunning: true)
        #expect(Self.isAlive(pid))
        // Nobody reads the worker's output now: its log writes fail with EPIPE, which must not kill it.
        for _ in 0..<3 {
            _ = try? await UnixSocketHTTP.get(socketPath: box.run + "/adopt.1.sock", path: "/healthz")
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(Self.isAlive(pid))

        let log = CapturedLog()
        let second = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: log.logger())
        let adopted = try await second.start(config: worker.launch)
        #expect(adopted.pid == pid)
        #expect(adopted.adopted)
        #expect(adopted.state == "running")
        #expect(second.directory.endpoint(for: "adopt")?.pid == pid)
        // Its output is read again (the FIFO is reopened).
        _ = try? await UnixSocketHTTP.get(socketPath: box.run + "/adopt.1.sock", path: "/healthz")
        #expect(
            await eventually(.seconds(5)) { log.all.contains { $0.metadata["source"] == "worker" } },
            "no worker output after adoption")
        // A crash of the adopted worker is noticed (it is not our child) and it is restarted.
        let killed = ContinuousClock.now
        kill(pid, SIGKILL)
        #expect(await eventually { second.directory.endpoint(for: "adopt").map { $0.pid != pid } ?? false })
        print("adopted worker kill -9 → serving again after \(Int((ContinuousClock.now - killed).seconds * 1000)) ms")
        #expect(await second.state(slug: "adopt")?.generation == 2)
        await second.shutdown(leavingWorkersRunning: false)
        #expect(!FileManager.default.fileExists(atPath: box.run + "/adopt.pid"))
    }

    @Test func aRecordedPidThatIsNotTheWorkerIsNotAdopted() async throws {
        let box = try Sandbox()
        let worker = try box.script("sleeper", "while :; do sleep 0.05; done\n")
        let first = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: CapturedLog().logger())
        try await first.start(
            config: WorkerLaunch(slug: "deaf", executable: worker, arguments: []), waitUntilRunning: false)
        let pid = try #require(await first.state(slug: "deaf")?.pid)
        await first.shutdown(leavingWorkersRunning: true)
        // The recorded process never answered /healthz: the next supervisor starts a new worker, and
        // kills the deaf one (its command line names the recorded socket, so it is ours).
        let second = WorkerSupervisor(settings: settings(), runDirectory: box.run, logger: CapturedLog().logger())
        try await second.start(
            config: WorkerLaunch(slug: "deaf", executable: worker, arguments: []), waitUntilRunning: false)
        let status = try #require(await second.state(slug: "deaf"))
        #expect(status.pid != pid)
        #expect(status.generation == 2)
        #expect(await eventually { !Self.isAlive(pid) })
        await second.shutdown(leavingWorkersRunning: false)
    }
}
