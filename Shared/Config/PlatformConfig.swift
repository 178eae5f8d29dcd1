// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

/// The control plane's configuration, from `platform.yaml`. See docs/configuration.md.
///
/// Paths are absolute: relative paths in the file are resolved against the file's folder.
public struct PlatformConfig: Sendable, Equatable {
    /// Tenants are served at `<slug>.<baseDomain>`, the control plane at `admin.<baseDomain>`.
    public var baseDomain: String
    public var listen: ListenSettings
    /// Where the control plane keeps its state (sockets, generated secrets).
    public var dataDirectory: String
    /// Where the tenant files `<slug>.yaml` are; default `<config folder>/tenants`.
    public var tenantsDirectory: String
    /// The SQL migrations; nil when the file does not say (the caller picks its default).
    public var migrationsDirectory: String?
    public var worker: WorkerSettings
    public var postgres: PostgresSettings
    public var redis: RedisSettings
    /// At least one, with unique names, in file order.
    public var plans: [Plan]
    public var logging: LoggingSettings
    /// Keys for the platform API (`/platform/v1` on `listen.admin`), by SHA-256; empty by default,
    /// which refuses every platform API request.
    public var platformAPIKeys: [APIKey]
    /// The platform certificate: TLS for `admin.<baseDomain>` through the router, and the handshake
    /// the router completes to refuse a TLS connection in HTTP. nil: plain HTTP only there, and TLS
    /// refusals are alerts.
    public var tls: TLSFiles?
    /// The platform's OIDC identity provider (`identity`); nil: no login, API keys only.
    public var identity: IdentitySettings?
    /// Names of plans that exist in the database but not in this file (made through the platform
    /// API). Not read from the file: `check-config` fills it in when the database answers, so a
    /// tenant file naming such a plan is not reported.
    public var databasePlanNames: Set<String> = []

    public init(
        baseDomain: String, listen: ListenSettings = ListenSettings(), dataDirectory: String,
        tenantsDirectory: String, migrationsDirectory: String? = nil, worker: WorkerSettings = WorkerSettings(),
        postgres: PostgresSettings, redis: RedisSettings, plans: [Plan], logging: LoggingSettings = LoggingSettings(),
        platformAPIKeys: [APIKey] = [], tls: TLSFiles? = nil, identity: IdentitySettings? = nil
    ) {
        self.baseDomain = baseDomain
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.tenantsDirectory = tenantsDirectory
        self.migrationsDirectory = migrationsDirectory
        self.worker = worker
        self.postgres = postgres
        self.redis = redis
        self.plans = plans
        self.logging = logging
        self.platformAPIKeys = platformAPIKeys
        self.tls = tls
        self.identity = identity
    }

    /// `identity`: the OpenID Connect provider people log in with (issue 6). Its groups (or any
    /// list claim) give the roles: platform roles by exact value, tenant roles by a pattern with
    /// `{tenant}` standing for the slug.
    public struct IdentitySettings: Sendable, Equatable {
        public static let roleNames: Set<String> = [
            "platform-admin", "platform-operator", "tenant-admin", "tenant-operator", "tenant-viewer",
        ]

        public var issuer: String
        public var clientID: String
        /// A file holding the client secret (never the secret itself in platform.yaml).
        public var clientSecretFile: String
        /// Default `https://admin.<base_domain>/auth/callback`.
        public var redirectURI: String?
        public var scopes: [String]
        /// ID-token claims asked for explicitly (OIDC Core §5.5 `claims`), e.g. `groups`.
        public var requestClaims: [String]
        /// `aud` of identity-provider access tokens exchanged at `/auth/token`; default the client id.
        public var accessTokenAudience: String?
        /// The list claim holding group names; default `groups`.
        public var rolesClaim: String
        /// Claim value → platform-admin / platform-operator.
        public var platformRoles: [String: String]
        /// Claim value pattern (with `{tenant}`) → tenant-admin / tenant-operator / tenant-viewer.
        public var tenantRoles: [String: String]
        /// How long a platform session token lives; default 15 minutes.
        public var sessionLifetime: Duration
        /// Allows an `http://` issuer on a loopback address (development and tests only).
        public var allowInsecureLoopback: Bool
        /// A token naming a key the cached JWK Set lacks fetches the set again at most this often
        /// (a rotation is picked up within it; random key ids cannot make us hammer the provider).
        public var jwksRefetchInterval: Duration
        /// A public client at the provider allowed the device authorization grant (RFC 8628), with
        /// which `open-csms login` signs people in on a terminal; nil: no CLI login.
        public var cliClientID: String?

        public init(
            issuer: String, clientID: String, clientSecretFile: String, redirectURI: String? = nil,
            scopes: [String] = ["openid", "profile", "email"], requestClaims: [String] = [],
            accessTokenAudience: String? = nil, rolesClaim: String = "groups", platformRoles: [String: String] = [:],
            tenantRoles: [String: String] = [:], sessionLifetime: Duration = .seconds(900),
            allowInsecureLoopback: Bool = false, jwksRefetchInterval: Duration = .seconds(60),
            cliClientID: String? = nil
        ) {
            self.issuer = issuer
            self.clientID = clientID
            self.clientSecretFile = clientSecretFile
            self.redirectURI = redirectURI
            self.scopes = scopes
            self.requestClaims = requestClaims
            self.accessTokenAudience = accessTokenAudience
            self.rolesClaim = rolesClaim
            self.platformRoles = platformRoles
            self.tenantRoles = tenantRoles
            self.sessionLifetime = sessionLifetime
            self.allowInsecureLoopback = allowInsecureLoopback
            self.jwksRefetchInterval = jwksRefetchInterval
            self.cliClientID = cliClientID
        }
    }

    /// `tls`: PEM files, relative paths resolved against the file's folder. Loaded (and checked to
    /// match) when the control plane starts.
    public struct TLSFiles: Sendable, Equatable {
        /// The certificate for `*.<baseDomain>` or `admin.<baseDomain>` first, then intermediates.
        public var certificate: String
        public var privateKey: String

        public init(certificate: String, privateKey: String) {
            self.certificate = certificate
            self.privateKey = privateKey
        }
    }

    /// One entry of `platform_api_keys`: the same form and rules as a tenant's `api_keys`.
    public typealias APIKey = TenantConfig.APIKey

    public func plan(named name: String) -> Plan? {
        plans.first { $0.name == name }
    }

    /// Whether a tenant may name this plan: one of the file's, or one the database has.
    public func hasPlan(named name: String) -> Bool {
        plan(named: name) != nil || databasePlanNames.contains(name)
    }

    /// `listen`.
    public struct ListenSettings: Sendable, Equatable {
        public static let defaultHTTP = HostPort(host: "0.0.0.0", port: 8080)
        public static let defaultAdmin = HostPort(host: "127.0.0.1", port: 8090)

        /// Tenant traffic (the edge router); default `0.0.0.0:8080`.
        public var http: HostPort
        /// The control plane's own API; default `127.0.0.1:8090`.
        public var admin: HostPort

        public init(http: HostPort = defaultHTTP, admin: HostPort = defaultAdmin) {
            self.http = http
            self.admin = admin
        }
    }

    /// `worker`: how the supervisor runs tenant workers.
    public struct WorkerSettings: Sendable, Equatable {
        public static let defaultHealthCheckInterval = Duration.seconds(2)
        public static let defaultStartTimeout = Duration.seconds(30)
        public static let defaultStopTimeout = Duration.seconds(15)

        /// The tenant worker program; nil lets the control plane look next to its own executable.
        public var executable: String?
        /// Default 2s; 100ms to 1h.
        public var healthCheckInterval: Duration
        /// How long a new worker may take to report healthy; default 30s; 1s to 1h.
        public var startTimeout: Duration
        /// How long a worker may take to drain and exit before it is killed; default 15s; 1s to 1h.
        public var stopTimeout: Duration

        public init(
            executable: String? = nil, healthCheckInterval: Duration = defaultHealthCheckInterval,
            startTimeout: Duration = defaultStartTimeout, stopTimeout: Duration = defaultStopTimeout
        ) {
            self.executable = executable
            self.healthCheckInterval = healthCheckInterval
            self.startTimeout = startTimeout
            self.stopTimeout = stopTimeout
        }
    }

    /// `postgres`.
    public struct PostgresSettings: Sendable, Equatable {
        /// Default `127.0.0.1`.
        public var host: String
        /// Default 5432.
        public var port: Int
        /// Default `csms`.
        public var database: String
        /// The control plane's login role; default `csms_control`.
        public var user: String
        /// The file holding that role's password (mode 0600).
        public var passwordFile: String
        /// Tenant login roles are named `<prefix><slug>`; default `csms_tenant_`.
        public var tenantRolePrefix: String
        /// The control plane's pool size; default 10.
        public var maxConnections: Int
        /// Each worker's pool size (workers' pools are lazy); default 5.
        public var workerMaxConnections: Int

        public init(
            host: String = "127.0.0.1", port: Int = 5432, database: String = "csms", user: String = "csms_control",
            passwordFile: String, tenantRolePrefix: String = "csms_tenant_", maxConnections: Int = 10,
            workerMaxConnections: Int = 5
        ) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
            self.passwordFile = passwordFile
            self.tenantRolePrefix = tenantRolePrefix
            self.maxConnections = maxConnections
            self.workerMaxConnections = workerMaxConnections
        }
    }

    /// `redis`.
    public struct RedisSettings: Sendable, Equatable {
        /// Default `127.0.0.1`.
        public var host: String
        /// Default 6379.
        public var port: Int
        /// The ACL user the control plane logs in as; default `csms_admin`.
        public var user: String
        /// The file holding that user's password (mode 0600).
        public var passwordFile: String

        public init(host: String = "127.0.0.1", port: Int = 6379, user: String = "csms_admin", passwordFile: String) {
            self.host = host
            self.port = port
            self.user = user
            self.passwordFile = passwordFile
        }
    }

    /// One billing plan (`plans[i]`). Amounts are exact decimals in `currency`.
    public struct Plan: Sendable, Equatable {
        /// `[a-z0-9_-]`, 1–63 characters; what tenant files name in `plan`.
        public var name: String
        /// The monthly price, covering `includedStations`.
        public var monthlyPrice: Decimal
        /// ISO 4217 code; default `EUR`.
        public var currency: String
        /// Stations covered by the monthly price; default `maxStations` (a flat plan).
        public var includedStations: Int
        /// The monthly price of each station beyond `includedStations`; default 0.
        public var pricePerExtraStation: Decimal
        /// The most stations a tenant on this plan may register; at least `includedStations`.
        public var maxStations: Int
        /// The most connections (stations, API and live clients) the edge router hands the tenant at once.
        public var maxConcurrentConnections: Int
        /// The tenant's REST API rate limit.
        public var apiRequestsPerSecond: Int
        /// Whether tenants on this plan may use OCPI roaming; default false.
        public var ocpiEnabled: Bool
        /// How long transactions, meter values and logs are kept; 1–3650, default 365.
        public var dataRetentionDays: Int

        /// `monthlyPrice` as exact decimal text with a `.` point (`9.99`), as SQL `numeric` reads it.
        public var monthlyPriceText: String { monthlyPrice.description }
        /// `pricePerExtraStation` as exact decimal text with a `.` point.
        public var pricePerExtraStationText: String { pricePerExtraStation.description }

        public static let defaultCurrency = "EUR"
        public static let defaultDataRetentionDays = 365

        public init(
            name: String, monthlyPrice: Decimal, currency: String = defaultCurrency, includedStations: Int? = nil,
            pricePerExtraStation: Decimal = 0, maxStations: Int, maxConcurrentConnections: Int,
            apiRequestsPerSecond: Int, ocpiEnabled: Bool = false, dataRetentionDays: Int = defaultDataRetentionDays
        ) {
            self.name = name
            self.monthlyPrice = monthlyPrice
            self.currency = currency
            self.includedStations = includedStations ?? maxStations
            self.pricePerExtraStation = pricePerExtraStation
            self.maxStations = maxStations
            self.maxConcurrentConnections = maxConcurrentConnections
            self.apiRequestsPerSecond = apiRequestsPerSecond
            self.ocpiEnabled = ocpiEnabled
            self.dataRetentionDays = dataRetentionDays
        }
    }

    /// `logging`.
    public struct LoggingSettings: Sendable, Equatable {
        /// Default `info`.
        public var level: LogLevel

        public init(level: LogLevel = .info) {
            self.level = level
        }
    }
}
