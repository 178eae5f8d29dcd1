// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Everything a tenant worker needs to start, as handed to it by the control plane (or by an
/// operator running a single-tenant install). Secrets arrive as paths of 0600 files, never as
/// command-line values, so they do not show in the process list.
public struct WorkerOptions: Sendable {
    /// `tenants/<slug>.yaml`.
    public var tenantConfigPath: String
    /// libpq connection string without the password (host, port, dbname, user = the tenant's role).
    public var postgresConninfo: String
    public var postgresPasswordFile: String?
    public var postgresMaxConnections: Int
    public var redisHost: String
    public var redisPort: Int
    public var redisUser: String?
    public var redisPasswordFile: String?
    /// The Unix socket the control plane talks to (health); mode 0600.
    public var controlSocketPath: String
    /// Optional TCP listener (single-tenant installs, tests).
    public var tcpListen: (host: String, port: Int)?
    /// How often PostgreSQL and Redis are checked.
    public var healthCheckInterval: Duration
    /// The SOCK_SEQPACKET socket on which the edge router hands client connections over
    /// (`<data_directory>/run/<slug>.handover`); created by the worker with mode 0600. Nil: no
    /// hand-overs (a single-tenant install serving only `tcpListen`).
    public var handoverSocketPath: String?
    /// The platform's base domain: handed-over requests must name `<slug>.<baseDomain>`, session
    /// tokens must be issued by `https://admin.<baseDomain>`. Required with `handoverSocketPath` and
    /// with `sessionKeysPath`.
    public var baseDomain: String?
    /// The plan's maximum of concurrent handed-over connections; nil: only the open-file cap.
    public var maxConnections: Int?
    /// How long a graceful shutdown waits for handed-over connections to close.
    public var drainTimeout: Duration
    /// The plan's maximum number of stations: a station beyond it gets BootNotification Rejected.
    public var maxStations: Int?
    /// The plan's REST API requests per second (429 beyond it).
    public var apiRequestsPerSecond: Int?
    /// A JWK Set file (written by the control plane, replaced by a rename on key rotation) with the
    /// platform's public keys: platform session tokens are accepted when set, refused when nil.
    /// Needs ``baseDomain``: the tokens' issuer is `https://admin.<baseDomain>`.
    public var sessionKeysPath: String?

    public init(
        tenantConfigPath: String, postgresConninfo: String, postgresPasswordFile: String?,
        postgresMaxConnections: Int = 5, redisHost: String, redisPort: Int, redisUser: String?,
        redisPasswordFile: String?, controlSocketPath: String, tcpListen: (host: String, port: Int)? = nil,
        healthCheckInterval: Duration = .seconds(2), handoverSocketPath: String? = nil, baseDomain: String? = nil,
        maxConnections: Int? = nil, drainTimeout: Duration = .seconds(15), maxStations: Int? = nil,
        apiRequestsPerSecond: Int? = nil, sessionKeysPath: String? = nil
    ) {
        self.apiRequestsPerSecond = apiRequestsPerSecond
        self.sessionKeysPath = sessionKeysPath
        self.maxStations = maxStations
        self.tenantConfigPath = tenantConfigPath
        self.postgresConninfo = postgresConninfo
        self.postgresPasswordFile = postgresPasswordFile
        self.postgresMaxConnections = postgresMaxConnections
        self.redisHost = redisHost
        self.redisPort = redisPort
        self.redisUser = redisUser
        self.redisPasswordFile = redisPasswordFile
        self.controlSocketPath = controlSocketPath
        self.tcpListen = tcpListen
        self.healthCheckInterval = healthCheckInterval
        self.handoverSocketPath = handoverSocketPath
        self.baseDomain = baseDomain
        self.maxConnections = maxConnections
        self.drainTimeout = drainTimeout
    }
}
