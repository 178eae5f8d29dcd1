// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CCurlShim
import NIOPosix
import Synchronization

/// Every outbound HTTP call of Open-CSMS (OIDC, OCPI peers, webhooks, the CLI) goes through this
/// client, built on libcurl. libcurl's easy interface blocks, so each transfer runs on one of the
/// client's own threads (a `NIOThreadPool`), never on Swift's cooperative pool or a NIO event loop.
///
/// Hygiene that every caller gets: connect and total timeouts, a response size cap, no redirects
/// unless asked (and then only to the same host), HTTPS only except to loopback, certificate and
/// host name verification against the system CA bundle, TLS 1.2 or newer.
///
/// Call ``shutdown()`` before the last reference goes away.
public final class OutboundHTTPClient: HTTPClientSending {
    public let configuration: HTTPClientConfiguration
    private let threads: NIOThreadPool
    private let handles: EasyHandlePool
    private let isShutDown = Atomic<Bool>(false)

    public init(configuration: HTTPClientConfiguration = .init()) {
        CurlGlobal.initialize()
        self.configuration = configuration
        let threadCount = max(1, configuration.maximumConcurrentTransfers)
        threads = NIOThreadPool(numberOfThreads: threadCount)
        handles = EasyHandlePool(capacity: threadCount)
        threads.start()
    }

    /// Sends `request` and returns the response of any status; throws ``HTTPClientError`` when no
    /// response was received or one of the limits was hit.
    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let start = ContinuousClock.now
        let deadline = start + (request.timeout ?? configuration.timeout)
        let policy = request.redirects ?? configuration.redirects
        var method = request.method
        var headers = request.headers
        var body = request.body
        var target = try TargetURL.parse(request.url, method: method.rawValue)
        try Self.validate(method: method, headers: headers, label: "\(method) \(target.redacted)")
        var redirectsFollowed = 0
        while true {
            let plan = TransferPlan(
                method: method, target: target, headers: headers, body: body,
                connectTimeout: request.connectTimeout ?? configuration.connectTimeout, deadline: deadline,
                maximumResponseBodySize: request.maximumResponseBodySize ?? configuration.maximumResponseBodySize,
                userAgent: configuration.userAgent, caBundlePath: configuration.caBundlePath,
                progress: request.progress)
            let outcome = try await run(plan)
            guard case .sameHost(let maximum) = policy, Self.redirectStatuses.contains(outcome.status),
                let location = outcome.redirectURL
            else {
                return HTTPClientResponse(
                    status: outcome.status, headers: outcome.headers, body: outcome.body, url: target.text)
            }
            redirectsFollowed += 1
            guard redirectsFollowed <= maximum else {
                throw HTTPClientError(
                    .redirect, request: plan.label,
                    "more than \(maximum) redirects; the server redirects in a loop or the URL is outdated")
            }
            let next = try TargetURL.parse(location, method: method.rawValue)
            guard next.host == target.host, next.port == target.port,
                next.scheme == target.scheme || next.scheme == "https"
            else {
                throw HTTPClientError(
                    .redirect, request: plan.label,
                    "redirect to \(next.redacted) refused: redirects are only followed to the same host and port, "
                        + "and never from HTTPS to HTTP; configure the final URL instead")
            }
            // RFC 9110 §15.4.2–15.4.4: after 301/302 user agents change POST to GET, and 303 means
            // "GET the other resource"; 307/308 repeat the request as it was.
            if outcome.status == 303 || ((outcome.status == 301 || outcome.status == 302) && method == .post) {
                if method != .head { method = .get }
                body = []
                headers.remove("Content-Type")
                headers.remove("Content-Length")
            }
            target = next
        }
    }

    /// Stops the transfer threads after the queued transfers finish and frees the cached connections.
    public func shutdown() async throws {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        try await threads.shutdownGracefully()
        handles.closeAll()
    }

    private static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    private static func validate(
        method: HTTPClientMethod, headers: HTTPClientHeaders, label: String
    ) throws(HTTPClientError) {
        guard method.isToken else {
            throw HTTPClientError(.invalidRequest, request: label, "'\(method)' is not a valid HTTP method")
        }
        for field in headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(HTTPClientHeaders.isTokenCharacter) else {
                throw HTTPClientError(.invalidRequest, request: label, "'\(field.name)' is not a valid header name")
            }
            guard HTTPClientHeaders.isValidValue(field.value) else {
                throw HTTPClientError(
                    .invalidRequest, request: label, "the value of header '\(field.name)' contains a line break or NUL")
            }
        }
    }

    private enum Step: Sendable {
        case finished(Result<TransferOutcome, HTTPClientError>)
        case deadlinePassed
        case cancelled
        case shutDown

        var isFinished: Bool {
            if case .finished = self { return true }
            return false
        }
    }

    /// Races the transfer against the deadline and the caller's cancellation, and returns as soon as
    /// one of them is decided. A transfer still queued for a thread is not waited for: NIOThreadPool
    /// only drops a cancelled work item when a thread reaches it, and the caller's timeout must not
    /// depend on that.
    private func run(_ plan: TransferPlan) async throws(HTTPClientError) -> TransferOutcome {
        guard !isShutDown.load(ordering: .relaxed) else {
            throw HTTPClientError(.shutdown, request: plan.label, "the HTTP client was shut down")
        }
        let cancellation = CancellationFlag()
        let decision = FirstOutcome<Step>()
        let handles = self.handles
        let threads = self.threads
        let work = Task {
            do {
                let result = try await threads.runIfActive { () -> Result<TransferOutcome, HTTPClientError> in
                    guard let handle = handles.acquire() else {
                        return .failure(
                            HTTPClientError(.transport, request: plan.label, "libcurl could not create a handle"))
                    }
                    defer { handles.release(handle) }
                    return Result { () throws(HTTPClientError) in
                        try CurlTransfer.perform(plan, handle: handle, cancellation: cancellation)
                    }
                }
                decision.offer(.finished(result))
            } catch is CancellationError {
                decision.offer(.cancelled)
            } catch {
                decision.offer(.shutDown)
            }
        }
        // A running transfer ends at the deadline by itself (CURLOPT_TIMEOUT_MS); this bounds the
        // wait for a free transfer thread, which libcurl does not see.
        let timer = Task {
            try? await Task.sleep(until: plan.deadline + .milliseconds(200), clock: .continuous)
            decision.offer(.deadlinePassed)
        }
        let step = await withTaskCancellationHandler {
            await decision.value()
        } onCancel: {
            decision.offer(.cancelled)
        }
        timer.cancel()
        if !step.isFinished {
            // Abort the transfer if it is running, drop it if it is still queued.
            cancellation.set()
            work.cancel()
        }
        switch step {
        case .finished(let result):
            return try result.get()
        case .deadlinePassed:
            throw HTTPClientError(
                .timeout, request: plan.label,
                "the total timeout passed before a transfer thread was free; raise the timeout or the client's "
                    + "maximumConcurrentTransfers")
        case .cancelled:
            throw HTTPClientError(.cancelled, request: plan.label, "the request was cancelled")
        case .shutDown:
            throw HTTPClientError(.shutdown, request: plan.label, "the HTTP client was shut down")
        }
    }
}

/// The first of several competing outcomes (transfer, deadline, cancellation); later offers are
/// ignored. An offer may come before anyone waits.
final class FirstOutcome<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case decided(Value)
        case delivered
    }
    private let state = Mutex<State>(.empty)

    func offer(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, Never>? in
            switch state {
            case .empty:
                state = .decided(value)
                return nil
            case .waiting(let continuation):
                state = .delivered
                return continuation
            case .decided, .delivered:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    /// Waits for the first offer; call once.
    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                if case .decided(let value) = state {
                    state = .delivered
                    return value
                }
                state = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// What code that makes outbound calls depends on, so its tests can answer without a server.
public protocol HTTPClientSending: Sendable {
    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse
}

/// curl_global_init is not thread-safe and must run once before any other libcurl call; a Swift
/// global initialiser runs exactly once, under a lock.
enum CurlGlobal {
    private static let status: Int32 = csms_curl_global_init()
    static func initialize() { _ = status }
}
