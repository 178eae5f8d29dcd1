# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A throw-away certificate authority made with the `openssl` command (scripts/test.sh installs
it): server certificates for host names and client certificates for station identities, as PEM
files, the way an operator brings them."""

from __future__ import annotations

import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Pair:
    certificate: Path
    private_key: Path


class TestCA:
    __test__ = False  # not a pytest test class

    def __init__(self, directory: Path, name: str = "Open-CSMS E2E CA"):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.certificate = self.dir / "ca.pem"
        self.key = self.dir / "ca.key"
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-days", "2", "-subj", f"/O=Open-CSMS E2E/CN={name}", "-keyout", self.key,
                      "-out", self.certificate, "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def server(self, name: str, hosts: list[str]) -> Pair:
        """A server certificate for `hosts` (DNS names, wildcards allowed; the first is the CN)."""
        sans = ",".join(f"DNS:{h}" for h in hosts)
        return self._issue(name, f"/O=Open-CSMS E2E/CN={hosts[0]}",
                           [f"subjectAltName={sans}", "extendedKeyUsage=serverAuth"])

    def client(self, common_name: str, *, expired: bool = False) -> Pair:
        """A client certificate whose subject CN is `common_name` (a station identity)."""
        name = f"client-{common_name}" + ("-expired" if expired else "")
        return self._issue(name, f"/O=Open-CSMS E2E/CN={common_name}", ["extendedKeyUsage=clientAuth"],
                           days=-1 if expired else 2)

    def client_context(self, client: Pair | None = None) -> ssl.SSLContext:
        """A TLS client context that trusts this CA (and presents `client` when given)."""
        context = ssl.create_default_context(cafile=str(self.certificate))
        if client is not None:
            context.load_cert_chain(str(client.certificate), str(client.private_key))
        return context

    def _issue(self, name: str, subject: str, extensions: list[str], days: int = 2) -> Pair:
        pair = Pair(self.dir / f"{name}.pem", self.dir / f"{name}.key")
        csr = self.dir / f"{name}.csr"
        self._openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-subj", subject, "-keyout", pair.private_key, "-out", csr)
        ext = self.dir / f"{name}.ext"
        ext.write_text("\n".join(extensions) + "\n")
        # OpenSSL 3.0 takes a negative day count: the validity then ended before it began.
        self._openssl("x509", "-req", "-in", csr, "-CA", self.certificate, "-CAkey", self.key,
                      "-CAcreateserial", "-out", pair.certificate, "-days", str(days), "-extfile", ext)
        return pair

    @staticmethod
    def _openssl(*args: object) -> None:
        result = subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"openssl {' '.join(map(str, args))} failed: {result.stderr}")
