// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Testing

@testable import WorkerCore

/// The worker adopts connections the edge router hands over on its SOCK_SEQPACKET socket and
/// serves them with its own HTTP/WebSocket stack: Host checked on every request (421 for another
/// tenant), OCPP upgrades, the plan's connection limit, and a drain that closes stations with
/// 1001 and refuses late hand-overs with 503. The test plays the router.
@Suite("Connection hand-over (worker)", .serialized)
struct HandoverTests {
    static func get(_ path: String, host: String?) -> String {
        "GET \(path) HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + "\r\n"
    }

    static func upgrade(station: String, host: String, password: String?) -> String {
        var request =
            "GET /ocpp/\(station) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: ocpp1.6\r\n"
        if let password {
            request += "Authorization: Basic \(Data("\(station):\(password)".utf8).base64EncodedString())\r\n"
        }
        return request + "\r\n"
    }

    @Test("GET /healthz with the tenant's Host is served; another tenant on the same keep-alive connection is 421")
    func keepAliveHostCheck() async throws {
        try await HandoverHarness.with(slugPrefix: "ho-ka") { h in
            let (client, inode) = try h.handOver()
            try client.send(Self.get("/healthz", host: h.host))
            let first = try await client.readResponse()
            #expect(first.status == 200)
            #expect(first.text.contains("\"\(h.slug)\""), "\(first.text)")
            // The application's responder served it: its Server and Date headers are there.
            #expect(first.header("Server") == "open-csms")
            #expect(first.header("Date") != nil)

            // Case, port and a trailing dot do not change the host name.
            try client.send(Self.get("/healthz", host: "\(h.slug.uppercased()).CSMS.Test.:8443"))
            #expect(try await client.readResponse().status == 200)

            try client.send(Self.get("/healthz", host: "someone-else.\(HandoverHarness.baseDomain)"))
            let misdirected = try await client.readResponse()
            #expect(misdirected.status == 421)
            #expect(misdirected.header("Content-Type") == "application/problem+json")
            #expect(misdirected.header("Connection") == "close")
            #expect(misdirected.text.contains("\"status\":421"), "\(misdirected.text)")
            #expect(await client.closedByServer())
            client.close()
            #expect(await HandoverHarness.socketReleased(inode: inode))
        }
    }

    @Test("the first request naming another host is 421, one without Host is 400; nothing reaches the router")
    func firstRequestHostCheck() async throws {
        try await HandoverHarness.with(slugPrefix: "ho-first") { h in
            let (other, otherInode) = try h.handOver()
            try other.send(Self.get("/healthz", host: "evil.\(HandoverHarness.baseDomain)"))
            let misdirected = try await other.readResponse()
            #expect(misdirected.status == 421)
            #expect(misdirected.header("Connection") == "close")
            #expect(misdirected.text.contains("\(h.slug).\(HandoverHarness.baseDomain)"))
            #expect(await other.closedByServer())

            let (noHost, noHostInode) = try h.handOver()
            try noHost.send(Self.get("/healthz", host: nil))
            #expect(try await noHost.readResponse().status == 400)
            #expect(await noHost.closedByServer())

            // The base domain alone, or a name under the tenant's, is another host too.
            let (nested, nestedInode) = try h.handOver()
            try nested.send(Self.get("/healthz", host: "x.\(h.host)"))
            #expect(try await nested.readResponse().status == 421)

            for client in [other, noHost, nested] { client.close() }
            for inode in [otherInode, noHostInode, nestedInode] {
                #expect(await HandoverHarness.socketReleased(inode: inode))
            }
        }
    }

    @Test("an OCPP WebSocket upgrade through a handed-over connection: 101 with the subprotocol, 401, 421")
    func ocppUpgrade() async throws {
        try await HandoverHarness.with(slugPrefix: "ho-ws") { h in
            let (anonymous, _) = try h.handOver()
            try anonymous.send(Self.upgrade(station: "CP-1", host: h.host, password: nil))
            let unauthorized = try await anonymous.readResponse()
            #expect(unauthorized.status == 401)
            #expect(unauthorized.header("WWW-Authenticate")?.hasPrefix("Basic") == true)

            let (misdirected, _) = try h.handOver()
            try misdirected.send(Self.upgrade(station: "CP-1", host: "other.csms.test", password: "secret-1"))
            #expect(try await misdirected.readResponse().status == 421)
            #expect(await h.worker.ocpp.registry.count == 0)

            let (station, inode) = try h.handOver()
            try station.send(Self.upgrade(station: "CP-1", host: h.host, password: "secret-1"))
            let switching = try await station.readResponse()
            #expect(switching.status == 101)
            #expect(switching.header("Sec-WebSocket-Protocol") == "ocpp1.6")
            // The station is registered right after the 101 is written.
            let deadline = ContinuousClock.now + .seconds(5)
            while await !h.worker.ocpp.registry.isConnected("CP-1"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(await h.worker.ocpp.registry.isConnected("CP-1"))

            // A station closes normally; the worker answers the close and lets the socket go.
            try station.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
            let close = try await station.readFrame()
            #expect(close.opcode == 0x8)
            #expect(await station.closedByServer())
            station.close()
            anonymous.close()
            misdirected.close()
            #expect(await HandoverHarness.socketReleased(inode: inode))
        }
    }

    @Test("beyond --max-connections a hand-over gets 503 with Retry-After; a freed place is used again")
    func connectionLimit() async throws {
        try await HandoverHarness.with(slugPrefix: "ho-max", maxConnections: 1) { h in
            let (first, firstInode) = try h.handOver()
            try first.send(Self.get("/healthz", host: h.host))
            #expect(try await first.readResponse().status == 200)  // and stays open (keep-alive)

            let (second, secondInode) = try h.handOver()
            try second.send(Self.get("/healthz", host: h.host))
            let refused = try await second.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") != nil)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(refused.text.contains("1 concurrent connections"), "\(refused.text)")
            #expect(await second.closedByServer())

            first.close()
            #expect(await HandoverHarness.socketReleased(inode: firstInode))
            #expect(await HandoverHarness.socketReleased(inode: secondInode))
            let deadline = ContinuousClock.now + .seconds(5)
            while h.worker.handover?.connections.admittedCount != 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let (third, _) = try h.handOver()
            try third.send(Self.get("/healthz", host: h.host))
            #expect(try await third.readResponse().status == 200)
            third.close()
        }
    }

    @Test("records for another tenant or an unknown version, and TLS without a tenant certificate, are closed")
    func rejectedRecords() async throws {
        try await HandoverHarness.with(slugPrefix: "ho-rec") { h in
            let records = [
                HandoverHarness.metadata(tenant: "someone-else"),
                HandoverHarness.metadata(tenant: h.slug, version: 2),
                HandoverHarness.metadata(tenant: h.slug, transport: "tls"),
                "not json",
            ]
            for record in records {
                let (client, inode) = try h.handOver(metadata: record)
                try client.send(Self.get("/healthz", host: h.host))
                // Closed without an answer: the router cannot have meant this worker.
                #expect(await client.closedByServer(), "\(record)")
                #expect(await HandoverHarness.socketReleased(inode: inode), "\(record)")
                client.close()
            }
            // The router's connection survives refused records.
            let (client, _) = try h.handOver()
            try client.send(Self.get("/healthz", host: h.host))
            #expect(try await client.readResponse().status == 200)
            client.close()
        }
    }

    @Test("graceful shutdown: stations get close 1001, idle connections end, late hand-overs get 503")
    func draining() async throws {
        let h = try await HandoverHarness.start(slugPrefix: "ho-drain")
        do {
            try await h.waitUntilHealthy()
            let (station, stationInode) = try h.handOver()
            try station.send(Self.upgrade(station: "CP-9", host: h.host, password: "secret-9"))
            #expect(try await station.readResponse().status == 101)
            let (idle, idleInode) = try h.handOver()
            try idle.send(Self.get("/healthz", host: h.host))
            #expect(try await idle.readResponse().status == 200)

            await h.group.triggerGracefulShutdown()

            let close = try await station.readFrame()
            #expect(close.opcode == 0x8)
            #expect(close.payload.count >= 2 && (UInt16(close.payload[0]) << 8 | UInt16(close.payload[1])) == 1001)
            #expect(await idle.closedByServer())

            // The station has not answered its close yet, so the worker is still draining.
            let (late, lateInode) = try h.handOver()
            try late.send(Self.get("/healthz", host: h.host))
            let refused = try await late.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "5")
            #expect(refused.header("Connection") == "close")
            #expect(await late.closedByServer())

            try station.sendFrame(opcode: 0x8, payload: [0x03, 0xE9])
            #expect(await station.closedByServer())
            for client in [station, idle, late] { client.close() }
            for inode in [stationInode, idleInode, lateInode] {
                #expect(await HandoverHarness.socketReleased(inode: inode))
            }
        } catch {
            _ = try? await h.stop()
            throw error
        }
        #expect(try await h.stop(), "the hand-over socket is closed once the worker has stopped")
    }

    @Test("the worker's descriptor count returns to rest once handed-over connections close")
    func descriptorsBackAtRest() async throws {
        try await HandoverHarness.with(slugPrefix: "ho-fd") { h in
            // Warm up (lazily opened descriptors: event loop, pools), then measure.
            let (warm, _) = try h.handOver()
            try warm.send(Self.get("/healthz", host: h.host))
            _ = try await warm.readResponse()
            warm.close()
            try await Task.sleep(for: .milliseconds(200))
            var inodes: [UInt64] = []
            var clients: [TestClient] = []
            for _ in 0..<50 {
                let (client, inode) = try h.handOver()
                try client.send(Self.get("/healthz", host: h.host))
                #expect(try await client.readResponse().status == 200)
                clients.append(client)
                inodes.append(inode)
            }
            #expect(h.worker.handover?.connections.openCount == 50)
            for client in clients { client.close() }
            for inode in inodes {
                #expect(await HandoverHarness.socketReleased(inode: inode))
            }
            let deadline = ContinuousClock.now + .seconds(5)
            while h.worker.handover?.connections.openCount != 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(h.worker.handover?.connections.openCount == 0)
            #expect(h.worker.handover?.connections.admittedCount == 0)
        }
    }
}
