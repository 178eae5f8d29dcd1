// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Common
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Redis
import ServiceLifecycle
import TestFixtures
import TestSupport
import Testing

@testable import WorkerCore

/// A real tenant worker with a hand-over socket, and the test playing the edge router: it accepts
/// a TCP connection on a throwaway listener and sends the accepted descriptor to the worker, as
/// the router does, then talks to the worker from the client end.
final class HandoverHarness: Sendable {
    static let baseDomain = "csms.test"
    static let database = Task { try await TestDatabase.create(prefix: "csms_handover") }

    let slug: String
    let dir: String
    let worker: TenantWorker
    let group: ServiceGroup
    let running: Task<Void, any Error>
    let router: Int32
    let listener: Int32
    let listenerPort: UInt16

    var host: String { "\(slug).\(Self.baseDomain)" }
    var handoverPath: String { dir + "/h.handover" }

    /// `ocpp` is the tenant file's `ocpp` section body, `extraYAML` more top-level sections (`tls`);
    /// `tcpPort` also serves the worker's own TCP listener there (`http.tcp_listen`).
    static func start(
        slugPrefix: String, maxConnections: Int? = nil, ocpp: String = pendingStations, extraYAML: String = "",
        tcpPort: Int? = nil, logger: Logger = Logger(label: "handover-test")
    ) async throws -> HandoverHarness {
        let db = try await database.value
        let slug = "\(slugPrefix)-\(TestEnvironment.uniqueSuffix().prefix(8))"
        let tenant = try await db.createTenant(slug: slug)
        let dir = try TestEnvironment.temporaryDirectory("ho")
        try TestEnvironment.write(secret: tenant.password, to: dir + "/pg.pw")
        let admin = RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.redisPort(),
                username: try TestEnvironment.redisAdminUser(), password: try TestEnvironment.redisAdminPassword()),
            logger: Logger(label: "test"))
        let redisPassword = "r-\(TestEnvironment.uniqueSuffix())"
        try await admin.aclSetUser(
            tenant.role, password: redisPassword, keyPatterns: ["t:\(slug):*"], channelPatterns: ["t:\(slug):*"])
        await admin.shutdown()
        try TestEnvironment.write(secret: redisPassword, to: dir + "/redis.pw")
        let config = dir + "/\(slug).yaml"
        try "slug: \(slug)\ndisplay_name: Handover test\nplan: test\nocpp:\n\(ocpp)\(extraYAML)".write(
            toFile: config, atomically: true, encoding: .utf8)
        let options = WorkerOptions(
            tenantConfigPath: config, postgresConninfo: tenant.conninfo, postgresPasswordFile: dir + "/pg.pw",
            postgresMaxConnections: 2, redisHost: "127.0.0.1", redisPort: try TestEnvironment.redisPort(),
            redisUser: tenant.role, redisPasswordFile: dir + "/redis.pw", controlSocketPath: dir + "/w.sock",
            tcpListen: tcpPort.map { ("127.0.0.1", $0) }, healthCheckInterval: .milliseconds(500),
            handoverSocketPath: dir + "/h.handover", baseDomain: baseDomain,
            maxConnections: maxConnections, drainTimeout: .seconds(10))
        let worker = try buildTenantWorker(options: options, logger: logger)
        // The worker's own services in a group the test can shut down gracefully (no signals: they
        // would reach every other test's worker in this process).
        let group = ServiceGroup(
            configuration: .init(services: worker.services.map { .init(service: $0) }, logger: worker.logger))
        let running = Task { try await group.run() }
        let router = try await connectRouter(path: dir + "/h.handover")
        let (listener, port) = try makeTCPListener()
        return HandoverHarness(
            slug: slug, dir: dir, worker: worker, group: group, running: running, router: router, listener: listener,
            listenerPort: port)
    }

    /// Unknown stations are registered as pending with the password they present, so a station
    /// can open its WebSocket without an operator creating it first.
    static let pendingStations = "  unknown_stations: pending\n"

    private init(
        slug: String, dir: String, worker: TenantWorker, group: ServiceGroup, running: Task<Void, any Error>,
        router: Int32, listener: Int32, listenerPort: UInt16
    ) {
        self.slug = slug
        self.dir = dir
        self.worker = worker
        self.group = group
        self.running = running
        self.router = router
        self.listener = listener
        self.listenerPort = listenerPort
    }

    /// Runs `body` with a started worker and stops it afterwards, also when `body` fails.
    static func with(
        slugPrefix: String, maxConnections: Int? = nil, ocpp: String = pendingStations, extraYAML: String = "",
        tcpPort: Int? = nil, logger: Logger = Logger(label: "handover-test"),
        _ body: (HandoverHarness) async throws -> Void
    ) async throws {
        let harness = try await start(
            slugPrefix: slugPrefix, maxConnections: maxConnections, ocpp: ocpp, extraYAML: extraYAML, tcpPort: tcpPort,
            logger: logger)
        do {
            try await harness.waitUntilHealthy()
            try await body(harness)
        } catch {
            _ = try? await harness.stop()
            throw error
        }
        try await harness.stop()
    }

    /// `/healthz` answers 503 until the first PostgreSQL and Redis checks have passed.
    func waitUntilHealthy() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let r = try? await UnixSocketHTTP.get(socketPath: dir + "/w.sock", path: "/healthz"), r.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("the worker did not become healthy within 30 s")
    }

    /// Graceful shutdown, as on SIGTERM; waits for the worker to stop. Returns whether the worker
    /// let go of the hand-over socket: the router's connection ended and nothing listens any more.
    @discardableResult
    func stop() async throws -> Bool {
        await group.triggerGracefulShutdown()
        try await running.value
        await worker.ocpp.authenticator.shutdown()
        await worker.postgres.shutdown()
        await worker.redis.shutdown()
        var byte: UInt8 = 0
        let routerEnded = recv(router, &byte, 1, Int32(MSG_DONTWAIT)) == 0
        close(router)
        close(listener)
        let stillListening = (try? await Self.connectRouter(path: handoverPath, within: .zero)).map {
            close($0)
            return true
        }
        return routerEnded && stillListening == nil
    }

    /// Connects a client, hands the server end to the worker and closes the test's copy, exactly
    /// as the router does. Returns the client end and the inode of the handed-over socket.
    func handOver(metadata: String? = nil) throws -> (TestClient, inode: UInt64) {
        let client = try TestClient.connect(port: listenerPort)
        return (client, try handOverAccepted(metadata: metadata))
    }

    /// The same with a TLS client: its ClientHello waits in the socket, as the router leaves it
    /// (it only peeks), and the record says "tls" (or `transport`).
    /// `serverName` (SNI, and the name the server certificate must carry) defaults to the tenant's host.
    func handOverTLS(
        _ configuration: TLSConfiguration, serverName: String? = nil, transport: String = "tls"
    ) async throws -> (TestClient, inode: UInt64) {
        let client = try await TestClient.connectTLS(
            port: listenerPort, configuration: configuration, serverName: serverName ?? host)
        return (client, try handOverAccepted(metadata: Self.metadata(tenant: slug, transport: transport)))
    }

    /// Accepts the connection a client just made and hands it to the worker.
    private func handOverAccepted(metadata: String?) throws -> UInt64 {
        let server = accept(listener, nil, nil)
        guard server >= 0 else { throw TestFailure("accept: \(String(cString: strerror(errno)))") }
        defer { close(server) }
        var info = stat()
        fstat(server, &info)
        let record = metadata ?? Self.metadata(tenant: slug)
        let sent = record.utf8CString.withUnsafeBufferPointer { bytes in
            csms_send_fd(router, server, bytes.baseAddress, bytes.count - 1)
        }
        guard sent >= 0 else { throw TestFailure("csms_send_fd: \(String(cString: strerror(errno)))") }
        return UInt64(info.st_ino)
    }

    static func metadata(tenant: String, version: Int = 1, transport: String = "http") -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let now = formatter.string(from: Date())
        return #"{"v":\#(version),"tenant":"\#(tenant)","client":"127.0.0.1:4242","accepted_at":"\#(now)","#
            + #""transport":"\#(transport)"}"#
    }

    private static func connectRouter(path: String, within timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        repeat {
            let fd = csms_seqpacket_socket()
            guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                let bytes = Array(path.utf8)
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if connected == 0 { return fd }
            close(fd)
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        throw TestFailure("the worker's hand-over socket \(path) did not accept within 30 s")
    }

    private static func makeTCPListener() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, ok else { throw TestFailure("cannot make a TCP listener") }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// True once no descriptor of this process refers to the socket with `inode` (the worker
    /// closed its copy), polling for up to `timeout`.
    static func socketReleased(inode: UInt64, within timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        let target = "socket:[\(inode)]"
        while ContinuousClock.now < deadline {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            let held = entries.contains { entry in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)")) == target
            }
            if !held { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    static var openDescriptorCount: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The client end of a handed-over connection, over a plain socket or TLS. Polled with short
/// sleeps: a blocking read would hold one of the few threads of the concurrency pool that the
/// worker needs too.
final class TestClient: @unchecked Sendable {
    // @unchecked: each test uses its client from one task at a time.
    private let stream: any TestByteStream
    private var buffer: [UInt8] = []

    private init(stream: any TestByteStream) { self.stream = stream }

    static func connect(port: UInt16) throws -> TestClient {
        TestClient(stream: try SocketStream.connect(port: port))
    }

    /// A TLS client (SwiftNIO SSL) on 127.0.0.1:`port`; the handshake starts at once.
    static func connectTLS(
        port: UInt16, configuration: TLSConfiguration, serverName: String?
    ) async throws -> TestClient {
        TestClient(
            stream: try await TLSClientStream.connect(port: port, configuration: configuration, serverName: serverName))
    }

    /// Why the TLS connection failed (a handshake the server refused), if it did.
    var tlsError: (any Error)? { (stream as? TLSClientStream)?.error }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws { try stream.write(bytes) }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill(deadline: ContinuousClock.Instant) async throws -> Bool {
        while true {
            guard let bytes = try stream.read() else { return false }
            if !bytes.isEmpty {
                buffer += bytes
                return true
            }
            guard ContinuousClock.now < deadline else { throw TestFailure("no answer within the time limit") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One HTTP/1.1 response (with Content-Length, or none for 101).
    func readResponse(timeout: Duration = .seconds(10)) async throws -> Response {
        let deadline = ContinuousClock.now + timeout
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let end = buffer.firstRange(of: separator) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                    throw TestFailure("bad status line in \(head)")
                }
                let headers = lines.compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (
                        String(line[..<colon]),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    )
                }
                var response = Response(status: status, headers: headers, body: [])
                let length = Int(response.header("Content-Length") ?? "0") ?? 0
                let bodyStart = end.upperBound
                while buffer.count - bodyStart < length {
                    guard try await fill(deadline: deadline) else { throw TestFailure("body cut short") }
                }
                response.body = Array(buffer[bodyStart..<(bodyStart + length)])
                buffer.removeFirst(bodyStart + length)
                return response
            }
            guard try await fill(deadline: deadline) else {
                throw TestFailure("connection closed before a response (\(buffer.count) bytes buffered)")
            }
        }
    }

    /// True when the server closes the connection (after what is buffered) within `timeout`.
    func closedByServer(within timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        do {
            while try await fill(deadline: deadline) {}
            return true
        } catch {
            return false
        }
    }

    /// One WebSocket frame from the server (unmasked, payload < 126 bytes in these tests).
    func readFrame(timeout: Duration = .seconds(10)) async throws -> (opcode: UInt8, payload: [UInt8]) {
        let deadline = ContinuousClock.now + timeout
        while true {
            if buffer.count >= 2 {
                let length = Int(buffer[1] & 0x7F)
                if length < 126, buffer.count >= 2 + length {
                    let frame = (opcode: buffer[0] & 0x0F, payload: Array(buffer[2..<(2 + length)]))
                    buffer.removeFirst(2 + length)
                    return frame
                }
            }
            guard try await fill(deadline: deadline) else { throw TestFailure("closed before a WebSocket frame") }
        }
    }

    /// A masked client frame (RFC 6455 §5.3).
    func sendFrame(opcode: UInt8, payload: [UInt8]) throws {
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        var frame: [UInt8] = [0x80 | opcode, 0x80 | UInt8(payload.count)] + mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try send(frame)
    }

    func close() { stream.close() }
}

/// What a ``TestClient`` reads from and writes to.
protocol TestByteStream: Sendable {
    func write(_ bytes: [UInt8]) throws
    /// What has arrived since the last call ([] when nothing has), or nil at the end of the stream.
    func read() throws -> [UInt8]?
    /// Idempotent.
    func close()
}

/// A non-blocking TCP socket.
final class SocketStream: TestByteStream, @unchecked Sendable {
    // @unchecked: used from one task at a time; `closed` only guards a second close.
    let fd: Int32
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    static func connect(port: UInt16) throws -> SocketStream {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, connected == 0 else { throw TestFailure("connect: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return SocketStream(fd: fd)
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN { continue }
                throw TestFailure("send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    func read() throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return Array(chunk[0..<n]) }
        if n == 0 { return nil }
        if errno == EAGAIN || errno == EWOULDBLOCK { return [] }
        if errno == ECONNRESET { return nil }
        throw TestFailure("recv: \(String(cString: strerror(errno)))")
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    deinit { close() }
}

/// A TLS client connection over SwiftNIO SSL; the plaintext it receives is collected for
/// ``read()``.
final class TLSClientStream: TestByteStream {
    private struct State {
        var received: [UInt8] = []
        var ended = false
        var error: (any Error)?
    }

    private let channel: any Channel
    private let state: NIOLockedValueBox<State>

    private init(channel: any Channel, state: NIOLockedValueBox<State>) {
        self.channel = channel
        self.state = state
    }

    static func connect(
        port: UInt16, configuration: TLSConfiguration, serverName: String?
    ) async throws -> TLSClientStream {
        let context = try NIOSSLContext(configuration: configuration)
        let state = NIOLockedValueBox(State())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try sync.addHandler(Collector(state: state))
                }
            }
            .connect(host: "127.0.0.1", port: Int(port)).get()
        return TLSClientStream(channel: channel, state: state)
    }

    var error: (any Error)? { state.withLockedValue { $0.error } }

    func write(_ bytes: [UInt8]) throws {
        guard !state.withLockedValue({ $0.ended }) else { throw TestFailure("the TLS connection has ended") }
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    func read() throws -> [UInt8]? {
        state.withLockedValue { state in
            if state.received.isEmpty { return state.ended ? nil : [] }
            defer { state.received.removeAll() }
            return state.received
        }
    }

    func close() { channel.close(promise: nil) }

    deinit { channel.close(promise: nil) }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state: NIOLockedValueBox<State>

        init(state: NIOLockedValueBox<State>) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(buffer: unwrapInboundIn(data))
            state.withLockedValue { $0.received += bytes }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            state.withLockedValue { if $0.error == nil { $0.error = error } }
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLockedValue { $0.ended = true }
        }
    }
}
