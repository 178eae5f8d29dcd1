// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Redis
import Testing

@Suite("Redis pub/sub against the real server", .timeLimit(.minutes(1)))
struct RedisPubSubTests {
    @Test func subscribePublishReceive() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let channel = RedisTestSupport.unique("test:ch:")
            let other = channel + ":other"
            let subscription = redis.subscribe(channels: [channel, other])
            try await subscription.waitUntilSubscribed()
            #expect(subscription.names == [channel, other])
            let iterator = subscription.makeAsyncIterator()

            #expect(try await redis.publish(channel: channel, message: "hello ⚡️") == 1)
            let binary: [UInt8] = [0, 0xFF, 0, 10, 13]
            #expect(try await redis.publish(channel: other, message: binary) == 1)

            let first = try #require(try await nextMessage(iterator))
            #expect(first.channel == channel)
            #expect(first.pattern == nil)
            #expect(first.string == "hello ⚡️")
            let second = try #require(try await nextMessage(iterator))
            #expect(second.channel == other)
            #expect(second.payload == binary)
            subscription.cancel()
        }
    }

    @Test func psubscribeReceivesWithThePattern() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let prefix = RedisTestSupport.unique("test:pch:")
            let subscription = redis.psubscribe(patterns: ["\(prefix):*"])
            try await subscription.waitUntilSubscribed()
            #expect(try await redis.publish(channel: "\(prefix):station:7", message: "status") == 1)
            #expect(try await redis.publish(channel: "elsewhere:\(prefix)", message: "no") == 0)
            let message = try #require(try await nextMessage(subscription.makeAsyncIterator()))
            #expect(message.channel == "\(prefix):station:7")
            #expect(message.pattern == "\(prefix):*")
            #expect(message.string == "status")
        }
    }

    @Test func forLoopEndsWhenTheConsumingTaskIsCancelled() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let channel = RedisTestSupport.unique("test:cancel:")
            let subscription = redis.subscribe(channels: [channel])
            try await subscription.waitUntilSubscribed()
            let consumer = Task {
                var count = 0
                for try await _ in subscription { count += 1 }
                return count
            }
            _ = try await RedisTestSupport.publishUntilReceived(redis, channel: channel, message: "one")
            try await Task.sleep(for: .milliseconds(100))
            let clock = ContinuousClock()
            let start = clock.now
            consumer.cancel()
            #expect(try await consumer.value == 1)
            #expect(clock.now - start < .seconds(1))
            // The server sees the subscriber go away once the thread noticed (within its poll interval).
            try await waitForSubscriberCount(redis, channel: channel, toBe: 0)
        }
    }

    @Test func droppingTheSubscriptionUnsubscribes() async throws {
        try await RedisTestSupport.withAdmin { redis in
            let channel = RedisTestSupport.unique("test:drop:")
            do {
                let subscription = redis.subscribe(channels: [channel])
                try await subscription.waitUntilSubscribed()
                try await waitForSubscriberCount(redis, channel: channel, toBe: 1)
            }
            try await waitForSubscriberCount(redis, channel: channel, toBe: 0)
        }
    }

    @Test func shutdownEndsSubscriptionsCleanly() async throws {
        let redis = RedisClient(
            configuration: try RedisTestSupport.adminConfiguration(), logger: RedisTestSupport.logger)
        let channel = RedisTestSupport.unique("test:shut:")
        let subscription = redis.subscribe(channels: [channel])
        try await subscription.waitUntilSubscribed()
        let consumer = Task {
            var received: [String] = []
            for try await message in subscription { received.append(message.string ?? "?") }
            return received
        }
        _ = try await RedisTestSupport.publishUntilReceived(redis, channel: channel, message: "before")
        await redis.shutdown()
        #expect(try await consumer.value == ["before"])
        let late = redis.subscribe(channels: [channel])
        let error = await RedisTestSupport.redisError { try await late.waitUntilSubscribed() }
        #expect(error?.code == .shutdown)
    }

    private func waitForSubscriberCount(_ redis: RedisClient, channel: String, toBe expected: Int64) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        var count: Int64 = -1
        while clock.now < deadline {
            let reply = try await redis.command(["PUBSUB", "NUMSUB", channel])
            count = reply.array?.last?.int ?? -1
            if count == expected { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(channel) has \(count) subscribers, expected \(expected)")
    }
}
