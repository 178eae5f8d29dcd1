# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A tenant with its own identity provider (issue 6 item 1, tenant file `identity`), end to end
with two real nanoidp processes: the platform's, and beta's own. Its own deployment (acme on the
platform's provider, beta on its own), so the shared one of test_identity.py stays as it is.

- a login for beta goes to beta's provider and ends in a tenant-admin session for beta only;
- beta's provider grants no role for acme and no platform role;
- /auth/token: beta's access tokens work for beta only; the platform provider's tenant-admin of
  beta is refused for beta (beta's admins are its provider's say), its platform admin is not;
- the callback is bound to the provider the login went to (mix-up defence)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import urllib.parse

import pytest

from support.deployment import Deployment, TenantSpec
from support.env import TestServices
from support.idp import NanoIDP, request
from support.rest import RestClient
from support.stations import OCPP16, OCPP201


@pytest.fixture(scope="module")
def tidp(request: pytest.FixtureRequest):
    d = Deployment(TestServices.from_environment(), [
        TenantSpec("acme", [OCPP201, OCPP16], unknown_stations="pending"),
        TenantSpec("beta", [OCPP16], unknown_stations="reject"),
    ], log_level=os.environ.get("CSMS_E2E_LOG_LEVEL", "debug"), tenant_identity_providers=("beta",))
    d.write_config()
    failed_before = request.session.testsfailed
    try:
        d.bootstrap()
        d.start()
        d.wait_healthy()
        yield d
    finally:
        d.stop()
        if os.environ.get("CSMS_E2E_KEEP") != "1":
            d.drop_database()
            if request.session.testsfailed == failed_before:
                shutil.rmtree(d.dir, ignore_errors=True)


def admin_get(d: Deployment, path: str, headers: dict[str, str] | None = None):
    return request("GET", f"http://{d.platform_host}{path}", headers=headers,
                   connect_to=("127.0.0.1", d.router_port))


def start_login(d: Deployment, tenant_key: str | None):
    query = f"?tenant={d.tenants[tenant_key].slug}" if tenant_key else ""
    start = admin_get(d, "/auth/login" + query)
    assert start.status == 302, (start.status, start.text)
    cookie = "; ".join(v.split(";", 1)[0] for v in start.headers.get("set-cookie", []))
    return start.header("location") or "", cookie


def login(d: Deployment, idp: NanoIDP, user: str, tenant_key: str | None):
    """The browser's steps at `idp`. Returns (final response, session token or None)."""
    authorize, cookie = start_login(d, tenant_key)
    assert authorize.startswith(idp.issuer + "/authorize?"), authorize
    done = request("GET", idp.submit_login_form(authorize, user), headers={"Cookie": cookie})
    if done.status != 302:
        return done, None
    fragment = urllib.parse.urlsplit(done.header("location") or "").fragment
    return done, dict(urllib.parse.parse_qsl(fragment)).get("session")


def claims_of(token: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def tenant_get(d: Deployment, key: str, token: str, path: str = "/api/v1/stations"):
    return RestClient(d.router_url, token, host=d.tenant_host(d.tenants[key].slug)).get(path)


def exchange(d: Deployment, access_token: str, tenant_key: str | None):
    fields = {"subject_token": access_token}
    if tenant_key:
        fields["tenant"] = d.tenants[tenant_key].slug
    return request("POST", f"http://{d.platform_host}/auth/token", body=urllib.parse.urlencode(fields).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"},
                   connect_to=("127.0.0.1", d.router_port))


def test_a_login_for_beta_goes_to_betas_provider_and_is_for_beta_only(tidp):
    beta_idp = tidp.tenant_idps["beta"]
    assert beta_idp.issuer != tidp.idp.issuer
    done, token = login(tidp, beta_idp, "beta-admin", "beta")
    assert done.status == 302 and token, (done.status, done.text)
    claims = claims_of(token)
    assert claims["role"] == "tenant-admin" and claims["tenant"] == tidp.tenants["beta"].slug, claims
    assert claims["sub"] == f"{beta_idp.issuer}|beta-admin", claims
    assert tenant_get(tidp, "beta", token).status == 200
    assert tenant_get(tidp, "beta", token, "/api/v1/api-keys").status == 200
    assert tenant_get(tidp, "acme", token).status == 403
    platform = RestClient(tidp.router_url, token, host=tidp.platform_host).get("/platform/v1/tenants")
    assert platform.status == 403, platform.describe()
    # A viewer of beta's provider is a viewer.
    done, token = login(tidp, beta_idp, "beta-viewer", "beta")
    assert token and claims_of(token)["role"] == "tenant-viewer", (done.status, done.text)


def test_acme_and_the_platform_still_log_in_through_the_platforms_provider(tidp):
    done, token = login(tidp, tidp.idp, "admin-acme", "acme")
    assert token and claims_of(token)["tenant"] == tidp.tenants["acme"].slug, (done.status, done.text)
    assert tenant_get(tidp, "acme", token).status == 200
    done, token = login(tidp, tidp.idp, "platform-admin", None)
    assert token and claims_of(token)["role"] == "platform-admin", (done.status, done.text)
    # Platform roles serve every tenant, beta included.
    assert tenant_get(tidp, "beta", token).status == 200


def test_betas_provider_grants_no_platform_role_and_nothing_without_a_mapped_group(tidp):
    beta_idp = tidp.tenant_idps["beta"]
    # In the platform provider's platform-admin group, but at beta's provider: no beta role mapped.
    done, token = login(tidp, beta_idp, "beta-platform-admin", "beta")
    assert token is None and done.status == 403, (done.status, done.text)


def test_a_callback_from_another_provider_is_refused(tidp):
    # A login sent to beta's provider, answered by the platform's (a code and iss of another
    # provider, the mix-up attack): the state matches, the issuer does not.
    authorize, cookie = start_login(tidp, "beta")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    forged = (f"{tidp.idp.redirect_uri}?" + urllib.parse.urlencode(
        {"code": "forged", "state": params["state"], "iss": tidp.idp.issuer}))
    answer = request("GET", forged, headers={"Cookie": cookie})
    assert answer.status == 400 and "iss" in answer.text, (answer.status, answer.text)


def test_machine_clients_exchange_betas_tokens_for_beta_only(tidp):
    beta_idp = tidp.tenant_idps["beta"]
    access = beta_idp.access_token("beta-admin")
    answer = exchange(tidp, access, "beta")
    assert answer.status == 200, answer.text
    body = json.loads(answer.text)
    assert body["role"] == "tenant-admin" and body["tenant"] == tidp.tenants["beta"].slug, body
    assert tenant_get(tidp, "beta", body["access_token"]).status == 200
    # For acme the token is checked against the platform's provider: another issuer, 401.
    refused = exchange(tidp, access, "acme")
    assert refused.status in (401, 403), (refused.status, refused.text)
    assert exchange(tidp, access, None).status in (401, 403)
    # beta's provider never makes a platform admin, whatever the group.
    assert exchange(tidp, beta_idp.access_token("beta-platform-admin"), "beta").status == 403


def test_the_platform_providers_tenant_admin_of_beta_is_refused_for_beta(tidp):
    # The platform provider still lists admin-beta (group tenant-<beta>-admins): beta's admins are
    # now its own provider's say, so that token gets 403; a platform admin keeps every tenant.
    refused = exchange(tidp, tidp.idp.access_token("admin-beta"), "beta")
    assert refused.status == 403 and "own identity provider" in refused.text, (refused.status, refused.text)
    allowed = exchange(tidp, tidp.idp.access_token("platform-admin"), "beta")
    assert allowed.status == 200 and json.loads(allowed.text)["role"] == "platform-admin", allowed.text
    assert exchange(tidp, tidp.idp.access_token("admin-acme"), "acme").status == 200
