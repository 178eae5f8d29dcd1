// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads configuration files whole.
enum ConfigFile {
    /// Configuration files are small; anything larger is a mistake (a log file named by accident).
    static let maxSize = 1 << 20

    static func contents(of path: String) -> Result<[UInt8], ConfigErrors> {
        func failure(_ message: String) -> Result<[UInt8], ConfigErrors> {
            .failure(ConfigErrors([ConfigError(file: path, line: 0, column: 0, keyPath: "", message: message)]))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return failure("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return failure("cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > maxSize {
                return failure("is larger than \(maxSize / 1024) KiB; is it a configuration file?")
            }
        }
        return .success(bytes)
    }
}
