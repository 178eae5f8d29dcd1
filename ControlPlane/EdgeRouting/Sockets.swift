// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CSocketShim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Small POSIX helpers for the router's threads. Every descriptor is created close-on-exec: the
/// control plane forks worker processes while the router runs, and a worker must not inherit a
/// station's socket or the router's listener.
enum Posix {
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Now as RFC 3339 UTC with milliseconds (`2026-01-31T12:00:00.123Z`), for hand-over metadata.
    static func rfc3339Now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = time_t(ts.tv_sec)
        var t = tm()
        gmtime_r(&seconds, &t)
        return "\(pad(Int(t.tm_year) + 1900, 4))-\(pad(Int(t.tm_mon) + 1, 2))-\(pad(Int(t.tm_mday), 2))T"
            + "\(pad(Int(t.tm_hour), 2)):\(pad(Int(t.tm_min), 2)):\(pad(Int(t.tm_sec), 2))."
            + "\(pad(Int(ts.tv_nsec) / 1_000_000, 3))Z"
    }

    /// Now as an HTTP date (RFC 9110 §5.6.7 IMF-fixdate).
    static func httpDateNow() -> String {
        var seconds = time(nil)
        var t = tm()
        gmtime_r(&seconds, &t)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[Int(t.tm_wday) % 7]), \(pad(Int(t.tm_mday), 2)) \(months[Int(t.tm_mon) % 12]) "
            + "\(pad(Int(t.tm_year) + 1900, 4)) \(pad(Int(t.tm_hour), 2)):\(pad(Int(t.tm_min), 2)):"
            + "\(pad(Int(t.tm_sec), 2)) GMT"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A connected pair of non-blocking Unix stream sockets used to wake a thread out of `poll`.
    static func wakePair() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    static func signal(_ fd: Int32) {
        var one: UInt8 = 1
        // EAGAIN means the buffer already holds wake-ups: the reader is woken either way.
        _ = send(fd, &one, 1, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
    }

    static func drainWakeups(_ fd: Int32) {
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) > 0 {}
    }

    static func setReceiveLowWatermark(_ fd: Int32, _ bytes: Int) {
        var value = Int32(bytes)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    static func setNonBlocking(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
    }

    /// `poll` on one descriptor, retrying on EINTR; returns its revents (0 on timeout).
    static func pollOne(_ fd: Int32, events: Int16, timeoutMilliseconds: Int32) -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let r = poll(&entry, 1, timeoutMilliseconds)
            if r < 0, errno == EINTR { continue }
            return r > 0 ? entry.revents : 0
        }
    }

    /// Milliseconds from now until `deadline` (monotonic ns), rounded up so a poll does not wake early.
    static func millisecondsUntil(_ deadline: UInt64, now: UInt64) -> Int32 {
        guard deadline > now else { return 0 }
        return Int32(clamping: (deadline - now + 999_999) / 1_000_000)
    }

    /// `ip:port` of a peer; IPv6 as `[ip]:port`, IPv4-mapped IPv6 as plain IPv4.
    static func describe(address storage: sockaddr_storage) -> String {
        let family = Int32(storage.ss_family)
        var storage = storage
        return withUnsafePointer(to: &storage) { raw -> String in
            switch family {
            case AF_INET:
                return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var address = sin.pointee.sin_addr
                    return "\(ntop(AF_INET, &address)):\(UInt16(bigEndian: sin.pointee.sin_port))"
                }
            case AF_INET6:
                return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var address = sin6.pointee.sin6_addr
                    let port = UInt16(bigEndian: sin6.pointee.sin6_port)
                    let bytes = withUnsafeBytes(of: &address) { Array($0) }
                    if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                        return "\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15]):\(port)"
                    }
                    return "[\(ntop(AF_INET6, &address))]:\(port)"
                }
            default:
                return "unknown"
            }
        }
    }

    static func ntop(_ family: Int32, _ address: UnsafeRawPointer) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(family, address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
