// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import NIOCore
import OCPPRPC
import Postgres

/// `/api/v1/tokens`: the tenant's id tokens (what a station sends in Authorize and starts a
/// transaction with), one at a time and in bulk (CSV or JSON import and export).
struct TokenRoutes: Sendable {
    let store: TokenStore

    init(postgres: PGPool) {
        self.store = TokenStore(postgres: postgres)
    }

    /// Largest import body: 100,000 tokens with every column take about 6 MiB.
    static let importLimit = 32 << 20
    /// Rows per database page of an export (one query each; memory stays one page).
    static let exportPage = 5_000

    func register(on api: RouterGroup<TenantRequestContext>) {
        api.get("tokens") { request, context in
            try context.require(.read)
            return try await list(request)
        }
        api.post("tokens") { request, context in
            try context.require(.write)
            return try await create(request)
        }
        api.post("tokens/import") { request, context in
            try context.require(.write)
            return try await importTokens(request, logger: context.logger)
        }
        api.get("tokens/export") { request, context in
            try context.require(.read)
            return try await export(request, logger: context.logger)
        }
        api.get("tokens/{id}") { _, context in
            try context.require(.read)
            let token = try await find(try context.parameters.require("id"))
            return ETag.response(JSONBody(.object(Self.json(token))), etag: Self.etag(token))
        }
        api.patch("tokens/{id}") { request, context in
            try context.require(.write)
            return try await update(request, id: try context.parameters.require("id"))
        }
        api.delete("tokens/{id}") { request, context in
            try context.require(.write)
            return try await delete(request, id: try context.parameters.require("id"))
        }
    }

    // MARK: One token

    static func etag(_ token: TokenStore.Token) -> String {
        ETag.of(updatedAt: token.updatedAt, id: token.id)
    }

    static func json(_ t: TokenStore.Token) -> JSONObject {
        [
            "id": .integer(t.id), "token": .string(t.token), "type": .string(t.type), "status": .string(t.status),
            "expires_at": t.expiresAtMillis.map { .string(TokenRules.format(millis: $0)) } ?? .null,
            "parent_token": t.parentToken.map(JSONValue.string) ?? .null,
            "created_at": .string(OCPPDateTime.format(t.createdAt)),
            "updated_at": .string(OCPPDateTime.format(t.updatedAt)),
        ]
    }

    /// A 422 listing every problem, as `errors: [{"field", "detail"}]`.
    static func invalid(_ problems: [TokenFieldProblem]) -> ProblemDocument {
        ProblemDocument(
            status: .unprocessableContent,
            detail: problems.map { ($0.field.map { "'\($0)' " } ?? "") + $0.detail }.joined(separator: "; "),
            extensions: [
                "errors": .array(
                    problems.map {
                        .object(["field": $0.field.map(JSONValue.string) ?? .null, "detail": .string($0.detail)])
                    }
                )
            ])
    }

    static func id(_ text: String, _ what: String = "id token") throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw ProblemDocument.notFound("no \(what) \(text)") }
        return id
    }

    func find(_ text: String) async throws -> TokenStore.Token {
        guard let token = try await store.token(id: try Self.id(text)) else {
            throw ProblemDocument.notFound("no id token \(text)")
        }
        return token
    }

    /// A JSON member that must be a string or null (`.some(nil)`); absent is nil.
    static func text(_ body: JSONObject, _ key: String, into problems: inout [TokenFieldProblem]) -> String?? {
        switch body[key] {
        case nil: return nil
        case .null?: return .some(nil)
        case .string(let s)?: return .some(s)
        default:
            problems.append(TokenFieldProblem(field: key, detail: "must be a string"))
            return nil
        }
    }

    static func unknownMembers(_ body: JSONObject, allowed: [String]) -> [TokenFieldProblem] {
        body.keys.filter { !allowed.contains($0) }.map {
            TokenFieldProblem(
                field: $0, detail: "is not a member of this request (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await request.jsonObject()
        var raw = TokenRawRow(given: .all)
        raw.problems = Self.unknownMembers(body, allowed: CSVTokenReader.columnNames)
        raw.token = Self.text(body, "token", into: &raw.problems) ?? nil
        raw.type = Self.text(body, "type", into: &raw.problems) ?? nil
        raw.status = Self.text(body, "status", into: &raw.problems) ?? nil
        raw.expiresAt = Self.text(body, "expires_at", into: &raw.problems) ?? nil
        raw.parentToken = Self.text(body, "parent_token", into: &raw.problems) ?? nil
        let (row, problems) = raw.validated()
        guard let row else { throw Self.invalid(problems) }
        guard let token = try await store.create(row) else {
            throw ProblemDocument(
                status: .conflict,
                detail: "id token \(row.token) of type \(row.type) exists; change it with PATCH /api/v1/tokens/{id}")
        }
        var response = ETag.response(JSONBody(status: .created, .object(Self.json(token))), etag: Self.etag(token))
        response.headers[.location] = "/api/v1/tokens/\(token.id)"
        return response
    }

    func list(_ request: Request) async throws -> JSONBody {
        let query = request.uri.queryParameters
        let sort = try PageRequest.sort(request, default: TokenStore.Sort.token)
        var filter = TokenStore.Filter()
        if let status = query.get("status") {
            guard TokenRules.statuses.contains(status) else {
                throw ProblemDocument.badRequest(
                    "'status' must be one of \(TokenRules.statuses.joined(separator: ", "))")
            }
            filter.status = status
        }
        if let type = query.get("type") {
            guard TokenRules.types.contains(type) else {
                throw ProblemDocument.badRequest("'type' must be one of \(TokenRules.types.joined(separator: ", "))")
            }
            filter.type = type
        }
        if let prefix = query.get("q"), !prefix.isEmpty { filter.prefix = prefix }
        if let group = query.get("group") {
            guard let id = Int64(group), id > 0 else {
                throw ProblemDocument.badRequest("'group' must be a group id (a whole number)")
            }
            filter.group = id
        }
        let page = try PageRequest.parse(request, sort: sort.rawValue)
        let tokens = try await store.list(filter, sort: sort, after: page.after, limit: page.limit + 1)
        return PageRequest.page(
            tokens.map { (JSONValue.object(Self.json($0)), TokenStore.key($0, sort: sort)) }, limit: page.limit,
            sort: sort.rawValue)
    }

    func update(_ request: Request, id text: String) async throws -> Response {
        // Without If-Match this is the 428 of ETag.check, before the body is read.
        if request.headers[.ifMatch] == nil { try ETag.check(request, current: "") }
        let id = try Self.id(text)
        let body = try await request.jsonObject()
        var problems = Self.unknownMembers(body, allowed: ["status", "expires_at", "parent_token"])
        var changes = TokenStore.Changes()
        if let status = Self.text(body, "status", into: &problems) {
            if let status, TokenRules.statuses.contains(status) {
                changes.status = status
            } else {
                problems.append(
                    TokenFieldProblem(
                        field: "status", detail: "must be one of \(TokenRules.statuses.joined(separator: ", "))"))
            }
        }
        if let expires = Self.text(body, "expires_at", into: &problems) {
            if let expires {
                if let millis = TokenRules.millis(expires) {
                    changes.expiresAtMillis = .some(millis)
                } else {
                    problems.append(
                        TokenFieldProblem(field: "expires_at", detail: "must be an RFC 3339 date-time or null"))
                }
            } else {
                changes.expiresAtMillis = .some(nil)
            }
        }
        if let parent = Self.text(body, "parent_token", into: &problems) {
            if let parent, let problem = TokenRules.tokenProblem(parent) {
                problems.append(TokenFieldProblem(field: "parent_token", detail: problem))
            }
            changes.parentToken = .some(parent)
        }
        guard problems.isEmpty else { throw Self.invalid(problems) }
        let outcome = try await store.update(id: id, changes) { current in
            (try? ETag.check(request, current: Self.etag(current))) != nil
        }
        return try Self.answer(outcome, request: request, id: text)
    }

    func delete(_ request: Request, id text: String) async throws -> Response {
        let id = try Self.id(text)
        // If-Match is optional here: a DELETE cannot overwrite a change, but a client may still
        // ask not to delete a version it has not seen.
        let outcome = try await store.delete(id: id) { current in
            request.headers[.ifMatch] == nil || (try? ETag.check(request, current: Self.etag(current))) != nil
        }
        _ = try Self.answer(outcome, request: request, id: text)
        return Response(status: .noContent)
    }

    static func answer(_ outcome: TokenStore.Outcome, request: Request, id: String) throws -> Response {
        switch outcome {
        case .notFound:
            throw ProblemDocument.notFound("no id token \(id)")
        case .stale(let current):
            try ETag.check(request, current: etag(current))
            throw ProblemDocument(status: .preconditionFailed, detail: "the id token changed since you read it")
        case .done(let token):
            return ETag.response(JSONBody(.object(json(token))), etag: etag(token))
        }
    }

    // MARK: Bulk import

    /// `POST /tokens/import[?partial=true]` with a CSV file or a JSON array. Every row is checked
    /// before anything is written; without `partial`, one bad row means nothing is imported (422),
    /// with it the good rows are. Every bad row is reported with its line (CSV) or index (JSON).
    func importTokens(_ request: Request, logger: Logger) async throws -> Response {
        let started = ContinuousClock.now
        let partial: Bool
        switch request.uri.queryParameters.get("partial")?.lowercased() {
        case nil, "false", "0": partial = false
        case "true", "1": partial = true
        default: throw ProblemDocument.badRequest("'partial' must be true or false")
        }
        let mediaType =
            (request.headers[.contentType] ?? "").split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.importLimit {
            throw Self.tooLarge()
        }
        var batch: TokenImportBatch
        switch mediaType {
        case "text/csv":
            batch = TokenImportBatch(positionName: "line")
            var reader = CSVTokenReader()
            try await Self.read(request) { bytes in try reader.feed(bytes, into: &batch) }
            try reader.finish(into: &batch)
        case "application/json":
            batch = TokenImportBatch(positionName: "index")
            var reader = JSONTokenReader()
            try await Self.read(request) { bytes in try reader.feed(bytes, into: &batch) }
            try reader.finish(into: &batch)
        default:
            throw ProblemDocument(
                status: .unsupportedMediaType,
                detail: "send the file as text/csv (header \(CSVTokenReader.header)) or as application/json "
                    + "(an array of objects with those members)")
        }
        let parsed = ContinuousClock.now
        if batch.rejected > 0, !partial {
            logger.notice(
                "id token import refused: it has bad rows",
                metadata: ["tokens.rejected": "\(batch.rejected)", "tokens.rows": "\(batch.rowCount)"])
            throw ProblemDocument(
                status: .unprocessableContent,
                detail: "\(batch.rejected) of \(batch.rowCount) rows are bad, so nothing was imported; fix them, or "
                    + "send ?partial=true to import the good rows only",
                extensions: [
                    "imported": 0, "updated": 0, "unchanged": 0, "rejected": .integer(Int64(batch.rejected)),
                    "errors": batch.problemsJSON(),
                ])
        }
        let inserted: Int
        let updated: Int
        do {
            (inserted, updated) = try await store.upsert(batch.rows)
        } catch let error as PGError where error.sqlState == "40P01" {
            // Two imports updating the same tokens in different orders: PostgreSQL aborted this one
            // and nothing of it was written, so sending it again is safe.
            throw ProblemDocument(
                status: .serviceUnavailable,
                detail: "another import changed the same tokens at the same time; nothing was imported, send it again",
                headers: [.retryAfter: "1"])
        }
        let unchanged = batch.rows.count - inserted - updated
        logger.info(
            "id tokens imported",
            metadata: [
                "tokens.imported": "\(inserted)", "tokens.updated": "\(updated)", "tokens.unchanged": "\(unchanged)",
                "tokens.rejected": "\(batch.rejected)", "import.read_ms": "\((parsed - started).milliseconds)",
                "import.write_ms": "\((ContinuousClock.now - parsed).milliseconds)",
            ])
        return JSONBody(
            .object([
                "imported": .integer(Int64(inserted)), "updated": .integer(Int64(updated)),
                "unchanged": .integer(Int64(unchanged)), "rejected": .integer(Int64(batch.rejected)),
                "errors": batch.problemsJSON(),
            ])
        ).response()
    }

    static func tooLarge() -> ProblemDocument {
        ProblemDocument(
            status: .contentTooLarge, detail: "an import body is at most \(importLimit >> 20) MiB; split the file")
    }

    /// Hands the body to `consume` piece by piece as it arrives (never the whole body at once),
    /// refusing it once it exceeds ``importLimit``.
    static func read(_ request: Request, _ consume: (UnsafeRawBufferPointer) throws -> Void) async throws {
        var received = 0
        for try await buffer in request.body {
            received += buffer.readableBytes
            guard received <= importLimit else { throw tooLarge() }
            try buffer.withUnsafeReadableBytes { try consume($0) }
        }
    }

    // MARK: Bulk export

    /// `GET /tokens/export?format=csv|json`: every token, in the import's columns, streamed page by
    /// page (the worker holds one page, not the list).
    func export(_ request: Request, logger: Logger) async throws -> Response {
        let format = request.uri.queryParameters.get("format")?.lowercased() ?? "csv"
        guard format == "csv" || format == "json" else {
            throw ProblemDocument.badRequest("'format' must be csv or json")
        }
        let json = format == "json"
        // The first page is read before answering, so a database failure is still a proper 500.
        let first = try await store.exportPage(after: nil, limit: Self.exportPage)
        let store = self.store
        let body = ResponseBody { writer in
            var page = first
            var buffer = ByteBuffer()
            buffer.writeString(json ? "[" : CSVTokenReader.header + "\r\n")
            var count = 0
            while true {
                for token in page {
                    if json {
                        if count > 0 { buffer.writeString(",\n") }
                        buffer.writeBytes(JSONValue.object(Self.exportJSON(token)).serialized())
                    } else {
                        buffer.writeString(Self.csvLine(token))
                    }
                    count += 1
                }
                try await writer.write(buffer)
                buffer.clear()
                guard page.count == Self.exportPage, let last = page.last else { break }
                do {
                    page = try await store.exportPage(after: (last.token, last.type), limit: Self.exportPage)
                } catch {
                    // The answer has started: the client sees the connection end without the
                    // closing bytes (a JSON export then does not parse; a CSV one lacks rows).
                    logger.error("id token export failed midway", metadata: ["error": "\(error)"])
                    throw error
                }
            }
            if json { buffer.writeString("]\n") }
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: json ? "application/json" : "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"tokens.\(format)\"",
            ], body: body)
    }

    static func exportJSON(_ t: TokenStore.Token) -> JSONObject {
        [
            "token": .string(t.token), "type": .string(t.type), "status": .string(t.status),
            "expires_at": t.expiresAtMillis.map { .string(TokenRules.format(millis: $0)) } ?? .null,
            "parent_token": t.parentToken.map(JSONValue.string) ?? .null,
        ]
    }

    static func csvLine(_ t: TokenStore.Token) -> String {
        let fields = [
            t.token, t.type, t.status, t.expiresAtMillis.map { TokenRules.format(millis: $0) } ?? "",
            t.parentToken ?? "",
        ]
        return fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 §2: a field with a comma, quote or line break is quoted, its quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension TenantAPI {
    /// The token types the API accepts (for the OpenAPI document).
    static var tokenTypes: Set<String> { Set(TokenRules.types) }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

extension JSONBody {
    fileprivate func response() -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}
