// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import HTTPClient
public import Logging

/// The signing keys of one provider, fetched from its `jwks_uri` and kept by `kid`, and the JWT
/// check that uses them (PROTOCOLS.md §4 item 6, OIDC Core §10.1.1).
///
/// - A token whose `kid` is cached verifies without the network, even while the provider is down.
/// - An unknown `kid` refetches the key set once, at most once per ``minimumRefreshInterval``
///   (concurrent callers share one fetch), and the token is checked again; this is how a key
///   rotation at the provider is picked up, and the limit keeps random `kid`s from turning into a
///   request flood against the provider.
/// - A key stays usable for ``timeToLive`` after the last fetch that listed it, so tokens signed
///   just before a rotation keep verifying after the provider stopped publishing their key.
/// - Once the set is older than ``timeToLive`` a refetch starts in the background; the token at
///   hand is checked with the cached keys and never waits for it. A failed fetch keeps every key.
///
/// The signature check runs outside the actor, so verifications proceed in parallel.
public actor JWKSCache {
    public nonisolated let jwksURI: String
    public nonisolated let timeToLive: Duration
    public nonisolated let minimumRefreshInterval: Duration
    private let httpClient: any HTTPClientSending
    private let limits: OIDCRequestLimits
    private let logger: Logger

    private struct Entry {
        let key: JSONWebKey
        var lastListed: ContinuousClock.Instant
        var order: Int
    }
    private var entries: [String: Entry] = [:]
    private var keySet = JSONWebKeySet(keys: [])
    /// Bumped by every successful fetch, so a caller can tell whether the keys changed since it looked.
    private var generation = 0
    private var lastSuccessfulFetch: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    /// Why the last fetch failed; nil once one succeeds.
    private var lastFailure: OIDCError?
    private var inFlight: Task<OIDCError?, Never>?
    /// Fetches that went to the network (successful or not), for metrics and tests.
    public private(set) var fetchCount = 0

    public init(
        jwksURI: String, httpClient: any HTTPClientSending, timeToLive: Duration = .seconds(3600),
        minimumRefreshInterval: Duration = .seconds(60), limits: OIDCRequestLimits = .init(),
        logger: Logger = Logger(label: "open-csms.oidc.jwks")
    ) {
        self.jwksURI = jwksURI
        self.httpClient = httpClient
        self.timeToLive = timeToLive
        self.minimumRefreshInterval = minimumRefreshInterval
        self.limits = limits
        var logger = logger
        logger[metadataKey: "oidc.jwks_uri"] = "\(OIDCTransport.redacted(jwksURI))"
        self.logger = logger
    }

    /// The `kid`s usable now (keys without one are listed as `""`), newest fetch first.
    public var keyIDs: [String] { keySet.keys.map { $0.keyID ?? "" } }

    /// Verifies `token` with the cached keys, refetching once on an unknown `kid` (see the type's
    /// documentation).
    ///
    /// - Throws: ``OIDCError/Code-swift.struct/tokenRejected`` with the verifier's
    ///   ``OIDCError/rejection`` (an unknown `kid` after a refetch, or while refetching is
    ///   rate-limited, is ``JWTRejection/Reason-swift.enum/unknownKey``);
    ///   ``OIDCError/Code-swift.struct/providerUnavailable`` or
    ///   ``OIDCError/Code-swift.struct/invalidProviderResponse`` when the refetch this token needed
    ///   failed, or when it is rate-limited and the last fetch failed.
    public nonisolated func verify(
        _ token: String, validation: JWTValidation
    ) async throws(OIDCError) -> VerifiedToken {
        let verifier = JWTVerifier(validation: validation)
        let (keys, seen) = await currentKeys()
        let rejection: JWTRejection
        do {
            return try verifier.verify(token, keys: keys)
        } catch {
            rejection = error
        }
        guard rejection.reason == .unknownKey else { throw Self.rejected(rejection) }
        switch await keysAfterUnknownKey(seenGeneration: seen) {
        case .keys(let fresh):
            do {
                return try verifier.verify(token, keys: fresh)
            } catch {
                throw Self.rejected(error)
            }
        case .rateLimited:
            throw OIDCError(
                .tokenRejected,
                "\(rejection.detail); the key set was fetched less than \(minimumRefreshInterval) ago, so it is not "
                    + "fetched again yet", rejection: rejection)
        case .failed(let error):
            throw error
        }
    }

    /// Fetches the key set now (joining a fetch already under way), whatever the rate limit says:
    /// for warming the cache at start-up, not for the request path.
    public func refresh() async throws(OIDCError) {
        if let error = await startFetch().value { throw error }
    }

    // MARK: - State

    private enum AfterUnknownKey {
        case keys(JSONWebKeySet)
        case rateLimited
        case failed(OIDCError)
    }

    private func currentKeys() -> (JSONWebKeySet, Int) {
        let now = ContinuousClock.now
        if let lastSuccessfulFetch, lastSuccessfulFetch.duration(to: now) >= timeToLive, inFlight == nil,
            mayAttempt(at: now)
        {
            // Stale: refresh in the background; this token is checked with what is cached.
            _ = startFetch()
        }
        return (keySet, generation)
    }

    private func keysAfterUnknownKey(seenGeneration: Int) async -> AfterUnknownKey {
        // Another caller's fetch may already have brought the key.
        if generation != seenGeneration { return .keys(keySet) }
        let task: Task<OIDCError?, Never>
        if let inFlight {
            task = inFlight
        } else if mayAttempt(at: .now) {
            task = startFetch()
        } else if let lastFailure {
            // The provider was unreachable a moment ago: the kid may well be a rotation not yet seen.
            return .failed(lastFailure)
        } else {
            return .rateLimited
        }
        if let error = await task.value { return .failed(error) }
        return .keys(keySet)
    }

    private func mayAttempt(at now: ContinuousClock.Instant) -> Bool {
        guard let lastAttempt else { return true }
        return lastAttempt.duration(to: now) >= minimumRefreshInterval
    }

    private func startFetch() -> Task<OIDCError?, Never> {
        if let inFlight { return inFlight }
        lastAttempt = .now
        fetchCount += 1
        let task = Task { await self.performFetch() }
        inFlight = task
        return task
    }

    private func performFetch() async -> OIDCError? {
        defer { inFlight = nil }
        do {
            let fetched = try await download()
            apply(fetched, at: .now)
            lastFailure = nil
            return nil
        } catch {
            logger.warning(
                "JWKS fetch failed; cached keys stay in use",
                metadata: ["oidc.error": "\(error.message)", "oidc.cached_keys": "\(keySet.keys.count)"])
            lastFailure = error
            return error
        }
    }

    private func download() async throws(OIDCError) -> JSONWebKeySet {
        let purpose = "fetching the provider's keys"
        let response = try await OIDCTransport.send(
            HTTPClientRequest(url: jwksURI), limits: limits, client: httpClient, purpose: purpose)
        guard response.status == 200 else {
            throw OIDCError(
                .invalidProviderResponse,
                "\(purpose): GET \(OIDCTransport.redacted(jwksURI)) answered \(response.status), not 200")
        }
        let set: JSONWebKeySet
        do {
            set = try JSONWebKeySet(json: response.body)
        } catch {
            throw OIDCError(.invalidProviderResponse, "\(purpose): \(error.description)")
        }
        if !set.skipped.isEmpty {
            logger.notice("JWKS keys skipped", metadata: ["oidc.skipped": "\(set.skipped.joined(separator: "; "))"])
        }
        guard !set.keys.isEmpty else {
            throw OIDCError(
                .invalidProviderResponse,
                "\(purpose): the key set has no RS256 or ES256 signature key (skipped: "
                    + "\(set.skipped.joined(separator: "; ")))")
        }
        return set
    }

    private func apply(_ fetched: JSONWebKeySet, at now: ContinuousClock.Instant) {
        // Keys without a kid cannot be matched with the next fetch's, so each fetch replaces them.
        entries = entries.filter { $0.value.key.keyID != nil }
        for (index, key) in fetched.keys.enumerated() {
            let identity = key.keyID.map { "\(key.algorithm.rawValue) \($0)" } ?? "#\(index)"
            entries[identity] = Entry(key: key, lastListed: now, order: index)
        }
        // A key the provider no longer lists stays until its TTL (tokens it signed are still out there).
        entries = entries.filter { $0.value.lastListed.duration(to: now) < timeToLive }
        let ordered = entries.values.sorted {
            $0.lastListed != $1.lastListed ? $0.lastListed > $1.lastListed : $0.order < $1.order
        }
        keySet = JSONWebKeySet(keys: ordered.map(\.key))
        generation += 1
        lastSuccessfulFetch = now
        logger.info(
            "JWKS fetched", metadata: ["oidc.kids": "\(keyIDs)", "oidc.fetches": "\(fetchCount)"])
    }

    private static func rejected(_ rejection: JWTRejection) -> OIDCError {
        OIDCError(.tokenRejected, rejection.detail, rejection: rejection)
    }
}
