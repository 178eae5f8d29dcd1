// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation
import Postgres

extension PostgresChargingStore {
    // MARK: Device model, events

    /// All variables in one pipeline (one round trip, atomic). A repeated report updates the row
    /// (the key treats absent instance/EVSE/connector as equal); characteristics that a report does
    /// not carry (GetVariables has no mutability or data type) keep their stored values.
    public func recordVariables(station: Int64, variables: [StationVariable], at: Date) async throws {
        guard !variables.isEmpty else { return }
        let sql = """
            INSERT INTO csms.station_variables AS v (station_id, component, component_instance, evse_id,
                connector_id, variable, variable_instance, attribute_type, value, mutability, data_type, unit,
                updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT ON CONSTRAINT station_variables_key DO UPDATE SET value = EXCLUDED.value,
                mutability = coalesce(EXCLUDED.mutability, v.mutability),
                data_type = coalesce(EXCLUDED.data_type, v.data_type), unit = coalesce(EXCLUDED.unit, v.unit),
                updated_at = EXCLUDED.updated_at
            """
        let rows = variables.map { v in
            PGQuery(
                sql: sql,
                binds: [
                    station, v.component, v.componentInstance, v.evseId, v.connectorId, v.variable,
                    v.variableInstance, v.attributeType, v.value, v.mutability, v.dataType, v.unit, at,
                ]
            ).binds
        }
        try await postgres.insertBatch(sql: sql, rows: rows)
    }

    /// A station's stored variables, ordered by component, variable and attribute.
    public func variables(station: Int64) async throws -> [StationVariable] {
        let result = try await postgres.query(
            """
            SELECT component, component_instance, evse_id, connector_id, variable, variable_instance,
                attribute_type, value, mutability, data_type, unit
            FROM csms.station_variables WHERE station_id = \(station)
            ORDER BY component, component_instance NULLS FIRST, evse_id NULLS FIRST, connector_id NULLS FIRST,
                variable, variable_instance NULLS FIRST, attribute_type
            """)
        return try result.map { row in
            StationVariable(
                component: try row.decode(String.self, column: 0),
                componentInstance: try row.decode(String?.self, column: 1),
                evseId: try row.decode(Int?.self, column: 2), connectorId: try row.decode(Int?.self, column: 3),
                variable: try row.decode(String.self, column: 4),
                variableInstance: try row.decode(String?.self, column: 5),
                attributeType: try row.decode(String.self, column: 6), value: try row.decode(String?.self, column: 7),
                mutability: try row.decode(String?.self, column: 8), dataType: try row.decode(String?.self, column: 9),
                unit: try row.decode(String?.self, column: 10))
        }
    }

    /// The summary is cut to 1000 characters (it is a search aid; the payload is kept whole in
    /// the details), so an odd station cannot make the event fail to store.
    public func recordEvent(station: Int64, event: StationEvent) async throws {
        try await postgres.execute(
            """
            INSERT INTO csms.station_events (station_id, kind, occurred_at, summary, details)
            VALUES (\(station), \(event.kind), \(event.occurredAt)::timestamptz, \(event.summary.truncatedScalars(1000)),
                \(event.detailsJSON)::jsonb)
            """)
    }

    /// A station's events, newest first; `limit` is clamped to 1...1000.
    public func stationEvents(station: Int64, limit: Int = 100) async throws -> [StationEvent] {
        let result = try await postgres.query(
            """
            SELECT kind, occurred_at, summary, details::text FROM csms.station_events
            WHERE station_id = \(station) ORDER BY occurred_at DESC, id DESC LIMIT \(min(max(limit, 1), 1000))
            """)
        return try result.map { row in
            StationEvent(
                kind: try row.decode(String.self, column: 0), occurredAt: try row.decode(Date.self, column: 1),
                summary: try row.decode(String.self, column: 2), detailsJSON: try row.decode(String.self, column: 3))
        }
    }

    // MARK: REST read side

    static let transactionColumns = """
        t.id, s.identity, t.remote_id, t.evse_id, t.connector_id, t.id_token, t.status, t.started_at, t.stopped_at, \
        t.meter_start_wh::float8, t.meter_stop_wh::float8, t.stop_reason
        """

    static func decodeTransaction(_ row: PGRow) throws -> TransactionRecord {
        TransactionRecord(
            pk: try row.decode(Int64.self, column: 0), stationIdentity: try row.decode(String.self, column: 1),
            remoteId: try row.decode(String.self, column: 2), evseId: try row.decode(Int?.self, column: 3),
            connectorId: try row.decode(Int?.self, column: 4), idToken: try row.decode(String?.self, column: 5),
            status: try row.decode(String.self, column: 6), startedAt: try row.decode(Date?.self, column: 7),
            stoppedAt: try row.decode(Date?.self, column: 8), meterStartWh: try row.decode(Double?.self, column: 9),
            meterStopWh: try row.decode(Double?.self, column: 10), stopReason: try row.decode(String?.self, column: 11))
    }

    /// Newest first (by database id); `limit` is clamped to 1...1000.
    public func transactions(filter: TransactionFilter) async throws -> [TransactionRecord] {
        let limit = min(max(filter.limit, 1), 1000)
        let result = try await postgres.query(
            PGQuery(
                sql: """
                    SELECT \(Self.transactionColumns)
                    FROM csms.transactions t JOIN csms.stations s ON s.tenant_id = t.tenant_id AND s.id = t.station_id
                    WHERE ($1::text IS NULL OR s.identity = $1::text) AND ($2::text IS NULL OR t.status = $2::text)
                    ORDER BY t.id DESC LIMIT $3
                    """, binds: [filter.stationIdentity, filter.status, limit]))
        return try result.map(Self.decodeTransaction)
    }

    public func transaction(pk: Int64) async throws -> (TransactionRecord, [MeterSample])? {
        // Both statements in one pipeline: one round trip.
        let results = try await postgres.pipeline([
            PGQuery(
                sql: """
                    SELECT \(Self.transactionColumns)
                    FROM csms.transactions t JOIN csms.stations s ON s.tenant_id = t.tenant_id AND s.id = t.station_id
                    WHERE t.id = $1
                    """, binds: [pk]),
            """
            SELECT sampled_at, measurand, phase, unit, context, location, value FROM csms.meter_values
            WHERE transaction_id = \(pk)
            ORDER BY sampled_at, measurand, phase NULLS FIRST
            """,
        ])
        guard let row = results[0].first else { return nil }
        let samples = try results[1].map { row in
            MeterSample(
                sampledAt: try row.decode(Date.self, column: 0), measurand: try row.decode(String.self, column: 1),
                phase: try row.decode(String?.self, column: 2), unit: try row.decode(String?.self, column: 3),
                context: try row.decode(String?.self, column: 4), location: try row.decode(String?.self, column: 5),
                value: try row.decode(Double.self, column: 6))
        }
        return (try Self.decodeTransaction(row), samples)
    }
}
