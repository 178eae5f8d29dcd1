# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Id tokens and token groups through the real worker (issue 6 item 4): CRUD with ETag / If-Match,
bulk import in CSV and JSON that reports every bad row by line and imports nothing unless asked
for a partial import, export that re-imports unchanged, 100,000 tokens in one import, and groups
whose token reaches a member's OCPP 1.6 Authorize answer as parentIdTag."""

from __future__ import annotations

import csv
import http.client
import io
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ocpp.v16 import call

from support.flows import boot16
from support.rest import Response, RestClient, assert_problem
from support.stations import OCPP16, connected, new_identity, new_password


def send(api: RestClient, method: str, path: str, *, body: bytes | None = None, content_type: str | None = None,
         headers: dict[str, str] | None = None, timeout: float = 120) -> Response:
    """A request with any body and headers (RestClient sends JSON only)."""
    all_headers = {"Accept": "application/json", "Authorization": f"Bearer {api.api_key}", **(headers or {})}
    if api.host:
        all_headers["Host"] = api.host
    if content_type:
        all_headers["Content-Type"] = content_type
    req = urllib.request.Request(api.base_url + path, data=body, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=api.ssl_context) as resp:
            status, raw, hdrs = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as err:
        status, raw, hdrs = err.code, err.read(), err.headers
    text = raw.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return Response(status, {k.lower(): v for k, v in hdrs.items()}, text, parsed)


def send_json(api: RestClient, method: str, path: str, body: Any, **kw: Any) -> Response:
    return send(api, method, path, body=json.dumps(body).encode(), content_type="application/json", **kw)


def import_csv(api: RestClient, text: str, partial: bool = False) -> Response:
    return send(api, "POST", "/api/v1/tokens/import" + ("?partial=true" if partial else ""),
                body=text.encode(), content_type="text/csv")


def tag(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(5).upper()}"


def test_token_crud_with_entity_tags(api):
    token = tag("CRUD")
    created = send_json(api, "POST", "/api/v1/tokens", {"token": token, "type": "ISO14443"})
    assert created.status == 201, created.describe()
    body = created.json
    assert body["token"] == token and body["type"] == "ISO14443" and body["status"] == "accepted", body
    assert body["expires_at"] is None and body["parent_token"] is None, body
    etag = created.headers["etag"]
    location = created.headers["location"]
    assert location == f"/api/v1/tokens/{body['id']}", created.headers
    assert_problem(send_json(api, "POST", "/api/v1/tokens", {"token": token, "type": "ISO14443"}), 409)
    bad = assert_problem(send_json(api, "POST", "/api/v1/tokens", {"token": token, "status": "asleep",
                                                                   "colour": "red"}), 422)
    assert {e["field"] for e in bad["errors"]} == {"status", "colour"}, bad

    read = api.get(location)
    assert read.status == 200 and read.headers["etag"] == etag, read.describe()

    change = {"status": "blocked", "expires_at": "2031-02-03T04:05:06.789Z", "parent_token": "PARENT-1"}
    assert_problem(send_json(api, "PATCH", location, change), 428)
    stale = send_json(api, "PATCH", location, change, headers={"If-Match": '"0-0"'})
    assert_problem(stale, 412)
    assert stale.headers["etag"] == etag, stale.headers
    patched = send_json(api, "PATCH", location, change, headers={"If-Match": "W/" + etag})
    assert patched.status == 200, patched.describe()
    assert {k: patched.json[k] for k in change} == change, patched.json
    assert patched.headers["etag"] != etag
    assert_problem(send_json(api, "PATCH", location, {"status": "accepted"}, headers={"If-Match": etag}), 412)

    listed = api.get("/api/v1/tokens", params={"q": token, "status": "blocked", "type": "ISO14443"})
    assert [t["token"] for t in listed.json["items"]] == [token], listed.describe()
    assert listed.json["next_cursor"] is None
    assert_problem(api.get("/api/v1/tokens", params={"sort": "colour"}), 400)

    assert send(api, "DELETE", location).status == 204
    assert_problem(api.get(location), 404)


def test_pages_follow_next_cursor(api):
    prefix = tag("PAGE")
    rows = "".join(f"{prefix}-{i:02d}\n" for i in range(12))
    imported = import_csv(api, "token\n" + rows)
    assert imported.status == 200 and imported.json["imported"] == 12, imported.describe()
    seen, cursor = [], None
    while True:
        page = api.get("/api/v1/tokens", params={"q": prefix, "limit": 5, "cursor": cursor})
        assert page.status == 200, page.describe()
        seen += [t["token"] for t in page.json["items"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"{prefix}-{i:02d}" for i in range(12)]
    # A cursor that decodes but does not fit the list (hand-made) is refused, never ignored.
    import base64
    forged = base64.urlsafe_b64encode(json.dumps(["name", "x"]).encode()).rstrip(b"=").decode()
    for path in ("/api/v1/groups", "/api/v1/tokens"):
        assert_problem(api.get(path, params={"cursor": forged}), 400)


def test_an_import_with_bad_rows_reports_each_by_line_and_imports_nothing_unless_partial(api):
    p = tag("IMP")
    text = (
        "token,type,status,expires_at,parent_token\r\n"
        f"{p}-1,ISO14443,accepted,2030-01-01T00:00:00Z,\r\n"
        f"{p}-2,Badge,accepted,,\r\n"                      # line 3: bad type
        "\r\n"                                             # line 4: empty, skipped
        f"\"{p}-3, quoted\",Central,blocked,,FLEET\r\n"    # line 5: fine (a comma inside quotes)
        f"{p}-4,Central,sleepy,yesterday,\r\n"             # line 6: bad status and date
        f"{p}-5,Central,accepted,,,surplus\r\n"            # line 7: too many fields
        f"{p}-1,ISO14443,blocked,,\r\n"                    # line 8: duplicate of line 2
        f"{p}-6,KeyCode,,,\r\n"
    )
    refused = import_csv(api, text)
    doc = assert_problem(refused, 422)
    assert doc["imported"] == 0 and doc["rejected"] == 4, doc
    assert sorted({e["line"] for e in doc["errors"]}) == [3, 6, 7, 8], doc["errors"]
    by_line = {}
    for e in doc["errors"]:
        by_line.setdefault(e["line"], []).append(e)
    assert {e["field"] for e in by_line[6]} == {"status", "expires_at"}, by_line[6]
    assert by_line[3][0]["token"] == f"{p}-2" and "Badge" in by_line[3][0]["detail"], by_line[3]
    assert "duplicate" in by_line[8][0]["detail"] and "line 2" in by_line[8][0]["detail"], by_line[8]
    assert api.get("/api/v1/tokens", params={"q": p}).json["items"] == []

    partial = import_csv(api, text, partial=True)
    assert partial.status == 200, partial.describe()
    r = partial.json
    assert (r["imported"], r["updated"], r["rejected"]) == (3, 0, 4), r
    assert sorted({e["line"] for e in r["errors"]}) == [3, 6, 7, 8], r["errors"]
    stored = {t["token"]: t for t in api.get("/api/v1/tokens", params={"q": p}).json["items"]}
    assert set(stored) == {f"{p}-1", f"{p}-3, quoted", f"{p}-6"}, stored
    assert stored[f"{p}-3, quoted"]["parent_token"] == "FLEET" and stored[f"{p}-3, quoted"]["status"] == "blocked"

    # JSON: the same rules, reported by array index; existing tokens are updated (upsert).
    rows = [{"token": f"{p}-1", "type": "ISO14443", "status": "blocked"}, {"token": f"{p}-7"},
            {"token": f"{p}-8", "type": "Nope"}, {"token": 42}]
    doc = assert_problem(send_json(api, "POST", "/api/v1/tokens/import", rows), 422)
    assert sorted({e["index"] for e in doc["errors"]}) == [2, 3], doc
    done = send_json(api, "POST", "/api/v1/tokens/import?partial=true", rows)
    assert done.status == 200, done.describe()
    assert (done.json["imported"], done.json["updated"], done.json["rejected"]) == (1, 1, 2), done.json

    assert_problem(send(api, "POST", "/api/v1/tokens/import", body=b"x", content_type="text/plain"), 415)
    assert_problem(send(api, "POST", "/api/v1/tokens/import", body=b"{}", content_type="application/json"), 400)
    assert_problem(import_csv(api, "colour\nred\n"), 422)
    # A body announced as larger than 32 MiB is refused before it is read.
    url = urllib.parse.urlsplit(api.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.putrequest("POST", "/api/v1/tokens/import")
        conn.putheader("Authorization", f"Bearer {api.api_key}")
        conn.putheader("Content-Type", "text/csv")
        conn.putheader("Content-Length", str((32 << 20) + 1))
        conn.endheaders()
        too_large = conn.getresponse()
        assert too_large.status == 413, (too_large.status, too_large.read()[:500])
    finally:
        conn.close()


def test_export_reimports_unchanged(api):
    p = tag("EXP")
    text = ("token,type,status,expires_at,parent_token\n"
            f"{p}-1,ISO14443,blocked,2030-06-01T12:00:00.123+02:00,GROUP\n"
            f"\"{p}-2,\"\"odd\"\"\",Central,accepted,,\n"
            f"{p}-3,eMAID,expired,,\n")
    assert import_csv(api, text).json["imported"] == 3
    for fmt in ("csv", "json"):
        exported = send(api, "GET", f"/api/v1/tokens/export?format={fmt}")
        assert exported.status == 200, exported.describe()
        assert exported.headers["content-disposition"].startswith("attachment"), exported.headers
        raw = exported.text.encode()
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(exported.text)))
            mine = {r["token"]: r for r in rows if r["token"].startswith(p)}
            assert mine[f"{p}-1"]["expires_at"] == "2030-06-01T10:00:00.123Z", mine
            assert mine[f"{p}-1"]["parent_token"] == "GROUP" and f'{p}-2,"odd"' in mine, mine
            again = import_csv(api, exported.text)
        else:
            rows = exported.json
            assert {r["token"] for r in rows if r["token"].startswith(p)} == {f"{p}-1", f'{p}-2,"odd"', f"{p}-3"}
            again = send(api, "POST", "/api/v1/tokens/import", body=raw, content_type="application/json")
        assert again.status == 200, again.describe()
        r = again.json
        assert (r["imported"], r["updated"], r["rejected"], r["unchanged"]) == (0, 0, 0, len(rows)), r
    assert_problem(send(api, "GET", "/api/v1/tokens/export?format=xml"), 400)


def test_an_import_of_100000_tokens(beta_api):
    p = tag("BULK")
    lines = ["token,type,status,expires_at,parent_token"]
    lines += [f"{p}{i:06d},ISO14443,accepted,2030-01-01T00:00:00Z," for i in range(100_000)]
    body = ("\n".join(lines) + "\n").encode()
    started = time.monotonic()
    r = send(beta_api, "POST", "/api/v1/tokens/import", body=body, content_type="text/csv", timeout=170)
    elapsed = time.monotonic() - started
    assert r.status == 200, r.describe()
    assert (r.json["imported"], r.json["rejected"]) == (100_000, 0), {k: v for k, v in r.json.items() if k != "errors"}
    print(f"\n100,000 tokens ({len(body) / 1e6:.1f} MB CSV) imported in {elapsed:.2f} s "
          f"({100_000 / elapsed:,.0f} rows/s)")
    page = beta_api.get("/api/v1/tokens", params={"q": p, "limit": 1000})
    assert len(page.json["items"]) == 1000 and page.json["next_cursor"], page.describe()


async def test_groups_with_members_and_authorize_parent_id_tag_16(acme, api):
    p = tag("GRP")
    group = send_json(api, "POST", "/api/v1/groups", {"name": f"Fleet {p}", "kind": "fleet",
                                                      "group_token": f"{p}-FLEET"})
    assert group.status == 201, group.describe()
    gid = group.json["id"]
    assert_problem(send_json(api, "POST", "/api/v1/groups", {"name": f"Fleet {p}", "kind": "fleet",
                                                             "group_token": f"{p}-OTHER"}), 409)
    members = {}
    for suffix in ("NOW", "LATER", "ALONE"):
        members[suffix] = api.create_token(f"{p}-{suffix}", type="Central")
    added = send_json(api, "POST", f"/api/v1/groups/{gid}/members", {"token": f"{p}-NOW"})
    assert added.status == 201 and added.json["valid_now"] is True, added.describe()
    later = send_json(api, "POST", f"/api/v1/groups/{gid}/members",
                      {"token_id": members["LATER"]["id"], "valid_from": "2099-01-01T00:00:00Z"})
    assert later.status == 201 and later.json["valid_now"] is False, later.describe()
    assert_problem(send_json(api, "POST", f"/api/v1/groups/{gid}/members", {"token": f"{p}-NOW"}), 409)
    assert_problem(send_json(api, "POST", f"/api/v1/groups/{gid}/members", {"token": f"{p}-NOBODY"}), 422)

    shown = api.get(f"/api/v1/groups/{gid}")
    assert shown.json["member_count"] == 2 and shown.headers.get("etag"), shown.describe()
    listed = api.get(f"/api/v1/groups/{gid}/members")
    assert [m["token"] for m in listed.json["items"]] == [f"{p}-LATER", f"{p}-NOW"], listed.describe()
    assert api.get(f"/api/v1/tokens/{members['NOW']['id']}").json["parent_token"] == f"{p}-FLEET"

    cp_id, password = new_identity("E2E16G"), new_password()
    api.create_station(cp_id, password)

    answers: dict[str, Any] = {}
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        for suffix in ("NOW", "LATER", "ALONE"):
            r = await cp.call(call.Authorize(id_tag=f"{p}-{suffix}"), suppress=False)
            answers[suffix] = r.id_tag_info
    assert answers["NOW"]["status"] == "Accepted" and answers["NOW"].get("parent_id_tag") == f"{p}-FLEET", answers
    # A membership that has not started yet does not make the group the parent.
    assert answers["LATER"]["status"] == "Accepted" and not answers["LATER"].get("parent_id_tag"), answers
    assert not answers["ALONE"].get("parent_id_tag"), answers

    # Leaving the group clears the parent; deleting the group takes its memberships.
    assert send(api, "DELETE", f"/api/v1/groups/{gid}/members/{members['NOW']['id']}").status == 204
    assert api.get(f"/api/v1/tokens/{members['NOW']['id']}").json["parent_token"] is None
    assert send(api, "DELETE", f"/api/v1/groups/{gid}").status == 204
    assert_problem(api.get(f"/api/v1/groups/{gid}/members"), 404)
