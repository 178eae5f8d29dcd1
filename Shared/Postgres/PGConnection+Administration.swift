// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CLibPQ

extension PGConnection {
    /// Computes the SCRAM-SHA-256 verifier of `password` for `user` on the client
    /// (`PQencryptPasswordConn`), so `CREATE/ALTER ROLE ... PASSWORD` can be sent the verifier and
    /// the clear-text password never reaches the server, its logs or `pg_stat_statements`.
    public func encryptPassword(_ password: String, user: String) async throws -> String {
        try await backend.run(lease: lease, cancellable: false) { $0.encryptPassword(password, user: user) }.get()
    }

    /// Runs `COPY ... TO STDOUT` and returns the rows as the server sent them (text format by
    /// default). Row-level security applies as for a SELECT.
    ///
    /// - Warning: takes no parameters; `sql` must be a constant written by us.
    public func copyOut(_ sql: String) async throws -> [UInt8] {
        try await backend.run(lease: lease, cancellable: true) { $0.copyOut(sql) }.get()
    }
}

extension LibPQSession {
    func encryptPassword(_ password: String, user: String) -> Result<String, PGError> {
        guard let verifier = PQencryptPasswordConn(connection, password, user, "scram-sha-256") else {
            return .failure(
                PGError(code: .server, message: libpqError(default: "cannot compute the password verifier")))
        }
        defer { PQfreemem(verifier) }
        return .success(String(cString: verifier))
    }

    func copyOut(_ sql: String) -> Result<[UInt8], PGError> {
        guard let first = PQexec(connection, sql) else { return .failure(connectionError("COPY failed", query: sql)) }
        guard PQresultStatus(first) == PGRES_COPY_OUT else {
            defer { PQclear(first) }
            if PQresultStatus(first) == PGRES_FATAL_ERROR { return .failure(error(from: first, query: sql)) }
            return .failure(PGError(code: .invalidArgument, message: "not a COPY ... TO STDOUT statement", query: sql))
        }
        PQclear(first)
        var out: [UInt8] = []
        var buffer: UnsafeMutablePointer<CChar>? = nil
        while true {
            let n = PQgetCopyData(connection, &buffer, 0)
            if let b = buffer {
                if n > 0 {
                    b.withMemoryRebound(to: UInt8.self, capacity: Int(n)) {
                        out.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(n)))
                    }
                }
                PQfreemem(b)
                buffer = nil
            }
            if n == -2 { return .failure(connectionError("COPY data could not be read", query: sql)) }
            if n < 0 { break }
        }
        var failure: PGError?
        while let next = PQgetResult(connection) {
            if PQresultStatus(next) == PGRES_FATAL_ERROR, failure == nil { failure = error(from: next, query: sql) }
            PQclear(next)
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }
}
