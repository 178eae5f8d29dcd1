// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import HTTPClient
import JSON
public import Logging

/// Open-CSMS as the OIDC client of one identity provider: the authorization code flow with PKCE
/// (PROTOCOLS.md §4), refresh, logout, and ID/access token checks with the provider's cached keys.
/// Every request goes through ``HTTPClientSending`` (libcurl), every signature through OpenSSL.
///
/// The discovery document is fetched on first use and refreshed in the background after
/// ``Options-swift.struct/discoveryTimeToLive``; when that refresh fails the cached one stays in use.
public actor OIDCRelyingParty {
    public struct Options: Sendable {
        public var limits = OIDCRequestLimits()
        /// Provider metadata changes rarely (PROTOCOLS.md §4 item 1).
        public var discoveryTimeToLive: Duration = .seconds(24 * 3600)
        public var jwksTimeToLive: Duration = .seconds(3600)
        public var jwksMinimumRefreshInterval: Duration = .seconds(60)
        /// The server-side allow-list (RFC 8725 §3.1); never `none` or HMAC.
        public var allowedAlgorithms: Set<JWSAlgorithm> = [.rs256, .es256]
        /// Clock skew tolerated on `exp`, `nbf` and `iat`.
        public var leeway: Duration = .seconds(60)
        /// A login's ID token must have been issued within this time (OIDC Core §3.1.3.7 item 10:
        /// `iat` may bound the age); nil accepts any age while `exp` holds.
        public var maximumIDTokenAge: Duration? = .seconds(600)
        public init() {}
    }

    /// The start of a login: keep ``login`` server-side, send the browser to ``authorizationURL``.
    public struct LoginStart: Sendable {
        public let login: OIDCLoginRequest
        public let authorizationURL: String
    }

    public nonisolated let settings: OIDCProviderSettings
    public nonisolated let options: Options
    private let httpClient: any HTTPClientSending
    private let logger: Logger

    private var discovery: (document: OIDCDiscoveryDocument, fetchedAt: ContinuousClock.Instant)?
    private var discoveryInFlight: Task<Result<OIDCDiscoveryDocument, OIDCError>, Never>?
    private var lastDiscoveryAttempt: ContinuousClock.Instant?
    private var keyCache: JWKSCache?

    /// Checks `settings` (``OIDCError/Code-swift.struct/configuration`` lists every problem); no
    /// request is made until first use.
    public init(
        settings: OIDCProviderSettings, httpClient: any HTTPClientSending, options: Options = .init(),
        logger: Logger = Logger(label: "open-csms.oidc")
    ) throws(OIDCError) {
        try settings.validate()
        self.settings = settings
        self.options = options
        self.httpClient = httpClient
        var logger = logger
        logger[metadataKey: "oidc.issuer"] = "\(settings.issuer)"
        self.logger = logger
    }

    // MARK: - Provider metadata and keys

    /// The checked discovery document. The first call waits for the fetch; later ones return the
    /// cached document at once, and once it is older than ``Options-swift.struct/discoveryTimeToLive``
    /// start a refresh in the background (at most one per ``Options-swift.struct/jwksMinimumRefreshInterval``),
    /// so no request waits on the provider for metadata it already has.
    public func discoveryDocument() async throws(OIDCError) -> OIDCDiscoveryDocument {
        let now = ContinuousClock.now
        if let discovery {
            let stale = discovery.fetchedAt.duration(to: now) >= options.discoveryTimeToLive
            let mayRetry =
                lastDiscoveryAttempt.map { $0.duration(to: now) >= options.jwksMinimumRefreshInterval } ?? true
            if stale, discoveryInFlight == nil, mayRetry { _ = startDiscoveryFetch() }
            return discovery.document
        }
        let task = discoveryInFlight ?? startDiscoveryFetch()
        return try await task.value.get()
    }

    private func startDiscoveryFetch() -> Task<Result<OIDCDiscoveryDocument, OIDCError>, Never> {
        lastDiscoveryAttempt = .now
        let task = Task { await self.fetchDiscovery() }
        discoveryInFlight = task
        return task
    }

    private func fetchDiscovery() async -> Result<OIDCDiscoveryDocument, OIDCError> {
        defer { discoveryInFlight = nil }
        do {
            let document = try await OIDCDiscoveryDocument.fetch(
                settings: settings, httpClient: httpClient, limits: options.limits,
                allowedAlgorithms: options.allowedAlgorithms)
            if let discovery, discovery.document.jwksURI != document.jwksURI { keyCache = nil }
            discovery = (document, .now)
            return .success(document)
        } catch {
            if discovery != nil {
                logger.warning(
                    "OIDC discovery refresh failed; the cached document stays in use",
                    metadata: ["oidc.error": "\(error.message)"])
            }
            return .failure(error)
        }
    }

    /// The key cache for the provider's `jwks_uri`.
    public func jwksCache() async throws(OIDCError) -> JWKSCache {
        let document = try await discoveryDocument()
        if let keyCache { return keyCache }
        let cache = JWKSCache(
            jwksURI: document.jwksURI, httpClient: httpClient, timeToLive: options.jwksTimeToLive,
            minimumRefreshInterval: options.jwksMinimumRefreshInterval, limits: options.limits, logger: logger)
        keyCache = cache
        return cache
    }

    // MARK: - Login

    /// New login secrets and the authorization URL for them.
    public func beginLogin(
        extraParameters: [(name: String, value: String)] = []
    ) async throws(OIDCError) -> LoginStart {
        let document = try await discoveryDocument()
        let login = try OIDCLoginRequest()
        let url = try login.authorizationURL(
            endpoint: document.authorizationEndpoint, settings: settings, extraParameters: extraParameters)
        return LoginStart(login: login, authorizationURL: url)
    }

    /// The callback: checks `state` (and `iss`, `error`), exchanges the code with the PKCE verifier
    /// and validates the ID token including its `nonce`.
    public func completeLogin(
        callback: OIDCAuthorizationResponse, login: OIDCLoginRequest
    ) async throws(OIDCError) -> OIDCLoginResult {
        do {
            let document = try await discoveryDocument()
            let code = try callback.authorizationCode(
                for: login, expectedIssuer: document.issuer,
                requireIssuer: document.authorizationResponseIssuerParameterSupported)
            return try await exchange(code: code, login: login)
        } catch {
            logger.notice(
                "OIDC login refused",
                metadata: ["oidc.reason": "\(error.code)", "oidc.error": "\(error.message)"])
            throw error
        }
    }

    /// The token request of the code flow (RFC 6749 §4.1.3, RFC 7636 §4.5) and the ID-token checks
    /// (OIDC Core §3.1.3.5–§3.1.3.8). Call only after `state` was checked.
    public func exchange(code: String, login: OIDCLoginRequest) async throws(OIDCError) -> OIDCLoginResult {
        let tokens = try await tokenRequest(
            [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", settings.redirectURI),
                ("code_verifier", login.codeVerifier),
            ], purpose: "exchanging the authorization code")
        guard let idToken = tokens.idToken else {
            throw OIDCError(
                .idTokenInvalid, "the token response has no 'id_token' (OIDC Core §3.1.3.3); is 'openid' in the scope?")
        }
        let verified = try await verifyIDToken(
            idToken, nonce: login.nonce, accessToken: tokens.accessToken, maximumAge: options.maximumIDTokenAge)
        logger.info("OIDC login completed", metadata: ["oidc.sub": "\(verified.subject)"])
        return OIDCLoginResult(tokens: tokens, idToken: verified)
    }

    /// The refresh grant (RFC 6749 §6). A new ID token, when sent, is verified and must name the
    /// same `sub` as `previousIDToken` (OIDC Core §12.2).
    public func refresh(
        refreshToken: String, previousIDToken: VerifiedToken? = nil
    ) async throws(OIDCError) -> OIDCRefreshResult {
        let tokens = try await tokenRequest(
            [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], purpose: "refreshing tokens")
        guard let idToken = tokens.idToken else { return OIDCRefreshResult(tokens: tokens, idToken: nil) }
        let verified = try await verifyIDToken(idToken, nonce: nil, accessToken: tokens.accessToken, maximumAge: nil)
        if let previousIDToken, previousIDToken.subject != verified.subject {
            throw OIDCError(
                .idTokenInvalid,
                "the refreshed ID token names subject '\(verified.subject)', not '\(previousIDToken.subject)' "
                    + "(OIDC Core §12.2)")
        }
        return OIDCRefreshResult(tokens: tokens, idToken: verified)
    }

    // MARK: - Token checks

    /// An ID token: signature with the provider's keys, `iss` equal to the issuer, `aud` containing
    /// the client id (with `azp` when there are several), `exp`/`nbf`/`iat` with leeway, the allowed
    /// algorithms (OIDC Core §3.1.3.7); `nonce` equal to the one sent, when given (item 11); and
    /// `at_hash`, when the token has one and `accessToken` is given (§3.1.3.8).
    public func verifyIDToken(
        _ token: String, nonce: String?, accessToken: String? = nil, maximumAge: Duration? = nil
    ) async throws(OIDCError) -> VerifiedToken {
        let document = try await discoveryDocument()
        var validation = JWTValidation(issuer: document.issuer, audience: settings.clientID)
        validation.allowedAlgorithms = options.allowedAlgorithms
        validation.leeway = options.leeway
        validation.maxAge = maximumAge
        let verified = try await jwksCache().verify(token, validation: validation)
        if let nonce {
            guard let claimed = verified.string("nonce") else {
                throw OIDCError(.nonceMismatch, "the ID token has no 'nonce' although the login sent one")
            }
            guard OIDCPrimitives.constantTimeEqual(claimed, nonce) else {
                throw OIDCError(
                    .nonceMismatch, "the ID token's 'nonce' is not the one this login sent (a replayed ID token)")
            }
        }
        if let accessToken, let atHash = verified.string("at_hash") {
            // §3.3.2.11: base64url of the left half of the hash the JWS alg uses; RS256 and ES256
            // both use SHA-256.
            let digest = OIDCPrimitives.sha256(Array(accessToken.utf8))
            guard OIDCPrimitives.constantTimeEqual(atHash, OIDCPrimitives.base64URL(Array(digest.prefix(16)))) else {
                throw OIDCError(.idTokenInvalid, "the ID token's 'at_hash' does not match the access token")
            }
        }
        return verified
    }

    /// A JWT access token from this provider (RFC 9068), for a machine client exchanging it for a
    /// platform token: signature, `iss`, `aud` containing `audience`, times.
    public func verifyAccessToken(_ token: String, audience: String) async throws(OIDCError) -> VerifiedToken {
        let document = try await discoveryDocument()
        var validation = JWTValidation(issuer: document.issuer, audience: audience)
        validation.allowedAlgorithms = options.allowedAlgorithms
        validation.leeway = options.leeway
        return try await jwksCache().verify(token, validation: validation)
    }

    // MARK: - Logout

    /// The provider's logout URL (OpenID RP-Initiated Logout 1.0 §2) with `id_token_hint`,
    /// `post_logout_redirect_uri` (registered at the provider), `state` and `client_id`; nil when
    /// the provider has no `end_session_endpoint`, in which case only the local session ends.
    public func logoutURL(
        idTokenHint: String?, postLogoutRedirectURI: String? = nil, state: String? = nil
    ) async throws(OIDCError) -> String? {
        guard let endpoint = try await discoveryDocument().endSessionEndpoint else { return nil }
        var fields: [(name: String, value: String)] = []
        if let idTokenHint { fields.append(("id_token_hint", idTokenHint)) }
        if let postLogoutRedirectURI { fields.append(("post_logout_redirect_uri", postLogoutRedirectURI)) }
        if let state { fields.append(("state", state)) }
        fields.append(("client_id", settings.clientID))
        let separator = endpoint.contains("?") ? "&" : "?"
        return endpoint + separator + HTTPClientForm.encode(fields)
    }

    // MARK: - Token endpoint

    /// POSTs `fields` with client_secret_basic (RFC 6749 §2.3.1: id and secret are form-encoded
    /// before Basic encoding) and reads the answer (§5.1, §5.2).
    private func tokenRequest(
        _ fields: [(name: String, value: String)], purpose: String
    ) async throws(OIDCError) -> OIDCTokenResponse {
        let document = try await discoveryDocument()
        var headers = HTTPClientHeaders()
        headers.add(
            name: "Authorization",
            value: HTTPClientHeaders.basicAuthorization(
                username: HTTPClientForm.percentEncode(settings.clientID),
                password: HTTPClientForm.percentEncode(settings.clientSecret)))
        let response = try await OIDCTransport.send(
            .form(url: document.tokenEndpoint, fields: fields, headers: headers), limits: options.limits,
            client: httpClient, purpose: purpose)
        if response.status == 200 {
            return try OIDCTokenResponse(json: OIDCTransport.jsonObject(response, purpose: purpose))
        }
        // §5.2: errors come as 400 (401 for invalid_client) with a JSON body naming the error.
        if (400..<500).contains(response.status),
            let object = try? OIDCTransport.jsonObject(response, purpose: purpose),
            case .string(let error)? = object["error"]
        {
            var description: String?
            if case .string(let text)? = object["error_description"] { description = text }
            throw OIDCError(
                .tokenRequestRejected,
                "\(purpose): the token endpoint refused it with '\(error)'"
                    + (description.map { " (\($0.prefix(300)))" } ?? ""),
                oauthError: error, oauthErrorDescription: description)
        }
        throw OIDCError(
            .invalidProviderResponse,
            "\(purpose): the token endpoint answered \(response.status) without an OAuth error object")
    }
}
