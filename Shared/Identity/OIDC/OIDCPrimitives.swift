// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import COpenSSL
import Credentials

/// The few byte-level tools the OIDC flow needs: OpenSSL randomness, SHA-256 and unpadded
/// base64url (RFC 4648 §5, the encoding of RFC 7636 and JOSE).
enum OIDCPrimitives {
    /// `count` bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) throws(OIDCError) -> [UInt8] {
        do {
            return try SecureBytes.random(count)
        } catch {
            throw OIDCError(.randomness, "\(error); the system has no usable entropy")
        }
    }

    /// `count` random bytes as base64url: 32 bytes give 43 characters and 256 bits.
    static func randomToken(bytes count: Int = 32) throws(OIDCError) -> String {
        base64URL(try randomBytes(count))
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { OpenSSLKeys.sha256(bytes) }

    static func base64URL(_ bytes: [UInt8]) -> String { Base64.encode(bytes, alphabet: .urlSafe) }

    /// Equal strings, compared in time that does not depend on where they first differ (for
    /// `state`, which guards against CSRF, RFC 6749 §10.12).
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool { SecureBytes.equal(lhs, rhs) }
}
