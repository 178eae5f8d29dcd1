// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Config
import Credentials
import HTTPTypes
import Hummingbird
import Logging

/// Protects `/api/v1` with the tenant's API keys (`api_keys` in the tenant YAML, stored as SHA-256
/// digests): `Authorization: Bearer <key>` or `X-API-Key: <key>`. A key is long and random, so one
/// fast digest suffices (unlike passwords); digests are compared in constant time. Scoped keys,
/// expiry and revocation come with the identity work; this is the interim tenant key.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: [TenantConfig.APIKey]
    let usage: UsageMeter

    static var apiKeyField: HTTPField.Name { HTTPField.Name("X-API-Key")! }

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
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"open-csms\""]
        guard let presented, !presented.isEmpty else {
            throw ProblemDocument(
                status: .unauthorized, detail: "send the tenant API key as 'Authorization: Bearer <key>'",
                headers: challenge)
        }
        guard let matched = APIKeyDigest.index(of: presented, among: keys.map(\.sha256)).map({ keys[$0].name }) else {
            context.logger.notice(
                "rejected an API request with an unknown key", metadata: ["http.path": "\(request.uri.path)"])
            throw ProblemDocument(
                status: .unauthorized, detail: "the API key is not valid for this tenant", headers: challenge)
        }
        usage.countAPICall()
        var context = context
        context.logger[metadataKey: "api.key"] = "\(matched)"
        return try await next(request, context)
    }
}
