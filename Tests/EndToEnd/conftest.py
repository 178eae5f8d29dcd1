# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Session fixtures: one real deployment (bootstrap-db, controlplane run, a worker per tenant)
shared by every test; async tests run under asyncio.run; a failing test's report ends with the
tail of the control plane's log (its workers log into the same file)."""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil

import pytest

from support.deployment import Deployment, TenantSpec
from support.env import TestServices
from support.rest import RestClient
from support.stations import OCPP16, OCPP201
from support.tls import TestCA, equip_tenants

_deployment: Deployment | None = None
_tls_ca: TestCA | None = None
_kept: list[str] = []


@pytest.fixture(scope="session")
def deployment(request: pytest.FixtureRequest) -> Deployment:
    global _deployment, _tls_ca
    services = TestServices.from_environment()
    d = Deployment(services, [
        # Both versions, Basic auth, unknown stations let in as Pending (TC_B_30).
        TenantSpec("acme", [OCPP201, OCPP16], unknown_stations="pending"),
        # 1.6 only, unknown stations refused (404): subprotocol mismatch and unknown-id tests.
        TenantSpec("beta", [OCPP16], unknown_stations="reject"),
        # Security profiles 2 and 3 (test_tls.py): the worker terminates TLS with the tenant's
        # certificate; profile 3 stations present a certificate from the tenant's CA.
        TenantSpec("wss2", [OCPP201, OCPP16], unknown_stations="reject", security_profile=2),
        TenantSpec("wss3", [OCPP201, OCPP16], unknown_stations="reject", security_profile=3),
    ], log_level=os.environ.get("CSMS_E2E_LOG_LEVEL", "debug"))
    _deployment = d
    _tls_ca = equip_tenants(d)
    d.write_config()
    try:
        d.bootstrap()
        d.start()
        d.wait_healthy()
        yield d
    finally:
        d.stop()
        keep = os.environ.get("CSMS_E2E_KEEP") == "1"
        if not keep:
            d.drop_database()
        if request.session.testsfailed == 0 and not keep:
            shutil.rmtree(d.dir, ignore_errors=True)
        else:
            _kept.append(f"end-to-end deployment kept in {d.dir} (control plane and worker log: {d.log_path})")
        _deployment = None


@pytest.fixture(scope="session")
def acme(deployment: Deployment) -> TenantSpec:
    return deployment.tenants["acme"]


@pytest.fixture(scope="session")
def beta(deployment: Deployment) -> TenantSpec:
    return deployment.tenants["beta"]


@pytest.fixture(scope="session")
def wss2(deployment: Deployment) -> TenantSpec:
    return deployment.tenants["wss2"]


@pytest.fixture(scope="session")
def wss3(deployment: Deployment) -> TenantSpec:
    return deployment.tenants["wss3"]


@pytest.fixture(scope="session")
def api(deployment: Deployment, acme: TenantSpec) -> RestClient:
    return RestClient(acme.base_url, deployment.api_key)


@pytest.fixture(scope="session")
def beta_api(deployment: Deployment, beta: TenantSpec) -> RestClient:
    return RestClient(beta.base_url, deployment.api_key)


@pytest.fixture(scope="session")
def tls_ca(deployment: Deployment) -> TestCA:
    """The CA of the TLS tenants' server certificate and of profile 3 station certificates."""
    assert _tls_ca is not None
    return _tls_ca


@pytest.fixture(scope="session")
def db(deployment: Deployment):
    return deployment.db


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Runs `async def` tests on a fresh event loop (no pytest-asyncio needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _deployment is not None:
        report.sections.append(("control plane and worker log (last 120 lines)", _deployment.log_tail(120)))


def pytest_terminal_summary(terminalreporter):
    for line in _kept:
        terminalreporter.write_line(line)
