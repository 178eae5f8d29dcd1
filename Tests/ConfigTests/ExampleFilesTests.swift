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
    }

    /// The shape scripts/run.sh generates (paths filled in).
    @Test func runScriptShapeLoads() throws {
        let yaml = """
            base_domain: csms.localhost
            listen:
              http: 0.0.0.0:8080
              admin: 127.0.0.1:18090
            data_directory: /tmp/csms-data
            tenants_directory: /tmp/csms-data/tenants
            migrations_directory: /src/open-csms/migrations
            worker:
              executable: /src/open-csms/.build/release/tenant-worker
            postgres:
              host: 127.0.0.1
              port: 15432
              database: csms
              user: csms_control
              password_file: /tmp/csms-data/secrets/postgres-control
            redis:
              host: 127.0.0.1
              port: 16379
              user: csms_admin
              password_file: /tmp/csms-data/secrets/redis-admin
            plans:
              - name: starter
                monthly_price: "49.00"
                currency: EUR
                included_stations: 10
                price_per_extra_station: "4.00"
                max_stations: 50
                max_concurrent_connections: 200
                api_requests_per_second: 20
                ocpi_enabled: false
                data_retention_days: 365
            logging:
              level: info
            """
        let platform = try PlatformConfig.decode(yaml: yaml, file: "/tmp/csms-data/platform.yaml")
        #expect(platform.worker.executable == "/src/open-csms/.build/release/tenant-worker")
        #expect(platform.migrationsDirectory == "/src/open-csms/migrations")
        let tenant = try TenantConfig.decode(
            yaml: """
                slug: demo
                display_name: Demo Charging
                plan: starter
                ocpp:
                  allowed_versions: [ocpp2.0.1, ocpp1.6]
                  heartbeat_interval: 300s
                  security_profile: 1
                  unknown_stations: pending
                http:
                  tcp_listen: 127.0.0.1:18081
                """, file: "/tmp/csms-data/tenants/demo.yaml", platform: platform)
        #expect(tenant.http.tcpListen == HostPort(host: "127.0.0.1", port: 18081))
        #expect(tenant.displayName == "Demo Charging")
    }
}
