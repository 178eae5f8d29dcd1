// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import Identity
import Logging
import Synchronization

/// Verifies platform session tokens (issue 6 item 2) locally with the platform's public keys, so no
/// API request needs the control plane on its path.
///
/// The keys come from a JWK Set file the control plane writes (`--session-keys`) and replaces by a
/// rename when the platform key rotates. The file is looked at no more than once per
/// ``reloadInterval``: then it is read again when a token names a `kid` the worker does not know
/// (a new key; OIDC Core 1.0 §10.1.1 does the same for provider keys), or when its inode, size or
/// modification time changed (so a key taken out of the file stops working within the interval too).
/// A file that cannot be read later keeps the keys already loaded.
final class SessionVerifier: SessionVerifying {
    let keysPath: String
    let tenant: String
    let baseDomain: String
    let reloadInterval: Duration
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var keys: JSONWebKeySet
        var stamp: FileStamp?
        /// The last time the file was looked at (read, or its stamp taken).
        var lastLook: ContinuousClock.Instant
        var reads = 0
    }

    /// Loads the key file. A missing or unusable file stops the worker (the caller asked for
    /// session tokens; serving without them would refuse every login with a misleading 401).
    ///
    /// `clock` is the time tokens are checked against (`exp`, `iat`); `reloadInterval` bounds how
    /// often the file is looked at again.
    init(
        keysPath: String, tenant: String, baseDomain: String, reloadInterval: Duration = .seconds(5),
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) throws(WorkerStartupError) {
        self.keysPath = keysPath
        self.tenant = tenant
        self.baseDomain = baseDomain
        self.reloadInterval = reloadInterval
        self.clock = clock
        self.logger = logger
        let stamp = FileStamp(path: keysPath)
        let keys: JSONWebKeySet
        do {
            keys = try Self.read(keysPath)
        } catch {
            throw WorkerStartupError(description: "--session-keys \(keysPath): \(error.description)")
        }
        state = Mutex(State(keys: keys, stamp: stamp, lastLook: .now))
        Self.logLoaded(keys, path: keysPath, logger: logger, level: .info)
    }

    /// How often the key file was read again since the start (tests).
    var reads: Int { state.withLock { $0.reads } }

    func principal(for token: String) throws -> Principal {
        refreshIfChanged()
        let session: PlatformSession
        do {
            session = try verify(token)
        } catch {
            throw refusal(error)
        }
        guard let role = AccessRole(rawValue: session.role) else {
            throw forbidden(
                "the session's role '\(session.role)' is none of "
                    + AccessRole.allCases.map(\.rawValue).joined(separator: ", "),
                session: session)
        }
        switch (role, session.tenant) {
        case (.platformAdmin, nil), (.platformOperator, nil):
            // Platform roles reach every tenant (docs/api-access.md).
            break
        case (_, let named?) where named == tenant:
            break
        case (_, let other?):
            // Issue 6: a token for tenant A gets 403 on B's subdomain.
            throw forbidden("this session is for tenant \(other), not \(tenant)", session: session)
        case (_, nil):
            throw forbidden(
                "this session names no tenant; a \(role.rawValue) session must name tenant \(tenant)",
                session: session)
        }
        return Principal(kind: .user(subject: session.subject, name: session.name, role: role), scopes: role.scopes)
    }

    /// Verifies with the loaded keys; on an unknown `kid`, once more with the file read again when
    /// the interval allows.
    private func verify(_ token: String) throws(JWTRejection) -> PlatformSession {
        let keys = state.withLock { $0.keys }
        do throws(JWTRejection) {
            return try PlatformSession.verify(token, keys: keys, baseDomain: baseDomain, clock: clock)
        } catch {
            guard error.reason == .unknownKey, let fresh = reload(always: true) else { throw error }
            return try PlatformSession.verify(token, keys: fresh, baseDomain: baseDomain, clock: clock)
        }
    }

    private func refreshIfChanged() {
        _ = reload(always: false)
    }

    /// Reads the file again if the interval since the last look has passed and either `always` or
    /// its stamp changed. Returns the new keys, or nil when nothing was (successfully) read.
    ///
    /// `SessionVerifying` is synchronous, so the look (a stat, and seldom a read of a few hundred
    /// bytes of a local file) runs on the request's task; the interval bounds it to once per 5 s
    /// however many requests or unknown `kid`s arrive. The file is read outside the lock, so other
    /// requests go on with the old keys meanwhile.
    private func reload(always: Bool) -> JSONWebKeySet? {
        let now = ContinuousClock.now
        let look = state.withLock { state -> (due: Bool, stamp: FileStamp?) in
            guard now - state.lastLook >= reloadInterval else { return (false, nil) }
            state.lastLook = now
            return (true, state.stamp)
        }
        guard look.due else { return nil }
        let stamp = FileStamp(path: keysPath)
        guard always || stamp != look.stamp else { return nil }
        let keys: JSONWebKeySet
        do {
            keys = try Self.read(keysPath)
        } catch {
            // The stamp is kept so that a broken file is reported once, not at every look; a
            // complete write changes it again.
            state.withLock { state in
                state.stamp = stamp
                state.reads += 1
            }
            logger.warning(
                "cannot read the platform session keys again; the keys loaded before stay in use",
                metadata: ["path": "\(keysPath)", "error": "\(error.description)"])
            return nil
        }
        state.withLock { state in
            state.keys = keys
            state.stamp = stamp
            state.reads += 1
        }
        Self.logLoaded(keys, path: keysPath, logger: logger, level: always ? .info : .notice)
        return keys
    }

    private static func read(_ path: String) throws(KeyFileError) -> JSONWebKeySet {
        guard FileManager.default.fileExists(atPath: path) else {
            throw KeyFileError(description: "the file with the platform's session keys does not exist")
        }
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KeyFileError(description: "cannot read the platform's session keys: \(error.localizedDescription)")
        }
        let keys: JSONWebKeySet
        do {
            keys = try JSONWebKeySet(json: Array(contents))
        } catch {
            throw KeyFileError(description: "not the platform's session keys: \(error.description)")
        }
        // Session tokens are ES256 only (PlatformSession.verify): a set without such a key would
        // refuse every token.
        guard keys.keys.contains(where: { $0.algorithm == .es256 }) else {
            let skipped = keys.skipped.isEmpty ? "" : " (skipped: \(keys.skipped.joined(separator: "; ")))"
            throw KeyFileError(description: "the JWK Set holds no usable ES256 key\(skipped)")
        }
        return keys
    }

    private static func logLoaded(_ keys: JSONWebKeySet, path: String, logger: Logger, level: Logger.Level) {
        logger.log(
            level: level, "platform session keys loaded",
            metadata: [
                "path": "\(path)", "jwks.kids": "\(keys.keys.map { $0.keyID ?? "-" }.joined(separator: ","))",
                "jwks.skipped": "\(keys.skipped.joined(separator: "; "))",
            ])
    }

    /// 401 with the RFC 6750 §3 challenge saying why; the realm is the one every other 401 of
    /// `/api/v1` names, in the same header value.
    private func refusal(_ rejection: JWTRejection) -> ProblemDocument {
        logger.notice(
            "rejected a session token",
            metadata: ["reason": "\(rejection.reason.rawValue)", "detail": "\(rejection.detail)"])
        var challenge = rejection.wwwAuthenticate
        if !challenge.contains("realm=") {
            let bearer = "Bearer "
            let parameters = challenge.hasPrefix(bearer) ? String(challenge.dropFirst(bearer.count)) : challenge
            challenge = AuthenticationMiddleware.challenge + ", " + parameters
        }
        return ProblemDocument(
            status: .unauthorized, detail: "the session token is refused: \(rejection.detail)",
            extensions: ["reason": .string(rejection.reason.rawValue)], headers: [.wwwAuthenticate: challenge])
    }

    private func forbidden(_ detail: String, session: PlatformSession) -> ProblemDocument {
        logger.notice(
            "rejected a session token", metadata: ["reason": "\(detail)", "session.subject": "\(session.subject)"])
        return ProblemDocument(status: .forbidden, detail: detail)
    }
}

/// Why the key file could not be used.
private struct KeyFileError: Error, CustomStringConvertible {
    let description: String
}

/// What changes when the file is replaced or rewritten: a rename gives a new inode, an in-place
/// write a new size or modification time.
private struct FileStamp: Equatable {
    let inode: UInt64?
    let size: UInt64?
    let modified: Date?

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        size = (attributes[.size] as? NSNumber)?.uint64Value
        modified = attributes[.modificationDate] as? Date
    }
}
