// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import Testing

@testable import WorkerCore

@Suite("Cursor pagination")
struct PaginationTests {
    func request(_ query: String) -> Request {
        Request(
            head: HTTPRequest(
                method: .get, scheme: "http", authority: "acme.csms.test", path: "/api/v1/tokens" + query),
            body: RequestBody(buffer: ByteBuffer()))
    }

    @Test func aCursorLeadsBackToTheRowAfterWhichToContinue() throws {
        let first = try PageRequest.parse(request(""), sort: "-created_at")
        #expect(first == PageRequest(limit: 50, after: nil))
        let cursor = PageRequest.cursor(sort: "-created_at", after: ["2026-11-26T02:00:00Z", "42"])
        let next = try PageRequest.parse(request("?limit=2&cursor=\(cursor)"), sort: "-created_at")
        #expect(next == PageRequest(limit: 2, after: ["2026-11-26T02:00:00Z", "42"]))
    }

    @Test func badLimitsAndForeignOrTamperedCursorsAre400() {
        for query in ["?limit=0", "?limit=1001", "?limit=ten"] {
            #expect(throws: ProblemDocument.self) { try PageRequest.parse(request(query), sort: "id") }
        }
        let otherSort = PageRequest.cursor(sort: "name", after: ["a", "1"])
        #expect(throws: ProblemDocument.self) { try PageRequest.parse(request("?cursor=\(otherSort)"), sort: "id") }
        #expect(throws: ProblemDocument.self) { try PageRequest.parse(request("?cursor=not-base64!"), sort: "id") }
    }

    @Test func aPageSaysWhetherMoreFollow() {
        let rows: [(item: JSONValue, key: [String])] = (1...3).map { (.integer(Int64($0)), ["\($0)"]) }
        let more = PageRequest.page(rows, limit: 2, sort: "id").value
        #expect(more.objectValue?["items"] == .array([.integer(1), .integer(2)]))
        #expect(more.objectValue?["next_cursor"] == .string(PageRequest.cursor(sort: "id", after: ["2"])))
        let last = PageRequest.page(Array(rows.prefix(2)), limit: 2, sort: "id").value
        #expect(last.objectValue?["next_cursor"] == .null)
    }
}
