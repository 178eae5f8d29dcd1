// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Hummingbird
import JSON
import OCPPRPC
import Postgres

/// `GET /api/v1/audit-log`: who changed what, when, from where, with what result, and the
/// before/after of configuration changes (csms.audit_log; written by ``AuditMiddleware``).
///
/// Readable by callers who may change the tenant (the `write` scope: operators, administrators,
/// integration keys that write) and by administrators, not by every reader: entries name people
/// and API keys, their addresses and the configuration they set, which a read-only dashboard key
/// or a viewer has no need to see. The caller also needs `read`, like every GET.
struct AuditRoutes: Sendable {
    let postgres: PGPool

    func register(on api: RouterGroup<TenantRequestContext>) {
        api.get("audit-log") { request, context in
            let principal = try context.require(.read)
            try Self.requireAuditReader(principal)
            return try await list(request)
        }
    }

    static func requireAuditReader(_ principal: Principal) throws {
        guard principal.scopes.contains(.write) || principal.managesKeys else {
            throw ProblemDocument(
                status: .forbidden,
                detail: "the audit log is for callers with the 'write' scope and administrators")
        }
    }

    enum Sort: String, CaseIterable {
        case newest = "-at"
        case oldest = "at"
    }

    func list(_ request: Request) async throws -> JSONBody {
        let query = request.uri.queryParameters
        let sort = try PageRequest.sort(request, default: Sort.newest)
        let page = try PageRequest.parse(request, sort: sort.rawValue)
        var sql = KeysetSQL(
            """
            SELECT a.id, a.at, a.actor_kind, a.actor, a.actor_name, a.role, a.action, a.target, a.client_address,
                a.status, a.request_id, a.before::text, a.after::text, \(KeysetSQL.timestampKey("a.at"))
            FROM csms.audit_log a WHERE true
            """)
        if let actor = try KeysetSQL.text(query.get("actor"), name: "actor") {
            // The key id or user subject, or the name shown for it (key name, e-mail).
            sql.append(" AND (a.actor = ?::text OR a.actor_name = ?::text)", actor, actor)
        }
        if let action = try KeysetSQL.text(query.get("action"), name: "action") {
            // Actions are "METHOD /route" and never contain '+', so a '+' is the space of a
            // form-encoded query (what most HTTP client libraries send), not a literal.
            sql.append(" AND starts_with(a.action, ?::text)", action.replacingOccurrences(of: "+", with: " "))
        }
        if let from = try KeysetSQL.time(query.get("from"), name: "from") {
            sql.append(" AND a.at >= ?::timestamptz", from)
        }
        if let to = try KeysetSQL.time(query.get("to"), name: "to") {
            sql.append(" AND a.at < ?::timestamptz", to)
        }
        let descending = sort == .newest
        if let after = page.after {
            let (at, id) = try KeysetSQL.timestampCursor(after)
            sql.append(" AND (a.at, a.id) \(descending ? "<" : ">") (?::timestamptz, ?::bigint)", at, id)
        }
        sql.append(descending ? " ORDER BY a.at DESC, a.id DESC" : " ORDER BY a.at, a.id")
        sql.append(" LIMIT ?", page.limit + 1)
        var rows: [(item: JSONValue, key: [String])] = []
        for row in try await postgres.query(sql.query) {
            let id = try row.decode(Int64.self, column: 0)
            var o: JSONObject = [
                "id": .integer(id), "at": .string(OCPPDateTime.format(try row.decode(Date.self, column: 1))),
                "actor_kind": .string(try row.decode(String.self, column: 2)),
                "actor": .string(try row.decode(String.self, column: 3)),
            ]
            o["actor_name"] = try row.decode(String?.self, column: 4).map(JSONValue.string) ?? .null
            o["role"] = try row.decode(String?.self, column: 5).map(JSONValue.string) ?? .null
            o["action"] = .string(try row.decode(String.self, column: 6))
            o["target"] = try row.decode(String?.self, column: 7).map(JSONValue.string) ?? .null
            o["client_address"] = try row.decode(String?.self, column: 8).map(JSONValue.string) ?? .null
            o["status"] = try row.decode(Int?.self, column: 9).map { .integer(Int64($0)) } ?? .null
            o["request_id"] = try row.decode(String?.self, column: 10).map(JSONValue.string) ?? .null
            o["before"] = try Self.json(row.decode(String?.self, column: 11))
            o["after"] = try Self.json(row.decode(String?.self, column: 12))
            rows.append((.object(o), [try row.decode(String.self, column: 13), String(id)]))
        }
        return PageRequest.page(rows, limit: page.limit, sort: sort.rawValue)
    }

    /// A stored jsonb value as JSON (null when absent).
    private static func json(_ text: String?) throws -> JSONValue {
        guard let text else { return .null }
        return try JSONValue.parse(text)
    }
}
