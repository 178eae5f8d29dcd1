// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import Common
import HTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct OpenCSMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-csms",
        abstract: "Manage an Open-CSMS platform: tenants, billing plans, workers, usage and id tokens.",
        discussion: """
            Talks to the control plane's platform API (and, for tokens, to a tenant's API). Errors print as \
            'title: detail' on stderr; the exit status is 1 when the request was refused (HTTP 4xx) and 2 when \
            the server failed or could not be reached (HTTP 5xx, connection, timeout); tokens import has its \
            own (see its --help). 'open-csms login' stores a session the other commands use when no key is given.
            """,
        version: CSMSVersion.current,
        subcommands: [Tenants.self, Plans.self, Workers.self, Usage.self, Login.self, Logout.self, Tokens.self])

    /// The entry point. ArgumentParser's `main()` has a synchronous and an asynchronous overload, and
    /// top-level code in main.swift resolves to the synchronous one, which refuses async commands.
    static func start() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    static let defaultURL = "http://127.0.0.1:8090"

    @Option(help: "Base URL of the platform API (default: $OPEN_CSMS_URL, else \(GlobalOptions.defaultURL)).")
    var url: String?

    @Option(
        help: ArgumentHelp(
            "Platform API key (default: $OPEN_CSMS_API_KEY, else the platform session stored by open-csms login). "
                + "Prefer --api-key-file: arguments are visible to other users."))
    var apiKey: String?

    @Option(help: "File (mode 0600) holding the platform API key.")
    var apiKeyFile: String?

    @Flag(help: "Print the server's JSON answer as it is instead of a table.")
    var json = false

    @Option(help: "Seconds to wait for the whole exchange.")
    var timeout = 30

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds") }
        if apiKey != nil && apiKeyFile != nil {
            throw ValidationError("give either --api-key or --api-key-file, not both")
        }
    }

    /// The connection from the options, then the environment, then the defaults. `readSecret`
    /// reads the key file (``SecretFile/read(_:)`` in the tool, a stub in tests).
    func connection(
        environment: [String: String], readSecret: (String) throws -> String
    ) throws -> PlatformConnection {
        let base = url ?? environment["OPEN_CSMS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultURL
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), !base.contains("?"), !base.contains("#") else {
            throw ValidationError(
                "the platform API URL must be http(s)://host[:port][/path] without a query, got '\(base)'")
        }
        var key = apiKey
        if let apiKeyFile {
            do {
                key = try readSecret(apiKeyFile)
            } catch {
                throw ValidationError("--api-key-file: \(error)")
            }
        }
        if key == nil { key = environment["OPEN_CSMS_API_KEY"].flatMap { $0.isEmpty ? nil : $0 } }
        return PlatformConnection(baseURL: base, apiKey: key, timeout: .seconds(timeout))
    }
}

/// A command that is one platform API call.
protocol PlatformCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func platformCall() throws -> PlatformCall
}

extension PlatformCommand {
    func run() async throws {
        let environment = ProcessEnvironment.read(["OPEN_CSMS_URL", "OPEN_CSMS_API_KEY", "XDG_CONFIG_HOME", "HOME"])
        var connection = try global.connection(environment: environment) { path in try SecretFile.read(path) }
        if connection.apiKey == nil, let path = try? CredentialsFile.defaultPath(environment: environment) {
            // No key given: the platform session `open-csms login` stored, if there is one.
            do {
                connection = try connection.withStoredSession(CredentialsFile(path: path).load(), now: UTCTime.now())
            } catch {
                Terminal.write(error.message, to: 2)
                throw ExitCode(ProblemReport.clientErrorExit)
            }
        }
        let outcome = await PlatformRunner.execute(try platformCall(), on: connection, json: global.json)
        switch outcome {
        case .success(let text):
            if !text.isEmpty { Terminal.write(text, to: 1) }
        case .failure(let report):
            Terminal.write(report.message, to: 2)
            throw ExitCode(report.exitCode)
        }
    }
}

/// The result of a command: what to print on stdout, or the failure report for stderr.
enum CommandOutcome: Equatable, Sendable {
    case success(String)
    case failure(ProblemReport)
}

enum PlatformRunner {
    static func execute(_ call: PlatformCall, on connection: PlatformConnection, json: Bool) async -> CommandOutcome {
        var configuration = HTTPClientConfiguration()
        configuration.maximumConcurrentTransfers = 1
        configuration.timeout = connection.timeout
        configuration.connectTimeout = min(connection.timeout, .seconds(10))
        let client = OutboundHTTPClient(configuration: configuration)
        let outcome = await execute(call, on: connection, json: json, client: client)
        try? await client.shutdown()
        return outcome
    }

    static func execute(
        _ call: PlatformCall, on connection: PlatformConnection, json: Bool, client: OutboundHTTPClient
    ) async -> CommandOutcome {
        do {
            if case .updatePlan(let name, let fields) = call {
                let current = try await client.send(call.request(on: connection))
                guard (200..<300).contains(current.status) else {
                    return .failure(.response(status: current.status, body: current.body))
                }
                guard let plan = try? JSONText.parse(current.body) else {
                    return .failure(
                        ProblemReport(
                            message: "GET \(call.path) answered with a body that is not JSON; the plan was not changed",
                            exitCode: ProblemReport.serverErrorExit))
                }
                let replace = PlatformCall.replacePlan(name: name, plan: fields.merged(into: plan, name: name))
                let response = try await client.send(replace.request(on: connection))
                return outcome(of: replace, status: response.status, body: response.body, json: json)
            }
            let response = try await client.send(call.request(on: connection))
            var result = outcome(of: call, status: response.status, body: response.body, json: json)
            if response.status == 401, connection.fromStoredSession, case .failure(var report) = result {
                report.message += "\n(the session stored by open-csms login was refused; run open-csms login again)"
                result = .failure(report)
            }
            return result
        } catch {
            return .failure(.transport(error))
        }
    }

    /// Maps an answer to the printed outcome; pure, so it is unit-tested without a server.
    static func outcome(of call: PlatformCall, status: Int, body: [UInt8], json: Bool) -> CommandOutcome {
        guard (200..<300).contains(status) else { return .failure(.response(status: status, body: body)) }
        if json { return .success(String(decoding: body, as: UTF8.self)) }
        return .success(Rendering.render(body, as: call.presentation))
    }
}

enum Terminal {
    /// Writes `text` and a newline to a file descriptor (1 = stdout, 2 = stderr).
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        writeBytes(bytes, to: descriptor)
    }

    /// Writes `bytes` as they are (no newline added): a progress bar redrawn in place, an export.
    static func writeBytes(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
