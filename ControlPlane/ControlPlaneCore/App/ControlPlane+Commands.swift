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

    /// Validates every configuration file and returns a report listing every error.
    public static func checkConfiguration(configPath: String) -> (ok: Bool, text: String) {
        let platform: PlatformConfig
        do {
            platform = try PlatformConfig.load(path: configPath)
        } catch {
            return (false, "\(error)")
        }
        let (tenants, errors) = TenantConfig.loadAll(directory: platform.tenantsDirectory, platform: platform)
        if let errors { return (false, "\(errors)") }
        return (true, "\(configPath): ok; \(tenants.count) tenant(s): \(tenants.map(\.slug).joined(separator: ", "))")
    }
}
