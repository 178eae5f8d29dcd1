// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import EdgeRouting
import Foundation
import Testing

/// A real router on 127.0.0.1 and fake workers in this process. Serialized: the tests count this
/// process's open descriptors.
@Suite("Edge router over real sockets", .serialized)
struct EdgeRouterIntegrationTests {
    @Test("Host routing with mixed case, port and trailing dot; the worker reads every byte the client sent")
    func hostRouting() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        let acme = try harness.worker("acme")
        let beta = try harness.worker("beta")
        let port = harness.port
        let cases = [
            ("acme.csms.test", "acme"), ("ACME.Csms.Test:8080", "acme"), ("acme.csms.test.", "acme"),
            ("Beta.CSMS.test.:443", "beta"),
        ]
        var sent: [String: [String]] = [:]
        for (host, tenant) in cases {
            let request =
                "GET /ocpp/CP-1 HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
            let (response, clientPort) = try await TestClient.onThread {
                try TestClient.exchangeReportingPort(port: port, request)
            }
            #expect(response.status == 200, "\(host): \(response)")
            #expect(response.body == "worker=\(tenant) tenant=\(tenant) bytes=\(request.utf8.count)")
            sent[tenant, default: []].append(request)
            let metadata = (tenant == "acme" ? acme : beta).received.withLock { $0.last?.metadata } ?? [:]
            #expect(metadata["v"] == "1")
            #expect(metadata["tenant"] == tenant)
            #expect(metadata["transport"] == "http")
            #expect(metadata["client"] == "127.0.0.1:\(clientPort)")
            let acceptedAt = metadata["accepted_at"] ?? ""
            #expect(acceptedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(acceptedAt)")
        }
        // A request with a body, written in pieces: the worker still gets all of it.
        let post = "POST /api/v1/x HTTP/1.1\r\nHost: acme.csms.test\r\nContent-Length: 11\r\n\r\nhello world"
        let response = try await TestClient.onThread { () -> Response in
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            let bytes = Array(post.utf8)
            try TestClient.send(fd, Array(bytes[0..<10]))
            usleep(30_000)
            try TestClient.send(fd, Array(bytes[10...]))
            return Response(TestClient.readToEnd(fd))
        }
        #expect(response.status == 200)
        sent["acme", default: []].append(post)
        #expect(acme.received.withLock { $0.map { String(decoding: $0.request, as: UTF8.self) } } == sent["acme"])
        #expect(beta.received.withLock { $0.map { String(decoding: $0.request, as: UTF8.self) } } == sent["beta"])

        let stats = await harness.settle()
        #expect(stats.accepted == 5)
        #expect(stats.handedOver == 5)
        #expect(stats.totalRefused == 0)
        #expect(stats.heldDescriptors == 0)
        #expect(stats.workerConnections == 2)
        try await harness.stop()
        await acme.stop()
        await beta.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("the router's own answers are problem documents: 400, 404, 403, 503 with Retry-After, 431")
    func refusals() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        harness.directory.set("paused", .suspended)
        harness.directory.set("booting", .unavailable(retryAfterSeconds: 7))
        let port = harness.port
        let big =
            "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 17_000) + "\r\nHost: acme.csms.test\r\n\r\n"
        let cases: [(String, Int, EdgeRouter.Refusal)] = [
            ("GET / HTTP/1.1\r\n\r\n", 400, .badRequest),
            ("GET / HTTP/1.1\r\nHost: acme.csms.test\r\nHost: acme.csms.test\r\n\r\n", 400, .badRequest),
            ("GET / HTTP/1.1\r\nHost: bad host\r\n\r\n", 400, .badRequest),
            ("\u{1}\u{2}\u{3}", 400, .badRequest),
            ("GET / HTTP/1.1\r\nHost: nobody.csms.test\r\n\r\n", 404, .unknownTenant),
            ("GET / HTTP/1.1\r\nHost: a.b.csms.test\r\n\r\n", 404, .unknownTenant),
            ("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 404, .unknownTenant),
            ("GET / HTTP/1.1\r\nHost: admin.csms.test\r\n\r\n", 404, .unknownTenant),
            ("GET / HTTP/1.1\r\nHost: other.example\r\n\r\n", 404, .unknownTenant),
            ("GET / HTTP/1.1\r\nHost: Paused.csms.test\r\n\r\n", 403, .suspended),
            ("GET / HTTP/1.1\r\nHost: booting.csms.test.:80\r\n\r\n", 503, .unavailable),
            (big, 431, .headTooLarge),
        ]
        for (request, status, _) in cases {
            let response = try await TestClient.onThread { try TestClient.exchange(port: port, request) }
            #expect(response.status == status, "\(request.prefix(60)): \(response)")
            #expect(response.headers["content-type"] == "application/problem+json")
            #expect(response.headers["connection"] == "close")
            #expect(response.headers["content-length"] == "\(response.body.utf8.count)")
            #expect(response.headers["date"]?.hasSuffix(" GMT") == true)
            let problem = response.problem
            #expect(problem["status"] as? Int == status)
            #expect(problem["type"] as? String == "about:blank")
            #expect((problem["title"] as? String)?.isEmpty == false)
            #expect((problem["detail"] as? String)?.isEmpty == false)
            if status == 503 { #expect(response.headers["retry-after"] == "7") }
        }
        let stats = await harness.settle()
        for reason in EdgeRouter.Refusal.allCases {
            #expect(stats.refused(reason) == cases.filter { $0.2 == reason }.count, "\(reason)")
        }
        #expect(stats.handedOver == 0)
        #expect(stats.heldDescriptors == 0)
        try await harness.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("a worker that is down or refusing: 503 with Retry-After from the router")
    func workerDown() async throws {
        let before = await baselineDescriptors()
        var limits = EdgeRouter.Limits()
        limits.handoverRetryAfterSeconds = 3
        let harness = try await RouterHarness.start(limits: limits)
        // No socket file at all (ENOENT).
        harness.directory.set("gone", .active(handoverSocket: harness.socketPath("gone")))
        // A socket file nobody listens on (ECONNREFUSED), as a crashed worker leaves behind.
        let stale = harness.socketPath("stale")
        let fd = try staleSocket(stale)
        close(fd)
        harness.directory.set("stale", .active(handoverSocket: stale))
        let port = harness.port
        for tenant in ["gone", "stale", "gone"] {
            let response = try await TestClient.onThread {
                try TestClient.exchange(port: port, "GET / HTTP/1.1\r\nHost: \(tenant).csms.test\r\n\r\n")
            }
            #expect(response.status == 503, "\(response)")
            #expect(response.headers["retry-after"] == "3")
            #expect(response.problem["status"] as? Int == 503)
        }
        let stats = await harness.settle()
        #expect(stats.refused(.handoverFailed) == 3)
        #expect(stats.heldDescriptors == 0)
        #expect(stats.workerConnections == 0)
        try await harness.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("a worker restart: the router reconnects to the new worker's socket")
    func reconnect() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        let port = harness.port
        let request = "GET / HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n"
        let first = try harness.worker("acme")
        #expect(try await TestClient.onThread { try TestClient.exchange(port: port, request) }.status == 200)
        await first.stop()
        // While the worker is away: 503.
        #expect(try await TestClient.onThread { try TestClient.exchange(port: port, request) }.status == 503)
        let second = try harness.worker("acme")
        for _ in 0..<3 {
            let response = try await TestClient.onThread { try TestClient.exchange(port: port, request) }
            #expect(response.status == 200, "\(response)")
        }
        #expect(second.count == 3)
        #expect(second.routerConnections.load(ordering: .relaxed) == 1)
        let stats = await harness.settle()
        #expect(stats.handedOver == 4)
        #expect(stats.refused(.handoverFailed) == 1)
        try await harness.stop()
        await second.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("slowloris: a silent or slow client is answered 408 after the head timeout; a slow but timely one is routed")
    func slowloris() async throws {
        let before = await baselineDescriptors()
        var limits = EdgeRouter.Limits()
        limits.headTimeout = .milliseconds(800)
        let harness = try await RouterHarness.start(limits: limits)
        let acme = try harness.worker("acme")
        let port = harness.port
        // Part of a head, then nothing.
        let (partial, elapsed) = try await TestClient.onThread { () -> (Response, Double) in
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            let start = Date()
            try TestClient.send(fd, "GET / HTTP/1.1\r\nHost: acme.cs")
            let response = Response(TestClient.readToEnd(fd))
            return (response, Date().timeIntervalSince(start))
        }
        #expect(partial.status == 408, "\(partial)")
        #expect(partial.problem["status"] as? Int == 408)
        #expect(elapsed >= 0.7 && elapsed < 3, "answered after \(elapsed) s")
        // Many silent connections at once: the peek threads watch them all, none gets a thread.
        let silent = try await TestClient.onThread { () -> [Int] in
            let fds = try (0..<200).map { _ in try TestClient.connect(port: port) }
            defer { fds.forEach { close($0) } }
            return fds.map { Response(TestClient.readToEnd($0)).status }
        }
        #expect(silent.allSatisfy { $0 == 408 }, "\(Set(silent))")
        // A client that dribbles its head a few bytes at a time but finishes in time.
        let request = "GET /ocpp/CP-7 HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n"
        let slow = try await TestClient.onThread { () -> Response in
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            let bytes = Array(request.utf8)
            for start in stride(from: 0, to: bytes.count, by: 4) {
                try TestClient.send(fd, Array(bytes[start..<min(bytes.count, start + 4)]))
                usleep(15_000)
            }
            return Response(TestClient.readToEnd(fd))
        }
        #expect(slow.status == 200, "\(slow)")
        #expect(acme.received.withLock { $0.last?.request } == Array(request.utf8))
        let stats = await harness.settle()
        #expect(stats.refused(.headTimeout) == 201)
        #expect(stats.handedOver == 1)
        #expect(stats.decidedOnFirstPeek < stats.accepted)
        try await harness.stop()
        await acme.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("500 concurrent connections are all handed over, and the router holds no descriptor for them")
    func manyConnections() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        let acme = try harness.worker("acme")
        let beta = try harness.worker("beta")
        let port = harness.port
        let rest = openDescriptorCount()
        let count = 500
        let responses = try await TestClient.onThread { () -> [Response] in
            // Every connection is open and has sent its request before any answer is read.
            let fds = try (0..<count).map { _ in try TestClient.connect(port: port) }
            defer { fds.forEach { close($0) } }
            for (index, fd) in fds.enumerated() {
                let tenant = index % 2 == 0 ? "acme" : "beta"
                try TestClient.send(fd, "GET /ocpp/CP-\(index) HTTP/1.1\r\nHost: \(tenant).csms.test\r\n\r\n")
            }
            return fds.map { Response(TestClient.readToEnd($0)) }
        }
        for (index, response) in responses.enumerated() {
            let tenant = index % 2 == 0 ? "acme" : "beta"
            #expect(response.status == 200 && response.body.hasPrefix("worker=\(tenant) "), "#\(index): \(response)")
        }
        let stats = await harness.settle()
        #expect(stats.accepted == count)
        #expect(stats.handedOver == count)
        #expect(stats.heldDescriptors == 0)
        #expect(acme.count + beta.count == count)
        // At rest the router holds its listener and wake-up sockets plus one connection per worker
        // (and each fake worker its end of it): nothing per handed-over connection.
        #expect(await descriptorsSettle(at: rest + 2 * stats.workerConnections) == rest + 2 * stats.workerConnections)
        try await harness.stop()
        await acme.stop()
        await beta.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("a worker whose hand-over queue stays full: 503 after a short bounded wait, nothing leaks")
    func fullWorkerQueue() async throws {
        let before = await baselineDescriptors()
        var limits = EdgeRouter.Limits()
        limits.handoverWait = .milliseconds(20)
        let harness = try await RouterHarness.start(limits: limits)
        let stuck = try harness.worker("stuck", behaviour: .neverReceive)
        let port = harness.port
        let router = harness.router
        let (refused, opened) = try await TestClient.onThread { () -> (Response?, Int) in
            var fds: [Int32] = []
            defer { fds.forEach { close($0) } }
            for index in 0..<3000 {
                let fd = try TestClient.connect(port: port)
                fds.append(fd)
                try TestClient.send(fd, "GET / HTTP/1.1\r\nHost: stuck.csms.test\r\n\r\n")
                while true {
                    let stats = router.statistics
                    if stats.handedOver + stats.refused(.handoverFailed) == index + 1 { break }
                    usleep(200)
                }
                if router.statistics.refused(.handoverFailed) > 0 {
                    return (Response(TestClient.readToEnd(fd)), index + 1)
                }
            }
            return (nil, fds.count)
        }
        #expect(refused?.status == 503, "no 503 after \(opened) connections")
        #expect(opened > 1, "the worker's queue took \(opened - 1) descriptors before it was full")
        #expect(refused?.headers["retry-after"] == "2")
        let stats = await harness.settle()
        #expect(stats.handedOver == opened - 1)
        #expect(stats.heldDescriptors == 0)
        try await harness.stop()
        // The descriptors queued in the worker's socket are released when it closes.
        await stuck.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("TLS: the ClientHello's SNI routes the connection; the worker reads the whole ClientHello")
    func tlsRouting() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        let acme = try harness.worker("acme")
        let port = harness.port
        // A real ClientHello (OpenSSL, SNI "Acme.CSMS.test").
        let hello = TLSFixtures.openSSLTLS13
        try await TestClient.onThread {
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            try TestClient.send(fd, hello)
            shutdown(fd, Int32(SHUT_WR))
            _ = TestClient.readToEnd(fd)
        }
        // A ClientHello in 40-byte records, written 7 bytes at a time.
        let fragmented = TLSFixtures.records(
            TLSFixtures.clientHello(extensions: [(0x000A, [0, 2, 0, 0x1D]), TLSFixtures.sni("acme.csms.test")]),
            fragment: 40)
        try await TestClient.onThread {
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            for start in stride(from: 0, to: fragmented.count, by: 7) {
                try TestClient.send(fd, Array(fragmented[start..<min(fragmented.count, start + 7)]))
                usleep(2_000)
            }
            shutdown(fd, Int32(SHUT_WR))
            _ = TestClient.readToEnd(fd)
        }
        // A ClientHello just under the 16 KiB head limit, in 4 KiB records, written 1,000 bytes at a time.
        let large = TLSFixtures.records(
            TLSFixtures.clientHello(extensions: [
                (0x0015, [UInt8](repeating: 0, count: 16_000)), TLSFixtures.sni("acme.csms.test"),
            ]),
            fragment: 4096)
        #expect(large.count < 16 * 1024)
        try await TestClient.onThread {
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            for start in stride(from: 0, to: large.count, by: 1000) {
                try TestClient.send(fd, Array(large[start..<min(large.count, start + 1000)]))
                usleep(1_000)
            }
            shutdown(fd, Int32(SHUT_WR))
            _ = TestClient.readToEnd(fd)
        }
        let stats = await harness.settle()
        #expect(stats.handedOver == 3)
        let received = acme.received.withLock { $0 }
        #expect(received.map(\.request) == [hello, fragmented, large])
        #expect(received.map { $0.metadata["transport"] } == ["tls", "tls", "tls"])
        try await harness.stop()
        await acme.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("TLS without a known tenant is refused with an alert (the router has no certificate to answer in HTTP)")
    func tlsRefusals() async throws {
        let before = await baselineDescriptors(afterRunningAProcess: true)
        let harness = try await RouterHarness.start()
        harness.directory.set("paused", .suspended)
        let port = harness.port
        func alert(_ hello: [UInt8]) async throws -> [UInt8] {
            try await TestClient.onThread {
                let fd = try TestClient.connect(port: port)
                defer { close(fd) }
                try TestClient.send(fd, hello)
                return TestClient.readToEnd(fd)
            }
        }
        let records = { (extensions: [(UInt16, [UInt8])]) in
            TLSFixtures.records(TLSFixtures.clientHello(extensions: extensions))
        }
        #expect(try await alert(records([TLSFixtures.sni("nobody.csms.test")])) == [0x15, 3, 3, 0, 2, 2, 112])
        #expect(try await alert(records([])) == [0x15, 3, 3, 0, 2, 2, 112])
        #expect(try await alert(records([TLSFixtures.sni("paused.csms.test")])) == [0x15, 3, 3, 0, 2, 2, 49])
        #expect(try await alert([0x16, 0x03, 0x01, 0x00, 0x00]) == [0x15, 3, 3, 0, 2, 2, 50])
        // Over the 16 KiB head limit: handshake_failure.
        let oversized = records([(0x0015, [UInt8](repeating: 0, count: 17_000)), TLSFixtures.sni("acme.csms.test")])
        #expect(try await alert(oversized) == [0x15, 3, 3, 0, 2, 2, 40])

        // A real TLS client understands the alert.
        let script = """
            import socket, ssl, sys
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            try:
                ctx.wrap_socket(s, server_hostname="nobody.csms.test")
            except ssl.SSLError as e:
                print(e.reason)
            """
        let output = try await TestClient.onThread { () -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, "\(port)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(output.contains("UNRECOGNIZED_NAME"), "python3 ssl said: \(output)")
        let stats = await harness.settle()
        #expect(stats.refused(.unknownTenant) == 3)
        #expect(stats.refused(.suspended) == 1)
        #expect(stats.refused(.badRequest) == 1)
        #expect(stats.refused(.headTooLarge) == 1)
        try await harness.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("the platform host and TLS refusals go to the control plane's local handler, unread, and nothing is held")
    func localConnections() async throws {
        let before = await baselineDescriptors()
        let hello = TLSFixtures.records(TLSFixtures.clientHello(extensions: [TLSFixtures.sni("nobody.csms.test")]))
        let head = "GET /platform/v1/tenants HTTP/1.1\r\nHost: ADMIN.csms.test.:8080\r\n\r\n"
        let local = LocalEcho(terminatesTLS: true) { $0.overTLS ? hello.count : head.utf8.count }
        let harness = try await RouterHarness.start(local: local)
        harness.directory.set("paused", .suspended)
        let port = harness.port

        let platform = try await TestClient.onThread { try TestClient.exchange(port: port, head) }
        #expect(platform.status == 200)
        #expect(platform.body == "platform tls=false read=\(head.utf8.count)")

        let refused = try await TestClient.onThread { () -> String in
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            try TestClient.send(fd, hello)
            return String(decoding: TestClient.readToEnd(fd), as: UTF8.self)
        }
        #expect(refused.hasSuffix("tls=true read=\(hello.count)"), "\(refused)")
        let purposes = local.adopted.withLock { $0.map(\.purpose) }
        #expect(
            purposes == [
                .platform, .refusal(status: 404, detail: "no tenant is served at nobody.csms.test", retryAfter: nil),
            ])

        let stats = await harness.settle()
        #expect(stats.servedLocally == 2)
        #expect(stats.refused(.unknownTenant) == 1)
        #expect(stats.handedOver == 0)
        #expect(stats.heldDescriptors == 0)
        try await harness.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("clients that leave early: connect-and-close, half-close with an incomplete head (400)")
    func earlyClose() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        let port = harness.port
        try await TestClient.onThread {
            for _ in 0..<20 { close(try TestClient.connect(port: port)) }
        }
        let halfClosed = try await TestClient.onThread { () -> Response in
            let fd = try TestClient.connect(port: port)
            defer { close(fd) }
            try TestClient.send(fd, "GET / HTTP/1.1\r\nHost: acme")
            usleep(50_000)
            shutdown(fd, Int32(SHUT_WR))
            return Response(TestClient.readToEnd(fd))
        }
        #expect(halfClosed.status == 400, "\(halfClosed)")
        let stats = await harness.settle()
        #expect(stats.refused(.clientClosed) == 21)
        #expect(stats.heldDescriptors == 0)
        try await harness.stop()
        #expect(await descriptorsSettle(at: before) == before)
    }

    @Test("cancelling run() closes waiting connections and returns; nothing leaks")
    func stopWithWaitingConnections() async throws {
        let before = await baselineDescriptors()
        let harness = try await RouterHarness.start()
        let port = harness.port
        let fds = try await TestClient.onThread { try (0..<10).map { _ in try TestClient.connect(port: port) } }
        let deadline = ContinuousClock.now + .seconds(5)
        while harness.router.statistics.watchedConnections < 10, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await harness.stop()
        let statuses = try await TestClient.onThread { fds.map { TestClient.readToEnd($0).count } }
        #expect(statuses == Array(repeating: 0, count: 10))
        fds.forEach { close($0) }
        let stats = harness.router.statistics
        #expect(stats.refused(.shutdown) == 10)
        #expect(stats.heldDescriptors == 0)
        #expect(harness.router.listeningPort == nil)
        #expect(await descriptorsSettle(at: before) == before)
    }
}

/// A Unix socket file that nobody listens on.
func staleSocket(_ path: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0)
    var address = sockaddr_un.make(path)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard fd >= 0, bound == 0 else { throw TestFailure("bind \(path)") }
    return fd
}
