// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Config
import HTTPTypes
import Logging
import OCPPRPC

/// Decides, from the HTTP upgrade request alone, whether a station may open its OCPP WebSocket,
/// and if not, which HTTP answer it gets. Nothing here touches the WebSocket.
///
/// Order: the path and identity (400), the subprotocol (400), the tenant's security profile against
/// the connection (401: TLS for profiles 2 and 3, a client certificate naming the station for 3),
/// Basic credentials naming this station (401, profiles 1 and 2), the station's record (404 for an
/// unknown station when the tenant rejects them), the password (401, profiles 1 and 2). "The
/// server first needs to validate the Authorization header before upgrading the connection" (OCPP
/// 1.6 security white paper, Table 4), so a refused station never reaches the RPC layer and never
/// disturbs the station's existing connection.
struct OCPPUpgradeGate: Sendable {
    struct Accepted: Sendable {
        var identity: String
        var version: OCPPVersion
        var station: StationRecord
    }

    struct Refusal: Sendable, Error {
        var status: HTTPResponse.Status
        var title: String
        var detail: String
        /// The station identity when it could be read (for the log line).
        var identity: String?
        var extraHeaders: HTTPFields = [:]
    }

    let settings: TenantConfig.OCPPSettings
    let store: any ChargingStore
    let authenticator: StationAuthenticator
    let registry: StationRegistry
    let maxConnections: Int
    let logger: Logger

    /// `/ocpp/{stationId}`: the identity is the single path segment after the prefix.
    static let pathPrefix = "/ocpp/"

    /// `security`: the connection's TLS state and verified client certificate, which the tenant's
    /// security profile is checked against before any credentials (A00.FR.002).
    func decide(path: String, headers: HTTPFields, security: ChannelSecurity) async -> Result<Accepted, Refusal> {
        let rawPath = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard rawPath.hasPrefix(Self.pathPrefix) else {
            return .failure(
                Refusal(status: .notFound, title: "Not Found", detail: "OCPP stations connect to /ocpp/{stationId}"))
        }
        let segment = rawPath.dropFirst(Self.pathPrefix.count)
        guard !segment.contains("/") else {
            return .failure(
                Refusal(
                    status: .notFound, title: "Not Found",
                    detail: "the station identity must be the one path segment after /ocpp/"))
        }
        let identity: String
        switch ConnectionRequest.identity(fromPathSegment: segment) {
        case .success(let value): identity = value
        case .failure(let error):
            return .failure(Refusal(status: .badRequest, title: "Invalid station identity", detail: error.description))
        }

        if await registry.count >= maxConnections {
            return .failure(
                Refusal(
                    status: .serviceUnavailable, title: "Service Unavailable",
                    detail: "this worker holds its maximum of \(maxConnections) station connections; retry later",
                    identity: identity, extraHeaders: [.retryAfter: "60"]))
        }

        let offered = headers[values: .secWebSocketProtocol]
        let allowed = settings.allowedVersions.compactMap { OCPPVersion(rawValue: $0.rawValue) }
        guard let version = ConnectionRequest.negotiateVersion(offered: offered, allowed: allowed) else {
            let offeredText = offered.isEmpty ? "none" : offered.joined(separator: ", ")
            return .failure(
                Refusal(
                    status: .badRequest, title: "No common OCPP version",
                    detail:
                        "offered subprotocols: \(offeredText); this CSMS accepts \(allowed.map(\.rawValue).joined(separator: ", "))",
                    identity: identity))
        }

        let proof: StationProof
        switch ConnectionRequest.requiredProof(
            profile: settings.securityProfile, security: security, identity: identity)
        {
        case .success(let value): proof = value
        case .failure(let mismatch):
            // No Basic challenge: no credentials can make this connection acceptable, and asking
            // for a password over a plain connection would invite sending it in clear.
            return .failure(
                Refusal(status: .unauthorized, title: "Unauthorized", detail: mismatch.description, identity: identity))
        }
        switch proof {
        case .basicAuth:
            return await basicAuthenticated(identity: identity, version: version, headers: headers)
        case .clientCertificate:
            switch await lookUp(identity: identity, version: version, pendingPassword: nil) {
            case .success(.known(let station)), .success(.registered(let station, _)):
                return .success(Accepted(identity: identity, version: version, station: station))
            case .failure(let refusal):
                return .failure(refusal)
            }
        }
    }

    /// Security profiles 1 and 2: Basic credentials naming this station, then its password.
    private func basicAuthenticated(
        identity: String, version: OCPPVersion, headers: HTTPFields
    ) async -> Result<Accepted, Refusal> {
        let challenge: HTTPFields = [.wwwAuthenticate: "Basic realm=\"OCPP\", charset=\"UTF-8\""]
        guard let credentials = ConnectionRequest.basicCredentials(headers[.authorization]) else {
            return .failure(
                Refusal(
                    status: .unauthorized, title: "Unauthorized",
                    detail: "security profile \(settings.securityProfile) requires HTTP Basic authentication",
                    identity: identity, extraHeaders: challenge))
        }
        // OCTT TC_A_02: the Basic user name must be the station identity.
        guard credentials.user == identity else {
            return .failure(
                Refusal(
                    status: .unauthorized, title: "Unauthorized",
                    detail: "the Basic-auth user name is not the station identity", identity: identity,
                    extraHeaders: challenge))
        }

        let station: StationRecord
        switch await lookUp(identity: identity, version: version, pendingPassword: credentials.password) {
        case .success(.known(let known)):
            station = known
        case .success(.registered(let created, let hash)):
            // First contact: the password it presented is remembered, so that only this station
            // can use the identity until an operator accepts or deletes it. Another connection may
            // have registered it first, with another password: then the password is checked.
            if created.passwordHash == hash {
                return .success(Accepted(identity: identity, version: version, station: created))
            }
            station = created
        case .failure(let refusal):
            return .failure(refusal)
        }

        guard let hash = station.passwordHash else {
            return .failure(
                Refusal(
                    status: .unauthorized, title: "Unauthorized",
                    detail: "station \(identity) has no password set; an operator must set one", identity: identity,
                    extraHeaders: challenge))
        }
        guard await authenticator.verify(password: credentials.password, storedHash: hash) else {
            return .failure(
                Refusal(
                    status: .unauthorized, title: "Unauthorized", detail: "wrong password for station \(identity)",
                    identity: identity, extraHeaders: challenge))
        }
        return .success(Accepted(identity: identity, version: version, station: station))
    }

    private enum Lookup {
        case known(StationRecord)
        /// Registered as pending just now (`unknown_stations: pending`), with the hash of
        /// `pendingPassword` (nil without one).
        case registered(StationRecord, passwordHash: String?)
    }

    /// The station's record; an unknown station is refused (404) or registered as pending,
    /// as the tenant's `unknown_stations` says.
    private func lookUp(
        identity: String, version: OCPPVersion, pendingPassword: String?
    ) async -> Result<Lookup, Refusal> {
        do {
            if let known = try await store.station(identity: identity) {
                return .success(.known(known))
            }
            switch settings.unknownStations {
            case .reject:
                return .failure(
                    Refusal(
                        status: .notFound, title: "Unknown station",
                        detail: "station \(identity) is not registered with this CSMS", identity: identity))
            case .pending:
                var hash: String?
                if let pendingPassword { hash = try await authenticator.hash(pendingPassword) }
                let created = try await store.registerPendingStation(identity: identity, passwordHash: hash)
                logger.notice(
                    "unknown station registered as pending",
                    metadata: ["station.id": "\(identity)", "ocpp.version": "\(version.rawValue)"])
                return .success(.registered(created, passwordHash: hash))
            }
        } catch {
            logger.error(
                "station lookup failed during the WebSocket upgrade",
                metadata: ["station.id": "\(identity)", "error": "\(error)"])
            return .failure(
                Refusal(
                    status: .serviceUnavailable, title: "Service Unavailable",
                    detail: "the station registry cannot be reached; retry later", identity: identity,
                    extraHeaders: [.retryAfter: "30"]))
        }
    }
}
