// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim
import Foundation
import Logging
import NIOConcurrencyHelpers

/// The worker's end of the hand-over socket: a SOCK_SEQPACKET Unix socket the edge router connects
/// to, sending one message per client connection (the descriptor as SCM_RIGHTS plus a JSON record).
///
/// accept(2) and recvmsg(2) block, so they run on threads of their own: never on the Swift
/// concurrency pool (as many threads as cores) nor on an event loop. The router keeps one
/// connection per worker, so there are two threads in the normal case.
final class HandoverSocket: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One received message: the descriptor (owned by the receiver from now on) and its record.
    struct Message: Sendable {
        let descriptor: Int32
        let metadata: [UInt8]
    }

    /// Router connections beyond this are refused: the router keeps one (two while it reconnects),
    /// so more means something else of this uid is connecting, and each costs a thread.
    static let maxRouterConnections = 8

    let path: String
    private let logger: Logger
    private struct State {
        var listener: Int32 = -1
        var connections: Set<Int32> = []
        var stopped = false
    }
    /// Every descriptor is closed by the thread that uses it, under this lock, after removing it
    /// here; ``stop()`` shuts the registered ones down under the same lock. So stop never touches
    /// a number that was closed and reused by someone else.
    private let state = NIOLockedValueBox(State())

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Creates the socket (a stale socket file from an earlier run is removed; anything else at
    /// the path is an error), makes it 0600 and listens; then accepts router connections on a
    /// thread and receives messages on one thread per router connection, passing each to
    /// `deliver`, which must not block.
    func start(deliver: @escaping @Sendable (Message) -> Void) throws {
        let fd = try Self.makeListeningSocket(path: path)
        let started = state.withLockedValue { state -> Bool in
            guard !state.stopped else { return false }
            state.listener = fd
            return true
        }
        guard started else {
            close(fd)
            return
        }
        let thread = Thread { [self] in acceptLoop(listener: fd, deliver: deliver) }
        thread.name = "handover-accept"
        thread.start()
    }

    /// Stops accepting and receiving; the threads close their descriptors and end. The socket
    /// file stays: a worker started for a rolling restart may have bound the same path already.
    func stop() {
        state.withLockedValue { state in
            state.stopped = true
            if state.listener >= 0 {
                // Wakes the blocked accept(2) (EINVAL on Linux).
                shutdown(state.listener, Int32(SHUT_RDWR))
            }
            for connection in state.connections {
                // Wakes the blocked recvmsg(2), which then returns 0.
                shutdown(connection, Int32(SHUT_RDWR))
            }
        }
    }

    private static func makeListeningSocket(path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let pathBytes = Array(path.utf8)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else {
            throw Failure(description: "hand-over socket path \(path) is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                throw Failure(description: "\(path) exists and is not a socket; refusing to replace it")
            }
            unlink(path)
        }
        let fd = csms_seqpacket_socket()
        guard fd >= 0 else {
            throw Failure(description: "cannot create the hand-over socket: \(String(cString: strerror(errno)))")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        // The executable runs with umask 077 already; chmod makes it so for a library caller too
        // (before listen, so no connection can come in on a wider mode).
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot listen on the hand-over socket \(path): \(reason)")
        }
        return fd
    }

    private func acceptLoop(listener: Int32, deliver: @escaping @Sendable (Message) -> Void) {
        let ownUID = getuid()
        while true {
            let connection = csms_accept4(listener, nil, nil, 0)
            if connection < 0 {
                let code = errno
                if state.withLockedValue({ $0.stopped }) { break }
                switch code {
                case ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    logger.error(
                        "cannot accept a router connection on the hand-over socket; retrying",
                        metadata: ["error": "\(String(cString: strerror(code)))"])
                    Thread.sleep(forTimeInterval: 0.1)
                    continue
                default:
                    logger.error(
                        "the hand-over socket failed; no more hand-overs",
                        metadata: ["error": "\(String(cString: strerror(code)))"])
                }
                break
            }
            var uid = uid_t()
            let peer: uid_t? = csms_peer_uid(connection, &uid) == 0 ? uid : nil
            if case .reject(let reason) = HandoverPolicy.peerDecision(peerUID: peer, ownUID: ownUID) {
                logger.error("refused a connection on the hand-over socket", metadata: ["reason": "\(reason)"])
                close(connection)
                continue
            }
            let admitted = state.withLockedValue { state -> Bool in
                guard !state.stopped, state.connections.count < Self.maxRouterConnections else { return false }
                state.connections.insert(connection)
                return true
            }
            guard admitted else {
                logger.warning(
                    "refused a router connection on the hand-over socket",
                    metadata: ["reason": "more than \(Self.maxRouterConnections) open, or shutting down"])
                close(connection)
                continue
            }
            logger.info("the router connected to the hand-over socket")
            let thread = Thread { [self] in receiveLoop(connection: connection, deliver: deliver) }
            thread.name = "handover-receive"
            thread.start()
        }
        state.withLockedValue { state in
            state.listener = -1
            close(listener)
        }
    }

    private func receiveLoop(connection: Int32, deliver: @escaping @Sendable (Message) -> Void) {
        // One byte more than the record may have, so an oversized one is seen as such
        // (SOCK_SEQPACKET cuts a longer message at the buffer's size).
        var buffer = [UInt8](repeating: 0, count: HandoverMetadata.maxSize + 1)
        while true {
            var descriptor: Int32 = -1
            let count = buffer.withUnsafeMutableBytes { raw in
                csms_recv_fd(connection, &descriptor, raw.baseAddress, raw.count)
            }
            if count < 0 {
                let code = errno
                if code == EMSGSIZE {
                    // More descriptors than one arrived cut off; the shim closed what it got.
                    logger.error("dropped a hand-over message whose descriptors were cut off")
                    continue
                }
                if !state.withLockedValue({ $0.stopped }) {
                    logger.error(
                        "receiving from the router failed", metadata: ["error": "\(String(cString: strerror(code)))"])
                }
                break
            }
            if count == 0 && descriptor < 0 {
                break  // the router closed its connection (or stop() shut it down)
            }
            guard descriptor >= 0 else {
                logger.error("a hand-over message carried no descriptor; ignored")
                continue
            }
            deliver(Message(descriptor: descriptor, metadata: Array(buffer[0..<count])))
        }
        state.withLockedValue { state in
            state.connections.remove(connection)
            close(connection)
        }
        if !state.withLockedValue({ $0.stopped }) {
            logger.notice("the router's connection to the hand-over socket ended")
        }
    }
}
