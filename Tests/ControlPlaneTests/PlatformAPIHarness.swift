// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import ControlPlaneCore
import Credentials
import Foundation
import Hummingbird
import Logging
import Postgres
import Redis
import ServiceLifecycle
import TestFixtures
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The platform API served in process, as the control plane builds it (hummingbird style: the
/// test calls the builder), over a fresh migrated database, the test Redis and a real
/// `WorkerSupervisor` that spawns the real `tenant-worker` (CSMS_TEST_BIN_DIR), or whatever
/// executable a test names to make provisioning fail.
final class PlatformAPIHarness: Sendable {
    /// The platform API key the harness's platform.yaml lists (by its SHA-256).
    static let key = "platform-test-key-0123456789abcdefghijklmnop"

    let dir: String
    let database: TestDatabase
    let controlPlane: ControlPlane
    let supervisor: WorkerSupervisor
    let api: PlatformAPI
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    private init(
        dir: String, database: TestDatabase, controlPlane: ControlPlane, supervisor: WorkerSupervisor,
        api: PlatformAPI, port: Int, group: ServiceGroup, task: Task<Void, Never>
    ) {
        self.dir = dir
        self.database = database
        self.controlPlane = controlPlane
        self.supervisor = supervisor
        self.api = api
        self.port = port
        self.group = group
        self.task = task
    }

    /// - Parameters:
    ///   - workerExecutable: the worker program; nil means the built `tenant-worker`.
    ///   - keys: the `platform_api_keys` entries; nil means one entry for `key`.
    static func start(
        workerExecutable: String? = nil, keys: [(name: String, sha256: String)]? = nil
    )
        async throws -> PlatformAPIHarness
    {
        let database = try await TestDatabase.create(prefix: "cp_platform")
        let dir = try TestEnvironment.temporaryDirectory("cpapi")
        try FileManager.default.createDirectory(atPath: dir + "/tenants", withIntermediateDirectories: true)
        try TestEnvironment.write(secret: TestDatabase.controlPassword, to: dir + "/pg-control.pw")
        _ = try TestEnvironment.redisAdminPasswordFile(in: dir)
        let port = try TestEnvironment.freePort()
        let executable = try workerExecutable ?? (TestEnvironment.binDirectory() + "/tenant-worker")
        let apiKeys = keys ?? [("test", PasswordHash.sha256Hex(Array(key.utf8)))]
        let keyLines =
            apiKeys.isEmpty
            ? "platform_api_keys: []"
            : "platform_api_keys:\n"
                + apiKeys.map { "  - name: \($0.name)\n    sha256: \"\($0.sha256)\"" }
                .joined(separator: "\n")
        let config = """
            base_domain: csms.test
            listen:
              admin: 127.0.0.1:\(port)
            data_directory: \(dir)/data
            tenants_directory: \(dir)/tenants
            migrations_directory: \(TestEnvironment.repositoryRoot.path)/migrations
            worker:
              executable: \(executable)
              health_check_interval: 500ms
              stop_timeout: 10s
            postgres:
              host: 127.0.0.1
              port: \(try TestEnvironment.postgresPort())
              database: \(database.name)
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
                price_per_extra_station: "4.125"
                max_stations: 50
                max_concurrent_connections: 100
                api_requests_per_second: 20
                data_retention_days: 30
            \(keyLines)
            """
        try config.write(toFile: dir + "/platform.yaml", atomically: true, encoding: .utf8)

        var logger = Logger(label: "platform-api-test")
        logger.logLevel = .warning
        let controlPlane = try ControlPlane(configPath: dir + "/platform.yaml", logger: logger)
        try await controlPlane.tenantProvisioner.syncPlans(controlPlane.platform.plans)
        var settings = WorkerSupervisor.Settings()
        settings.healthCheckInterval = .milliseconds(500)
        settings.stopTimeout = .seconds(10)
        let supervisor = WorkerSupervisor(settings: settings, runDirectory: dir + "/data/run", logger: logger)
        let api = PlatformAPI(controlPlane: controlPlane, workers: supervisor)
        let router = Router()
        api.register(on: router)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let group = ServiceGroup(services: [supervisor, app], logger: logger)
        let task = Task<Void, Never> { try? await group.run() }
        let harness = PlatformAPIHarness(
            dir: dir, database: database, controlPlane: controlPlane, supervisor: supervisor, api: api, port: port,
            group: group, task: task)
        // Serving once any request gets an answer.
        let deadline = ContinuousClock.now + .seconds(20)
        while (try? await harness.request("GET", "/platform/v1/plans")) == nil {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(50))
        }
        return harness
    }

    /// Drains every worker, stops the server and closes the pools.
    func shutdown() async {
        await supervisor.drainAll()
        await group.triggerGracefulShutdown()
        await task.value
        await controlPlane.shutdown()
    }

    /// Sends a request; `key` nil sends no Authorization header.
    func request(
        _ method: String, _ path: String, json: [String: Any]? = nil, key: String? = PlatformAPIHarness.key,
        authorization: String? = nil
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let authorization {
            request.setValue(authorization, forHTTPHeaderField: "Authorization")
        } else if let key {
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }

    // MARK: What exists, checked directly

    func tenantRow(_ slug: String) async throws -> (status: String, deletedAt: String?)? {
        let rows = try await database.control.query(
            "SELECT status, deleted_at::text FROM csms.tenants WHERE slug = \(slug)"
        ).rows
        return try rows.first.map { (try $0.decode(String.self, column: 0), try $0.decode(String?.self, column: 1)) }
    }

    func roleExists(_ slug: String) async throws -> Bool {
        let role = "csms_tenant_" + slug.replacingOccurrences(of: "-", with: "_")
        return try await !database.superuser.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)").rows.isEmpty
    }

    func redisUserExists(_ slug: String) async throws -> Bool {
        let user = "csms_tenant_" + slug.replacingOccurrences(of: "-", with: "_")
        return try await controlPlane.redis.command(["ACL", "GETUSER", user]) != .null
    }

    func tenantFileExists(_ slug: String) -> Bool {
        FileManager.default.fileExists(atPath: dir + "/tenants/\(slug).yaml")
    }

    func tenantFile(_ slug: String) -> String {
        (try? String(contentsOfFile: dir + "/tenants/\(slug).yaml", encoding: .utf8)) ?? ""
    }

    func secretsExist(_ slug: String) -> Bool {
        FileManager.default.fileExists(atPath: dir + "/data/secrets/\(slug).postgres")
            || FileManager.default.fileExists(atPath: dir + "/data/secrets/\(slug).redis")
    }

    func runFiles(_ slug: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/data/run")) ?? []).filter {
            $0.hasPrefix(slug + ".")
        }
    }

    /// Worker processes whose command line names this tenant's file.
    func workerPIDs(_ slug: String) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let cmd = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let args = cmd.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return args.contains { $0.hasSuffix("/tenants/\(slug).yaml") } ? pid : nil
        }
    }

    /// The worker's own `/healthz` over its control socket (the supervisor's alias link).
    func workerHealth(_ slug: String) async -> [String: Any]? {
        guard
            let response = try? await UnixSocketHTTP.get(socketPath: dir + "/data/run/\(slug).sock", path: "/healthz"),
            response.status == 200
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
    }

    static func slug(_ prefix: String) -> String { "\(prefix)-\(TestEnvironment.uniqueSuffix().prefix(6))" }
}
