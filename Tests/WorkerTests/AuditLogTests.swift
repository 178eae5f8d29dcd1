// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import NIOCore
import Postgres
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// The audit log's before/after (attached by handlers through a task-local recorder) and its list:
/// newest first, filters, pages without repeats.
@Suite("Audit log")
struct AuditLogTests {
    static func log() async throws -> (AuditLog, PGPool) {
        let db = try await WorkerHealthTests.database.value
        let tenant = try await db.createTenant(slug: "audit-\(TestEnvironment.uniqueSuffix().prefix(8))")
        return (AuditLog(postgres: tenant.pool, logger: Logger(label: "audit-test")), tenant.pool)
    }

    static func request(_ pathAndQuery: String) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "acme.csms.test", path: pathAndQuery),
            body: RequestBody(buffer: ByteBuffer()))
    }

    static let operator_ = Principal(
        kind: .user(subject: "sub-ann", name: "ann@example.com", role: .tenantOperator),
        scopes: AccessRole.tenantOperator.scopes)
    static let key = Principal(kind: .apiKey(id: "key-7", name: "billing"), scopes: [.read, .write])

    @Test func aHandlerAttachesBeforeAndAfterToItsRequestOnly() async {
        let changes = AuditChanges()
        await AuditLog.$changes.withValue(changes) {
            // Also from a task the handler starts: task-local values are inherited.
            await Task {
                AuditLog.recordChange(before: ["status": "pending"], after: ["status": "accepted"])
            }.value
        }
        #expect(changes.values.before == ["status": "pending"])
        #expect(changes.values.after == ["status": "accepted"])
        // Outside an audited request there is nobody to tell, and nothing fails.
        AuditLog.recordChange(before: nil, after: ["x": 1])
        let other = AuditChanges()
        #expect(other.values.before == nil && other.values.after == nil)
    }

    @Test func entriesListNewestFirstWithFiltersAndStablePages() async throws {
        let (log, pool) = try await Self.log()
        for i in 0..<7 {
            try await log.record(
                AuditLog.Entry(
                    principal: i % 2 == 0 ? Self.operator_ : Self.key,
                    action: i < 4 ? "PATCH /api/v1/stations/{id}" : "POST /api/v1/tokens",
                    target: "/api/v1/x/\(i)", clientAddress: "10.0.0.1:5\(i)", status: 200, requestID: "req-\(i)",
                    before: i == 0 ? ["registration_status": "pending"] : nil,
                    after: i == 0 ? ["registration_status": "accepted", "password": "changed"] : nil))
        }
        let routes = AuditRoutes(postgres: pool)
        var seen: [JSONObject] = []
        var cursor: String?
        repeat {
            var url = "/api/v1/audit-log?limit=3"
            if let cursor { url += "&cursor=\(cursor)" }
            let page = try await routes.list(Self.request(url)).value.objectValue ?? [:]
            guard case .array(let items)? = page["items"] else { break }
            seen += items.compactMap(\.objectValue)
            cursor = page["next_cursor"]?.stringValue
            if seen.count == 3 {
                // Written after the first page: newer than the cursor, so not on the next pages.
                try await log.record(AuditLog.Entry(principal: Self.key, action: "DELETE /api/v1/x", target: nil))
            }
        } while cursor != nil
        let targets = seen.compactMap { $0["target"]?.stringValue }
        #expect(targets == (0..<7).reversed().map { "/api/v1/x/\($0)" }, "\(targets)")
        let first = try #require(seen.last)
        // jsonb keeps members in its own order: compare them one by one.
        #expect(first["before"]?.objectValue?["registration_status"] == "pending")
        #expect(first["after"]?.objectValue?["registration_status"] == "accepted")
        #expect(first["after"]?.objectValue?["password"] == "changed")
        #expect(first["actor_kind"] == "user" && first["actor"] == "sub-ann" && first["role"] == "tenant-operator")
        #expect(first["client_address"] == "10.0.0.1:50" && first["request_id"] == "req-0")
        #expect(seen.first?["before"] == .null)

        func count(_ query: String) async throws -> Int {
            let body = try await routes.list(Self.request("/api/v1/audit-log?limit=100&" + query)).value
            guard case .array(let items)? = body.objectValue?["items"] else { return -1 }
            return items.count
        }
        #expect(try await count("actor=key-7") == 4)  // three plus the one written while paging
        #expect(try await count("actor=ann@example.com") == 4)
        #expect(try await count("action=PATCH%20/api/v1/stations") == 4)
        #expect(try await count("action=PATCH+%2Fapi%2Fv1%2Fstations") == 4)  // form encoding
        #expect(try await count("action=POST") == 3)
        #expect(try await count("from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z") == 0)
        #expect(try await count("from=2000-01-01T00:00:00Z") == 8)
        let oldest = try await routes.list(Self.request("/api/v1/audit-log?sort=at&limit=1")).value
        guard case .array(let items)? = oldest.objectValue?["items"] else {
            Issue.record("no items")
            return
        }
        #expect(items.first?.objectValue?["target"] == "/api/v1/x/0")
    }
}
