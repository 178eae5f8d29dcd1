// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
public import Config
import EdgeRouting
import Foundation
import HTTPClient
import Hummingbird
import Identity
public import Logging
import Migrations
public import Postgres
public import Redis
import ServiceLifecycle
import TLSSupport

/// Why the control plane could not start, with what to do about it.
public struct ControlPlaneError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The control plane of one host: it migrates the database, provisions every configured tenant
/// (row, PostgreSQL role, Redis user), supervises one worker process per active tenant and serves
/// its own `/healthz` on the admin address.
public struct ControlPlane: Sendable {
    public let platform: PlatformConfig
    public let tenants: [TenantConfig]
    public let postgres: PGPool
    public let redis: RedisClient
    /// One worker per active tenant: start, stop, drain, rolling restart, state; `directory` for the
    /// router, `metrics` for `/metrics`. Runs as a service of `run()`.
    public let supervisor: WorkerSupervisor
    /// What the edge router routes by: tenant states from the database, sockets from the supervisor.
    public let routes: RoutingTable
    public let logger: Logger
    let configPath: String
    /// The platform's session signing key and the public key file handed to workers.
    let sessionKeys: SessionKeys

    /// Loads platform.yaml and the tenant files. Bad tenant files are reported and skipped so one
    /// tenant's typo does not take the others down; a bad platform.yaml stops here.
    public static func load(configPath: String, logger: Logger) throws -> (PlatformConfig, [TenantConfig]) {
        let platform: PlatformConfig
        do {
            platform = try PlatformConfig.load(path: configPath)
        } catch {
            throw ControlPlaneError("invalid platform configuration:\n\(error)")
        }
        // Plans come from platform.yaml and from the platform API, so a tenant's plan is checked
        // against the database once it is reachable (`TenantProvisioner.withKnownPlans`).
        let (tenants, errors) = TenantConfig.loadAll(directory: platform.tenantsDirectory, platform: nil)
        if let errors {
            logger.error("some tenant configurations are invalid and their tenants are not started:\n\(errors)")
        }
        return (platform, tenants)
    }

    /// libpq connection string of the control-plane role.
    public static func controlConninfo(_ platform: PlatformConfig) throws -> String {
        let pg = platform.postgres
        let password = try SecretFile.read(pg.passwordFile)
        return PGConnectionString.make([
            "host": pg.host, "port": "\(pg.port)", "dbname": pg.database, "user": pg.user, "password": password,
        ])
    }

    public init(configPath: String, logger: Logger) throws {
        let (platform, tenants) = try Self.load(configPath: configPath, logger: logger)
        self.configPath = configPath
        self.platform = platform
        self.tenants = tenants
        self.logger = logger
        self.postgres = PGPool(
            configuration: PGPoolConfiguration(
                conninfo: try Self.controlConninfo(platform), maxConnections: platform.postgres.maxConnections,
                applicationName: "controlplane"),
            logger: logger)
        let redisPassword = try SecretFile.read(platform.redis.passwordFile)
        self.redis = RedisClient(
            configuration: RedisConfiguration(
                host: platform.redis.host, port: platform.redis.port, username: platform.redis.user,
                password: redisPassword),
            logger: logger)
        var settings = WorkerSupervisor.Settings()
        settings.healthCheckInterval = platform.worker.healthCheckInterval
        settings.startTimeout = platform.worker.startTimeout
        settings.stopTimeout = platform.worker.stopTimeout
        self.supervisor = WorkerSupervisor(
            settings: settings, runDirectory: (platform.dataDirectory as NSString).appendingPathComponent("run"),
            logger: logger)
        self.routes = RoutingTable(workers: supervisor.directory)
        do {
            self.sessionKeys = try SessionKeys.load(dataDirectory: platform.dataDirectory, logger: logger)
        } catch {
            throw ControlPlaneError("cannot prepare the session signing key in \(platform.dataDirectory): \(error)")
        }
    }

    var migrationsDirectory: String {
        platform.migrationsDirectory ?? Self.defaultMigrationsDirectory()
    }

    /// `migrations/` beside the working directory, else beside the executable's package.
    static func defaultMigrationsDirectory() -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/migrations"
        if FileManager.default.fileExists(atPath: cwd) { return cwd }
        return "migrations"
    }

    /// Applies pending migrations, retrying while PostgreSQL is unreachable.
    public func migrate() async throws {
        try await retrying("PostgreSQL at \(platform.postgres.host):\(platform.postgres.port)") {
            try await postgres.ping()
        }
        let applied = try await MigrationRunner(directory: migrationsDirectory, logger: logger).run(pool: postgres)
        logger.info("database schema is current", metadata: ["migrations.applied": "\(applied.count)"])
    }

    /// Plans, partitions, and every tenant's role and Redis user. Returns the active tenants.
    public func provision() async throws -> [ProvisionedTenant] {
        let provisioner = TenantProvisioner(
            postgres: postgres, redis: redis,
            secretsDirectory: (platform.dataDirectory as NSString).appendingPathComponent("secrets"),
            rolePrefix: platform.postgres.tenantRolePrefix,
            workerMaxConnections: platform.postgres.workerMaxConnections, logger: logger)
        try await provisioner.syncPlans(platform.plans)
        try await provisioner.ensurePartitions()
        try await retrying("Redis at \(platform.redis.host):\(platform.redis.port)") { try await redis.ping() }
        var active: [ProvisionedTenant] = []
        for tenant in try await provisioner.withKnownPlans(tenants) {
            let provisioned = try await provisioner.ensure(tenant)
            if !tenant.suspended { active.append(provisioned) }
        }
        return active
    }

    /// How to start the worker of a provisioned tenant. The supervisor adds `--control-socket` and
    /// `--handover-socket` with each worker generation's own paths.
    public func launch(for tenant: ProvisionedTenant) -> WorkerLaunch {
        let pg = platform.postgres
        var planArguments: [String] = []
        if let maxStations = tenant.maxStations { planArguments += ["--max-stations", "\(maxStations)"] }
        if let maxConnections = tenant.maxConnections { planArguments += ["--max-connections", "\(maxConnections)"] }
        if let apiRate = tenant.apiRate { planArguments += ["--api-rate", "\(apiRate)"] }
        return WorkerLaunch(
            slug: tenant.slug, executable: platform.worker.executable ?? Self.defaultWorkerExecutable(),
            arguments: [
                "--tenant-config",
                (platform.tenantsDirectory as NSString).appendingPathComponent("\(tenant.slug).yaml"),
                "--postgres",
                PGConnectionString.make([
                    "host": pg.host, "port": "\(pg.port)", "dbname": pg.database, "user": tenant.databaseRole,
                ]),
                "--postgres-password-file", tenant.postgresPasswordFile,
                "--postgres-max-connections", "\(pg.workerMaxConnections)",
                "--redis", "\(platform.redis.host):\(platform.redis.port)",
                "--redis-user", tenant.redisUser,
                "--redis-password-file", tenant.redisPasswordFile,
                "--base-domain", platform.baseDomain,
                "--session-keys", sessionKeys.publicKeysPath,
                "--health-interval", "\(platform.worker.healthCheckInterval.seconds)",
                "--log-level", platform.logging.level.rawValue,
            ] + planArguments)
    }

    /// `tenant-worker` next to this executable.
    static func defaultWorkerExecutable() -> String {
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent("tenant-worker")
    }

    /// Runs until SIGTERM/SIGINT: migrate, provision, supervise, serve the admin `/healthz`.
    public func run() async throws {
        try await migrate()
        let active = try await provision()
        // Adopts a worker a previous control plane left running, else starts one (not waiting for it).
        for tenant in active {
            try await supervisor.start(config: launch(for: tenant), waitUntilRunning: false)
        }
        let platformAPI = PlatformAPI(controlPlane: self, workers: supervisor)
        let endpoint = PlatformEndpoint(baseDomain: platform.baseDomain, tls: try platformTLS(), logger: logger)
        let (auth, identityClient) = try identity()
        let admin = AdminServer(
            controlPlane: self, platformAPI: platformAPI, endpoint: endpoint,
            auth: AuthRoutes(auth: auth, keys: sessionKeys)
        ).application()
        // Erases deleted tenants whose plan's retention period is over.
        let sweeper = RetentionSweeper(operations: platformAPI.operations, logger: logger)
        // The edge router: one port for every tenant's stations and API clients. It binds now so a
        // port already in use stops the start-up with a clear error.
        let routes = self.routes
        try await routes.refresh(from: postgres)
        let router = EdgeRouter(
            listenHost: platform.listen.http.host, port: platform.listen.http.port, baseDomain: platform.baseDomain,
            directory: routes, logger: logger, local: endpoint)
        do {
            try router.start()
        } catch {
            throw ControlPlaneError("the edge router cannot listen on \(platform.listen.http): \(error)")
        }
        let postgres = self.postgres
        let logger = self.logger
        let routeRefresher = TaskLoopService {
            await routes.keepFresh(from: postgres, every: .milliseconds(500), logger: logger)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: supervisor), .init(service: admin), .init(service: endpoint),
                    .init(service: EdgeRouterService(router: router)),
                    .init(service: routeRefresher), .init(service: sweeper),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info(
            "control plane running",
            metadata: [
                "tenants.active": "\(active.count)", "admin.listen": "\(platform.listen.admin)",
                "router.listen": "\(platform.listen.http)",
            ])
        do {
            try await group.run()
        } catch {
            try? await identityClient?.shutdown()
            await shutdown()
            throw error
        }
        try? await identityClient?.shutdown()
        await shutdown()
    }

    /// The OIDC relying party of platform.yaml `identity`, and the libcurl client it uses; nil
    /// without an identity provider.
    func identity() throws -> (AuthService?, OutboundHTTPClient?) {
        guard let settings = platform.identity else { return (nil, nil) }
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = .seconds(5)
        configuration.timeout = .seconds(10)
        configuration.maximumResponseBodySize = 256 * 1024
        let client = OutboundHTTPClient(configuration: configuration)
        let routes = self.routes
        let tenantsDirectory = platform.tenantsDirectory
        do {
            // A tenant's own provider (tenant file `identity`) is read from its file when a login or
            // token exchange asks for it, so tenants created or changed through the platform API
            // get theirs without a restart.
            let auth = try AuthService(
                settings: settings, keys: sessionKeys, baseDomain: platform.baseDomain, httpClient: client,
                tenantExists: { slug in routes.route(tenant: slug) != .unknown },
                tenantIdentity: { slug in try Self.tenantIdentity(slug: slug, directory: tenantsDirectory) },
                logger: logger)
            logger.info("people log in through the identity provider", metadata: ["oidc.issuer": "\(settings.issuer)"])
            // Builds the providers of the tenants loaded now, so a misconfigured one is logged at start.
            let slugs = tenants.filter { $0.identity != nil }.map(\.slug)
            if !slugs.isEmpty {
                Task {
                    for slug in slugs { _ = try? await auth.provider(for: slug) }
                }
            }
            return (auth, client)
        } catch {
            throw ControlPlaneError("platform.yaml identity: \(error)")
        }
    }

    /// `identity` of `<directory>/<slug>.yaml`; nil when the file has none or does not exist (a
    /// tenant without a file uses the platform's provider).
    static func tenantIdentity(slug: String, directory: String) throws -> TenantConfig.IdentitySettings? {
        let path = (directory as NSString).appendingPathComponent("\(slug).yaml")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try TenantConfig.load(path: path, platform: nil).identity
    }

    /// The platform certificate of platform.yaml `tls`, loaded and checked; nil without one.
    func platformTLS() throws -> TLSServerIdentity? {
        guard let files = platform.tls else { return nil }
        do {
            let identity = try TLSServerIdentity.load(
                TLSServerFiles(certificatePath: files.certificate, privateKeyPath: files.privateKey))
            logger.info(
                "the router answers TLS for the platform host with the platform certificate",
                metadata: [
                    "tls.certificate": "\(files.certificate)", "tls.common_name": "\(identity.commonName ?? "-")",
                ])
            return identity
        } catch {
            throw ControlPlaneError("platform.yaml tls: \(error)")
        }
    }

    public func shutdown() async {
        await postgres.shutdown()
        await redis.shutdown()
    }

    /// Retries `body` with backoff while it fails, logging the cause once per attempt; gives up
    /// only when the task is cancelled (SIGTERM during start-up).
    func retrying(_ what: String, _ body: () async throws -> Void) async throws {
        var backoff = Backoff(base: .milliseconds(500), cap: .seconds(15))
        while true {
            do {
                try await body()
                return
            } catch {
                let delay = backoff.next()
                logger.error("\(what) is unavailable: \(error); retrying in \(String(format: "%.1f", delay.seconds)) s")
                try await Task.sleep(for: delay)
            }
        }
    }
}
