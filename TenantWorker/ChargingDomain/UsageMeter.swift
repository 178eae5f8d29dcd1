// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Logging
public import Postgres
import Synchronization

/// Counts the tenant's REST API calls for usage metering and adds them to `csms.usage_months` in
/// batches (one upsert per flush, not one per request). Sessions, energy and active stations are
/// metered by database triggers (migration 0005) and need nothing here.
public final class UsageMeter: Sendable {
    private let postgres: PGPool
    private let logger: Logger
    private let pending = Mutex<Int64>(0)

    public init(postgres: PGPool, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Never blocks or suspends: called on every API request.
    public func countAPICall() {
        pending.withLock { $0 += 1 }
    }

    /// Adds the calls counted since the last flush; on failure they stay counted for the next one.
    public func flush() async throws {
        let count = pending.withLock { value -> Int64 in
            defer { value = 0 }
            return value
        }
        guard count > 0 else { return }
        do {
            try await postgres.execute(
                """
                INSERT INTO csms.usage_months AS u (month, api_calls)
                VALUES (date_trunc('month', now() AT TIME ZONE 'UTC')::date, \(count))
                ON CONFLICT (tenant_id, month) DO UPDATE
                    SET api_calls = u.api_calls + EXCLUDED.api_calls, updated_at = now()
                """)
        } catch {
            pending.withLock { $0 += count }
            throw error
        }
    }

    /// Flushes every `interval` until cancelled, then once more.
    public func run(every interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do {
                try await flush()
            } catch {
                logger.warning(
                    "could not record API usage; retrying at the next flush", metadata: ["error": "\(error)"])
            }
        }
        await Task { try? await self.flush() }.value
    }
}
