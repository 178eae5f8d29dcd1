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
    /// The Unix socket the control plane talks to (health, later connection hand-over); mode 0600.
    public var controlSocketPath: String
    /// Optional TCP listener (single-tenant installs, tests).
    public var tcpListen: (host: String, port: Int)?
    /// How often PostgreSQL and Redis are checked.
    public var healthCheckInterval: Duration

    public init(
        tenantConfigPath: String, postgresConninfo: String, postgresPasswordFile: String?,
        postgresMaxConnections: Int = 5, redisHost: String, redisPort: Int, redisUser: String?,
        redisPasswordFile: String?, controlSocketPath: String, tcpListen: (host: String, port: Int)? = nil,
        healthCheckInterval: Duration = .seconds(2)
    ) {
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
    }
}
