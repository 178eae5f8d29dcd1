// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Logging
import NIOPosix

/// A Redis client for async code over blocking hiredis connections.
///
/// Each command runs on a thread of the client's own `NIOThreadPool` (`maxConnections` threads), so
/// neither a NIO event loop nor the Swift concurrency pool ever waits on Redis. Connections are opened
/// lazily, at most one per thread, authenticated with `AUTH user password`, and reused.
///
/// Failure handling:
/// - A connection that breaks (I/O error, EOF, server restart) is discarded. A connection that the
///   server closed while it sat idle (`CLIENT KILL`, restart) is noticed *before* it is used, so the
///   next command after such a kill succeeds on a new connection without any failed call. Only a
///   connection that breaks while a command is in flight fails that one command (`.connectionFailed`),
///   and the command after it reconnects. Commands are never retried automatically (INCR must not
///   run twice).
/// - After a failed connect attempt, further attempts wait for a jittered exponential `Backoff`
///   (0.25 s doubling up to 10 s); commands in that window fail at once with the last connect error
///   instead of hanging, so a down server is neither hammered nor blocks callers.
/// - A command that gets no reply within `commandTimeout` fails with `.timeout` and its connection is
///   closed.
///
/// Call `shutdown()` before dropping the client; it closes connections, ends subscriptions and stops
/// the threads.
public final class RedisClient: Sendable {
    /// The client's view of the server, for health reporting.
    public enum ConnectionState: Sendable, Equatable {
        /// No command has needed a connection yet.
        case notConnected
        /// The last connect attempt and the last command I/O succeeded.
        case connected
        /// The last connect attempt failed, or a connection broke; the text says why.
        case unavailable(reason: String)
        case shutdown
    }

    public let configuration: RedisConfiguration
    let logger: Logger
    private let pool: ConnectionPool
    private let threads: NIOThreadPool
    let subscriptions: SubscriptionRegistry

    public init(configuration: RedisConfiguration, logger: Logger) {
        var logger = logger
        logger[metadataKey: "redis.endpoint"] = "\(configuration.endpoint)"
        logger[metadataKey: "redis.user"] = "\(configuration.username ?? "default")"
        self.configuration = configuration
        self.logger = logger
        self.pool = ConnectionPool(configuration: configuration, logger: logger)
        self.threads = NIOThreadPool(numberOfThreads: max(1, configuration.maxConnections))
        self.subscriptions = SubscriptionRegistry()
        threads.start()
    }

    deinit {
        // Safety net for a client dropped without shutdown(): free the resources without waiting.
        guard pool.phase != .shutdown else { return }
        _ = pool.beginShutdown()
        for core in subscriptions.closeAndTakeAll() { core.stop() }
        threads.shutdownGracefully { _ in }
    }

    public var connectionState: ConnectionState {
        switch pool.phase {
        case .notConnected: .notConnected
        case .connected: .connected
        case .unavailable(let reason): .unavailable(reason: reason)
        case .shutdown: .shutdown
        }
    }

    /// True when the last connection attempt and command I/O succeeded.
    public var isConnected: Bool { pool.phase == .connected }

    /// Runs one command given as binary-safe arguments (`["SET", key, value]`), sent with
    /// `redisCommandArgv`. An error reply throws `RedisError` with code `.server`.
    ///
    /// Commands that change the state of their connection (MULTI/EXEC/WATCH, SUBSCRIBE and friends,
    /// SELECT, AUTH, HELLO, RESET, QUIT, MONITOR, CLIENT REPLY) are refused with `.invalidArgument`: the
    /// connection goes back to a shared pool. Use `transaction`, `subscribe` and `psubscribe` instead.
    public func command(_ args: [[UInt8]]) async throws -> RedisValue {
        let name = HiredisConnection.commandName(args)
        try validate(args, name: name)
        return try await run(command: name) { [pool] () throws(RedisError) in try pool.execute(args) }
    }

    /// Runs one command given as UTF-8 strings.
    public func command(_ args: [String]) async throws -> RedisValue {
        try await command(args.map { Array($0.utf8) })
    }

    /// Sends the commands back to back on one connection and reads all replies (one round trip).
    /// Error replies come back in place as `.error`; only a failure of the connection throws.
    public func pipeline(_ commands: [[[UInt8]]]) async throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        for args in commands { try validate(args, name: HiredisConnection.commandName(args)) }
        return try await runPipeline(commands)
    }

    private func runPipeline(_ commands: [[[UInt8]]]) async throws -> [RedisValue] {
        try await run(command: commands.first.flatMap(HiredisConnection.commandName)) {
            [pool] () throws(RedisError) in
            try pool.executePipeline(commands)
        }
    }

    /// `pipeline` with UTF-8 string arguments.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisValue] {
        try await pipeline(commands.map { $0.map { Array($0.utf8) } })
    }

    /// Runs the commands atomically as `MULTI … EXEC` on one connection and returns EXEC's replies
    /// (a command that failed while executing yields `.error` in place). If Redis refuses to queue a
    /// command (unknown command, wrong arity, NOPERM), nothing runs and that error is thrown (`.server`).
    public func transaction(_ commands: [[[UInt8]]]) async throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        for args in commands { try validate(args, name: HiredisConnection.commandName(args)) }
        // MULTI and EXEC travel in the same pipeline, so the connection is back to normal afterwards.
        let replies = try await runPipeline([[Array("MULTI".utf8)]] + commands + [[Array("EXEC".utf8)]])
        let queued = replies.dropFirst().dropLast()
        for (reply, args) in zip(queued, commands) {
            if case .error(let message) = reply {
                throw RedisError(
                    code: .server, message: message, endpoint: configuration.endpoint, user: configuration.username,
                    command: HiredisConnection.commandName(args))
            }
        }
        switch replies.last {
        case .array(let results)?:
            return results
        case .error(let message)?:
            throw RedisError(
                code: .server, message: message, endpoint: configuration.endpoint, user: configuration.username,
                command: "EXEC")
        default:
            throw unexpected(replies.last ?? .null, command: "EXEC", expected: "an array")
        }
    }

    /// `transaction` with UTF-8 string arguments.
    public func transaction(_ commands: [[String]]) async throws -> [RedisValue] {
        try await transaction(commands.map { $0.map { Array($0.utf8) } })
    }

    /// Commands that would leave a pooled connection in a state the next user does not expect.
    private static let connectionStateCommands: Set<String> = [
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
        "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "SELECT", "AUTH", "HELLO", "RESET", "QUIT", "SYNC", "PSYNC",
        "CLIENT REPLY",
    ]

    private func validate(_ args: [[UInt8]], name: String?) throws {
        guard let name else {
            throw RedisError(
                code: .invalidArgument, message: "a command needs at least its name",
                endpoint: configuration.endpoint, user: configuration.username)
        }
        if Self.connectionStateCommands.contains(name) {
            throw RedisError(
                code: .invalidArgument,
                message: "\(name) changes the state of its connection, which would leak to the next user of the "
                    + "pooled connection; use transaction(_:), subscribe(channels:) or psubscribe(patterns:)",
                endpoint: configuration.endpoint, user: configuration.username, command: name)
        }
    }

    /// Runs blocking work on the client's threads and maps thread-pool errors to `RedisError`.
    private func run<T: Sendable>(
        command name: String?, _ body: @escaping @Sendable () throws(RedisError) -> T
    )
        async throws -> T
    {
        if pool.phase == .shutdown { throw pool.shutdownError(command: name) }
        logger.debug("Redis command", metadata: ["redis.command": "\(name ?? "")"])
        do {
            return try await threads.runIfActive { try body() }
        } catch let error as RedisError {
            logger.debug("Redis command failed", metadata: ["redis.command": "\(name ?? "")", "error": "\(error)"])
            throw error
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw pool.shutdownError(command: name)
        } catch is CancellationError {
            // A queued command is dropped when its task is cancelled or the pool shuts down.
            if pool.phase == .shutdown { throw pool.shutdownError(command: name) }
            throw CancellationError()
        }
    }

    /// Closes the connections, ends all subscriptions (their sequences finish after the messages
    /// already received) and stops the threads. Commands afterwards throw `.shutdown`. Idempotent.
    public func shutdown() async {
        let idle = pool.beginShutdown()
        if !idle.isEmpty { logger.debug("closing idle Redis connections", metadata: ["count": "\(idle.count)"]) }
        let cores = subscriptions.closeAndTakeAll()
        for core in cores { core.stop() }
        for core in cores { await core.waitUntilEnded() }
        do {
            try await threads.shutdownGracefully()
        } catch {
            logger.warning("stopping the Redis client's threads failed", metadata: ["error": "\(error)"])
        }
        logger.info("Redis client shut down")
    }
}
