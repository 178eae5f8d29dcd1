// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Identity
import JSON
import Testing

@Suite("OIDC: discovery document checks and token endpoint answers (no provider process)")
struct OIDCDiscoveryTests {
    static let issuer = "https://idp.example"

    static func document(_ change: (inout JSONObject) -> Void = { _ in }) -> [UInt8] {
        var object: JSONObject = [
            "issuer": "https://idp.example",
            "authorization_endpoint": "https://idp.example/authorize",
            "token_endpoint": "https://idp.example/token",
            "jwks_uri": "https://idp.example/jwks",
            "userinfo_endpoint": "https://idp.example/userinfo",
            "end_session_endpoint": "https://idp.example/logout",
            "response_types_supported": ["code", "id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
        ]
        change(&object)
        return JSONValue.object(object).serialized()
    }

    static func problem(_ json: [UInt8], allowInsecureLoopback: Bool = false) -> OIDCError? {
        do {
            _ = try OIDCDiscoveryDocument(
                json: json, expectedIssuer: issuer, allowInsecureLoopback: allowInsecureLoopback)
            return nil
        } catch {
            return error
        }
    }

    @Test("A complete document is read with its optional members")
    func complete() throws {
        let document = try OIDCDiscoveryDocument(json: Self.document(), expectedIssuer: Self.issuer)
        #expect(document.issuer == Self.issuer)
        #expect(document.authorizationEndpoint == "https://idp.example/authorize")
        #expect(document.tokenEndpoint == "https://idp.example/token")
        #expect(document.jwksURI == "https://idp.example/jwks")
        #expect(document.endSessionEndpoint == "https://idp.example/logout")
        #expect(document.idTokenSigningAlgorithmsSupported == ["RS256"])
        #expect(document.codeChallengeMethodsSupported == ["plain", "S256"])
        let minimal = try OIDCDiscoveryDocument(
            json: Self.document {
                for name in [
                    "userinfo_endpoint", "end_session_endpoint", "code_challenge_methods_supported",
                    "token_endpoint_auth_methods_supported",
                ] { $0[name] = nil }
            }, expectedIssuer: Self.issuer)
        #expect(minimal.endSessionEndpoint == nil)
        #expect(minimal.codeChallengeMethodsSupported == nil)
    }

    @Test("The issuer must match byte for byte: a trailing slash or another host is refused")
    func issuerMismatch() {
        for other in ["https://idp.example/", "https://IDP.example", "https://evil.example"] {
            let error = Self.problem(Self.document { $0["issuer"] = .string(other) })
            #expect(error?.code == .discovery)
            #expect(error?.message.contains("must be equal") == true)
        }
    }

    @Test("Every missing required member is named in one error")
    func missingMembers() {
        let required = [
            "authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported",
            "subject_types_supported", "id_token_signing_alg_values_supported",
        ]
        let error = Self.problem(Self.document { for name in required { $0[name] = nil } })
        #expect(error?.code == .discovery)
        for name in required {
            #expect(error?.message.contains("'\(name)' is missing") == true, "\(name)")
        }
        #expect(Self.problem(Self.document { $0["issuer"] = nil })?.message.contains("'issuer' is missing") == true)
    }

    static let unusableCases: [(String, JSONValue, String)] = [
        ("response_types_supported", ["id_token"], "lacks 'code'"),
        ("id_token_signing_alg_values_supported", ["HS256", "none"], "none of the accepted algorithms"),
        ("code_challenge_methods_supported", ["plain"], "lacks 'S256'"),
        ("token_endpoint_auth_methods_supported", ["private_key_jwt"], "lacks 'client_secret_basic'"),
        ("token_endpoint", "http://idp.example/token", "must be https"),
        ("jwks_uri", "/jwks", "not an absolute https URL"),
        ("authorization_endpoint", 42, "not a non-empty string"),
        ("subject_types_supported", ["public", 1], "not a string"),
        ("subject_types_supported", [], "is empty"),
    ]

    @Test("Unusable members are refused", arguments: unusableCases)
    func unusable(member: String, value: JSONValue, expected: String) {
        let error = Self.problem(Self.document { $0[member] = value })
        #expect(error?.code == .discovery)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "accepted")")
    }

    @Test("Loopback http endpoints only with allowInsecureLoopback; not JSON or not an object is refused")
    func loopbackAndSyntax() {
        let loopback = Self.document { $0["token_endpoint"] = "http://127.0.0.1:8080/token" }
        #expect(Self.problem(loopback)?.message.contains("allowInsecureLoopback") == true)
        #expect(Self.problem(loopback, allowInsecureLoopback: true) == nil)
        #expect(Self.problem(Array("<html>".utf8))?.code == .discovery)
        #expect(Self.problem(Array("[1]".utf8))?.code == .discovery)
        #expect(Self.problem(Array("{\"issuer\":1,\"issuer\":2}".utf8))?.code == .discovery)
    }

    @Test("Fetching: 404 is a discovery error, 5xx and connection failures are providerUnavailable")
    func fetchOutcomes() async throws {
        let settings = OIDCProviderSettings(
            issuer: Self.issuer, clientID: "c", clientSecret: "s", redirectURI: "https://a.example/cb")
        func fetch(_ client: StubHTTPClient) async -> Result<OIDCDiscoveryDocument, OIDCError> {
            do {
                return .success(try await OIDCDiscoveryDocument.fetch(settings: settings, httpClient: client))
            } catch {
                return .failure(error)
            }
        }
        let good = StubHTTPClient { _ in StubHTTPClient.json(Self.document()) }
        #expect((try? await fetch(good).get())?.issuer == Self.issuer)
        let request = try #require(good.requests.first)
        #expect(request.url == "https://idp.example/.well-known/openid-configuration")
        #expect(request.redirects == .doNotFollow)
        #expect(request.timeout != nil && request.maximumResponseBodySize != nil)

        let missing = StubHTTPClient { _ in StubHTTPClient.json(Array("not found".utf8), status: 404) }
        #expect(await fetch(missing).failure?.code == .discovery)
        let down = StubHTTPClient { _ in StubHTTPClient.json(Array("oops".utf8), status: 503) }
        #expect(await fetch(down).failure?.code == .providerUnavailable)
        let refused = StubHTTPClient { request throws(HTTPClientError) in
            throw StubHTTPClient.connectionRefused(request)
        }
        #expect(await fetch(refused).failure?.code == .providerUnavailable)
        let huge = StubHTTPClient { request throws(HTTPClientError) in
            throw HTTPClientError(.tooLarge, request: request.url, "too large")
        }
        #expect(await fetch(huge).failure?.code == .invalidProviderResponse)
    }

    @Test("Token responses: access_token and Bearer are required; expires_in may be a string")
    func tokenResponses() throws {
        func parse(_ object: JSONObject) -> Result<OIDCTokenResponse, OIDCError> {
            do { return .success(try OIDCTokenResponse(json: object)) } catch { return .failure(error) }
        }
        let full = try parse([
            "access_token": "at", "token_type": "bearer", "id_token": "it", "refresh_token": "rt",
            "expires_in": 300, "scope": "openid",
        ]).get()
        #expect(full.accessToken == "at")
        #expect(full.idToken == "it")
        #expect(full.refreshToken == "rt")
        #expect(full.expiresIn == 300)
        #expect(try parse(["access_token": "at", "token_type": "Bearer", "expires_in": "60"]).get().expiresIn == 60)
        #expect(parse(["token_type": "Bearer"]).failure?.code == .invalidProviderResponse)
        #expect(parse(["access_token": "at", "token_type": "mac"]).failure?.code == .invalidProviderResponse)
        #expect(
            parse(["access_token": "at", "token_type": "Bearer", "id_token": 5]).failure?.code
                == .invalidProviderResponse)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
