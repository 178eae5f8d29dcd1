// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Hummingbird
import Identity
import JSON

/// `/auth/` on the control plane (`admin.<base_domain>`): the OIDC login, the session-token
/// exchange for machine clients, refresh, logout and the platform's public session keys.
///
/// - `GET /auth/login?tenant=<slug>&return_to=<path>` → 302 to the identity provider (with a login
///   cookie binding the browser); 503 when the provider does not answer.
/// - `GET /auth/callback` → 302 to `<tenant>.<base_domain><return_to>#session=<token>`.
/// - `POST /auth/token` (`subject_token=<provider access token>&tenant=<slug>`, form or JSON, or the
///   access token as `Authorization: Bearer`) → `{"access_token", "token_type", "expires_in", ...}`.
/// - `POST /auth/refresh` (with the session cookie) → a new session token.
/// - `GET /auth/logout` → 302 to the provider's end-session page (or 204).
/// - `GET /auth/jwks` → the JWK Set workers verify session tokens with.
struct AuthRoutes: Sendable {
    let auth: AuthService?
    let keys: SessionKeys

    static let loginCookie = "csms_login"
    static let sessionCookie = "csms_session"

    func register<Context: RequestContext>(on router: Router<Context>) {
        let group = router.group("auth")
        let keys = self.keys
        group.get("jwks") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: keys.signer.publicJWKSetJSON)))
        }
        // What `open-csms login` needs to sign someone in with the device grant (RFC 8628): the
        // provider and the CLI's public client; the CLI then exchanges the access token at /auth/token.
        group.get("cli") { _, _ in
            let auth = try self.configured()
            guard let clientID = auth.settings.cliClientID else {
                throw PlatformProblem(
                    status: .notFound, detail: "no CLI client is configured (identity.cli_client_id in platform.yaml)")
            }
            let document = try await Self.run {
                do {
                    return try await auth.relyingParty.discoveryDocument()
                } catch let error as OIDCError {
                    throw AuthService.failure(error)
                }
            }
            var body: JSONObject = [
                "issuer": .string(document.issuer), "client_id": .string(clientID),
                "token_endpoint": .string(document.tokenEndpoint),
                "scopes": .array(auth.settings.scopes.map(JSONValue.string)),
            ]
            body["device_authorization_endpoint"] =
                (document.metadata["device_authorization_endpoint"]).flatMap { value in
                    if case .string = value { value } else { nil }
                } ?? .null
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(body).serialized())))
        }
        group.get("login") { request, _ in
            let auth = try self.configured()
            let query = request.uri.queryParameters
            let (url, binding) = try await Self.run {
                try await auth.beginLogin(
                    tenant: query.get("tenant").map { String($0) }, returnTo: query.get("return_to").map { String($0) },
                    host: request.head.authority)
            }
            var headers: HTTPFields = [.location: url, .cacheControl: "no-store"]
            headers[.setCookie] = Self.cookie(
                Self.loginCookie, binding, maxAge: 600, secure: auth.publicScheme == "https")
            return Response(status: .found, headers: headers)
        }
        group.get("callback") { request, _ in
            let auth = try self.configured()
            let outcome = try await Self.run {
                try await auth.completeLogin(
                    query: request.uri.query ?? "", binding: Self.cookieValue(Self.loginCookie, in: request))
            }
            var headers: HTTPFields = [.location: outcome.redirect, .cacheControl: "no-store"]
            headers.append(
                HTTPField(
                    name: .setCookie,
                    value: Self.cookie(
                        Self.sessionCookie, outcome.browserSession, maxAge: 12 * 3600,
                        secure: auth.publicScheme == "https")))
            headers.append(
                HTTPField(name: .setCookie, value: Self.cookie(Self.loginCookie, "", maxAge: 0, secure: false)))
            return Response(status: .found, headers: headers)
        }
        group.post("token") { request, _ in
            let auth = try self.configured()
            let fields = try await Self.fields(of: request)
            var token = fields["subject_token"] ?? fields["access_token"]
            if token == nil, let authorization = request.headers[.authorization] {
                let parts = authorization.split(separator: " ", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "bearer" { token = String(parts[1]) }
            }
            guard let token, !token.isEmpty else {
                throw PlatformProblem(
                    status: .badRequest,
                    detail: "send the identity provider's access token as subject_token (or Authorization: Bearer)")
            }
            let (minted, session) = try await Self.run {
                try await auth.exchange(accessToken: token, tenant: fields["tenant"])
            }
            return Self.tokenResponse(minted, session)
        }
        group.post("refresh") { request, _ in
            let auth = try self.configured()
            let (minted, session) = try await Self.run {
                try await auth.refresh(browserSession: Self.cookieValue(Self.sessionCookie, in: request))
            }
            return Self.tokenResponse(minted, session)
        }
        group.get("logout") { request, _ in
            let auth = try self.configured()
            let target = await auth.logout(browserSession: Self.cookieValue(Self.sessionCookie, in: request))
            var headers: HTTPFields = [.cacheControl: "no-store"]
            headers[.setCookie] = Self.cookie(Self.sessionCookie, "", maxAge: 0, secure: false)
            guard let target else { return Response(status: .noContent, headers: headers) }
            headers[.location] = target
            return Response(status: .found, headers: headers)
        }
    }

    private func configured() throws -> AuthService {
        guard let auth else {
            throw PlatformProblem(
                status: .notFound, detail: "no identity provider is configured (identity in platform.yaml)")
        }
        return auth
    }

    static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AuthService.Failure {
            switch error {
            case .badRequest(let detail): throw PlatformProblem(status: .badRequest, detail: detail)
            case .unauthorized(let detail, let challenge):
                throw PlatformProblem(status: .unauthorized, detail: detail, headers: [.wwwAuthenticate: challenge])
            case .forbidden(let detail): throw PlatformProblem(status: .forbidden, detail: detail)
            case .notFound(let detail): throw PlatformProblem(status: .notFound, detail: detail)
            case .unavailable(let detail):
                throw PlatformProblem(status: .serviceUnavailable, detail: detail, headers: [.retryAfter: "30"])
            }
        }
    }

    static func tokenResponse(_ token: String, _ session: PlatformSession) -> Response {
        var body: JSONObject = [
            "access_token": .string(token), "token_type": "Bearer",
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
            "expires_in": .integer(Int64(max(0, session.expiresAt.timeIntervalSinceNow.rounded()))),
            "role": .string(session.role),
        ]
        body["tenant"] = session.tenant.map(JSONValue.string) ?? .null
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(body).serialized())))
    }

    /// Form (`application/x-www-form-urlencoded`) or JSON object fields of a request body.
    static func fields(of request: Request) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        let bytes = Array(buffer.readableBytesView)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/json") {
            guard case .object(let object) = try? JSONValue.parse(bytes) else {
                throw PlatformProblem(status: .badRequest, detail: "the body is not a JSON object")
            }
            var fields: [String: String] = [:]
            for member in object.members { if case .string(let text) = member.value { fields[member.key] = text } }
            return fields
        }
        var fields: [String: String] = [:]
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            let value =
                parts.count > 1
                ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            fields[name] = value
        }
        return fields
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/auth; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    static func cookieValue(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }
}
