// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Logging
import Synchronization

/// The command connections of one `RedisClient`: created lazily, reused, discarded when broken.
///
/// All methods block and run on the client's thread pool. The pool never holds more connections than
/// the thread pool has threads, because a connection is only in use inside a job on one of them.
final class ConnectionPool: Sendable {
    enum Phase: Sendable, Equatable {
        case notConnected
        case connected
        case unavailable(String)
        case shutdown
    }

    private struct State: Sendable {
        var idle: [HiredisConnection] = []
        var phase: Phase = .notConnected
        /// Between failed connect attempts: the next attempt is not made before `retryAt`.
        var backoff = Backoff(base: .milliseconds(250), cap: .seconds(10))
        var retryAt: ContinuousClock.Instant?
        var lastConnectFailure: RedisError?
        var failedConnects = 0
    }

    let configuration: RedisConfiguration
    private let logger: Logger
    private let state = Mutex(State())

    init(configuration: RedisConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    var phase: Phase { state.withLock { $0.phase } }

    /// Runs one command on a pooled connection. No automatic retry: a command whose connection broke
    /// may or may not have run on the server, and retrying e.g. INCR could apply it twice.
    func execute(_ args: [[UInt8]]) throws(RedisError) -> RedisValue {
        try withConnection(command: HiredisConnection.commandName(args)) { connection throws(RedisError) in
            try connection.roundTrip(args)
        }
    }

    /// Runs commands back to back on one pooled connection; see `execute` on retries.
    func executePipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisValue] {
        try withConnection(command: commands.first.flatMap(HiredisConnection.commandName)) {
            connection throws(RedisError) in
            try connection.pipeline(commands)
        }
    }

    private func withConnection<T>(
        command: String?, _ body: (HiredisConnection) throws(RedisError) -> T
    ) throws(RedisError) -> T {
        let connection = try checkout(command: command)
        do {
            let value = try body(connection)
            checkin(connection)
            return value
        } catch {
            if connection.isBroken {
                discard(after: error)
            } else {
                checkin(connection)
            }
            throw error
        }
    }

    /// Stops handing out connections and returns the idle ones, to be released by the caller.
    func beginShutdown() -> [HiredisConnection] {
        state.withLock { state in
            state.phase = .shutdown
            defer { state.idle = [] }
            return state.idle
        }
    }

    func shutdownError(command: String?) -> RedisError {
        RedisError(
            code: .shutdown, message: "shutdown() was called", endpoint: configuration.endpoint,
            user: configuration.username, command: command)
    }

    // MARK: - Private

    private enum Checkout {
        case reuse(HiredisConnection)
        case connect
        case failFast(RedisError)
    }

    private func checkout(command: String?) throws(RedisError) -> HiredisConnection {
        while true {
            let decision: Checkout = state.withLock { state in
                if state.phase == .shutdown { return .failFast(shutdownError(command: command)) }
                if let connection = state.idle.popLast() { return .reuse(connection) }
                if let retryAt = state.retryAt, let last = state.lastConnectFailure {
                    let now = ContinuousClock.now
                    if now < retryAt {
                        // During an outage, commands fail at once instead of each waiting for a connect
                        // timeout, and the server is not hit by one connect per command.
                        let wait = retryAt - now
                        return .failFast(
                            RedisError(
                                code: last.code,
                                message: "\(last.message) (no new connection attempt for another "
                                    + "\(wait.formattedSeconds) after \(state.failedConnects) failed attempt(s))",
                                endpoint: last.endpoint, user: last.user, command: command))
                    }
                }
                return .connect
            }
            switch decision {
            case .failFast(let error):
                throw error
            case .reuse(let connection):
                if connection.isUsable { return connection }
                logger.debug("discarding a Redis connection that the server closed while it was idle")
                continue  // `connection` is released here, which closes it.
            case .connect:
                return try connect(command: command)
            }
        }
    }

    private func connect(command: String?) throws(RedisError) -> HiredisConnection {
        do {
            let connection = try HiredisConnection.connect(configuration)
            let (previous, failures) = state.withLock { state in
                defer {
                    state.backoff.reset()
                    state.retryAt = nil
                    state.lastConnectFailure = nil
                    state.failedConnects = 0
                    if state.phase != .shutdown { state.phase = .connected }
                }
                return (state.phase, state.failedConnects)
            }
            switch previous {
            case .notConnected:
                logger.info("connected to Redis")
            case .unavailable:
                logger.info("reconnected to Redis", metadata: ["redis.failed_attempts": "\(failures)"])
            case .connected, .shutdown:
                logger.debug("opened another Redis connection")
            }
            return connection
        } catch {
            let delay = state.withLock { state in
                let delay = state.backoff.next()
                state.retryAt = ContinuousClock.now + delay
                state.lastConnectFailure = error
                state.failedConnects += 1
                if state.phase != .shutdown { state.phase = .unavailable(error.description) }
                return delay
            }
            logger.warning(
                "cannot connect to Redis",
                metadata: ["error": "\(error)", "redis.retry_in_seconds": "\(delay.formattedSeconds)"])
            throw RedisError(
                code: error.code, message: error.message, endpoint: error.endpoint, user: error.user,
                command: command)
        }
    }

    private func checkin(_ connection: HiredisConnection) {
        state.withLock { state in
            // After shutdown the connection is dropped (closed) instead of being pooled.
            guard state.phase != .shutdown else { return }
            state.idle.append(connection)
            // A reply arrived, so the server is reachable again even if another connection broke earlier.
            state.phase = .connected
        }
    }

    private func discard(after error: RedisError) {
        logger.notice("discarding a broken Redis connection", metadata: ["error": "\(error)"])
        guard error.code != .timeout else { return }
        state.withLock { state in
            if state.phase == .connected { state.phase = .unavailable(error.description) }
        }
    }
}

extension Duration {
    /// "1.25 s", for messages and log lines.
    var formattedSeconds: String {
        let millis = roundedUpMilliseconds
        return "\(millis / 1000).\(String(String(millis % 1000 + 1000).dropFirst())) s"
    }
}
