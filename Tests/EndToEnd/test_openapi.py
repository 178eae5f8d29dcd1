# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The OpenAPI 3.1 documents are true of the live servers (issue 6): each is served without a
credential, and schemathesis (a property-based API tester we did not write) generates requests
from it against the running worker and control plane, and finds no server error and no answer
whose status, content type, headers or body the document does not describe.

The runs are bounded (examples per operation, a fixed seed, a subprocess timeout) so they take
well under two minutes together. The platform run leaves out the two operations whose random but
valid requests would change the deployment itself (creating tenants starts workers; restarting
every worker disturbs the other tests); every other platform operation is fuzzed, and plans the
run made are removed afterwards."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from support.rest import RestClient

# The CLI beside this interpreter (`schemathesis` is in Tests/EndToEnd/requirements.txt).
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])


def fetch_document(url: str) -> dict:
    """The document, fetched with no credential at all, checked against the OpenAPI 3.1 schema
    (the one schemathesis ships, JSON Schema 2020-12)."""
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    with urllib.request.urlopen(urllib.request.Request(url), timeout=30) as resp:
        assert resp.status == 200, resp.status
        assert resp.headers.get_content_type() == "application/json", resp.headers
        document = json.loads(resp.read())
    errors = [str(e) for e in OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert not errors, "\n".join(errors[:20])
    return document


def run_schemathesis(url: str, key: str, work: Path, *extra: str, config_file: Path | None = None,
                     timeout: float = 150) -> str:
    """Runs `schemathesis run` against the document at `url` with the credential `key`; fails the
    test with schemathesis's own summary when it exits non-zero."""
    assert SCHEMATHESIS.exists(), f"schemathesis is not installed beside {sys.executable}"
    work.mkdir(parents=True, exist_ok=True)
    command = [
        str(SCHEMATHESIS), *(["--config-file", str(config_file)] if config_file else []), "run", url,
        "--header", f"Authorization: Bearer {key}",
        "--checks", CHECKS,
        # Positive and negative examples from the schemas, boundary values, then random ones; no
        # stateful phase (it would chain random calls into deletions of other tests' data).
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", "20",
        "--seed", "20261126",
        "--request-timeout", "20",
        "--generation-database", "none",
        "--no-color",
        # Every request and answer, for reading a failure afterwards.
        "--report", "ndjson", "--report-dir", str(work),
        *extra,
    ]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    (work / "schemathesis.log").write_text(output)
    assert done.returncode == 0, f"schemathesis exited {done.returncode}:\n{output[-20000:]}"
    return output


def seed_tenant_data(api: RestClient) -> dict[str, str]:
    """Resources of the run's own for the operations on one resource (read, change, delete): a
    pending station, an id token in a group, an API key, and a transaction when an earlier test
    left one. Random ids would only ever be answered 404."""
    tag = secrets.token_hex(3)
    station = f"OAS-{tag}"
    r = api.post("/api/v1/stations", {"identity": station, "registration_status": "pending"})
    assert r.status == 201, r.describe()
    token = api.post("/api/v1/tokens", {"token": f"OAS{tag}".upper(), "type": "ISO14443"})
    assert token.status == 201, token.describe()
    group = api.post("/api/v1/groups", {"name": f"oas-{tag}", "kind": "fleet", "group_token": f"OASG{tag}"})
    assert group.status == 201, group.describe()
    member = api.post(f"/api/v1/groups/{group.json['id']}/members", {"token_id": token.json["id"]})
    assert member.status == 201, member.describe()
    key = api.post("/api/v1/api-keys", {"name": f"oas-{tag}", "scopes": ["read"]})
    assert key.status == 201, key.describe()
    seeds = {"station": station, "token": str(token.json["id"]), "group": str(group.json["id"]),
             "api_key": key.json["id"]}
    transactions = api.get("/api/v1/transactions", params={"limit": 1}).json["items"]
    if transactions:
        seeds["transaction"] = str(transactions[0]["id"])
    return seeds


def tenant_config(seeds: dict[str, str]) -> str:
    """schemathesis.toml: each path's `{id}` is the seeded resource; changes send `If-Match: *`
    so that they get past the precondition to the change itself."""
    def entry(path_regex: str, **parameters: str) -> str:
        pairs = ", ".join(f'"{k}" = "{v}"' for k, v in parameters.items())
        return f'[[operations]]\ninclude-path-regex = "{path_regex}"\nparameters = {{ {pairs} }}\n\n'

    config = entry("/stations/[{]id[}]", **{"path.id": seeds["station"], "header.If-Match": "*"})
    config += entry("/tokens/[{]id[}]", **{"path.id": seeds["token"], "header.If-Match": "*"})
    config += entry("/groups/[{]id[}]", **{"path.id": seeds["group"], "path.token_id": seeds["token"],
                                          "header.If-Match": "*"})
    config += entry("/api-keys/[{]id[}]", **{"path.id": seeds["api_key"]})
    if "transaction" in seeds:
        config += entry("/transactions/[{]id[}]", **{"path.id": seeds["transaction"]})
    return config


def test_the_tenant_document_is_public_and_true_of_the_worker(deployment, acme, api, tmp_path):
    url = f"{acme.base_url}/api/v1/openapi.json"
    document = fetch_document(url)
    assert document["openapi"] == "3.1.0" and document["servers"] == [
        {"url": "/api/v1", "description": document["servers"][0]["description"]}], document["servers"]
    # Everything else under /api/v1 still needs a credential.
    refused = RestClient(acme.base_url, None).get("/api/v1/stations")
    assert refused.status == 401, refused.describe()
    config = tmp_path / "schemathesis.toml"
    config.write_text(tenant_config(seed_tenant_data(api)))
    output = run_schemathesis(url, deployment.api_key, tmp_path / "tenant", config_file=config)
    print(output[-3000:])


@pytest.fixture
def platform(deployment) -> RestClient:
    return RestClient(deployment.admin_url, deployment.platform_key)


def test_the_platform_document_is_public_and_true_of_the_control_plane(deployment, platform, tmp_path):
    url = f"{deployment.admin_url}/platform/v1/openapi.json"
    document = fetch_document(url)
    assert document["openapi"] == "3.1.0" and document["servers"][0]["url"] == "/platform/v1"
    assert RestClient(deployment.admin_url, None).get("/platform/v1/plans").status == 401
    plans_before = {p["name"] for p in platform.get("/platform/v1/plans").json["items"]}
    # A tenant of its own for the operations on one tenant (change, suspend, resume, restart,
    # delete): the run must not touch the tenants the other tests use, so it is given this slug
    # and does not pick up others from answers.
    slug = f"oas-{deployment.run_id}"
    created = platform.post("/platform/v1/tenants", {"slug": slug, "display_name": "OpenAPI", "plan": "e2e"})
    assert created.status == 201, created.describe()
    deployment.extra_slugs.append(slug)
    config = tmp_path / "schemathesis.toml"
    config.write_text(f"""\
[phases.coverage.extra-data-sources]
responses = false

[phases.fuzzing.extra-data-sources]
responses = false

[[operations]]
include-path-regex = "[{{]slug[}}]"
parameters = {{ "path.slug" = "{slug}" }}
""")
    try:
        output = run_schemathesis(
            url, deployment.platform_key, tmp_path / "platform",
            "--exclude-operation-id", "createTenant",
            "--exclude-operation-id", "restartAllWorkers",
            config_file=config)
        print(output[-3000:])
    finally:
        platform.delete(f"/platform/v1/tenants/{slug}", params={"erase_data": "true"})
        for plan in platform.get("/platform/v1/plans").json["items"]:
            if plan["name"] not in plans_before and plan["source"] == "api" and plan["tenants"] == 0:
                platform.delete(f"/platform/v1/plans/{plan['name']}")


def test_platform_resources_answer_405_with_allow_for_undocumented_methods(deployment, platform):
    """The documented methods of a platform resource are the ones it has: any other method gets
    405 naming exactly the documented ones in `Allow`."""
    document = fetch_document(f"{deployment.admin_url}/platform/v1/openapi.json")
    for path, item in document["paths"].items():
        if path == "/openapi.json":
            continue
        documented = {m.upper() for m in item}
        concrete = path.replace("{slug}", "no-such-tenant").replace("{name}", "no-such-plan")
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - documented:
            r = platform.request(method, f"/platform/v1{concrete}")
            assert r.status == 405, f"{method} {path}: {r.describe()}"
            assert r.content_type == "application/problem+json", f"{method} {path}: {r.describe()}"
            allowed = {m.strip() for m in r.headers["allow"].split(",")}
            assert allowed == documented, f"{method} {path}: Allow {allowed}, documented {documented}"
