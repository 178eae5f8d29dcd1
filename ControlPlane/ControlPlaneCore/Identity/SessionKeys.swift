// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Identity
import Logging

/// The platform's session signing key: an ES256 key kept in `<data>/secrets/session-signing.pem`
/// (0600, made on first start), and its public JWK Set in `<data>/identity/session-keys.json`, which
/// every worker reads (`--session-keys`) to verify session tokens without asking the control plane.
struct SessionKeys: Sendable {
    let signer: ES256Signer
    /// The public JWK Set file handed to workers.
    let publicKeysPath: String

    static func load(dataDirectory: String, logger: Logger) throws -> SessionKeys {
        let data = dataDirectory as NSString
        let secrets = data.appendingPathComponent("secrets")
        let identity = data.appendingPathComponent("identity")
        let files = FileManager.default
        try files.createDirectory(
            atPath: secrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try files.createDirectory(
            atPath: identity, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let keyPath = (secrets as NSString).appendingPathComponent("session-signing.pem")
        let signer: ES256Signer
        if files.fileExists(atPath: keyPath) {
            signer = try ES256Signer.load(pemFile: keyPath)
        } else {
            signer = try ES256Signer.generate()
            try signer.writePEM(to: keyPath)
            logger.notice("made a new session signing key", metadata: ["session.kid": "\(signer.keyID)"])
        }
        let publicPath = (identity as NSString).appendingPathComponent("session-keys.json")
        let json = Data(signer.publicJWKSetJSON)
        if (try? Data(contentsOf: URL(fileURLWithPath: publicPath))) != json {
            // Atomically: a worker reading it never sees half a file.
            try json.write(to: URL(fileURLWithPath: publicPath), options: .atomic)
            _ = chmod(publicPath, 0o644)
        }
        return SessionKeys(signer: signer, publicKeysPath: publicPath)
    }
}
