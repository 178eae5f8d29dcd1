# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The deployment itself: each tenant's worker runs as its own process and reports healthy
dependencies on its own TCP port."""

import json

from support.deployment import http_get


def test_each_tenant_has_one_healthy_worker(deployment):
    for key, tenant in deployment.tenants.items():
        status, text = http_get(tenant.base_url + "/healthz")
        assert status == 200, text
        report = json.loads(text)
        assert report["tenant"] == tenant.slug
        assert report["postgres"]["state"] == "ok" and report["redis"]["state"] == "ok", report
        assert len(deployment.worker_pids(key)) == 1


def test_tenants_are_provisioned_in_the_database(deployment, db):
    rows = db.rows("SELECT slug, status FROM csms.tenants ORDER BY slug")
    assert {r["slug"] for r in rows} >= {t.slug for t in deployment.tenants.values()}
    assert all(r["status"] == "active" for r in rows if r["slug"] in {t.slug for t in deployment.tenants.values()})
