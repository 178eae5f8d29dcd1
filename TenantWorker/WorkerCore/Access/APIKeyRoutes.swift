// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Hummingbird
import OCPPRPC

/// `/api/v1/api-keys`: the tenant's scoped API keys, managed by tenant administrators (and the
/// tenant file's bootstrap keys). The secret is in the creation answer only.
struct APIKeyRoutes: Sendable {
    let keys: APIKeyStore

    func register(on api: RouterGroup<TenantRequestContext>) {
        api.get("api-keys") { _, context in
            try Self.requireKeyManager(context)
            return JSONBody(["items": .array(try await keys.list().map { .object(Self.json($0)) })])
        }
        api.post("api-keys") { request, context in
            let principal = try Self.requireKeyManager(context)
            return try await create(request, by: principal)
        }
        api.get("api-keys/{id}") { _, context in
            try Self.requireKeyManager(context)
            let id = try context.parameters.require("id")
            guard let key = try await keys.key(id: id) else { throw ProblemDocument.notFound("no API key \(id)") }
            return JSONBody(.object(Self.json(key)))
        }
        api.delete("api-keys/{id}") { _, context in
            try Self.requireKeyManager(context)
            let id = try context.parameters.require("id")
            guard let key = try await keys.revoke(id: id) else { throw ProblemDocument.notFound("no API key \(id)") }
            return JSONBody(.object(Self.json(key)))
        }
    }

    @discardableResult
    static func requireKeyManager(_ context: TenantRequestContext) throws -> Principal {
        let principal = try context.caller()
        guard principal.managesKeys else {
            throw ProblemDocument(status: .forbidden, detail: "only tenant administrators manage API keys")
        }
        return principal
    }

    func create(_ request: Request, by principal: Principal) async throws -> JSONBody {
        let body = try await request.jsonObject()
        var problems: [String] = []
        let name = body.string("name")?.trimmingCharacters(in: .whitespaces) ?? ""
        if name.isEmpty || name.count > 100 { problems.append("'name': 1 to 100 characters") }
        var scopes = Set<APIScope>()
        if case .array(let values)? = body["scopes"], !values.isEmpty {
            for value in values {
                guard case .string(let text) = value, let scope = APIScope(rawValue: text) else {
                    problems.append(
                        "'scopes': each one of \(APIScope.allCases.map(\.rawValue).joined(separator: ", "))")
                    break
                }
                scopes.insert(scope)
            }
        } else {
            problems.append("'scopes': a non-empty array")
        }
        var expiresAt: Date?
        if let text = body.string("expires_at") {
            guard let date = OCPPDateTime.parse(text), date > Date() else {
                throw ProblemDocument(
                    status: .unprocessableContent, detail: "'expires_at': an RFC 3339 time in the future")
            }
            expiresAt = date
        }
        var requestsPerSecond: Int?
        if let value = body["requests_per_second"], value != .null {
            guard let rate = body.int("requests_per_second"), (1...100_000).contains(rate) else {
                throw ProblemDocument(
                    status: .unprocessableContent, detail: "'requests_per_second': a whole number from 1 to 100000")
            }
            requestsPerSecond = rate
        }
        let unknown = Set(body.keys).subtracting(["name", "scopes", "expires_at", "requests_per_second"])
        if !unknown.isEmpty { problems.append("unknown members: \(unknown.sorted().joined(separator: ", "))") }
        guard problems.isEmpty else {
            throw ProblemDocument(status: .unprocessableContent, detail: problems.joined(separator: "; "))
        }
        let creator = principal.audit
        let (key, secret) = try await keys.create(
            name: name, scopes: scopes, expiresAt: expiresAt, createdBy: "\(creator.kind):\(creator.actor)",
            requestsPerSecond: requestsPerSecond)
        var object = Self.json(key)
        object["secret"] = .string(secret)
        return JSONBody(status: .created, .object(object))
    }

    static func json(_ key: APIKeyStore.Key) -> JSONObject {
        var object: JSONObject = [
            "id": .string(key.id), "name": .string(key.name), "prefix": .string(key.prefix),
            "scopes": .array(key.scopes.sorted().map { .string($0.rawValue) }),
            "created_at": .string(OCPPDateTime.format(key.createdAt)), "created_by": .string(key.createdBy),
        ]
        object["expires_at"] = key.expiresAt.map { .string(OCPPDateTime.format($0)) } ?? .null
        object["revoked_at"] = key.revokedAt.map { .string(OCPPDateTime.format($0)) } ?? .null
        object["last_used_at"] = key.lastUsedAt.map { .string(OCPPDateTime.format($0)) } ?? .null
        object["requests_per_second"] = key.requestsPerSecond.map { .integer(Int64($0)) } ?? .null
        return object
    }
}
