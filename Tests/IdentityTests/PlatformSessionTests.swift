// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Identity
import JSON
import Testing

@Suite struct PlatformSessionTests {
    let signer: ES256Signer
    let keys: JSONWebKeySet

    init() throws {
        signer = try ES256Signer.generate()
        keys = try JSONWebKeySet(json: signer.publicJWKSetJSON)
    }

    func session(tenant: String? = "acme", expiresIn seconds: Double = 900) -> PlatformSession {
        PlatformSession(
            subject: "https://idp.example|alice", name: "Alice", role: "tenant-operator", tenant: tenant,
            expiresAt: Date().addingTimeInterval(seconds))
    }

    @Test func aMintedSessionVerifiesWithThePublicKeys() throws {
        let original = session()
        let token = try original.mint(signer: signer, baseDomain: "CSMS.example.")
        let verified = try PlatformSession.verify(token, keys: keys, baseDomain: "csms.example")
        #expect(verified.subject == original.subject && verified.name == "Alice")
        #expect(verified.role == "tenant-operator" && verified.tenant == "acme")
        #expect(abs(verified.expiresAt.timeIntervalSince(original.expiresAt)) < 1)
        // A platform role names no tenant.
        let platform = try PlatformSession.verify(
            try session(tenant: nil).mint(signer: signer, baseDomain: "csms.example"), keys: keys,
            baseDomain: "csms.example")
        #expect(platform.tenant == nil)
    }

    @Test func expiredOtherPlatformsAndOtherKeysAreRefused() throws {
        let expired = try session(expiresIn: -120).mint(signer: signer, baseDomain: "csms.example")
        #expect(throws: JWTRejection.self) {
            try PlatformSession.verify(expired, keys: keys, baseDomain: "csms.example")
        }
        do {
            _ = try PlatformSession.verify(expired, keys: keys, baseDomain: "csms.example")
        } catch {
            #expect(error.reason == .expired)
        }
        let elsewhere = try session().mint(signer: signer, baseDomain: "other.example")
        do {
            _ = try PlatformSession.verify(elsewhere, keys: keys, baseDomain: "csms.example")
            Issue.record("a session of another platform was accepted")
        } catch {
            #expect(error.reason == .wrongIssuer)
        }
        let stranger = try ES256Signer.generate()
        let forged = try session().mint(signer: stranger, baseDomain: "csms.example")
        do {
            _ = try PlatformSession.verify(forged, keys: keys, baseDomain: "csms.example")
            Issue.record("a session signed by another key was accepted")
        } catch {
            #expect(error.reason == .unknownKey)
        }
    }

    @Test func anotherKindOfTokenFromTheSameKeyIsNotASession() throws {
        // Right issuer, audience, key and claims, but typed as a plain JWT (an ID token would be).
        let claims: JSONObject = [
            "iss": "https://admin.csms.example", "aud": .string(PlatformSession.audience), "sub": "alice",
            "role": "platform-admin", "exp": .integer(Int64(Date().timeIntervalSince1970 + 600)),
            "iat": .integer(Int64(Date().timeIntervalSince1970)),
        ]
        let token = try signer.sign(claims: claims, type: "JWT")
        do {
            _ = try PlatformSession.verify(token, keys: keys, baseDomain: "csms.example")
            Issue.record("a token that is not typed at+jwt was accepted")
        } catch {
            #expect(error.reason == .malformed)
        }
        var roleless = claims
        roleless["role"] = nil
        let withoutRole = try signer.sign(claims: roleless, type: PlatformSession.type)
        do {
            _ = try PlatformSession.verify(withoutRole, keys: keys, baseDomain: "csms.example")
            Issue.record("a session without a role was accepted")
        } catch {
            #expect(error.reason == .missingClaim)
        }
    }
}
