// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import JSON

/// A successful token endpoint answer (RFC 6749 §5.1, OIDC Core §3.1.3.3). The tokens are
/// credentials: keep them out of logs.
public struct OIDCTokenResponse: Sendable {
    public let accessToken: String
    /// Always `Bearer` (compared case-insensitively, RFC 6749 §7.1); other types are refused.
    public let tokenType: String
    public let idToken: String?
    public let refreshToken: String?
    /// Lifetime of the access token in seconds, when the provider says.
    public let expiresIn: Int?
    /// The granted scope, when the provider says (RFC 6749 §5.1: it may differ from the request).
    public let scope: String?
    public let body: JSONObject

    /// Reads a 200 answer's JSON object.
    public init(json object: JSONObject) throws(OIDCError) {
        guard case .string(let accessToken)? = object["access_token"], !accessToken.isEmpty else {
            throw OIDCError(.invalidProviderResponse, "the token response has no 'access_token' string (RFC 6749 §5.1)")
        }
        guard case .string(let tokenType)? = object["token_type"], tokenType.lowercased() == "bearer" else {
            throw OIDCError(
                .invalidProviderResponse, "the token response's 'token_type' is missing or not 'Bearer' (RFC 6749 §5.1)"
            )
        }
        func optionalString(_ name: String) throws(OIDCError) -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw OIDCError(.invalidProviderResponse, "the token response's '\(name)' is not a string")
            }
        }
        var expiresIn: Int?
        switch object["expires_in"] {
        case nil, .null?: expiresIn = nil
        case .integer(let seconds)?: expiresIn = Int(exactly: seconds)
        // Some providers send the number as a string; its meaning is the same.
        case .string(let text)?: expiresIn = Int(text)
        default: throw OIDCError(.invalidProviderResponse, "the token response's 'expires_in' is not a number")
        }
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.idToken = try optionalString("id_token")
        self.refreshToken = try optionalString("refresh_token")
        self.expiresIn = expiresIn
        self.scope = try optionalString("scope")
        self.body = object
    }
}

/// The outcome of a completed login: the provider's tokens and the verified ID token, whose
/// (`iss`, `sub`) names the user (OIDC Core §2: the pair is the stable identifier).
public struct OIDCLoginResult: Sendable {
    public let tokens: OIDCTokenResponse
    public let idToken: VerifiedToken

    public init(tokens: OIDCTokenResponse, idToken: VerifiedToken) {
        self.tokens = tokens
        self.idToken = idToken
    }
}

/// The outcome of a refresh (RFC 6749 §6): new tokens and, when the provider sent one, the new ID
/// token, verified and checked against the previous subject (OIDC Core §12.2).
public struct OIDCRefreshResult: Sendable {
    public let tokens: OIDCTokenResponse
    public let idToken: VerifiedToken?

    public init(tokens: OIDCTokenResponse, idToken: VerifiedToken?) {
        self.tokens = tokens
        self.idToken = idToken
    }
}
