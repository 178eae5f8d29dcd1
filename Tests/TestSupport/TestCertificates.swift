// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

/// A throw-away certificate authority in a temporary folder, made with the `openssl` command (the
/// test scripts install it): server certificates for host names and client certificates for
/// station identities, as PEM files, the way an operator would bring them.
public struct TestCertificates: Sendable {
    public struct Pair: Sendable {
        public let certificate: String
        public let privateKey: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The folder holding every file; the CA is `ca.pem` / `ca.key` there.
    public let directory: String
    public var caCertificate: String { directory + "/ca.pem" }
    public var caKey: String { directory + "/ca.key" }

    /// Makes a new CA named `name` (its subject CN).
    public static func authority(name: String = "Open-CSMS Test CA") throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + "csms-certs-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ca = TestCertificates(directory: directory)
        try ca.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/O=Open-CSMS Tests/CN=\(name)", "-keyout", ca.caKey, "-out", ca.caCertificate,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        return ca
    }

    /// A server certificate for `hosts` (the first is also its CN), signed by this CA.
    public func server(_ hosts: [String], file: String? = nil) throws -> Pair {
        let names = hosts.map { $0.first?.isNumber == true ? "IP:\($0)" : "DNS:\($0)" }.joined(separator: ",")
        return try issue(
            file: file ?? "server-\(hosts.first ?? "host")", subject: "/O=Open-CSMS Tests/CN=\(hosts.first ?? "")",
            extensions: ["subjectAltName=\(names)", "extendedKeyUsage=serverAuth"])
    }

    /// A client certificate whose subject CN is `commonName` (a station identity for OCPP security
    /// profile 3), signed by this CA; `expired` makes one whose validity ended yesterday.
    public func client(
        commonName: String, organization: String = "Open-CSMS Tests", expired: Bool = false
    ) throws
        -> Pair
    {
        try issue(
            file: "client-\(commonName)\(expired ? "-expired" : "")",
            subject: "/O=\(organization)/CN=\(commonName)", extensions: ["extendedKeyUsage=clientAuth"],
            expired: expired)
    }

    private func issue(file: String, subject: String, extensions: [String], expired: Bool = false) throws -> Pair {
        let base = directory + "/" + file
        let pair = Pair(certificate: base + ".pem", privateKey: base + ".key")
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", subject,
            "-keyout", pair.privateKey, "-out", base + ".csr",
        ])
        var arguments = [
            "x509", "-req", "-in", base + ".csr", "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial",
            "-out", pair.certificate,
        ]
        for value in extensions { arguments += ["-extfile", try extensionFile(value, for: file)] }
        // OpenSSL 3.0 takes a negative day count: the validity then ended a day before it began.
        arguments += ["-days", expired ? "-1" : "2"]
        try openssl(arguments)
        return pair
    }

    private func extensionFile(_ value: String, for file: String) throws -> String {
        let path = directory + "/\(file)-\(abs(value.hashValue)).ext"
        try value.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "openssl \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: output, as: UTF8.self))
        }
    }
}
