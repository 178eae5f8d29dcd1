// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// The id token store of the REST API against the real PostgreSQL, as a tenant's own role:
/// creation and its conflicts, filters and keyset pages, versions for If-Match, and the bulk
/// upsert's counts and column rules.
@Suite("Id token store")
struct TokenStoreTests {
    static let database = Task { try await TestDatabase.create(prefix: "csms_tokens") }

    static func tenant(_ prefix: String) async throws -> TestDatabase.Tenant {
        try await database.value.createTenant(slug: "\(prefix)-\(TestEnvironment.uniqueSuffix().prefix(8))")
    }

    func row(
        _ token: String, type: String = "Central", status: String = "accepted", parent: String? = nil
    )
        -> TokenInputRow
    {
        TokenInputRow(token: token, type: type, status: status, parentToken: parent)
    }

    @Test func createRefusesADuplicateTokenAndTypeButNotAnotherType() async throws {
        let store = TokenStore(postgres: try await Self.tenant("tcreate").pool)
        let created = try #require(try await store.create(row("T-1", type: "ISO14443", parent: "G-1")))
        #expect(created.token == "T-1" && created.type == "ISO14443" && created.parentToken == "G-1")
        #expect(created.createdAt == created.updatedAt)
        #expect(try await store.create(row("T-1", type: "ISO14443")) == nil)
        #expect(try await store.create(row("T-1", type: "KeyCode")) != nil)
        #expect(try await store.token(id: created.id) == created)
        #expect(try await store.token(id: created.id + 1000) == nil)
    }

    @Test func filtersAndKeysetPagesInBothSorts() async throws {
        let store = TokenStore(postgres: try await Self.tenant("tlist").pool)
        for i in 0..<7 {
            _ = try await store.create(row("P\(i)", status: i % 2 == 0 ? "accepted" : "blocked"))
        }
        _ = try await store.create(row("P3", type: "KeyCode"))
        _ = try await store.create(row("Q0"))

        func all(_ filter: TokenStore.Filter, sort: TokenStore.Sort, pageSize: Int) async throws -> [String] {
            var seen: [String] = []
            var after: [String]?
            while true {
                let page = try await store.list(filter, sort: sort, after: after, limit: pageSize + 1)
                seen += page.prefix(pageSize).map { "\($0.token)/\($0.type)" }
                guard page.count > pageSize, let last = page.prefix(pageSize).last else { return seen }
                after = TokenStore.key(last, sort: sort)
            }
        }
        let everything = try await all(.init(), sort: .token, pageSize: 3)
        #expect(
            everything == [
                "P0/Central", "P1/Central", "P2/Central", "P3/Central", "P3/KeyCode", "P4/Central",
                "P5/Central", "P6/Central", "Q0/Central",
            ])
        #expect(try await all(.init(), sort: .token, pageSize: 4) == everything)
        let newestFirst = try await all(.init(), sort: .updatedDescending, pageSize: 2)
        #expect(newestFirst == ["Q0/Central", "P3/KeyCode"] + (0..<7).reversed().map { "P\($0)/Central" })
        #expect(
            try await all(.init(status: "blocked"), sort: .token, pageSize: 2) == [
                "P1/Central", "P3/Central", "P5/Central",
            ])
        #expect(try await all(.init(type: "KeyCode"), sort: .token, pageSize: 2) == ["P3/KeyCode"])
        #expect(try await all(.init(prefix: "Q"), sort: .token, pageSize: 2) == ["Q0/Central"])
        #expect(try await all(.init(prefix: "%"), sort: .token, pageSize: 2) == [])
    }

    @Test func everyChangeMovesTheVersionAndAStaleOneIsRefused() async throws {
        let store = TokenStore(postgres: try await Self.tenant("tupdate").pool)
        let token = try #require(try await store.create(row("U-1")))
        var changes = TokenStore.Changes()
        changes.status = "blocked"
        changes.expiresAtMillis = .some(1_800_000_000_123)
        guard case .done(let first) = try await store.update(id: token.id, changes, matches: { $0 == token }) else {
            Issue.record("the update was refused")
            return
        }
        #expect(first.status == "blocked" && first.expiresAtMillis == 1_800_000_000_123)
        #expect(
            first.version > token.version
                && ETag.of(updatedAt: first.updatedAt, id: first.id)
                    != ETag.of(updatedAt: token.updatedAt, id: token.id)
        )
        // The same change again changes nothing, so the version stays.
        #expect(try await store.update(id: token.id, changes, matches: { _ in true }) == .done(first))
        // A writer holding the old version is refused and told the current one.
        #expect(
            try await store.update(id: token.id, TokenStore.Changes(status: "accepted"), matches: { $0 == token })
                == .stale(first))
        changes = TokenStore.Changes(expiresAtMillis: .some(nil), parentToken: .some("G"))
        guard case .done(let second) = try await store.update(id: token.id, changes, matches: { $0 == first }) else {
            Issue.record("the second update was refused")
            return
        }
        #expect(second.expiresAtMillis == nil && second.parentToken == "G" && second.status == "blocked")
        #expect(second.version > first.version)
        #expect(try await store.update(id: 999_999, changes, matches: { _ in true }) == .notFound)
        #expect(try await store.delete(id: token.id, matches: { $0 == first }) == .stale(second))
        #expect(try await store.delete(id: token.id, matches: { _ in true }) == .done(second))
        #expect(try await store.token(id: token.id) == nil)
    }

    @Test func upsertCountsNewChangedAndUnchangedAndKeepsColumnsTheFileLacks() async throws {
        let store = TokenStore(postgres: try await Self.tenant("tupsert").pool)
        let odd = ["with,comma", "with\"quote", "back\\slash", "{brace}", "NULL", "ünï-cødé", "a b"]
        var rows = (0..<25_000).map { row(String(format: "BULK%06d", $0), type: $0 % 3 == 0 ? "ISO14443" : "Central") }
        rows += odd.map { row($0, parent: $0) }
        rows[7].expiresAtMillis = 1_800_000_000_123
        let first = try await store.upsert(rows)
        #expect(first.inserted == rows.count && first.updated == 0)
        let stored = try await store.list(.init(prefix: "BULK000007"), sort: .token, after: nil, limit: 5)
        #expect(stored.map(\.expiresAtMillis) == [1_800_000_000_123])
        for text in odd {
            let found = try await store.list(.init(prefix: text), sort: .token, after: nil, limit: 5)
            #expect(found.first?.token == text && found.first?.parentToken == text, "\(text)")
        }
        // The same rows again change nothing.
        let again = try await store.upsert(rows)
        #expect(again.inserted == 0 && again.updated == 0)
        // A file with only token and status: statuses change, parents and expiry stay.
        var statusOnly = [row("with,comma", status: "blocked"), row("BULK000007", status: "accepted"), row("NEW-1")]
        for i in statusOnly.indices { statusOnly[i].given = [.status] }
        statusOnly[2].given = []
        let second = try await store.upsert(statusOnly)
        #expect(second.inserted == 1 && second.updated == 1)
        let comma = try await store.list(.init(prefix: "with,comma"), sort: .token, after: nil, limit: 1)
        #expect(comma.first?.status == "blocked" && comma.first?.parentToken == "with,comma")
        let kept = try await store.list(.init(prefix: "BULK000007"), sort: .token, after: nil, limit: 1)
        #expect(kept.first?.expiresAtMillis == 1_800_000_000_123)
        // Export pages walk every token once.
        var seen = Set<String>()
        var count = 0
        var after: (String, String)?
        while true {
            let page = try await store.exportPage(after: after, limit: 4_000)
            seen.formUnion(page.map { "\($0.token)/\($0.type)" })
            count += page.count
            guard page.count == 4_000, let last = page.last else { break }
            after = (last.token, last.type)
        }
        #expect(count == rows.count + 1 && seen.count == count)
    }
}
