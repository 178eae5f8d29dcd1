// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The files the control plane keeps per tenant: `tenants/<slug>.yaml` and the worker's sockets
/// under `<data>/run/`.
struct TenantFiles: Sendable {
    let tenantsDirectory: String
    let runDirectory: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func configPath(slug: String) -> String {
        (tenantsDirectory as NSString).appendingPathComponent("\(slug).yaml")
    }

    func configExists(slug: String) -> Bool {
        FileManager.default.fileExists(atPath: configPath(slug: slug))
    }

    /// The tenant's configuration as its file says (the file is the source of truth for every
    /// setting; the database mirrors slug, name, plan and status).
    func read(slug: String) throws -> TenantConfig {
        do {
            return try TenantConfig.load(path: configPath(slug: slug), platform: nil)
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// Writes `tenants/<slug>.yaml` atomically: the text goes to a temporary file in the same
    /// folder (named with a leading `.`, which the loader skips), is fsynced, renamed over the
    /// file, and the folder is fsynced, so a reader or a crash sees the old file or the new one,
    /// never a part.
    func write(_ config: TenantConfig) throws {
        try FileManager.default.createDirectory(atPath: tenantsDirectory, withIntermediateDirectories: true)
        let path = configPath(slug: config.slug)
        let temporary =
            (tenantsDirectory as NSString).appendingPathComponent(
                ".\(config.slug).yaml.\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        func fail(_ what: String) -> Failure {
            Failure(description: "cannot write \(path): \(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("open \(temporary)") }
        let bytes = Array(config.render().utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let failure = fail("write")
                close(fd)
                unlink(temporary)
                throw failure
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let failure = fail("fsync")
            close(fd)
            unlink(temporary)
            throw failure
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = fail("rename")
            unlink(temporary)
            throw failure
        }
        syncDirectory(tenantsDirectory)
    }

    /// Removes `tenants/<slug>.yaml`; an absent file is fine.
    func remove(slug: String) throws {
        let path = configPath(slug: slug)
        guard unlink(path) == 0 || errno == ENOENT else {
            throw Failure(description: "cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        syncDirectory(tenantsDirectory)
    }

    /// Removes the worker's sockets (`<run>/<slug>.sock`, `<run>/<slug>.handover`, …). Slugs
    /// contain no dot, so `<slug>.` never matches another tenant's files.
    func removeSockets(slug: String) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runDirectory) else { return }
        for name in names where name.hasPrefix(slug + ".") {
            let path = (runDirectory as NSString).appendingPathComponent(name)
            guard unlink(path) == 0 || errno == ENOENT else {
                throw Failure(description: "cannot remove \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Makes the folder of the worker sockets (0700: only this user may connect to a worker).
    func createRunDirectory() throws {
        try FileManager.default.createDirectory(
            atPath: runDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// A rename is durable only once its folder is synced.
    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
