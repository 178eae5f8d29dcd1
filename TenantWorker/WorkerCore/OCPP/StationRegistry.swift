// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Redis

/// Which stations are connected to this worker, one live connection per station identity.
///
/// A newer authenticated connection replaces the older one, which is closed: a station that lost
/// its network often reconnects before the server notices the old socket is dead, and refusing the
/// newcomer would lock a real charger out behind a half-open socket (ocpp-go issues #314/#358).
/// Only connections that passed authentication reach this registry, so an attacker without the
/// station's password cannot push the real station off (PROTOCOLS.md §6).
///
/// The same fact is published to Redis (`t:<slug>:connected:<identity>`, with an expiry so a crashed
/// worker's entries fade) for other processes; this worker's own map is authoritative for it.
actor StationRegistry {
    private var connections: [String: StationConnection] = [:]
    private let redis: RedisClient
    private let slug: String
    private let logger: Logger
    /// Expiry of the Redis entry; ``publishAll()`` refreshes it.
    private let presenceTTL: Int

    init(redis: RedisClient, slug: String, presenceTTLSeconds: Int, logger: Logger) {
        self.redis = redis
        self.slug = slug
        self.presenceTTL = presenceTTLSeconds
        self.logger = logger
    }

    var count: Int { connections.count }

    func connection(_ identity: String) -> StationConnection? { connections[identity] }

    func isConnected(_ identity: String) -> Bool { connections[identity] != nil }

    /// Adds a connection; returns the one it replaced, which the caller closes.
    func register(_ connection: StationConnection) -> StationConnection? {
        let previous = connections.updateValue(connection, forKey: connection.identity)
        publish(connection)
        return previous
    }

    /// Removes a connection, unless a newer one for the same station replaced it already.
    func unregister(_ connection: StationConnection) {
        guard connections[connection.identity] === connection else { return }
        connections[connection.identity] = nil
        let key = presenceKey(connection.identity)
        let redis = self.redis
        let logger = self.logger
        Task {
            do {
                _ = try await redis.del(key)
            } catch {
                logger.debug("could not clear the station's presence in Redis", metadata: ["error": "\(error)"])
            }
        }
    }

    func all() -> [StationConnection] { Array(connections.values) }

    /// Re-publishes every connected station (run at half the expiry).
    func publishAll() {
        for connection in connections.values {
            publish(connection)
        }
    }

    private func presenceKey(_ identity: String) -> String { "t:\(slug):connected:\(identity)" }

    private func publish(_ connection: StationConnection) {
        let key = presenceKey(connection.identity)
        let value =
            "{\"connection\":\"\(connection.id.uuidString)\",\"pid\":\(getpid()),\"version\":\"\(connection.version.rawValue)\"}"
        let redis = self.redis
        let ttl = presenceTTL
        let logger = self.logger
        Task {
            do {
                try await redis.set(key, value, expiry: .seconds(ttl))
            } catch {
                logger.debug("could not publish the station's presence in Redis", metadata: ["error": "\(error)"])
            }
        }
    }
}
