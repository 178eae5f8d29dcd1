// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Redis
import TestSupport
import Testing

@Suite("Redis commands against the real server", .timeLimit(.minutes(1)))
struct RedisCommandTests {
    @Test func stringsAndBinaryValuesRoundTrip() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let prefix = RedisTestSupport.unique("test:cmd:")
            try await redis.ping()
            #expect(redis.isConnected)
            #expect(redis.connectionState == .connected)

            try await redis.set("\(prefix):text", "Zürich ⚡️ 充電站")
            #expect(try await redis.getString("\(prefix):text") == "Zürich ⚡️ 充電站")

            // NUL bytes, invalid UTF-8 and every byte value, in the value and in the key.
            let binary: [UInt8] = [0, 1, 0, 0xFF, 0xC3, 0x28, 0x7F, 0x0D, 0x0A] + (0...255).map { UInt8($0) }
            let binaryKey: [UInt8] = Array("\(prefix):bin:".utf8) + [0, 0xE2, 0x9A, 0xA1, 0]
            let set = try await redis.command([Array("SET".utf8), binaryKey, binary])
            #expect(set == .simpleString("OK"))
            #expect(try await redis.command([Array("GET".utf8), binaryKey]) == .bulkString(binary))
            #expect(try await redis.command([Array("STRLEN".utf8), binaryKey]) == .integer(Int64(binary.count)))

            try await redis.set("\(prefix):bytes", [0, 0, 0])
            #expect(try await redis.get("\(prefix):bytes") == [0, 0, 0])
            try await redis.set("\(prefix):empty", "")
            #expect(try await redis.get("\(prefix):empty") == [])
            #expect(try await redis.get("\(prefix):missing") == nil)

            #expect(try await redis.incr("\(prefix):counter") == 1)
            #expect(try await redis.incr("\(prefix):counter", by: 41) == 42)
            #expect(try await redis.command(["GET", "\(prefix):counter"]).int == 42)

            try await redis.set("\(prefix):ttl", "v", expiry: .seconds(60))
            let pttl = try #require(try await redis.command(["PTTL", "\(prefix):ttl"]).int)
            #expect(pttl > 0 && pttl <= 60_000)
            #expect(try await redis.expire("\(prefix):text", after: .milliseconds(1500)))
            #expect(try await redis.expire("\(prefix):missing", after: .seconds(1)) == false)
            #expect(try await redis.command(["TTL", "\(prefix):text"]).int.map { $0 >= 1 && $0 <= 2 } == true)

            _ = try await redis.command(["RPUSH", "\(prefix):list", "a", "", "ü"])
            #expect(
                try await redis.command(["LRANGE", "\(prefix):list", "0", "-1"])
                    == .array([.bulkString(Array("a".utf8)), .bulkString([]), .bulkString(Array("ü".utf8))]))
            #expect(try await redis.command(["LRANGE", "\(prefix):nolist", "0", "-1"]) == .array([]))
            #expect(try await redis.command(["HGET", "\(prefix):nohash", "f"]) == .null)
            #expect(try await redis.command(["TYPE", "\(prefix):list"]) == .simpleString("list"))

            let keys = ["text", "bytes", "empty", "counter", "ttl", "list", "missing"].map { "\(prefix):\($0)" }
            #expect(try await redis.del(keys) == 6)
            #expect(try await redis.command([Array("DEL".utf8), binaryKey]) == .integer(1))
        }
    }

    @Test func pipelineAndTransaction() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let key = RedisTestSupport.unique("test:tx:")
            let replies = try await redis.pipeline([
                ["SET", key, "1"], ["INCR", key], ["LPUSH", key, "x"], ["GET", key],
            ])
            #expect(replies.count == 4)
            #expect(replies[0] == .simpleString("OK"))
            #expect(replies[1] == .integer(2))
            guard case .error(let message) = replies[2] else {
                Issue.record("expected an error reply in place, got \(replies[2])")
                return
            }
            #expect(message.hasPrefix("WRONGTYPE"))
            #expect(replies[3] == .bulkString(Array("2".utf8)))

            let results = try await redis.transaction([["INCR", key], ["LPUSH", key, "x"], ["INCR", key]])
            #expect(results.count == 3)
            #expect(results[0] == .integer(3))
            if case .error(let message) = results[1] {
                #expect(message.hasPrefix("WRONGTYPE"))
            } else {
                Issue.record("expected WRONGTYPE in place, got \(results[1])")
            }
            #expect(results[2] == .integer(4))

            // A command Redis refuses to queue aborts the whole transaction.
            let error = await RedisTestSupport.redisError {
                _ = try await redis.transaction([["INCR", key], ["NOSUCHCOMMAND"]])
            }
            #expect(error?.code == .server)
            #expect(error?.message.contains("unknown command") == true)
            #expect(try await redis.getString(key) == "4")

            // Connection-state commands are refused before anything is sent.
            let multi = await RedisTestSupport.redisError { _ = try await redis.command(["MULTI"]) }
            #expect(multi?.code == .invalidArgument)
            try await redis.del(key)
        }
    }

    @Test func serverErrorsThrowWithTheServerMessage() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let key = RedisTestSupport.unique("test:err:")
            try await redis.set(key, "not a number")
            let notInteger = await RedisTestSupport.redisError { try await redis.incr(key) }
            #expect(notInteger?.code == .server)
            #expect(notInteger?.message == "ERR value is not an integer or out of range")
            #expect(notInteger?.serverErrorKind == "ERR")
            #expect(notInteger?.command == "INCR")

            let wrongType = await RedisTestSupport.redisError { _ = try await redis.command(["LPUSH", key, "x"]) }
            #expect(wrongType?.message.hasPrefix("WRONGTYPE Operation against a key holding the wrong kind") == true)

            let unknown = await RedisTestSupport.redisError { _ = try await redis.command(["NOSUCHCOMMAND", "a"]) }
            #expect(unknown?.code == .server)
            #expect(unknown?.message.hasPrefix("ERR unknown command") == true)

            // The connection survives error replies.
            try await redis.ping()
            #expect(redis.isConnected)
            try await redis.del(key)
        }
    }

    @Test func concurrentCommandsShareTheSmallPool() async throws {
        var configuration = try RedisTestSupport.adminConfiguration()
        configuration.maxConnections = 3
        try await RedisTestSupport.withClient(configuration) { redis in
            let key = RedisTestSupport.unique("test:par:")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 { group.addTask { try await redis.incr(key) } }
                try await group.waitForAll()
            }
            #expect(try await redis.getString(key) == "200")
            try await redis.del(key)
        }
    }

    @Test func wrongPasswordIsAnAuthenticationFailureWithAClearMessage() async throws {
        let admin = try RedisTestSupport.adminConfiguration()
        let secret = "definitely-wrong-\(TestEnvironment.uniqueSuffix())"
        var configuration = admin
        configuration.password = secret
        try await RedisTestSupport.withClient(configuration) { redis in
            let error = await RedisTestSupport.redisError { try await redis.ping() }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.hasPrefix("WRONGPASS") == true)
            let text = error?.description ?? ""
            #expect(text.contains("127.0.0.1:\(admin.port)"))
            #expect(text.contains(admin.username ?? "?"))
            #expect(!text.contains(secret))
            #expect(!redis.isConnected)

            // Calls during the backoff do not try again: they fail at once with the same code. (The first
            // backoff is 125-250 ms, so on a slow machine one call may still be a real new attempt.)
            let clock = ContinuousClock()
            let start = clock.now
            var failedFast = 0
            for _ in 0..<5 {
                let again = await RedisTestSupport.redisError { try await redis.ping() }
                #expect(again?.code == .authenticationFailed)
                if again?.description.contains("no new connection attempt") == true { failedFast += 1 }
            }
            #expect(failedFast >= 1)
            #expect(clock.now - start < .seconds(1))
        }
    }

    @Test func missingCredentialsAreAnAuthenticationFailure() async throws {
        // The server's default user is disabled, so an unauthenticated command gets NOAUTH.
        let configuration = RedisConfiguration(host: "127.0.0.1", port: try TestEnvironment.redisPort())
        try await RedisTestSupport.withClient(configuration) { redis in
            let error = await RedisTestSupport.redisError { try await redis.ping() }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.hasPrefix("NOAUTH") == true)
        }
    }

    @Test func downServerFailsFastWithBackoff() async throws {
        // Port 1 on loopback: nothing listens there, so connect is refused.
        let configuration = RedisConfiguration(host: "127.0.0.1", port: 1, username: "u", password: "p")
        try await RedisTestSupport.withClient(configuration) { redis in
            let clock = ContinuousClock()
            let start = clock.now
            let first = await RedisTestSupport.redisError { try await redis.ping() }
            #expect(first?.code == .connectionFailed)
            #expect(first?.description.contains("127.0.0.1:1") == true)
            #expect(first?.description.contains("user u") == true)
            guard case .unavailable = redis.connectionState else {
                Issue.record("state is \(redis.connectionState), expected unavailable")
                return
            }
            for _ in 0..<20 {
                let error = await RedisTestSupport.redisError { _ = try await redis.get("k") }
                #expect(error?.code == .connectionFailed)
            }
            #expect(clock.now - start < .seconds(2))
        }
    }

    @Test func commandTimeoutClosesTheConnectionAndTheNextCommandWorks() async throws {
        var configuration = try RedisTestSupport.adminConfiguration()
        configuration.commandTimeout = .milliseconds(300)
        configuration.maxConnections = 1
        try await RedisTestSupport.withClient(configuration) { redis in
            let key = RedisTestSupport.unique("test:blpop:")
            let clock = ContinuousClock()
            let start = clock.now
            let error = await RedisTestSupport.redisError { _ = try await redis.command(["BLPOP", key, "3"]) }
            #expect(error?.code == .timeout)
            #expect(clock.now - start < .seconds(2))
            try await redis.ping()
        }
    }

    @Test func commandsAfterShutdownFail() async throws {
        let redis = RedisClient(
            configuration: try RedisTestSupport.adminConfiguration(), logger: RedisTestSupport.logger)
        try await redis.ping()
        await redis.shutdown()
        #expect(redis.connectionState == .shutdown)
        let error = await RedisTestSupport.redisError { try await redis.ping() }
        #expect(error?.code == .shutdown)
        await redis.shutdown()
    }
}
