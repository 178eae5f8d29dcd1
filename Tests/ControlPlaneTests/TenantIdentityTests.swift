// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import HTTPClient
import Identity
import JSON
import Logging
import Synchronization
import Testing

@testable import ControlPlaneCore

/// One identity provider per tenant (issue 6 item 1): which provider a login or a token exchange
/// goes through, which roles its identities get, and the mix-up defence at the callback. The two
/// providers are stubs answering discovery and JWKS; tokens are signed by the JOSE layer.
@Suite struct TenantIdentityTests {
    static let platformIssuer = "https://idp.platform.example"
    static let betaIssuer = "https://login.beta.example"
    static let audience = "open-csms-api"

    /// Discovery and JWKS of both providers, each with its own key.
    final class Providers: HTTPClientSending {
        let platformKey: ES256Signer
        let betaKey: ES256Signer

        init() throws {
            platformKey = try ES256Signer.generate()
            betaKey = try ES256Signer.generate()
        }

        func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
            let issuer =
                request.url.hasPrefix(TenantIdentityTests.betaIssuer)
                ? TenantIdentityTests.betaIssuer
                : TenantIdentityTests.platformIssuer
            let key = issuer == TenantIdentityTests.betaIssuer ? betaKey : platformKey
            let body: JSONValue
            if request.url.hasSuffix("/.well-known/openid-configuration") {
                body = .object([
                    "issuer": .string(issuer), "authorization_endpoint": .string(issuer + "/authorize"),
                    "token_endpoint": .string(issuer + "/token"), "jwks_uri": .string(issuer + "/jwks"),
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["ES256"],
                    "code_challenge_methods_supported": ["S256"],
                    "authorization_response_iss_parameter_supported": true,
                ])
            } else if request.url.hasSuffix("/jwks") {
                body = .object(["keys": .array([.object(key.publicKey.jwk)])])
            } else {
                return HTTPClientResponse(status: 404, headers: [:], body: [], url: request.url)
            }
            return HTTPClientResponse(
                status: 200, headers: ["Content-Type": "application/json"], body: body.serialized(), url: request.url)
        }

        func token(issuer: String, groups: [String], subject: String = "someone") throws -> String {
            let now = Int64(Date().timeIntervalSince1970)
            let claims: JSONObject = [
                "iss": .string(issuer), "sub": .string(subject), "aud": .string(TenantIdentityTests.audience),
                "iat": .integer(now), "exp": .integer(now + 300), "groups": .array(groups.map(JSONValue.string)),
            ]
            return try (issuer == TenantIdentityTests.betaIssuer ? betaKey : platformKey).sign(claims: claims)
        }
    }

    static let betaIdentity = TenantConfig.IdentitySettings(
        issuer: betaIssuer, clientID: "open-csms", clientSecretFile: "", accessTokenAudience: audience,
        roles: ["beta-admins": "tenant-admin", "beta-viewers": "tenant-viewer"])

    /// An AuthService over the stubs: tenants acme (platform provider) and beta (its own, from the
    /// box, which a test may change as the platform API would rewrite the file).
    static func service(
        _ providers: Providers, identities: [String: TenantConfig.IdentitySettings]
    ) throws -> (AuthService, Files) {
        let directory = NSTemporaryDirectory() + "tenant-idp-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let secret = directory + "/client.secret"
        try "s3cret".write(toFile: secret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret)
        let logger = Logger(label: "test")
        let settings = PlatformConfig.IdentitySettings(
            issuer: platformIssuer, clientID: "open-csms", clientSecretFile: secret, accessTokenAudience: audience,
            platformRoles: ["ops": "platform-admin"], tenantRoles: ["tenant-{tenant}-admins": "tenant-admin"])
        let box = Files(identities, secret: secret)
        let auth = try AuthService(
            settings: settings, keys: SessionKeys.load(dataDirectory: directory, logger: logger),
            baseDomain: "csms.example", httpClient: providers,
            tenantExists: { ["acme", "beta"].contains($0) },
            tenantIdentity: { slug in box.identity(slug) }, logger: logger)
        return (auth, box)
    }

    /// The tenant files' `identity` sections, with every client secret file pointing at the test's
    /// secret.
    final class Files: Sendable {
        let identities: Mutex<[String: TenantConfig.IdentitySettings]>
        let secret: String
        init(_ identities: [String: TenantConfig.IdentitySettings], secret: String) {
            self.identities = Mutex(identities)
            self.secret = secret
        }
        func identity(_ slug: String) -> TenantConfig.IdentitySettings? {
            identities.withLock { $0[slug] }.map { identity in
                var identity = identity
                identity.clientSecretFile = secret
                return identity
            }
        }
    }

    @Test func loginsGoToTheTenantsOwnProviderElseThePlatforms() async throws {
        let providers = try Providers()
        let (auth, _) = try Self.service(providers, identities: ["beta": Self.betaIdentity])
        let beta = try await auth.beginLogin(tenant: "beta", returnTo: nil, host: nil)
        #expect(beta.url.hasPrefix(Self.betaIssuer + "/authorize?"))
        #expect(beta.url.contains("redirect_uri=https%3A%2F%2Fadmin.csms.example%2Fauth%2Fcallback"))
        let acme = try await auth.beginLogin(tenant: "acme", returnTo: nil, host: nil)
        #expect(acme.url.hasPrefix(Self.platformIssuer + "/authorize?"))
        let platform = try await auth.beginLogin(tenant: nil, returnTo: nil, host: nil)
        #expect(platform.url.hasPrefix(Self.platformIssuer + "/authorize?"))
    }

    @Test func aCallbackFromAnotherIssuerIsRefused() async throws {
        let providers = try Providers()
        let (auth, _) = try Self.service(providers, identities: ["beta": Self.betaIdentity])
        let start = try await auth.beginLogin(tenant: "beta", returnTo: nil, host: nil)
        let state = try #require(
            URLComponents(string: start.url)?.queryItems?.first { $0.name == "state" }?.value)
        let query =
            "code=abc&state=\(state)&iss=\(Self.platformIssuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        await #expect {
            _ = try await auth.completeLogin(query: query, binding: start.binding)
        } throws: { error in
            guard case AuthService.Failure.badRequest(let detail) = error else { return false }
            return detail.contains("not the provider this login was sent to")
        }
    }

    @Test func tokensOfATenantsProviderGrantOnlyThatTenantsRoles() async throws {
        let providers = try Providers()
        let (auth, _) = try Self.service(providers, identities: ["beta": Self.betaIdentity])
        let admin = try providers.token(issuer: Self.betaIssuer, groups: ["beta-admins", "ops"], subject: "ann")
        let (_, session) = try await auth.exchange(accessToken: admin, tenant: "beta")
        #expect(session.role == "tenant-admin")
        #expect(session.tenant == "beta")
        #expect(session.subject == "\(Self.betaIssuer)|ann")
        // Not for another tenant (verified against the platform's provider: wrong issuer), not for
        // the platform (a tenant's provider never grants platform roles, even for `ops`).
        await #expect(throws: AuthService.Failure.self) { try await auth.exchange(accessToken: admin, tenant: "acme") }
        await #expect(throws: AuthService.Failure.self) { try await auth.exchange(accessToken: admin, tenant: nil) }
        let nobody = try providers.token(issuer: Self.betaIssuer, groups: ["tenant-beta-admins"])
        await #expect(throws: AuthService.Failure.self) { try await auth.exchange(accessToken: nobody, tenant: "beta") }
    }

    @Test func thePlatformsProviderKeepsPlatformRolesButNoTenantRolesForATenantWithItsOwn() async throws {
        let providers = try Providers()
        let (auth, _) = try Self.service(providers, identities: ["beta": Self.betaIdentity])
        let platformAdmin = try providers.token(issuer: Self.platformIssuer, groups: ["ops"])
        #expect(try await auth.exchange(accessToken: platformAdmin, tenant: "beta").1.role == "platform-admin")
        let betaAdmin = try providers.token(issuer: Self.platformIssuer, groups: ["tenant-beta-admins"])
        await #expect {
            _ = try await auth.exchange(accessToken: betaAdmin, tenant: "beta")
        } throws: { error in
            guard case AuthService.Failure.forbidden(let detail) = error else { return false }
            return detail.contains("its own identity provider")
        }
        let acmeAdmin = try providers.token(issuer: Self.platformIssuer, groups: ["tenant-acme-admins"])
        #expect(try await auth.exchange(accessToken: acmeAdmin, tenant: "acme").1.tenant == "acme")
    }

    @Test func aTenantsProviderIsReadFromItsFileWhenUsed() async throws {
        let providers = try Providers()
        let (auth, files) = try Self.service(providers, identities: [:])
        #expect(try await auth.provider(for: "beta").tenant == nil)
        // The platform API writes beta's file with an identity section: the next login uses it.
        files.identities.withLock { $0["beta"] = Self.betaIdentity }
        #expect(try await auth.provider(for: "beta").issuer == Self.betaIssuer)
        let start = try await auth.beginLogin(tenant: "beta", returnTo: nil, host: nil)
        #expect(start.url.hasPrefix(Self.betaIssuer))
        // A login begun with one provider is not completed after the file names another.
        files.identities.withLock { $0["beta"] = nil }
        let state = try #require(URLComponents(string: start.url)?.queryItems?.first { $0.name == "state" }?.value)
        await #expect(throws: AuthService.Failure.self) {
            _ = try await auth.completeLogin(query: "code=abc&state=\(state)", binding: start.binding)
        }
    }

    @Test func theControlPlaneReadsTheIdentityFromTheTenantFile() throws {
        let directory = NSTemporaryDirectory() + "tenant-idp-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try ControlPlane.tenantIdentity(slug: "beta", directory: directory) == nil)
        try """
        slug: beta
        display_name: Beta
        plan: starter
        identity:
          issuer: \(Self.betaIssuer)
          client_id: open-csms
          client_secret_file: beta.secret
          roles:
            beta-admins: tenant-admin
        """.write(toFile: directory + "/beta.yaml", atomically: true, encoding: .utf8)
        let read = try ControlPlane.tenantIdentity(slug: "beta", directory: directory)
        #expect(read?.issuer == Self.betaIssuer)
        #expect(read?.clientSecretFile == directory + "/beta.secret")
    }

    @Test func unverifiedIssuerReadsThePayloadOnly() throws {
        let providers = try Providers()
        let token = try providers.token(issuer: Self.betaIssuer, groups: [])
        #expect(AuthService.unverifiedIssuer(token) == Self.betaIssuer)
        #expect(AuthService.unverifiedIssuer("a.b") == nil)
        #expect(AuthService.unverifiedIssuer("x.!!!.y") == nil)
    }
}
