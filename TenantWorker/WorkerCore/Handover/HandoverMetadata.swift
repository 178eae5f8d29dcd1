// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import OCPPRPC

/// The record the edge router sends with each handed-over descriptor (one SOCK_SEQPACKET message:
/// the descriptor as SCM_RIGHTS plus this JSON, at most 1 KiB):
/// `{"v":1,"tenant":"<slug>","client":"<ip>:<port>","accepted_at":"<RFC 3339 with ms>","transport":"http"|"tls"}`.
struct HandoverMetadata: Sendable, Equatable {
    enum Transport: String, Sendable {
        case http
        case tls
    }

    /// The only record version this worker understands.
    static let version: Int64 = 1
    /// The router never sends more; anything larger is not from our router.
    static let maxSize = 1024

    var tenant: String
    var client: String
    var acceptedAt: Date
    var transport: Transport

    /// Why a hand-over was refused before adoption (logged; the descriptor is closed).
    struct Rejection: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Parses and checks one record: the version, this worker's tenant, the fields' types.
    /// Members this version does not know are ignored (a newer router may add some).
    static func parse(_ bytes: [UInt8], expectedTenant: String) -> Result<HandoverMetadata, Rejection> {
        guard bytes.count <= maxSize else {
            return .failure(Rejection(description: "metadata of \(bytes.count) bytes exceeds \(maxSize) bytes"))
        }
        let object: JSONObject
        do {
            guard let parsed = try JSONValue.parse(bytes, maxDepth: 8).objectValue else {
                return .failure(Rejection(description: "metadata is not a JSON object"))
            }
            object = parsed
        } catch {
            return .failure(Rejection(description: "metadata is not valid JSON: \(error)"))
        }
        guard case .integer(let version) = object["v"] else {
            return .failure(Rejection(description: "metadata has no integer version \"v\""))
        }
        guard version == Self.version else {
            return .failure(
                Rejection(
                    description: "metadata version \(version) is not supported (this worker reads \(Self.version))"))
        }
        guard let tenant = object["tenant"]?.stringValue else {
            return .failure(Rejection(description: "metadata has no \"tenant\""))
        }
        guard tenant == expectedTenant else {
            return .failure(
                Rejection(
                    description:
                        "a connection for tenant \"\(tenant)\" was handed to the worker of \"\(expectedTenant)\""
                ))
        }
        guard let client = object["client"]?.stringValue, !client.isEmpty else {
            return .failure(Rejection(description: "metadata has no \"client\" address"))
        }
        guard let acceptedText = object["accepted_at"]?.stringValue, let acceptedAt = OCPPDateTime.parse(acceptedText)
        else {
            return .failure(Rejection(description: "metadata has no RFC 3339 \"accepted_at\""))
        }
        guard let transportText = object["transport"]?.stringValue, let transport = Transport(rawValue: transportText)
        else {
            return .failure(Rejection(description: "metadata \"transport\" must be \"http\" or \"tls\""))
        }
        return .success(HandoverMetadata(tenant: tenant, client: client, acceptedAt: acceptedAt, transport: transport))
    }
}

/// The decisions of the hand-over listener, kept free of sockets so they can be tested alone.
enum HandoverPolicy {
    enum PeerDecision: Equatable {
        case accept
        case reject(String)
    }

    /// Only a process of this worker's own user may hand it connections: the socket is 0600 in a
    /// 0700 folder already, and SO_PEERCRED makes a mistake in those modes not an open door.
    static func peerDecision(peerUID: uid_t?, ownUID: uid_t) -> PeerDecision {
        guard let peerUID else { return .reject("the peer's credentials cannot be read (SO_PEERCRED)") }
        guard peerUID == ownUID else {
            return .reject("peer uid \(peerUID) is not this worker's uid \(ownUID)")
        }
        return .accept
    }

    enum Admission: Equatable {
        /// Served by the worker's HTTP/WebSocket stack.
        case admit
        /// The worker is shutting down: 503 with Retry-After, then closed.
        case draining
        /// The plan's connection limit is reached: 503 with Retry-After, then closed.
        case overLimit(Int)
    }

    /// `open` counts the adopted connections still open (refused ones are not counted).
    static func admission(draining: Bool, open: Int, limit: Int) -> Admission {
        if draining { return .draining }
        if open >= limit { return .overLimit(limit) }
        return .admit
    }
}
