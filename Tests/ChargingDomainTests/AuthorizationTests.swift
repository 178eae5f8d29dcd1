// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Testing

@Suite("Authorization")
struct AuthorizationTests {
    @Test func everyStoredStatusAndUnknown() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let now = Date()
        let later = wallClock(offset: 86_400)
        let accepted = try await t.newToken(expiresAt: later, parent: "GROUP-1")
        let blocked = try await t.newToken(status: "blocked", parent: "GROUP-1")
        let expired = try await t.newToken(status: "expired")
        let invalid = try await t.newToken(status: "invalid")
        let pastExpiry = try await t.newToken(expiresAt: wallClock(offset: -60))

        let a = try await t.store.authorize(token: accepted, type: nil, at: now)
        #expect(a.status == .accepted && a.expiresAt.micros == later.micros && a.parentToken == "GROUP-1")
        #expect(try await t.store.authorize(token: blocked, type: nil, at: now).status == .blocked)
        #expect(try await t.store.authorize(token: blocked, type: nil, at: now).parentToken == "GROUP-1")
        #expect(try await t.store.authorize(token: expired, type: nil, at: now).status == .expired)
        #expect(try await t.store.authorize(token: invalid, type: nil, at: now).status == .invalid)
        #expect(try await t.store.authorize(token: pastExpiry, type: nil, at: now).status == .expired)
        // The expiry is checked at the given time.
        #expect(
            try await t.store.authorize(token: accepted, type: nil, at: later.addingTimeInterval(1)).status == .expired)
        let unknown = try await t.store.authorize(token: "NO-SUCH-TOKEN", type: nil, at: now)
        #expect(unknown == AuthorizationResult(status: .unknown))
        #expect(unknown.status.ocpp16 == "Invalid")
    }

    @Test func typeIsPartOfTheKeyAndNilMatchesAny() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let card = try await t.newToken(type: "ISO14443")
        #expect(try await t.store.authorize(token: card, type: "ISO14443", at: Date()).status == .accepted)
        #expect(try await t.store.authorize(token: card, type: "KeyCode", at: Date()).status == .unknown)
        #expect(try await t.store.authorize(token: card, type: nil, at: Date()).status == .accepted)
    }

    @Test func upsertTokenReplacesStatusExpiryAndParent() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let token = try await t.newToken(expiresAt: wallClock(offset: 3600), parent: "P1")
        let replaced = try await t.store.upsertToken(TokenInput(token: token, status: "blocked"))
        #expect(replaced.token == token && replaced.type == "Central" && replaced.status == "blocked")
        #expect(replaced.expiresAt == nil && replaced.parentToken == nil)
        #expect(try await t.store.authorize(token: token, type: nil, at: Date()).status == .blocked)
        let rows = try await t.pool.scalar("SELECT count(*) FROM csms.id_tokens WHERE token = \(token)", as: Int.self)
        #expect(rows == 1)
    }
}
