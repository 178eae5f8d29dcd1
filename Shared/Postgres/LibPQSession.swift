// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

internal import CLibPQ
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Connection parameters derived once from the user's conninfo.
struct PGConnectSettings: Sendable {
    var keywords: [String]
    var values: [String]
    /// `host=... port=... user=... dbname=...` from the conninfo, for messages (never the password).
    var endpoint: String
    var connectTimeout: Duration
    var statementCacheCapacity: Int

    /// Session settings sent in the startup packet (`options`), so no extra round trip is needed:
    /// timestamps come back in ISO format with a UTC offset (what `Date` decoding expects) and
    /// `bytea` in hex.
    static let sessionOptions = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex"

    static func make(_ configuration: PGPoolConfiguration) -> Result<PGConnectSettings, PGError> {
        let problems = configuration.validationErrors()
        if !problems.isEmpty {
            return .failure(PGError(code: .invalidConfiguration, message: problems.joined(separator: "; ")))
        }
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(configuration.conninfo, &errorMessage) else {
            var message = "the conninfo string cannot be parsed"
            if let errorMessage {
                message += ": " + String(cString: errorMessage).trimmingWhitespace()
                PQfreemem(errorMessage)
            }
            return .failure(PGError(code: .invalidConfiguration, message: message))
        }
        defer { PQconninfoFree(options) }
        var parsed: [(String, String)] = []
        var index = 0
        while let keyword = options[index].keyword {
            if let value = options[index].val {
                parsed.append((String(cString: keyword), String(cString: value)))
            }
            index += 1
        }
        var settings = PGConnectSettings(
            keywords: [], values: [], endpoint: "", connectTimeout: configuration.connectTimeout,
            statementCacheCapacity: configuration.statementCacheCapacity)
        var userOptions = ""
        var hasApplicationName = false
        for (keyword, value) in parsed {
            switch keyword {
            case "options": userOptions = value
            case "client_encoding": continue  // forced to UTF8 below: all text is decoded as UTF-8
            case "application_name":
                hasApplicationName = true
                settings.append(keyword, value)
            default: settings.append(keyword, value)
            }
        }
        if !hasApplicationName { settings.append("application_name", configuration.applicationName) }
        settings.append("client_encoding", "UTF8")
        settings.append("options", userOptions.isEmpty ? sessionOptions : userOptions + " " + sessionOptions)
        let lookup = Dictionary(parsed, uniquingKeysWith: { _, last in last })
        settings.endpoint = describeEndpoint(
            host: lookup["host"] ?? lookup["hostaddr"], port: lookup["port"], user: lookup["user"],
            database: lookup["dbname"])
        return .success(settings)
    }

    private mutating func append(_ keyword: String, _ value: String) {
        keywords.append(keyword)
        values.append(value)
    }

    static func describeEndpoint(host: String?, port: String?, user: String?, database: String?) -> String {
        var parts: [String] = []
        parts.append("host=\(host.flatMap { $0.isEmpty ? nil : $0 } ?? "(default socket)")")
        parts.append("port=\(port.flatMap { $0.isEmpty ? nil : $0 } ?? "5432")")
        parts.append("user=\(user.flatMap { $0.isEmpty ? nil : $0 } ?? "(login user)")")
        if let database, !database.isEmpty { parts.append("dbname=\(database)") }
        return parts.joined(separator: " ")
    }
}

/// Lets a task cancel the statement its connection is running (`PQcancel`).
///
/// `@unchecked Sendable` is safe: the `PGcancel` object is created once and never modified, and
/// libpq documents `PQcancel` as thread-safe (libpq §34.7, "Canceling Queries in Progress"); it is
/// freed once, in `deinit`, when no thread can use it any more.
final class PGCancelHandle: @unchecked Sendable {
    private let pointer: OpaquePointer

    init?(connection: OpaquePointer) {
        guard let p = PQgetCancel(connection) else { return nil }
        pointer = p
    }

    deinit { PQfreeCancel(pointer) }

    /// Blocking: opens a short connection to the server. Returns libpq's error, if any.
    func cancel() -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            buffer.initialize(repeating: 0)
            guard let base = buffer.baseAddress else { return "no buffer" }
            return PQcancel(pointer, base, 256) == 1 ? nil : String(cString: base)
        }
    }
}

/// Routes server notices (`RAISE NOTICE`, "there is no transaction in progress", ...) to the logger
/// instead of libpq's default, stderr.
final class PGNoticeSink {
    let logger: Logger
    let connectionID: Int
    /// A FATAL message arrived while idle (`pg_terminate_backend`, server shutdown): the server is
    /// closing the connection.
    var sawFatal = false

    init(logger: Logger, connectionID: Int) {
        self.logger = logger
        self.connectionID = connectionID
    }

    func receive(_ result: OpaquePointer) {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let severity = field(UInt8(ascii: "V")) ?? field(UInt8(ascii: "S")) ?? "NOTICE"
        let message = field(UInt8(ascii: "M")) ?? ""
        if severity == "FATAL" || severity == "PANIC" { sawFatal = true }
        var metadata: Logger.Metadata = [
            "pg.connection_id": "\(connectionID)",
            "pg.severity": "\(severity)",
        ]
        if let state = field(UInt8(ascii: "C")) { metadata["pg.sqlstate"] = "\(state)" }
        if let detail = field(UInt8(ascii: "D")) { metadata["pg.detail"] = "\(detail)" }
        logger.debug("PostgreSQL \(severity): \(message)", metadata: metadata)
    }
}

/// A PostgreSQL connection over libpq with its prepared-statement cache. Every method blocks the
/// calling thread; `PGBackend` makes sure only one thread at a time uses an instance, and only
/// threads of the pool's `NIOThreadPool` call the blocking ones.
final class LibPQSession {
    let connection: OpaquePointer
    let id: Int
    let endpoint: String
    private let notices: PGNoticeSink
    private var cache: PGStatementCache
    private var closed = false
    /// Set when the connection is in a state this module cannot recover from (COPY, protocol
    /// error, failed ROLLBACK); the pool closes it instead of reusing it.
    var mustDiscard = false
    private(set) var cancelHandle: PGCancelHandle?

    private init(connection: OpaquePointer, id: Int, endpoint: String, logger: Logger, cacheCapacity: Int) {
        self.connection = connection
        self.id = id
        self.endpoint = endpoint
        notices = PGNoticeSink(logger: logger, connectionID: id)
        cache = PGStatementCache(capacity: cacheCapacity)
        // The sink lives as long as `self`, and `PQfinish` (in `close`) runs before it is released.
        PQsetNoticeReceiver(
            connection,
            { arg, result in
                guard let arg, let result else { return }
                Unmanaged<PGNoticeSink>.fromOpaque(arg).takeUnretainedValue().receive(result)
            }, Unmanaged.passUnretained(notices).toOpaque())
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        PQfinish(connection)
    }

    // After `close()` the PGconn is freed: these accessors must not touch it any more.
    var isOK: Bool { !closed && !mustDiscard && !notices.sawFatal && PQstatus(connection) == CONNECTION_OK }
    var transactionStatus: PGTransactionStatusType { closed ? PQTRANS_UNKNOWN : PQtransactionStatus(connection) }
    var backendPID: Int32 { closed ? 0 : PQbackendPID(connection) }

    // MARK: Connecting

    /// Opens a connection with `PQconnectStartParams`/`PQconnectPoll` so that `connectTimeout`
    /// bounds the whole handshake (TCP, TLS, authentication).
    static func connect(settings: PGConnectSettings, logger: Logger, id: Int) -> Result<LibPQSession, PGError> {
        let deadline = ContinuousClock.now + settings.connectTimeout
        let started = withCStringArrays(settings.keywords, settings.values) { keywords, values in
            PQconnectStartParams(keywords, values, 0)
        }
        guard let connection = started else {
            return .failure(PGError(code: .connectionFailed, message: "out of memory", endpoint: settings.endpoint))
        }
        let session = LibPQSession(
            connection: connection, id: id, endpoint: settings.endpoint, logger: logger,
            cacheCapacity: settings.statementCacheCapacity)
        func failure(_ message: String) -> Result<LibPQSession, PGError> {
            let endpoint = PGConnectSettings.describeEndpoint(
                host: PQhost(connection).map { String(cString: $0) },
                port: PQport(connection).map { String(cString: $0) },
                user: PQuser(connection).map { String(cString: $0) },
                database: PQdb(connection).map { String(cString: $0) })
            session.close()
            return .failure(PGError(code: .connectionFailed, message: message, endpoint: endpoint))
        }
        if PQstatus(connection) == CONNECTION_BAD {
            return failure(session.libpqError(default: "connection failed"))
        }
        var status = PGRES_POLLING_WRITING
        while true {
            if status == PGRES_POLLING_OK { break }
            if status == PGRES_POLLING_FAILED { return failure(session.libpqError(default: "connection failed")) }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                return failure("timed out after \(settings.connectTimeout) (connectTimeout)")
            }
            let events = status == PGRES_POLLING_READING ? Int16(POLLIN) : Int16(POLLOUT)
            let ready = waitForSocket(PQsocket(connection), events: events, timeout: remaining)
            if ready < 0 { return failure("poll() failed: \(String(cString: strerror(errno)))") }
            if ready == 0 { continue }  // re-check the deadline
            status = PQconnectPoll(connection)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            return failure(session.libpqError(default: "connection failed"))
        }
        session.cancelHandle = PGCancelHandle(connection: connection)
        // Non-blocking mode for good: `PQsend*` never waits for the network (the I/O loop finishes
        // those statements), while PQexec/PQprepare/PQgetResult keep their blocking behaviour
        // ("PQexec does not honor nonblocking mode", libpq §34.4).
        guard PQsetnonblocking(connection, 1) == 0 else {
            return failure(session.libpqError(default: "cannot switch the connection to non-blocking mode"))
        }
        return .success(session)
    }

    /// poll(2) on one descriptor; returns >0 when ready, 0 on timeout, <0 on error.
    static func waitForSocket(_ fd: Int32, events: Int16, timeout: Duration?) -> Int32 {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        while true {
            var ms: Int32 = -1
            if let timeout {
                let (s, a) = timeout.components
                ms = Int32(clamping: s * 1000 + a / 1_000_000_000_000_000 + 1)
            }
            let r = poll(&pfd, 1, ms)
            if r < 0 && errno == EINTR { continue }
            return r
        }
    }

    // MARK: Errors

    func libpqError(default fallback: String) -> String {
        guard let message = PQerrorMessage(connection) else { return fallback }
        let text = String(cString: message).trimmingWhitespace()
        return text.isEmpty ? fallback : text
    }

    /// The error of a failed result, classified: a broken connection is `.connectionClosed`.
    func error(from result: OpaquePointer?, query: String?) -> PGError {
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        var message = field(UInt8(ascii: "M"))
        if message == nil || message?.isEmpty == true, let result, let text = PQresultErrorMessage(result) {
            message = String(cString: text).trimmingWhitespace()
        }
        if message == nil || message?.isEmpty == true { message = libpqError(default: "unknown error") }
        var error = PGError(
            code: .server, message: message ?? "unknown error", sqlState: field(UInt8(ascii: "C")),
            detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")), query: query)
        error.constraintName = field(UInt8(ascii: "n"))
        error.tableName = field(UInt8(ascii: "t"))
        error.columnName = field(UInt8(ascii: "c"))
        // FATAL and PANIC end the session (e.g. 57P01 after pg_terminate_backend); the server
        // closes the socket right after sending them.
        let severity = field(UInt8(ascii: "V")) ?? field(UInt8(ascii: "S"))
        if PQstatus(connection) != CONNECTION_OK || severity == "FATAL" || severity == "PANIC" {
            mustDiscard = true
            error.code = .connectionClosed
            error.endpoint = endpoint
        }
        return error
    }

    func connectionError(_ fallback: String, query: String?) -> PGError {
        mustDiscard = true
        var error = PGError(code: .connectionClosed, message: libpqError(default: fallback), query: query)
        error.endpoint = endpoint
        return error
    }

    // MARK: Results

    /// Turns a finished result into a `PGResult` or an error; takes ownership of `result`.
    func makeResult(_ result: OpaquePointer?, query: String?) -> Result<PGResult, PGError> {
        guard let result else {
            if PQstatus(connection) != CONNECTION_OK { return .failure(connectionError("no result", query: query)) }
            return .failure(PGError(code: .unexpectedResponse, message: libpqError(default: "no result"), query: query))
        }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            let affected = Self.affectedRows(result)
            let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
            if PQnfields(result) == 0 {
                PQclear(result)
                return .success(PGResult(storage: nil, affectedRows: affected, commandTag: tag))
            }
            return .success(
                PGResult(
                    storage: PGResultStorage(taking: result, query: query), affectedRows: affected, commandTag: tag))
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            let error = self.error(from: result, query: query)
            PQclear(result)
            return .failure(error)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            PQclear(result)
            abortCopy(status)
            return .failure(
                PGError(
                    code: .unexpectedResponse,
                    message: "COPY is not supported by this client (and PostgreSQL refuses COPY FROM on tables with"
                        + " row-level security); use PGConnection.insertBatch or pipeline", query: query))
        default:
            PQclear(result)
            mustDiscard = true
            return .failure(
                PGError(
                    code: .unexpectedResponse,
                    message: "unexpected result status \(String(cString: PQresStatus(status)))", query: query))
        }
    }

    static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        var value = 0
        var p = text
        while p.pointee >= 48 && p.pointee <= 57 {
            value = value &* 10 &+ Int(p.pointee - 48)
            p += 1
        }
        return value
    }

    /// Leaves COPY mode so the connection stays usable: COPY FROM STDIN is ended with an error, COPY
    /// TO STDOUT is read to its end; COPY BOTH (replication) cannot be left and discards the connection.
    private func abortCopy(_ status: ExecStatusType) {
        switch status {
        case PGRES_COPY_IN:
            if PQputCopyEnd(connection, "COPY is not supported by this client") != 1 { mustDiscard = true }
        case PGRES_COPY_OUT:
            var buffer: UnsafeMutablePointer<CChar>? = nil
            while true {
                let n = PQgetCopyData(connection, &buffer, 0)
                if let b = buffer {
                    PQfreemem(b)
                    buffer = nil
                }
                if n < 0 { break }
            }
        default:
            mustDiscard = true
            return
        }
        // Drain what follows the COPY; the statement's own outcome is irrelevant now.
        var remaining = 0
        while let next = PQgetResult(connection) {
            let s = PQresultStatus(next)
            PQclear(next)
            remaining += 1
            if s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH || remaining > 1000 {
                mustDiscard = true
                return
            }
        }
    }

    // MARK: Statements

    /// Runs a parameterised statement: prepared once per connection (cache keyed by SQL text), then
    /// `PQexecPrepared`.
    func execute(_ query: PGQuery) -> Result<PGResult, PGError> {
        do {
            try query.binds.validate(sql: query.sql)
        } catch {
            return .failure(error)
        }
        var retried = false
        while true {
            let name: String
            switch preparedStatement(for: query.sql) {
            case .success(let n): name = n
            case .failure(let e): return .failure(e)
            }
            let raw = name.withCString { cName in
                query.binds.withCStringArray { values in
                    PQexecPrepared(connection, cName, Int32(query.binds.count), values, nil, nil, 0)
                }
            }
            let result = makeResult(raw, query: query.sql)
            if case .failure(let error) = result, !retried, shouldRePrepare(after: error) {
                // The statement never ran (it was missing or its plan was invalid), so running it
                // again is safe; inside a transaction block the error already aborted the block.
                retried = true
                forget(sql: query.sql, name: name)
                continue
            }
            return result
        }
    }

    /// 26000: the prepared statement vanished (`DEALLOCATE ALL`/`DISCARD ALL` in a script);
    /// 0A000 "cached plan must not change result type": a table changed under a cached statement.
    func shouldRePrepare(after error: PGError) -> Bool {
        guard error.code == .server, PQtransactionStatus(connection) == PQTRANS_IDLE else { return false }
        return error.sqlState == "26000" || (error.sqlState == "0A000" && error.message.contains("cached plan"))
    }

    private func forget(sql: String, name: String) {
        cache.remove(sql: sql)
        if let r = PQexec(connection, "DEALLOCATE " + name) { PQclear(r) }
    }

    /// `execute` after `shouldRePrepare` said the cached statement is unusable.
    func reExecute(_ query: PGQuery) -> Result<PGResult, PGError> {
        if let name = cache.lookup(query.sql) { forget(sql: query.sql, name: name) }
        return execute(query)
    }

    // MARK: Non-blocking statements (finished by PGIOLoop)

    var socket: Int32 { closed ? -1 : PQsocket(connection) }

    enum AsyncStart {
        case sent(flushPending: Bool)
        /// Not in the statement cache: preparing needs a blocking round trip first.
        case notPrepared
        case failed(PGError)
    }

    /// Sends a statement whose prepared statement is cached, without waiting for the network.
    func sendPrepared(_ query: PGQuery) -> AsyncStart {
        do {
            try query.binds.validate(sql: query.sql)
        } catch {
            return .failed(error)
        }
        guard let name = cache.lookup(query.sql) else { return .notPrepared }
        let sent = name.withCString { cName in
            query.binds.withCStringArray { values in
                PQsendQueryPrepared(connection, cName, Int32(query.binds.count), values, nil, nil, 0)
            }
        }
        return afterSend(sent, query: query.sql)
    }

    /// Sends one statement without parameters (BEGIN, COMMIT) without waiting for the network.
    func sendCommand(_ sql: String) -> AsyncStart {
        afterSend(PQsendQuery(connection, sql), query: sql)
    }

    private func afterSend(_ sent: Int32, query: String) -> AsyncStart {
        guard sent == 1 else {
            mustDiscard = true
            return .failed(connectionError("sending the statement failed", query: query))
        }
        let flush = PQflush(connection)
        if flush < 0 { return .failed(connectionError("sending the statement failed", query: query)) }
        return .sent(flushPending: flush == 1)
    }

    enum AsyncProgress {
        case waiting(writable: Bool)
        case finished(Result<PGResult, PGError>)
    }

    /// Sends what is still buffered, reads what has arrived and reports whether the statement's
    /// results are complete; never waits. `first` keeps the first result across calls.
    func continueAsync(first: inout Result<PGResult, PGError>?, query: String) -> AsyncProgress {
        let flush = PQflush(connection)
        if flush < 0 || PQconsumeInput(connection) == 0 {
            return .finished(drainBroken(first: first, query: query))
        }
        while PQisBusy(connection) == 0 {
            guard let raw = PQgetResult(connection) else {
                return .finished(
                    first ?? .failure(PGError(code: .unexpectedResponse, message: "no result", query: query)))
            }
            let status = PQresultStatus(raw)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                // Leaving COPY needs blocking calls; the connection is closed instead.
                PQclear(raw)
                mustDiscard = true
                return .finished(
                    .failure(
                        PGError(
                            code: .unexpectedResponse,
                            message: "COPY is not supported by this client; the connection was closed", query: query)))
            }
            let converted = makeResult(raw, query: query)
            if first == nil { first = converted }
        }
        return .waiting(writable: flush == 1)
    }

    /// The connection broke while a statement was in flight: collect what libpq reports (the
    /// server's FATAL message, if it arrived) without waiting (the socket is gone).
    private func drainBroken(first: Result<PGResult, PGError>?, query: String) -> Result<PGResult, PGError> {
        mustDiscard = true
        var outcome = first
        var results = 0
        while results < 8, let raw = PQgetResult(connection) {
            let converted = makeResult(raw, query: query)
            if outcome == nil || (try? outcome?.get()) != nil { outcome = converted }
            results += 1
        }
        if case .failure(var error)? = outcome {
            error.code = .connectionClosed
            error.endpoint = endpoint
            return .failure(error)
        }
        return .failure(connectionError("the connection broke while waiting for the result", query: query))
    }

    /// The name of the server-side prepared statement for `sql`, preparing it if needed.
    func preparedStatement(for sql: String) -> Result<String, PGError> {
        if let name = cache.lookup(sql) { return .success(name) }
        let (name, evicted) = cache.insert(sql)
        if let evicted {
            // Keeps the server-side statements bounded; a failure (in an aborted transaction) only
            // leaves an unused statement behind until the connection closes.
            if let r = PQexec(connection, "DEALLOCATE " + evicted) { PQclear(r) }
        }
        let raw = PQprepare(connection, name, sql, 0, nil)
        switch makeResult(raw, query: sql) {
        case .success: return .success(name)
        case .failure(let error):
            cache.remove(sql: sql)
            return .failure(error)
        }
    }

    /// A statement without parameters through the simple query protocol (BEGIN, COMMIT, DDL).
    func command(_ sql: String) -> Result<PGResult, PGError> {
        makeResult(PQexec(connection, sql), query: sql)
    }

    /// Several statements separated by semicolons (`PQsendQuery`); one result per statement.
    func simpleQuery(_ sql: String) -> Result<[PGResult], PGError> {
        if sql.utf8.contains(0) {
            return .failure(PGError(code: .invalidArgument, message: "the SQL text contains a NUL byte", query: sql))
        }
        guard PQsendQuery(connection, sql) == 1 else {
            return .failure(
                PQstatus(connection) == CONNECTION_OK
                    ? PGError(code: .unexpectedResponse, message: libpqError(default: "send failed"), query: sql)
                    : connectionError("send failed", query: sql))
        }
        var results: [PGResult] = []
        var firstError: PGError? = nil
        while let raw = PQgetResult(connection) {
            switch makeResult(raw, query: sql) {
            case .success(let r): if firstError == nil { results.append(r) }
            case .failure(let e): if firstError == nil { firstError = e }
            }
            if mustDiscard && PQstatus(connection) != CONNECTION_OK { break }
        }
        if let firstError { return .failure(firstError) }
        return .success(results)
    }

    /// A round trip (empty query) to prove the connection works.
    func ping() -> Bool {
        guard isOK else { return false }
        guard let r = PQexec(connection, "") else { return false }
        let status = PQresultStatus(r)
        PQclear(r)
        return status == PGRES_EMPTY_QUERY && isOK && transactionStatus == PQTRANS_IDLE
    }

    /// Non-blocking check without a round trip: reads whatever the server sent while the connection
    /// was idle (libpq keeps its socket non-blocking, so this never waits). A backend that was
    /// terminated or a server that restarted has sent an error and closed the socket, which turns
    /// the status to CONNECTION_BAD here.
    func probe() -> Bool {
        guard isOK else { return false }
        // The common case, nothing arrived, costs one poll(2) with a zero timeout.
        var pfd = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 0) == 0 { return transactionStatus == PQTRANS_IDLE }
        // Twice: a first read may return the server's FATAL message and only the second one the
        // end of the stream.
        if PQconsumeInput(connection) == 0 || PQconsumeInput(connection) == 0 { return false }
        while let notification = PQnotifies(connection) { PQfreemem(notification) }
        return isOK && transactionStatus == PQTRANS_IDLE
    }

    // MARK: Escaping

    func escapeIdentifier(_ text: String) -> Result<String, PGError> {
        escape(text) { PQescapeIdentifier(connection, $0, $1) }
    }

    func escapeLiteral(_ text: String) -> Result<String, PGError> {
        escape(text) { PQescapeLiteral(connection, $0, $1) }
    }

    private func escape(
        _ text: String, _ function: (UnsafePointer<CChar>, Int) -> UnsafeMutablePointer<CChar>?
    ) -> Result<String, PGError> {
        if text.utf8.contains(0) {
            return .failure(PGError(code: .invalidArgument, message: "the text to escape contains a NUL byte"))
        }
        let escaped = text.withCString { function($0, strlen($0)) }
        guard let escaped else {
            return .failure(PGError(code: .invalidArgument, message: libpqError(default: "escaping failed")))
        }
        defer { PQfreemem(escaped) }
        return .success(String(cString: escaped))
    }

    // MARK: Pipeline

    /// Sends `count` statements in pipeline mode with one sync point (libpq §34.5 "Pipeline Mode"):
    /// the statements run in one implicit transaction unless a transaction block is open, so the
    /// batch succeeds or fails as a whole. Results are read while sending (non-blocking mode) so
    /// that neither side can fill its socket buffer and wait for the other.
    func pipeline(
        count: Int, sql: (Int) -> String, binds: (Int) -> PGBindings, collect: Bool
    ) -> Result<(results: [PGResult], affectedRows: Int), PGError> {
        if count == 0 { return .success(([], 0)) }
        // Prepare each distinct statement first (each costs one round trip, once per connection).
        var names: [String: String] = [:]
        var distinct: [String] = []
        var firstIndex: [String: Int] = [:]
        for i in 0..<count {
            let s = sql(i)
            if firstIndex[s] == nil {
                firstIndex[s] = i
                distinct.append(s)
            }
            do { try binds(i).validate(sql: s) } catch {
                var e = error
                e.pipelineIndex = i
                return .failure(e)
            }
        }
        if distinct.count <= cache.capacity {
            for s in distinct { _ = cache.lookup(s) }  // refresh so preparing the others evicts none of them
            for s in distinct {
                switch preparedStatement(for: s) {
                case .success(let name): names[s] = name
                case .failure(var error):
                    error.pipelineIndex = firstIndex[s]
                    return .failure(error)
                }
            }
        }

        guard PQenterPipelineMode(connection) == 1 else {
            return .failure(
                PGError(code: .unexpectedResponse, message: libpqError(default: "cannot enter pipeline mode")))
        }
        var state = PipelineState(collect: collect)
        if collect { state.results.reserveCapacity(count) }
        let socket = PQsocket(connection)

        func fail(_ error: PGError) -> Result<(results: [PGResult], affectedRows: Int), PGError> {
            // The pipeline is in an unknown state; the pool closes the connection.
            mustDiscard = true
            return .failure(error)
        }

        var sent = 0
        for i in 0..<count {
            if state.firstError != nil { break }  // the server skips the rest anyway
            let s = sql(i)
            let b = binds(i)
            let ok: Int32 = b.withCStringArray { values in
                if let name = names[s] {
                    return PQsendQueryPrepared(connection, name, Int32(b.count), values, nil, nil, 0)
                }
                return PQsendQueryParams(connection, s, Int32(b.count), nil, values, nil, nil, 0)
            }
            guard ok == 1 else { return fail(connectionError("sending a pipelined statement failed", query: s)) }
            sent += 1
            if sent % 64 == 0 {
                if let error = flush(&state, socket: socket, query: s) { return fail(error) }
            }
        }
        guard PQpipelineSync(connection) == 1 else {
            return fail(connectionError("sending the pipeline sync failed", query: distinct.first))
        }
        if let error = flush(&state, socket: socket, query: distinct.first) { return fail(error) }
        while !state.syncReceived {
            if Self.waitForSocket(socket, events: Int16(POLLIN), timeout: nil) < 0 {
                return fail(connectionError("poll() failed", query: distinct.first))
            }
            if let error = drain(&state, query: distinct.first) { return fail(error) }
        }
        guard PQexitPipelineMode(connection) == 1 else {
            return fail(
                PGError(code: .unexpectedResponse, message: libpqError(default: "cannot leave pipeline mode")))
        }
        if let error = state.firstError { return .failure(error) }
        return .success((state.results, state.affectedRows))
    }

    private struct PipelineState {
        var collect: Bool
        var current = 0
        var haveResultForCurrent = false
        var syncReceived = false
        var firstError: PGError? = nil
        var results: [PGResult] = []
        var affectedRows = 0
    }

    /// Sends all buffered output, reading results whenever the socket does not accept more, so the
    /// output buffer stays bounded and neither side waits for the other.
    private func flush(_ state: inout PipelineState, socket: Int32, query: String?) -> PGError? {
        while true {
            let pending = PQflush(connection)
            if pending < 0 { return connectionError("sending the pipeline failed", query: query) }
            if let error = drain(&state, query: query) { return error }
            if pending == 0 { return nil }
            if Self.waitForSocket(socket, events: Int16(POLLIN | POLLOUT), timeout: nil) < 0 {
                return connectionError("poll() failed", query: query)
            }
        }
    }

    /// Reads the results that have arrived, without blocking.
    private func drain(_ state: inout PipelineState, query: String?) -> PGError? {
        if PQconsumeInput(connection) == 0 { return connectionError("reading pipeline results failed", query: query) }
        while !state.syncReceived && PQisBusy(connection) == 0 {
            guard let raw = PQgetResult(connection) else {
                // NULL ends the results of one statement.
                if state.haveResultForCurrent {
                    state.current += 1
                    state.haveResultForCurrent = false
                    continue
                }
                return nil
            }
            let status = PQresultStatus(raw)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(raw)
                state.syncReceived = true
                return nil
            }
            state.haveResultForCurrent = true
            if status == PGRES_PIPELINE_ABORTED {
                PQclear(raw)
                continue
            }
            if status == PGRES_COMMAND_OK && !state.collect {
                state.affectedRows += Self.affectedRows(raw)
                PQclear(raw)
                continue
            }
            switch makeResult(raw, query: query) {
            case .success(let result):
                state.affectedRows += result.affectedRows
                if state.collect { state.results.append(result) }
            case .failure(var error):
                error.pipelineIndex = state.current
                if state.firstError == nil { state.firstError = error }
                if error.code == .connectionClosed { return error }
            }
        }
        return nil
    }
}

/// Least-recently-used map from SQL text to the name of its server-side prepared statement.
struct PGStatementCache {
    let capacity: Int
    private var entries: [String: (name: String, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    private var nextNumber = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }

    mutating func lookup(_ sql: String) -> String? {
        clock &+= 1
        guard let index = entries.index(forKey: sql) else { return nil }
        entries.values[index].lastUse = clock
        return entries.values[index].name
    }

    /// Adds `sql` with a new statement name; returns the name of the evicted statement, if any.
    mutating func insert(_ sql: String) -> (name: String, evicted: String?) {
        var evicted: String? = nil
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted = oldest.value.name
            entries.removeValue(forKey: oldest.key)
        }
        nextNumber += 1
        clock &+= 1
        let name = "csms_\(nextNumber)"
        entries[sql] = (name, clock)
        return (name, evicted)
    }

    mutating func remove(sql: String) {
        entries.removeValue(forKey: sql)
    }
}

/// Calls `body` with NULL-terminated C string arrays (libpq's keyword/value convention).
func withCStringArrays<R>(
    _ a: [String], _ b: [String],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) -> R
) -> R {
    let ca = a.map { strdup($0) } + [nil]
    let cb = b.map { strdup($0) } + [nil]
    defer {
        ca.forEach { free($0) }
        cb.forEach { free($0) }
    }
    let pa = ca.map { UnsafePointer($0) }
    let pb = cb.map { UnsafePointer($0) }
    return pa.withUnsafeBufferPointer { xa in
        pb.withUnsafeBufferPointer { xb in
            body(xa.baseAddress, xb.baseAddress)
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
