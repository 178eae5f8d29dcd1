// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Identity
import JSON
import Testing

@Suite("JOSE ES256 signer")
struct JOSESignerTests {
    static let now: Int64 = 1_800_000_000

    static var validation: JWTValidation {
        var validation = JWTValidation(issuer: "https://admin.csms.test", audience: "acme")
        validation.clock = { Date(timeIntervalSince1970: TimeInterval(now)) }
        return validation
    }

    static let claims: JSONObject = [
        "iss": "https://admin.csms.test", "aud": "acme", "sub": "user-7", "tenant": "acme", "role": "tenant-admin",
        "iat": .integer(now), "exp": .integer(now + 900),
    ]

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "csms-jose-signer-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("sign → verify with the published JWK Set")
    func roundTrip() throws {
        let signer = try ES256Signer.generate()
        let token = try signer.sign(claims: Self.claims, type: "csms-session+jwt")
        let set = try JSONWebKeySet(json: signer.publicJWKSetJSON)
        #expect(set.skipped.isEmpty)
        var validation = Self.validation
        validation.requiredType = "csms-session+jwt"
        let verified = try JWTVerifier(validation: validation).verify(token, keys: set)
        #expect(verified.keyID == signer.keyID)
        #expect(verified.algorithm == .es256)
        #expect(verified.claims == Self.claims)
        #expect(verified.string("role") == "tenant-admin")

        // The header, as the RFC 7515 §4 members in the documented order.
        let header = try #require(JOSEKeys.bytes(base64url: String(token.split(separator: ".")[0])))
        #expect(
            String(decoding: header, as: UTF8.self)
                == #"{"alg":"ES256","typ":"csms-session+jwt","kid":"\#(signer.keyID)"}"#)

        // Another signer's key set does not verify it.
        let other = try JSONWebKeySet(json: ES256Signer.generate().publicJWKSetJSON)
        #expect(JOSEVerifierTests.rejection(token, keys: other, validation: Self.validation)?.reason == .unknownKey)
    }

    @Test("The published JWK Set has kty, crv, x, y, kid, alg, use, and kid is the RFC 7638 thumbprint")
    func publishedKeySet() throws {
        let signer = try ES256Signer.generate()
        guard case .object(let document) = try JSONValue.parse(signer.publicJWKSetJSON),
            case .array(let keys)? = document["keys"], keys.count == 1, case .object(let jwk) = keys[0]
        else {
            Issue.record("not a one-key JWK Set: \(String(decoding: signer.publicJWKSetJSON, as: UTF8.self))")
            return
        }
        #expect(jwk.keys == ["kty", "crv", "x", "y", "kid", "alg", "use"])
        #expect(jwk["kid"] == .string(signer.keyID))
        #expect(jwk["alg"] == "ES256")
        #expect(jwk["use"] == "sig")
        #expect(jwk["d"] == nil)
        #expect(signer.publicKey.keyID == signer.keyID)
        #expect(signer.publicKey.thumbprint == signer.keyID)
        #expect(signer.publicKey.use == "sig")
        #expect(signer.keyID.utf8.count == 43)
    }

    @Test("openssl verifies a signer token (r||s converted to DER) with the public key from the written PEM")
    func opensslVerifiesSignerTokens() throws {
        let directory = try Self.temporaryDirectory()
        let signer = try ES256Signer.generate()
        let keyFile = directory + "/platform.pem"
        try signer.writePEM(to: keyFile)
        let publicFile = directory + "/platform.pub.pem"
        try JOSEKeys.openssl(["pkey", "-in", keyFile, "-pubout", "-out", publicFile])
        for index in 0..<8 {
            var claims = Self.claims
            claims["n"] = .integer(Int64(index))
            let token = try signer.sign(claims: claims)
            #expect(try JOSEKeys.opensslVerifiesES256(token: token, publicKeyPEM: publicFile, in: directory))
        }
        // A changed payload fails at openssl too, so the check above is not vacuous.
        let token = try signer.sign(claims: Self.claims)
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = JOSEKeys.base64url(Array(#"{"sub":"admin"}"#.utf8))
        #expect(
            try !JOSEKeys.opensslVerifiesES256(
                token: parts.joined(separator: "."), publicKeyPEM: publicFile, in: directory))
    }

    @Test("writePEM makes a 0600 PKCS#8 file atomically; load gives the same key")
    func writeAndLoad() throws {
        let directory = try Self.temporaryDirectory()
        let signer = try ES256Signer.generate()
        let file = directory + "/platform.pem"
        try Data("old".utf8).write(to: URL(fileURLWithPath: file))
        try signer.writePEM(to: file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["platform.pem"])
        // openssl reads it as a P-256 key.
        let description = String(
            decoding: try JOSEKeys.openssl(["pkey", "-in", file, "-noout", "-text"]), as: UTF8.self)
        #expect(description.contains("prime256v1"))

        let loaded = try ES256Signer.load(pemFile: file)
        #expect(loaded.keyID == signer.keyID)
        let token = try loaded.sign(claims: Self.claims)
        #expect(
            JOSEVerifierTests.rejection(
                token, keys: try JSONWebKeySet(json: signer.publicJWKSetJSON), validation: Self.validation) == nil)

        #expect(throws: JOSEError.self) { try signer.writePEM(to: directory + "/missing-folder/key.pem") }
    }

    @Test("openssl-made SEC 1 and PKCS#8 P-256 keys load; their kid and JWK match what openssl prints")
    func loadsOpenSSLKeys() throws {
        let directory = try Self.temporaryDirectory()
        let sec1 = directory + "/sec1.pem"
        try JOSEKeys.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1])
        #expect(try String(contentsOfFile: sec1, encoding: .utf8).hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        let pkcs8 = directory + "/pkcs8.pem"
        try JOSEKeys.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", pkcs8])
        for file in [sec1, pkcs8] {
            let signer = try ES256Signer.load(pemFile: file)
            let expected = try JOSEKeys.ecJWK(pemFile: file).jwk
            let published = signer.publicKey.jwk
            #expect(published["x"] == expected["x"])
            #expect(published["y"] == expected["y"])
            let reference = try JSONWebKey(jwk: expected)
            #expect(signer.keyID == reference.thumbprint)
            // A token signed by openssl with this file verifies against the signer's published set.
            let keys = JOSEKeys(
                directory: directory, rsa: try JOSEKeys.get().rsa, ec: try JOSEKeys.ecJWK(pemFile: file),
                otherEC: try JOSEKeys.get().otherEC, rsa1024: try JOSEKeys.get().rsa1024, p384: try JOSEKeys.get().p384)
            let token = try keys.token(
                header: ["alg": "ES256", "kid": .string(signer.keyID)], claims: Self.claims, key: keys.ec)
            #expect(
                JOSEVerifierTests.rejection(
                    token, keys: try JSONWebKeySet(json: signer.publicJWKSetJSON), validation: Self.validation) == nil)
        }
    }

    @Test("Other curves, RSA keys, encrypted keys, public keys and missing files are refused")
    func refusesOtherKeys() throws {
        let keys = try JOSEKeys.get()
        let directory = try Self.temporaryDirectory()
        let encrypted = directory + "/encrypted.pem"
        try JOSEKeys.openssl([
            "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-128-cbc", "-pass",
            "pass:secret", "-out", encrypted,
        ])
        let publicOnly = directory + "/public.pem"
        try JOSEKeys.openssl(["pkey", "-in", keys.ec.pemFile, "-pubout", "-out", publicOnly])
        let garbage = directory + "/garbage.pem"
        try Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8).write(
            to: URL(fileURLWithPath: garbage))
        for (file, fragment) in [
            (keys.p384.pemFile, "secp384r1"), (keys.rsa.pemFile, "not an EC key"), (encrypted, "no unencrypted"),
            (publicOnly, "no unencrypted"), (garbage, "no unencrypted"), (directory + "/absent.pem", "cannot read"),
        ] {
            do {
                _ = try ES256Signer.load(pemFile: file)
                Issue.record("\(file) loaded")
            } catch {
                #expect(error.description.contains(fragment), "\(error.description)")
            }
        }
    }
}
