// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Config
import Credentials
import Foundation
import HTTPClient
import Identity
import JSON
import Logging

/// The control plane as an OIDC relying party (issue 6): logins through the platform's identity
/// provider end in a platform session token (``PlatformSession``) for one tenant or for the
/// platform; machine clients exchange the provider's access token for one.
///
/// A tenant may bring its own provider (tenant file `identity`): its logins go there, and its
/// identities get roles for that tenant only (never platform roles). Each tenant is bound to its
/// issuer (PROTOCOLS.md §4 item 8, RFC 9207 mix-up defence): a login remembers the provider it
/// was sent to, and the callback is checked against that provider alone.
///
/// Logins in progress and browser sessions (the provider's refresh token, behind an HttpOnly
/// cookie, so it never reaches page scripts) are kept in memory: a control-plane restart asks
/// people to log in again, which the provider's own session usually makes silent.
actor AuthService {
    /// One identity provider: the platform's, or the one a tenant brought.
    struct Provider: Sendable {
        let relyingParty: OIDCRelyingParty
        let rolesClaim: String
        /// `aud` its access tokens must carry at `/auth/token`.
        let accessTokenAudience: String
        /// The tenant whose own provider this is, with its claim value → tenant role map; nil: the
        /// platform's provider (roles by ``RoleMapping``).
        let tenant: String?
        let tenantRoles: [String: String]

        var issuer: String { relyingParty.settings.issuer }
    }

    struct PendingLogin: Sendable {
        let login: OIDCLoginRequest
        /// The provider the browser was sent to: the tenant whose own provider it is (nil: the
        /// platform's), and its issuer. The callback is only accepted from that issuer.
        let providerTenant: String?
        let issuer: String
        /// The cookie value the login is bound to (RFC 6749 §10.12: `state` tied to the browser).
        let binding: String
        let tenant: String?
        let returnTo: String
        /// `:port` of the platform host as the browser reached it (tenants share that port).
        let port: String
        let expires: ContinuousClock.Instant
    }

    struct BrowserSession: Sendable {
        /// The tenant whose own provider holds the refresh token; nil: the platform's.
        var providerTenant: String?
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
    let platformProvider: Provider
    /// The redirect URI tenant providers use unless their file names one: the platform's callback
    /// serves every provider (the pending login says which).
    let platformRedirectURI: String
    let keys: SessionKeys
    let baseDomain: String
    let mapping: RoleMapping
    /// scheme://admin.<base>[:port] of the redirect URI: where the browser comes back.
    let publicScheme: String
    let publicPort: String
    private let tenantExists: @Sendable (String) async -> Bool
    /// A tenant's `identity` from its file as it is now (nil: it uses the platform's provider);
    /// throws when the file cannot be read. Read on each use, so a tenant created or changed
    /// through the platform API gets its provider without a restart.
    private let tenantIdentity: @Sendable (String) async throws -> TenantConfig.IdentitySettings?
    /// Tenant providers built so far, with the settings and secret they were built from (a change
    /// in the file builds a new one).
    private var tenantProviders:
        [String: (settings: TenantConfig.IdentitySettings, secret: String, provider: Provider)] =
            [:]
    private let httpClient: any HTTPClientSending
    private let logger: Logger
    private var pending: [String: PendingLogin] = [:]
    private var sessions: [String: BrowserSession] = [:]

    init(
        settings: PlatformConfig.IdentitySettings, keys: SessionKeys, baseDomain: String,
        httpClient: any HTTPClientSending, tenantExists: @escaping @Sendable (String) async -> Bool,
        tenantIdentity: @escaping @Sendable (String) async throws -> TenantConfig.IdentitySettings? = { _ in nil },
        logger: Logger
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
        self.platformRedirectURI = redirect
        self.platformProvider = Provider(
            relyingParty: relyingParty, rolesClaim: settings.rolesClaim,
            accessTokenAudience: settings.accessTokenAudience ?? settings.clientID, tenant: nil, tenantRoles: [:])
        self.settings = settings
        self.keys = keys
        self.baseDomain = domain
        self.mapping = RoleMapping(settings)
        let url = URLComponents(string: redirect)
        self.publicScheme = url?.scheme ?? "https"
        self.publicPort = url?.port.map { ":\($0)" } ?? ""
        self.tenantExists = tenantExists
        self.tenantIdentity = tenantIdentity
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
        let provider = try await self.provider(for: tenant)
        try await checkReachable(provider)
        let start: OIDCRelyingParty.LoginStart
        do {
            start = try await provider.relyingParty.beginLogin()
        } catch {
            throw Self.failure(error)
        }
        expire()
        guard pending.count < Self.maximumPending else {
            throw .unavailable("too many logins in progress; retry in a minute")
        }
        let binding: String
        do {
            binding = try PasswordHash.randomToken(bytes: 32)
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
            login: start.login, providerTenant: provider.tenant, issuer: provider.issuer, binding: binding,
            tenant: tenant, returnTo: path, port: port,
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
        guard let binding, SecureBytes.equal(binding, login.binding) else {
            throw .badRequest("the login was started in another browser (the login cookie does not match)")
        }
        // Mix-up defence (RFC 9207 §2.4, PROTOCOLS.md §4 item 8): the answer must come from the
        // provider this login was sent to. The relying party checks `iss` and the ID token against
        // its own issuer too; this also refuses a tenant's file having meanwhile named another one.
        if let issuer = response.issuer, issuer != login.issuer {
            logger.notice(
                "a login callback names another issuer",
                metadata: ["oidc.issuer": "\(issuer)", "oidc.expected_issuer": "\(login.issuer)"])
            throw .badRequest(
                "the callback's iss is \(issuer), not the provider this login was sent to (\(login.issuer))")
        }
        let provider = try await self.provider(forPending: login)
        let result: OIDCLoginResult
        do {
            result = try await provider.relyingParty.completeLogin(callback: response, login: login.login)
        } catch {
            throw Self.failure(error)
        }
        let idToken = result.idToken
        guard idToken.issuer == login.issuer else {
            throw .unauthorized(
                "the ID token's issuer is \(idToken.issuer), not \(login.issuer)",
                challenge: "Bearer realm=\"open-csms\", error=\"invalid_token\"")
        }
        let values = idToken.strings(provider.rolesClaim)
        guard let granted = role(for: values, tenant: login.tenant, provider: provider) else {
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
            sessionID = try PasswordHash.randomToken(bytes: 32)
        } catch {
            throw .unavailable("no randomness: \(error)")
        }
        sessions[sessionID] = BrowserSession(
            providerTenant: provider.tenant, refreshToken: result.tokens.refreshToken, idToken: result.tokens.idToken,
            subject: session.subject,
            tenant: login.tenant, expires: .now + Self.browserSessionLifetime)
        let host = login.tenant.map { "\($0).\(baseDomain)" } ?? "admin.\(baseDomain)"
        logger.info(
            "logged in",
            metadata: [
                "session.subject": "\(session.subject)", "session.role": "\(session.role)",
                "session.tenant": "\(session.tenant ?? "-")",
            ])
        return LoginOutcome(
            token: token, session: session,
            redirect: "\(publicScheme)://\(host)\(login.port)\(login.returnTo)#session=\(token)",
            browserSession: sessionID)
    }

    // MARK: Machine clients

    /// RFC 8693-style exchange: the provider's access token (a JWT for our audience) for a session.
    ///
    /// For a tenant with its own provider the token is verified against that provider; a token of
    /// the platform's provider is accepted there only for a platform role (platform operators serve
    /// every tenant), never for a tenant role: who administers such a tenant is its provider's say.
    func exchange(accessToken: String, tenant: String?) async throws(Failure) -> (String, PlatformSession) {
        if let tenant, !(await tenantExists(tenant)) { throw .notFound("no tenant \(tenant)") }
        let tenantProvider = try await self.provider(for: tenant)
        var provider = tenantProvider
        // The unverified `iss` only picks which provider verifies the token; that provider then
        // checks the issuer, signature, audience and times itself.
        if provider.tenant != nil, let issuer = Self.unverifiedIssuer(accessToken), issuer != provider.issuer,
            issuer == platformProvider.issuer
        {
            provider = platformProvider
        }
        let verified: VerifiedToken
        do {
            verified = try await provider.relyingParty.verifyAccessToken(
                accessToken, audience: provider.accessTokenAudience)
        } catch {
            throw Self.failure(error)
        }
        guard let granted = role(for: verified.strings(provider.rolesClaim), tenant: tenant, provider: provider)
        else {
            throw .forbidden(
                tenant.map { "the token grants no role for tenant \($0)" } ?? "the token grants no platform role")
        }
        if let tenant, tenantProvider.tenant != nil, provider.tenant == nil, granted.tenant != nil {
            throw Self.ownProviderOnly(tenant)
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
        let provider = try await self.provider(forSession: browser)
        let result: OIDCRefreshResult
        do {
            result = try await provider.relyingParty.refresh(refreshToken: refreshToken)
        } catch {
            if error.code == .tokenRequestRejected { sessions[id] = nil }
            throw Self.failure(error)
        }
        browser.refreshToken = result.tokens.refreshToken ?? refreshToken
        if let idToken = result.tokens.idToken { browser.idToken = idToken }
        sessions[id] = browser
        // Roles follow the provider's current view when it sent a new ID token.
        let values = result.idToken?.strings(provider.rolesClaim)
        guard let values, let granted = role(for: values, tenant: browser.tenant, provider: provider) else {
            sessions[id] = nil
            throw .forbidden("your identity no longer grants a role here; log in again")
        }
        // A tenant that has brought its own provider since this session began takes tenant roles
        // from it alone.
        if let tenant = granted.tenant, provider.tenant == nil, try await self.provider(for: tenant).tenant != nil {
            sessions[id] = nil
            throw Self.ownProviderOnly(tenant)
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
        guard let provider = try? await self.provider(forSession: browser) else { return nil }
        return try? await provider.relyingParty.logoutURL(idTokenHint: browser.idToken)
    }

    // MARK: Providers

    /// The provider logins and tokens for `tenant` go through: the tenant's own when its file has
    /// `identity`, else the platform's.
    func provider(for tenant: String?) async throws(Failure) -> Provider {
        guard let tenant else { return platformProvider }
        // Slugs reach here from the request only after `tenantExists`; this keeps any other text
        // from becoming a file name.
        guard ConfigRules.slugProblem(tenant) == nil else { throw .notFound("no tenant \(tenant)") }
        let identity: TenantConfig.IdentitySettings?
        do {
            identity = try await tenantIdentity(tenant)
        } catch {
            logger.error(
                "a tenant's identity settings cannot be read", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            throw .unavailable("the identity settings of tenant \(tenant) cannot be read; ask the platform operator")
        }
        guard let identity else {
            tenantProviders[tenant] = nil
            return platformProvider
        }
        let secret: String
        do {
            secret = try SecretFile.read(identity.clientSecretFile)
        } catch {
            logger.error(
                "a tenant's client secret cannot be read",
                metadata: ["tenant": "\(tenant)", "file": "\(identity.clientSecretFile)", "error": "\(error)"])
            throw .unavailable("the identity provider of tenant \(tenant) is not usable; ask the platform operator")
        }
        if let cached = tenantProviders[tenant], cached.settings == identity, cached.secret == secret {
            return cached.provider
        }
        do {
            let provider = try Self.makeProvider(
                tenant: tenant, identity: identity, secret: secret, defaultRedirectURI: platformRedirectURI,
                httpClient: httpClient, logger: logger)
            tenantProviders[tenant] = (identity, secret, provider)
            logger.info(
                "a tenant logs in through its own identity provider",
                metadata: ["tenant": "\(tenant)", "oidc.issuer": "\(identity.issuer)"])
            return provider
        } catch {
            logger.error(
                "a tenant's identity provider is misconfigured", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            throw .unavailable("the identity provider of tenant \(tenant) is misconfigured: \(error.message)")
        }
    }

    static func makeProvider(
        tenant: String, identity: TenantConfig.IdentitySettings, secret: String, defaultRedirectURI: String,
        httpClient: any HTTPClientSending, logger: Logger
    ) throws(OIDCError) -> Provider {
        var options = OIDCRelyingParty.Options()
        options.jwksMinimumRefreshInterval = identity.jwksRefetchInterval
        let relyingParty = try OIDCRelyingParty(
            settings: OIDCProviderSettings(
                issuer: identity.issuer, clientID: identity.clientID, clientSecret: secret,
                redirectURI: identity.redirectURI ?? defaultRedirectURI, scopes: identity.scopes,
                requestedIDTokenClaims: identity.requestClaims, allowInsecureLoopback: identity.allowInsecureLoopback),
            httpClient: httpClient, options: options, logger: logger)
        return Provider(
            relyingParty: relyingParty, rolesClaim: identity.rolesClaim,
            accessTokenAudience: identity.accessTokenAudience ?? identity.clientID, tenant: tenant,
            tenantRoles: identity.roles)
    }

    /// The provider a pending login was sent to; refused when the tenant's file now names another.
    private func provider(forPending login: PendingLogin) async throws(Failure) -> Provider {
        guard let tenant = login.providerTenant else { return platformProvider }
        let provider = try await self.provider(for: tenant)
        guard provider.tenant == tenant, provider.issuer == login.issuer else {
            throw .badRequest("the identity provider of tenant \(tenant) changed during the login; log in again")
        }
        return provider
    }

    private func provider(forSession browser: BrowserSession) async throws(Failure) -> Provider {
        guard let tenant = browser.providerTenant else { return platformProvider }
        let provider = try await self.provider(for: tenant)
        guard provider.tenant == tenant, browser.subject.hasPrefix(provider.issuer + "|") else {
            throw .unauthorized(
                "the identity provider of tenant \(tenant) changed; log in again",
                challenge: "Bearer realm=\"open-csms\", error=\"invalid_token\"")
        }
        return provider
    }

    /// The role `values` grant for `tenant` through `provider`: a tenant's own provider grants
    /// roles for that tenant alone and never platform roles; the platform's maps by ``RoleMapping``.
    func role(for values: [String], tenant: String?, provider: Provider) -> (role: String, tenant: String?)? {
        guard let own = provider.tenant else { return mapping.role(for: values, tenant: tenant) }
        guard tenant == own else { return nil }
        return RoleMapping.strongest(values.compactMap { provider.tenantRoles[$0] }).map { ($0, own) }
    }

    static func ownProviderOnly(_ tenant: String) -> Failure {
        .forbidden(
            "tenant \(tenant) logs in through its own identity provider; the platform's provider grants only platform"
                + " roles there")
    }

    /// The `iss` claim of a JWT, read without verifying anything.
    static func unverifiedIssuer(_ token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count <= 16 * 1024 else { return nil }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text), case .object(let claims) = try? JSONValue.parse(Array(data)),
            case .string(let issuer)? = claims["iss"]
        else { return nil }
        return issuer
    }

    // MARK: Helpers

    private func checkReachable(_ provider: Provider) async throws(Failure) {
        let url = provider.relyingParty.settings.discoveryURL
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
}
