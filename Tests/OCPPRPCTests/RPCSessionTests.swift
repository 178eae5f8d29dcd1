// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import OCPPRPC

let start = ContinuousClock.now

func at(seconds: Int64) -> ContinuousClock.Instant { start + .seconds(seconds) }

func session(
    _ version: OCPPVersion, timeout: Duration = .seconds(30), maxQueued: Int = 100, maxInbound: Int = 10,
    maxBytes: Int = 65536
) -> RPCSession {
    RPCSession(
        configuration: .init(
            version: version, maxMessageBytes: maxBytes, responseTimeout: timeout, maxQueuedOutboundCalls: maxQueued,
            maxQueuedInboundCalls: maxInbound))
}

/// The actions without log lines, which carry free text.
func withoutLogs(_ actions: [RPCSession.Action]) -> [RPCSession.Action] {
    actions.filter {
        if case .log = $0 { return false }
        return true
    }
}

func sentFrames(_ actions: [RPCSession.Action]) -> [String] {
    actions.compactMap {
        if case .send(let frame) = $0 { return text(frame) }
        return nil
    }
}

func hasLog(_ actions: [RPCSession.Action], level: RPCSession.LogLevel) -> Bool {
    actions.contains {
        if case .log(level, _) = $0 { return true }
        return false
    }
}

@Suite struct RPCSessionInboundTests {
    @Test func specBootNotificationIsDeliveredAndAnswered() throws {
        var rpc = session(.ocpp16)
        let actions = rpc.received(bytes(RPCFrameGoldenTests.bootCall16), at: at(seconds: 0))
        #expect(
            actions == [
                .deliverCall(
                    id: "19223201", action: "BootNotification",
                    payload: ["chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"])
            ])
        let answer = try rpc.respond(
            toCallID: "19223201",
            payload: ["status": "Accepted", "currentTime": "2013-02-01T20:53:32.486Z", "heartbeatInterval": 300])
        #expect(sentFrames(answer) == [RPCFrameGoldenTests.bootResult16])
        #expect(rpc.inboundCallAwaitingResponse == nil)
    }

    @Test func respondingToAnUnknownOrAnsweredCallIsAnErrorNotACrash() throws {
        var rpc = session(.ocpp201)
        #expect(throws: RPCSessionError.self) { try rpc.respond(toCallID: "nope", payload: [:]) }
        _ = rpc.received(bytes(#"[2,"a","Heartbeat",{}]"#), at: at(seconds: 0))
        _ = try rpc.respond(toCallID: "a", payload: ["currentTime": "2026-01-01T00:00:00Z"])
        do {
            _ = try rpc.respondError(toCallID: "a", code: .internalError, description: "again")
            Issue.record("second answer to the same CALL was accepted")
        } catch {
            #expect(error.code == .unknownCallID)
        }
    }

    @Test func respondErrorUsesTheConnectionsSpelling() throws {
        var rpc16 = session(.ocpp16)
        _ = rpc16.received(bytes(#"[2,"a","Authorize",{"idTag":"x"}]"#), at: at(seconds: 0))
        let sent16 = try rpc16.respondError(toCallID: "a", code: .occurrenceConstraintViolation, description: "")
        #expect(sentFrames(sent16) == [#"[4,"a","OccurenceConstraintViolation","",{}]"#])

        var rpc201 = session(.ocpp201)
        _ = rpc201.received(bytes(#"[2,"a","Authorize",{}]"#), at: at(seconds: 0))
        let sent201 = try rpc201.respondError(toCallID: "a", code: .occurrenceConstraintViolation, description: "")
        #expect(sentFrames(sent201) == [#"[4,"a","OccurrenceConstraintViolation","",{}]"#])
    }

    // OCPP-J 1.6 §4.1.1 SHOULD NOT / 2.0.1 §4.1.1 SHALL NOT: a second station CALL while the first
    // is unanswered is queued and delivered in order once the first is answered.
    @Test(arguments: OCPPVersion.allCases)
    func secondInboundCallIsQueuedUntilTheFirstIsAnswered(version: OCPPVersion) throws {
        var rpc = session(version)
        let first = rpc.received(bytes(#"[2,"1","StatusNotification",{}]"#), at: at(seconds: 0))
        #expect(first == [.deliverCall(id: "1", action: "StatusNotification", payload: [:])])
        let second = rpc.received(bytes(#"[2,"2","Heartbeat",{}]"#), at: at(seconds: 1))
        #expect(withoutLogs(second).isEmpty)
        #expect(hasLog(second, level: .notice))
        // The queued CALL cannot be answered before it was delivered.
        #expect(throws: RPCSessionError.self) { try rpc.respond(toCallID: "2", payload: [:]) }
        let answered = try rpc.respond(toCallID: "1", payload: [:])
        #expect(answered == [.send(bytes(#"[3,"1",{}]"#)), .deliverCall(id: "2", action: "Heartbeat", payload: [:])])
        #expect(rpc.inboundCallAwaitingResponse == "2")
    }

    @Test func inboundQueueOverflowIsAnsweredWithRpcFrameworkErrorOn201AndGenericErrorOn16() {
        for (version, code) in [(OCPPVersion.ocpp201, "RpcFrameworkError"), (.ocpp16, "GenericError")] {
            var rpc = session(version, maxInbound: 1)
            _ = rpc.received(bytes(#"[2,"1","Heartbeat",{}]"#), at: at(seconds: 0))
            _ = rpc.received(bytes(#"[2,"2","Heartbeat",{}]"#), at: at(seconds: 0))
            let overflow = rpc.received(bytes(#"[2,"3","Heartbeat",{}]"#), at: at(seconds: 0))
            let frames = sentFrames(overflow)
            #expect(frames.count == 1)
            #expect(frames.first?.hasPrefix(#"[4,"3","\#(code)","#) == true)
        }
    }

    @Test func duplicateIDOfAPendingCallIsDroppedNotAnswered() {
        var rpc = session(.ocpp201)
        _ = rpc.received(bytes(#"[2,"1","Heartbeat",{}]"#), at: at(seconds: 0))
        let repeated = rpc.received(bytes(#"[2,"1","Heartbeat",{}]"#), at: at(seconds: 1))
        #expect(withoutLogs(repeated).isEmpty)
        #expect(hasLog(repeated, level: .notice))
    }

    // OCPP-J 2.0.1 §4.2.3: malformed CALLs get a CALLERROR with the id, or "-1".
    @Test func malformedInboundFramesAreAnsweredAndLogged() {
        var rpc = session(.ocpp201)
        let actions = rpc.received(bytes(#"[2,"1","Heartbeat",null]"#), at: at(seconds: 0))
        #expect(hasLog(actions, level: .notice))
        #expect(sentFrames(actions).first?.hasPrefix(#"[4,"1","FormatViolation","#) == true)
        let garbage = rpc.received(bytes("\u{0}\u{1}"), at: at(seconds: 0))
        #expect(sentFrames(garbage).first?.hasPrefix(#"[4,"-1","FormatViolation","#) == true)
        // Nothing was delivered, so the connection still accepts a CALL.
        #expect(rpc.received(bytes(#"[2,"2","Heartbeat",{}]"#), at: at(seconds: 0)).count == 1)
    }

    // OCPP-J 1.6 §4.1.3 vs 2.0.1 §4.4.
    @Test func unknownMessageTypeIsSilentOn16AndAnsweredOn201() {
        var rpc16 = session(.ocpp16)
        let ignored = rpc16.received(bytes(#"[7,"1","Heartbeat",{}]"#), at: at(seconds: 0))
        #expect(withoutLogs(ignored).isEmpty)
        var rpc201 = session(.ocpp201)
        let answered = rpc201.received(bytes(#"[7,"1","Heartbeat",{}]"#), at: at(seconds: 0))
        #expect(sentFrames(answered).first?.hasPrefix(#"[4,"1","MessageTypeNotSupported","#) == true)
    }

    // RFC 6455 §7.4.1: 1009 = message too big to process.
    @Test func oversizedMessageClosesWith1009AndLaterInputIsIgnored() {
        var rpc = session(.ocpp16, maxBytes: 64)
        let exact =
            #"[2,"1","DataTransfer",{"vendorId":"x","data":"# + "\"" + String(repeating: "a", count: 15) + "\"}]"
        #expect(exact.utf8.count == 64)
        #expect(withoutLogs(rpc.received(bytes(exact), at: at(seconds: 0))).count == 1)
        _ = try? rpc.respond(toCallID: "1", payload: [:])
        let big = rpc.received(bytes(exact + " "), at: at(seconds: 0))
        #expect(withoutLogs(big) == [.close(code: 1009, reason: "message too big")])
        #expect(withoutLogs(rpc.received(bytes(#"[2,"2","Heartbeat",{}]"#), at: at(seconds: 0))).isEmpty)
        #expect(throws: RPCSessionError.self) { try rpc.enqueue(action: "Reset", payload: [:], at: at(seconds: 0)) }
    }
}

@Suite struct RPCSessionOutboundTests {
    @Test func enqueueSendsImmediatelyWhenIdleWithAUUIDv4ID() throws {
        var rpc = session(.ocpp201)
        let (id, actions) = try rpc.enqueue(action: "Reset", payload: ["type": "Immediate"], at: at(seconds: 0))
        #expect(actions == [.send(bytes(#"[2,"\#(id)","Reset",{"type":"Immediate"}]"#))])
        #expect(rpc.outboundRequestInFlight == id)
        #expect(rpc.nextDeadline == at(seconds: 30))
    }

    // OCPP-J §4.1.1: one outbound CALL in flight; later ones wait and go out in order.
    @Test func onlyOneOutboundCallInFlightAndQueueDrainsInOrder() throws {
        var rpc = session(.ocpp16)
        let (first, _) = try rpc.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        let (second, queued2) = try rpc.enqueue(action: "B", payload: [:], at: at(seconds: 0))
        let (third, queued3) = try rpc.enqueue(action: "C", payload: [:], at: at(seconds: 0))
        #expect(queued2.isEmpty && queued3.isEmpty)
        #expect(rpc.queuedOutboundCount == 2)

        let afterFirst = rpc.received(bytes(#"[3,"\#(first)",{"status":"Accepted"}]"#), at: at(seconds: 1))
        #expect(
            afterFirst == [
                .deliverResult(requestID: first, payload: ["status": "Accepted"]),
                .send(bytes(#"[2,"\#(second)","B",{}]"#)),
            ])
        let afterSecond = rpc.received(bytes(#"[4,"\#(second)","NotSupported","nope",{}]"#), at: at(seconds: 2))
        #expect(
            afterSecond == [
                .deliverError(requestID: second, code: .notSupported, description: "nope", details: [:]),
                .send(bytes(#"[2,"\#(third)","C",{}]"#)),
            ])
        #expect(rpc.nextDeadline == at(seconds: 32))
    }

    // OCPP-J §4.1.1: CALLs can cross; an inbound CALL is handled while our CALL awaits its result.
    @Test func crossingCallsInBothDirectionsAreIndependent() throws {
        var rpc = session(.ocpp201)
        let (id, _) = try rpc.enqueue(action: "GetVariables", payload: [:], at: at(seconds: 0))
        let inbound = rpc.received(bytes(#"[2,"s1","Heartbeat",{}]"#), at: at(seconds: 1))
        #expect(inbound == [.deliverCall(id: "s1", action: "Heartbeat", payload: [:])])
        _ = try rpc.respond(toCallID: "s1", payload: ["currentTime": "2026-01-01T00:00:00Z"])
        let result = rpc.received(bytes(#"[3,"\#(id)",{}]"#), at: at(seconds: 2))
        #expect(result == [.deliverResult(requestID: id, payload: [:])])
    }

    @Test func queueOverflowIsRejectedWithAClearError() throws {
        var rpc = session(.ocpp201, maxQueued: 2)
        for _ in 0..<3 { _ = try rpc.enqueue(action: "A", payload: [:], at: at(seconds: 0)) }
        do {
            _ = try rpc.enqueue(action: "Overflow", payload: [:], at: at(seconds: 0))
            Issue.record("fourth CALL was accepted beyond a queue bound of 2")
        } catch {
            #expect(error.code == .queueFull)
            #expect(error.message.contains("Overflow"))
        }
    }

    @Test func timeoutDeliversTimeoutThenSendsTheNextQueuedCall() throws {
        var rpc = session(.ocpp16, timeout: .seconds(10))
        let (first, _) = try rpc.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        let (second, _) = try rpc.enqueue(action: "B", payload: [:], at: at(seconds: 5))
        #expect(rpc.tick(at: at(seconds: 9)).isEmpty)
        let expired = rpc.tick(at: at(seconds: 10))
        #expect(
            withoutLogs(expired) == [.deliverTimeout(requestID: first), .send(bytes(#"[2,"\#(second)","B",{}]"#))])
        // The next CALL's clock starts when it is sent, not when it was queued.
        #expect(rpc.tick(at: at(seconds: 19)).isEmpty)
        #expect(withoutLogs(rpc.tick(at: at(seconds: 20))) == [.deliverTimeout(requestID: second)])
        #expect(rpc.tick(at: at(seconds: 100)).isEmpty)
    }

    @Test func mismatchedOrLateResultIsLoggedAndDropped() throws {
        var rpc = session(.ocpp201, timeout: .seconds(10))
        let (first, _) = try rpc.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        let wrong = rpc.received(bytes(#"[3,"not-ours",{}]"#), at: at(seconds: 1))
        #expect(withoutLogs(wrong).isEmpty && hasLog(wrong, level: .notice))
        let wrongError = rpc.received(bytes(#"[4,"not-ours","GenericError","",{}]"#), at: at(seconds: 1))
        #expect(withoutLogs(wrongError).isEmpty)
        #expect(rpc.outboundRequestInFlight == first)
        _ = rpc.tick(at: at(seconds: 10))
        let late = rpc.received(bytes(#"[3,"\#(first)",{}]"#), at: at(seconds: 11))
        #expect(withoutLogs(late).isEmpty && hasLog(late, level: .notice))
        // A result with no request at all is dropped the same way.
        var idle = session(.ocpp16)
        #expect(withoutLogs(idle.received(bytes(#"[3,"x",{}]"#), at: at(seconds: 0))).isEmpty)
    }

    @Test func malformedResponseToTheRequestInFlightFailsItAndSendsTheNext() throws {
        var rpc = session(.ocpp201)
        let (first, _) = try rpc.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        let (second, _) = try rpc.enqueue(action: "B", payload: [:], at: at(seconds: 0))
        let actions = withoutLogs(rpc.received(bytes(#"[3,"\#(first)",null]"#), at: at(seconds: 1)))
        #expect(actions.count == 2)
        guard case .deliverError(first, .formatViolation, _, _) = actions.first else {
            Issue.record("expected a FormatViolation for \(first), got \(actions)")
            return
        }
        #expect(actions.last == .send(bytes(#"[2,"\#(second)","B",{}]"#)))
    }

    @Test func connectionClosedFailsInFlightAndQueuedRequests() throws {
        var rpc = session(.ocpp16)
        let (first, _) = try rpc.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        let (second, _) = try rpc.enqueue(action: "B", payload: [:], at: at(seconds: 0))
        _ = rpc.received(bytes(#"[2,"s","Heartbeat",{}]"#), at: at(seconds: 0))
        let failed = rpc.connectionClosed()
        #expect(failed.count == 2)
        guard case .deliverFailure(first, _) = failed.first, case .deliverFailure(second, _) = failed.last else {
            Issue.record("expected failures for \(first) then \(second), got \(failed)")
            return
        }
        #expect(rpc.tick(at: at(seconds: 1000)).isEmpty)
        #expect(throws: RPCSessionError.self) { try rpc.respond(toCallID: "s", payload: [:]) }
        #expect(throws: RPCSessionError.self) { try rpc.enqueue(action: "C", payload: [:], at: at(seconds: 0)) }
        #expect(rpc.connectionClosed().isEmpty)
    }
}

@Suite struct MessageIDTests {
    // OCPP-J 2.0.1 §4.1.4: ids unique across connections of the same station, also for retries.
    @Test func uuidV4IDsAreUniqueWellFormedAndFitString36() throws {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = MessageID.uuidV4()
            #expect(seen.insert(id).inserted)
        }
        for id in seen.prefix(100) {
            let chars = Array(id)
            #expect(chars.count == RPCFrame.maxMessageIDLength)
            #expect(chars[8] == "-" && chars[13] == "-" && chars[18] == "-" && chars[23] == "-")
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        }
    }

    @Test func idsDifferAcrossSessions() throws {
        var first = session(.ocpp201)
        var second = session(.ocpp201)
        let (a, _) = try first.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        let (b, _) = try second.enqueue(action: "A", payload: [:], at: at(seconds: 0))
        #expect(a != b)
    }
}
