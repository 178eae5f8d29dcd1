// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Foundation
import HTTPClient
import Testing

/// Runs `body` with a client and shuts it down afterwards, also when `body` throws.
func withClient<T: Sendable>(
    _ configure: (inout HTTPClientConfiguration) -> Void = { _ in },
    _ body: (OutboundHTTPClient) async throws -> T
) async throws -> T {
    var configuration = HTTPClientConfiguration()
    configure(&configuration)
    let client = OutboundHTTPClient(configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try await client.shutdown()
        throw error
    }
}

/// Expects `body` to throw an ``HTTPClientError`` and returns it.
func expectHTTPError(
    _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) async -> HTTPClientError? {
    do {
        try await body()
        Issue.record("expected an HTTPClientError, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("expected an HTTPClientError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

func milliseconds(since start: ContinuousClock.Instant) -> Int {
    let elapsed = ContinuousClock.now - start
    return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
}

/// The echo endpoint's answer split into method, header fields (lower-cased names) and body.
struct Echo {
    var method = ""
    var headers: [String: String] = [:]
    var body = ""

    init(_ response: HTTPClientResponse) {
        let text = response.bodyText
        let parts = text.split(separator: "\n\n", maxSplits: 1, omittingEmptySubsequences: false)
        for line in parts[0].split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "method" { method = value } else { headers[name] = value }
        }
        body = parts.count > 1 ? String(parts[1]) : ""
    }
}

// Timing-sensitive cases share two cores with the server; running them one at a time keeps the
// figures meaningful.
@Suite("OutboundHTTPClient against a local server", .serialized)
struct OutboundHTTPClientTests {
    @Test("GET returns status, headers and body; the User-Agent is open-csms/<version>")
    func getRequest() async throws {
        try await TestHTTPServer.with { port in
            try await withClient { client in
                let response = try await client.send(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/echo", headers: ["X-Trace": "abc 123"]))
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
                #expect(response.headers["CONTENT-TYPE"] == "text/plain; charset=utf-8")
                let echo = Echo(response)
                #expect(echo.method == "GET")
                #expect(echo.headers["x-trace"] == "abc 123")
                #expect(echo.headers["user-agent"] == "open-csms/\(CSMSVersion.current)")
                #expect(echo.headers["expect"] == nil)
                #expect(echo.body.isEmpty)
            }
        }
    }

    @Test("POST, PUT, PATCH and DELETE send the body byte for byte with the caller's Content-Type")
    func bodies() async throws {
        try await TestHTTPServer.with { port in
            try await withClient { client in
                // Binary with a NUL and more than 1 KiB (where libcurl would otherwise add Expect: 100-continue).
                let payload = Array("{\"a\":1}".utf8) + [0, 255, 10] + Array(repeating: UInt8(ascii: "x"), count: 5000)
                for method in [HTTPClientMethod.post, .put, .patch, .delete] {
                    let response = try await client.send(
                        HTTPClientRequest(
                            method: method, url: "http://127.0.0.1:\(port)/echo",
                            headers: ["Content-Type": "application/json"], body: payload))
                    #expect(response.status == 200)
                    let echo = Echo(response)
                    #expect(echo.method == method.rawValue)
                    #expect(echo.headers["content-type"] == "application/json")
                    #expect(echo.headers["content-length"] == "\(payload.count)")
                    #expect(echo.headers["expect"] == nil)
                    let headerEnd = response.body.firstRange(of: Array("\n\n".utf8))
                    #expect(headerEnd.map { Array(response.body[$0.upperBound...]) } == payload)
                }
            }
        }
    }

    @Test("A body without a Content-Type is not labelled as a form; an empty POST sends Content-Length 0")
    func noImplicitContentType() async throws {
        try await TestHTTPServer.with { port in
            try await withClient { client in
                let withBody = Echo(
                    try await client.send(
                        HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)/echo", body: Array("hi".utf8))))
                #expect(withBody.headers["content-type"] == nil)
                #expect(withBody.body == "hi")
                let empty = Echo(
                    try await client.send(HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)/echo")))
                #expect(empty.method == "POST")
                #expect(empty.headers["content-length"] == "0")
            }
        }
    }

    @Test("Error statuses are responses, not errors", arguments: [201, 204, 400, 404, 409, 500, 503])
    func statusCodes(code: Int) async throws {
        try await TestHTTPServer.with { port in
            try await withClient { client in
                let response = try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/status/\(code)"))
                #expect(response.status == code)
            }
        }
    }

    @Test("HEAD returns the status and headers without a body")
    func head() async throws {
        try await TestHTTPServer.with { port in
            try await withClient { client in
                let response = try await client.send(
                    HTTPClientRequest(method: .head, url: "http://127.0.0.1:\(port)/echo"))
                #expect(response.status == 200)
                #expect(response.body.isEmpty)
            }
        }
    }

    @Test("A body up to the cap is read whole; past it the transfer stops with tooLarge (Content-Length and chunked)")
    func sizeCap() async throws {
        try await TestHTTPServer.with { port in
            try await withClient({ $0.maximumResponseBodySize = 1024 * 1024 }) { client in
                let exact = try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/big?size=1048576"))
                #expect(exact.body.count == 1_048_576)
                for path in ["big", "big-chunked"] {
                    let start = ContinuousClock.now
                    let error = await expectHTTPError {
                        _ = try await client.send(
                            HTTPClientRequest(url: "http://127.0.0.1:\(port)/\(path)?size=4194304"))
                    }
                    #expect(error?.code == .tooLarge)
                    #expect(error?.message.contains("GET http://127.0.0.1:\(port)/\(path)") == true)
                    #expect(error?.message.contains("1048576 bytes") == true)
                    #expect(milliseconds(since: start) < 5000)
                }
                // The per-request limit replaces the client's.
                let small = await expectHTTPError {
                    _ = try await client.send(
                        HTTPClientRequest(url: "http://127.0.0.1:\(port)/big?size=2000", maximumResponseBodySize: 1000))
                }
                #expect(small?.code == .tooLarge)
            }
        }
    }

    @Test("The total timeout ends a request to a server that never answers, on time")
    func totalTimeout() async throws {
        let silent = try SilentServer()
        try await withClient { client in
            let start = ContinuousClock.now
            let error = await expectHTTPError {
                _ = try await client.send(
                    HTTPClientRequest(url: "http://127.0.0.1:\(silent.port)/never", timeout: .milliseconds(500)))
            }
            let elapsed = milliseconds(since: start)
            #expect(error?.code == .timeout)
            #expect(error?.message.contains("GET http://127.0.0.1:\(silent.port)/never") == true)
            #expect(elapsed >= 450 && elapsed < 2500, "took \(elapsed) ms")
        }
    }

    @Test("Cancelling the calling task aborts a blocked transfer")
    func cancellation() async throws {
        let silent = try SilentServer()
        try await withClient { client in
            let start = ContinuousClock.now
            let task = Task {
                try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(silent.port)/", timeout: .seconds(20)))
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            let elapsed = milliseconds(since: start)
            guard case .failure(let error as HTTPClientError) = result else {
                Issue.record("expected a cancelled error, got \(result)")
                return
            }
            #expect(error.code == .cancelled)
            #expect(elapsed < 3000, "took \(elapsed) ms")
        }
    }

    @Test("Nothing is listening: connect error naming the URL, without credentials or query")
    func connectionRefused() async throws {
        let port = try SilentServer().port  // bound, then closed at once: nothing listens there now
        try await withClient { client in
            let error = await expectHTTPError {
                _ = try await client.send(HTTPClientRequest(url: "http://user:secret@127.0.0.1:\(port)/x?token=abc"))
            }
            #expect(error?.code == .connect)
            #expect(error?.request == "GET http://127.0.0.1:\(port)/x")
            #expect(error?.message.contains("secret") == false)
            #expect(error?.message.contains("token") == false)
        }
    }

    @Test("Plain HTTP to a non-loopback host is refused before any connection")
    func insecureRefused() async throws {
        try await withClient { client in
            let start = ContinuousClock.now
            // `.invalid` never resolves (RFC 6761 §6.4); the refusal comes before name resolution anyway.
            let error = await expectHTTPError {
                _ = try await client.send(HTTPClientRequest(url: "http://csms-test.invalid/token"))
            }
            #expect(error?.code == .refusedInsecure)
            #expect(error?.message.contains("http://csms-test.invalid/token") == true)
            #expect(error?.message.contains("https://") == true)
            #expect(milliseconds(since: start) < 100)
        }
    }

    @Test("Redirects are not followed by default: the 3xx comes back with its Location")
    func redirectNotFollowed() async throws {
        try await TestHTTPServer.with { port in
            try await withClient { client in
                let response = try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/redirect"))
                #expect(response.status == 302)
                #expect(response.headers["Location"] == "/echo")
                #expect(response.url == "http://127.0.0.1:\(port)/redirect")
            }
        }
    }

    @Test("When enabled, same-host redirects are followed (303 turns POST into GET, 307 keeps it)")
    func redirectSameHost() async throws {
        try await TestHTTPServer.with { port in
            try await withClient({ $0.redirects = .sameHost(maximum: 3) }) { client in
                let base = "http://127.0.0.1:\(port)"
                let followed = try await client.send(HTTPClientRequest(url: "\(base)/redirect"))
                #expect(followed.status == 200)
                #expect(followed.url == "\(base)/echo")
                let seeOther = try await client.send(
                    HTTPClientRequest(method: .post, url: "\(base)/redirect?status=303", body: Array("x".utf8)))
                #expect(Echo(seeOther).method == "GET")
                #expect(Echo(seeOther).body.isEmpty)
                let temporary = try await client.send(
                    HTTPClientRequest(method: .post, url: "\(base)/redirect?status=307", body: Array("kept".utf8)))
                #expect(Echo(temporary).method == "POST")
                #expect(Echo(temporary).body == "kept")
            }
        }
    }

    @Test("An enabled redirect never goes to another host or port, nor loops forever")
    func redirectElsewhereRefused() async throws {
        try await TestHTTPServer.with { port in
            try await withClient({ $0.redirects = .sameHost(maximum: 3) }) { client in
                let base = "http://127.0.0.1:\(port)"
                for target in [
                    "http://localhost:\(port)/echo", "http://127.0.0.1:\(port + 1)/echo", "https://example.com/",
                ] {
                    let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
                    let error = await expectHTTPError {
                        _ = try await client.send(HTTPClientRequest(url: "\(base)/redirect?to=\(encoded)"))
                    }
                    #expect(error?.code == .redirect, "\(target)")
                }
                let loop = await expectHTTPError {
                    _ = try await client.send(HTTPClientRequest(url: "\(base)/loop"))
                }
                #expect(loop?.code == .redirect)
                #expect(loop?.message.contains("more than 3 redirects") == true)
                // Per request, redirects can be switched off again.
                let off = try await client.send(
                    HTTPClientRequest(url: "\(base)/redirect", redirects: .doNotFollow))
                #expect(off.status == 302)
            }
        }
    }

    @Test("50 concurrent requests run pool-size at a time and leave the cooperative pool free")
    func concurrency() async throws {
        try await TestHTTPServer.with { port in
            try await withClient({ $0.maximumConcurrentTransfers = 10 }) { client in
                let start = ContinuousClock.now
                // A ticker on the cooperative pool: if transfers blocked its threads, its sleeps would overrun.
                let ticker = Task { () -> Int in
                    var worst = 0
                    while !Task.isCancelled {
                        let tick = ContinuousClock.now
                        try? await Task.sleep(for: .milliseconds(10))
                        worst = max(worst, milliseconds(since: tick))
                    }
                    return worst
                }
                defer { ticker.cancel() }
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/delay?ms=200"))
                                .status
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                let elapsed = milliseconds(since: start)
                ticker.cancel()
                let worstTick = await ticker.value
                #expect(statuses == Array(repeating: 200, count: 50))
                // 50 requests of 200 ms on 10 threads: 5 rounds ≈ 1 s (serially it would be 10 s).
                #expect(elapsed >= 950 && elapsed < 4000, "took \(elapsed) ms")
                #expect(worstTick < 500, "a 10 ms sleep on the cooperative pool took \(worstTick) ms")
            }
        }
    }

    @Test("Time spent waiting for a free transfer thread counts against the total timeout")
    func queueWaitCountsTowardsTimeout() async throws {
        try await TestHTTPServer.with { port in
            try await withClient({ $0.maximumConcurrentTransfers = 1 }) { client in
                let before = delayRequestsStarted.withLock { $0 }
                async let slow = client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/delay?ms=3000"))
                // The slow request holds the only transfer thread once the server has it.
                let arrived = ContinuousClock.now + .seconds(10)
                while delayRequestsStarted.withLock({ $0 }) == before, ContinuousClock.now < arrived {
                    try await Task.sleep(for: .milliseconds(5))
                }
                let start = ContinuousClock.now
                let error = await expectHTTPError {
                    _ = try await client.send(
                        HTTPClientRequest(url: "http://127.0.0.1:\(port)/echo", timeout: .milliseconds(300)))
                }
                let elapsed = milliseconds(since: start)
                #expect(error?.code == .timeout)
                // It gives up at its own deadline, not when the slow request frees the thread.
                #expect(elapsed >= 300 && elapsed < 2500, "took \(elapsed) ms")
                #expect(try await slow.status == 200)
            }
        }
    }

    @Test("Header values with line breaks and invalid methods are refused before sending")
    func invalidRequests() async throws {
        try await withClient { client in
            let injected = await expectHTTPError {
                _ = try await client.send(
                    HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["X-A": "1\r\nX-Injected: yes"]))
            }
            #expect(injected?.code == .invalidRequest)
            let method = await expectHTTPError {
                _ = try await client.send(
                    HTTPClientRequest(method: .init(rawValue: "GET /x"), url: "http://127.0.0.1:1/"))
            }
            #expect(method?.code == .invalidRequest)
        }
    }

    @Test(
        "Malformed and non-HTTP URLs fail with badURL",
        arguments: ["not a url", "ftp://127.0.0.1/file", "/relative", "https://"])
    func badURLs(url: String) async throws {
        try await withClient { client in
            let error = await expectHTTPError { _ = try await client.send(HTTPClientRequest(url: url)) }
            #expect(error?.code == .badURL)
        }
    }

    @Test("A client that was shut down refuses new requests")
    func afterShutdown() async throws {
        let client = OutboundHTTPClient()
        try await client.shutdown()
        let error = await expectHTTPError { _ = try await client.send(HTTPClientRequest(url: "http://127.0.0.1:1/")) }
        #expect(error?.code == .shutdown)
        try await client.shutdown()  // a second call is harmless
    }

    @Test("HTTPS: the server certificate is verified against the trust bundle")
    func tlsVerification() async throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        try await withClient { client in
            let error = await expectHTTPError {
                _ = try await client.send(HTTPClientRequest(url: "https://localhost:\(server.port)/"))
            }
            #expect(error?.code == .tls)
            #expect(error?.message.contains("https://localhost:\(server.port)/") == true)
        }
        try await withClient({ $0.caBundlePath = server.certificatePath }) { client in
            let response = try await client.send(HTTPClientRequest(url: "https://localhost:\(server.port)/"))
            #expect(response.status == 200)
            #expect(response.bodyText == "secure")
        }
    }
}
