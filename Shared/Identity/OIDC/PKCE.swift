// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient

/// Proof Key for Code Exchange (RFC 7636), S256 only: `plain` sends the verifier itself through
/// the browser and is never used (RFC 9700 §2.1.1).
public enum PKCE {
    /// The only method sent (RFC 7636 §4.3 `code_challenge_method`).
    public static let method = "S256"

    /// A new verifier: 32 random bytes as base64url, 43 characters of the unreserved set, the form
    /// RFC 7636 §4.1 recommends (256 bits of entropy).
    public static func makeVerifier() throws(OIDCError) -> String {
        try OIDCPrimitives.randomToken(bytes: 32)
    }

    /// RFC 7636 §4.1: 43 to 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~".
    public static func isValidVerifier(_ verifier: String) -> Bool {
        let bytes = verifier.utf8
        guard (43...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy(HTTPClientForm.isUnreserved)
    }

    /// RFC 7636 §4.2: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
    public static func challenge(for verifier: String) -> String {
        OIDCPrimitives.base64URL(OIDCPrimitives.sha256(Array(verifier.utf8)))
    }
}
