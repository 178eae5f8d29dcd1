# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""One real deployment: platform.yaml and tenant files in a private folder, `controlplane
bootstrap-db`, then `controlplane run`, which provisions the tenants and spawns one
`tenant-worker` each, listening on its own 127.0.0.1 port (`http.tcp_listen`)."""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .certs import TestCA
from .db import Database, PsqlError
from .idp import NanoIDP
from .env import REPO_ROOT, TestServices, free_port

# The cluster-wide csms_control role is shared by every test database on a cluster; the Swift
# fixtures (Tests/TestFixtures/TestDatabase.swift) use this password, and bootstrap-db sets the
# role's password from the file, so using the same one keeps both suites working side by side.
CONTROL_PASSWORD = "csms-control-test-password"


@dataclass(frozen=True)
class TenantTLS:
    certificate: Path
    private_key: Path
    client_ca: Path | None = None


@dataclass
class TenantSpec:
    key: str  # what tests call it ("acme", "beta"); the slug gets a per-run suffix
    allowed_versions: list[str]
    unknown_stations: str
    security_profile: int = 1
    heartbeat_interval: str = "60s"
    response_timeout: str = "5s"
    max_message_size: str = "64KiB"
    # Filled in by Deployment:
    slug: str = ""
    port: int = 0
    config_path: Path = field(default_factory=Path)
    # The tenant's `tls` section (security profiles 2 and 3); its tcp_listen port then serves TLS.
    tls: TenantTLS | None = None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ocpp/"


class DeploymentError(RuntimeError):
    pass


class Deployment:
    def __init__(self, services: TestServices, tenants: list[TenantSpec], *, log_level: str = "debug",
                 max_stations: int = 1000, run_id: str | None = None,
                 tenant_identity_providers: tuple[str, ...] = ()):
        self.services = services
        self.run_id = run_id or secrets.token_hex(3)
        services.work_dir.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f"e2e-{self.run_id}-", dir=services.work_dir))
        self.database_name = f"csms_e2e_py_{self.run_id}"
        self.role_prefix = "csms_tenant_"
        self.admin_port = free_port()
        # The edge router's port (platform.yaml listen.http): every tenant behind one port.
        self.router_port = free_port()
        self.platform_key = secrets.token_urlsafe(32)
        # Tenants created through the platform API during the run (their roles are dropped at the end).
        self.extra_slugs: list[str] = []
        self.log_level = log_level
        self.max_stations = max_stations
        self.api_key = secrets.token_urlsafe(32)
        self.tenants = {t.key: t for t in tenants}
        for t in tenants:
            # Unique slugs keep this run's tenant roles, Redis users and keys (t:<slug>:*) apart
            # from any other deployment sharing the same PostgreSQL and Redis.
            t.slug = f"{t.key}-{self.run_id}"
            t.port = free_port()
            t.config_path = self.dir / "tenants" / f"{t.slug}.yaml"
        self.config_path = self.dir / "platform.yaml"
        self.log_path = self.dir / "controlplane.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file = None
        self.db = Database(services.pg_superuser_conninfo, self.database_name)
        # The deployment's CA and the platform certificate (platform.yaml `tls`): the router answers
        # TLS for admin.<base> and its TLS refusals with it. A wildcard, so a client refused for an
        # unknown tenant can still verify whom it talks to.
        self.ca = TestCA(self.dir / "certs")
        # The identity provider people log in with (platform.yaml `identity`): nanoidp with one user
        # per role (see identity_users); its redirect URI is the control plane's loopback admin
        # address, the one http:// address an OIDC client may use.
        self.idp = NanoIDP(self.dir / "idp", f"http://127.0.0.1:{self.admin_port}/auth/callback",
                           self.identity_users())
        # Tenants (by key) that bring their own identity provider (tenant file `identity`): one more
        # nanoidp each, with users of its own (see tenant_identity_users); the same callback.
        self.tenant_idps: dict[str, NanoIDP] = {
            key: NanoIDP(self.dir / f"idp-{key}", self.idp.redirect_uri, self.tenant_identity_users(key))
            for key in tenant_identity_providers}
        self.platform_certificate = self.ca.server("platform", [f"admin.{self.base_domain}", f"*.{self.base_domain}"])

    # --- configuration -----------------------------------------------------------------------

    def write_config(self) -> None:
        pg = self.services.pg
        (self.dir / "tenants").mkdir()
        (self.dir / "data").mkdir()
        self._secret(self.dir / "pg-control.pw", CONTROL_PASSWORD)
        self._secret(self.dir / "redis-admin.pw", self.services.redis_admin_password)
        self.config_path.write_text(f"""\
# Written by Tests/EndToEnd (run {self.run_id}); see docs/configuration.md.
base_domain: csms.test
listen:
  http: 127.0.0.1:{self.router_port}
  admin: 127.0.0.1:{self.admin_port}
data_directory: {self.dir}/data
tenants_directory: {self.dir}/tenants
migrations_directory: {REPO_ROOT}/migrations
worker:
  executable: {self.services.bin_dir}/tenant-worker
  health_check_interval: 500ms
  stop_timeout: 10s
postgres:
  host: {pg.get("host", "127.0.0.1")}
  port: {pg.get("port", "5432")}
  database: {self.database_name}
  user: csms_control
  password_file: {self.dir}/pg-control.pw
  tenant_role_prefix: {self.role_prefix}
redis:
  host: 127.0.0.1
  port: {self.services.redis_port}
  user: {self.services.redis_admin_user}
  password_file: {self.dir}/redis-admin.pw
plans:
  - name: e2e
    monthly_price: "0"
    max_stations: {self.max_stations}
    max_concurrent_connections: {self.max_stations * 2 + 100}
    api_requests_per_second: 10000
platform_api_keys:
  - name: e2e-platform
    sha256: {hashlib.sha256(self.platform_key.encode()).hexdigest()}
logging:
  level: {self.log_level}
tls:
  certificate: {self.platform_certificate.certificate}
  private_key: {self.platform_certificate.private_key}
identity:
  issuer: {self.idp.issuer}
  client_id: {NanoIDP.CLIENT_ID}
  client_secret_file: {self.idp.client_secret_file}
  redirect_uri: {self.idp.redirect_uri}
  cli_client_id: {NanoIDP.DEVICE_CLIENT_ID}
  request_claims: [groups]
  access_token_audience: {NanoIDP.AUDIENCE}
  allow_insecure_loopback: true
  jwks_refetch_interval: 1s
  platform_roles:
    csms-platform-admins: platform-admin
    csms-platform-operators: platform-operator
  tenant_roles:
    "tenant-{{tenant}}-admins": tenant-admin
    "tenant-{{tenant}}-operators": tenant-operator
    "tenant-{{tenant}}-viewers": tenant-viewer
""")
        self.idp.write_config()
        key_hash = hashlib.sha256(self.api_key.encode()).hexdigest()
        for t in self.tenants.values():
            versions = ", ".join(t.allowed_versions)
            t.config_path.write_text(f"""\
# Tenant {t.key} of end-to-end run {self.run_id}.
slug: {t.slug}
display_name: E2E {t.key}
plan: e2e
ocpp:
  allowed_versions: [{versions}]
  heartbeat_interval: {t.heartbeat_interval}
  security_profile: {t.security_profile}
  unknown_stations: {t.unknown_stations}
  response_timeout: {t.response_timeout}
  max_message_size: {t.max_message_size}
http:
  tcp_listen: 127.0.0.1:{t.port}
api_keys:
  - name: e2e
    sha256: {key_hash}
""")
            append_tenant_tls(t)
            if t.key in self.tenant_idps:
                self._append_tenant_identity(t, self.tenant_idps[t.key])

    @staticmethod
    def _append_tenant_identity(t: TenantSpec, idp: NanoIDP) -> None:
        idp.write_config()
        with open(t.config_path, "a") as f:
            f.write(f"""\
identity:
  issuer: {idp.issuer}
  client_id: {NanoIDP.CLIENT_ID}
  client_secret_file: {idp.client_secret_file}
  request_claims: [groups]
  access_token_audience: {NanoIDP.AUDIENCE}
  allow_insecure_loopback: true
  jwks_refetch_interval: 1s
  roles:
    {t.key}-admins: tenant-admin
    {t.key}-operators: tenant-operator
    {t.key}-viewers: tenant-viewer
""")

    @staticmethod
    def _secret(path: Path, value: str) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(value)

    # --- processes ---------------------------------------------------------------------------

    def bootstrap(self, timeout: float = 120) -> None:
        log = self.dir / "bootstrap.log"
        with open(log, "wb") as out:
            done = subprocess.run(
                [str(self.services.bin_dir / "controlplane"), "bootstrap-db", "--config", str(self.config_path),
                 "--superuser", self.services.pg_superuser_conninfo],
                stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
        if done.returncode != 0:
            raise DeploymentError(f"bootstrap-db exited {done.returncode}:\n{log.read_text()[-4000:]}")

    def identity_users(self) -> dict[str, list[str]]:
        """Users of the identity provider by role, for tenants acme and beta (slugs are per run):
        `<role>-<tenant key>` for tenant roles, `platform-admin` / `platform-operator`, `nobody`."""
        users: dict[str, list[str]] = {
            "platform-admin": ["csms-platform-admins"], "platform-operator": ["csms-platform-operators"],
            "nobody": ["unrelated-group"],
        }
        for key in ("acme", "beta"):
            if key in self.tenants:
                slug = self.tenants[key].slug
                for role in ("admins", "operators", "viewers"):
                    users[f"{role[:-1]}-{key}"] = [f"tenant-{slug}-{role}", "unrelated-group"]
        return users

    def tenant_identity_users(self, key: str) -> dict[str, list[str]]:
        """Users of tenant `key`'s own provider: `<key>-admin`, `<key>-operator`, `<key>-viewer` in
        groups `<key>-admins` …, and `<key>-platform-admin` in the platform provider's platform-admin
        group (which a tenant's provider must not turn into a platform role)."""
        users = {f"{key}-{role}": [f"{key}-{role}s"] for role in ("admin", "operator", "viewer")}
        users[f"{key}-platform-admin"] = ["csms-platform-admins"]
        return users

    def start(self) -> None:
        if self.idp.process is None:
            self.idp.start()
        for idp in self.tenant_idps.values():
            if idp.process is None:
                idp.start()
        self._log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(self.services.bin_dir / "controlplane"), "run", "--config", str(self.config_path)],
            stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_healthy(self, timeout: float = 120) -> None:
        """Polls each worker's /healthz on its TCP port until all answer 200."""
        deadline = time.monotonic() + timeout
        pending = set(self.tenants)
        last: dict[str, str] = {}
        while pending:
            if self.process is None or self.process.poll() is not None:
                raise DeploymentError(
                    f"the control plane exited ({self.process and self.process.returncode}):\n{self.log_tail(60)}")
            for key in sorted(pending):
                status, text = http_get(self.tenants[key].base_url + "/healthz", timeout=2)
                last[key] = f"{status} {text[:200]}"
                if status == 200:
                    pending.discard(key)
            if not pending:
                return
            if time.monotonic() > deadline:
                raise DeploymentError(
                    f"workers not healthy after {timeout}s: {last}\n{self.log_tail(60)}")
            time.sleep(0.2)

    def stop(self, timeout: float = 30) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        # A worker orphaned by a crashed control plane is ours only if it runs one of our
        # tenant files; kill exactly those pids.
        for pid in self.worker_pids_for_slug(None):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self._log_file:
            self._log_file.close()
            self._log_file = None
        self.idp.stop()
        for idp in self.tenant_idps.values():
            idp.stop()

    def drop_database(self) -> None:
        """Best effort: leaves the shared cluster as it was (the tenant roles, then the database)."""
        admin = Database(self.services.pg_superuser_conninfo, self.services.pg.get("dbname", "postgres"))
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE);\n')
            for slug in [t.slug for t in self.tenants.values()] + self.extra_slugs:
                role = self.role_prefix + slug.replace("-", "_")
                admin.execute(f'DROP ROLE IF EXISTS "{role}";\n')
        except PsqlError:
            pass

    # --- the edge router -----------------------------------------------------------------------

    base_domain = "csms.test"

    def tenant_host(self, slug: str) -> str:
        """The Host header that routes to `slug` through the edge router."""
        return f"{slug}.{self.base_domain}:{self.router_port}"

    @property
    def router_ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.router_port}/ocpp/"

    @property
    def router_url(self) -> str:
        return f"http://127.0.0.1:{self.router_port}"

    @property
    def platform_host(self) -> str:
        """The Host header that reaches the platform API through the edge router."""
        return f"admin.{self.base_domain}:{self.router_port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    # --- workers -----------------------------------------------------------------------------

    def worker_pids(self, key: str) -> list[int]:
        """tenant-worker processes started for tenant `key` (matched on their --tenant-config)."""
        return self.worker_pids_for_slug(self.tenants[key].slug)

    def worker_pids_for_slug(self, slug: str | None) -> list[int]:
        """tenant-worker processes of this deployment running `tenants/<slug>.yaml` (every tenant's
        when `slug` is None)."""
        folder = str(self.dir / "tenants") + "/"
        wanted = None if slug is None else folder + f"{slug}.yaml"
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                args = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            texts = [a.decode(errors="replace") for a in args if a]
            if not texts or not texts[0].endswith("tenant-worker"):
                continue
            if (wanted is not None and wanted in texts) or (
                    wanted is None and any(t.startswith(folder) for t in texts)):
                pids.append(int(entry))
        return pids

    def worker_pid(self, key: str) -> int:
        pids = self.worker_pids(key)
        if len(pids) != 1:
            raise DeploymentError(f"expected one worker for {key}, found {pids}")
        return pids[0]

    def kill_worker(self, key: str) -> int:
        pid = self.worker_pid(key)
        os.kill(pid, signal.SIGKILL)
        return pid

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no control plane log)"
        return "\n".join(text.splitlines()[-lines:])


def append_tenant_tls(t: TenantSpec) -> None:
    """Adds the tenant's `tls` section to its file (paths relative to the file's folder work too,
    but absolute ones keep the test independent of where the deployment lives)."""
    if t.tls is None:
        return
    text = f"tls:\n  certificate: {t.tls.certificate}\n  private_key: {t.tls.private_key}\n"
    if t.tls.client_ca is not None:
        text += f"  client_ca: {t.tls.client_ca}\n"
    with open(t.config_path, "a") as f:
        f.write(text)


def http_get(url: str, timeout: float = 5) -> tuple[int, str]:
    # Health checks only: a TLS tenant's own port is reached by address, without its CA.
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")
    except (OSError, ValueError) as err:
        return 0, str(err)
