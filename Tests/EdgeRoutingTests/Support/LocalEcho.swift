// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import EdgeRouting
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in for the control plane's local handler: on its own thread it reads what the client
/// sent (the router only peeked, so all of it must still be there), answers with what it was given
/// and what it read, and closes the descriptor.
final class LocalEcho: LocalConnectionHandler {
    let terminatesTLS: Bool
    /// How many bytes to read before answering: the client's whole first flight.
    let expectBytes: @Sendable (LocalConnection) -> Int
    let adopted = Mutex<[LocalConnection]>([])

    init(terminatesTLS: Bool, expectBytes: @escaping @Sendable (LocalConnection) -> Int) {
        self.terminatesTLS = terminatesTLS
        self.expectBytes = expectBytes
    }

    func adopt(_ connection: LocalConnection) {
        adopted.withLock { $0.append(connection) }
        let expected = expectBytes(connection)
        Thread.detachNewThread {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while received.count < expected {
                let n = chunk.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                received += chunk[0..<n]
            }
            let body = "\(connection.purpose) tls=\(connection.overTLS) read=\(received.count)"
            let text = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = Array(text.utf8).withUnsafeBytes { send(connection.descriptor, $0.baseAddress, $0.count, 0) }
            shutdown(connection.descriptor, Int32(SHUT_WR))
            close(connection.descriptor)
        }
    }
}
