// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The supervisor as part of the real `controlplane` executable: a killed worker serves again at
/// once, and a control plane that dies (SIGKILL) leaves its workers running for the next one to
/// adopt (same processes, no duplicates).
@Suite("Supervisor end to end", .serialized)
struct SupervisorEndToEndTests {
    let e2e = ControlPlaneEndToEndTests()

    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    @Test func workersOutliveAKilledControlPlaneAndTheNextOneAdoptsThem() async throws {
        let d = try e2e.deploy()
        let bootstrap = try e2e.controlplane(
            ["bootstrap-db", "--config", d.config, "--superuser", try TestEnvironment.postgresSuperuserURL()],
            log: d.dir + "/bootstrap.log")
        try #require(await bootstrap.exit(within: .seconds(60)))
        try #require(bootstrap.terminationStatus == 0)

        let log = d.dir + "/controlplane.log"
        let cp = try e2e.controlplane(["run", "--config", d.config], log: log)
        defer { if cp.isRunning { kill(cp.processIdentifier, SIGKILL) } }
        let healthy = try await e2e.waitForAdmin(d, process: cp, log: log) { h in
            h.workers.count == 2 && h.workers.allSatisfy { $0.state == "running" && $0.healthy }
        }

        // kill -9: serving again, as the control plane reports it, well within 2 s.
        let victim = try #require(healthy.workers.first { $0.slug == d.slugs[0] }?.pid)
        let killed = ContinuousClock.now
        kill(victim, SIGKILL)
        _ = try await e2e.waitForAdmin(d, process: cp, log: log, timeout: .seconds(10)) { h in
            guard let w = h.workers.first(where: { $0.slug == d.slugs[0] }) else { return false }
            return w.pid != nil && w.pid != victim && w.state == "running" && w.healthy
        }
        let recovery = ContinuousClock.now - killed
        print("controlplane: kill -9 of a worker → running and healthy again after \(Int(recovery.seconds * 1000)) ms")
        #expect(recovery < .seconds(5))

        // Prometheus metrics on the admin listener.
        let (body, response) = try await URLSession.shared.data(
            from: try #require(URL(string: "http://127.0.0.1:\(d.adminPort)/metrics")))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let metrics = String(decoding: body, as: UTF8.self)
        #expect(metrics.contains("csms_worker_restarts_total{tenant=\"\(d.slugs[0])\"} 1"), "\(metrics)")
        #expect(metrics.contains("csms_worker_restarts_total{tenant=\"\(d.slugs[1])\"} 0"))
        #expect(metrics.contains("csms_worker_state{tenant=\"\(d.slugs[0])\",state=\"running\"} 1"))
        #expect(metrics.contains("csms_worker_crash_loops_total{tenant=\"\(d.slugs[0])\"} 0"))
        #expect(metrics.contains("csms_worker_health_check_failures_total{tenant=\"\(d.slugs[0])\"}"))
        #expect(metrics.contains("csms_worker_last_start_time_seconds{tenant=\"\(d.slugs[0])\"}"))

        // SIGKILL the control plane: every worker keeps running and answering.
        let before = try await e2e.waitForAdmin(d, process: cp, log: log) { h in
            h.workers.allSatisfy { $0.state == "running" && $0.healthy }
        }
        let pids = Dictionary(uniqueKeysWithValues: before.workers.compactMap { w in w.pid.map { (w.slug, $0) } })
        #expect(pids.count == 2)
        kill(cp.processIdentifier, SIGKILL)
        try #require(await cp.exit(within: .seconds(10)))
        try await Task.sleep(for: .seconds(1))
        for (slug, pid) in pids {
            #expect(Self.isAlive(pid), "worker of \(slug) died with its control plane")
            let health = try await UnixSocketHTTP.get(socketPath: d.dir + "/data/run/\(slug).sock", path: "/healthz")
            #expect(health.status == 200)
        }

        // The next control plane adopts them: same processes, no second worker.
        let log2 = d.dir + "/controlplane-2.log"
        let cp2 = try e2e.controlplane(["run", "--config", d.config], log: log2)
        defer { if cp2.isRunning { kill(cp2.processIdentifier, SIGKILL) } }
        let adopted = try await e2e.waitForAdmin(d, process: cp2, log: log2) { h in
            h.workers.count == 2 && h.workers.allSatisfy { $0.state == "running" && $0.healthy }
        }
        for worker in adopted.workers {
            #expect(worker.pid == pids[worker.slug], "\(worker.slug) was not adopted")
            #expect(try e2e.pidsOfWorkers(for: worker.slug).count == 1)
        }
        let output = (try? String(contentsOfFile: log2, encoding: .utf8)) ?? ""
        #expect(output.contains("adopted worker serves the tenant"))

        // SIGTERM stops the control plane and the workers it adopted.
        cp2.terminate()
        try #require(await cp2.exit(within: .seconds(30)))
        #expect(cp2.terminationStatus == 0)
        for slug in d.slugs {
            #expect(try e2e.pidsOfWorkers(for: slug).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: d.dir + "/data/run/\(slug).pid"))
        }
    }
}
