# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A small client of the tenant REST API (JSON, bearer API key, RFC 9457 problem documents)."""

from __future__ import annotations

import asyncio
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    json: Any = field(default=None)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def describe(self) -> str:
        return f"HTTP {self.status} {self.content_type}: {self.text[:2000]}"


class RestClient:
    def __init__(self, base_url: str, api_key: str | None, timeout: float = 60, host: str | None = None,
                 ssl_context: ssl.SSLContext | None = None):
        self.base_url = base_url.rstrip("/")
        # For an https base URL: what the server certificate is checked against.
        self.ssl_context = ssl_context
        self.api_key = api_key
        self.timeout = timeout
        # Through the edge router the tenant is named by the Host header (`<slug>.<base domain>`).
        self.host = host

    def request(
        self, method: str, path: str, body: Any = None, *, api_key: str | None | bool = True,
        params: dict[str, Any] | None = None, raw_body: bytes | None = None,
    ) -> Response:
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        headers = {"Accept": "application/json"}
        if self.host:
            headers["Host"] = self.host
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        key = self.api_key if api_key is True else (api_key or None)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=self.ssl_context) as resp:
                status, raw, hdrs = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as err:
            status, raw, hdrs = err.code, err.read(), err.headers
        text = raw.decode("utf-8", errors="replace")
        parsed = None
        if text:
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
        return Response(status, {k.lower(): v for k, v in hdrs.items()}, text, parsed)

    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def delete(self, path: str, **kw: Any) -> Response:
        return self.request("DELETE", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.request("POST", path, body, **kw)

    # Async forms for tests whose station runs on the event loop: the blocking HTTP call moves to
    # a thread so that the station can answer the CALL the request makes the CSMS send.
    async def aget(self, path: str, **kw: Any) -> Response:
        return await asyncio.to_thread(self.get, path, **kw)

    async def apost(self, path: str, body: Any = None, **kw: Any) -> Response:
        return await asyncio.to_thread(self.post, path, body, **kw)

    # --- the calls the tests use -------------------------------------------------------------

    def create_station(self, identity: str, password: str, status: str = "accepted") -> dict[str, Any]:
        r = self.post("/api/v1/stations", {"identity": identity, "password": password,
                                           "registration_status": status})
        assert r.status == 201, f"creating station {identity}: {r.describe()}"
        return r.json

    def create_token(self, token: str, *, type: str = "ISO14443", status: str = "accepted",
                     expires_at: str | None = None, parent_token: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"token": token, "type": type, "status": status}
        if expires_at is not None:
            body["expires_at"] = expires_at
        if parent_token is not None:
            body["parent_token"] = parent_token
        r = self.post("/api/v1/tokens", body)
        assert r.status == 201, f"creating token {token}: {r.describe()}"
        return r.json

    def station(self, identity: str) -> Response:
        return self.get(f"/api/v1/stations/{urllib.parse.quote(identity, safe='')}")

    def transactions(self, station: str, status: str | None = None) -> list[dict[str, Any]]:
        r = self.get("/api/v1/transactions", params={"station": station, "status": status})
        assert r.status == 200, r.describe()
        return r.json["items"]

    def transaction(self, tx_id: Any) -> dict[str, Any]:
        r = self.get(f"/api/v1/transactions/{tx_id}")
        assert r.status == 200, r.describe()
        return r.json

    async def command(self, identity: str, action: str, payload: Any) -> Response:
        return await self.apost(
            f"/api/v1/stations/{urllib.parse.quote(identity, safe='')}/commands/{action}", payload)


def assert_problem(r: Response, *statuses: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with one of `statuses`."""
    assert r.status in statuses, f"expected HTTP {statuses}, got {r.describe()}"
    assert r.content_type == "application/problem+json", f"not a problem document: {r.describe()}"
    doc = r.json
    assert isinstance(doc, dict), r.describe()
    for key in ("type", "title", "status", "detail"):
        assert key in doc, f"problem document without {key!r}: {r.describe()}"
    assert doc["status"] == r.status, r.describe()
    return doc
