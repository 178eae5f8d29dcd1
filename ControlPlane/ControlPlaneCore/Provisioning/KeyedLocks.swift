// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// One asynchronous lock per key (a tenant slug), granted in arrival order, so two operations on
/// the same tenant (create and create, suspend and delete) take turns while other tenants
/// proceed. Across hosts the database's unique constraints and row states decide instead.
actor KeyedLocks {
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func withLock<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let value = try await body()
            release(key)
            return value
        } catch {
            release(key)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        // Ownership passes directly from the releasing holder to the first waiter.
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            held.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
