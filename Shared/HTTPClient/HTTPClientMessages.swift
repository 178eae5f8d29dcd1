// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// An HTTP request method (RFC 9110 §9). Any token is allowed; the common ones are constants.
public struct HTTPClientMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPClientMethod(rawValue: "GET")
    public static let head = HTTPClientMethod(rawValue: "HEAD")
    public static let post = HTTPClientMethod(rawValue: "POST")
    public static let put = HTTPClientMethod(rawValue: "PUT")
    public static let patch = HTTPClientMethod(rawValue: "PATCH")
    public static let delete = HTTPClientMethod(rawValue: "DELETE")
    public static let options = HTTPClientMethod(rawValue: "OPTIONS")

    public var description: String { rawValue }

    /// RFC 9110 §9.1: a method is a token (tchar, §5.6.2).
    var isToken: Bool {
        !rawValue.isEmpty && rawValue.utf8.allSatisfy(HTTPClientHeaders.isTokenCharacter)
    }
}

/// Header fields in the order they were added or received. Names compare case-insensitively
/// (RFC 9110 §5.1); a name may repeat.
public struct HTTPClientHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field] = []

    public init() {}
    public init(_ fields: [(name: String, value: String)]) {
        self.fields = fields.map { Field(name: $0.name, value: $0.value) }
    }
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    public var count: Int { fields.count }
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    public func values(for name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { fields.contains { Self.sameName($0.name, name) } }

    public mutating func add(name: String, value: String) { fields.append(Field(name: name, value: value)) }

    /// Replaces every field called `name` by one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name)
        add(name: name, value: value)
    }

    public mutating func remove(_ name: String) { fields.removeAll { Self.sameName($0.name, name) } }

    mutating func appendToLastValue(_ continuation: String) {
        guard !fields.isEmpty else { return }
        fields[fields.count - 1].value += " " + continuation
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.lowercased() == b.lowercased()
    }

    /// RFC 9110 §5.6.2 tchar.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// A field value must not smuggle a line break or NUL into the request head (RFC 9110 §5.5).
    static func isValidValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}

/// How redirects (3xx with `Location`) are handled.
public enum HTTPClientRedirectPolicy: Sendable, Equatable {
    /// The 3xx response is returned as it is (the default).
    case doNotFollow
    /// Follows at most `maximum` redirects, and only to the same host and port; HTTPS is never
    /// downgraded to HTTP. A redirect elsewhere fails with ``HTTPClientError/Code/redirect``.
    case sameHost(maximum: Int)
}

/// One outbound request. The per-request limits, when set, replace the client's defaults.
public struct HTTPClientRequest: Sendable {
    public var method: HTTPClientMethod
    /// An absolute `https://` URL, or `http://` to a loopback host.
    public var url: String
    public var headers: HTTPClientHeaders
    public var body: [UInt8]
    public var connectTimeout: Duration?
    /// Total time for the whole exchange, including waiting for a free transfer thread and redirects.
    public var timeout: Duration?
    public var maximumResponseBodySize: Int?
    public var redirects: HTTPClientRedirectPolicy?
    /// Called with the byte counts while the exchange runs (libcurl's CURLOPT_XFERINFOFUNCTION), on
    /// the client's transfer thread, whenever a count changed; it must return quickly and must not
    /// call the client. libcurl calls it as data moves and at least once a second; a caller that
    /// draws on a screen throttles it itself.
    public var progress: (@Sendable (HTTPClientProgress) -> Void)?

    public init(
        method: HTTPClientMethod = .get, url: String, headers: HTTPClientHeaders = [:], body: [UInt8] = [],
        connectTimeout: Duration? = nil, timeout: Duration? = nil, maximumResponseBodySize: Int? = nil,
        redirects: HTTPClientRedirectPolicy? = nil, progress: (@Sendable (HTTPClientProgress) -> Void)? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maximumResponseBodySize = maximumResponseBodySize
        self.redirects = redirects
        self.progress = progress
    }
}

/// How far one exchange has got, in bytes. A total is 0 while it is unknown (a response without
/// `Content-Length`, or before its head arrived). After a followed redirect the counts start again
/// for the new request.
public struct HTTPClientProgress: Sendable, Equatable {
    public var uploaded: Int64
    public var uploadTotal: Int64
    public var downloaded: Int64
    public var downloadTotal: Int64

    public init(uploaded: Int64, uploadTotal: Int64, downloaded: Int64, downloadTotal: Int64) {
        self.uploaded = uploaded
        self.uploadTotal = uploadTotal
        self.downloaded = downloaded
        self.downloadTotal = downloadTotal
    }
}

/// The final response (after any followed redirects).
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPClientHeaders
    public var body: [UInt8]
    /// The URL that gave this response (differs from the request's after a followed redirect).
    public var url: String

    public init(status: Int, headers: HTTPClientHeaders, body: [UInt8], url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// The body decoded as UTF-8 (invalid sequences become U+FFFD).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
