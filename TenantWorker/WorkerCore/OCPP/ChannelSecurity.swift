// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import NIOCore
import NIOSSL
import TLSSupport

/// What the connection itself says about the station, for the OCPP security profile check: plain
/// or TLS, and the client certificate the TLS handshake verified.
enum ChannelSecurity: Sendable, Equatable {
    /// `ws://`: no TLS.
    case plain
    /// `wss://`, terminated by this worker with the tenant's certificate.
    case tls(clientCertificate: ClientCertificate?)

    /// A client certificate that chains to the tenant's `tls.client_ca`. The worker asks for one
    /// but lets the handshake finish without it (the host also serves the REST API), and a
    /// certificate that fails verification ends the handshake, so one that is here is verified.
    struct ClientCertificate: Sendable, Equatable {
        /// The subject's common name; OCPP security profile 3 puts the station's serial number
        /// there (A00.FR.405).
        var commonName: String?
    }

    /// Reads the connection's security from its pipeline. Call on the channel's event loop, once
    /// the TLS handshake is over (any request bytes arriving mean it is).
    static func of(_ channel: any Channel) -> ChannelSecurity {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLHandler.self) else {
            return .plain
        }
        return .tls(clientCertificate: handler.peerCertificate.map { ClientCertificate(commonName: $0.commonNameText) })
    }

    var isTLS: Bool {
        if case .tls = self { return true }
        return false
    }
}

/// How a station proves its identity at the WebSocket upgrade.
enum StationProof: Sendable, Equatable {
    /// HTTP Basic: the user name is the identity, the password is checked against the stored hash.
    case basicAuth
    /// The verified client certificate names the station (security profile 3).
    case clientCertificate
}

extension ConnectionRequest {
    /// Why a connection does not fit the tenant's security profile.
    struct ProfileMismatch: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The proof the tenant's security profile asks of this connection, or why the connection
    /// cannot be used at all. A station must connect with the tenant's profile and is rejected
    /// otherwise (OCPP security white paper A00.FR.002):
    /// - profile 1 (Basic auth over plain WebSocket): Basic auth; also accepted over TLS, where it
    ///   is exactly profile 2's check, so a station that moved to `wss://` early is not locked out.
    /// - profile 2 (TLS with Basic auth): TLS, then Basic auth.
    /// - profile 3 (TLS with client certificates): TLS with a certificate that chains to the
    ///   tenant's CA (A00.FR.403) and whose subject CN is the station identity (A00.FR.405 puts the
    ///   serial number there; this CSMS requires the serial number to be the identity). No Basic
    ///   auth is asked for: an Authorization header is ignored.
    static func requiredProof(
        profile: Int, security: ChannelSecurity, identity: String
    ) -> Result<StationProof, ProfileMismatch> {
        switch (profile, security) {
        case (...1, _):
            return .success(.basicAuth)
        case (2, .plain):
            return .failure(ProfileMismatch(description: "security profile 2 requires TLS (wss://)"))
        case (2, .tls):
            return .success(.basicAuth)
        case (_, .plain):
            return .failure(
                ProfileMismatch(description: "security profile 3 requires TLS with a client certificate (wss://)"))
        case (_, .tls(nil)):
            return .failure(
                ProfileMismatch(
                    description:
                        "security profile 3 requires a client certificate issued by the tenant's CA; none was presented"
                ))
        case (_, .tls(.some(let certificate))):
            guard let commonName = certificate.commonName else {
                return .failure(
                    ProfileMismatch(
                        description: "the client certificate has no subject CN; it must be the station identity"))
            }
            guard commonName == identity else {
                return .failure(
                    ProfileMismatch(description: "certificate CN \(commonName) is not station \(identity)"))
            }
            return .success(.clientCertificate)
        }
    }
}
