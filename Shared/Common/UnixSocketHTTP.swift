// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A minimal HTTP/1.1 GET over a Unix socket, for the control plane's health checks of its workers
/// (and for tests). Blocking socket calls run on a thread of their own, never on the caller's.
public enum UnixSocketHTTP {
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let socketPath: String
        public let reason: String
        public var description: String { "GET over \(socketPath): \(reason)" }
    }

    /// Sends `GET path` and returns the status and body. `timeout` bounds each socket operation.
    public static func get(socketPath: String, path: String, timeout: Duration = .seconds(2)) async throws -> Response {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response, any Error>) in
            let thread = Thread {
                continuation.resume(
                    with: Result { try blockingGet(socketPath: socketPath, path: path, timeout: timeout) })
            }
            thread.start()
        }
    }

    static func blockingGet(socketPath: String, path: String, timeout: Duration) throws -> Response {
        func fail(_ what: String) -> Failure {
            Failure(socketPath: socketPath, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw fail("socket") }
        defer { close(fd) }
        var tv = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            throw Failure(
                socketPath: socketPath,
                reason: "socket path longer than \(MemoryLayout.size(ofValue: addr.sun_path) - 1) bytes")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else { throw fail("connect") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: worker\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw fail("send") }
            sent += n
        }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw fail("recv") }
            data.append(contentsOf: buffer[0..<n])
            if data.count > 1 << 20 { throw Failure(socketPath: socketPath, reason: "response larger than 1 MiB") }
        }
        return try parse(data, socketPath: socketPath)
    }

    static func parse(_ data: [UInt8], socketPath: String) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard
            let headEnd = data.indices.first(where: { i in i + 4 <= data.count && Array(data[i..<i + 4]) == separator })
        else { throw Failure(socketPath: socketPath, reason: "incomplete HTTP response") }
        let head = String(decoding: data[..<headEnd], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(socketPath: socketPath, reason: "bad status line \(lines[0])")
        }
        var body = Array(data[(headEnd + 4)...])
        let chunked = lines.dropFirst().contains {
            $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked")
        }
        if chunked { body = try dechunk(body, socketPath: socketPath) }
        return Response(status: status, body: body)
    }

    static func dechunk(_ data: [UInt8], socketPath: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            guard let lineEnd = (i..<data.count - 1).first(where: { data[$0] == 13 && data[$0 + 1] == 10 }) else {
                break
            }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self).split(separator: ";")[0]
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(socketPath: socketPath, reason: "bad chunk size")
            }
            if size == 0 { break }
            let start = lineEnd + 2
            guard start + size <= data.count else { throw Failure(socketPath: socketPath, reason: "truncated chunk") }
            out.append(contentsOf: data[start..<start + size])
            i = start + size + 2
        }
        return out
    }
}
