// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import JSON

/// The secrets of one login attempt, kept server-side (bound to the browser's pre-login session)
/// from the redirect to the provider until its callback: `state` against CSRF (RFC 6749 §10.12),
/// `nonce` against ID-token replay (OIDC Core §3.1.2.1, §15.5.2) and the PKCE verifier against
/// code interception (RFC 7636 §1). Store the three strings; rebuild with
/// ``init(state:nonce:codeVerifier:)``.
public struct OIDCLoginRequest: Sendable, Hashable {
    public let state: String
    public let nonce: String
    public let codeVerifier: String

    /// New random values from OpenSSL: 256 bits each, base64url (43 characters).
    public init() throws(OIDCError) {
        state = try OIDCPrimitives.randomToken(bytes: 32)
        nonce = try OIDCPrimitives.randomToken(bytes: 32)
        codeVerifier = try PKCE.makeVerifier()
    }

    /// Restores a stored login. The verifier must follow RFC 7636 §4.1 and `state`/`nonce` must be
    /// non-empty printable ASCII, or the values did not come from ``init()``.
    public init(state: String, nonce: String, codeVerifier: String) throws(OIDCError) {
        guard PKCE.isValidVerifier(codeVerifier) else {
            throw OIDCError(
                .configuration, "the stored PKCE verifier is not 43-128 characters of the RFC 7636 §4.1 set")
        }
        for (name, value) in [("state", state), ("nonce", nonce)] {
            guard !value.isEmpty, value.utf8.count <= 512, value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw OIDCError(.configuration, "the stored \(name) is empty, too long or not printable ASCII")
            }
        }
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
    }

    /// `BASE64URL(SHA256(codeVerifier))` (RFC 7636 §4.2).
    public var codeChallenge: String { PKCE.challenge(for: codeVerifier) }

    /// The parameters every authorization request of this login carries; ``authorizationURL(endpoint:settings:extraParameters:)``
    /// refuses extra parameters with these names.
    public static let reservedParameters: Set<String> = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
        "code_challenge_method", "claims", "request", "request_uri", "response_mode",
    ]

    /// The URL to send the browser to (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3):
    /// `response_type=code`, `client_id`, `redirect_uri` exactly as configured, `scope`, `state`,
    /// `nonce`, `code_challenge`, `code_challenge_method=S256`, and `claims` when the settings ask
    /// for ID-token claims (§5.5). `extraParameters` adds e.g. `prompt` or `login_hint`.
    public func authorizationURL(
        endpoint: String, settings: OIDCProviderSettings, extraParameters: [(name: String, value: String)] = []
    ) throws(OIDCError) -> String {
        if let reserved = extraParameters.first(where: { Self.reservedParameters.contains($0.name) }) {
            throw OIDCError(
                .configuration, "the extra authorization parameter '\(reserved.name)' would replace one the flow sets")
        }
        var fields: [(name: String, value: String)] = [
            ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", settings.redirectURI),
            ("scope", settings.scopes.joined(separator: " ")), ("state", state), ("nonce", nonce),
            ("code_challenge", codeChallenge), ("code_challenge_method", PKCE.method),
        ]
        if !settings.requestedIDTokenClaims.isEmpty {
            // OIDC Core §5.5: {"id_token": {"<claim>": null, ...}} — null asks for the claim in the
            // default (voluntary) manner.
            var wanted = JSONObject()
            for claim in settings.requestedIDTokenClaims { wanted[claim] = .null }
            fields.append(("claims", JSONValue.object(["id_token": .object(wanted)]).jsonText))
        }
        fields += extraParameters
        // RFC 6749 §3.1: the endpoint may carry its own query, which must be kept; a fragment is not allowed.
        let base = endpoint.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
        guard let base, !base.isEmpty else {
            throw OIDCError(.configuration, "the authorization endpoint is empty")
        }
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + HTTPClientForm.encode(fields)
    }
}

/// The parameters the provider sends back to the redirect URI (RFC 6749 §4.1.2, §4.1.2.1,
/// RFC 9207 §2).
public struct OIDCAuthorizationResponse: Sendable, Equatable {
    public let code: String?
    public let state: String?
    public let error: String?
    public let errorDescription: String?
    /// RFC 9207 `iss`, when the provider sends it.
    public let issuer: String?

    public init(
        code: String?, state: String?, error: String? = nil, errorDescription: String? = nil, issuer: String? = nil
    ) {
        self.code = code
        self.state = state
        self.error = error
        self.errorDescription = errorDescription
        self.issuer = issuer
    }

    /// Reads the callback's query string (with or without the leading `?`). A parameter that comes
    /// twice is refused (RFC 6749 §3.1: "MUST NOT be included more than once").
    public init(query: String) throws(OIDCError) {
        let text = query.hasPrefix("?") ? Substring(query.dropFirst()) : Substring(query)
        guard let fields = HTTPClientForm.decode(text) else {
            throw OIDCError(.authorizationFailed, "the callback query has a malformed percent-escape or is not UTF-8")
        }
        try self.init(parameters: fields)
    }

    /// Reads already decoded callback parameters; unknown ones are ignored.
    public init(parameters: [(name: String, value: String)]) throws(OIDCError) {
        var values: [String: String] = [:]
        for (name, value) in parameters where ["code", "state", "error", "error_description", "iss"].contains(name) {
            guard values[name] == nil else {
                throw OIDCError(.authorizationFailed, "the callback carries '\(name)' more than once (RFC 6749 §3.1)")
            }
            values[name] = value
        }
        self.init(
            code: values["code"], state: values["state"], error: values["error"],
            errorDescription: values["error_description"], issuer: values["iss"])
    }

    /// The authorization code, after the checks in the order that keeps an attacker's callback from
    /// reaching the provider: `state` first (constant-time, RFC 6749 §10.12), then `iss` (RFC 9207
    /// §2.4, mix-up defence: it must equal the issuer when present, and be present when
    /// `requireIssuer`, i.e. when the provider's metadata says it sends it), then `error`, then a
    /// non-empty `code`.
    public func authorizationCode(
        for login: OIDCLoginRequest, expectedIssuer: String, requireIssuer: Bool = false
    ) throws(OIDCError) -> String {
        guard let state, OIDCPrimitives.constantTimeEqual(state, login.state) else {
            throw OIDCError(
                .stateMismatch,
                state == nil
                    ? "the callback has no 'state'; the login was not started here or the provider dropped it"
                    : "the callback's 'state' is not the one this login sent (a forged or replayed callback, or "
                        + "another browser tab); start the login again")
        }
        if issuer == nil && requireIssuer {
            throw OIDCError(
                .authorizationFailed,
                "the callback has no 'iss' although the provider announces it (RFC 9207 §2.4); refusing a possible "
                    + "mix-up")
        }
        if let issuer, issuer != expectedIssuer {
            throw OIDCError(
                .authorizationFailed,
                "the callback's 'iss' is '\(issuer)', not the configured issuer '\(expectedIssuer)' (RFC 9207 §2.4)")
        }
        if let error {
            throw OIDCError(
                .authorizationFailed, "the provider refused the authorization request: \(error)",
                oauthError: error, oauthErrorDescription: errorDescription)
        }
        guard let code, !code.isEmpty else {
            throw OIDCError(.authorizationFailed, "the callback has neither 'code' nor 'error'")
        }
        return code
    }
}
