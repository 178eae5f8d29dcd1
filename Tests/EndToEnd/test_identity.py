# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Identity end to end (issue 6) with a real OIDC provider (nanoidp): a scripted browser login
through the control plane (code + PKCE, state, nonce) ends in a platform session token; a
role × endpoint matrix over both tenants and the platform API; bad tokens get 401 with a
WWW-Authenticate saying why; machine clients exchange the provider's access token; key rotation
at the provider is picked up; a provider that is down means 503 on login while tokens keep
working."""

from __future__ import annotations

import base64
import json
import time
import urllib.parse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from support.idp import request
from support.rest import RestClient, assert_problem


def admin_get(deployment, path: str, headers: dict[str, str] | None = None):
    """GET on admin.<base> through the edge router's port."""
    return request("GET", f"http://{deployment.platform_host}{path}", headers=headers,
                   connect_to=("127.0.0.1", deployment.router_port))


def login(deployment, user: str, tenant_key: str | None):
    """The browser's steps. Returns (final response, session token or None)."""
    query = f"?tenant={deployment.tenants[tenant_key].slug}" if tenant_key else ""
    start = admin_get(deployment, "/auth/login" + query + ("&" if query else "?") + "return_to=/stations")
    assert start.status == 302, (start.status, start.text)
    cookie = "; ".join(v.split(";", 1)[0] for v in start.headers.get("set-cookie", []))
    assert "csms_login=" in cookie and "HttpOnly" in start.headers["set-cookie"][0], start.headers
    authorize = start.header("location")
    assert authorize.startswith(deployment.idp.issuer + "/authorize?"), authorize
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    assert params["code_challenge_method"] == "S256" and params["state"] and params["nonce"], params
    callback = deployment.idp.submit_login_form(authorize, user)
    done = request("GET", callback, headers={"Cookie": cookie})
    if done.status != 302:
        return done, None
    target = done.header("location")
    fragment = urllib.parse.urlsplit(target).fragment
    token = dict(urllib.parse.parse_qsl(fragment)).get("session")
    return done, token


def tenant_client(deployment, key: str, token: str) -> RestClient:
    return RestClient(deployment.router_url, token, host=deployment.tenant_host(deployment.tenants[key].slug))


def platform_client(deployment, token: str) -> RestClient:
    return RestClient(deployment.router_url, token, host=deployment.platform_host)


_tokens: dict[tuple[str, str | None], str] = {}


def session_token(deployment, user: str, tenant_key: str | None) -> str:
    if (user, tenant_key) not in _tokens:
        done, token = login(deployment, user, tenant_key)
        assert token, (done.status, done.text)
        _tokens[(user, tenant_key)] = token
    return _tokens[(user, tenant_key)]


def test_a_scripted_login_ends_on_the_tenant_with_a_session_token(deployment):
    done, token = login(deployment, "operator-acme", "acme")
    slug = deployment.tenants["acme"].slug
    assert done.status == 302 and token, (done.status, done.text)
    assert done.header("location").startswith(f"http://{slug}.{deployment.base_domain}:{deployment.router_port}"
                                               "/stations#session="), done.headers
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["role"] == "tenant-operator" and claims["tenant"] == slug, claims
    assert claims["sub"].startswith(deployment.idp.issuer + "|"), claims
    stations = tenant_client(deployment, "acme", token).get("/api/v1/stations")
    assert stations.status == 200, stations.describe()


def test_a_login_for_a_tenant_the_identity_does_not_belong_to_is_refused(deployment):
    done, token = login(deployment, "operator-acme", "beta")
    assert token is None and done.status == 403, (done.status, done.text)
    done, token = login(deployment, "nobody", "acme")
    assert token is None and done.status == 403, (done.status, done.text)
    # A callback replayed, or without the browser's login cookie, is refused.
    start = admin_get(deployment, f"/auth/login?tenant={deployment.tenants['acme'].slug}")
    callback = deployment.idp.submit_login_form(start.header("location"), "operator-acme")
    assert request("GET", callback).status == 400
    assert request("GET", callback, headers={"Cookie": "csms_login=forged"}).status == 400


# (user, login tenant) → expected statuses per endpoint class, on acme, on beta, on the platform API.
# Tenant classes: read GET /stations, write POST /tokens, commands POST commands (404: unknown
# station, i.e. allowed), keys GET /api-keys. Platform classes: read GET /tenants, write POST /plans
# with an invalid body (422: allowed past authorization).
MATRIX = {
    ("platform-admin", None): ({"read": 200, "write": 201, "commands": 404, "keys": 200},) * 2
    + ({"read": 200, "write": 422},),
    ("platform-operator", None): ({"read": 200, "write": 201, "commands": 404, "keys": 403},) * 2
    + ({"read": 200, "write": 403},),
    ("admin-acme", "acme"): ({"read": 200, "write": 201, "commands": 404, "keys": 200},
                             {"read": 403, "write": 403, "commands": 403, "keys": 403},
                             {"read": 403, "write": 403}),
    ("operator-acme", "acme"): ({"read": 200, "write": 201, "commands": 404, "keys": 403},
                                {"read": 403, "write": 403, "commands": 403, "keys": 403},
                                {"read": 403, "write": 403}),
    ("viewer-acme", "acme"): ({"read": 200, "write": 403, "commands": 403, "keys": 403},
                              {"read": 403, "write": 403, "commands": 403, "keys": 403},
                              {"read": 403, "write": 403}),
    ("admin-beta", "beta"): ({"read": 403, "write": 403, "commands": 403, "keys": 403},
                             {"read": 200, "write": 201, "commands": 404, "keys": 200},
                             {"read": 403, "write": 403}),
}


@pytest.mark.parametrize("who", list(MATRIX), ids=[u for u, _ in MATRIX])
def test_role_by_endpoint_matrix(deployment, who):
    user, tenant_key = who
    token = session_token(deployment, user, tenant_key)
    expected_acme, expected_beta, expected_platform = MATRIX[who]
    seen = {}
    for key, expected in (("acme", expected_acme), ("beta", expected_beta)):
        client = tenant_client(deployment, key, token)
        tag = f"M{abs(hash((user, key, time.monotonic()))) % 10**10}"
        got = {
            "read": client.get("/api/v1/stations").status,
            "write": client.post("/api/v1/tokens", {"token": tag}).status,
            "commands": client.post("/api/v1/stations/NOPE/commands/Reset", {"type": "Soft"}).status,
            "keys": client.get("/api/v1/api-keys").status,
        }
        seen[key] = got
    platform = platform_client(deployment, token)
    seen["platform"] = {
        "read": platform.get("/platform/v1/tenants").status,
        "write": platform.post("/platform/v1/plans", {"name": ""}).status,
    }
    assert seen == {"acme": expected_acme, "beta": expected_beta, "platform": expected_platform}, seen


# --- bad tokens ------------------------------------------------------------------------------------

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict, claims: dict, key: ec.EllipticCurvePrivateKey | None) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    if key is None:
        return signing_input + "."
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def test_bad_session_tokens_get_401_saying_why(deployment):
    platform_key = serialization.load_pem_private_key(
        (deployment.dir / "data" / "secrets" / "session-signing.pem").read_bytes(), password=None)
    jwks = json.loads(admin_get(deployment, "/auth/jwks").text)
    kid = jwks["keys"][0]["kid"]
    now = int(time.time())
    slug = deployment.tenants["acme"].slug
    good = {"iss": f"https://admin.{deployment.base_domain}", "aud": "open-csms-api", "sub": "x|mallory",
            "role": "tenant-admin", "tenant": slug, "iat": now, "exp": now + 600}
    header = {"alg": "ES256", "typ": "at+jwt", "kid": kid}
    # The forger holds the real key: a well-formed token passes, so the refusals below are about
    # exactly what each one changes.
    assert tenant_client(deployment, "acme", forge(header, good, platform_key)).get("/api/v1/stations").status == 200
    valid = forge(header, good, platform_key)
    tampered = valid.split(".")
    tampered[1] = b64(json.dumps({**good, "role": "platform-admin"}).encode())
    cases = {
        "expired": forge(header, {**good, "iat": now - 7200, "exp": now - 3600}, platform_key),
        "tampered": ".".join(tampered),
        "wrong audience": forge(header, {**good, "aud": "someone-else"}, platform_key),
        "wrong issuer": forge(header, {**good, "iss": "https://admin.evil.example"}, platform_key),
        "unknown kid": forge({**header, "kid": "not-a-platform-key"}, good, ec.generate_private_key(ec.SECP256R1())),
        "alg none": forge({"alg": "none", "typ": "at+jwt", "kid": kid}, good, None),
    }
    for name, token in cases.items():
        r = tenant_client(deployment, "acme", token).get("/api/v1/stations")
        assert_problem(r, 401)
        challenge = r.headers.get("www-authenticate", "")
        assert challenge.startswith("Bearer") and 'error="invalid_token"' in challenge, (name, challenge)
        assert "error_description=" in challenge, (name, challenge)
        # The platform API refuses them the same way.
        p = platform_client(deployment, token).get("/platform/v1/tenants")
        assert p.status == 401 and 'error="invalid_token"' in p.headers.get("www-authenticate", ""), (name, p.describe())


# --- machine clients, rotation, provider down ------------------------------------------------------

def exchange(deployment, access_token: str, tenant_key: str | None):
    fields = {"subject_token": access_token}
    if tenant_key:
        fields["tenant"] = deployment.tenants[tenant_key].slug
    return request("POST", f"http://{deployment.platform_host}/auth/token",
                   body=urllib.parse.urlencode(fields).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"},
                   connect_to=("127.0.0.1", deployment.router_port))


def test_a_machine_client_exchanges_the_providers_access_token(deployment):
    access = deployment.idp.access_token("operator-acme")
    answer = exchange(deployment, access, "acme")
    assert answer.status == 200, answer.text
    body = json.loads(answer.text)
    assert body["token_type"] == "Bearer" and body["role"] == "tenant-operator" and body["expires_in"] > 0, body
    assert tenant_client(deployment, "acme", body["access_token"]).get("/api/v1/stations").status == 200
    # The provider's token for another tenant grants nothing; a tampered one is refused with a reason.
    assert exchange(deployment, access, "beta").status == 403
    parts = access.split(".")
    parts[1] = b64(json.dumps({"sub": "admin", "groups": ["csms-platform-admins"]}).encode())
    refused = exchange(deployment, ".".join(parts), None)
    assert refused.status == 401 and 'error="invalid_token"' in (refused.header("www-authenticate") or ""), \
        (refused.status, refused.headers)


def test_key_rotation_at_the_provider_is_picked_up(deployment):
    before = deployment.idp.access_token("admin-acme")
    assert exchange(deployment, before, "acme").status == 200
    rotated = deployment.idp.rotate_keys()
    after = deployment.idp.access_token("admin-acme")
    header = json.loads(base64.urlsafe_b64decode(after.split(".")[0] + "=="))
    assert header["kid"] == rotated["new_kid"] != rotated["old_kid"], (header, rotated)
    # The control plane fetches the provider's keys again for the unknown kid, at most once per
    # jwks_refetch_interval (1 s here): within a few seconds the new key is known.
    deadline = time.monotonic() + 10
    answer = exchange(deployment, after, "acme")
    while answer.status != 200 and time.monotonic() < deadline:
        assert answer.status == 401 and "fetched" in answer.text, answer.text
        time.sleep(0.2)
        answer = exchange(deployment, after, "acme")
    assert answer.status == 200, answer.text


def test_a_provider_that_is_down_means_503_on_login_while_tokens_keep_working(deployment):
    session = session_token(deployment, "viewer-acme", "acme")
    access = deployment.idp.access_token("viewer-acme")
    deployment.idp.stop()
    try:
        down = admin_get(deployment, f"/auth/login?tenant={deployment.tenants['acme'].slug}")
        assert down.status == 503 and down.header("retry-after"), (down.status, down.text)
        # Session tokens are verified by the worker alone.
        assert tenant_client(deployment, "acme", session).get("/api/v1/stations").status == 200
        # The provider's keys are cached: an access token signed with a known key still exchanges.
        assert exchange(deployment, access, "acme").status == 200
    finally:
        deployment.idp.start()
