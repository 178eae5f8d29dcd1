// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import HTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign in with the platform's identity provider and keep the session for later commands.",
        discussion: """
            Uses the device authorization grant (RFC 8628): the command prints a web address and a code, you \
            sign in there in any browser, and the command then exchanges the provider's token for a platform \
            session token at the control plane (/auth/token). The session is stored in \
            $XDG_CONFIG_HOME/open-csms/credentials.json (default ~/.config/open-csms/credentials.json, mode \
            0600) for this control plane and tenant; the platform commands use it when no API key is given, \
            the tenant commands (tokens) when no tenant API key is given. Sessions are short-lived \
            (identity.session_lifetime, 15 minutes by default): log in again when one has expired.
            """)

    @Option(
        help: ArgumentHelp(
            "The control plane's URL, where /auth/ is served: https://admin.<base-domain>, or its listen.admin "
                + "address (default: $OPEN_CSMS_URL, else \(GlobalOptions.defaultURL))."))
    var adminURL: String?

    @Option(help: "Sign in for this tenant (tenant roles); without it, for the platform (platform roles).")
    var tenant: String?

    @Option(help: "Seconds to wait for each request (the sign-in itself may take until the code expires).")
    var timeout = 30

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds") }
    }

    func run() async throws {
        let environment = ProcessEnvironment.read(["OPEN_CSMS_URL", "XDG_CONFIG_HOME", "HOME"])
        let admin = AdminURL.resolve(adminURL, environment: environment)
        guard admin.hasPrefix("http://") || admin.hasPrefix("https://") else {
            throw ValidationError("--admin-url must be http(s)://host[:port], got '\(admin)'")
        }
        let file: CredentialsFile
        do {
            file = CredentialsFile(path: try CredentialsFile.defaultPath(environment: environment))
        } catch {
            Terminal.write(error.message, to: 2)
            throw ExitCode(ProblemReport.clientErrorExit)
        }
        var configuration = HTTPClientConfiguration()
        configuration.maximumConcurrentTransfers = 1
        configuration.timeout = .seconds(timeout)
        configuration.connectTimeout = min(.seconds(timeout), .seconds(10))
        let client = OutboundHTTPClient(configuration: configuration)
        let session: StoredSession
        do {
            session = try await DeviceLogin.run(
                adminURL: admin, tenant: tenant, client: client, timeout: .seconds(timeout)
            ) { instruction in
                Terminal.write(instruction, to: 2)
                Terminal.write("Waiting for the sign-in to be approved…", to: 2)
            }
        } catch {
            try? await client.shutdown()
            Terminal.write(error.message, to: 2)
            throw ExitCode(error.exitCode)
        }
        try? await client.shutdown()
        do {
            // A damaged or foreign file is replaced: the new session is what the user asked for.
            let existing = (try? file.load()) ?? []
            try file.save(SessionLookup.replacing(existing, with: session, now: UTCTime.now()))
        } catch {
            Terminal.write(error.message, to: 2)
            throw ExitCode(ProblemReport.clientErrorExit)
        }
        Terminal.write(
            "logged in to \(session.scope)" + (session.role.map { " as \($0)" } ?? "")
                + "; the session lasts until \(UTCTime.format(session.expiresAt))", to: 1)
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forget a session stored by open-csms login.",
        discussion: """
            Removes the session from the credentials file; the token itself stays valid at the servers until \
            it expires (sessions are short-lived).
            """)

    @Option(help: "The control plane's URL given to login (default: $OPEN_CSMS_URL, else \(GlobalOptions.defaultURL)).")
    var adminURL: String?

    @Option(help: "The tenant given to login; without it, the platform session.")
    var tenant: String?

    @Flag(help: "Forget every stored session.")
    var all = false

    func run() async throws {
        let environment = ProcessEnvironment.read(["OPEN_CSMS_URL", "XDG_CONFIG_HOME", "HOME"])
        let key = CredentialsFile.key(forAdminURL: AdminURL.resolve(adminURL, environment: environment))
        do {
            let file = CredentialsFile(path: try CredentialsFile.defaultPath(environment: environment))
            let sessions = try file.load()
            let kept = all ? [] : sessions.filter { !($0.adminURL == key && $0.tenant == tenant) }
            guard kept.count < sessions.count else {
                let scope = StoredSession(adminURL: key, tenant: tenant, accessToken: "", expiresAt: 0).scope
                Terminal.write(all ? "no stored sessions" : "no stored session for \(scope)", to: 1)
                return
            }
            try file.save(kept)
            Terminal.write(
                all
                    ? "forgot \(sessions.count) session(s)"
                    : "logged out of \(StoredSession(adminURL: key, tenant: tenant, accessToken: "", expiresAt: 0).scope)",
                to: 1)
        } catch {
            Terminal.write(error.message, to: 2)
            throw ExitCode(ProblemReport.clientErrorExit)
        }
    }
}

enum AdminURL {
    /// The option, then `$OPEN_CSMS_URL` (the platform commands' URL: the control plane serves
    /// /auth/ and /platform/v1/ on the same listeners), then the default.
    static func resolve(_ option: String?, environment: [String: String]) -> String {
        option ?? environment["OPEN_CSMS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? GlobalOptions.defaultURL
    }
}

enum ProcessEnvironment {
    static func read(_ names: [String]) -> [String: String] {
        names.reduce(into: [String: String]()) { environment, name in
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
    }
}

extension PlatformConnection {
    /// Without a key, the platform session `open-csms login` stored for this control plane.
    func withStoredSession(_ sessions: [StoredSession], now: Int64) throws(CredentialsError) -> PlatformConnection {
        guard apiKey == nil,
            let session = try SessionLookup.token(in: sessions, adminURL: baseURL, tenant: nil, now: now)
        else { return self }
        var connection = self
        connection.apiKey = session.accessToken
        connection.fromStoredSession = true
        return connection
    }
}
