// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

@Suite struct TenantConfigTests {
    static let hash = String(repeating: "ab", count: 32)

    @Test func defaults() throws {
        let config = try TenantConfig.decode(yaml: Fixtures.tenant.yaml, file: Fixtures.tenantFile, platform: nil)
        #expect(config == TenantConfig(slug: "demo", displayName: "Demo", plan: "starter"))
        #expect(config.suspended == false)
        #expect(config.ocpp.allowedVersions == [.ocpp16, .ocpp201])
        #expect(config.ocpp.heartbeatInterval == .seconds(300))
        #expect(config.ocpp.securityProfile == 1)
        #expect(config.ocpp.unknownStations == .reject)
        #expect(config.ocpp.responseTimeout == .seconds(30))
        #expect(config.ocpp.maxMessageSize == 65536)
        #expect(config.ocpp.frameLogRetentionDays == 30)
        #expect(config.ocpi == nil)
        #expect(config.limits == TenantConfig.LimitSettings(maxStations: nil, apiRequestsPerSecond: nil))
        #expect(config.http.tcpListen == nil)
        #expect(config.tls == nil)
        #expect(config.apiKeys.isEmpty)
    }

    @Test func everyKeySet() throws {
        let yaml = """
            slug: demo
            display_name: "Démo \\"Charging\\" #1: Ladepark Süd"
            plan: business
            suspended: true
            ocpp:
              allowed_versions: [ocpp2.0.1]
              heartbeat_interval: 24h
              security_profile: 3
              unknown_stations: pending
              response_timeout: 1500ms
              max_message_size: 16MiB
              frame_log_retention_days: 3650
            ocpi:
              country_code: NL
              party_id: X9Z
              roles: [HUB, CPO]
            limits:
              max_stations: 5
              api_requests_per_second: 2
            http:
              tcp_listen: "[::1]:9443"
            tls:
              certificate: certs/demo.pem
              private_key: /etc/ssl/private/demo.key
              client_ca: ../station-ca.pem
            api_keys:
              - name: ci.deploy_key-1
                sha256: \(Self.hash)
              - {name: other, sha256: "\(String(repeating: "0", count: 64))"}
            """
        let platform = try Fixtures.platformConfig()
        let config = try TenantConfig.decode(yaml: yaml, file: Fixtures.tenantFile, platform: platform)
        #expect(config.displayName == "Démo \"Charging\" #1: Ladepark Süd")
        #expect(config.plan == "business")
        #expect(config.suspended)
        #expect(
            config.ocpp
                == TenantConfig.OCPPSettings(
                    allowedVersions: [.ocpp201], heartbeatInterval: .seconds(86400), securityProfile: 3,
                    unknownStations: .pending, responseTimeout: .milliseconds(1500), maxMessageSize: 16 * 1024 * 1024,
                    frameLogRetentionDays: 3650))
        #expect(config.ocpi == TenantConfig.OCPISettings(countryCode: "NL", partyID: "X9Z", roles: [.hub, .cpo]))
        #expect(config.limits == TenantConfig.LimitSettings(maxStations: 5, apiRequestsPerSecond: 2))
        #expect(config.http.tcpListen == HostPort(host: "::1", port: 9443))
        #expect(
            config.tls
                == TenantConfig.TLSSettings(
                    certificate: "/etc/csms/tenants/certs/demo.pem", privateKey: "/etc/ssl/private/demo.key",
                    clientCA: "/etc/csms/station-ca.pem"))
        #expect(
            config.apiKeys == [
                .init(name: "ci.deploy_key-1", sha256: Self.hash),
                .init(name: "other", sha256: String(repeating: "0", count: 64)),
            ])
    }

    @Test(arguments: [
        ("10s", 10), ("10", 10), ("90", 90), ("5m", 300), ("1h", 3600), ("86400", 86400), ("600000ms", 600),
    ])
    func heartbeatForms(_ text: String, _ seconds: Int) throws {
        let yaml = Fixtures.tenant.with("ocpp", "ocpp:\n  heartbeat_interval: \(text)").yaml
        let config = try TenantConfig.decode(yaml: yaml, file: Fixtures.tenantFile, platform: nil)
        #expect(config.ocpp.heartbeatInterval == .seconds(seconds))
    }

    @Test(arguments: [
        ("1024", 1024), ("1KiB", 1024), ("64KiB", 65536), ("\"65536\"", 65536), ("16MiB", 16_777_216), ("2048B", 2048),
    ])
    func messageSizeForms(_ text: String, _ bytes: Int) throws {
        let yaml = Fixtures.tenant.with("ocpp", "ocpp:\n  max_message_size: \(text)").yaml
        let config = try TenantConfig.decode(yaml: yaml, file: Fixtures.tenantFile, platform: nil)
        #expect(config.ocpp.maxMessageSize == bytes)
    }

    @Test func emptyOptionalSectionsMeanDefaults() throws {
        let yaml = Fixtures.tenant.with("ocpp", "ocpp:").with("ocpi", "ocpi: ~").with("limits", "limits: {}")
            .with("api_keys", "api_keys: []").yaml
        let config = try TenantConfig.decode(yaml: yaml, file: Fixtures.tenantFile, platform: nil)
        #expect(config == TenantConfig(slug: "demo", displayName: "Demo", plan: "starter"))
    }

    @Test func slugMustMatchTheFileName() {
        #expect(
            tenantErrors(Fixtures.tenant.yaml, file: "/t/other.yaml")
                == ["/t/other.yaml:1:7: slug: must equal the file name without .yaml (\"other\"), got \"demo\""])
        // Without a .yaml name there is nothing to compare with.
        #expect(tenantErrors(Fixtures.tenant.yaml, file: "<stdin>") == [])
    }

    @Test(arguments: [
        "admin", "www", "api", "auth", "platform", "static", "status", "mail", "ftp", "localhost", "ocpi", "ocpp",
        "metrics",
    ])
    func reservedSlugs(_ slug: String) {
        let yaml = Fixtures.tenant.with("slug", "slug: \(slug)").yaml
        #expect(
            messages(tenantErrors(yaml, file: "/t/\(slug).yaml")) == ["slug: \"\(slug)\" is reserved for the platform"])
    }

    @Test(arguments: [
        ("Demo", "must be lowercase"), ("-demo", "must not start or end with '-'"),
        ("demo-", "must not start or end with '-'"),
        ("de_mo", "may only contain a-z, 0-9 and '-'"), ("dé", "may only contain a-z, 0-9 and '-'"),
        ("de.mo", "may only contain a-z, 0-9 and '-'"),
        (String(repeating: "a", count: 64), "must be at most 63 characters long, got 64"),
        ("\"\"", "must not be empty"),
    ])
    func invalidSlugs(_ slug: String, _ problem: String) {
        let yaml = Fixtures.tenant.with("slug", "slug: \(slug)").yaml
        #expect(messages(tenantErrors(yaml, file: "<stdin>")) == ["slug: \(problem)"])
    }

    @Test func validSlugs() {
        for slug in ["a", "0", "a-b", "x1-2y", String(repeating: "z", count: 63)] {
            let yaml = Fixtures.tenant.with("slug", "slug: \"\(slug)\"").yaml
            #expect(tenantErrors(yaml, file: "/t/\(slug).yaml") == [], "\(slug)")
        }
    }

    @Test func planMustExistInThePlatform() throws {
        let platform = try Fixtures.platformConfig()
        let yaml = Fixtures.tenant.with("plan", "plan: gold").yaml
        #expect(
            tenantErrors(yaml, platform: platform) == [
                "/etc/csms/tenants/demo.yaml:3:7: plan: no plan named \"gold\" in the platform configuration (plans: starter, business)"
            ])
        // Without the platform configuration the plan cannot be checked.
        #expect(tenantErrors(yaml, platform: nil) == [])
        #expect(tenantErrors(Fixtures.tenant.yaml, platform: platform) == [])
    }

    @Test func loadChecksThePlanToo() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Fixtures.tenant.with("plan", "plan: gold").yaml.write(
            toFile: dir + "/demo.yaml", atomically: true, encoding: .utf8)
        let platform = try Fixtures.platformConfig()
        let error = try #require(throws: ConfigErrors.self) {
            try TenantConfig.load(path: dir + "/demo.yaml", platform: platform)
        }
        #expect(error.errors.map(\.keyPath) == ["plan"])
        #expect(error.errors.first?.line == 3)
        #expect(error.errors.first?.column == 7)
        #expect(try TenantConfig.load(path: dir + "/demo.yaml", platform: nil).plan == "gold")
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let section: String
        let text: String
        let expected: String
        var testDescription: String { expected }
    }

    static let invalid: [Case] = [
        Case(
            section: "slug", text: "slug: 123",
            expected: "slug: expected a string, got the integer 123 (put it in quotes if it is meant as text)"),
        Case(section: "slug", text: "slug:", expected: "slug: missing value for required key"),
        Case(section: "display_name", text: "display_name: \"\"", expected: "display_name: must not be empty or blank"),
        Case(
            section: "display_name", text: "display_name: \"   \"", expected: "display_name: must not be empty or blank"
        ),
        Case(
            section: "display_name", text: "display_name: \(String(repeating: "x", count: 201))",
            expected: "display_name: must be at most 200 characters long, got 201"),
        Case(
            section: "display_name", text: "display_name: \"two\\nlines\"",
            expected: "display_name: must not contain control characters (line breaks, tabs)"),
        Case(
            section: "display_name", text: "display_name: |\n  block\n",
            expected: "display_name: must not contain control characters (line breaks, tabs)"),
        Case(
            section: "display_name", text: "display_name: true",
            expected: "display_name: expected a string, got the boolean true (put it in quotes if it is meant as text)"),
        Case(section: "plan", text: "plan: [starter]", expected: "plan: expected a string, got a list"),
        Case(section: "plan", text: "plan: ~", expected: "plan: missing value for required key"),
        Case(
            section: "suspended", text: "suspended: no",
            expected: "suspended: expected true or false, got the string \"no\""),
        Case(
            section: "suspended", text: "suspended: 1", expected: "suspended: expected true or false, got the integer 1"
        ),
        Case(section: "ocpp", text: "ocpp: true", expected: "ocpp: expected a mapping, got the boolean true"),
        Case(
            section: "ocpp", text: "ocpp:\n  allowed_versions: []", expected: "ocpp.allowed_versions: must not be empty"
        ),
        Case(
            section: "ocpp", text: "ocpp:\n  allowed_versions: ocpp1.6",
            expected: "ocpp.allowed_versions: expected a list, got the string \"ocpp1.6\""),
        Case(
            section: "ocpp", text: "ocpp:\n  allowed_versions: [ocpp1.6, ocpp2.0.1, ocpp1.6]",
            expected: "ocpp.allowed_versions[2]: is already listed at [0]"),
        Case(
            section: "ocpp", text: "ocpp:\n  allowed_versions: [OCPP1.6]",
            expected: "ocpp.allowed_versions[0]: must be one of ocpp1.6, ocpp2.0.1, got \"OCPP1.6\""),
        Case(
            section: "ocpp", text: "ocpp:\n  allowed_versions: [1.6]",
            expected: "ocpp.allowed_versions[0]: must be one of ocpp1.6, ocpp2.0.1, got \"1.6\""),
        Case(
            section: "ocpp", text: "ocpp:\n  allowed_versions: [[ocpp1.6]]",
            expected: "ocpp.allowed_versions[0]: expected one of ocpp1.6, ocpp2.0.1, got a list"),
        Case(
            section: "ocpp", text: "ocpp:\n  heartbeat_interval: 9s",
            expected: "ocpp.heartbeat_interval: must be between 10s and 24h, got 9s"),
        Case(
            section: "ocpp", text: "ocpp:\n  heartbeat_interval: 86401",
            expected: "ocpp.heartbeat_interval: must be between 10s and 24h, got 86401s"),
        Case(
            section: "ocpp", text: "ocpp:\n  heartbeat_interval: 5 minutes",
            expected:
                "ocpp.heartbeat_interval: expected a duration such as 500ms, 30s, 5m or 1h, or a number of seconds, got \"5 minutes\""
        ),
        Case(
            section: "ocpp", text: "ocpp:\n  heartbeat_interval: 1d",
            expected:
                "ocpp.heartbeat_interval: expected a duration such as 500ms, 30s, 5m or 1h, or a number of seconds, got \"1d\""
        ),
        Case(
            section: "ocpp", text: "ocpp:\n  heartbeat_interval: \"300\"",
            expected:
                "ocpp.heartbeat_interval: expected a duration such as 500ms, 30s, 5m or 1h, or a number of seconds, got \"300\""
        ),
        Case(
            section: "ocpp", text: "ocpp:\n  security_profile: 0",
            expected: "ocpp.security_profile: must be between 1 and 3, got 0"),
        Case(
            section: "ocpp", text: "ocpp:\n  security_profile: 4",
            expected: "ocpp.security_profile: must be between 1 and 3, got 4"),
        Case(
            section: "ocpp", text: "ocpp:\n  security_profile: \"2\"",
            expected: "ocpp.security_profile: expected an integer, got the string \"2\""),
        Case(
            section: "ocpp", text: "ocpp:\n  unknown_stations: accept",
            expected: "ocpp.unknown_stations: must be one of reject, pending, got \"accept\""),
        Case(
            section: "ocpp", text: "ocpp:\n  unknown_stations: false",
            expected: "ocpp.unknown_stations: expected one of reject, pending, got the boolean false"),
        Case(
            section: "ocpp", text: "ocpp:\n  response_timeout: 0",
            expected: "ocpp.response_timeout: must be between 1s and 10m, got 0s"),
        Case(
            section: "ocpp", text: "ocpp:\n  response_timeout: 11m",
            expected: "ocpp.response_timeout: must be between 1s and 10m, got 11m"),
        Case(
            section: "ocpp", text: "ocpp:\n  max_message_size: 1023",
            expected: "ocpp.max_message_size: must be between 1024 and 16777216 bytes, got 1023"),
        Case(
            section: "ocpp", text: "ocpp:\n  max_message_size: 17MiB",
            expected: "ocpp.max_message_size: must be between 1024 and 16777216 bytes, got 17825792"),
        Case(
            section: "ocpp", text: "ocpp:\n  max_message_size: 64kb",
            expected: "ocpp.max_message_size: expected a size in bytes such as 65536, 64KiB or 1MiB, got \"64kb\""),
        Case(
            section: "ocpp", text: "ocpp:\n  max_message_size: 1.5",
            expected: "ocpp.max_message_size: expected a size in bytes such as 65536, 64KiB or 1MiB, got the number 1.5"
        ),
        Case(
            section: "ocpp", text: "ocpp:\n  frame_log_retention_days: 0",
            expected: "ocpp.frame_log_retention_days: must be between 1 and 3650, got 0"),
        Case(
            section: "ocpp", text: "ocpp:\n  frame_log_retention_days: 3651",
            expected: "ocpp.frame_log_retention_days: must be between 1 and 3650, got 3651"),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: de\n  party_id: ABC",
            expected:
                "ocpi.country_code: must be an ISO 3166-1 alpha-2 code of two capital letters such as DE, got \"de\""),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DEU\n  party_id: ABC",
            expected:
                "ocpi.country_code: must be an ISO 3166-1 alpha-2 code of two capital letters such as DE, got \"DEU\""),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: NO\n  party_id: ABCD",
            expected: "ocpi.party_id: must be three characters A-Z or 0-9 such as ABC, got \"ABCD\""),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DE\n  party_id: ab1",
            expected: "ocpi.party_id: must be three characters A-Z or 0-9 such as ABC, got \"ab1\""),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DE\n  party_id: 123",
            expected: "ocpi.party_id: expected a string, got the integer 123 (put it in quotes if it is meant as text)"),
        Case(section: "ocpi", text: "ocpi:\n  party_id: ABC", expected: "ocpi.country_code: missing required key"),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DE\n  party_id: ABC\n  roles: []",
            expected: "ocpi.roles: must not be empty"),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DE\n  party_id: ABC\n  roles: [CPO, CPO]",
            expected: "ocpi.roles[1]: is already listed at [0]"),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DE\n  party_id: ABC\n  roles: [EMSP]",
            expected: "ocpi.roles[0]: must be one of CPO, HUB, got \"EMSP\""),
        Case(
            section: "ocpi", text: "ocpi:\n  country_code: DE\n  party_id: ABC\n  roles: [cpo]",
            expected: "ocpi.roles[0]: must be one of CPO, HUB, got \"cpo\""),
        Case(
            section: "limits", text: "limits:\n  max_stations: 0",
            expected: "limits.max_stations: must be at least 1, got 0"),
        Case(
            section: "limits", text: "limits:\n  api_requests_per_second: -5",
            expected: "limits.api_requests_per_second: must be at least 1, got -5"),
        Case(
            section: "limits", text: "limits:\n  max_connectors: 4",
            expected: "limits.max_connectors: unknown key; expected one of: max_stations, api_requests_per_second"),
        Case(
            section: "http", text: "http:\n  tcp_listen: 9000",
            expected: "http.tcp_listen: expected an address host:port such as 127.0.0.1:8090, got the integer 9000"),
        Case(
            section: "http", text: "http:\n  tcp_listen: \"::1:9000\"",
            expected:
                "http.tcp_listen: expected an address host:port such as 127.0.0.1:8090, or [IPv6]:port, got \"::1:9000\""
        ),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: ci\n    sha256: \(hash.uppercased())",
            expected:
                "api_keys[0].sha256: must be 64 lowercase hexadecimal digits (the SHA-256 of the key, not the key), got \"\(hash.uppercased())\""
        ),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: ci\n    sha256: secret-key",
            expected:
                "api_keys[0].sha256: must be 64 lowercase hexadecimal digits (the SHA-256 of the key, not the key), got \"secret-key\""
        ),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: ci\n    sha256: \(hash.dropLast())",
            expected:
                "api_keys[0].sha256: must be 64 lowercase hexadecimal digits (the SHA-256 of the key, not the key), got \"\(hash.dropLast())\""
        ),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: ci key\n    sha256: \(hash)",
            expected: "api_keys[0].name: must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-', got \"ci key\""),
        Case(
            section: "api_keys",
            text:
                "api_keys:\n  - name: ci\n    sha256: \(hash)\n  - name: ci\n    sha256: \(String(repeating: "c", count: 64))",
            expected: "api_keys[1].name: the name \"ci\" is already used by api_keys[0]"),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: a\n    sha256: \(hash)\n  - name: b\n    sha256: \(hash)",
            expected: "api_keys[1].sha256: the same key hash is already in api_keys[0]"),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: ci", expected: "api_keys[0].sha256: missing required key"),
        Case(
            section: "api_keys", text: "api_keys:\n  - name: ci\n    sha256: \(hash)\n    key: hunter2",
            expected: "api_keys[0].key: unknown key; expected one of: name, sha256"),
        Case(
            section: "api_keys", text: "api_keys: \(hash)",
            expected: "api_keys: expected a list, got the string \"\(hash)\""),
        Case(
            section: "extra", text: "dispaly_name: x", expected: "dispaly_name: unknown key; did you mean display_name?"
        ),
    ]

    @Test(arguments: invalid)
    func invalidValue(_ c: Case) {
        let yaml = Fixtures.tenant.with(c.section, c.text).yaml
        #expect(messages(tenantErrors(yaml)) == [c.expected], "\(yaml)")
    }
}

extension TenantConfigTests {
    @Test func hashesThatLookLikeNumbers() throws {
        let digits = String(repeating: "1", count: 64)
        let exponent = String(repeating: "1", count: 30) + "e" + String(repeating: "2", count: 33)
        let yaml = Fixtures.tenant.with(
            "api_keys", "api_keys:\n  - {name: a, sha256: \(digits)}\n  - {name: b, sha256: \(exponent)}"
        ).yaml
        let config = try TenantConfig.decode(yaml: yaml, file: Fixtures.tenantFile, platform: nil)
        #expect(config.apiKeys.map(\.sha256) == [digits, exponent])
    }
}
