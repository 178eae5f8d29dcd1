// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

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
        parts.removeAll { $0.hasPrefix("dbname=") || (user != nil && ($0.hasPrefix("user=") || $0.hasPrefix("password="))) }
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
