// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Identity
import JSON
import Logging
import ServiceLifecycle
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// Platform session tokens (issue 6 item 2) verified by the worker with the platform's public keys
/// from the `--session-keys` file: role → scopes, the tenant rules, every bad token → 401 with a
/// `WWW-Authenticate` that says why, and key rotation picked up from the file.
@Suite("Platform session tokens in the worker")
struct SessionVerifierTests {
    static let baseDomain = "csms.test"
    static let slug = "acme"

    /// A key file with `signer`'s public key in a new folder, and a verifier of it.
    struct Fixture {
        let dir: String
        let keysPath: String
        let signer: ES256Signer
        let verifier: SessionVerifier

        init(reloadInterval: Duration = .seconds(5)) throws {
            dir = try TestEnvironment.temporaryDirectory("sess")
            keysPath = dir + "/platform-keys.json"
            signer = try ES256Signer.generate()
            try SessionVerifierTests.publish(signer.publicJWKSetJSON, to: keysPath)
            verifier = try SessionVerifier(
                keysPath: keysPath, tenant: SessionVerifierTests.slug, baseDomain: SessionVerifierTests.baseDomain,
                reloadInterval: reloadInterval, logger: Logger(label: "session-test"))
        }
    }

    /// Replaces the file with a rename, as the control plane does.
    static func publish(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func token(
        _ signer: ES256Signer, role: String, tenant: String?, subject: String = "https://idp.test|alice",
        expiresIn: TimeInterval = 600, now: Date = Date(), baseDomain: String = baseDomain
    ) throws -> String {
        try PlatformSession(
            subject: subject, name: "Alice", role: role, tenant: tenant, expiresAt: now + expiresIn
        ).mint(signer: signer, baseDomain: baseDomain, now: now)
    }

    /// The problem document `principal(for:)` threw, or nil when it accepted the token.
    static func problem(_ verifier: SessionVerifier, _ token: String) -> ProblemDocument? {
        do {
            _ = try verifier.principal(for: token)
            return nil
        } catch let problem as ProblemDocument {
            return problem
        } catch {
            Issue.record("not a problem document: \(error)")
            return nil
        }
    }

    /// A 401 whose one `WWW-Authenticate` value names the realm and `invalid_token`.
    static func expectInvalidToken(
        _ verifier: SessionVerifier, _ token: String, mentioning: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let problem = problem(verifier, token) else {
            Issue.record("the token was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(problem.status == .unauthorized, sourceLocation: sourceLocation)
        let challenges = problem.headers[values: .wwwAuthenticate]
        #expect(challenges.count == 1, "\(challenges)", sourceLocation: sourceLocation)
        let challenge = challenges.first ?? ""
        #expect(challenge.hasPrefix("Bearer realm=\"open-csms\", "), "\(challenge)", sourceLocation: sourceLocation)
        #expect(challenge.contains("error=\"invalid_token\""), "\(challenge)", sourceLocation: sourceLocation)
        #expect(challenge.contains("error_description=\""), "\(challenge)", sourceLocation: sourceLocation)
        if let mentioning {
            #expect(
                challenge.contains(mentioning) && problem.detail.contains(mentioning),
                "\(challenge) / \(problem.detail)", sourceLocation: sourceLocation)
        }
    }

    static func expectForbidden(
        _ verifier: SessionVerifier, _ token: String, detail: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let problem = problem(verifier, token)
        #expect(problem?.status == .forbidden, sourceLocation: sourceLocation)
        #expect(problem?.detail == detail, "\(problem?.detail ?? "accepted")", sourceLocation: sourceLocation)
        #expect(problem?.headers[.wwwAuthenticate] == nil, sourceLocation: sourceLocation)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The payload of a compact JWS as a JSON object.
    static func claims(of token: String) throws -> JSONObject {
        var text = String(token.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text), case .object(let object) = try JSONValue.parse(Array(data))
        else { throw TestFailure("the token's payload is not a JSON object") }
        return object
    }

    // MARK: Roles and tenants

    @Test func aTenantOperatorOfThisTenantMayReadWriteAndCommand() throws {
        let f = try Fixture()
        let principal = try f.verifier.principal(for: try Self.token(f.signer, role: "tenant-operator", tenant: "acme"))
        #expect(principal.kind == .user(subject: "https://idp.test|alice", name: "Alice", role: .tenantOperator))
        #expect(principal.scopes == [.read, .write, .commands])
        #expect(!principal.managesKeys)
        #expect(f.verifier.reads == 0)
    }

    @Test func aTenantViewerMayOnlyRead() throws {
        let f = try Fixture()
        let principal = try f.verifier.principal(for: try Self.token(f.signer, role: "tenant-viewer", tenant: "acme"))
        #expect(principal.scopes == [.read])
        #expect(throws: ProblemDocument.self) { try principal.require(.write) }
    }

    @Test func aTenantAdminManagesKeys() throws {
        let f = try Fixture()
        let principal = try f.verifier.principal(for: try Self.token(f.signer, role: "tenant-admin", tenant: "acme"))
        #expect(principal.scopes == Set(APIScope.allCases))
        #expect(principal.managesKeys)
    }

    @Test func aSessionForAnotherTenantIsForbidden() throws {
        let f = try Fixture()
        Self.expectForbidden(
            f.verifier, try Self.token(f.signer, role: "tenant-admin", tenant: "globex"),
            detail: "this session is for tenant globex, not acme")
        Self.expectForbidden(
            f.verifier, try Self.token(f.signer, role: "tenant-viewer", tenant: nil),
            detail: "this session names no tenant; a tenant-viewer session must name tenant acme")
    }

    @Test func aPlatformAdminWithoutTenantHasEveryScope() throws {
        let f = try Fixture()
        let principal = try f.verifier.principal(for: try Self.token(f.signer, role: "platform-admin", tenant: nil))
        #expect(principal.kind == .user(subject: "https://idp.test|alice", name: "Alice", role: .platformAdmin))
        #expect(principal.scopes == Set(APIScope.allCases))
    }

    @Test func aPlatformRoleMayNameThisTenantButNoOther() throws {
        let f = try Fixture()
        let here = try f.verifier.principal(for: try Self.token(f.signer, role: "platform-operator", tenant: "acme"))
        #expect(here.scopes == [.read, .write, .commands])
        Self.expectForbidden(
            f.verifier, try Self.token(f.signer, role: "platform-admin", tenant: "globex"),
            detail: "this session is for tenant globex, not acme")
    }

    @Test func anUnknownRoleIsForbidden() throws {
        let f = try Fixture()
        Self.expectForbidden(
            f.verifier, try Self.token(f.signer, role: "superuser", tenant: "acme"),
            detail: "the session's role 'superuser' is none of "
                + "platform-admin, platform-operator, tenant-admin, tenant-operator, tenant-viewer")
    }

    // MARK: Bad tokens → 401

    @Test func anExpiredTokenIsRefusedWithAChallenge() throws {
        let f = try Fixture()
        let token = try Self.token(
            f.signer, role: "tenant-admin", tenant: "acme", expiresIn: 900, now: Date() - 3600)
        Self.expectInvalidToken(f.verifier, token, mentioning: "expired")
        #expect(Self.problem(f.verifier, token)?.extensions["reason"] == .string("expired"))
    }

    @Test func aTamperedPayloadIsRefused() throws {
        let f = try Fixture()
        let viewer = try Self.token(f.signer, role: "tenant-viewer", tenant: "acme").split(separator: ".")
        var claims = try Self.claims(of: viewer.joined(separator: "."))
        claims["role"] = .string("tenant-admin")
        let tampered = [String(viewer[0]), Self.base64URL(claims.serialized()), String(viewer[2])]
            .joined(separator: ".")
        Self.expectInvalidToken(f.verifier, tampered, mentioning: "signature does not verify")
    }

    @Test func aTokenOfAnotherKeyIsRefusedAfterOneReadOfTheFile() throws {
        let f = try Fixture(reloadInterval: .zero)
        let stranger = try ES256Signer.generate()
        Self.expectInvalidToken(
            f.verifier, try Self.token(stranger, role: "tenant-admin", tenant: "acme"), mentioning: stranger.keyID)
        #expect(f.verifier.reads == 1)
        // The platform's own tokens still verify; the unchanged file is not read for them.
        _ = try f.verifier.principal(for: try Self.token(f.signer, role: "tenant-admin", tenant: "acme"))
        #expect(f.verifier.reads == 1)
    }

    @Test func aNewPlatformKeyIsPickedUpFromTheFile() throws {
        let f = try Fixture(reloadInterval: .zero)
        let old = try Self.token(f.signer, role: "tenant-operator", tenant: "acme")
        let next = try ES256Signer.generate()
        try Self.publish(next.publicJWKSetJSON, to: f.keysPath)
        let principal = try f.verifier.principal(for: try Self.token(next, role: "tenant-operator", tenant: "acme"))
        #expect(principal.scopes == [.read, .write, .commands])
        #expect(f.verifier.reads == 1)
        // The old key is no longer in the file: its tokens stop working.
        Self.expectInvalidToken(f.verifier, old, mentioning: f.signer.keyID)
    }

    @Test func theFileIsReadAgainAtMostOncePerInterval() throws {
        let f = try Fixture(reloadInterval: .seconds(3600))
        let next = try ES256Signer.generate()
        try Self.publish(next.publicJWKSetJSON, to: f.keysPath)
        // Within the interval since the start the new key is unknown, and the file is not read.
        let fresh = try Self.token(next, role: "tenant-operator", tenant: "acme")
        Self.expectInvalidToken(f.verifier, fresh, mentioning: "no ES256 key for kid")
        Self.expectInvalidToken(f.verifier, fresh)
        #expect(f.verifier.reads == 0)
        _ = try f.verifier.principal(for: try Self.token(f.signer, role: "tenant-operator", tenant: "acme"))
    }

    @Test func aBrokenFileKeepsTheKeysLoadedBefore() throws {
        let f = try Fixture(reloadInterval: .zero)
        try Self.publish(Array("{\"keys\": [".utf8), to: f.keysPath)
        _ = try f.verifier.principal(for: try Self.token(f.signer, role: "tenant-viewer", tenant: "acme"))
        #expect(f.verifier.reads == 1)
        // Once the control plane writes it again, the new key works.
        let next = try ES256Signer.generate()
        try Self.publish(next.publicJWKSetJSON, to: f.keysPath)
        _ = try f.verifier.principal(for: try Self.token(next, role: "tenant-viewer", tenant: "acme"))
        #expect(f.verifier.reads == 2)
    }

    @Test func algNoneIsRefused() throws {
        let f = try Fixture()
        let valid = try Self.token(f.signer, role: "platform-admin", tenant: nil).split(separator: ".")
        let header: JSONObject = ["alg": "none", "typ": "at+jwt", "kid": .string(f.signer.keyID)]
        let unsigned = Self.base64URL(header.serialized()) + "." + String(valid[1]) + "."
        Self.expectInvalidToken(f.verifier, unsigned, mentioning: "alg")
        #expect(Self.problem(f.verifier, unsigned)?.extensions["reason"] == .string("algorithm_not_allowed"))
    }

    @Test func aTokenTypedJWTInsteadOfAccessTokenIsRefused() throws {
        let f = try Fixture()
        let claims = try Self.claims(of: try Self.token(f.signer, role: "tenant-admin", tenant: "acme"))
        let idToken = try f.signer.sign(claims: claims, type: "JWT")
        Self.expectInvalidToken(f.verifier, idToken, mentioning: "typ")
    }

    @Test func aTokenOfAnotherPlatformIsRefused() throws {
        let f = try Fixture()
        let token = try Self.token(f.signer, role: "tenant-admin", tenant: "acme", baseDomain: "elsewhere.test")
        Self.expectInvalidToken(f.verifier, token)
        #expect(Self.problem(f.verifier, token)?.extensions["reason"] == .string("wrong_issuer"))
    }

    @Test func garbageIsRefused() throws {
        let f = try Fixture()
        Self.expectInvalidToken(f.verifier, "a.b.c")
        Self.expectInvalidToken(f.verifier, "..")
    }

    // MARK: Start-up

    @Test func aMissingOrUnusableKeyFileStopsTheStart() throws {
        let dir = try TestEnvironment.temporaryDirectory("sess")
        let logger = Logger(label: "session-test")
        func startupError(_ path: String) -> String {
            do {
                _ = try SessionVerifier(keysPath: path, tenant: "acme", baseDomain: Self.baseDomain, logger: logger)
                return "started"
            } catch {
                return error.description
            }
        }
        let missing = startupError(dir + "/absent.json")
        #expect(
            missing == "--session-keys \(dir)/absent.json: the file with the platform's session keys does not exist")
        try Self.publish(Array("not json".utf8), to: dir + "/garbage.json")
        let garbage = startupError(dir + "/garbage.json")
        #expect(garbage.hasPrefix("--session-keys \(dir)/garbage.json: not the platform's session keys"), "\(garbage)")
        try Self.publish(Array(#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#.utf8), to: dir + "/hmac.json")
        let hmac = startupError(dir + "/hmac.json")
        #expect(hmac.contains("no usable ES256 key (skipped: keys[0]"), "\(hmac)")
    }

    /// Options that fail before any connection is made: no database or Redis needed.
    static func offlineOptions(dir: String, sessionKeys: String?, baseDomain: String?) throws -> WorkerOptions {
        let config = dir + "/acme.yaml"
        try "slug: acme\ndisplay_name: Session test\nplan: test\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        return WorkerOptions(
            tenantConfigPath: config, postgresConninfo: "host=127.0.0.1 port=1 dbname=none user=none",
            postgresPasswordFile: nil, redisHost: "127.0.0.1", redisPort: 1, redisUser: nil, redisPasswordFile: nil,
            controlSocketPath: dir + "/w.sock", baseDomain: baseDomain, sessionKeysPath: sessionKeys)
    }

    @Test func theWorkerRefusesToStartWithoutItsKeysOrBaseDomain() throws {
        let dir = try TestEnvironment.temporaryDirectory("sess")
        let logger = Logger(label: "session-test")
        let missing = #expect(throws: WorkerStartupError.self) {
            _ = try buildTenantWorker(
                options: try Self.offlineOptions(
                    dir: dir, sessionKeys: dir + "/nope.json", baseDomain: Self.baseDomain),
                logger: logger)
        }
        #expect(missing?.description.contains(dir + "/nope.json") == true, "\(missing?.description ?? "")")
        try Self.publish(try ES256Signer.generate().publicJWKSetJSON, to: dir + "/keys.json")
        let noDomain = #expect(throws: WorkerStartupError.self) {
            _ = try buildTenantWorker(
                options: try Self.offlineOptions(dir: dir, sessionKeys: dir + "/keys.json", baseDomain: nil),
                logger: logger)
        }
        #expect(noDomain?.description.hasPrefix("--session-keys needs --base-domain") == true)
    }

    // MARK: Through the worker

    /// GET /api/v1/stations on the worker's TCP listener with session tokens: 200 for this tenant,
    /// 403 for another one, 401 for a stranger's key.
    @Test func theWorkerServesTheAPIToSessionTokens() async throws {
        let setup = try await WorkerHealthTests().setUp(slugPrefix: "sess")
        let signer = try ES256Signer.generate()
        let keysPath = setup.dir + "/platform-keys.json"
        try Self.publish(signer.publicJWKSetJSON, to: keysPath)
        let port = try TestEnvironment.freePort()
        let options = WorkerOptions(
            tenantConfigPath: setup.tenantConfig, postgresConninfo: setup.tenant.conninfo,
            postgresPasswordFile: setup.dir + "/pg.pw", postgresMaxConnections: 2, redisHost: "127.0.0.1",
            redisPort: try TestEnvironment.redisPort(), redisUser: setup.redisUser,
            redisPasswordFile: setup.redisPasswordFile, controlSocketPath: setup.dir + "/worker.sock",
            tcpListen: ("127.0.0.1", port), healthCheckInterval: .milliseconds(200), baseDomain: Self.baseDomain,
            sessionKeysPath: keysPath)
        let worker = try buildTenantWorker(options: options, logger: Logger(label: "session-test"))
        let group = ServiceGroup(
            configuration: .init(services: worker.services.map { .init(service: $0) }, logger: worker.logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        _ = try await WorkerHealthTests().waitForHealth(setup.dir + "/worker.sock", status: 200)

        func get(_ token: String) async throws -> TestClient.Response {
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                do {
                    let client = try TestClient.connect(port: UInt16(port))
                    defer { client.close() }
                    try client.send(
                        "GET /api/v1/stations HTTP/1.1\r\nHost: \(setup.tenant.slug).\(Self.baseDomain)\r\n"
                            + "Authorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
                    return try await client.readResponse()
                } catch  where ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        let slug = setup.tenant.slug
        let ok = try await get(try Self.token(signer, role: "tenant-viewer", tenant: slug))
        #expect(ok.status == 200, "\(ok.text)")
        let other = try await get(try Self.token(signer, role: "tenant-admin", tenant: "globex"))
        #expect(other.status == 403, "\(other.text)")
        #expect(other.text.contains("this session is for tenant globex, not \(slug)"), "\(other.text)")
        #expect(other.header("Content-Type") == "application/problem+json")
        let stranger = try await get(try Self.token(try ES256Signer.generate(), role: "tenant-admin", tenant: slug))
        #expect(stranger.status == 401, "\(stranger.text)")
        let challenge = stranger.header("WWW-Authenticate") ?? ""
        #expect(challenge.hasPrefix("Bearer realm=\"open-csms\", error=\"invalid_token\""), "\(challenge)")

        await group.triggerGracefulShutdown()
        try await running.value
        await worker.ocpp.authenticator.shutdown()
        await worker.postgres.shutdown()
        await worker.redis.shutdown()
    }
}
