// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Synchronization
import Testing

@testable import OpenCSMSCLI

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// An identity provider and control plane that answer from a script: each path has a queue of
/// answers (the last one repeats), and every request is kept.
final class ScriptedServer: HTTPClientSending {
    struct Answer: Sendable {
        var status: Int
        var body: String
        var failure: HTTPClientError?
        init(_ status: Int, _ body: String) {
            self.status = status
            self.body = body
        }
        static func connectionRefused(_ path: String) -> Answer {
            var answer = Answer(0, "")
            answer.failure = HTTPClientError(.connect, request: "POST \(path)", "connection refused")
            return answer
        }
    }

    private let state: Mutex<(answers: [String: [Answer]], requests: [HTTPClientRequest])>

    init(_ answers: [String: [Answer]]) { state = Mutex((answers, [])) }

    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let path = Self.path(of: request.url)
        let answer = state.withLock { state -> Answer in
            state.requests.append(request)
            guard var queue = state.answers[path], !queue.isEmpty else { return Answer(404, "{}") }
            let next = queue.count > 1 ? queue.removeFirst() : queue[0]
            state.answers[path] = queue
            return next
        }
        if let failure = answer.failure { throw failure }
        return HTTPClientResponse(status: answer.status, headers: [:], body: bytes(answer.body), url: request.url)
    }

    var requests: [HTTPClientRequest] { state.withLock { $0.requests } }

    func requests(to path: String) -> [HTTPClientRequest] { requests.filter { Self.path(of: $0.url) == path } }

    /// `https://idp.example/token?x` → `/token`.
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = rest[slash...]
        return String(path.prefix { $0 != "?" })
    }

    static func form(_ request: HTTPClientRequest) -> [String: String] {
        Dictionary(
            (HTTPClientForm.decode(String(decoding: request.body, as: UTF8.self)) ?? []).map { ($0.name, $0.value) },
            uniquingKeysWith: { first, _ in first })
    }
}

/// A clock whose time moves only when the code under test sleeps: the polling loop runs at full
/// speed and every wait it asked for is recorded.
final class FakePollingClock: Sendable {
    let origin = ContinuousClock.now
    private let state = Mutex<(elapsed: Duration, sleeps: [Duration])>((.zero, []))

    var clock: PollingClock {
        PollingClock(
            now: { self.origin + self.state.withLock { $0.elapsed } },
            sleep: { wait in
                self.state.withLock {
                    $0.elapsed += wait; $0.sleeps.append(wait)
                }
            })
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

final class Messages: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite("open-csms login: the device grant's polling (RFC 8628 §3.4, §3.5) as a state machine")
struct DevicePollingTests {
    let t0 = ContinuousClock.now

    func authorization(expiresIn: Int = 600, interval: Int? = 5) -> DeviceAuthorization {
        DeviceAuthorization(
            deviceCode: "dc", userCode: "WDJB-MJHT", verificationURI: "https://idp.example/device",
            verificationURIComplete: nil, expiresIn: expiresIn, interval: interval)
    }

    @Test("authorization_pending keeps the interval; a token ends the flow")
    func pendingThenGranted() {
        var polling = DevicePolling(authorization(), receivedAt: t0)
        #expect(polling.start(now: t0) == .poll(after: .seconds(5)))
        let pending = DevicePollAnswer.error(code: "authorization_pending", description: nil)
        #expect(polling.received(pending, now: t0 + .seconds(5)) == .poll(after: .seconds(5)))
        #expect(polling.received(pending, now: t0 + .seconds(10)) == .poll(after: .seconds(5)))
        #expect(polling.received(.granted(accessToken: "at"), now: t0 + .seconds(15)) == .granted(accessToken: "at"))
    }

    @Test("slow_down adds 5 s for that poll and every later one")
    func slowDown() {
        var polling = DevicePolling(authorization(interval: 2), receivedAt: t0)
        let slowDown = DevicePollAnswer.error(code: "slow_down", description: nil)
        let pending = DevicePollAnswer.error(code: "authorization_pending", description: nil)
        #expect(polling.received(slowDown, now: t0 + .seconds(2)) == .poll(after: .seconds(7)))
        #expect(polling.received(pending, now: t0 + .seconds(9)) == .poll(after: .seconds(7)))
        #expect(polling.received(slowDown, now: t0 + .seconds(16)) == .poll(after: .seconds(12)))
        #expect(polling.interval == .seconds(12))
    }

    @Test("expired_token and access_denied end the flow with a message; so does any other error code")
    func finalErrors() {
        var polling = DevicePolling(authorization(), receivedAt: t0)
        #expect(
            polling.received(.error(code: "expired_token", description: nil), now: t0)
                == .failed(DevicePolling.expired))
        guard case .failed(let denied) = polling.received(.error(code: "access_denied", description: nil), now: t0)
        else {
            Issue.record("access_denied must end the flow")
            return
        }
        #expect(denied.message.contains("denied"))
        #expect(denied.exitCode == 1)
        guard
            case .failed(let other) = polling.received(
                .error(code: "invalid_grant", description: "Device code was not issued to this client"), now: t0)
        else {
            Issue.record("invalid_grant must end the flow")
            return
        }
        #expect(other.message.contains("invalid_grant (Device code was not issued to this client)"))
    }

    @Test("No poll is made that would come after the code's expiry")
    func deadline() {
        var polling = DevicePolling(authorization(expiresIn: 12), receivedAt: t0)
        let pending = DevicePollAnswer.error(code: "authorization_pending", description: nil)
        #expect(polling.start(now: t0) == .poll(after: .seconds(5)))
        #expect(polling.received(pending, now: t0 + .seconds(5)) == .poll(after: .seconds(5)))
        #expect(polling.received(pending, now: t0 + .seconds(10)) == .failed(DevicePolling.expired))
        let tooShort = DevicePolling(authorization(expiresIn: 3), receivedAt: t0)
        #expect(tooShort.start(now: t0) == .failed(DevicePolling.expired))
    }

    @Test("Without interval the client waits 5 s (§3.2); an interval of 0 becomes 1 s")
    func defaultInterval() {
        #expect(DevicePolling(authorization(interval: nil), receivedAt: t0).interval == .seconds(5))
        #expect(DevicePolling(authorization(interval: 0), receivedAt: t0).interval == .seconds(1))
    }

    @Test("Failed polls back off exponentially (capped at 60 s) and end after 5 in a row; an answer resets them")
    func backoff() {
        var polling = DevicePolling(authorization(expiresIn: 3600, interval: 5), receivedAt: t0)
        let down = DevicePollAnswer.unusable("connection refused")
        #expect(polling.received(down, now: t0) == .poll(after: .seconds(10)))
        #expect(polling.received(down, now: t0) == .poll(after: .seconds(20)))
        #expect(
            polling.received(.error(code: "authorization_pending", description: nil), now: t0)
                == .poll(after: .seconds(5)))
        #expect(polling.received(down, now: t0) == .poll(after: .seconds(10)))
        #expect(polling.received(down, now: t0) == .poll(after: .seconds(20)))
        #expect(polling.received(down, now: t0) == .poll(after: .seconds(40)))
        #expect(polling.received(down, now: t0) == .poll(after: .seconds(60)))
        guard case .failed(let error) = polling.received(down, now: t0) else {
            Issue.record("the fifth failure in a row must end the flow")
            return
        }
        #expect(error.exitCode == 2)
        #expect(error.message.contains("5 times in a row: connection refused"))
    }

    @Test("Token endpoint answers are classified by status and the RFC 6749 §5.2 error member")
    func classify() {
        #expect(
            DevicePollAnswer.classify(status: 200, body: bytes(#"{"access_token":"x"}"#)) == .granted(accessToken: "x"))
        #expect(
            DevicePollAnswer.classify(status: 400, body: bytes(#"{"error":"slow_down","error_description":"d"}"#))
                == .error(code: "slow_down", description: "d"))
        guard case .unusable = DevicePollAnswer.classify(status: 502, body: bytes("<html>")) else {
            Issue.record("a 502 page is not an OAuth answer")
            return
        }
        guard case .unusable = DevicePollAnswer.classify(status: 200, body: bytes("{}")) else {
            Issue.record("a 200 without a token is not a grant")
            return
        }
    }
}

@Suite("open-csms login against a scripted provider and control plane (no sleeps: a fake clock)")
struct DeviceLoginTests {
    static let admin = "http://127.0.0.1:8090"
    static let cli = ScriptedServer.Answer(
        200,
        #"{"issuer":"https://idp.example","client_id":"open-csms-cli","token_endpoint":"https://idp.example/token","#
            + #""device_authorization_endpoint":"https://idp.example/device_authorization","#
            + #""scopes":["openid","profile","email"]}"#)
    static let device = ScriptedServer.Answer(
        200,
        #"{"device_code":"DEVICE-CODE","user_code":"WDJB-MJHT","verification_uri":"https://idp.example/device","#
            + #""verification_uri_complete":"https://idp.example/device?user_code=WDJB-MJHT","expires_in":600,"#
            + #""interval":2}"#)
    static let pending = ScriptedServer.Answer(400, #"{"error":"authorization_pending"}"#)
    static let slowDown = ScriptedServer.Answer(400, #"{"error":"slow_down"}"#)
    static let granted = ScriptedServer.Answer(200, #"{"access_token":"PROVIDER-TOKEN","token_type":"Bearer"}"#)
    static let session = ScriptedServer.Answer(
        200,
        #"{"access_token":"SESSION-JWT","token_type":"Bearer","expires_in":900,"role":"tenant-operator","tenant":"acme"}"#
    )

    func login(
        _ server: ScriptedServer, tenant: String? = "acme", clock: FakePollingClock, messages: Messages
    )
        async throws(LoginError) -> StoredSession
    {
        try await DeviceLogin.run(
            adminURL: Self.admin + "/", tenant: tenant, client: server, clock: clock.clock, timeout: .seconds(30)
        ) { messages.add($0) }
    }

    @Test("The whole flow: /auth/cli, device authorization, polls at the interval (+5 s after slow_down), exchange")
    func success() async throws {
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [Self.device],
            "/token": [Self.pending, Self.slowDown, Self.pending, Self.granted], "/auth/token": [Self.session],
        ])
        let clock = FakePollingClock()
        let messages = Messages()
        let before = UTCTime.now()
        let session = try await login(server, clock: clock, messages: messages)
        #expect(messages.all == ["Open https://idp.example/device?user_code=WDJB-MJHT and enter WDJB-MJHT"])
        #expect(clock.sleeps == [.seconds(2), .seconds(2), .seconds(7), .seconds(7)])
        #expect(session.adminURL == Self.admin)
        #expect(session.tenant == "acme")
        #expect(session.role == "tenant-operator")
        #expect(session.accessToken == "SESSION-JWT")
        #expect(session.expiresAt >= before + 900 && session.expiresAt <= UTCTime.now() + 900)

        let started = try #require(server.requests(to: "/device_authorization").first)
        #expect(started.headers["Authorization"] == nil)  // a public client: its id, no secret (§3.1)
        #expect(ScriptedServer.form(started) == ["client_id": "open-csms-cli", "scope": "openid profile email"])
        let polls = server.requests(to: "/token")
        #expect(polls.count == 4)
        #expect(
            polls.allSatisfy {
                ScriptedServer.form($0) == [
                    "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": "DEVICE-CODE",
                    "client_id": "open-csms-cli",
                ]
            })
        let exchange = try #require(server.requests(to: "/auth/token").first)
        #expect(exchange.url == Self.admin + "/auth/token")
        #expect(ScriptedServer.form(exchange) == ["subject_token": "PROVIDER-TOKEN", "tenant": "acme"])
    }

    @Test("access_denied at the provider ends the login with exit status 1 and no exchange")
    func denied() async {
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [Self.device],
            "/token": [Self.pending, .init(400, #"{"error":"access_denied"}"#)], "/auth/token": [Self.session],
        ])
        let error = await #expect(throws: LoginError.self) {
            try await login(server, clock: FakePollingClock(), messages: Messages())
        }
        #expect(error?.message == "the sign-in was denied at the identity provider")
        #expect(server.requests(to: "/auth/token").isEmpty)
    }

    @Test("A code nobody approves expires: the loop stops at expires_in without polling past it")
    func expires() async {
        let shortLived = ScriptedServer.Answer(
            200,
            #"{"device_code":"D","user_code":"U","verification_uri":"https://idp.example/device","expires_in":9,"interval":2}"#
        )
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [shortLived], "/token": [Self.pending],
        ])
        let clock = FakePollingClock()
        let error = await #expect(throws: LoginError.self) {
            try await login(server, clock: clock, messages: Messages())
        }
        #expect(error == DevicePolling.expired)
        #expect(clock.sleeps == [.seconds(2), .seconds(2), .seconds(2), .seconds(2)])
        #expect(server.requests(to: "/token").count == 4)
    }

    @Test("expired_token from the provider ends the login")
    func expiredToken() async {
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [Self.device],
            "/token": [.init(400, #"{"error":"expired_token"}"#)],
        ])
        let error = await #expect(throws: LoginError.self) {
            try await login(server, clock: FakePollingClock(), messages: Messages())
        }
        #expect(error == DevicePolling.expired)
    }

    @Test("A provider that stops answering: backoff, then exit status 2")
    func providerDown() async {
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [Self.device],
            "/token": [.connectionRefused("/token")],
        ])
        let clock = FakePollingClock()
        let error = await #expect(throws: LoginError.self) {
            try await login(server, clock: clock, messages: Messages())
        }
        #expect(error?.exitCode == 2)
        #expect(clock.sleeps == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32)])
    }

    @Test("Without a CLI client the control plane's 404 problem is shown; without a device endpoint, a clear error")
    func notConfigured() async {
        let missing = ScriptedServer([
            "/auth/cli": [
                .init(404, #"{"title":"Not Found","detail":"no CLI client is configured (identity.cli_client_id)"}"#)
            ]
        ])
        let error = await #expect(throws: LoginError.self) {
            try await login(missing, clock: FakePollingClock(), messages: Messages())
        }
        #expect(error == LoginError("Not Found: no CLI client is configured (identity.cli_client_id)", exitCode: 1))
        let noDevice = ScriptedServer([
            "/auth/cli": [
                .init(
                    200,
                    #"{"issuer":"https://idp.example","client_id":"c","token_endpoint":"https://idp.example/token","#
                        + #""device_authorization_endpoint":null,"scopes":[]}"#)
            ]
        ])
        let second = await #expect(throws: LoginError.self) {
            try await login(noDevice, clock: FakePollingClock(), messages: Messages())
        }
        #expect(second?.message.contains("no device_authorization_endpoint") == true)
    }

    @Test("A provider refusing the public client says what identity.cli_client_id must be")
    func refusedClient() async {
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [.init(401, #"{"error":"invalid_client"}"#)],
        ])
        let error = await #expect(throws: LoginError.self) {
            try await login(server, clock: FakePollingClock(), messages: Messages())
        }
        #expect(error?.message.contains("invalid_client") == true)
        #expect(error?.message.contains("public client allowed the device grant") == true)
    }

    @Test("A platform login refused for lack of a platform role suggests --tenant")
    func platformRoleMissing() async {
        let server = ScriptedServer([
            "/auth/cli": [Self.cli], "/device_authorization": [Self.device], "/token": [Self.granted],
            "/auth/token": [.init(403, #"{"title":"Forbidden","detail":"the token grants no platform role"}"#)],
        ])
        let error = await #expect(throws: LoginError.self) {
            try await login(server, tenant: nil, clock: FakePollingClock(), messages: Messages())
        }
        #expect(
            error?.message
                == "Forbidden: the token grants no platform role\n(only platform roles get a session without --tenant; give --tenant SLUG)"
        )
        #expect(ScriptedServer.form(server.requests(to: "/auth/token")[0]) == ["subject_token": "PROVIDER-TOKEN"])
    }
}
