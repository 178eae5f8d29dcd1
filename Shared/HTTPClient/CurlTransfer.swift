// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CCurl
import CCurlShim
import Synchronization

/// A libcurl easy handle. Handles live in ``EasyHandlePool`` and are used by one transfer thread at
/// a time (taken out of the pool for a transfer, put back after), which is libcurl's threading rule
/// ("you must never share the same handle in multiple threads"), hence `@unchecked Sendable`.
struct EasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Idle easy handles. Reusing a handle keeps its connection and DNS caches, so repeated requests to
/// one host (an IdP's JWKS, an OCPI peer) skip the TCP and TLS handshakes.
final class EasyHandlePool: Sendable {
    private let idle = Mutex<[EasyHandle]>([])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func acquire() -> EasyHandle? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return curl_easy_init().map(EasyHandle.init)
    }

    func release(_ handle: EasyHandle) {
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < capacity else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.raw) }
    }

    func closeAll() {
        let all = idle.withLock { handles in
            let taken = handles
            handles.removeAll()
            return taken
        }
        for handle in all { curl_easy_cleanup(handle.raw) }
    }
}

/// Set from the cancelling task, read by the transfer thread's progress callback.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Everything one transfer needs, computed before it is queued.
struct TransferPlan: Sendable {
    var method: HTTPClientMethod
    var target: TargetURL
    var headers: HTTPClientHeaders
    var body: [UInt8]
    var connectTimeout: Duration
    var deadline: ContinuousClock.Instant
    var maximumResponseBodySize: Int
    var userAgent: String
    var caBundlePath: String?
    var progress: (@Sendable (HTTPClientProgress) -> Void)?

    var label: String { "\(method) \(target.redacted)" }
}

/// What came back from one exchange (redirects are not followed by libcurl; the client decides).
struct TransferOutcome: Sendable {
    var status: Int
    var headers: HTTPClientHeaders
    var body: [UInt8]
    /// CURLINFO_REDIRECT_URL: the absolute URL of a `Location` header, resolved by libcurl.
    var redirectURL: String?
}

/// Per-transfer state reached from libcurl's callbacks through their context pointer. Only the
/// transfer thread touches it while `curl_easy_perform` runs.
private final class TransferState {
    var body: [UInt8] = []
    var headers = HTTPClientHeaders()
    let limit: Int
    var exceededLimit = false
    let cancellation: CancellationFlag
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    let progress: (@Sendable (HTTPClientProgress) -> Void)?
    private var lastProgress = HTTPClientProgress(uploaded: 0, uploadTotal: 0, downloaded: 0, downloadTotal: 0)

    init(limit: Int, cancellation: CancellationFlag, progress: (@Sendable (HTTPClientProgress) -> Void)?) {
        self.limit = limit
        self.cancellation = cancellation
        self.progress = progress
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    /// libcurl calls the progress function many times with the same counts (every poll of the
    /// socket, and once a second while idle); only a change reaches the caller.
    func reportProgress(_ current: HTTPClientProgress) {
        guard let progress, current != lastProgress else { return }
        lastProgress = current
        progress(current)
    }

    deinit { errorBuffer.deallocate() }

    var errorText: String { String(cString: errorBuffer) }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        // CURLOPT_MAXFILESIZE_LARGE only sees a declared Content-Length; a chunked or close-delimited
        // body is counted here, and returning less than was given aborts with CURLE_WRITE_ERROR.
        guard body.count + bytes.count <= limit else {
            exceededLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        if end == 0 { return }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line: an interim 1xx response came before, keep only the final one's fields.
            headers = HTTPClientHeaders()
        } else if line.first == " " || line.first == "\t" {
            headers.appendToLastValue(line.trimmingSpaces)  // obsolete line folding (RFC 9112 §5.2)
        } else if let colon = line.firstIndex(of: ":") {
            headers.add(name: String(line[..<colon]), value: String(line[line.index(after: colon)...]).trimmingSpaces)
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

private let writeCallback: csms_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    return state.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let headerCallback: csms_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    state.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let progressCallback: csms_curl_progress_callback = {
    context, downloadTotal, downloaded, uploadTotal, uploaded in
    guard let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    state.reportProgress(
        HTTPClientProgress(
            uploaded: uploaded, uploadTotal: uploadTotal, downloaded: downloaded, downloadTotal: downloadTotal))
    return state.cancellation.isSet ? 1 : 0
}

private let emptyBody: StaticString = ""

enum CurlTransfer {
    /// Runs one exchange on the calling thread (a transfer thread, never the cooperative pool).
    static func perform(
        _ plan: TransferPlan, handle: EasyHandle, cancellation: CancellationFlag
    ) throws(HTTPClientError) -> TransferOutcome {
        if cancellation.isSet { throw HTTPClientError(.cancelled, request: plan.label, "the request was cancelled") }
        let remaining = plan.deadline - .now
        guard remaining > .zero else {
            throw HTTPClientError(
                .timeout, request: plan.label,
                "the total timeout passed while waiting for a free transfer thread; raise the timeout or the "
                    + "client's maximumConcurrentTransfers")
        }
        let state = TransferState(
            limit: plan.maximumResponseBodySize, cancellation: cancellation, progress: plan.progress)
        let context = Unmanaged.passUnretained(state).toOpaque()
        let h = handle.raw
        curl_easy_reset(h)

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // The handle keeps pointers to `state` (callback data, error buffer) and the header list;
        // clearing its options before either is freed leaves nothing dangling while it sits idle
        // in the pool. Resetting keeps the connection and DNS caches.
        defer { withExtendedLifetime(state) { curl_easy_reset(h) } }
        for field in plan.headers {
            headerList = curl_slist_append(headerList, "\(field.name): \(field.value)")
        }
        // No `Expect: 100-continue` round trip (libcurl adds it to larger bodies and then waits up to
        // a second for an answer many servers never send).
        headerList = curl_slist_append(headerList, "Expect:")
        if !plan.headers.contains("Content-Type") {
            // Without this, a body sent with CURLOPT_POSTFIELDS is labelled as a form.
            headerList = curl_slist_append(headerList, "Content-Type:")
        }

        let timeoutMilliseconds = max(1, remaining.milliseconds)
        let connectMilliseconds = max(1, min(plan.connectTimeout.milliseconds, timeoutMilliseconds))
        var failed = false
        func check(_ code: Int32) { if code != 0 { failed = true } }
        func setLong(_ option: CURLoption, _ value: Int) { check(csms_curl_setopt_long(h, option.rawValue, value)) }
        func setString(_ option: CURLoption, _ value: String) {
            check(csms_curl_setopt_string(h, option.rawValue, value))
        }
        func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) {
            check(csms_curl_setopt_pointer(h, option.rawValue, value))
        }

        setLong(CURLOPT_NOSIGNAL, 1)  // required when libcurl is used from several threads
        setString(CURLOPT_URL, plan.target.text)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, connectMilliseconds)
        setLong(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        check(csms_curl_setopt_offset(h, CURLOPT_MAXFILESIZE_LARGE.rawValue, Int64(plan.maximumResponseBodySize)))
        setLong(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath = plan.caBundlePath { setString(CURLOPT_CAINFO, caBundlePath) }
        if plan.target.isLoopback {
            setString(CURLOPT_PROXY, "")  // a proxy from the environment must not see loopback traffic
        }
        setLong(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        setString(CURLOPT_USERAGENT, plan.userAgent)
        setPointer(CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        setPointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(state.errorBuffer))
        check(csms_curl_setopt_data_callback(h, CURLOPT_WRITEFUNCTION.rawValue, writeCallback))
        setPointer(CURLOPT_WRITEDATA, context)
        check(csms_curl_setopt_data_callback(h, CURLOPT_HEADERFUNCTION.rawValue, headerCallback))
        setPointer(CURLOPT_HEADERDATA, context)
        setLong(CURLOPT_NOPROGRESS, 0)
        check(csms_curl_setopt_progress_callback(h, progressCallback))
        setPointer(CURLOPT_XFERINFODATA, context)

        switch plan.method {
        case .get where plan.body.isEmpty:
            setLong(CURLOPT_HTTPGET, 1)
        case .head:
            setLong(CURLOPT_NOBODY, 1)
        default:
            if plan.method != .post { setString(CURLOPT_CUSTOMREQUEST, plan.method.rawValue) }
            if plan.method == .post || !plan.body.isEmpty || plan.method == .put || plan.method == .patch {
                // POSTFIELDSIZE first, so COPYPOSTFIELDS copies exactly that many bytes (NULs included).
                check(csms_curl_setopt_offset(h, CURLOPT_POSTFIELDSIZE_LARGE.rawValue, Int64(plan.body.count)))
                if plan.body.isEmpty {
                    setPointer(CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: emptyBody.utf8Start))
                } else {
                    plan.body.withUnsafeBytes { bytes in
                        setPointer(CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                    }
                }
            }
        }
        guard !failed else {
            throw HTTPClientError(
                .transport, request: plan.label,
                "libcurl refused an option (libcurl \(String(cString: curl_version())) is older than 7.85?)")
        }

        let code = withExtendedLifetime(state) { curl_easy_perform(h) }
        guard code == CURLE_OK else {
            throw error(for: code, state: state, plan: plan, connectMilliseconds: connectMilliseconds)
        }
        var status = 0
        _ = csms_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE.rawValue, &status)
        var location: UnsafePointer<CChar>?
        _ = csms_curl_getinfo_string(h, CURLINFO_REDIRECT_URL.rawValue, &location)
        return TransferOutcome(
            status: status, headers: state.headers, body: state.body, redirectURL: location.map { String(cString: $0) })
    }

    private static func error(
        for code: CURLcode, state: TransferState, plan: TransferPlan, connectMilliseconds: Int
    ) -> HTTPClientError {
        let detail = state.errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : state.errorText
        let limit = plan.maximumResponseBodySize
        switch code {
        case CURLE_FILESIZE_EXCEEDED:
            return HTTPClientError(
                .tooLarge, request: plan.label,
                "the response body is larger than \(limit) bytes and was not read; raise maximumResponseBodySize "
                    + "if that size is expected")
        case CURLE_WRITE_ERROR where state.exceededLimit:
            return HTTPClientError(
                .tooLarge, request: plan.label,
                "the response body passed \(limit) bytes and the transfer was aborted; raise "
                    + "maximumResponseBodySize if that size is expected")
        case CURLE_ABORTED_BY_CALLBACK where state.cancellation.isSet:
            return HTTPClientError(.cancelled, request: plan.label, "the request was cancelled")
        case CURLE_OPERATION_TIMEDOUT:
            let connecting = detail.lowercased().contains("connect") || detail.lowercased().contains("resolv")
            let which =
                connecting
                ? "the connection was not established within \(connectMilliseconds) ms (connect timeout)"
                : "no complete answer within the total timeout"
            return HTTPClientError(
                .timeout, request: plan.label, "\(which): \(detail); check that the server is up, or raise the timeout")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPClientError(
                .connect, request: plan.label, "\(detail); check the host name and the DNS configuration")
        case CURLE_COULDNT_CONNECT:
            return HTTPClientError(
                .connect, request: plan.label, "\(detail); check that the server listens on that address and port")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            return HTTPClientError(
                .tls, request: plan.label,
                "TLS failed: \(detail); the server needs a certificate for this host name from a CA in the trust "
                    + "bundle, and TLS 1.2 or newer")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError(.badURL, request: plan.label, "\(detail); write the URL as https://host/path")
        default:
            return HTTPClientError(
                .transport, request: plan.label, "the exchange failed: \(detail); retry later or check the server")
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, saturating at Int.max.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int.max / 1000) - 1 else { return Int.max }
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
