// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
import TestFixtures
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs the real `controlplane` executable against the real PostgreSQL and Redis: it bootstraps
/// and migrates the database, provisions two tenants, starts one worker process per tenant,
/// restarts a killed worker, and stops everything on SIGTERM.
@Suite("Control plane end to end", .serialized)
struct ControlPlaneEndToEndTests {
    struct Deployment {
        let dir: String
        let config: String
        let adminPort: Int
        let slugs: [String]
        let database: String
    }

    /// The same password every test uses for the cluster-wide control-plane role.
    static let controlPassword = TestDatabase.controlPassword

    func deploy() throws -> Deployment {
        let dir = try TestEnvironment.temporaryDirectory("cp-e2e")
        let suffix = TestEnvironment.uniqueSuffix()
        let database = "csms_e2e_\(suffix)"
        let adminPort = try TestEnvironment.freePort()
        let routerPort = try TestEnvironment.freePort()
        let slugs = ["alpha-\(suffix.prefix(6))", "beta-\(suffix.prefix(6))"]
        try FileManager.default.createDirectory(atPath: dir + "/tenants", withIntermediateDirectories: true)
        try TestEnvironment.write(secret: Self.controlPassword, to: dir + "/pg-control.pw")
        _ = try TestEnvironment.redisAdminPasswordFile(in: dir)
        let config = """
            base_domain: csms.test
            listen:
              http: 127.0.0.1:\(routerPort)
              admin: 127.0.0.1:\(adminPort)
            data_directory: \(dir)/data
            tenants_directory: \(dir)/tenants
            migrations_directory: \(TestEnvironment.repositoryRoot.path)/migrations
            worker:
              executable: \(try TestEnvironment.binDirectory())/tenant-worker
              health_check_interval: 500ms
              stop_timeout: 10s
            postgres:
              host: 127.0.0.1
              port: \(try TestEnvironment.postgresPort())
              database: \(database)
              user: csms_control
              password_file: \(dir)/pg-control.pw
            redis:
              host: 127.0.0.1
              port: \(try TestEnvironment.redisPort())
              user: \(try TestEnvironment.redisAdminUser())
              password_file: \(dir)/redis-admin.pw
            plans:
              - name: starter
                monthly_price: "49.00"
                included_stations: 10
                price_per_extra_station: "4.00"
                max_stations: 50
                max_concurrent_connections: 100
                api_requests_per_second: 20
                ocpi_enabled: false
                data_retention_days: 365
            """
        try config.write(toFile: dir + "/platform.yaml", atomically: true, encoding: .utf8)
        for slug in slugs {
            try """
            slug: \(slug)
            display_name: Tenant \(slug)
            plan: starter
            """.write(toFile: dir + "/tenants/\(slug).yaml", atomically: true, encoding: .utf8)
        }
        return Deployment(
            dir: dir, config: dir + "/platform.yaml", adminPort: adminPort, slugs: slugs, database: database)
    }

    func controlplane(_ arguments: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try TestEnvironment.binDirectory() + "/controlplane")
        p.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    struct AdminHealth: Decodable {
        struct Worker: Decodable {
            let slug: String
            let state: String
            let pid: Int32?
            let restarts: Int
            let healthy: Bool
        }
        let status: String
        let workers: [Worker]
    }

    /// Polls the control plane's /healthz until `condition` holds (or fails after `timeout`).
    func waitForAdmin(
        _ d: Deployment, process: Process, log: String, timeout: Duration = .seconds(90),
        _ condition: (AdminHealth) -> Bool
    ) async throws -> AdminHealth {
        let deadline = ContinuousClock.now + timeout
        var last: AdminHealth?
        while ContinuousClock.now < deadline && process.isRunning {
            if let (data, _) = try? await URLSession.shared.data(
                from: URL(string: "http://127.0.0.1:\(d.adminPort)/healthz")!),
                let health = try? JSONDecoder().decode(AdminHealth.self, from: data)
            {
                last = health
                if condition(health) { return health }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        Issue.record(
            "condition not reached (control plane running: \(process.isRunning)); last health: \(String(describing: last))\n\(output.suffix(4000))"
        )
        throw CancellationError()
    }

    func pidsOfWorkers(for slug: String) throws -> [Int32] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let cmd = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let args = cmd.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return args.contains { $0.hasSuffix("/tenants/\(slug).yaml") }
                && args.first?.hasSuffix("tenant-worker") == true
                ? pid : nil
        }
    }

    @Test func bootstrapsProvisionsSupervisesAndStops() async throws {
        let d = try deploy()
        let log = d.dir + "/controlplane.log"

        // bootstrap-db with a superuser, as run.sh does.
        let bootstrap = try controlplane(
            ["bootstrap-db", "--config", d.config, "--superuser", try TestEnvironment.postgresSuperuserURL()],
            log: d.dir + "/bootstrap.log")
        try #require(await bootstrap.exit(within: .seconds(60)))
        #expect(
            bootstrap.terminationStatus == 0,
            "\((try? String(contentsOfFile: d.dir + "/bootstrap.log", encoding: .utf8)) ?? "")")

        let cp = try controlplane(["run", "--config", d.config], log: log)
        defer { if cp.isRunning { kill(cp.processIdentifier, SIGKILL) } }

        // Both workers up and healthy.
        let healthy = try await waitForAdmin(d, process: cp, log: log) { h in
            h.workers.count == 2 && h.workers.allSatisfy { $0.state == "running" && $0.healthy }
        }
        #expect(healthy.status == "ok")

        // Each worker reports its own tenant with PostgreSQL and Redis OK on its 0600 socket.
        for slug in d.slugs {
            let socket = d.dir + "/data/run/\(slug).sock"
            let response = try await UnixSocketHTTP.get(socketPath: socket, path: "/healthz")
            #expect(response.status == 200, "\(response.text)")
            let report = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            #expect(report?["tenant"] as? String == slug)
            #expect((report?["postgres"] as? [String: Any])?["state"] as? String == "ok")
            #expect((report?["redis"] as? [String: Any])?["state"] as? String == "ok")
            // `<slug>.sock` links to the serving generation's socket (`<slug>.<generation>.sock`).
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: socket)
            let mode =
                try FileManager.default.attributesOfItem(atPath: d.dir + "/data/run/" + target)[.posixPermissions]
                as? Int
            #expect(mode == 0o600)
            #expect(try pidsOfWorkers(for: slug).count == 1)
        }

        // Kill one worker: it comes back as a new process, the other is untouched.
        let victim = try #require(healthy.workers.first { $0.slug == d.slugs[0] }?.pid)
        let bystander = try #require(healthy.workers.first { $0.slug == d.slugs[1] }?.pid)
        kill(victim, SIGKILL)
        let recovered = try await waitForAdmin(d, process: cp, log: log) { h in
            guard let w = h.workers.first(where: { $0.slug == d.slugs[0] }) else { return false }
            return w.pid != nil && w.pid != victim && w.healthy && w.restarts == 1
        }
        #expect(recovered.workers.first { $0.slug == d.slugs[1] }?.pid == bystander)
        #expect(try pidsOfWorkers(for: d.slugs[0]).count == 1)

        // SIGTERM stops the control plane and every worker.
        cp.terminate()
        try #require(await cp.exit(within: .seconds(30)))
        #expect(cp.terminationStatus == 0)
        for slug in d.slugs { #expect(try pidsOfWorkers(for: slug).isEmpty) }

        // A second start reuses everything: no migration to apply, roles and users repaired.
        let again = try controlplane(["run", "--config", d.config], log: d.dir + "/controlplane-2.log")
        defer { if again.isRunning { kill(again.processIdentifier, SIGKILL) } }
        _ = try await waitForAdmin(d, process: again, log: d.dir + "/controlplane-2.log") { h in
            h.workers.count == 2 && h.workers.allSatisfy { $0.state == "running" && $0.healthy }
        }
        again.terminate()
        #expect(await again.exit(within: .seconds(30)))
    }
}
