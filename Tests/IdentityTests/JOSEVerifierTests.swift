// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Identity
import JSON
import Testing

/// Every token here is signed by `openssl dgst` (see ``JOSEKeys``), never by the module under test.
@Suite("JOSE JWT verification")
struct JOSEVerifierTests {
    static let issuer = "https://idp.example.test/realms/csms"
    static let now: Int64 = 1_800_000_000

    static var validation: JWTValidation {
        var validation = JWTValidation(issuer: issuer, audience: "csms-admin")
        validation.clock = { Date(timeIntervalSince1970: TimeInterval(now)) }
        return validation
    }

    static func claims(_ changes: [String: JSONValue?] = [:]) -> JSONObject {
        var claims: JSONObject = [
            "iss": .string(issuer), "sub": "user-42", "aud": "csms-admin", "iat": .integer(now - 10),
            "exp": .integer(now + 300), "groups": ["csms-tenant-admins", "staff"], "email": "a@example.test",
        ]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    static func header(_ alg: String, kid: String?, extra: JSONObject = [:]) -> JSONObject {
        var header: JSONObject = ["alg": .string(alg), "typ": "JWT"]
        if let kid { header["kid"] = .string(kid) }
        for member in extra.members { header[member.key] = member.value }
        return header
    }

    static func keySet(_ keys: JOSEKeys) throws -> JSONWebKeySet {
        try JSONWebKeySet(
            json: JOSEKeys.keySet([
                keys.rsa.jwk(kid: "rsa-1", alg: "RS256", use: "sig"), keys.ec.jwk(kid: "ec-1", alg: "ES256"),
            ]))
    }

    static func rs256(_ keys: JOSEKeys, claims: JSONObject = claims(), kid: String? = "rsa-1") throws -> String {
        try keys.token(header: header("RS256", kid: kid), claims: claims, key: keys.rsa)
    }

    static func es256(_ keys: JOSEKeys, claims: JSONObject = claims(), kid: String? = "ec-1") throws -> String {
        try keys.token(header: header("ES256", kid: kid), claims: claims, key: keys.ec)
    }

    static func rejection(
        _ token: String, keys: JSONWebKeySet, validation: JWTValidation = validation
    ) -> JWTRejection? {
        do {
            _ = try JWTVerifier(validation: validation).verify(token, keys: keys)
            return nil
        } catch {
            return error
        }
    }

    static func replacing(part index: Int, of token: String, with text: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = text
        return parts.joined(separator: ".")
    }

    // MARK: Accepted

    @Test("RS256 and ES256 tokens signed by openssl verify, with their claims exposed")
    func acceptsBothAlgorithms() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        let verifier = JWTVerifier(validation: Self.validation)
        for (token, algorithm, kid) in [
            (try Self.rs256(keys), JWSAlgorithm.rs256, "rsa-1"), (try Self.es256(keys), .es256, "ec-1"),
        ] {
            let verified = try verifier.verify(token, keys: set)
            #expect(verified.algorithm == algorithm)
            #expect(verified.keyID == kid)
            #expect(verified.issuer == Self.issuer)
            #expect(verified.subject == "user-42")
            #expect(verified.audiences == ["csms-admin"])
            #expect(verified.expiresAt == Date(timeIntervalSince1970: TimeInterval(Self.now + 300)))
            #expect(verified.issuedAt == Date(timeIntervalSince1970: TimeInterval(Self.now - 10)))
            #expect(verified.notBefore == nil)
            #expect(verified.string("email") == "a@example.test")
            #expect(verified.string("groups") == nil)
            #expect(verified.strings("groups") == ["csms-tenant-admins", "staff"])
            #expect(verified.strings("email") == ["a@example.test"])
            #expect(verified.strings("missing") == [])
            #expect(verified.claims["iat"] == .integer(Self.now - 10))
        }
    }

    @Test("A token without kid verifies when the set has one key of its algorithm")
    func acceptsMissingKidWithSingleKey() throws {
        let keys = try JOSEKeys.get()
        let token = try Self.es256(keys, kid: nil)
        let verified = try JWTVerifier(validation: Self.validation).verify(token, keys: try Self.keySet(keys))
        #expect(verified.keyID == nil)
        let two = try JSONWebKeySet(json: JOSEKeys.keySet([keys.ec.jwk(kid: "a"), keys.otherEC.jwk(kid: "b")]))
        #expect(Self.rejection(token, keys: two)?.reason == .unknownKey)
    }

    @Test("jku, x5u and an embedded jwk in the header are ignored, not followed")
    func ignoresKeyReferencesInHeader() throws {
        let keys = try JOSEKeys.get()
        let extra: JSONObject = [
            "jku": "https://attacker.example/jwks", "x5u": "https://attacker.example/cert",
            "jwk": .object(keys.otherEC.jwk), "x5c": ["AAAA"],
        ]
        let token = try keys.token(
            header: Self.header("ES256", kid: "ec-1", extra: extra), claims: Self.claims(), key: keys.ec)
        #expect(Self.rejection(token, keys: try Self.keySet(keys)) == nil)
        // Signed with the key named in the header, not one in the set: still refused.
        let forged = try keys.token(
            header: Self.header("ES256", kid: "ec-1", extra: extra), claims: Self.claims(), key: keys.otherEC)
        #expect(Self.rejection(forged, keys: try Self.keySet(keys))?.reason == .badSignature)
    }

    // MARK: Signatures

    @Test("A changed payload or signature is a bad signature")
    func tampering() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        for token in [try Self.rs256(keys), try Self.es256(keys)] {
            let otherClaims = JOSEKeys.base64url(Self.claims(["sub": "admin"]).serialized())
            #expect(
                Self.rejection(Self.replacing(part: 1, of: token, with: otherClaims), keys: set)?.reason
                    == .badSignature)
            let parts = token.split(separator: ".").map(String.init)
            var signature = try #require(JOSEKeys.bytes(base64url: parts[2]))
            signature[signature.count / 2] ^= 0x01
            let flipped = Self.replacing(part: 2, of: token, with: JOSEKeys.base64url(signature))
            #expect(Self.rejection(flipped, keys: set)?.reason == .badSignature)
        }
    }

    @Test("An ES256 signature that is not 64 bytes (e.g. DER as openssl writes it) is refused")
    func es256SignatureLength() throws {
        let keys = try JOSEKeys.get()
        let token = try Self.es256(keys)
        let raw = try #require(JOSEKeys.bytes(base64url: String(token.split(separator: ".")[2])))
        for bad in [JOSEKeys.derECDSA(raw: raw), Array(raw.prefix(63)), raw + [0], []] {
            let rejection = Self.rejection(
                Self.replacing(part: 2, of: token, with: JOSEKeys.base64url(bad)), keys: try Self.keySet(keys))
            #expect(rejection?.reason == .badSignature, "\(bad.count) bytes: \(String(describing: rejection))")
        }
    }

    @Test("A token signed by a key the set does not have, or naming an unknown kid, is refused")
    func unknownKeys() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        let unknownKid = try Self.es256(keys, kid: "rotated-away")
        #expect(
            Self.rejection(unknownKid, keys: set)
                == JWTRejection(reason: .unknownKey, detail: #"no ES256 key for kid "rotated-away""#))
        let otherKey = try keys.token(
            header: Self.header("ES256", kid: "ec-1"), claims: Self.claims(), key: keys.otherEC)
        #expect(Self.rejection(otherKey, keys: set)?.reason == .badSignature)
    }

    @Test("A header alg that does not fit the kid's key type finds no key")
    func wrongKeyType() throws {
        let keys = try JOSEKeys.get()
        // ES256 naming the RSA key's kid, and RS256 naming the EC key's kid.
        let es = try keys.token(header: Self.header("ES256", kid: "rsa-1"), claims: Self.claims(), key: keys.ec)
        let rs = try keys.token(header: Self.header("RS256", kid: "ec-1"), claims: Self.claims(), key: keys.rsa)
        #expect(Self.rejection(es, keys: try Self.keySet(keys))?.reason == .unknownKey)
        #expect(Self.rejection(rs, keys: try Self.keySet(keys))?.reason == .unknownKey)
    }

    // MARK: Algorithms

    @Test("alg none is refused before any key work")
    func algNone() throws {
        let keys = try JOSEKeys.get()
        let header = JOSEKeys.base64url(Self.header("none", kid: nil).serialized())
        let payload = JOSEKeys.base64url(Self.claims().serialized())
        for token in ["\(header).\(payload).", "\(header).\(payload).AAAA"] {
            #expect(Self.rejection(token, keys: try Self.keySet(keys))?.reason == .algorithmNotAllowed)
        }
        // "None" in other spellings too.
        let upper = JOSEKeys.base64url(Self.header("NONE", kid: nil).serialized())
        #expect(Self.rejection("\(upper).\(payload).", keys: try Self.keySet(keys))?.reason == .algorithmNotAllowed)
    }

    @Test("HS256 keyed with the RSA public key (the classic forgery) is refused")
    func hmacWithPublicKey() throws {
        let keys = try JOSEKeys.get()
        let publicPEM = try JOSEKeys.openssl(["pkey", "-in", keys.rsa.pemFile, "-pubout"])
        let hexKey = publicPEM.map { String(format: "%02x", $0) }.joined()
        let signingInput =
            JOSEKeys.base64url(Self.header("HS256", kid: "rsa-1").serialized()) + "."
            + JOSEKeys.base64url(Self.claims(["sub": "admin"]).serialized())
        let file = keys.directory + "/hs256-\(UUID().uuidString)"
        try Data(signingInput.utf8).write(to: URL(fileURLWithPath: file))
        let mac = try JOSEKeys.openssl([
            "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:\(hexKey)", "-binary", file,
        ])
        #expect(mac.count == 32)
        let token = signingInput + "." + JOSEKeys.base64url([UInt8](mac))
        let rejection = Self.rejection(token, keys: try Self.keySet(keys))
        #expect(rejection == JWTRejection(reason: .algorithmNotAllowed, detail: #"alg "HS256" is not allowed"#))
    }

    @Test("An algorithm outside the configured allow-list is refused even with a valid signature")
    func allowList() throws {
        let keys = try JOSEKeys.get()
        var onlyES = Self.validation
        onlyES.allowedAlgorithms = [.es256]
        #expect(
            Self.rejection(try Self.rs256(keys), keys: try Self.keySet(keys), validation: onlyES)?.reason
                == .algorithmNotAllowed)
        #expect(Self.rejection(try Self.es256(keys), keys: try Self.keySet(keys), validation: onlyES) == nil)
    }

    // MARK: Malformed

    @Test("A crit header is refused as malformed")
    func critHeader() throws {
        let keys = try JOSEKeys.get()
        let token = try keys.token(
            header: Self.header("ES256", kid: "ec-1", extra: ["crit": ["exp"], "exp": .integer(Self.now)]),
            claims: Self.claims(), key: keys.ec)
        #expect(Self.rejection(token, keys: try Self.keySet(keys))?.reason == .malformed)
    }

    @Test("Broken structure, encodings and JSON are malformed")
    func malformed() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        let good = try Self.es256(keys)
        let parts = good.split(separator: ".").map(String.init)
        let duplicate = JOSEKeys.base64url(Array(#"{"iss":"x","iss":"y"}"#.utf8))
        let notObject = JOSEKeys.base64url(Array("[1]".utf8))
        let kidNumber = JOSEKeys.base64url(Array(#"{"alg":"ES256","kid":7}"#.utf8))
        let noAlg = JOSEKeys.base64url(Array(#"{"kid":"ec-1"}"#.utf8))
        for token in [
            "", "abc", parts[0] + "." + parts[1], good + ".extra", good + "=",
            parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + duplicate + "." + parts[2], notObject + "." + parts[1] + "." + parts[2],
            kidNumber + "." + parts[1] + "." + parts[2], noAlg + "." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + ".+/+/", " " + good, String(repeating: "A", count: 70_000),
        ] {
            #expect(Self.rejection(token, keys: set)?.reason == .malformed, "\(token.prefix(60))")
        }
    }

    @Test("requiredType compares typ case-insensitively with an optional application/ prefix")
    func explicitTyping() throws {
        let keys = try JOSEKeys.get()
        var typed = Self.validation
        typed.requiredType = "csms-session+jwt"
        let session = try keys.token(
            header: ["alg": "ES256", "kid": "ec-1", "typ": "application/CSMS-Session+JWT"], claims: Self.claims(),
            key: keys.ec)
        #expect(Self.rejection(session, keys: try Self.keySet(keys), validation: typed) == nil)
        #expect(
            Self.rejection(try Self.es256(keys), keys: try Self.keySet(keys), validation: typed)?.reason == .malformed)
    }

    // MARK: Claims

    @Test("Issuer must match exactly and be present")
    func issuer() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        for wrong in [Self.issuer + "/", "https://evil.example.test/realms/csms", Self.issuer.uppercased()] {
            #expect(
                Self.rejection(try Self.es256(keys, claims: Self.claims(["iss": .string(wrong)])), keys: set)?.reason
                    == .wrongIssuer)
        }
        #expect(
            Self.rejection(try Self.es256(keys, claims: Self.claims(["iss": nil])), keys: set)?.reason == .missingClaim)
        #expect(Self.rejection(try Self.es256(keys, claims: Self.claims(["iss": 5])), keys: set)?.reason == .malformed)
    }

    @Test("Audience: ours must be present; several audiences need azp and only trusted others")
    func audience() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        func reason(_ changes: [String: JSONValue?], trusted: Set<String> = []) throws -> JWTRejection.Reason? {
            var validation = Self.validation
            validation.additionalTrustedAudiences = trusted
            return Self.rejection(
                try Self.es256(keys, claims: Self.claims(changes)), keys: set, validation: validation)?.reason
        }
        #expect(try reason(["aud": "other-client"]) == .wrongAudience)
        #expect(try reason(["aud": ["other-client"]]) == .wrongAudience)
        #expect(try reason(["aud": []]) == .wrongAudience)
        #expect(try reason(["aud": nil]) == .missingClaim)
        #expect(try reason(["aud": ["csms-admin"]]) == nil)
        #expect(try reason(["aud": ["csms-admin"], "azp": "someone-else"]) == nil)
        // Several audiences.
        #expect(try reason(["aud": ["csms-admin", "account"]], trusted: ["account"]) == .wrongAudience)
        #expect(
            try reason(["aud": ["csms-admin", "account"], "azp": "account"], trusted: ["account"]) == .wrongAudience)
        #expect(try reason(["aud": ["csms-admin", "account"], "azp": "csms-admin"], trusted: ["account"]) == nil)
        #expect(try reason(["aud": ["csms-admin", "account"], "azp": "csms-admin"]) == .wrongAudience)
        #expect(try reason(["aud": ["csms-admin", 3], "azp": "csms-admin"]) == .malformed)
        let verified = try JWTVerifier(
            validation: {
                var validation = Self.validation
                validation.additionalTrustedAudiences = ["account"]
                return validation
            }()
        ).verify(
            try Self.es256(keys, claims: Self.claims(["aud": ["account", "csms-admin"], "azp": "csms-admin"])),
            keys: set)
        #expect(verified.audiences == ["account", "csms-admin"])
    }

    @Test("exp, nbf and iat are checked with the leeway; inside the leeway they pass")
    func timeClaims() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        let now = Self.now
        func reason(
            _ changes: [String: JSONValue?], _ validation: JWTValidation = Self.validation
        ) throws
            -> JWTRejection.Reason?
        {
            Self.rejection(try Self.rs256(keys, claims: Self.claims(changes)), keys: set, validation: validation)?
                .reason
        }
        // Default leeway 60 s.
        #expect(try reason(["exp": .integer(now - 61)]) == .expired)
        #expect(try reason(["exp": .integer(now - 60)]) == .expired)
        #expect(try reason(["exp": .integer(now - 59)]) == nil)
        #expect(try reason(["exp": .number(Double(now) - 59.5)]) == nil)
        #expect(try reason(["nbf": .integer(now + 61)]) == .notYetValid)
        #expect(try reason(["nbf": .integer(now + 60)]) == nil)
        #expect(try reason(["iat": .integer(now + 61)]) == .issuedInTheFuture)
        #expect(try reason(["iat": .integer(now + 30)]) == nil)
        #expect(try reason(["exp": nil]) == .missingClaim)
        #expect(try reason(["exp": "tomorrow"]) == .malformed)
        var noLeeway = Self.validation
        noLeeway.leeway = .zero
        #expect(try reason(["exp": .integer(now)], noLeeway) == .expired)
        #expect(try reason(["exp": .integer(now + 1)], noLeeway) == nil)
        #expect(try reason(["iat": .integer(now + 1)], noLeeway) == .issuedInTheFuture)
        var optionalExpiry = Self.validation
        optionalExpiry.requireExpiry = false
        #expect(try reason(["exp": nil], optionalExpiry) == nil)
    }

    @Test("maxAge bounds iat and requires it")
    func maxAge() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        var validation = Self.validation
        validation.maxAge = .seconds(600)
        func reason(_ changes: [String: JSONValue?]) throws -> JWTRejection.Reason? {
            Self.rejection(try Self.es256(keys, claims: Self.claims(changes)), keys: set, validation: validation)?
                .reason
        }
        #expect(try reason(["iat": .integer(Self.now - 600)]) == nil)
        #expect(try reason(["iat": .integer(Self.now - 660)]) == nil)
        #expect(try reason(["iat": .integer(Self.now - 661)]) == .tooOld)
        #expect(try reason(["iat": nil]) == .missingClaim)
    }

    @Test("sub must be present")
    func subject() throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        #expect(
            Self.rejection(try Self.es256(keys, claims: Self.claims(["sub": nil])), keys: set)?.reason == .missingClaim)
    }

    // MARK: Reporting

    @Test("WWW-Authenticate follows RFC 6750 §3 and cannot be broken by the detail")
    func wwwAuthenticate() throws {
        let keys = try JOSEKeys.get()
        let expired = Self.rejection(
            try Self.es256(keys, claims: Self.claims(["exp": .integer(Self.now - 3600)])), keys: try Self.keySet(keys))
        #expect(
            expired?.wwwAuthenticate
                == #"Bearer error="invalid_token", error_description="the token expired at 2027-01-15T07:00:00Z""#)
        #expect(expired?.description == "expired: the token expired at 2027-01-15T07:00:00Z")
        let hostile = JWTRejection(reason: .wrongIssuer, detail: "iss \"a\\b\"\r\nSet-Cookie: x=1 é")
        #expect(
            hostile.wwwAuthenticate
                == #"Bearer error="invalid_token", error_description="iss \"a\\b\"??Set-Cookie: x=1 ?""#)
    }

    // MARK: Speed

    @Test("Benchmark: verifications per second with a parsed key set (figures printed, nothing asserted)")
    func benchmark() async throws {
        let keys = try JOSEKeys.get()
        let set = try Self.keySet(keys)
        let verifier = JWTVerifier(validation: Self.validation)
        for (name, token) in [("ES256", try Self.es256(keys)), ("RS256", try Self.rs256(keys))] {
            for _ in 0..<50 { _ = try verifier.verify(token, keys: set) }
            let rounds = 2_000
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                for _ in 0..<rounds { _ = try verifier.verify(token, keys: set) }
            }
            let micros = Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6
            print(
                "JOSE benchmark: \(name) verify \(String(format: "%.1f", micros / Double(rounds))) µs/token "
                    + "(\(rounds) rounds, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        }
        // The same verifier and key set from several tasks at once.
        let token = try Self.es256(keys)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<200 { _ = try verifier.verify(token, keys: set) } }
            }
            try await group.waitForAll()
        }
    }
}
