// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// OCPP-J message type numbers (OCPP-J 1.6 §4.1.3 Table 2, OCPP-J 2.0.1 §4.1.3 Table 3).
public enum RPCMessageType: Int, Sendable, Hashable {
    case call = 2
    case callResult = 3
    case callError = 4
}

/// `[2,"<MessageId>","<Action>",{<Payload>}]` (OCPP-J 1.6 §4.2.1, 2.0.1 §4.2.1).
public struct RPCCall: Sendable, Hashable {
    public var id: String
    public var action: String
    public var payload: JSONObject

    public init(id: String, action: String, payload: JSONObject) {
        self.id = id
        self.action = action
        self.payload = payload
    }
}

/// `[3,"<MessageId>",{<Payload>}]` (OCPP-J 1.6 §4.2.2, 2.0.1 §4.2.2).
public struct RPCCallResult: Sendable, Hashable {
    public var id: String
    public var payload: JSONObject

    public init(id: String, payload: JSONObject) {
        self.id = id
        self.payload = payload
    }
}

/// `[4,"<MessageId>","<errorCode>","<errorDescription>",{<errorDetails>}]` (OCPP-J 1.6 §4.2.3, 2.0.1 §4.2.3).
public struct RPCCallError: Sendable, Hashable {
    public var id: String
    public var code: RPCErrorCode
    public var description: String
    public var details: JSONObject

    public init(id: String, code: RPCErrorCode, description: String, details: JSONObject = [:]) {
        self.id = id
        self.code = code
        self.description = description
        self.details = details
    }
}

/// One OCPP-J RPC message, valid for both OCPP 1.6J and 2.0.1.
public enum RPCFrame: Sendable, Hashable {
    case call(RPCCall)
    case callResult(RPCCallResult)
    case callError(RPCCallError)

    /// The longest message id: `string[36]` "to allow for UUIDs/GUIDs" (OCPP-J 1.6 §4.1.4 Table 3,
    /// 2.0.1 §4.1.4 Table 4).
    public static let maxMessageIDLength = 36
    /// OCPP-J 2.0.1 §4.2.3 Table 7: ErrorDescription is `string[255]`.
    public static let maxErrorDescriptionLength201 = 255
    /// The message id to answer with when the received one cannot be read (OCPP-J 2.0.1 §4.2.3).
    public static let unreadableMessageID = "-1"

    public var messageID: String {
        switch self {
        case .call(let call): call.id
        case .callResult(let result): result.id
        case .callError(let error): error.id
        }
    }

    public var messageType: RPCMessageType {
        switch self {
        case .call: .call
        case .callResult: .callResult
        case .callError: .callError
        }
    }

    /// The exact bytes of this frame on a `version` connection (error code spelling and, for
    /// 2.0.1, the 255-character description limit depend on it).
    public func encoded(version: OCPPVersion) -> [UInt8] {
        switch self {
        case .call(let call): RPCFrame.call(id: call.id, action: call.action, payload: call.payload)
        case .callResult(let result): RPCFrame.result(id: result.id, payload: result.payload)
        case .callError(let error):
            RPCFrame.error(
                id: error.id, code: error.code, description: error.description, details: error.details,
                version: version)
        }
    }

    // MARK: Encoding

    /// `[2,"id","Action",{payload}]`, compact.
    public static func call(id: String, action: String, payload: JSONObject) -> [UInt8] {
        JSONValue.array([.integer(2), .string(id), .string(action), .object(payload)]).serialized()
    }

    /// `[3,"id",{payload}]`, compact.
    public static func result(id: String, payload: JSONObject) -> [UInt8] {
        JSONValue.array([.integer(3), .string(id), .object(payload)]).serialized()
    }

    /// `[4,"id","ErrorCode","description",{details}]`, compact, with the code spelled for `version`.
    /// On 2.0.1 the description is cut to 255 Unicode scalars (OCPP-J 2.0.1 §4.2.3 Table 7);
    /// OCPP-J 1.6 Table 6 sets no limit.
    public static func error(
        id: String, code: RPCErrorCode, description: String, details: JSONObject = [:], version: OCPPVersion
    ) -> [UInt8] {
        var text = description
        if version == .ocpp201, text.unicodeScalars.count > maxErrorDescriptionLength201 {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.prefix(maxErrorDescriptionLength201))
            text = String(scalars)
        }
        return JSONValue.array([
            .integer(4), .string(id), .string(code.wireName(for: version)), .string(text), .object(details),
        ]).serialized()
    }
}

// MARK: - Decoding

/// Why a received message is not a usable OCPP-J frame, and how to answer it.
public struct RPCFrameError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidJSON, depthLimitExceeded, notAnRPCArray, invalidMessageTypeID, unknownMessageType
            case invalidMessageID, wrongElementCount, invalidAction, payloadNotObject, invalidErrorFields
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not JSON at all (syntax, encoding, trailing data, duplicate keys).
        public static let invalidJSON = Kind(.invalidJSON)
        /// JSON nested deeper than the configured limit.
        public static let depthLimitExceeded = Kind(.depthLimitExceeded)
        /// Valid JSON, but not a non-empty array.
        public static let notAnRPCArray = Kind(.notAnRPCArray)
        /// The first element is not an integer.
        public static let invalidMessageTypeID = Kind(.invalidMessageTypeID)
        /// An integer message type other than 2, 3 or 4.
        public static let unknownMessageType = Kind(.unknownMessageType)
        /// The message id is missing, not a string or longer than 36 characters.
        public static let invalidMessageID = Kind(.invalidMessageID)
        /// Too few or too many elements for the message type.
        public static let wrongElementCount = Kind(.wrongElementCount)
        /// The Action of a CALL is not a non-empty string.
        public static let invalidAction = Kind(.invalidAction)
        /// The payload (or CALLERROR details) is not a JSON object; an empty payload is `{}`.
        public static let payloadNotObject = Kind(.payloadNotObject)
        /// A CALLERROR whose error code or description is not a string.
        public static let invalidErrorFields = Kind(.invalidErrorFields)

        public var description: String { base.rawValue }
    }

    /// What the receiver should do about the bad message.
    public enum Answer: Sendable, Hashable {
        /// Send a CALLERROR with this code and ``RPCFrameError/messageID``.
        case callError(RPCErrorCode)
        /// Send nothing: an unknown message type on 1.6 (OCPP-J 1.6 §4.1.3 "SHALL ignore"), or a
        /// broken CALLRESULT/CALLERROR (answering a response would create a response to a CALL the
        /// peer never made, and two strict peers could then bounce errors forever).
        case ignore
    }

    public let kind: Kind
    /// The received message id, or "-1" when it could not be read (OCPP-J 2.0.1 §4.2.3).
    public let messageID: String
    /// The received message type number, when it was an integer.
    public let messageTypeID: Int64?
    public let answer: Answer
    public let version: OCPPVersion
    /// Human-readable cause; never contains the raw input (OCPP-J 2.0.1 §4.2.3).
    public let reason: String

    /// The code to answer with, or nil when the message is to be ignored.
    public var errorCode: RPCErrorCode? {
        if case .callError(let code) = answer { return code }
        return nil
    }

    /// The CALLERROR to send back, or nil when the message is to be ignored.
    public func callErrorFrame() -> [UInt8]? {
        guard let errorCode else { return nil }
        return RPCFrame.error(id: messageID, code: errorCode, description: reason, version: version)
    }

    public var description: String {
        "\(kind) (message id \(messageID)): \(reason)"
    }
}

extension RPCFrame {
    /// Decodes one WebSocket text message.
    ///
    /// Error codes chosen (spelled per `version` by ``RPCErrorCode/wireName(for:)``):
    /// - not JSON, or nested deeper than `maxDepth` → `formatViolation`, id "-1";
    /// - valid JSON that is not an OCPP-J RPC array, a message type that is not an integer, an
    ///   unreadable id, a wrong element count or a bad Action → `rpcFrameworkError`
    ///   (2.0.1 `RpcFrameworkError`; 1.6 has no such code and gets `FormationViolation`,
    ///   which 1.6 Table 7 defines as "not conform the PDU structure");
    /// - a payload or error details that is not an object → `formatViolation`;
    /// - an unknown message type: 1.6 → ``RPCFrameError/Answer/ignore`` (1.6 §4.1.3); 2.0.1 →
    ///   `MessageTypeNotSupported` (2.0.1 §4.4) when the id is readable, otherwise ignored,
    ///   because §4.1.3 "SHALL ignore" is the base rule and an answer to "-1" tells the peer nothing;
    /// - any problem in a CALLRESULT or CALLERROR → ignored (see ``RPCFrameError/Answer/ignore``).
    public static func decode(
        _ bytes: [UInt8], version: OCPPVersion, maxDepth: Int = JSONValue.defaultMaxDepth
    ) -> Result<RPCFrame, RPCFrameError> {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes, maxDepth: maxDepth)
        } catch {
            let kind: RPCFrameError.Kind = error.code == .depthLimitExceeded ? .depthLimitExceeded : .invalidJSON
            return .failure(
                RPCFrameError(
                    kind: kind, messageID: unreadableMessageID, messageTypeID: nil,
                    answer: .callError(.formatViolation), version: version, reason: "invalid JSON: \(error)"))
        }
        return decode(json, version: version)
    }

    /// Decodes an already parsed message; see ``decode(_:version:maxDepth:)``.
    public static func decode(_ json: JSONValue, version: OCPPVersion) -> Result<RPCFrame, RPCFrameError> {
        guard case .array(let elements) = json, !elements.isEmpty else {
            return .failure(
                RPCFrameError(
                    kind: .notAnRPCArray, messageID: unreadableMessageID, messageTypeID: nil,
                    answer: .callError(.rpcFrameworkError), version: version,
                    reason: "message is not an OCPP-J RPC array [MessageTypeId, MessageId, ...]"))
        }
        let readableID: String? = {
            guard elements.count >= 2, case .string(let id) = elements[1],
                id.unicodeScalars.count <= maxMessageIDLength
            else { return nil }
            return id
        }()

        func failure(
            _ kind: RPCFrameError.Kind, _ code: RPCErrorCode?, _ reason: String, typeID: Int64?
        ) -> Result<RPCFrame, RPCFrameError> {
            // OCPP-J 2.0.1 §4.2.3: CALLERRORs only answer CALLs; see RPCFrameError.Answer.ignore.
            let isResponse = typeID == 3 || typeID == 4
            let answer: RPCFrameError.Answer = isResponse ? .ignore : code.map { .callError($0) } ?? .ignore
            return .failure(
                RPCFrameError(
                    kind: kind, messageID: readableID ?? unreadableMessageID, messageTypeID: typeID, answer: answer,
                    version: version, reason: reason))
        }

        guard case .integer(let typeID) = elements[0] else {
            return failure(
                .invalidMessageTypeID, .rpcFrameworkError, "MessageTypeId is not an integer", typeID: nil)
        }
        guard let type = RPCMessageType(rawValue: Int(clamping: typeID)) else {
            let code: RPCErrorCode? = version == .ocpp201 && readableID != nil ? .messageTypeNotSupported : nil
            return failure(.unknownMessageType, code, "unknown MessageTypeId \(typeID)", typeID: typeID)
        }
        guard let id = readableID else {
            return failure(
                .invalidMessageID, .rpcFrameworkError,
                "MessageId is missing, not a string or longer than \(maxMessageIDLength) characters", typeID: typeID)
        }
        let expectedCount: Int
        switch type {
        case .call: expectedCount = 4
        case .callResult: expectedCount = 3
        case .callError: expectedCount = 5
        }
        guard elements.count == expectedCount else {
            return failure(
                .wrongElementCount, .rpcFrameworkError,
                "message type \(typeID) needs \(expectedCount) elements, got \(elements.count)", typeID: typeID)
        }

        switch type {
        case .call:
            guard case .string(let action) = elements[2], !action.isEmpty else {
                return failure(.invalidAction, .rpcFrameworkError, "Action is not a non-empty string", typeID: typeID)
            }
            guard case .object(let payload) = elements[3] else {
                return failure(
                    .payloadNotObject, .formatViolation, "payload is not a JSON object (empty payload is {})",
                    typeID: typeID)
            }
            return .success(.call(RPCCall(id: id, action: action, payload: payload)))
        case .callResult:
            guard case .object(let payload) = elements[2] else {
                return failure(
                    .payloadNotObject, .formatViolation, "payload is not a JSON object (empty payload is {})",
                    typeID: typeID)
            }
            return .success(.callResult(RPCCallResult(id: id, payload: payload)))
        case .callError:
            guard case .string(let code) = elements[2], case .string(let description) = elements[3] else {
                return failure(
                    .invalidErrorFields, .formatViolation, "ErrorCode and ErrorDescription must be strings",
                    typeID: typeID)
            }
            guard case .object(let details) = elements[4] else {
                return failure(
                    .payloadNotObject, .formatViolation, "ErrorDetails is not a JSON object (none is {})",
                    typeID: typeID)
            }
            return .success(
                .callError(
                    RPCCallError(id: id, code: RPCErrorCode(wireName: code), description: description, details: details)
                ))
        }
    }
}
