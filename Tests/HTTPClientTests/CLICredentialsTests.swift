// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import Foundation
import HTTPClient
import Hummingbird
import Testing

@testable import OpenCSMSCLI

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh private folder, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array((FileManager.default.temporaryDirectory.path + "/csms-cli-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw TestServerError("mkdtemp failed") }
    let path = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

func fileMode(_ path: String) -> UInt32? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt32(info.st_mode & 0o777)
}

func inode(_ path: String) -> UInt64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt64(info.st_ino)
}

@Suite("open-csms credentials file: mode 0600, atomic replace, lookup")
struct CLICredentialsTests {
    static let admin = "http://127.0.0.1:8090"
    static let now: Int64 = 1_800_000_000

    func session(_ tenant: String?, token: String, expiresIn: Int64 = 600, admin: String = admin) -> StoredSession {
        StoredSession(
            adminURL: admin, tenant: tenant, accessToken: token, expiresAt: Self.now + expiresIn, role: "tenant-admin")
    }

    @Test("The file lives in $XDG_CONFIG_HOME/open-csms, else ~/.config/open-csms; a relative XDG path is ignored")
    func defaultPath() throws {
        #expect(
            try CredentialsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/cfg/", "HOME": "/home/u"])
                == "/cfg/open-csms/credentials.json")
        #expect(
            try CredentialsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/u"])
                == "/home/u/.config/open-csms/credentials.json")
        #expect(throws: CredentialsError.self) { try CredentialsFile.defaultPath(environment: [:]) }
    }

    @Test(
        "Saving creates the folder 0700 and the file 0600; a replace is a rename (new inode) that leaves no temp file")
    func atomicReplace() throws {
        try withTemporaryDirectory { root in
            let path = root + "/config/open-csms/credentials.json"
            let file = CredentialsFile(path: path)
            #expect(try file.load() == [])
            let first = [session("acme", token: "one")]
            try file.save(first)
            #expect(fileMode(path) == 0o600)
            #expect(fileMode(root + "/config/open-csms") == 0o700)
            #expect(try file.load() == first)

            // Someone loosened the mode: the next save still ends with 0600, in a new file.
            let before = try #require(inode(path))
            chmod(path, 0o644)
            let second = first + [session(nil, token: "two")]
            try file.save(second)
            #expect(inode(path) != before)
            #expect(fileMode(path) == 0o600)
            #expect(try file.load() == second)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: root + "/config/open-csms") == ["credentials.json"])
        }
    }

    @Test("A file others can read, or a damaged one, is refused with what to do")
    func refusedFiles() throws {
        try withTemporaryDirectory { root in
            let path = root + "/credentials.json"
            let file = CredentialsFile(path: path)
            try file.save([session("acme", token: "t")])
            chmod(path, 0o640)
            let loose = #expect(throws: CredentialsError.self) { try file.load() }
            #expect(loose?.message.contains("mode 640") == true)
            #expect(loose?.message.contains("chmod 600 \(path)") == true)
            chmod(path, 0o600)
            try Data("{\"sessions\": [{\"admin_url\": 1}]}".utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o600)
            let damaged = #expect(throws: CredentialsError.self) { try file.load() }
            #expect(damaged?.message.contains("is damaged") == true)
            #expect(damaged?.message.contains("run open-csms login again") == true)
        }
    }

    @Test("Sessions are filed under the admin URL as libcurl reads it, without a trailing slash")
    func keys() {
        #expect(CredentialsFile.key(forAdminURL: "http://127.0.0.1:8090/") == "http://127.0.0.1:8090")
        #expect(CredentialsFile.key(forAdminURL: "HTTPS://Admin.Example.com:443/") == "https://admin.example.com")
        #expect(CredentialsFile.key(forAdminURL: "https://admin.example.com/csms/") == "https://admin.example.com/csms")
    }

    @Test("Lookup: the tenant's session, else a platform session; an expired one says to log in again")
    func lookup() throws {
        let tenant = session("acme", token: "tenant")
        let platform = session(nil, token: "platform")
        let other = session("acme", token: "elsewhere", admin: "https://admin.other.example")
        #expect(
            try SessionLookup.token(
                in: [platform, tenant, other], adminURL: Self.admin + "/", tenant: "acme", now: Self.now)
                == tenant)
        #expect(
            try SessionLookup.token(in: [platform, other], adminURL: Self.admin, tenant: "acme", now: Self.now)
                == platform)
        #expect(try SessionLookup.token(in: [tenant], adminURL: Self.admin, tenant: nil, now: Self.now) == nil)
        #expect(try SessionLookup.token(in: [tenant], adminURL: Self.admin, tenant: "beta", now: Self.now) == nil)

        let stale = session("acme", token: "old", expiresIn: -60)
        #expect(
            try SessionLookup.token(in: [stale, platform], adminURL: Self.admin, tenant: "acme", now: Self.now)
                == platform)
        let error = #expect(throws: CredentialsError.self) {
            try SessionLookup.token(in: [stale], adminURL: Self.admin, tenant: "acme", now: Self.now)
        }
        #expect(
            error?.message
                == "the session for tenant acme at http://127.0.0.1:8090 expired at 2027-01-15 07:59:00 UTC; "
                + "run open-csms login again --tenant acme")
        // Within the margin it counts as expired already (it would lapse on the way).
        let almost = session("acme", token: "almost", expiresIn: 5)
        #expect(throws: CredentialsError.self) {
            try SessionLookup.token(in: [almost], adminURL: Self.admin, tenant: "acme", now: Self.now)
        }
    }

    @Test("A new login replaces the session for the same control plane and tenant and drops expired ones")
    func replacing() {
        let old = session("acme", token: "old")
        let platform = session(nil, token: "platform")
        let expired = session("beta", token: "gone", expiresIn: -1)
        let new = session("acme", token: "new")
        #expect(SessionLookup.replacing([old, platform, expired], with: new, now: Self.now) == [platform, new])
    }

    @Test("Platform commands: --api-key, then $OPEN_CSMS_API_KEY, then the stored platform session")
    func platformFallback() throws {
        let sessions = [session(nil, token: "platform-session"), session("acme", token: "tenant-session")]
        let plain = try parse(["tenants", "list"]).connection
        #expect(try plain.withStoredSession(sessions, now: Self.now).apiKey == "platform-session")
        #expect(try plain.withStoredSession(sessions, now: Self.now).fromStoredSession)
        let keyed = try parse(["tenants", "list", "--api-key", "k"]).connection
        #expect(try keyed.withStoredSession(sessions, now: Self.now).apiKey == "k")
        let fromEnvironment = try parse(["tenants", "list"], environment: ["OPEN_CSMS_API_KEY": "e"]).connection
        #expect(try fromEnvironment.withStoredSession(sessions, now: Self.now).apiKey == "e")
        let elsewhere = try parse(["tenants", "list", "--url", "https://admin.other.example"]).connection
        #expect(try elsewhere.withStoredSession(sessions, now: Self.now).apiKey == nil)
        let call = try parse(["tenants", "list"])
        let request = call.call.request(on: try call.connection.withStoredSession(sessions, now: Self.now))
        #expect(request.headers["Authorization"] == "Bearer platform-session")
    }

    @Test("A platform command whose stored session is refused (401) says to log in again; a key's 401 does not")
    func refusedSession() async throws {
        let outcomes = try await TestHTTPServer.with(extraRoutes: { router in
            router.get("/platform/v1/tenants") { _, _ -> Response in
                Response(
                    status: .unauthorized, headers: [.contentType: "application/problem+json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"title":"Unauthorized","detail":"unknown key"}"#)))
            }
        }) { port in
            var connection = PlatformConnection(
                baseURL: "http://127.0.0.1:\(port)", apiKey: "k", timeout: .seconds(10))
            let withKey = await PlatformRunner.execute(.listTenants, on: connection, json: false)
            connection.fromStoredSession = true
            let withSession = await PlatformRunner.execute(.listTenants, on: connection, json: false)
            return (withKey, withSession)
        }
        #expect(outcomes.0 == .failure(ProblemReport(message: "Unauthorized: unknown key", exitCode: 1)))
        #expect(
            outcomes.1
                == .failure(
                    ProblemReport(
                        message:
                            "Unauthorized: unknown key\n(the session stored by open-csms login was refused; run open-csms login again)",
                        exitCode: 1)))
    }
}

@Suite("open-csms tenant commands: where the tenant is and which credential is sent")
struct CLITenantConnectionTests {
    static let now: Int64 = 1_800_000_000

    func options(_ arguments: [String]) throws -> TenantOptions {
        let parsed = try OpenCSMSCommand.parseAsRoot(["tokens", "import", "tokens.csv"] + arguments)
        guard let command = parsed as? Tokens.Import else { throw TestServerError("not tokens import") }
        return command.target
    }

    func connection(
        _ arguments: [String], environment: [String: String] = [:], sessions: [StoredSession] = []
    ) throws -> TenantConnection {
        try options(arguments).connection(
            environment: environment, readSecret: { _ in "key-from-file" }, sessions: { sessions }, now: Self.now)
    }

    @Test("--tenant-url, else https://<slug>.<base-domain>, else derived from an admin.<base> URL")
    func tenantURL() throws {
        #expect(
            try options(["--tenant", "acme", "--tenant-url", "http://127.0.0.1:8081/"]).resolvedTenantURL(
                environment: [:]) == "http://127.0.0.1:8081")
        #expect(
            try options(["--tenant", "acme", "--base-domain", "csms.example"]).resolvedTenantURL(environment: [:])
                == "https://acme.csms.example")
        #expect(
            try options(["--tenant", "acme", "--admin-url", "https://admin.csms.example:8443"]).resolvedTenantURL(
                environment: [:]) == "https://acme.csms.example:8443")
        #expect(
            try options(["--tenant", "acme"]).resolvedTenantURL(
                environment: ["OPEN_CSMS_URL": "https://admin.csms.example"]) == "https://acme.csms.example")
        let error = #expect(throws: TenantTargetError.self) {
            try options(["--tenant", "acme"]).resolvedTenantURL(environment: [:])
        }
        #expect(error?.message.contains("give --base-domain") == true)
        #expect(throws: (any Error).self) {
            try options(["--tenant", "acme", "--tenant-url", "http://x", "--base-domain", "y"])
        }
    }

    @Test("--api-key, --api-key-file, $OPEN_CSMS_TENANT_API_KEY, then the stored session; none at all is an error")
    func credential() throws {
        let base = ["--tenant", "acme", "--tenant-url", "http://127.0.0.1:8081"]
        let stored = [
            StoredSession(
                adminURL: "http://127.0.0.1:8090", tenant: "acme", accessToken: "jwt", expiresAt: Self.now + 600)
        ]
        let environment = ["OPEN_CSMS_TENANT_API_KEY": "env-key"]
        #expect(
            try connection(base + ["--api-key", "k"], environment: environment, sessions: stored).credential == "k")
        #expect(try connection(base + ["--api-key-file", "/k"], sessions: stored).credential == "key-from-file")
        #expect(try connection(base, environment: environment, sessions: stored).credential == "env-key")
        let fromSession = try connection(base, sessions: stored)
        #expect(fromSession.credential == "jwt" && fromSession.fromStoredSession)
        #expect(fromSession.timeout == .seconds(300))
        let none = #expect(throws: TenantTargetError.self) { try connection(base) }
        #expect(none?.message.contains("run open-csms login --tenant acme") == true)
        let otherPlane = #expect(throws: TenantTargetError.self) {
            try connection(base + ["--admin-url", "https://admin.other.example"], sessions: stored)
        }
        #expect(otherPlane?.message.contains("--admin-url https://admin.other.example") == true)
    }
}
