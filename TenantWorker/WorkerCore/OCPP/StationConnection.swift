// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPPHandlerKit
import OCPPRPC

/// One station's live OCPP-J connection: the I/O shell around ``RPCSession``.
///
/// The WebSocket reader feeds received text messages in; the session state machine answers with
/// actions, which this actor carries out: frames to write go through one ordered stream to the
/// connection's single writer task, CALLs go to the version's handler (in a task of their own, so
/// that the station's answer to one of our CALLs is read while a handler waits on the database),
/// answers to our CALLs resume whoever sent them. Every frame in and out goes to the frame log.
actor StationConnection {
    enum Outgoing: Sendable {
        /// A text frame, made once: logged, written to the frame log and sent as the same string.
        case text(String)
        case close(code: UInt16, reason: String)
    }

    /// How a CALL the CSMS sent ended.
    enum CommandOutcome: Sendable {
        case result(JSONObject)
        case error(code: RPCErrorCode, description: String, details: JSONObject)
        case timeout
        case failed(String)
    }

    nonisolated let id = UUID()
    nonisolated let identity: String
    nonisolated let version: OCPPVersion
    nonisolated let stationPK: Int64
    nonisolated let connectedAt = Date()
    private(set) var registration: RegistrationStatus
    private var session: RPCSession
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private var waiting: [String: CheckedContinuation<CommandOutcome, Never>] = [:]
    private var sent: [String: (action: String, payload: JSONObject)] = [:]
    /// Actions named in a TriggerMessage we sent: a station that is not Accepted may still send them
    /// (OCPP 2.0.1 B02.FR.02).
    private var triggered: Set<String> = []
    private var timer: Task<Void, Never>?
    private let runtime: OCPPRuntime
    private let logger: Logger

    init(
        identity: String, version: OCPPVersion, station: StationRecord, runtime: OCPPRuntime,
        outgoing: AsyncStream<Outgoing>.Continuation
    ) {
        self.identity = identity
        self.version = version
        self.stationPK = station.pk
        self.registration = station.registrationStatus
        self.runtime = runtime
        self.outgoing = outgoing
        self.session = RPCSession(
            configuration: .init(
                version: version, maxMessageBytes: runtime.settings.maxMessageSize,
                responseTimeout: runtime.settings.responseTimeout))
        var logger = runtime.logger
        logger[metadataKey: "station.id"] = "\(identity)"
        logger[metadataKey: "ocpp.version"] = "\(version.rawValue)"
        self.logger = logger
    }

    // MARK: Inbound

    func received(_ text: String) {
        let bytes = Array(text.utf8)
        logger.debug("received", metadata: ["ocpp.frame": "\(text)"])
        runtime.frameLog.append(identity: identity, direction: .incoming, connection: id, text: text, at: Date())
        perform(session.received(bytes, at: .now))
    }

    func closed() {
        perform(session.connectionClosed())
        timer?.cancel()
        timer = nil
        outgoing.finish()
    }

    /// Closes the WebSocket from our side (a newer connection replaced this one, or shutdown).
    func close(code: UInt16, reason: String) {
        outgoing.yield(.close(code: code, reason: reason))
    }

    // MARK: Outbound CALLs

    /// Sends a CALL to the station and waits for its answer, a timeout or the connection's end.
    func call(action: String, payload: JSONObject) async -> CommandOutcome {
        let requestID: String
        let actions: [RPCSession.Action]
        do {
            (requestID, actions) = try session.enqueue(action: action, payload: payload, at: .now)
        } catch {
            return .failed(error.message)
        }
        sent[requestID] = (action, payload)
        if action == "TriggerMessage", let requested = payload.string("requestedMessage") {
            // 1.6 and 2.0.1 name the triggered message the same way (e.g. BootNotification,
            // StatusNotification); 2.0.1 spells MeterValues and a few others identically too.
            triggered.insert(requested)
        }
        return await withCheckedContinuation { continuation in
            waiting[requestID] = continuation
            perform(actions)
        }
    }

    // MARK: Actions

    private func perform(_ actions: [RPCSession.Action]) {
        for action in actions {
            switch action {
            case .deliverCall(let callID, let name, let payload):
                Task { await self.dispatch(callID: callID, action: name, payload: payload) }
            case .deliverResult(let requestID, let payload):
                let request = sent.removeValue(forKey: requestID)
                if let request {
                    checkStationAnswer(action: request.action, payload: payload)
                    if let hook = runtime.catalog.resultHook(version, request.action) {
                        let context = handlerContext(action: request.action, messageID: requestID)
                        Task {
                            do {
                                try await hook(request.payload, payload, context)
                            } catch {
                                context.logger.warning(
                                    "storing the station's answer failed", metadata: ["error": "\(error)"])
                            }
                        }
                    }
                }
                waiting.removeValue(forKey: requestID)?.resume(returning: .result(payload))
            case .deliverError(let requestID, let code, let description, let details):
                sent.removeValue(forKey: requestID)
                waiting.removeValue(forKey: requestID)?.resume(
                    returning: .error(code: code, description: description, details: details))
            case .deliverTimeout(let requestID):
                sent.removeValue(forKey: requestID)
                waiting.removeValue(forKey: requestID)?.resume(returning: .timeout)
            case .deliverFailure(let requestID, let reason):
                sent.removeValue(forKey: requestID)
                waiting.removeValue(forKey: requestID)?.resume(returning: .failed(reason))
            case .send(let bytes):
                let text = String(decoding: bytes, as: UTF8.self)
                logger.debug("sent", metadata: ["ocpp.frame": "\(text)"])
                runtime.frameLog.append(
                    identity: identity, direction: .outgoing, connection: id, text: text, at: Date())
                outgoing.yield(.text(text))
            case .log(let level, let message):
                logger.log(level: level.loggerLevel, "\(message)")
            case .close(let code, let reason):
                logger.notice("closing the connection", metadata: ["ws.close_code": "\(code)", "reason": "\(reason)"])
                outgoing.yield(.close(code: code, reason: reason))
            }
        }
        scheduleTimer()
    }

    private func scheduleTimer() {
        guard timer == nil, let deadline = session.nextDeadline else { return }
        timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        perform(session.tick(at: .now))
    }

    /// A station answer that breaks the official schema is passed on (the operator asked for it)
    /// but logged, because the station is then not conformant.
    private func checkStationAnswer(action: String, payload: JSONObject) {
        if let schema = runtime.catalog.responseSchema(version, action), let violation = schema.validate(payload) {
            logger.notice(
                "the station's answer does not match the OCPP schema",
                metadata: [
                    "ocpp.action": "\(action)", "violation": "\(violation.message)", "path": "\(violation.path)",
                ])
        }
    }

    // MARK: Inbound CALLs

    private func dispatch(callID: String, action: String, payload: JSONObject) async {
        var logger = self.logger
        logger[metadataKey: "ocpp.action"] = "\(action)"
        logger[metadataKey: "ocpp.message_id"] = "\(callID)"
        let outcome = await answer(callID: callID, action: action, payload: payload, logger: logger)
        do {
            switch outcome {
            case .success(let response):
                if action == "BootNotification", let status = response.string("status"),
                    let registration = RegistrationStatus(rawValue: status.lowercased())
                {
                    if registration != self.registration {
                        logger.info("registration status changed", metadata: ["registration": "\(registration)"])
                    }
                    self.registration = registration
                }
                perform(try session.respond(toCallID: callID, payload: response))
            case .failure(let error):
                logger.notice(
                    "answered with a CALLERROR",
                    metadata: ["ocpp.error_code": "\(error.code.wireName(for: version))", "reason": "\(error.message)"])
                perform(try session.respondError(toCallID: callID, code: error.code, description: error.message))
            }
        } catch {
            logger.debug("the answer was not sent", metadata: ["reason": "\(error)"])
        }
    }

    private func answer(
        callID: String, action: String, payload: JSONObject, logger: Logger
    ) async -> Result<
        JSONObject, OCPPHandlerError
    > {
        guard let schema = runtime.catalog.requestSchema(version, action) else {
            return .failure(OCPPHandlerError(.notImplemented, "\(action) is not an OCPP \(version.rawValue) action"))
        }
        // OCPP 2.0.1 B02.FR.09 / B03.FR.07 (TC_B_30): until the CSMS accepts the station, only
        // BootNotification (and messages we triggered) are allowed.
        if registration != .accepted, action != "BootNotification", !triggered.contains(action) {
            return .failure(
                OCPPHandlerError(
                    .securityError,
                    "station is \(registration.wireName) and may send only BootNotification until it is accepted"))
        }
        if let violation = schema.validate(payload) {
            return .failure(OCPPHandlerError(violation.code, violation.message))
        }
        guard let handler = runtime.catalog.handler(version, action) else {
            return .failure(OCPPHandlerError(.notSupported, "\(action) is not supported by this CSMS"))
        }
        let context = handlerContext(action: action, messageID: callID)
        do {
            let response = try await handler(payload, context)
            if let responseSchema = runtime.catalog.responseSchema(version, action),
                let violation = responseSchema.validate(response)
            {
                logger.error(
                    "our answer breaks the OCPP schema (a CSMS bug); sending it anyway",
                    metadata: ["violation": "\(violation.message)", "path": "\(violation.path)"])
            }
            return .success(response)
        } catch let error as OCPPHandlerError {
            return .failure(error)
        } catch {
            logger.error("handler failed", metadata: ["error": "\(error)"])
            return .failure(OCPPHandlerError(.internalError, "the CSMS could not process \(action); retry later"))
        }
    }

    private func handlerContext(action: String, messageID: String) -> StationContext {
        var logger = self.logger
        logger[metadataKey: "ocpp.action"] = "\(action)"
        logger[metadataKey: "ocpp.message_id"] = "\(messageID)"
        return StationContext(
            stationPK: stationPK, identity: identity, version: version, store: runtime.store,
            heartbeatInterval: runtime.settings.heartbeatInterval,
            dataTransferVendors: runtime.dataTransferVendors, logger: logger)
    }
}

extension RPCSession.LogLevel {
    var loggerLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        }
    }
}
