// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Foundation
public import JSON

/// The platform's signing key: a P-256 private key that mints ES256 JWTs (session tokens) which
/// workers verify locally with ``publicJWKSetJSON``.
public struct ES256Signer: Sendable {
    private let privateKey: EVPKey
    private let verificationKey: JSONWebKey

    /// The RFC 7638 JWK thumbprint of the public key, so the `kid` changes exactly when the key does.
    public let keyID: String

    private init(privateKey: EVPKey) throws(JOSEError) {
        let (x, y) = try OpenSSLKeys.p256Coordinates(privateKey)
        // A separate public-only key for verification: the published JSONWebKey can never sign.
        let publicKey = try OpenSSLKeys.p256PublicKey(x: x, y: y)
        let members = JSONWebKey.ecMembers(x: x, y: y)
        let thumbprint = JSONWebKey(
            keyID: nil, algorithm: .es256, use: nil, key: publicKey, requiredMembers: members
        ).thumbprint
        self.privateKey = privateKey
        self.keyID = thumbprint
        self.verificationKey = JSONWebKey(
            keyID: thumbprint, algorithm: .es256, use: "sig", key: publicKey, requiredMembers: members)
    }

    /// A new random key.
    public static func generate() throws(JOSEError) -> ES256Signer {
        try ES256Signer(privateKey: OpenSSLKeys.generateP256())
    }

    /// Loads an unencrypted PEM private key: PKCS#8 (`PRIVATE KEY`) or SEC 1 (`EC PRIVATE KEY`), P-256 only.
    public static func load(pemFile: String) throws(JOSEError) -> ES256Signer {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: pemFile))
        } catch {
            throw JOSEError("cannot read the signing key \(pemFile): \(error.localizedDescription)")
        }
        do {
            return try ES256Signer(privateKey: OpenSSLKeys.p256PrivateKey(pem: Array(contents)))
        } catch {
            throw JOSEError("\(pemFile): \(error.description)")
        }
    }

    /// Writes the private key as unencrypted PKCS#8 PEM. The file is created with mode 0600 under a
    /// temporary name in the same directory and renamed over `path`, so a reader sees the old key or
    /// the new one, never half a file, and the key is never readable by others.
    public func writePEM(to path: String) throws(JOSEError) {
        let pem = try OpenSSLKeys.privateKeyPEM(privateKey)
        let suffix = try OpenSSLKeys.randomBytes(6).map { String($0, radix: 16) }.joined()
        let temporary = "\(path).tmp-\(suffix)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.systemError("cannot create \(temporary)") }
        var written = 0
        while written < pem.count {
            let result = pem.withUnsafeBytes {
                write(descriptor, $0.baseAddress.map { $0 + written }, pem.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let error = Self.systemError("cannot write \(temporary)")
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            let error = Self.systemError("cannot flush \(temporary)")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = Self.systemError("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
    }

    /// The public key, `kid` = ``keyID``, `use` = `sig`.
    public var publicKey: JSONWebKey { verificationKey }

    /// `{"keys":[{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig"}]}`.
    public var publicJWKSetJSON: [UInt8] {
        JSONValue.object(["keys": .array([.object(verificationKey.jwk)])]).serialized()
    }

    /// A compact JWS over `claims` with header `{"alg":"ES256","typ":type,"kid":keyID}`. The claims are
    /// signed as given; the caller sets `iss`, `aud`, `sub`, `exp`, `iat`.
    public func sign(claims: JSONObject, type: String = "JWT") throws(JOSEError) -> String {
        let header: JSONObject = ["alg": "ES256", "typ": .string(type), "kid": .string(keyID)]
        let signingInput =
            Base64.encode(header.serialized(), alphabet: .urlSafe) + "."
            + Base64.encode(claims.serialized(), alphabet: .urlSafe)
        let signature = try OpenSSLKeys.signES256(message: Array(signingInput.utf8), key: privateKey)
        return signingInput + "." + Base64.encode(signature, alphabet: .urlSafe)
    }

    private static func systemError(_ what: String) -> JOSEError {
        JOSEError("\(what): \(String(cString: strerror(errno)))")
    }
}
