// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The JWS algorithms Open-CSMS accepts and produces.
///
/// A fixed allow-list (RFC 8725 §3.1): `none` and every HMAC algorithm are absent on purpose, so a
/// token can never be "verified" with no key or with an RSA public key used as an HMAC secret.
public enum JWSAlgorithm: String, Sendable, CaseIterable, Hashable {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256, signature as raw `r || s` (RFC 7518 §3.4).
    case es256 = "ES256"
}

/// Why a key, a key set or a signing operation could not be used.
public struct JOSEError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
