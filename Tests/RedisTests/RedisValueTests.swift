// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Redis
import Testing

@Suite("RedisValue, RedisError and configuration (no server)")
struct RedisValueTests {
    @Test func accessors() {
        #expect(RedisValue.simpleString("OK").string == "OK")
        #expect(RedisValue.bulkString(Array("héllo".utf8)).string == "héllo")
        #expect(RedisValue.bulkString([0xFF, 0xFE]).string == nil)
        #expect(RedisValue.bulkString([0, 1]).bytes == [0, 1])
        #expect(RedisValue.integer(42).int == 42)
        #expect(RedisValue.bulkString(Array("-17".utf8)).int == -17)
        #expect(RedisValue.bulkString(Array("x".utf8)).int == nil)
        #expect(RedisValue.null.isNull)
        #expect(RedisValue.null.string == nil)
        #expect(RedisValue.array([.integer(1), .null]).array == [.integer(1), .null])
        #expect(RedisValue.error("ERR x").string == nil)
        #expect(RedisValue.array([.integer(1), .bulkString(Array("a".utf8))]).description == "[:1, \"a\"]")
    }

    @Test func errorDescriptionNamesEndpointAndUserButNotPassword() {
        let error = RedisError(
            code: .authenticationFailed, message: "WRONGPASS invalid username-password pair or user is disabled.",
            endpoint: "127.0.0.1:6379", user: "tenant_acme", command: "AUTH")
        #expect(error.description.contains("127.0.0.1:6379"))
        #expect(error.description.contains("tenant_acme"))
        #expect(error.description.contains("WRONGPASS"))
        #expect(error.code == .authenticationFailed)
        #expect(error.serverErrorKind == nil)

        let noperm = RedisError(
            code: .server, message: "NOPERM this user has no permissions to access one of the keys used as arguments",
            endpoint: "h:1", user: "u", command: "GET")
        #expect(noperm.serverErrorKind == "NOPERM")
        #expect(noperm.description.contains("rejected GET: NOPERM"))
    }

    @Test func configurationNeverShowsThePassword() {
        let configuration = RedisConfiguration(host: "redis", port: 6379, username: "u", password: "s3cret-pw")
        #expect(!"\(configuration)".contains("s3cret-pw"))
        #expect(!String(reflecting: configuration).contains("s3cret-pw"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("s3cret-pw"))
        #expect(configuration.connectTimeout == .seconds(3))
        #expect(configuration.commandTimeout == .seconds(5))
        #expect(configuration.maxConnections == 4)
    }

    @Test func tenantRuleString() {
        let pattern = RedisACL.tenantPattern("acme")
        #expect(pattern == "t:acme:*")
        let rules = RedisACL.tenantUserRules(password: "pw", keyPatterns: [pattern], channelPatterns: [pattern])
        #expect(
            rules.joined(separator: " ")
                == "reset on >pw ~t:acme:* resetchannels &t:acme:* +@all -@admin -@dangerous -@scripting "
                + "-keys -scan -randomkey -dbsize -pubsub -client|tracking -memory +memory|usage -select -swapdb "
                + "-acl -config -flushall -flushdb -debug -monitor -shutdown")
    }
}
