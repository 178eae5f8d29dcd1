// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Postgres
import Redis

extension PostgresChargingStore {
    /// The Redis hash with a station's live connector statuses: field `<evse>/<connector>`, value
    /// the JSON of ``ConnectorStatus``. Under the tenant's key prefix `t:<slug>:`.
    public func liveStatusKey(identity: String) -> String { "t:\(tenantSlug):status:\(identity)" }

    /// Stores the status durably and, when it is not older than the stored one, publishes it as live
    /// state in Redis.
    ///
    /// - EVSE ≥ 1 and connector ≥ 1 (1.6 connector n arrives as EVSE n, connector 1): the connector
    ///   row, created with its EVSE on first sight.
    /// - EVSE 0 (1.6 connector 0, the whole station): the station row's `status` columns.
    /// - Anything else (an EVSE without a connector number): live state only.
    ///
    /// A status older than the stored one (an offline queue delivered late, OCPP 1.6 §3.7) is kept
    /// out of both, so the newest status wins. A Redis failure is logged and does not fail the
    /// call: PostgreSQL is the record, Redis a cache (the next status repairs it).
    public func recordStatus(station: Int64, identity: String, status: ConnectorStatus) async throws {
        let newest: Bool
        if status.evseId >= 1 && status.connectorId >= 1 {
            let result = try await postgres.query(
                """
                WITH e AS (
                    INSERT INTO csms.evses (station_id, evse_id) VALUES (\(station), \(status.evseId))
                    ON CONFLICT (tenant_id, station_id, evse_id) DO UPDATE SET evse_id = EXCLUDED.evse_id
                    RETURNING id
                )
                INSERT INTO csms.connectors AS c (evse_pk, connector_id, status, status_at, error_code, status_info,
                    vendor_error_code)
                SELECT e.id, \(status.connectorId)::integer, \(status.status)::text, \(status.timestamp)::timestamptz,
                    \(status.errorCode)::text, \(status.info)::text, \(status.vendorErrorCode)::text
                FROM e
                ON CONFLICT (tenant_id, evse_pk, connector_id) DO UPDATE SET status = EXCLUDED.status,
                    status_at = EXCLUDED.status_at, error_code = EXCLUDED.error_code,
                    status_info = EXCLUDED.status_info, vendor_error_code = EXCLUDED.vendor_error_code
                WHERE c.status_at IS NULL OR c.status_at <= EXCLUDED.status_at
                RETURNING c.id
                """)
            newest = !result.isEmpty
        } else if status.evseId == 0 {
            let result = try await postgres.query(
                """
                UPDATE csms.stations SET status = \(status.status), status_at = \(status.timestamp)::timestamptz,
                    status_error_code = \(status.errorCode)
                WHERE id = \(station) AND (status_at IS NULL OR status_at <= \(status.timestamp)::timestamptz)
                RETURNING id
                """)
            newest = !result.isEmpty
        } else {
            newest = true
        }
        guard newest else {
            logger.debug(
                "status older than the stored one; not applied",
                metadata: ["station.id": "\(identity)", "evse.id": "\(status.evseId)"])
            return
        }
        do {
            let json = try Self.statusEncoder().encode(status)
            _ = try await redis.command([
                Array("HSET".utf8), Array(liveStatusKey(identity: identity).utf8),
                Array("\(status.evseId)/\(status.connectorId)".utf8), Array(json),
            ])
        } catch {
            logger.warning(
                "live status not written to Redis; the stored status is current",
                metadata: ["station.id": "\(identity)", "error": "\(error)"])
        }
    }

    public func liveStatuses(identity: String) async throws -> [ConnectorStatus] {
        let reply = try await redis.command(["HGETALL", liveStatusKey(identity: identity)])
        guard let items = reply.array else { return [] }
        let decoder = Self.statusDecoder()
        var statuses: [ConnectorStatus] = []
        var i = 1
        while i < items.count {
            if let bytes = items[i].bytes {
                do {
                    statuses.append(try decoder.decode(ConnectorStatus.self, from: Data(bytes)))
                } catch {
                    logger.warning(
                        "unreadable live status in Redis skipped", metadata: ["station.id": "\(identity)"])
                }
            }
            i += 2
        }
        return statuses.sorted { ($0.evseId, $0.connectorId) < ($1.evseId, $1.connectorId) }
    }

    /// Forgets a station's live statuses (for example when its connection closes and its state is
    /// no longer known).
    public func clearLiveStatuses(identity: String) async throws {
        try await redis.del([liveStatusKey(identity: identity)])
    }

    /// Dates as ISO 8601 text in UTC with microseconds (`2026-03-01T12:00:00.123456Z`), the
    /// precision PostgreSQL keeps, computed from the rounded microsecond count (Foundation's
    /// fractional-seconds format truncates to milliseconds, which moves a time back by 1 ms).
    static func statusEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(isoMicroseconds(date))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func isoMicroseconds(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            seconds -= 1
            fraction += 1_000_000
        }
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    static func statusDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseISO(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(text) is not an ISO 8601 UTC date")
            }
            return date
        }
        return decoder
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f...]Z`.
    static func parseISO(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        let body = text.dropLast()
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = try? Date.ISO8601FormatStyle().parse(parts[0] + "Z") else { return nil }
        guard parts.count == 2 else { return whole }
        let digits = parts[1]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }), let value = Int(digits)
        else {
            return nil
        }
        var scale = 1.0
        for _ in 0..<digits.count { scale *= 10 }
        return Date(timeIntervalSince1970: whole.timeIntervalSince1970 + Double(value) / scale)
    }
}
