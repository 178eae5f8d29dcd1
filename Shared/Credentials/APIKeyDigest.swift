// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// API keys are long random tokens stored only as their SHA-256 (hex): one fast digest suffices
/// (unlike passwords), and the comparison is constant-time so the check leaks nothing about
/// which stored digest is close.
public enum APIKeyDigest {
    /// The index of the stored digest (64 lowercase hex digits) that is the presented key's, or
    /// nil. Every stored digest is compared, matched or not.
    public static func index(of presented: String, among digests: [String]) -> Int? {
        let digest = Array(PasswordHash.sha256Hex(Array(presented.utf8)).utf8)
        var matched: Int?
        for (i, stored) in digests.enumerated() where PasswordHash.constantTimeEqual(Array(stored.utf8), digest) {
            matched = i
        }
        return matched
    }
}
