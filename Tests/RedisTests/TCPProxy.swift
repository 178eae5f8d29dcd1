// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if os(Linux)
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
    private let sendFlags = Int32(MSG_NOSIGNAL)
#else
    private let streamSocket = SOCK_STREAM
    private let sendFlags: Int32 = 0
#endif

/// A TCP forwarder to the test Redis that a test can take down and bring back on the same port, to
/// simulate a server outage and restart without touching the shared server.
final class TCPProxy: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One forwarded connection; its two pumps share the sockets, and the second to finish closes them.
    private final class Link: Sendable {
        let client: Int32
        let upstream: Int32
        let pumpsRunning = Mutex(2)
        init(client: Int32, upstream: Int32) {
            self.client = client
            self.upstream = upstream
        }
    }

    private struct State {
        var listener: Int32 = -1
        var port: UInt16 = 0
        var links: [ObjectIdentifier: Link] = [:]
    }

    private let targetPort: UInt16
    private let state = Mutex(State())

    init(targetPort: Int) {
        self.targetPort = UInt16(targetPort)
    }

    var port: Int { Int(state.withLock { $0.port }) }

    /// Listens (again) on 127.0.0.1, on the same port as before if there was one.
    func start() throws {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: state.withLock { $0.port })
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(description: "bind/listen failed: errno \(errno)")
        }
        state.withLock {
            $0.listener = fd
            $0.port = UInt16(bigEndian: address.sin_port)
        }
        Thread { [self] in acceptLoop(fd) }.start()
    }

    /// Stops listening and cuts every forwarded connection, like a server that went away. Sockets are
    /// only shut down here (under the lock, so none is closed meanwhile); their threads close them.
    func stop() {
        state.withLock { state in
            if state.listener >= 0 { shutdown(state.listener, Int32(SHUT_RDWR)) }
            state.listener = -1
            for link in state.links.values {
                shutdown(link.client, Int32(SHUT_RDWR))
                shutdown(link.upstream, Int32(SHUT_RDWR))
            }
        }
    }

    private func acceptLoop(_ listener: Int32) {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let upstream = socket(AF_INET, streamSocket, 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            let link = Link(client: client, upstream: upstream)
            let accepted = state.withLock { state in
                guard state.listener == listener, connected else { return false }
                state.links[ObjectIdentifier(link)] = link
                return true
            }
            guard accepted else {
                close(client)
                close(upstream)
                if state.withLock({ $0.listener != listener }) { return }
                continue
            }
            Thread { [self] in pump(link, from: client, to: upstream) }.start()
            Thread { [self] in pump(link, from: upstream, to: client) }.start()
        }
    }

    private func pump(_ link: Link, from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        outer: while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes {
                    send(destination, $0.baseAddress?.advanced(by: sent), count - sent, sendFlags)
                }
                guard written > 0 else { break outer }
                sent += written
            }
        }
        let last = state.withLock { state in
            shutdown(source, Int32(SHUT_RDWR))
            shutdown(destination, Int32(SHUT_RDWR))
            let last = link.pumpsRunning.withLock { running in
                running -= 1
                return running == 0
            }
            if last { state.links[ObjectIdentifier(link)] = nil }
            return last
        }
        if last {
            close(link.client)
            close(link.upstream)
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }
}
