// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One message received on a subscription.
public struct RedisMessage: Sendable, Equatable, Hashable {
    /// The channel it was published to.
    public let channel: String
    /// The pattern it matched, for `psubscribe`; nil for `subscribe`.
    public let pattern: String?
    /// The message exactly as published.
    public let payload: [UInt8]

    public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// The payload as text, nil when it is not valid UTF-8.
    public var string: String? { String(validating: payload, as: UTF8.self) }
}

/// The messages of a `SUBSCRIBE` or `PSUBSCRIBE`, as an async sequence for one consuming task.
///
/// The subscription runs on its own connection and thread from the moment `subscribe` returns, and
/// buffers messages until they are consumed. When the connection breaks (server restart, `CLIENT
/// KILL`, network), it reconnects with backoff and subscribes again, logging at `notice`; messages
/// published while it was disconnected are lost (Redis pub/sub is fire-and-forget).
///
/// It ends
/// - when the consuming task is cancelled, or `cancel()` is called, or the last copy of the
///   subscription and its iterator is dropped: iteration returns nil at once;
/// - when the client shuts down: iteration returns the messages already received, then nil;
/// - with a thrown `RedisError` when the server refuses the subscription (`.server`, e.g. `NOPERM` for a
///   channel outside the user's ACL) or the credentials (`.authenticationFailed`), also after a
///   reconnect: those do not heal by retrying.
///
/// When more than 10 000 messages wait unconsumed, it stops reading the socket, so a slow consumer
/// makes Redis apply its `client-output-buffer-limit pubsub` (which disconnects; the subscription then
/// resubscribes) instead of this process growing without bound.
public struct RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisMessage

    private let handle: SubscriptionHandle

    init(core: SubscriptionCore) {
        self.handle = SubscriptionHandle(core: core)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: handle)
    }

    /// Copies share one position: they all read from the same subscription.
    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        fileprivate let handle: SubscriptionHandle

        public mutating func next() async throws -> RedisMessage? {
            let core = handle.core
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    core.awaitMessage(continuation)
                }
            } onCancel: {
                core.cancel()
            }
        }
    }

    /// Returns once the server confirmed the first `SUBSCRIBE`/`PSUBSCRIBE` (a message published after
    /// that is delivered). Throws the subscription's error if it failed first, `.shutdown` if it ended
    /// first, `CancellationError` if the waiting task is cancelled (the subscription itself goes on).
    public func waitUntilSubscribed() async throws {
        let core = handle.core
        let id = core.makeWaiterID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                core.awaitSubscribed(id: id, continuation)
            }
        } onCancel: {
            core.cancelSubscribedWaiter(id: id)
        }
    }

    /// Ends the subscription: it unsubscribes by closing its connection, and iteration returns nil.
    public func cancel() {
        handle.core.cancel()
    }

    /// True while the subscription is confirmed by the server; false before that, while it reconnects,
    /// and after it ended. For health reporting.
    public var isSubscribed: Bool { handle.core.isActive }

    /// The channels (for `subscribe`) or patterns (for `psubscribe`).
    public var names: [String] { handle.core.kind.names }
}

/// Ends the subscription when the last `RedisSubscription` copy and iterator are gone, so a forgotten
/// subscription does not keep a connection and a thread.
final class SubscriptionHandle: Sendable {
    let core: SubscriptionCore
    init(core: SubscriptionCore) { self.core = core }
    deinit { core.cancel() }
}

/// What to subscribe to.
enum SubscriptionKind: Sendable {
    case channels([String])
    case patterns([String])

    var names: [String] {
        switch self {
        case .channels(let names), .patterns(let names): names
        }
    }

    var command: String {
        switch self {
        case .channels: "SUBSCRIBE"
        case .patterns: "PSUBSCRIBE"
        }
    }
}

/// The state shared by a subscription's reader thread and its consumer.
final class SubscriptionCore: Sendable {
    /// Above this many unconsumed messages the reader thread stops reading the socket.
    static let bufferLimit = 10_000

    private enum Ending: Sendable {
        case finished
        case failed(RedisError)
    }

    private struct State: Sendable {
        var buffer: [RedisMessage] = []
        var head = 0
        var consumer: CheckedContinuation<RedisMessage?, any Error>?
        /// Set when no more messages will be added; the consumer drains `buffer` first.
        var ending: Ending?
        var stopRequested = false
        var cancelled = false
        var subscribedOnce = false
        /// Subscribed right now (false while reconnecting), for health reporting.
        var active = false
        var subscribedWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var cancelledWaiterIDs: Set<Int> = []
        var nextWaiterID = 0
        var threadEnded = false
        var endWaiters: [CheckedContinuation<Void, Never>] = []

        var buffered: Int { buffer.count - head }

        mutating func popFirst() -> RedisMessage? {
            guard head < buffer.count else { return nil }
            let message = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return message
        }
    }

    let kind: SubscriptionKind
    private let shutdownError: RedisError
    private let state = Mutex(State())

    init(kind: SubscriptionKind, shutdownError: RedisError) {
        self.kind = kind
        self.shutdownError = shutdownError
    }

    // MARK: Reader thread side

    var isStopRequested: Bool { state.withLock { $0.stopRequested } }
    var bufferedCount: Int { state.withLock { $0.buffered } }

    func deliver(_ message: RedisMessage) {
        let consumer: CheckedContinuation<RedisMessage?, any Error>? = state.withLock { state in
            guard !state.cancelled, state.ending == nil else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.buffer.append(message)
            return nil
        }
        consumer?.resume(returning: message)
    }

    func markSubscribed() {
        let waiters = state.withLock { state in
            state.subscribedOnce = true
            state.active = true
            defer { state.subscribedWaiters = [:] }
            return Array(state.subscribedWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func markDisconnected() {
        state.withLock { $0.active = false }
    }

    var isActive: Bool { state.withLock { $0.active } }

    /// Called once by the reader thread when it has closed its connection and is about to exit.
    func threadDidEnd(error: RedisError?) {
        let (consumer, result, waiters, waiterError, endWaiters):
            (
                CheckedContinuation<RedisMessage?, any Error>?, Result<RedisMessage?, any Error>,
                [CheckedContinuation<Void, any Error>], any Error, [CheckedContinuation<Void, Never>]
            ) = state.withLock { state in
                if state.ending == nil { state.ending = error.map { .failed($0) } ?? .finished }
                state.threadEnded = true
                state.active = false
                let waiters = Array(state.subscribedWaiters.values)
                state.subscribedWaiters = [:]
                let endWaiters = state.endWaiters
                state.endWaiters = []
                let waiterError: any Error =
                    if let error { error } else if state.cancelled { CancellationError() } else { shutdownError }
                guard let consumer = state.consumer, state.buffered == 0 else {
                    return (nil, .success(nil), waiters, waiterError, endWaiters)
                }
                state.consumer = nil
                return (consumer, Self.takeEnding(&state), waiters, waiterError, endWaiters)
            }
        consumer?.resume(with: result)
        for waiter in waiters { waiter.resume(throwing: waiterError) }
        for waiter in endWaiters { waiter.resume() }
    }

    // MARK: Consumer side

    func awaitMessage(_ continuation: CheckedContinuation<RedisMessage?, any Error>) {
        let result: Result<RedisMessage?, any Error>? = state.withLock { state in
            if state.cancelled { return .success(nil) }
            if let message = state.popFirst() { return .success(message) }
            if state.ending != nil { return Self.takeEnding(&state) }
            if state.consumer != nil {
                return .failure(
                    RedisError(
                        code: .invalidArgument,
                        message: "two tasks iterate one subscription at the same time; use one consumer",
                        endpoint: shutdownError.endpoint, user: shutdownError.user, command: kind.command))
            }
            state.consumer = continuation
            return nil
        }
        if let result { continuation.resume(with: result) }
    }

    /// Ends the subscription at once (consumer cancelled, `cancel()`, or last handle dropped).
    func cancel() {
        let (consumer, waiters) = state.withLock { state in
            state.stopRequested = true
            state.cancelled = true
            state.active = false
            state.buffer = []
            state.head = 0
            if state.ending == nil { state.ending = .finished }
            defer {
                state.consumer = nil
                state.subscribedWaiters = [:]
            }
            return (state.consumer, Array(state.subscribedWaiters.values))
        }
        consumer?.resume(returning: nil)
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
    }

    /// Asks the reader thread to end (client shutdown); the consumer still gets the buffered messages.
    func stop() {
        state.withLock { $0.stopRequested = true }
    }

    func waitUntilEnded() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state in
                if state.threadEnded { return true }
                state.endWaiters.append(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
    }

    func makeWaiterID() -> Int {
        state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
    }

    func awaitSubscribed(id: Int, _ continuation: CheckedContinuation<Void, any Error>) {
        let result: Result<Void, any Error>? = state.withLock { state in
            if state.cancelledWaiterIDs.remove(id) != nil { return .failure(CancellationError()) }
            if state.subscribedOnce { return .success(()) }
            switch state.ending {
            case .failed(let error): return .failure(error)
            case .finished:
                if state.cancelled { return .failure(CancellationError()) }
                return .failure(shutdownError)
            case nil: break
            }
            state.subscribedWaiters[id] = continuation
            return nil
        }
        if let result { continuation.resume(with: result) }
    }

    func cancelSubscribedWaiter(id: Int) {
        let waiter = state.withLock { state in
            guard let waiter = state.subscribedWaiters.removeValue(forKey: id) else {
                state.cancelledWaiterIDs.insert(id)
                return nil as CheckedContinuation<Void, any Error>?
            }
            return waiter
        }
        waiter?.resume(throwing: CancellationError())
    }

    /// The consumer's result once the buffer is drained: nil, or the error once (then nil).
    private static func takeEnding(_ state: inout State) -> Result<RedisMessage?, any Error> {
        if case .failed(let error) = state.ending {
            state.ending = .finished
            return .failure(error)
        }
        return .success(nil)
    }
}

/// The client's live subscriptions, so `shutdown()` can end them.
final class SubscriptionRegistry: Sendable {
    private struct State: Sendable {
        var cores: [ObjectIdentifier: SubscriptionCore] = [:]
        var closed = false
    }
    private let state = Mutex(State())

    /// False when the client is already shut down.
    func register(_ core: SubscriptionCore) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.cores[ObjectIdentifier(core)] = core
            return true
        }
    }

    func remove(_ core: SubscriptionCore) {
        _ = state.withLock { $0.cores.removeValue(forKey: ObjectIdentifier(core)) }
    }

    func closeAndTakeAll() -> [SubscriptionCore] {
        state.withLock { state in
            state.closed = true
            defer { state.cores = [:] }
            return Array(state.cores.values)
        }
    }
}

extension RedisClient {
    /// `SUBSCRIBE channel...` on a connection and thread of its own; see `RedisSubscription`.
    /// Use `waitUntilSubscribed()` before relying on delivery of a message published right after.
    public func subscribe(channels: [String]) -> RedisSubscription {
        startSubscription(.channels(channels))
    }

    /// `PSUBSCRIBE pattern...` on a connection and thread of its own; messages carry the pattern.
    /// Under a tenant ACL only the exact granted pattern (`t:<slug>:*`) is allowed.
    public func psubscribe(patterns: [String]) -> RedisSubscription {
        startSubscription(.patterns(patterns))
    }

    private func startSubscription(_ kind: SubscriptionKind) -> RedisSubscription {
        let shutdownError = RedisError(
            code: .shutdown, message: "the subscription ended because shutdown() was called",
            endpoint: configuration.endpoint, user: configuration.username, command: kind.command)
        let core = SubscriptionCore(kind: kind, shutdownError: shutdownError)
        let subscription = RedisSubscription(core: core)
        guard subscriptions.register(core) else {
            // Created after shutdown(): iterating throws `.shutdown` at once.
            core.stop()
            core.threadDidEnd(error: shutdownError)
            return subscription
        }
        var logger = self.logger
        logger[metadataKey: "redis.subscription"] = "\(kind.command) \(kind.names.joined(separator: " "))"
        let worker = SubscriptionWorker(configuration: configuration, core: core, logger: logger)
        // A thread of its own: the reader blocks in poll() for the subscription's whole life, which must
        // not take a thread from the command pool (or the concurrency pool).
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let registry = subscriptions
        thread.submit { state in
            let error: RedisError? =
                switch state {
                case .active: worker.run()
                case .cancelled: nil
                }
            registry.remove(core)
            core.threadDidEnd(error: error)
            thread.shutdownGracefully { _ in }
        }
        return subscription
    }
}

/// The reader loop of one subscription; runs on the subscription's own thread.
struct SubscriptionWorker: Sendable {
    /// How long one poll() waits, which bounds how late a cancellation or shutdown is noticed.
    static let pollInterval: Duration = .milliseconds(100)
    /// Idle time after which a PING checks that the connection is still alive (a dead peer behind a
    /// silent network sends no FIN); no answer within `commandTimeout` counts as a lost connection.
    static let keepaliveInterval: Duration = .seconds(15)

    let configuration: RedisConfiguration
    let core: SubscriptionCore
    let logger: Logger

    private enum Outcome {
        case stopped
        case failed(RedisError)
        case lost(RedisError)
    }

    /// Runs until stopped; returns the error that ended the subscription, nil for a clean stop.
    func run() -> RedisError? {
        var backoff = Backoff(base: .milliseconds(250), cap: .seconds(10))
        var subscribedBefore = false
        while !core.isStopRequested {
            switch session(subscribedBefore: &subscribedBefore, backoff: &backoff) {
            case .stopped:
                return nil
            case .failed(let error):
                logger.warning("Redis subscription refused; it ends", metadata: ["error": "\(error)"])
                return error
            case .lost(let error):
                core.markDisconnected()
                let delay = backoff.next()
                logger.notice(
                    "Redis subscription lost its connection; subscribing again after backoff",
                    metadata: ["error": "\(error)", "redis.retry_in_seconds": "\(delay.formattedSeconds)"])
                guard pause(delay) else { return nil }
            }
        }
        return nil
    }

    private func session(subscribedBefore: inout Bool, backoff: inout Backoff) -> Outcome {
        let connection: HiredisConnection
        do {
            connection = try HiredisConnection.connect(configuration)
        } catch {
            return error.code == .authenticationFailed || error.code == .invalidArgument
                ? .failed(error) : .lost(error)
        }
        let clock = ContinuousClock()
        do {
            let names = core.kind.names
            try connection.send([Array(core.kind.command.utf8)] + names.map { Array($0.utf8) })
            // One confirmation per name, also for repeated names.
            var pending = max(names.count, 1)
            let deadline = clock.now + configuration.commandTimeout
            while pending > 0 {
                if core.isStopRequested { return .stopped }
                if clock.now > deadline {
                    return .lost(
                        error(
                            .timeout, "no confirmation of \(core.kind.command) within \(configuration.commandTimeout)")
                    )
                }
                guard let reply = try connection.readReply(waitingAtMost: Self.pollInterval) else { continue }
                switch Self.classify(reply) {
                case .confirmation: pending -= 1
                case .message(let message): core.deliver(message)
                case .error(let message): return .failed(error(.server, message))
                case .pong, .other: break
                }
            }
            core.markSubscribed()
            backoff.reset()
            if subscribedBefore {
                logger.notice("Redis subscription resumed after reconnecting")
            } else {
                logger.info("Redis subscription active")
            }
            subscribedBefore = true

            var lastTraffic = clock.now
            var pingSentAt: ContinuousClock.Instant?
            while !core.isStopRequested {
                if core.bufferedCount >= SubscriptionCore.bufferLimit {
                    // Leave the bytes in the socket: Redis' output buffer limit takes over.
                    guard pause(.milliseconds(10)) else { break }
                    lastTraffic = clock.now
                    pingSentAt = nil
                    continue
                }
                if let sent = pingSentAt, clock.now - sent > configuration.commandTimeout {
                    return .lost(
                        error(.timeout, "no answer to a keepalive PING within \(configuration.commandTimeout)"))
                }
                if pingSentAt == nil, clock.now - lastTraffic > Self.keepaliveInterval {
                    try connection.send([Array("PING".utf8)])
                    pingSentAt = clock.now
                }
                guard let reply = try connection.readReply(waitingAtMost: Self.pollInterval) else { continue }
                lastTraffic = clock.now
                pingSentAt = nil
                switch Self.classify(reply) {
                case .message(let message): core.deliver(message)
                case .error(let message): return .failed(error(.server, message))
                case .confirmation, .pong, .other: break
                }
            }
            return .stopped
        } catch {
            return .lost(error)
        }
    }

    private func error(_ code: RedisError.Code, _ message: String) -> RedisError {
        RedisError(
            code: code, message: message, endpoint: configuration.endpoint, user: configuration.username,
            command: core.kind.command)
    }

    /// Sleeps for `duration` in short steps; false if a stop was requested meanwhile.
    private func pause(_ duration: Duration) -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + duration
        while !core.isStopRequested {
            let remaining = end - clock.now
            if remaining <= .zero { return true }
            let step = min(remaining, .milliseconds(50))
            usleep(useconds_t(max(1, step.nanoseconds / 1000)))
        }
        return false
    }

    private enum Event {
        case message(RedisMessage)
        case confirmation
        case pong
        case error(String)
        case other
    }

    /// RESP2 pub/sub replies: `[message, channel, payload]`, `[pmessage, pattern, channel, payload]`,
    /// `[subscribe|psubscribe, name, count]`, `[pong, ""]`.
    private static func classify(_ reply: RedisValue) -> Event {
        switch reply {
        case .error(let message):
            return .error(message)
        case .array(let items):
            guard let kind = items.first?.string?.lowercased() else { return .other }
            func text(_ index: Int) -> String { String(decoding: items[index].bytes ?? [], as: UTF8.self) }
            switch (kind, items.count) {
            case ("message", 3):
                return .message(RedisMessage(channel: text(1), payload: items[2].bytes ?? []))
            case ("pmessage", 4):
                return .message(RedisMessage(channel: text(2), pattern: text(1), payload: items[3].bytes ?? []))
            case ("subscribe", _), ("psubscribe", _):
                return .confirmation
            case ("pong", _):
                return .pong
            default:
                return .other
            }
        default:
            return .other
        }
    }
}
