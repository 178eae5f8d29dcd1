// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Common
public import Config
import Foundation
import Hummingbird
import HummingbirdCore
public import Logging
public import Postgres
public import Redis
public import ServiceLifecycle
import TLSSupport

/// Why a worker could not start, with what to do about it.
public struct WorkerStartupError: Error, CustomStringConvertible {
    public let description: String
}

/// A built tenant worker: its services and the parts tests want to reach.
public struct TenantWorker: Sendable {
    public let tenant: TenantConfig
    public let postgres: PGPool
    public let redis: RedisClient
    public let health: DependencyHealth
    public let monitor: HealthMonitor
    public let services: [any Service]
    public let logger: Logger
    let ocpp: OCPPRuntime
    /// Adopts the connections the edge router hands over; nil without `--handover-socket`.
    let handover: HandoverListener?

    /// Runs every service until SIGTERM/SIGINT (or cancellation), then shuts the pools down.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch {
            await ocpp.authenticator.shutdown()
            await postgres.shutdown()
            await redis.shutdown()
            throw error
        }
        await ocpp.authenticator.shutdown()
        await postgres.shutdown()
        await redis.shutdown()
    }
}

/// Builds a tenant worker from its options: reads the tenant config, creates the PostgreSQL pool
/// (as the tenant's own role) and the Redis client (as the tenant's own ACL user), and the HTTP
/// servers on the control socket and, optionally, a TCP port.
public func buildTenantWorker(options: WorkerOptions, logger baseLogger: Logger) throws -> TenantWorker {
    let tenant: TenantConfig
    do {
        tenant = try TenantConfig.load(path: options.tenantConfigPath, platform: nil)
    } catch {
        throw WorkerStartupError(description: "invalid tenant configuration:\n\(error)")
    }
    var logger = baseLogger
    logger[metadataKey: "tenant.slug"] = "\(tenant.slug)"
    let handoverHost = try handoverHost(options: options, slug: tenant.slug)
    let tls = try loadTLSIdentity(tenant, logger: logger)
    let sessions = try sessionVerifier(options: options, slug: tenant.slug, logger: logger)

    var conninfo = options.postgresConninfo
    if let file = options.postgresPasswordFile {
        conninfo += " " + PGConnectionString.make(["password": try SecretFile.read(file)])
    }
    let postgres = PGPool(
        configuration: PGPoolConfiguration(
            conninfo: conninfo, maxConnections: options.postgresMaxConnections,
            applicationName: "tenant-worker:\(tenant.slug)"),
        logger: logger)
    let redisPassword = try options.redisPasswordFile.map { try SecretFile.read($0) }
    let redis = RedisClient(
        configuration: RedisConfiguration(
            host: options.redisHost, port: options.redisPort, username: options.redisUser, password: redisPassword),
        logger: logger)

    let health = DependencyHealth()
    let monitor = HealthMonitor(
        health: health, postgres: postgres, postgresDescription: PGConnectionString.describe(options.postgresConninfo),
        redis: redis,
        redisDescription: "\(options.redisHost):\(options.redisPort) as \(options.redisUser ?? "default")",
        interval: options.healthCheckInterval, logger: logger)

    // The plan's station limit comes from the control plane; the tenant file may lower or raise it.
    let store = PostgresChargingStore(
        postgres: postgres, redis: redis, tenantSlug: tenant.slug, logger: logger,
        stationLimit: tenant.limits.maxStations ?? options.maxStations)
    let usage = UsageMeter(postgres: postgres, logger: logger)
    let frameLog = OCPPFrameLog(
        postgres: postgres, settings: .init(retentionDays: tenant.ocpp.frameLogRetentionDays), logger: logger)
    let presenceTTL = max(600, Int(tenant.ocpp.heartbeatInterval.components.seconds) * 3)
    let registry = StationRegistry(redis: redis, slug: tenant.slug, presenceTTLSeconds: presenceTTL, logger: logger)
    let runtime = OCPPRuntime(
        settings: tenant.ocpp, store: store, frameLog: frameLog, registry: registry,
        dataTransferVendors: Set(tenant.ocpp.dataTransferVendors), logger: logger)
    logger.info(
        "OCPP station connections are capped below the open-file limit",
        metadata: ["ocpp.max_connections": "\(runtime.maxStationConnections)"])

    let router = Router(context: TenantRequestContext.self)
    router.add(middleware: NotFoundProblemMiddleware())
    HealthRoutes(health: health, tenant: tenant.slug, started: .now).register(on: router)
    let apiRate = tenant.limits.apiRequestsPerSecond ?? options.apiRequestsPerSecond
    TenantAPI(
        runtime: runtime, apiKeys: tenant.apiKeys, usage: usage,
        rateLimit: apiRate.map { (SharedRateLimiter(redis: redis, slug: tenant.slug, logger: logger), $0) },
        access: TenantAPI.Access(
            keys: APIKeyStore(postgres: postgres, logger: logger), sessions: sessions,
            audit: AuditLog(postgres: postgres, logger: logger)),
        postgres: postgres
    ).register(on: router)

    // The control socket is for the control plane only: remove a stale socket from a previous run,
    // and make the new one 0600 as soon as it is bound (the executable also runs with umask 077,
    // and the control plane keeps the socket's folder at 0700).
    let socketPath = options.controlSocketPath
    let socketLogger = logger
    unlink(socketPath)
    var services: [any Service] = [
        monitor,
        TaskService(name: "frame-log") { await frameLog.run() },
        TaskService(name: "usage-meter") { await usage.run() },
        TaskService(name: "station-presence") {
            await runtime.runPresenceRefresh(every: .seconds(presenceTTL / 2))
        },
    ]
    var handover: HandoverListener?
    if let path = options.handoverSocketPath, let host = handoverHost {
        // Beyond the open-file cap a connection could not be served anyway.
        let limit = min(options.maxConnections ?? .max, runtime.maxStationConnections)
        handover = HandoverListener(
            configuration: .init(socketPath: path, tenant: tenant.slug, host: host, maxConnections: limit, tls: tls),
            runtime: runtime, logger: logger)
    }
    // Handed-over connections are served with this application's responder (router, error mapping,
    // Date and Server headers), which Hummingbird hands only to the server builder.
    let adoption = handover
    services.append(
        Application(
            router: router,
            server: HTTPServerBuilder { responder in
                adoption?.install(responder: responder)
                return HTTP1Channel(responder: responder)
            },
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "open-csms"),
            onServerRunning: { _ in
                if chmod(socketPath, 0o600) != 0 {
                    socketLogger.error("cannot make the control socket private", metadata: ["path": "\(socketPath)"])
                }
            },
            logger: logger))
    if let tcp = options.tcpListen ?? tenant.http.tcpListen.map({ (host: $0.host, port: $0.port) }) {
        // The TCP listener speaks HTTP and, on /ocpp/{stationId}, OCPP-J over WebSocket; over TLS
        // when the tenant has a certificate (a single-tenant install terminates TLS here).
        services.append(
            Application(
                router: router,
                server: HTTPServerBuilder { responder -> any ServerChildChannel in
                    let channel = OCPPServerChannel(responder: responder, runtime: runtime)
                    guard let tls else { return channel }
                    return TLSServerChannel(base: channel, identity: tls)
                },
                configuration: .init(address: .hostname(tcp.host, port: tcp.port), serverName: "open-csms"),
                logger: logger))
    }
    if let handover { services.append(handover) }
    // Last, so that on shutdown it runs first (ServiceGroup stops services in reverse order).
    services.append(WorkerDrain(runtime: runtime, handover: handover, timeout: options.drainTimeout, logger: logger))
    return TenantWorker(
        tenant: tenant, postgres: postgres, redis: redis, health: health, monitor: monitor, services: services,
        logger: logger, ocpp: runtime, handover: handover)
}

/// The tenant's TLS certificate, key and station CA, loaded once for every connection; nil without
/// a `tls` section. A file that cannot be used stops the worker: the tenant's security profile
/// could not be enforced without it.
private func loadTLSIdentity(_ tenant: TenantConfig, logger: Logger) throws -> TLSServerIdentity? {
    guard let settings = tenant.tls else { return nil }
    let identity: TLSServerIdentity
    do {
        identity = try TLSServerIdentity.load(
            TLSServerFiles(
                certificatePath: settings.certificate, privateKeyPath: settings.privateKey,
                clientCAPath: settings.clientCA))
    } catch {
        throw WorkerStartupError(description: "invalid TLS configuration (tls in the tenant file): \(error)")
    }
    logger.info(
        "TLS is terminated with the tenant's certificate",
        metadata: [
            "tls.certificate": "\(settings.certificate)", "tls.common_name": "\(identity.commonName ?? "(none)")",
            "tls.client_ca": "\(settings.clientCA ?? "-")", "ocpp.security_profile": "\(tenant.ocpp.securityProfile)",
        ])
    return identity
}

/// The verifier of platform session tokens with `--session-keys`; nil without it, and then session
/// tokens get 401. A key file that cannot be used stops the worker: it was asked to accept logins.
private func sessionVerifier(options: WorkerOptions, slug: String, logger: Logger) throws -> SessionVerifier? {
    guard let path = options.sessionKeysPath else { return nil }
    guard let domain = options.baseDomain else {
        throw WorkerStartupError(
            description: "--session-keys needs --base-domain: session tokens are issued by https://admin.<base-domain>")
    }
    if let problem = ConfigRules.dnsNameProblem(domain) {
        throw WorkerStartupError(description: "--base-domain \(domain) \(problem)")
    }
    return try SessionVerifier(keysPath: path, tenant: slug, baseDomain: domain, logger: logger)
}

/// `<slug>.<base-domain>` when the worker takes hand-overs; the options' problems, all at once.
private func handoverHost(options: WorkerOptions, slug: String) throws -> TenantHost? {
    var problems: [String] = []
    if let limit = options.maxConnections, limit < 1 {
        problems.append("--max-connections must be at least 1, got \(limit)")
    }
    var host: TenantHost?
    switch (options.handoverSocketPath, options.baseDomain) {
    case (nil, _):
        break
    case (.some, nil):
        problems.append("--handover-socket needs --base-domain: handed-over requests are checked against it")
    case (.some, .some(let domain)):
        if let problem = ConfigRules.dnsNameProblem(domain) {
            problems.append("--base-domain \(domain) \(problem)")
        } else {
            host = TenantHost(slug: slug, baseDomain: domain)
        }
    }
    guard problems.isEmpty else {
        throw WorkerStartupError(description: problems.joined(separator: "\n"))
    }
    return host
}
