// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient

/// Why `open-csms login` did not end in a session; `message` is printed as it is.
struct LoginError: Error, Equatable, CustomStringConvertible {
    let message: String
    /// 1: refused or abandoned (denied, expired, no role); 2: a server failed or was unreachable.
    let exitCode: Int32

    init(_ message: String, exitCode: Int32 = ProblemReport.clientErrorExit) {
        self.message = message
        self.exitCode = exitCode
    }

    init(_ report: ProblemReport) { self.init(report.message, exitCode: report.exitCode) }

    var description: String { message }
}

/// What `GET /auth/cli` of the control plane says about signing in from the command line.
struct CLILoginSettings: Equatable, Sendable {
    var issuer: String
    /// A public client at the provider that may use the device grant (platform.yaml
    /// `identity.cli_client_id`).
    var clientID: String
    var tokenEndpoint: String
    var deviceAuthorizationEndpoint: String?
    var scopes: [String]

    static func parse(_ body: [UInt8]) throws(LoginError) -> CLILoginSettings {
        guard let document = try? JSONText.parse(body), let clientID = document["client_id"]?.stringValue,
            let tokenEndpoint = document["token_endpoint"]?.stringValue
        else {
            throw LoginError(
                "GET /auth/cli answered without client_id and token_endpoint; is the URL the control plane's?",
                exitCode: ProblemReport.serverErrorExit)
        }
        var scopes: [String] = []
        if case .array(let items)? = document["scopes"] { scopes = items.compactMap(\.stringValue) }
        return CLILoginSettings(
            issuer: document["issuer"]?.stringValue ?? "", clientID: clientID, tokenEndpoint: tokenEndpoint,
            deviceAuthorizationEndpoint: document["device_authorization_endpoint"]?.stringValue, scopes: scopes)
    }
}

/// The device authorization response (RFC 8628 §3.2).
struct DeviceAuthorization: Equatable, Sendable {
    var deviceCode: String
    var userCode: String
    var verificationURI: String
    var verificationURIComplete: String?
    /// Seconds the device code stays valid.
    var expiresIn: Int
    /// Seconds to wait between polls; absent means 5 (RFC 8628 §3.2).
    var interval: Int?

    static func parse(_ body: [UInt8]) throws(LoginError) -> DeviceAuthorization {
        guard let document = try? JSONText.parse(body), let deviceCode = document["device_code"]?.stringValue,
            let userCode = document["user_code"]?.stringValue,
            let verificationURI = document["verification_uri"]?.stringValue
                ?? document["verification_url"]?
                .stringValue,
            let expiresIn = document["expires_in"].flatMap(Self.integer)
        else {
            throw LoginError(
                "the identity provider's device authorization answer lacks device_code, user_code, "
                    + "verification_uri or expires_in (RFC 8628 §3.2)", exitCode: ProblemReport.serverErrorExit)
        }
        return DeviceAuthorization(
            deviceCode: deviceCode, userCode: userCode, verificationURI: verificationURI,
            verificationURIComplete: document["verification_uri_complete"]?.stringValue, expiresIn: expiresIn,
            interval: document["interval"].flatMap(Self.integer))
    }

    /// What the person is asked to do, on stderr. The code is shown even with the complete URI,
    /// so they can check that the page shows the same one (RFC 8628 §3.3.1).
    var instruction: String {
        "Open \(verificationURIComplete ?? verificationURI) and enter \(userCode)"
    }

    static func integer(_ value: JSONText) -> Int? {
        switch value {
        case .number(let text): Int(text)
        case .string(let text): Int(text)
        default: nil
        }
    }
}

/// One answer of the token endpoint to a device-code poll.
enum DevicePollAnswer: Equatable, Sendable {
    case granted(accessToken: String)
    /// An RFC 6749 §5.2 error (`authorization_pending`, `slow_down`, `access_denied`, …).
    case error(code: String, description: String?)
    /// No usable answer: the connection failed, or a server error without an OAuth error code.
    case unusable(String)

    static func classify(status: Int, body: [UInt8]) -> DevicePollAnswer {
        let document = try? JSONText.parse(body)
        if status == 200 {
            guard let token = document?["access_token"]?.stringValue, !token.isEmpty else {
                return .unusable("the token endpoint answered 200 without an access_token")
            }
            return .granted(accessToken: token)
        }
        if let code = document?["error"]?.stringValue {
            return .error(code: code, description: document?["error_description"]?.stringValue)
        }
        return .unusable("the token endpoint answered HTTP \(status) without an OAuth error")
    }
}

/// The polling half of the device authorization grant as a state machine (RFC 8628 §3.4, §3.5):
/// it is told each answer and the time, and says whether to wait and poll again, or how it ended.
/// No I/O, so every path is unit-tested without a provider or a clock.
struct DevicePolling: Sendable {
    enum Action: Equatable, Sendable {
        /// Wait this long, then poll.
        case poll(after: Duration)
        case granted(accessToken: String)
        case failed(LoginError)
    }

    /// RFC 8628 §3.2: without `interval` the client waits 5 seconds.
    static let defaultInterval: Duration = .seconds(5)
    /// §3.5: every `slow_down` adds 5 seconds, for that and all later polls.
    static let slowDownStep: Duration = .seconds(5)
    /// §3.5 asks for exponential backoff after connection failures; it is capped, and the flow
    /// gives up after this many failures in a row.
    static let maximumBackoff: Duration = .seconds(60)
    static let maximumConsecutiveFailures = 5

    private(set) var interval: Duration
    let deadline: ContinuousClock.Instant
    private var failures = 0
    private var backoff: Duration = .zero

    init(_ authorization: DeviceAuthorization, receivedAt start: ContinuousClock.Instant) {
        // A zero or negative interval would poll in a loop; one second is the least.
        interval = authorization.interval.map { .seconds(max(1, $0)) } ?? Self.defaultInterval
        deadline = start + .seconds(max(0, authorization.expiresIn))
    }

    /// The first poll comes one interval after the authorization (§3.4: "the client SHOULD wait").
    func start(now: ContinuousClock.Instant) -> Action { next(after: interval, now: now) }

    mutating func received(_ answer: DevicePollAnswer, now: ContinuousClock.Instant) -> Action {
        switch answer {
        case .granted(let token):
            return .granted(accessToken: token)
        case .error(let code, let description):
            failures = 0
            backoff = .zero
            switch code {
            case "authorization_pending":
                return next(after: interval, now: now)
            case "slow_down":
                interval += Self.slowDownStep
                return next(after: interval, now: now)
            case "access_denied":
                return .failed(LoginError("the sign-in was denied at the identity provider"))
            case "expired_token":
                return .failed(Self.expired)
            default:
                return .failed(
                    LoginError(
                        "the identity provider refused the device code: \(code)"
                            + (description.map { " (\($0))" } ?? "")))
            }
        case .unusable(let reason):
            failures += 1
            guard failures < Self.maximumConsecutiveFailures else {
                return .failed(
                    LoginError(
                        "polling the identity provider failed \(failures) times in a row: \(reason)",
                        exitCode: ProblemReport.serverErrorExit))
            }
            backoff = min(Self.maximumBackoff, backoff == .zero ? interval * 2 : backoff * 2)
            return next(after: backoff, now: now)
        }
    }

    /// Polling after the code has expired cannot succeed; say so at once instead of waiting.
    private func next(after wait: Duration, now: ContinuousClock.Instant) -> Action {
        now + wait < deadline ? .poll(after: wait) : .failed(Self.expired)
    }

    static let expired = LoginError("the code expired before the sign-in was approved; run open-csms login again")
}

/// The time source of the polling loop: the real clock in the tool, a fake in tests.
struct PollingClock: Sendable {
    var now: @Sendable () -> ContinuousClock.Instant
    var sleep: @Sendable (Duration) async throws -> Void

    /// RFC 8628 requires the client to wait `interval` seconds between polls: real time.
    static let system = PollingClock(now: { .now }, sleep: { try await Task.sleep(for: $0) })
}

/// `open-csms login`: the device authorization grant (RFC 8628) with the control plane's public
/// CLI client, then the exchange of the provider's access token for a platform session token at
/// the control plane's `/auth/token`.
enum DeviceLogin {
    static func run(
        adminURL: String, tenant: String?, client: any HTTPClientSending, clock: PollingClock = .system,
        timeout: Duration, tell: @Sendable (String) -> Void
    ) async throws(LoginError) -> StoredSession {
        let base = adminURL.trimmingTrailingSlashes
        let json: HTTPClientHeaders = ["Accept": "application/json, application/problem+json"]

        // 1. Which provider and client (GET /auth/cli).
        let answer = try await send(HTTPClientRequest(url: base + "/auth/cli", headers: json, timeout: timeout), client)
        guard answer.status == 200 else { throw LoginError(.response(status: answer.status, body: answer.body)) }
        let settings = try CLILoginSettings.parse(answer.body)
        guard let deviceEndpoint = settings.deviceAuthorizationEndpoint else {
            throw LoginError(
                "the identity provider \(settings.issuer) announces no device_authorization_endpoint, so "
                    + "open-csms login cannot sign in there (it needs the device grant, RFC 8628)")
        }

        // 2. A device code and the code the person types (RFC 8628 §3.1).
        var fields = [(name: "client_id", value: settings.clientID)]
        if !settings.scopes.isEmpty { fields.append((name: "scope", value: settings.scopes.joined(separator: " "))) }
        let started = try await send(
            HTTPClientRequest.form(url: deviceEndpoint, fields: fields, headers: ["Accept": "application/json"]),
            client, timeout: timeout)
        guard started.status == 200 else {
            throw LoginError(
                "the identity provider refused the device authorization: \(oauthError(started))"
                    + " (identity.cli_client_id must name a public client allowed the device grant)")
        }
        let authorization = try DeviceAuthorization.parse(started.body)
        tell(authorization.instruction)

        // 3. Poll until approved, denied or expired (RFC 8628 §3.4, §3.5).
        var polling = DevicePolling(authorization, receivedAt: clock.now())
        var action = polling.start(now: clock.now())
        let poll: [(name: String, value: String)] = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", authorization.deviceCode), ("client_id", settings.clientID),
        ]
        var providerToken = ""
        waiting: while true {
            switch action {
            case .granted(let token):
                providerToken = token
                break waiting
            case .failed(let error):
                throw error
            case .poll(let wait):
                do {
                    try await clock.sleep(wait)
                } catch {
                    throw LoginError("interrupted while waiting for the sign-in")
                }
                let outcome: DevicePollAnswer
                do {
                    let response = try await client.send(
                        HTTPClientRequest.form(
                            url: settings.tokenEndpoint, fields: poll, headers: ["Accept": "application/json"]
                        )
                        .with(timeout: timeout))
                    outcome = DevicePollAnswer.classify(status: response.status, body: response.body)
                } catch {
                    outcome = .unusable(error.message)
                }
                action = polling.received(outcome, now: clock.now())
            }
        }

        // 4. The platform session (POST /auth/token).
        var exchange = [(name: "subject_token", value: providerToken)]
        if let tenant { exchange.append((name: "tenant", value: tenant)) }
        let minted = try await send(
            HTTPClientRequest.form(url: base + "/auth/token", fields: exchange, headers: json), client,
            timeout: timeout)
        guard minted.status == 200 else {
            var report = ProblemReport.response(status: minted.status, body: minted.body)
            if minted.status == 403 && tenant == nil {
                report.message += "\n(only platform roles get a session without --tenant; give --tenant SLUG)"
            }
            throw LoginError(report)
        }
        guard let document = try? JSONText.parse(minted.body), let token = document["access_token"]?.stringValue,
            let expiresIn = document["expires_in"].flatMap(DeviceAuthorization.integer)
        else {
            throw LoginError(
                "POST /auth/token answered without access_token and expires_in", exitCode: ProblemReport.serverErrorExit
            )
        }
        return StoredSession(
            adminURL: CredentialsFile.key(forAdminURL: base), tenant: document["tenant"]?.stringValue ?? tenant,
            accessToken: token, expiresAt: UTCTime.now() + Int64(expiresIn), role: document["role"]?.stringValue)
    }

    private static func send(
        _ request: HTTPClientRequest, _ client: any HTTPClientSending, timeout: Duration? = nil
    ) async throws(LoginError) -> HTTPClientResponse {
        do {
            return try await client.send(timeout.map { request.with(timeout: $0) } ?? request)
        } catch {
            throw LoginError(.transport(error))
        }
    }

    /// `error: description` of an RFC 6749 §5.2 answer, or its status.
    static func oauthError(_ response: HTTPClientResponse) -> String {
        let document = try? JSONText.parse(response.body)
        guard let code = document?["error"]?.stringValue else { return "HTTP \(response.status)" }
        return code + (document?["error_description"]?.stringValue.map { ": \($0)" } ?? "")
    }
}

extension HTTPClientRequest {
    func with(timeout: Duration) -> HTTPClientRequest {
        var copy = self
        copy.timeout = timeout
        return copy
    }
}
