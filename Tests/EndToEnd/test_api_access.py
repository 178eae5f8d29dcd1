# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Who may call the tenant API (issue 6): scoped API keys made through the API itself (shown once,
stored hashed, revocable), each scope against each endpoint class, keys bound to their tenant, and
an audit entry for every mutating call that the worker's role cannot alter."""

from __future__ import annotations

import secrets

from support.rest import RestClient, assert_problem


def make_key(api: RestClient, scopes: list[str], name: str | None = None) -> dict:
    r = api.post("/api/v1/api-keys", {"name": name or f"e2e-{'-'.join(scopes)}-{secrets.token_hex(2)}",
                                      "scopes": scopes})
    assert r.status == 201, r.describe()
    assert r.json["secret"].startswith("ocsk_") and r.json["scopes"] == sorted(scopes), r.json
    return r.json


def as_key(api: RestClient, secret: str) -> RestClient:
    return RestClient(api.base_url, secret, host=api.host)


def test_scoped_keys_allow_exactly_their_scopes(api):
    reader = as_key(api, make_key(api, ["read"])["secret"])
    writer = as_key(api, make_key(api, ["read", "write"])["secret"])
    operator = as_key(api, make_key(api, ["commands"])["secret"])
    token = f"ACC{secrets.token_hex(4).upper()}"

    # endpoint class → (reader, writer, operator) expected statuses
    assert reader.get("/api/v1/stations").status == 200
    assert writer.get("/api/v1/stations").status == 200
    assert_problem(operator.get("/api/v1/stations"), 403)

    assert_problem(reader.post("/api/v1/tokens", {"token": token}), 403)
    created = writer.post("/api/v1/tokens", {"token": token})
    assert created.status == 201, created.describe()
    assert_problem(operator.post("/api/v1/tokens", {"token": token + "X"}), 403)

    # Commands: a station that does not exist is 404 for the commands scope, 403 for the others.
    assert_problem(reader.post("/api/v1/stations/NOPE/commands/Reset", {"type": "Soft"}), 403)
    assert_problem(writer.post("/api/v1/stations/NOPE/commands/Reset", {"type": "Soft"}), 403)
    assert_problem(operator.post("/api/v1/stations/NOPE/commands/Reset", {"type": "Soft"}), 404)

    # Only administrators manage keys.
    for client in (reader, writer, operator):
        assert_problem(client.get("/api/v1/api-keys"), 403)
        assert_problem(client.post("/api/v1/api-keys", {"name": "x", "scopes": ["read"]}), 403)


def test_a_key_is_shown_once_listed_without_secret_and_revocable(api):
    made = make_key(api, ["read"])
    listed = api.get("/api/v1/api-keys")
    assert listed.status == 200, listed.describe()
    entry = next(k for k in listed.json["items"] if k["id"] == made["id"])
    assert "secret" not in entry and entry["prefix"] == made["secret"][:len(entry["prefix"])], entry
    client = as_key(api, made["secret"])
    assert client.get("/api/v1/stations").status == 200
    revoked = api.delete(f"/api/v1/api-keys/{made['id']}")
    assert revoked.status == 200 and revoked.json["revoked_at"], revoked.describe()
    refused = client.get("/api/v1/stations")
    assert_problem(refused, 401)
    assert "invalid_token" in refused.headers.get("www-authenticate", ""), refused.headers
    # Bad requests are problem documents naming what is wrong.
    bad = api.post("/api/v1/api-keys", {"name": "", "scopes": ["root"]})
    doc = assert_problem(bad, 422)
    assert "name" in doc["detail"] and "scopes" in doc["detail"], doc
    assert_problem(api.delete("/api/v1/api-keys/00000000-0000-0000-0000-000000000000"), 404)


def test_a_key_works_only_for_its_own_tenant(api, beta_api):
    made = make_key(api, ["read"])
    assert as_key(api, made["secret"]).get("/api/v1/stations").status == 200
    assert_problem(as_key(beta_api, made["secret"]).get("/api/v1/stations"), 401)
    assert_problem(as_key(api, "ocsk_" + secrets.token_urlsafe(32)).get("/api/v1/stations"), 401)


def test_every_mutating_call_is_audited_and_the_worker_cannot_alter_the_log(api, acme, db):
    writer_key = make_key(api, ["write"], name=f"auditor-{secrets.token_hex(3)}")
    writer = as_key(api, writer_key["secret"])
    token = f"AUD{secrets.token_hex(4).upper()}"
    assert writer.post("/api/v1/tokens", {"token": token}).status == 201
    assert_problem(writer.get("/api/v1/stations"), 403)  # reads are not audited
    assert_problem(writer.post("/api/v1/stations/NOPE/commands/Reset", {"type": "Soft"}), 403)
    rows = db.rows("""
        SELECT a.actor_kind, a.actor, a.actor_name, a.action, a.target, a.status, a.client_address
        FROM csms.audit_log a JOIN csms.tenants t ON t.id = a.tenant_id
        WHERE t.slug = :'slug' AND a.actor = :'actor' ORDER BY a.id""", slug=acme.slug, actor=writer_key["id"])
    assert [(r["action"], r["status"]) for r in rows] == [
        ("POST /api/v1/tokens", 201), ("POST /api/v1/stations/{id}/commands/{command}", 403)], rows
    assert all(r["actor_kind"] == "api_key" and r["actor_name"] == writer_key["name"] for r in rows), rows
    assert rows[0]["target"] == "/api/v1/tokens" and rows[0]["client_address"].startswith("127.0.0.1:"), rows
    # The key's creation was audited too, under the bootstrap key.
    created = db.rows("""
        SELECT a.action, a.actor FROM csms.audit_log a JOIN csms.tenants t ON t.id = a.tenant_id
        WHERE t.slug = :'slug' AND a.action = 'POST /api/v1/api-keys' AND a.status = 201""", slug=acme.slug)
    assert created and all(r["actor"].startswith("config:") for r in created), created
    # As the tenant's own database role: rows can be added, never changed or removed.
    role = db.rows("SELECT db_role FROM csms.tenants WHERE slug = :'slug'", slug=acme.slug)[0]["db_role"]
    for statement in ("UPDATE csms.audit_log SET action = 'x'", "DELETE FROM csms.audit_log"):
        error = db.error_as_role(role, statement)
        assert error and "permission denied" in error, (statement, error)


def test_a_key_with_its_own_rate_is_held_to_it_in_redis(api):
    r = api.post("/api/v1/api-keys", {"name": f"slow-{secrets.token_hex(2)}", "scopes": ["read"],
                                      "requests_per_second": 2})
    assert r.status == 201 and r.json["requests_per_second"] == 2, r.describe()
    slow = as_key(api, r.json["secret"])
    statuses = [slow.get("/api/v1/stations") for _ in range(6)]
    refused = [s for s in statuses if s.status == 429]
    assert refused, [s.status for s in statuses]
    doc = assert_problem(refused[0], 429)
    assert "this API key allows 2" in doc["detail"], doc
    assert refused[0].headers.get("retry-after") and refused[0].headers.get("ratelimit-limit") == "2", refused[0].headers
    # Other callers of the tenant are not affected by that key's budget.
    assert api.get("/api/v1/stations").status == 200
    assert_problem(api.post("/api/v1/api-keys", {"name": "x", "scopes": ["read"], "requests_per_second": 0}), 422)


def test_unknown_paths_and_methods_are_problem_documents(api):
    for method, path in (("GET", "/api/v1/no-such-thing"), ("PUT", "/api/v1/stations"),
                         ("GET", "/no-such-page")):
        r = api.request(method, path)
        doc = assert_problem(r, 404)
        assert path in doc["detail"], doc
