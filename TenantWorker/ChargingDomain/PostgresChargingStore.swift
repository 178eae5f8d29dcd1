// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation
public import Logging
public import Postgres
public import Redis
import Synchronization

/// ``ChargingStore`` on PostgreSQL (durable state) and Redis (live connector status).
///
/// The pool must be logged in as the tenant's own role: row-level security then scopes every
/// statement to the tenant, and no statement here names a tenant. Redis keys all start with
/// `t:<slug>:`, the only keys the tenant's ACL user may touch.
///
/// Round trips: MeterValues and a TransactionEvent without an id token are one statement each; a
/// 1.6 StartTransaction/StopTransaction is a short transaction under a per-station advisory lock.
public final class PostgresChargingStore: ChargingStore {
    let postgres: PGPool
    let redis: RedisClient
    public let tenantSlug: String
    let logger: Logger
    /// The current time for token expiry checks (a parameter so tests can fix it).
    let now: @Sendable () -> Date
    /// `touch` writes `last_seen_at` at most once per this many seconds and station.
    let touchInterval: TimeInterval
    /// The `at` of the last `last_seen_at` write per station (see ``touch(station:at:)``).
    private let lastTouch = Mutex<[Int64: Date]>([:])
    /// The plan's maximum number of stations (nil: no limit); see ``recordBoot(station:info:at:)``.
    let stationLimit: Int?

    public init(
        postgres: PGPool, redis: RedisClient, tenantSlug: String, logger: Logger, touchInterval: TimeInterval = 30,
        stationLimit: Int? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.stationLimit = stationLimit
        self.postgres = postgres
        self.redis = redis
        self.tenantSlug = tenantSlug
        var logger = logger
        logger[metadataKey: "tenant.slug"] = "\(tenantSlug)"
        self.logger = logger
        self.touchInterval = touchInterval
        self.now = now
    }

    // MARK: Stations

    static let stationColumns = """
        id, identity, registration_status, password_hash, ocpp_version, vendor, model, serial_number, \
        firmware_version, last_boot_at, last_seen_at, created_at
        """

    static func decodeStation(_ row: PGRow) throws -> StationRecord {
        let status = try row.decode(String.self, column: 2)
        return StationRecord(
            pk: try row.decode(Int64.self, column: 0), identity: try row.decode(String.self, column: 1),
            registrationStatus: RegistrationStatus(rawValue: status) ?? .pending,
            passwordHash: try row.decode(String?.self, column: 3), ocppVersion: try row.decode(String?.self, column: 4),
            vendor: try row.decode(String?.self, column: 5), model: try row.decode(String?.self, column: 6),
            serialNumber: try row.decode(String?.self, column: 7),
            firmwareVersion: try row.decode(String?.self, column: 8),
            lastBootAt: try row.decode(Date?.self, column: 9), lastSeenAt: try row.decode(Date?.self, column: 10),
            createdAt: try row.decode(Date.self, column: 11))
    }

    public func station(identity: String) async throws -> StationRecord? {
        let result = try await postgres.query(
            PGQuery(sql: "SELECT \(Self.stationColumns) FROM csms.stations WHERE identity = $1", binds: [identity]))
        return try result.first.map(Self.decodeStation)
    }

    public func registerPendingStation(identity: String, passwordHash: String?) async throws -> StationRecord {
        let inserted = try await postgres.query(
            PGQuery(
                sql: """
                    INSERT INTO csms.stations (identity, registration_status, password_hash)
                    VALUES ($1, 'pending', $2)
                    ON CONFLICT (tenant_id, identity) DO NOTHING
                    RETURNING \(Self.stationColumns)
                    """, binds: [identity, passwordHash]))
        if let row = inserted.first {
            logger.info("registered unknown station as pending", metadata: ["station.id": "\(identity)"])
            return try Self.decodeStation(row)
        }
        // Another connection created it first.
        guard let existing = try await station(identity: identity) else {
            throw ChargingStoreError(.unknownStation, "station \(identity) was neither inserted nor found")
        }
        return existing
    }

    /// A nil `passwordHash` keeps the stored one (the REST API changes the status without
    /// resending the password).
    public func upsertStation(
        identity: String, registrationStatus: RegistrationStatus, passwordHash: String?
    )
        async throws -> StationRecord
    {
        let result = try await postgres.query(
            PGQuery(
                sql: """
                    INSERT INTO csms.stations AS s (identity, registration_status, password_hash)
                    VALUES ($1, $2, $3)
                    ON CONFLICT (tenant_id, identity) DO UPDATE SET
                        registration_status = EXCLUDED.registration_status,
                        password_hash = coalesce(EXCLUDED.password_hash, s.password_hash), updated_at = now()
                    RETURNING \(Self.stationColumns)
                    """, binds: [identity, registrationStatus.rawValue, passwordHash]))
        guard let row = result.first else {
            throw ChargingStoreError(.unknownStation, "upsert of station \(identity) returned no row")
        }
        return try Self.decodeStation(row)
    }

    /// Stations ordered by identity; `limit` is clamped to 1...10000.
    public func listStations(limit: Int) async throws -> [StationRecord] {
        let limit = min(max(limit, 1), 10_000)
        let result = try await postgres.query(
            PGQuery(
                sql: "SELECT \(Self.stationColumns) FROM csms.stations ORDER BY identity LIMIT $1", binds: [limit]))
        return try result.map(Self.decodeStation)
    }

    public func recordBoot(station: Int64, info: BootInfo, at: Date) async throws -> RegistrationStatus {
        let result = try await postgres.query(
            """
            UPDATE csms.stations SET ocpp_version = \(info.ocppVersion), vendor = \(info.vendor),
                model = \(info.model), serial_number = \(info.serialNumber),
                firmware_version = \(info.firmwareVersion), iccid = \(info.iccid), imsi = \(info.imsi),
                last_boot_at = \(at)::timestamptz, last_seen_at = greatest(last_seen_at, \(at)::timestamptz),
                updated_at = now()
            WHERE id = \(station)
            RETURNING registration_status
            """)
        guard let row = result.first else {
            throw ChargingStoreError(.unknownStation, "BootNotification for station \(station), which does not exist")
        }
        lastTouch.withLock { $0[station] = at }
        let status = RegistrationStatus(rawValue: try row.decode(String.self, column: 0)) ?? .pending
        if status == .accepted, let limit = stationLimit {
            // The plan admits the first `limit` accepted stations (in the order they were created);
            // a station beyond them is told Rejected at every boot until the plan grows or another
            // station is removed. The station row and its boot data are kept.
            let ahead = try await postgres.query(
                """
                SELECT count(*)::bigint FROM csms.stations
                WHERE registration_status = 'accepted' AND id < \(station)
                """)
            let rank = try ahead.first.map { try $0.decode(Int64.self, column: 0) } ?? 0
            if rank >= Int64(limit) {
                logger.notice(
                    "BootNotification rejected: the tenant's plan allows \(limit) stations and this one is beyond them",
                    metadata: ["station.pk": "\(station)", "plan.max_stations": "\(limit)"])
                return .rejected
            }
        }
        return status
    }

    /// Writes `last_seen_at` only when the last write for this station (by this store) was at least
    /// `touchInterval` earlier: every inbound message calls this, and a row update per message
    /// would double the write load of MeterValues. `last_seen_at` never moves backwards.
    public func touch(station: Int64, at: Date) async throws {
        let due = lastTouch.withLock { map -> Bool in
            if let last = map[station], abs(at.timeIntervalSince(last)) < touchInterval { return false }
            map[station] = at
            return true
        }
        guard due else { return }
        do {
            try await postgres.execute(
                """
                UPDATE csms.stations SET last_seen_at = greatest(last_seen_at, \(at)::timestamptz)
                WHERE id = \(station)
                """)
        } catch {
            // The next message tries again.
            lastTouch.withLock { map in
                if map[station] == at { map[station] = nil }
            }
            throw error
        }
    }

    // MARK: Authorization

    public func authorize(token: String, type: String?, at: Date) async throws -> AuthorizationResult {
        try await Self.lookUpToken(postgres, token: token, type: type, at: at, concurrency: nil)
    }

    /// Which other transactions make a token `ConcurrentTx`: active ones other than this station's
    /// transaction on `connector` (1.6) or with `remoteID` (2.0.1).
    enum ConcurrencyScope {
        case connector(station: Int64, evseID: Int)
        case transaction(station: Int64, remoteID: String)
    }

    /// The token's status at `at` (``evaluate(status:expiresAt:parentToken:at:)``), with `ConcurrentTx`
    /// for an accepted token that has another active transaction when `concurrency` is given.
    /// A nil `type` matches any type (OCPP 1.6 idTags carry none); with several rows the `Central`
    /// one wins, then the type names in order, so the answer is stable.
    static func lookUpToken(
        _ sql: some SQLRunner, token: String, type: String?, at: Date, concurrency: ConcurrencyScope?
    ) async throws -> AuthorizationResult {
        let station: Int64?
        let evseID: Int?
        let remoteID: String?
        switch concurrency {
        case nil: (station, evseID, remoteID) = (nil, nil, nil)
        case .connector(let s, let e): (station, evseID, remoteID) = (s, e, nil)
        case .transaction(let s, let r): (station, evseID, remoteID) = (s, nil, r)
        }
        // The parent token is the group token of a token group the token belongs to at `at` (both
        // the membership's and the group's validity windows; the latest joined group wins).
        // Outside every window the token has no group: a parent_token that names one of its
        // groups (the group API writes it there) is then not sent; any other is sent as stored.
        let result = try await sql.query(
            """
            SELECT k.status, k.expires_at,
                coalesce(
                    (SELECT g.group_token FROM csms.token_group_members m
                     JOIN csms.token_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
                     WHERE m.tenant_id = k.tenant_id AND m.token_id = k.id
                       AND coalesce(m.valid_from <= \(at)::timestamptz, true)
                       AND coalesce(m.valid_until > \(at)::timestamptz, true)
                       AND coalesce(g.valid_from <= \(at)::timestamptz, true)
                       AND coalesce(g.valid_until > \(at)::timestamptz, true)
                     ORDER BY m.created_at DESC, m.group_id DESC LIMIT 1),
                    CASE WHEN EXISTS (
                        SELECT 1 FROM csms.token_group_members m
                        JOIN csms.token_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
                        WHERE m.tenant_id = k.tenant_id AND m.token_id = k.id AND g.group_token = k.parent_token)
                    THEN NULL ELSE k.parent_token END),
                CASE WHEN \(station)::bigint IS NULL THEN false ELSE EXISTS (
                    SELECT 1 FROM csms.transactions x
                    WHERE x.status = 'active' AND x.id_token = k.token
                      AND NOT (x.station_id = \(station)::bigint
                               AND (coalesce(x.evse_id = \(evseID)::integer, false)
                                    OR coalesce(x.remote_id = \(remoteID)::text, false))))
                END
            FROM csms.id_tokens k
            WHERE k.token = \(token) AND (\(type)::text IS NULL OR k.token_type = \(type)::text)
            ORDER BY k.token_type = 'Central' DESC, k.token_type
            LIMIT 1
            """)
        guard let row = result.first else { return AuthorizationResult(status: .unknown) }
        var answer = evaluate(
            status: try row.decode(String.self, column: 0), expiresAt: try row.decode(Date?.self, column: 1),
            parentToken: try row.decode(String?.self, column: 2), at: at)
        if answer.status == .accepted, try row.decode(Bool.self, column: 3) {
            answer.status = .concurrentTx
        }
        return answer
    }

    /// The status rules of a stored token: blocked/expired/invalid as stored; accepted but past
    /// `expires_at` is expired. Expiry and parent token are returned with every status.
    static func evaluate(status: String, expiresAt: Date?, parentToken: String?, at: Date) -> AuthorizationResult {
        let result: AuthorizationStatus
        switch status {
        case "accepted":
            if let expiresAt, expiresAt <= at { result = .expired } else { result = .accepted }
        case "blocked": result = .blocked
        case "expired": result = .expired
        default: result = .invalid
        }
        return AuthorizationResult(status: result, expiresAt: expiresAt, parentToken: parentToken)
    }

    // MARK: Tokens

    public func upsertToken(_ token: TokenInput) async throws -> TokenRecord {
        let result = try await postgres.query(
            """
            INSERT INTO csms.id_tokens AS k (token, token_type, status, expires_at, parent_token)
            VALUES (\(token.token), \(token.type), \(token.status), \(token.expiresAt)::timestamptz,
                \(token.parentToken))
            ON CONFLICT (tenant_id, token, token_type) DO UPDATE SET status = EXCLUDED.status,
                expires_at = EXCLUDED.expires_at, parent_token = EXCLUDED.parent_token, updated_at = now()
            RETURNING k.token, k.token_type, k.status, k.expires_at, k.parent_token, k.created_at
            """)
        guard let row = result.first else { throw ChargingStoreError(.unexpected, "token upsert returned no row") }
        return TokenRecord(
            token: try row.decode(String.self, column: 0), type: try row.decode(String.self, column: 1),
            status: try row.decode(String.self, column: 2), expiresAt: try row.decode(Date?.self, column: 3),
            parentToken: try row.decode(String?.self, column: 4), createdAt: try row.decode(Date.self, column: 5))
    }

    // MARK: Helpers

    /// Serialises the 1.6 transaction writes of one station (`pg_advisory_xact_lock`, held until
    /// the transaction ends), so two StartTransaction resends handled at once cannot both insert.
    /// The key includes the tenant so tenants never wait for each other.
    func lockStation(_ conn: PGConnection, _ station: Int64) async throws {
        let key = "csms.station-transactions:\(tenantSlug):\(station)"
        _ = try await conn.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key)::text, 0))")
    }
}

/// A failure of the store that is not a database or Redis error.
public struct ChargingStoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The station primary key or identity does not exist (for this tenant).
        public static let unknownStation = Code("unknownStation")
        /// The database answered in a way that should not happen (no row from an upsert).
        public static let unexpected = Code("unexpected")
        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
