// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import HTTPClient
import Testing

@testable import OpenCSMSCLI

/// Parses `arguments` as the CLI would and returns the call and the connection (no I/O: the key
/// file reader is a stub).
func parse(
    _ arguments: [String], environment: [String: String] = [:]
) throws -> (call: PlatformCall, connection: PlatformConnection) {
    let parsed = try OpenCSMSCommand.parseAsRoot(arguments)
    guard let command = parsed as? any PlatformCommand else {
        throw TestServerError("\(arguments) is not a platform command")
    }
    let connection = try command.global.connection(environment: environment) { path in
        guard path == "/run/secrets/platform-key" else { throw TestServerError("no such file \(path)") }
        return "key-from-file"
    }
    return (try command.platformCall(), connection)
}

func request(_ arguments: [String], environment: [String: String] = [:]) throws -> HTTPClientRequest {
    let (call, connection) = try parse(arguments, environment: environment)
    return call.request(on: connection)
}

@Suite("open-csms: arguments → platform API requests (no server)")
struct CLIRequestTests {
    @Test("tenants create: POST /platform/v1/tenants with a snake_case JSON body")
    func createTenant() throws {
        let r = try request(["tenants", "create", "acme", "--plan", "basic", "--display-name", "ACME \"Charging\""])
        #expect(r.method == .post)
        #expect(r.url == "http://127.0.0.1:8090/platform/v1/tenants")
        #expect(r.headers["Content-Type"] == "application/json")
        #expect(r.headers["Authorization"] == nil)
        #expect(
            String(decoding: r.body, as: UTF8.self)
                == #"{"slug":"acme","plan":"basic","display_name":"ACME \"Charging\""}"#)
        let defaulted = try request(["tenants", "create", "acme", "--plan", "basic"])
        #expect(
            String(decoding: defaulted.body, as: UTF8.self) == #"{"slug":"acme","plan":"basic","display_name":"acme"}"#)
    }

    @Test("tenants list/show/suspend/resume/delete map to their method and path")
    func tenantPaths() throws {
        let cases: [([String], HTTPClientMethod, String)] = [
            (["tenants", "list"], .get, "/platform/v1/tenants"),
            (["tenants", "show", "acme"], .get, "/platform/v1/tenants/acme"),
            (["tenants", "suspend", "acme"], .post, "/platform/v1/tenants/acme/suspend"),
            (["tenants", "resume", "acme"], .post, "/platform/v1/tenants/acme/resume"),
            (["tenants", "delete", "acme"], .delete, "/platform/v1/tenants/acme"),
            (["tenants", "delete", "acme", "--erase-data"], .delete, "/platform/v1/tenants/acme?erase_data=true"),
            (["plans", "list"], .get, "/platform/v1/plans"),
            (["plans", "show", "pro"], .get, "/platform/v1/plans/pro"),
            (["plans", "delete", "pro"], .delete, "/platform/v1/plans/pro"),
            (["workers"], .get, "/platform/v1/workers"),
            (["usage", "acme"], .get, "/platform/v1/tenants/acme/usage"),
            (["usage", "acme", "--month", "2026-03"], .get, "/platform/v1/tenants/acme/usage?month=2026-03"),
        ]
        for (arguments, method, path) in cases {
            let r = try request(arguments)
            #expect(r.method == method, "\(arguments)")
            #expect(r.url == "http://127.0.0.1:8090" + path, "\(arguments)")
            #expect(r.body.isEmpty, "\(arguments)")
            #expect(r.headers["Content-Type"] == nil, "\(arguments)")
        }
    }

    @Test("tenants update: PATCH with only the given fields; at least one is required")
    func updateTenant() throws {
        let r = try request(["tenants", "update", "acme", "--plan", "pro"])
        #expect(r.method == .patch)
        #expect(r.url == "http://127.0.0.1:8090/platform/v1/tenants/acme")
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"plan":"pro"}"#)
        let both = try request(["tenants", "update", "acme", "--display-name", "Acme", "--plan", "pro"])
        #expect(String(decoding: both.body, as: UTF8.self) == #"{"plan":"pro","display_name":"Acme"}"#)
        #expect(throws: (any Error).self) { try parse(["tenants", "update", "acme"]) }
    }

    @Test("Path segments are percent-encoded, so a slug cannot reach another endpoint")
    func encoding() throws {
        let r = try request(["tenants", "show", "../plans/x?y"])
        #expect(r.url == "http://127.0.0.1:8090/platform/v1/tenants/..%2Fplans%2Fx%3Fy")
    }

    @Test("URL and key: options first, then OPEN_CSMS_URL / OPEN_CSMS_API_KEY, then the default")
    func connection() throws {
        let environment = ["OPEN_CSMS_URL": "https://admin.example.com/", "OPEN_CSMS_API_KEY": "env-key"]
        let fromEnvironment = try request(["workers"], environment: environment)
        #expect(fromEnvironment.url == "https://admin.example.com/platform/v1/workers")
        #expect(fromEnvironment.headers["Authorization"] == "Bearer env-key")
        let fromOptions = try request(
            ["workers", "--url", "http://localhost:9000", "--api-key", "arg-key"], environment: environment)
        #expect(fromOptions.url == "http://localhost:9000/platform/v1/workers")
        #expect(fromOptions.headers["Authorization"] == "Bearer arg-key")
        let fromFile = try request(
            ["workers", "--api-key-file", "/run/secrets/platform-key"], environment: environment)
        #expect(fromFile.headers["Authorization"] == "Bearer key-from-file")
        #expect(throws: (any Error).self) { try parse(["workers", "--api-key-file", "/missing"]) }
        #expect(throws: (any Error).self) {
            try parse(["workers", "--api-key", "a", "--api-key-file", "/run/secrets/platform-key"])
        }
        let timeout = try parse(["workers", "--timeout", "5"]).connection.timeout
        #expect(timeout == .seconds(5))
        #expect(throws: (any Error).self) { try parse(["workers", "--timeout", "0"]) }
        for bad in ["127.0.0.1:8090", "https://admin.example.com/?x=1", "ftp://admin.example.com"] {
            #expect(throws: (any Error).self, "\(bad)") { try parse(["workers", "--url", bad]) }
        }
    }

    @Test("usage --month must be YYYY-MM")
    func month() throws {
        for bad in ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "2026-03-01"] {
            #expect(throws: (any Error).self, "\(bad)") { try parse(["usage", "acme", "--month", bad]) }
        }
        #expect(try parse(["usage", "acme", "--month", "2026-12"]).call == .usage(slug: "acme", month: "2026-12"))
    }

    @Test("plans create: amounts are sent as strings with the digits typed; --ocpi/--no-ocpi")
    func createPlan() throws {
        let r = try request([
            "plans", "create", "pro", "--monthly-price", "49.90", "--max-stations", "100",
            "--max-concurrent-connections", "150", "--api-requests-per-second", "20", "--ocpi",
            "--price-per-extra-station", "0.10", "--currency", "CHF",
        ])
        #expect(r.method == .post)
        #expect(r.url == "http://127.0.0.1:8090/platform/v1/plans")
        #expect(
            String(decoding: r.body, as: UTF8.self)
                == #"{"name":"pro","monthly_price":"49.90","currency":"CHF","price_per_extra_station":"0.10","#
                + #""max_stations":100,"max_concurrent_connections":150,"api_requests_per_second":20,"ocpi_enabled":true}"#
        )
        let noOCPI = try request(["plans", "create", "basic", "--monthly-price", "0", "--no-ocpi"])
        #expect(
            String(decoding: noOCPI.body, as: UTF8.self)
                == #"{"name":"basic","monthly_price":"0","ocpi_enabled":false}"#)
        for bad in ["9,99", "-1", "1e3", ".5", "5.", "abc"] {
            #expect(throws: (any Error).self, "\(bad)") { try parse(["plans", "create", "x", "--monthly-price", bad]) }
        }
    }

    @Test("plans update: GET first, then PUT the whole plan with the changed fields")
    func updatePlan() throws {
        let (call, connection) = try parse(["plans", "update", "pro", "--max-stations", "200", "--no-ocpi"])
        #expect(call == .updatePlan(name: "pro", fields: PlanFields(maxStations: 200, ocpiEnabled: false)))
        let first = call.request(on: connection)
        #expect(first.method == .get)
        #expect(first.url == "http://127.0.0.1:8090/platform/v1/plans/pro")
        let current = try JSONText.parse(
            Array(
                (#"{"name":"pro","monthly_price":"49.90","max_stations":100,"ocpi_enabled":true,"source":"api","#
                    + #""tenants":2,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}"#).utf8))
        guard case .updatePlan(let name, let fields) = call else { return }
        let put = PlatformCall.replacePlan(name: name, plan: fields.merged(into: current, name: name)).request(
            on: connection)
        #expect(put.method == .put)
        #expect(put.url == "http://127.0.0.1:8090/platform/v1/plans/pro")
        #expect(
            String(decoding: put.body, as: UTF8.self)
                == #"{"name":"pro","monthly_price":"49.90","max_stations":200,"ocpi_enabled":false}"#)
        #expect(throws: (any Error).self) { try parse(["plans", "update", "pro"]) }
    }

    @Test("Every request asks for JSON and carries the timeout")
    func commonHeaders() throws {
        let r = try request(["tenants", "list", "--timeout", "7", "--api-key", "k"])
        #expect(r.headers["Accept"] == "application/json, application/problem+json")
        #expect(r.timeout == .seconds(7))
        #expect(r.headers["Authorization"] == "Bearer k")
    }
}
