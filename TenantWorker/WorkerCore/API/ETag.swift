// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Entity tags for optimistic concurrency on updates (RFC 9110 §8.8.3, §13.1.1): every resource a
/// client may PATCH is answered with an `ETag` made from its row id and `updated_at`, and a PATCH
/// must send it back in `If-Match`. A change made in between (another operator, a station's boot)
/// moves `updated_at`, so the stale write is refused instead of silently overwriting it.
enum ETag {
    /// A strong tag: `"<id>-<updated_at in microseconds since 1970>"`. PostgreSQL keeps microseconds,
    /// so two versions of a row never share a tag.
    static func of(updatedAt: Date, id: some CustomStringConvertible) -> String {
        let micros = Int64((updatedAt.timeIntervalSince1970 * 1_000_000).rounded())
        return "\"\(id)-\(micros)\""
    }

    /// Checks `If-Match` against the resource's current tag: missing → 428 (RFC 6585 §3: a PATCH
    /// without it could overwrite someone else's change), no listed tag matches → 412. `*` matches
    /// any current version. A `W/` prefix is ignored: our tags are strong, and a proxy that
    /// compresses answers may have weakened the tag the client saw.
    static func check(_ request: Request, current: String) throws {
        guard let header = request.headers[.ifMatch] else {
            throw ProblemDocument(
                status: .preconditionRequired,
                detail: "send the ETag of the version you are changing in 'If-Match' (GET the resource first)")
        }
        let presented = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if presented.contains("*") { return }
        let matches = presented.contains { tag in
            (tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) == current
        }
        guard matches else {
            throw ProblemDocument(
                status: .preconditionFailed,
                detail: "the resource changed since you read it (its ETag is now \(current)); GET it again and retry",
                headers: [.eTag: current])
        }
    }

    /// A JSON answer carrying `ETag`.
    static func response(_ body: JSONBody, etag: String) -> Response {
        Response(
            status: body.status, headers: [.contentType: "application/json", .eTag: etag],
            body: .init(byteBuffer: ByteBuffer(bytes: body.value.serialized())))
    }
}
