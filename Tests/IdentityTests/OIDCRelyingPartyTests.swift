// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPClient
import Identity
import JSON
import Synchronization
import Testing

@Suite("OIDC relying party against a scripted provider: request shapes, answers, ID-token rules")
struct OIDCRelyingPartyTests {
    /// Discovery, JWKS and a token endpoint whose answer the test sets.
    final class ScriptedProvider: Sendable {
        final class State: Sendable {
            let tokenAnswer = Mutex<HTTPClientResponse>(StubHTTPClient.json(["error": "server_error"], status: 500))
            let discoveryUp = Mutex(true)
        }
        let signer: ES256Signer
        let state = State()
        let client: StubHTTPClient

        init() throws {
            let signer = try ES256Signer.generate()
            self.signer = signer
            let state = self.state
            client = StubHTTPClient { request throws(HTTPClientError) in
                switch request.url {
                case "https://idp.example/.well-known/openid-configuration":
                    guard state.discoveryUp.withLock({ $0 }) else { throw StubHTTPClient.connectionRefused(request) }
                    return StubHTTPClient.json(OIDCDiscoveryTests.document())
                case "https://idp.example/jwks":
                    return StubHTTPClient.json(TestIssuer.jwks([signer]))
                case "https://idp.example/token":
                    return state.tokenAnswer.withLock { $0 }
                default:
                    return StubHTTPClient.json(Array("no".utf8), status: 404)
                }
            }
        }

        func answerTokens(_ object: JSONObject, status: Int = 200) {
            state.tokenAnswer.withLock { $0 = StubHTTPClient.json(.object(object), status: status) }
        }

        func idToken(nonce: String?, subject: String = "alice", atHashOf accessToken: String? = nil) throws -> String {
            var extra: JSONObject = [:]
            if let nonce { extra["nonce"] = .string(nonce) }
            if let accessToken { extra["at_hash"] = .string(OIDCRelyingPartyTests.atHash(accessToken)) }
            return try TestIssuer.token(signer, subject: subject, extra: extra)
        }
    }

    static func party(
        _ provider: ScriptedProvider, options: OIDCRelyingParty.Options = .init()
    ) throws -> OIDCRelyingParty {
        try OIDCRelyingParty(
            settings: OIDCProviderSettings(
                issuer: TestIssuer.issuer, clientID: "open-csms", clientSecret: "s&t:",
                redirectURI: "https://admin.example/cb"),
            httpClient: provider.client, options: options)
    }

    static func failure<T>(_ body: () async throws(OIDCError) -> T) async -> OIDCError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    /// Python's hashlib, so the expected at_hash is not computed by the code under test.
    static func atHash(_ accessToken: String) -> String {
        let script = """
            import base64, hashlib, sys
            d = hashlib.sha256(sys.argv[1].encode()).digest()[:16]
            print(base64.urlsafe_b64encode(d).decode().rstrip("="))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, accessToken]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("The code exchange is a form POST with client_secret_basic over form-encoded credentials")
    func tokenRequestShape() async throws {
        let provider = try ScriptedProvider()
        let party = try Self.party(provider)
        let login = try OIDCLoginRequest()
        provider.answerTokens([
            "access_token": "at-1", "token_type": "Bearer", "expires_in": 60,
            "id_token": .string(try provider.idToken(nonce: login.nonce, atHashOf: "at-1")),
        ])
        let result = try await party.completeLogin(
            callback: OIDCAuthorizationResponse(code: "c/1+2", state: login.state), login: login)
        #expect(result.idToken.subject == "alice")
        let request = try #require(provider.client.requests.first { $0.url == "https://idp.example/token" })
        #expect(request.method == .post)
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        // RFC 6749 §2.3.1: "s&t:" is form-encoded to "s%26t%3A" before the Basic encoding.
        #expect(
            request.headers["Authorization"]
                == HTTPClientHeaders.basicAuthorization(username: "open-csms", password: "s%26t%3A"))
        let fields = try #require(HTTPClientForm.decode(String(decoding: request.body, as: UTF8.self)))
        #expect(fields.map(\.name) == ["grant_type", "code", "redirect_uri", "code_verifier"])
        #expect(fields.map(\.value) == ["authorization_code", "c/1+2", "https://admin.example/cb", login.codeVerifier])
        #expect(request.redirects == .doNotFollow)
    }

    @Test("Token endpoint answers: OAuth errors, 5xx, garbage, and a response without id_token")
    func tokenEndpointAnswers() async throws {
        let provider = try ScriptedProvider()
        let party = try Self.party(provider)
        let login = try OIDCLoginRequest()
        let callback = OIDCAuthorizationResponse(code: "c", state: login.state)
        func outcome() async -> OIDCError? {
            await Self.failure { () async throws(OIDCError) in
                try await party.completeLogin(callback: callback, login: login)
            }
        }
        provider.answerTokens(["error": "invalid_client", "error_description": "bad secret"], status: 401)
        let rejected = await outcome()
        #expect(rejected?.code == .tokenRequestRejected)
        #expect(rejected?.oauthError == "invalid_client")
        #expect(rejected?.oauthErrorDescription == "bad secret")
        provider.answerTokens(["error": "temporarily_unavailable"], status: 503)
        #expect(await outcome()?.code == .providerUnavailable)
        provider.state.tokenAnswer.withLock { $0 = StubHTTPClient.json(Array("<html>".utf8), status: 400) }
        #expect(await outcome()?.code == .invalidProviderResponse)
        provider.state.tokenAnswer.withLock { $0 = StubHTTPClient.json(Array("<html>".utf8), status: 200) }
        #expect(await outcome()?.code == .invalidProviderResponse)
        provider.answerTokens(["access_token": "at", "token_type": "Bearer"])
        #expect(await outcome()?.code == .idTokenInvalid)
    }

    @Test("ID-token rules beyond the JWT: nonce required and equal, at_hash must match")
    func idTokenRules() async throws {
        let provider = try ScriptedProvider()
        let party = try Self.party(provider)
        let login = try OIDCLoginRequest()
        let callback = OIDCAuthorizationResponse(code: "c", state: login.state)
        func outcome(_ idToken: String, accessToken: String = "at") async -> OIDCError? {
            provider.answerTokens([
                "access_token": .string(accessToken), "token_type": "Bearer", "id_token": .string(idToken),
            ])
            return await Self.failure { () async throws(OIDCError) in
                try await party.completeLogin(callback: callback, login: login)
            }
        }
        #expect(await outcome(try provider.idToken(nonce: nil))?.code == .nonceMismatch)
        #expect(await outcome(try provider.idToken(nonce: "other"))?.code == .nonceMismatch)
        #expect(await outcome(try provider.idToken(nonce: login.nonce, atHashOf: "at-x"))?.code == .idTokenInvalid)
        #expect(await outcome(try provider.idToken(nonce: login.nonce, atHashOf: "at")) == nil)
        #expect(await outcome(try provider.idToken(nonce: login.nonce)) == nil)
        let foreign = try TestIssuer.token(try ES256Signer.generate(), extra: ["nonce": .string(login.nonce)])
        #expect(await outcome(foreign)?.rejection?.reason == .unknownKey)
    }

    @Test("Refresh: the grant's shape, and a new ID token must keep the subject")
    func refresh() async throws {
        let provider = try ScriptedProvider()
        let party = try Self.party(provider)
        let previous = try await party.verifyIDToken(try provider.idToken(nonce: nil), nonce: nil)
        provider.answerTokens([
            "access_token": "at-2", "token_type": "Bearer", "refresh_token": "rt-2",
            "id_token": .string(try provider.idToken(nonce: nil)),
        ])
        let refreshed = try await party.refresh(refreshToken: "rt-1", previousIDToken: previous)
        #expect(refreshed.tokens.refreshToken == "rt-2")
        #expect(refreshed.idToken?.subject == "alice")
        let request = try #require(provider.client.requests.last { $0.url == "https://idp.example/token" })
        #expect(String(decoding: request.body, as: UTF8.self) == "grant_type=refresh_token&refresh_token=rt-1")

        provider.answerTokens([
            "access_token": "at-3", "token_type": "Bearer",
            "id_token": .string(try provider.idToken(nonce: nil, subject: "bob")),
        ])
        let changed = await Self.failure { () async throws(OIDCError) in
            try await party.refresh(refreshToken: "rt-2", previousIDToken: previous)
        }
        #expect(changed?.code == .idTokenInvalid)
        provider.answerTokens(["access_token": "at-4", "token_type": "Bearer"])
        #expect(try await party.refresh(refreshToken: "rt-3").idToken == nil)
    }

    @Test("Discovery is cached; a failed refresh keeps the cached document; logout URL")
    func discoveryCaching() async throws {
        let provider = try ScriptedProvider()
        var options = OIDCRelyingParty.Options()
        options.discoveryTimeToLive = .zero
        options.jwksMinimumRefreshInterval = .zero
        let party = try Self.party(provider, options: options)
        let start = try await party.beginLogin(extraParameters: [("login_hint", "alice")])
        #expect(start.authorizationURL.hasPrefix("https://idp.example/authorize?response_type=code&"))
        #expect(start.authorizationURL.hasSuffix("&login_hint=alice"))
        provider.state.discoveryUp.withLock { $0 = false }
        // Stale and the provider is down: the cached document answers at once, a refresh is tried
        // in the background.
        func discoveryRequests() -> Int {
            provider.client.requests.filter { $0.url.hasSuffix("/.well-known/openid-configuration") }.count
        }
        let before = discoveryRequests()
        #expect(try await party.discoveryDocument().issuer == TestIssuer.issuer)
        for _ in 0..<50 where discoveryRequests() == before { try await Task.sleep(for: .milliseconds(10)) }
        #expect(discoveryRequests() > before)
        #expect(try await party.discoveryDocument().issuer == TestIssuer.issuer)
        let logout = try await party.logoutURL(idTokenHint: "a.b.c", postLogoutRedirectURI: "https://admin.example/")
        #expect(
            logout
                == "https://idp.example/logout?id_token_hint=a.b.c&post_logout_redirect_uri=https%3A%2F%2Fadmin.example"
                + "%2F&client_id=open-csms")

        let cached = try Self.party(provider)
        #expect(
            await Self.failure { () async throws(OIDCError) in try await cached.discoveryDocument() }?.code
                == .providerUnavailable)
        #expect(throws: OIDCError.self) {
            try OIDCRelyingParty(
                settings: OIDCProviderSettings(
                    issuer: "http://idp.example", clientID: "c", clientSecret: "s", redirectURI: "https://a/cb"),
                httpClient: provider.client)
        }
    }
}
