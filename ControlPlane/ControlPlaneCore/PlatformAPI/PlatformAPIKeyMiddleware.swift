// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Credentials
import Hummingbird
import Identity
import Logging

/// Protects `/platform/v1` with the platform API keys of platform.yaml (`platform_api_keys`,
/// stored as SHA-256 digests): `Authorization: Bearer <key>` (RFC 6750 §2.1). A key is long and
/// random, so one fast digest suffices (unlike a password); the digest is compared with every
/// configured one in constant time, so timing tells nothing about how much of a digest matched.
/// With no key configured every key is refused.
///
/// A platform session token (an OIDC login, minted by `/auth/`) is accepted too: platform-admin for
/// everything, platform-operator for reading and for worker restarts and resumes; tenant roles get
/// 403.
struct PlatformAPIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: [PlatformConfig.APIKey]
    /// The platform's session keys and base domain; nil: API keys only.
    let sessions: (keys: JSONWebKeySet, baseDomain: String)?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        // RFC 6750 §3: a 401 names the scheme in WWW-Authenticate.
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"open-csms-platform\""]
        guard let authorization = request.headers[.authorization] else {
            throw PlatformProblem(
                status: .unauthorized, detail: "send a platform API key as 'Authorization: Bearer <key>'",
                headers: challenge)
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw PlatformProblem(
                status: .unauthorized, detail: "the Authorization header must be 'Bearer <platform API key>'",
                headers: challenge)
        }
        let presented = String(parts[1])
        if let sessions, presented.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
            let session: PlatformSession
            do {
                session = try PlatformSession.verify(presented, keys: sessions.keys, baseDomain: sessions.baseDomain)
            } catch {
                throw PlatformProblem(
                    status: .unauthorized, detail: "the session token is not valid: \(error.detail)",
                    headers: [
                        .wwwAuthenticate: "Bearer realm=\"open-csms-platform\", "
                            + AuthService.stripScheme(error.wwwAuthenticate)
                    ])
            }
            try Self.authorize(session, request: request)
            var context = context
            context.logger[metadataKey: "api.caller"] = "user:\(session.name ?? session.subject)"
            return try await next(request, context)
        }
        guard let name = Self.match(presented, keys: keys) else {
            context.logger.notice(
                "rejected a platform API request with an unknown key",
                metadata: ["http.path": "\(request.uri.path)", "keys.configured": "\(keys.count)"])
            throw PlatformProblem(
                status: .unauthorized,
                detail: keys.isEmpty
                    ? "no platform API key is configured (platform_api_keys in platform.yaml)"
                    : "the platform API key is not valid",
                headers: challenge)
        }
        var context = context
        context.logger[metadataKey: "api.key"] = "\(name)"
        return try await next(request, context)
    }

    /// platform-admin: everything; platform-operator: GET, and POST to worker restarts and resumes.
    static func authorize(_ session: PlatformSession, request: Request) throws {
        switch session.role {
        case "platform-admin":
            return
        case "platform-operator":
            let path = request.uri.path
            if request.method == .get || request.method == .head { return }
            if request.method == .post, path.contains("/workers/") || path.hasSuffix("/workers/restart") { return }
            throw PlatformProblem(
                status: .forbidden, detail: "platform operators may read and restart or resume workers, not change this"
            )
        default:
            throw PlatformProblem(
                status: .forbidden, detail: "the platform API needs a platform role; this session is \(session.role)")
        }
    }

    /// The name of the configured key whose digest is the presented key's, or nil. Every
    /// configured digest is compared, matched or not.
    static func match(_ presented: String, keys: [PlatformConfig.APIKey]) -> String? {
        APIKeyDigest.index(of: presented, among: keys.map(\.sha256)).map { keys[$0].name }
    }
}
