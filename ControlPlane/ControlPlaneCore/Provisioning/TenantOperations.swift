// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
public import Config
import Foundation
public import Logging
public import Postgres

/// Settings of a tenant's `ocpp` section that the platform API may set; nil leaves one as it is.
public struct OCPPChanges: Sendable, Equatable {
    public var allowedVersions: [TenantConfig.OCPPVersion]?
    public var heartbeatInterval: Duration?
    public var securityProfile: Int?
    public var unknownStations: TenantConfig.UnknownStationPolicy?
    public var responseTimeout: Duration?
    public var maxMessageSize: Int?
    public var frameLogRetentionDays: Int?
    public var dataTransferVendors: [String]?

    public init() {}

    func apply(to settings: inout TenantConfig.OCPPSettings) {
        if let allowedVersions { settings.allowedVersions = allowedVersions }
        if let heartbeatInterval { settings.heartbeatInterval = heartbeatInterval }
        if let securityProfile { settings.securityProfile = securityProfile }
        if let unknownStations { settings.unknownStations = unknownStations }
        if let responseTimeout { settings.responseTimeout = responseTimeout }
        if let maxMessageSize { settings.maxMessageSize = maxMessageSize }
        if let frameLogRetentionDays { settings.frameLogRetentionDays = frameLogRetentionDays }
        if let dataTransferVendors { settings.dataTransferVendors = dataTransferVendors }
    }
}

/// A tenant to create.
public struct TenantDraft: Sendable, Equatable {
    public var slug: String
    public var displayName: String
    public var plan: String
    public var ocpp = OCPPChanges()
    /// Keys for the tenant REST API, by SHA-256 (as in the tenant file).
    public var apiKeys: [TenantConfig.APIKey] = []

    public init(slug: String, displayName: String, plan: String) {
        self.slug = slug
        self.displayName = displayName
        self.plan = plan
    }
}

/// Changes to a tenant; nil leaves a setting as it is.
public struct TenantChanges: Sendable, Equatable {
    public var displayName: String?
    public var plan: String?
    public var ocpp = OCPPChanges()
    /// Replaces the whole list.
    public var apiKeys: [TenantConfig.APIKey]?

    public init() {}
}

/// What the platform knows about one tenant: its row, its file and its worker.
public struct TenantState: Sendable {
    public var record: TenantRecord
    /// nil when the tenant has no file (deleted, or being provisioned).
    public var config: TenantConfig?
    public var worker: WorkerStatus?
}

/// How a delete ended.
public enum TenantDeletion: Sendable {
    /// Role, Redis user, file, secrets and sockets are gone; the rows are kept until the date in
    /// the record.
    case retained(TenantState)
    /// Every row of the tenant is erased and the slug is free again.
    case erased(rows: Int64)
}

/// Creates, changes, suspends, resumes and deletes tenants, and manages plans: the platform
/// API's logic, without HTTP. Every tenant operation holds that tenant's lock, so two requests
/// for the same slug take turns; creating a tenant undoes every step already done when a later
/// one fails, so no half tenant remains.
public struct TenantOperations: Sendable {
    let platform: PlatformConfig
    let provisioner: TenantProvisioner
    let records: TenantRecords
    let plans: PlanCatalog
    let files: TenantFiles
    let workers: any WorkerLifecycle
    let launch: @Sendable (ProvisionedTenant) -> WorkerLaunch
    let healthTimeout: Duration
    let logger: Logger
    private let locks = KeyedLocks()

    public init(
        platform: PlatformConfig, provisioner: TenantProvisioner, postgres: PGPool, workers: any WorkerLifecycle,
        healthTimeout: Duration = .seconds(15), logger: Logger,
        launch: @escaping @Sendable (ProvisionedTenant) -> WorkerLaunch
    ) {
        self.platform = platform
        self.provisioner = provisioner
        self.records = TenantRecords(postgres: postgres)
        self.plans = PlanCatalog(postgres: postgres)
        self.files = TenantFiles(
            tenantsDirectory: platform.tenantsDirectory,
            runDirectory: (platform.dataDirectory as NSString).appendingPathComponent("run"))
        self.workers = workers
        self.healthTimeout = healthTimeout
        self.logger = logger
        self.launch = launch
    }

    // MARK: Reading

    public func list(includeDeleted: Bool) async throws -> [TenantState] {
        var states: [TenantState] = []
        for record in try await records.list(includeDeleted: includeDeleted) {
            states.append(await state(of: record))
        }
        return states
    }

    public func tenant(_ slug: String) async throws -> TenantState {
        guard let record = try await records.find(slug: slug) else { throw Self.noTenant(slug) }
        return await state(of: record)
    }

    /// The worker of every tenant that is not deleted; nil for a tenant without one (suspended,
    /// or not started).
    public func workerStatuses() async throws -> [(tenant: TenantRecord, worker: WorkerStatus?)] {
        var result: [(TenantRecord, WorkerStatus?)] = []
        for record in try await records.list(includeDeleted: false) {
            result.append((record, await workers.workerStatus(slug: record.slug)))
        }
        return result
    }

    private func state(of record: TenantRecord) async -> TenantState {
        let config = record.status == .deleted ? nil : try? files.read(slug: record.slug)
        return TenantState(record: record, config: config, worker: await workers.workerStatus(slug: record.slug))
    }

    static func noTenant(_ slug: String) -> PlatformError { PlatformError(.notFound, "no tenant \(slug)") }

    // MARK: Create

    /// Validates the draft, then provisions: tenant row, secrets, database role, Redis user,
    /// tenant file, worker, health; and marks the tenant active. A failed step undoes the earlier
    /// ones in reverse order and throws a `.failed` error naming it.
    public func create(_ draft: TenantDraft) async throws -> TenantState {
        if let problem = ConfigRules.slugProblem(draft.slug) { throw PlatformError.invalid("slug", problem) }
        let role: String
        do {
            role = try provisioner.roleName(slug: draft.slug)
        } catch {
            throw PlatformError.invalid("slug", "is too long for the database role name (\(error))")
        }
        var config = TenantConfig(slug: draft.slug, displayName: draft.displayName, plan: draft.plan)
        draft.ocpp.apply(to: &config.ocpp)
        config.apiKeys = draft.apiKeys
        try Self.validate(config)
        try await requirePlan(draft.plan)
        let validated = config
        return try await locks.withLock(draft.slug) { try await provision(validated, role: role) }
    }

    private func provision(_ config: TenantConfig, role: String) async throws -> TenantState {
        let slug = config.slug
        var log = logger
        log[metadataKey: "tenant.slug"] = "\(slug)"
        let started = ContinuousClock.now
        let undo = UndoList(logger: log)

        let record: TenantRecord
        do {
            guard
                let inserted = try await records.insert(
                    slug: slug, displayName: config.displayName, plan: config.plan, role: role)
            else { throw try await duplicate(slug) }
            record = inserted
        } catch let error as PGError where error.sqlState == "23503" {
            throw PlatformError.invalid("plan", "no plan named \"\(config.plan)\"")
        } catch let error as PlatformError {
            throw error
        } catch {
            throw PlatformError(
                .failed, "provisioning tenant \(slug) failed at step insert_tenant: \(error)",
                failedStep: "insert_tenant")
        }
        undo.push("delete_tenant_row") {
            try await records.setStatus(id: record.id, .deleted)
            try await records.erase(id: record.id)
        }

        try await undo.step("check_tenant_file") {
            if files.configExists(slug: slug) {
                throw PlatformError(
                    .conflict,
                    "\(files.configPath(slug: slug)) already exists though the database has no such tenant; "
                        + "remove or rename that file first")
            }
        }
        let secrets = try await undo.step("write_secrets") {
            undo.push("remove_secrets") { try provisioner.removeSecrets(slug: slug) }
            return try provisioner.writeFreshSecrets(slug: slug)
        }
        try await undo.step("create_database_role") {
            undo.push("drop_database_role") { try await provisioner.dropRole(role) }
            try await provisioner.ensureRole(role, password: secrets.postgres)
        }
        try await undo.step("create_redis_user") {
            undo.push("drop_redis_user") { try await provisioner.dropRedisUser(role, slug: slug) }
            try await provisioner.ensureRedisUser(role, slug: slug, password: secrets.redis)
        }
        try await undo.step("write_tenant_file") {
            undo.push("remove_tenant_file") { try files.remove(slug: slug) }
            try files.write(config)
        }
        let paths = provisioner.secretPaths(slug: slug)
        let limits = try await provisioner.planLimits(config.plan)
        let workerLaunch = launch(
            ProvisionedTenant(
                slug: slug, tenantID: record.id, databaseRole: role, postgresPasswordFile: paths.postgres,
                redisUser: role, redisPasswordFile: paths.redis, maxStations: limits?.maxStations,
                maxConnections: limits?.maxConnections, apiRate: limits?.apiRate))
        try await undo.step("start_worker") {
            undo.push("stop_worker") {
                try await workers.removeWorker(slug: slug)
                try files.removeSockets(slug: slug)
            }
            try files.createRunDirectory()
            try await workers.startWorker(workerLaunch)
        }
        try await undo.step("wait_for_worker_health") {
            try await workers.waitUntilServing(slug: slug, timeout: healthTimeout)
        }
        try await undo.step("activate_tenant") { try await records.setStatus(id: record.id, .active) }

        log.info(
            "tenant created",
            metadata: [
                "tenant.id": "\(record.id)", "tenant.plan": "\(config.plan)", "db.role": "\(role)",
                "duration_ms": "\((ContinuousClock.now - started).nanoseconds / 1_000_000)",
            ])
        return try await tenant(slug)
    }

    /// The 409 for a slug that is taken, saying by what.
    private func duplicate(_ slug: String) async throws -> PlatformError {
        guard let existing = try await records.find(slug: slug) else {
            return PlatformError(
                .conflict, "the database role of tenant \(slug) belongs to another tenant; choose another slug")
        }
        switch existing.status {
        case .deleted:
            let until = existing.dataRetainedUntil.map { " until \($0)" } ?? ""
            return PlatformError(
                .conflict,
                "tenant \(slug) was deleted and its data is retained\(until); "
                    + "erase it (DELETE /platform/v1/tenants/\(slug)?erase_data=true) to reuse the slug")
        case .provisioning:
            return PlatformError(.conflict, "tenant \(slug) is being provisioned by another request")
        case .active, .suspended:
            return PlatformError(.conflict, "tenant \(slug) already exists")
        }
    }

    private func requirePlan(_ name: String) async throws {
        guard try await plans.find(name) == nil else { return }
        let names = try await plans.all().map(\.plan.name).joined(separator: ", ")
        throw PlatformError.invalid("plan", "no plan named \"\(name)\" (plans: \(names))")
    }

    /// Checks a configuration built from a request exactly as the worker will read it: render the
    /// tenant file and decode it. Errors name the JSON key paths, which are the file's.
    static func validate(_ config: TenantConfig) throws {
        do {
            _ = try TenantConfig.decode(yaml: config.render(), file: "\(config.slug).yaml", platform: nil)
        } catch {
            let fields = error.errors.map { PlatformError.FieldError(field: $0.keyPath, detail: $0.message) }
            throw PlatformError(
                .invalid, fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), fieldErrors: fields)
        }
    }

    // MARK: Update

    /// Changes the display name, plan, OCPP settings or API keys. The file is rewritten
    /// atomically and the row updated; a running worker gets a rolling restart when a setting it
    /// reads at start changed (plan, OCPP, API keys), and the old configuration is put back if the
    /// new worker does not come up healthy.
    public func update(_ slug: String, _ changes: TenantChanges) async throws -> TenantState {
        if let plan = changes.plan { try await requirePlan(plan) }
        return try await locks.withLock(slug) {
            let record = try await liveRecord(slug)
            let old = try readConfig(slug)
            var new = old
            if let displayName = changes.displayName { new.displayName = displayName }
            if let plan = changes.plan { new.plan = plan }
            changes.ocpp.apply(to: &new.ocpp)
            if let apiKeys = changes.apiKeys { new.apiKeys = apiKeys }
            try Self.validate(new)
            if new == old { return try await tenant(slug) }

            let undo = UndoList(logger: logger)
            try await undo.step("write_tenant_file") {
                undo.push("restore_tenant_file") { try files.write(old) }
                try files.write(new)
            }
            try await undo.step("update_tenant_row") {
                undo.push("restore_tenant_row") {
                    try await records.update(id: record.id, displayName: old.displayName, plan: old.plan)
                }
                try await records.update(id: record.id, displayName: new.displayName, plan: new.plan)
            }
            // The worker reads its file only at start: a rolling restart applies what it reads
            // (the display name is not among it). If the new worker fails, the old one keeps
            // serving and the old file and row are put back.
            var readAtStart = new
            readAtStart.displayName = old.displayName
            if record.status == .active, readAtStart != old, await workers.workerStatus(slug: slug)?.state == "running"
            {
                try await undo.step("restart_worker") { try await workers.restartWorker(slug: slug) }
            }
            logger.info("tenant updated", metadata: ["tenant.slug": "\(slug)"])
            return try await tenant(slug)
        }
    }

    // MARK: Suspend and resume

    /// Marks the tenant suspended in its row and file, then drains and stops its worker (its
    /// stations get a going-away close). Suspending a suspended tenant changes nothing.
    public func suspend(_ slug: String) async throws -> TenantState {
        try await locks.withLock(slug) {
            let record = try await liveRecord(slug)
            if record.status == .suspended { return try await tenant(slug) }
            let old = try readConfig(slug)
            var new = old
            new.suspended = true
            let undo = UndoList(logger: logger)
            try await undo.step("write_tenant_file") {
                undo.push("restore_tenant_file") { try files.write(old) }
                try files.write(new)
            }
            try await undo.step("mark_suspended") { try await records.setStatus(id: record.id, .suspended) }
            do {
                try await workers.drainWorker(slug: slug)
            } catch {
                // Suspended in the row and the file all the same: the router refuses the tenant.
                throw PlatformError(
                    .failed, "tenant \(slug) is suspended but its worker did not stop: \(error)",
                    failedStep: "drain_worker")
            }
            logger.notice("tenant suspended", metadata: ["tenant.slug": "\(slug)"])
            return try await tenant(slug)
        }
    }

    /// Marks the tenant active again and starts its worker, waiting until it is healthy; if it
    /// does not become healthy, the tenant stays suspended. Resuming an active tenant restarts a
    /// worker that is not running or healthy (an operator's answer to a crash loop).
    public func resume(_ slug: String) async throws -> TenantState {
        try await locks.withLock(slug) {
            let record = try await liveRecord(slug)
            let current = await workers.workerStatus(slug: slug)
            if record.status == .active, let current, current.state == "running", current.healthy {
                return try await tenant(slug)
            }
            let old = try readConfig(slug)
            var new = old
            new.suspended = false
            let workerLaunch = try await launchFor(record)
            let undo = UndoList(logger: logger)
            try await undo.step("write_tenant_file") {
                undo.push("restore_tenant_file") { try files.write(old) }
                try files.write(new)
            }
            try await undo.step("mark_active") {
                undo.push("restore_status") { try await records.setStatus(id: record.id, record.status) }
                try await records.setStatus(id: record.id, .active)
            }
            try await undo.step("start_worker") {
                undo.push("drain_worker") { try await workers.drainWorker(slug: slug) }
                try files.createRunDirectory()
                if current == nil {
                    try await workers.startWorker(workerLaunch)
                } else {
                    try await workers.resumeWorker(slug: slug)
                }
            }
            try await undo.step("wait_for_worker_health") {
                try await workers.waitUntilServing(slug: slug, timeout: healthTimeout)
            }
            logger.notice("tenant resumed", metadata: ["tenant.slug": "\(slug)"])
            return try await tenant(slug)
        }
    }

    // MARK: Delete

    /// Drains and stops the worker, then removes the tenant file, marks the row deleted, drops
    /// the Redis user (and keys) and the database role, and removes secrets and sockets. With
    /// `eraseData` every row of the tenant is erased (GDPR); otherwise the rows are kept for the
    /// plan's retention period. Deleting is not undone: a failed step is reported and a repeated
    /// DELETE carries on from where it stopped (every step tolerates work already done).
    public func delete(_ slug: String, eraseData: Bool) async throws -> TenantDeletion {
        try await locks.withLock(slug) {
            guard let record = try await records.find(slug: slug) else { throw Self.noTenant(slug) }
            var log = logger
            log[metadataKey: "tenant.slug"] = "\(slug)"
            func step(_ name: String, _ body: () async throws -> Void) async throws {
                do {
                    try await body()
                } catch {
                    log.error("deleting the tenant failed", metadata: ["step": "\(name)", "error": "\(error)"])
                    throw PlatformError(
                        .failed,
                        "deleting tenant \(slug) failed at step \(name): \(error); repeat the request to go on",
                        failedStep: name)
                }
            }
            if record.status != .deleted {
                try await step("stop_worker") { try await workers.removeWorker(slug: slug) }
                try await step("remove_tenant_file") { try files.remove(slug: slug) }
                try await step("mark_deleted") { try await records.setStatus(id: record.id, .deleted) }
            }
            // Also on a tenant already marked deleted: an earlier DELETE may have stopped early.
            try await step("drop_redis_user") { try await provisioner.dropRedisUser(record.databaseRole, slug: slug) }
            try await step("drop_database_role") { try await provisioner.dropRole(record.databaseRole) }
            try await step("remove_secrets") { try provisioner.removeSecrets(slug: slug) }
            try await step("remove_sockets") { try files.removeSockets(slug: slug) }
            if eraseData {
                var erased: Int64 = 0
                try await step("erase_data") { erased = try await records.erase(id: record.id) }
                log.notice("tenant deleted and its data erased", metadata: ["rows": "\(erased)"])
                return .erased(rows: erased)
            }
            log.notice("tenant deleted; its data is retained", metadata: ["plan": "\(record.plan)"])
            return .retained(try await tenant(slug))
        }
    }

    /// Erases the data of every deleted tenant whose retention period is over (what
    /// `DELETE ...?erase_data=true` does at once); returns their slugs. A failure is logged and
    /// the others are still erased; the next run tries it again.
    public func eraseExpired() async throws -> [String] {
        var erased: [String] = []
        for slug in try await records.expired() {
            do {
                _ = try await delete(slug, eraseData: true)
                erased.append(slug)
            } catch {
                logger.error(
                    "cannot erase a deleted tenant whose retention period is over",
                    metadata: ["tenant.slug": "\(slug)", "error": "\(error)"])
            }
        }
        return erased
    }

    // MARK: Helpers

    /// The tenant's row, if it exists and is neither deleted nor still being provisioned.
    private func liveRecord(_ slug: String) async throws -> TenantRecord {
        guard let record = try await records.find(slug: slug), record.status != .deleted else {
            throw Self.noTenant(slug)
        }
        if record.status == .provisioning {
            throw PlatformError(
                .conflict,
                "tenant \(slug) is being provisioned (or its provisioning was interrupted: delete it and create it again)"
            )
        }
        return record
    }

    private func readConfig(_ slug: String) throws -> TenantConfig {
        do {
            return try files.read(slug: slug)
        } catch {
            throw PlatformError(
                .conflict, "the tenant file of \(slug) cannot be used: \(error)", failedStep: "read_tenant_file")
        }
    }

    private func launchFor(_ record: TenantRecord) async throws -> WorkerLaunch {
        let paths = provisioner.secretPaths(slug: record.slug)
        let limits = try await provisioner.planLimits(record.plan)
        return launch(
            ProvisionedTenant(
                slug: record.slug, tenantID: record.id, databaseRole: record.databaseRole,
                postgresPasswordFile: paths.postgres, redisUser: record.databaseRole, redisPasswordFile: paths.redis,
                maxStations: limits?.maxStations, maxConnections: limits?.maxConnections, apiRate: limits?.apiRate))
    }
}

/// The undo actions of the steps done so far. A failing step runs them in reverse order and
/// throws a `.failed` `PlatformError` naming the step (a `PlatformError` the step threw itself,
/// such as a conflict found half-way, keeps its kind). Used by one task at a time.
final class UndoList {
    private var actions: [(name: String, undo: () async throws -> Void)] = []
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Registers how to undo the step being done; push before doing it, so a step that fails
    /// half-way is undone too (undo actions tolerate work not done).
    func push(_ name: String, _ undo: @escaping () async throws -> Void) {
        actions.append((name, undo))
    }

    func step<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let (undone, failures) = await rollBack()
            if var platformError = error as? PlatformError {
                platformError.failedStep = platformError.failedStep ?? name
                platformError.rolledBack = undone
                platformError.rollbackFailures = failures
                throw platformError
            }
            logger.error(
                "platform operation failed; earlier steps undone",
                metadata: ["step": "\(name)", "error": "\(error)", "undone": "\(undone.joined(separator: ", "))"])
            throw PlatformError(
                .failed, "step \(name) failed: \(error)", failedStep: name, rolledBack: undone,
                rollbackFailures: failures)
        }
    }

    private func rollBack() async -> (undone: [String], failures: [String]) {
        var undone: [String] = []
        var failures: [String] = []
        for action in actions.reversed() {
            do {
                try await action.undo()
                undone.append(action.name)
            } catch {
                logger.error("undo step failed", metadata: ["step": "\(action.name)", "error": "\(error)"])
                failures.append("\(action.name): \(error)")
            }
        }
        actions.removeAll()
        return (undone, failures)
    }
}
