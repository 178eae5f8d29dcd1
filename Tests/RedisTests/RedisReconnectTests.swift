// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Redis
import TestSupport
import Testing

/// Kills the client's connections from the admin side (`CLIENT KILL USER`, limited to a user made for
/// the test) and checks what the client does next.
@Suite("Redis reconnects", .timeLimit(.minutes(1)))
struct RedisReconnectTests {
    /// A connection killed while idle is noticed before it is used: the next command succeeds with no
    /// failed call at all.
    @Test func nextCommandAfterAKillSucceeds() async throws {
        try await RedisTestSupport.withAdmin { admin in
            try await RedisTestSupport.withScratchUser(admin: admin) { user, password in
                var configuration = try RedisTestSupport.configuration(user: user, password: password)
                configuration.maxConnections = 2
                try await RedisTestSupport.withClient(configuration) { redis in
                    let key = RedisTestSupport.unique("test:re:")
                    try await redis.set(key, "before")
                    let idBefore = try await redis.command(["CLIENT", "ID"]).int

                    for round in 1...3 {
                        let killed = try await admin.command(["CLIENT", "KILL", "USER", user]).int ?? 0
                        #expect(killed >= 1, "round \(round)")
                        // No failed call: the very next command works.
                        #expect(try await redis.getString(key) == "before")
                        #expect(redis.isConnected)
                    }
                    let idAfter = try await redis.command(["CLIENT", "ID"]).int
                    #expect(idBefore != idAfter)
                    try await redis.del(key)
                }
            }
        }
    }

    /// A connection killed while a command is in flight fails that one command (it may or may not have
    /// run, so it is not retried); the command after it reconnects.
    @Test func killDuringACommandFailsOnlyThatCommand() async throws {
        try await RedisTestSupport.withAdmin { admin in
            try await RedisTestSupport.withScratchUser(admin: admin) { user, password in
                var configuration = try RedisTestSupport.configuration(user: user, password: password)
                configuration.maxConnections = 1
                try await RedisTestSupport.withClient(configuration) { redis in
                    try await redis.ping()
                    let key = RedisTestSupport.unique("test:inflight:")
                    let blocked = Task { try await redis.command(["BLPOP", key, "4"]) }
                    // Wait until the BLPOP is parked on the server, then kill its connection.
                    try await waitUntil {
                        let list = try await admin.command(["CLIENT", "LIST"]).string ?? ""
                        return list.split(separator: "\n").contains {
                            $0.contains("user=\(user)") && $0.contains("cmd=blpop")
                        }
                    }
                    _ = try await admin.command(["CLIENT", "KILL", "USER", user])
                    let error = await RedisTestSupport.redisError { _ = try await blocked.value }
                    #expect(error?.code == .connectionFailed)
                    try await redis.ping()
                    #expect(redis.isConnected)
                }
            }
        }
    }

    @Test func subscriptionResumesAfterItsConnectionIsKilled() async throws {
        try await RedisTestSupport.withAdmin { admin in
            try await RedisTestSupport.withScratchUser(admin: admin) { user, password in
                let configuration = try RedisTestSupport.configuration(user: user, password: password)
                try await RedisTestSupport.withClient(configuration) { redis in
                    let channel = RedisTestSupport.unique("test:resub:")
                    let subscription = redis.subscribe(channels: [channel])
                    try await subscription.waitUntilSubscribed()
                    let iterator = subscription.makeAsyncIterator()
                    #expect(try await admin.publish(channel: channel, message: "one") == 1)
                    #expect(try await nextMessage(iterator)?.string == "one")
                    #expect(subscription.isSubscribed)

                    for round in 1...2 {
                        let killed = try await admin.command(["CLIENT", "KILL", "USER", user]).int ?? 0
                        #expect(killed >= 1)
                        // Publications while it re-subscribes reach nobody (publish returns 0); the first
                        // one that reaches a subscriber is the next message.
                        _ = try await RedisTestSupport.publishUntilReceived(
                            admin, channel: channel, message: "after kill \(round)")
                        #expect(try await nextMessage(iterator)?.string == "after kill \(round)")
                        #expect(subscription.isSubscribed)
                    }
                    subscription.cancel()
                    #expect(!subscription.isSubscribed)
                }
            }
        }
    }

    /// A server outage (the proxy in front of Redis stops listening and cuts all connections) makes
    /// commands fail fast; once the server is back, the first command after the backoff reconnects, and
    /// the subscription resumes.
    @Test func outageFailsFastAndRecovers() async throws {
        let proxy = TCPProxy(targetPort: try TestEnvironment.redisPort())
        try proxy.start()
        defer { proxy.stop() }
        var configuration = try RedisTestSupport.adminConfiguration()
        configuration.port = proxy.port
        try await RedisTestSupport.withAdmin { admin in
            try await RedisTestSupport.withClient(configuration) { redis in
                let key = RedisTestSupport.unique("test:outage:")
                let channel = RedisTestSupport.unique("test:outage:")
                try await redis.set(key, "kept")
                let subscription = redis.subscribe(channels: [channel])
                try await subscription.waitUntilSubscribed()
                let iterator = subscription.makeAsyncIterator()

                proxy.stop()
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<10 {
                    let error = await RedisTestSupport.redisError { _ = try await redis.get(key) }
                    #expect(error?.code == .connectionFailed)
                }
                #expect(clock.now - start < .seconds(1))
                #expect(!redis.isConnected)
                try await Task.sleep(for: .milliseconds(300))
                #expect(!subscription.isSubscribed)

                try proxy.start()
                let deadline = clock.now + .seconds(20)
                var failedWhileBackingOff = 0
                var value: String?
                while value == nil, clock.now < deadline {
                    do {
                        value = try await redis.getString(key)
                    } catch let error as RedisError {
                        #expect(error.code == .connectionFailed)
                        failedWhileBackingOff += 1
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(value == "kept", "after \(failedWhileBackingOff) fast failures")
                #expect(redis.isConnected)

                _ = try await RedisTestSupport.publishUntilReceived(admin, channel: channel, message: "back")
                #expect(try await nextMessage(iterator)?.string == "back")
                subscription.cancel()
                try await redis.del(key)
            }
        }
    }

    private func waitUntil(_ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while clock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within 5 s")
    }
}
