// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

@Suite struct PlatformConfigTests {
    @Test func defaults() throws {
        let config = try Fixtures.platformConfig()
        #expect(config.baseDomain == "csms.example.com")
        #expect(config.listen.http == HostPort(host: "0.0.0.0", port: 8080))
        #expect(config.listen.admin == HostPort(host: "127.0.0.1", port: 8090))
        #expect(config.dataDirectory == "/etc/csms/data")
        #expect(config.tenantsDirectory == "/etc/csms/tenants")
        #expect(config.migrationsDirectory == nil)
        #expect(config.worker == PlatformConfig.WorkerSettings())
        #expect(config.worker.executable == nil)
        #expect(config.worker.healthCheckInterval == .seconds(2))
        #expect(config.worker.startTimeout == .seconds(30))
        #expect(config.worker.stopTimeout == .seconds(15))
        #expect(
            config.postgres
                == PlatformConfig.PostgresSettings(
                    host: "127.0.0.1", port: 5432, database: "csms", user: "csms_control",
                    passwordFile: "/etc/csms/secrets/pg", tenantRolePrefix: "csms_tenant_", maxConnections: 10,
                    workerMaxConnections: 5))
        #expect(
            config.redis
                == PlatformConfig.RedisSettings(
                    host: "127.0.0.1", port: 6379, user: "csms_admin", passwordFile: "/etc/csms/secrets/redis"))
        #expect(
            config.plans == [
                PlatformConfig.Plan(
                    name: "starter", monthlyPrice: 49, currency: "EUR", includedStations: 50, pricePerExtraStation: 0,
                    maxStations: 50, maxConcurrentConnections: 200, apiRequestsPerSecond: 20, ocpiEnabled: false,
                    dataRetentionDays: 365),
                PlatformConfig.Plan(
                    name: "business", monthlyPrice: 399, maxStations: 1000, maxConcurrentConnections: 2000,
                    apiRequestsPerSecond: 100, ocpiEnabled: true),
            ])
        #expect(config.logging.level == .info)
        #expect(config.tls == nil)
    }

    @Test func everyKeySet() throws {
        let yaml = """
            base_domain: charge.example.org
            listen:
              http: "[::]:443"
              admin: localhost:9000
            data_directory: /var/lib/csms
            tenants_directory: ../tenants
            migrations_directory: ./migrations/
            worker:
              executable: bin/tenant-worker
              health_check_interval: 500ms
              start_timeout: 1m
              stop_timeout: 45
            postgres:
              host: /var/run/postgresql
              port: 6432
              database: csms_prod
              user: control
              password_file: /run/secrets/pg
              tenant_role_prefix: t_
              max_connections: 40
              worker_max_connections: 3
            redis:
              host: redis.internal
              port: 6380
              user: admin
              password_file: redis.pw
            plans:
              - name: pro-2026_a
                monthly_price: 12.3456
                currency: CHF
                included_stations: 0
                price_per_extra_station: "0.0001"
                max_stations: 1
                max_concurrent_connections: 1
                api_requests_per_second: 1
                ocpi_enabled: true
                data_retention_days: 3650
            logging:
              level: trace
            tls:
              certificate: certs/platform.pem
              private_key: /etc/ssl/private/platform.key
            identity:
              issuer: https://login.example.org/realms/cpo
              client_id: open-csms
              client_secret_file: secrets/oidc.secret
              request_claims: [groups]
              platform_roles:
                csms-admins: platform-admin
              tenant_roles:
                "cpo-{tenant}-admins": tenant-admin
                "cpo-{tenant}-viewers": tenant-viewer
              session_lifetime: 10m
            """
        let config = try PlatformConfig.decode(yaml: yaml, file: "/opt/csms/conf/platform.yaml")
        #expect(config.listen.http == HostPort(host: "::", port: 443))
        #expect(config.listen.http.description == "[::]:443")
        #expect(config.listen.admin == HostPort(host: "localhost", port: 9000))
        #expect(config.dataDirectory == "/var/lib/csms")
        #expect(config.tenantsDirectory == "/opt/csms/tenants")
        #expect(config.migrationsDirectory == "/opt/csms/conf/migrations")
        #expect(config.worker.executable == "/opt/csms/conf/bin/tenant-worker")
        #expect(config.worker.healthCheckInterval == .milliseconds(500))
        #expect(config.worker.startTimeout == .seconds(60))
        #expect(config.worker.stopTimeout == .seconds(45))
        #expect(config.postgres.host == "/var/run/postgresql")
        #expect(config.postgres.port == 6432)
        #expect(config.postgres.database == "csms_prod")
        #expect(config.postgres.user == "control")
        #expect(config.postgres.tenantRolePrefix == "t_")
        #expect(config.postgres.maxConnections == 40)
        #expect(config.postgres.workerMaxConnections == 3)
        #expect(
            config.redis
                == .init(host: "redis.internal", port: 6380, user: "admin", passwordFile: "/opt/csms/conf/redis.pw"))
        let plan = try #require(config.plans.first)
        #expect(plan.name == "pro-2026_a")
        #expect(plan.monthlyPrice == Decimal(string: "12.3456"))
        #expect(plan.monthlyPriceText == "12.3456")
        #expect(plan.currency == "CHF")
        #expect(plan.includedStations == 0)
        #expect(plan.pricePerExtraStation == Decimal(string: "0.0001"))
        #expect(plan.maxStations == 1)
        #expect(plan.ocpiEnabled)
        #expect(plan.dataRetentionDays == 3650)
        #expect(config.logging.level == .trace)
        #expect(
            config.tls
                == .init(
                    certificate: "/opt/csms/conf/certs/platform.pem", privateKey: "/etc/ssl/private/platform.key"))
        let identity = try #require(config.identity)
        #expect(identity.issuer == "https://login.example.org/realms/cpo" && identity.clientID == "open-csms")
        #expect(identity.clientSecretFile == "/opt/csms/conf/secrets/oidc.secret")
        #expect(identity.scopes == ["openid", "profile", "email"] && identity.requestClaims == ["groups"])
        #expect(identity.rolesClaim == "groups" && identity.platformRoles == ["csms-admins": "platform-admin"])
        #expect(
            identity.tenantRoles == ["cpo-{tenant}-admins": "tenant-admin", "cpo-{tenant}-viewers": "tenant-viewer"])
        #expect(identity.sessionLifetime == .seconds(600) && !identity.allowInsecureLoopback)
    }

    @Test func pricesAreExact() throws {
        let config = try PlatformConfig.decode(
            yaml: Fixtures.platform.with(
                "plans",
                """
                plans:
                  - name: a
                    monthly_price: 0.1
                    price_per_extra_station: "0.2"
                    max_stations: 1
                    max_concurrent_connections: 1
                    api_requests_per_second: 1
                """
            ).yaml, file: Fixtures.platformFile)
        let plan = try #require(config.plans.first)
        #expect(plan.monthlyPrice + plan.pricePerExtraStation == Decimal(string: "0.3"))
        #expect(plan.monthlyPriceText == "0.1")
    }

    @Test func emptyFileReportsEveryRequiredKey() {
        for yaml in ["", "# nothing yet\n", "---\n", "~\n"] {
            #expect(
                messages(platformErrors(yaml)) == [
                    "base_domain: missing required key", "data_directory: missing required key",
                    "postgres: missing required key", "redis: missing required key", "plans: missing required key",
                ])
        }
    }

    @Test func topLevelMustBeAMapping() {
        #expect(platformErrors("- a\n- b\n") == ["/etc/csms/platform.yaml:1:1: expected a mapping, got a list"])
        #expect(
            platformErrors("just text\n") == [
                "/etc/csms/platform.yaml:1:1: expected a mapping, got the string \"just text\""
            ])
    }

    @Test func keyWithoutValue() {
        let yaml = Fixtures.platform.with("base_domain", "base_domain:").with("logging", "logging:").yaml
        #expect(platformErrors(yaml) == ["/etc/csms/platform.yaml:1:13: base_domain: missing value for required key"])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let section: String
        let text: String
        let expected: String
        var testDescription: String { expected }
    }

    static let plan = """
        plans:
          - name: p
            monthly_price: 1
            max_stations: 10
            max_concurrent_connections: 10
            api_requests_per_second: 10
        """

    static let invalid: [Case] = [
        Case(
            section: "base_domain", text: "base_domain: Csms.example.com",
            expected: "base_domain: label \"Csms\" must be lowercase"),
        Case(
            section: "base_domain", text: "base_domain: -csms.example.com",
            expected: "base_domain: label \"-csms\" must not start or end with '-'"),
        Case(
            section: "base_domain", text: "base_domain: csms..example.com",
            expected: "base_domain: must not contain an empty label ('..' or a leading '.')"),
        Case(
            section: "base_domain", text: "base_domain: csms.example.com.",
            expected: "base_domain: must not end with '.'"),
        Case(
            section: "base_domain", text: "base_domain: csms_x.example.com",
            expected: "base_domain: label \"csms_x\" may only contain a-z, 0-9 and '-'"),
        Case(
            section: "base_domain", text: "base_domain: \(String(repeating: "a", count: 64)).com",
            expected:
                "base_domain: label \"\(String(repeating: "a", count: 64))\" must be at most 63 characters long, got 64"
        ),
        Case(
            section: "base_domain", text: "base_domain: 42",
            expected: "base_domain: expected a string, got the integer 42 (put it in quotes if it is meant as text)"),
        Case(section: "base_domain", text: "base_domain: [a]", expected: "base_domain: expected a string, got a list"),
        Case(
            section: "listen", text: "listen: 0.0.0.0:8080",
            expected: "listen: expected a mapping, got the string \"0.0.0.0:8080\""),
        Case(
            section: "listen", text: "listen:\n  http: 0.0.0.0",
            expected:
                "listen.http: expected an address host:port such as 127.0.0.1:8090, or [IPv6]:port, got \"0.0.0.0\""),
        Case(
            section: "listen", text: "listen:\n  admin: localhost:70000",
            expected:
                "listen.admin: expected an address host:port such as 127.0.0.1:8090, or [IPv6]:port, got \"localhost:70000\""
        ),
        Case(
            section: "listen", text: "listen:\n  admin: 8090",
            expected: "listen.admin: expected an address host:port such as 127.0.0.1:8090, got the integer 8090"),
        Case(
            section: "listen", text: "listen:\n  admin: [127.0.0.1, 8090]",
            expected:
                "listen.admin: expected an address host:port such as 127.0.0.1:8090, got a list (put an IPv6 address in quotes: \"[::1]:8090\")"
        ),
        Case(
            section: "listen", text: "listen:\n  admin: \"a b:80\"",
            expected:
                "listen.admin: expected an address host:port such as 127.0.0.1:8090, or [IPv6]:port, got \"a b:80\""),
        Case(section: "data_directory", text: "data_directory: \"\"", expected: "data_directory: must not be empty"),
        Case(
            section: "tenants_directory", text: "tenants_directory: 5",
            expected:
                "tenants_directory: expected a string, got the integer 5 (put it in quotes if it is meant as text)"),
        Case(
            section: "migrations_directory", text: "migrations_directory: {}",
            expected: "migrations_directory: expected a string, got a mapping"),
        Case(section: "worker", text: "worker:\n  executable: \"\"", expected: "worker.executable: must not be empty"),
        Case(
            section: "worker", text: "worker:\n  health_check_interval: 50ms",
            expected: "worker.health_check_interval: must be between 100ms and 1h, got 50ms"),
        Case(
            section: "worker", text: "worker:\n  start_timeout: 30 s",
            expected:
                "worker.start_timeout: expected a duration such as 500ms, 30s, 5m or 1h, or a number of seconds, got \"30 s\""
        ),
        Case(
            section: "worker", text: "worker:\n  start_timeout: 2h",
            expected: "worker.start_timeout: must be between 1s and 1h, got 2h"),
        Case(
            section: "worker", text: "worker:\n  stop_timeout: -1",
            expected: "worker.stop_timeout: must not be negative, got -1"),
        Case(
            section: "worker", text: "worker:\n  stop_timeout: 1.5",
            expected:
                "worker.stop_timeout: expected a duration such as 500ms, 30s, 5m or 1h, or a number of seconds, got the number 1.5"
        ),
        Case(
            section: "worker", text: "worker:\n  restart: always",
            expected:
                "worker.restart: unknown key; expected one of: executable, health_check_interval, start_timeout, stop_timeout"
        ),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  host: \"\"",
            expected: "postgres.host: must not be empty"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  host: \"db host\"",
            expected: "postgres.host: must not contain spaces or control characters"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  port: 0",
            expected: "postgres.port: must be between 1 and 65535, got 0"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  port: 99999999999999999999",
            expected: "postgres.port: the integer 99999999999999999999 is too large"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  database: \"\"",
            expected: "postgres.database: must not be empty"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  user: \(String(repeating: "u", count: 64))",
            expected: "postgres.user: must be at most 63 bytes long (PostgreSQL's identifier limit)"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  tenant_role_prefix: Tenant_",
            expected: "postgres.tenant_role_prefix: must start with a-z or '_'"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  tenant_role_prefix: tenant-",
            expected: "postgres.tenant_role_prefix: may only contain a-z, 0-9 and '_'"),
        Case(
            section: "postgres",
            text: "postgres:\n  password_file: pg\n  tenant_role_prefix: \(String(repeating: "t", count: 31))",
            expected: "postgres.tenant_role_prefix: must be 1 to 30 characters long"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  max_connections: 0",
            expected: "postgres.max_connections: must be between 1 and 1000, got 0"),
        Case(
            section: "postgres", text: "postgres:\n  password_file: pg\n  worker_max_connections: 101",
            expected: "postgres.worker_max_connections: must be between 1 and 100, got 101"),
        Case(
            section: "postgres", text: "postgres:\n  host: db", expected: "postgres.password_file: missing required key"
        ),
        Case(
            section: "postgres", text: "postgres:\n  password_file: 1234",
            expected:
                "postgres.password_file: expected a string, got the integer 1234 (put it in quotes if it is meant as text)"
        ),
        Case(
            section: "redis", text: "redis:\n  password_file: r\n  port: 65536",
            expected: "redis.port: must be between 1 and 65535, got 65536"),
        Case(
            section: "redis", text: "redis:\n  password_file: r\n  port: \"6379\"",
            expected: "redis.port: expected an integer, got the string \"6379\""),
        Case(
            section: "redis", text: "redis:\n  password_file: r\n  user: \"a b\"",
            expected: "redis.user: must be printable ASCII without spaces"),
        Case(
            section: "redis", text: "redis:\n  password_file: r\n  host: \"\"",
            expected: "redis.host: must not be empty"),
        Case(
            section: "redis", text: "redis:\n  password_file: \"\"", expected: "redis.password_file: must not be empty"),
        Case(section: "plans", text: "plans: []", expected: "plans: must list at least one plan"),
        Case(section: "plans", text: "plans: {name: p}", expected: "plans: expected a list, got a mapping"),
        Case(
            section: "plans", text: "plans: [starter]",
            expected: "plans[0]: expected a mapping, got the string \"starter\""),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "name: p", with: "name: Pro"),
            expected: "plans[0].name: must be 1 to 63 characters of a-z, 0-9, '_' and '-', got \"Pro\""),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "name: p", with: "name: \"\""),
            expected: "plans[0].name: must be 1 to 63 characters of a-z, 0-9, '_' and '-', got \"\""),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "name: p\n    ", with: ""),
            expected: "plans[0].name: missing required key"),
        Case(
            section: "plans", text: plan + "\n" + plan.replacingOccurrences(of: "plans:\n", with: ""),
            expected: "plans[1].name: duplicate plan name \"p\" (first defined at line 8, column 11)"),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: -1"),
            expected: "plans[0].monthly_price: must not be negative, got -1"),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: \"-0.5\""),
            expected: "plans[0].monthly_price: must not be negative, got -0.5"),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: ten"),
            expected:
                "plans[0].monthly_price: expected an amount such as 9.99 (digits, optionally a point and decimals), got \"ten\""
        ),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: 1e3"),
            expected:
                "plans[0].monthly_price: expected an amount such as 9.99 (digits, optionally a point and decimals), got \"1e3\""
        ),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: \"9,99\""),
            expected:
                "plans[0].monthly_price: expected an amount such as 9.99 (digits, optionally a point and decimals), got \"9,99\""
        ),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: 1.23456"),
            expected: "plans[0].monthly_price: must have at most 4 digits after the decimal point, got 1.23456"),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "monthly_price: 1", with: "monthly_price: true"),
            expected: "plans[0].monthly_price: expected an amount such as 9.99, got the boolean true"),
        Case(
            section: "plans", text: plan + "\n    currency: eur",
            expected: "plans[0].currency: must be an ISO 4217 code of three capital letters such as EUR, got \"eur\""),
        Case(
            section: "plans", text: plan + "\n    currency: EURO",
            expected: "plans[0].currency: must be an ISO 4217 code of three capital letters such as EUR, got \"EURO\""),
        Case(
            section: "plans", text: plan + "\n    included_stations: -1",
            expected: "plans[0].included_stations: must be at least 0, got -1"),
        Case(
            section: "plans", text: plan + "\n    included_stations: 11",
            expected: "plans[0].max_stations: must be at least included_stations (11), got 10"),
        Case(
            section: "plans", text: plan + "\n    price_per_extra_station: -2",
            expected: "plans[0].price_per_extra_station: must not be negative, got -2"),
        Case(
            section: "plans", text: plan.replacingOccurrences(of: "max_stations: 10", with: "max_stations: 0"),
            expected: "plans[0].max_stations: must be at least 1, got 0"),
        Case(
            section: "plans",
            text: plan.replacingOccurrences(
                of: "max_concurrent_connections: 10", with: "max_concurrent_connections: 0"),
            expected: "plans[0].max_concurrent_connections: must be at least 1, got 0"),
        Case(
            section: "plans",
            text: plan.replacingOccurrences(of: "api_requests_per_second: 10", with: "api_requests_per_second: 0"),
            expected: "plans[0].api_requests_per_second: must be at least 1, got 0"),
        Case(
            section: "plans", text: plan + "\n    ocpi_enabled: yes",
            expected: "plans[0].ocpi_enabled: expected true or false, got the string \"yes\""),
        Case(
            section: "plans", text: plan + "\n    data_retention_days: 0",
            expected: "plans[0].data_retention_days: must be between 1 and 3650, got 0"),
        Case(
            section: "plans", text: plan + "\n    data_retention_days: 3651",
            expected: "plans[0].data_retention_days: must be between 1 and 3650, got 3651"),
        Case(
            section: "plans", text: plan + "\n    max_station: 5",
            expected: "plans[0].max_station: unknown key; did you mean max_stations?"),
        Case(
            section: "logging", text: "logging:\n  level: verbose",
            expected:
                "logging.level: must be one of trace, debug, info, notice, warning, error, critical, got \"verbose\""),
        Case(
            section: "logging", text: "logging: info", expected: "logging: expected a mapping, got the string \"info\""),
        Case(section: "tls", text: "tls:\n  certificate: a.pem", expected: "tls.private_key: missing required key"),
        Case(
            section: "tls", text: "tls:\n  certificate: a.pem\n  private_key: a.key\n  client_ca: ca.pem",
            expected: "tls.client_ca: unknown key; expected one of: certificate, private_key"),
        Case(
            section: "identity",
            text:
                "identity:\n  issuer: https://idp\n  client_id: c\n  client_secret_file: s\n  tenant_roles:\n    admins: tenant-admin",
            expected: "identity.tenant_roles.admins: the claim value \"admins\" must contain {tenant}"),
        Case(
            section: "identity",
            text:
                "identity:\n  issuer: https://idp\n  client_id: c\n  client_secret_file: s\n  platform_roles:\n    g: root",
            expected: "identity.platform_roles.g: must be one of platform-admin, platform-operator, got \"root\""),
        Case(
            section: "identity",
            text: "identity:\n  issuer: idp.example\n  client_id: c\n  client_secret_file: s",
            expected: "identity.issuer: must be an https:// URL, got \"idp.example\""),
    ]

    @Test(arguments: invalid)
    func invalidValue(_ c: Case) {
        let yaml = Fixtures.platform.with(c.section, c.text).yaml
        #expect(messages(platformErrors(yaml)) == [c.expected], "\(yaml)")
    }

    @Test func missingFile() throws {
        let error = try #require(throws: ConfigErrors.self) {
            try PlatformConfig.load(path: "/nonexistent/platform.yaml")
        }
        #expect(error.description == "/nonexistent/platform.yaml: cannot open: No such file or directory")
    }

    @Test func loadResolvesAgainstTheFilesFolder() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/platform.yaml"
        try Fixtures.platform.yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let config = try PlatformConfig.load(path: file)
        #expect(config.dataDirectory == dir + "/data")
        #expect(config.tenantsDirectory == dir + "/tenants")
        #expect(config.postgres.passwordFile == dir + "/secrets/pg")
    }

    @Test func hugeFileIsRefused() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/platform.yaml"
        try String(repeating: "# padding\n", count: 120_000).write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: ConfigErrors.self) { try PlatformConfig.load(path: file) }
        #expect(error.description == "\(file): is larger than 1024 KiB; is it a configuration file?")
    }
}
