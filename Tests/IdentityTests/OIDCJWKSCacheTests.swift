// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Identity
import JSON
import Synchronization
import Testing

@Suite("OIDC: JWKS cache — refetch on unknown kid, rate limit, TTL, provider down")
struct OIDCJWKSCacheTests {
    /// A provider whose published keys the test changes; nil publishes nothing (the provider is down).
    final class KeyServer: Sendable {
        final class Published: Sendable {
            let signers: Mutex<[ES256Signer]?>
            init(_ signers: [ES256Signer]?) { self.signers = Mutex(signers) }
        }
        let published: Published
        let client: StubHTTPClient

        init(_ signers: [ES256Signer]) {
            let published = Published(signers)
            self.published = published
            client = StubHTTPClient { request throws(HTTPClientError) in
                guard let signers = published.signers.withLock({ $0 }) else {
                    throw StubHTTPClient.connectionRefused(request)
                }
                return StubHTTPClient.json(TestIssuer.jwks(signers))
            }
        }

        func publish(_ signers: [ES256Signer]?) { published.signers.withLock { $0 = signers } }

        func cache(ttl: Duration = .seconds(3600), interval: Duration = .seconds(60)) -> JWKSCache {
            JWKSCache(
                jwksURI: "https://idp.example/jwks", httpClient: client, timeToLive: ttl,
                minimumRefreshInterval: interval)
        }
    }

    static func rejection(_ body: () async throws(OIDCError) -> VerifiedToken) async -> OIDCError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test("The first verify fetches the keys; later ones with a known kid need no network")
    func cachedAfterFirstFetch() async throws {
        let a = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache()
        let token = try TestIssuer.token(a)
        #expect(try await cache.verify(token, validation: TestIssuer.validation).subject == "alice")
        for _ in 0..<10 { _ = try await cache.verify(token, validation: TestIssuer.validation) }
        #expect(await cache.fetchCount == 1)
        #expect(await cache.keyIDs == [a.keyID])
    }

    @Test("Rotation: a new kid triggers one refetch; the old key keeps working until its TTL")
    func rotationPickedUp() async throws {
        let a = try ES256Signer.generate()
        let b = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache(interval: .zero)
        let tokenA = try TestIssuer.token(a)
        _ = try await cache.verify(tokenA, validation: TestIssuer.validation)
        server.publish([b])
        let tokenB = try TestIssuer.token(b, subject: "bob")
        #expect(try await cache.verify(tokenB, validation: TestIssuer.validation).subject == "bob")
        #expect(await cache.fetchCount == 2)
        #expect(try await cache.verify(tokenA, validation: TestIssuer.validation).subject == "alice")
        #expect(Set(await cache.keyIDs) == [a.keyID, b.keyID])
        #expect(await cache.fetchCount == 2)
    }

    @Test("Unknown kids refetch at most once per interval, and concurrent ones share one fetch")
    func rateLimited() async throws {
        let a = try ES256Signer.generate()
        let stranger = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache(interval: .seconds(60))
        _ = try await cache.verify(try TestIssuer.token(a), validation: TestIssuer.validation)
        let forged = try TestIssuer.token(stranger)
        // The first fetch was just now, so even the first unknown kid must wait for the interval.
        let first = await Self.rejection { () async throws(OIDCError) in
            try await cache.verify(forged, validation: TestIssuer.validation)
        }
        #expect(first?.code == .tokenRejected)
        #expect(first?.rejection?.reason == .unknownKey)
        #expect(await cache.fetchCount == 1)

        // A fresh cache: 20 concurrent unknown-kid tokens cause a single fetch in total.
        let fresh = server.cache(interval: .seconds(60))
        _ = try await fresh.verify(try TestIssuer.token(a), validation: TestIssuer.validation)
        let rejected = await withTaskGroup(of: JWTRejection.Reason?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    await Self.rejection { () async throws(OIDCError) in
                        try await fresh.verify(forged, validation: TestIssuer.validation)
                    }?.rejection?.reason
                }
            }
            return await group.reduce(into: [JWTRejection.Reason?]()) { $0.append($1) }
        }
        #expect(rejected.count == 20 && rejected.allSatisfy { $0 == .unknownKey })
        #expect(await fresh.fetchCount == 1)
    }

    @Test("With an interval of zero, concurrent unknown kids still share the fetch under way")
    func concurrentShareOneFetch() async throws {
        let a = try ES256Signer.generate()
        let b = try ES256Signer.generate()
        let server = KeyServer([a, b])
        let cache = server.cache(interval: .zero)
        let tokens = try (0..<20).map { try TestIssuer.token($0.isMultiple(of: 2) ? a : b, subject: "u\($0)") }
        let subjects = try await withThrowingTaskGroup(of: String.self) { group in
            for token in tokens {
                group.addTask { try await cache.verify(token, validation: TestIssuer.validation).subject }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(subjects.count == 20)
        #expect(await cache.fetchCount <= 2)
    }

    @Test("Provider down: cached keys keep verifying; an unknown kid is providerUnavailable")
    func providerDown() async throws {
        let a = try ES256Signer.generate()
        let b = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache(interval: .zero)
        let tokenA = try TestIssuer.token(a)
        _ = try await cache.verify(tokenA, validation: TestIssuer.validation)
        server.publish(nil)
        #expect(try await cache.verify(tokenA, validation: TestIssuer.validation).subject == "alice")
        let tokenB = try TestIssuer.token(b)
        let error = await Self.rejection { () async throws(OIDCError) in
            try await cache.verify(tokenB, validation: TestIssuer.validation)
        }
        #expect(error?.code == .providerUnavailable)
        #expect(try await cache.verify(tokenA, validation: TestIssuer.validation).subject == "alice")

        // Never fetched and the provider is down: the same distinct error, also while the next
        // attempt waits for the interval.
        let empty = server.cache()
        for _ in 0..<2 {
            let none = await Self.rejection { () async throws(OIDCError) in
                try await empty.verify(tokenA, validation: TestIssuer.validation)
            }
            #expect(none?.code == .providerUnavailable)
        }
        #expect(await empty.fetchCount == 1)
    }

    @Test("A key the provider stopped listing is dropped once its TTL has passed")
    func ttlDropsOldKeys() async throws {
        let a = try ES256Signer.generate()
        let b = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache(ttl: .milliseconds(300), interval: .zero)
        let tokenA = try TestIssuer.token(a)
        _ = try await cache.verify(tokenA, validation: TestIssuer.validation)
        server.publish([b])
        try await Task.sleep(for: .milliseconds(400))
        _ = try await cache.verify(try TestIssuer.token(b), validation: TestIssuer.validation)
        #expect(await cache.keyIDs == [b.keyID])
        let error = await Self.rejection { () async throws(OIDCError) in
            try await cache.verify(tokenA, validation: TestIssuer.validation)
        }
        #expect(error?.rejection?.reason == .unknownKey)
    }

    @Test("A set older than its TTL is refreshed in the background while the cached key answers")
    func staleRefreshInBackground() async throws {
        let a = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache(ttl: .milliseconds(200), interval: .zero)
        let token = try TestIssuer.token(a)
        _ = try await cache.verify(token, validation: TestIssuer.validation)
        try await Task.sleep(for: .milliseconds(300))
        server.publish(nil)
        // The provider is down and the set is stale: the verify still succeeds from the cache.
        #expect(try await cache.verify(token, validation: TestIssuer.validation).subject == "alice")
        for _ in 0..<50 where await cache.fetchCount < 2 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await cache.fetchCount == 2)
        #expect(try await cache.verify(token, validation: TestIssuer.validation).subject == "alice")
    }

    @Test("Other JWT failures are tokenRejected with the verifier's reason, without a refetch")
    func otherRejections() async throws {
        let a = try ES256Signer.generate()
        let server = KeyServer([a])
        let cache = server.cache(interval: .zero)
        var wrongAudience = TestIssuer.validation
        wrongAudience.audience = "someone-else"
        let token = try TestIssuer.token(a)
        let error = await Self.rejection { () async throws(OIDCError) in
            try await cache.verify(token, validation: wrongAudience)
        }
        #expect(error?.code == .tokenRejected)
        #expect(error?.rejection?.reason == .wrongAudience)
        #expect(await cache.fetchCount == 1)
    }

    @Test("A key set that is not JSON or has no usable key is an invalid provider response")
    func invalidKeySets() async throws {
        let a = try ES256Signer.generate()
        let token = try TestIssuer.token(a)
        for body in ["<html>", #"{"keys":[{"kty":"oct","k":"AAAA","kid":"h"}]}"#, #"{"nokeys":[]}"#] {
            let client = StubHTTPClient { _ in StubHTTPClient.json(Array(body.utf8)) }
            let cache = JWKSCache(jwksURI: "https://idp.example/jwks", httpClient: client)
            let error = await Self.rejection { () async throws(OIDCError) in
                try await cache.verify(token, validation: TestIssuer.validation)
            }
            #expect(error?.code == .invalidProviderResponse, "\(body)")
        }
    }
}
