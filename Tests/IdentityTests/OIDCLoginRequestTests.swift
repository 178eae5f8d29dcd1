// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Identity
import JSON
import Testing

@Suite("OIDC: PKCE, login secrets, authorization URL and callback (no I/O)")
struct OIDCLoginRequestTests {
    static let settings = OIDCProviderSettings(
        issuer: "https://idp.example", clientID: "open csms", clientSecret: "s",
        redirectURI: "https://admin.example/auth/callback")

    @Test("RFC 7636 Appendix B: the verifier's S256 challenge")
    func appendixB() {
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.method == "S256")
    }

    @Test("Verifiers: 43-128 characters of the unreserved set; new ones are 43 random characters")
    func verifiers() throws {
        #expect(PKCE.isValidVerifier(String(repeating: "a", count: 43)))
        #expect(PKCE.isValidVerifier(String(repeating: "-._~", count: 32)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 129)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + "+"))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + "é"))
        var seen = Set<String>()
        for _ in 0..<100 {
            let verifier = try PKCE.makeVerifier()
            #expect(verifier.utf8.count == 43)
            #expect(PKCE.isValidVerifier(verifier))
            seen.insert(verifier)
        }
        #expect(seen.count == 100)
    }

    @Test("A login has distinct 256-bit state, nonce and verifier, and restores from its three strings")
    func loginSecrets() throws {
        let login = try OIDCLoginRequest()
        #expect(login.state.utf8.count == 43)
        #expect(login.nonce.utf8.count == 43)
        #expect(Set([login.state, login.nonce, login.codeVerifier]).count == 3)
        #expect(login.codeChallenge == PKCE.challenge(for: login.codeVerifier))
        let restored = try OIDCLoginRequest(state: login.state, nonce: login.nonce, codeVerifier: login.codeVerifier)
        #expect(restored == login)
        #expect(throws: OIDCError.self) { try OIDCLoginRequest(state: "s", nonce: "n", codeVerifier: "short") }
        #expect(throws: OIDCError.self) {
            try OIDCLoginRequest(state: "", nonce: "n", codeVerifier: login.codeVerifier)
        }
        #expect(throws: OIDCError.self) {
            try OIDCLoginRequest(state: "a b", nonce: "n", codeVerifier: login.codeVerifier)
        }
    }

    @Test("The authorization URL carries every parameter of the code flow with PKCE, encoded")
    func authorizationURL() throws {
        let login = try OIDCLoginRequest()
        var settings = Self.settings
        settings.requestedIDTokenClaims = ["groups"]
        let url = try login.authorizationURL(
            endpoint: "https://idp.example/oauth2/authorize", settings: settings,
            extraParameters: [("prompt", "login")])
        #expect(url.hasPrefix("https://idp.example/oauth2/authorize?response_type=code&"))
        let fields = try #require(HTTPClientForm.decode(String(url.split(separator: "?", maxSplits: 1)[1])))
        let values = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(fields.count == values.count)
        #expect(values["response_type"] == "code")
        #expect(values["client_id"] == "open csms")
        #expect(values["redirect_uri"] == "https://admin.example/auth/callback")
        #expect(values["scope"] == "openid profile email")
        #expect(values["state"] == login.state)
        #expect(values["nonce"] == login.nonce)
        #expect(values["code_challenge"] == login.codeChallenge)
        #expect(values["code_challenge_method"] == "S256")
        #expect(values["claims"] == #"{"id_token":{"groups":null}}"#)
        #expect(values["prompt"] == "login")
        // The redirect URI is sent exactly, percent-encoded, never rewritten.
        #expect(url.contains("redirect_uri=https%3A%2F%2Fadmin.example%2Fauth%2Fcallback&"))
        #expect(!url.contains("claims") || settings.requestedIDTokenClaims == ["groups"])
    }

    @Test("An endpoint with its own query keeps it; extra parameters cannot replace the flow's own")
    func endpointQueryAndReservedNames() throws {
        let login = try OIDCLoginRequest()
        let url = try login.authorizationURL(endpoint: "https://idp.example/auth?tenant=a", settings: Self.settings)
        #expect(url.hasPrefix("https://idp.example/auth?tenant=a&response_type=code&"))
        #expect(!url.contains("claims="))
        for name in ["state", "redirect_uri", "code_challenge_method", "nonce"] {
            #expect(throws: OIDCError.self) {
                try login.authorizationURL(
                    endpoint: "https://idp.example/auth", settings: Self.settings, extraParameters: [(name, "x")])
            }
        }
    }

    @Test("Callback: state is checked first, then iss, then error, then the code")
    func callback() throws {
        let login = try OIDCLoginRequest()
        let good = try OIDCAuthorizationResponse(
            query: "?code=abc%2B1&state=\(login.state)&iss=https%3A%2F%2Fidp.example")
        #expect(try good.authorizationCode(for: login, expectedIssuer: "https://idp.example") == "abc+1")

        func code(_ query: String) -> OIDCError? {
            do {
                _ = try OIDCAuthorizationResponse(query: query).authorizationCode(
                    for: login, expectedIssuer: "https://idp.example")
                return nil
            } catch {
                return error
            }
        }
        #expect(code("code=abc&state=other")?.code == .stateMismatch)
        #expect(code("code=abc")?.code == .stateMismatch)
        // An error response with a forged state is a state problem, not the provider's word.
        #expect(code("error=access_denied&state=forged")?.code == .stateMismatch)
        let denied = code("error=access_denied&error_description=User+said+no&state=\(login.state)")
        #expect(denied?.code == .authorizationFailed)
        #expect(denied?.oauthError == "access_denied")
        #expect(denied?.oauthErrorDescription == "User said no")
        #expect(code("code=abc&state=\(login.state)&iss=https%3A%2F%2Fevil.example")?.code == .authorizationFailed)
        #expect(code("state=\(login.state)")?.code == .authorizationFailed)
        let withoutIssuer = try OIDCAuthorizationResponse(query: "code=abc&state=\(login.state)")
        #expect(try withoutIssuer.authorizationCode(for: login, expectedIssuer: "https://idp.example") == "abc")
        #expect(throws: OIDCError.self) {
            try withoutIssuer.authorizationCode(for: login, expectedIssuer: "https://idp.example", requireIssuer: true)
        }
        #expect(code("code=a&code=b&state=\(login.state)")?.code == .authorizationFailed)
        #expect(code("code=%zz&state=\(login.state)")?.code == .authorizationFailed)
    }

    @Test("Settings: every problem is reported at once; http only to loopback and only when allowed")
    func settingsValidation() throws {
        try Self.settings.validate()
        let bad = OIDCProviderSettings(
            issuer: "http://idp.example", clientID: "", clientSecret: "", redirectURI: "https://a.example/cb#frag",
            scopes: ["profile"])
        do {
            try bad.validate()
            Issue.record("bad settings accepted")
        } catch {
            #expect(error.code == .configuration)
            for part in ["issuer", "clientID", "clientSecret", "redirectURI", "openid"] {
                #expect(error.message.contains(part), "\(part) missing from: \(error.message)")
            }
        }
        var loopback = OIDCProviderSettings(
            issuer: "http://127.0.0.1:8080", clientID: "c", clientSecret: "s", redirectURI: "http://127.0.0.1:9/cb")
        #expect(throws: OIDCError.self) { try loopback.validate() }
        loopback.allowInsecureLoopback = true
        try loopback.validate()
        #expect(loopback.discoveryURL == "http://127.0.0.1:8080/.well-known/openid-configuration")
        let withQuery = OIDCProviderSettings(
            issuer: "https://idp.example/?x=1", clientID: "c", clientSecret: "s", redirectURI: "https://a.example/cb")
        #expect(throws: OIDCError.self) { try withQuery.validate() }
    }
}
