// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import COpenSSL

/// Randomness and comparisons for secrets, over OpenSSL: every part of the system that makes a
/// salt, a token, a PKCE verifier or a login binding, or compares one, uses these two.
public enum SecureBytes {
    /// `count` bytes from OpenSSL's CSPRNG (RAND_bytes).
    ///
    /// - Throws: ``PasswordHashError`` if `count` is out of range or OpenSSL has no entropy.
    public static func random(_ count: Int) throws -> [UInt8] {
        guard let length = Int32(exactly: count), length >= 0 else {
            throw PasswordHashError(operation: "RAND_bytes", detail: "byte count out of range")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, length) }
        guard ok == 1 else { throw PasswordHashError.openSSL("RAND_bytes") }
        return bytes
    }

    /// Equal byte strings, compared in time that does not depend on where they first differ
    /// (CRYPTO_memcmp). Empty strings are never equal: an absent secret matches nothing.
    public static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count, !lhs.isEmpty else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }

    /// ``equal(_:_:)`` of the strings' UTF-8.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        equal(Array(lhs.utf8), Array(rhs.utf8))
    }
}
