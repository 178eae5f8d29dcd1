// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

// The version-neutral charging model. OCPP 1.6 and 2.0.1 handlers (and later OCPI) translate
// their wire messages into these types; business rules live once, behind ``ChargingStore``.

/// Whether the CSMS lets a station operate (OCPP BootNotification status).
public enum RegistrationStatus: String, Sendable, Hashable, Codable {
    case accepted, pending, rejected

    /// The OCPP wire spelling (`Accepted`, `Pending`, `Rejected`), the same in 1.6 and 2.0.1.
    public var wireName: String {
        switch self {
        case .accepted: "Accepted"
        case .pending: "Pending"
        case .rejected: "Rejected"
        }
    }
}

/// A charging station as stored.
public struct StationRecord: Sendable, Hashable {
    /// Database key (`csms.stations.id`).
    public var pk: Int64
    /// The identity from the connection URL.
    public var identity: String
    public var registrationStatus: RegistrationStatus
    /// PBKDF2 hash of the basic-auth password (``Credentials/PasswordHash``), nil if none is set.
    public var passwordHash: String?
    /// `ocpp1.6` or `ocpp2.0.1`, from the last connection.
    public var ocppVersion: String?
    public var vendor: String?
    public var model: String?
    public var serialNumber: String?
    public var firmwareVersion: String?
    public var lastBootAt: Date?
    public var lastSeenAt: Date?
    public var createdAt: Date

    public init(
        pk: Int64, identity: String, registrationStatus: RegistrationStatus, passwordHash: String? = nil,
        ocppVersion: String? = nil, vendor: String? = nil, model: String? = nil, serialNumber: String? = nil,
        firmwareVersion: String? = nil, lastBootAt: Date? = nil, lastSeenAt: Date? = nil, createdAt: Date
    ) {
        self.pk = pk
        self.identity = identity
        self.registrationStatus = registrationStatus
        self.passwordHash = passwordHash
        self.ocppVersion = ocppVersion
        self.vendor = vendor
        self.model = model
        self.serialNumber = serialNumber
        self.firmwareVersion = firmwareVersion
        self.lastBootAt = lastBootAt
        self.lastSeenAt = lastSeenAt
        self.createdAt = createdAt
    }
}

/// What a station says about itself in a BootNotification (1.6 flat fields; 2.0.1 `chargingStation`).
public struct BootInfo: Sendable, Hashable {
    public var ocppVersion: String
    public var vendor: String
    public var model: String
    public var serialNumber: String?
    public var firmwareVersion: String?
    public var iccid: String?
    public var imsi: String?
    /// 2.0.1 `reason` (PowerUp, Watchdog, ...); nil for 1.6.
    public var reason: String?

    public init(
        ocppVersion: String, vendor: String, model: String, serialNumber: String? = nil,
        firmwareVersion: String? = nil, iccid: String? = nil, imsi: String? = nil, reason: String? = nil
    ) {
        self.ocppVersion = ocppVersion
        self.vendor = vendor
        self.model = model
        self.serialNumber = serialNumber
        self.firmwareVersion = firmwareVersion
        self.iccid = iccid
        self.imsi = imsi
        self.reason = reason
    }
}

/// The outcome of checking an id token. Version-neutral superset: 1.6 maps ``unknown`` to `Invalid`
/// (1.6 has no `Unknown`), 2.0.1 sends every case as-is.
public enum AuthorizationStatus: String, Sendable, Hashable {
    case accepted = "Accepted"
    case blocked = "Blocked"
    case expired = "Expired"
    case invalid = "Invalid"
    case concurrentTx = "ConcurrentTx"
    /// Not in the tenant's token list.
    case unknown = "Unknown"

    /// The OCPP 1.6 `AuthorizationStatus` spelling.
    public var ocpp16: String { self == .unknown ? "Invalid" : rawValue }
}

public struct AuthorizationResult: Sendable, Hashable {
    public var status: AuthorizationStatus
    public var expiresAt: Date?
    /// 1.6 `parentIdTag` / 2.0.1 `groupIdToken.idToken`.
    public var parentToken: String?

    public init(status: AuthorizationStatus, expiresAt: Date? = nil, parentToken: String? = nil) {
        self.status = status
        self.expiresAt = expiresAt
        self.parentToken = parentToken
    }
}

/// One sampled value (OCPP `SampledValue`), with the sample time of its `MeterValue`.
public struct MeterSample: Sendable, Hashable {
    public var sampledAt: Date
    /// Default `Energy.Active.Import.Register` (the OCPP default when the field is omitted).
    public var measurand: String
    public var phase: String?
    public var unit: String?
    /// `Sample.Periodic`, `Transaction.Begin`, ... (OCPP `ReadingContext`).
    public var context: String?
    public var location: String?
    public var value: Double

    public init(
        sampledAt: Date, measurand: String = "Energy.Active.Import.Register", phase: String? = nil,
        unit: String? = nil, context: String? = nil, location: String? = nil, value: Double
    ) {
        self.sampledAt = sampledAt
        self.measurand = measurand
        self.phase = phase
        self.unit = unit
        self.context = context
        self.location = location
        self.value = value
    }
}

/// Connector status, version-neutral: 1.6 `ChargePointStatus` and 2.0.1 `ConnectorStatusEnumType`
/// are stored with their wire spelling (`Available`, `Charging`, `Occupied`, `Faulted`, ...).
public struct ConnectorStatus: Sendable, Hashable, Codable {
    /// 1-based EVSE id; 0 means the whole station (1.6 connector 0).
    public var evseId: Int
    /// 1-based connector id within the EVSE; 0 for the whole station.
    public var connectorId: Int
    public var status: String
    /// 1.6 `errorCode` (`NoError`, ...); nil for 2.0.1.
    public var errorCode: String?
    public var info: String?
    public var vendorErrorCode: String?
    public var timestamp: Date

    public init(
        evseId: Int, connectorId: Int, status: String, errorCode: String? = nil, info: String? = nil,
        vendorErrorCode: String? = nil, timestamp: Date
    ) {
        self.evseId = evseId
        self.connectorId = connectorId
        self.status = status
        self.errorCode = errorCode
        self.info = info
        self.vendorErrorCode = vendorErrorCode
        self.timestamp = timestamp
    }
}

/// OCPP 1.6 StartTransaction, as the domain sees it.
public struct TransactionStart: Sendable, Hashable {
    /// 1.6 connector n is EVSE n, connector 1.
    public var connectorId: Int
    public var idToken: String
    public var startedAt: Date
    public var meterStartWh: Double
    public var reservationId: Int?

    public init(connectorId: Int, idToken: String, startedAt: Date, meterStartWh: Double, reservationId: Int? = nil) {
        self.connectorId = connectorId
        self.idToken = idToken
        self.startedAt = startedAt
        self.meterStartWh = meterStartWh
        self.reservationId = reservationId
    }
}

public struct TransactionStartOutcome: Sendable, Hashable {
    /// The transaction id sent to the station (1.6 `transactionId`); the same for a resend.
    public var transactionId: Int64
    public var authorization: AuthorizationResult
    /// True when this StartTransaction repeated one already stored (same connector, token, start
    /// time and meter start) and no new row was written.
    public var duplicate: Bool

    public init(transactionId: Int64, authorization: AuthorizationResult, duplicate: Bool) {
        self.transactionId = transactionId
        self.authorization = authorization
        self.duplicate = duplicate
    }
}

/// OCPP 1.6 StopTransaction, as the domain sees it.
public struct TransactionStop: Sendable, Hashable {
    public var transactionId: Int64
    public var idToken: String?
    public var stoppedAt: Date
    public var meterStopWh: Double
    public var reason: String?
    /// `transactionData` samples.
    public var samples: [MeterSample]

    public init(
        transactionId: Int64, idToken: String?, stoppedAt: Date, meterStopWh: Double, reason: String?,
        samples: [MeterSample]
    ) {
        self.transactionId = transactionId
        self.idToken = idToken
        self.stoppedAt = stoppedAt
        self.meterStopWh = meterStopWh
        self.reason = reason
        self.samples = samples
    }
}

public struct TransactionStopOutcome: Sendable, Hashable {
    /// Nil when the stop carried no idTag.
    public var authorization: AuthorizationResult?
    /// The transaction was not known: an orphan record was stored for reconciliation.
    public var orphan: Bool
    /// This stop had already been applied (a resend); nothing changed.
    public var duplicate: Bool

    public init(authorization: AuthorizationResult?, orphan: Bool, duplicate: Bool) {
        self.authorization = authorization
        self.orphan = orphan
        self.duplicate = duplicate
    }
}

/// OCPP 2.0.1 TransactionEvent, as the domain sees it.
public struct TransactionEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case started = "Started"
        case updated = "Updated"
        case ended = "Ended"
    }

    public var kind: Kind
    /// `transactionInfo.transactionId`, chosen by the station (at most 36 characters).
    public var transactionId: String
    public var seqNo: Int
    public var timestamp: Date
    public var triggerReason: String
    public var offline: Bool
    /// `transactionInfo.chargingState`.
    public var chargingState: String?
    /// `transactionInfo.stoppedReason` (Ended).
    public var stoppedReason: String?
    public var evseId: Int?
    public var connectorId: Int?
    /// `idToken.idToken`, when present.
    public var idToken: String?
    /// `idToken.type`.
    public var idTokenType: String?
    public var samples: [MeterSample]

    public init(
        kind: Kind, transactionId: String, seqNo: Int, timestamp: Date, triggerReason: String, offline: Bool = false,
        chargingState: String? = nil, stoppedReason: String? = nil, evseId: Int? = nil, connectorId: Int? = nil,
        idToken: String? = nil, idTokenType: String? = nil, samples: [MeterSample] = []
    ) {
        self.kind = kind
        self.transactionId = transactionId
        self.seqNo = seqNo
        self.timestamp = timestamp
        self.triggerReason = triggerReason
        self.offline = offline
        self.chargingState = chargingState
        self.stoppedReason = stoppedReason
        self.evseId = evseId
        self.connectorId = connectorId
        self.idToken = idToken
        self.idTokenType = idTokenType
        self.samples = samples
    }
}

public struct TransactionEventOutcome: Sendable, Hashable {
    /// Set when the event carried an id token.
    public var authorization: AuthorizationResult?
    /// Same station, transaction id and seqNo already stored: answered, nothing written.
    public var duplicate: Bool
    /// seqNo values missing before this one (recorded with the event).
    public var missingSeqNos: [Int]

    public init(authorization: AuthorizationResult?, duplicate: Bool, missingSeqNos: [Int]) {
        self.authorization = authorization
        self.duplicate = duplicate
        self.missingSeqNos = missingSeqNos
    }
}

/// A device-model variable reported by a 2.0.1 station (NotifyReport) or a 1.6 configuration key
/// (component `OCPP16`, variable = key).
public struct StationVariable: Sendable, Hashable {
    public var component: String
    public var componentInstance: String?
    public var evseId: Int?
    public var connectorId: Int?
    public var variable: String
    public var variableInstance: String?
    /// `Actual`, `Target`, `MinSet`, `MaxSet`; `Actual` when omitted.
    public var attributeType: String
    public var value: String?
    /// `ReadOnly`, `WriteOnly`, `ReadWrite`.
    public var mutability: String?
    public var dataType: String?
    public var unit: String?

    public init(
        component: String, componentInstance: String? = nil, evseId: Int? = nil, connectorId: Int? = nil,
        variable: String, variableInstance: String? = nil, attributeType: String = "Actual", value: String?,
        mutability: String? = nil, dataType: String? = nil, unit: String? = nil
    ) {
        self.component = component
        self.componentInstance = componentInstance
        self.evseId = evseId
        self.connectorId = connectorId
        self.variable = variable
        self.variableInstance = variableInstance
        self.attributeType = attributeType
        self.value = value
        self.mutability = mutability
        self.dataType = dataType
        self.unit = unit
    }
}

/// Something a station reported that is kept for operators: firmware/diagnostics/log upload
/// progress, security events, device-model events, data transfers.
public struct StationEvent: Sendable, Hashable {
    /// The OCPP action it came from (`FirmwareStatusNotification`, `SecurityEventNotification`, ...).
    public var kind: String
    public var occurredAt: Date
    /// Short, searchable summary (a status, an event type).
    public var summary: String
    /// The payload as JSON text, kept whole.
    public var detailsJSON: String

    public init(kind: String, occurredAt: Date, summary: String, detailsJSON: String) {
        self.kind = kind
        self.occurredAt = occurredAt
        self.summary = summary
        self.detailsJSON = detailsJSON
    }
}

// MARK: - Read side (REST)

public struct TransactionRecord: Sendable, Hashable {
    public var pk: Int64
    public var stationIdentity: String
    /// The station's id for it: 1.6 the decimal transaction id, 2.0.1 `transactionId`.
    public var remoteId: String
    public var evseId: Int?
    public var connectorId: Int?
    public var idToken: String?
    /// `active`, `completed` or `orphan`.
    public var status: String
    public var startedAt: Date?
    public var stoppedAt: Date?
    public var meterStartWh: Double?
    public var meterStopWh: Double?
    public var stopReason: String?
    /// meterStop - meterStart when both are known.
    public var energyWh: Double? {
        guard let a = meterStartWh, let b = meterStopWh else { return nil }
        return b - a
    }

    public init(
        pk: Int64, stationIdentity: String, remoteId: String, evseId: Int?, connectorId: Int?, idToken: String?,
        status: String, startedAt: Date?, stoppedAt: Date?, meterStartWh: Double?, meterStopWh: Double?,
        stopReason: String?
    ) {
        self.pk = pk
        self.stationIdentity = stationIdentity
        self.remoteId = remoteId
        self.evseId = evseId
        self.connectorId = connectorId
        self.idToken = idToken
        self.status = status
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.meterStartWh = meterStartWh
        self.meterStopWh = meterStopWh
        self.stopReason = stopReason
    }
}

public struct TransactionFilter: Sendable, Hashable {
    public var stationIdentity: String?
    /// `active`, `completed`, `orphan`.
    public var status: String?
    public var limit: Int

    public init(stationIdentity: String? = nil, status: String? = nil, limit: Int = 100) {
        self.stationIdentity = stationIdentity
        self.status = status
        self.limit = limit
    }
}

/// A token to create or replace through the REST API.
public struct TokenInput: Sendable, Hashable {
    public var token: String
    /// OCPP 2.0.1 `IdTokenEnumType` spelling; `Central` for 1.6 idTags.
    public var type: String
    /// `accepted`, `blocked`, `expired`, `invalid`.
    public var status: String
    public var expiresAt: Date?
    public var parentToken: String?

    public init(
        token: String, type: String = "Central", status: String = "accepted", expiresAt: Date? = nil,
        parentToken: String? = nil
    ) {
        self.token = token
        self.type = type
        self.status = status
        self.expiresAt = expiresAt
        self.parentToken = parentToken
    }
}

public struct TokenRecord: Sendable, Hashable {
    public var token: String
    public var type: String
    public var status: String
    public var expiresAt: Date?
    public var parentToken: String?
    public var createdAt: Date

    public init(token: String, type: String, status: String, expiresAt: Date?, parentToken: String?, createdAt: Date) {
        self.token = token
        self.type = type
        self.status = status
        self.expiresAt = expiresAt
        self.parentToken = parentToken
        self.createdAt = createdAt
    }
}
