// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Why an ``RPCSession`` refused a request from its owner.
public struct RPCSessionError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownCallID, queueFull, connectionClosed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `respond`/`respondError` named an id that is not the inbound CALL awaiting an answer.
        public static let unknownCallID = Code(.unknownCallID)
        /// `enqueue` found the outbound queue at its configured bound.
        public static let queueFull = Code(.queueFull)
        /// The connection is closing or closed.
        public static let connectionClosed = Code(.connectionClosed)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public var description: String { "\(code): \(message)" }
}

/// The OCPP-J RPC state of one WebSocket connection, as a state machine without I/O.
///
/// The owner feeds it received text messages, its own requests and the passage of time, and
/// performs the returned ``Action``s in order. It never reads a clock: every entry point that
/// depends on time takes the current instant.
///
/// Synchronicity (OCPP-J 1.6 §4.1.1 "SHOULD NOT", 2.0.1 §4.1.1 "SHALL NOT" send a CALL while an
/// earlier one is unanswered, "per OCPP-J connection"):
/// - Outbound: one CALL in flight; further CALLs wait in a bounded FIFO queue and go out when the
///   previous one is answered or times out.
/// - Inbound: a station CALL that arrives while an earlier one is unanswered is *queued* and
///   delivered once the earlier one is answered, not rejected. 1.6 only says SHOULD NOT, so a
///   conforming 1.6 station may do this; and answering a transaction message with a CALLERROR makes
///   the station retry it and, after `TransactionMessageAttempts`, drop it (OCPP 1.6 §3.7.1), which
///   loses charging data that we could simply have processed in order. The queue is bounded; a CALL
///   beyond the bound gets a CALLERROR (2.0.1 `RpcFrameworkError`, 1.6 `GenericError`).
public struct RPCSession: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var version: OCPPVersion
        /// Larger text messages close the connection with 1009 (RFC 6455 §7.4.1).
        public var maxMessageBytes: Int
        public var maxNestingDepth: Int
        /// How long an outbound CALL waits for its CALLRESULT/CALLERROR (implementation-defined,
        /// OCPP-J §4.1.1; allow for mobile round trips).
        public var responseTimeout: Duration
        /// Outbound CALLs waiting behind the one in flight (the one in flight is not counted).
        public var maxQueuedOutboundCalls: Int
        /// Inbound CALLs waiting behind the one being handled.
        public var maxQueuedInboundCalls: Int

        public init(
            version: OCPPVersion, maxMessageBytes: Int = 65536, maxNestingDepth: Int = JSONValue.defaultMaxDepth,
            responseTimeout: Duration = .seconds(30), maxQueuedOutboundCalls: Int = 100, maxQueuedInboundCalls: Int = 10
        ) {
            self.version = version
            self.maxMessageBytes = maxMessageBytes
            self.maxNestingDepth = maxNestingDepth
            self.responseTimeout = responseTimeout
            self.maxQueuedOutboundCalls = maxQueuedOutboundCalls
            self.maxQueuedInboundCalls = maxQueuedInboundCalls
        }
    }

    public enum LogLevel: Sendable, Hashable {
        case debug, info, notice, warning
    }

    /// Something the owner must do, in the order returned.
    public enum Action: Sendable, Hashable {
        /// Hand an inbound CALL to its handler; answer with ``RPCSession/respond(toCallID:payload:)``.
        case deliverCall(id: String, action: String, payload: JSONObject)
        /// The CALLRESULT for the outbound request `requestID`.
        case deliverResult(requestID: String, payload: JSONObject)
        /// The CALLERROR for the outbound request `requestID`.
        case deliverError(requestID: String, code: RPCErrorCode, description: String, details: JSONObject)
        /// No response to `requestID` within ``Configuration/responseTimeout``.
        case deliverTimeout(requestID: String)
        /// `requestID` will never get a response (connection closed).
        case deliverFailure(requestID: String, reason: String)
        /// Write this text message to the WebSocket.
        case send([UInt8])
        case log(LogLevel, String)
        /// Close the WebSocket with this status code (RFC 6455 §7.4.1).
        case close(code: UInt16, reason: String)
    }

    private struct InFlight: Sendable {
        var id: String
        var action: String
        var deadline: ContinuousClock.Instant
    }

    private enum State: Sendable {
        case open, closing, closed
    }

    public let configuration: Configuration
    private var state = State.open
    private var inboundCurrent: String?
    private var inboundQueue: [RPCCall] = []
    private var outboundInFlight: InFlight?
    private var outboundQueue: [RPCCall] = []

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The id of the outbound CALL awaiting a response, if any.
    public var outboundRequestInFlight: String? { outboundInFlight?.id }
    /// Outbound CALLs waiting behind the one in flight.
    public var queuedOutboundCount: Int { outboundQueue.count }
    /// The id of the inbound CALL delivered and not yet answered, if any.
    public var inboundCallAwaitingResponse: String? { inboundCurrent }
    /// When ``tick(at:)`` next has something to do; the owner schedules its timer for this.
    public var nextDeadline: ContinuousClock.Instant? { outboundInFlight?.deadline }

    // MARK: Inbound

    /// Handles one received WebSocket text message.
    public mutating func received(_ bytes: [UInt8], at now: ContinuousClock.Instant) -> [Action] {
        guard state == .open else {
            return [.log(.debug, "ignored a \(bytes.count)-byte message received after the connection began closing")]
        }
        guard bytes.count <= configuration.maxMessageBytes else {
            // Neither OCPP-J version limits frame size; RFC 6455 §7.4.1 defines 1009 for this case.
            state = .closing
            return [
                .log(
                    .notice,
                    "closing: received a \(bytes.count)-byte message, limit is \(configuration.maxMessageBytes) bytes"),
                .close(code: 1009, reason: "message too big"),
            ]
        }
        switch RPCFrame.decode(bytes, version: configuration.version, maxDepth: configuration.maxNestingDepth) {
        case .failure(let error):
            return rejected(error, at: now)
        case .success(.call(let call)):
            return receivedCall(call)
        case .success(.callResult(let result)):
            guard let request = takeInFlight(matching: result.id) else {
                return [unmatchedResponseLog(kind: "CALLRESULT", id: result.id)]
            }
            return [.deliverResult(requestID: request.id, payload: result.payload)] + sendNextQueued(at: now)
        case .success(.callError(let error)):
            guard let request = takeInFlight(matching: error.id) else {
                return [unmatchedResponseLog(kind: "CALLERROR", id: error.id)]
            }
            return [
                .deliverError(
                    requestID: request.id, code: error.code, description: error.description, details: error.details)
            ] + sendNextQueued(at: now)
        }
    }

    private mutating func rejected(_ error: RPCFrameError, at now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = [.log(.notice, "rejected a received message: \(error)")]
        if let answer = error.callErrorFrame() {
            actions.append(.send(answer))
        }
        // A broken CALLRESULT/CALLERROR for our request still answers it (OCPP-J §4.1.1): fail the
        // request now instead of holding the queue until the timeout.
        if error.messageTypeID == 3 || error.messageTypeID == 4, let request = outboundInFlight,
            request.id == error.messageID
        {
            outboundInFlight = nil
            actions.append(
                .deliverError(
                    requestID: request.id, code: .formatViolation,
                    description: "malformed response: \(error.reason)", details: [:]))
            actions += sendNextQueued(at: now)
        }
        return actions
    }

    private mutating func receivedCall(_ call: RPCCall) -> [Action] {
        guard let current = inboundCurrent else {
            inboundCurrent = call.id
            return [.deliverCall(id: call.id, action: call.action, payload: call.payload)]
        }
        if current == call.id || inboundQueue.contains(where: { $0.id == call.id }) {
            // A repeat of a CALL we already hold: answering twice under one id would confuse the
            // station, and the first copy will be answered.
            return [.log(.notice, "dropped CALL \(call.action) with id \(call.id): a CALL with that id is pending")]
        }
        guard inboundQueue.count < configuration.maxQueuedInboundCalls else {
            let code: RPCErrorCode = configuration.version == .ocpp201 ? .rpcFrameworkError : .genericError
            let reason =
                "CALL received while \(inboundQueue.count + 1) earlier CALLs are unanswered (OCPP-J §4.1.1)"
            return [
                .log(.notice, "rejected CALL \(call.action) with id \(call.id): \(reason)"),
                .send(RPCFrame.error(id: call.id, code: code, description: reason, version: configuration.version)),
            ]
        }
        inboundQueue.append(call)
        return [
            .log(
                .notice,
                "queued CALL \(call.action) with id \(call.id): CALL \(current) is still unanswered (OCPP-J §4.1.1)")
        ]
    }

    private mutating func takeInFlight(matching id: String) -> InFlight? {
        guard let request = outboundInFlight, request.id == id else { return nil }
        outboundInFlight = nil
        return request
    }

    private func unmatchedResponseLog(kind: String, id: String) -> Action {
        let expected = outboundInFlight.map { "the request in flight is \($0.id)" } ?? "no request is in flight"
        return .log(.notice, "dropped \(kind) with id \(id): \(expected) (late answer after a timeout, or a bad id)")
    }

    /// Answers the inbound CALL `id` with a CALLRESULT.
    public mutating func respond(toCallID id: String, payload: JSONObject) throws(RPCSessionError) -> [Action] {
        try takeInbound(id)
        return [.send(RPCFrame.result(id: id, payload: payload))] + deliverNextInbound()
    }

    /// Answers the inbound CALL `id` with a CALLERROR spelled for this connection's version.
    public mutating func respondError(
        toCallID id: String, code: RPCErrorCode, description: String, details: JSONObject = [:]
    ) throws(RPCSessionError) -> [Action] {
        try takeInbound(id)
        let frame = RPCFrame.error(
            id: id, code: code, description: description, details: details, version: configuration.version)
        return [.send(frame)] + deliverNextInbound()
    }

    private mutating func takeInbound(_ id: String) throws(RPCSessionError) {
        guard state == .open else {
            throw RPCSessionError(
                code: .connectionClosed, message: "cannot answer CALL \(id): the connection is closed")
        }
        guard inboundCurrent == id else {
            let pending = inboundCurrent.map { "the CALL awaiting an answer is \($0)" } ?? "no CALL awaits an answer"
            throw RPCSessionError(code: .unknownCallID, message: "cannot answer CALL \(id): \(pending)")
        }
        inboundCurrent = nil
    }

    private mutating func deliverNextInbound() -> [Action] {
        guard !inboundQueue.isEmpty else { return [] }
        let next = inboundQueue.removeFirst()
        inboundCurrent = next.id
        return [.deliverCall(id: next.id, action: next.action, payload: next.payload)]
    }

    // MARK: Outbound

    /// Queues a CALL from the CSMS and sends it at once if nothing is in flight.
    /// - Returns: the new request's id (a UUID v4) and the actions to perform now.
    public mutating func enqueue(
        action: String, payload: JSONObject, at now: ContinuousClock.Instant
    ) throws(RPCSessionError) -> (requestID: String, actions: [Action]) {
        guard state == .open else {
            throw RPCSessionError(code: .connectionClosed, message: "cannot send \(action): the connection is closed")
        }
        guard outboundInFlight == nil || outboundQueue.count < configuration.maxQueuedOutboundCalls else {
            throw RPCSessionError(
                code: .queueFull,
                message: "cannot send \(action): \(outboundQueue.count) CALLs already wait for this station "
                    + "(maxQueuedOutboundCalls); retry later or raise the limit")
        }
        let call = RPCCall(id: MessageID.uuidV4(), action: action, payload: payload)
        guard outboundInFlight == nil else {
            outboundQueue.append(call)
            return (call.id, [])
        }
        return (call.id, send(call, at: now))
    }

    /// Advances time: a request in flight past its deadline times out and the next queued one is sent.
    public mutating func tick(at now: ContinuousClock.Instant) -> [Action] {
        guard state == .open, let request = outboundInFlight, now >= request.deadline else { return [] }
        outboundInFlight = nil
        return [
            .log(.notice, "no response to \(request.action) \(request.id) within \(configuration.responseTimeout)"),
            .deliverTimeout(requestID: request.id),
        ] + sendNextQueued(at: now)
    }

    private mutating func send(_ call: RPCCall, at now: ContinuousClock.Instant) -> [Action] {
        outboundInFlight = InFlight(id: call.id, action: call.action, deadline: now + configuration.responseTimeout)
        return [.send(RPCFrame.call(id: call.id, action: call.action, payload: call.payload))]
    }

    private mutating func sendNextQueued(at now: ContinuousClock.Instant) -> [Action] {
        guard outboundInFlight == nil, !outboundQueue.isEmpty else { return [] }
        return send(outboundQueue.removeFirst(), at: now)
    }

    // MARK: Close

    /// The WebSocket is gone: every outbound request in flight or queued fails, inbound CALLs are forgotten.
    public mutating func connectionClosed() -> [Action] {
        state = .closed
        var actions: [Action] = []
        if let request = outboundInFlight {
            actions.append(
                .deliverFailure(requestID: request.id, reason: "connection closed before a response was received"))
        }
        for call in outboundQueue {
            actions.append(.deliverFailure(requestID: call.id, reason: "connection closed before the CALL was sent"))
        }
        outboundInFlight = nil
        outboundQueue = []
        inboundCurrent = nil
        inboundQueue = []
        return actions
    }
}
