// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import HTTPClient
public import JSON

/// The provider metadata of OpenID Connect Discovery 1.0 §3, checked for what a confidential
/// server-side client using the code flow with PKCE relies on.
public struct OIDCDiscoveryDocument: Sendable {
    public let issuer: String
    public let authorizationEndpoint: String
    public let tokenEndpoint: String
    public let jwksURI: String
    public let userinfoEndpoint: String?
    /// OpenID RP-Initiated Logout 1.0 §2.1; nil when the provider offers no logout.
    public let endSessionEndpoint: String?
    public let responseTypesSupported: [String]
    public let subjectTypesSupported: [String]
    public let idTokenSigningAlgorithmsSupported: [String]
    /// Nil when the document does not say (many providers support PKCE without listing it).
    public let codeChallengeMethodsSupported: [String]?
    public let tokenEndpointAuthMethodsSupported: [String]?
    /// RFC 9207 §3: the provider adds `iss` to its authorization responses.
    public let authorizationResponseIssuerParameterSupported: Bool
    /// The whole document, for members not modelled here.
    public let metadata: JSONObject

    /// Parses and checks `json`. Every problem is reported at once in one
    /// ``OIDCError/Code-swift.struct/discovery`` error.
    ///
    /// - `issuer` must equal `expectedIssuer` exactly (OIDC Discovery §4.3: anything else is an
    ///   impersonation attempt or a misconfiguration).
    /// - Required (§3): `authorization_endpoint`, `token_endpoint`, `jwks_uri`,
    ///   `response_types_supported` (containing `code`), `subject_types_supported`,
    ///   `id_token_signing_alg_values_supported` (sharing an algorithm with `allowedAlgorithms`).
    /// - Every endpoint is https, or http to loopback when `allowInsecureLoopback`.
    /// - When listed, `code_challenge_methods_supported` contains `S256` and
    ///   `token_endpoint_auth_methods_supported` contains `client_secret_basic`.
    public init(
        json: [UInt8], expectedIssuer: String, allowInsecureLoopback: Bool = false,
        allowedAlgorithms: Set<JWSAlgorithm> = [.rs256, .es256]
    ) throws(OIDCError) {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(json)
        } catch {
            throw OIDCError(.discovery, "the discovery document of \(expectedIssuer) is not valid JSON: \(error)")
        }
        guard case .object(let object) = parsed else {
            throw OIDCError(.discovery, "the discovery document of \(expectedIssuer) is not a JSON object")
        }
        var problems: [String] = []

        func string(_ name: String, required: Bool) -> String? {
            switch object[name] {
            case .string(let value) where !value.isEmpty: return value
            case nil, .null?:
                if required { problems.append("'\(name)' is missing") }
            default:
                problems.append("'\(name)' is not a non-empty string")
            }
            return nil
        }
        func strings(_ name: String, required: Bool) -> [String]? {
            switch object[name] {
            case .array(let items)?:
                var values: [String] = []
                for item in items {
                    guard case .string(let value) = item else {
                        problems.append("'\(name)' has a member that is not a string")
                        return nil
                    }
                    values.append(value)
                }
                if values.isEmpty && required { problems.append("'\(name)' is empty") }
                return values
            case nil, .null?:
                if required { problems.append("'\(name)' is missing") }
            default:
                problems.append("'\(name)' is not an array of strings")
            }
            return nil
        }
        func endpoint(_ name: String, required: Bool) -> String? {
            guard let url = string(name, required: required) else { return nil }
            if let problem = OIDCProviderSettings.urlProblem(url, allowInsecureLoopback: allowInsecureLoopback) {
                problems.append("'\(name)' \(url): \(problem)")
                return nil
            }
            return url
        }

        let issuer = string("issuer", required: true)
        if let issuer, issuer != expectedIssuer {
            problems.append(
                "'issuer' is '\(issuer)' but the configured issuer is '\(expectedIssuer)'; they must be equal byte "
                    + "for byte (OIDC Discovery §4.3) — fix the configured issuer or the provider's")
        }
        let authorization = endpoint("authorization_endpoint", required: true)
        let token = endpoint("token_endpoint", required: true)
        let jwks = endpoint("jwks_uri", required: true)
        let userinfo = endpoint("userinfo_endpoint", required: false)
        let endSession = endpoint("end_session_endpoint", required: false)
        let responseTypes = strings("response_types_supported", required: true)
        if let responseTypes, !responseTypes.contains("code") {
            problems.append("'response_types_supported' \(responseTypes) lacks 'code' (the authorization code flow)")
        }
        let subjectTypes = strings("subject_types_supported", required: true)
        let algorithms = strings("id_token_signing_alg_values_supported", required: true)
        if let algorithms,
            !algorithms.contains(where: { name in allowedAlgorithms.contains { $0.rawValue == name } })
        {
            problems.append(
                "'id_token_signing_alg_values_supported' \(algorithms) has none of the accepted algorithms "
                    + "\(allowedAlgorithms.map(\.rawValue).sorted())")
        }
        let challengeMethods = strings("code_challenge_methods_supported", required: false)
        if let challengeMethods, !challengeMethods.contains(PKCE.method) {
            problems.append("'code_challenge_methods_supported' \(challengeMethods) lacks 'S256' (RFC 7636 §4.2)")
        }
        let authMethods = strings("token_endpoint_auth_methods_supported", required: false)
        if let authMethods, !authMethods.contains("client_secret_basic") {
            problems.append(
                "'token_endpoint_auth_methods_supported' \(authMethods) lacks 'client_secret_basic', the client "
                    + "authentication Open-CSMS uses")
        }
        var issParameter = false
        if case .bool(let value)? = object["authorization_response_iss_parameter_supported"] { issParameter = value }

        guard problems.isEmpty, let issuer, let authorization, let token, let jwks, let responseTypes,
            let subjectTypes, let algorithms
        else {
            throw OIDCError(
                .discovery,
                "the discovery document of \(expectedIssuer) is unusable: " + problems.joined(separator: "; "))
        }
        self.issuer = issuer
        self.authorizationEndpoint = authorization
        self.tokenEndpoint = token
        self.jwksURI = jwks
        self.userinfoEndpoint = userinfo
        self.endSessionEndpoint = endSession
        self.responseTypesSupported = responseTypes
        self.subjectTypesSupported = subjectTypes
        self.idTokenSigningAlgorithmsSupported = algorithms
        self.codeChallengeMethodsSupported = challengeMethods
        self.tokenEndpointAuthMethodsSupported = authMethods
        self.authorizationResponseIssuerParameterSupported = issParameter
        self.metadata = object
    }

    /// GETs `{issuer}/.well-known/openid-configuration` and checks it. An unreachable provider or a
    /// 5xx answer is ``OIDCError/Code-swift.struct/providerUnavailable``; any other non-200 answer
    /// is ``OIDCError/Code-swift.struct/discovery`` (usually a wrong issuer URL).
    public static func fetch(
        settings: OIDCProviderSettings, httpClient: any HTTPClientSending, limits: OIDCRequestLimits = .init(),
        allowedAlgorithms: Set<JWSAlgorithm> = [.rs256, .es256]
    ) async throws(OIDCError) -> OIDCDiscoveryDocument {
        try settings.validate()
        let purpose = "OIDC discovery for \(settings.issuer)"
        let response = try await OIDCTransport.send(
            HTTPClientRequest(url: settings.discoveryURL), limits: limits, client: httpClient, purpose: purpose)
        guard response.status == 200 else {
            throw OIDCError(
                .discovery,
                "\(purpose): GET \(OIDCTransport.redacted(settings.discoveryURL)) answered \(response.status), not "
                    + "200; check that the issuer URL is the provider's issuer identifier")
        }
        return try OIDCDiscoveryDocument(
            json: response.body, expectedIssuer: settings.issuer, allowInsecureLoopback: settings.allowInsecureLoopback,
            allowedAlgorithms: allowedAlgorithms)
    }
}
