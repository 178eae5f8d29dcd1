// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

/// A JWK Set (RFC 7517 §5) reduced to the keys Open-CSMS can verify with.
public struct JSONWebKeySet: Sendable {
    public let keys: [JSONWebKey]
    /// One line per member of `keys` that was not usable, with its position, `kid` and the reason.
    public let skipped: [String]

    /// Parses a JWK Set document with the strict JSON parser. Keys that cannot be used (kty `oct`,
    /// other curves, `use` `enc`, an `alg` that does not match the `kty`, invalid parameters) are
    /// skipped and listed in ``skipped``, so that one exotic key at a provider does not stop logins.
    /// Throws only when the document is not a JWK Set at all.
    public init(json: [UInt8]) throws(JOSEError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(json)
        } catch {
            throw JOSEError("the JWK Set is not valid JSON: \(error)")
        }
        guard case .object(let object) = document, case .array(let members)? = object["keys"] else {
            throw JOSEError("the JWK Set is not an object with a \"keys\" array (RFC 7517 §5)")
        }
        var keys: [JSONWebKey] = []
        var skipped: [String] = []
        for (index, member) in members.enumerated() {
            guard case .object(let jwk) = member else {
                skipped.append("keys[\(index)]: not an object")
                continue
            }
            do {
                keys.append(try JSONWebKey(jwk: jwk))
            } catch {
                let name = if case .string(let kid)? = jwk["kid"] { " (kid \"\(kid)\")" } else { "" }
                skipped.append("keys[\(index)]\(name): \(error)")
            }
        }
        self.keys = keys
        self.skipped = skipped
    }

    public init(keys: [JSONWebKey]) {
        self.keys = keys
        self.skipped = []
    }

    /// The key for a JWS header's `kid` and `alg`. With a `kid`, the first key with that `kid` made
    /// for `algorithm`; without one, the only key for `algorithm` (several candidates → nil: trying
    /// each would let a key the issuer meant for something else sign).
    public func key(id: String?, algorithm: JWSAlgorithm) -> JSONWebKey? {
        if let id {
            return keys.first { $0.keyID == id && $0.algorithm == algorithm }
        }
        var found: JSONWebKey?
        for key in keys where key.algorithm == algorithm {
            guard found == nil else { return nil }
            found = key
        }
        return found
    }
}
