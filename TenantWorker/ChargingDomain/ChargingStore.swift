// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

/// Every durable charging operation the protocol handlers and the REST API need, with the business
/// rules applied once for every protocol version. The PostgreSQL implementation
/// (``PostgresChargingStore``) runs as the tenant's own database role, so row-level security scopes
/// every statement to the tenant.
///
/// Rules that hold for every implementation:
/// - Transaction-related writes are committed before the method returns, so the CALLRESULT a
///   handler sends afterwards acknowledges stored data (OCPP 1.6 §3.7: the station may then drop it).
/// - Nothing that a station reports is refused for being late, out of order or unknown: it is
///   stored (an unknown 1.6 transaction becomes an orphan record), never lost.
/// - Resends are idempotent: a repeated StartTransaction returns the first transaction id, a
///   repeated TransactionEvent (station, transactionId, seqNo) writes nothing.
public protocol ChargingStore: Sendable {
    // MARK: Stations

    func station(identity: String) async throws -> StationRecord?

    /// Creates a station row in `pending` for an unknown identity that connected (tenant policy
    /// `unknown_stations: pending`), storing the hash of the password it presented, if any. Returns
    /// the existing row when another connection created it first.
    func registerPendingStation(identity: String, passwordHash: String?) async throws -> StationRecord

    /// Creates or updates a station through the REST API.
    func upsertStation(
        identity: String, registrationStatus: RegistrationStatus, passwordHash: String?
    )
        async throws -> StationRecord

    func listStations(limit: Int) async throws -> [StationRecord]

    /// Records a BootNotification (vendor, model, firmware, boot time, protocol version) and returns
    /// the station's registration status, which becomes the answer's `status`.
    func recordBoot(station: Int64, info: BootInfo, at: Date) async throws -> RegistrationStatus

    /// Sets `last_seen_at` (Heartbeat and any other message; implementations may coalesce writes).
    func touch(station: Int64, at: Date) async throws

    // MARK: Status

    /// Stores the connector's last status durably (creating the EVSE and connector rows on first
    /// sight) and publishes it as live state.
    func recordStatus(station: Int64, identity: String, status: ConnectorStatus) async throws

    /// Live connector statuses of a station (from Redis), for the REST API.
    func liveStatuses(identity: String) async throws -> [ConnectorStatus]

    // MARK: Authorization

    /// Checks a token: unknown → `.unknown`; status blocked/expired/invalid, or `expires_at` in the
    /// past → that status; otherwise `.accepted` with its expiry and parent token. Authorize never
    /// answers `.concurrentTx`: a driver presents the same card again to stop; the start-time rule
    /// is in ``startTransaction(station:start:)``.
    func authorize(token: String, type: String?, at: Date) async throws -> AuthorizationResult

    // MARK: Transactions (OCPP 1.6)

    /// Stores a StartTransaction and returns the transaction id. A resend (same station, connector,
    /// token, start time and meter start) returns the first id with `duplicate: true`. The token is
    /// checked (the station may have authorized it offline): Blocked/Expired/Invalid and
    /// ConcurrentTx (the token has another active transaction) are reported in the outcome, and the
    /// transaction is stored regardless (OCPP 1.6 §4.8: never refuse to answer).
    func startTransaction(station: Int64, start: TransactionStart) async throws -> TransactionStartOutcome

    /// Completes a transaction with its meter stop, reason and `transactionData`. An unknown
    /// transaction id is stored as an `orphan` transaction for reconciliation, never refused
    /// (OCPP 1.6 §4.10). A second stop of a completed transaction changes nothing.
    func stopTransaction(station: Int64, stop: TransactionStop) async throws -> TransactionStopOutcome

    // MARK: Transactions (OCPP 2.0.1)

    /// Applies a TransactionEvent: Started/Updated/Ended create, update and complete the
    /// transaction (an Updated or Ended for an unknown transaction id creates it: the Started may
    /// have been lost). Duplicates (station, transactionId, seqNo) are answered without a write;
    /// offline flag and seqNo gaps are recorded.
    func recordTransactionEvent(station: Int64, event: TransactionEvent) async throws -> TransactionEventOutcome

    // MARK: Meter values

    /// Stores samples. `transactionRemoteId` is the station's transaction id (1.6: decimal text of
    /// the id this CSMS assigned; 2.0.1: `transactionId`); an unknown one stores the samples without
    /// a transaction link rather than dropping them.
    func recordMeterValues(
        station: Int64, evseId: Int?, transactionRemoteId: String?, samples: [MeterSample])
        async throws

    // MARK: Device model, events

    /// Upserts reported variables (NotifyReport, GetVariables/GetConfiguration results).
    func recordVariables(station: Int64, variables: [StationVariable], at: Date) async throws

    func recordEvent(station: Int64, event: StationEvent) async throws

    // MARK: REST read side

    func transactions(filter: TransactionFilter) async throws -> [TransactionRecord]

    /// One transaction by its database id, with its meter values in time order.
    func transaction(pk: Int64) async throws -> (TransactionRecord, [MeterSample])?

    /// Creates or replaces a token (keyed by token and type).
    func upsertToken(_ token: TokenInput) async throws -> TokenRecord
}
