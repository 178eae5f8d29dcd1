// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Why a platform operation (create, update, suspend, resume, delete a tenant; plan changes) was
/// refused or failed. The platform API turns it into an RFC 9457 problem document.
public struct PlatformError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request names something invalid (slug, plan, setting): 422.
        case invalid
        /// No such tenant or plan: 404.
        case notFound
        /// The request clashes with the current state (duplicate, plan in use, tenant busy): 409.
        case conflict
        /// A step failed after the request was accepted; what was done before is undone: 500.
        case failed
    }

    /// One invalid field, by its JSON key path (`ocpp.heartbeat_interval`).
    public struct FieldError: Sendable, Equatable {
        public var field: String
        public var detail: String

        public init(field: String, detail: String) {
            self.field = field
            self.detail = detail
        }
    }

    public var kind: Kind
    public var detail: String
    public var fieldErrors: [FieldError]
    /// The step that failed (`create_database_role`, `wait_for_worker_health`, …).
    public var failedStep: String?
    /// The steps undone after the failure, in the order they were undone.
    public var rolledBack: [String]
    /// Undo steps that failed themselves (an operator must look at these).
    public var rollbackFailures: [String]

    public init(
        _ kind: Kind, _ detail: String, fieldErrors: [FieldError] = [], failedStep: String? = nil,
        rolledBack: [String] = [], rollbackFailures: [String] = []
    ) {
        self.kind = kind
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.failedStep = failedStep
        self.rolledBack = rolledBack
        self.rollbackFailures = rollbackFailures
    }

    public static func invalid(_ field: String, _ detail: String) -> PlatformError {
        PlatformError(.invalid, "\(field): \(detail)", fieldErrors: [FieldError(field: field, detail: detail)])
    }

    public var description: String {
        var text = detail
        if let failedStep { text += " [step \(failedStep)]" }
        if !rollbackFailures.isEmpty { text += "; rollback failures: \(rollbackFailures.joined(separator: "; "))" }
        return text
    }
}
