// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

@Suite struct RenderTests {
    static let displayNames = [
        "Demo", "true", "null", "~", "123", "0x1F", "1.5", "- dash", "key: value", "# hash", "'single'",
        "\"double\"", "back\\slash", "Ladepark Süd ⚡️", "  padded  ", "---", "&anchor *alias !tag %", "{[,]}",
        "nbsp\u{A0}ls", "日本語の名前", String(repeating: "x", count: 200), "@home", "a: b # c",
    ]

    private func roundTrip(_ config: TenantConfig) throws -> TenantConfig {
        try TenantConfig.decode(yaml: config.render(), file: "/t/\(config.slug).yaml", platform: nil)
    }

    @Test func defaultsRoundTrip() throws {
        let config = TenantConfig(slug: "demo", displayName: "Demo", plan: "starter")
        #expect(try roundTrip(config) == config)
        #expect(
            config.render() == """
                # Open-CSMS tenant configuration; see docs/configuration.md.
                slug: "demo"
                display_name: "Demo"
                plan: "starter"
                suspended: false
                ocpp:
                  allowed_versions:
                    - "ocpp1.6"
                    - "ocpp2.0.1"
                  heartbeat_interval: 5m
                  security_profile: 1
                  unknown_stations: "reject"
                  response_timeout: 30s
                  max_message_size: 65536
                  frame_log_retention_days: 30

                """)
    }

    @Test func everythingRoundTrips() throws {
        let config = TenantConfig(
            slug: "0-numeric-slug", displayName: "ACME \"Charging\"\\ GmbH: #1", plan: "business-2026", suspended: true,
            ocpp: .init(
                allowedVersions: [.ocpp201], heartbeatInterval: .milliseconds(90_500), securityProfile: 3,
                unknownStations: .pending, responseTimeout: .seconds(7200 / 12), maxMessageSize: 16 * 1024 * 1024,
                frameLogRetentionDays: 3650, dataTransferVendors: ["com.example", "org.openchargealliance"]),
            ocpi: .init(countryCode: "NO", partyID: "123", roles: [.hub, .cpo]),
            limits: .init(maxStations: 1, apiRequestsPerSecond: 1_000_000),
            http: .init(tcpListen: HostPort(host: "::", port: 0)),
            tls: .init(
                certificate: "/etc/csms/tls/0-numeric-slug.pem", privateKey: "/etc/csms/tls/key: \"#1\".pem",
                clientCA: "/etc/csms/tls/stations ca.pem"),
            apiKeys: [
                .init(name: "a", sha256: String(repeating: "0", count: 64)),
                .init(name: "B.c_d-e", sha256: String(repeating: "f", count: 64)),
            ])
        #expect(try roundTrip(config) == config)
        let text = config.render()
        #expect(text.contains("  country_code: \"NO\"\n"))
        #expect(text.contains("  party_id: \"123\"\n"))
        #expect(text.contains("  tcp_listen: \"[::]:0\"\n"))
        #expect(text.contains("  heartbeat_interval: 90500ms\n"))
        #expect(text.contains("  response_timeout: 10m\n"))
        #expect(text.contains("tls:\n  certificate: \"/etc/csms/tls/0-numeric-slug.pem\"\n"))
    }

    @Test func partialLimitsRoundTrip() throws {
        let config = TenantConfig(
            slug: "demo", displayName: "Demo", plan: "starter", limits: .init(apiRequestsPerSecond: 7))
        #expect(try roundTrip(config) == config)
        #expect(!config.render().contains("max_stations"))
    }

    @Test(arguments: displayNames)
    func displayNamesRoundTrip(_ name: String) throws {
        let config = TenantConfig(slug: "demo", displayName: name, plan: "starter")
        #expect(try roundTrip(config) == config)
    }

    @Test func writtenFileLoads() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = TenantConfig(
            slug: "acme", displayName: "ACME", plan: "business",
            ocpi: .init(countryCode: "DE", partyID: "ACM"),
            apiKeys: [.init(name: "k", sha256: String(repeating: "a", count: 64))])
        try config.render().write(toFile: dir + "/acme.yaml", atomically: true, encoding: .utf8)
        let platform = try Fixtures.platformConfig()
        #expect(try TenantConfig.load(path: dir + "/acme.yaml", platform: platform) == config)
    }
}
