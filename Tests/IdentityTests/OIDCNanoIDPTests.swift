// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPClient
import Identity
import JSON
import Testing

/// The relying party against a real provider process (nanoidp), each test with its own.
@Suite("OIDC against a real provider (nanoidp): code + PKCE, refresh, bad tokens, outage, rotation", .serialized)
struct OIDCNanoIDPTests {
    /// A relying party over a fresh libcurl client; the client is shut down after `body`.
    static func withRelyingParty<T: Sendable>(
        _ provider: NanoIDP, options: OIDCRelyingParty.Options = .init(),
        _ body: (OIDCRelyingParty) async throws -> T
    ) async throws -> T {
        let client = OutboundHTTPClient()
        do {
            let party = try OIDCRelyingParty(settings: provider.settings, httpClient: client, options: options)
            let result = try await body(party)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Begin → browser login → callback parameters.
    static func login(
        _ party: OIDCRelyingParty, at provider: NanoIDP
    ) async throws -> (login: OIDCLoginRequest, callback: OIDCAuthorizationResponse) {
        let start = try await party.beginLogin()
        let location = try await provider.browserLogin(authorizationURL: start.authorizationURL)
        #expect(location.hasPrefix(NanoIDP.redirectURI + "?"))
        return (start.login, try OIDCAuthorizationResponse(query: NanoIDP.query(of: location)))
    }

    static func failure<T>(_ body: () async throws(OIDCError) -> T) async -> OIDCError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test("Scripted login: code + PKCE, ID token with nonce, at_hash and groups; refresh; logout URL")
    func codeFlowWithPKCE() async throws {
        try await NanoIDP.with { provider in
            try await Self.withRelyingParty(provider) { party in
                let document = try await party.discoveryDocument()
                #expect(document.issuer == provider.issuer)
                #expect(document.idTokenSigningAlgorithmsSupported.contains("RS256"))

                let (login, callback) = try await Self.login(party, at: provider)
                #expect(callback.state == login.state)
                let result = try await party.completeLogin(callback: callback, login: login)
                let idToken = result.idToken
                #expect(idToken.issuer == provider.issuer)
                #expect(idToken.subject == NanoIDP.username)
                #expect(idToken.audiences == [NanoIDP.clientID])
                #expect(idToken.algorithm == .rs256)
                #expect(idToken.string("nonce") == login.nonce)
                #expect(idToken.string("at_hash") != nil)
                #expect(idToken.strings("groups") == NanoIDP.groups)
                #expect(idToken.string("email") == "alice@example.org")
                #expect(result.tokens.refreshToken != nil)
                #expect(result.tokens.expiresIn == 300)

                // A machine client's access token from the same provider verifies with the same keys.
                let access = try await party.verifyAccessToken(
                    result.tokens.accessToken, audience: NanoIDP.accessTokenAudience)
                #expect(access.subject == NanoIDP.username)
                #expect(access.strings("groups") == NanoIDP.groups)

                // Refresh (nanoidp rotates refresh tokens under its oauth21 profile).
                let refreshed = try await party.refresh(
                    refreshToken: try #require(result.tokens.refreshToken), previousIDToken: idToken)
                #expect(refreshed.idToken?.subject == NanoIDP.username)
                #expect(refreshed.tokens.refreshToken != result.tokens.refreshToken)
                let reused = await Self.failure { () async throws(OIDCError) in
                    try await party.refresh(refreshToken: result.tokens.refreshToken ?? "")
                }
                #expect(reused?.code == .tokenRequestRejected)
                #expect(reused?.oauthError == "invalid_grant")

                let logout = try #require(
                    try await party.logoutURL(
                        idTokenHint: result.tokens.idToken, postLogoutRedirectURI: "http://127.0.0.1:9/", state: "s1"))
                #expect(logout.hasPrefix(try #require(document.endSessionEndpoint) + "?id_token_hint="))
                #expect(logout.contains("&client_id=\(NanoIDP.clientID)"))
                #expect(try await party.jwksCache().fetchCount == 1)
            }
        }
    }

    @Test("A wrong state is refused before the code is spent; the code then still works once")
    func wrongState() async throws {
        try await NanoIDP.with { provider in
            try await Self.withRelyingParty(provider) { party in
                let (login, callback) = try await Self.login(party, at: provider)
                let forged = OIDCAuthorizationResponse(code: callback.code, state: "forged-state")
                let error = await Self.failure { () async throws(OIDCError) in
                    try await party.completeLogin(callback: forged, login: login)
                }
                #expect(error?.code == .stateMismatch)
                let missing = OIDCAuthorizationResponse(code: callback.code, state: nil)
                #expect(
                    await Self.failure { () async throws(OIDCError) in
                        try await party.completeLogin(callback: missing, login: login)
                    }?.code == .stateMismatch)
                #expect(try await party.completeLogin(callback: callback, login: login).idToken.subject == "alice")
                let replay = await Self.failure { () async throws(OIDCError) in
                    try await party.completeLogin(callback: callback, login: login)
                }
                #expect(replay?.code == .tokenRequestRejected)
                #expect(replay?.oauthError == "invalid_grant")
            }
        }
    }

    @Test("An ID token whose nonce is not this login's is refused")
    func wrongNonce() async throws {
        try await NanoIDP.with { provider in
            try await Self.withRelyingParty(provider) { party in
                let (login, callback) = try await Self.login(party, at: provider)
                // Same state and verifier (so the exchange succeeds), another nonce: what a replayed
                // ID token from another login looks like to this one.
                let other = try OIDCLoginRequest(
                    state: login.state, nonce: try OIDCLoginRequest().nonce, codeVerifier: login.codeVerifier)
                let error = await Self.failure { () async throws(OIDCError) in
                    try await party.completeLogin(callback: callback, login: other)
                }
                #expect(error?.code == .nonceMismatch)
            }
        }
    }

    @Test("The provider refuses a wrong PKCE verifier and a wrong client secret")
    func providerRefusals() async throws {
        try await NanoIDP.with { provider in
            try await Self.withRelyingParty(provider) { party in
                let (login, callback) = try await Self.login(party, at: provider)
                let wrongVerifier = try OIDCLoginRequest(
                    state: login.state, nonce: login.nonce, codeVerifier: try PKCE.makeVerifier())
                let error = await Self.failure { () async throws(OIDCError) in
                    try await party.completeLogin(callback: callback, login: wrongVerifier)
                }
                #expect(error?.code == .tokenRequestRejected)
                #expect(error?.oauthError == "invalid_grant")
            }
            var settings = provider.settings
            settings.clientSecret = "not-the-secret"
            let client = OutboundHTTPClient()
            let party = try OIDCRelyingParty(settings: settings, httpClient: client)
            let (login, callback) = try await Self.login(party, at: provider)
            let error = await Self.failure { () async throws(OIDCError) in
                try await party.completeLogin(callback: callback, login: login)
            }
            try await client.shutdown()
            #expect(error?.code == .tokenRequestRejected)
            #expect(error?.oauthError == "invalid_client")
        }
    }

    @Test("Tampered, re-signed-as-none and foreign-audience ID tokens are refused")
    func tamperedTokens() async throws {
        try await NanoIDP.with { provider in
            try await Self.withRelyingParty(provider) { party in
                let (login, callback) = try await Self.login(party, at: provider)
                let result = try await party.completeLogin(callback: callback, login: login)
                let token = try #require(result.tokens.idToken)
                let parts = token.split(separator: ".").map(String.init)
                #expect(parts.count == 3)

                func reason(_ candidate: String) async -> JWTRejection.Reason? {
                    await Self.failure { () async throws(OIDCError) in
                        try await party.verifyIDToken(candidate, nonce: login.nonce)
                    }?.rejection?.reason
                }
                // The payload with another subject, signature kept.
                var payload = try #require(JSONValue.parse(Self.base64URLDecode(parts[1])).objectValue)
                payload["sub"] = "mallory"
                let forgedPayload = Self.base64URLEncode(JSONValue.object(payload).serialized())
                #expect(await reason([parts[0], forgedPayload, parts[2]].joined(separator: ".")) == .badSignature)
                // One signature byte changed.
                var signature = Self.base64URLDecode(parts[2])
                signature[signature.count / 2] ^= 0x01
                #expect(
                    await reason([parts[0], parts[1], Self.base64URLEncode(signature)].joined(separator: "."))
                        == .badSignature)
                // alg none, no signature.
                let none = Self.base64URLEncode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
                #expect(await reason([none, parts[1], ""].joined(separator: ".")) == .algorithmNotAllowed)
                // A genuine token of this provider, but an access token: its audience is not the client.
                #expect(await reason(result.tokens.accessToken) == .wrongAudience)
                // The genuine ID token still verifies.
                #expect(try await party.verifyIDToken(token, nonce: login.nonce).subject == "alice")
            }
        }
    }

    @Test("Provider down: login fails with providerUnavailable while cached keys still verify")
    func providerDown() async throws {
        let provider = try await NanoIDP.start()
        let client = OutboundHTTPClient()
        do {
            let party = try OIDCRelyingParty(settings: provider.settings, httpClient: client)
            let (login, callback) = try await Self.login(party, at: provider)
            let result = try await party.completeLogin(callback: callback, login: login)
            let (secondLogin, secondCallback) = try await Self.login(party, at: provider)
            await provider.stop()
            #expect(!provider.isRunning)

            // The token exchange cannot reach the provider: the distinct error the caller maps to 503.
            let error = await Self.failure { () async throws(OIDCError) in
                try await party.completeLogin(callback: secondCallback, login: secondLogin)
            }
            #expect(error?.code == .providerUnavailable)
            // The key is cached: verification needs no network.
            let fetches = try await party.jwksCache().fetchCount
            let verified = try await party.verifyIDToken(try #require(result.tokens.idToken), nonce: login.nonce)
            #expect(verified.subject == "alice")
            #expect(try await party.jwksCache().fetchCount == fetches)
            // A new relying party without a cached discovery document cannot even start.
            let fresh = try OIDCRelyingParty(settings: provider.settings, httpClient: client)
            #expect(
                await Self.failure { () async throws(OIDCError) in try await fresh.beginLogin() }?.code
                    == .providerUnavailable)
        } catch {
            await provider.stop()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("Key rotation at the provider: the next token's new kid verifies after one refetch")
    func keyRotation() async throws {
        try await NanoIDP.with { provider in
            var options = OIDCRelyingParty.Options()
            options.jwksMinimumRefreshInterval = .milliseconds(100)
            try await Self.withRelyingParty(provider, options: options) { party in
                let (firstLogin, firstCallback) = try await Self.login(party, at: provider)
                let first = try await party.completeLogin(callback: firstCallback, login: firstLogin)
                let keys = try await party.jwksCache()
                #expect(await keys.fetchCount == 1)
                #expect(await keys.keyIDs == [first.idToken.keyID ?? ""])

                let rotation = try await provider.rotateKeys()
                #expect(rotation.old == first.idToken.keyID)
                try await Task.sleep(for: .milliseconds(150))

                let (secondLogin, secondCallback) = try await Self.login(party, at: provider)
                let second = try await party.completeLogin(callback: secondCallback, login: secondLogin)
                #expect(second.idToken.keyID == rotation.new)
                #expect(await keys.fetchCount == 2)
                #expect(Set(await keys.keyIDs) == [rotation.old, rotation.new])
                // Tokens signed before the rotation keep verifying with the retained key.
                let old = try await party.verifyIDToken(try #require(first.tokens.idToken), nonce: firstLogin.nonce)
                #expect(old.keyID == rotation.old)
                #expect(await keys.fetchCount == 2)
            }
        }
    }

    static func base64URLDecode(_ text: String) -> [UInt8] {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Array(Data(base64Encoded: base64) ?? Data())
    }

    static func base64URLEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension JSONValue {
    fileprivate var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}
