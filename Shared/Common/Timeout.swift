// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Thrown by `withTimeout` when the operation did not finish in time.
public struct TimeoutError: Error, CustomStringConvertible {
    public let operation: String
    public let limit: Duration
    public var description: String { "\(operation) did not finish within \(limit.seconds) s" }
}

/// Runs `body`, cancelling it and throwing `TimeoutError` when it takes longer than `limit`.
/// The body must react to cancellation for the timeout to return promptly.
public func withTimeout<T: Sendable>(
    _ limit: Duration, operation: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimeoutError(operation: operation, limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError(operation: operation, limit: limit) }
        return first
    }
}
