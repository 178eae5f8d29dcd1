// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Logging
public import ServiceLifecycle

/// Erases deleted tenants once their plan's retention period is over: a deleted tenant's rows
/// are kept for `data_retention_days` after the deletion, then erased as by
/// `DELETE /platform/v1/tenants/{slug}?erase_data=true`. Runs at start and every `interval`.
public struct RetentionSweeper: Service {
    let operations: TenantOperations
    let interval: Duration
    let logger: Logger

    public init(operations: TenantOperations, interval: Duration = .seconds(3600), logger: Logger) {
        self.operations = operations
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let erased = try await operations.eraseExpired()
                if !erased.isEmpty {
                    logger.notice(
                        "erased tenants whose retention period is over",
                        metadata: ["tenants": "\(erased.joined(separator: ", "))"])
                }
            } catch {
                logger.error("retention sweep failed; trying again later", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
