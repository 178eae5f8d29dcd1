// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A leased connection, valid only inside the `withConnection` or `transaction` closure that
/// provided it; afterwards every call fails with ``PGError/Code/invalidArgument``.
///
/// Calls from several tasks (`async let`) are allowed and run one after another, in order.
public final class PGConnection: Sendable {
    let backend: PGBackend
    let lease: UInt64

    init(backend: PGBackend, lease: UInt64) {
        self.backend = backend
        self.lease = lease
    }

    /// The server process id of this connection (`pg_backend_pid()`), for logs and diagnostics.
    public var backendPID: Int32 { backend.backendPID }

    /// Runs one parameterised statement (prepared once per connection, cached by SQL text).
    public func query(_ query: PGQuery) async throws -> PGResult {
        try await backend.execute(lease: lease, .prepared(query)).get()
    }

    /// Runs one parameterised statement and returns the number of affected rows.
    @discardableResult
    public func execute(_ query: PGQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// Runs an SQL script (several statements separated by `;`) through the simple query protocol
    /// (`PQexec`-style), for migrations and DDL. Returns one result per statement; stops at the first
    /// error. Outside a transaction block the statements run in one implicit transaction.
    ///
    /// - Warning: takes no parameters. `sql` must be a constant written by us (a migration file),
    ///   never text that contains input from a user, a station or another system; use ``query(_:)``
    ///   with bind parameters, or ``escapeIdentifier(_:)``/``escapeLiteral(_:)`` for DDL that cannot
    ///   take parameters.
    @discardableResult
    public func simpleQuery(_ sql: String) async throws -> [PGResult] {
        try await backend.run(lease: lease, cancellable: true) { $0.simpleQuery(sql) }.get()
    }

    /// Quotes an identifier for DDL that cannot take bind parameters (`CREATE ROLE`, `GRANT`):
    /// `PQescapeIdentifier`, e.g. `tenant "x"` → `"tenant ""x"""`.
    public func escapeIdentifier(_ identifier: String) async throws -> String {
        try await backend.run(lease: lease, cancellable: false) { $0.escapeIdentifier(identifier) }.get()
    }

    /// Quotes a string literal for DDL that cannot take bind parameters (`CREATE ROLE ... PASSWORD`):
    /// `PQescapeLiteral`, e.g. `it's` → `'it''s'` (or `E'...'` when it contains backslashes).
    public func escapeLiteral(_ literal: String) async throws -> String {
        try await backend.run(lease: lease, cancellable: false) { $0.escapeLiteral(literal) }.get()
    }

    /// Sends all statements in one libpq pipeline (one network round trip for the whole batch, plus
    /// one per distinct SQL text not yet prepared on this connection) and returns their results in
    /// order.
    ///
    /// The batch is atomic: outside a transaction block it runs in one implicit transaction; inside
    /// ``PGPool/transaction(isolation:actorIsolation:_:)`` a failure aborts the transaction. On
    /// failure the error of the first failing statement is thrown, with
    /// ``PGError/pipelineIndex`` set.
    public func pipeline(_ queries: [PGQuery]) async throws -> [PGResult] {
        try await backend.run(lease: lease, cancellable: true) { session in
            session.pipeline(
                count: queries.count, sql: { queries[$0].sql }, binds: { queries[$0].binds }, collect: true)
        }.get().results
    }

    /// Inserts (or updates) many rows with one statement through the pipeline: `sql` is prepared
    /// once, then sent once per row with that row's parameters. Atomic like ``pipeline(_:)``; returns
    /// the total number of affected rows.
    ///
    /// This is the bulk path for tables with row-level security, where PostgreSQL refuses
    /// `COPY FROM`.
    @discardableResult
    public func insertBatch(sql: String, rows: [PGBindings]) async throws -> Int {
        try await backend.run(lease: lease, cancellable: true) { session in
            session.pipeline(count: rows.count, sql: { _ in sql }, binds: { rows[$0] }, collect: false)
        }.get().affectedRows
    }

    /// ``insertBatch(sql:rows:)`` with each row given as an array of values (`nil` is NULL).
    @discardableResult
    public func insertBatch(sql: String, rows: [[(any PGEncodable)?]]) async throws -> Int {
        let bindings = rows.map { PGQuery(sql: sql, binds: $0).binds }
        return try await insertBatch(sql: sql, rows: bindings)
    }

    // MARK: Transactions (used by PGPool.transaction)

    func begin(_ level: PGIsolationLevel) async throws {
        let sql = level.beginStatement
        _ = try await backend.execute(lease: lease, .command(sql)).get()
    }

    /// COMMIT, even when the task was cancelled after the body finished (the work is done).
    func commit() async throws {
        let result = await backend.execute(lease: lease, .command("COMMIT"), cancellable: false)
        switch result {
        case .success(let r) where r.commandTag == "ROLLBACK":
            throw PGError(
                code: .server,
                message: "COMMIT rolled the transaction back because a statement in it had failed (its error was"
                    + " caught inside the transaction body)", sqlState: "25P02", query: "COMMIT")
        case .success:
            return
        case .failure(var error):
            if error.code == .connectionClosed {
                error.message += " (the connection broke during COMMIT: the transaction may or may not have been"
                error.message += " committed)"
            }
            throw error
        }
    }

    /// ROLLBACK after the body failed; not cancellable (the task is often cancelled already). When it
    /// fails the connection is marked for discarding, so the pool never reuses it mid-transaction.
    func rollback() async {
        _ = await backend.run(lease: lease, cancellable: false) { session in
            let result = session.command("ROLLBACK")
            if case .failure = result { session.mustDiscard = true }
            return result
        }
    }
}
