// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

extension RedisClient {
    /// `GET key`: the value's bytes, nil when the key does not exist.
    public func get(_ key: String) async throws -> [UInt8]? {
        let reply = try await command([Array("GET".utf8), Array(key.utf8)])
        switch reply {
        case .null: return nil
        case .bulkString(let bytes): return bytes
        default: throw unexpected(reply, command: "GET", expected: "a bulk string or nil")
        }
    }

    /// `GET key` decoded as UTF-8 (invalid sequences become U+FFFD); nil when the key does not exist.
    public func getString(_ key: String) async throws -> String? {
        try await get(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `SET key value [PX milliseconds]`. An expiry below one millisecond is rounded up to one.
    public func set(_ key: String, _ value: [UInt8], expiry: Duration? = nil) async throws {
        var args: [[UInt8]] = [Array("SET".utf8), Array(key.utf8), value]
        if let expiry {
            args.append(Array("PX".utf8))
            args.append(Array(String(expiry.roundedUpMilliseconds).utf8))
        }
        let reply = try await command(args)
        guard reply == .simpleString("OK") else { throw unexpected(reply, command: "SET", expected: "OK") }
    }

    /// `SET key value [PX milliseconds]` with the value's UTF-8 bytes.
    public func set(_ key: String, _ value: String, expiry: Duration? = nil) async throws {
        try await set(key, Array(value.utf8), expiry: expiry)
    }

    /// `DEL key...`: how many of the keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        let reply = try await command(["DEL"] + keys)
        guard case .integer(let count) = reply else {
            throw unexpected(reply, command: "DEL", expected: "an integer")
        }
        return Int(count)
    }

    /// `DEL key...`: how many of the keys existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await del(keys)
    }

    /// `INCR key` (or `INCRBY key amount`): the value after the increment.
    @discardableResult
    public func incr(_ key: String, by amount: Int64 = 1) async throws -> Int64 {
        let args = amount == 1 ? ["INCR", key] : ["INCRBY", key, String(amount)]
        let reply = try await command(args)
        guard case .integer(let value) = reply else {
            throw unexpected(reply, command: args[0], expected: "an integer")
        }
        return value
    }

    /// `PEXPIRE key milliseconds`: false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, after ttl: Duration) async throws -> Bool {
        let reply = try await command(["PEXPIRE", key, String(ttl.roundedUpMilliseconds)])
        guard case .integer(let set) = reply else {
            throw unexpected(reply, command: "PEXPIRE", expected: "an integer")
        }
        return set == 1
    }

    /// `PUBLISH channel message`: how many subscribers received it.
    @discardableResult
    public func publish(channel: String, message: [UInt8]) async throws -> Int {
        let reply = try await command([Array("PUBLISH".utf8), Array(channel.utf8), message])
        guard case .integer(let receivers) = reply else {
            throw unexpected(reply, command: "PUBLISH", expected: "an integer")
        }
        return Int(receivers)
    }

    /// `PUBLISH channel message` with the message's UTF-8 bytes.
    @discardableResult
    public func publish(channel: String, message: String) async throws -> Int {
        try await publish(channel: channel, message: Array(message.utf8))
    }

    /// `PING`; throws unless the server answers `PONG`.
    public func ping() async throws {
        let reply = try await command(["PING"])
        guard reply == .simpleString("PONG") else { throw unexpected(reply, command: "PING", expected: "PONG") }
    }

    func unexpected(_ reply: RedisValue, command: String, expected: String) -> RedisError {
        RedisError(
            code: .protocolError, message: "the reply \(reply) is not \(expected)", endpoint: configuration.endpoint,
            user: configuration.username, command: command)
    }
}
