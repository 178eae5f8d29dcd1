// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Why an OIDC step failed. `code` is stable and says how a caller answers:
/// ``Code-swift.struct/providerUnavailable`` is the identity provider being down (a 503 with
/// Retry-After at login); ``Code-swift.struct/configuration``, ``Code-swift.struct/discovery`` and
/// ``Code-swift.struct/invalidProviderResponse`` are a misconfigured or misbehaving provider (an
/// operator problem); the rest are a login attempt or token that must be refused (400/401).
public struct OIDCError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case configuration, discovery, providerUnavailable = "provider_unavailable"
            case invalidProviderResponse = "invalid_provider_response", authorizationFailed = "authorization_failed"
            case stateMismatch = "state_mismatch", tokenRequestRejected = "token_request_rejected"
            case tokenRejected = "token_rejected", nonceMismatch = "nonce_mismatch", idTokenInvalid = "id_token_invalid"
            case randomness
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The relying-party settings are unusable (an issuer that is not https, a bad redirect URI).
        public static let configuration = Code(.configuration)
        /// The discovery document is missing something required, names another issuer, or an
        /// endpoint that is not https.
        public static let discovery = Code(.discovery)
        /// The provider could not be reached or answered 5xx: connection refused, timeout, TLS
        /// failure. Cached keys keep working; a login cannot complete now.
        public static let providerUnavailable = Code(.providerUnavailable)
        /// The provider answered something that is not what the protocol says (not JSON, a JWKS
        /// without usable keys, a token response without `access_token`, a body over the size cap).
        public static let invalidProviderResponse = Code(.invalidProviderResponse)
        /// The authorization response carries `error` (RFC 6749 §4.1.2.1), e.g. `access_denied`, or
        /// has no `code`, or its `iss` is another issuer (RFC 9207 §2.4).
        public static let authorizationFailed = Code(.authorizationFailed)
        /// The `state` of the callback is missing or is not the one this login sent (RFC 6749 §10.12).
        public static let stateMismatch = Code(.stateMismatch)
        /// The token endpoint refused the request with an OAuth error (RFC 6749 §5.2), e.g.
        /// `invalid_grant` for a used code or a wrong PKCE verifier, `invalid_client`.
        public static let tokenRequestRejected = Code(.tokenRequestRejected)
        /// A JWT failed verification; ``OIDCError/rejection`` says why (signature, expiry, issuer,
        /// audience, unknown key).
        public static let tokenRejected = Code(.tokenRejected)
        /// The ID token's `nonce` is missing or not the one this login sent (OIDC Core §3.1.3.7 item 11).
        public static let nonceMismatch = Code(.nonceMismatch)
        /// The ID token is missing, or verifies but breaks an OIDC rule beyond the JWT checks:
        /// `at_hash` not matching the access token (OIDC Core §3.1.3.8), another `sub` after a
        /// refresh (§12.2).
        public static let idTokenInvalid = Code(.idTokenInvalid)
        /// OpenSSL could not produce random bytes for state, nonce or PKCE verifier.
        public static let randomness = Code(.randomness)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What happened with which input, and what to do.
    public let message: String
    /// The OAuth `error` code the provider sent (RFC 6749 §4.1.2.1, §5.2), when it sent one.
    public let oauthError: String?
    /// The provider's `error_description`, when it sent one. Provider text: log it, do not echo it
    /// into HTML unescaped.
    public let oauthErrorDescription: String?
    /// For ``Code-swift.struct/tokenRejected``: the verifier's reason, from which a
    /// `WWW-Authenticate` header can be built.
    public let rejection: JWTRejection?

    public init(
        _ code: Code, _ message: String, oauthError: String? = nil, oauthErrorDescription: String? = nil,
        rejection: JWTRejection? = nil
    ) {
        self.code = code
        self.message = message
        self.oauthError = oauthError
        self.oauthErrorDescription = oauthErrorDescription
        self.rejection = rejection
    }

    public var description: String { "\(code): \(message)" }
}
