// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
public import JSON

/// A public signature key as published in a JWK Set (RFC 7517), ready to verify one algorithm.
///
/// Only what RS256 and ES256 need is kept: the OpenSSL key, its `kid`, its `use` and the public
/// parameters (for the RFC 7638 thumbprint and for publishing the key again). Private members
/// (`d`, `p`, `q`, …) of a JWK are never read.
public struct JSONWebKey: Sendable {
    public let keyID: String?
    public let algorithm: JWSAlgorithm
    public let use: String?
    let key: EVPKey
    /// The required public members in lexicographic order, as RFC 7638 §3.2 hashes them.
    let requiredMembers: JSONObject

    init(keyID: String?, algorithm: JWSAlgorithm, use: String?, key: EVPKey, requiredMembers: JSONObject) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.use = use
        self.key = key
        self.requiredMembers = requiredMembers
    }

    /// Reads one JWK (RFC 7517 §4, RFC 7518 §6): an `RSA` key of at least 2048 bits for RS256 or an
    /// `EC` key on `P-256` for ES256.
    ///
    /// Refused (with the reason): other `kty` values and curves, `use` other than `sig`, `key_ops`
    /// without `verify`, an `alg` that is not the one this `kty` allows (RFC 8725 §3.1 asks for the
    /// key and the algorithm to agree), bad base64url, and parameters OpenSSL does not accept as a
    /// valid public key (e.g. an EC point off the curve).
    public init(jwk: JSONObject) throws(JOSEError) {
        let kty = try Self.string("kty", in: jwk)
        let keyID = try Self.optionalString("kid", in: jwk)
        let use = try Self.optionalString("use", in: jwk)
        if let use, use != "sig" {
            throw JOSEError("use \"\(use)\" is not \"sig\" (RFC 7517 §4.2)")
        }
        if let operations = jwk["key_ops"] {
            guard case .array(let values) = operations else { throw JOSEError("key_ops is not an array") }
            guard values.contains(.string("verify")) else {
                throw JOSEError("key_ops does not include \"verify\" (RFC 7517 §4.3)")
            }
        }
        let declared = try Self.optionalString("alg", in: jwk)
        switch kty {
        case "RSA":
            try Self.expect(declared, .rs256, kty: kty)
            // RFC 7518 §6.3.1.1: base64urlUInt; leading zero octets are tolerated on input but
            // dropped so that the thumbprint uses the canonical form.
            let n = Self.trimmingLeadingZeros(try Self.bytes("n", in: jwk))
            let e = Self.trimmingLeadingZeros(try Self.bytes("e", in: jwk))
            guard !n.isEmpty, !e.isEmpty else { throw JOSEError("the RSA key has a zero modulus or exponent") }
            let key = try OpenSSLKeys.rsaPublicKey(modulus: n, exponent: e)
            self.init(
                keyID: keyID, algorithm: .rs256, use: use, key: key,
                requiredMembers: [
                    "e": .string(Base64.encode(e, alphabet: .urlSafe)), "kty": "RSA",
                    "n": .string(Base64.encode(n, alphabet: .urlSafe)),
                ])
        case "EC":
            let curve = try Self.string("crv", in: jwk)
            guard curve == "P-256" else { throw JOSEError("curve \"\(curve)\" is not supported (only P-256)") }
            try Self.expect(declared, .es256, kty: kty)
            let x = try Self.bytes("x", in: jwk)
            let y = try Self.bytes("y", in: jwk)
            let key = try OpenSSLKeys.p256PublicKey(x: x, y: y)
            self.init(keyID: keyID, algorithm: .es256, use: use, key: key, requiredMembers: Self.ecMembers(x: x, y: y))
        default:
            throw JOSEError("kty \"\(kty)\" is not supported (only RSA and EC)")
        }
    }

    /// The JWK Thumbprint (RFC 7638 §3): base64url of the SHA-256 of the required public members.
    public var thumbprint: String {
        Base64.encode(OpenSSLKeys.sha256(requiredMembers.serialized()), alphabet: .urlSafe)
    }

    /// The public JWK to publish: `kty`, the key parameters, then `kid`, `alg` and `use` when known.
    public var jwk: JSONObject {
        var object: JSONObject
        switch algorithm {
        case .rs256:
            object = ["kty": "RSA"]
            object["n"] = requiredMembers["n"]
            object["e"] = requiredMembers["e"]
        case .es256:
            object = ["kty": "EC", "crv": "P-256"]
            object["x"] = requiredMembers["x"]
            object["y"] = requiredMembers["y"]
        }
        if let keyID { object["kid"] = .string(keyID) }
        object["alg"] = .string(algorithm.rawValue)
        if let use { object["use"] = .string(use) }
        return object
    }

    static func ecMembers(x: [UInt8], y: [UInt8]) -> JSONObject {
        [
            "crv": "P-256", "kty": "EC", "x": .string(Base64.encode(x, alphabet: .urlSafe)),
            "y": .string(Base64.encode(y, alphabet: .urlSafe)),
        ]
    }

    private static func expect(_ declared: String?, _ algorithm: JWSAlgorithm, kty: String) throws(JOSEError) {
        if let declared, declared != algorithm.rawValue {
            throw JOSEError("alg \"\(declared)\" is not supported for kty \(kty) (only \(algorithm.rawValue))")
        }
    }

    private static func string(_ name: String, in jwk: JSONObject) throws(JOSEError) -> String {
        guard let value = try optionalString(name, in: jwk) else { throw JOSEError("missing \(name)") }
        return value
    }

    private static func optionalString(_ name: String, in jwk: JSONObject) throws(JOSEError) -> String? {
        switch jwk[name] {
        case nil: return nil
        case .string(let value): return value
        default: throw JOSEError("\(name) is not a string")
        }
    }

    private static func bytes(_ name: String, in jwk: JSONObject) throws(JOSEError) -> [UInt8] {
        guard let bytes = Base64.decode(try string(name, in: jwk), alphabet: .urlSafe) else {
            throw JOSEError("\(name) is not unpadded base64url (RFC 7515 §2)")
        }
        return bytes
    }

    private static func trimmingLeadingZeros(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.drop { $0 == 0 })
    }
}
