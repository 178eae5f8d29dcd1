// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import EdgeRouting

/// A directory with fixed answers.
struct FixedDirectory: TenantDirectory {
    var routes: [String: TenantRoute]
    func route(tenant slug: String) -> TenantRoute { routes[slug] ?? .unknown }
}

@Suite("Routing decisions and the router's own answers")
struct RoutingPolicyTests {
    let policy = RoutingPolicy(
        baseDomain: "CSMS.test.",
        directory: FixedDirectory(routes: [
            "acme": .active(handoverSocket: "/run/acme.handover"), "paused": .suspended,
            "booting": .unavailable(retryAfterSeconds: 7), "admin": .active(handoverSocket: "/run/admin.handover"),
        ]),
        maxHeadBytes: 1024, handoverRetryAfterSeconds: 2)

    func decide(_ bytes: [UInt8]) -> RoutingDecision { bytes.withUnsafeBytes { policy.decide($0) } }
    func decide(_ text: String) -> RoutingDecision { decide(Array(text.utf8)) }

    func status(_ decision: RoutingDecision) -> Int? {
        if case .refuse(_, let answer) = decision, case .http(let status, _) = answer.wire { return status }
        return nil
    }

    @Test("an active tenant is handed over, whatever the Host's case, port or trailing dot")
    func handOver() {
        for host in ["acme.csms.test", "ACME.CSMS.TEST", "acme.csms.test:8080", "acme.csms.test.", "Acme.Csms.Test.:1"]
        {
            #expect(
                decide("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                    == .handOver(tenant: "acme", socket: "/run/acme.handover", transport: .http))
        }
        #expect(
            decide(TLSFixtures.openSSLTLS13)
                == .handOver(tenant: "acme", socket: "/run/acme.handover", transport: .tls))
    }

    @Test("refusals: 400, 404, 403, 503 with Retry-After, 431")
    func refusals() {
        #expect(status(decide("GET / HTTP/1.1\r\n\r\n")) == 400)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: acme.csms.test\r\nHost: acme.csms.test\r\n\r\n")) == 400)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: nobody.csms.test\r\n\r\n")) == 404)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: a.acme.csms.test\r\n\r\n")) == 404)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: csms.test\r\n\r\n")) == 404)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")) == 404)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) == 404)
        // admin.<base> is the platform's host, never a tenant's, even if a directory said otherwise.
        #expect(status(decide("GET / HTTP/1.1\r\nHost: admin.csms.test\r\n\r\n")) == 404)
        #expect(decide("GET / HTTP/1.1\r\nHost: paused.csms.test\r\n\r\n").refusal == .suspended)
        #expect(status(decide("GET / HTTP/1.1\r\nHost: paused.csms.test\r\n\r\n")) == 403)
        let booting = decide("GET / HTTP/1.1\r\nHost: booting.csms.test\r\n\r\n")
        guard case .refuse(.unavailable, let answer) = booting else {
            Issue.record("\(booting)")
            return
        }
        #expect(answer.wire == .http(status: 503, retryAfter: 7))
        // A head that fills the limit without ending.
        #expect(status(decide("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 1100))) == 431)
        #expect(decide("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 900)) == .needMoreBytes)
        #expect(decide([UInt8]()) == .needMoreBytes)
    }

    @Test("TLS refusals are alerts: unknown or missing SNI, suspended, malformed, too long")
    func tlsRefusals() {
        func tls(_ name: String?) -> RoutingDecision {
            decide(TLSFixtures.records(TLSFixtures.clientHello(extensions: name.map { [TLSFixtures.sni($0)] } ?? [])))
        }
        #expect(
            tls("nobody.csms.test")
                == .refuse(
                    .unknownTenant,
                    .init(wire: .tlsAlert(.unrecognizedName), detail: "no tenant is served at nobody.csms.test")))
        #expect(tls(nil).refusal == .unknownTenant)
        #expect(tls(nil).alert == .unrecognizedName)
        #expect(tls("paused.csms.test").alert == .accessDenied)
        #expect(tls("booting.csms.test").alert == .internalError)
        #expect(decide([0x16, 0x03, 0x01, 0x00, 0x00]).alert == .decodeError)
        let long = TLSFixtures.records(
            TLSFixtures.clientHello(extensions: [(0x15, [UInt8](repeating: 0, count: 2000))]))
        #expect(decide(Array(long.prefix(1024))).refusal == .headTooLarge)
        #expect(decide(Array(long.prefix(1024))).alert == .handshakeFailure)
    }

    /// A local handler that records what it is given (the policy never calls it; the engine does).
    struct RecordingLocal: LocalConnectionHandler {
        let terminatesTLS: Bool
        func adopt(_ connection: LocalConnection) {}
    }

    func policy(local: RecordingLocal) -> RoutingPolicy {
        RoutingPolicy(
            baseDomain: "csms.test", directory: policy.directory, maxHeadBytes: 1024, handoverRetryAfterSeconds: 2,
            local: local)
    }

    @Test("with a local handler: admin.<base> is served by the control plane; TLS refusals are HTTP after a handshake")
    func localHandler() {
        let withTLS = policy(local: RecordingLocal(terminatesTLS: true))
        let plainOnly = policy(local: RecordingLocal(terminatesTLS: false))
        func decide(_ policy: RoutingPolicy, _ bytes: [UInt8]) -> RoutingDecision {
            bytes.withUnsafeBytes { policy.decide($0) }
        }
        func tls(_ name: String?) -> [UInt8] {
            TLSFixtures.records(TLSFixtures.clientHello(extensions: name.map { [TLSFixtures.sni($0)] } ?? []))
        }
        let adminHead = Array("GET /platform/v1/tenants HTTP/1.1\r\nHost: Admin.CSMS.test:443\r\n\r\n".utf8)
        #expect(decide(withTLS, adminHead) == .serveLocally(transport: .http))
        #expect(decide(plainOnly, adminHead) == .serveLocally(transport: .http))
        #expect(decide(withTLS, tls("admin.csms.test")) == .serveLocally(transport: .tls))
        // Without the platform certificate, TLS for the platform host cannot be served: an alert.
        #expect(decide(plainOnly, tls("admin.csms.test")).alert == .unrecognizedName)
        // Deeper names under admin are no host of ours.
        #expect(
            decide(withTLS, Array("GET / HTTP/1.1\r\nHost: x.admin.csms.test\r\n\r\n".utf8)).refusal == .unknownTenant)

        #expect(
            decide(withTLS, tls("nobody.csms.test"))
                == .refuse(
                    .unknownTenant,
                    .init(
                        wire: .overTLS(status: 404, retryAfter: nil), detail: "no tenant is served at nobody.csms.test")
                ))
        #expect(decide(withTLS, tls("paused.csms.test")).wire == .overTLS(status: 403, retryAfter: nil))
        #expect(decide(withTLS, tls("booting.csms.test")).wire == .overTLS(status: 503, retryAfter: 7))
        #expect(decide(withTLS, tls(nil)).wire == .overTLS(status: 404, retryAfter: nil))
        #expect(withTLS.handoverFailed(tenant: "acme", transport: .tls).wire == .overTLS(status: 503, retryAfter: 2))
        #expect(plainOnly.handoverFailed(tenant: "acme", transport: .tls).alert == .internalError)
        // What cannot be routed at all is still an alert: no handshake is attempted on garbage.
        #expect(decide(withTLS, [0x16, 0x03, 0x01, 0x00, 0x00]).alert == .decodeError)
        // Tenants are unaffected.
        #expect(
            decide(withTLS, TLSFixtures.openSSLTLS13)
                == .handOver(tenant: "acme", socket: "/run/acme.handover", transport: .tls))
    }

    @Test("deadline and half-close")
    func deadlineAndHalfClose() {
        let partial = Array("GET / HTTP/1.1\r\nHo".utf8)
        let atDeadline = partial.withUnsafeBytes { policy.decideAtDeadline($0, timeout: .seconds(5)) }
        #expect(status(atDeadline) == 408)
        let silent = [UInt8]().withUnsafeBytes { policy.decideAtDeadline($0, timeout: .seconds(5)) }
        #expect(status(silent) == 408)
        let tls = Array(TLSFixtures.openSSLTLS12.prefix(20))
        #expect(tls.withUnsafeBytes { policy.decideAtDeadline($0, timeout: .seconds(5)) }.wire == .silent)
        #expect(status(partial.withUnsafeBytes { policy.decideAtHalfClose($0) }) == 400)
        #expect([UInt8]().withUnsafeBytes { policy.decideAtHalfClose($0) }.wire == .silent)
        // A complete head followed by a half-close is still routed.
        let complete = Array("GET / HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n".utf8)
        #expect(
            complete.withUnsafeBytes { policy.decideAtHalfClose($0) }
                == .handOver(tenant: "acme", socket: "/run/acme.handover", transport: .http))
    }

    @Test("the problem document response (RFC 9457) closes the connection")
    func problemResponse() {
        let answer = RefusalAnswer(wire: .http(status: 503, retryAfter: 5), detail: "the \"x\" tenant\nis down")
        let text = String(decoding: answer.bytes(date: "Sun, 06 Nov 1994 08:49:37 GMT"), as: UTF8.self)
        let body =
            #"{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"the \"x\" tenant\nis down"}"#
        #expect(
            text
                == "HTTP/1.1 503 Service Unavailable\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Type: application/problem+json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\nRetry-After: 5\r\n\r\n" + body)
        #expect(
            RefusalAnswer(wire: .tlsAlert(.unrecognizedName), detail: "").bytes(date: "") == [0x15, 3, 3, 0, 2, 2, 112])
        #expect(RefusalAnswer(wire: .silent, detail: "").bytes(date: "").isEmpty)
        for status in [400, 403, 404, 408, 431, 503] {
            #expect(RefusalAnswer.reasonPhrase(status) != "Error")
        }
    }

    @Test("the hand-over metadata record")
    func metadata() {
        let record = HandoverMetadata.encode(
            tenant: "acme", client: "[::1]:50000", acceptedAt: "2026-01-31T12:00:00.123Z", transport: .tls)
        #expect(
            String(decoding: record, as: UTF8.self)
                == #"{"v":1,"tenant":"acme","client":"[::1]:50000","accepted_at":"2026-01-31T12:00:00.123Z","transport":"tls"}"#
        )
        #expect(JSONText.escaped("a\u{1}\"\\") == "a\\u0001\\\"\\\\")
    }
}

extension RoutingDecision {
    var refusal: EdgeRouter.Refusal? {
        if case .refuse(let reason, _) = self { return reason }
        return nil
    }
    var wire: RefusalAnswer.Wire? {
        if case .refuse(_, let answer) = self { return answer.wire }
        return nil
    }
    var alert: TLSAlert? {
        if case .tlsAlert(let alert) = wire { return alert }
        return nil
    }
}
