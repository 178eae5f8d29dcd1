// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Why a Redis operation failed, with the endpoint and user it concerned (never the password).
///
/// Match on `code`, which is stable; `description` is for people and may change.
public struct RedisError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed
            case authenticationFailed
            case server
            case timeout
            case protocolError
            case shutdown
            case invalidArgument
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The TCP connection could not be opened, or broke (I/O error, EOF after a server restart or
        /// `CLIENT KILL`). The connection was discarded; the next command reconnects.
        public static let connectionFailed = Code(.connectionFailed)
        /// `AUTH` was rejected (`WRONGPASS`), or the server wants credentials that were not given (`NOAUTH`).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The server answered the command with an error reply (`ERR`, `WRONGTYPE`, `NOPERM`, …); `message`
        /// holds it verbatim. The connection stays usable.
        public static let server = Code(.server)
        /// No reply within `commandTimeout`. The connection was discarded since its reply stream is unknown.
        public static let timeout = Code(.timeout)
        /// The server sent bytes that are not RESP.
        public static let protocolError = Code(.protocolError)
        /// The client was shut down before the command could run.
        public static let shutdown = Code(.shutdown)
        /// The caller passed an argument this library refuses before sending anything.
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// For `.server` the server's error line verbatim (`NOPERM this user has no permissions …`);
    /// otherwise what went wrong, from hiredis or this library.
    public let message: String
    /// `host:port` of the server.
    public let endpoint: String
    /// The ACL user the client authenticates as; nil for the `default` user.
    public let user: String?
    /// The command name (its first argument), never its other arguments, which may hold secrets.
    public let command: String?

    public init(code: Code, message: String, endpoint: String, user: String?, command: String? = nil) {
        self.code = code
        self.message = message
        self.endpoint = endpoint
        self.user = user
        self.command = command
    }

    /// The first word of a server error (`NOPERM`, `WRONGTYPE`, `ERR`), nil for other codes.
    public var serverErrorKind: String? {
        guard code == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    public var description: String {
        // Server messages may end with a period of their own (WRONGPASS …).
        let message = self.message.hasSuffix(".") ? String(self.message.dropLast()) : self.message
        let who = "Redis at \(endpoint) (user \(user ?? "default"))"
        let cmd = command.map { " \($0)" } ?? ""
        switch code {
        case .connectionFailed:
            return "\(who): connection failed\(command.map { " running \($0)" } ?? ""): \(message). "
                + "Check that Redis is running and reachable at \(endpoint) (the Redis host and port in the "
                + "configuration); the client reconnects on the next command, with backoff."
        case .authenticationFailed:
            return "\(who) rejected the credentials: \(message). Check the Redis username and password in the "
                + "configuration, and that the ACL user exists and is enabled (ACL GETUSER \(user ?? "default"))."
        case .server:
            var text = "\(who) rejected\(cmd): \(message)"
            if serverErrorKind == "NOPERM" {
                text += ". The ACL of user \(user ?? "default") does not allow this; a tenant user may only touch "
                text += "keys and channels under its own prefix (t:<tenant>:*)."
            }
            return text
        case .timeout:
            return "\(who) did not answer\(cmd) in time: \(message). The connection was closed and the next command "
                + "opens a new one; check the server's load (SLOWLOG GET) or raise commandTimeout."
        case .protocolError:
            return "\(who) sent a reply that is not valid RESP: \(message). The connection was closed; check that "
                + "\(endpoint) is a plain Redis server (not TLS or another service)."
        case .shutdown:
            return "\(who): the client was shut down, so\(cmd.isEmpty ? " the command" : cmd) was not sent. "
                + "Expected during graceful shutdown; otherwise a component used the client after shutdown()."
        case .invalidArgument:
            return "\(who): invalid argument\(command.map { " for \($0)" } ?? ""): \(message)."
        default:
            return "\(who): \(code): \(message)"
        }
    }
}
