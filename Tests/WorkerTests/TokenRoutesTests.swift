// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import JSON
import Logging
import OCPPRPC
import ServiceLifecycle
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// A tenant worker running in this process with a bootstrap API key in its tenant file and a TCP
/// listener: the token and group route tests talk HTTP/1.1 to it.
struct TokenAPIWorker {
    static let key = "tok-test-bootstrap-key"
    /// SHA-256 of ``key`` (the tenant file stores only the digest).
    static let keySHA256 = "3fd5085933f91b075bdb9a3517208dd817a6503fdf6ed26923c07843b03c1653"

    let setup: WorkerHealthTests.Setup
    let port: Int
    let worker: TenantWorker
    let group: ServiceGroup
    let running: Task<Void, any Error>

    static func start(_ prefix: String) async throws -> TokenAPIWorker {
        let setup = try await WorkerHealthTests().setUp(slugPrefix: prefix)
        try """
        slug: \(setup.tenant.slug)
        display_name: Token API test
        plan: test
        api_keys:
          - name: bootstrap
            sha256: \(keySHA256)

        """.write(toFile: setup.tenantConfig, atomically: true, encoding: .utf8)
        let port = try TestEnvironment.freePort()
        let options = WorkerOptions(
            tenantConfigPath: setup.tenantConfig, postgresConninfo: setup.tenant.conninfo,
            postgresPasswordFile: setup.dir + "/pg.pw", postgresMaxConnections: 3, redisHost: "127.0.0.1",
            redisPort: try TestEnvironment.redisPort(), redisUser: setup.redisUser,
            redisPasswordFile: setup.redisPasswordFile, controlSocketPath: setup.dir + "/worker.sock",
            tcpListen: ("127.0.0.1", port), healthCheckInterval: .milliseconds(200), apiRequestsPerSecond: 100_000)
        let worker = try buildTenantWorker(options: options, logger: Logger(label: "token-api-test"))
        let group = ServiceGroup(
            configuration: .init(services: worker.services.map { .init(service: $0) }, logger: worker.logger))
        let running = Task { try await group.run() }
        _ = try await WorkerHealthTests().waitForHealth(setup.dir + "/worker.sock", status: 200)
        return TokenAPIWorker(setup: setup, port: port, worker: worker, group: group, running: running)
    }

    /// Runs `body` against a new worker and stops the worker afterwards, also when `body` throws.
    static func with(_ prefix: String, _ body: (TokenAPIWorker) async throws -> Void) async throws {
        let api = try await start(prefix)
        do {
            try await body(api)
        } catch {
            try? await api.stop()
            throw error
        }
        try await api.stop()
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        await worker.ocpp.authenticator.shutdown()
        await worker.postgres.shutdown()
        await worker.redis.shutdown()
    }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var json: JSONObject {
            (try? JSONValue.parse(body))?.objectValue ?? [:]
        }
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One request on a new connection (retried while the listener is not up yet).
    func call(
        _ method: String, _ path: String, json: JSONValue? = nil, body: [UInt8]? = nil,
        contentType: String? = nil, headers: [(String, String)] = []
    ) async throws -> Answer {
        let payload = json.map { $0.serialized() } ?? body
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(setup.tenant.slug).csms.test\r\n"
        head += "Authorization: Bearer \(Self.key)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let payload {
            head += "Content-Type: \(contentType ?? "application/json")\r\nContent-Length: \(payload.count)\r\n"
        }
        head += "\r\n"
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                let client = try TestClient.connect(port: UInt16(port))
                defer { client.close() }
                try client.send(Array(head.utf8) + (payload ?? []))
                let r = try await client.readResponse(timeout: .seconds(60))
                return Answer(status: r.status, headers: r.headers, body: r.body)
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// `/api/v1/tokens` through a running worker: creation and conflicts, ETag / If-Match (428, 412,
/// 200), pages that follow `next_cursor`, and the import's all-or-nothing and partial modes.
@Suite("Id token routes through the worker")
struct TokenRoutesTests {
    @Test func createReadPatchAndDeleteWithEntityTags() async throws {
        try await TokenAPIWorker.with("troutes") { api in try await checkCreateReadPatchAndDeleteWithEntityTags(api) }
    }

    func checkCreateReadPatchAndDeleteWithEntityTags(_ api: TokenAPIWorker) async throws {

        let created = try await api.call(
            "POST", "/api/v1/tokens", json: ["token": "R-1", "type": "ISO14443", "parent_token": "FLEET"])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json.int("id"))
        #expect(created.header("Location") == "/api/v1/tokens/\(id)")
        let etag = try #require(created.header("ETag"))
        #expect(created.json.string("status") == "accepted" && created.json["expires_at"] == .null)

        let duplicate = try await api.call("POST", "/api/v1/tokens", json: ["token": "R-1", "type": "ISO14443"])
        #expect(duplicate.status == 409, "\(duplicate.text)")
        #expect(try await api.call("POST", "/api/v1/tokens", json: ["token": "R-1"]).status == 201)
        let invalid = try await api.call(
            "POST", "/api/v1/tokens", json: ["token": "", "type": "Card", "expires_at": "soon", "colour": "red"])
        #expect(invalid.status == 422)
        let fields = (invalid.json.array("errors") ?? []).compactMap { $0.objectValue?.string("field") }
        #expect(Set(fields) == ["token", "type", "expires_at", "colour"], "\(invalid.text)")

        let read = try await api.call("GET", "/api/v1/tokens/\(id)")
        #expect(read.status == 200 && read.header("ETag") == etag && read.json.string("parent_token") == "FLEET")
        #expect(try await api.call("GET", "/api/v1/tokens/999999").status == 404)
        #expect(try await api.call("GET", "/api/v1/tokens/abc").status == 404)

        let change: JSONValue = ["status": "blocked", "expires_at": "2030-01-01T00:00:00.5Z"]
        let missing = try await api.call("PATCH", "/api/v1/tokens/\(id)", json: change)
        #expect(missing.status == 428, "\(missing.text)")
        let stale = try await api.call(
            "PATCH", "/api/v1/tokens/\(id)", json: change, headers: [("If-Match", "\"\(id)-1\"")])
        #expect(stale.status == 412 && stale.header("ETag") == etag, "\(stale.text)")
        let patched = try await api.call("PATCH", "/api/v1/tokens/\(id)", json: change, headers: [("If-Match", etag)])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.json.string("status") == "blocked")
        #expect(patched.json.string("expires_at") == "2030-01-01T00:00:00.500Z")
        let newTag = try #require(patched.header("ETag"))
        #expect(newTag != etag)
        // The old tag is stale now; a weak form of the new one matches.
        let again = try await api.call(
            "PATCH", "/api/v1/tokens/\(id)", json: ["parent_token": nil], headers: [("If-Match", etag)])
        #expect(again.status == 412)
        let weak = try await api.call(
            "PATCH", "/api/v1/tokens/\(id)", json: ["parent_token": nil], headers: [("If-Match", "W/" + newTag)])
        #expect(weak.status == 200 && weak.json["parent_token"] == .null, "\(weak.text)")
        let badPatch = try await api.call(
            "PATCH", "/api/v1/tokens/\(id)", json: ["token": "X", "status": "paused"], headers: [("If-Match", "*")])
        #expect(badPatch.status == 422, "\(badPatch.text)")

        #expect(try await api.call("DELETE", "/api/v1/tokens/\(id)", headers: [("If-Match", etag)]).status == 412)
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(id)").status == 204)
        #expect(try await api.call("GET", "/api/v1/tokens/\(id)").status == 404)
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(id)").status == 404)
    }

    @Test func listsFollowNextCursorAcrossPages() async throws {
        try await TokenAPIWorker.with("tpages") { api in try await checkListsFollowNextCursorAcrossPages(api) }
    }

    func checkListsFollowNextCursorAcrossPages(_ api: TokenAPIWorker) async throws {
        var csv = "token,status\n"
        for i in 0..<23 { csv += "PG\(String(format: "%02d", i)),\(i % 4 == 0 ? "blocked" : "accepted")\n" }
        let imported = try await api.call(
            "POST", "/api/v1/tokens/import", body: Array(csv.utf8), contentType: "text/csv")
        #expect(imported.status == 200 && imported.json["imported"] == .integer(23), "\(imported.text)")

        func walk(_ query: String) async throws -> [String] {
            var tokens: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/tokens?limit=5" + query + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.call("GET", path)
                #expect(page.status == 200, "\(page.text)")
                tokens += (page.json.array("items") ?? []).compactMap { $0.objectValue?.string("token") }
                cursor = page.json.string("next_cursor")
            } while cursor != nil
            return tokens
        }
        #expect(try await walk("") == (0..<23).map { "PG" + String(format: "%02d", $0) })
        #expect(try await walk("&status=blocked") == ["PG00", "PG04", "PG08", "PG12", "PG16", "PG20"])
        #expect(try await walk("&q=PG1").count == 10)
        #expect(Set(try await walk("&sort=-updated_at")).count == 23)
        #expect(try await api.call("GET", "/api/v1/tokens?sort=colour").status == 400)
        #expect(try await api.call("GET", "/api/v1/tokens?type=Card").status == 400)
        let otherSort = PageRequest.cursor(sort: "-updated_at", after: ["1", "1"])
        #expect(try await api.call("GET", "/api/v1/tokens?cursor=\(otherSort)").status == 400)
    }

    @Test func anImportWithBadRowsImportsNothingUnlessPartial() async throws {
        try await TokenAPIWorker.with("timport") { api in
            try await checkAnImportWithBadRowsImportsNothingUnlessPartial(api)
        }
    }

    func checkAnImportWithBadRowsImportsNothingUnlessPartial(_ api: TokenAPIWorker) async throws {
        let csv = Array("token,type,status\nI-1,Central,accepted\nI-2,Card,accepted\nI-3,Central,sleepy\nI-4,,\n".utf8)
        let refused = try await api.call("POST", "/api/v1/tokens/import", body: csv, contentType: "text/csv")
        #expect(refused.status == 422, "\(refused.text)")
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(refused.json["imported"] == .integer(0) && refused.json["rejected"] == .integer(2))
        let lines = (refused.json.array("errors") ?? []).compactMap { $0.objectValue?["line"] }
        #expect(lines == [.integer(3), .integer(4)])
        let listed = try await api.call("GET", "/api/v1/tokens?q=I-")
        #expect(listed.json.array("items")?.isEmpty == true)

        let partial = try await api.call(
            "POST", "/api/v1/tokens/import?partial=true", body: csv, contentType: "text/csv; charset=utf-8")
        #expect(partial.status == 200, "\(partial.text)")
        #expect(partial.json["imported"] == .integer(2) && partial.json["rejected"] == .integer(2))
        #expect(partial.json.array("errors")?.count == 2)

        let json: JSONValue = [["token": "I-1", "status": "blocked"], ["token": "I-4"], ["token": "I-5"]]
        let upsert = try await api.call("POST", "/api/v1/tokens/import", json: json)
        #expect(upsert.status == 200, "\(upsert.text)")
        #expect(upsert.json["imported"] == .integer(1) && upsert.json["updated"] == .integer(1))
        #expect(upsert.json["unchanged"] == .integer(1) && upsert.json["rejected"] == .integer(0))

        #expect(try await api.call("POST", "/api/v1/tokens/import", body: [1], contentType: "text/plain").status == 415)
        #expect(
            try await api.call("POST", "/api/v1/tokens/import", body: Array("{}".utf8), contentType: "application/json")
                .status == 400)
        #expect(
            try await api.call("POST", "/api/v1/tokens/import?partial=maybe", body: csv, contentType: "text/csv")
                .status == 400)
        let tooLarge = try await api.call(
            "POST", "/api/v1/tokens/import",
            headers: [("Content-Type", "text/csv"), ("Content-Length", "\(TokenRoutes.importLimit + 1)")])
        #expect(tooLarge.status == 413, "\(tooLarge.text)")
    }
}
