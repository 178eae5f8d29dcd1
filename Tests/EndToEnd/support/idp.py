# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A real OpenID Connect provider for the identity tests: nanoidp (PyPI), started as a process
with users whose groups give them roles, and the browser-side steps of a login scripted over
plain HTTP (no browser): the provider's login form, the redirect back to the control plane, the
session token in the final redirect's fragment."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .env import free_port

LAUNCHER = """
import os, signal, sys, threading
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
from nanoidp.__main__ import main
sys.argv = ["nanoidp"] + sys.argv[1:]
main()
"""

PASSWORD = "correct horse battery staple"


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def request(method: str, url: str, *, headers: dict[str, str] | None = None, body: bytes | None = None,
            connect_to: tuple[str, int] | None = None) -> Response:
    """One HTTP/1.1 exchange without following redirects; `connect_to` sends it to another
    address than the URL's host (the router's port with a Host of our base domain)."""
    parts = urllib.parse.urlsplit(url)
    host, port = connect_to or (parts.hostname, parts.port or 80)
    connection = http.client.HTTPConnection(host, port, timeout=15)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    all_headers = {"Host": parts.netloc}
    all_headers.update(headers or {})
    connection.request(method, path, body=body, headers=all_headers)
    answer = connection.getresponse()
    collected: dict[str, list[str]] = {}
    for name, value in answer.getheaders():
        collected.setdefault(name.lower(), []).append(value)
    result = Response(answer.status, collected, answer.read())
    connection.close()
    return result


def cookies_of(response: Response) -> str:
    return "; ".join(v.split(";", 1)[0] for v in response.headers.get("set-cookie", []))


class NanoIDP:
    """nanoidp on a free loopback port with the given users (name → groups)."""

    CLIENT_ID = "open-csms"
    CLI_CLIENT_ID = "open-csms-cli"
    CLI_REDIRECT = "http://127.0.0.1:9/cli-callback"
    # `open-csms login`'s client (platform.yaml identity.cli_client_id): public (no secret), for the
    # device authorization grant (RFC 8628).
    DEVICE_CLIENT_ID = "open-csms-device"
    AUDIENCE = "open-csms-api"

    def __init__(self, directory: Path, redirect_uri: str, users: dict[str, list[str]]):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.redirect_uri = redirect_uri
        self.client_secret = secrets.token_urlsafe(24)
        self.cli_secret = secrets.token_urlsafe(24)
        self.users = users
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = self.dir / "nanoidp.log"

    def write_config(self) -> None:
        (self.dir / "settings.yaml").write_text(f"""\
config_version: 1
security_profile: oauth21
server:
  host: "127.0.0.1"
  port: {self.port}
oauth:
  issuer: "{self.issuer}"
  audience: "{self.AUDIENCE}"
  token_expiry_minutes: 5
  require_pkce: true
  clients:
    - client_id: "{self.CLIENT_ID}"
      client_secret: "{self.client_secret}"
      token_endpoint_auth_method: client_secret_basic
      redirect_uris: ["{self.redirect_uri}"]
    - client_id: "{self.CLI_CLIENT_ID}"
      client_secret: "{self.cli_secret}"
      token_endpoint_auth_method: client_secret_basic
      redirect_uris: ["{self.CLI_REDIRECT}"]
    - client_id: "{self.DEVICE_CLIENT_ID}"
      token_endpoint_auth_method: none
device_flow:
  polling_interval: 1
jwt:
  keys_dir: "{self.dir}/keys"
  max_previous_keys: 2
logging:
  level: "WARNING"
""")
        lines = ["config_version: 1", "users:"]
        for name, groups in self.users.items():
            lines += [f"  {name}:", f'    password: "{PASSWORD}"', f'    email: "{name}@example.org"',
                      '    roles: ["USER"]', f"    groups: {json.dumps(groups)}"]
        (self.dir / "users.yaml").write_text("\n".join(lines) + "\n")
        secret = self.dir / "client.secret"
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.client_secret)

    @property
    def client_secret_file(self) -> Path:
        return self.dir / "client.secret"

    def start(self, timeout: float = 30) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, "--config", str(self.dir), "--port", str(self.port),
             "--host", "127.0.0.1"],
            cwd=self.dir, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nanoidp exited: {self.log_path.read_text()[-2000:]}")
            try:
                if request("GET", self.issuer + "/.well-known/openid-configuration").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("nanoidp did not answer within 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait()
        self.process = None

    def rotate_keys(self) -> dict:
        answer = request("POST", self.issuer + "/api/keys/rotate")
        assert answer.status == 200, answer.text
        return json.loads(answer.text)

    def submit_login_form(self, authorization_url: str, user: str) -> str:
        """What a browser does at the provider: GET the form, POST the password. Returns the
        Location it redirects to (the client's redirect URI with code and state)."""
        page = request("GET", authorization_url)
        assert page.status == 200, (page.status, page.text[:500])
        match = re.search(r'name="transaction_id" value="([^"]+)"', page.text)
        assert match, page.text[:500]
        form = urllib.parse.urlencode({"transaction_id": match.group(1), "username": user, "password": PASSWORD})
        answer = request("POST", authorization_url, body=form.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies_of(page)})
        assert answer.status == 302, (answer.status, answer.text[:500])
        return answer.header("location") or ""

    def approve_device(self, user_code: str, user: str) -> None:
        """What a person does with the code `open-csms login` printed: open the provider's /device
        page, enter the code and sign in."""
        page = request("GET", f"{self.issuer}/device?{urllib.parse.urlencode({'user_code': user_code})}")
        assert page.status == 200, (page.status, page.text[:500])
        form = urllib.parse.urlencode({"user_code": user_code, "username": user, "password": PASSWORD,
                                       "action": "authorize"})
        answer = request("POST", f"{self.issuer}/device", body=form.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies_of(page)})
        assert answer.status == 200 and "Device authorized" in answer.text, (answer.status, answer.text[:1000])

    def access_token(self, user: str) -> str:
        """A provider access token for `user` obtained the way a command-line client would: code
        flow with PKCE under the CLI's own client registration."""
        verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(16)
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": self.CLI_CLIENT_ID, "redirect_uri": self.CLI_REDIRECT,
            "scope": "openid profile email", "state": state, "code_challenge": challenge,
            "code_challenge_method": "S256"})
        location = self.submit_login_form(f"{self.issuer}/authorize?{query}", user)
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        assert params.get("state") == state, location
        basic = base64.b64encode(f"{self.CLI_CLIENT_ID}:{self.cli_secret}".encode()).decode()
        form = urllib.parse.urlencode({"grant_type": "authorization_code", "code": params["code"],
                                       "redirect_uri": self.CLI_REDIRECT, "code_verifier": verifier})
        token_endpoint = json.loads(request("GET", self.issuer + "/.well-known/openid-configuration").text)[
            "token_endpoint"]
        answer = request("POST", token_endpoint, body=form.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Authorization": f"Basic {basic}"})
        assert answer.status == 200, answer.text
        return json.loads(answer.text)["access_token"]
