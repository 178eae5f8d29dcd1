// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Synchronization
import Testing

@testable import OpenCSMSCLI

#if canImport(Glibc)
    import Glibc
#endif

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A clock moved by hand, for the progress display's throttle.
final class ManualClock: Sendable {
    let origin = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)
    func set(_ value: Duration) { offset.withLock { $0 = value } }
    var now: ContinuousClock.Instant { origin + offset.withLock { $0 } }
}

@Suite("open-csms tokens import: progress bar")
struct CLIProgressBarTests {
    @Test("The bar: [#####.....] 45% 14.2 MiB/31.5 MiB")
    func line() {
        let mebibyte = 1024.0 * 1024.0
        #expect(
            ProgressBar.line(sent: Int64(14.2 * mebibyte), total: Int64(31.5 * mebibyte), width: 10)
                == "[#####.....] 45% 14.2 MiB/31.5 MiB")
        #expect(ProgressBar.line(sent: 0, total: 2048, width: 4) == "[....] 0% 0 B/2.0 KiB")
        #expect(ProgressBar.line(sent: 2048, total: 2048, width: 4) == "[####] 100% 2.0 KiB/2.0 KiB")
        #expect(ProgressBar.line(sent: 700, total: 0) == "700 B sent")
        #expect(ProgressBar.line(sent: 30, total: 20, width: 2) == "[##] 100% 30 B/20 B")
    }

    @Test("Sizes in binary units with one decimal")
    func sizes() {
        #expect(ProgressBar.size(0) == "0 B")
        #expect(ProgressBar.size(1023) == "1023 B")
        #expect(ProgressBar.size(1024) == "1.0 KiB")
        #expect(ProgressBar.size(1536) == "1.5 KiB")
        #expect(ProgressBar.size(32 * 1024 * 1024) == "32.0 MiB")
        #expect(ProgressBar.size(3 * 1024 * 1024 * 1024 + 512 * 1024 * 1024) == "3.5 GiB")
    }

    func progress(_ sent: Int64, of total: Int64 = 1000) -> HTTPClientProgress {
        HTTPClientProgress(uploaded: sent, uploadTotal: total, downloaded: 0, downloadTotal: 0)
    }

    @Test("On a terminal: redrawn in place at most every 100 ms, once more at 100 %, then a newline")
    func terminal() {
        let clock = ManualClock()
        let output = Messages()
        let display = UploadProgressDisplay(interactive: true, now: { clock.now }, output: { output.add($0) })
        let steps: [(Int, Int64)] = [(0, 100), (50, 200), (99, 300), (100, 400), (150, 500), (260, 600), (270, 1000)]
        for (milliseconds, sent) in steps {
            clock.set(.milliseconds(milliseconds))
            display.update(progress(sent))
        }
        display.update(progress(1000))
        display.finish()
        display.update(progress(1000))
        func drawn(_ sent: Int64) -> String {
            "\r" + ProgressBar.line(sent: sent, total: 1000) + "\u{1B}[K"
        }
        #expect(
            output.all == [
                drawn(100), drawn(400), drawn(600), drawn(1000), drawn(1000) + "\n",
            ])
    }

    @Test("Not on a terminal: nothing while uploading, one line at the end")
    func notTerminal() {
        let output = Messages()
        let display = UploadProgressDisplay(interactive: false, output: { output.add($0) })
        for sent in stride(from: Int64(0), through: 1000, by: 100) { display.update(progress(sent)) }
        #expect(output.all.isEmpty)
        display.finish()
        display.finish()
        #expect(output.all == [ProgressBar.line(sent: 1000, total: 1000) + "\n"])
    }

    @Test("An upload that never reported progress prints nothing")
    func noProgress() {
        let output = Messages()
        let display = UploadProgressDisplay(interactive: false, output: { output.add($0) })
        display.finish()
        #expect(output.all.isEmpty)
    }
}

@Suite("open-csms tokens import/export: requests and answers → output and exit status")
struct CLITokenImportTests {
    static let connection = TenantConnection(
        baseURL: "http://127.0.0.1:8081", credential: "secret", fromStoredSession: false, timeout: .seconds(300))
    static var sessionConnection: TenantConnection {
        var copy = connection
        copy.fromStoredSession = true
        return copy
    }

    @Test("The format comes from the extension; the request carries the file, its type and the credential")
    func request() {
        #expect(TokenFileFormat(path: "cards.CSV") == .csv)
        #expect(TokenFileFormat(path: "/tmp/x.json") == .json)
        #expect(TokenFileFormat(path: "tokens.txt") == nil)
        let csv = TokenImport.request(bytes("token\nA\n"), format: .csv, partial: false, on: Self.connection)
        #expect(csv.method == .post)
        #expect(csv.url == "http://127.0.0.1:8081/api/v1/tokens/import")
        #expect(csv.headers["Content-Type"] == "text/csv")
        #expect(csv.headers["Authorization"] == "Bearer secret")
        #expect(csv.body == bytes("token\nA\n"))
        #expect(csv.timeout == .seconds(300))
        let json = TokenImport.request(bytes("[]"), format: .json, partial: true, on: Self.connection)
        #expect(json.url == "http://127.0.0.1:8081/api/v1/tokens/import?partial=true")
        #expect(json.headers["Content-Type"] == "application/json")
        let export = TokenExport.request(format: .json, on: Self.connection)
        #expect(export.method == .get)
        #expect(export.url == "http://127.0.0.1:8081/api/v1/tokens/export?format=json")
    }

    @Test("Everything imported: the counts on stdout, exit status 0")
    func clean() {
        let result = TokenImport.outcome(
            status: 200, body: bytes(#"{"imported":3,"updated":1,"rejected":0,"errors":[]}"#), partial: false,
            connection: Self.connection)
        #expect(result == CommandResult(stdout: "imported 3, updated 1, rejected 0", exitCode: 0))
        let unchanged = TokenImport.outcome(
            status: 200, body: bytes(#"{"imported":0,"updated":0,"unchanged":4,"rejected":0,"errors":[]}"#),
            partial: false, connection: Self.connection)
        #expect(unchanged == CommandResult(stdout: "imported 0, updated 0, rejected 0 (4 unchanged)", exitCode: 0))
    }

    @Test("A partial import: the counts and every bad row by line (CSV) or index (JSON), exit status 1")
    func partial() {
        let result = TokenImport.outcome(
            status: 200,
            body: bytes(
                #"{"imported":2,"updated":0,"rejected":3,"errors":[{"line":3,"token":"TAG-3","detail":"unknown type 'Foo'"},"#
                    + #"{"line":5,"token":null,"field":"token","detail":"is required"},"#
                    + #"{"index":7,"token":"bad\u001b[2J","detail":"duplicate in the file"}]}"#),
            partial: true, connection: Self.connection)
        #expect(result.exitCode == 1)
        #expect(result.stderr.isEmpty)
        #expect(
            result.stdoutText
                == "imported 2, updated 0, rejected 3\nline 3: TAG-3: unknown type 'Foo'\nline 5: token: is required\n"
                + "index 7: bad [2J: duplicate in the file\n")
    }

    @Test("422 with the rows in a problem document's extension or as the plain body: rows listed, exit status 1")
    func nothingImported() {
        let problem = TokenImport.outcome(
            status: 422,
            body: bytes(
                #"{"type":"about:blank","title":"Unprocessable Content","status":422,"#
                    + #""detail":"2 rows are not valid; nothing was imported","#
                    + #""errors":[{"line":2,"token":"A","detail":"bad status"},{"line":4,"token":"B","detail":"bad date"}]}"#
            ),
            partial: false, connection: Self.connection)
        #expect(problem.exitCode == 1)
        #expect(problem.stdoutText == "imported 0, updated 0, rejected 2\nline 2: A: bad status\nline 4: B: bad date\n")
        #expect(
            problem.stderr
                == "Unprocessable Content: 2 rows are not valid; nothing was imported\n"
                + "nothing was imported; --partial imports the good rows")
        let plain = TokenImport.outcome(
            status: 422,
            body: bytes(
                #"{"imported":0,"updated":0,"rejected":1,"errors":[{"index":0,"token":"X","detail":"no token"}]}"#),
            partial: false, connection: Self.connection)
        #expect(plain.exitCode == 1)
        #expect(plain.stdoutText == "imported 0, updated 0, rejected 1\nindex 0: X: no token\n")
    }

    @Test("Refused requests exit 2: 422 without rows, 401 (a stored session: log in again), 413, 5xx, no counts")
    func refused() {
        let invalid = TokenImport.outcome(
            status: 422, body: bytes(#"{"title":"Unprocessable Content","detail":"not CSV"}"#), partial: false,
            connection: Self.connection)
        #expect(invalid == CommandResult(stderr: "Unprocessable Content: not CSV", exitCode: 2))
        let unauthorized = TokenImport.outcome(
            status: 401, body: bytes(#"{"title":"Unauthorized","detail":"the token expired"}"#), partial: false,
            connection: Self.sessionConnection)
        #expect(unauthorized.exitCode == 2)
        #expect(
            unauthorized.stderr
                == "Unauthorized: the token expired\n(the session stored by open-csms login was refused; run open-csms login again)"
        )
        let tooLarge = TokenImport.outcome(status: 413, body: [], partial: false, connection: Self.connection)
        #expect(tooLarge.exitCode == 2)
        #expect(tooLarge.stderr.hasSuffix("(the import takes at most 32 MiB per file: split it)"))
        #expect(TokenImport.outcome(status: 503, body: [], partial: false, connection: Self.connection).exitCode == 2)
        #expect(
            TokenImport.outcome(status: 200, body: bytes("<html>"), partial: false, connection: Self.connection)
                .exitCode
                == 2)
    }

    @Test("A file over 32 MiB is refused before any upload")
    func tooLargeFile() throws {
        try withTemporaryDirectory { (root: String) throws -> Void in
            let path = root + "/big.csv"
            let descriptor = open(path, O_WRONLY | O_CREAT, 0o600)
            #expect(ftruncate(descriptor, off_t(TokenImport.maximumFileSize + 1)) == 0)
            close(descriptor)
            let error = #expect(throws: TenantTargetError.self) { try TokenImport.readFile(path) }
            #expect(error?.message.contains("at most 32 MiB") == true)
            let small = root + "/small.csv"
            let handle = open(small, O_WRONLY | O_CREAT, 0o600)
            _ = "token\nA\n".withCString { write(handle, $0, 8) }
            close(handle)
            #expect(try TokenImport.readFile(small) == bytes("token\nA\n"))
            #expect(throws: TenantTargetError.self) { try TokenImport.readFile(root + "/missing.csv") }
        }
    }
}
