"""Fixtures for the sandbox's own tests: raw HTTP (requests / http.client), never the client library.

``shop`` is one demo store per module (50 products, 10 customers, 12 orders, seed 0), reset before
every test by ``c``; ``c`` is a small raw-requests helper bound to the OAuth v2 root.
"""

from __future__ import annotations

import pytest
import requests

from bigcommerce.sandbox import Sandbox


class Raw:
    """requests.Session bound to one API root of a sandbox, with its credentials."""

    def __init__(self, store: Sandbox, basic: bool = False):
        self.store = store
        self.session = requests.Session()
        if basic:
            self.root = store.basic_url
            self.session.auth = store.basic_auth
        else:
            self.root = store.v2_url
            self.session.headers["X-Auth-Token"] = store.access_token
            self.session.headers["X-Auth-Client"] = store.client_id
        self.session.headers["Accept"] = "application/json"

    def request(self, method, path, **kw):
        kw.setdefault("timeout", 10)
        return self.session.request(method, self.root + path, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def close(self):
        self.session.close()


@pytest.fixture(scope="module")
def shop():
    with Sandbox(products=50, customers=10, orders=12, seed=0) as store:
        yield store


@pytest.fixture
def c(shop):
    shop.reset()
    raw = Raw(shop)
    yield raw
    raw.close()


@pytest.fixture
def basic(shop):
    shop.reset()
    raw = Raw(shop, basic=True)
    yield raw
    raw.close()


@pytest.fixture
def empty():
    with Sandbox() as store:
        raw = Raw(store)
        yield raw
        raw.close()


@pytest.fixture
def unchanged(shop, c):
    """Asserts after the test that the data did not change and the server still answers."""
    before = shop.state()
    yield shop
    assert shop.state() == before
    assert c.get("/products/1").status_code == 200
