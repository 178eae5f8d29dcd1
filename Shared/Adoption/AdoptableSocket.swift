// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A connected stream socket received from elsewhere (SCM_RIGHTS, or the router in this process),
/// about to become a SwiftNIO channel, with what tells it apart from a later socket that reuses its
/// number.
public struct AdoptableSocket: Sendable {
    public let descriptor: Int32
    let device: UInt64
    let inode: UInt64

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Checks that the descriptor is a stream socket and makes it non-blocking (NIO does that too;
    /// done here, it cannot fail inside NIO, where a failure would leave the descriptor unclaimed).
    public static func prepare(_ descriptor: Int32) -> Result<AdoptableSocket, Problem> {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else {
            return .failure(Problem(description: "the descriptor is not a socket: \(String(cString: strerror(errno)))"))
        }
        guard type == Int32(SOCK_STREAM.rawValue) else {
            return .failure(Problem(description: "the descriptor is not a stream socket (type \(type))"))
        }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            return .failure(Problem(description: "cannot make the socket non-blocking"))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            return .failure(Problem(description: "cannot stat the socket"))
        }
        return .success(
            AdoptableSocket(descriptor: descriptor, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    /// After a failed adoption: NIO closes the descriptor with the channel it made of it; if it
    /// failed before making one, the descriptor is still this socket and still ours to close. The
    /// socket's inode tells the two apart even if the number has been reused since.
    public func closeIfStillOpen() {
        var info = stat()
        if fstat(descriptor, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode {
            close(descriptor)
        }
    }
}
