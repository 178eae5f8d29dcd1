// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import COpenSSL

/// Salted, slow hashing of secrets such as OCPP security profile 1/2 station passwords (OCPP-J 1.6 §6)
/// and API keys, plus small helpers for fingerprints and random tokens.
///
/// Encoded hashes are self-describing, in the style of the PHC string format:
///
///     pbkdf2-sha256$<iterations>$<salt>$<hash>
///
/// - `iterations`: decimal PBKDF2 iteration count, no sign or leading zeros.
/// - `salt`: 16 random bytes from `RAND_bytes`, standard base64 (`+/`) **without padding**.
/// - `hash`: 32 bytes of PBKDF2-HMAC-SHA256 over the password's UTF-8 bytes, same base64 form.
public enum PasswordHash {
    /// The scheme identifier at the start of every encoded hash.
    public static let scheme = "pbkdf2-sha256"
    /// The default iteration count (OWASP 2023 recommendation for PBKDF2-HMAC-SHA256).
    public static let defaultIterations = 210_000
    /// Iteration counts accepted by ``hash(_:iterations:)`` and ``verify(_:against:)``.
    public static let allowedIterations = 1_000...10_000_000
    /// Salt length in bytes.
    public static let saltLength = 16
    /// Derived key length in bytes.
    public static let hashLength = 32

    /// Hashes `password` with a fresh random salt and returns the self-describing encoding.
    ///
    /// - Throws: ``PasswordHashError`` if `iterations` is outside ``allowedIterations`` or OpenSSL fails.
    public static func hash(_ password: String, iterations: Int = defaultIterations) throws -> String {
        guard allowedIterations.contains(iterations) else {
            throw PasswordHashError(
                operation: "PasswordHash.hash",
                detail:
                    "iterations \(iterations) outside \(allowedIterations.lowerBound)...\(allowedIterations.upperBound)"
            )
        }
        let salt = try randomBytes(saltLength)
        let derived = try derive(password: Array(password.utf8), salt: salt, iterations: iterations, length: hashLength)
        return [scheme, String(iterations), Base64.encode(salt), Base64.encode(derived)].joined(separator: "$")
    }

    /// Returns `true` if `password` matches `encoded`. Malformed encodings, unsupported schemes, iteration
    /// counts outside ``allowedIterations`` and OpenSSL failures all yield `false`.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        guard let parsed = Parsed(encoded) else { return false }
        guard
            let derived = try? derive(
                password: Array(password.utf8), salt: parsed.salt, iterations: parsed.iterations,
                length: parsed.hash.count)
        else { return false }
        return constantTimeEqual(derived, parsed.hash)
    }

    /// Returns `true` if `encoded` should be replaced by a fresh hash: it is malformed, uses another scheme
    /// or parameters, or its iteration count differs from `iterations`.
    public static func needsRehash(_ encoded: String, iterations: Int = defaultIterations) -> Bool {
        guard let parsed = Parsed(encoded) else { return true }
        return parsed.iterations != iterations || parsed.salt.count != saltLength || parsed.hash.count != hashLength
    }

    /// Lowercase hexadecimal SHA-256 digest of `bytes` (used for API-key fingerprints).
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with SHA-256 cannot fail short of memory exhaustion; the precondition documents that.
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest.prefix(Int(length)) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `bytes` random bytes from `RAND_bytes`, encoded as URL-safe base64 (`-_`) without padding.
    ///
    /// - Throws: ``PasswordHashError`` if `bytes` is not positive or OpenSSL fails.
    public static func randomToken(bytes: Int) throws -> String {
        guard bytes > 0 else {
            throw PasswordHashError(operation: "PasswordHash.randomToken", detail: "byte count must be positive")
        }
        return Base64.encode(try randomBytes(bytes), alphabet: .urlSafe)
    }

    // MARK: - Internals

    /// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) of `password` and `salt`, `length` bytes long.
    static func derive(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        guard iterations > 0, let iterationCount = Int32(exactly: iterations), length > 0,
            Int32(exactly: length) != nil, Int32(exactly: password.count) != nil, Int32(exactly: salt.count) != nil
        else {
            throw PasswordHashError(operation: "PKCS5_PBKDF2_HMAC", detail: "parameters out of range")
        }
        var output = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { pass in
            salt.withUnsafeBufferPointer { saltBytes in
                output.withUnsafeMutableBufferPointer { out in
                    pass.withMemoryRebound(to: CChar.self) { passChars in
                        PKCS5_PBKDF2_HMAC(
                            passChars.baseAddress, Int32(passChars.count), saltBytes.baseAddress,
                            Int32(saltBytes.count), iterationCount, EVP_sha256(), Int32(out.count), out.baseAddress)
                    }
                }
            }
        }
        guard ok == 1 else { throw PasswordHashError.openSSL("PKCS5_PBKDF2_HMAC") }
        return output
    }

    static func randomBytes(_ count: Int) throws -> [UInt8] { try SecureBytes.random(count) }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool { SecureBytes.equal(lhs, rhs) }

    /// A syntactically valid encoded hash.
    struct Parsed {
        let iterations: Int
        let salt: [UInt8]
        let hash: [UInt8]

        init?(_ encoded: String) {
            let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == PasswordHash.scheme else { return nil }
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 8, digits.first != "0",
                digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let iterations = Int(digits), PasswordHash.allowedIterations.contains(iterations)
            else { return nil }
            guard let salt = Base64.decode(parts[2]), salt.count >= 8, salt.count <= 64,
                let hash = Base64.decode(parts[3]), hash.count >= 16, hash.count <= 64
            else { return nil }
            self.iterations = iterations
            self.salt = salt
            self.hash = hash
        }
    }
}
