// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// Checks station passwords (OCPP security profile 1/2 Basic auth) against their stored PBKDF2
/// hashes.
///
/// A PBKDF2 verification costs tens of milliseconds of CPU by design. It runs on a thread pool of
/// its own, never on an event loop or the cooperative pool, so a reconnect storm of thousands of
/// stations slows down handshakes but not the traffic of stations already connected. A verified
/// password is remembered as a keyed digest (never the password) next to the hash it matched, so
/// the next connection of the same station with the same password and unchanged hash costs one
/// HMAC; a changed hash in the database invalidates it.
final class StationAuthenticator: Sendable {
    private let pool: NIOThreadPool
    private let cacheKey: [UInt8]
    private let cache = NIOLockedValueBox([String: (hash: String, digest: String)]())

    init(threads: Int = 1) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        cacheKey = (try? PasswordHash.randomToken(bytes: 32)).map { Array($0.utf8) } ?? Array(UUID().uuidString.utf8)
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    func verify(identity: String, password: String, storedHash: String) async -> Bool {
        let digest = PasswordHash.sha256Hex(cacheKey + Array(identity.utf8) + [0] + Array(password.utf8))
        if let hit = cache.withLockedValue({ $0[identity] }), hit.hash == storedHash {
            return hit.digest == digest
        }
        let ok = (try? await pool.runIfActive { PasswordHash.verify(password, against: storedHash) }) ?? false
        if ok {
            cache.withLockedValue { $0[identity] = (storedHash, digest) }
        }
        return ok
    }

    /// Hashes a password for storage (pending stations, REST), on the same pool.
    func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { try PasswordHash.hash(password) }
    }
}
