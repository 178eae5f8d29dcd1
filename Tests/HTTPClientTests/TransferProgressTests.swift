// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Hummingbird
import Synchronization
import Testing

/// Every progress report a request gave, in order.
final class ProgressLog: Sendable {
    private let reports = Mutex<[HTTPClientProgress]>([])
    func record(_ progress: HTTPClientProgress) { reports.withLock { $0.append(progress) } }
    var all: [HTTPClientProgress] { reports.withLock { $0 } }
}

@Suite("OutboundHTTPClient progress callback (CURLOPT_XFERINFOFUNCTION)", .serialized)
struct TransferProgressTests {
    /// `POST /count` reads the whole body and answers its length.
    static func countRoute(_ router: Router<BasicRequestContext>) {
        router.post("/count") { request, _ -> Response in
            var total = 0
            for try await piece in request.body { total += piece.readableBytes }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(total)")))
        }
    }

    @Test("An upload reports the body's size as its total and climbs to it; counts never go back")
    func uploadProgress() async throws {
        let body = [UInt8](repeating: 0x41, count: 12 * 1024 * 1024)
        let log = ProgressLog()
        let response = try await TestHTTPServer.with(extraRoutes: Self.countRoute) { port in
            try await withClient { client in
                try await client.send(
                    HTTPClientRequest(
                        method: .post, url: "http://127.0.0.1:\(port)/count", headers: ["Content-Type": "text/csv"],
                        body: body, progress: { log.record($0) }))
            }
        }
        #expect(response.status == 200)
        #expect(response.bodyText == "\(body.count)")
        let reports = log.all
        #expect(!reports.isEmpty)
        #expect(reports.last?.uploaded == Int64(body.count))
        #expect(reports.contains { $0.uploadTotal == Int64(body.count) })
        // Only changes are reported, and the upload count only grows.
        for (previous, next) in zip(reports, reports.dropFirst()) {
            #expect(previous != next)
            #expect(next.uploaded >= previous.uploaded)
        }
        // 12 MiB over loopback passes libcurl's buffers in several steps: something in between is seen.
        #expect(reports.contains { $0.uploaded > 0 && $0.uploaded < Int64(body.count) })
    }

    @Test("A download reports Content-Length as its total and ends there")
    func downloadProgress() async throws {
        let log = ProgressLog()
        let size = 3 * 1024 * 1024
        let response = try await TestHTTPServer.with { port in
            try await withClient { client in
                try await client.send(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/big?size=\(size)", progress: { log.record($0) }))
            }
        }
        #expect(response.body.count == size)
        #expect(
            log.all.last
                == HTTPClientProgress(uploaded: 0, uploadTotal: 0, downloaded: Int64(size), downloadTotal: Int64(size)))
    }
}
