// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
import Logging
import Redis
import TestFixtures
import TestSupport
import Testing
import WorkerCore

/// The tenant worker connects as its tenant's own PostgreSQL role and Redis user, reports both
/// on `/healthz` over its 0600 control socket, says clearly what is wrong when a dependency is
/// unreachable, and recovers by itself when it comes back.
@Suite("Tenant worker health")
struct WorkerHealthTests {
    struct Setup {
        let dir: String
        let tenant: TestDatabase.Tenant
        let redisUser: String
        let redisPasswordFile: String
        let tenantConfig: String
    }

    /// `/healthz` writes dates as ISO 8601 text.
    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    static let database = Task { try await TestDatabase.create(prefix: "csms_worker") }

    func setUp(slugPrefix: String) async throws -> Setup {
        let db = try await Self.database.value
        let slug = "\(slugPrefix)-\(TestEnvironment.uniqueSuffix().prefix(8))"
        let tenant = try await db.createTenant(slug: slug)
        let dir = try TestEnvironment.temporaryDirectory("worker")
        try TestEnvironment.write(secret: tenant.password, to: dir + "/pg.pw")
        // The tenant's Redis ACL user, made the way the control plane makes it.
        let admin = RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.redisPort(),
                username: try TestEnvironment.redisAdminUser(),
                password: try TestEnvironment.redisAdminPassword()),
            logger: Logger(label: "test"))
        let redisPassword = "r-\(TestEnvironment.uniqueSuffix())"
        try await admin.aclSetUser(
            tenant.role, password: redisPassword, keyPatterns: ["t:\(slug):*"], channelPatterns: ["t:\(slug):*"])
        await admin.shutdown()
        try TestEnvironment.write(secret: redisPassword, to: dir + "/redis.pw")
        let config = dir + "/\(slug).yaml"
        try "slug: \(slug)\ndisplay_name: Worker test\nplan: test\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        return Setup(
            dir: dir, tenant: tenant, redisUser: tenant.role, redisPasswordFile: dir + "/redis.pw", tenantConfig: config
        )
    }

    func options(_ s: Setup, pgPasswordFile: String? = nil, redisPort: Int? = nil) throws -> WorkerOptions {
        WorkerOptions(
            tenantConfigPath: s.tenantConfig, postgresConninfo: s.tenant.conninfo,
            postgresPasswordFile: pgPasswordFile ?? s.dir + "/pg.pw", postgresMaxConnections: 2,
            redisHost: "127.0.0.1", redisPort: try redisPort ?? TestEnvironment.redisPort(), redisUser: s.redisUser,
            redisPasswordFile: s.redisPasswordFile, controlSocketPath: s.dir + "/worker.sock",
            healthCheckInterval: .milliseconds(200))
    }

    /// Polls the control socket until `/healthz` answers with `status` (or fails after 30 s).
    /// Polls `/healthz` until it answers `status` and, if given, the report satisfies `until` (a 503
    /// is also served before the first check has run, while every dependency is still "unknown").
    func waitForHealth(
        _ socket: String, status: Int, until: (HealthReport) -> Bool = { _ in true }
    ) async throws -> UnixSocketHTTP.Response {
        let deadline = ContinuousClock.now + .seconds(30)
        var last: String = "no answer"
        while ContinuousClock.now < deadline {
            if let r = try? await UnixSocketHTTP.get(socketPath: socket, path: "/healthz") {
                if r.status == status,
                    let report = try? Self.decoder.decode(HealthReport.self, from: Data(r.body)), until(report)
                {
                    return r
                }
                last = "\(r.status) \(r.text)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no /healthz \(status) within 30 s; last: \(last)")
        throw CancellationError()
    }

    @Test func healthzReportsTenantDatabaseAndRedisOnA0600Socket() async throws {
        let s = try await setUp(slugPrefix: "ok")
        let worker = try buildTenantWorker(options: try options(s), logger: Logger(label: "test"))
        let running = Task { try await worker.run() }
        defer { running.cancel() }
        let response = try await waitForHealth(s.dir + "/worker.sock", status: 200)
        let report = try Self.decoder.decode(HealthReport.self, from: Data(response.body))
        #expect(report.status == "ok")
        #expect(report.tenant == s.tenant.slug)
        #expect(report.version == CSMSVersion.current)
        #expect(report.postgres.state == .ok)
        #expect(report.redis.state == .ok)
        #expect(report.pid == getpid())
        let mode = try FileManager.default.attributesOfItem(atPath: s.dir + "/worker.sock")[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o077 } == 0, "socket mode \(String(mode ?? 0, radix: 8))")
        // The worker's Redis user reaches its own keys only.
        try await worker.redis.set("t:\(s.tenant.slug):probe", "1", expiry: .seconds(60))
        await #expect(throws: RedisError.self) { _ = try await worker.redis.get("t:someone-else:probe") }
    }

    @Test func aWrongDatabasePasswordIsReportedClearly() async throws {
        let s = try await setUp(slugPrefix: "badpw")
        try TestEnvironment.write(secret: "not-the-password", to: s.dir + "/wrong.pw")
        let worker = try buildTenantWorker(
            options: try options(s, pgPasswordFile: s.dir + "/wrong.pw"), logger: Logger(label: "test"))
        let running = Task { try await worker.run() }
        defer { running.cancel() }
        let response = try await waitForHealth(s.dir + "/worker.sock", status: 503) {
            $0.postgres.state != .unknown && $0.redis.state != .unknown
        }
        let report = try Self.decoder.decode(HealthReport.self, from: Data(response.body))
        #expect(report.status == "degraded")
        #expect(report.postgres.state == .down)
        let error = report.postgres.error ?? ""
        #expect(error.contains("password authentication failed"), "\(error)")
        #expect(error.contains(s.tenant.role), "\(error)")
        #expect(!error.contains("not-the-password"))
        #expect(report.redis.state == .ok)
    }

    @Test func redisGoingAwayIsDegradedAndRecovers() async throws {
        let s = try await setUp(slugPrefix: "redis")
        // A Redis of this test's own, so it can be stopped and started again.
        let port = try TestEnvironment.freePort()
        let password = try SecretFile.read(s.redisPasswordFile)
        func startRedis() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
            p.arguments = [
                "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--user", "default", "off", "--user", "\(s.redisUser)", "on", ">\(password)", "~t:\(s.tenant.slug):*",
                "&t:\(s.tenant.slug):*", "+@all",
            ]
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            return p
        }
        var redis = try startRedis()
        defer { kill(redis.processIdentifier, SIGKILL) }
        let worker = try buildTenantWorker(options: try options(s, redisPort: port), logger: Logger(label: "test"))
        let running = Task { try await worker.run() }
        defer { running.cancel() }
        let socket = s.dir + "/worker.sock"
        _ = try await waitForHealth(socket, status: 200)

        kill(redis.processIdentifier, SIGKILL)  // Redis crashes
        #expect(await redis.exit(within: .seconds(10)))
        let down = try Self.decoder.decode(
            HealthReport.self, from: Data(try await waitForHealth(socket, status: 503).body))
        #expect(down.redis.state == .down)
        #expect((down.redis.error ?? "").contains("127.0.0.1:\(port)"), "\(down.redis.error ?? "")")
        #expect(down.postgres.state == .ok)

        redis = try startRedis()
        let up = try Self.decoder.decode(
            HealthReport.self, from: Data(try await waitForHealth(socket, status: 200).body))
        #expect(up.redis.state == .ok)
    }

    @Test func anInvalidTenantFileStopsStartWithPositions() async throws {
        let s = try await setUp(slugPrefix: "badcfg")
        try "slug: \(s.tenant.slug)\ndisplay_name: 5\nplan: test\nunknown_key: 1\n".write(
            toFile: s.tenantConfig, atomically: true, encoding: .utf8)
        #expect {
            _ = try buildTenantWorker(options: try options(s), logger: Logger(label: "test"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("\(s.tenant.slug).yaml:4:1") && text.contains("unknown_key")
        }
    }
}
