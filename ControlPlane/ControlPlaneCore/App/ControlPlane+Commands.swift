// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Config
import Foundation
public import Logging
import Migrations
import Postgres

extension ControlPlane {
    /// One-time database set-up with a superuser: roles, database, schema. The control-plane role's
    /// password is taken from `postgres.password_file` (created with a random password if absent).
    public static func bootstrapDatabase(configPath: String, superuserConninfo: String, logger: Logger) async throws {
        let platform: PlatformConfig
        do {
            platform = try PlatformConfig.load(path: configPath)
        } catch {
            throw ControlPlaneError("invalid platform configuration:\n\(error)")
        }
        let password = try SecretFile.readOrCreate(platform.postgres.passwordFile)
        let superuser = PGPool(
            configuration: PGPoolConfiguration(
                conninfo: superuserConninfo, maxConnections: 1, applicationName: "bootstrap"),
            logger: logger)
        defer { Task { await superuser.shutdown() } }
        // libpq takes the last value of a repeated keyword, so appending dbname overrides the
        // superuser string's own, however that string is quoted.
        let dbConninfo = superuserConninfo + " " + PGConnectionString.make(["dbname": platform.postgres.database])
        try await DatabaseBootstrap(database: platform.postgres.database, logger: logger)
            .run(superuser: superuser, databaseConninfo: dbConninfo, controlPassword: password)
        logger.info("database bootstrapped", metadata: ["db.name": "\(platform.postgres.database)"])
    }

    /// Validates every configuration file and returns a report listing every error. A tenant's
    /// plan may be one of platform.yaml's or one made through the platform API: when the database
    /// answers (within 3 s), its plans count too; otherwise the report says they were not checked.
    public static func checkConfiguration(configPath: String, logger: Logger) async -> (ok: Bool, text: String) {
        var platform: PlatformConfig
        do {
            platform = try PlatformConfig.load(path: configPath)
        } catch {
            return (false, "\(error)")
        }
        var note = ""
        do {
            let pool = PGPool(
                configuration: PGPoolConfiguration(
                    conninfo: try controlConninfo(platform), maxConnections: 1, connectTimeout: .seconds(3),
                    applicationName: "controlplane check-config"),
                logger: logger)
            defer { Task { await pool.shutdown() } }
            let names = try await withTimeout(.seconds(5), operation: "reading csms.plans") {
                try await pool.query("SELECT name FROM csms.plans").rows.map { try $0.decode(String.self, column: 0) }
            }
            platform.databasePlanNames = Set(names).subtracting(platform.plans.map(\.name))
        } catch {
            note = "; plans made through the platform API were not checked (the database did not answer: \(error))"
        }
        let (tenants, errors) = TenantConfig.loadAll(directory: platform.tenantsDirectory, platform: platform)
        if let errors { return (false, "\(errors)" + (note.isEmpty ? "" : "\n" + note.dropFirst(2))) }
        return (
            true,
            "\(configPath): ok; \(tenants.count) tenant(s): \(tenants.map(\.slug).joined(separator: ", "))\(note)"
        )
    }
}
