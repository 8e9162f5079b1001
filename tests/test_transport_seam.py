"""The public transport seam: ``session=`` (a requests Session with the caller's adapters),
``api.v3``/``api.graphql`` built once, and a module graph without cycles (exception.py a leaf)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from bigcommerce.sandbox import Sandbox

PACKAGE = Path(__file__).resolve().parent.parent / "bigcommerce"


@pytest.fixture(scope="module")
def store_module():
    with Sandbox(products=2) as sandbox:
        yield sandbox


class Counting(HTTPAdapter):
    def __init__(self):
        super().__init__()
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request.method, request.url, dict(request.headers)))
        return super().send(request, **kwargs)


def test_a_callers_session_carries_every_request(store_module):
    adapter = Counting()
    session = requests.Session()
    session.mount("http://", adapter)
    api = store_module.api(session=session)
    assert api.connection.session is session
    api.Products.all(limit=1)
    api.v3.get("catalog/products", limit=1)
    assert [m for m, _, _ in adapter.sent] == ["GET", "GET"]
    headers = adapter.sent[0][2]
    assert headers["X-Auth-Token"] == store_module.access_token
    assert headers["User-Agent"].startswith("bigcommerce-api/") and headers["Accept"] == "application/json"


def test_v3_and_graphql_are_built_once(store_module):
    api = store_module.api()
    assert api.v3 is api.v3 and api.graphql is api.graphql


def imports_of(name: str):
    tree = ast.parse((PACKAGE / name).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module.startswith("bigcommerce")}


def test_exception_is_a_leaf_and_the_transport_has_no_cycle():
    assert imports_of("exception.py") == {"bigcommerce.jsonlib"}
    assert imports_of("jsonlib.py") == set()
    assert imports_of("ratelimit.py") <= {"bigcommerce.exception", "bigcommerce.ratelimit_redis"}
    assert imports_of("transport.py") <= {"bigcommerce.exception", "bigcommerce.ratelimit"}
    assert not any(m.startswith("bigcommerce.connection") for m in imports_of("graphql.py"))
