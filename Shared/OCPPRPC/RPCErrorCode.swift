// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The OCPP-J dialect of one WebSocket connection; raw values are the IANA-registered
/// WebSocket sub-protocol names (OCPP-J 1.6 §3.1.2, OCPP-J 2.0.1 §3.1.2 Table 1).
public enum OCPPVersion: String, Sendable, Hashable, CaseIterable {
    case ocpp16 = "ocpp1.6"
    case ocpp201 = "ocpp2.0.1"
}

/// A CALLERROR error code by meaning, independent of how a protocol version spells it.
///
/// OCPP-J 1.6 Table 7 spells two codes differently from OCPP-J 2.0.1 §4.3 Table 8
/// (`FormationViolation`/`FormatViolation`, `OccurenceConstraintViolation`/
/// `OccurrenceConstraintViolation`) and lacks `MessageTypeNotSupported` and `RpcFrameworkError`.
/// ``wireName(for:)`` gives the spelling to send; ``init(wireName:)`` accepts either spelling.
/// A code that neither version defines is kept verbatim so a peer's CALLERROR is never lost.
public struct RPCErrorCode: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case formatViolation, occurrenceConstraintViolation, propertyConstraintViolation
        case typeConstraintViolation, protocolError, notImplemented, notSupported, securityError
        case internalError, genericError, messageTypeNotSupported, rpcFrameworkError
        case unrecognized(String)
    }
    private let base: Base
    private init(_ base: Base) { self.base = base }

    public static let formatViolation = RPCErrorCode(.formatViolation)
    public static let occurrenceConstraintViolation = RPCErrorCode(.occurrenceConstraintViolation)
    public static let propertyConstraintViolation = RPCErrorCode(.propertyConstraintViolation)
    public static let typeConstraintViolation = RPCErrorCode(.typeConstraintViolation)
    public static let protocolError = RPCErrorCode(.protocolError)
    public static let notImplemented = RPCErrorCode(.notImplemented)
    public static let notSupported = RPCErrorCode(.notSupported)
    public static let securityError = RPCErrorCode(.securityError)
    public static let internalError = RPCErrorCode(.internalError)
    public static let genericError = RPCErrorCode(.genericError)
    /// OCPP-J 2.0.1 only (§4.3); deprecated again by OCPP 2.1 errata.
    public static let messageTypeNotSupported = RPCErrorCode(.messageTypeNotSupported)
    /// OCPP-J 2.0.1 only (§4.3): "not a valid RPC Request, for example: MessageId could not be read".
    public static let rpcFrameworkError = RPCErrorCode(.rpcFrameworkError)

    /// Reads a received error code; both the 1.6 and the 2.0.1 spellings are accepted.
    public init(wireName: String) {
        switch wireName {
        case "FormationViolation", "FormatViolation": self = .formatViolation
        case "OccurenceConstraintViolation", "OccurrenceConstraintViolation": self = .occurrenceConstraintViolation
        case "PropertyConstraintViolation": self = .propertyConstraintViolation
        case "TypeConstraintViolation": self = .typeConstraintViolation
        case "ProtocolError": self = .protocolError
        case "NotImplemented": self = .notImplemented
        case "NotSupported": self = .notSupported
        case "SecurityError": self = .securityError
        case "InternalError": self = .internalError
        case "GenericError": self = .genericError
        case "MessageTypeNotSupported": self = .messageTypeNotSupported
        case "RpcFrameworkError": self = .rpcFrameworkError
        default: self.init(.unrecognized(wireName))
        }
    }

    /// False for a code that neither OCPP-J 1.6 nor 2.0.1 defines.
    public var isRecognized: Bool {
        if case .unrecognized = base { return false }
        return true
    }

    /// The spelling to put on the wire for `version`.
    ///
    /// OCPP-J 1.6 has no `RpcFrameworkError`: it becomes `FormationViolation`, whose 1.6
    /// definition (Table 7) covers a message that does "not conform the PDU structure".
    /// OCPP-J 1.6 has no `MessageTypeNotSupported` either (1.6 §4.1.3 says to ignore unknown
    /// message types, so the decoder never asks for it): it becomes the catch-all `GenericError`.
    public func wireName(for version: OCPPVersion) -> String {
        switch (base, version) {
        case (.formatViolation, .ocpp16): "FormationViolation"
        case (.formatViolation, .ocpp201): "FormatViolation"
        case (.occurrenceConstraintViolation, .ocpp16): "OccurenceConstraintViolation"
        case (.occurrenceConstraintViolation, .ocpp201): "OccurrenceConstraintViolation"
        case (.propertyConstraintViolation, _): "PropertyConstraintViolation"
        case (.typeConstraintViolation, _): "TypeConstraintViolation"
        case (.protocolError, _): "ProtocolError"
        case (.notImplemented, _): "NotImplemented"
        case (.notSupported, _): "NotSupported"
        case (.securityError, _): "SecurityError"
        case (.internalError, _): "InternalError"
        case (.genericError, _): "GenericError"
        case (.messageTypeNotSupported, .ocpp16): "GenericError"
        case (.messageTypeNotSupported, .ocpp201): "MessageTypeNotSupported"
        case (.rpcFrameworkError, .ocpp16): "FormationViolation"
        case (.rpcFrameworkError, .ocpp201): "RpcFrameworkError"
        case (.unrecognized(let name), _): name
        }
    }

    public var description: String { wireName(for: .ocpp201) }
}
