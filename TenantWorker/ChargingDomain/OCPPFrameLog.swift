// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation
public import Logging
public import Postgres
import Synchronization

/// The forensic log of every OCPP-J frame a tenant's worker receives and sends
/// (`csms.ocpp_frames`, one partition per UTC day).
///
/// ``append(identity:direction:connection:text:at:)`` only copies the frame into a bounded
/// in-memory buffer under a lock: it never waits for the database, so logging cannot slow a
/// station's connection. ``run()`` writes the buffer in batches (every `flushInterval`, or as soon
/// as `batchSize` frames are waiting; one round trip per batch), creates the coming days'
/// partitions, and deletes this tenant's frames older than the retention once an hour.
///
/// When PostgreSQL is unreachable the buffer fills up to `capacity`; after that the oldest frames
/// are dropped and counted (``Counters/dropped``) and a warning says how many: a forensic log must
/// never take the worker down or grow without bound.
public final class OCPPFrameLog: Sendable {
    public enum Direction: String, Sendable, Hashable {
        /// Station to CSMS.
        case incoming = "in"
        /// CSMS to station.
        case outgoing = "out"
    }

    public struct Settings: Sendable, Hashable {
        /// Frames older than this many days are deleted (tenant config `frame_log_retention_days`).
        public var retentionDays: Int
        public var flushInterval: Duration
        /// Frames per INSERT batch; a full batch is written without waiting for the interval.
        public var batchSize: Int
        /// Frames kept in memory while the database cannot take them; beyond it the oldest go.
        public var capacity: Int
        /// How often old frames are deleted.
        public var retentionInterval: Duration
        /// Rows per DELETE statement (short statements, so inserts never wait long).
        public var retentionBatchSize: Int
        /// Upper bound of DELETE statements per retention run; the rest waits for the next run.
        public var retentionMaxBatches: Int

        public init(
            retentionDays: Int, flushInterval: Duration = .milliseconds(200), batchSize: Int = 500,
            capacity: Int = 50_000, retentionInterval: Duration = .seconds(3600), retentionBatchSize: Int = 5000,
            retentionMaxBatches: Int = 200
        ) {
            self.retentionDays = retentionDays
            self.flushInterval = flushInterval
            self.batchSize = batchSize
            self.capacity = capacity
            self.retentionInterval = retentionInterval
            self.retentionBatchSize = retentionBatchSize
            self.retentionMaxBatches = retentionMaxBatches
        }
    }

    public struct Counters: Sendable, Hashable {
        /// Frames stored in PostgreSQL.
        public var written: Int
        /// Frames lost: pushed out of a full buffer, or in a batch the database refused as invalid.
        public var dropped: Int
        /// Frames waiting in memory.
        public var buffered: Int
        /// Batches that could not be written (the frames stayed buffered and were retried).
        public var failedFlushes: Int
        /// Frames deleted by retention.
        public var deleted: Int

        public init(written: Int, dropped: Int, buffered: Int, failedFlushes: Int, deleted: Int) {
            self.written = written
            self.dropped = dropped
            self.buffered = buffered
            self.failedFlushes = failedFlushes
            self.deleted = deleted
        }
    }

    struct Frame: Sendable {
        var at: Date
        var identity: String
        var direction: Direction
        var connection: UUID
        var text: String
    }

    /// A FIFO queue over an array with a moving head (dropping the oldest frame is O(1)).
    struct FrameQueue {
        private var storage: [Frame] = []
        private var head = 0

        var count: Int { storage.count - head }

        mutating func append(_ frame: Frame) { storage.append(frame) }

        mutating func removeFirst() {
            guard head < storage.count else { return }
            head += 1
            compact()
        }

        /// Takes up to `n` frames from the front.
        mutating func removeFirst(upTo n: Int) -> [Frame] {
            let end = head + min(max(n, 0), count)
            let taken = Array(storage[head..<end])
            head = end
            compact()
            return taken
        }

        /// Puts frames back at the front (a batch that could not be written).
        mutating func prepend(_ frames: [Frame]) {
            if frames.count <= head {
                storage.replaceSubrange((head - frames.count)..<head, with: frames)
                head -= frames.count
            } else {
                storage.replaceSubrange(0..<head, with: frames)
                head = 0
            }
        }

        private mutating func compact() {
            if head == storage.count {
                storage.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 4096 && head * 2 >= storage.count {
                storage.removeFirst(head)
                head = 0
            }
        }
    }

    struct State {
        var queue = FrameQueue()
        var written = 0
        var dropped = 0
        var droppedUnreported = 0
        var failedFlushes = 0
        var deleted = 0
        /// After a failed flush: no new attempt before this instant (doubling back-off).
        var retryAt: ContinuousClock.Instant? = nil
        var retryDelay: Duration = .zero
    }

    public let settings: Settings
    private let postgres: PGPool
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeStream: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(postgres: PGPool, settings: Settings, logger: Logger) {
        self.postgres = postgres
        self.settings = settings
        self.logger = logger
        (wakeStream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public convenience init(postgres: PGPool, retentionDays: Int, logger: Logger) {
        self.init(postgres: postgres, settings: Settings(retentionDays: retentionDays), logger: logger)
    }

    public var counters: Counters {
        state.withLock { s in
            Counters(
                written: s.written, dropped: s.dropped, buffered: s.queue.count, failedFlushes: s.failedFlushes,
                deleted: s.deleted)
        }
    }

    /// Buffers one frame; never blocks on I/O and never suspends. `identity` is whatever the
    /// connection URL said (unknown and rejected stations are logged too), cut to 255 characters.
    /// NUL characters, which PostgreSQL text cannot hold, become U+FFFD (a raw NUL is not valid in
    /// JSON anyway, so the frame stays recognisably invalid).
    public func append(identity: String, direction: Direction, connection: UUID, text: String, at: Date) {
        let text = text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
        let identity =
            identity.utf8.contains(0) ? identity.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : identity
        let batchSize = settings.batchSize
        let capacity = max(settings.capacity, 1)
        let full = state.withLock { s -> Bool in
            if s.queue.count >= capacity {
                s.queue.removeFirst()
                s.dropped += 1
                s.droppedUnreported += 1
            }
            s.queue.append(
                Frame(
                    at: at, identity: identity.truncatedScalars(255), direction: direction,
                    connection: connection, text: text))
            return s.queue.count == batchSize
        }
        if full { wake.yield() }
    }

    /// Writes buffered frames, ensures partitions and enforces retention until the task is
    /// cancelled; then makes one last attempt to write what is buffered. Call it once.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.flushLoop() }
            group.addTask { await self.maintenanceLoop() }
        }
        // The task is cancelled; a new unstructured task is not, so the last batch can still go out.
        await Task { await self.flushAvailable(final: true) }.value
    }

    private func flushLoop() async {
        let ticker = Task { [wake, interval = settings.flushInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        var lastDropReport = ContinuousClock.now
        // Ends when the task is cancelled (AsyncStream iteration finishes on cancellation).
        for await _ in wakeStream {
            await flushAvailable(final: false)
            if ContinuousClock.now - lastDropReport >= .seconds(10) {
                reportDrops()
                lastDropReport = .now
            }
        }
        reportDrops()
    }

    private func maintenanceLoop() async {
        var partitionsDay: Date? = nil
        var nextRetention = ContinuousClock.now
        while !Task.isCancelled {
            let today = Self.utcDay(Date())
            if partitionsDay != today {
                do {
                    let created = try await ensurePartitions()
                    partitionsDay = today
                    if created > 0 {
                        logger.info("created OCPP frame log partitions", metadata: ["count": "\(created)"])
                    }
                } catch {
                    logger.warning("could not create OCPP frame log partitions", metadata: ["error": "\(error)"])
                }
            }
            if ContinuousClock.now >= nextRetention {
                do {
                    let deleted = try await deleteExpired()
                    if deleted > 0 {
                        logger.info(
                            "deleted OCPP frames past retention",
                            metadata: ["count": "\(deleted)", "retention_days": "\(settings.retentionDays)"])
                    }
                } catch {
                    logger.warning("OCPP frame log retention failed", metadata: ["error": "\(error)"])
                }
                nextRetention = .now + settings.retentionInterval
            }
            try? await Task.sleep(for: .seconds(60))
        }
    }

    private func reportDrops() {
        let (unreported, total) = state.withLock { s in
            defer { s.droppedUnreported = 0 }
            return (s.droppedUnreported, s.dropped)
        }
        if unreported > 0 {
            logger.warning(
                "OCPP frame log dropped frames: PostgreSQL did not take them and the buffer was full",
                metadata: ["dropped": "\(unreported)", "dropped_total": "\(total)"])
        }
    }

    /// Writes everything buffered now, in batches; throws the first failure (the frames stay
    /// buffered). For tests and shutdown; ``run()`` does this on its own.
    public func flush() async throws {
        while try await flushBatch() {}
    }

    private func flushAvailable(final: Bool) async {
        if !final, let retryAt = state.withLock({ $0.retryAt }), ContinuousClock.now < retryAt { return }
        do {
            try await flush()
        } catch {
            let (delay, buffered) = state.withLock { s -> (Duration, Int) in
                s.failedFlushes += 1
                s.retryDelay = min(max(s.retryDelay * 2, settings.flushInterval), .seconds(5))
                s.retryAt = .now + s.retryDelay
                return (s.retryDelay, s.queue.count)
            }
            logger.warning(
                "OCPP frames not written; kept in memory and retried",
                metadata: ["error": "\(error)", "retry_in": "\(delay)", "buffered": "\(buffered)"])
        }
    }

    /// Takes one batch off the buffer and writes it (so concurrent flushes never write a frame
    /// twice); a batch that fails for a reason other than its data goes back to the front.
    /// Returns true when a full batch was handled (more may be waiting).
    private func flushBatch() async throws -> Bool {
        let batchSize = max(settings.batchSize, 1)
        let batch = state.withLock { $0.queue.removeFirst(upTo: batchSize) }
        guard !batch.isEmpty else { return false }
        let sql = """
            INSERT INTO csms.ocpp_frames (logged_at, station_identity, direction, connection_id, frame)
            VALUES ($1, $2, $3, $4::uuid, $5)
            """
        let rows = batch.map { f in
            PGQuery(sql: sql, binds: [f.at, f.identity, f.direction.rawValue, f.connection, f.text]).binds
        }
        do {
            try await postgres.insertBatch(sql: sql, rows: rows)
        } catch let error as PGError where error.code == .server && Self.isDataError(error.sqlState) {
            // The database refuses these rows as such (a value it cannot store); retrying would
            // block the log forever. Counted as dropped.
            state.withLock { s in
                s.dropped += batch.count
                s.droppedUnreported += batch.count
            }
            logger.error(
                "OCPP frames refused by PostgreSQL; batch dropped",
                metadata: ["error": "\(error)", "count": "\(batch.count)"])
            return batch.count == batchSize
        } catch {
            let capacity = max(settings.capacity, 1)
            state.withLock { s in
                s.queue.prepend(batch)
                while s.queue.count > capacity {
                    s.queue.removeFirst()
                    s.dropped += 1
                    s.droppedUnreported += 1
                }
            }
            throw error
        }
        state.withLock { s in
            s.written += batch.count
            s.retryAt = nil
            s.retryDelay = .zero
        }
        return batch.count == batchSize
    }

    /// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
    static func isDataError(_ sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("22") || sqlState.hasPrefix("23")
    }

    /// Creates the partitions for today and the next two days (UTC) that are missing; returns how
    /// many were created.
    @discardableResult
    public func ensurePartitions() async throws -> Int {
        let result = try await postgres.query(
            "SELECT csms.ensure_ocpp_frame_partitions((now() AT TIME ZONE 'UTC')::date, 3)")
        return try result.first?.decode(Int.self, column: 0) ?? 0
    }

    /// Deletes this tenant's frames older than the retention (row-level security limits the
    /// DELETE to the tenant), in statements of `retentionBatchSize` rows, at most
    /// `retentionMaxBatches` of them; returns how many rows went.
    @discardableResult
    public func deleteExpired(now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(max(settings.retentionDays, 1)) * 86_400)
        var total = 0
        for _ in 0..<max(settings.retentionMaxBatches, 1) {
            // ctid is only unique within one partition, so rows are named by (tableoid, ctid).
            let deleted = try await postgres.execute(
                """
                DELETE FROM csms.ocpp_frames
                WHERE logged_at < \(cutoff)::timestamptz AND (tableoid, ctid) IN (
                    SELECT tableoid, ctid FROM csms.ocpp_frames WHERE logged_at < \(cutoff)::timestamptz
                    LIMIT \(settings.retentionBatchSize))
                """)
            total += deleted
            if deleted < settings.retentionBatchSize { break }
            await Task.yield()
        }
        let deletedTotal = total
        state.withLock { $0.deleted += deletedTotal }
        return total
    }

    static func utcDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
