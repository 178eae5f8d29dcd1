// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import NIOSSL
import TLSSupport
import TestSupport
import Testing

@Suite struct TLSServerIdentityTests {
    @Test func loadsAChainAndNamesItsCommonName() throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server(["acme.csms.test", "127.0.0.1"])
        let identity = try TLSServerIdentity.load(
            TLSServerFiles(certificatePath: server.certificate, privateKeyPath: server.privateKey))
        #expect(identity.commonName == "acme.csms.test")
    }

    @Test func aMissingOrGarbledFileIsNamedInTheError() throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server(["acme.csms.test"])
        let missing = ca.directory + "/nope.pem"
        do {
            _ = try TLSServerIdentity.load(TLSServerFiles(certificatePath: missing, privateKeyPath: server.privateKey))
            Issue.record("a missing certificate file was accepted")
        } catch {
            #expect(error.path == missing)
        }
        let garbled = ca.directory + "/garbled.key"
        try "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n".write(
            toFile: garbled, atomically: true, encoding: .utf8)
        do {
            _ = try TLSServerIdentity.load(TLSServerFiles(certificatePath: server.certificate, privateKeyPath: garbled))
            Issue.record("a garbled key was accepted")
        } catch {
            #expect(error.path == garbled)
        }
    }

    @Test func aKeyThatIsNotTheCertificatesIsRefused() throws {
        let ca = try TestCertificates.authority()
        let one = try ca.server(["one.csms.test"])
        let other = try ca.server(["other.csms.test"])
        do {
            _ = try TLSServerIdentity.load(
                TLSServerFiles(certificatePath: one.certificate, privateKeyPath: other.privateKey))
            Issue.record("a mismatched key was accepted")
        } catch {
            #expect(error.path == other.privateKey)
            #expect(error.description.contains(one.certificate))
        }
    }

    @Test func clientCertificateAuthoritiesAreLoaded() throws {
        let ca = try TestCertificates.authority()
        let server = try ca.server(["acme.csms.test"])
        _ = try TLSServerIdentity.load(
            TLSServerFiles(
                certificatePath: server.certificate, privateKeyPath: server.privateKey, clientCAPath: ca.caCertificate))
        let empty = ca.directory + "/empty.pem"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        do {
            _ = try TLSServerIdentity.load(
                TLSServerFiles(
                    certificatePath: server.certificate, privateKeyPath: server.privateKey, clientCAPath: empty))
            Issue.record("an empty CA file was accepted")
        } catch {
            #expect(error.path == empty)
        }
    }

    @Test func aClientCertificatesCommonNameIsItsLastCN() throws {
        let ca = try TestCertificates.authority()
        let client = try ca.client(commonName: "CP-0042")
        let certificate = try #require(try NIOSSLCertificate.fromPEMFile(client.certificate).first)
        #expect(certificate.commonNameText == "CP-0042")
    }
}
