// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Postgres

extension PostgresChargingStore {
    // MARK: OCPP 1.6 StartTransaction

    public func startTransaction(station: Int64, start: TransactionStart) async throws -> TransactionStartOutcome {
        let connector = start.connectorId
        let checkedAt = now()
        let outcome = try await postgres.transaction { conn -> TransactionStartOutcome in
            try await lockStation(conn, station)
            // OCPP 1.6 §3.7: a lost StartTransaction.conf makes the station send the same start
            // again. Same connector, idTag, start time and meter start (rounded like the column)
            // is the same transaction; the lock makes a concurrent resend wait for this check.
            let resent = try await conn.query(
                """
                SELECT id FROM csms.transactions
                WHERE station_id = \(station) AND evse_id = \(connector) AND id_token = \(start.idToken)
                  AND started_at = \(start.startedAt)::timestamptz
                  AND meter_start_wh = round(\(start.meterStartWh)::numeric, 3)
                ORDER BY id LIMIT 1
                """)
            let authorization = try await Self.lookUpToken(
                conn, token: start.idToken, type: nil, at: checkedAt,
                concurrency: .connector(station: station, evseID: connector))
            if let row = resent.first {
                return TransactionStartOutcome(
                    transactionId: try row.decode(Int64.self, column: 0), authorization: authorization,
                    duplicate: true)
            }
            // 1.6 connector n is EVSE n, connector 1. Connector 0 (not allowed for a transaction,
            // but never refused) has no EVSE row to link.
            var link: (evse: Int64, connector: Int64)? = nil
            if connector >= 1 {
                link = try await Self.ensureConnector(conn, station: station, evseID: connector, connectorID: 1)
            }
            // remote_id is left NULL: the insert trigger sets it to the new id's decimal text.
            let inserted = try await conn.query(
                """
                INSERT INTO csms.transactions (station_id, evse_pk, connector_pk, evse_id, connector_id, id_token,
                    status, started_at, meter_start_wh, reservation_id, authorization_status)
                VALUES (\(station), \(link?.evse), \(link?.connector), \(connector),
                    \(connector >= 1 ? 1 : nil), \(start.idToken), 'active', \(start.startedAt)::timestamptz,
                    \(start.meterStartWh), \(start.reservationId), \(authorization.status.rawValue))
                RETURNING id
                """)
            guard let row = inserted.first else {
                throw ChargingStoreError(.unexpected, "transaction insert returned no row")
            }
            return TransactionStartOutcome(
                transactionId: try row.decode(Int64.self, column: 0), authorization: authorization, duplicate: false)
        }
        logger.info(
            outcome.duplicate ? "StartTransaction resent; answered with the stored id" : "transaction started",
            metadata: [
                "station.pk": "\(station)", "transaction.id": "\(outcome.transactionId)",
                "auth.status": "\(outcome.authorization.status.rawValue)",
            ])
        return outcome
    }

    /// Creates the EVSE and connector rows on first sight and returns their keys.
    static func ensureConnector(
        _ conn: some SQLRunner, station: Int64, evseID: Int, connectorID: Int
    ) async throws
        -> (evse: Int64, connector: Int64)
    {
        // The no-op DO UPDATE makes RETURNING yield the existing row (a HOT update: no index
        // column changes); this runs once per transaction start, not per sample.
        let result = try await conn.query(
            """
            WITH e AS (
                INSERT INTO csms.evses (station_id, evse_id) VALUES (\(station), \(evseID))
                ON CONFLICT (tenant_id, station_id, evse_id) DO UPDATE SET evse_id = EXCLUDED.evse_id
                RETURNING id
            )
            INSERT INTO csms.connectors (evse_pk, connector_id) SELECT e.id, \(connectorID)::integer FROM e
            ON CONFLICT (tenant_id, evse_pk, connector_id) DO UPDATE SET connector_id = EXCLUDED.connector_id
            RETURNING evse_pk, id
            """)
        guard let row = result.first else { throw ChargingStoreError(.unexpected, "connector upsert returned no row") }
        return (try row.decode(Int64.self, column: 0), try row.decode(Int64.self, column: 1))
    }

    // MARK: OCPP 1.6 StopTransaction

    public func stopTransaction(station: Int64, stop: TransactionStop) async throws -> TransactionStopOutcome {
        let remoteID = String(stop.transactionId)
        let checkedAt = now()
        let outcome = try await postgres.transaction { conn -> TransactionStopOutcome in
            try await lockStation(conn, station)
            let authorization: AuthorizationResult? =
                if let token = stop.idToken {
                    try await Self.lookUpToken(conn, token: token, type: nil, at: checkedAt, concurrency: nil)
                } else {
                    nil
                }
            let found = try await conn.query(
                """
                SELECT id, status, stopped_at, meter_stop_wh::float8, evse_id FROM csms.transactions
                WHERE station_id = \(station) AND remote_id = \(remoteID)
                FOR UPDATE
                """)
            if let row = found.first {
                let pk = try row.decode(Int64.self, column: 0)
                switch try row.decode(String.self, column: 1) {
                case "active":
                    try await conn.execute(
                        """
                        UPDATE csms.transactions SET status = 'completed', stopped_at = \(stop.stoppedAt)::timestamptz,
                            meter_stop_wh = \(stop.meterStopWh), stop_reason = \(stop.reason),
                            stop_id_token = \(stop.idToken), updated_at = now()
                        WHERE id = \(pk)
                        """)
                    try await Self.insertSamples(
                        conn, station: station, transactionPK: pk, remoteID: nil,
                        evseID: try row.decode(Int?.self, column: 4), samples: stop.samples)
                    return TransactionStopOutcome(authorization: authorization, orphan: false, duplicate: false)
                case "orphan":
                    let sameStop =
                        try row.decode(Date?.self, column: 2).map { abs($0.timeIntervalSince(stop.stoppedAt)) < 0.001 }
                        ?? false
                    let sameMeter =
                        try row.decode(Double?.self, column: 3).map { abs($0 - stop.meterStopWh) < 0.001 } ?? false
                    if sameStop && sameMeter {
                        return TransactionStopOutcome(authorization: authorization, orphan: true, duplicate: true)
                    }
                    // Another unknown transaction with the same id (stations send -1 when the
                    // StartTransaction.conf never came): a second orphan, not a resend.
                    try await insertOrphan(conn, station: station, stop: stop, suffixed: true)
                    return TransactionStopOutcome(authorization: authorization, orphan: true, duplicate: false)
                default:
                    // Already completed: a resend of the stop (OCPP 1.6 §3.7); nothing changes.
                    return TransactionStopOutcome(authorization: authorization, orphan: false, duplicate: true)
                }
            }
            // OCPP 1.6 §4.10: the CSMS cannot prevent a transaction from stopping. An id this CSMS
            // does not know (for this station) is kept for reconciliation, never refused or guessed.
            try await insertOrphan(conn, station: station, stop: stop, suffixed: false)
            return TransactionStopOutcome(authorization: authorization, orphan: true, duplicate: false)
        }
        if outcome.orphan && !outcome.duplicate {
            logger.notice(
                "StopTransaction for an unknown transaction id; stored as an orphan",
                metadata: ["station.pk": "\(station)", "transaction.id": "\(stop.transactionId)"])
        } else if !outcome.duplicate {
            logger.info(
                "transaction stopped",
                metadata: ["station.pk": "\(station)", "transaction.id": "\(stop.transactionId)"])
        }
        return outcome
    }

    /// An `orphan` transaction for a stop of an unknown id: remote_id is the id's text, or
    /// `<id>~<own pk>` when an orphan with that id already exists.
    private func insertOrphan(_ conn: PGConnection, station: Int64, stop: TransactionStop, suffixed: Bool) async throws
    {
        let remoteID: String? = suffixed ? nil : String(stop.transactionId)
        let inserted = try await conn.query(
            """
            INSERT INTO csms.transactions (station_id, remote_id, id_token, status, stopped_at, meter_stop_wh,
                stop_reason, stop_id_token)
            VALUES (\(station), \(remoteID), \(stop.idToken), 'orphan', \(stop.stoppedAt)::timestamptz,
                \(stop.meterStopWh), \(stop.reason), \(stop.idToken))
            RETURNING id
            """)
        guard let row = inserted.first else { throw ChargingStoreError(.unexpected, "orphan insert returned no row") }
        let pk = try row.decode(Int64.self, column: 0)
        if suffixed {
            try await conn.execute(
                "UPDATE csms.transactions SET remote_id = \("\(stop.transactionId)~\(pk)") WHERE id = \(pk)")
        }
        try await Self.insertSamples(
            conn, station: station, transactionPK: pk, remoteID: nil, evseID: nil, samples: stop.samples)
    }

    // MARK: OCPP 2.0.1 TransactionEvent

    public func recordTransactionEvent(
        station: Int64, event: TransactionEvent
    ) async throws
        -> TransactionEventOutcome
    {
        // The token check is a separate round trip, only for the (few) events that carry a token;
        // the periodic Updated events with meter values are one statement.
        var authorization: AuthorizationResult? = nil
        if let token = event.idToken {
            authorization = try await Self.lookUpToken(
                postgres, token: token, type: event.idTokenType, at: now(),
                concurrency: event.kind == .ended ? nil : .transaction(station: station, remoteID: event.transactionId))
        }
        let query = Self.transactionEventQuery(station: station, event: event, authorization: authorization)
        let result = try await postgres.query(query)
        guard let row = result.first else {
            throw ChargingStoreError(.unexpected, "TransactionEvent statement returned no row")
        }
        let stored = try row.decode(Int64?.self, column: 1) != nil
        let missing = stored ? try row.decode([Int]?.self, column: 2) ?? [] : []
        if !stored {
            logger.debug(
                "TransactionEvent already stored; answered without a write",
                metadata: [
                    "station.pk": "\(station)", "transaction.remote_id": "\(event.transactionId)",
                    "transaction.seq_no": "\(event.seqNo)",
                ])
        } else if !missing.isEmpty {
            logger.notice(
                "TransactionEvent arrived with earlier seqNo values missing",
                metadata: [
                    "station.pk": "\(station)", "transaction.remote_id": "\(event.transactionId)",
                    "transaction.seq_no": "\(event.seqNo)", "transaction.missing_seq_nos": "\(missing)",
                ])
        }
        return TransactionEventOutcome(authorization: authorization, duplicate: !stored, missingSeqNos: missing)
    }

    /// One statement (one round trip, atomic) for a TransactionEvent:
    /// 1. `dup`: has (station, transactionId, seqNo) been stored? Then nothing below writes.
    /// 2. `tx`: insert the transaction or merge the event into it. Started sets start time and
    ///    meter start; Ended completes it with stop time, reason and meter stop; an Updated or
    ///    Ended for an unknown transaction creates it (the Started may have been lost). Values
    ///    already known are kept (a late Started does not undo an Ended).
    /// 3. `missing`: seqNo values between the transaction's Started (or 0) and this one that are
    ///    not stored, from the gaps between stored values (bounded: at most 100 per gap and 100
    ///    in all, whatever the numbers).
    /// 4. `ev`: the event row, ON CONFLICT DO NOTHING, so a duplicate handled at the same moment
    ///    by another connection is still stored once; `mv`: its samples, only with a new event.
    static func transactionEventQuery(
        station: Int64, event: TransactionEvent, authorization: AuthorizationResult?
    )
        -> PGQuery
    {
        let started = event.kind == .started
        let ended = event.kind == .ended
        let meterStart =
            started ? MeterSample.energyWh(in: event.samples, context: "Transaction.Begin", earliest: true) : nil
        let meterStop =
            ended ? MeterSample.energyWh(in: event.samples, context: "Transaction.End", earliest: false) : nil
        // 2.0.1 TransactionEventRequest: stoppedReason may only be omitted when it is "Local".
        let stopReason = ended ? (event.stoppedReason ?? "Local") : nil
        let columns = SampleColumns(event.samples)
        return PGQuery(
            sql: """
                WITH dup AS (
                    SELECT EXISTS (SELECT 1 FROM csms.transaction_events
                                   WHERE station_id = $1::bigint AND remote_id = $2::text AND seq_no = $3::integer)
                        AS seen
                ), link AS (
                    SELECT e.id AS evse_pk,
                           (SELECT c.id FROM csms.connectors c WHERE c.evse_pk = e.id AND c.connector_id = $10::integer)
                               AS connector_pk
                    FROM (SELECT 1) one
                    LEFT JOIN csms.evses e ON e.station_id = $1::bigint AND e.evse_id = $9::integer
                ), tx AS (
                    INSERT INTO csms.transactions AS t (station_id, remote_id, evse_pk, connector_pk, evse_id,
                        connector_id, id_token, id_token_type, status, started_at, meter_start_wh, stopped_at,
                        meter_stop_wh, stop_reason, stop_id_token, authorization_status, offline, charging_state,
                        last_seq_no)
                    SELECT $1::bigint, $2::text, link.evse_pk, link.connector_pk, $9::integer, $10::integer,
                        $11::text, $12::text, $13::text, $14::timestamptz, $15::numeric, $16::timestamptz,
                        $17::numeric, $18::text, $19::text, $20::text, $7::boolean, $8::text, $3::integer
                    FROM dup, link WHERE NOT dup.seen
                    ON CONFLICT (tenant_id, station_id, remote_id) DO UPDATE SET
                        evse_pk = coalesce(t.evse_pk, EXCLUDED.evse_pk),
                        connector_pk = coalesce(t.connector_pk, EXCLUDED.connector_pk),
                        evse_id = coalesce(t.evse_id, EXCLUDED.evse_id),
                        connector_id = coalesce(t.connector_id, EXCLUDED.connector_id),
                        id_token_type = CASE WHEN t.id_token IS NULL THEN EXCLUDED.id_token_type
                                             ELSE t.id_token_type END,
                        id_token = coalesce(t.id_token, EXCLUDED.id_token),
                        status = CASE WHEN EXCLUDED.status = 'completed' THEN 'completed' ELSE t.status END,
                        started_at = coalesce(t.started_at, EXCLUDED.started_at),
                        meter_start_wh = coalesce(t.meter_start_wh, EXCLUDED.meter_start_wh),
                        stopped_at = coalesce(EXCLUDED.stopped_at, t.stopped_at),
                        meter_stop_wh = coalesce(EXCLUDED.meter_stop_wh, t.meter_stop_wh),
                        stop_reason = coalesce(EXCLUDED.stop_reason, t.stop_reason),
                        stop_id_token = coalesce(EXCLUDED.stop_id_token, t.stop_id_token),
                        authorization_status = coalesce(EXCLUDED.authorization_status, t.authorization_status),
                        offline = t.offline OR EXCLUDED.offline,
                        charging_state = CASE WHEN t.last_seq_no IS NULL OR EXCLUDED.last_seq_no >= t.last_seq_no
                                              THEN coalesce(EXCLUDED.charging_state, t.charging_state)
                                              ELSE t.charging_state END,
                        last_seq_no = greatest(t.last_seq_no, EXCLUDED.last_seq_no),
                        updated_at = now()
                    RETURNING t.id, t.evse_id
                ), base AS (
                    SELECT CASE WHEN $4::text = 'Started' THEN $3::integer
                                ELSE coalesce((SELECT min(seq_no) FROM csms.transaction_events
                                               WHERE station_id = $1::bigint AND remote_id = $2::text
                                                 AND event_type = 'Started'), 0) END AS first_seq
                ), bounds AS (
                    SELECT e.seq_no FROM csms.transaction_events e, base
                    WHERE e.station_id = $1::bigint AND e.remote_id = $2::text
                      AND e.seq_no >= base.first_seq AND e.seq_no < $3::integer
                    UNION ALL SELECT base.first_seq - 1 FROM base
                    UNION ALL SELECT $3::integer
                ), gaps AS (
                    SELECT seq_no + 1 AS gap_first, lead(seq_no) OVER (ORDER BY seq_no) - 1 AS gap_last FROM bounds
                ), missing AS (
                    SELECT coalesce(array_agg(s.n ORDER BY s.n), '{}') AS seqs FROM (
                        SELECT n FROM gaps, generate_series(gaps.gap_first, least(gaps.gap_last, gaps.gap_first + 99)) n
                        WHERE gaps.gap_last >= gaps.gap_first
                        ORDER BY n LIMIT 100) s
                ), ev AS (
                    INSERT INTO csms.transaction_events (station_id, transaction_pk, remote_id, seq_no, event_type,
                        trigger_reason, offline, charging_state, evse_id, connector_id, id_token, id_token_type,
                        occurred_at, missing_seq_nos)
                    SELECT $1::bigint, tx.id, $2::text, $3::integer, $4::text, $6::text, $7::boolean, $8::text,
                        $9::integer, $10::integer, $11::text, $12::text, $5::timestamptz, missing.seqs
                    FROM tx, missing
                    ON CONFLICT (tenant_id, station_id, remote_id, seq_no) DO NOTHING
                    RETURNING transaction_pk, missing_seq_nos
                ), mv AS (
                    INSERT INTO csms.meter_values (station_id, transaction_id, evse_id, sampled_at, measurand, phase,
                        unit, context, location, value)
                    SELECT $1::bigint, ev.transaction_pk, coalesce($9::integer, tx.evse_id), to_timestamp(s.t), s.m,
                        s.p, s.u, s.c, s.l, s.v
                    FROM ev, tx,
                        unnest($21::float8[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[],
                               $27::float8[]) AS s(t, m, p, u, c, l, v)
                )
                SELECT (SELECT seen FROM dup), ev.transaction_pk, ev.missing_seq_nos
                FROM (SELECT 1) one LEFT JOIN ev ON true
                """,
            binds: [
                station, event.transactionId, event.seqNo, event.kind.rawValue, event.timestamp, event.triggerReason,
                event.offline, event.chargingState, event.evseId, event.connectorId, event.idToken,
                event.idToken == nil ? nil : event.idTokenType, ended ? "completed" : "active",
                started ? event.timestamp : nil, meterStart, ended ? event.timestamp : nil, meterStop, stopReason,
                ended ? event.idToken : nil, authorization?.status.rawValue, columns.sampledAt, columns.measurand,
                PGNullableTextArray(columns.phase), PGNullableTextArray(columns.unit),
                PGNullableTextArray(columns.context), PGNullableTextArray(columns.location), columns.value,
            ])
    }

    // MARK: Meter values

    public func recordMeterValues(
        station: Int64, evseId: Int?, transactionRemoteId: String?, samples: [MeterSample]
    )
        async throws
    {
        guard !samples.isEmpty else { return }
        try await Self.insertSamples(
            postgres, station: station, transactionPK: nil, remoteID: transactionRemoteId, evseID: evseId,
            samples: samples)
    }

    /// All samples in one `INSERT ... SELECT FROM unnest(...)`: one statement and one round trip
    /// whatever the number of samples. The transaction is `transactionPK`, or the one with
    /// `remoteID` on this station, or none (an unknown id keeps its samples unlinked rather than
    /// losing them).
    static func insertSamples(
        _ sql: some SQLRunner, station: Int64, transactionPK: Int64?, remoteID: String?, evseID: Int?,
        samples: [MeterSample]
    ) async throws {
        guard !samples.isEmpty else { return }
        let columns = SampleColumns(samples)
        _ = try await sql.query(
            PGQuery(
                sql: """
                    INSERT INTO csms.meter_values (station_id, transaction_id, evse_id, sampled_at, measurand, phase,
                        unit, context, location, value)
                    SELECT $1::bigint,
                        coalesce($2::bigint, (SELECT id FROM csms.transactions
                                              WHERE station_id = $1::bigint AND remote_id = $3::text)),
                        $4::integer, to_timestamp(s.t), s.m, s.p, s.u, s.c, s.l, s.v
                    FROM unnest($5::float8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                                $11::float8[]) AS s(t, m, p, u, c, l, v)
                    """,
                binds: [
                    station, transactionPK, remoteID, evseID, columns.sampledAt, columns.measurand,
                    PGNullableTextArray(columns.phase), PGNullableTextArray(columns.unit),
                    PGNullableTextArray(columns.context), PGNullableTextArray(columns.location), columns.value,
                ]))
    }
}
