// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient

/// What the CLI prints to stderr, and its exit status, when a call fails.
struct ProblemReport: Equatable, Sendable {
    var message: String
    var exitCode: Int32

    /// Exit status 1: the request was refused (4xx), fix the input or the credentials.
    static let clientErrorExit: Int32 = 1
    /// Exit status 2: the server failed (5xx) or could not be reached; retrying may help.
    static let serverErrorExit: Int32 = 2

    /// An error response. RFC 9457 problem documents print as `title: detail`, followed by the
    /// `errors` extension entries the detail does not already contain (one per line); anything else
    /// as `HTTP <status>` and the body's first line.
    static func response(status: Int, body: [UInt8]) -> ProblemReport {
        let exitCode = (400..<500).contains(status) ? clientErrorExit : serverErrorExit
        let fallback = "HTTP \(status)" + (reasonPhrases[status].map { " \($0)" } ?? "")
        guard let document = try? JSONText.parse(body), case .object = document else {
            let text = String(decoding: body, as: UTF8.self)
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let trimmed = firstLine.trimming(" \t")
            let shown = trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
            return ProblemReport(message: shown.isEmpty ? fallback : "\(fallback): \(shown)", exitCode: exitCode)
        }
        let title = document["title"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let detail = document["detail"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var message: String
        switch (title, detail) {
        case (let title?, let detail?): message = "\(title): \(detail)"
        case (let title?, nil): message = title
        case (nil, let detail?): message = "\(fallback): \(detail)"
        case (nil, nil): message = fallback
        }
        if case .array(let errors)? = document["errors"] {
            // The platform API's 422 lists every problem in `errors` ([{field, detail}]); a line the
            // detail already says is not repeated.
            for entry in errors {
                var line: String?
                switch entry {
                case .string(let text): line = text
                case .object:
                    if let text = entry["detail"]?.stringValue ?? entry["message"]?.stringValue {
                        let field = entry["field"]?.stringValue ?? entry["pointer"]?.stringValue
                        line = (field.map { "\($0): " } ?? "") + text
                    }
                default: line = nil
                }
                if let line, !(detail ?? "").contains(line) { message += "\n  - \(line)" }
            }
        }
        return ProblemReport(message: message, exitCode: exitCode)
    }

    /// No response at all (connection refused, timeout, TLS failure).
    static func transport(_ error: HTTPClientError) -> ProblemReport {
        ProblemReport(message: error.message, exitCode: serverErrorExit)
    }

    private static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        409: "Conflict", 410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type",
        422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented",
        502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}

extension String {
    func trimming(_ set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
