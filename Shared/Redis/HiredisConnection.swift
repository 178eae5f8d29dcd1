// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CHiredis
import Common

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One blocking hiredis connection: the only type in this module that touches the hiredis API.
///
/// Every call may block for up to `connectTimeout`/`commandTimeout`, so it runs only on threads this
/// module owns (the client's `NIOThreadPool`, or a subscription's own thread), never on an event loop
/// or the Swift concurrency pool. Commands are sent with `redisCommandArgv`/`redisAppendCommandArgv`,
/// which take each argument with its length: binary-safe, and no format string ever sees input.
final class HiredisConnection: @unchecked Sendable {
    // Safety of @unchecked Sendable: a hiredis context is not thread-safe, and it is never used by two
    // threads at once. A command connection is owned by exactly one thread-pool job at a time: the job
    // takes it out of the pool's idle list under the pool's Mutex and puts it back under the same Mutex,
    // which orders every access of one job before those of the next. A subscription connection never
    // leaves its subscription's thread. `deinit` runs after the last owner let go.
    private let context: UnsafeMutablePointer<redisContext>
    let endpoint: String
    let user: String?
    private let commandTimeout: Duration
    /// Set once the context saw an I/O or protocol error; hiredis refuses further use then.
    private(set) var isBroken = false

    private init(context: UnsafeMutablePointer<redisContext>, configuration: RedisConfiguration) {
        self.context = context
        self.endpoint = configuration.endpoint
        self.user = configuration.username
        self.commandTimeout = configuration.commandTimeout
    }

    deinit { redisFree(context) }

    /// Opens a connection, sets the socket timeouts and authenticates.
    static func connect(_ configuration: RedisConfiguration) throws(RedisError) -> HiredisConnection {
        func failure(_ code: RedisError.Code, _ message: String, command: String? = nil) -> RedisError {
            RedisError(
                code: code, message: message, endpoint: configuration.endpoint, user: configuration.username,
                command: command)
        }
        guard (1...65535).contains(configuration.port) else {
            throw failure(.invalidArgument, "port \(configuration.port) is not in 1...65535")
        }
        guard !configuration.host.isEmpty, !configuration.host.utf8.contains(0) else {
            throw failure(.invalidArgument, "the host name is empty or contains a NUL byte")
        }
        blockSIGPIPEOnThisThread()
        guard
            let context = redisConnectWithTimeout(
                configuration.host, Int32(configuration.port), makeTimeval(configuration.connectTimeout))
        else {
            throw failure(.connectionFailed, "hiredis could not allocate a connection context")
        }
        let connection = HiredisConnection(context: context, configuration: configuration)
        if context.pointee.err != 0 {
            throw failure(.connectionFailed, connection.hiredisErrorText)
        }
        guard redisSetTimeout(context, makeTimeval(configuration.commandTimeout)) == REDIS_OK else {
            throw failure(.connectionFailed, "setting the socket timeout failed: \(connection.hiredisErrorText)")
        }
        #if canImport(Darwin)
            var one: Int32 = 1
            _ = setsockopt(
                context.pointee.fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        if configuration.username != nil || configuration.password != nil {
            // AUTH user pass (Redis 6+ ACL) or AUTH pass (the default user); a nopass user accepts any password.
            var auth: [[UInt8]] = [Array("AUTH".utf8)]
            if let username = configuration.username { auth.append(Array(username.utf8)) }
            auth.append(Array((configuration.password ?? "").utf8))
            do {
                _ = try connection.roundTrip(auth)
            } catch {
                if error.code == .server || error.code == .authenticationFailed {
                    throw failure(.authenticationFailed, error.message, command: "AUTH")
                }
                throw error
            }
        }
        return connection
    }

    /// Sends one command and reads its reply. An error reply throws `.server` (or `.authenticationFailed`
    /// for `NOAUTH`/`WRONGPASS`) and leaves the connection usable; any other failure marks it broken.
    func roundTrip(_ args: [[UInt8]]) throws(RedisError) -> RedisValue {
        let name = Self.commandName(args)
        guard !isBroken else { throw error(.connectionFailed, "the connection is broken", command: name) }
        Self.blockSIGPIPEOnThisThread()
        errno = 0
        let raw = Self.withArgv(args) { argc, argv, lengths in redisCommandArgv(context, argc, argv, lengths) }
        let savedErrno = errno
        guard let raw else { throw brokenError(command: name, errno: savedErrno) }
        defer { freeReplyObject(raw) }
        let value = Self.convert(raw.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = value { throw replyError(message, command: name) }
        return value
    }

    /// Sends all commands, then reads one reply per command (one round trip). Error replies are returned
    /// as `.error` in place; any other failure marks the connection broken.
    func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisValue] {
        let name = commands.first.flatMap(Self.commandName)
        guard !isBroken else { throw error(.connectionFailed, "the connection is broken", command: name) }
        Self.blockSIGPIPEOnThisThread()
        for args in commands {
            let appended = Self.withArgv(args) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard appended == REDIS_OK else { throw brokenError(command: name, errno: errno) }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer? = nil
            errno = 0
            let status = redisGetReply(context, &raw)
            let savedErrno = errno
            guard status == REDIS_OK, let raw else { throw brokenError(command: name, errno: savedErrno) }
            replies.append(Self.convert(raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Queues a command in hiredis' output buffer and writes it out (pub/sub: no reply is awaited).
    func send(_ args: [[UInt8]]) throws(RedisError) {
        let name = Self.commandName(args)
        guard !isBroken else { throw error(.connectionFailed, "the connection is broken", command: name) }
        Self.blockSIGPIPEOnThisThread()
        let appended = Self.withArgv(args) { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
        guard appended == REDIS_OK else { throw brokenError(command: name, errno: errno) }
        var done: Int32 = 0
        repeat {
            errno = 0
            if redisBufferWrite(context, &done) != REDIS_OK { throw brokenError(command: name, errno: errno) }
        } while done == 0
    }

    /// Waits up to `timeout` for the next reply (pub/sub). Returns nil if none arrived in time, so the
    /// caller can look at its stop flag and call again. Error replies are returned as `.error`.
    func readReply(waitingAtMost timeout: Duration) throws(RedisError) -> RedisValue? {
        if let value = try bufferedReply() { return value }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(clamping: timeout.roundedUpMilliseconds))
        if ready == 0 { return nil }
        if ready < 0 {
            let code = errno
            if code == EINTR { return nil }
            isBroken = true
            throw error(.connectionFailed, "poll failed: \(Self.describeErrno(code))")
        }
        Self.blockSIGPIPEOnThisThread()
        errno = 0
        // The socket is readable, so this read returns at once (data, EOF or an error).
        if redisBufferRead(context) != REDIS_OK { throw brokenError(command: nil, errno: errno) }
        return try bufferedReply()
    }

    /// False when the connection cannot be used for a new command: it saw an error, or the server closed
    /// it while it sat idle (`CLIENT KILL`, `timeout` config, restart). An idle RESP2 connection never
    /// has bytes to read, so a readable socket means EOF, a reset, or garbage. Checking this before each
    /// use is what lets the first command after a server-side kill succeed instead of failing.
    var isUsable: Bool {
        guard !isBroken, context.pointee.err == 0 else { return false }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    // MARK: - Errors

    private func error(_ code: RedisError.Code, _ message: String, command: String? = nil) -> RedisError {
        RedisError(code: code, message: message, endpoint: endpoint, user: user, command: command)
    }

    private func replyError(_ message: String, command: String?) -> RedisError {
        // NOAUTH: the server wants AUTH first; WRONGPASS: AUTH (or HELLO AUTH) was rejected.
        let kind = message.split(separator: " ", maxSplits: 1).first ?? ""
        let code: RedisError.Code = (kind == "NOAUTH" || kind == "WRONGPASS") ? .authenticationFailed : .server
        return error(code, message, command: command)
    }

    /// Turns hiredis' context error into a `RedisError` and marks the connection broken: after any I/O or
    /// protocol error the position in the reply stream is unknown, so the connection must not be reused.
    private func brokenError(command: String?, errno savedErrno: Int32) -> RedisError {
        isBroken = true
        let text = hiredisErrorText
        switch context.pointee.err {
        case REDIS_ERR_IO where savedErrno == EAGAIN || savedErrno == EWOULDBLOCK:
            return error(.timeout, "no reply within \(commandTimeout) (commandTimeout)", command: command)
        case REDIS_ERR_EOF:
            return error(.connectionFailed, "the server closed the connection", command: command)
        case REDIS_ERR_PROTOCOL:
            return error(.protocolError, text, command: command)
        case REDIS_ERR_OOM:
            return error(.connectionFailed, "out of memory in hiredis", command: command)
        default:
            return error(.connectionFailed, text.isEmpty ? Self.describeErrno(savedErrno) : text, command: command)
        }
    }

    private var hiredisErrorText: String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func describeErrno(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    // MARK: - Helpers

    private func bufferedReply() throws(RedisError) -> RedisValue? {
        var raw: UnsafeMutableRawPointer? = nil
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else {
            throw brokenError(command: nil, errno: 0)
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// The command name for errors and logs: the first argument, upper-cased and clipped; never the others.
    static func commandName(_ args: [[UInt8]]) -> String? {
        guard let first = args.first else { return nil }
        let name = String(decoding: first.prefix(32), as: UTF8.self).uppercased()
        if name == "ACL" || name == "CLIENT" || name == "CONFIG", args.count > 1 {
            return name + " " + String(decoding: args[1].prefix(32), as: UTF8.self).uppercased()
        }
        return name
    }

    /// Calls `body` with hiredis' argv/argvlen arrays over one contiguous copy of `args`.
    private static func withArgv<R>(
        _ args: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        let total = args.reduce(0) { $0 + $1.count }
        let bytes = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        defer { bytes.deallocate() }
        let argv = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(args.count, 1))
        defer { argv.deallocate() }
        let lengths = UnsafeMutablePointer<Int>.allocate(capacity: max(args.count, 1))
        defer { lengths.deallocate() }
        var offset = 0
        for (index, arg) in args.enumerated() {
            arg.withUnsafeBytes { source in
                if let start = source.baseAddress {
                    UnsafeMutableRawPointer(bytes + offset).copyMemory(from: start, byteCount: source.count)
                }
            }
            argv[index] = UnsafePointer(bytes + offset)
            lengths[index] = arg.count
            offset += arg.count
        }
        return body(Int32(args.count), argv, lengths)
    }

    private static func convert(_ pointer: UnsafePointer<redisReply>) -> RedisValue {
        let reply = pointer.pointee
        func bytes() -> [UInt8] {
            guard let str = reply.str, reply.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: str, count: reply.len))
        }
        switch reply.type {
        case REDIS_REPLY_STRING: return .bulkString(bytes())
        case REDIS_REPLY_STATUS: return .simpleString(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ARRAY:
            guard let elements = reply.element else { return .array([]) }
            return .array(
                (0..<reply.elements).map { index in
                    elements[index].map { convert(UnsafePointer($0)) } ?? .null
                })
        default: return .error("hiredis returned an unknown reply type \(reply.type)")
        }
    }

    /// hiredis 0.14 writes with write(2), which raises SIGPIPE when the server has closed the socket, and
    /// SIGPIPE's default action ends the process. Blocking it on this thread (one this module owns) turns
    /// that into an EPIPE error; the blocked signal stays pending on this thread only and is never
    /// delivered. Darwin uses SO_NOSIGPIPE on the socket instead.
    private static func blockSIGPIPEOnThisThread() {
        #if os(Linux)
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &set, nil)
        #endif
    }
}

func makeTimeval(_ duration: Duration) -> timeval {
    let (seconds, attoseconds) = duration.components
    return timeval(tv_sec: .init(seconds), tv_usec: .init(attoseconds / 1_000_000_000_000))
}

extension Duration {
    /// Whole milliseconds, rounded up so a short positive duration never becomes 0 ("no wait").
    var roundedUpMilliseconds: Int64 {
        let nanos = self.nanoseconds
        guard nanos > 0 else { return 0 }
        return (nanos + 999_999) / 1_000_000
    }
}
