// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres

/// The tenant's id tokens (`csms.id_tokens`, migration 0003) as the REST API reads and writes them,
/// through the tenant's own database role: row-level security scopes every statement to the tenant.
struct TokenStore: Sendable {
    struct Token: Sendable, Equatable {
        var id: Int64
        var token: String
        var type: String
        var status: String
        var expiresAtMillis: Int64?
        var parentToken: String?
        var createdAt: Date
        var updatedAt: Date
        /// `updated_at` in microseconds since 1970, exact (the keyset of `sort=-updated_at`).
        var version: Int64
    }

    struct Filter: Sendable, Equatable {
        var status: String?
        var type: String?
        /// Tokens starting with this text.
        var prefix: String?
        /// Members of this group.
        var group: Int64?
    }

    enum Sort: String, Sendable, CaseIterable {
        case token
        case updatedDescending = "-updated_at"
    }

    /// The changes of a PATCH: nil leaves a field as it is, `.some(nil)` clears it.
    struct Changes: Sendable, Equatable {
        var status: String?
        var expiresAtMillis: Int64??
        var parentToken: String??
    }

    enum Outcome: Sendable, Equatable {
        case done(Token)
        case notFound
        /// The row's current version did not match `If-Match` (the current row is returned).
        case stale(Token)
    }

    let postgres: PGPool

    static let columns = """
        SELECT k.id, k.token, k.token_type, k.status, (extract(epoch FROM k.expires_at) * 1000)::bigint,
            k.parent_token, k.created_at, k.updated_at, (extract(epoch FROM k.updated_at) * 1000000)::bigint
        FROM csms.id_tokens k
        """

    static func decode(_ row: PGRow) throws -> Token {
        Token(
            id: try row.decode(Int64.self, column: 0), token: try row.decode(String.self, column: 1),
            type: try row.decode(String.self, column: 2), status: try row.decode(String.self, column: 3),
            expiresAtMillis: try row.decode(Int64?.self, column: 4),
            parentToken: try row.decode(String?.self, column: 5),
            createdAt: try row.decode(Date.self, column: 6), updatedAt: try row.decode(Date.self, column: 7),
            version: try row.decode(Int64.self, column: 8))
    }

    /// `updated_at` moves on every change, by at least a microsecond, so an entity tag made from it
    /// changes even when two writes fall within one clock tick.
    static let touch = "updated_at = greatest(clock_timestamp(), k.updated_at + interval '1 microsecond')"

    /// A new token; nil when one with the same token and type exists.
    func create(_ row: TokenInputRow) async throws -> Token? {
        let sql = """
            WITH k AS (
                INSERT INTO csms.id_tokens (token, token_type, status, expires_at, parent_token)
                VALUES ($1, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 millisecond', $5)
                ON CONFLICT (tenant_id, token, token_type) DO NOTHING
                RETURNING *)
            """ + Self.columns.replacingOccurrences(of: "FROM csms.id_tokens k", with: "FROM k")
        let result = try await postgres.query(
            PGQuery(sql: sql, binds: [row.token, row.type, row.status, row.expiresAtMillis, row.parentToken]))
        return try result.first.map(Self.decode)
    }

    func token(id: Int64) async throws -> Token? {
        try await postgres.query(PGQuery(sql: Self.columns + " WHERE k.id = $1", binds: [id])).first.map(Self.decode)
    }

    /// One page of tokens after `after` (the key of the last row of the previous page: token and
    /// type, or version and id), at most `limit` rows.
    func list(_ filter: Filter, sort: Sort, after: [String]?, limit: Int) async throws -> [Token] {
        var conditions: [String] = []
        var binds: [(any PGEncodable)?] = []
        func bind(_ value: any PGEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let status = filter.status { conditions.append("k.status = \(bind(status))") }
        if let type = filter.type { conditions.append("k.token_type = \(bind(type))") }
        if let prefix = filter.prefix { conditions.append("starts_with(k.token, \(bind(prefix)))") }
        if let group = filter.group {
            conditions.append(
                "EXISTS (SELECT 1 FROM csms.token_group_members m WHERE m.token_id = k.id AND m.group_id = \(bind(group)))"
            )
        }
        let order: String
        switch sort {
        case .token:
            if let after, after.count == 2 {
                conditions.append("(k.token, k.token_type) > (\(bind(after[0]))::text, \(bind(after[1]))::text)")
            }
            order = "ORDER BY k.token, k.token_type"
        case .updatedDescending:
            if let after, after.count == 2, let version = Int64(after[0]), let id = Int64(after[1]) {
                conditions.append(
                    "(k.updated_at, k.id) < (timestamptz 'epoch' + \(bind(version))::bigint * interval '1 microsecond', "
                        + "\(bind(id))::bigint)")
            }
            order = "ORDER BY k.updated_at DESC, k.id DESC"
        }
        let filterSQL = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = Self.columns + filterSQL + " " + order + " LIMIT \(bind(limit))"
        return try await postgres.query(PGQuery(sql: sql, binds: binds)).map(Self.decode)
    }

    /// The key a page continues after, for ``list(_:sort:after:limit:)``.
    static func key(_ token: Token, sort: Sort) -> [String] {
        switch sort {
        case .token: return [token.token, token.type]
        case .updatedDescending: return [String(token.version), String(token.id)]
        }
    }

    /// Applies `changes` when `matches` accepts the current row (the `If-Match` check), in one
    /// transaction with the row locked, so two concurrent PATCHes cannot both pass the check.
    func update(id: Int64, _ changes: Changes, matches: (Token) -> Bool) async throws -> Outcome {
        try await postgres.transaction { conn in
            guard
                let current = try await conn.query(
                    PGQuery(sql: Self.columns + " WHERE k.id = $1 FOR UPDATE", binds: [id])
                ).first.map(Self.decode)
            else { return .notFound }
            guard matches(current) else { return .stale(current) }
            let status = changes.status ?? current.status
            let expires = changes.expiresAtMillis ?? current.expiresAtMillis
            let parent = changes.parentToken ?? current.parentToken
            guard status != current.status || expires != current.expiresAtMillis || parent != current.parentToken
            else { return .done(current) }
            let sql = """
                WITH k AS (
                    UPDATE csms.id_tokens k SET status = $2,
                        expires_at = timestamptz 'epoch' + $3::bigint * interval '1 millisecond',
                        parent_token = $4, \(Self.touch)
                    WHERE k.id = $1
                    RETURNING *)
                """ + Self.columns.replacingOccurrences(of: "FROM csms.id_tokens k", with: "FROM k")
            let row = try await conn.query(PGQuery(sql: sql, binds: [id, status, expires, parent])).first
            return try row.map { .done(try Self.decode($0)) } ?? .notFound
        }
    }

    /// Deletes the token (and its group memberships) when `matches` accepts it.
    func delete(id: Int64, matches: (Token) -> Bool) async throws -> Outcome {
        try await postgres.transaction { conn in
            guard
                let current = try await conn.query(
                    PGQuery(sql: Self.columns + " WHERE k.id = $1 FOR UPDATE", binds: [id])
                ).first.map(Self.decode)
            else { return .notFound }
            guard matches(current) else { return .stale(current) }
            try await conn.execute("DELETE FROM csms.id_tokens WHERE id = \(id)")
            return .done(current)
        }
    }

    // MARK: Bulk import

    /// Rows per INSERT: each statement carries five array parameters, so the size is bounded by
    /// memory, not by the protocol's 65,535 parameters; 10,000 keeps each statement's parameter
    /// buffer under a megabyte.
    static let importChunk = 10_000

    /// Inserts or updates `rows` in one transaction, a few large statements rather than one per row
    /// (row-level security rules out COPY FROM): each statement unnests five arrays into
    /// `INSERT … ON CONFLICT (tenant_id, token, token_type) DO UPDATE`. A token that exists is
    /// updated in the columns its row gives, and only when something differs. Returns how many
    /// tokens were new and how many were changed; the rest were already as given.
    func upsert(_ rows: [TokenInputRow]) async throws -> (inserted: Int, updated: Int) {
        // Rows of one file normally share their columns (CSV: always); JSON objects may differ.
        var groups: [TokenColumns: [Int]] = [:]
        for (i, row) in rows.enumerated() { groups[row.given, default: []].append(i) }
        return try await postgres.transaction { conn in
            var inserted = 0
            var updated = 0
            for (given, indices) in groups.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let sql = Self.upsertSQL(given)
                var start = 0
                while start < indices.count {
                    let slice = indices[start..<min(start + Self.importChunk, indices.count)]
                    start += Self.importChunk
                    var tokens: [String?] = []
                    var types: [String?] = []
                    var statuses: [String?] = []
                    var expires: [Int64?] = []
                    var parents: [String?] = []
                    tokens.reserveCapacity(slice.count)
                    types.reserveCapacity(slice.count)
                    statuses.reserveCapacity(slice.count)
                    expires.reserveCapacity(slice.count)
                    parents.reserveCapacity(slice.count)
                    for i in slice {
                        let row = rows[i]
                        tokens.append(row.token)
                        types.append(row.type)
                        statuses.append(row.status)
                        expires.append(row.expiresAtMillis)
                        parents.append(row.parentToken)
                    }
                    let result = try await conn.query(
                        PGQuery(
                            sql: sql,
                            binds: [
                                NullableArrayParameter(tokens), NullableArrayParameter(types),
                                NullableArrayParameter(statuses),
                                NullableArrayParameter(expires), NullableArrayParameter(parents),
                            ]))
                    if let counts = result.first {
                        inserted += try counts.decode(Int.self, column: 0)
                        updated += try counts.decode(Int.self, column: 1)
                    }
                }
            }
            return (inserted, updated)
        }
    }

    /// The upsert statement for rows giving `given`: the update sets (and compares) only those
    /// columns. Built from constant fragments only; every value is a bind parameter.
    static func upsertSQL(_ given: TokenColumns) -> String {
        var assignments: [String] = []
        var compared: [String] = []
        for (column, name) in [
            (TokenColumns.status, "status"), (.expiresAt, "expires_at"), (.parentToken, "parent_token"),
        ] where given.contains(column) {
            assignments.append("\(name) = EXCLUDED.\(name)")
            compared.append(name)
        }
        let conflict: String
        if assignments.isEmpty {
            conflict = "DO NOTHING"
        } else {
            conflict = """
                DO UPDATE SET \(assignments.joined(separator: ", ")), \(touch)
                    WHERE (\(compared.map { "k.\($0)" }.joined(separator: ", ")))
                        IS DISTINCT FROM (\(compared.map { "EXCLUDED.\($0)" }.joined(separator: ", ")))
                """
        }
        // `xmax = 0` holds for a row this statement inserted and not for one it updated (the
        // usual way to tell the two apart in INSERT … ON CONFLICT … RETURNING).
        return """
            WITH written AS (
                INSERT INTO csms.id_tokens AS k (token, token_type, status, expires_at, parent_token)
                SELECT u.token, u.token_type, u.status, timestamptz 'epoch' + u.expires_ms * interval '1 millisecond',
                    u.parent_token
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
                    AS u (token, token_type, status, expires_ms, parent_token)
                ON CONFLICT (tenant_id, token, token_type) \(conflict)
                RETURNING k.xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written
            """
    }

    // MARK: Export

    /// One page of every token in export order (token, then type) after `after` (token, type).
    func exportPage(after: (token: String, type: String)?, limit: Int) async throws -> [Token] {
        if let after {
            return try await postgres.query(
                PGQuery(
                    sql: Self.columns
                        + " WHERE (k.token, k.token_type) > ($1::text, $2::text) ORDER BY k.token, k.token_type LIMIT $3",
                    binds: [after.token, after.type, limit])
            ).map(Self.decode)
        }
        return try await postgres.query(
            PGQuery(sql: Self.columns + " ORDER BY k.token, k.token_type LIMIT $1", binds: [limit])
        ).map(Self.decode)
    }
}

/// A one-dimensional PostgreSQL array parameter whose elements may be NULL (array input syntax,
/// PostgreSQL docs §8.15.6): every element double-quoted with `"` and `\` escaped.
struct NullableArrayParameter<Element: PGEncodable & CustomStringConvertible>: PGEncodable {
    var elements: [Element?]

    init(_ elements: [Element?]) {
        self.elements = elements
    }

    func encode(into encoder: inout PGEncoder) {
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        encoder.write(byte: UInt8(ascii: "{"))
        var first = true
        for element in elements {
            if !first { encoder.write(byte: UInt8(ascii: ",")) }
            first = false
            guard let element else {
                encoder.write("NULL")
                continue
            }
            let text = element.description
            encoder.write(byte: quote)
            if text.utf8.contains(where: { $0 == quote || $0 == backslash }) {
                for byte in text.utf8 {
                    if byte == quote || byte == backslash { encoder.write(byte: backslash) }
                    encoder.write(byte: byte)
                }
            } else {
                encoder.write(text)
            }
            encoder.write(byte: quote)
        }
        encoder.write(byte: UInt8(ascii: "}"))
    }
}
