"""The classic connection helpers: ``get``, ``update``, ``create``, ``post``, ``put``, ``delete``,
``full_path``, the static payload checks of ``OAuthConnection`` and ``GraphQLConnection.query`` /
``introspection_query``.

Each helper is one ``make_request`` call with the classic arguments (checked classic-style, with
``make_request`` replaced by a ``MagicMock`` on a real connection), and works over HTTP against the
sandbox (checked on what the store received and what came back).
"""

from __future__ import annotations

import inspect
import json
from unittest.mock import MagicMock

import pytest
from test_classic_helpers import LocalServer, watch

from bigcommerce.api import BigcommerceApi
from bigcommerce.connection import Connection, GraphQLConnection, OAuthConnection
from bigcommerce.exception import ClientRequestException
from bigcommerce.oauth import JWTVerificationError
from bigcommerce.sandbox.signing import signed_payload, signed_payload_jwt


@pytest.fixture
def spied():
    connection = Connection("store.example.com", ("admin", "token"))
    connection.make_request = MagicMock(return_value={"id": 1})
    return connection


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda c: c.get("products", 1, include="skus"), ("GET", "products/1", None, {"include": "skus"}, None)),
        (lambda c: c.get("products"), ("GET", "products", None, {}, None)),
        (lambda c: c.get("order_statuses", 0), ("GET", "order_statuses/0", None, {}, None)),
        (lambda c: c.update("products", 1, {"name": "x"}), ("PUT", "products/1", {"name": "x"}, None, None)),
        (lambda c: c.create("products", {"name": "x"}), ("POST", "products", {"name": "x"}, None, None)),
        (lambda c: c.post("products", {"name": "x"}), ("POST", "products", {"name": "x"}, None, None)),
        (
            lambda c: c.post("https://login.example.com/x", "a=1", headers={"Content-Type": "text/plain"}),
            ("POST", "https://login.example.com/x", "a=1", None, {"Content-Type": "text/plain"}),
        ),
        (lambda c: c.put("products/1", {"name": "x"}), ("PUT", "products/1", {"name": "x"}, None, None)),
        (lambda c: c.delete("products", 1), ("DELETE", "products/1", None, None, None)),
        (lambda c: c.delete("products", 0), ("DELETE", "products/0", None, None, None)),  # 0 is an id
        (lambda c: c.delete("products"), ("DELETE", "products", None, None, None)),
    ],
)
def test_each_helper_is_one_classic_make_request_call(spied, call, expected):
    assert call(spied) == {"id": 1}
    spied.make_request.assert_called_once_with(*expected)


def test_the_helpers_have_the_classic_signatures():
    def shape(function):
        return [(p.name, p.kind.name) for p in inspect.signature(function).parameters.values()]

    assert shape(Connection.get) == [
        ("self", "POSITIONAL_OR_KEYWORD"),
        ("resource", "POSITIONAL_OR_KEYWORD"),
        ("rid", "POSITIONAL_OR_KEYWORD"),
        ("query", "VAR_KEYWORD"),
    ]
    assert list(inspect.signature(Connection.update).parameters) == ["self", "resource", "rid", "updates"]
    assert list(inspect.signature(Connection.create).parameters) == ["self", "resource", "data"]
    assert list(inspect.signature(Connection.post).parameters) == ["self", "url", "data", "headers"]
    assert list(inspect.signature(Connection.put).parameters) == ["self", "url", "data"]
    assert list(inspect.signature(Connection.delete).parameters) == ["self", "resource", "rid"]
    assert list(inspect.signature(Connection.full_path).parameters) == ["self", "url"]
    assert list(inspect.signature(Connection.make_request).parameters)[:6] == [
        "self",
        "method",
        "url",
        "data",
        "params",
        "headers",
    ]
    assert list(inspect.signature(GraphQLConnection.introspection_query).parameters) == ["self"]
    assert isinstance(inspect.getattr_static(OAuthConnection, "verify_payload"), staticmethod)
    assert isinstance(inspect.getattr_static(OAuthConnection, "verify_payload_jwt"), staticmethod)


def test_full_path():
    assert Connection("store.example.com", ("a", "b")).full_path("time") == "https://store.example.com/api/v2/time"
    oauth = OAuthConnection("123", "abcdef")
    assert oauth.full_path("time") == "https://api.bigcommerce.com/stores/abcdef/v2/time"
    assert (
        OAuthConnection("123", "abcdef", host="barbaz.com").full_path("time")
        == "https://barbaz.com/stores/abcdef/v2/time"
    )


def test_make_request_returns_the_parsed_body_over_http(store, api):
    api.Brands.create(name="Acme")
    with watch(store) as seen:
        count = api.connection.make_request("GET", "brands/count")["count"]
    assert count == 1 and seen.calls == [("GET", "brands/count")]


def test_the_helpers_over_http(store, api):
    connection = api.connection
    with watch(store) as seen:
        created = connection.create("brands", {"name": "Acme"})
        fetched = connection.get("brands", created["id"])
        listed = connection.get("brands", limit=5)
        updated = connection.update("brands", created["id"], {"name": "Acme 2"})
        put = connection.put(f"brands/{created['id']}", {"page_title": "Acme!"})
        posted = connection.post("brands", {"name": "Other"})
        gone = connection.delete("brands", created["id"])
        everything = connection.delete("brands")
    bid = created["id"]
    assert seen.calls == [
        ("POST", "brands"),
        ("GET", f"brands/{bid}"),
        ("GET", "brands"),
        ("PUT", f"brands/{bid}"),
        ("PUT", f"brands/{bid}"),
        ("POST", "brands"),
        ("DELETE", f"brands/{bid}"),
        ("DELETE", "brands"),
    ]
    assert seen.statuses == [201, 200, 200, 200, 200, 201, 204, 204]
    assert seen.requests[2].query == {"limit": "5"}
    assert [r.json for r in seen.requests if r.method in ("POST", "PUT")] == [
        {"name": "Acme"},
        {"name": "Acme 2"},
        {"page_title": "Acme!"},
        {"name": "Other"},
    ]
    assert fetched == created and [b["id"] for b in listed] == [bid]
    assert updated["name"] == "Acme 2" and put["page_title"] == "Acme!" and posted["name"] == "Other"
    assert gone is None and everything is None and store.state()["brands"] == {}


def test_post_sends_the_given_content_type(store, api):
    with watch(store) as seen:
        with pytest.raises(ClientRequestException) as info:  # the v2 API takes JSON only
            api.connection.post("brands", "name=Acme", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert info.value.status_code == 415 and seen.statuses == [415]
    assert seen.last.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert seen.last.body == b"name=Acme"


SECRET = "client-secret-for-the-payload-tests"


def test_verify_payload_gives_the_apis_answers():
    good = signed_payload(SECRET, "abc123", user_id=7)
    forged = signed_payload("another-secret", "abc123", user_id=7)
    for payload in (good, forged, "not a payload", good + "x"):
        assert OAuthConnection.verify_payload(payload, SECRET) == BigcommerceApi.oauth_verify_payload(payload, SECRET)
    assert OAuthConnection.verify_payload(good, SECRET)["user"]["id"] == 7
    assert OAuthConnection.verify_payload(forged, SECRET) is False
    assert OAuthConnection("c", "h").verify_payload(good, SECRET)["store_hash"] == "abc123"  # on an instance too


def test_verify_payload_jwt_gives_the_apis_answers():
    token = signed_payload_jwt("my-client", SECRET, "abc123", user_id=9)
    claims = OAuthConnection.verify_payload_jwt(token, SECRET, "my-client")
    assert claims == BigcommerceApi.oauth_verify_payload_jwt(token, SECRET, "my-client")
    assert claims["user"]["id"] == 9 and claims["sub"] == "stores/abc123"
    for verify in (OAuthConnection.verify_payload_jwt, BigcommerceApi.oauth_verify_payload_jwt):
        with pytest.raises(JWTVerificationError):
            verify(token, "a-wrong-secret-of-thirty-two-bytes!", "my-client")
        with pytest.raises(JWTVerificationError):
            verify(token, SECRET, "another-client")


class GraphQLServer(LocalServer):
    """Answers every POST with ``{"data": ...}`` and keeps what it received."""

    def __init__(self, data):
        self.received = []
        body = json.dumps({"data": data}).encode()

        def answer(handler, request_body):
            self.received.append((handler.command, handler.path, dict(handler.headers), json.loads(request_body)))
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        super().__init__(answer)


def test_graphql_query_and_introspection():
    schema = {"__schema": {"queryType": {"name": "Query"}, "types": [{"kind": "OBJECT", "name": "Query"}]}}
    server = GraphQLServer(schema)
    try:
        connection = GraphQLConnection("client", "abc123", "gql-token", host=server.url)
        assert connection.query("query { site { id } }", {"a": 1}) == schema
        assert connection.introspection_query() == schema
    finally:
        server.close()
    (m1, p1, h1, b1), (m2, p2, _, b2) = server.received
    assert (m1, p1, m2, p2) == ("POST", "/stores/abc123/graphql", "POST", "/stores/abc123/graphql")
    assert h1["X-Auth-Token"] == "gql-token" and h1["Content-Type"] == "application/json"
    assert b1 == {"query": "query { site { id } }", "variables": {"a": 1}}
    assert "__schema" in b2["query"] and "fragment TypeRef on __Type" in b2["query"] and b2["variables"] == {}
