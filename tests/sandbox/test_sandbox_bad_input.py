"""Bad input gets a BigCommerce-shaped error, the server keeps serving and the state is unchanged."""

from __future__ import annotations

import http.client
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_payloads import NEW_PRODUCT

from bigcommerce.sandbox import Sandbox


def raw(store, method, path, body=b"", headers=None):
    host, port = store.url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    all_headers = {"X-Auth-Token": store.access_token}
    all_headers.update(headers or {})
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data, response


def is_v2_error(data, status):
    import json

    body = json.loads(data)
    return isinstance(body, list) and body[0]["status"] == status and body[0]["message"]


def test_invalid_json(unchanged, c):
    for body in (b"{", b"{'name': 1}", b"nul", b"\xff\xfe{}"):
        r = c.post("/products", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()[0]["status"] == 400
        r = c.put("/products/1", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400


@pytest.mark.parametrize("body", [[1, 2], "name", 5, None, True])
def test_json_that_is_not_an_object(unchanged, c, body):
    assert c.post("/products", json=body).status_code == 400
    if body is not None:  # json=None sends no body at all: an empty PUT is a valid no-op update
        assert c.put("/products/1", json=body).status_code == 400


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_wrong_content_type(unchanged, c, ctype):
    r = c.post("/products", data=b'{"name": "x"}', headers={"Content-Type": ctype})
    assert r.status_code == 415 and r.json()[0]["status"] == 415


@pytest.mark.parametrize(
    "field,value",
    [
        ("price", "abc"),
        ("price", [1]),
        ("is_visible", "yes"),
        ("inventory_level", "many"),
        ("categories", [0]),
        ("categories", []),
        ("date_created", "tomorrow"),
        ("name", ""),
        ("name", {"a": 1}),
        ("availability", None),
    ],
)
def test_wrong_types(unchanged, c, field, value):
    r = c.post("/products", json=dict(NEW_PRODUCT, **{field: value}))
    assert r.status_code == 400, (field, value, r.text)
    if field != "availability" and value != "":
        assert r.json()[0]["message"] == f"The field '{field}' is invalid."
    assert c.put("/products/1", json={field: value}).status_code == 400


def test_oversized_body_413():
    with Sandbox(max_body=1000) as store:
        before = store.state()
        status, data, response = raw(
            store,
            "POST",
            "/stores/sandbox/v2/brands",
            body=b'{"name": "' + b"x" * 5000 + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert status == 413 and is_v2_error(data, 413)
        assert response.getheader("Connection") == "close"
        assert store.state() == before
        status, _, _ = raw(
            store,
            "POST",
            "/stores/sandbox/v2/brands",
            body=b'{"name": "ok"}',
            headers={"Content-Type": "application/json"},
        )
        assert status == 201


@pytest.mark.parametrize(
    "path",
    [
        "/stores/sandbox/v2/products/../customers",
        "/stores/sandbox/v2/products/..",
        "/stores/sandbox/v2/products/1%2F2",
        "/stores/sandbox/v2/products/1%2f2",
        "/stores/sandbox/v2/products/%2e%2e",
        "/stores/sandbox/v2/products/1/images/..%2F..%2Fcustomers",
        "/stores/sandbox/v2/products/1/images/../../../customers",
        "/stores/sandbox/v2/products/-1",
        "/stores/sandbox/v2/products/1.5",
        "/stores/sandbox/v2/products/0x10",
        "/stores/sandbox/v2/products/%00",
        "/stores/sandbox/v2/products/abc/images",
    ],
)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_dot_dot_and_slashes_in_ids(unchanged, shop, path, method):
    body = b"{}" if method == "PUT" else b""
    status, data, _ = raw(shop, method, path, body=body, headers={"Content-Type": "application/json"})
    expected = 405 if (method, path.rsplit("/", 1)[-1]) == ("PUT", "images") else 404  # a collection
    assert status == expected, (method, path, data)
    assert is_v2_error(data, expected)


@pytest.mark.parametrize(
    "path",
    [
        "/stores/sandbox/v2/nothing",
        "/stores/sandbox/v2/",
        "/stores/sandbox/v2",
        "/stores/sandbox/v2/products/1/nothing",
        "/api/v2/nothing.json",
        "/",
        "/favicon.ico",
        "/stores/sandbox/v2/products/1/images/2/3",
    ],
)
def test_unknown_routes(unchanged, shop, path):
    headers = {"Authorization": "Basic YWRtaW46c2FuZGJveC1iYXNpYy10b2tlbg=="}
    status, data, _ = raw(shop, "GET", path, headers=headers)
    assert status == 404 and is_v2_error(data, 404)


def test_wrong_store_hash(unchanged, shop):
    status, data, _ = raw(shop, "GET", "/stores/other/v2/products")
    assert status == 404


@pytest.mark.parametrize(
    "method,path",
    [
        ("PATCH", "/products/1"),
        ("POST", "/products/1"),
        ("PUT", "/products"),
        ("POST", "/time"),
        ("DELETE", "/store"),
        ("POST", "/countries"),
        ("DELETE", "/order_statuses/1"),
        ("OPTIONS", "/products"),
        ("PUT", "/orders/1/products/1"),
        ("BREW", "/products"),
    ],
)
def test_wrong_methods(unchanged, shop, method, path):
    status, data, response = raw(
        shop, method, "/stores/sandbox/v2" + path, body=b"{}", headers={"Content-Type": "application/json"}
    )
    assert status == 405, (method, path, data)
    assert is_v2_error(data, 405) and response.getheader("Allow")


def test_bad_content_length(unchanged, shop):
    host, port = shop.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"POST /stores/sandbox/v2/brands HTTP/1.1\r\nHost: x\r\nX-Auth-Token: sandbox-token\r\n"
            b"Content-Type: application/json\r\nContent-Length: nope\r\n\r\n{}"
        )
        reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 400")


def test_garbage_request_line(unchanged, shop):
    host, port = shop.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"\x16\x03\x01 garbage\r\n\r\n")
        reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 400 ")
    assert b'[{"status":400' in reply


def test_client_hangs_up_mid_body(unchanged, shop):
    host, port = shop.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"POST /stores/sandbox/v2/brands HTTP/1.1\r\nHost: x\r\nX-Auth-Token: sandbox-token\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name"'
        )


def test_chunked_body_is_accepted(shop, c):
    def chunks():
        yield b'{"name": '
        yield b'"Chunked brand"}'

    r = c.post("/brands", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 201 and r.json()["name"] == "Chunked brand"


def test_keep_alive_survives_errors(shop, c):
    before = shop.connections
    for _ in range(5):
        assert c.get("/nothing").status_code == 404
        assert c.post("/products", data=b"{", headers={"Content-Type": "application/json"}).status_code == 400
        assert c.get("/products/1").status_code == 200
    assert shop.connections - before <= 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.dictionaries(
            st.sampled_from(sorted(NEW_PRODUCT) + ["id", "calculated_price", "images", "junk"]),
            st.one_of(
                st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2)
            ),
            max_size=8,
        ),
    )
)
def test_fuzzed_product_bodies_never_500(shop, c, body):
    before = len(shop.state()["products"])
    if isinstance(body, bytes):
        r = c.post("/products", data=body, headers={"Content-Type": "application/json"})
    else:
        r = c.post("/products", json=body)
    assert r.status_code in (201, 400, 409), r.text
    assert isinstance(r.json(), (list, dict))
    assert len(shop.state()["products"]) == before + (1 if r.status_code == 201 else 0)
