// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

/// The tenant's `tls` section and the OCPP security profiles that need it (A00.FR.002: a station
/// must connect with the tenant's profile, so a profile the worker could not enforce is refused).
@Suite struct TenantTLSConfigTests {
    static let tls = "tls:\n  certificate: certs/demo.pem\n  private_key: certs/demo.key"

    private func decode(_ document: DocumentTemplate, file: String = Fixtures.tenantFile) throws -> TenantConfig {
        try TenantConfig.decode(yaml: document.yaml, file: file, platform: nil)
    }

    @Test func relativePathsAreResolvedAgainstTheTenantFilesFolder() throws {
        let config = try decode(Fixtures.tenant.with("tls", Self.tls))
        #expect(
            config.tls
                == TenantConfig.TLSSettings(
                    certificate: "/etc/csms/tenants/certs/demo.pem", privateKey: "/etc/csms/tenants/certs/demo.key"))
        let elsewhere = try decode(
            Fixtures.tenant.with(
                "tls", "tls:\n  certificate: ./a/../b.pem\n  private_key: /k/x.key\n  client_ca: ca.pem"
            ), file: "/srv/t/demo.yaml")
        #expect(elsewhere.tls == .init(certificate: "/srv/t/b.pem", privateKey: "/k/x.key", clientCA: "/srv/t/ca.pem"))
    }

    @Test func profileOneTakesTLSOrNot() throws {
        #expect(try decode(Fixtures.tenant).tls == nil)
        let config = try decode(Fixtures.tenant.with("tls", Self.tls))
        #expect(config.ocpp.securityProfile == 1)
        #expect(config.tls?.clientCA == nil)
    }

    @Test func profileTwoNeedsTLSButNoClientCA() throws {
        let withTLS = Fixtures.tenant.with("ocpp", "ocpp:\n  security_profile: 2").with("tls", Self.tls)
        #expect(try decode(withTLS).ocpp.securityProfile == 2)
        #expect(
            tenantErrors(Fixtures.tenant.with("ocpp", "ocpp:\n  security_profile: 2").yaml) == [
                "/etc/csms/tenants/demo.yaml:5:3: ocpp.security_profile: security profile 2 requires TLS: add a tls "
                    + "section with the tenant's server certificate (tls.certificate and tls.private_key)"
            ])
    }

    @Test func profileThreeNeedsTLSAndAStationCA() throws {
        let profile3 = Fixtures.tenant.with("ocpp", "ocpp:\n  unknown_stations: pending\n  security_profile: 3")
        #expect(
            tenantErrors(profile3.yaml) == [
                "/etc/csms/tenants/demo.yaml:6:3: ocpp.security_profile: security profile 3 requires TLS: add a tls "
                    + "section with the tenant's server certificate (tls.certificate, tls.private_key and "
                    + "tls.client_ca)"
            ])
        // Reported at the tls mapping, where the key is missing.
        #expect(
            tenantErrors(profile3.with("tls", Self.tls).yaml) == [
                "/etc/csms/tenants/demo.yaml:8:3: tls.client_ca: required with security profile 3: the PEM file of "
                    + "the CA certificates station certificates must chain to"
            ])
        #expect(tenantErrors(profile3.with("tls", Self.tls + "\n  client_ca:").yaml).count == 1)
        let config = try decode(profile3.with("tls", Self.tls + "\n  client_ca: /etc/csms/stations-ca.pem"))
        #expect(config.tls?.clientCA == "/etc/csms/stations-ca.pem")
    }

    @Test func everyProblemOfTheSectionIsReportedOnce() {
        let yaml = Fixtures.tenant.with("ocpp", "ocpp:\n  security_profile: 3")
            .with("tls", "tls:\n  certificat: a.pem\n  client_ca: 7").yaml
        #expect(
            messages(tenantErrors(yaml)) == [
                "tls.certificate: missing required key",
                "tls.private_key: missing required key",
                "tls.certificat: unknown key; did you mean certificate?",
                "tls.client_ca: expected a string, got the integer 7 (put it in quotes if it is meant as text)",
            ])
        // A section of the wrong type is one error, not also a missing section.
        #expect(
            messages(
                tenantErrors(Fixtures.tenant.with("ocpp", "ocpp:\n  security_profile: 2").with("tls", "tls: on").yaml))
                == ["tls: expected a mapping, got the string \"on\""])
        #expect(
            messages(tenantErrors(Fixtures.tenant.with("tls", "tls:\n  certificate: \"\"\n  private_key: k").yaml))
                == ["tls.certificate: must not be empty"])
    }

    @Test func aTLSSectionWithoutValueIsNoTLS() {
        #expect(
            messages(
                tenantErrors(Fixtures.tenant.with("ocpp", "ocpp:\n  security_profile: 2").with("tls", "tls:").yaml))
                == [
                    "ocpp.security_profile: security profile 2 requires TLS: add a tls section with the tenant's "
                        + "server certificate (tls.certificate and tls.private_key)"
                ])
    }

    @Test func renderedFileKeepsTheAbsolutePaths() throws {
        let config = try decode(
            Fixtures.tenant.with("ocpp", "ocpp:\n  security_profile: 3")
                .with("tls", Self.tls + "\n  client_ca: ../ca.pem"))
        let text = config.render()
        #expect(
            text.contains(
                """
                tls:
                  certificate: "/etc/csms/tenants/certs/demo.pem"
                  private_key: "/etc/csms/tenants/certs/demo.key"
                  client_ca: "/etc/csms/ca.pem"

                """))
        // Read back from anywhere, the paths stay the same.
        #expect(try TenantConfig.decode(yaml: text, file: "/elsewhere/demo.yaml", platform: nil) == config)
    }
}
