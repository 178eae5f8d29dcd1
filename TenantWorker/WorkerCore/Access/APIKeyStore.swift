// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Foundation
import Logging
import Postgres
import Synchronization

/// The tenant's scoped API keys (`csms.api_keys`, migration 0007), read and written as the tenant's
/// own database role.
///
/// A key is `ocsk_` and 32 random bytes in base64url; only its SHA-256 is stored, and it is shown
/// once, when created. A key is long and random, so one fast digest is enough (unlike a password).
/// Lookups are remembered for a few seconds so a busy integrator does not cost a query per
/// request; a revocation made in this process is effective at once, one made elsewhere within
/// `cacheLifetime`. Last-use times are written at most once a minute per key, off the request path.
final class APIKeyStore: Sendable {
    struct Key: Sendable, Equatable {
        var id: String
        var name: String
        /// The key's first characters (not secret), to tell keys apart.
        var prefix: String
        var scopes: Set<APIScope>
        var createdAt: Date
        var createdBy: String
        var expiresAt: Date?
        var revokedAt: Date?
        var lastUsedAt: Date?
        /// The key's own request budget per second (nil: only the tenant's plan rate applies).
        var requestsPerSecond: Int?

        func isUsable(at now: Date) -> Bool {
            revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
        }
    }

    static let secretPrefix = "ocsk_"

    private let postgres: PGPool
    private let logger: Logger
    private let cacheLifetime: Duration
    private let cache = Mutex<[String: (key: Key?, until: ContinuousClock.Instant)]>([:])
    private let lastTouched = Mutex<[String: ContinuousClock.Instant]>([:])

    init(postgres: PGPool, logger: Logger, cacheLifetime: Duration = .seconds(5)) {
        self.postgres = postgres
        self.logger = logger
        self.cacheLifetime = cacheLifetime
    }

    /// Whether `presented` has the form of one of these keys (so other bearer values are not looked up).
    static func looksLikeKey(_ presented: String) -> Bool {
        presented.hasPrefix(secretPrefix) && presented.utf8.count > secretPrefix.utf8.count + 20
    }

    /// The usable key with this secret, or nil (unknown, revoked or expired).
    func authenticate(_ presented: String, now: Date = Date()) async throws -> Key? {
        let digest = PasswordHash.sha256Hex(Array(presented.utf8))
        let cached = cache.withLock { entries -> Key?? in
            guard let entry = entries[digest], entry.until > .now else { return nil }
            return .some(entry.key)
        }
        let key: Key?
        if let cached {
            key = cached
        } else {
            key = try await postgres.query(
                """
                SELECT id::text, name, prefix, scopes, created_at, created_by, expires_at, revoked_at, last_used_at,
                requests_per_second
                FROM csms.api_keys WHERE secret_sha256 = decode(\(digest), 'hex')
                """
            ).rows.first.map(Self.decode)
            cache.withLock { $0[digest] = (key, .now + cacheLifetime) }
        }
        guard let key, key.isUsable(at: now) else { return nil }
        touch(key.id)
        return key
    }

    /// A new key: the stored record and the secret, which is never available again.
    func create(
        name: String, scopes: Set<APIScope>, expiresAt: Date?, createdBy: String, requestsPerSecond: Int? = nil
    ) async throws -> (
        Key, secret: String
    ) {
        let secret = Self.secretPrefix + (try PasswordHash.randomToken(bytes: 32))
        let prefix = String(secret.prefix(Self.secretPrefix.count + 8))
        let digest = PasswordHash.sha256Hex(Array(secret.utf8))
        let scopeNames = scopes.sorted().map(\.rawValue)
        let row = try await postgres.query(
            """
            INSERT INTO csms.api_keys (name, prefix, secret_sha256, scopes, expires_at, created_by, requests_per_second)
            VALUES (\(name), \(prefix), decode(\(digest), 'hex'), \(scopeNames)::text[], \(expiresAt), \(createdBy),
                \(requestsPerSecond))
            RETURNING id::text, name, prefix, scopes, created_at, created_by, expires_at, revoked_at, last_used_at,
                requests_per_second
            """
        ).rows[0]
        return (try Self.decode(row), secret)
    }

    func list() async throws -> [Key] {
        try await postgres.query(
            """
            SELECT id::text, name, prefix, scopes, created_at, created_by, expires_at, revoked_at, last_used_at,
                requests_per_second
            FROM csms.api_keys ORDER BY created_at, id
            """
        ).rows.map(Self.decode)
    }

    func key(id: String) async throws -> Key? {
        guard UUID(uuidString: id) != nil else { return nil }
        return try await postgres.query(
            """
            SELECT id::text, name, prefix, scopes, created_at, created_by, expires_at, revoked_at, last_used_at,
                requests_per_second
            FROM csms.api_keys WHERE id = \(id)::uuid
            """
        ).rows.first.map(Self.decode)
    }

    /// Revokes a key (at once in this process); nil when there is no such key.
    func revoke(id: String) async throws -> Key? {
        guard UUID(uuidString: id) != nil else { return nil }
        let key = try await postgres.query(
            """
            UPDATE csms.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = \(id)::uuid
            RETURNING id::text, name, prefix, scopes, created_at, created_by, expires_at, revoked_at, last_used_at,
                requests_per_second
            """
        ).rows.first.map(Self.decode)
        if key != nil { cache.withLock { $0.removeAll() } }
        return key
    }

    /// Records the key's use, at most once a minute, without delaying the request.
    private func touch(_ id: String) {
        let due = lastTouched.withLock { touched -> Bool in
            if let last = touched[id], ContinuousClock.now - last < .seconds(60) { return false }
            touched[id] = .now
            return true
        }
        guard due else { return }
        let postgres = self.postgres
        let logger = self.logger
        Task {
            do {
                try await postgres.execute("UPDATE csms.api_keys SET last_used_at = now() WHERE id = \(id)::uuid")
            } catch {
                logger.warning("could not record an API key's last use", metadata: ["error": "\(error)"])
            }
        }
    }

    private static func decode(_ row: PGRow) throws -> Key {
        let (id, name, prefix, scopes, createdAt, createdBy, expiresAt, revokedAt, lastUsedAt, rate) = try row.decode(
            (String, String, String, [String], Date, String, Date?, Date?, Date?, Int?).self)
        return Key(
            id: id, name: name, prefix: prefix, scopes: Set(scopes.compactMap(APIScope.init(rawValue:))),
            createdAt: createdAt, createdBy: createdBy, expiresAt: expiresAt, revokedAt: revokedAt,
            lastUsedAt: lastUsedAt, requestsPerSecond: rate)
    }
}
