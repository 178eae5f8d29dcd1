// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Config
import Foundation
import HTTPClient
import Identity
import Logging

/// The control plane as an OIDC relying party (issue 6): logins through the platform's identity
/// provider end in a platform session token (``PlatformSession``) for one tenant or for the
/// platform; machine clients exchange the provider's access token for one.
///
/// Logins in progress and browser sessions (the provider's refresh token, behind an HttpOnly
/// cookie, so it never reaches page scripts) are kept in memory: a control-plane restart asks
/// people to log in again, which the provider's own session usually makes silent.
actor AuthService {
    struct PendingLogin: Sendable {
        let login: OIDCLoginRequest
        /// The cookie value the login is bound to (RFC 6749 §10.12: `state` tied to the browser).
        let binding: String
        let tenant: String?
        let returnTo: String
        /// `:port` of the platform host as the browser reached it (tenants share that port).
        let port: String
        let expires: ContinuousClock.Instant
    }

    struct BrowserSession: Sendable {
        var refreshToken: String?
        var idToken: String?
        var subject: String
        var tenant: String?
        var expires: ContinuousClock.Instant
    }

    /// A minted session and where the browser goes next.
    struct LoginOutcome: Sendable {
        let token: String
        let session: PlatformSession
        let redirect: String
        let browserSession: String
    }

    enum Failure: Error, Sendable {
        /// 400: a callback without a login in progress, a state or cookie that does not match.
        case badRequest(String)
        /// 401 with a `WWW-Authenticate` value.
        case unauthorized(String, challenge: String)
        /// 403: the identity is valid but grants no role here.
        case forbidden(String)
        /// 404: an unknown tenant.
        case notFound(String)
        /// 503: the identity provider does not answer.
        case unavailable(String)
    }

    static let loginLifetime: Duration = .seconds(600)
    static let browserSessionLifetime: Duration = .seconds(12 * 3600)
    static let maximumPending = 10_000

    let settings: PlatformConfig.IdentitySettings
    let relyingParty: OIDCRelyingParty
    let keys: SessionKeys
    let baseDomain: String
    let mapping: RoleMapping
    /// scheme://admin.<base>[:port] of the redirect URI: where the browser comes back.
    let publicScheme: String
    let publicPort: String
    private let tenantExists: @Sendable (String) async -> Bool
    private let httpClient: any HTTPClientSending
    private let logger: Logger
    private var pending: [String: PendingLogin] = [:]
    private var sessions: [String: BrowserSession] = [:]

    init(
        settings: PlatformConfig.IdentitySettings, keys: SessionKeys, baseDomain: String,
        httpClient: any HTTPClientSending, tenantExists: @escaping @Sendable (String) async -> Bool, logger: Logger
    ) throws {
        let secret = try SecretFile.read(settings.clientSecretFile)
        var domain = baseDomain.lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        let redirect = settings.redirectURI ?? "https://admin.\(domain)/auth/callback"
        self.relyingParty = try OIDCRelyingParty(
            settings: OIDCProviderSettings(
                issuer: settings.issuer, clientID: settings.clientID, clientSecret: secret, redirectURI: redirect,
                scopes: settings.scopes, requestedIDTokenClaims: settings.requestClaims,
                allowInsecureLoopback: settings.allowInsecureLoopback),
            httpClient: httpClient,
            options: {
                var options = OIDCRelyingParty.Options()
                options.jwksMinimumRefreshInterval = settings.jwksRefetchInterval
                return options
            }(), logger: logger)
        self.settings = settings
        self.keys = keys
        self.baseDomain = domain
        self.mapping = RoleMapping(settings)
        let url = URLComponents(string: redirect)
        self.publicScheme = url?.scheme ?? "https"
        self.publicPort = url?.port.map { ":\($0)" } ?? ""
        self.tenantExists = tenantExists
        self.httpClient = httpClient
        self.logger = logger
    }

    // MARK: Browser login

    /// Starts a login for `tenant` (nil: the platform): the authorization URL and the cookie value
    /// the browser must bring back.
    /// `host` is the request's Host: when it is `admin.<base_domain>:<port>`, the browser is sent
    /// back to the tenant on that port.
    func beginLogin(
        tenant: String?, returnTo: String?, host: String?
    ) async throws(Failure) -> (
        url: String, binding: String
    ) {
        if let tenant, !(await tenantExists(tenant)) { throw .notFound("no tenant \(tenant)") }
        let path = returnTo ?? "/"
        // Only a path on the tenant's own host: never an open redirect.
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count <= 2000 else {
            throw .badRequest("return_to must be a path on the tenant's host, such as /stations")
        }
        // The login page is the provider's: sending a browser there while it is down only moves the
        // error. Logins are rare, so each one costs one quick check.
        try await checkProviderReachable()
        let start: OIDCRelyingParty.LoginStart
        do {
            start = try await relyingParty.beginLogin()
        } catch {
            throw Self.failure(error)
        }
        expire()
        guard pending.count < Self.maximumPending else {
            throw .unavailable("too many logins in progress; retry in a minute")
        }
        let binding: String
        do {
            binding = try OIDCLoginRequest().state  // 256 random bits, base64url
        } catch {
            throw .unavailable("no randomness: \(error)")
        }
        var port = publicPort
        if let host = host?.lowercased(), host.hasPrefix("admin.\(baseDomain):"),
            let value = host.split(separator: ":").last, Int(value) != nil
        {
            port = ":\(value)"
        }
        pending[start.login.state] = PendingLogin(
            login: start.login, binding: binding, tenant: tenant, returnTo: path, port: port,
            expires: .now + Self.loginLifetime)
        return (start.authorizationURL, binding)
    }

    /// Completes a login from the provider's redirect; `binding` is the login cookie.
    func completeLogin(query: String, binding: String?) async throws(Failure) -> LoginOutcome {
        let response: OIDCAuthorizationResponse
        do {
            response = try OIDCAuthorizationResponse(query: query)
        } catch {
            throw .badRequest("the callback's query is malformed: \(error)")
        }
        expire()
        guard let state = response.state, let login = pending.removeValue(forKey: state) else {
            throw .badRequest("no login is in progress for this state (expired, used, or never started)")
        }
        guard let binding, Self.constantTimeEqual(binding, login.binding) else {
            throw .badRequest("the login was started in another browser (the login cookie does not match)")
        }
        let result: OIDCLoginResult
        do {
            result = try await relyingParty.completeLogin(callback: response, login: login.login)
        } catch {
            throw Self.failure(error)
        }
        let idToken = result.idToken
        let values = idToken.strings(settings.rolesClaim)
        guard let granted = mapping.role(for: values, tenant: login.tenant) else {
            logger.notice(
                "a login granted no role",
                metadata: ["oidc.subject": "\(idToken.subject)", "tenant": "\(login.tenant ?? "-")"])
            throw .forbidden(
                login.tenant.map { "your identity grants no role for tenant \($0)" }
                    ?? "your identity grants no platform role")
        }
        let session = PlatformSession(
            subject: "\(idToken.issuer)|\(idToken.subject)",
            name: idToken.string("email") ?? idToken.string("name") ?? idToken.string("preferred_username"),
            role: granted.role, tenant: granted.tenant,
            expiresAt: Date().addingTimeInterval(Double(settings.sessionLifetime.components.seconds)))
        let token = try mint(session)
        let sessionID: String
        do {
            sessionID = try OIDCLoginRequest().state
        } catch {
            throw .unavailable("no randomness: \(error)")
        }
        sessions[sessionID] = BrowserSession(
            refreshToken: result.tokens.refreshToken, idToken: result.tokens.idToken, subject: session.subject,
            tenant: login.tenant, expires: .now + Self.browserSessionLifetime)
        let host = login.tenant.map { "\($0).\(baseDomain)" } ?? "admin.\(baseDomain)"
        logger.info(
            "logged in", metadata: ["session.subject": "\(session.subject)", "session.role": "\(session.role)"])
        return LoginOutcome(
            token: token, session: session,
            redirect: "\(publicScheme)://\(host)\(login.port)\(login.returnTo)#session=\(token)",
            browserSession: sessionID)
    }

    // MARK: Machine clients

    /// RFC 8693-style exchange: the provider's access token (a JWT for our audience) for a session.
    func exchange(accessToken: String, tenant: String?) async throws(Failure) -> (String, PlatformSession) {
        if let tenant, !(await tenantExists(tenant)) { throw .notFound("no tenant \(tenant)") }
        let verified: VerifiedToken
        do {
            verified = try await relyingParty.verifyAccessToken(
                accessToken, audience: settings.accessTokenAudience ?? settings.clientID)
        } catch {
            throw Self.failure(error)
        }
        guard let granted = mapping.role(for: verified.strings(settings.rolesClaim), tenant: tenant) else {
            throw .forbidden(
                tenant.map { "the token grants no role for tenant \($0)" } ?? "the token grants no platform role")
        }
        let session = PlatformSession(
            subject: "\(verified.issuer)|\(verified.subject)",
            name: verified.string("email") ?? verified.string("preferred_username"), role: granted.role,
            tenant: granted.tenant,
            expiresAt: Date().addingTimeInterval(Double(settings.sessionLifetime.components.seconds)))
        return (try mint(session), session)
    }

    // MARK: Refresh and logout

    /// A new session token for a browser session, through the provider's refresh token.
    func refresh(browserSession id: String?) async throws(Failure) -> (String, PlatformSession) {
        expire()
        guard let id, var browser = sessions[id], let refreshToken = browser.refreshToken else {
            throw .unauthorized(
                "no browser session; log in again", challenge: "Bearer realm=\"open-csms\", error=\"invalid_token\"")
        }
        let result: OIDCRefreshResult
        do {
            result = try await relyingParty.refresh(refreshToken: refreshToken)
        } catch {
            if error.code == .tokenRequestRejected { sessions[id] = nil }
            throw Self.failure(error)
        }
        browser.refreshToken = result.tokens.refreshToken ?? refreshToken
        if let idToken = result.tokens.idToken { browser.idToken = idToken }
        sessions[id] = browser
        // Roles follow the provider's current view when it sent a new ID token.
        let values = result.idToken?.strings(settings.rolesClaim)
        guard let values, let granted = mapping.role(for: values, tenant: browser.tenant) else {
            sessions[id] = nil
            throw .forbidden("your identity no longer grants a role here; log in again")
        }
        let session = PlatformSession(
            subject: browser.subject, name: result.idToken?.string("email"), role: granted.role,
            tenant: granted.tenant,
            expiresAt: Date().addingTimeInterval(Double(settings.sessionLifetime.components.seconds)))
        return (try mint(session), session)
    }

    /// Ends the browser session; returns the provider's end-session URL when it has one.
    func logout(browserSession id: String?) async -> String? {
        guard let id, let browser = sessions.removeValue(forKey: id) else { return nil }
        return try? await relyingParty.logoutURL(idTokenHint: browser.idToken)
    }

    // MARK: Helpers

    private func checkProviderReachable() async throws(Failure) {
        let url = relyingParty.settings.discoveryURL
        do {
            let answer = try await httpClient.send(
                HTTPClientRequest(url: url, connectTimeout: .seconds(2), timeout: .seconds(3)))
            guard answer.status == 200 else {
                throw Failure.unavailable("the identity provider answered \(answer.status); retry later")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .unavailable("the identity provider is not reachable (\(error)); retry later")
        }
    }

    private func mint(_ session: PlatformSession) throws(Failure) -> String {
        do {
            return try session.mint(signer: keys.signer, baseDomain: baseDomain)
        } catch {
            throw .unavailable("cannot sign the session token: \(error)")
        }
    }

    private func expire() {
        let now = ContinuousClock.now
        pending = pending.filter { $0.value.expires > now }
        sessions = sessions.filter { $0.value.expires > now }
    }

    static func failure(_ error: OIDCError) -> Failure {
        switch error.code {
        case .providerUnavailable, .discovery, .invalidProviderResponse, .randomness, .configuration:
            return .unavailable("the identity provider is not available: \(error.message)")
        case .tokenRejected, .idTokenInvalid, .nonceMismatch:
            let challenge =
                error.rejection.map { "Bearer realm=\"open-csms\", " + Self.stripScheme($0.wwwAuthenticate) }
                ?? "Bearer realm=\"open-csms\", error=\"invalid_token\""
            return .unauthorized(error.message, challenge: challenge)
        case .stateMismatch, .authorizationFailed, .tokenRequestRejected:
            return .badRequest(error.message)
        default:
            return .badRequest(error.message)
        }
    }

    /// `Bearer error=…` → `error=…` (the caller adds the scheme and realm once).
    static func stripScheme(_ challenge: String) -> String {
        var text = Substring(challenge)
        if text.lowercased().hasPrefix("bearer ") { text = text.dropFirst(7) }
        return String(text)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
