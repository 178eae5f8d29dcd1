// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import JSON
import Postgres
import Synchronization
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// `Idempotency-Key` on command POSTs, against `csms.idempotency_keys` as the tenant's role: one
/// run per key, replayed answers, refused reuse for another request, 409 while running.
@Suite("Idempotency keys")
struct IdempotencyTests {
    static func store() async throws -> (IdempotencyStore, PGPool) {
        let db = try await WorkerHealthTests.database.value
        let tenant = try await db.createTenant(slug: "idem-\(TestEnvironment.uniqueSuffix().prefix(8))")
        return (IdempotencyStore(postgres: tenant.pool), tenant.pool)
    }

    static let caller = Principal(kind: .apiKey(id: "key-1", name: "integrator"), scopes: [.commands])
    static let other = Principal(kind: .user(subject: "alice", name: nil, role: .tenantOperator), scopes: [.commands])
    static let print = Idempotency.fingerprint(method: "POST", path: "/api/v1/stations/CP/commands/Reset", body: [1])

    /// Counts how often the command really ran.
    final class Counter: Sendable {
        let runs = Mutex(0)
        func answer(_ status: Int = 200) -> IdempotentAnswer {
            let n = runs.withLock {
                $0 += 1
                return $0
            }
            return IdempotentAnswer(
                status: .init(code: status), body: JSONValue.object(["run": .integer(Int64(n))]).serialized())
        }
        var count: Int { runs.withLock { $0 } }
    }

    static func run(
        _ store: IdempotencyStore, key: String, caller: Principal = caller, fingerprint: Data = print,
        _ operation: () async throws -> IdempotentAnswer
    ) async throws -> (status: Int, body: String, replayed: Bool) {
        let answer = try await Idempotency.run(
            store: store, principal: caller, key: key, fingerprint: fingerprint, staleAfter: .seconds(60),
            operation: operation)
        return (
            Int(answer.status.code), String(decoding: answer.body, as: UTF8.self),
            answer.headers[Idempotency.replayedField] == "true"
        )
    }

    @Test func aRetryGetsTheFirstAnswerAndTheCommandRunsOnce() async throws {
        let (store, _) = try await Self.store()
        let counter = Counter()
        let first = try await Self.run(store, key: "k-1") { counter.answer() }
        let second = try await Self.run(store, key: "k-1") { counter.answer() }
        #expect(counter.count == 1)
        #expect(first.status == 200 && !first.replayed)
        #expect(second.status == 200 && second.replayed && second.body == first.body, "\(second)")
        // Error answers after the command left are kept and replayed as problem documents.
        let failed = try await Self.run(store, key: "k-504") { counter.answer(504) }
        let again = try await Self.run(store, key: "k-504") { counter.answer() }
        #expect(failed.status == 504 && again.status == 504 && again.replayed && counter.count == 2)
        // Keys belong to their caller: the same key from someone else is a new request.
        let theirs = try await Self.run(store, key: "k-1", caller: Self.other) { counter.answer() }
        #expect(theirs.status == 200 && !theirs.replayed && counter.count == 3)
    }

    @Test func theSameKeyForAnotherRequestIs422() async throws {
        let (store, _) = try await Self.store()
        let counter = Counter()
        _ = try await Self.run(store, key: "k") { counter.answer() }
        let other = Idempotency.fingerprint(method: "POST", path: "/api/v1/stations/CP/commands/Reset", body: [2])
        let error = await #expect(throws: ProblemDocument.self) {
            _ = try await Self.run(store, key: "k", fingerprint: other) { counter.answer() }
        }
        #expect(error?.status == .unprocessableContent)
        #expect(counter.count == 1)
    }

    @Test func aRetryWhileTheFirstRunsIs409WithRetryAfter() async throws {
        let (store, _) = try await Self.store()
        let counter = Counter()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await Self.run(store, key: "slow") {
                startedContinuation.yield()
                for await _ in release { break }
                return counter.answer()
            }
        }
        for await _ in started { break }
        let error = await #expect(throws: ProblemDocument.self) {
            _ = try await Self.run(store, key: "slow") { counter.answer() }
        }
        #expect(error?.status == .conflict && error?.headers[.retryAfter] == "1")
        releaseContinuation.yield()
        let done = try await first.value
        #expect(done.status == 200 && counter.count == 1)
        #expect(try await Self.run(store, key: "slow") { counter.answer() }.replayed)
    }

    @Test func aRefusalBeforeSendingReleasesTheKey() async throws {
        let (store, _) = try await Self.store()
        let counter = Counter()
        await #expect(throws: ProblemDocument.self) {
            _ = try await Self.run(store, key: "k") {
                throw ProblemDocument(status: .conflict, detail: "not connected")
            }
        }
        let retry = try await Self.run(store, key: "k") { counter.answer() }
        #expect(retry.status == 200 && !retry.replayed && counter.count == 1)
    }

    @Test func oldKeysExpireAndAbandonedRunsAreTakenOver() async throws {
        let (store, pool) = try await Self.store()
        let owner = Idempotency.owner(Self.caller)
        // A day-old answer and a run abandoned (worker stopped) ten minutes ago.
        try await pool.execute(
            """
            INSERT INTO csms.idempotency_keys (key, principal, request_sha256, response_status, response_body, created_at)
            VALUES ('old', \(owner), \(Self.print), 200, '\\x7b7d', now() - interval '25 hours'),
                   ('stuck', \(owner), \(Self.print), NULL, NULL, now() - interval '10 minutes')
            """)
        let counter = Counter()
        let stuck = try await Self.run(store, key: "stuck") { counter.answer() }
        #expect(stuck.status == 200 && !stuck.replayed && counter.count == 1)
        let left = try await pool.query("SELECT key FROM csms.idempotency_keys ORDER BY key").rows.map {
            try $0.decode(String.self, column: 0)
        }
        #expect(left == ["stuck"], "the expired key is deleted when a new key is stored: \(left)")
        let old = try await Self.run(store, key: "old") { counter.answer() }
        #expect(!old.replayed && counter.count == 2)
    }

    @Test func keysAreCheckedAndOwnersFitTheColumn() {
        #expect(Idempotency.isValid(key: "a"))
        #expect(Idempotency.isValid(key: String(repeating: "x", count: 255)))
        #expect(!Idempotency.isValid(key: ""))
        #expect(!Idempotency.isValid(key: String(repeating: "x", count: 256)))
        #expect(!Idempotency.isValid(key: "tab\there"))
        #expect(!Idempotency.isValid(key: "é"))
        #expect(Idempotency.owner(Self.caller) == "api_key:key-1")
        let long = Principal(
            kind: .user(subject: String(repeating: "s", count: 400), name: nil, role: .tenantAdmin), scopes: [])
        #expect(Idempotency.owner(long).hasPrefix("sha256:") && Idempotency.owner(long).count == 71)
        #expect(Self.print.count == 32)
        #expect(
            Self.print
                != Idempotency.fingerprint(method: "POST", path: "/api/v1/stations/CP2/commands/Reset", body: [1]))
    }
}
