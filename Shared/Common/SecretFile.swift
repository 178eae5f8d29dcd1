// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Secrets (database and Redis passwords) live in files of mode 0600 so they never appear in a
/// process list, an environment dump or a log line.
public enum SecretFile {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "secret file \(path): \(reason)" }
    }

    /// Reads a secret, trimming one trailing newline. Refuses files readable by group or others.
    public static func read(_ path: String) throws(Failure) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        if st.st_mode & 0o077 != 0 {
            throw Failure(path: path, reason: "mode is \(String(st.st_mode & 0o777, radix: 8)); run chmod 600 \(path)")
        }
        guard let f = fopen(path, "r") else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 64 * 1024 { throw Failure(path: path, reason: "larger than 64 KiB") }
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        let value = String(decoding: bytes, as: UTF8.self)
        if value.isEmpty { throw Failure(path: path, reason: "empty") }
        return value
    }

    /// Writes a secret atomically (temporary file with mode 0600, fsync, rename).
    public static func write(_ value: String, to path: String) throws(Failure) {
        let tmp = path + ".tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array((value + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == bytes.count else {
            unlink(tmp)
            throw Failure(path: path, reason: "short write")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(path: path, reason: reason)
        }
    }

    /// Returns the secret in `path`, creating it with `length` random URL-safe characters if absent.
    public static func readOrCreate(_ path: String, length: Int = 32) throws(Failure) -> String {
        if access(path, F_OK) == 0 { return try read(path) }
        try write(random(length: length), to: path)
        return try read(path)
    }

    /// Random characters from [A-Za-z0-9], drawn from the system CSPRNG.
    public static func random(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(g.next(upperBound: UInt64(alphabet.count)))] })
    }
}
