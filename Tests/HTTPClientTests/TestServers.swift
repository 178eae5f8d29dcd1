// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Hummingbird
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A Hummingbird app on 127.0.0.1 with an ephemeral port, serving the endpoints the client tests
/// need. It runs for the duration of `body` and is cancelled afterwards.
enum TestHTTPServer {
    static func with<T: Sendable>(
        extraRoutes: (Router<BasicRequestContext>) -> Void = { _ in },
        _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        addRoutes(router)
        extraRoutes(router)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-http-server")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw TestServerError("the test HTTP server did not start")
            }
            do {
                let result = try await body(port)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// `/echo` (any method) answers with the method, the request's header fields and its body:
    /// `method: POST`, then `name: value` lines, a blank line and the body bytes.
    static func addRoutes(_ router: Router<BasicRequestContext>) {
        let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var text = "method: \(request.method.rawValue)\n"
            for field in request.headers { text += "\(field.name.canonicalName): \(field.value)\n" }
            var buffer = ByteBuffer(string: text + "\n")
            var body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            buffer.writeBuffer(&body)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: buffer))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head] {
            router.on("/echo", method: method, use: echo)
        }
        router.get("/status/{code}") { _, context -> Response in
            let code = try context.parameters.require("code", as: Int.self)
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
        }
        router.get("/big") { request, _ -> Response in
            let size = request.uri.queryParameters.get("size", as: Int.self) ?? 0
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: size)))
        }
        router.get("/big-chunked") { request, _ -> Response in
            // Written in pieces without a Content-Length, so only the client's running count can stop it.
            let size = request.uri.queryParameters.get("size", as: Int.self) ?? 0
            return Response(
                status: .ok,
                body: .init { writer in
                    var left = size
                    while left > 0 {
                        let piece = min(left, 64 * 1024)
                        try await writer.write(ByteBuffer(repeating: 0x62, count: piece))
                        left -= piece
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("/delay") { request, _ -> Response in
            let milliseconds = request.uri.queryParameters.get("ms", as: Int.self) ?? 0
            delayRequestsStarted.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(milliseconds))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "slept \(milliseconds)")))
        }
        let redirect: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let status = request.uri.queryParameters.get("status", as: Int.self) ?? 302
            let to = request.uri.queryParameters.get("to") ?? "/echo"
            return Response(status: .init(code: status), headers: [.location: to])
        }
        router.get("/redirect", use: redirect)
        router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
        router.post("/redirect", use: redirect)
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts: the kernel completes the handshake
/// from its backlog, the request is sent, and no answer ever comes.
final class SilentServer: Sendable {
    let port: Int
    private let socketDescriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw TestServerError("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socketDescriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socketDescriptor) }
}

/// A Python HTTPS server on 127.0.0.1 with a throw-away self-signed certificate for
/// `localhost`/127.0.0.1, answering every GET with 200 "secure". `certificatePath` is the PEM a
/// client must trust to talk to it.
final class TLSTestServer: Sendable {
    let port: Int
    let certificatePath: String
    private let process: Process
    /// The server's stdin: closing it (or this process dying) makes the server exit.
    private let lifeline = Pipe()
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("csms-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyPath, "-out", certificatePath,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestServerError("openssl req failed") }
        let script = """
            import http.server, os, signal, ssl, sys, threading
            # The test process may block SIGTERM (inherited by children); exit when its pipe closes too.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
            threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b"secure"
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            server.socket = context.wrap_socket(server.socket, server_side=True)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        let pipe = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, certificatePath, keyPath]
        process.standardOutput = pipe
        process.standardInput = lifeline
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestServerError("the Python TLS server did not report its port")
        }
        self.port = port
    }

    func stop() {
        try? lifeline.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// How many `/delay` requests the test servers have begun to serve (tests wait for it instead of
/// sleeping and hoping the request has arrived).
let delayRequestsStarted = Mutex<Int>(0)
