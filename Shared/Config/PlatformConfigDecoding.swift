// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import YAML

extension PlatformConfig {
    /// Reads and validates `platform.yaml`. Every problem in the file is reported at once.
    public static func load(path: String) throws(ConfigErrors) -> PlatformConfig {
        switch ConfigFile.contents(of: path) {
        case .success(let bytes): return try decode(bytes: bytes, file: path)
        case .failure(let errors): throw errors
        }
    }

    /// Decodes a document as if it had been read from `file`: relative paths are resolved against
    /// the folder of `file`, and errors name it.
    public static func decode(yaml: String, file: String) throws(ConfigErrors) -> PlatformConfig {
        try decode(bytes: Array(yaml.utf8), file: file)
    }

    static func decode(bytes: [UInt8], file: String) throws(ConfigErrors) -> PlatformConfig {
        let base = ConfigPaths.directory(of: file)
        let result = ConfigDecoder.decode(bytes: bytes, file: file) { m in decodeRoot(m, base: base) }
        switch result {
        case .success(let config): return config
        case .failure(let errors): throw errors
        }
    }

    private static func decodeRoot(_ m: ConfigMapping, base: String) -> PlatformConfig? {
        let baseDomain = m.required("base_domain") { $0.string(ConfigRules.dnsNameProblem) }
        let listen = m.optional("listen", default: ListenSettings()) { $0.mapping(decodeListen) }
        let dataDirectory = m.required("data_directory") { $0.path(relativeTo: base) }
        let tenantsDirectory = m.optional(
            "tenants_directory", default: ConfigPaths.resolve("tenants", relativeTo: base)
        ) {
            $0.path(relativeTo: base)
        }
        let migrationsDirectory = m.optional("migrations_directory") { $0.path(relativeTo: base) }
        let worker = m.optional("worker", default: WorkerSettings()) { v in v.mapping { decodeWorker($0, base: base) } }
        let postgres = m.required("postgres") { v in v.mapping { decodePostgres($0, base: base) } }
        let redis = m.required("redis") { v in v.mapping { decodeRedis($0, base: base) } }
        let plans = m.required("plans", decodePlans)
        let logging = m.optional("logging", default: LoggingSettings()) { $0.mapping(decodeLogging) }
        let platformAPIKeys = m.optional("platform_api_keys", default: []) { TenantConfig.decodeAPIKeys($0) }
        let tls = m.optional("tls") { v in v.mapping { decodeTLS($0, base: base) } }
        let identity = m.optional("identity") { v in v.mapping { decodeIdentity($0, base: base) } }
        guard let baseDomain, let listen, let dataDirectory, let tenantsDirectory, let worker, let postgres, let redis,
            let plans, let logging, let platformAPIKeys
        else { return nil }
        return PlatformConfig(
            baseDomain: baseDomain, listen: listen, dataDirectory: dataDirectory, tenantsDirectory: tenantsDirectory,
            migrationsDirectory: migrationsDirectory, worker: worker, postgres: postgres, redis: redis, plans: plans,
            logging: logging, platformAPIKeys: platformAPIKeys, tls: tls, identity: identity)
    }

    private static func decodeTLS(_ m: ConfigMapping, base: String) -> TLSFiles? {
        let certificate = m.required("certificate") { $0.path(relativeTo: base) }
        let privateKey = m.required("private_key") { $0.path(relativeTo: base) }
        guard let certificate, let privateKey else { return nil }
        return TLSFiles(certificate: certificate, privateKey: privateKey)
    }

    private static func decodeIdentity(_ m: ConfigMapping, base: String) -> IdentitySettings? {
        let defaults = IdentitySettings(issuer: "", clientID: "", clientSecretFile: "")
        let client = decodeOIDCClient(m, base: base)
        let platformRoles = m.optional("platform_roles", default: [:]) {
            decodeRoleMap($0, allowed: ["platform-admin", "platform-operator"], tenantPattern: false)
        }
        let tenantRoles = m.optional("tenant_roles", default: [:]) {
            decodeRoleMap($0, allowed: TenantConfig.IdentitySettings.roleNames, tenantPattern: true)
        }
        let sessionLifetime = m.optional("session_lifetime", default: defaults.sessionLifetime) {
            $0.duration(in: .seconds(60) ... .seconds(24 * 3600))
        }
        let cliClientID = m.optional("cli_client_id") { $0.string(lengths: 1...255) }
        guard let client, let platformRoles, let tenantRoles, let sessionLifetime else { return nil }
        return IdentitySettings(
            issuer: client.issuer, clientID: client.clientID, clientSecretFile: client.clientSecretFile,
            redirectURI: client.redirectURI, scopes: client.scopes, requestClaims: client.requestClaims,
            accessTokenAudience: client.accessTokenAudience, rolesClaim: client.rolesClaim,
            platformRoles: platformRoles, tenantRoles: tenantRoles, sessionLifetime: sessionLifetime,
            allowInsecureLoopback: client.allowInsecureLoopback, jwksRefetchInterval: client.jwksRefetchInterval,
            cliClientID: cliClientID)
    }

    /// The keys an OIDC client registration has in platform.yaml `identity` and in a tenant file's
    /// `identity`: the provider, the client, and how its tokens are read.
    struct OIDCClientFields {
        var issuer: String
        var clientID: String
        var clientSecretFile: String
        var redirectURI: String?
        var scopes: [String]
        var requestClaims: [String]
        var accessTokenAudience: String?
        var rolesClaim: String
        var allowInsecureLoopback: Bool
        var jwksRefetchInterval: Duration
    }

    /// Decodes the keys of ``OIDCClientFields`` from `m` (the caller asks for its own keys too);
    /// every problem is reported, nil when there was one.
    static func decodeOIDCClient(_ m: ConfigMapping, base: String) -> OIDCClientFields? {
        let defaults = IdentitySettings(issuer: "", clientID: "", clientSecretFile: "")
        let issuer = m.required("issuer") { value -> String? in
            guard let text = value.string() else { return nil }
            guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
                return value.fail("must be an https:// URL, got \"\(text)\"")
            }
            return text
        }
        let clientID = m.required("client_id") { $0.string(lengths: 1...255) }
        let clientSecretFile = m.required("client_secret_file") { $0.path(relativeTo: base) }
        let redirectURI = m.optional("redirect_uri") { $0.string(lengths: 8...2000) }
        let scopes = m.optional("scopes", default: defaults.scopes) { v -> [String]? in
            guard let list = v.list({ $0.string(lengths: 1...100) }) else { return nil }
            return list.contains("openid") ? list : v.fail("must include openid")
        }
        let requestClaims = m.optional("request_claims", default: []) { $0.list { $0.string(lengths: 1...100) } }
        let accessTokenAudience = m.optional("access_token_audience") { $0.string(lengths: 1...255) }
        let rolesClaim = m.optional("roles_claim", default: defaults.rolesClaim) { $0.string(lengths: 1...100) }
        let allowInsecureLoopback = m.optional("allow_insecure_loopback", default: false) { $0.bool() }
        let jwksRefetchInterval = m.optional("jwks_refetch_interval", default: defaults.jwksRefetchInterval) {
            $0.duration(in: .seconds(1) ... .seconds(3600))
        }
        guard let issuer, let clientID, let clientSecretFile, let scopes, let requestClaims, let rolesClaim,
            let allowInsecureLoopback, let jwksRefetchInterval
        else { return nil }
        return OIDCClientFields(
            issuer: issuer, clientID: clientID, clientSecretFile: clientSecretFile, redirectURI: redirectURI,
            scopes: scopes, requestClaims: requestClaims, accessTokenAudience: accessTokenAudience,
            rolesClaim: rolesClaim, allowInsecureLoopback: allowInsecureLoopback,
            jwksRefetchInterval: jwksRefetchInterval)
    }

    /// A mapping of claim values to role names in `allowed`; with `tenantPattern` each claim value
    /// must contain `{tenant}`. Every bad entry is reported at its value.
    static func decodeRoleMap(_ value: ConfigValue, allowed: Set<String>, tenantPattern: Bool) -> [String: String]? {
        value.mapping { mapping -> [String: String]? in
            var result: [String: String] = [:]
            var valid = true
            for (claim, entry) in mapping.allEntries() {
                guard let role = entry.string() else {
                    valid = false
                    continue
                }
                guard allowed.contains(role) else {
                    _ = entry.fail(
                        "must be one of \(allowed.sorted().joined(separator: ", ")), got \"\(role)\"", as: String.self)
                    valid = false
                    continue
                }
                if tenantPattern, !claim.contains("{tenant}") {
                    _ = entry.fail("the claim value \"\(claim)\" must contain {tenant}", as: String.self)
                    valid = false
                    continue
                }
                result[claim] = role
            }
            return valid ? result : nil
        }
    }

    private static func decodeListen(_ m: ConfigMapping) -> ListenSettings? {
        let http = m.optional("http", default: ListenSettings.defaultHTTP) { $0.hostPort() }
        let admin = m.optional("admin", default: ListenSettings.defaultAdmin) { $0.hostPort() }
        guard let http, let admin else { return nil }
        return ListenSettings(http: http, admin: admin)
    }

    private static func decodeWorker(_ m: ConfigMapping, base: String) -> WorkerSettings? {
        let executable = m.optional("executable") { $0.path(relativeTo: base) }
        let healthCheckInterval = m.optional(
            "health_check_interval", default: WorkerSettings.defaultHealthCheckInterval
        ) {
            $0.duration(in: .milliseconds(100) ... .seconds(3600))
        }
        let startTimeout = m.optional("start_timeout", default: WorkerSettings.defaultStartTimeout) {
            $0.duration(in: .seconds(1) ... .seconds(3600))
        }
        let stopTimeout = m.optional("stop_timeout", default: WorkerSettings.defaultStopTimeout) {
            $0.duration(in: .seconds(1) ... .seconds(3600))
        }
        guard let healthCheckInterval, let startTimeout, let stopTimeout else { return nil }
        return WorkerSettings(
            executable: executable, healthCheckInterval: healthCheckInterval, startTimeout: startTimeout,
            stopTimeout: stopTimeout)
    }

    private static func decodePostgres(_ m: ConfigMapping, base: String) -> PostgresSettings? {
        let defaults = PostgresSettings(passwordFile: "")
        let host = m.optional("host", default: defaults.host) { $0.string(hostProblem) }
        let port = m.optional("port", default: defaults.port) { $0.port() }
        let database = m.optional("database", default: defaults.database) { $0.string(postgresNameProblem) }
        let user = m.optional("user", default: defaults.user) { $0.string(postgresNameProblem) }
        let passwordFile = m.required("password_file") { $0.path(relativeTo: base) }
        let tenantRolePrefix = m.optional("tenant_role_prefix", default: defaults.tenantRolePrefix) {
            $0.string(rolePrefixProblem)
        }
        let maxConnections = m.optional("max_connections", default: defaults.maxConnections) { $0.int(in: 1...1000) }
        let workerMaxConnections = m.optional("worker_max_connections", default: defaults.workerMaxConnections) {
            $0.int(in: 1...100)
        }
        guard let host, let port, let database, let user, let passwordFile, let tenantRolePrefix, let maxConnections,
            let workerMaxConnections
        else { return nil }
        return PostgresSettings(
            host: host, port: port, database: database, user: user, passwordFile: passwordFile,
            tenantRolePrefix: tenantRolePrefix, maxConnections: maxConnections,
            workerMaxConnections: workerMaxConnections)
    }

    private static func decodeRedis(_ m: ConfigMapping, base: String) -> RedisSettings? {
        let defaults = RedisSettings(passwordFile: "")
        let host = m.optional("host", default: defaults.host) { $0.string(hostProblem) }
        let port = m.optional("port", default: defaults.port) { $0.port() }
        let user = m.optional("user", default: defaults.user) { $0.string(redisUserProblem) }
        let passwordFile = m.required("password_file") { $0.path(relativeTo: base) }
        guard let host, let port, let user, let passwordFile else { return nil }
        return RedisSettings(host: host, port: port, user: user, passwordFile: passwordFile)
    }

    private static func decodePlans(_ value: ConfigValue) -> [Plan]? {
        var seen: [String: YAMLMark] = [:]
        func decodeItem(_ item: ConfigValue) -> Plan? {
            guard let plan = item.mapping(decodePlan), let name = item.node["name"] else { return nil }
            if let first = seen[plan.name] {
                let nameValue = ConfigValue(node: name, path: item.path.appending("name"), decoder: item.decoder)
                return nameValue.fail(
                    "duplicate plan name \"\(plan.name)\" (first defined at line \(first.line), column \(first.column))"
                )
            }
            seen[plan.name] = name.mark
            return plan
        }
        guard let plans = value.list(decodeItem) else { return nil }
        if plans.isEmpty { return value.fail("must list at least one plan") }
        return plans
    }

    private static func decodePlan(_ m: ConfigMapping) -> Plan? {
        let name = m.required("name") {
            $0.string(
                matching: { isPlanName($0) }, problem: "must be 1 to 63 characters of a-z, 0-9, '_' and '-'")
        }
        let monthlyPrice = m.required("monthly_price") { $0.decimal() }
        let currency = m.optional("currency", default: Plan.defaultCurrency) {
            $0.string(
                matching: { $0.count == 3 && $0.allSatisfy { $0.isASCII && $0.isUppercase } },
                problem: "must be an ISO 4217 code of three capital letters such as EUR")
        }
        let includedStations = m.optional("included_stations") { $0.int(atLeast: 0) }
        let pricePerExtraStation = m.optional("price_per_extra_station", default: Decimal(0)) { $0.decimal() }
        let maxStations = m.required("max_stations") { $0.int(atLeast: 1) }
        let maxConcurrentConnections = m.required("max_concurrent_connections") { $0.int(atLeast: 1) }
        let apiRequestsPerSecond = m.required("api_requests_per_second") { $0.int(atLeast: 1) }
        let ocpiEnabled = m.optional("ocpi_enabled", default: false) { $0.bool() }
        let dataRetentionDays = m.optional("data_retention_days", default: Plan.defaultDataRetentionDays) {
            $0.int(in: 1...3650)
        }
        if let maxStations, let includedStations, maxStations < includedStations {
            m.entry("max_stations")?.fail(
                "must be at least included_stations (\(includedStations)), got \(maxStations)", as: Int.self)
            return nil
        }
        guard let name, let monthlyPrice, let currency, let pricePerExtraStation, let maxStations,
            let maxConcurrentConnections, let apiRequestsPerSecond, let ocpiEnabled, let dataRetentionDays
        else { return nil }
        return Plan(
            name: name, monthlyPrice: monthlyPrice, currency: currency, includedStations: includedStations,
            pricePerExtraStation: pricePerExtraStation, maxStations: maxStations,
            maxConcurrentConnections: maxConcurrentConnections, apiRequestsPerSecond: apiRequestsPerSecond,
            ocpiEnabled: ocpiEnabled, dataRetentionDays: dataRetentionDays)
    }

    private static func decodeLogging(_ m: ConfigMapping) -> LoggingSettings? {
        guard let level = m.optional("level", default: LogLevel.info, { $0.choice(LogLevel.self) }) else { return nil }
        return LoggingSettings(level: level)
    }

    /// The rule for plan names, also applied to plans created through the platform API.
    public static func isPlanName(_ name: String) -> Bool {
        (1...63).contains(name.count)
            && name.allSatisfy { ConfigRules.isLowercaseAlphanumeric($0) || $0 == "_" || $0 == "-" }
    }

    /// A host name, an IP address, or (for PostgreSQL) a Unix socket folder: anything without
    /// spaces or control characters.
    static func hostProblem(_ host: String) -> String? {
        if host.isEmpty { return "must not be empty" }
        if host.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            return "must not contain spaces or control characters"
        }
        return nil
    }

    static func postgresNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        // PostgreSQL truncates identifiers to NAMEDATALEN - 1 = 63 bytes.
        if name.utf8.count > 63 { return "must be at most 63 bytes long (PostgreSQL's identifier limit)" }
        if name.contains(where: { $0.isWhitespace || $0 == "\0" }) { return "must not contain spaces" }
        return nil
    }

    /// Tenant roles are `<prefix><slug>`; a slug may have 63 characters, so the prefix is kept short
    /// and made of characters that need no quoting in SQL.
    static func rolePrefixProblem(_ prefix: String) -> String? {
        guard (1...30).contains(prefix.count) else { return "must be 1 to 30 characters long" }
        guard let first = prefix.first, first.isASCII, first.isLowercase || first == "_" else {
            return "must start with a-z or '_'"
        }
        guard prefix.allSatisfy({ ConfigRules.isLowercaseAlphanumeric($0) || $0 == "_" }) else {
            return "may only contain a-z, 0-9 and '_'"
        }
        return nil
    }

    static func redisUserProblem(_ user: String) -> String? {
        if user.isEmpty { return "must not be empty" }
        if user.contains(where: { $0.isWhitespace || !$0.isASCII || $0.asciiValue.map { $0 < 0x20 } == true }) {
            return "must be printable ASCII without spaces"
        }
        return nil
    }
}
