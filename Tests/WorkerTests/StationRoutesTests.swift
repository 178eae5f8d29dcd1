// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import JSON
import Logging
import Postgres
import ServiceLifecycle
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// A tenant worker with a TCP listener and a bootstrap API key (every scope), for tests that go
/// through the real router, middleware and database. One is shared by the REST API suites.
struct APITestWorker: Sendable {
    static let secret = "station-api-test-key-0123456789"
    /// SHA-256 of ``secret``, as the tenant file holds it.
    static let secretSHA256 = "a0f9772c94134b9993bf9ca1d4d88be87be816f0f2f4a0febda41df8a01fbd95"

    static let shared = Task { try await APITestWorker.start() }

    let setup: WorkerHealthTests.Setup
    let port: Int

    static func start() async throws -> APITestWorker {
        let setup = try await WorkerHealthTests().setUp(slugPrefix: "api")
        try """
        slug: \(setup.tenant.slug)
        display_name: REST API test
        plan: test
        api_keys:
          - name: test
            sha256: \(secretSHA256)
        """.write(toFile: setup.tenantConfig, atomically: true, encoding: .utf8)
        let port = try TestEnvironment.freePort()
        let options = WorkerOptions(
            tenantConfigPath: setup.tenantConfig, postgresConninfo: setup.tenant.conninfo,
            postgresPasswordFile: setup.dir + "/pg.pw", postgresMaxConnections: 4, redisHost: "127.0.0.1",
            redisPort: try TestEnvironment.redisPort(), redisUser: setup.redisUser,
            redisPasswordFile: setup.redisPasswordFile, controlSocketPath: setup.dir + "/worker.sock",
            tcpListen: ("127.0.0.1", port), healthCheckInterval: .milliseconds(200))
        let worker = try buildTenantWorker(options: options, logger: Logger(label: "api-test"))
        let group = ServiceGroup(
            configuration: .init(services: worker.services.map { .init(service: $0) }, logger: worker.logger))
        // Runs until the test process ends: the suites share it.
        Task { try await group.run() }
        _ = try await WorkerHealthTests().waitForHealth(setup.dir + "/worker.sock", status: 200)
        return APITestWorker(setup: setup, port: port)
    }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var text: String
        var json: JSONValue?

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var object: JSONObject { json?.objectValue ?? [:] }
        var items: [JSONObject] {
            guard case .array(let items)? = object["items"] else { return [] }
            return items.compactMap(\.objectValue)
        }
        var nextCursor: String? { object["next_cursor"]?.stringValue }
    }

    /// One request on a fresh connection (retried while the listener is still starting).
    func call(
        _ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:],
        key: String? = secret
    ) async throws -> Answer {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(setup.tenant.slug).csms.test\r\nConnection: close\r\n"
        if let key { head += "Authorization: Bearer \(key)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        let text = head + "\r\n" + (body ?? "")
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                let client = try TestClient.connect(port: UInt16(port))
                defer { client.close() }
                try client.send(text)
                let response = try await client.readResponse()
                return Answer(
                    status: response.status, headers: response.headers, text: response.text,
                    json: response.body.isEmpty ? nil : try? JSONValue.parse(response.body))
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Every item of a list, page by page (`limit` per page), with `between` run after each page.
    func pages(
        _ path: String, limit: Int, between: (Int) async throws -> Void = { _ in }
    ) async throws -> [[JSONObject]] {
        var pages: [[JSONObject]] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            var url = path + separator + "limit=\(limit)"
            if let cursor { url += "&cursor=\(cursor)" }
            let answer = try await call("GET", url)
            #expect(answer.status == 200, "\(url): \(answer.text)")
            guard answer.status == 200 else { break }
            pages.append(answer.items)
            cursor = answer.nextCursor
            try await between(pages.count)
        } while cursor != nil && pages.count < 100
        return pages
    }
}

@Suite("Stations in the tenant REST API")
struct StationRoutesTests {
    func worker() async throws -> APITestWorker { try await APITestWorker.shared.value }

    static func identity(_ prefix: String) -> String { "\(prefix)-\(TestEnvironment.uniqueSuffix())" }

    @Test func aPatchNeedsTheCurrentETagAndAnswersWithANewOne() async throws {
        let api = try await worker()
        let id = Self.identity("ETAG")
        let created = try await api.call(
            "POST", "/api/v1/stations",
            body: #"{"identity":"\#(id)","registration_status":"pending","password":"0123456789abcdef"}"#)
        #expect(created.status == 201, "\(created.text)")
        let first = try #require(created.header("ETag"))
        let path = "/api/v1/stations/\(id)"
        let accept = #"{"registration_status":"accepted"}"#

        let missing = try await api.call("PATCH", path, body: accept)
        #expect(missing.status == 428, "\(missing.text)")
        #expect(missing.header("Content-Type") == "application/problem+json")
        let stale = try await api.call("PATCH", path, body: accept, headers: ["If-Match": #""1-1""#])
        #expect(stale.status == 412, "\(stale.text)")
        #expect(stale.header("ETag") == first)

        let patched = try await api.call("PATCH", path, body: accept, headers: ["If-Match": first])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.object["registration_status"] == "accepted")
        let second = try #require(patched.header("ETag"))
        #expect(second != first)
        // The first tag is stale now; the new one is what GET shows.
        let again = try await api.call("PATCH", path, body: accept, headers: ["If-Match": first])
        #expect(again.status == 412, "\(again.text)")
        let read = try await api.call("GET", path)
        #expect(read.status == 200 && read.header("ETag") == second, "\(read.text)")
        // A weakened copy of the tag (as a compressing proxy makes it) and `*` still match.
        let weak = try await api.call(
            "PATCH", path, body: #"{"password":"fedcba9876543210"}"#, headers: ["If-Match": "W/" + second])
        #expect(weak.status == 200, "\(weak.text)")
        let any = try await api.call(
            "PATCH", path, body: #"{"registration_status":"rejected"}"#,
            headers: ["If-Match": "*"])
        #expect(any.status == 200 && any.object["registration_status"] == "rejected", "\(any.text)")
        let unknown = try await api.call("PATCH", "/api/v1/stations/NO-\(id)", body: accept, headers: ["If-Match": "*"])
        #expect(unknown.status == 404, "\(unknown.text)")
    }

    @Test func badBodiesAreRefusedWithEveryProblemNamed() async throws {
        let api = try await worker()
        let id = Self.identity("BAD")
        let created = try await api.call("POST", "/api/v1/stations", body: #"{"identity":"\#(id)"}"#)
        let tag = try #require(created.header("ETag"))
        let bad = try await api.call(
            "PATCH", "/api/v1/stations/\(id)",
            body: #"{"registration_status":"maybe","password":"short","vendor":"ACME"}"#, headers: ["If-Match": tag])
        #expect(bad.status == 422, "\(bad.text)")
        guard case .array(let errors)? = bad.object["errors"] else {
            Issue.record("no errors member: \(bad.text)")
            return
        }
        let fields = errors.compactMap { $0.objectValue?["field"]?.stringValue }
        #expect(Set(fields) == ["vendor", "registration_status", "password"], "\(bad.text)")
        let post = try await api.call("POST", "/api/v1/stations", body: #"{"identity":"A:B","colour":"red"}"#)
        #expect(post.status == 422, "\(post.text)")
        #expect(post.text.contains("colour") && post.text.contains("identity"), "\(post.text)")
        let notJSON = try await api.call("PATCH", "/api/v1/stations/\(id)", body: "{", headers: ["If-Match": tag])
        #expect(notJSON.status == 400, "\(notJSON.text)")
    }

    @Test func changesAndRemovalsAreAuditedWithBeforeAndAfter() async throws {
        let api = try await worker()
        let id = Self.identity("AUDIT")
        let created = try await api.call(
            "POST", "/api/v1/stations", body: #"{"identity":"\#(id)","registration_status":"pending"}"#)
        let tag = try #require(created.header("ETag"))
        let patched = try await api.call(
            "PATCH", "/api/v1/stations/\(id)",
            body: #"{"registration_status":"accepted","password":"0123456789abcdef0123"}"#, headers: ["If-Match": tag])
        #expect(patched.status == 200, "\(patched.text)")
        let log = try await api.call("GET", "/api/v1/audit-log?action=PATCH%20/api/v1/stations&limit=50")
        #expect(log.status == 200, "\(log.text)")
        let entry = try #require(log.items.first { $0["target"]?.stringValue == "/api/v1/stations/\(id)" })
        #expect(entry["action"] == "PATCH /api/v1/stations/{id}")
        #expect(entry["status"] == 200)
        #expect(entry["actor"] == "config:test" && entry["actor_kind"] == "api_key")
        let before = try #require(entry["before"]?.objectValue)
        let after = try #require(entry["after"]?.objectValue)
        #expect(before["registration_status"] == "pending" && before["password_set"] == false)
        #expect(after["registration_status"] == "accepted" && after["password_set"] == true)
        #expect(after["password"] == "changed" && before["password"] == nil)
        #expect(!log.text.contains("pbkdf2") && !log.text.contains("0123456789abcdef0123"))

        let deleted = try await api.call("DELETE", "/api/v1/stations/\(id)")
        #expect(deleted.status == 204, "\(deleted.text)")
        #expect(try await api.call("GET", "/api/v1/stations/\(id)").status == 404)
        #expect(try await api.call("DELETE", "/api/v1/stations/\(id)").status == 404)
        let removals = try await api.call("GET", "/api/v1/audit-log?action=DELETE%20/api/v1/stations")
        let removal = try #require(
            removals.items.first { $0["target"]?.stringValue == "/api/v1/stations/\(id)" && $0["status"] == 204 })
        #expect(removal["before"]?.objectValue?["identity"] == .string(id))
        #expect(removal["after"] == .null)
        // Creation is a configuration change too: no before, the new station after.
        let creations = try await api.call("GET", "/api/v1/audit-log?action=POST%20/api/v1/stations&limit=200")
        let creation = try #require(
            creations.items.first { $0["after"]?.objectValue?["identity"] == .string(id) })
        #expect(creation["before"] == .null && creation["status"] == 201)
    }

    @Test func stationsPageWithoutDuplicatesOrGapsWhileStationsAreAdded() async throws {
        let api = try await worker()
        let prefix = "PAGE\(TestEnvironment.uniqueSuffix().prefix(6))"
        for i in 0..<7 {
            let r = try await api.call(
                "POST", "/api/v1/stations",
                body:
                    #"{"identity":"\#(prefix)-\#(i * 2)","registration_status":"\#(i % 2 == 0 ? "pending" : "accepted")"}"#
            )
            #expect(r.status == 201, "\(r.text)")
        }
        // While paging, a station that sorts after the cursor appears once; one before it never.
        let pages = try await api.pages("/api/v1/stations?q=\(prefix)", limit: 3) { page in
            guard page == 1 else { return }
            _ = try await api.call("POST", "/api/v1/stations", body: #"{"identity":"\#(prefix)-9"}"#)
            _ = try await api.call("POST", "/api/v1/stations", body: #"{"identity":"\#(prefix)-0a"}"#)
        }
        let seen = pages.flatMap { $0 }.compactMap { $0["identity"]?.stringValue }
        #expect(pages.map(\.count) == [3, 3, 2], "\(seen)")
        #expect(seen == seen.sorted() && Set(seen).count == seen.count, "\(seen)")
        #expect(seen.contains("\(prefix)-9") && !seen.contains("\(prefix)-0a"), "\(seen)")

        let newest = try await api.pages("/api/v1/stations?q=\(prefix)&sort=-created_at", limit: 4)
        let byAge = newest.flatMap { $0 }.compactMap { $0["identity"]?.stringValue }
        #expect(byAge.count == 9 && Set(byAge).count == 9 && byAge.first == "\(prefix)-0a", "\(byAge)")
        let seenFirst = try await api.pages("/api/v1/stations?q=\(prefix)&sort=-last_seen_at", limit: 2)
        #expect(seenFirst.flatMap { $0 }.count == 9)

        let pending = try await api.call("GET", "/api/v1/stations?q=\(prefix)&status=pending")
        #expect(pending.items.count == 4 && pending.items.allSatisfy { $0["registration_status"] == "pending" })
        let offline = try await api.call("GET", "/api/v1/stations?q=\(prefix)&connected=false&limit=100")
        #expect(offline.items.count == 9, "\(offline.text)")
        let online = try await api.call("GET", "/api/v1/stations?q=\(prefix)&connected=true")
        #expect(online.status == 200 && online.items.isEmpty, "\(online.text)")
        for bad in ["sort=name", "connected=yes", "status=sleeping", "cursor=abc", "limit=0"] {
            let r = try await api.call("GET", "/api/v1/stations?\(bad)")
            #expect(r.status == 400, "\(bad): \(r.text)")
        }
    }

    @Test func aStationShowsItsEVSEsAndConnectors() async throws {
        let api = try await worker()
        let id = Self.identity("EVSE")
        _ = try await api.call("POST", "/api/v1/stations", body: #"{"identity":"\#(id)"}"#)
        try await api.setup.tenant.pool.execute(
            """
            WITH s AS (SELECT id FROM csms.stations WHERE identity = \(id)),
                e AS (INSERT INTO csms.evses (station_id, evse_id) SELECT id, 1 FROM s RETURNING id)
            INSERT INTO csms.connectors (evse_pk, connector_id, connector_type, status, status_at)
            SELECT e.id, n, 'cType2', 'Available', '2026-01-01T00:00:00Z' FROM e, generate_series(1, 2) n
            """)
        let evses = try await api.call("GET", "/api/v1/stations/\(id)/evses")
        #expect(evses.status == 200, "\(evses.text)")
        let evse = try #require(evses.items.first)
        #expect(evse["evse_id"] == 1)
        guard case .array(let connectors)? = evse["connectors"] else {
            Issue.record("no connectors: \(evses.text)")
            return
        }
        #expect(connectors.compactMap { $0.objectValue?["connector_id"] } == [1, 2])
        #expect(connectors.first?.objectValue?["status"] == "Available")
        #expect(connectors.first?.objectValue?["connector_type"] == "cType2")
        let detail = try await api.call("GET", "/api/v1/stations/\(id)")
        #expect(detail.object["evses"] == .array(evses.items.map { .object($0) }), "\(detail.text)")
        #expect(try await api.call("GET", "/api/v1/stations/NO-\(id)/evses").status == 404)
    }

    @Test func theAuditLogIsForWritersAndAdministrators() async throws {
        let api = try await worker()
        func key(_ scopes: String) async throws -> String {
            let made = try await api.call(
                "POST", "/api/v1/api-keys", body: #"{"name":"audit-\#(scopes.count)","scopes":[\#(scopes)]}"#)
            #expect(made.status == 201, "\(made.text)")
            return made.object["secret"]?.stringValue ?? ""
        }
        let reader = try await key(#""read""#)
        let writer = try await key(#""read","write""#)
        #expect(try await api.call("GET", "/api/v1/audit-log", key: reader).status == 403)
        #expect(try await api.call("GET", "/api/v1/audit-log", key: writer).status == 200)
        #expect(try await api.call("GET", "/api/v1/audit-log").status == 200)
        for bad in ["sort=at2", "from=yesterday", "cursor=" + PageRequest.cursor(sort: "-at", after: ["x", "1"])] {
            #expect(try await api.call("GET", "/api/v1/audit-log?\(bad)").status == 400, "\(bad)")
        }
        let roles: [(AccessRole, Bool)] = [
            (.tenantViewer, false), (.tenantOperator, true), (.tenantAdmin, true), (.platformOperator, true),
        ]
        for (role, allowed) in roles {
            let user = Principal(kind: .user(subject: "u", name: nil, role: role), scopes: role.scopes)
            let passes = (try? AuditRoutes.requireAuditReader(user)) != nil
            #expect(passes == allowed, "\(role)")
        }
    }
}
