// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import WorkerCore

/// A00.FR.002: a station must connect with the tenant's security profile; the connection decides
/// what proof is asked for before any credentials or database work.
@Suite("OCPP security profiles")
struct SecurityProfileTests {
    typealias Certificate = ChannelSecurity.ClientCertificate

    private func proof(
        _ profile: Int, _ security: ChannelSecurity, _ identity: String = "CP-1"
    ) -> Result<
        StationProof, ConnectionRequest.ProfileMismatch
    > {
        ConnectionRequest.requiredProof(profile: profile, security: security, identity: identity)
    }

    private func refusal(_ profile: Int, _ security: ChannelSecurity, _ identity: String = "CP-1") -> String? {
        if case .failure(let mismatch) = proof(profile, security, identity) { return mismatch.description }
        return nil
    }

    @Test("profile 1: Basic auth, over plain or TLS (a client certificate changes nothing)")
    func profile1() {
        #expect(proof(1, .plain) == .success(.basicAuth))
        #expect(proof(1, .tls(clientCertificate: nil)) == .success(.basicAuth))
        #expect(proof(1, .tls(clientCertificate: Certificate(commonName: "CP-1"))) == .success(.basicAuth))
    }

    @Test("profile 2: TLS is required, then Basic auth")
    func profile2() {
        #expect(refusal(2, .plain) == "security profile 2 requires TLS (wss://)")
        #expect(proof(2, .tls(clientCertificate: nil)) == .success(.basicAuth))
        // A station certificate does not replace the password on profile 2.
        #expect(proof(2, .tls(clientCertificate: Certificate(commonName: "CP-1"))) == .success(.basicAuth))
    }

    @Test("TC_A_08 (profile 3): TLS with a verified certificate whose CN is the station identity")
    func profile3() {
        #expect(proof(3, .tls(clientCertificate: Certificate(commonName: "CP-1"))) == .success(.clientCertificate))
        #expect(refusal(3, .plain) == "security profile 3 requires TLS with a client certificate (wss://)")
        #expect(
            refusal(3, .tls(clientCertificate: nil))
                == "security profile 3 requires a client certificate issued by the tenant's CA; none was presented")
        // A00.FR.405: CN = serial number = identity; compared exactly (identities are case-sensitive).
        #expect(
            refusal(3, .tls(clientCertificate: Certificate(commonName: "CP-2")))
                == "certificate CN CP-2 is not station CP-1")
        #expect(
            refusal(3, .tls(clientCertificate: Certificate(commonName: "cp-1")))
                == "certificate CN cp-1 is not station CP-1")
        #expect(
            refusal(3, .tls(clientCertificate: Certificate(commonName: nil)))
                == "the client certificate has no subject CN; it must be the station identity")
    }

    @Test("plain connections are recognised as such")
    func plainIsNotTLS() {
        #expect(!ChannelSecurity.plain.isTLS)
        #expect(ChannelSecurity.tls(clientCertificate: nil).isTLS)
    }
}
