// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A platform session token that `open-csms login` obtained, for one control plane and one tenant
/// (nil: a platform session, valid on the platform API and on every tenant).
struct StoredSession: Equatable, Sendable {
    /// The control plane's URL as ``CredentialsFile/key(forAdminURL:)`` writes it.
    var adminURL: String
    var tenant: String?
    var accessToken: String
    /// Unix time in seconds.
    var expiresAt: Int64
    var role: String?

    /// A token this close to its end would likely expire on the way; treating it as expired
    /// already gives the clear "log in again" message instead of a 401 from the server.
    static let expiryMargin: Int64 = 10

    func isExpired(now: Int64) -> Bool { now >= expiresAt - Self.expiryMargin }

    var scope: String {
        (tenant.map { "tenant \($0)" } ?? "the platform") + " at \(adminURL)"
    }
}

/// Why stored credentials could not be used; `message` says what to do.
struct CredentialsError: Error, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Sessions kept between runs of the CLI in `$XDG_CONFIG_HOME/open-csms/credentials.json`
/// (`~/.config/...` by default, XDG Base Directory Specification 0.8). The file holds bearer
/// tokens, so it is written with mode 0600 and read only when nobody else can read it.
struct CredentialsFile: Sendable {
    let path: String

    /// At most this much is read; a file of sessions is a few KiB.
    static let maximumSize = 1024 * 1024

    /// `$XDG_CONFIG_HOME/open-csms/credentials.json`, else `$HOME/.config/open-csms/credentials.json`.
    /// The specification says a relative `XDG_CONFIG_HOME` is invalid and must be ignored.
    static func defaultPath(environment: [String: String]) throws(CredentialsError) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config.trimmingTrailingSlashes + "/open-csms/credentials.json"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw CredentialsError(
                "neither XDG_CONFIG_HOME nor HOME is set to an absolute path, so there is no place for the "
                    + "credentials file; set one of them")
        }
        return home.trimmingTrailingSlashes + "/.config/open-csms/credentials.json"
    }

    /// The form of a control plane URL sessions are filed under: scheme://host[:port][/path] as
    /// libcurl reads it, without a trailing slash, so `http://127.0.0.1:8090/` and
    /// `http://127.0.0.1:8090` find the same session.
    static func key(forAdminURL url: String) -> String {
        if let parsed = try? HTTPClientURL.parse(url) { return parsed.redacted.trimmingTrailingSlashes }
        return url.trimmingTrailingSlashes
    }

    // MARK: Reading

    /// Every stored session; none when the file does not exist.
    func load() throws(CredentialsError) -> [StoredSession] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0 {
            if errno == ENOENT { return [] }
            throw CredentialsError("cannot read the credentials file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw CredentialsError("cannot read the credentials file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_uid == geteuid() else {
            throw CredentialsError(
                "the credentials file \(path) belongs to another user; delete it and run open-csms login again")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw CredentialsError(
                "the credentials file \(path) has mode \(String(info.st_mode & 0o777, radix: 8)) but holds bearer "
                    + "tokens; run chmod 600 \(path), or delete it and run open-csms login again")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw CredentialsError("cannot read the credentials file \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            guard bytes.count <= Self.maximumSize else {
                throw CredentialsError(
                    "the credentials file \(path) is larger than 1 MiB; delete it and run open-csms login again")
            }
        }
        return try Self.decode(bytes, path: path)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(CredentialsError) -> [StoredSession] {
        let broken = "the credentials file \(path) is damaged"
        let remedy = "; delete it and run open-csms login again"
        let document: JSONText
        do {
            document = try JSONText.parse(bytes)
        } catch {
            throw CredentialsError("\(broken) (\(error))\(remedy)")
        }
        guard case .array(let entries)? = document["sessions"] else {
            throw CredentialsError("\(broken) (no \"sessions\" list)\(remedy)")
        }
        var sessions: [StoredSession] = []
        for (index, entry) in entries.enumerated() {
            guard let adminURL = entry["admin_url"]?.stringValue, let token = entry["access_token"]?.stringValue,
                case .number(let expires)? = entry["expires_at"], let expiresAt = Int64(expires)
            else {
                throw CredentialsError(
                    "\(broken) (sessions[\(index)] lacks admin_url, access_token or expires_at)\(remedy)")
            }
            sessions.append(
                StoredSession(
                    adminURL: adminURL, tenant: entry["tenant"]?.stringValue, accessToken: token, expiresAt: expiresAt,
                    role: entry["role"]?.stringValue))
        }
        return sessions
    }

    // MARK: Writing

    static func encode(_ sessions: [StoredSession]) -> [UInt8] {
        let entries: [JSONText] = sessions.map { session in
            .object([
                .init("admin_url", .string(session.adminURL)),
                .init("tenant", session.tenant.map(JSONText.string) ?? .null),
                .init("role", session.role.map(JSONText.string) ?? .null),
                .init("expires_at", .number(String(session.expiresAt))),
                .init("access_token", .string(session.accessToken)),
            ])
        }
        let document: JSONText = .object([.init("version", .number("1")), .init("sessions", .array(entries))])
        return Array((document.serialized + "\n").utf8)
    }

    /// Replaces the file in one step: a new file (mode 0600, whatever the umask) is written and
    /// synced beside it and renamed over it (POSIX rename(2) is atomic), so a reader sees the old
    /// or the new sessions, never half of them, and a crash leaves no readable partial file.
    func save(_ sessions: [StoredSession]) throws(CredentialsError) {
        let directory = path.parentDirectory
        try Self.makeDirectories(directory)
        var random = SystemRandomNumberGenerator()
        let temporary = "\(directory)/.credentials.\(getpid()).\(random.next() & 0xFFFF_FFFF).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw CredentialsError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        func fail(_ what: String) -> CredentialsError {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            return CredentialsError("cannot write the credentials file \(path): \(what): \(reason)")
        }
        guard fchmod(descriptor, 0o600) == 0 else { throw fail("chmod") }
        let bytes = Self.encode(sessions)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw fail("write") }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw fail("fsync") }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CredentialsError("cannot replace the credentials file \(path): \(reason)")
        }
        // The rename itself is durable once the directory is synced.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// mkdir -p with mode 0700 for the folders it creates (the XDG specification's mode for them).
    private static func makeDirectories(_ directory: String) throws(CredentialsError) {
        var current = ""
        for component in directory.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw CredentialsError("cannot create the folder \(current): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Which stored session a command uses.
enum SessionLookup {
    /// The token for `adminURL` and `tenant`: the tenant's own session, else a platform session of
    /// the same control plane (platform roles are valid on every tenant). Nil when there is none;
    /// an error when the only ones there are have expired.
    static func token(
        in sessions: [StoredSession], adminURL: String, tenant: String?, now: Int64
    ) throws(CredentialsError) -> StoredSession? {
        let key = CredentialsFile.key(forAdminURL: adminURL)
        var candidates = sessions.filter { $0.adminURL == key && $0.tenant == tenant }
        if tenant != nil { candidates += sessions.filter { $0.adminURL == key && $0.tenant == nil } }
        if let valid = candidates.first(where: { !$0.isExpired(now: now) }) { return valid }
        guard let expired = candidates.first else { return nil }
        throw CredentialsError(
            "the session for \(expired.scope) expired at \(UTCTime.format(expired.expiresAt)); "
                + "run open-csms login again" + (expired.tenant.map { " --tenant \($0)" } ?? ""))
    }

    /// `sessions` with `new` in place of any session for the same control plane and tenant, and
    /// without expired ones (nothing can use them).
    static func replacing(_ sessions: [StoredSession], with new: StoredSession, now: Int64) -> [StoredSession] {
        sessions.filter { !($0.adminURL == new.adminURL && $0.tenant == new.tenant) && !$0.isExpired(now: now) }
            + [new]
    }
}

enum UTCTime {
    /// Seconds since the Unix epoch, from the system clock.
    static func now() -> Int64 { Int64(time(nil)) }

    /// `2026-03-01 12:34:56 UTC`.
    static func format(_ seconds: Int64) -> String {
        var value = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&value, &parts) != nil else { return "\(seconds) (Unix time)" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }
}

extension String {
    var trimmingTrailingSlashes: String {
        var text = self
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `/a/b/c.json` → `/a/b`.
    fileprivate var parentDirectory: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return slash == startIndex ? "/" : String(self[..<slash])
    }
}
