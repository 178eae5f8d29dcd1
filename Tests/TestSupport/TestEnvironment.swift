// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

/// Where the tests find the private PostgreSQL and Redis that `scripts/test.sh` starts.
///
/// A test that needs a service and cannot find it fails with a message saying how to run it;
/// it never passes or skips silently.
public enum TestEnvironment {
    public struct MissingService: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: run the tests through ./scripts/test.sh, which starts PostgreSQL and Redis"
        }
    }

    static func value(_ name: String) throws -> String {
        guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else {
            throw MissingService(variable: name)
        }
        return v
    }

    /// libpq connection string of the PostgreSQL superuser (database `postgres`).
    public static func postgresSuperuserURL() throws -> String { try value("CSMS_TEST_PG_URL") }

    /// The superuser connection string with another database name.
    public static func postgresURL(database: String, user: String? = nil, password: String? = nil) throws -> String {
        var parts = try postgresSuperuserURL().split(separator: " ").map(String.init)
        parts.removeAll {
            $0.hasPrefix("dbname=") || (user != nil && ($0.hasPrefix("user=") || $0.hasPrefix("password=")))
        }
        parts.append("dbname=\(database)")
        if let user { parts.append("user=\(user)") }
        if let password { parts.append("password=\(password)") }
        return parts.joined(separator: " ")
    }

    public static func postgresPort() throws -> Int {
        let url = try postgresSuperuserURL()
        for part in url.split(separator: " ") where part.hasPrefix("port=") {
            if let p = Int(part.dropFirst(5)) { return p }
        }
        return 5432
    }

    public static func redisPort() throws -> Int {
        let raw = try value("CSMS_TEST_REDIS_PORT")
        guard let p = Int(raw) else { throw MissingService(variable: "CSMS_TEST_REDIS_PORT (not a number: \(raw))") }
        return p
    }
    public static func redisAdminUser() throws -> String { try value("CSMS_TEST_REDIS_ADMIN_USER") }
    public static func redisAdminPassword() throws -> String { try value("CSMS_TEST_REDIS_ADMIN_PASSWORD") }

    /// The repository's top folder (for migrations/ and example configs).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// A short random lowercase suffix for unique database, role and tenant names.
    public static func uniqueSuffix() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10))
    }
}

extension TestEnvironment {
    /// The folder with the built `controlplane` and `tenant-worker` executables.
    public static func binDirectory() throws -> String { try value("CSMS_TEST_BIN_DIR") }

    /// Redis admin password.
    public static func redisAdminPasswordFile(in directory: String) throws -> String {
        let path = directory + "/redis-admin.pw"
        try write(secret: try redisAdminPassword(), to: path)
        return path
    }

    /// Writes a secret file with mode 0600.
    public static func write(secret: String, to path: String) throws {
        _ = FileManager.default.createFile(
            atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// A new empty temporary folder.
    public static func temporaryDirectory(_ prefix: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["CSMS_TEST_WORK_DIR"] ?? NSTemporaryDirectory()
        let dir = (base as NSString).appendingPathComponent("\(prefix)-\(uniqueSuffix())")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MissingService(variable: "socket()") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ptr -> Int32 in
                guard bind(fd, ptr, len) == 0 else { return -1 }
                return getsockname(fd, ptr, &len)
            }
        }
        guard bound == 0 else { throw MissingService(variable: "bind()") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
