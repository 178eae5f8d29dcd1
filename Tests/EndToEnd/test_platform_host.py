# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The platform's own host through the edge router (issue 5): `admin.<base_domain>` reaches the
control plane's platform API on the one tenant port, plain and over TLS with the platform
certificate, and TLS connections the router refuses are answered in HTTP after a real handshake
with that certificate instead of a bare alert."""

from __future__ import annotations

import json
import socket
import ssl

from support.rest import RestClient, assert_problem


def tls_exchange(deployment, server_name: str, path: str, *, host: str | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str, dict]:
    """One HTTP/1.1 request over TLS to the router port with SNI `server_name`, verifying the
    server's certificate against the deployment's CA for that name. Returns the status, headers,
    body and what the TLS layer saw (the peer certificate's subject)."""
    context = deployment.ca.client_context()
    with socket.create_connection(("127.0.0.1", deployment.router_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            peer = tls.getpeercert()
            lines = [f"GET {path} HTTP/1.1", f"Host: {host or server_name}", "Connection: close"]
            lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
            tls.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            data = b""
            while chunk := tls.recv(65536):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    return int(status_line.split()[1]), fields, body.decode(), peer


def test_the_platform_api_is_served_at_admin_through_the_router(deployment):
    platform = RestClient(deployment.router_url, deployment.platform_key, host=deployment.platform_host)
    listed = platform.get("/platform/v1/tenants")
    assert listed.status == 200, listed.describe()
    slugs = {t["slug"] for t in listed.json["items"]}
    assert {t.slug for t in deployment.tenants.values()} <= slugs, listed.json
    # The same rules as on listen.admin: no key, no answer.
    assert_problem(platform.get("/platform/v1/tenants", api_key=False), 401)
    health = platform.get("/healthz", api_key=False)
    assert health.status in (200, 503) and "workers" in health.json, health.describe()


def test_the_platform_host_over_tls_uses_the_platform_certificate(deployment):
    status, headers, body, peer = tls_exchange(
        deployment, f"admin.{deployment.base_domain}", "/platform/v1/tenants",
        headers={"Authorization": f"Bearer {deployment.platform_key}"})
    assert status == 200, body
    assert headers["content-type"].startswith("application/json"), headers
    assert dict(x[0] for x in peer["subject"])["commonName"] == f"admin.{deployment.base_domain}", peer
    # A request for a tenant's host on the platform's connection is misdirected (RFC 9110 §15.5.20).
    acme = deployment.tenants["acme"]
    status, headers, body, _ = tls_exchange(
        deployment, f"admin.{deployment.base_domain}", "/healthz", host=f"{acme.slug}.{deployment.base_domain}")
    assert status == 421, body
    assert headers["content-type"] == "application/problem+json", headers


def test_tls_refusals_are_problem_documents_after_a_real_handshake(deployment):
    status, headers, body, peer = tls_exchange(deployment, f"nobody.{deployment.base_domain}", "/ocpp/CP-1")
    assert status == 404, body
    assert headers["content-type"] == "application/problem+json", headers
    problem = json.loads(body)
    assert problem["status"] == 404 and f"nobody.{deployment.base_domain}" in problem["detail"], problem
    # The handshake was the platform's certificate (a wildcard under the base domain).
    names = [v for k, v in peer["subjectAltName"]]
    assert f"*.{deployment.base_domain}" in names, peer


def test_tls_without_sni_is_still_refused_with_a_problem_document(deployment):
    context = deployment.ca.client_context()
    context.check_hostname = False
    with socket.create_connection(("127.0.0.1", deployment.router_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=None) as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := tls.recv(65536):
                data += chunk
    assert data.startswith(b"HTTP/1.1 404"), data[:200]
