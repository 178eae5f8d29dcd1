# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The `open-csms` binary end to end (issue 6 item 8): `login` signs in with the device
authorization grant (RFC 8628) at the real identity provider (nanoidp) — the test plays the
person who opens the printed address and enters the code — and stores a session that `tokens
import` and the platform commands then use; `tokens import` reports every bad row by line and
imports nothing unless `--partial` is given."""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from support.rest import RestClient

INSTRUCTION = re.compile(r"^Open (\S+) and enter (\S+)$")


@pytest.fixture(scope="module")
def cli(deployment) -> Path:
    path = deployment.services.bin_dir / "open-csms"
    assert os.access(path, os.X_OK), f"{path} is missing: build the open-csms product (swift build)"
    return path


@pytest.fixture()
def home(tmp_path: Path, deployment) -> dict[str, str]:
    """The CLI's environment: a private HOME and XDG_CONFIG_HOME, the control plane's loopback admin
    address as $OPEN_CSMS_URL, and no API key from the caller's environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPEN_CSMS_")}
    env.update({"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
                "OPEN_CSMS_URL": deployment.admin_url})
    (tmp_path / "home").mkdir()
    return env


def credentials_path(env: dict[str, str]) -> Path:
    return Path(env["XDG_CONFIG_HOME"]) / "open-csms" / "credentials.json"


def run(cli: Path, env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(cli), *args], env=env, capture_output=True, text=True, timeout=timeout)


def login(cli: Path, env: dict[str, str], deployment, user: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs `open-csms login`, waits for the code it prints on stderr, approves it at the provider
    as `user`, and returns the finished process's output."""
    process = subprocess.Popen([str(cli), "login", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    collected: list[str] = []

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        code = None
        while code is None:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                raise AssertionError(f"open-csms login printed no code within 30 s: {collected}") from None
            if line is None:
                raise AssertionError(f"open-csms login ended before printing a code ({process.wait()}): {collected}")
            collected.append(line)
            match = INSTRUCTION.match(line)
            if match:
                url, code = match.groups()
                assert url.startswith(deployment.idp.issuer + "/device"), line
        deployment.idp.approve_device(code, user)
        assert process.stdout is not None
        stdout = process.stdout.read()
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(10)
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line is not None:
            collected.append(line)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, "\n".join(collected))


def test_login_with_the_device_grant_stores_a_tenant_session(cli, home, deployment, acme):
    done = login(cli, home, deployment, "operator-acme", "--admin-url", deployment.admin_url, "--tenant", acme.slug)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert f"logged in to tenant {acme.slug} at {deployment.admin_url} as tenant-operator" in done.stdout, done.stdout
    path = credentials_path(home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    stored = json.loads(path.read_text())["sessions"]
    assert [(s["admin_url"], s["tenant"], s["role"]) for s in stored] == [
        (deployment.admin_url, acme.slug, "tenant-operator")], stored
    # The stored token is a platform session token the tenant's worker accepts.
    answer = RestClient(acme.base_url, stored[0]["access_token"]).get("/api/v1/tokens")
    assert answer.status == 200, answer.describe()

    # Logging out forgets it; the tenant commands then say how to get one.
    out = run(cli, home, "logout", "--tenant", acme.slug)
    assert out.returncode == 0 and "logged out" in out.stdout, (out.stdout, out.stderr)
    assert json.loads(path.read_text())["sessions"] == []
    refused = run(cli, home, "tokens", "export", "--tenant", acme.slug, "--tenant-url", acme.base_url)
    assert refused.returncode != 0 and f"run open-csms login --tenant {acme.slug}" in refused.stderr, refused.stderr


def test_login_refused_at_the_provider_stores_nothing(cli, home, deployment, acme):
    """A person without a role for the tenant: the provider approves, the control plane's exchange
    answers 403, and the CLI exits 1 with that reason."""
    done = login(cli, home, deployment, "nobody", "--tenant", acme.slug)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Forbidden" in done.stderr and "no role" in done.stderr, done.stderr
    assert not credentials_path(home).exists()


def test_tokens_import_reports_bad_rows_and_imports_good_ones_only_with_partial(cli, home, deployment, acme, api,
                                                                                tmp_path):
    done = login(cli, home, deployment, "operator-acme", "--tenant", acme.slug)
    assert done.returncode == 0, (done.stdout, done.stderr)
    prefix = f"CLI{secrets.token_hex(3).upper()}-"
    lines = [
        "token,type,status,expires_at,parent_token",
        f"{prefix}1,ISO14443,accepted,,",
        f"{prefix}2,Foo,accepted,,",
        f"{prefix}3,,blocked,2030-01-01T00:00:00Z,",
        f"{prefix}4,,sometimes,,",
        f"{prefix}5,,,not-a-date,",
        f"{prefix}6,,,,",
    ]
    file = tmp_path / "cards.csv"
    file.write_text("\n".join(lines) + "\n")
    target = ["--tenant", acme.slug, "--tenant-url", acme.base_url]

    whole = run(cli, home, "tokens", "import", str(file), *target)
    assert whole.returncode == 1, (whole.stdout, whole.stderr)
    out = whole.stdout.splitlines()
    assert out[0] == "imported 0, updated 0, rejected 3", whole.stdout
    assert out[1].startswith(f"line 3: {prefix}2: type: 'Foo' is not one of"), whole.stdout
    assert out[2].startswith(f"line 5: {prefix}4: status: 'sometimes'"), whole.stdout
    assert out[3].startswith(f"line 6: {prefix}5: expires_at: 'not-a-date'"), whole.stdout
    assert len(out) == 4, whole.stdout
    assert "--partial imports the good rows" in whole.stderr, whole.stderr
    # stderr is not a terminal here: no bar redrawn, one line with the final figures.
    assert re.search(r"^\[#+\] 100% \d+ B/\d+ B$", whole.stderr, re.M), whole.stderr
    listed = api.get("/api/v1/tokens", params={"q": prefix})
    assert listed.status == 200 and listed.json["items"] == [], listed.describe()

    partial = run(cli, home, "tokens", "import", str(file), "--partial", *target)
    assert partial.returncode == 1, (partial.stdout, partial.stderr)
    assert partial.stdout.splitlines()[0] == "imported 3, updated 0, rejected 3", partial.stdout
    listed = api.get("/api/v1/tokens", params={"q": prefix})
    assert listed.status == 200, listed.describe()
    got = {t["token"]: (t["type"], t["status"]) for t in listed.json["items"]}
    assert got == {f"{prefix}1": ("ISO14443", "accepted"), f"{prefix}3": ("Central", "blocked"),
                   f"{prefix}6": ("Central", "accepted")}, listed.json

    # A clean JSON file: exit status 0; a known token is updated.
    clean = tmp_path / "more.json"
    clean.write_text(json.dumps([{"token": f"{prefix}7"}, {"token": f"{prefix}1", "type": "ISO14443",
                                                           "status": "blocked"}]))
    good = run(cli, home, "tokens", "import", str(clean), *target)
    assert good.returncode == 0, (good.stdout, good.stderr)
    assert good.stdout.splitlines() == ["imported 1, updated 1, rejected 0"], good.stdout

    # Export prints what import reads.
    exported = run(cli, home, "tokens", "export", "--format", "csv", *target)
    assert exported.returncode == 0, exported.stderr
    rows = [r for r in exported.stdout.splitlines() if r.startswith(prefix)]
    assert exported.stdout.startswith("token,type,status,expires_at,parent_token"), exported.stdout[:200]
    assert f"{prefix}1,ISO14443,blocked,," in rows and len(rows) == 4, rows


def test_a_refused_import_exits_2(cli, home, acme, tmp_path):
    """A credential the worker does not know: 401, exit status 2, nothing about rows."""
    file = tmp_path / "t.csv"
    file.write_text("token\nA\n")
    env = dict(home, OPEN_CSMS_TENANT_API_KEY="not-a-key")
    done = run(cli, env, "tokens", "import", str(file), "--tenant", acme.slug, "--tenant-url", acme.base_url)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and ("Unauthorized" in done.stderr or "401" in done.stderr), done.stderr


def test_platform_commands_use_a_stored_platform_session(cli, home, deployment, acme):
    done = login(cli, home, deployment, "platform-admin")
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert f"logged in to the platform at {deployment.admin_url} as platform-admin" in done.stdout, done.stdout
    listed = run(cli, home, "tenants", "list")
    assert listed.returncode == 0, listed.stderr
    assert acme.slug in listed.stdout, listed.stdout
    # An expired session is not sent: the command says to log in again.
    path = credentials_path(home)
    document = json.loads(path.read_text())
    document["sessions"][0]["expires_at"] = 1
    path.write_text(json.dumps(document))
    stale = run(cli, home, "tenants", "list")
    assert stale.returncode == 1 and "expired" in stale.stderr and "run open-csms login again" in stale.stderr, (
        stale.stderr)
