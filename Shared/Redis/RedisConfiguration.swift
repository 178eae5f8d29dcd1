// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Where and how a `RedisClient` connects.
public struct RedisConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// ACL user for `AUTH user password`; nil authenticates as `default` (`AUTH password`) or not at all.
    public var username: String?
    public var password: String?
    /// Limit for opening the TCP connection (per address that the host name resolves to).
    public var connectTimeout: Duration = .seconds(3)
    /// Limit for writing a command and reading its reply; a command that exceeds it fails with `.timeout`.
    public var commandTimeout: Duration = .seconds(5)
    /// Connections (and threads) for commands; subscriptions each use one more of their own.
    public var maxConnections: Int = 4

    public init(
        host: String, port: Int = 6379, username: String? = nil, password: String? = nil,
        connectTimeout: Duration = .seconds(3), commandTimeout: Duration = .seconds(5), maxConnections: Int = 4
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maxConnections = maxConnections
    }

    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

// The password must not reach logs through string interpolation or `dump`.
extension RedisConfiguration: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "RedisConfiguration(\(endpoint), user: \(username ?? "default"), password: \(password == nil ? "none" : "***"), "
            + "connectTimeout: \(connectTimeout), commandTimeout: \(commandTimeout), maxConnections: \(maxConnections))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "username": username as Any,
                "password": (password == nil ? "none" : "***") as Any, "connectTimeout": connectTimeout,
                "commandTimeout": commandTimeout, "maxConnections": maxConnections,
            ], displayStyle: .struct)
    }
}
