// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import NIOSSL
import TestSupport
import Testing

@testable import WorkerCore

/// The worker terminates TLS with its tenant's certificate on connections the router hands over
/// as TLS (and on its own TCP listener), and holds stations to the tenant's security profile:
/// profile 2 needs TLS plus Basic auth, profile 3 a client certificate from the tenant's CA whose
/// CN is the station identity (OCPP security white paper A00.FR.002/403/405; OCTT TC_A_08). Real
/// worker, real TLS (SwiftNIO SSL client), certificates made with the openssl command.
@Suite("TLS termination and security profiles (worker)", .serialized)
struct WorkerTLSTests {
    /// One certificate for every test tenant's host, whatever its generated slug.
    static let serverName = "*.\(HandoverHarness.baseDomain)"

    static func tlsSection(_ server: TestCertificates.Pair, clientCA: String? = nil) -> String {
        "tls:\n  certificate: \(server.certificate)\n  private_key: \(server.privateKey)\n"
            + (clientCA.map { "  client_ca: \($0)\n" } ?? "")
    }

    static func profile(_ number: Int) -> String {
        HandoverHarness.pendingStations + "  security_profile: \(number)\n"
    }

    /// A station's TLS settings: trusts the test CA; with `certificate`, presents it.
    static func client(
        _ ca: TestCertificates, certificate: TestCertificates.Pair? = nil, maximumVersion: TLSVersion? = nil
    ) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(ca.caCertificate)
        if let certificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate.certificate).map {
                .certificate($0)
            }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: certificate.privateKey, format: .pem))
        }
        if let maximumVersion {
            configuration.minimumTLSVersion = .tlsv1
            configuration.maximumTLSVersion = maximumVersion
        }
        return configuration
    }

    static let bootNotification16 = #"[2,"boot-1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]"#

    /// Upgrades, then sends a 1.6 BootNotification and expects its CALLRESULT.
    static func expectBoot(_ client: TestClient) async throws {
        try client.sendFrame(opcode: 0x1, payload: Array(bootNotification16.utf8))
        let frame = try await client.readFrame()
        #expect(frame.opcode == 0x1)
        let text = String(decoding: frame.payload, as: UTF8.self)
        #expect(text.hasPrefix(#"[3,"boot-1",{"#), "\(text)")
    }

    @Test("profile 2: REST and a station over TLS with Basic auth; plain is 401; Host and auth rules still apply")
    func profile2() async throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server([Self.serverName])
        let log = WorkerLogRecorder()
        try await HandoverHarness.with(
            slugPrefix: "tls-p2", ocpp: Self.profile(2), extraYAML: Self.tlsSection(server), logger: log.logger()
        ) { h in
            let loaded = log.lines(containing: "TLS is terminated with the tenant's certificate")
            #expect(loaded.count == 1)
            #expect(loaded.first?.level == .info)
            #expect(loaded.first?.metadata["tls.common_name"] == Self.serverName)

            // The REST API shares the host: served over TLS, no client certificate asked for.
            let (rest, restInode) = try await h.handOverTLS(Self.client(ca))
            try rest.send(HandoverTests.get("/healthz", host: h.host))
            let health = try await rest.readResponse()
            #expect(health.status == 200)
            #expect(health.text.contains("\"\(h.slug)\""), "\(health.text)")
            // The Host guard works over TLS as over plain HTTP.
            try rest.send(HandoverTests.get("/healthz", host: "other.\(HandoverHarness.baseDomain)"))
            #expect(try await rest.readResponse().status == 421)
            #expect(await rest.closedByServer())
            rest.close()
            // Released at once: a TLS connection is not kept for NIO SSL's 5 s close_notify wait.
            #expect(await HandoverHarness.socketReleased(inode: restInode, within: .seconds(2)))

            let (station, stationInode) = try await h.handOverTLS(Self.client(ca))
            try station.send(HandoverTests.upgrade(station: "CP-TLS2", host: h.host, password: "secret-tls-2"))
            let switching = try await station.readResponse()
            #expect(switching.status == 101)
            #expect(switching.header("Sec-WebSocket-Protocol") == "ocpp1.6")
            try await Self.expectBoot(station)
            #expect(await h.worker.ocpp.registry.isConnected("CP-TLS2"))
            station.close()
            #expect(await HandoverHarness.socketReleased(inode: stationInode, within: .seconds(2)))

            // Over TLS, profile 2 still asks for Basic credentials.
            let (anonymous, _) = try await h.handOverTLS(Self.client(ca))
            try anonymous.send(HandoverTests.upgrade(station: "CP-TLS2B", host: h.host, password: nil))
            let unauthorized = try await anonymous.readResponse()
            #expect(unauthorized.status == 401)
            #expect(unauthorized.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
            anonymous.close()

            // Plain: refused before any credential is looked at, and no password is asked for.
            let (plain, _) = try h.handOver()
            try plain.send(HandoverTests.upgrade(station: "CP-PLAIN2", host: h.host, password: "secret-plain-2"))
            let refused = try await plain.readResponse()
            #expect(refused.status == 401)
            #expect(refused.header("WWW-Authenticate") == nil)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(refused.text.contains("security profile 2 requires TLS (wss://)"), "\(refused.text)")
            plain.close()
            let notice = await log.waitForLine(containing: "refused an OCPP connection") {
                $0.metadata["station.id"] == "CP-PLAIN2"
            }
            #expect(notice?.level == .notice)
            #expect(notice?.metadata["reason"] == "security profile 2 requires TLS (wss://)")
            #expect(await h.worker.ocpp.registry.isConnected("CP-PLAIN2") == false)
        }
    }

    @Test("A00.FR.314 (TC_A_06): a client that offers at most TLS 1.1 never gets past the handshake")
    func oldTLSVersionRefused() async throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server([Self.serverName])
        let log = WorkerLogRecorder()
        try await HandoverHarness.with(
            slugPrefix: "tls-v11", ocpp: Self.profile(2), extraYAML: Self.tlsSection(server), logger: log.logger()
        ) { h in
            let (client, inode) = try await h.handOverTLS(Self.client(ca, maximumVersion: .tlsv11))
            try? client.send(HandoverTests.upgrade(station: "CP-OLD", host: h.host, password: "secret-old-1"))
            #expect((try? await client.readResponse()) == nil)
            #expect(client.tlsError != nil)
            client.close()
            #expect(await HandoverHarness.socketReleased(inode: inode))
            let failed = await log.waitForLine(containing: "TLS handshake failed")
            #expect(failed?.level == .notice)
        }
    }

    @Test("TC_A_08 (profile 3): the client certificate's CN must be the station; none, expired or foreign fail")
    func profile3() async throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server([Self.serverName])
        let log = WorkerLogRecorder()
        let good = try ca.client(commonName: "CP-TLS3")
        let wrongName = try ca.client(commonName: "CP-SOMEONE-ELSE")
        let expired = try ca.client(commonName: "CP-TLS3", expired: true)
        let foreign = try TestCertificates.authority(name: "Another CA").client(commonName: "CP-TLS3")
        try await HandoverHarness.with(
            slugPrefix: "tls-p3", ocpp: Self.profile(3),
            extraYAML: Self.tlsSection(server, clientCA: ca.caCertificate), logger: log.logger()
        ) { h in
            // Authorization is ignored on profile 3: a wrong password does not matter.
            let (station, _) = try await h.handOverTLS(Self.client(ca, certificate: good))
            try station.send(HandoverTests.upgrade(station: "CP-TLS3", host: h.host, password: "not-the-password"))
            #expect(try await station.readResponse().status == 101)
            try await Self.expectBoot(station)
            station.close()

            let (other, _) = try await h.handOverTLS(Self.client(ca, certificate: wrongName))
            try other.send(HandoverTests.upgrade(station: "CP-TLS3B", host: h.host, password: nil))
            let misnamed = try await other.readResponse()
            #expect(misnamed.status == 401)
            #expect(
                misnamed.text.contains("certificate CN CP-SOMEONE-ELSE is not station CP-TLS3B"), "\(misnamed.text)")
            other.close()

            let (anonymous, _) = try await h.handOverTLS(Self.client(ca))
            try anonymous.send(HandoverTests.upgrade(station: "CP-TLS3C", host: h.host, password: "secret-tls-3c"))
            let noCertificate = try await anonymous.readResponse()
            #expect(noCertificate.status == 401)
            #expect(noCertificate.text.contains("none was presented"), "\(noCertificate.text)")
            anonymous.close()

            let (plain, _) = try h.handOver()
            try plain.send(HandoverTests.upgrade(station: "CP-TLS3D", host: h.host, password: "secret-tls-3d"))
            let refused = try await plain.readResponse()
            #expect(refused.status == 401)
            #expect(refused.text.contains("requires TLS with a client certificate"), "\(refused.text)")
            plain.close()

            // A certificate that does not verify ends the handshake: no HTTP answer at all.
            for (name, certificate) in [("expired", expired), ("foreign CA", foreign)] {
                let (client, inode) = try await h.handOverTLS(Self.client(ca, certificate: certificate))
                try? client.send(HandoverTests.upgrade(station: "CP-TLS3", host: h.host, password: nil))
                #expect((try? await client.readResponse()) == nil, "\(name)")
                client.close()
                #expect(await HandoverHarness.socketReleased(inode: inode), "\(name)")
            }
            #expect(await log.waitForLine(containing: "TLS handshake failed") != nil)
            #expect(log.lines(containing: "TLS handshake failed").allSatisfy { $0.level == .notice })
            // Only the good certificate ever connected the station.
            #expect(log.lines(containing: "refused an OCPP connection").count == 3)
        }
    }

    @Test("a TLS hand-over to a tenant without a certificate is closed and logged")
    func tlsWithoutCertificate() async throws {
        let ca = try TestCertificates.authority()
        let log = WorkerLogRecorder()
        try await HandoverHarness.with(slugPrefix: "tls-none", logger: log.logger()) { h in
            let (client, inode) = try await h.handOverTLS(Self.client(ca))
            #expect((try? await client.readResponse(timeout: .seconds(5))) == nil)
            #expect(await HandoverHarness.socketReleased(inode: inode))
            client.close()
            let line = await log.waitForLine(containing: "refused a TLS hand-over")
            #expect(line?.level == .error)
            #expect(line?.metadata["client"] == "127.0.0.1:4242")
            // Plain hand-overs are served as before.
            let (plain, _) = try h.handOver()
            try plain.send(HandoverTests.get("/healthz", host: h.host))
            #expect(try await plain.readResponse().status == 200)
            plain.close()
        }
    }

    @Test("http.tcp_listen serves TLS too when the tenant has a certificate (single-tenant installs)")
    func ownListenerServesTLS() async throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server(["localhost"])
        let port = try Self.freePort()
        try await HandoverHarness.with(
            slugPrefix: "tls-tcp", ocpp: Self.profile(2), extraYAML: Self.tlsSection(server), tcpPort: port
        ) { h in
            let rest = try await TestClient.connectTLS(
                port: UInt16(port), configuration: Self.client(ca), serverName: "localhost")
            try rest.send(HandoverTests.get("/healthz", host: "localhost"))
            #expect(try await rest.readResponse().status == 200)
            rest.close()

            let station = try await TestClient.connectTLS(
                port: UInt16(port), configuration: Self.client(ca), serverName: "localhost")
            try station.send(HandoverTests.upgrade(station: "CP-TCP2", host: "localhost", password: "secret-tcp-2"))
            #expect(try await station.readResponse().status == 101)
            try await Self.expectBoot(station)
            station.close()

            // Plain HTTP on the TLS port gets no HTTP answer.
            let plain = try TestClient.connect(port: UInt16(port))
            try plain.send(HandoverTests.get("/healthz", host: "localhost"))
            #expect((try? await plain.readResponse(timeout: .seconds(5))) == nil)
            plain.close()
        }
    }

    @Test("a certificate, key or CA file that cannot be used stops the worker with the file and the reason")
    func badFilesStopTheWorker() throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server(["acme.csms.test"])
        let other = try ca.server(["other.csms.test"])
        let dir = try TestEnvironment.temporaryDirectory("tls-bad")
        let cases: [(tls: String, expected: [String])] = [
            (
                "tls:\n  certificate: missing.pem\n  private_key: \(server.privateKey)\n",
                [dir + "/missing.pem: not a readable PEM certificate file"]
            ),
            (
                "tls:\n  certificate: \(server.certificate)\n  private_key: \(other.privateKey)\n",
                [other.privateKey + ": cannot be used with the certificate in " + server.certificate]
            ),
            (
                "tls:\n  certificate: \(server.certificate)\n  private_key: \(server.certificate)\n",
                [server.certificate + ": not a readable, unencrypted PEM private key"]
            ),
            (
                Self.tlsSection(server, clientCA: server.privateKey),
                [server.privateKey + ": not a readable PEM certificate file"]
            ),
        ]
        for (index, c) in cases.enumerated() {
            let file = dir + "/bad\(index).yaml"
            try "slug: bad\(index)\ndisplay_name: Bad\nplan: test\n\(c.tls)".write(
                toFile: file, atomically: true, encoding: .utf8)
            let options = WorkerOptions(
                tenantConfigPath: file, postgresConninfo: "host=127.0.0.1", postgresPasswordFile: nil,
                redisHost: "127.0.0.1", redisPort: 1, redisUser: nil, redisPasswordFile: nil,
                controlSocketPath: dir + "/w\(index).sock")
            do {
                _ = try buildTenantWorker(options: options, logger: Logger(label: "tls-bad"))
                Issue.record("the worker was built with \(c.tls)")
            } catch let error as WorkerStartupError {
                let text = error.description
                #expect(text.hasPrefix("invalid TLS configuration (tls in the tenant file): "), "\(text)")
                for part in c.expected { #expect(text.contains(part), "\(text)") }
            } catch {
                Issue.record("expected a WorkerStartupError, got \(error)")
            }
        }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, ok else { throw TestFailure("cannot find a free TCP port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
