// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Hummingbird
import JSON
import OCPPRPC
import Postgres

/// `/api/v1/transactions`: charging sessions as the stations reported them, and their meter values.
/// Everything here is read-only (`read` scope): transactions are written by the OCPP handlers only.
struct TransactionRoutes: Sendable {
    let postgres: PGPool

    func register(on api: RouterGroup<TenantRequestContext>) {
        api.get("transactions") { request, context in
            try context.require(.read)
            return try await list(request)
        }
        api.get("transactions/{id}") { _, context in
            try context.require(.read)
            return try await detail(try context.parameters.require("id"))
        }
        api.get("transactions/{id}/meter-values") { request, context in
            try context.require(.read)
            return try await meterValues(request, id: try context.parameters.require("id"))
        }
    }

    /// Newest first (default) or oldest first, by start time; a transaction without a start time
    /// (an orphan stop) by the time it was recorded.
    enum Sort: String, CaseIterable {
        case newest = "-started_at"
        case oldest = "started_at"
    }

    static let startKey = "coalesce(t.started_at, t.created_at)"

    func list(_ request: Request) async throws -> JSONBody {
        let query = request.uri.queryParameters
        let sort = try PageRequest.sort(request, default: Sort.newest)
        let page = try PageRequest.parse(request, sort: sort.rawValue)
        var sql = KeysetSQL(
            "SELECT \(TransactionRow.columns), \(KeysetSQL.timestampKey(Self.startKey)) \(TransactionRow.from) WHERE true"
        )
        if let station = try KeysetSQL.text(query.get("station"), name: "station") {
            sql.append(" AND s.identity = ?::text", station)
        }
        if let status = query.get("status") {
            guard ["active", "completed", "orphan"].contains(status) else {
                throw ProblemDocument.badRequest("'status' must be active, completed or orphan")
            }
            sql.append(" AND t.status = ?::text", String(status))
        }
        if let token = try KeysetSQL.text(query.get("id_token"), name: "id_token") {
            sql.append(" AND t.id_token = ?::text", token)
        }
        if let from = try KeysetSQL.time(query.get("from"), name: "from") {
            sql.append(" AND t.started_at >= ?::timestamptz", from)
        }
        if let to = try KeysetSQL.time(query.get("to"), name: "to") {
            sql.append(" AND t.started_at < ?::timestamptz", to)
        }
        let descending = sort == .newest
        if let after = page.after {
            let (at, id) = try KeysetSQL.timestampCursor(after)
            sql.append(
                " AND (\(Self.startKey), t.id) \(descending ? "<" : ">") (?::timestamptz, ?::bigint)", at, id)
        }
        sql.append(descending ? " ORDER BY \(Self.startKey) DESC, t.id DESC" : " ORDER BY \(Self.startKey), t.id")
        sql.append(" LIMIT ?", page.limit + 1)
        var rows: [(item: JSONValue, key: [String])] = []
        for row in try await postgres.query(sql.query) {
            let transaction = try TransactionRow(row)
            let key = try row.decode(String.self, column: TransactionRow.columnCount)
            rows.append((.object(transaction.json()), [key, String(transaction.pk)]))
        }
        return PageRequest.page(rows, limit: page.limit, sort: sort.rawValue)
    }

    /// One transaction with all its meter values in time order (as before pagination existed;
    /// `/meter-values` pages through them).
    func detail(_ id: String) async throws -> JSONBody {
        guard let pk = Int64(id), pk > 0 else { throw ProblemDocument.notFound("no transaction \(id)") }
        let results = try await postgres.pipeline([
            PGQuery(sql: "SELECT \(TransactionRow.columns) \(TransactionRow.from) WHERE t.id = $1", binds: [pk]),
            PGQuery(
                sql: """
                    SELECT \(MeterValueRow.columns) FROM csms.meter_values m WHERE m.transaction_id = $1
                    ORDER BY m.sampled_at, m.measurand, m.phase NULLS FIRST, m.id
                    """, binds: [pk]),
        ])
        guard let row = results[0].first else { throw ProblemDocument.notFound("no transaction \(id)") }
        var object = try TransactionRow(row).json()
        object["meter_values"] = .array(try results[1].map { JSONValue.object(try MeterValueRow($0).json()) })
        return JSONBody(.object(object))
    }

    /// `GET /transactions/{id}/meter-values`: the samples in (sampled_at, id) order, optionally of
    /// one measurand.
    func meterValues(_ request: Request, id: String) async throws -> JSONBody {
        guard let pk = Int64(id), pk > 0 else { throw ProblemDocument.notFound("no transaction \(id)") }
        let query = request.uri.queryParameters
        let sort = "sampled_at"
        if let given = query.get("sort"), given != sort {
            throw ProblemDocument.badRequest("'sort' must be sampled_at (the only order of meter values)")
        }
        let page = try PageRequest.parse(request, sort: sort)
        let exists = try await postgres.query("SELECT 1 FROM csms.transactions WHERE id = \(pk)")
        guard !exists.isEmpty else { throw ProblemDocument.notFound("no transaction \(id)") }
        var sql = KeysetSQL(
            "SELECT \(MeterValueRow.columns), \(KeysetSQL.timestampKey("m.sampled_at")) FROM csms.meter_values m"
                + " WHERE m.transaction_id = ?::bigint", pk)
        if let measurand = try KeysetSQL.text(query.get("measurand"), name: "measurand") {
            sql.append(" AND m.measurand = ?::text", measurand)
        }
        if let after = page.after {
            let (at, id) = try KeysetSQL.timestampCursor(after)
            sql.append(" AND (m.sampled_at, m.id) > (?::timestamptz, ?::bigint)", at, id)
        }
        sql.append(" ORDER BY m.sampled_at, m.id LIMIT ?", page.limit + 1)
        var rows: [(item: JSONValue, key: [String])] = []
        for row in try await postgres.query(sql.query) {
            let sample = try MeterValueRow(row)
            let key = try row.decode(String.self, column: MeterValueRow.columnCount)
            rows.append((.object(sample.json()), [key, String(sample.id)]))
        }
        return PageRequest.page(rows, limit: page.limit, sort: sort)
    }
}

/// One row of `csms.transactions` with its station's identity.
struct TransactionRow: Sendable {
    static let columns = """
        t.id, s.identity, t.remote_id, t.evse_id, t.connector_id, t.id_token, t.id_token_type, t.status, \
        t.started_at, t.stopped_at, t.meter_start_wh::float8, t.meter_stop_wh::float8, t.stop_reason, \
        t.charging_state, t.offline, t.created_at, t.updated_at
        """
    static let columnCount = 17
    static let from =
        "FROM csms.transactions t JOIN csms.stations s ON s.tenant_id = t.tenant_id AND s.id = t.station_id"

    var pk: Int64
    var station: String
    var remoteID: String
    var evseID: Int?
    var connectorID: Int?
    var idToken: String?
    var idTokenType: String?
    var status: String
    var startedAt: Date?
    var stoppedAt: Date?
    var meterStartWh: Double?
    var meterStopWh: Double?
    var stopReason: String?
    var chargingState: String?
    var offline: Bool
    var createdAt: Date
    var updatedAt: Date

    init(_ row: PGRow) throws {
        pk = try row.decode(Int64.self, column: 0)
        station = try row.decode(String.self, column: 1)
        remoteID = try row.decode(String.self, column: 2)
        evseID = try row.decode(Int?.self, column: 3)
        connectorID = try row.decode(Int?.self, column: 4)
        idToken = try row.decode(String?.self, column: 5)
        idTokenType = try row.decode(String?.self, column: 6)
        status = try row.decode(String.self, column: 7)
        startedAt = try row.decode(Date?.self, column: 8)
        stoppedAt = try row.decode(Date?.self, column: 9)
        meterStartWh = try row.decode(Double?.self, column: 10)
        meterStopWh = try row.decode(Double?.self, column: 11)
        stopReason = try row.decode(String?.self, column: 12)
        chargingState = try row.decode(String?.self, column: 13)
        offline = try row.decode(Bool.self, column: 14)
        createdAt = try row.decode(Date.self, column: 15)
        updatedAt = try row.decode(Date.self, column: 16)
    }

    func json() -> JSONObject {
        var o: JSONObject = [
            "id": .integer(pk), "station": .string(station), "remote_id": .string(remoteID),
            "status": .string(status),
        ]
        o["evse_id"] = evseID.map { .integer(Int64($0)) }
        o["connector_id"] = connectorID.map { .integer(Int64($0)) }
        o["id_token"] = idToken.map(JSONValue.string)
        o["id_token_type"] = idTokenType.map(JSONValue.string)
        o["started_at"] = startedAt.map { .string(OCPPDateTime.format($0)) }
        o["stopped_at"] = stoppedAt.map { .string(OCPPDateTime.format($0)) }
        o["meter_start_wh"] = meterStartWh.map(JSONValue.number)
        o["meter_stop_wh"] = meterStopWh.map(JSONValue.number)
        if let start = meterStartWh, let stop = meterStopWh {
            o["energy_wh"] = .number(stop - start)
        }
        o["stop_reason"] = stopReason.map(JSONValue.string)
        o["charging_state"] = chargingState.map(JSONValue.string)
        o["offline"] = .bool(offline)
        o["created_at"] = .string(OCPPDateTime.format(createdAt))
        o["updated_at"] = .string(OCPPDateTime.format(updatedAt))
        return o
    }
}

/// One sample of `csms.meter_values`.
struct MeterValueRow: Sendable {
    static let columns = "m.id, m.sampled_at, m.measurand, m.phase, m.unit, m.context, m.location, m.value, m.evse_id"
    static let columnCount = 9

    var id: Int64
    var sampledAt: Date
    var measurand: String
    var phase: String?
    var unit: String?
    var context: String?
    var location: String?
    var value: Double
    var evseID: Int?

    init(_ row: PGRow) throws {
        id = try row.decode(Int64.self, column: 0)
        sampledAt = try row.decode(Date.self, column: 1)
        measurand = try row.decode(String.self, column: 2)
        phase = try row.decode(String?.self, column: 3)
        unit = try row.decode(String?.self, column: 4)
        context = try row.decode(String?.self, column: 5)
        location = try row.decode(String?.self, column: 6)
        value = try row.decode(Double.self, column: 7)
        evseID = try row.decode(Int?.self, column: 8)
    }

    func json() -> JSONObject {
        var m: JSONObject = [
            "sampled_at": .string(OCPPDateTime.format(sampledAt)), "measurand": .string(measurand),
            "value": .number(value),
        ]
        m["phase"] = phase.map(JSONValue.string)
        m["unit"] = unit.map(JSONValue.string)
        m["context"] = context.map(JSONValue.string)
        m["location"] = location.map(JSONValue.string)
        m["evse_id"] = evseID.map { .integer(Int64($0)) }
        return m
    }
}

/// A list query put together from constant SQL fragments (which filters apply, which order), every
/// value a bind parameter: only the shape varies, never with request text. A query per shape lets
/// PostgreSQL plan the keyset condition against the index instead of around `$n IS NULL OR …`.
struct KeysetSQL {
    private(set) var sql: String
    private(set) var binds: [(any PGEncodable)?] = []

    /// `fragment` with each `?` bound to the next of `values`.
    init(_ fragment: String, _ values: (any PGEncodable)?...) {
        sql = ""
        appendValues(fragment, values)
    }

    mutating func append(_ fragment: String, _ values: (any PGEncodable)?...) {
        appendValues(fragment, values)
    }

    private mutating func appendValues(_ fragment: String, _ values: [(any PGEncodable)?]) {
        var remaining = values[...]
        for character in fragment {
            guard character == "?" else {
                sql.append(character)
                continue
            }
            binds.append(remaining.popFirst() ?? nil)
            sql += "$\(binds.count)"
        }
        assert(remaining.isEmpty, "more values than placeholders in \(fragment)")
    }

    var query: PGQuery { PGQuery(sql: sql, binds: binds) }

    static let badCursor = ProblemDocument.badRequest(
        "'cursor' is malformed; use the next_cursor of the previous page")

    /// SQL rendering a `timestamptz` expression as exact cursor text: UTC with microseconds (the
    /// precision PostgreSQL stores, so no row is skipped or repeated at a page boundary), or
    /// `-infinity`/`infinity`. PostgreSQL reads either back with `::timestamptz`.
    static func timestampKey(_ expression: String) -> String {
        "CASE WHEN isfinite(\(expression)) THEN to_char((\(expression)) AT TIME ZONE 'UTC', "
            + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') ELSE (\(expression))::text END"
    }

    /// The (time, id) a cursor continues after, checked before it reaches SQL.
    static func timestampCursor(_ after: [String]) throws -> (String, Int64) {
        guard after.count == 2, let id = Int64(after[1]),
            ["-infinity", "infinity"].contains(after[0]) || OCPPDateTime.parse(after[0]) != nil
        else { throw badCursor }
        return (after[0], id)
    }

    /// A text filter: PostgreSQL text cannot hold NUL, so one is a 400 here rather than a failed
    /// statement.
    static func text(_ value: (some StringProtocol)?, name: String) throws -> String? {
        guard let value else { return nil }
        guard !value.utf8.contains(0) else { throw ProblemDocument.badRequest("'\(name)' must not contain NUL") }
        return String(value)
    }

    /// A time filter (`from`, `to`): RFC 3339, else 400.
    static func time(_ text: (some StringProtocol)?, name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = OCPPDateTime.parse(String(text)) else {
            throw ProblemDocument.badRequest("'\(name)' must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z")
        }
        return date
    }
}
