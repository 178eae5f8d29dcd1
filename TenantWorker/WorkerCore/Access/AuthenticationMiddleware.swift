// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Config
import Credentials
import HTTPTypes
import Hummingbird
import Logging

/// Verifies a platform session token (a JWT the control plane minted after an OIDC login) and
/// says who it names; implemented with the platform's public key.
protocol SessionVerifying: Sendable {
    /// The caller, or a `ProblemDocument` 401 (with `WWW-Authenticate` saying why) or 403 (a token
    /// for another tenant).
    func principal(for token: String) throws -> Principal
}

/// Who is calling `/api/v1`: `Authorization: Bearer <credential>` (or `X-API-Key: <key>`) with
/// a scoped API key (`ocsk_…`, from csms.api_keys), a platform session token (a JWT), or one of the
/// tenant file's `api_keys` (the operator's bootstrap key, every scope). Sets the context's
/// principal and counts the call for the month's usage.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = TenantRequestContext

    let configKeys: [TenantConfig.APIKey]
    let keys: APIKeyStore
    let sessions: (any SessionVerifying)?
    let usage: UsageMeter

    static var apiKeyField: HTTPField.Name { HTTPField.Name("X-API-Key")! }
    static let challenge = "Bearer realm=\"open-csms\""

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let presented: String?
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            presented = parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        } else {
            presented = request.headers[Self.apiKeyField]
        }
        guard let presented, !presented.isEmpty else {
            throw ProblemDocument(
                status: .unauthorized,
                detail: "send an API key or a session token as 'Authorization: Bearer <credential>'",
                headers: [.wwwAuthenticate: Self.challenge])
        }
        let principal = try await authenticate(presented, request: request, logger: context.logger)
        usage.countAPICall()
        var context = context
        context.principal = principal
        context.logger[metadataKey: "api.caller"] =
            "\(principal.audit.kind):\(principal.audit.name ?? principal.audit.actor)"
        return try await next(request, context)
    }

    private func authenticate(_ presented: String, request: Request, logger: Logger) async throws -> Principal {
        if APIKeyStore.looksLikeKey(presented) {
            if let key = try await keys.authenticate(presented) {
                return Principal(
                    kind: .apiKey(id: key.id, name: key.name), scopes: key.scopes,
                    requestsPerSecond: key.requestsPerSecond)
            }
            throw refusal("the API key is unknown, revoked or expired", request: request, logger: logger)
        }
        if presented.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
            guard let sessions else {
                throw refusal("session tokens are not accepted by this worker", request: request, logger: logger)
            }
            return try sessions.principal(for: presented)
        }
        if let index = APIKeyDigest.index(of: presented, among: configKeys.map(\.sha256)) {
            return Principal(kind: .configKey(name: configKeys[index].name), scopes: Set(APIScope.allCases))
        }
        throw refusal("the API key is not valid for this tenant", request: request, logger: logger)
    }

    private func refusal(_ detail: String, request: Request, logger: Logger) -> ProblemDocument {
        logger.notice("rejected an API request", metadata: ["http.path": "\(request.uri.path)", "reason": "\(detail)"])
        return ProblemDocument(
            status: .unauthorized, detail: detail,
            headers: [.wwwAuthenticate: Self.challenge + ", error=\"invalid_token\""])
    }
}
