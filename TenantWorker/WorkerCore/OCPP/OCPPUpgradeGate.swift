// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Config
import HTTPTypes
import Logging
import OCPPRPC

/// Decides, from the HTTP upgrade request alone, whether a station may open its OCPP WebSocket,
/// and if not, which HTTP answer it gets. Nothing here touches the WebSocket.
///
/// Order: the path and identity (400), the subprotocol (400), Basic credentials naming this station
/// (401), the station's record (404 for an unknown station when the tenant rejects them), the
/// password (401). "The server first needs to validate the Authorization header before upgrading
/// the connection" (OCPP 1.6 security white paper, Table 4), so a refused station never reaches
/// the RPC layer and never disturbs the station's existing connection.
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

    func decide(path: String, headers: HTTPFields) async -> Result<Accepted, Refusal> {
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
        do {
            if let known = try await store.station(identity: identity) {
                station = known
            } else {
                switch settings.unknownStations {
                case .reject:
                    return .failure(
                        Refusal(
                            status: .notFound, title: "Unknown station",
                            detail: "station \(identity) is not registered with this CSMS", identity: identity))
                case .pending:
                    // First contact: remember the password it presented, so that only this
                    // station can use the identity until an operator accepts or deletes it.
                    let hash = try await authenticator.hash(credentials.password)
                    let created = try await store.registerPendingStation(identity: identity, passwordHash: hash)
                    logger.notice(
                        "unknown station registered as pending",
                        metadata: ["station.id": "\(identity)", "ocpp.version": "\(version.rawValue)"])
                    if created.passwordHash == hash {
                        return .success(Accepted(identity: identity, version: version, station: created))
                    }
                    station = created
                }
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
}
