// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Foundation
import Hummingbird
import JSON

/// Cursor pagination for every list of the tenant API: `?limit=` (1…`maximum`, default 50) and
/// `?cursor=` (opaque; the `next_cursor` of the previous page). A page is
/// `{"items": [...], "next_cursor": "…" | null}`.
///
/// Lists page by keyset (`WHERE (sort_key, id) > (…)`), never by OFFSET, so a page costs the same
/// deep in a large list and rows added meanwhile are neither skipped nor repeated. The cursor
/// carries the last row's sort key values as text, with the sort it belongs to, base64url-encoded;
/// a cursor of another sort or a tampered one is a 400.
struct PageRequest: Sendable, Equatable {
    static let defaultLimit = 50
    static let maximumLimit = 1000

    var limit: Int
    /// The last row of the previous page (its sort key values, then its id), nil on the first page.
    var after: [String]?

    /// Reads `limit` and `cursor` for a list sorted by `sort` (e.g. `"created_at"`, `"-created_at"`).
    static func parse(_ request: Request, sort: String, maximum: Int = maximumLimit) throws -> PageRequest {
        let query = request.uri.queryParameters
        var limit = defaultLimit
        if let text = query.get("limit") {
            guard let value = Int(text), (1...maximum).contains(value) else {
                throw ProblemDocument(
                    status: .badRequest, detail: "'limit' must be a whole number from 1 to \(maximum)")
            }
            limit = value
        }
        guard let cursor = query.get("cursor").map({ String($0) }), !cursor.isEmpty else {
            return PageRequest(limit: limit, after: nil)
        }
        guard let bytes = Base64.decode(cursor, alphabet: .urlSafe),
            case .array(let values)? = try? JSONValue.parse(bytes), values.count >= 2,
            case .string(let cursorSort) = values[0], cursorSort == sort
        else {
            throw ProblemDocument(
                status: .badRequest,
                detail: "'cursor' is not a cursor of this list and sort; use the next_cursor of the previous page")
        }
        var after: [String] = []
        for value in values.dropFirst() {
            guard case .string(let text) = value else {
                throw ProblemDocument(status: .badRequest, detail: "'cursor' is malformed")
            }
            after.append(text)
        }
        return PageRequest(limit: limit, after: after)
    }

    /// The list's `?sort=` among `Sort`'s cases (`fallback` when absent); 400 naming them otherwise.
    static func sort<Sort: RawRepresentable & CaseIterable>(_ request: Request, default fallback: Sort) throws -> Sort
    where Sort.RawValue == String {
        guard let text = request.uri.queryParameters.get("sort").map({ String($0) }) else { return fallback }
        guard let sort = Sort(rawValue: text) else {
            throw ProblemDocument(
                status: .badRequest,
                detail: "'sort' must be one of \(Sort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return sort
    }

    /// The answer to a cursor that decodes but does not fit the list's key (hand-made or from
    /// another version): the same 400 as any malformed cursor.
    static var malformedCursor: ProblemDocument {
        ProblemDocument(
            status: .badRequest,
            detail: "'cursor' is not a cursor of this list and sort; use the next_cursor of the previous page")
    }

    /// The cursor that continues after a row with these key values.
    static func cursor(sort: String, after values: [String]) -> String {
        let array = JSONValue.array([.string(sort)] + values.map(JSONValue.string))
        return Base64.encode(array.serialized(), alphabet: .urlSafe)
    }

    /// A page body: `items` (at most `limit`; query `limit + 1` rows to know whether more follow)
    /// and `next_cursor` built from the last item's key values.
    static func page(
        _ rows: [(item: JSONValue, key: [String])], limit: Int, sort: String
    ) -> JSONBody {
        let shown = rows.prefix(limit)
        let next: JSONValue =
            rows.count > limit ? .string(cursor(sort: sort, after: shown.last?.key ?? [])) : .null
        return JSONBody(["items": .array(shown.map(\.item)), "next_cursor": next])
    }
}
