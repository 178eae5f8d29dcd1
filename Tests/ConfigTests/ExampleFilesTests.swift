// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import TestSupport
import Testing

/// The example files in compose/config must stay valid.
@Suite struct ExampleFilesTests {
    let configDirectory = TestEnvironment.repositoryRoot.appendingPathComponent("compose/config").path

    @Test func platformExampleLoads() throws {
        let platform = try PlatformConfig.load(path: configDirectory + "/platform.yaml")
        #expect(platform.baseDomain == "csms.example.com")
        #expect(platform.listen.http == HostPort(host: "0.0.0.0", port: 8080))
        #expect(platform.listen.admin == HostPort(host: "0.0.0.0", port: 8090))
        #expect(platform.postgres.host == "postgres")
        #expect(platform.redis.host == "redis")
        #expect(platform.dataDirectory == "/var/lib/open-csms")
        #expect(platform.tenantsDirectory == configDirectory + "/tenants")
        #expect(platform.migrationsDirectory == nil)
        #expect(platform.postgres.passwordFile == configDirectory + "/secrets/postgres-control")
        #expect(platform.redis.passwordFile == configDirectory + "/secrets/redis-admin")
        #expect(platform.plans.map(\.name) == ["starter", "business"])
        let starter = try #require(platform.plan(named: "starter"))
        #expect(starter.monthlyPrice == Decimal(49))
        #expect(starter.pricePerExtraStation == Decimal(string: "4.00"))
        #expect(starter.includedStations == 10)
        #expect(platform.plan(named: "business")?.pricePerExtraStationText == "3.5")
    }

    @Test func tenantExamplesLoad() throws {
        let platform = try PlatformConfig.load(path: configDirectory + "/platform.yaml")
        let (tenants, errors) = TenantConfig.loadAll(directory: platform.tenantsDirectory, platform: platform)
        #expect(errors == nil, "\(errors?.description ?? "")")
        #expect(tenants.map(\.slug) == ["acme", "demo"])
        let demo = try #require(tenants.last)
        #expect(demo.plan == "starter")
        #expect(demo.ocpp.allowedVersions == [.ocpp201, .ocpp16])
        #expect(demo.ocpp.unknownStations == .pending)
        #expect(demo.ocpp.maxMessageSize == 65536)
        #expect(demo.limits.maxStations == 20)
        #expect(demo.ocpi == nil)
        let acme = try #require(tenants.first)
        #expect(acme.ocpi == TenantConfig.OCPISettings(countryCode: "DE", partyID: "ACM", roles: [.cpo]))
        #expect(acme.ocpp.heartbeatInterval == .seconds(900))
        #expect(acme.apiKeys.map(\.name) == ["billing-export"])
        // Profile 1 until the operator puts the tenant's certificate in place (the tls section is a comment).
        #expect(acme.ocpp.securityProfile == 1)
        #expect(acme.tls == nil)
    }

    /// The files scripts/run.sh generates, read out of the script itself (its here-documents),
    /// with the shell variables filled in, so the script and the config decoder cannot drift apart.
    @Test func runScriptShapeLoads() throws {
        let script = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("scripts/run.sh"), encoding: .utf8)
        let variables = [
            "$ADMIN_PORT": "18090", "$DATA": "/tmp/csms-data", "$ROOT": "/src/open-csms",
            "$BIN": "/src/open-csms/.build/release", "$PG_PORT": "15432", "$REDIS_PORT": "16379",
            "$DEMO_PORT": "18081", "$DEMO_KEY_SHA": String(repeating: "ab", count: 32),
            "$PLATFORM_KEY_SHA": String(repeating: "cd", count: 32), "$ROUTER_PORT": "18080",
        ]
        func hereDocument(writing target: String) throws -> String {
            let lines = script.components(separatedBy: "\n")
            let start = try #require(lines.firstIndex { $0.contains("cat > \"\(target)\" <<YAML") })
            let end = try #require(lines[(start + 1)...].firstIndex { $0 == "YAML" })
            var text = lines[(start + 1)..<end].joined(separator: "\n")
            // Longest names first so that $DATA does not eat part of $DATA_DIR-like names.
            for (name, value) in variables.sorted(by: { $0.key.count > $1.key.count }) {
                text = text.replacingOccurrences(of: name, with: value)
            }
            #expect(!text.contains("$"), "unexpanded variable in run.sh's \(target)")
            return text
        }
        let platform = try PlatformConfig.decode(
            yaml: try hereDocument(writing: "$DATA/platform.yaml"), file: "/tmp/csms-data/platform.yaml")
        #expect(platform.worker.executable == "/src/open-csms/.build/release/tenant-worker")
        #expect(platform.migrationsDirectory == "/src/open-csms/migrations")
        #expect(platform.postgres.port == 15432)
        #expect(platform.redis.port == 16379)
        let tenant = try TenantConfig.decode(
            yaml: try hereDocument(writing: "$DATA/tenants/demo.yaml"), file: "/tmp/csms-data/tenants/demo.yaml",
            platform: platform)
        #expect(tenant.http.tcpListen == HostPort(host: "127.0.0.1", port: 18081))
        #expect(tenant.slug == "demo")
    }
}
