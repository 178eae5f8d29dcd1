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
/// stations slows down handshakes but not the traffic of stations already connected. A successful
/// verification is remembered as a keyed digest of (stored hash, password) — never the password —
/// so a station reconnecting with the same password against an unchanged hash costs one SHA-256;
/// a changed hash in the database misses the memo and is verified in full. Every stored hash has
/// its own random salt, so the memo never lets one station's password stand in for another's.
final class StationAuthenticator: Sendable {
    private let pool: NIOThreadPool
    private let cacheKey: [UInt8]
    /// Digests of verified (hash, password) pairs; bounded so a flood of identities cannot grow it.
    private let verified = NIOLockedValueBox(Set<String>())
    private static let memoCapacity = 200_000

    init(threads: Int = 1) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        cacheKey = (try? PasswordHash.randomToken(bytes: 32)).map { Array($0.utf8) } ?? Array(UUID().uuidString.utf8)
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    func verify(password: String, storedHash: String) async -> Bool {
        let digest = PasswordHash.sha256Hex(cacheKey + Array(storedHash.utf8) + [0] + Array(password.utf8))
        if verified.withLockedValue({ $0.contains(digest) }) {
            return true
        }
        let ok = (try? await pool.runIfActive { PasswordHash.verify(password, against: storedHash) }) ?? false
        if ok {
            verified.withLockedValue {
                if $0.count >= Self.memoCapacity { $0.removeAll(keepingCapacity: true) }
                $0.insert(digest)
            }
        }
        return ok
    }

    /// Hashes a password for storage (pending stations, REST), on the same pool.
    func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { try PasswordHash.hash(password) }
    }
}
