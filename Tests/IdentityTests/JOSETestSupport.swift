// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import JSON

/// Keys made by the `openssl` command, their JWKs derived from what `openssl` prints, and tokens
/// signed by `openssl dgst`: nothing here goes through the code under test, so a test that verifies
/// one of these tokens proves interoperability and not just self-consistency.
struct JOSEKeys: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A private key file and the public JWK (without kid/alg/use) read from it.
    struct Key: Sendable {
        let pemFile: String
        let jwk: JSONObject
        let isEC: Bool

        func jwk(kid: String?, alg: String? = nil, use: String? = nil) -> JSONObject {
            var object = jwk
            if let kid { object["kid"] = .string(kid) }
            if let alg { object["alg"] = .string(alg) }
            if let use { object["use"] = .string(use) }
            return object
        }
    }

    let directory: String
    let rsa: Key
    let ec: Key
    let otherEC: Key
    let rsa1024: Key
    let p384: Key

    /// Made once per test process: RSA key generation takes a while.
    static let shared = Result { try JOSEKeys.make() }

    static func get() throws -> JOSEKeys { try shared.get() }

    private static func make() throws -> JOSEKeys {
        let directory = NSTemporaryDirectory() + "csms-jose-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func rsaKey(_ name: String, bits: Int) throws -> Key {
            let file = directory + "/\(name).pem"
            try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)", "-out", file])
            return try rsaJWK(pemFile: file)
        }
        func ecKey(_ name: String, curve: String) throws -> Key {
            let file = directory + "/\(name).pem"
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:\(curve)", "-out", file])
            return try ecJWK(pemFile: file)
        }
        return JOSEKeys(
            directory: directory, rsa: try rsaKey("rsa", bits: 2048), ec: try ecKey("ec", curve: "P-256"),
            otherEC: try ecKey("other-ec", curve: "P-256"), rsa1024: try rsaKey("rsa1024", bits: 1024),
            p384: try ecKey("p384", curve: "P-384"))
    }

    /// `n` from `openssl rsa -modulus`, `e` from the `publicExponent` line of `openssl rsa -text`.
    static func rsaJWK(pemFile: String) throws -> Key {
        let modulusLine = String(decoding: try openssl(["rsa", "-in", pemFile, "-noout", "-modulus"]), as: UTF8.self)
        guard let modulusHex = modulusLine.split(separator: "=").last?.trimmingCharacters(in: .whitespacesAndNewlines),
            let modulus = bytes(hex: modulusHex)
        else { throw Failure(description: "cannot read the modulus from \(modulusLine)") }
        let text = String(decoding: try openssl(["rsa", "-in", pemFile, "-noout", "-text"]), as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("publicExponent:") }),
            let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")"),
            let exponentValue = UInt64(line[line.index(open, offsetBy: 3)..<close], radix: 16)
        else { throw Failure(description: "cannot read publicExponent from openssl rsa -text") }
        var exponent = withUnsafeBytes(of: exponentValue.bigEndian) { Array($0) }
        exponent.removeFirst(exponent.prefix { $0 == 0 }.count)
        return Key(
            pemFile: pemFile, jwk: ["kty": "RSA", "n": .string(base64url(modulus)), "e": .string(base64url(exponent))],
            isEC: false)
    }

    /// `x` and `y` from the uncompressed point at the end of the DER SubjectPublicKeyInfo.
    static func ecJWK(pemFile: String) throws -> Key {
        let spki = [UInt8](try openssl(["pkey", "-in", pemFile, "-pubout", "-outform", "DER"]))
        let curve: String
        let size: Int
        // P-256 SPKI is 91 bytes, P-384 is 120 (RFC 5480 §2 with an uncompressed point).
        switch spki.count {
        case 91: (curve, size) = ("P-256", 32)
        case 120: (curve, size) = ("P-384", 48)
        default: throw Failure(description: "unexpected SubjectPublicKeyInfo length \(spki.count)")
        }
        let point = spki.suffix(1 + 2 * size)
        guard point.first == 0x04 else { throw Failure(description: "the public point is not uncompressed") }
        let x = Array(point.dropFirst().prefix(size))
        let y = Array(point.suffix(size))
        return Key(
            pemFile: pemFile,
            jwk: ["kty": "EC", "crv": .string(curve), "x": .string(base64url(x)), "y": .string(base64url(y))],
            isEC: true)
    }

    /// `{"keys":[…]}` as bytes.
    static func keySet(_ jwks: [JSONObject]) -> [UInt8] {
        JSONValue.object(["keys": .array(jwks.map { .object($0) })]).serialized()
    }

    // MARK: Tokens signed by openssl

    /// A compact JWS whose signature `openssl dgst -sha256 -sign` made with `key` (DER ECDSA converted
    /// to JOSE `r || s` for EC keys).
    func token(header: JSONObject, claims: JSONObject, key: Key) throws -> String {
        let signingInput = Self.base64url(header.serialized()) + "." + Self.base64url(claims.serialized())
        let signature = try sign(Array(signingInput.utf8), key: key)
        return signingInput + "." + Self.base64url(signature)
    }

    func sign(_ message: [UInt8], key: Key) throws -> [UInt8] {
        let input = directory + "/input-\(UUID().uuidString)"
        let output = input + ".sig"
        try Data(message).write(to: URL(fileURLWithPath: input))
        try Self.openssl(["dgst", "-sha256", "-sign", key.pemFile, "-out", output, input])
        let signature = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        return key.isEC ? try Self.rawECDSA(der: signature) : signature
    }

    /// Runs `openssl dgst -sha256 -verify` for a JOSE ES256 signature (converted to DER here).
    static func opensslVerifiesES256(token: String, publicKeyPEM: String, in directory: String) throws -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = bytes(base64url: String(parts[2])) else { return false }
        let input = directory + "/verify-\(UUID().uuidString)"
        try Data((parts[0] + "." + parts[1]).utf8).write(to: URL(fileURLWithPath: input))
        try Data(derECDSA(raw: raw)).write(to: URL(fileURLWithPath: input + ".sig"))
        do {
            let out = try openssl(["dgst", "-sha256", "-verify", publicKeyPEM, "-signature", input + ".sig", input])
            return String(decoding: out, as: UTF8.self).contains("Verified OK")
        } catch {
            return false
        }
    }

    // MARK: Encodings written independently of the module under test

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64url text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            out.append(byte)
            index += 2
        }
        return out
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` (short-form lengths suffice for P-256) → `r || s`.
    static func rawECDSA(der: [UInt8]) throws -> [UInt8] {
        var index = 0
        func take() throws -> UInt8 {
            guard index < der.count else { throw Failure(description: "truncated DER signature") }
            defer { index += 1 }
            return der[index]
        }
        guard try take() == 0x30 else { throw Failure(description: "DER signature is not a SEQUENCE") }
        _ = try take()
        var raw: [UInt8] = []
        for _ in 0..<2 {
            guard try take() == 0x02 else { throw Failure(description: "DER signature part is not an INTEGER") }
            let length = Int(try take())
            guard index + length <= der.count else { throw Failure(description: "truncated DER INTEGER") }
            var value = Array(der[index..<index + length])
            index += length
            value.removeFirst(value.prefix { $0 == 0 }.count)
            guard value.count <= 32 else { throw Failure(description: "ECDSA integer longer than 32 bytes") }
            raw += [UInt8](repeating: 0, count: 32 - value.count) + value
        }
        return raw
    }

    /// `r || s` → DER `SEQUENCE { INTEGER r, INTEGER s }`.
    static func derECDSA(raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw.prefix(32)) + integer(raw.suffix(32))
        return [0x30, UInt8(body.count)] + body
    }

    /// Runs `/usr/bin/openssl` and returns its standard output; throws with its standard error.
    @discardableResult
    static func openssl(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "openssl \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: errorText, as: UTF8.self))
        }
        return data
    }
}
