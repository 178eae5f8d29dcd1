# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A throw-away certificate authority made with the `openssl` command: the server certificate
a tenant brings in its `tls` section, and station client certificates for security profile 3
(subject CN = the station identity, OCPP security white paper A00.FR.405)."""

from __future__ import annotations

import ssl
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CertificatePair:
    certificate: Path
    private_key: Path


class TestCA:
    """A CA in `folder` (ca.pem / ca.key) that issues server and client certificates."""

    __test__ = False  # not a pytest test class

    def __init__(self, folder: Path, name: str = "Open-CSMS E2E CA"):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.certificate = folder / "ca.pem"
        self.key = folder / "ca.key"
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-days", "2", "-subj", f"/O=Open-CSMS E2E/CN={name}", "-keyout", str(self.key),
                      "-out", str(self.certificate), "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def server(self, name: str, hosts: list[str]) -> CertificatePair:
        """A server certificate for `hosts` (DNS names, wildcards or IP addresses)."""
        sans = ",".join(f"IP:{h}" if h[0].isdigit() else f"DNS:{h}" for h in hosts)
        return self._issue(name, f"/O=Open-CSMS E2E/CN={hosts[0]}",
                           [f"subjectAltName={sans}", "extendedKeyUsage=serverAuth"])

    def client(self, common_name: str, *, expired: bool = False) -> CertificatePair:
        """A station certificate whose subject CN is `common_name`."""
        return self._issue(f"client-{common_name}{'-expired' if expired else ''}",
                           f"/O=Open-CSMS E2E/CN={common_name}", ["extendedKeyUsage=clientAuth"], expired=expired)

    def _issue(self, name: str, subject: str, extensions: list[str], expired: bool = False) -> CertificatePair:
        pair = CertificatePair(self.folder / f"{name}.pem", self.folder / f"{name}.key")
        csr = self.folder / f"{name}.csr"
        ext = self.folder / f"{name}.ext"
        ext.write_text("\n".join(extensions) + "\n")
        self._openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-subj", subject, "-keyout", str(pair.private_key), "-out", str(csr))
        # OpenSSL 3 takes a negative day count: the validity then ended before it began.
        self._openssl("x509", "-req", "-in", str(csr), "-CA", str(self.certificate), "-CAkey", str(self.key),
                      "-CAcreateserial", "-out", str(pair.certificate), "-extfile", str(ext),
                      "-days", "-1" if expired else "2")
        return pair

    @staticmethod
    def _openssl(*args: str) -> None:
        done = subprocess.run(["openssl", *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"openssl {' '.join(args)} failed: {done.stderr}")

    def client_context(self, certificate: CertificatePair | None = None, *,
                       maximum_version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
        """What a station uses: trusts this CA, checks the server's name, presents `certificate`."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(self.certificate))
        if certificate is not None:
            context.load_cert_chain(str(certificate.certificate), str(certificate.private_key))
        if maximum_version is not None:
            # Old versions are deprecated in Python's ssl module, which is the point of asking.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
                context.maximum_version = maximum_version
        return context


def equip_tenants(deployment) -> TestCA:
    """Makes a CA in the deployment's folder and gives every tenant whose security profile needs
    TLS (2 and 3) a `tls` section: one server certificate for `*.<base_domain>` (what stations ask
    for through the router) and 127.0.0.1 (the tenant's own port), and for profile 3 the CA as
    `client_ca`. Call before `write_config`."""
    from .deployment import TenantTLS

    ca = TestCA(deployment.dir / "tls")
    server = ca.server("server", [f"*.{deployment.base_domain}", "localhost", "127.0.0.1"])
    for t in deployment.tenants.values():
        if t.security_profile >= 2:
            t.tls = TenantTLS(server.certificate, server.private_key,
                              ca.certificate if t.security_profile == 3 else None)
    return ca
