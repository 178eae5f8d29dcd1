// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import Foundation
import Logging
import WorkerCore

@main
struct TenantWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant-worker", abstract: "The Open-CSMS worker of one tenant (normally started by controlplane)."
    )

    @Option(help: "The tenant's configuration file (tenants/<slug>.yaml).") var tenantConfig: String
    @Option(help: "libpq connection string without the password; user = the tenant's database role.")
    var postgres: String
    @Option(help: "File (mode 0600) holding the database password.") var postgresPasswordFile: String?
    @Option(help: "Maximum PostgreSQL connections.") var postgresMaxConnections = 5
    @Option(help: "Redis host:port.") var redis = "127.0.0.1:6379"
    @Option(help: "Redis ACL user.") var redisUser: String?
    @Option(help: "File (mode 0600) holding the Redis password.") var redisPasswordFile: String?
    @Option(help: "Unix socket for the control plane (created with mode 0600).") var controlSocket: String
    @Option(help: "Also serve HTTP on this host:port.") var http: String?
    @Option(help: "SOCK_SEQPACKET socket on which the router hands connections over (created with mode 0600).")
    var handoverSocket: String?
    @Option(help: "The platform's base domain (hosts <slug>.<base-domain>, session issuer admin.<base-domain>).")
    var baseDomain: String?
    @Option(
        help: "JWK Set file with the platform's public keys; platform session tokens are accepted only with it.")
    var sessionKeys: String?
    @Option(help: "Maximum concurrent handed-over connections (the plan's limit; default: the open-file cap).")
    var maxConnections: Int?
    @Option(help: "The plan's maximum number of stations; a station beyond it gets BootNotification Rejected.")
    var maxStations: Int?
    @Option(help: "The plan's REST API requests per second; beyond it requests get 429.")
    var apiRate: Int?
    @Option(help: "Seconds a graceful shutdown (SIGTERM) waits for handed-over connections to close.")
    var drainTimeout = 15.0
    @Option(help: "Seconds between dependency health checks.") var healthInterval = 2.0
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).") var logLevel = "info"

    func validate() throws {
        if handoverSocket != nil && baseDomain == nil {
            throw ValidationError("--handover-socket needs --base-domain")
        }
        if sessionKeys != nil && baseDomain == nil {
            throw ValidationError("--session-keys needs --base-domain (the session tokens' issuer)")
        }
        if let apiRate, apiRate < 1 {
            throw ValidationError("--api-rate must be at least 1")
        }
        if let maxStations, maxStations < 0 {
            throw ValidationError("--max-stations must not be negative")
        }
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections must be at least 1")
        }
        if !(drainTimeout >= 0 && drainTimeout <= 3600) {
            throw ValidationError("--drain-timeout must be between 0 and 3600 seconds")
        }
    }

    func run() async throws {
        umask(0o077)
        // Standard output and error are a FIFO the control plane reads; while no control plane reads
        // it (crashed, SIGKILLed, restarting) a log write must fail with EPIPE, not end the worker.
        signal(SIGPIPE, SIG_IGN)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tenant-worker")
        let redisAddress = try HostPort(parsing: redis, option: "--redis")
        let tcp = try http.map { try HostPort(parsing: $0, option: "--http") }
        let options = WorkerOptions(
            tenantConfigPath: tenantConfig, postgresConninfo: postgres, postgresPasswordFile: postgresPasswordFile,
            postgresMaxConnections: postgresMaxConnections, redisHost: redisAddress.host, redisPort: redisAddress.port,
            redisUser: redisUser, redisPasswordFile: redisPasswordFile, controlSocketPath: controlSocket,
            tcpListen: tcp.map { ($0.host, $0.port) }, healthCheckInterval: .milliseconds(Int(healthInterval * 1000)),
            handoverSocketPath: handoverSocket, baseDomain: baseDomain, maxConnections: maxConnections,
            drainTimeout: .milliseconds(Int(drainTimeout * 1000)), maxStations: maxStations,
            apiRequestsPerSecond: apiRate, sessionKeysPath: sessionKeys)
        let worker: TenantWorker
        do {
            worker = try buildTenantWorker(options: options, logger: logger)
        } catch {
            logger.critical("tenant worker cannot start: \(error)")
            throw ExitCode(78)  // EX_CONFIG: retrying without an operator's change will not help
        }
        logger.info("tenant worker starting", metadata: ["tenant.slug": "\(worker.tenant.slug)"])
        do {
            try await worker.run()
        } catch {
            logger.critical("tenant worker failed: \(error)")
            throw ExitCode(70)  // EX_SOFTWARE
        }
        logger.info("tenant worker stopped", metadata: ["tenant.slug": "\(worker.tenant.slug)"])
    }
}

struct HostPort {
    let host: String
    let port: Int
    init(parsing text: String, option: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw ValidationError("\(option) expects host:port, got \(text)") }
        host = String(text[..<colon])
        self.port = port
    }
}
