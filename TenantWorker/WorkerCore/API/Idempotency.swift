// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Foundation
import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import Postgres

/// `Idempotency-Key` on the POSTs that start remote commands (IETF draft-ietf-httpapi-idempotency-
/// key-header): a client that lost the answer to a RemoteStart may send the same request again
/// without starting a second charge.
///
/// - The first request with a key runs; its answer (status and body) is stored under (caller, key)
///   with a SHA-256 of method, path and body. The caller is the principal's audit kind and id, so
///   two callers never share keys.
/// - The same key with the same request gets the stored answer with `Idempotent-Replayed: true`;
///   nothing is sent to the station again.
/// - The same key with another request: 422. While the first is still running: 409 with
///   `Retry-After: 1`.
/// - A key stands for one attempt at sending the command. Refusals before anything is sent
///   (unknown station, not connected, invalid payload) release the key; every answer after the
///   CALL left is kept, a timeout (504) included, because the station may have acted on it.
/// - Keys are kept for 24 hours; older ones are deleted whenever a new key is stored. A key still
///   marked running after `staleAfter` (the worker stopped mid-request) is taken over by the next
///   request with it.
enum Idempotency {
    static let keyField = HTTPField.Name("Idempotency-Key")!
    static let replayedField = HTTPField.Name("Idempotent-Replayed")!
    static let lifetimeSeconds = 24 * 3600
    static let bodyLimit = 1 << 20

    /// 1 to 255 printable ASCII characters (the column allows 255; the draft leaves the syntax to us).
    static func isValid(key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }

    /// SHA-256 of the request as sent: method, path and the body's exact bytes.
    static func fingerprint(method: String, path: String, body: [UInt8]) -> Data {
        let digits = Array(PasswordHash.sha256Hex(Array("\(method)\n\(path)\n".utf8) + body).utf8)
        return Data(stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) })
    }

    private static func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x57 }

    /// Who owns a key: the principal's audit kind and id (hashed when longer than the column allows).
    static func owner(_ principal: Principal) -> String {
        let audit = principal.audit
        let owner = "\(audit.kind):\(audit.actor)"
        guard owner.utf8.count > 320 else { return owner }
        return "sha256:" + PasswordHash.sha256Hex(Array(owner.utf8))
    }

    /// Reads the body once (for the fingerprint) and puts it back for the handler.
    static func collectBody(_ request: inout Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyLimit)
        } catch {
            throw ProblemDocument(status: .contentTooLarge, detail: "the body is larger than \(bodyLimit) bytes")
        }
        request.body = RequestBody(buffer: buffer)
        return Array(buffer.readableBytesView)
    }

    /// A stored status code with its reason phrase (the codes a command answers with).
    static func status(_ code: Int) -> HTTPResponse.Status {
        let known: [HTTPResponse.Status] = [.ok, .badGateway, .serviceUnavailable, .gatewayTimeout]
        return known.first { $0.code == code } ?? HTTPResponse.Status(code: code)
    }

    /// Runs `operation` at most once per (caller, key), as described above. An error thrown by
    /// `operation` releases the key and is rethrown.
    static func run(
        store: IdempotencyStore, principal: Principal, key: String, fingerprint: Data, staleAfter: Duration,
        operation: () async throws -> IdempotentAnswer
    ) async throws -> IdempotentAnswer {
        let owner = owner(principal)
        switch try await store.begin(owner: owner, key: key, fingerprint: fingerprint, staleAfter: staleAfter) {
        case .replay(let status, let body):
            var answer = IdempotentAnswer(status: Self.status(status), body: body)
            answer.headers[replayedField] = "true"
            return answer
        case .running:
            throw ProblemDocument(
                status: .conflict,
                detail: "a request with this Idempotency-Key is still being processed; retry shortly",
                headers: [.retryAfter: "1"])
        case .mismatch:
            throw ProblemDocument(
                status: .unprocessableContent,
                detail:
                    "this Idempotency-Key was used for a different request (method, path or body); use a new key for a new request"
            )
        case .started:
            break
        }
        let answer: IdempotentAnswer
        do {
            answer = try await operation()
        } catch {
            do {
                try await store.release(owner: owner, key: key)
            } catch {
                // The key stays marked running until `staleAfter`; the next retry then takes it over.
            }
            throw error
        }
        // The answer goes out even if it cannot be stored: the command has been sent already.
        try? await store.complete(owner: owner, key: key, status: Int(answer.status.code), body: answer.body)
        return answer
    }
}

/// An answer that can be stored and replayed: status and body (JSON, or a problem document for
/// 4xx/5xx), plus headers that are not stored (`Retry-After` of a 503).
struct IdempotentAnswer: Sendable {
    var status: HTTPResponse.Status
    var body: [UInt8]
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    init(_ problem: ProblemDocument) {
        self.status = problem.status
        self.body = problem.bytes
        self.headers = problem.headers
    }

    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = status.code >= 400 ? ProblemDocument.contentType : "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// `csms.idempotency_keys` (migration 0007), as the tenant's own role.
struct IdempotencyStore: Sendable {
    let postgres: PGPool

    enum Begin: Sendable, Equatable {
        /// This request owns the key: run it.
        case started
        /// The answer of the first request with this key and the same fingerprint.
        case replay(status: Int, body: [UInt8])
        /// The first request with this key has not finished.
        case running
        /// The key was used for a request with another fingerprint.
        case mismatch
    }

    func begin(owner: String, key: String, fingerprint: Data, staleAfter: Duration) async throws -> Begin {
        let staleSeconds = Double(staleAfter.components.seconds)
        // Two tries: the row found by the conflict may be released before it is read.
        for _ in 0..<2 {
            let inserted = try await postgres.pipeline([
                """
                DELETE FROM csms.idempotency_keys
                WHERE created_at < now() - \(Idempotency.lifetimeSeconds) * interval '1 second'
                """,
                """
                INSERT INTO csms.idempotency_keys (key, principal, request_sha256)
                VALUES (\(key), \(owner), \(fingerprint))
                ON CONFLICT (tenant_id, principal, key) DO NOTHING
                RETURNING 1
                """,
            ])
            if !inserted[1].isEmpty { return .started }
            let existing = try await postgres.query(
                """
                SELECT request_sha256, response_status, response_body,
                    created_at < now() - \(staleSeconds)::float8 * interval '1 second'
                FROM csms.idempotency_keys WHERE principal = \(owner) AND key = \(key)
                """)
            guard let row = existing.first else { continue }
            let (stored, status, body, stale) = try row.decode((Data, Int?, Data?, Bool).self)
            guard stored == fingerprint else { return .mismatch }
            if let status { return .replay(status: status, body: Array(body ?? Data())) }
            guard stale else { return .running }
            let taken = try await postgres.query(
                """
                UPDATE csms.idempotency_keys SET created_at = now()
                WHERE principal = \(owner) AND key = \(key) AND response_status IS NULL
                    AND created_at < now() - \(staleSeconds)::float8 * interval '1 second'
                RETURNING 1
                """)
            return taken.isEmpty ? .running : .started
        }
        return .running
    }

    func complete(owner: String, key: String, status: Int, body: [UInt8]) async throws {
        try await postgres.execute(
            """
            UPDATE csms.idempotency_keys SET response_status = \(status), response_body = \(Data(body))
            WHERE principal = \(owner) AND key = \(key)
            """)
    }

    func release(owner: String, key: String) async throws {
        try await postgres.execute(
            "DELETE FROM csms.idempotency_keys WHERE principal = \(owner) AND key = \(key) AND response_status IS NULL")
    }
}
