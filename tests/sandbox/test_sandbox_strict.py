"""Strict where BigCommerce is strict (scopes, redirect_uri, tokens, uninstall, filters, 501),
every bad input answered over HTTP with the state unchanged, and the shared rate window."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from bigcommerce.sandbox import Sandbox


def exchange(store, grant, redirect_uri="https://app.example.com/auth"):
    return requests.post(
        store.url + "/oauth2/token",
        data={
            "client_id": store.client_id,
            "client_secret": store.client_secret,
            "code": grant["code"],
            "context": grant["context"],
            "scope": grant["scope"],
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        },
        timeout=10,
    )


def v2(store, method, path, token, **kw):
    return requests.request(method, store.v2_url + path, headers={"X-Auth-Token": token}, timeout=10, **kw)


# -- OAuth ---------------------------------------------------------------------------------------


def test_scopes_are_enforced_per_family_and_method(shop, c):
    token = exchange(shop, shop.install(scope="store_v2_products store_v2_orders_read_only")).json()["access_token"]
    assert v2(shop, "GET", "/products", token).status_code == 200
    assert v2(shop, "GET", "/orders", token).status_code == 200
    before = shop.state()["orders"]
    refused = v2(shop, "DELETE", "/orders", token)
    assert refused.status_code == 403
    body = refused.json()
    assert body["status"] == 403 and body["title"] and set(body) == {"status", "title", "type", "errors"}
    assert shop.state()["orders"] == before
    assert v2(shop, "GET", "/customers", token).status_code == 403
    assert v2(shop, "GET", "/time", token).status_code == 200  # needs no scope
    assert v2(shop, "GET", "/nothing-here", token).status_code == 404  # unknown stays 404
    assert shop.token_scopes(token) == ["store_v2_orders_read_only", "store_v2_products"]


def test_redirect_uri_must_match_the_registered_one(shop, c):
    grant = shop.install(scope="store_v2_products")
    wrong = exchange(shop, grant, redirect_uri="https://evil.example/auth")
    assert wrong.status_code == 400 and wrong.json()["error"] == "Invalid redirect_uri."
    assert exchange(shop, grant).status_code == 200  # the code survived the refused attempt
    own = shop.install(scope="store_v2_products", redirect_uri="https://mine.example/cb")
    assert exchange(shop, own).status_code == 400
    assert exchange(shop, own, redirect_uri="https://mine.example/cb").status_code == 200


def test_each_install_gets_its_own_token_and_uninstall_revokes_it(shop, c):
    first = exchange(shop, shop.install()).json()["access_token"]
    second = exchange(shop, shop.install()).json()["access_token"]
    assert len({first, second, shop.access_token}) == 3
    assert shop.issued_tokens[-2:] == [first, second]
    payload = shop.uninstall(first)
    assert payload.count(".") == 2  # a signed JWT for the uninstall callback
    assert v2(shop, "GET", "/products", first).status_code == 401
    assert v2(shop, "GET", "/products", second).status_code == 200
    assert first not in shop.issued_tokens
    with pytest.raises(ValueError):
        shop.uninstall(first)
    assert shop.remove_user(7, "seven@example.com").count(".") == 2
    assert v2(shop, "GET", "/products", second).status_code == 200


# -- filters and routes ----------------------------------------------------------------------


def test_unknown_filter_refused_on_delete_like_get(c):
    before = c.store.state()["products"]
    for method in ("GET", "DELETE"):
        r = c.request(method, "/products", params={"nme": "x"})
        assert r.status_code == 400 and "nme" in r.text
    assert c.request("DELETE", "/products/count", params={"nme": "x"}).status_code in (400, 404)
    assert c.store.state()["products"] == before
    name = before[1]["name"]
    assert c.delete("/products", params={"name": name}).status_code == 204
    assert sorted(c.store.state()["products"]) == sorted(set(before) - {1})


def test_documented_but_not_emulated_is_501_unknown_is_404(shop, c):
    from bigcommerce.sandbox.routes import build_router
    from bigcommerce.sandbox.store import ApiError

    bare = build_router(())  # a store without the v3 table: every documented v3 path is 501
    with pytest.raises(ApiError) as caught:
        bare.resolve("/v3/pricelists/1/records", "GET")
    assert caught.value.status == 501 and "does not emulate" in json.dumps(caught.value.body)
    with pytest.raises(ApiError) as caught:
        bare.resolve("/v3/no-such-family", "GET")
    assert caught.value.status == 404
    r = requests.get(
        shop.url + "/stores/sandbox/v3/no-such-family", headers={"X-Auth-Token": shop.access_token}, timeout=10
    )
    assert r.status_code == 404


# -- the shared rate window ------------------------------------------------------------------


def test_rate_window_is_per_store_and_429s_are_counted_per_client():
    with Sandbox(rate_limit=(3, 60000)) as store:
        other = exchange(store, store.install()).json()["access_token"]  # the same app's token
        store.reset()  # window cleared; tokens kept
        statuses = [
            v2(store, "GET", "/time", tok).status_code for tok in (store.access_token, other, store.access_token, other)
        ]
        assert statuses == [200, 200, 200, 429]  # one window for both tokens
        assert store.throttled == {store.client_id: 1}
        stats = store.stats()
        assert stats["throttled_total"] == 1 and stats["requests"][store.client_id] == 4


# -- bad input ---------------------------------------------------------------------------------


def raw_exchange(store, data: bytes, timeout=10):
    host, port = store.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                piece = sock.recv(65536)
            except socket.timeout:
                break
            if not piece:
                break
            chunks.append(piece)
            if b"\r\n\r\n" in b"".join(chunks):
                head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
                length = [
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ]
                if length and len(rest) >= length[0]:
                    break
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("value", [1e24, -1e24, 1e300, "1e24", 10**30])
def test_huge_numbers_are_refused(unchanged, c, value):
    for field in ("price", "inventory_level", "weight"):
        r = c.put("/products/1", json={field: value})
        assert r.status_code == 400, (field, value, r.text)


def test_huge_numbers_in_filters_and_ids(unchanged, c):
    assert c.get("/products", params={"min_price": "1e24"}).status_code in (200, 204)
    assert c.get("/products", params={"id": str(10**30)}).status_code in (204, 400)
    assert c.get(f"/products/{10**30}").status_code == 404


def test_non_ascii_credentials_get_401(unchanged, shop):
    for header in ("X-Auth-Token", "Authorization"):
        answer = raw_exchange(
            shop,
            (
                "GET {} HTTP/1.1\r\nHost: x\r\n{}: t\u00f6ken\u2603\r\nConnection: close\r\n\r\n".format(
                    "/stores/sandbox/v2/time" if header == "X-Auth-Token" else "/api/v2/time", header
                )
            ).encode("utf-8"),
        )
        assert status_of(answer) == 401


def test_deeply_nested_json_is_400(unchanged, c):
    deep = b"[" * 100000 + b"]" * 100000
    r = c.post("/brands", data=deep, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    obj = b'{"a":' * 50000 + b"1" + b"}" * 50000
    assert c.put("/brands/1", data=obj, headers={"Content-Type": "application/json"}).status_code == 400


def test_deeply_nested_graphql_is_answered(unchanged, shop):
    query = "{" * 20000 + "}" * 20000
    r = requests.post(
        shop.url + "/stores/sandbox/graphql",
        json={"query": query},
        headers={"X-Auth-Token": shop.access_token},
        timeout=10,
    )
    assert r.status_code in (200, 400)


def test_processed_delete_with_the_log_on_is_answered(shop, c):
    made = c.post("/brands", json={"name": "Gone soon"}).json()
    with Sandbox(record=True) as store:
        brand = requests.post(
            store.v2_url + "/brands", json={"name": "B"}, headers={"X-Auth-Token": store.access_token}, timeout=10
        ).json()
        r = requests.delete(
            store.v2_url + f"/brands/{brand['id']}", headers={"X-Auth-Token": store.access_token}, timeout=10
        )
        assert r.status_code == 204 and store.requests[-1].method == "DELETE"
    assert c.delete(f"/brands/{made['id']}").status_code == 204


@pytest.mark.parametrize("size", [b"-1", b"-0x10", b" 10", b"+5", b"zz", b"1ffffffffff"])
def test_bad_chunk_sizes_are_400(unchanged, shop, size):
    answer = raw_exchange(
        shop,
        b"POST /stores/sandbox/v2/brands HTTP/1.1\r\nHost: x\r\n"
        b"X-Auth-Token: "
        + shop.access_token.encode()
        + b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        b"\r\n" + size + b"\r\n" + b"x" * 64 + b"\r\n0\r\n\r\n",
    )
    assert status_of(answer) == 400


def test_body_limit_holds_for_chunked_bodies():
    with Sandbox(max_body=1000) as store:
        before = store.state()
        chunk = b"400\r\n" + b"x" * 1024 + b"\r\n"
        answer = raw_exchange(
            store,
            b"POST /stores/sandbox/v2/brands HTTP/1.1\r\nHost: x\r\n"
            b"X-Auth-Token: sandbox-token\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 2 + b"0\r\n\r\n",
        )
        assert status_of(answer) == 413 and store.state() == before


def test_slow_and_short_bodies_time_out_per_request():
    with Sandbox(request_timeout=0.3) as store:
        before = store.state()
        started = time.monotonic()
        answer = raw_exchange(
            store,
            b"POST /stores/sandbox/v2/brands HTTP/1.1\r\nHost: x\r\n"
            b"X-Auth-Token: sandbox-token\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"name":',
            timeout=10,
        )
        assert status_of(answer) == 408
        assert time.monotonic() - started < 5  # the request's own deadline, not the idle 300 s
        assert store.state() == before


def test_corrupt_state_file_is_one_line(tmp_path):
    from bigcommerce.sandbox.cli import main

    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    from bigcommerce.sandbox.server import StateFileError

    with pytest.raises(StateFileError) as caught:
        Sandbox(state=str(path))
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert main(["--state", str(path), "--port", "0"]) == 1


def test_a_failed_save_undoes_the_write(tmp_path):
    path = tmp_path / "state.json"
    with Sandbox(state=str(path)) as store:
        ok = requests.post(
            store.v2_url + "/brands", json={"name": "Kept"}, headers={"X-Auth-Token": store.access_token}, timeout=10
        )
        assert ok.status_code == 201
        before = store.state()
        kept = path.read_text(encoding="utf-8")
        path.unlink()
        path.mkdir()  # the rename onto the state file now fails (for root too)
        try:
            r = requests.post(
                store.v2_url + "/brands",
                json={"name": "Lost"},
                headers={"X-Auth-Token": store.access_token},
                timeout=10,
            )
        finally:
            path.rmdir()
            path.write_text(kept, encoding="utf-8")
        assert r.status_code == 500 and "undone" in r.text and store.state() == before
        assert (
            requests.get(store.v2_url + "/brands", headers={"X-Auth-Token": store.access_token}, timeout=10).json()[0][
                "name"
            ]
            == "Kept"
        )
        saved = json.loads(path.read_text(encoding="utf-8"))
        assert [b["name"] for b in saved["tables"]["brands"]] == ["Kept"]


def test_request_log_is_off_by_default_and_a_ring(monkeypatch):
    monkeypatch.delenv("BIGCOMMERCE_SANDBOX_RECORD", raising=False)
    with Sandbox() as store:
        requests.get(store.v2_url + "/time", headers={"X-Auth-Token": store.access_token}, timeout=10)
        assert store.requests == []
    with Sandbox(record=3) as store:
        for _ in range(5):
            requests.get(store.v2_url + "/time", headers={"X-Auth-Token": store.access_token}, timeout=10)
        assert len(store.requests) == 3


def test_reset_rebuilds_only_after_a_write_and_always_clears_the_rest():
    with Sandbox(products=3, record=True) as store:
        seeded = store.state()
        requests.get(store.v2_url + "/products", headers={"X-Auth-Token": store.access_token}, timeout=10)
        store.inject("status", times=None, match="GET /time", status=503)
        store.reset()  # reads only: the data is kept as it is, faults and log are cleared
        assert store.state() == seeded and store.faults == [] and store.requests == []
        requests.put(
            store.v2_url + "/products/1",
            json={"name": "Renamed"},
            headers={"X-Auth-Token": store.access_token},
            timeout=10,
        )
        assert store.state() != seeded
        store.reset()
        assert store.state() == seeded
        store.add_products(2)
        store.reset()
        assert store.state() == seeded


def test_a_body_cut_short_by_the_client_is_400(unchanged, shop):
    host, port = shop.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /stores/sandbox/v2/brands HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
            + shop.access_token.encode()
            + b"\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"name":'
        )
        sock.shutdown(socket.SHUT_WR)  # the client gives up: EOF long before 100 bytes
        answer = sock.recv(65536)
    assert status_of(answer) == 400


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Big", "type": "physical", "weight": 1, "price": 1e24},
        {"name": "Big", "type": "physical", "weight": 10**30, "price": 1},
    ],
)
def test_v3_huge_numbers_are_answered(unchanged, shop, body):
    r = requests.post(
        shop.url + "/stores/sandbox/v3/catalog/products",
        json=body,
        headers={"X-Auth-Token": shop.access_token},
        timeout=10,
    )
    assert 400 <= r.status_code < 500 and r.json()["status"] == r.status_code


def test_v3_deeply_nested_json_is_answered(unchanged, shop):
    r = requests.post(
        shop.url + "/stores/sandbox/v3/catalog/products",
        data=b"[" * 100000,
        headers={"X-Auth-Token": shop.access_token, "Content-Type": "application/json"},
        timeout=10,
    )
    assert r.status_code == 400 and r.json()["status"] == 400
