// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import OCPPRPC
import Postgres

/// `/api/v1/groups`: groups of id tokens (an enterprise, a fleet, a family) and their members.
///
/// A group has its own token, `group_token`: what stations are told as the member's OCPP 1.6
/// `parentIdTag` / 2.0.1 `groupIdToken` (OCPP 2.0.1 C01: tokens of one group may stop each other's
/// transactions). Adding a member sets the member token's `parent_token` to the group token and
/// removing it clears it (or falls back to another group of the token), so every reader of
/// `id_tokens` sees the link; Authorize answers additionally check the membership's and the
/// group's validity window at the moment they answer (PostgresChargingStore.lookUpToken).
struct GroupRoutes: Sendable {
    let store: GroupStore

    init(postgres: PGPool) {
        self.store = GroupStore(postgres: postgres)
    }

    static let kinds = ["enterprise", "fleet", "family"]

    func register(on api: RouterGroup<TenantRequestContext>) {
        api.get("groups") { request, context in
            try context.require(.read)
            return try await list(request)
        }
        api.post("groups") { request, context in
            try context.require(.write)
            return try await create(request)
        }
        api.get("groups/{id}") { _, context in
            try context.require(.read)
            let group = try await find(try context.parameters.require("id"))
            return ETag.response(JSONBody(.object(Self.json(group))), etag: Self.etag(group))
        }
        api.patch("groups/{id}") { request, context in
            try context.require(.write)
            return try await update(request, id: try context.parameters.require("id"))
        }
        api.delete("groups/{id}") { request, context in
            try context.require(.write)
            let text = try context.parameters.require("id")
            let outcome = try await store.delete(id: try TokenRoutes.id(text, "group")) { current in
                request.headers[.ifMatch] == nil || (try? ETag.check(request, current: Self.etag(current))) != nil
            }
            _ = try Self.answer(outcome, request: request, id: text)
            return Response(status: .noContent)
        }
        api.post("groups/{id}/members") { request, context in
            try context.require(.write)
            return try await addMember(request, group: try context.parameters.require("id"))
        }
        api.get("groups/{id}/members") { request, context in
            try context.require(.read)
            return try await members(request, group: try context.parameters.require("id"))
        }
        api.delete("groups/{id}/members/{token_id}") { _, context in
            try context.require(.write)
            let group = try context.parameters.require("id")
            let token = try context.parameters.require("token_id")
            switch try await store.removeMember(
                group: try TokenRoutes.id(group, "group"), token: try TokenRoutes.id(token, "member"))
            {
            case .noGroup: throw ProblemDocument.notFound("no group \(group)")
            case .noMember: throw ProblemDocument.notFound("id token \(token) is not a member of group \(group)")
            case .removed: return Response(status: .noContent)
            }
        }
    }

    // MARK: Groups

    static func etag(_ group: GroupStore.Group) -> String {
        ETag.of(updatedAt: group.updatedAt, id: group.id)
    }

    static func time(_ millis: Int64?) -> JSONValue {
        millis.map { .string(TokenRules.format(millis: $0)) } ?? .null
    }

    static func json(_ g: GroupStore.Group) -> JSONObject {
        [
            "id": .integer(g.id), "name": .string(g.name), "kind": .string(g.kind),
            "group_token": .string(g.groupToken), "valid_from": time(g.validFromMillis),
            "valid_until": time(g.validUntilMillis), "member_count": .integer(Int64(g.memberCount)),
            "created_at": .string(OCPPDateTime.format(g.createdAt)),
            "updated_at": .string(OCPPDateTime.format(g.updatedAt)),
        ]
    }

    func find(_ text: String) async throws -> GroupStore.Group {
        guard let group = try await store.group(id: try TokenRoutes.id(text, "group")) else {
            throw ProblemDocument.notFound("no group \(text)")
        }
        return group
    }

    /// Reads `valid_from` / `valid_until` style members: absent nil, null `.some(nil)`.
    static func time(
        _ body: JSONObject, _ key: String, into problems: inout [TokenFieldProblem]
    ) -> Int64?? {
        guard let text = TokenRoutes.text(body, key, into: &problems) else { return nil }
        guard let text else { return .some(nil) }
        guard let millis = TokenRules.millis(text) else {
            problems.append(TokenFieldProblem(field: key, detail: "must be an RFC 3339 date-time or null"))
            return nil
        }
        return .some(millis)
    }

    static func window(_ from: Int64?, _ until: Int64?, into problems: inout [TokenFieldProblem]) {
        if let from, let until, until <= from {
            problems.append(TokenFieldProblem(field: "valid_until", detail: "must be after valid_from"))
        }
    }

    /// The group fields of a POST (`creating`: name, kind and group_token required) or PATCH body.
    static func fields(_ body: JSONObject, creating: Bool) -> (GroupStore.Changes, [TokenFieldProblem]) {
        var problems = TokenRoutes.unknownMembers(
            body, allowed: ["name", "kind", "group_token", "valid_from", "valid_until"])
        var changes = GroupStore.Changes()
        if let name = TokenRoutes.text(body, "name", into: &problems) {
            let trimmed = name?.trimmingCharacters(in: .whitespaces) ?? ""
            if trimmed.isEmpty || trimmed.count > 200 {
                problems.append(TokenFieldProblem(field: "name", detail: "must be 1 to 200 characters"))
            } else {
                changes.name = trimmed
            }
        } else if creating, !problems.contains(where: { $0.field == "name" }) {
            problems.append(TokenFieldProblem(field: "name", detail: "is required"))
        }
        if let kind = TokenRoutes.text(body, "kind", into: &problems) {
            if let kind, kinds.contains(kind) {
                changes.kind = kind
            } else {
                problems.append(
                    TokenFieldProblem(field: "kind", detail: "must be one of \(kinds.joined(separator: ", "))"))
            }
        } else if creating, !problems.contains(where: { $0.field == "kind" }) {
            problems.append(TokenFieldProblem(field: "kind", detail: "is required"))
        }
        if let token = TokenRoutes.text(body, "group_token", into: &problems) {
            if let token, let problem = TokenRules.tokenProblem(token) {
                problems.append(TokenFieldProblem(field: "group_token", detail: problem))
            } else if let token {
                changes.groupToken = token
            } else {
                problems.append(TokenFieldProblem(field: "group_token", detail: "must not be null"))
            }
        } else if creating, !problems.contains(where: { $0.field == "group_token" }) {
            problems.append(TokenFieldProblem(field: "group_token", detail: "is required"))
        }
        changes.validFromMillis = time(body, "valid_from", into: &problems)
        changes.validUntilMillis = time(body, "valid_until", into: &problems)
        return (changes, problems)
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await request.jsonObject()
        var (changes, problems) = Self.fields(body, creating: true)
        Self.window(changes.validFromMillis ?? nil, changes.validUntilMillis ?? nil, into: &problems)
        guard problems.isEmpty, let name = changes.name, let kind = changes.kind, let token = changes.groupToken else {
            throw TokenRoutes.invalid(problems)
        }
        let group = try await Self.conflicts {
            try await store.create(
                name: name, kind: kind, groupToken: token, validFrom: changes.validFromMillis ?? nil,
                validUntil: changes.validUntilMillis ?? nil)
        }
        var response = ETag.response(JSONBody(status: .created, .object(Self.json(group))), etag: Self.etag(group))
        response.headers[.location] = "/api/v1/groups/\(group.id)"
        return response
    }

    /// Runs `body`, turning a unique-key violation (another group has the name or the token) into 409.
    static func conflicts<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PGError where error.sqlState == "23505" {
            let what =
                (error.constraintName ?? "").contains("group_token")
                ? "another group has this group_token" : "another group has this name"
            throw ProblemDocument(status: .conflict, detail: what)
        }
    }

    func list(_ request: Request) async throws -> JSONBody {
        let sort = request.uri.queryParameters.get("sort") ?? "name"
        guard sort == "name" else { throw ProblemDocument.badRequest("'sort' must be name") }
        let page = try PageRequest.parse(request, sort: sort)
        var after: (String, Int64)?
        if let key = page.after {
            guard key.count == 2, let id = Int64(key[1]) else { throw PageRequest.malformedCursor }
            after = (key[0], id)
        }
        let groups = try await store.list(after: after, limit: page.limit + 1)
        return PageRequest.page(
            groups.map { (JSONValue.object(Self.json($0)), [$0.name, String($0.id)]) }, limit: page.limit, sort: sort)
    }

    func update(_ request: Request, id text: String) async throws -> Response {
        if request.headers[.ifMatch] == nil { try ETag.check(request, current: "") }
        let id = try TokenRoutes.id(text, "group")
        let body = try await request.jsonObject()
        let (changes, problems) = Self.fields(body, creating: false)
        guard problems.isEmpty else { throw TokenRoutes.invalid(problems) }
        let outcome = try await Self.conflicts {
            try await store.update(id: id, changes) { current in
                (try? ETag.check(request, current: Self.etag(current))) != nil
            }
        }
        return try Self.answer(outcome, request: request, id: text)
    }

    static func answer(_ outcome: GroupStore.Outcome, request: Request, id: String) throws -> Response {
        switch outcome {
        case .notFound:
            throw ProblemDocument.notFound("no group \(id)")
        case .stale(let current):
            try ETag.check(request, current: etag(current))
            throw ProblemDocument(status: .preconditionFailed, detail: "the group changed since you read it")
        case .invalidWindow:
            throw TokenRoutes.invalid([TokenFieldProblem(field: "valid_until", detail: "must be after valid_from")])
        case .done(let group):
            return ETag.response(JSONBody(.object(json(group))), etag: etag(group))
        }
    }

    // MARK: Members

    static func json(_ m: GroupStore.Member) -> JSONObject {
        [
            "token_id": .integer(m.tokenId), "token": .string(m.token), "type": .string(m.type),
            "status": .string(m.status), "valid_from": time(m.validFromMillis), "valid_until": time(m.validUntilMillis),
            "valid_now": .bool(m.validNow), "created_at": .string(OCPPDateTime.format(m.createdAt)),
        ]
    }

    func addMember(_ request: Request, group text: String) async throws -> Response {
        let group = try TokenRoutes.id(text, "group")
        let body = try await request.jsonObject()
        var problems = TokenRoutes.unknownMembers(
            body, allowed: ["token_id", "token", "type", "valid_from", "valid_until"])
        var reference: GroupStore.TokenReference?
        switch (body["token_id"], body["token"]) {
        case (.integer(let id)?, nil):
            reference = .id(id)
        case (nil, .string(let token)?):
            var type: String?
            switch body["type"] {
            case nil, .null?: break
            case .string(let t)? where TokenRules.types.contains(t): type = t
            default:
                problems.append(
                    TokenFieldProblem(
                        field: "type", detail: "must be one of \(TokenRules.types.joined(separator: ", "))"))
            }
            reference = .token(token, type: type)
        default:
            problems.append(
                TokenFieldProblem(
                    field: "token_id",
                    detail: "give the member as 'token_id' (a number) or 'token' (a string), not both"))
        }
        if body["token_id"] != nil, body["type"] != nil {
            problems.append(TokenFieldProblem(field: "type", detail: "goes with 'token', not with 'token_id'"))
        }
        let from = Self.time(body, "valid_from", into: &problems) ?? nil
        let until = Self.time(body, "valid_until", into: &problems) ?? nil
        Self.window(from, until, into: &problems)
        guard problems.isEmpty, let reference else { throw TokenRoutes.invalid(problems) }
        switch try await store.addMember(group: group, token: reference, validFrom: from, validUntil: until) {
        case .noGroup:
            throw ProblemDocument.notFound("no group \(text)")
        case .noToken(let detail):
            throw TokenRoutes.invalid([
                TokenFieldProblem(field: body["token_id"] == nil ? "token" : "token_id", detail: detail)
            ])
        case .duplicate(let tokenId):
            throw ProblemDocument(status: .conflict, detail: "id token \(tokenId) is already a member of group \(text)")
        case .added(let member):
            var response = JSONBody(status: .created, .object(Self.json(member))).response()
            response.headers[.location] = "/api/v1/groups/\(group)/members/\(member.tokenId)"
            return response
        }
    }

    func members(_ request: Request, group text: String) async throws -> JSONBody {
        let group = try TokenRoutes.id(text, "group")
        let sort = request.uri.queryParameters.get("sort") ?? "token"
        guard sort == "token" else { throw ProblemDocument.badRequest("'sort' must be token") }
        let page = try PageRequest.parse(request, sort: sort)
        var after: (String, String)?
        if let key = page.after {
            guard key.count == 2 else { throw PageRequest.malformedCursor }
            after = (key[0], key[1])
        }
        guard let members = try await store.members(group: group, after: after, limit: page.limit + 1) else {
            throw ProblemDocument.notFound("no group \(text)")
        }
        return PageRequest.page(
            members.map { (JSONValue.object(Self.json($0)), [$0.token, $0.type]) }, limit: page.limit, sort: sort)
    }
}

extension JSONBody {
    fileprivate func response() -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}

/// The tenant's token groups (`csms.token_groups`, `csms.token_group_members`, migration 0007).
struct GroupStore: Sendable {
    struct Group: Sendable, Equatable {
        var id: Int64
        var name: String
        var kind: String
        var groupToken: String
        var validFromMillis: Int64?
        var validUntilMillis: Int64?
        var createdAt: Date
        var updatedAt: Date
        var memberCount: Int
    }

    struct Member: Sendable, Equatable {
        var tokenId: Int64
        var token: String
        var type: String
        var status: String
        var validFromMillis: Int64?
        var validUntilMillis: Int64?
        var createdAt: Date
        /// Whether the membership and the group are both within their validity windows now.
        var validNow: Bool
    }

    /// PATCH changes: nil leaves a field, `.some(nil)` clears a validity bound.
    struct Changes: Sendable, Equatable {
        var name: String?
        var kind: String?
        var groupToken: String?
        var validFromMillis: Int64??
        var validUntilMillis: Int64??
    }

    enum Outcome: Sendable, Equatable {
        case done(Group)
        case notFound
        case stale(Group)
        /// The change would end the validity window before it starts.
        case invalidWindow
    }

    enum TokenReference: Sendable, Equatable {
        case id(Int64)
        /// A token value, with its type when the value exists with several types.
        case token(String, type: String?)
    }

    enum AddOutcome: Sendable, Equatable {
        case added(Member)
        case noGroup
        case noToken(String)
        case duplicate(Int64)
    }

    enum RemoveOutcome: Sendable, Equatable {
        case removed, noGroup, noMember
    }

    let postgres: PGPool

    static let columns = """
        SELECT g.id, g.name, g.kind, g.group_token, (extract(epoch FROM g.valid_from) * 1000)::bigint,
            (extract(epoch FROM g.valid_until) * 1000)::bigint, g.created_at, g.updated_at,
            (SELECT count(*) FROM csms.token_group_members m WHERE m.group_id = g.id)
        FROM csms.token_groups g
        """

    static func decode(_ row: PGRow) throws -> Group {
        Group(
            id: try row.decode(Int64.self, column: 0), name: try row.decode(String.self, column: 1),
            kind: try row.decode(String.self, column: 2), groupToken: try row.decode(String.self, column: 3),
            validFromMillis: try row.decode(Int64?.self, column: 4),
            validUntilMillis: try row.decode(Int64?.self, column: 5), createdAt: try row.decode(Date.self, column: 6),
            updatedAt: try row.decode(Date.self, column: 7), memberCount: try row.decode(Int.self, column: 8))
    }

    static let touch = "updated_at = greatest(clock_timestamp(), g.updated_at + interval '1 microsecond')"

    func create(
        name: String, kind: String, groupToken: String, validFrom: Int64?, validUntil: Int64?
    ) async throws
        -> Group
    {
        let result = try await postgres.query(
            """
            INSERT INTO csms.token_groups (name, kind, group_token, valid_from, valid_until)
            VALUES (\(name), \(kind), \(groupToken), timestamptz 'epoch' + \(validFrom)::bigint * interval '1 millisecond',
                timestamptz 'epoch' + \(validUntil)::bigint * interval '1 millisecond')
            RETURNING id
            """)
        guard let id = try result.first?.decode(Int64.self, column: 0), let group = try await group(id: id) else {
            throw PGError(code: .unexpectedResponse, message: "the new group was not found")
        }
        return group
    }

    func group(id: Int64) async throws -> Group? {
        try await postgres.query(PGQuery(sql: Self.columns + " WHERE g.id = $1", binds: [id])).first.map(Self.decode)
    }

    func list(after: (name: String, id: Int64)?, limit: Int) async throws -> [Group] {
        if let after {
            return try await postgres.query(
                PGQuery(
                    sql: Self.columns + " WHERE (g.name, g.id) > ($1::text, $2::bigint) ORDER BY g.name, g.id LIMIT $3",
                    binds: [after.name, after.id, limit])
            ).map(Self.decode)
        }
        return try await postgres.query(PGQuery(sql: Self.columns + " ORDER BY g.name, g.id LIMIT $1", binds: [limit]))
            .map(Self.decode)
    }

    /// Applies `changes` when `matches` accepts the current group (If-Match). A new group token
    /// replaces the old one as the parent token of the members that carried it.
    func update(id: Int64, _ changes: Changes, matches: (Group) -> Bool) async throws -> Outcome {
        try await postgres.transaction { conn in
            guard
                let current = try await conn.query(
                    PGQuery(sql: Self.columns + " WHERE g.id = $1 FOR UPDATE OF g", binds: [id])
                ).first.map(Self.decode)
            else { return .notFound }
            guard matches(current) else { return .stale(current) }
            let name = changes.name ?? current.name
            let kind = changes.kind ?? current.kind
            let token = changes.groupToken ?? current.groupToken
            let from = changes.validFromMillis ?? current.validFromMillis
            let until = changes.validUntilMillis ?? current.validUntilMillis
            if let from, let until, until <= from { return .invalidWindow }
            guard
                name != current.name || kind != current.kind || token != current.groupToken
                    || from != current.validFromMillis || until != current.validUntilMillis
            else { return .done(current) }
            try await conn.execute(
                PGQuery(
                    sql: """
                        UPDATE csms.token_groups g SET name = $2, kind = $3, group_token = $4,
                            valid_from = timestamptz 'epoch' + $5::bigint * interval '1 millisecond',
                            valid_until = timestamptz 'epoch' + $6::bigint * interval '1 millisecond', \(Self.touch)
                        WHERE g.id = $1
                        """, binds: [id, name, kind, token, from, until]))
            if token != current.groupToken {
                try await conn.execute(
                    PGQuery(
                        sql: """
                            UPDATE csms.id_tokens k SET parent_token = $2, \(TokenStore.touch)
                            WHERE k.parent_token = $3
                              AND k.id IN (SELECT m.token_id FROM csms.token_group_members m WHERE m.group_id = $1)
                            """, binds: [id, token, current.groupToken]))
            }
            guard
                let updated = try await conn.query(PGQuery(sql: Self.columns + " WHERE g.id = $1", binds: [id]))
                    .first.map(Self.decode)
            else { return .notFound }
            return .done(updated)
        }
    }

    /// Members whose parent token is `groupToken` get the token of their most recently joined
    /// other group, or none; run before a membership (or the group) goes.
    static let reassignParents = """
        UPDATE csms.id_tokens k SET parent_token = (
                SELECT o.group_token FROM csms.token_group_members om
                JOIN csms.token_groups o ON o.tenant_id = om.tenant_id AND o.id = om.group_id
                WHERE om.token_id = k.id AND om.group_id <> $1
                ORDER BY om.created_at DESC, om.group_id DESC LIMIT 1),
            \(TokenStore.touch)
        WHERE k.parent_token = $2 AND k.id IN (
            SELECT m.token_id FROM csms.token_group_members m WHERE m.group_id = $1 AND ($3::bigint IS NULL OR m.token_id = $3))
        """

    /// Deletes the group and its memberships, when `matches` accepts it.
    func delete(id: Int64, matches: (Group) -> Bool) async throws -> Outcome {
        try await postgres.transaction { conn in
            guard
                let current = try await conn.query(
                    PGQuery(sql: Self.columns + " WHERE g.id = $1 FOR UPDATE OF g", binds: [id])
                ).first.map(Self.decode)
            else { return .notFound }
            guard matches(current) else { return .stale(current) }
            try await conn.execute(PGQuery(sql: Self.reassignParents, binds: [id, current.groupToken, PGNull()]))
            try await conn.execute("DELETE FROM csms.token_groups WHERE id = \(id)")
            return .done(current)
        }
    }

    static let memberColumns = """
        SELECT k.id, k.token, k.token_type, k.status, (extract(epoch FROM m.valid_from) * 1000)::bigint,
            (extract(epoch FROM m.valid_until) * 1000)::bigint, m.created_at,
            coalesce(m.valid_from <= now(), true) AND coalesce(m.valid_until > now(), true)
                AND coalesce(g.valid_from <= now(), true) AND coalesce(g.valid_until > now(), true)
        FROM csms.token_group_members m
        JOIN csms.id_tokens k ON k.tenant_id = m.tenant_id AND k.id = m.token_id
        JOIN csms.token_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
        """

    static func decodeMember(_ row: PGRow) throws -> Member {
        Member(
            tokenId: try row.decode(Int64.self, column: 0), token: try row.decode(String.self, column: 1),
            type: try row.decode(String.self, column: 2), status: try row.decode(String.self, column: 3),
            validFromMillis: try row.decode(Int64?.self, column: 4),
            validUntilMillis: try row.decode(Int64?.self, column: 5), createdAt: try row.decode(Date.self, column: 6),
            validNow: try row.decode(Bool.self, column: 7))
    }

    func addMember(
        group: Int64, token: TokenReference, validFrom: Int64?, validUntil: Int64?
    ) async throws
        -> AddOutcome
    {
        try await postgres.transaction { conn in
            // Locks the group against a concurrent delete or group-token change.
            guard
                let groupToken = try await conn.query(
                    "SELECT group_token FROM csms.token_groups WHERE id = \(group) FOR UPDATE"
                )
                .first?.decode(String.self, column: 0)
            else { return .noGroup }
            let tokenId: Int64
            switch token {
            case .id(let id):
                guard try await conn.query("SELECT 1 FROM csms.id_tokens WHERE id = \(id)").first != nil else {
                    return .noToken("no id token with id \(id)")
                }
                tokenId = id
            case .token(let value, let type):
                let ids = try await conn.query(
                    """
                    SELECT id, token_type FROM csms.id_tokens
                    WHERE token = \(value) AND (\(type)::text IS NULL OR token_type = \(type)::text)
                    ORDER BY token_type LIMIT 2
                    """)
                guard let first = ids.first else {
                    return .noToken("no id token \(value)" + (type.map { " of type \($0)" } ?? ""))
                }
                guard ids.count == 1 else {
                    return .noToken("id token \(value) exists with several types; give 'type' or 'token_id'")
                }
                tokenId = try first.decode(Int64.self, column: 0)
            }
            let inserted = try await conn.execute(
                """
                INSERT INTO csms.token_group_members (group_id, token_id, valid_from, valid_until)
                VALUES (\(group), \(tokenId), timestamptz 'epoch' + \(validFrom)::bigint * interval '1 millisecond',
                    timestamptz 'epoch' + \(validUntil)::bigint * interval '1 millisecond')
                ON CONFLICT DO NOTHING
                """)
            guard inserted == 1 else { return .duplicate(tokenId) }
            try await conn.execute(
                PGQuery(
                    sql: "UPDATE csms.id_tokens k SET parent_token = $2, \(TokenStore.touch)"
                        + " WHERE k.id = $1 AND k.parent_token IS DISTINCT FROM $2",
                    binds: [tokenId, groupToken]))
            guard
                let member = try await conn.query(
                    PGQuery(
                        sql: Self.memberColumns + " WHERE m.group_id = $1 AND m.token_id = $2", binds: [group, tokenId])
                ).first.map(Self.decodeMember)
            else { return .noToken("id token \(tokenId) disappeared") }
            return .added(member)
        }
    }

    /// One page of the group's members by token (nil: no such group).
    func members(group: Int64, after: (token: String, type: String)?, limit: Int) async throws -> [Member]? {
        guard try await postgres.query("SELECT 1 FROM csms.token_groups WHERE id = \(group)").first != nil else {
            return nil
        }
        if let after {
            return try await postgres.query(
                PGQuery(
                    sql: Self.memberColumns
                        + " WHERE m.group_id = $1 AND (k.token, k.token_type) > ($2::text, $3::text)"
                        + " ORDER BY k.token, k.token_type LIMIT $4",
                    binds: [group, after.token, after.type, limit])
            ).map(Self.decodeMember)
        }
        return try await postgres.query(
            PGQuery(
                sql: Self.memberColumns + " WHERE m.group_id = $1 ORDER BY k.token, k.token_type LIMIT $2",
                binds: [group, limit])
        ).map(Self.decodeMember)
    }

    func removeMember(group: Int64, token: Int64) async throws -> RemoveOutcome {
        try await postgres.transaction { conn in
            guard
                let groupToken = try await conn.query(
                    "SELECT group_token FROM csms.token_groups WHERE id = \(group) FOR UPDATE"
                )
                .first?.decode(String.self, column: 0)
            else { return .noGroup }
            try await conn.execute(PGQuery(sql: Self.reassignParents, binds: [group, groupToken, token]))
            let deleted = try await conn.execute(
                "DELETE FROM csms.token_group_members WHERE group_id = \(group) AND token_id = \(token)")
            return deleted == 1 ? .removed : .noMember
        }
    }
}
