// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Identity
import JSON
import Testing

@Suite("JOSE JWK Set")
struct JOSEKeySetTests {
    @Test("RSA and EC JWKs derived from openssl-made keys are read; unusable keys are skipped with a reason")
    func parsesOpenSSLKeys() throws {
        let keys = try JOSEKeys.get()
        var notOnCurve = keys.ec.jwk(kid: "off-curve")
        notOnCurve["y"] = keys.otherEC.jwk["y"]
        var signOnly = keys.ec.jwk(kid: "sign-only")
        signOnly["key_ops"] = ["sign"]
        // Some test providers publish private members by mistake; they are never read.
        var withPrivate = keys.otherEC.jwk(kid: "with-d")
        withPrivate["d"] = "AAAA"
        withPrivate["key_ops"] = ["verify"]
        let jwks: [JSONObject] = [
            keys.rsa.jwk(kid: "rsa-1", alg: "RS256", use: "sig"),
            keys.ec.jwk(kid: "ec-1"),
            ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"],
            keys.p384.jwk(kid: "p384"),
            keys.rsa.jwk(kid: "enc", use: "enc"),
            keys.rsa.jwk(kid: "mismatch", alg: "ES256"),
            keys.ec.jwk(kid: "ec-as-rs256", alg: "RS256"),
            keys.rsa1024.jwk(kid: "small"),
            ["kty": "RSA", "kid": "padded", "n": "AQAB==", "e": "AQAB"],
            notOnCurve,
            signOnly,
            withPrivate,
        ]
        let document = JSONValue.object(["keys": .array(jwks.map { .object($0) } + ["not a key"])]).serialized()
        let set = try JSONWebKeySet(json: document)
        #expect(set.keys.map { $0.keyID } == ["rsa-1", "ec-1", "with-d"])
        #expect(set.keys.map { $0.algorithm } == [.rs256, .es256, .es256])
        #expect(set.keys.map { $0.use } == ["sig", nil, nil])
        #expect(set.keys[2].jwk["d"] == nil)
        #expect(set.skipped.count == 10)
        let reasons = set.skipped.joined(separator: "\n")
        for fragment in [
            "kid \"hmac\"): kty \"oct\" is not supported", "kid \"p384\"): curve \"P-384\"",
            "kid \"enc\"): use \"enc\"", "kid \"mismatch\"): alg \"ES256\"", "kid \"ec-as-rs256\"): alg \"RS256\"",
            "kid \"small\"): the RSA key has 1024 bits", "kid \"padded\"): n is not unpadded base64url",
            "kid \"off-curve\"): ", "kid \"sign-only\"): key_ops does not include \"verify\"",
            "keys[12]: not an object",
        ] {
            #expect(reasons.contains(fragment), "missing \(fragment) in \(reasons)")
        }
    }

    @Test("A document that is not a JWK Set is refused, including one with duplicate member names")
    func refusesNonSets() {
        for text in [#"{"kid":"x"}"#, #"[]"#, #"{"keys":{}}"#, #"{"keys":[],"keys":[]}"#, "{"] {
            #expect(throws: JOSEError.self, "\(text)") { _ = try JSONWebKeySet(json: Array(text.utf8)) }
        }
        #expect((try? JSONWebKeySet(json: Array(#"{"keys":[]}"#.utf8)))?.keys.isEmpty == true)
    }

    @Test("Keys are found by kid and algorithm; without kid only when one key has that algorithm")
    func keyLookup() throws {
        let keys = try JOSEKeys.get()
        let one = try JSONWebKeySet(json: JOSEKeys.keySet([keys.rsa.jwk(kid: "r"), keys.ec.jwk(kid: "e")]))
        #expect(one.key(id: "r", algorithm: .rs256)?.keyID == "r")
        #expect(one.key(id: "r", algorithm: .es256) == nil)
        #expect(one.key(id: "missing", algorithm: .rs256) == nil)
        #expect(one.key(id: nil, algorithm: .es256)?.keyID == "e")
        let two = try JSONWebKeySet(
            json: JOSEKeys.keySet([keys.ec.jwk(kid: "e1"), keys.otherEC.jwk(kid: "e2"), keys.rsa.jwk(kid: nil)]))
        #expect(two.key(id: nil, algorithm: .es256) == nil)
        #expect(two.key(id: "e2", algorithm: .es256)?.keyID == "e2")
        #expect(two.key(id: nil, algorithm: .rs256)?.keyID == nil)
        #expect(two.key(id: nil, algorithm: .rs256) != nil)
        let merged = JSONWebKeySet(keys: one.keys + two.keys)
        #expect(merged.keys.count == 5)
        #expect(merged.skipped.isEmpty)
    }

    @Test("RFC 7638 §3.1: the thumbprint of the example RSA key")
    func rfc7638Thumbprint() throws {
        let modulus =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try JSONWebKey(jwk: [
            "kty": "RSA", "n": .string(modulus), "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
        ])
        #expect(key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(key.jwk.keys == ["kty", "n", "e", "kid", "alg"])
    }

    @Test("EC thumbprint equals SHA-256 of the RFC 7638 member string, hashed by openssl")
    func ecThumbprintMatchesOpenSSL() throws {
        let keys = try JOSEKeys.get()
        let key = try JSONWebKey(jwk: keys.ec.jwk(kid: "ignored", alg: "ES256", use: "sig"))
        guard case .string(let x)? = keys.ec.jwk["x"], case .string(let y)? = keys.ec.jwk["y"] else {
            Issue.record("fixture JWK has no x/y")
            return
        }
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        let file = keys.directory + "/thumbprint-\(UUID().uuidString)"
        try Data(canonical.utf8).write(to: URL(fileURLWithPath: file))
        let digest = try JOSEKeys.openssl(["dgst", "-sha256", "-binary", file])
        #expect(key.thumbprint == JOSEKeys.base64url([UInt8](digest)))
    }
}
