// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import YAML

extension TenantConfig {
    /// Reads and validates `tenants/<slug>.yaml`. With `platform`, `plan` must name one of its
    /// plans. Every problem in the file is reported at once.
    public static func load(path: String, platform: PlatformConfig?) throws(ConfigErrors) -> TenantConfig {
        switch ConfigFile.contents(of: path) {
        case .success(let bytes): return try decode(bytes: bytes, file: path, platform: platform)
        case .failure(let errors): throw errors
        }
    }

    /// Decodes a document as if it had been read from `file`. When the name of `file` ends in
    /// `.yaml`, the slug must equal the name without it.
    public static func decode(
        yaml: String, file: String, platform: PlatformConfig?
    ) throws(ConfigErrors)
        -> TenantConfig
    {
        try decode(bytes: Array(yaml.utf8), file: file, platform: platform)
    }

    /// Loads every `*.yaml` file in `directory` (names starting with `.` are skipped), sorted by
    /// slug. A file with errors is left out of `tenants`, and its errors join those of the other
    /// files in `errors`; so do files named `*.yml`, which are not loaded, and repeated slugs.
    public static func loadAll(
        directory: String, platform: PlatformConfig?
    ) -> (
        tenants: [TenantConfig], errors: ConfigErrors?
    ) {
        var errors: [ConfigError] = []
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "\(error)"
            return (
                [],
                ConfigErrors([
                    ConfigError(
                        file: directory, line: 0, column: 0, keyPath: "",
                        message: "cannot list the tenant directory: \(reason)")
                ])
            )
        }
        var tenants: [(config: TenantConfig, file: String)] = []
        for name in names where !name.hasPrefix(".") {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            if name.hasSuffix(".yml") {
                errors.append(
                    ConfigError(
                        file: path, line: 0, column: 0, keyPath: "",
                        message: "not loaded: tenant files are named <slug>.yaml"))
                continue
            }
            guard name.hasSuffix(".yaml") else { continue }
            do throws(ConfigErrors) {
                let config = try load(path: path, platform: platform)
                if let other = tenants.first(where: { $0.config.slug == config.slug }) {
                    errors.append(
                        ConfigError(
                            file: path, line: 0, column: 0, keyPath: "slug",
                            message: "the slug \"\(config.slug)\" is also used by \(other.file)"))
                    continue
                }
                tenants.append((config, path))
            } catch {
                errors.append(contentsOf: error.errors)
            }
        }
        let sorted = tenants.map(\.config).sorted { $0.slug < $1.slug }
        return (sorted, errors.isEmpty ? nil : ConfigErrors(errors))
    }

    static func decode(bytes: [UInt8], file: String, platform: PlatformConfig?) throws(ConfigErrors) -> TenantConfig {
        let base = ConfigPaths.directory(of: file)
        let result = ConfigDecoder.decode(bytes: bytes, file: file) { m in
            decodeRoot(m, expectedSlug: ConfigPaths.yamlStem(of: file), platform: platform, base: base)
        }
        switch result {
        case .success(let config): return config
        case .failure(let errors): throw errors
        }
    }

    private static func decodeRoot(
        _ m: ConfigMapping, expectedSlug: String?, platform: PlatformConfig?, base: String
    )
        -> TenantConfig?
    {
        let slug = m.required("slug") { value -> String? in
            guard let slug = value.string(ConfigRules.slugProblem) else { return nil }
            if let expectedSlug, slug != expectedSlug {
                return value.fail("must equal the file name without .yaml (\"\(expectedSlug)\"), got \"\(slug)\"")
            }
            return slug
        }
        let displayName = m.required("display_name") { $0.string(displayNameProblem) }
        let plan = m.required("plan") { value -> String? in
            guard let plan = value.string() else { return nil }
            if let platform, !platform.hasPlan(named: plan) {
                let names = (platform.plans.map(\.name) + platform.databasePlanNames.sorted()).joined(separator: ", ")
                return value.fail("no plan named \"\(plan)\" in the platform configuration (plans: \(names))")
            }
            return plan
        }
        let suspended = m.optional("suspended", default: false) { $0.bool() }
        // The two mappings are kept for the checks across them below, which report at their keys.
        var ocppMapping: ConfigMapping?
        let ocpp = m.optional("ocpp", default: OCPPSettings()) { value in
            value.mapping { mapping in
                ocppMapping = mapping
                return decodeOCPP(mapping)
            }
        }
        let ocpi = m.optional("ocpi") { $0.mapping(decodeOCPI) }
        let limits = m.optional("limits", default: LimitSettings()) { $0.mapping(decodeLimits) }
        let http = m.optional("http", default: HTTPSettings()) { $0.mapping(decodeHTTP) }
        var tlsMapping: ConfigMapping?
        let tlsValue = m.entry("tls")
        let tls = m.optional("tls") { value in
            value.mapping { mapping in
                tlsMapping = mapping
                return decodeTLS(mapping, base: base)
            }
        }
        let apiKeys = m.optional("api_keys", default: []) { decodeAPIKeys($0) }
        let identity = m.optional("identity") { value in value.mapping { decodeIdentity($0, base: base) } }
        if let ocpp, let ocppMapping {
            checkSecurityProfile(
                ocpp.securityProfile, tlsGiven: tlsValue.map { !$0.node.isNull } ?? false, ocpp: ocppMapping,
                tlsMapping: tlsMapping)
        }
        guard let slug, let displayName, let plan, let suspended, let ocpp, let limits, let http, let apiKeys else {
            return nil
        }
        return TenantConfig(
            slug: slug, displayName: displayName, plan: plan, suspended: suspended, ocpp: ocpp, ocpi: ocpi,
            limits: limits, http: http, tls: tls, apiKeys: apiKeys, identity: identity)
    }

    /// `identity`: the client keys platform.yaml `identity` has too (one decoder for both), and
    /// `roles`, which maps exact claim values to tenant roles only: platform roles come from the
    /// platform's provider alone, so a tenant's provider cannot make anyone a platform operator.
    private static func decodeIdentity(_ m: ConfigMapping, base: String) -> IdentitySettings? {
        let client = PlatformConfig.decodeOIDCClient(m, base: base)
        let roles = m.required("roles") { value -> [String: String]? in
            guard
                let roles = PlatformConfig.decodeRoleMap(
                    value, allowed: IdentitySettings.roleNames, tenantPattern: false)
            else { return nil }
            return roles.isEmpty ? value.fail("must map at least one claim value to a tenant role") : roles
        }
        guard let client, let roles else { return nil }
        return IdentitySettings(
            issuer: client.issuer, clientID: client.clientID, clientSecretFile: client.clientSecretFile,
            redirectURI: client.redirectURI, scopes: client.scopes, requestClaims: client.requestClaims,
            accessTokenAudience: client.accessTokenAudience, rolesClaim: client.rolesClaim, roles: roles,
            allowInsecureLoopback: client.allowInsecureLoopback, jwksRefetchInterval: client.jwksRefetchInterval)
    }

    /// A station must connect with the tenant's security profile (OCPP security white paper
    /// A00.FR.002), so a profile the worker could not enforce is a configuration error: profiles 2
    /// and 3 need the tenant's server certificate, and profile 3 the CAs station certificates are
    /// checked against (A00.FR.403). A `tls` section that is present but invalid is already reported.
    private static func checkSecurityProfile(
        _ profile: Int, tlsGiven: Bool, ocpp: ConfigMapping, tlsMapping: ConfigMapping?
    ) {
        guard profile >= 2 else { return }
        guard tlsGiven else {
            let what =
                profile == 3
                ? "tls.certificate, tls.private_key and tls.client_ca" : "tls.certificate and tls.private_key"
            ocpp.report(
                "security profile \(profile) requires TLS: add a tls section with the tenant's server certificate"
                    + " (\(what))", key: "security_profile")
            return
        }
        if profile == 3, let tlsMapping, tlsMapping.entry("client_ca").map({ !$0.node.isNull }) != true {
            tlsMapping.report(
                "required with security profile 3: the PEM file of the CA certificates station certificates"
                    + " must chain to", key: "client_ca")
        }
    }

    private static func decodeTLS(_ m: ConfigMapping, base: String) -> TLSSettings? {
        let certificate = m.required("certificate") { $0.path(relativeTo: base) }
        let privateKey = m.required("private_key") { $0.path(relativeTo: base) }
        let clientCA = m.optional("client_ca") { $0.path(relativeTo: base) }
        guard let certificate, let privateKey else { return nil }
        if m.entry("client_ca").map({ !$0.node.isNull }) == true, clientCA == nil { return nil }
        return TLSSettings(certificate: certificate, privateKey: privateKey, clientCA: clientCA)
    }

    private static func decodeOCPP(_ m: ConfigMapping) -> OCPPSettings? {
        typealias S = OCPPSettings
        let allowedVersions = m.optional("allowed_versions", default: S.defaultAllowedVersions) {
            $0.uniqueList(allowEmpty: false) { $0.choice(OCPPVersion.self) }
        }
        let heartbeatInterval = m.optional("heartbeat_interval", default: S.defaultHeartbeatInterval) {
            $0.duration(in: S.heartbeatIntervalRange)
        }
        let securityProfile = m.optional("security_profile", default: 1) { $0.int(in: 1...3) }
        let unknownStations = m.optional("unknown_stations", default: UnknownStationPolicy.reject) {
            $0.choice(UnknownStationPolicy.self)
        }
        let responseTimeout = m.optional("response_timeout", default: S.defaultResponseTimeout) {
            $0.duration(in: S.responseTimeoutRange)
        }
        let maxMessageSize = m.optional("max_message_size", default: S.defaultMaxMessageSize) {
            $0.byteSize(in: S.maxMessageSizeRange)
        }
        let frameLogRetentionDays = m.optional("frame_log_retention_days", default: S.defaultFrameLogRetentionDays) {
            $0.int(in: S.frameLogRetentionDaysRange)
        }
        // OCPP 1.6 DataTransfer.vendorId is CiString255; 2.0.1 vendorId is string(255).
        let dataTransferVendors = m.optional("data_transfer_vendors", default: [String]()) {
            $0.uniqueList(allowEmpty: true) { $0.string(lengths: 1...255) }
        }
        guard let allowedVersions, let heartbeatInterval, let securityProfile, let unknownStations,
            let responseTimeout, let maxMessageSize, let frameLogRetentionDays, let dataTransferVendors
        else { return nil }
        return OCPPSettings(
            allowedVersions: allowedVersions, heartbeatInterval: heartbeatInterval, securityProfile: securityProfile,
            unknownStations: unknownStations, responseTimeout: responseTimeout, maxMessageSize: maxMessageSize,
            frameLogRetentionDays: frameLogRetentionDays, dataTransferVendors: dataTransferVendors)
    }

    private static func decodeOCPI(_ m: ConfigMapping) -> OCPISettings? {
        let countryCode = m.required("country_code") {
            $0.string(
                matching: { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isUppercase } },
                problem: "must be an ISO 3166-1 alpha-2 code of two capital letters such as DE")
        }
        let partyID = m.required("party_id") {
            $0.string(
                matching: { $0.count == 3 && $0.allSatisfy(ConfigRules.isUppercaseAlphanumeric) },
                problem: "must be three characters A-Z or 0-9 such as ABC")
        }
        let roles = m.optional("roles", default: [OCPIRole.cpo]) {
            $0.uniqueList(allowEmpty: false) { $0.choice(OCPIRole.self) }
        }
        guard let countryCode, let partyID, let roles else { return nil }
        return OCPISettings(countryCode: countryCode, partyID: partyID, roles: roles)
    }

    private static func decodeLimits(_ m: ConfigMapping) -> LimitSettings? {
        let maxStations = m.optional("max_stations") { $0.int(atLeast: 1) }
        let apiRequestsPerSecond = m.optional("api_requests_per_second") { $0.int(atLeast: 1) }
        return LimitSettings(maxStations: maxStations, apiRequestsPerSecond: apiRequestsPerSecond)
    }

    private static func decodeHTTP(_ m: ConfigMapping) -> HTTPSettings? {
        HTTPSettings(tcpListen: m.optional("tcp_listen") { $0.hostPort() })
    }

    /// `api_keys` of a tenant file, and `platform_api_keys` of platform.yaml.
    static func decodeAPIKeys(_ value: ConfigValue) -> [APIKey]? {
        var names: [String: Int] = [:]
        var hashes: [String: Int] = [:]
        var index = 0
        func decodeItem(_ item: ConfigValue) -> APIKey? {
            defer { index += 1 }
            return item.mapping { m -> APIKey? in
                let name = m.required("name") { v -> String? in
                    guard
                        let name = v.string(
                            matching: isAPIKeyName, problem: "must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'")
                    else { return nil }
                    if let first = names[name] {
                        return v.fail("the name \"\(name)\" is already used by \(value.path.appending(index: first))")
                    }
                    names[name] = index
                    return name
                }
                let sha256 = m.required("sha256") { v -> String? in
                    // A hash of digits only would read as a number when written plain: take its text.
                    guard let hash = v.text() else { return nil }
                    guard hash.count == 64, hash.allSatisfy(ConfigRules.isLowercaseHex) else {
                        let rule = "must be 64 lowercase hexadecimal digits (the SHA-256 of the key, not the key)"
                        return v.fail("\(rule), got \(ConfigValue.quoted(hash))")
                    }
                    if let first = hashes[hash] {
                        return v.fail("the same key hash is already in \(value.path.appending(index: first))")
                    }
                    hashes[hash] = index
                    return hash
                }
                guard let name, let sha256 else { return nil }
                return APIKey(name: name, sha256: sha256)
            }
        }
        return value.list(decodeItem)
    }

    static func displayNameProblem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty or blank" }
        if name.count > 200 { return "must be at most 200 characters long, got \(name.count)" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "must not contain control characters (line breaks, tabs)"
        }
        return nil
    }

    static func isAPIKeyName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }
}

extension ConfigValue {
    /// A list without repeated items; a repeat is reported at the repeating item.
    func uniqueList<T: Hashable>(allowEmpty: Bool, _ item: (ConfigValue) -> T?) -> [T]? {
        guard let items = node.sequenceItems else { return typeMismatch(expected: "a list") }
        var values: [T] = []
        var seen: [T: Int] = [:]
        var failed = false
        for (index, node) in items.enumerated() {
            let value = ConfigValue(node: node, path: path.appending(index: index), decoder: decoder)
            guard let decoded = item(value) else {
                failed = true
                continue
            }
            if let first = seen[decoded] {
                value.fail("is already listed at [\(first)]", as: T.self)
                failed = true
                continue
            }
            seen[decoded] = index
            values.append(decoded)
        }
        if failed { return nil }
        if !allowEmpty && values.isEmpty { return fail("must not be empty") }
        return values
    }
}
