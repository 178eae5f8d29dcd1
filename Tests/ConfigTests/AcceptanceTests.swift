// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Testing

/// One file with several different mistakes reports each of them once, at its own position.
@Suite struct AcceptanceTests {
    @Test func platformFileWithThreeErrorsGivesThreeMessages() throws {
        let yaml = """
            # Platform configuration with three mistakes.
            base_domain: csms.example.com
            data_directory: data
            listen:
              admin: 127.0.0.1:8090
              htpp: 0.0.0.0:8080
            postgres:
              port: "5432"
              password_file: secrets/pg
            redis:
              host: 127.0.0.1
            plans:
              - name: starter
                monthly_price: 49
                max_stations: 50
                max_concurrent_connections: 200
                api_requests_per_second: 20
            """
        let error = try #require(throws: ConfigErrors.self) {
            try PlatformConfig.decode(yaml: yaml, file: "/etc/csms/platform.yaml")
        }
        #expect(
            error.errors.map(\.description) == [
                "/etc/csms/platform.yaml:6:3: listen.htpp: unknown key; did you mean http?",
                "/etc/csms/platform.yaml:8:9: postgres.port: expected an integer, got the string \"5432\"",
                "/etc/csms/platform.yaml:11:3: redis.password_file: missing required key",
            ])
        #expect(
            error.description == """
                /etc/csms/platform.yaml:6:3: listen.htpp: unknown key; did you mean http?
                /etc/csms/platform.yaml:8:9: postgres.port: expected an integer, got the string "5432"
                /etc/csms/platform.yaml:11:3: redis.password_file: missing required key
                """)
        let unknown = try #require(error.errors.first)
        #expect(unknown.file == "/etc/csms/platform.yaml")
        #expect(unknown.line == 6)
        #expect(unknown.column == 3)
        #expect(unknown.keyPath == "listen.htpp")
        #expect(unknown.message == "unknown key; did you mean http?")
    }

    @Test func errorsInListsNameTheIndex() throws {
        let yaml = """
            base_domain: csms.example.com
            data_directory: data
            postgres: {password_file: pg}
            redis: {password_file: redis}
            plans:
              - name: starter
                monthly_price: 49
                max_stations: 50
                max_concurrent_connections: 200
                api_requests_per_second: 20
              - name: business
                monthly_price: 399
                included_stations: 100
                max_stations: 10
                max_concurrent_connections: 2000
                api_requests_per_second: fast
            """
        #expect(
            platformErrors(yaml) == [
                "/etc/csms/platform.yaml:14:19: plans[1].max_stations: must be at least included_stations (100), got 10",
                "/etc/csms/platform.yaml:16:30: plans[1].api_requests_per_second: expected an integer, got the string \"fast\"",
            ])
    }

    @Test func tenantFileWithThreeErrorsGivesThreeMessages() {
        let yaml = """
            slug: demo
            plan: starter
            ocpp:
              allowed_versions: [ocpp1.6, ocpp2.0]
              heartbeat_interval: 300s
              security_profil: 2
            """
        #expect(
            tenantErrors(yaml) == [
                "/etc/csms/tenants/demo.yaml:1:1: display_name: missing required key",
                "/etc/csms/tenants/demo.yaml:4:31: ocpp.allowed_versions[1]: must be one of ocpp1.6, ocpp2.0.1, got \"ocpp2.0\"",
                "/etc/csms/tenants/demo.yaml:6:3: ocpp.security_profil: unknown key; did you mean security_profile?",
            ])
    }

    @Test func syntaxErrorBecomesAConfigErrorWithItsPosition() {
        let yaml = "base_domain: csms.example.com\npostgres:\n  port: 5432\n   host: x\n"
        #expect(platformErrors(yaml) == ["/etc/csms/platform.yaml:4:8: mapping values are not allowed in this context"])
        #expect(
            tenantErrors("slug: demo\nslug: demo\n")
                == ["/etc/csms/tenants/demo.yaml:2:1: duplicate key \"slug\" (first defined at line 1, column 1)"])
    }

    @Test func errorsAreSortedByPosition() {
        let yaml = """
            zzz: 1
            base_domain: UPPER.example.com
            aaa: 2
            """
        let lines = platformErrors(yaml)
        #expect(
            lines == [
                "/etc/csms/platform.yaml:1:1: data_directory: missing required key",
                "/etc/csms/platform.yaml:1:1: postgres: missing required key",
                "/etc/csms/platform.yaml:1:1: redis: missing required key",
                "/etc/csms/platform.yaml:1:1: plans: missing required key",
                "/etc/csms/platform.yaml:1:1: zzz: unknown key; expected one of: base_domain, listen, data_directory, tenants_directory, migrations_directory, worker, postgres, redis, plans, logging, platform_api_keys, tls, identity",
                "/etc/csms/platform.yaml:2:14: base_domain: label \"UPPER\" must be lowercase",
                "/etc/csms/platform.yaml:3:1: aaa: unknown key; expected one of: base_domain, listen, data_directory, tenants_directory, migrations_directory, worker, postgres, redis, plans, logging, platform_api_keys, tls, identity",
            ])
    }
}
