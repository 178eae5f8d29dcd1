// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import YAML

extension TenantConfig {
    /// The configuration as the text of a tenant file, which `load` reads back to an equal value.
    ///
    /// Every setting is written, defaults included, so the file shows what the tenant runs with;
    /// optional sections that are not set (`ocpi`, `limits`, `http`, `tls`, `api_keys`, `identity`) are
    /// left out. The `tls` paths and `identity.client_secret_file` are written as read, which is absolute (resolved against the file's folder).
    /// Text chosen by people (names) is always double-quoted, so no value can change type or
    /// break out of its line. Durations are written to the millisecond, as files can state them.
    ///
    /// The text is not validated here: to check a configuration built in code, decode its
    /// rendering with `decode(yaml:file:platform:)`.
    public func render() -> String {
        var ocppMembers: [(key: YAMLNode, value: YAMLNode)] = [
            (.scalar("allowed_versions"), .sequence(ocpp.allowedVersions.map { .string($0.rawValue) })),
            (.scalar("heartbeat_interval"), .scalar(ConfigDuration.format(ocpp.heartbeatInterval))),
            (.scalar("security_profile"), .scalar(String(ocpp.securityProfile))),
            (.scalar("unknown_stations"), .string(ocpp.unknownStations.rawValue)),
            (.scalar("response_timeout"), .scalar(ConfigDuration.format(ocpp.responseTimeout))),
            (.scalar("max_message_size"), .scalar(String(ocpp.maxMessageSize))),
            (.scalar("frame_log_retention_days"), .scalar(String(ocpp.frameLogRetentionDays))),
        ]
        if !ocpp.dataTransferVendors.isEmpty {
            ocppMembers.append(
                (.scalar("data_transfer_vendors"), .sequence(ocpp.dataTransferVendors.map { .string($0) })))
        }
        var root: [(key: YAMLNode, value: YAMLNode)] = [
            (.scalar("slug"), .string(slug)),
            (.scalar("display_name"), .string(displayName)),
            (.scalar("plan"), .string(plan)),
            (.scalar("suspended"), .scalar(suspended ? "true" : "false")),
            (.scalar("ocpp"), .mapping(ocppMembers)),
        ]
        if let ocpi {
            root.append(
                (
                    .scalar("ocpi"),
                    .mapping([
                        "country_code": .string(ocpi.countryCode),
                        "party_id": .string(ocpi.partyID),
                        "roles": .sequence(ocpi.roles.map { .string($0.rawValue) }),
                    ])
                ))
        }
        var limitPairs: [(key: YAMLNode, value: YAMLNode)] = []
        if let maxStations = limits.maxStations {
            limitPairs.append((.scalar("max_stations"), .scalar(String(maxStations))))
        }
        if let rate = limits.apiRequestsPerSecond {
            limitPairs.append((.scalar("api_requests_per_second"), .scalar(String(rate))))
        }
        if !limitPairs.isEmpty { root.append((.scalar("limits"), .mapping(limitPairs))) }
        if let tcpListen = http.tcpListen {
            root.append((.scalar("http"), .mapping(["tcp_listen": .string(tcpListen.description)])))
        }
        if let tls {
            var tlsPairs: [(key: YAMLNode, value: YAMLNode)] = [
                (.scalar("certificate"), .string(tls.certificate)),
                (.scalar("private_key"), .string(tls.privateKey)),
            ]
            if let clientCA = tls.clientCA { tlsPairs.append((.scalar("client_ca"), .string(clientCA))) }
            root.append((.scalar("tls"), .mapping(tlsPairs)))
        }
        if !apiKeys.isEmpty {
            let keys = apiKeys.map { YAMLNode.mapping(["name": .string($0.name), "sha256": .string($0.sha256)]) }
            root.append((.scalar("api_keys"), .sequence(keys)))
        }
        if let identity { root.append((.scalar("identity"), Self.render(identity))) }
        return "# Open-CSMS tenant configuration; see docs/configuration.md.\n"
            + YAMLEmitter.block(.mapping(root))
    }

    /// `identity`, every key written (defaults included); claim values sorted so a rewrite of an
    /// unchanged file is the same text.
    static func render(_ identity: IdentitySettings) -> YAMLNode {
        var pairs: [(key: YAMLNode, value: YAMLNode)] = [
            (.scalar("issuer"), .string(identity.issuer)),
            (.scalar("client_id"), .string(identity.clientID)),
            (.scalar("client_secret_file"), .string(identity.clientSecretFile)),
        ]
        if let redirectURI = identity.redirectURI { pairs.append((.scalar("redirect_uri"), .string(redirectURI))) }
        pairs.append((.scalar("scopes"), .sequence(identity.scopes.map { .string($0) })))
        if !identity.requestClaims.isEmpty {
            pairs.append((.scalar("request_claims"), .sequence(identity.requestClaims.map { .string($0) })))
        }
        if let audience = identity.accessTokenAudience {
            pairs.append((.scalar("access_token_audience"), .string(audience)))
        }
        pairs.append((.scalar("roles_claim"), .string(identity.rolesClaim)))
        let roles = identity.roles.sorted { $0.key < $1.key }.map {
            (key: YAMLNode.string($0.key), value: YAMLNode.string($0.value))
        }
        pairs.append((.scalar("roles"), .mapping(roles)))
        pairs.append((.scalar("allow_insecure_loopback"), .scalar(identity.allowInsecureLoopback ? "true" : "false")))
        pairs.append((.scalar("jwks_refetch_interval"), .scalar(ConfigDuration.format(identity.jwksRefetchInterval))))
        return .mapping(pairs)
    }
}
