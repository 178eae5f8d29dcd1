// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Foundation
import Synchronization

/// A stand-in for a tenant worker's hand-over listener: a SOCK_SEQPACKET socket that receives
/// descriptors with their metadata, reads the whole original request from each descriptor (proving
/// the router consumed nothing) and answers it.
final class FakeWorker: Sendable {
    enum Behaviour: Sendable {
        /// Read the request from each received descriptor and answer 200.
        case answer
        /// Accept the router's connection but never receive: the socket's queue fills up.
        case neverReceive
    }

    struct Received: Sendable {
        var metadata: [String: String]
        var request: [UInt8]
    }

    let name: String
    let path: String
    let behaviour: Behaviour
    let received = Mutex<[Received]>([])
    let routerConnections = Atomic<Int>(0)
    let running = Atomic<Bool>(true)
    let threads = Atomic<Int>(0)
    let listenFD: Int32

    init(name: String, path: String, behaviour: Behaviour = .answer) throws {
        self.name = name
        self.path = path
        self.behaviour = behaviour
        unlink(path)
        let fd = csms_seqpacket_socket()
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = sockaddr_un.make(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestFailure("bind/listen \(path): \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o600)
        listenFD = fd
        spawn { self.acceptLoop() }
    }

    var count: Int { received.withLock { $0.count } }

    func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.add(1, ordering: .relaxed)
        Thread {
            body()
            self.threads.subtract(1, ordering: .relaxed)
        }.start()
    }

    /// Stops accepting, closes every connection and waits for its threads.
    func stop() async {
        running.store(false, ordering: .relaxed)
        while threads.load(ordering: .relaxed) > 0 { try? await Task.sleep(for: .milliseconds(10)) }
        close(listenFD)
        unlink(path)
    }

    private func acceptLoop() {
        while running.load(ordering: .relaxed) {
            guard wait(listenFD, events: Int16(POLLIN), milliseconds: 20) else { continue }
            let connection = csms_accept4(listenFD, nil, nil, 0)
            guard connection >= 0 else { continue }
            var uid: uid_t = 0
            // The worker side of the contract: the router runs as the same user (SO_PEERCRED).
            guard csms_peer_uid(connection, &uid) == 0, uid == geteuid() else {
                close(connection)
                continue
            }
            routerConnections.add(1, ordering: .relaxed)
            spawn { self.receiveLoop(connection) }
        }
    }

    private func receiveLoop(_ connection: Int32) {
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        while running.load(ordering: .relaxed) {
            guard behaviour == .answer else {
                // Only notice the router hanging up; never receive.
                if wait(connection, events: 0, milliseconds: 20) { return }
                continue
            }
            guard wait(connection, events: Int16(POLLIN), milliseconds: 20) else { continue }
            var fd: Int32 = -1
            let n = buffer.withUnsafeMutableBytes { csms_recv_fd(connection, &fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }  // the router closed its side
            let metadata =
                (try? JSONSerialization.jsonObject(with: Data(buffer[0..<n]))) as? [String: Any] ?? [:]
            let strings = metadata.mapValues { "\($0)" }
            guard fd >= 0 else { continue }
            let request = readRequest(fd, transport: strings["transport"] ?? "")
            received.withLock { $0.append(Received(metadata: strings, request: request)) }
            if strings["transport"] == "http" {
                let body = "worker=\(name) tenant=\(strings["tenant"] ?? "?") bytes=\(request.count)"
                let response =
                    "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                _ = Array(response.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                shutdown(fd, Int32(SHUT_WR))
            }
            close(fd)
        }
    }

    /// Reads an HTTP head and its Content-Length body, or a TLS ClientHello record, from the adopted
    /// socket: everything the client sent, since the router only peeked.
    private func readRequest(_ fd: Int32, transport: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 1 << 20 {
            // TLS: the tests half-close after their ClientHello, so read to the end of the stream.
            if transport != "tls", let end = headEnd(bytes) {
                if bytes.count >= end + contentLength(bytes[0..<end]) { return bytes }
            }
            guard wait(fd, events: Int16(POLLIN), milliseconds: 5000) else { return bytes }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return bytes }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    private func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i..<(i + 4)].elementsEqual([13, 10, 13, 10]) { return i + 4 }
        return nil
    }

    private func contentLength(_ head: ArraySlice<UInt8>) -> Int {
        for line in String(decoding: head, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return 0
    }
}

/// `poll` on one descriptor; true when an event was reported.
func wait(_ fd: Int32, events: Int16, milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: fd, events: events, revents: 0)
    return poll(&entry, 1, milliseconds) > 0
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension sockaddr_un {
    static func make(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        return address
    }
}
