"""Every fault of Sandbox.inject, with times= and match=, checked on the wire (requests/http.client)."""

from __future__ import annotations

import http.client
import json
import time

import pytest
import requests
from sandbox_payloads import NEW_PRODUCT

from bigcommerce.sandbox import FAULTS, Sandbox

RATE_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)


def product_count(store):
    return len(store.state()["products"])


def test_reset_before_closes_without_processing(shop, c):
    shop.inject("reset_before", match="POST /products")
    before = product_count(shop)
    logged = len(shop.requests)
    with pytest.raises(requests.ConnectionError):
        c.post("/products", json=NEW_PRODUCT)
    assert product_count(shop) == before
    assert len(shop.requests) == logged  # neither answered nor processed
    assert c.post("/products", json=NEW_PRODUCT).status_code == 201  # only once


def test_reset_is_remote_disconnected_for_http_client(shop, c):
    shop.inject("reset_before")
    host, port = shop.url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/stores/sandbox/v2/time", headers={"X-Auth-Token": shop.access_token})
    with pytest.raises(http.client.RemoteDisconnected):
        conn.getresponse()
    conn.close()


def test_reset_after_applies_the_change(shop, c):
    shop.inject("reset_after", match="POST /products")
    before = product_count(shop)
    with pytest.raises(requests.ConnectionError):
        c.post("/products", json=NEW_PRODUCT)
    assert product_count(shop) == before + 1
    assert shop.requests[-1].method == "POST" and shop.requests[-1].status == 201
    assert c.post("/products", json=NEW_PRODUCT).status_code == 409  # the first one did land


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_status_with_html_body_not_processed(shop, c, status):
    shop.inject("status", status=status, match="POST /brands")
    r = c.post("/brands", json={"name": "Never"})
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("text/html") and b"<html" in r.content
    assert not any(b["name"] == "Never" for b in shop.state()["brands"].values())
    assert shop.requests[-1].status == status


def test_status_with_custom_body(shop, c):
    shop.inject("status", status=500, body="<h1>boom</h1>")
    r = c.get("/time")
    assert r.status_code == 500 and r.text == "<h1>boom</h1>"
    assert r.headers["Content-Type"].startswith("text/html")


def test_status_with_json_body_is_served_as_json(shop, c):
    """A maintenance answer in JSON is sent as JSON (the type follows the body, or content_type)."""
    body = '[{"status":503,"message":"The store is down for maintenance."}]'
    shop.inject("status", status=503, body=body, match="GET /products")
    r = c.get("/products")
    assert r.status_code == 503 and r.headers["Content-Type"] == "application/json"
    assert r.json()[0]["message"].startswith("The store is down")
    shop.inject("status", status=503, body=b"plain words", content_type="text/plain")
    r = c.get("/time")
    assert r.headers["Content-Type"] == "text/plain" and r.text == "plain words"


def test_truncated_json_processed_and_cut(shop, c):
    shop.inject("truncated_json", match="PUT /products")
    r = c.put("/products/1", json={"name": "Cut in half"})
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) == len(r.content)
    with pytest.raises(ValueError):
        json.loads(r.content)
    assert c.get("/products/1").json()["name"] == "Cut in half"
    shop.inject("truncated_json", match="POST /brands")
    r = c.post("/brands", json={"name": "Half"})
    assert r.status_code == 201
    with pytest.raises(ValueError):
        r.json()


def test_html_200_and_empty_200(shop, c):
    shop.inject("html_200", match="POST /brands")
    r = c.post("/brands", json={"name": "Html"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    shop.inject("empty_200", match="POST /brands")
    r = c.post("/brands", json={"name": "Empty"})
    assert r.status_code == 200 and r.content == b""
    assert not any(b["name"] in ("Html", "Empty") for b in shop.state()["brands"].values())


@pytest.mark.parametrize("reset_ms,retry", [(300, "1"), (1000, "1"), (2500, "3"), (60000, "60")])
def test_rate_limit_fault(shop, c, reset_ms, retry):
    shop.inject("rate_limit", reset_ms=reset_ms, match="POST /brands")
    r = c.post("/brands", json={"name": "Limited"})
    assert r.status_code == 429
    assert r.headers["X-Rate-Limit-Time-Reset-Ms"] == str(reset_ms)
    assert r.headers["X-Retry-After"] == retry and r.headers["X-Rate-Limit-Requests-Left"] == "0"
    for name in RATE_HEADERS:
        assert name in r.headers
    assert r.json()[0]["status"] == 429
    assert not any(b["name"] == "Limited" for b in shop.state()["brands"].values())
    assert c.post("/brands", json={"name": "Limited"}).status_code == 201  # safe to send again


def test_rate_limit_bare_fault(shop, c):
    shop.inject("rate_limit_bare")
    r = c.get("/products/1")
    assert r.status_code == 429
    assert not any(name in r.headers for name in RATE_HEADERS + ("X-Retry-After",))


@pytest.mark.parametrize("status", [301, 302])
def test_redirect_fault(shop, c, status):
    shop.inject("redirect", status=status, location="http://evil.example:9/x", match="POST /brands")
    r = c.post("/brands", json={"name": "Moved"}, allow_redirects=False)
    assert r.status_code == status and r.headers["Location"] == "http://evil.example:9/x"
    assert not any(b["name"] == "Moved" for b in shop.state()["brands"].values())


def test_slow_processes_then_waits(shop, c):
    shop.inject("slow", seconds=0.6, match="PUT /products/2")
    with pytest.raises(requests.ReadTimeout):
        c.put("/products/2", json={"name": "Slowly"}, timeout=0.2)
    assert shop.state()["products"][2]["name"] == "Slowly"
    shop.inject("slow", seconds=0.3)
    start = time.monotonic()
    assert c.get("/time").status_code == 200
    assert time.monotonic() - start >= 0.3


def test_latency_waits_before_processing(shop, c):
    shop.inject("latency", ms=300, match="GET /time")
    start = time.monotonic()
    assert c.get("/time").status_code == 200
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    c.get("/time")
    assert time.monotonic() - start < 0.3


def test_global_latency_option():
    with Sandbox(latency_ms=200) as store:
        start = time.monotonic()
        requests.get(store.v2_url + "/time", headers={"X-Auth-Token": store.access_token})
        assert time.monotonic() - start >= 0.2


def test_times_match_and_forever(shop, c):
    shop.inject("status", status=503, times=2, match="GET /products")
    assert c.get("/time").status_code == 200  # path does not match
    assert c.post("/brands", json={"name": "Z"}).status_code == 201  # method does not match
    assert c.get("/products/1/images").status_code == 503  # prefix matches
    assert c.get("/products").status_code == 503
    assert c.get("/products").status_code == 200  # used up
    fault = shop.inject("status", status=502, times=None, match="/time")
    assert all(c.get("/time").status_code == 502 for _ in range(3))
    assert fault.fired == 3 and fault.remaining is None and shop.faults == [fault]
    shop.clear_faults()
    assert c.get("/time").status_code == 200


def test_match_method_only_and_basic_root(shop, basic):
    shop.inject("status", status=500, match="DELETE")
    assert basic.get("/coupons/1.json").status_code == 200
    assert basic.delete("/coupons/1.json").status_code == 500
    assert basic.get("/coupons/1.json").status_code == 200
    shop.inject("status", status=504, match="GET /coupons/1")
    assert basic.get("/coupons/1.json").status_code == 504


def test_faults_queue_in_order(shop, c):
    shop.inject("status", status=500)
    shop.inject("status", status=502)
    assert [c.get("/time").status_code for _ in range(3)] == [500, 502, 200]


def test_reset_clears_faults(shop, c):
    shop.inject("status", status=500, times=None)
    shop.reset()
    assert c.get("/time").status_code == 200


def test_fault_on_token_endpoint(shop, c):
    shop.inject("status", status=503, match="POST /oauth2/token")
    assert requests.post(shop.url + "/oauth2/token", data={}).status_code == 503


@pytest.mark.parametrize("kind,params", [("nope", {}), ("status", {"colour": 1}), ("reset_before", {"seconds": 1})])
def test_bad_fault_arguments(shop, kind, params):
    with pytest.raises(ValueError):
        shop.inject(kind, **params)
    with pytest.raises(ValueError):
        shop.inject("status", times=0)


def test_every_kind_is_tested():
    tested = {
        "reset_before",
        "reset_after",
        "status",
        "truncated_json",
        "html_200",
        "empty_200",
        "rate_limit",
        "rate_limit_bare",
        "redirect",
        "slow",
        "latency",
    }
    assert set(FAULTS) == tested
