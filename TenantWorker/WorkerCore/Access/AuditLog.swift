// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import Postgres
import Synchronization

/// The tenant's audit log (`csms.audit_log`, append-only for the worker's role): who did what,
/// when, from where, with what result, and before/after for configuration changes.
struct AuditLog: Sendable {
    struct Entry: Sendable {
        var principal: Principal
        var action: String
        var target: String?
        var clientAddress: String?
        var status: Int?
        var requestID: String?
        var before: JSONValue?
        var after: JSONValue?
    }

    let postgres: PGPool
    let logger: Logger

    /// The before/after recorder of the request being handled (installed by ``AuditMiddleware``).
    @TaskLocal static var changes: AuditChanges?

    /// Attaches the state before and after a configuration change to the audit entry of the current
    /// request (`nil`: the resource did not exist before, or no longer exists after). Outside an
    /// audited request this does nothing.
    static func recordChange(before: JSONValue?, after: JSONValue?) {
        changes?.set(before: before, after: after)
    }

    func record(_ entry: Entry) async throws {
        let actor = entry.principal.audit
        let before = entry.before.map { String(decoding: $0.serialized(), as: UTF8.self) }
        let after = entry.after.map { String(decoding: $0.serialized(), as: UTF8.self) }
        try await postgres.execute(
            """
            INSERT INTO csms.audit_log (actor_kind, actor, actor_name, role, action, target, client_address, status,
                request_id, before, after)
            VALUES (\(actor.kind), \(actor.actor), \(actor.name), \(actor.role), \(entry.action), \(entry.target),
                \(entry.clientAddress), \(entry.status), \(entry.requestID), \(before)::jsonb, \(after)::jsonb)
            """)
    }
}

/// What a handler reports about the configuration change it made, for the request's audit entry.
///
/// The middleware creates one per request and exposes it through the task-local
/// ``AuditLog/changes``, so a handler needs no extra parameter and the entry is still written in
/// one place, once the answer is known (a refused change keeps whatever was recorded before it
/// failed, normally nothing).
final class AuditChanges: Sendable {
    private let state = Mutex<(before: JSONValue?, after: JSONValue?)>((nil, nil))

    func set(before: JSONValue?, after: JSONValue?) {
        state.withLock { $0 = (before, after) }
    }

    var values: (before: JSONValue?, after: JSONValue?) { state.withLock { $0 } }
}

/// Records every mutating `/api/v1` request (any method but GET, HEAD and OPTIONS) in the audit log
/// once it is answered, refused ones included, with the route as the action (`POST
/// /api/v1/tokens`) and the path as the target. Runs after authentication, so the caller is known.
/// Handlers of configuration changes add before/after through ``AuditLog/recordChange(before:after:)``.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = TenantRequestContext

    let log: AuditLog

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard ![.get, .head, .options].contains(request.method), let principal = context.principal else {
            return try await next(request, context)
        }
        let route = "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)"
        let address = context.remoteAddress
        let requestID = request.headers[HTTPField.Name("X-Request-Id")!]
        let changes = AuditChanges()
        func write(_ status: Int) async {
            let (before, after) = changes.values
            do {
                try await log.record(
                    AuditLog.Entry(
                        principal: principal, action: route, target: request.uri.path, clientAddress: address,
                        status: status, requestID: requestID, before: before, after: after))
            } catch {
                context.logger.error(
                    "could not write the audit log entry", metadata: ["audit.action": "\(route)", "error": "\(error)"])
            }
        }
        do {
            let response = try await AuditLog.$changes.withValue(changes) { try await next(request, context) }
            await write(Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            await write(Int(error.status.code))
            throw error
        } catch {
            await write(500)
            throw error
        }
    }
}
