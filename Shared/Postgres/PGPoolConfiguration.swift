// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Settings of one ``PGPool``.
public struct PGPoolConfiguration: Sendable {
    /// libpq connection string, `key=value` (`host=db port=5432 user=t_acme dbname=csms`) or URI
    /// (`postgresql://t_acme@db/csms`). Passwords belong in a `password=` read from a secret file or
    /// in `PGPASSFILE`, never on a command line.
    public var conninfo: String
    /// Upper bound of open connections (connecting + idle + in use). Also the size of the pool's
    /// thread pool for blocking libpq calls.
    public var maxConnections: Int = 10
    /// How long `query`, `withConnection` and friends wait for a free connection before failing with
    /// ``PGError/Code/acquireTimeout``.
    public var acquireTimeout: Duration = .seconds(10)
    /// Idle connections older than this are closed; the pool shrinks to zero when unused.
    public var idleTimeout: Duration = .seconds(60)
    /// A connection idle longer than this is checked with a round trip before it is handed out.
    /// Connections idle for a shorter time get a non-blocking check (has the server closed the
    /// socket?) instead.
    public var healthCheckAfterIdle: Duration = .seconds(10)
    /// Time allowed to establish a connection (TCP, TLS and authentication).
    public var connectTimeout: Duration = .seconds(5)
    /// `application_name` reported to the server (visible in `pg_stat_activity`), unless the
    /// conninfo sets one.
    public var applicationName: String = "open-csms"
    /// Prepared statements kept per connection (least recently used ones are deallocated).
    public var statementCacheCapacity: Int = 256

    public init(
        conninfo: String, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60), healthCheckAfterIdle: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(5), applicationName: String = "open-csms",
        statementCacheCapacity: Int = 256
    ) {
        self.conninfo = conninfo
        self.maxConnections = maxConnections
        self.acquireTimeout = acquireTimeout
        self.idleTimeout = idleTimeout
        self.healthCheckAfterIdle = healthCheckAfterIdle
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
        self.statementCacheCapacity = statementCacheCapacity
    }

    /// Every problem with the settings, so they can be reported at once.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if maxConnections < 1 { errors.append("maxConnections must be at least 1 (is \(maxConnections))") }
        if maxConnections > 10_000 { errors.append("maxConnections must be at most 10000 (is \(maxConnections))") }
        if acquireTimeout < .zero { errors.append("acquireTimeout must not be negative") }
        if idleTimeout < .zero { errors.append("idleTimeout must not be negative") }
        if healthCheckAfterIdle < .zero { errors.append("healthCheckAfterIdle must not be negative") }
        if connectTimeout <= .zero { errors.append("connectTimeout must be positive") }
        if statementCacheCapacity < 1 {
            errors.append("statementCacheCapacity must be at least 1 (is \(statementCacheCapacity))")
        }
        if applicationName.utf8.contains(0) { errors.append("applicationName must not contain NUL") }
        if conninfo.utf8.contains(0) { errors.append("conninfo must not contain NUL") }
        return errors
    }
}

/// A snapshot of a pool's connections, for `/healthz` and metrics.
public struct PGPoolStatistics: Sendable, Hashable, CustomStringConvertible {
    /// Connections open or being opened (`idle + inUse + connecting`).
    public var open: Int
    public var idle: Int
    public var inUse: Int
    public var connecting: Int
    /// Tasks waiting for a connection.
    public var waiters: Int
    public var maxConnections: Int
    /// Connections opened since the pool started.
    public var totalOpened: Int
    /// Connections closed since the pool started (idle timeout, broken, shutdown).
    public var totalClosed: Int
    /// Acquires that failed with ``PGError/Code/acquireTimeout``.
    public var totalAcquireTimeouts: Int

    public var description: String {
        "open=\(open)/\(maxConnections) idle=\(idle) in_use=\(inUse) connecting=\(connecting) waiters=\(waiters)"
            + " opened=\(totalOpened) closed=\(totalClosed) acquire_timeouts=\(totalAcquireTimeouts)"
    }
}

/// Transaction isolation of ``PGPool/transaction(isolation:callerIsolation:_:)``.
public enum PGIsolationLevel: Sendable, Hashable {
    /// Plain `BEGIN`: the server's (or the role's) `default_transaction_isolation`.
    case serverDefault
    case readCommitted
    case repeatableRead
    case serializable

    var beginStatement: String {
        switch self {
        case .serverDefault: return "BEGIN"
        case .readCommitted: return "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
