// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPClient
import Identity
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real OpenID provider we did not write: `nanoidp` (PyPI, pinned 3.4.0) on a free loopback
/// port, with a temporary configuration (one user with groups, one confidential client with a
/// registered redirect URI, the `oauth21` profile: PKCE S256 required, refresh-token rotation).
///
/// The Python that has nanoidp installed is named by `CSMS_TEST_NANOIDP_PYTHON`
/// (`scripts/test.sh` sets it); without it the tests fail saying so.
final class NanoIDP: Sendable {
    static let clientID = "open-csms-test"
    static let username = "alice"
    static let password = "alice-password-1"
    static let groups = ["csms-platform-admins", "tenant-a-operators"]
    /// `oauth.audience`: the `aud` of nanoidp's access tokens.
    static let accessTokenAudience = "open-csms-api"
    /// Nothing listens there; the login stops at the 302 that names it, as a browser's would.
    static let redirectURI = "http://127.0.0.1:9/auth/callback"

    let port: Int
    let issuer: String
    let clientSecret: String
    let directory: String
    private let process: Process
    /// The provider's stdin: closing it (or the test process dying) makes it exit at once.
    private let lifeline: Pipe

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    var settings: OIDCProviderSettings {
        OIDCProviderSettings(
            issuer: issuer, clientID: Self.clientID, clientSecret: clientSecret, redirectURI: Self.redirectURI,
            requestedIDTokenClaims: ["groups", "email"], allowInsecureLoopback: true)
    }

    private init(port: Int, clientSecret: String, directory: String, process: Process, lifeline: Pipe) {
        self.port = port
        self.issuer = "http://127.0.0.1:\(port)"
        self.clientSecret = clientSecret
        self.directory = directory
        self.process = process
        self.lifeline = lifeline
    }

    /// Starts the provider and waits until its discovery document answers (at most 30 s).
    static func start() async throws -> NanoIDP {
        guard let python = ProcessInfo.processInfo.environment["CSMS_TEST_NANOIDP_PYTHON"], !python.isEmpty else {
            throw Failure(
                description: "CSMS_TEST_NANOIDP_PYTHON is not set: run the tests through ./scripts/test.sh, or point "
                    + "it at a python with nanoidp installed (python3 -m venv V && V/bin/pip install nanoidp==3.4.0)")
        }
        let directory = try TestEnvironment.temporaryDirectory("nanoidp")
        let port = try TestEnvironment.freePort()
        let secret = "secret-" + TestEnvironment.uniqueSuffix() + TestEnvironment.uniqueSuffix()
        try settingsYAML(port: port, secret: secret, directory: directory)
            .write(toFile: directory + "/settings.yaml", atomically: true, encoding: .utf8)
        try usersYAML.write(toFile: directory + "/users.yaml", atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", launcher, "--config", directory, "--port", "\(port)", "--host", "127.0.0.1"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let lifeline = Pipe()
        process.standardInput = lifeline
        _ = FileManager.default.createFile(atPath: directory + "/nanoidp.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/nanoidp.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let provider = NanoIDP(
            port: port, clientSecret: secret, directory: directory, process: process, lifeline: lifeline)
        do {
            try await provider.waitUntilReady()
        } catch {
            await provider.stop()
            throw error
        }
        return provider
    }

    /// Runs `body` with a started provider and stops it afterwards, also when `body` throws.
    static func with<T: Sendable>(_ body: (NanoIDP) async throws -> T) async throws -> T {
        let provider = try await start()
        do {
            let result = try await body(provider)
            await provider.stop()
            return result
        } catch {
            await provider.stop()
            throw error
        }
    }

    /// Ends the provider (its stdin closes and it exits; SIGKILL if it has not within 5 s) and
    /// removes its folder.
    func stop() async {
        try? lifeline.fileHandleForWriting.close()
        if !(await process.exit(within: .seconds(5))) {
            kill(process.processIdentifier, SIGKILL)
            await process.exit(within: .seconds(5))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var isRunning: Bool { process.isRunning }

    var logText: String { (try? String(contentsOfFile: directory + "/nanoidp.log", encoding: .utf8)) ?? "" }

    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure(description: "nanoidp exited with \(process.terminationStatus):\n\(logText.suffix(3000))")
            }
            let response = try? await send(
                HTTPClientRequest(
                    url: issuer + "/.well-known/openid-configuration", connectTimeout: .seconds(1),
                    timeout: .seconds(2)))
            if response?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "nanoidp did not answer discovery within 30 s:\n\(logText.suffix(3000))")
    }

    /// Rotates the signing key through nanoidp's management API (`POST /api/keys/rotate`): the new
    /// key signs from now on, the old one stays in the JWKS as a previous key.
    func rotateKeys() async throws -> (old: String, new: String) {
        let response = try await send(HTTPClientRequest(method: .post, url: issuer + "/api/keys/rotate"))
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let old = object["old_kid"] as? String, let new = object["new_kid"] as? String
        else {
            throw Failure(description: "key rotation failed: \(response.status) \(response.bodyText)")
        }
        return (old, new)
    }

    /// What a browser does with the authorization URL: GET shows the login form (and sets the
    /// session cookie that binds the transaction to this browser), POST of the form with the
    /// password answers 302 to the redirect URI. Returns that `Location`.
    func browserLogin(
        authorizationURL: String, username: String = NanoIDP.username, password: String = NanoIDP.password
    ) async throws -> String {
        let page = try await send(HTTPClientRequest(url: authorizationURL))
        guard page.status == 200 else {
            throw Failure(description: "GET authorize answered \(page.status): \(page.bodyText.prefix(500))")
        }
        let cookies = page.headers.values(for: "Set-Cookie").compactMap { $0.split(separator: ";").first }
        let html = page.bodyText
        guard let marker = html.range(of: "name=\"transaction_id\" value=\""),
            let end = html[marker.upperBound...].firstIndex(of: "\"")
        else {
            throw Failure(description: "the login page has no transaction_id: \(html.prefix(500))")
        }
        let transaction = String(html[marker.upperBound..<end])
        var headers = HTTPClientHeaders()
        headers.add(name: "Cookie", value: cookies.joined(separator: "; "))
        // The page's form has no action: a browser posts it back to the URL of the page.
        let answer = try await send(
            .form(
                url: authorizationURL,
                fields: [("transaction_id", transaction), ("username", username), ("password", password)],
                headers: headers))
        guard answer.status == 302, let location = answer.headers["Location"] else {
            throw Failure(description: "the login POST answered \(answer.status): \(answer.bodyText.prefix(500))")
        }
        return location
    }

    /// The query of a redirect `Location`.
    static func query(of location: String) -> String {
        guard let question = location.firstIndex(of: "?") else { return "" }
        return String(location[location.index(after: question)...])
    }

    private func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let client = OutboundHTTPClient()
        do {
            let response = try await client.send(request)
            try await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Unblocks SIGTERM (the test process may block it, and children inherit that), exits when
    /// stdin closes, then runs nanoidp's own command line.
    private static let launcher = """
        import os, signal, sys, threading
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        from nanoidp.__main__ import main
        sys.argv = ["nanoidp"] + sys.argv[1:]
        main()
        """

    private static func settingsYAML(port: Int, secret: String, directory: String) -> String {
        """
        config_version: 1
        security_profile: oauth21
        server:
          host: "127.0.0.1"
          port: \(port)
        oauth:
          issuer: "http://127.0.0.1:\(port)"
          audience: "\(accessTokenAudience)"
          token_expiry_minutes: 5
          require_pkce: true
          clients:
            - client_id: "\(clientID)"
              client_secret: "\(secret)"
              token_endpoint_auth_method: client_secret_basic
              redirect_uris:
                - "\(redirectURI)"
        jwt:
          keys_dir: "\(directory)/keys"
          max_previous_keys: 2
        logging:
          level: "WARNING"

        """
    }

    private static let usersYAML = """
        config_version: 1
        users:
          \(username):
            password: "\(password)"
            email: "alice@example.org"
            roles: ["USER"]
            groups: [\(groups.map { "\"\($0)\"" }.joined(separator: ", "))]

        """
}
