// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Foundation

/// Blocking TCP client calls for the tests, run on threads of their own (never on the two
/// threads of the concurrency pool, which the router test must not starve).
enum TestClient {
    /// Runs `body` on a new thread and returns its result.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestFailure("connect: \(String(cString: strerror(code)))")
        }
        return fd
    }

    static func localPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw TestFailure("send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    static func send(_ fd: Int32, _ text: String) throws { try send(fd, Array(text.utf8)) }

    /// Reads until the server closes (or the 10 s receive timeout).
    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// Connects, sends `request`, reads the whole answer and closes.
    static func exchange(port: Int, _ request: [UInt8]) throws -> Response {
        let fd = try connect(port: port)
        defer { close(fd) }
        try send(fd, request)
        return Response(readToEnd(fd))
    }

    /// Like `exchange`, also returning the client's own port (to check the metadata's `client`).
    static func exchangeReportingPort(port: Int, _ request: String) throws -> (Response, Int) {
        let fd = try connect(port: port)
        defer { close(fd) }
        let local = localPort(fd)
        try send(fd, Array(request.utf8))
        return (Response(readToEnd(fd)), local)
    }

    static func exchange(port: Int, _ request: String) throws -> Response {
        try exchange(port: port, Array(request.utf8))
    }
}

/// An HTTP response as the tests look at it.
struct Response: Sendable, CustomStringConvertible {
    let raw: [UInt8]
    let status: Int
    let headers: [String: String]
    let body: String

    init(_ raw: [UInt8]) {
        self.raw = raw
        let text = String(decoding: raw, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        self.headers = headers
    }

    /// The RFC 9457 problem document in the body.
    var problem: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    var description: String { String(decoding: raw, as: UTF8.self) }
}

/// Descriptors open in this process right now.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// What each open descriptor is (for a failure message that says what leaked).
func openDescriptors() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return names.sorted().map { name in
        "\(name) → " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)) ?? "?")
    }
}
