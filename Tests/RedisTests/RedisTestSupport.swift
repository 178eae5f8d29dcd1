// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Logging
import Redis
import TestSupport
import Testing

/// Clients for the private Redis that scripts/test.sh starts. Every test uses its own key, channel and
/// user names (random suffix), so suites can run in parallel against one server.
enum RedisTestSupport {
    static var logger: Logger {
        var logger = Logger(label: "redis-tests")
        logger.logLevel = .notice
        return logger
    }

    static func adminConfiguration() throws -> RedisConfiguration {
        RedisConfiguration(
            host: "127.0.0.1", port: try TestEnvironment.redisPort(), username: try TestEnvironment.redisAdminUser(),
            password: try TestEnvironment.redisAdminPassword())
    }

    static func configuration(user: String, password: String) throws -> RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: try TestEnvironment.redisPort(), username: user, password: password)
    }

    static func unique(_ prefix: String) -> String { "\(prefix)\(TestEnvironment.uniqueSuffix())" }

    /// Runs `body` with a client and shuts the client down afterwards, also when `body` throws.
    static func withClient<T>(
        _ configuration: RedisConfiguration, _ body: (RedisClient) async throws -> T
    ) async throws -> T {
        let client = RedisClient(configuration: configuration, logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func withAdmin<T>(_ body: (RedisClient) async throws -> T) async throws -> T {
        try await withClient(try adminConfiguration(), body)
    }

    /// Creates an ACL user with every right on keys and channels (for reconnect tests, whose
    /// connections can then be killed with CLIENT KILL USER without touching other tests), runs
    /// `body`, and deletes the user.
    static func withScratchUser<T>(
        admin: RedisClient, _ body: (_ user: String, _ password: String) async throws -> T
    ) async throws -> T {
        let user = unique("scratch_")
        let password = unique("pw")
        _ = try await admin.command(["ACL", "SETUSER", user, "reset", "on", ">" + password, "~*", "&*", "+@all"])
        do {
            let result = try await body(user, password)
            try await admin.aclDelUser(user)
            return result
        } catch {
            _ = try? await admin.aclDelUser(user)
            throw error
        }
    }

    /// Expects `body` to throw a `RedisError` and returns it.
    static func redisError(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async -> RedisError? {
        do {
            try await body()
            Issue.record("expected a RedisError, but the call succeeded", sourceLocation: sourceLocation)
            return nil
        } catch let error as RedisError {
            return error
        } catch {
            Issue.record("expected a RedisError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Publishes until at least one subscriber received the message (a subscription that is
    /// re-subscribing gets nothing until it is back), and returns how many tries it took.
    static func publishUntilReceived(
        _ client: RedisClient, channel: String, message: String, within limit: Duration = .seconds(15)
    ) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var tries = 0
        while clock.now < deadline {
            tries += 1
            if try await client.publish(channel: channel, message: message) > 0 { return tries }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no subscriber on \(channel) within \(limit)")
        return tries
    }
}

/// Reads the next message with a deadline, so a lost message fails the test instead of hanging it.
/// (Running out of time cancels the read, which ends the subscription.)
func nextMessage(
    _ iterator: RedisSubscription.AsyncIterator, within limit: Duration = .seconds(10)
) async throws -> RedisMessage? {
    try await withThrowingTaskGroup(of: RedisMessage?.self) { group in
        group.addTask {
            var iterator = iterator
            return try await iterator.next()
        }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimeoutReached(limit: limit)
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}

struct TimeoutReached: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "no message within \(limit)" }
}
