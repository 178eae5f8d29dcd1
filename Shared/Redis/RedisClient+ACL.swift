// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Redis ACL rules that confine a tenant worker to its own keys and channels.
public enum RedisACL {
    /// The key and channel pattern of a tenant: `t:<slug>:*` (tenant `acme` gets `t:acme:*`).
    public static func tenantPattern(_ tenantSlug: String) -> String { "t:\(tenantSlug):*" }

    /// The command rules of a tenant user, after its keys and channels.
    ///
    /// `+@all -@admin -@dangerous` gives strings, hashes, lists, sets, sorted sets, streams, bitmaps,
    /// HyperLogLog, geo, TTLs, transactions, pub/sub (SUBSCRIBE, PSUBSCRIBE, PUBLISH, SSUBSCRIBE,
    /// SPUBLISH), PING, AUTH, HELLO, CLIENT SETNAME/GETNAME/ID/INFO; every key and channel they touch is
    /// checked against the user's `~` and `&` patterns. Removed on top of that, because they work
    /// outside those patterns:
    /// - `-@dangerous` (which holds all of `@admin`): KEYS, FLUSHALL, FLUSHDB, CONFIG, ACL SETUSER/LIST/…,
    ///   DEBUG, MONITOR, SHUTDOWN, INFO, CLIENT LIST/KILL, SORT (its BY/GET patterns read any key),
    ///   MIGRATE, RESTORE, SWAPDB, MODULE, SLOWLOG, LATENCY, REPLICAOF, SAVE.
    /// - `-@scripting`: EVAL/FCALL would be key-checked, but SCRIPT FLUSH/KILL and FUNCTION
    ///   LOAD/DELETE/FLUSH change state shared by all tenants.
    /// - `-keys -scan -randomkey -dbsize`: they reveal other tenants' key names or counts (key patterns
    ///   do not filter SCAN's results). HSCAN/SSCAN/ZSCAN stay: they iterate inside one allowed key.
    /// - `-pubsub`: PUBSUB CHANNELS/NUMSUB/NUMPAT reveal other tenants' channels.
    /// - `-client|tracking`: invalidation messages in BCAST mode name keys of other tenants.
    /// - `-memory +memory|usage`: MEMORY STATS/DOCTOR describe the whole server; USAGE is key-checked.
    /// - `-select -swapdb`: tenants live in database 0.
    /// - `-acl -config -flushall -flushdb -debug -monitor -shutdown`: already in `-@dangerous`, listed so
    ///   the intent survives changes to Redis' categories (this also denies ACL WHOAMI/CAT).
    ///
    /// PSUBSCRIBE patterns are matched literally against the user's channel patterns (Redis 7 ACL), so a
    /// tenant may PSUBSCRIBE to exactly `t:<slug>:*` and filter further itself.
    public static let tenantCommandRules: [String] = [
        "+@all", "-@admin", "-@dangerous", "-@scripting",
        "-keys", "-scan", "-randomkey", "-dbsize", "-pubsub", "-client|tracking", "-memory", "+memory|usage",
        "-select", "-swapdb", "-acl", "-config", "-flushall", "-flushdb", "-debug", "-monitor", "-shutdown",
    ]

    /// The arguments after `ACL SETUSER <name>`:
    ///
    ///     reset on >PASSWORD ~t:acme:* resetchannels &t:acme:* +@all -@admin -@dangerous -@scripting
    ///     -keys -scan -randomkey -dbsize -pubsub -client|tracking -memory +memory|usage -select -swapdb
    ///     -acl -config -flushall -flushdb -debug -monitor -shutdown
    ///
    /// `reset` first, so a repeated call replaces the user's rules and passwords instead of adding to
    /// them.
    public static func tenantUserRules(
        password: String, keyPatterns: [String], channelPatterns: [String]
    )
        -> [String]
    {
        ["reset", "on", ">" + password] + keyPatterns.map { "~" + $0 } + ["resetchannels"]
            + channelPatterns.map { "&" + $0 } + tenantCommandRules
    }
}

extension RedisClient {
    /// Creates or replaces the ACL user `name` with `RedisACL.tenantUserRules` (the full rule string is
    /// documented there), then persists the ACL with `ACL SAVE` when the server has an `aclfile`.
    ///
    /// For tenant `acme` pass `keyPatterns: ["t:acme:*"], channelPatterns: ["t:acme:*"]`
    /// (`RedisACL.tenantPattern("acme")`). The rules apply at once to connections already authenticated
    /// as this user; a changed password does not end them (use `aclDelUser` to cut a tenant off).
    /// Needs a user with `+@admin` (or `+acl`).
    public func aclSetUser(
        _ name: String, password: String, keyPatterns: [String], channelPatterns: [String]
    )
        async throws
    {
        try validateACLName(name)
        guard !password.isEmpty else { throw invalidACLArgument("the password of ACL user \(name) is empty") }
        try validateACLToken(password, what: "the password of ACL user \(name)")
        for pattern in keyPatterns + channelPatterns {
            try validateACLToken(pattern, what: "the pattern \"\(pattern)\" for ACL user \(name)")
        }
        let rules = RedisACL.tenantUserRules(
            password: password, keyPatterns: keyPatterns, channelPatterns: channelPatterns)
        _ = try await command(["ACL", "SETUSER", name] + rules)
        try await aclSave()
        logger.info(
            "Redis ACL user set",
            metadata: [
                "redis.acl_user": "\(name)", "redis.key_patterns": "\(keyPatterns.joined(separator: " "))",
                "redis.channel_patterns": "\(channelPatterns.joined(separator: " "))",
            ])
    }

    /// `ACL DELUSER name` (which also disconnects that user's clients), then `ACL SAVE` when the server
    /// has an `aclfile`. Returns false when there was no such user.
    @discardableResult
    public func aclDelUser(_ name: String) async throws -> Bool {
        try validateACLName(name)
        let reply = try await command(["ACL", "DELUSER", name])
        guard case .integer(let deleted) = reply else {
            throw unexpected(reply, command: "ACL DELUSER", expected: "an integer")
        }
        if deleted > 0 {
            try await aclSave()
            logger.info("Redis ACL user deleted", metadata: ["redis.acl_user": "\(name)"])
        }
        return deleted > 0
    }

    private func aclSave() async throws {
        do {
            _ = try await command(["ACL", "SAVE"])
        } catch let error as RedisError
            where error.code == .server && error.message.contains("not configured to use an ACL file")
        {
            // Users defined in redis.conf (no aclfile) live until restart; persisting them is CONFIG
            // REWRITE's job, which the operator owns.
            logger.debug("Redis has no aclfile; the ACL change is not persisted by ACL SAVE")
        }
    }

    private func validateACLName(_ name: String) throws {
        guard !name.isEmpty else { throw invalidACLArgument("the ACL user name is empty") }
        guard name != "default" else {
            throw invalidACLArgument("refusing to change the ACL user \"default\"; tenant users need their own name")
        }
        try validateACLToken(name, what: "the ACL user name \"\(name)\"")
    }

    /// ACL rules are stored space-separated in the aclfile, so whitespace and control characters would
    /// corrupt it (and Redis refuses them in user names).
    private func validateACLToken(_ token: String, what: String) throws {
        guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw invalidACLArgument("\(what) contains a space or control character")
        }
    }

    private func invalidACLArgument(_ message: String) -> RedisError {
        RedisError(
            code: .invalidArgument, message: message, endpoint: configuration.endpoint, user: configuration.username,
            command: "ACL SETUSER")
    }
}
