// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import COpenSSL
import Credentials
import Foundation

/// Owns one OpenSSL `EVP_PKEY` and frees it when the last JOSE value holding it goes away.
///
/// `@unchecked Sendable`: the key is fully built before the box exists and never changed afterwards;
/// signing and verifying only read it (each makes its own `EVP_MD_CTX`/`EVP_PKEY_CTX`), and
/// openssl-threads(7) says objects are thread-safe for calls that do not modify them, with internal
/// caches and reference counts updated under locks.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }
}

/// Every raw OpenSSL call the JOSE code makes, behind Swift-typed functions.
///
/// Failures clear OpenSSL's per-thread error queue, so a refused signature leaves nothing behind for
/// the next caller on the same thread to misread.
enum OpenSSLKeys {
    /// RFC 7518 §3.3: RSA keys for RS256 must be at least 2048 bits.
    static let minimumRSABits: Int32 = 2048
    /// Larger moduli only cost verification time; no provider publishes them.
    static let maximumRSABits: Int32 = 8192
    /// P-256 coordinates and the halves of an ES256 signature (RFC 7518 §3.4, §6.2.1.2).
    static let p256FieldBytes = 32

    // MARK: Building keys

    /// An RSA public key from the big-endian modulus and exponent (RFC 7518 §6.3.1).
    static func rsaPublicKey(modulus: [UInt8], exponent: [UInt8]) throws(JOSEError) -> EVPKey {
        guard modulus.count <= Int(maximumRSABits) / 8, exponent.count <= modulus.count else {
            throw JOSEError("the RSA key is larger than \(maximumRSABits) bits")
        }
        let key = try publicKey(type: "RSA", [("n", .bigNumber(modulus)), ("e", .bigNumber(exponent))])
        let bits = EVP_PKEY_get_bits(key.pointer)
        guard bits >= minimumRSABits else {
            throw JOSEError("the RSA key has \(bits) bits; RS256 needs at least \(minimumRSABits) (RFC 7518 §3.3)")
        }
        guard bits <= maximumRSABits else {
            throw JOSEError("the RSA key has \(bits) bits; at most \(maximumRSABits) are accepted")
        }
        try checkPublicKey(key, what: "RSA")
        return key
    }

    /// A P-256 public key from its affine coordinates (RFC 7518 §6.2.1); OpenSSL refuses a point that
    /// is not on the curve, which stops invalid-curve attacks.
    static func p256PublicKey(x: [UInt8], y: [UInt8]) throws(JOSEError) -> EVPKey {
        guard x.count == p256FieldBytes, y.count == p256FieldBytes else {
            throw JOSEError(
                "P-256 coordinates must be 32 bytes each, got \(x.count) and \(y.count) (RFC 7518 §6.2.1.2)")
        }
        // SEC 1 §2.3.3 uncompressed point: 0x04 || x || y.
        let key = try publicKey(type: "EC", [("group", .utf8("prime256v1")), ("pub", .octets([0x04] + x + y))])
        try checkPublicKey(key, what: "EC")
        return key
    }

    private enum Parameter {
        case bigNumber([UInt8])
        case utf8(String)
        case octets([UInt8])
    }

    /// `EVP_PKEY_fromdata` over an `OSSL_PARAM_BLD`.
    ///
    /// The builder, the parameter array it makes and the `EVP_PKEY_CTX` keep pointers to the names,
    /// strings and octet buffers rather than copies (OSSL_PARAM_BLD(3)), while a Swift `String`
    /// bridged to `const char *` lives only for one call; so every name and value is copied to memory
    /// freed after the key exists.
    private static func publicKey(
        type: String, _ parameters: [(name: String, value: Parameter)]
    ) throws(JOSEError) -> EVPKey {
        var numbers: [OpaquePointer] = []
        var buffers: [UnsafeMutableRawPointer] = []
        defer {
            for number in numbers { BN_free(number) }
            for buffer in buffers { free(buffer) }
        }
        func keep(_ text: String) throws(JOSEError) -> UnsafePointer<CChar> {
            guard let copy = strdup(text) else { throw JOSEError("out of memory") }
            buffers.append(UnsafeMutableRawPointer(copy))
            return UnsafePointer(copy)
        }
        guard let builder = OSSL_PARAM_BLD_new() else { throw failure("OSSL_PARAM_BLD_new failed") }
        defer { OSSL_PARAM_BLD_free(builder) }
        for (name, value) in parameters {
            let pushed: Bool
            switch value {
            case .bigNumber(let bytes):
                guard let number = bytes.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) })
                else { throw failure("BN_bin2bn failed") }
                numbers.append(number)
                pushed = OSSL_PARAM_BLD_push_BN(builder, try keep(name), number) == 1
            case .utf8(let text):
                pushed = OSSL_PARAM_BLD_push_utf8_string(builder, try keep(name), try keep(text), 0) == 1
            case .octets(let bytes):
                guard let buffer = malloc(max(bytes.count, 1)) else { throw JOSEError("out of memory") }
                buffers.append(buffer)
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
                }
                pushed = OSSL_PARAM_BLD_push_octet_string(builder, try keep(name), buffer, bytes.count) == 1
            }
            guard pushed else { throw failure("cannot pass the \(type) parameter \(name) to OpenSSL") }
        }
        guard let params = OSSL_PARAM_BLD_to_param(builder) else { throw failure("OSSL_PARAM_BLD_to_param failed") }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, try keep(type), nil) else {
            throw failure("OpenSSL has no \(type) key support")
        }
        defer { EVP_PKEY_CTX_free(context) }
        // EVP_PKEY_PUBLIC_KEY, spelled out: Swift does not import macros built from other macros.
        let selection =
            Int32(OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS) | Int32(OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS)
            | Int32(OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, selection, params) == 1, let key
        else { throw failure("OpenSSL refused the \(type) public key parameters") }
        return EVPKey(taking: key)
    }

    /// RSA: odd modulus, odd exponent > 1, no small factors; EC: point on the curve, not at
    /// infinity, of the group order. Done once per key when a key set is loaded.
    private static func checkPublicKey(_ key: EVPKey, what: String) throws(JOSEError) {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
            throw failure("EVP_PKEY_CTX_new_from_pkey failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_public_check(context) == 1 else { throw failure("the \(what) public key is not valid") }
    }

    /// A new random P-256 private key.
    static func generateP256() throws(JOSEError) -> EVPKey {
        // The context keeps the type name pointer (see publicKey(type:_:)), so it gets a copy.
        guard let type = strdup("EC") else { throw JOSEError("out of memory") }
        defer { free(type) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw failure("OpenSSL has no EC key support")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
            EVP_PKEY_generate(context, &key) == 1, let key
        else { throw failure("cannot generate a P-256 key") }
        return EVPKey(taking: key)
    }

    /// A private key from PEM text (PKCS#8 `PRIVATE KEY` or SEC 1 `EC PRIVATE KEY`); must be P-256.
    static func p256PrivateKey(pem: [UInt8]) throws(JOSEError) -> EVPKey {
        guard let bio = pem.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw failure("BIO_new_mem_buf failed")
        }
        defer { BIO_free(bio) }
        // A callback that refuses to give a password: without one OpenSSL would prompt on the
        // terminal for an encrypted key.
        guard let key = PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil) else {
            throw failure("no unencrypted private key in the PEM data")
        }
        let box = EVPKey(taking: key)
        guard EVP_PKEY_is_a(key, "EC") == 1 else { throw JOSEError("the private key is not an EC key") }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
            throw failure("the EC private key names no curve")
        }
        let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard group == "prime256v1" || group == "P-256" else {
            throw JOSEError("the EC private key is on curve \(group); ES256 needs P-256 (prime256v1)")
        }
        return box
    }

    // MARK: Reading keys

    /// The affine coordinates of an EC key's public point, 32 bytes each.
    static func p256Coordinates(_ key: EVPKey) throws(JOSEError) -> (x: [UInt8], y: [UInt8]) {
        (
            try bigNumberParameter(key, "qx", padded: p256FieldBytes),
            try bigNumberParameter(key, "qy", padded: p256FieldBytes)
        )
    }

    private static func bigNumberParameter(_ key: EVPKey, _ name: String, padded: Int) throws(JOSEError) -> [UInt8] {
        var value: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key.pointer, name, &value) == 1, let value else {
            throw failure("cannot read the key parameter \(name)")
        }
        defer { BN_free(value) }
        var bytes = [UInt8](repeating: 0, count: padded)
        guard bytes.withUnsafeMutableBufferPointer({ BN_bn2binpad(value, $0.baseAddress, Int32(padded)) }) == padded
        else { throw failure("the key parameter \(name) does not fit \(padded) bytes") }
        return bytes
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    static func privateKeyPEM(_ key: EVPKey) throws(JOSEError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("BIO_new failed") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil) == 1 else {
            throw failure("cannot encode the private key as PEM")
        }
        var pem = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let read = pem.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        guard read == pem.count else { throw failure("cannot read the PEM encoding back") }
        return pem
    }

    // MARK: Signatures

    /// Verifies `signature` over `message` with SHA-256. For EC keys `signature` is JOSE `r || s`.
    static func verify(signature: [UInt8], message: [UInt8], key: EVPKey, algorithm: JWSAlgorithm) -> Bool {
        let encoded: [UInt8]
        switch algorithm {
        case .rs256:
            // RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus.
            guard signature.count == Int(EVP_PKEY_get_size(key.pointer)) else { return false }
            encoded = signature
        case .es256:
            guard let der = derSignature(raw: signature) else { return false }
            encoded = der
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key.pointer) == 1 else { return false }
        return EVP_DigestVerify(context, encoded, encoded.count, message, message.count) == 1
    }

    /// ES256 signature of `message` as JOSE `r || s` (RFC 7518 §3.4).
    static func signES256(message: [UInt8], key: EVPKey) throws(JOSEError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw failure("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key.pointer) == 1 else {
            throw failure("EVP_DigestSignInit failed")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw failure("EVP_DigestSign (size) failed")
        }
        var der = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &der, &length, message, message.count) == 1 else {
            throw failure("EVP_DigestSign failed")
        }
        return try rawSignature(der: Array(der.prefix(length)))
    }

    /// JOSE `r || s` → DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3), the form OpenSSL verifies; nil unless
    /// exactly 64 bytes.
    static func derSignature(raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * p256FieldBytes, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer in
            (
                BN_bin2bn(buffer.baseAddress, Int32(p256FieldBytes), nil),
                BN_bin2bn(buffer.baseAddress.map { $0 + p256FieldBytes }, Int32(p256FieldBytes), nil)
            )
        }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }

    /// DER `ECDSA-Sig-Value` → JOSE `r || s`, each half left-padded to 32 bytes.
    static func rawSignature(der: [UInt8]) throws(JOSEError) -> [UInt8] {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw failure("OpenSSL produced an unreadable ECDSA signature") }
        defer { ECDSA_SIG_free(parsed) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(parsed, &r, &s)
        var raw = [UInt8](repeating: 0, count: 2 * p256FieldBytes)
        let ok = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, Int32(p256FieldBytes)) == p256FieldBytes
                && BN_bn2binpad(s, buffer.baseAddress.map { $0 + p256FieldBytes }, Int32(p256FieldBytes))
                    == p256FieldBytes
        }
        guard ok else { throw failure("an ECDSA signature half does not fit 32 bytes") }
        return raw
    }

    // MARK: Digests and randomness

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil)
        // SHA-256 over a memory buffer fails only when memory runs out.
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        return Array(digest.prefix(32))
    }

    static func randomBytes(_ count: Int) throws(JOSEError) -> [UInt8] {
        do {
            return try SecureBytes.random(count)
        } catch {
            throw failure("\(error)")
        }
    }

    /// A `JOSEError` carrying OpenSSL's first queued error, queue cleared.
    private static func failure(_ what: String) -> JOSEError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return JOSEError(what) }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        let detail = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return JOSEError("\(what) (\(detail))")
    }
}
