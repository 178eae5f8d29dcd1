// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Redis
import TestSupport
import Testing

/// Acceptance test of per-tenant Redis users: tenant A (keys and channels `t:A:*`) and tenant B
/// (`t:B:*`), created with `aclSetUser` as the control plane does, cannot reach each other's data,
/// channels or the server-wide commands.
@Suite("Redis tenant isolation", .timeLimit(.minutes(1)))
struct RedisTenantIsolationTests {
    struct Tenant {
        let slug: String
        let user: String
        let password: String
        var pattern: String { RedisACL.tenantPattern(slug) }
        var key: String { "t:\(slug):x" }
        var events: String { "t:\(slug):events" }
        /// Every key the test may create for this tenant, for the clean-up.
        var allKeys: [String] {
            ["x", "session", "h", "s", "z", "l", "stream", "n", "copy"].map { "t:\(slug):\($0)" }
        }
    }

    @Test func tenantsAreIsolated() async throws {
        let suffix = TestEnvironment.uniqueSuffix()
        let a = Tenant(slug: "a\(suffix)", user: "tenant_a\(suffix)", password: "pwA-\(TestEnvironment.uniqueSuffix())")
        let b = Tenant(slug: "b\(suffix)", user: "tenant_b\(suffix)", password: "pwB-\(TestEnvironment.uniqueSuffix())")
        try await RedisTestSupport.withAdmin { admin in
            for tenant in [a, b] {
                try await admin.aclSetUser(
                    tenant.user, password: tenant.password, keyPatterns: [tenant.pattern],
                    channelPatterns: [tenant.pattern])
            }
            do {
                // Repeating the call replaces the rules instead of adding to them.
                try await admin.aclSetUser(
                    a.user, password: a.password, keyPatterns: [a.pattern], channelPatterns: [a.pattern])
                let description = try await admin.command(["ACL", "GETUSER", a.user]).description
                #expect(description.contains("~\(a.pattern)"))
                #expect(description.contains("&\(a.pattern)"))
                #expect(!description.contains("~\(b.pattern)"))

                try await check(me: a, other: b, admin: admin)
                try await check(me: b, other: a, admin: admin)
                try await deletingTheUserCutsItOff(a, admin: admin)
            } catch {
                for tenant in [a, b] { _ = try? await admin.aclDelUser(tenant.user) }
                _ = try? await admin.del(a.allKeys + b.allKeys)
                throw error
            }
            for tenant in [a, b] { _ = try await admin.aclDelUser(tenant.user) }
            #expect(try await admin.aclDelUser(a.user) == false)
            try await admin.del(a.allKeys + b.allKeys)
        }
    }

    private func check(me: Tenant, other: Tenant, admin: RedisClient) async throws {
        let configuration = try RedisTestSupport.configuration(user: me.user, password: me.password)
        try await RedisTestSupport.withClient(configuration) { redis in
            // Its own keys: the data types and TTLs a tenant worker uses.
            try await redis.set(me.key, "mine")
            #expect(try await redis.getString(me.key) == "mine")
            try await redis.set("t:\(me.slug):session", "s", expiry: .seconds(30))
            #expect(try await redis.expire(me.key, after: .seconds(60)))
            _ = try await redis.command(["HSET", "t:\(me.slug):h", "f", "v"])
            _ = try await redis.command(["SADD", "t:\(me.slug):s", "m"])
            _ = try await redis.command(["ZADD", "t:\(me.slug):z", "1", "m"])
            _ = try await redis.command(["LPUSH", "t:\(me.slug):l", "m"])
            _ = try await redis.command(["XADD", "t:\(me.slug):stream", "*", "f", "v"])
            _ = try await redis.command(["HSCAN", "t:\(me.slug):h", "0"])
            _ = try await redis.command(["MEMORY", "USAGE", me.key])
            _ = try await redis.command(["CLIENT", "SETNAME", "worker-\(me.slug)"])
            let counted = try await redis.transaction([["INCR", "t:\(me.slug):n"], ["INCR", "t:\(me.slug):n"]])
            #expect(counted == [.integer(1), .integer(2)])
            try await redis.ping()
            #expect(
                try await redis.del(["t:\(me.slug):session", "t:\(me.slug):h", "t:\(me.slug):s", "t:\(me.slug):z"])
                    == 4)
            try await redis.del(["t:\(me.slug):l", "t:\(me.slug):stream", "t:\(me.slug):n"])

            // The other tenant's keys: NOPERM for reading, writing and deleting.
            try await admin.set(other.key, "theirs")
            try await expectNoPerm("GET \(other.key)") { _ = try await redis.get(other.key) }
            try await expectNoPerm("SET \(other.key)") { try await redis.set(other.key, "overwritten") }
            try await expectNoPerm("DEL \(other.key)") { try await redis.del(other.key) }
            try await expectNoPerm("COPY") { _ = try await redis.command(["COPY", other.key, "t:\(me.slug):copy"]) }
            try await expectNoPerm("MGET") { _ = try await redis.command(["MGET", me.key, other.key]) }
            try await expectNoPerm("transaction") { _ = try await redis.transaction([["GET", other.key]]) }
            #expect(try await admin.getString(other.key) == "theirs")

            // The other tenant's channels: no PUBLISH, SUBSCRIBE or PSUBSCRIBE; no wildcard PSUBSCRIBE.
            try await expectNoPerm("PUBLISH \(other.events)") {
                _ = try await redis.publish(channel: other.events, message: "spoofed")
            }
            try await expectNoPerm("SUBSCRIBE \(other.events)") {
                try await redis.subscribe(channels: [other.events]).waitUntilSubscribed()
            }
            try await expectNoPerm("SUBSCRIBE mixed") {
                try await redis.subscribe(channels: [me.events, other.events]).waitUntilSubscribed()
            }
            try await expectNoPerm("PSUBSCRIBE \(other.pattern)") {
                try await redis.psubscribe(patterns: [other.pattern]).waitUntilSubscribed()
            }
            try await expectNoPerm("PSUBSCRIBE *") { try await redis.psubscribe(patterns: ["*"]).waitUntilSubscribed() }
            try await expectNoPerm("PSUBSCRIBE __keyspace*") {
                try await redis.psubscribe(patterns: ["__keyspace@0__:*"]).waitUntilSubscribed()
            }
            // The refusal also ends iteration with the error.
            let refused = redis.subscribe(channels: [other.events])
            let iterationError = await RedisTestSupport.redisError {
                for try await _ in refused {}
            }
            #expect(iterationError?.serverErrorKind == "NOPERM")

            // Server-wide commands that reveal or destroy other tenants' data.
            let denied: [[String]] = [
                ["KEYS", "*"], ["SCAN", "0"], ["RANDOMKEY"], ["DBSIZE"], ["CONFIG", "GET", "maxmemory"],
                ["CONFIG", "SET", "maxmemory", "1"], ["ACL", "LIST"], ["ACL", "WHOAMI"],
                ["ACL", "SETUSER", me.user, "~*"], ["ACL", "DELUSER", other.user], ["INFO"],
                ["CLIENT", "LIST"], ["CLIENT", "KILL", "USER", other.user], ["CLIENT", "TRACKING", "on", "BCAST"],
                ["PUBSUB", "CHANNELS"], ["EVAL", "return redis.call('get', KEYS[1])", "1", other.key],
                ["SCRIPT", "FLUSH"], ["FUNCTION", "FLUSH"], ["SORT", me.key, "BY", "t:\(other.slug):*"],
                ["MEMORY", "STATS"], ["SLOWLOG", "GET"], ["OBJECT", "ENCODING", other.key],
            ]
            for command in denied {
                try await expectNoPerm(command.joined(separator: " ")) { _ = try await redis.command(command) }
            }
            // Destructive ones: first prove with ACL DRYRUN (which runs nothing) that they are denied, and
            // only then try them for real.
            for command in [
                ["FLUSHALL"], ["FLUSHDB"], ["DEBUG", "SLEEP", "0"], ["SHUTDOWN", "NOSAVE"], ["SWAPDB", "0", "1"],
            ] {
                let verdict = try await admin.command(["ACL", "DRYRUN", me.user] + command)
                #expect(verdict != .simpleString("OK"), "\(command) would be allowed: \(verdict)")
                guard verdict != .simpleString("OK"), command[0] == "FLUSHALL" || command[0] == "FLUSHDB" else {
                    continue
                }
                try await expectNoPerm(command.joined(separator: " ")) { _ = try await redis.command(command) }
            }
            #expect(try await admin.getString(other.key) == "theirs")
        }

        // Its own channels work, and the other tenant cannot publish into them.
        try await RedisTestSupport.withClient(configuration) { redis in
            let subscription = redis.subscribe(channels: [me.events])
            try await subscription.waitUntilSubscribed()
            let patterned = redis.psubscribe(patterns: [me.pattern])
            try await patterned.waitUntilSubscribed()
            #expect(try await redis.publish(channel: me.events, message: "hello self") == 2)
            #expect(try await nextMessage(subscription.makeAsyncIterator())?.string == "hello self")
            let viaPattern = try await nextMessage(patterned.makeAsyncIterator())
            #expect(viaPattern?.pattern == me.pattern)
            #expect(viaPattern?.channel == me.events)

            let otherConfiguration = try RedisTestSupport.configuration(user: other.user, password: other.password)
            try await RedisTestSupport.withClient(otherConfiguration) { intruder in
                try await expectNoPerm("PUBLISH into \(me.events)") {
                    _ = try await intruder.publish(channel: me.events, message: "spoofed")
                }
            }
        }
    }

    private func deletingTheUserCutsItOff(_ tenant: Tenant, admin: RedisClient) async throws {
        let configuration = try RedisTestSupport.configuration(user: tenant.user, password: tenant.password)
        try await RedisTestSupport.withClient(configuration) { redis in
            try await redis.ping()
            #expect(try await admin.aclDelUser(tenant.user))
            let error = await RedisTestSupport.redisError { try await redis.ping() }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.description.contains(tenant.user) == true)
            #expect(error?.description.contains(tenant.password) == false)
        }
    }

    private func expectNoPerm(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async throws {
        let error = await RedisTestSupport.redisError(sourceLocation: sourceLocation, body)
        #expect(error?.code == .server, "\(what): \(String(describing: error))", sourceLocation: sourceLocation)
        #expect(
            error?.message.hasPrefix("NOPERM") == true, "\(what): \(String(describing: error))",
            sourceLocation: sourceLocation)
    }
}
