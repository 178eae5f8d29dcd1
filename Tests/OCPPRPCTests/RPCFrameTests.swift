// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import OCPPRPC

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Decodes `frame` and returns the error, or records an issue when it decoded.
func frameError(_ frame: String, _ version: OCPPVersion, maxDepth: Int = 64) -> RPCFrameError? {
    switch RPCFrame.decode(bytes(frame), version: version, maxDepth: maxDepth) {
    case .success(let decoded):
        Issue.record("expected \(frame) to be rejected, decoded \(decoded)")
        return nil
    case .failure(let error):
        return error
    }
}

/// The wire error code, message id and kind a malformed frame is answered with, or "ignore".
func answer(_ frame: String, _ version: OCPPVersion) -> String {
    guard let error = frameError(frame, version) else { return "decoded" }
    guard let code = error.errorCode else { return "ignore \(error.kind)" }
    return "\(code.wireName(for: version)) \(error.messageID) \(error.kind)"
}

@Suite struct RPCFrameGoldenTests {
    // OCPP-J 1.6 §4.2.1 CALL example.
    static let bootCall16 =
        #"[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]"#
    // OCPP-J 1.6 §4.2.2 CALLRESULT example.
    static let bootResult16 =
        #"[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","heartbeatInterval":300}]"#
    // OCPP-J 2.0.1 §4.2.1 CALL example.
    static let bootCall201 =
        #"[2,"19223201","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"SingleSocketCharger","vendorName":"VendorX"}}]"#
    // OCPP-J 2.0.1 §4.2.2 CALLRESULT example.
    static let bootResult201 =
        #"[3,"19223201",{"currentTime":"2013-02-01T20:53:32.486Z","interval":300,"status":"Accepted"}]"#
    // OCPP-J 2.0.1 §4.2.3 CALLERROR example.
    static let callError201 = #"[4,"162376037","NotSupported","SetDisplayMessageRequest not implemented",{}]"#

    @Test(arguments: [
        (bootCall16, OCPPVersion.ocpp16), (bootResult16, .ocpp16), (bootCall201, .ocpp201),
        (bootResult201, .ocpp201), (callError201, .ocpp201),
    ])
    func specExampleFramesRoundTripByteForByte(frame: String, version: OCPPVersion) throws {
        let decoded = try RPCFrame.decode(bytes(frame), version: version).get()
        #expect(text(decoded.encoded(version: version)) == frame)
    }

    @Test func specBootNotificationCallDecodesToItsFields() throws {
        let decoded = try RPCFrame.decode(bytes(Self.bootCall16), version: .ocpp16).get()
        #expect(
            decoded
                == .call(
                    RPCCall(
                        id: "19223201", action: "BootNotification",
                        payload: ["chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"])))
        let result = try RPCFrame.decode(bytes(Self.bootResult16), version: .ocpp16).get()
        guard case .callResult(let callResult) = result else {
            Issue.record("expected a CALLRESULT")
            return
        }
        #expect(callResult.payload["heartbeatInterval"] == .integer(300))
    }

    // OCPP-J 1.6 §4.2 / 2.0.1 §4.2: the encoding helpers write exactly the documented layouts.
    @Test func encodingHelpersProduceExactBytes() {
        #expect(
            text(RPCFrame.call(id: "19223201", action: "Heartbeat", payload: [:])) == #"[2,"19223201","Heartbeat",{}]"#)
        #expect(
            text(RPCFrame.result(id: "1", payload: ["currentTime": "2013-02-01T20:53:32.486Z"]))
                == #"[3,"1",{"currentTime":"2013-02-01T20:53:32.486Z"}]"#)
        #expect(
            text(RPCFrame.error(id: "1", code: .formatViolation, description: "bad", version: .ocpp16))
                == #"[4,"1","FormationViolation","bad",{}]"#)
        #expect(
            text(
                RPCFrame.error(
                    id: "1", code: .formatViolation, description: "", details: ["field": "x"], version: .ocpp201))
                == #"[4,"1","FormatViolation","",{"field":"x"}]"#)
    }

    @Test func unicodeAndEscapesSurviveAFrameRoundTrip() throws {
        let payload: JSONObject = ["text": "Ladestation \"Süd\" \\ 🔌\n\u{1}", "idTag": "ÄÖÜ"]
        let encoded = RPCFrame.call(id: "é-1", action: "DataTransfer", payload: payload)
        #expect(
            text(encoded) == #"[2,"é-1","DataTransfer",{"text":"Ladestation \"Süd\" \\ 🔌\n\u0001","idTag":"ÄÖÜ"}]"#)
        let decoded = try RPCFrame.decode(encoded, version: .ocpp201).get()
        #expect(decoded == .call(RPCCall(id: "é-1", action: "DataTransfer", payload: payload)))
        // Escaped input (\u00fc, surrogate pair) decodes to the same text as raw UTF-8.
        let escaped = try RPCFrame.decode(
            bytes(#"[3,"x",{"t":"S\u00fcd \ud83d\udd0c"}]"#), version: .ocpp16
        ).get()
        #expect(escaped == .callResult(RPCCallResult(id: "x", payload: ["t": "Süd 🔌"])))
    }

    // OCPP-J 2.0.1 §4.2.3 Table 7: ErrorDescription is string[255]; 1.6 Table 6 has no limit.
    @Test func errorDescriptionIsCutTo255OnlyOn201() throws {
        let long = String(repeating: "é", count: 300)
        let frame201 = try RPCFrame.decode(
            RPCFrame.error(id: "1", code: .genericError, description: long, version: .ocpp201), version: .ocpp201
        ).get()
        let frame16 = try RPCFrame.decode(
            RPCFrame.error(id: "1", code: .genericError, description: long, version: .ocpp16), version: .ocpp16
        ).get()
        guard case .callError(let error201) = frame201, case .callError(let error16) = frame16 else {
            Issue.record("expected CALLERRORs")
            return
        }
        #expect(error201.description.unicodeScalars.count == 255)
        #expect(error16.description == long)
    }
}

@Suite struct RPCErrorCodeTests {
    // OCPP-J 1.6 §4.2.3 Table 7 vs OCPP-J 2.0.1 §4.3 Table 8.
    @Test func wireNamesPerVersion() {
        let expected: [(RPCErrorCode, String, String)] = [
            (.formatViolation, "FormationViolation", "FormatViolation"),
            (.occurrenceConstraintViolation, "OccurenceConstraintViolation", "OccurrenceConstraintViolation"),
            (.propertyConstraintViolation, "PropertyConstraintViolation", "PropertyConstraintViolation"),
            (.typeConstraintViolation, "TypeConstraintViolation", "TypeConstraintViolation"),
            (.protocolError, "ProtocolError", "ProtocolError"),
            (.notImplemented, "NotImplemented", "NotImplemented"),
            (.notSupported, "NotSupported", "NotSupported"),
            (.securityError, "SecurityError", "SecurityError"),
            (.internalError, "InternalError", "InternalError"),
            (.genericError, "GenericError", "GenericError"),
            (.messageTypeNotSupported, "GenericError", "MessageTypeNotSupported"),
            (.rpcFrameworkError, "FormationViolation", "RpcFrameworkError"),
        ]
        for (code, name16, name201) in expected {
            #expect(code.wireName(for: .ocpp16) == name16)
            #expect(code.wireName(for: .ocpp201) == name201)
        }
    }

    @Test func bothSpellingsAreAcceptedOnInput() throws {
        #expect(RPCErrorCode(wireName: "FormationViolation") == .formatViolation)
        #expect(RPCErrorCode(wireName: "FormatViolation") == .formatViolation)
        #expect(RPCErrorCode(wireName: "OccurenceConstraintViolation") == .occurrenceConstraintViolation)
        #expect(RPCErrorCode(wireName: "OccurrenceConstraintViolation") == .occurrenceConstraintViolation)
        // A 1.6 station using the 2.0.1 spelling still decodes on a 1.6 connection.
        let frame = try RPCFrame.decode(bytes(#"[4,"7","FormatViolation","",{}]"#), version: .ocpp16).get()
        #expect(frame == .callError(RPCCallError(id: "7", code: .formatViolation, description: "")))
    }

    @Test func unknownCodesAreKeptVerbatim() {
        let code = RPCErrorCode(wireName: "VendorSpecificError")
        #expect(!code.isRecognized)
        #expect(code.wireName(for: .ocpp16) == "VendorSpecificError")
        #expect(RPCErrorCode.genericError.isRecognized)
    }
}

@Suite struct RPCFrameMalformedTests {
    // OCPP-J 1.6 §4.2.3 / 2.0.1 §4.2.3: a syntactically broken message is a FormationViolation
    // (1.6) / FormatViolation (2.0.1), answered with MessageId "-1" because no id can be read.
    @Test func unparseableJSONIsFormatViolationWithIDMinusOne() {
        for frame in [#"[2,"1","Heartbeat",{}"#, "not json", #"[2,"1","Heartbeat",{}] x"#, ""] {
            #expect(answer(frame, .ocpp16) == "FormationViolation -1 invalidJSON")
            #expect(answer(frame, .ocpp201) == "FormatViolation -1 invalidJSON")
        }
    }

    @Test func depthBeyondTheCapIsItsOwnKind() {
        let deep =
            #"[2,"1","DataTransfer",{"a":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
            + "}]"
        #expect(answer(deep, .ocpp16) == "FormationViolation -1 depthLimitExceeded")
        #expect(answer(deep, .ocpp201) == "FormatViolation -1 depthLimitExceeded")
        #expect(frameError(#"[2,"1","A",{"a":{}}]"#, .ocpp201, maxDepth: 2)?.kind == .depthLimitExceeded)
    }

    // OCPP-J 2.0.1 §4.3: RpcFrameworkError "not a valid RPC Request, for example: MessageId could
    // not be read"; 1.6 has no such code, FormationViolation ("not conform the PDU structure") is sent.
    @Test func notAnRPCArrayIsRpcFrameworkErrorOn201AndFormationViolationOn16() {
        for frame in [#"{"a":1}"#, "[]", #""text""#, "42", "null"] {
            #expect(answer(frame, .ocpp16) == "FormationViolation -1 notAnRPCArray")
            #expect(answer(frame, .ocpp201) == "RpcFrameworkError -1 notAnRPCArray")
        }
    }

    @Test func nonIntegerMessageTypeKeepsTheReadableID() {
        #expect(answer(#"["2","abc","Heartbeat",{}]"#, .ocpp201) == "RpcFrameworkError abc invalidMessageTypeID")
        #expect(answer(#"[2.0,"abc","Heartbeat",{}]"#, .ocpp16) == "FormationViolation abc invalidMessageTypeID")
        #expect(answer(#"[null]"#, .ocpp201) == "RpcFrameworkError -1 invalidMessageTypeID")
    }

    // OCPP-J 1.6 §4.1.4 Table 3 / 2.0.1 §4.1.4 Table 4: MessageId is string[36]; unreadable → "-1".
    @Test func unreadableMessageIDIsAnsweredWithMinusOne() {
        let tooLong = String(repeating: "x", count: 37)
        for frame in [
            #"[2,19223201,"Heartbeat",{}]"#, #"[2,"\#(tooLong)","Heartbeat",{}]"#, #"[2,null,"Heartbeat",{}]"#, "[2]",
        ] {
            #expect(answer(frame, .ocpp16) == "FormationViolation -1 invalidMessageID")
            #expect(answer(frame, .ocpp201) == "RpcFrameworkError -1 invalidMessageID")
        }
        let maxLength = String(repeating: "x", count: 36)
        #expect(throws: Never.self) {
            try RPCFrame.decode(bytes(#"[2,"\#(maxLength)","Heartbeat",{}]"#), version: .ocpp201).get()
        }
    }

    @Test func wrongElementCountIsRpcFrameworkErrorWithTheID() {
        #expect(answer(#"[2,"1","Heartbeat"]"#, .ocpp201) == "RpcFrameworkError 1 wrongElementCount")
        #expect(answer(#"[2,"1","Heartbeat",{},{}]"#, .ocpp16) == "FormationViolation 1 wrongElementCount")
    }

    // OCPP-J 2.0.1 §4.1.6: Action is the case-sensitive message name.
    @Test func actionMustBeANonEmptyString() {
        #expect(answer(#"[2,"1","",{}]"#, .ocpp201) == "RpcFrameworkError 1 invalidAction")
        #expect(answer(#"[2,"1",7,{}]"#, .ocpp16) == "FormationViolation 1 invalidAction")
    }

    // OCPP-J 2.0.1 §4.1.5: an empty payload is {} — null, arrays and scalars are not payloads.
    @Test func payloadMustBeAnObject() {
        for payload in ["null", "[]", "\"x\"", "1"] {
            #expect(answer(#"[2,"1","Heartbeat",\#(payload)]"#, .ocpp16) == "FormationViolation 1 payloadNotObject")
            #expect(answer(#"[2,"1","Heartbeat",\#(payload)]"#, .ocpp201) == "FormatViolation 1 payloadNotObject")
        }
    }

    // OCPP-J 1.6 §4.1.3: unknown message type → "SHALL ignore"; 2.0.1 §4.4 → MessageTypeNotSupported.
    @Test func unknownMessageTypeIsIgnoredOn16AndAnsweredOn201() {
        #expect(answer(#"[5,"1","Heartbeat",{}]"#, .ocpp16) == "ignore unknownMessageType")
        #expect(answer(#"[5,"1","Heartbeat",{}]"#, .ocpp201) == "MessageTypeNotSupported 1 unknownMessageType")
        #expect(answer(#"[99999999999,"abc"]"#, .ocpp201) == "MessageTypeNotSupported abc unknownMessageType")
        // Without a readable id, 2.0.1 falls back to §4.1.3 "SHALL ignore".
        #expect(answer(#"[6,{}]"#, .ocpp201) == "ignore unknownMessageType")
        let error = frameError(#"[5,"1"]"#, .ocpp16)
        #expect(error?.answer == .ignore)
        #expect(error?.callErrorFrame() == nil)
    }

    // A CALLERROR only ever answers a CALL (OCPP-J §4.2.3): broken responses are never answered.
    @Test func brokenResponsesAreIgnoredButCarryTheirID() {
        #expect(answer(#"[3,"1",null]"#, .ocpp201) == "ignore payloadNotObject")
        #expect(answer(#"[3,"1"]"#, .ocpp16) == "ignore wrongElementCount")
        #expect(answer(#"[4,"1",5,"",{}]"#, .ocpp201) == "ignore invalidErrorFields")
        #expect(answer(#"[4,"1","GenericError","",null]"#, .ocpp16) == "ignore payloadNotObject")
        #expect(answer(#"[3,7,{}]"#, .ocpp16) == "ignore invalidMessageID")
        #expect(frameError(#"[3,"1",null]"#, .ocpp201)?.messageID == "1")
    }

    @Test func answerFrameUsesTheVersionSpellingAndNeverEchoesRawInput() throws {
        let error = try #require(frameError(#"[2,"1","Heartbeat",{"evil":"#, .ocpp16))
        let frame = text(try #require(error.callErrorFrame()))
        #expect(frame.hasPrefix(#"[4,"-1","FormationViolation","invalid JSON: "#))
        #expect(!frame.contains("evil"))
        // The answer itself is a valid 1.6 CALLERROR.
        #expect(throws: Never.self) { try RPCFrame.decode(bytes(frame), version: .ocpp16).get() }
    }
}
