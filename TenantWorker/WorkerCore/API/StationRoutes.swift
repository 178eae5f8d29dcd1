// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import OCPPRPC
import Postgres

/// `/api/v1/stations`: the tenant's charging stations, their EVSEs and connectors, registration
/// (accepting a pending station, setting its password) and remote commands.
///
/// Stations are named by their identity (the last segment of the OCPP connection URL). Reads need
/// the `read` scope, changes `write`, commands `commands`. A station's answers carry an `ETag`;
/// `PATCH` must send it back in `If-Match` (see ``ETag``).
struct StationRoutes: Sendable {
    let runtime: OCPPRuntime
    let postgres: PGPool

    var store: any ChargingStore { runtime.store }

    func register(on api: RouterGroup<TenantRequestContext>) {
        api.get("stations") { request, context in
            try context.require(.read)
            return try await list(request)
        }
        api.post("stations") { request, context in
            try context.require(.write)
            return try await create(request)
        }
        api.get("stations/{id}") { _, context in
            try context.require(.read)
            return try await detail(try context.parameters.require("id"))
        }
        api.patch("stations/{id}") { request, context in
            try context.require(.write)
            return try await update(request, identity: try context.parameters.require("id"))
        }
        api.delete("stations/{id}") { request, context in
            try context.require(.write)
            return try await delete(request, identity: try context.parameters.require("id"))
        }
        api.get("stations/{id}/evses") { _, context in
            try context.require(.read)
            let identity = try context.parameters.require("id")
            guard let station = try await Self.station(postgres, identity: identity) else {
                throw ProblemDocument.notFound("no station \(identity)")
            }
            let evses = try await evses(station)
            return JSONBody(["items": .array(evses), "next_cursor": .null])
        }
        api.post("stations/{id}/commands/{command}") { request, context in
            let principal = try context.require(.commands)
            return try await command(
                request, principal: principal, identity: try context.parameters.require("id"),
                action: try context.parameters.require("command"))
        }
    }

    // MARK: Reading

    /// The orders `GET /stations` offers: by identity (default), most recently seen first (never
    /// seen last), newest first.
    enum Sort: String, CaseIterable {
        case identity
        case lastSeen = "-last_seen_at"
        case created = "-created_at"
    }

    func list(_ request: Request) async throws -> JSONBody {
        let query = request.uri.queryParameters
        let sort = try PageRequest.sort(request, default: Sort.identity)
        let page = try PageRequest.parse(request, sort: sort.rawValue)
        var sql = KeysetSQL("SELECT \(StationRow.columns), ")
        switch sort {
        case .identity: sql.append("s.identity")
        case .lastSeen: sql.append(KeysetSQL.timestampKey("coalesce(s.last_seen_at, '-infinity')"))
        case .created: sql.append(KeysetSQL.timestampKey("s.created_at"))
        }
        sql.append(" FROM csms.stations s WHERE true")
        if let text = query.get("status") {
            guard let status = RegistrationStatus(rawValue: String(text)) else {
                throw ProblemDocument.badRequest("'status' must be accepted, pending or rejected")
            }
            sql.append(" AND s.registration_status = ?", status.rawValue)
        }
        let connected = Set(await runtime.registry.all().map(\.identity))
        if let text = query.get("connected") {
            guard text == "true" || text == "false" else {
                throw ProblemDocument.badRequest("'connected' must be true or false")
            }
            // Connections live in this worker's memory, not in the database: the filter hands the
            // connected identities to the query, so paging stays in SQL.
            sql.append(
                text == "true" ? " AND s.identity = ANY(?::text[])" : " AND s.identity <> ALL(?::text[])",
                connected.sorted())
        }
        if let prefix = try KeysetSQL.text(query.get("q"), name: "q") {
            sql.append(" AND starts_with(s.identity, ?::text)", prefix)
        }
        if let vendor = try KeysetSQL.text(query.get("vendor"), name: "vendor") {
            sql.append(" AND lower(s.vendor) = lower(?::text)", vendor)
        }
        if let model = try KeysetSQL.text(query.get("model"), name: "model") {
            sql.append(" AND lower(s.model) = lower(?::text)", model)
        }
        switch sort {
        case .identity:
            if let after = page.after {
                guard after.count == 1, !after[0].utf8.contains(0) else { throw KeysetSQL.badCursor }
                sql.append(" AND s.identity > ?::text", after[0])
            }
            sql.append(" ORDER BY s.identity")
        case .lastSeen, .created:
            let key = sort == .lastSeen ? "coalesce(s.last_seen_at, '-infinity')" : "s.created_at"
            if let after = page.after {
                let (at, id) = try KeysetSQL.timestampCursor(after)
                sql.append(" AND (\(key), s.id) < (?::timestamptz, ?::bigint)", at, id)
            }
            sql.append(" ORDER BY \(key) DESC, s.id DESC")
        }
        sql.append(" LIMIT ?", page.limit + 1)
        let result = try await postgres.query(sql.query)
        var rows: [(item: JSONValue, key: [String])] = []
        for row in result {
            let station = try StationRow(row)
            let key = try row.decode(String.self, column: StationRow.columnCount)
            rows.append(
                (
                    .object(station.json(connected: connected.contains(station.identity))),
                    sort == .identity ? [key] : [key, String(station.pk)]
                ))
        }
        return PageRequest.page(rows, limit: page.limit, sort: sort.rawValue)
    }

    /// The station with its live connector statuses (`connectors`, as reported), its EVSEs and
    /// connectors as stored with the newest known status (`evses`), and an `ETag`.
    func detail(_ identity: String) async throws -> Response {
        guard let station = try await Self.station(postgres, identity: identity) else {
            throw ProblemDocument.notFound("no station \(identity)")
        }
        var object = station.json(connected: await runtime.registry.isConnected(identity))
        let live = await liveStatuses(identity)
        object["connectors"] = .array(
            live.map { status in
                var c: JSONObject = [
                    "evse_id": .integer(Int64(status.evseId)), "connector_id": .integer(Int64(status.connectorId)),
                    "status": .string(status.status), "timestamp": .string(OCPPDateTime.format(status.timestamp)),
                ]
                c["error_code"] = status.errorCode.map(JSONValue.string)
                c["info"] = status.info.map(JSONValue.string)
                c["vendor_error_code"] = status.vendorErrorCode.map(JSONValue.string)
                return .object(c)
            })
        object["evses"] = .array(try await evses(station, live: live))
        if let status = station.status {
            var s: JSONObject = ["status": .string(status)]
            s["timestamp"] = station.statusAt.map { .string(OCPPDateTime.format($0)) }
            s["error_code"] = station.statusErrorCode.map(JSONValue.string)
            object["station_status"] = .object(s)
        }
        return ETag.response(JSONBody(.object(object)), etag: station.etag)
    }

    /// Live statuses from Redis; none when Redis does not answer (the stored ones still show).
    private func liveStatuses(_ identity: String) async -> [ConnectorStatus] {
        let statuses = (try? await store.liveStatuses(identity: identity)) ?? []
        return statuses.sorted { ($0.evseId, $0.connectorId) < ($1.evseId, $1.connectorId) }
    }

    /// The station's EVSEs with their connectors. A connector's status is the newer of the stored
    /// one and the live one: the stored copy survives a Redis loss, the live one may be newer.
    func evses(_ station: StationRow, live: [ConnectorStatus]? = nil) async throws -> [JSONValue] {
        var statuses = live ?? []
        if live == nil { statuses = await liveStatuses(station.identity) }
        let result = try await postgres.query(
            """
            SELECT e.evse_id, e.created_at, c.connector_id, c.connector_type, c.max_power_w, c.status, c.status_at,
                c.error_code, c.status_info, c.vendor_error_code
            FROM csms.evses e LEFT JOIN csms.connectors c ON c.tenant_id = e.tenant_id AND c.evse_pk = e.id
            WHERE e.station_id = \(station.pk)
            ORDER BY e.evse_id, c.connector_id
            """)
        var evses: [(id: Int, object: JSONObject, connectors: [JSONValue])] = []
        for row in result {
            let evseID = try row.decode(Int.self, column: 0)
            if evses.last?.id != evseID {
                evses.append(
                    (
                        evseID,
                        [
                            "evse_id": .integer(Int64(evseID)),
                            "created_at": .string(OCPPDateTime.format(try row.decode(Date.self, column: 1))),
                        ], []
                    ))
            }
            guard let connectorID = try row.decode(Int?.self, column: 2) else { continue }
            var c: JSONObject = ["connector_id": .integer(Int64(connectorID))]
            c["connector_type"] = try row.decode(String?.self, column: 3).map(JSONValue.string)
            c["max_power_w"] = try row.decode(Int?.self, column: 4).map { .integer(Int64($0)) }
            var status = try row.decode(String?.self, column: 5)
            var statusAt = try row.decode(Date?.self, column: 6)
            var errorCode = try row.decode(String?.self, column: 7)
            var info = try row.decode(String?.self, column: 8)
            var vendorErrorCode = try row.decode(String?.self, column: 9)
            if let now = statuses.first(where: { $0.evseId == evseID && $0.connectorId == connectorID }),
                statusAt.map({ now.timestamp >= $0 }) ?? true
            {
                (status, statusAt, errorCode, info, vendorErrorCode) = (
                    now.status, now.timestamp, now.errorCode, now.info, now.vendorErrorCode
                )
            }
            c["status"] = status.map(JSONValue.string)
            c["status_at"] = statusAt.map { .string(OCPPDateTime.format($0)) }
            c["error_code"] = errorCode.map(JSONValue.string)
            c["info"] = info.map(JSONValue.string)
            c["vendor_error_code"] = vendorErrorCode.map(JSONValue.string)
            evses[evses.count - 1].connectors.append(.object(c))
        }
        return evses.map { evse in
            var object = evse.object
            object["connectors"] = .array(evse.connectors)
            return .object(object)
        }
    }

    static func station(
        _ sql: some StationQuerying, identity: String, lock: Bool = false
    ) async throws
        -> StationRow?
    {
        // No station has a NUL in its identity, and PostgreSQL text cannot even hold one.
        guard !identity.utf8.contains(0) else { return nil }
        let result = try await sql.query(
            PGQuery(
                sql: "SELECT \(StationRow.columns) FROM csms.stations s WHERE s.identity = $1"
                    + (lock ? " FOR UPDATE" : ""),
                binds: [identity]))
        return try result.first.map(StationRow.init)
    }

    // MARK: Changing

    /// `POST /stations`: creates a station (201) or updates the registration status and password of
    /// an existing one (200).
    func create(_ request: Request) async throws -> Response {
        let body = try await request.jsonObject()
        var problems = Problems()
        problems.refuseUnknown(body, allowed: ["identity", "registration_status", "password"])
        let identity = body.string("identity")
        if let identity {
            if let error = ConnectionRequest.validate(identity: identity) {
                problems.add("identity", error.description)
            }
        } else {
            problems.add("identity", "required: a string")
        }
        var status = RegistrationStatus.accepted
        if body["registration_status"] != nil {
            if let given = body.string("registration_status").flatMap(RegistrationStatus.init(rawValue:)) {
                status = given
            } else {
                problems.add("registration_status", "must be accepted, pending or rejected")
            }
        }
        let password = problems.password(body)
        try problems.check()
        guard let identity else { throw ProblemDocument.badRequest("'identity' is required") }
        let hash = try await password.asyncMap { try await runtime.authenticator.hash($0) }
        let before = try await Self.station(postgres, identity: identity)
        let station = try await store.upsertStation(identity: identity, registrationStatus: status, passwordHash: hash)
        guard let after = try await Self.station(postgres, identity: station.identity) else {
            throw ProblemDocument(status: .conflict, detail: "station \(identity) was deleted while it was being saved")
        }
        AuditLog.recordChange(before: before?.auditJSON(), after: after.auditJSON(passwordChanged: hash != nil))
        return ETag.response(
            JSONBody(
                status: before == nil ? .created : .ok,
                .object(after.json(connected: await runtime.registry.isConnected(identity)))),
            etag: after.etag)
    }

    /// `PATCH /stations/{id}`: `registration_status` (accept a pending station) and `password`.
    /// Needs `If-Match`; the row is locked while the tag is compared, so two operators changing the
    /// same station cannot both win.
    func update(_ request: Request, identity: String) async throws -> Response {
        let body = try await request.jsonObject()
        var problems = Problems()
        problems.refuseUnknown(body, allowed: ["registration_status", "password"])
        var status: RegistrationStatus?
        if body["registration_status"] != nil {
            status = body.string("registration_status").flatMap(RegistrationStatus.init(rawValue:))
            if status == nil { problems.add("registration_status", "must be accepted, pending or rejected") }
        }
        let password = problems.password(body)
        try problems.check()
        // 404, 428 and a stale tag are answered before the password is hashed (slow on purpose);
        // the tag is compared again under the row lock below.
        guard let current = try await Self.station(postgres, identity: identity) else {
            throw ProblemDocument.notFound("no station \(identity)")
        }
        try ETag.check(request, current: current.etag)
        let hash = try await password.asyncMap { try await runtime.authenticator.hash($0) }
        let (before, after) = try await postgres.transaction { conn -> (StationRow, StationRow) in
            guard let before = try await Self.station(conn, identity: identity, lock: true) else {
                throw ProblemDocument.notFound("no station \(identity)")
            }
            try ETag.check(request, current: before.etag)
            guard status != nil || hash != nil else { return (before, before) }
            // updated_at moves forward even within one microsecond, so the ETag always changes.
            let result = try await conn.query(
                PGQuery(
                    sql: """
                        UPDATE csms.stations s SET registration_status = coalesce($1, s.registration_status),
                            password_hash = coalesce($2, s.password_hash),
                            updated_at = greatest(clock_timestamp(), s.updated_at + interval '1 microsecond')
                        WHERE s.id = $3
                        RETURNING \(StationRow.columns)
                        """, binds: [status?.rawValue, hash, before.pk]))
            guard let row = result.first else { throw ProblemDocument.notFound("no station \(identity)") }
            return (before, try StationRow(row))
        }
        AuditLog.recordChange(before: before.auditJSON(), after: after.auditJSON(passwordChanged: hash != nil))
        return ETag.response(
            JSONBody(.object(after.json(connected: await runtime.registry.isConnected(identity)))), etag: after.etag)
    }

    /// `DELETE /stations/{id}`: removes the station with its EVSEs, connectors, transactions and
    /// meter values (the schema cascades), closes its connection and forgets its live status.
    /// `If-Match` is optional here; when sent, it must match.
    func delete(_ request: Request, identity: String) async throws -> Response {
        let removed = try await postgres.transaction { conn -> StationRow in
            guard let station = try await Self.station(conn, identity: identity, lock: true) else {
                throw ProblemDocument.notFound("no station \(identity)")
            }
            if request.headers[.ifMatch] != nil {
                try ETag.check(request, current: station.etag)
            }
            try await conn.execute("DELETE FROM csms.stations WHERE id = \(station.pk)")
            return station
        }
        AuditLog.recordChange(before: removed.auditJSON(), after: nil)
        // A station that reconnects is then unknown: refused, or registered as pending again,
        // as the tenant's `unknown_stations` says.
        if let connection = await runtime.registry.connection(identity) {
            await connection.close(code: 1000, reason: "station removed by the operator")
        }
        if let redisStore = store as? PostgresChargingStore {
            try? await redisStore.clearLiveStatuses(identity: identity)
        }
        return Response(status: .noContent)
    }

    // MARK: Commands

    /// `POST /stations/{id}/commands/{command}`: sends an OCPP CALL to a connected station and
    /// returns its answer. The command is the OCPP action name of the station's protocol version
    /// and the body its request payload, checked against the official schema before anything is
    /// sent. With `Idempotency-Key`, a retry of the same request gets the first answer and the
    /// station gets the command once (see ``Idempotency``).
    func command(
        _ request: Request, principal: Principal, identity: String, action: String
    ) async throws
        -> Response
    {
        guard let key = request.headers[Idempotency.keyField] else {
            let prepared = try await prepareCommand(try await request.jsonObject(), identity: identity, action: action)
            return await sendCommand(prepared).response()
        }
        guard Idempotency.isValid(key: key) else {
            throw ProblemDocument.badRequest("'Idempotency-Key' must be 1 to 255 printable ASCII characters")
        }
        var request = request
        let bytes = try await Idempotency.collectBody(&request)
        return try await Idempotency.run(
            store: IdempotencyStore(postgres: postgres), principal: principal, key: key,
            fingerprint: Idempotency.fingerprint(method: "POST", path: request.uri.path, body: bytes),
            staleAfter: runtime.settings.responseTimeout + .seconds(60)
        ) {
            // Refusals before the CALL leaves (unknown station, not connected, bad payload) throw:
            // nothing happened, so the key is released and may be used again.
            let prepared = try await prepareCommand(try await request.jsonObject(), identity: identity, action: action)
            return await sendCommand(prepared)
        }.response()
    }

    struct PreparedCommand {
        let connection: StationConnection
        let action: String
        let payload: JSONObject
    }

    func prepareCommand(_ payload: JSONObject, identity: String, action: String) async throws -> PreparedCommand {
        guard try await Self.station(postgres, identity: identity) != nil else {
            throw ProblemDocument.notFound("no station \(identity)")
        }
        guard let connection = await runtime.registry.connection(identity) else {
            throw ProblemDocument(status: .conflict, detail: "station \(identity) is not connected")
        }
        let version = connection.version
        let allowed = runtime.catalog.commands(version)
        guard allowed.contains(action) else {
            throw ProblemDocument(
                status: .badRequest,
                detail:
                    "\(action) is not a command for \(version.rawValue) stations; use one of \(allowed.sorted().joined(separator: ", "))"
            )
        }
        if let schema = runtime.catalog.requestSchema(version, action), let violation = schema.validate(payload) {
            throw ProblemDocument(
                status: .unprocessableContent,
                detail:
                    "the \(action) payload does not match the OCPP \(version.rawValue) schema: \(violation.message)",
                extensions: [
                    "pointer": .string(violation.path),
                    "ocpp_error_code": .string(violation.code.wireName(for: version)),
                ])
        }
        return PreparedCommand(connection: connection, action: action, payload: payload)
    }

    /// Sends the CALL and turns whatever happened into the answer: 200 with the station's
    /// CALLRESULT, 502 for a CALLERROR, 504 without an answer in time, 503 when the connection
    /// failed.
    func sendCommand(_ command: PreparedCommand) async -> IdempotentAnswer {
        let (connection, action) = (command.connection, command.action)
        let version = connection.version
        let identity = connection.identity
        let problem: ProblemDocument
        switch await connection.call(action: action, payload: command.payload) {
        case .result(let response):
            return IdempotentAnswer(
                status: .ok,
                body: JSONValue.object(["action": .string(action), "response": .object(response)])
                    .serialized())
        case .error(let code, let description, let details):
            problem = ProblemDocument(
                status: .badGateway, title: "Station answered with an error",
                detail: "station \(identity) answered \(action) with \(code.wireName(for: version)): \(description)",
                extensions: [
                    "ocpp_error_code": .string(code.wireName(for: version)), "ocpp_error_details": .object(details),
                ])
        case .timeout:
            problem = ProblemDocument(
                status: .gatewayTimeout,
                detail: "station \(identity) did not answer \(action) within \(runtime.settings.responseTimeout)")
        case .failed(let reason):
            problem = ProblemDocument(
                status: .serviceUnavailable, detail: "\(action) could not be completed: \(reason)",
                headers: [.retryAfter: "5"])
        }
        return IdempotentAnswer(problem)
    }
}

/// What the station queries run on: the pool, or one connection inside a transaction.
protocol StationQuerying: Sendable {
    func query(_ query: PGQuery) async throws -> PGResult
}

extension PGPool: StationQuerying {}
extension PGConnection: StationQuerying {}

/// One row of `csms.stations` as the API shows it (never the password hash: only whether one is set).
struct StationRow: Sendable, Equatable {
    static let columns = """
        s.id, s.identity, s.registration_status, s.password_hash IS NOT NULL, s.ocpp_version, s.vendor, s.model, \
        s.serial_number, s.firmware_version, s.iccid, s.imsi, s.last_boot_at, s.last_seen_at, s.created_at, \
        s.updated_at, s.status, s.status_at, s.status_error_code
        """
    static let columnCount = 18

    var pk: Int64
    var identity: String
    var registrationStatus: String
    var passwordSet: Bool
    var ocppVersion: String?
    var vendor: String?
    var model: String?
    var serialNumber: String?
    var firmwareVersion: String?
    var iccid: String?
    var imsi: String?
    var lastBootAt: Date?
    var lastSeenAt: Date?
    var createdAt: Date
    var updatedAt: Date
    var status: String?
    var statusAt: Date?
    var statusErrorCode: String?

    init(_ row: PGRow) throws {
        pk = try row.decode(Int64.self, column: 0)
        identity = try row.decode(String.self, column: 1)
        registrationStatus = try row.decode(String.self, column: 2)
        passwordSet = try row.decode(Bool.self, column: 3)
        ocppVersion = try row.decode(String?.self, column: 4)
        vendor = try row.decode(String?.self, column: 5)
        model = try row.decode(String?.self, column: 6)
        serialNumber = try row.decode(String?.self, column: 7)
        firmwareVersion = try row.decode(String?.self, column: 8)
        iccid = try row.decode(String?.self, column: 9)
        imsi = try row.decode(String?.self, column: 10)
        lastBootAt = try row.decode(Date?.self, column: 11)
        lastSeenAt = try row.decode(Date?.self, column: 12)
        createdAt = try row.decode(Date.self, column: 13)
        updatedAt = try row.decode(Date.self, column: 14)
        status = try row.decode(String?.self, column: 15)
        statusAt = try row.decode(Date?.self, column: 16)
        statusErrorCode = try row.decode(String?.self, column: 17)
    }

    var etag: String { ETag.of(updatedAt: updatedAt, id: pk) }

    /// The API representation (`connected` is this worker's live view).
    func json(connected: Bool) -> JSONObject {
        var o: JSONObject = [
            "identity": .string(identity), "registration_status": .string(registrationStatus),
            "connected": .bool(connected), "password_set": .bool(passwordSet),
            "created_at": .string(OCPPDateTime.format(createdAt)),
            "updated_at": .string(OCPPDateTime.format(updatedAt)),
        ]
        o["ocpp_version"] = ocppVersion.map(JSONValue.string)
        o["vendor"] = vendor.map(JSONValue.string)
        o["model"] = model.map(JSONValue.string)
        o["serial_number"] = serialNumber.map(JSONValue.string)
        o["firmware_version"] = firmwareVersion.map(JSONValue.string)
        o["iccid"] = iccid.map(JSONValue.string)
        o["imsi"] = imsi.map(JSONValue.string)
        o["last_boot_at"] = lastBootAt.map { .string(OCPPDateTime.format($0)) }
        o["last_seen_at"] = lastSeenAt.map { .string(OCPPDateTime.format($0)) }
        return o
    }

    /// The stored configuration for the audit log's before/after: no connection state, never the
    /// password or its hash; a new password shows as `"password": "changed"`.
    func auditJSON(passwordChanged: Bool = false) -> JSONValue {
        var o = json(connected: false)
        o["connected"] = nil
        if passwordChanged { o["password"] = .string("changed") }
        return .object(o)
    }
}

extension StationRoutes {
    /// Everything wrong with a request body, reported at once: 422 with `errors: [{field, detail}]`.
    struct Problems {
        private(set) var errors: [(field: String, detail: String)] = []

        mutating func add(_ field: String, _ detail: String) {
            errors.append((field, detail))
        }

        /// Members outside `allowed` (read-only ones included) are named, never silently dropped.
        mutating func refuseUnknown(_ body: JSONObject, allowed: Set<String>) {
            for key in body.keys where !allowed.contains(key) {
                add(key, "unknown or read-only member; allowed: \(allowed.sorted().joined(separator: ", "))")
            }
        }

        /// `password`, when present: OCPP security profiles 1 and 2 use 16 to 40 characters (1.6
        /// security white paper A00.FR.204/205; 2.0.1 BasicAuthPassword).
        mutating func password(_ body: JSONObject) -> String? {
            guard body["password"] != nil else { return nil }
            guard let password = body.string("password"), (16...40).contains(password.count),
                password.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline && $0 != "\u{7F}" && $0 >= " " })
            else {
                add("password", "must be 16 to 40 printable ASCII characters without spaces")
                return nil
            }
            return password
        }

        func check() throws {
            guard !errors.isEmpty else { return }
            throw ProblemDocument(
                status: .unprocessableContent,
                detail: errors.map { "'\($0.field)': \($0.detail)" }.joined(separator: "; "),
                extensions: [
                    "errors": .array(
                        errors.map { .object(["field": .string($0.field), "detail": .string($0.detail)]) })
                ])
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
