// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import Common
import HTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import and export a tenant's id tokens (RFID cards, app tokens) in bulk.",
        subcommands: [Import.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a CSV or JSON file of id tokens to a tenant, with a progress bar.",
            discussion: """
                CSV: a header row token,type,status,expires_at,parent_token (only token is required). JSON: an \
                array of objects with those members. Tokens that exist (same token and type) are updated. Without \
                --partial one bad row means nothing is imported; every bad row is reported by its line (CSV) or \
                index (JSON). Exit status: 0 when no row was rejected, 1 when rows were rejected, 2 when the \
                request was refused or failed.
                """)

        @Argument(help: "The file to import (at most 32 MiB).") var file: String
        @Flag(help: "Import the good rows even when some are bad.") var partial = false
        @Option(help: "The file's format (default: from its extension, .csv or .json).") var format: TokenFileFormat?
        @OptionGroup var target: TenantOptions

        func validate() throws {
            if format == nil && TokenFileFormat(path: file) == nil {
                throw ValidationError("cannot tell the format of '\(file)' from its extension; give --format csv|json")
            }
        }

        func run() async throws {
            let outcome = await TokenImport.run(
                file: file, format: format ?? TokenFileFormat(path: file) ?? .csv, partial: partial, target: target)
            outcome.emit()
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every id token of a tenant to stdout, in the form tokens import reads.",
            discussion: "Example: open-csms tokens export --tenant acme --format csv > tokens.csv")

        @Option(help: "csv or json.") var format: TokenFileFormat = .csv
        @OptionGroup var target: TenantOptions

        func run() async throws {
            let outcome = await TokenExport.run(format: format, target: target)
            outcome.emit()
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}

enum TokenFileFormat: String, ExpressibleByArgument, Sendable, CaseIterable {
    case csv, json

    init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".json") {
            self = .json
        } else {
            return nil
        }
    }

    var contentType: String { self == .csv ? "text/csv" : "application/json" }
}

/// What a command prints and its exit status, computed without I/O.
struct CommandResult: Equatable, Sendable {
    var stdout: [UInt8] = []
    var stderr: String = ""
    var exitCode: Int32 = 0

    init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout.isEmpty ? [] : Array((stdout.hasSuffix("\n") ? stdout : stdout + "\n").utf8)
        self.stderr = stderr
        self.exitCode = exitCode
    }

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    func emit() {
        if !stdout.isEmpty { Terminal.writeBytes(stdout, to: 1) }
        if !stderr.isEmpty { Terminal.write(stderr, to: 2) }
    }
}

/// Shared by the token commands: the environment, the stored sessions and the HTTP client.
enum TenantCall {
    static let environmentNames = ["OPEN_CSMS_URL", "OPEN_CSMS_TENANT_API_KEY", "XDG_CONFIG_HOME", "HOME"]

    static func connection(_ target: TenantOptions) -> Result<TenantConnection, TenantTargetError> {
        let environment = ProcessEnvironment.read(environmentNames)
        return Result { () throws(TenantTargetError) in
            try target.connection(
                environment: environment, readSecret: { path in try SecretFile.read(path) },
                sessions: { () throws(CredentialsError) in
                    try CredentialsFile(path: CredentialsFile.defaultPath(environment: environment)).load()
                }, now: UTCTime.now())
        }
    }

    static func client(timeout: Duration, maximumResponseBodySize: Int) -> OutboundHTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.maximumConcurrentTransfers = 1
        configuration.timeout = timeout
        configuration.connectTimeout = min(timeout, .seconds(10))
        configuration.maximumResponseBodySize = maximumResponseBodySize
        return OutboundHTTPClient(configuration: configuration)
    }

    /// A refused or failed answer, with a hint when a stored session was refused.
    static func failure(status: Int, body: [UInt8], connection: TenantConnection, exitCode: Int32?) -> CommandResult {
        let report = ProblemReport.response(status: status, body: body)
        var message = report.message
        if status == 401 && connection.fromStoredSession {
            message += "\n(the session stored by open-csms login was refused; run open-csms login again)"
        }
        return CommandResult(stderr: message, exitCode: exitCode ?? report.exitCode)
    }
}

/// `open-csms tokens import`: `POST /api/v1/tokens/import[?partial=true]` with the file as body.
enum TokenImport {
    /// The endpoint refuses larger bodies with 413; refusing them here saves the upload.
    static let maximumFileSize = 32 * 1024 * 1024

    /// Exit status 1: the server read the file and rejected rows.
    static let rowsRejectedExit: Int32 = 1
    /// Exit status 2: the request was refused as a whole or failed.
    static let refusedExit: Int32 = 2

    static func request(
        _ body: [UInt8], format: TokenFileFormat, partial: Bool, on connection: TenantConnection,
        progress: (@Sendable (HTTPClientProgress) -> Void)? = nil
    ) -> HTTPClientRequest {
        let headers: HTTPClientHeaders = [
            "Content-Type": format.contentType, "Accept": "application/json, application/problem+json",
            "Authorization": "Bearer \(connection.credential)",
        ]
        return HTTPClientRequest(
            method: .post, url: connection.baseURL + "/api/v1/tokens/import" + (partial ? "?partial=true" : ""),
            headers: headers, body: body, timeout: connection.timeout, progress: progress)
    }

    static func run(file: String, format: TokenFileFormat, partial: Bool, target: TenantOptions) async -> CommandResult
    {
        let connection: TenantConnection
        switch TenantCall.connection(target) {
        case .success(let value): connection = value
        case .failure(let error): return CommandResult(stderr: error.message, exitCode: refusedExit)
        }
        let body: [UInt8]
        do {
            body = try readFile(file)
        } catch {
            return CommandResult(stderr: error.message, exitCode: refusedExit)
        }
        let display = UploadProgressDisplay(interactive: isatty(2) == 1) { text in
            Terminal.writeBytes(Array(text.utf8), to: 2)
        }
        // The answer lists every bad row; 100,000 of them are a few MiB.
        let client = TenantCall.client(timeout: connection.timeout, maximumResponseBodySize: 64 * 1024 * 1024)
        let result: CommandResult
        do {
            let response = try await client.send(
                request(body, format: format, partial: partial, on: connection) { display.update($0) })
            display.finish()
            result = outcome(status: response.status, body: response.body, partial: partial, connection: connection)
        } catch {
            display.finish()
            result = CommandResult(stderr: error.message, exitCode: refusedExit)
        }
        try? await client.shutdown()
        return result
    }

    /// The whole file, refused beyond ``maximumFileSize``.
    static func readFile(_ path: String) throws(TenantTargetError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TenantTargetError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw TenantTargetError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_size <= maximumFileSize else {
            throw TenantTargetError(
                "\(path) is \(ProgressBar.size(Int64(info.st_size))); the import takes at most 32 MiB per file: "
                    + "split it and import the parts one after another")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var buffer = [UInt8](repeating: 0, count: 1024 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw TenantTargetError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            guard bytes.count <= maximumFileSize else {
                throw TenantTargetError("\(path) grew past 32 MiB while it was read; the import takes at most 32 MiB")
            }
        }
        return bytes
    }

    /// One bad row as the server reported it.
    struct RowError: Equatable, Sendable {
        var line: Int?
        var index: Int?
        var token: String?
        /// The column or member at fault, when the server names one.
        var field: String?
        var detail: String

        /// `line 12: TAG-1: type: unknown type 'Foo'` (CSV), `index 3: …` (JSON). Control characters
        /// in the file's text are shown as spaces so a hostile file cannot drive the terminal.
        var text: String {
            var parts: [String] = []
            if let line { parts.append("line \(line)") } else if let index { parts.append("index \(index)") }
            if let token, !token.isEmpty { parts.append(Rendering.cell(.string(token))) }
            if let field, !field.isEmpty, !detail.hasPrefix(field) { parts.append(Rendering.cell(.string(field))) }
            parts.append(Rendering.cell(.string(detail)))
            return parts.joined(separator: ": ")
        }

        static func list(in document: JSONText) -> [RowError] {
            guard case .array(let entries)? = document["errors"] else { return [] }
            return entries.map { entry in
                switch entry {
                case .string(let text): return RowError(detail: text)
                default:
                    return RowError(
                        line: entry["line"].flatMap(DeviceAuthorization.integer),
                        index: entry["index"].flatMap(DeviceAuthorization.integer),
                        token: entry["token"]?.stringValue, field: entry["field"]?.stringValue,
                        detail: entry["detail"]?.stringValue ?? entry["message"]?.stringValue ?? entry.serialized)
                }
            }
        }
    }

    /// Maps the answer to the printed result; pure, so every case is unit-tested.
    static func outcome(status: Int, body: [UInt8], partial: Bool, connection: TenantConnection) -> CommandResult {
        let document = try? JSONText.parse(body)
        func count(_ name: String) -> Int? { document?[name].flatMap(DeviceAuthorization.integer) }
        func summary(_ errors: [RowError], imported: Int, updated: Int, rejected: Int) -> String {
            // Rows equal to the stored token are neither imported nor updated; say so when there are any.
            let unchanged = count("unchanged").flatMap { $0 > 0 ? " (\($0) unchanged)" : nil } ?? ""
            return (["imported \(imported), updated \(updated), rejected \(rejected)\(unchanged)"] + errors.map(\.text))
                .joined(separator: "\n")
        }
        switch status {
        case 200..<300:
            guard let document, case .object = document, let imported = count("imported") else {
                return CommandResult(
                    stderr: "the import answered HTTP \(status) without the counts imported, updated, rejected; "
                        + "check the tenant URL", exitCode: refusedExit)
            }
            let errors = RowError.list(in: document)
            let rejected = count("rejected") ?? errors.count
            return CommandResult(
                stdout: summary(errors, imported: imported, updated: count("updated") ?? 0, rejected: rejected),
                exitCode: rejected > 0 ? rowsRejectedExit : 0)
        case 422:
            // Nothing was imported because of bad rows: the rows are in `errors`, a member of the
            // problem document (RFC 9457 §3.2 extension) or of a plain body.
            let errors = document.map(RowError.list) ?? []
            guard !errors.isEmpty else {
                return TenantCall.failure(status: status, body: body, connection: connection, exitCode: refusedExit)
            }
            let title = document?["title"]?.stringValue
            let detail = document?["detail"]?.stringValue
            var message = [title, detail].compactMap { $0 }.joined(separator: ": ")
            if message.isEmpty { message = "the file has bad rows" }
            message += partial ? "" : "\nnothing was imported; --partial imports the good rows"
            return CommandResult(
                stdout: summary(
                    errors, imported: 0, updated: 0, rejected: count("rejected") ?? errors.count),
                stderr: message, exitCode: rowsRejectedExit)
        case 413:
            var result = TenantCall.failure(status: status, body: body, connection: connection, exitCode: refusedExit)
            result.stderr += "\n(the import takes at most 32 MiB per file: split it)"
            return result
        default:
            return TenantCall.failure(status: status, body: body, connection: connection, exitCode: refusedExit)
        }
    }
}

/// `open-csms tokens export`: `GET /api/v1/tokens/export?format=csv|json`, the body to stdout.
enum TokenExport {
    static func request(format: TokenFileFormat, on connection: TenantConnection) -> HTTPClientRequest {
        HTTPClientRequest(
            url: connection.baseURL + "/api/v1/tokens/export?format=\(format.rawValue)",
            headers: [
                "Accept": "\(format.contentType), application/problem+json",
                "Authorization": "Bearer \(connection.credential)",
            ], timeout: connection.timeout)
    }

    static func run(format: TokenFileFormat, target: TenantOptions) async -> CommandResult {
        let connection: TenantConnection
        switch TenantCall.connection(target) {
        case .success(let value): connection = value
        case .failure(let error): return CommandResult(stderr: error.message, exitCode: ProblemReport.clientErrorExit)
        }
        let client = TenantCall.client(timeout: connection.timeout, maximumResponseBodySize: 512 * 1024 * 1024)
        var result: CommandResult
        do {
            let response = try await client.send(request(format: format, on: connection))
            if (200..<300).contains(response.status) {
                result = CommandResult()
                result.stdout = response.body
            } else {
                result = TenantCall.failure(
                    status: response.status, body: response.body, connection: connection, exitCode: nil)
            }
        } catch {
            result = CommandResult(stderr: error.message, exitCode: ProblemReport.serverErrorExit)
        }
        try? await client.shutdown()
        return result
    }
}
