// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Every failure of the `Postgres` module.
///
/// Switch on ``code`` (stable) and, for server errors, on ``sqlState`` (the five-character
/// SQLSTATE, e.g. `23505`). ``message`` is the server's or libpq's primary message. ``query`` is the
/// SQL text of the statement that failed; parameter values are never stored in an error, so an error
/// can be logged without leaking data.
public struct PGError: Error, CustomStringConvertible, Sendable {
    /// Stable error category (postgres-nio style: a private enum behind public constants, so new
    /// categories can be added without breaking exhaustive switches).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionFailed
            case connectionClosed
            case server
            case acquireTimeout
            case decoding
            case poolShutdown
            case cancelled
            case invalidConfiguration
            case invalidArgument
            case unexpectedResponse
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A new connection could not be opened (server down, wrong host/port, authentication failed).
        public static let connectionFailed = Code(.connectionFailed)
        /// An open connection broke (server restarted, backend terminated, network failure). The pool
        /// discards the connection; the next acquire opens a new one.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server rejected a statement; see ``PGError/sqlState``.
        public static let server = Code(.server)
        /// No connection became free within `acquireTimeout`: the pool is exhausted.
        public static let acquireTimeout = Code(.acquireTimeout)
        /// Same as ``acquireTimeout``: the pool had no free connection in time.
        public static let poolExhausted = Code(.acquireTimeout)
        /// A column value could not be converted to the requested Swift type.
        public static let decoding = Code(.decoding)
        /// The pool was shut down.
        public static let poolShutdown = Code(.poolShutdown)
        /// The calling task was cancelled (waiting for a connection, or the server cancelled the
        /// running statement on our request).
        public static let cancelled = Code(.cancelled)
        /// The conninfo string or another setting is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The caller passed something the module cannot send (a NUL byte in a text parameter, more
        /// than 65535 parameters, a `PGConnection` used after its closure returned).
        public static let invalidArgument = Code(.invalidArgument)
        /// The server answered in a way this module does not support (for example `COPY`); the
        /// connection is discarded.
        public static let unexpectedResponse = Code(.unexpectedResponse)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// SQLSTATE (`PG_DIAG_SQLSTATE`) when the server sent one.
    public var sqlState: String?
    /// Primary message from the server or libpq, or this module's own explanation.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// SQL text of the failing statement. Never contains parameter values.
    public var query: String?
    /// Constraint, table and column named by the server (`PG_DIAG_CONSTRAINT_NAME` ...), if any.
    public var constraintName: String?
    public var tableName: String?
    public var columnName: String?
    /// For pipeline and batch operations: the zero-based index of the statement that failed.
    public var pipelineIndex: Int?
    /// `host=... port=... user=... dbname=...` of the connection (never the password).
    public var endpoint: String?

    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        query: String? = nil, endpoint: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.query = query
        self.endpoint = endpoint
    }

    /// The condition name of ``sqlState`` (`unique_violation` for `23505`), if known.
    public var conditionName: String? { sqlState.flatMap { SQLState.conditionName(of: $0) } }

    public var description: String {
        var text: String
        switch code {
        case .server:
            text = "PostgreSQL error"
            if let sqlState {
                text += " \(sqlState)"
                if let name = conditionName { text += " (\(name))" }
            }
            text += ": \(message)"
        case .connectionFailed:
            text = "cannot connect to PostgreSQL"
            if let endpoint { text += " (\(endpoint))" }
            text += ": \(message)"
            let m = message.lowercased()
            if m.contains("password") || m.contains("authentication") || m.contains("pg_hba.conf")
                || (m.contains("role") && m.contains("does not exist"))
            {
                text += " (check the user name, the password and pg_hba.conf)"
            } else if m.contains("database") && m.contains("does not exist") {
                text += " (check dbname in the conninfo)"
            } else {
                text += " (is the server running and reachable? check host, port and password)"
            }
        case .connectionClosed:
            text = "PostgreSQL connection"
            if let endpoint { text += " (\(endpoint))" }
            text += " broke: \(message)"
            if let sqlState { text += " [SQLSTATE \(sqlState)]" }
            text += " (the connection was discarded; the next query opens a new one)"
        case .acquireTimeout:
            text = "PostgreSQL pool exhausted: \(message)"
        case .decoding:
            text = "PostgreSQL decoding error: \(message)"
        case .poolShutdown:
            text = "PostgreSQL pool is shut down: \(message)"
        case .cancelled:
            text = "PostgreSQL operation cancelled: \(message)"
        case .invalidConfiguration:
            text = "invalid PostgreSQL configuration: \(message)"
        case .invalidArgument:
            text = "invalid PostgreSQL request: \(message)"
        default:
            text = "PostgreSQL \(code): \(message)"
            if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        }
        if let detail, !detail.isEmpty { text += "; detail: \(detail)" }
        if let hint, !hint.isEmpty { text += "; hint: \(hint)" }
        if let pipelineIndex { text += "; failed statement: #\(pipelineIndex) of the pipeline" }
        if let query { text += "; query: \(Self.shorten(query))" }
        return text
    }

    private static func shorten(_ sql: String) -> String {
        let flat = sql.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        return flat.count <= 300 ? flat : String(flat.prefix(300)) + "..."
    }
}

extension PGError {
    static func cancelled(query: String? = nil) -> PGError {
        PGError(code: .cancelled, message: "the calling task was cancelled", query: query)
    }
}
