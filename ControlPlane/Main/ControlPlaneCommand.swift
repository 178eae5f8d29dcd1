// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import Config
import ControlPlaneCore
import Foundation
import Logging

@main
struct ControlPlaneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controlplane",
        abstract: "The Open-CSMS control plane: provisions tenants and supervises one worker per tenant.",
        subcommands: [Run.self, Migrate.self, BootstrapDatabase.self, CheckConfig.self],
        defaultSubcommand: Run.self)
}

struct CommonOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Path of platform.yaml.") var config = "platform.yaml"
    @Option(
        help:
            "Log level (trace, debug, info, notice, warning, error, critical); default: logging.level of platform.yaml."
    )
    var logLevel: String?

    func makeLogger() -> Logger {
        // The option wins; else the file's level (an unreadable file is reported later, with its errors).
        let configured = (try? PlatformConfig.load(path: config))?.logging.level.rawValue
        let level = Logger.Level(rawValue: logLevel ?? configured ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "controlplane")
    }
}

/// Exits with a readable message instead of a stack of Swift error descriptions.
func fail(_ logger: Logger, _ error: any Error) -> ExitCode {
    logger.critical("\(error)")
    return ExitCode(78)  // EX_CONFIG: nothing will change by retrying without an operator
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate, provision and supervise (the default).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        umask(0o077)
        let logger = options.makeLogger()
        let controlPlane: ControlPlane
        do {
            controlPlane = try ControlPlane(configPath: options.config, logger: logger)
        } catch {
            throw fail(logger, error)
        }
        do {
            try await controlPlane.run()
        } catch is CancellationError {
            return
        } catch {
            throw fail(logger, error)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = options.makeLogger()
        do {
            let controlPlane = try ControlPlane(configPath: options.config, logger: logger)
            defer { Task { await controlPlane.shutdown() } }
            try await controlPlane.migrate()
        } catch {
            throw fail(logger, error)
        }
    }
}

struct BootstrapDatabase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap-db",
        abstract: "Create the database, the owner and control-plane roles and the schema (needs a superuser).")
    @OptionGroup var options: CommonOptions
    @Option(help: "libpq connection string of a PostgreSQL superuser (any database).") var superuser: String

    func run() async throws {
        let logger = options.makeLogger()
        do {
            try await ControlPlane.bootstrapDatabase(
                configPath: options.config, superuserConninfo: superuser, logger: logger)
        } catch {
            throw fail(logger, error)
        }
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate platform.yaml and every tenant file; list every error.")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        var logger = Logger(label: "controlplane")
        logger.logLevel = .critical
        let report = await ControlPlane.checkConfiguration(configPath: options.config, logger: logger)
        FileHandle.standardError.write(Data((report.text + "\n").utf8))
        if !report.ok { throw ExitCode(1) }
    }
}
