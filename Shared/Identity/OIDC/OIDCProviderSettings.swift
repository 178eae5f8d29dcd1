// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient

/// One identity provider as the platform (or a tenant) configures it, with Open-CSMS as a
/// confidential client that authenticates with `client_secret_basic`.
public struct OIDCProviderSettings: Sendable, Equatable {
    /// The issuer identifier, compared by exact string equality with the discovery document's
    /// `issuer` and every token's `iss` (OIDC Discovery §4.3, OIDC Core §3.1.3.7): no trailing slash
    /// unless the provider writes one.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The callback URL registered at the provider, sent byte for byte (RFC 6749 §3.1.2, exact match
    /// per RFC 9700 §2.1).
    public var redirectURI: String
    /// Must contain `openid` (OIDC Core §3.1.2.1).
    public var scopes: [String]
    /// Claims asked for in the ID token through the `claims` request parameter (OIDC Core §5.5),
    /// e.g. `["groups"]` when roles are mapped from a group claim that the provider only puts into
    /// the ID token on request. Empty sends no `claims` parameter.
    public var requestedIDTokenClaims: [String]
    /// Allows `http://` to a loopback host for the issuer, its endpoints and the redirect URI:
    /// development and tests only. Everything else must be https.
    public var allowInsecureLoopback: Bool

    public init(
        issuer: String, clientID: String, clientSecret: String, redirectURI: String,
        scopes: [String] = ["openid", "profile", "email"], requestedIDTokenClaims: [String] = [],
        allowInsecureLoopback: Bool = false
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.requestedIDTokenClaims = requestedIDTokenClaims
        self.allowInsecureLoopback = allowInsecureLoopback
    }

    /// `{issuer}/.well-known/openid-configuration` (OIDC Discovery §4: a trailing slash of the
    /// issuer is removed before the path is appended).
    public var discoveryURL: String {
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/.well-known/openid-configuration"
    }

    /// Checks every setting and reports all problems in one ``OIDCError/Code-swift.struct/configuration`` error.
    public func validate() throws(OIDCError) {
        var problems: [String] = []
        if let problem = Self.urlProblem(issuer, allowInsecureLoopback: allowInsecureLoopback) {
            problems.append("issuer '\(issuer)': \(problem)")
        } else if issuer.contains("?") || issuer.contains("#") {
            // OIDC Discovery §3 / RFC 8414 §2: the issuer has no query or fragment.
            problems.append("issuer '\(issuer)': an issuer identifier has no query or fragment")
        }
        if clientID.isEmpty { problems.append("clientID is empty") }
        if clientSecret.isEmpty { problems.append("clientSecret is empty; Open-CSMS is a confidential client") }
        if let problem = Self.urlProblem(redirectURI, allowInsecureLoopback: allowInsecureLoopback) {
            problems.append("redirectURI '\(redirectURI)': \(problem)")
        } else if redirectURI.contains("#") {
            problems.append("redirectURI '\(redirectURI)': a redirection URI has no fragment (RFC 6749 §3.1.2)")
        }
        if !scopes.contains("openid") { problems.append("scopes \(scopes) must include 'openid'") }
        if let bad = (scopes + requestedIDTokenClaims).first(where: { $0.isEmpty || $0.contains(" ") }) {
            problems.append("scope or claim name '\(bad)' is empty or contains a space")
        }
        guard problems.isEmpty else {
            throw OIDCError(.configuration, "OIDC provider settings: " + problems.joined(separator: "; "))
        }
    }

    /// Nil when `url` is an absolute https URL, or http to a loopback host while that is allowed.
    static func urlProblem(_ url: String, allowInsecureLoopback: Bool) -> String? {
        let parsed: HTTPClientURL
        do {
            parsed = try HTTPClientURL.parse(url)
        } catch {
            return error.code == .refusedInsecure ? "must be https" : "not an absolute https URL"
        }
        if parsed.scheme == "http" && !allowInsecureLoopback {
            return "must be https (plain http to loopback is only allowed with allowInsecureLoopback, for tests)"
        }
        return nil
    }
}
