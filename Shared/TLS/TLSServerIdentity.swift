// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import NIOSSL

/// Where a TLS server's certificate chain, private key and (optionally) client-certificate CAs are,
/// as PEM files: the tenant YAML's `tls` section (the worker) and platform.yaml's (the router's own
/// answers and `admin.<base_domain>`).
public struct TLSServerFiles: Sendable, Equatable {
    /// The server certificate first, then its intermediates.
    public var certificatePath: String
    public var privateKeyPath: String
    /// CA certificates a client certificate must chain to (OCPP security profile 3). nil: client
    /// certificates are not asked for.
    public var clientCAPath: String?

    public init(certificatePath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }
}

/// A TLS file that cannot be used, naming the file and why.
public struct TLSSetupError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// A loaded server identity: one `NIOSSLContext`, shared by every connection it serves.
///
/// TLS 1.2 is the minimum (OCPP security profiles 2 and 3, A00.FR.312/416 in PROTOCOLS.md §1.6:
/// "TLS v1.0/1.1 is not allowed"). With client CAs, a client certificate is asked for and verified
/// when presented but not required at the handshake, because the same host name also serves the
/// tenant's REST API to browsers and integrators without one; the OCPP upgrade then requires it.
public struct TLSServerIdentity: Sendable {
    public let files: TLSServerFiles
    public let context: NIOSSLContext
    /// The leaf certificate's subject common name, for log lines.
    public let commonName: String?

    public static func load(_ files: TLSServerFiles) throws(TLSSetupError) -> TLSServerIdentity {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
        } catch {
            throw TLSSetupError(path: files.certificatePath, reason: "not a readable PEM certificate file (\(error))")
        }
        guard let leaf = chain.first else {
            throw TLSSetupError(path: files.certificatePath, reason: "holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        } catch {
            throw TLSSetupError(
                path: files.privateKeyPath, reason: "not a readable, unencrypted PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let caPath = files.clientCAPath {
            let authorities: [NIOSSLCertificate]
            do {
                authorities = try NIOSSLCertificate.fromPEMFile(caPath)
            } catch {
                throw TLSSetupError(path: caPath, reason: "not a readable PEM certificate file (\(error))")
            }
            guard !authorities.isEmpty else { throw TLSSetupError(path: caPath, reason: "holds no PEM certificate") }
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification = .optionalVerification
            // Tells clients which CAs to pick a certificate for.
            configuration.sendCANameList = true
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            // The usual cause: the key is not the certificate's.
            throw TLSSetupError(
                path: files.privateKeyPath,
                reason: "cannot be used with the certificate in \(files.certificatePath) (\(error))")
        }
        return TLSServerIdentity(files: files, context: context, commonName: leaf.commonNameText)
    }

    /// A handler to put first in a server connection's pipeline.
    public func makeServerHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context)
    }
}

extension NIOSSLCertificate {
    /// The last (most significant) common name of the subject, or nil without one. OCPP security
    /// profile 3 names the station there (A00.FR.405).
    public var commonNameText: String? {
        subjectName.last { $0.type == .commonName }?.value
    }
}
