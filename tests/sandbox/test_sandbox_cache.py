"""The render cache, page cache and parent index never show stale data, and make pages cheap.

Over HTTP (raw requests): every way of changing the store is followed by a read that must see the
change. In-process: records are rendered once until they change, a random sequence of writes
never makes a cached page differ from an uncached rendering, and latency overlaps across requests.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_payloads import NEW_PRODUCT

from bigcommerce.sandbox import Sandbox
from bigcommerce.sandbox import store as store_module
from bigcommerce.sandbox.schema import BY_NAME
from bigcommerce.sandbox.store import (
    Context,
    StoreState,
    list_page,
    render,
    seed_reference,
    select,
    to_json_bytes,
    write,
)

PRODUCTS = BY_NAME["products"]
IMAGES = BY_NAME["products/images"]


def uncached(c, path):
    """What a list must be: the records fetched one by one (GET /x/{id} of each id)."""
    listed = c.get(path).json()
    return [c.get(f"{path.split('?')[0]}/{rec['id']}").json() for rec in listed]


# -- over HTTP: every change is seen ------------------------------------------------------------


def test_list_equals_records_one_by_one(c):
    listed = c.get("/products?limit=250").json()
    assert listed == uncached(c, "/products?limit=250")
    assert c.get("/products?limit=250").content == c.get("/products?limit=250").content


def test_update_create_delete_are_seen_by_lists_and_gets(c):
    c.get("/products?limit=250")  # fill the caches
    c.get("/products/3")
    r = c.put("/products/3", json={"name": "Renamed Three", "price": "1.5"})
    assert r.status_code == 200
    listed = {p["id"]: p for p in c.get("/products?limit=250").json()}
    assert listed[3]["name"] == "Renamed Three" and listed[3]["price"] == "1.5000"
    assert c.get("/products/3").json()["name"] == "Renamed Three"
    assert c.get("/products?name=Renamed Three").json()[0]["id"] == 3
    created = c.post("/products", json=NEW_PRODUCT).json()
    assert c.get("/products?limit=250").json()[-1]["id"] == created["id"]
    assert c.get("/products/count").json()["count"] == 51
    assert c.delete("/products/3").status_code == 204
    ids = [p["id"] for p in c.get("/products?limit=250").json()]
    assert 3 not in ids and len(ids) == 50
    assert c.get("/products/3").status_code == 404


def test_sub_resources_follow_creates_and_cascades(c):
    path = "/products/4/images"
    before = c.get(path).json()
    total = c.get("/products/images/count").json()["count"]
    image = c.post(path, json={"image_file": "https://cdn.example.com/x.png"}).json()
    assert [i["id"] for i in c.get(path).json()] == [i["id"] for i in before] + [image["id"]]
    assert c.get(path + "/count").json()["count"] == len(before) + 1
    assert c.delete(f"{path}/{image['id']}").status_code == 204
    assert c.get(path).json() == before
    assert c.delete("/products/4").status_code == 204
    assert c.get(path).status_code == 404
    assert c.get("/products/images/count").json()["count"] == total - len(before)


def test_reset_restores_what_lists_show(c):
    first = c.get("/products?limit=250").content
    c.put("/products/1", json={"name": "Changed"})
    c.delete("/products/2")
    assert c.get("/products?limit=250").content != first
    c.store.reset()
    assert c.get("/products?limit=250").content == first


def test_v3_changes_in_place_are_seen_by_v2(c, shop):
    c.get("/products?limit=250")
    c.get("/products/5")
    v3 = f"{shop.url}/stores/{shop.store_hash}/v3/catalog/products/5"
    r = requests.put(v3, json={"name": "Changed Through v3"}, timeout=10, headers={"X-Auth-Token": shop.access_token})
    assert r.status_code == 200, r.text
    assert c.get("/products/5").json()["name"] == "Changed Through v3"
    listed = {p["id"]: p for p in c.get("/products?limit=250").json()}
    assert listed[5]["name"] == "Changed Through v3"


def test_add_products_is_seen(c, shop):
    c.get("/products?limit=250")
    added = shop.add_products(3)
    ids = [p["id"] for p in c.get("/products?limit=250").json()]
    assert ids[-3:] == added
    assert c.get(f"/products/{added[0]}").status_code == 200


def test_state_file_load_shows_saved_changes(tmp_path):
    path = str(tmp_path / "store.json")
    with Sandbox(products=5, state=path) as store:
        session = requests.Session()
        session.headers["X-Auth-Token"] = store.access_token
        session.get(store.v2_url + "/products")
        session.put(store.v2_url + "/products/2", json={"name": "Kept"})
    with Sandbox(products=5, state=path) as store:
        r = requests.get(store.v2_url + "/products", headers={"X-Auth-Token": store.access_token})
        assert [p["name"] for p in r.json() if p["id"] == 2] == ["Kept"]


def test_cached_links_follow_the_origin():
    """Links carry the store's origin: two stores (two ports) each show their own, in lists and
    single GETs, first and second time."""
    with Sandbox(products=2) as one, Sandbox(products=2) as two:
        for store in (one, two):
            headers = {"X-Auth-Token": store.access_token}
            for _ in range(2):
                listed = requests.get(store.v2_url + "/products", headers=headers).json()
                single = requests.get(store.v2_url + "/products/1", headers=headers).json()
                assert listed[0]["images"]["url"].startswith(store.url + "/api/v2/")
                assert single["images"]["url"].startswith(store.url + "/api/v2/")


# -- in-process: rendering happens once per change ------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = store_module.render

    def counting(res, rec, link_base):
        calls.append((res.name, rec["id"]))
        return real(res, rec, link_base)

    monkeypatch.setattr(store_module, "render", counting)
    return calls


def test_records_are_rendered_once_until_they_change(counted):
    with Sandbox(products=600) as store:
        session = requests.Session()
        session.headers["X-Auth-Token"] = store.access_token
        page = store.v2_url + "/products?limit=250&page=%d"
        first = session.get(page % 1).content
        assert len(counted) == 250
        assert session.get(page % 1).content == first
        assert len(counted) == 250  # the same page again: nothing rendered
        session.get(page % 2)
        assert len(counted) == 500
        session.get(store.v2_url + "/products/7")  # on page 1: cached
        session.get(store.v2_url + "/products?limit=250&page=1&is_visible=true")  # cached records
        assert len(counted) == 500
        del counted[:]
        session.put(store.v2_url + "/products/7", json={"name": "Seven"})
        assert counted == [("products", 7)]  # the answer to the PUT
        del counted[:]
        again = session.get(page % 1).content
        assert counted == [] and again != first and b'"Seven"' in again
        session.get(page % 2)
        assert counted == []


def test_a_filtered_page_stops_at_its_last_record(monkeypatch):
    state = StoreState()
    seen = []
    for number in range(1000):
        state.insert(PRODUCTS, {"name": f"P{number}", "is_visible": number % 2 == 0})
    real = store_module._exact

    def spy(res, field, text):
        test = real(res, field, text)
        return lambda rec: seen.append(rec["id"]) or test(rec)

    monkeypatch.setattr(store_module, "_exact", spy)
    rows = select(state, PRODUCTS, None, {"is_visible": "true"}, 1, 5)
    assert [r["id"] for r in rows] == [1, 3, 5, 7, 9]
    assert len(seen) == 9  # not 1000


# -- in-process: random writes never leave a stale page ---------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["update", "create", "insert", "delete", "image", "unimage", "forget_all"]),
        st.integers(1, 12),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=25,
)


def _expected(state, res, pid, query, page, limit, base):
    rows = select(state, res, pid, query, page, limit)
    return to_json_bytes([render(res, rec, base) for rec in rows]) if rows else None


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_cached_pages_match_fresh_renderings(ops):
    state = StoreState()
    seed_reference(state, 1348194661)
    base = "http://127.0.0.1:1/api/v2"
    ctx = Context("c", "h", 1348194661)
    for number in range(1, 9):
        write(state, PRODUCTS, None, dict(NEW_PRODUCT, name=f"P{number}", sku=f"S{number}"), None, ctx)
    queries = [
        ({}, 1, 3),
        ({}, 2, 3),
        ({"is_visible": "false"}, 1, 250),
        ({"sort": "name:desc"}, 1, 5),
        ({"min_id": "4"}, 1, 250),
    ]
    counter = [100]
    for op, rid, extra in ops:
        for query, page, limit in queries:  # fill the caches before each change
            list_page(state, PRODUCTS, None, query, page, limit, base)
        products = state.tables["products"]
        if op == "update" and rid in products:
            write(state, PRODUCTS, None, {"name": f"U{rid}-{counter[0]}", "is_visible": bool(extra % 2)}, rid, ctx)
        elif op == "create":
            write(state, PRODUCTS, None, dict(NEW_PRODUCT, name=f"N{counter[0]}", sku=f"NS{counter[0]}"), None, ctx)
        elif op == "insert":  # the raw insert v3 and the seeders use
            state.insert(PRODUCTS, {"name": f"R{counter[0]}", "categories": [1], "is_visible": bool(extra % 2)})
        elif op == "delete" and rid in products:
            state.delete_cascade(PRODUCTS, rid)
        elif op == "image" and rid in products:
            write(state, IMAGES, rid, {"image_file": f"f{counter[0]}.png"}, None, ctx)
        elif op == "unimage" and rid in products:
            ids = state.child_ids(IMAGES, rid)
            if ids:
                state.delete_cascade(IMAGES, ids[extra % len(ids)])
        elif op == "forget_all" and rid in products:
            products[rid]["name"] = f"Behind-{counter[0]}"  # a change made in place ...
            state.forget_all()  # ... and announced
        counter[0] += 1
        for query, page, limit in queries:
            assert list_page(state, PRODUCTS, None, query, page, limit, base) == _expected(
                state, PRODUCTS, None, query, page, limit, base
            ), (op, query)
        for pid in list(state.tables["products"]):
            got = list_page(state, IMAGES, pid, {}, 1, 250, base)
            assert got == _expected(state, IMAGES, pid, {}, 1, 250, base)
            brute = [r["id"] for r in state.tables["products/images"].values() if r["product_id"] == pid]
            assert state.child_ids(IMAGES, pid) == brute


# -- latency overlaps -----------------------------------------------------------------------------


def _timed_gets(store, paths):
    durations = [None] * len(paths)

    def one(index):
        started = time.perf_counter()
        r = requests.get(store.v2_url + paths[index], headers={"X-Auth-Token": store.access_token}, timeout=30)
        assert r.status_code == 200
        durations[index] = time.perf_counter() - started

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(paths))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, durations


def test_latency_of_concurrent_requests_overlaps():
    """``latency_ms`` sleeps without holding the store's lock: 6 concurrent requests with 400 ms
    of latency each take about 400 ms together, not 2.4 s."""
    with Sandbox(products=10, latency_ms=400) as store:
        total, durations = _timed_gets(store, [f"/products/{i + 1}" for i in range(6)])
        assert min(durations) >= 0.39
        assert total < 1.2, (total, durations)


def test_a_slow_request_does_not_hold_up_others():
    with Sandbox(products=10) as store:
        store.inject("latency", match="GET /products/1", ms=1500)
        store.inject("slow", match="GET /products/2", seconds=1.5)
        slow = threading.Thread(target=_timed_gets, args=(store, ["/products/1", "/products/2"]))
        slow.start()
        time.sleep(0.2)
        started = time.perf_counter()
        r = requests.get(store.v2_url + "/products?limit=250", headers={"X-Auth-Token": store.access_token}, timeout=30)
        assert r.status_code == 200 and time.perf_counter() - started < 0.8
        slow.join()


@pytest.mark.skipif(not os.environ.get("SANDBOX_TIMING"), reason="timing check; set SANDBOX_TIMING=1")
def test_cached_page_cost():
    """Optional timing check: a cached 250-item page costs the handler well under 1 ms."""
    from bigcommerce.sandbox import routes

    with Sandbox(products=2000) as store:
        core = store._core

        def call(page):
            route, match = routes.resolve("/v2/products", "GET")
            return route.handler(
                routes.Call(core, "GET", "/x", "/v2/products", {"limit": "250", "page": str(page)}, {}, b""), match
            )

        for page in range(1, 9):
            call(page)
        started = time.perf_counter()
        for index in range(400):
            call(index % 8 + 1)
        assert (time.perf_counter() - started) / 400 < 0.001
