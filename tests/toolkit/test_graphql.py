"""``api.graphql`` (and the classic ``GraphQLConnection``) end to end against the sandbox: queries,
errors raised even with HTTP 200 (with the partial data), the pager over ``pageInfo``, and the shared
transport. Answers the sandbox never gives come from the ``canned`` fixture."""

from __future__ import annotations

import pickle
import time

import pytest

from bigcommerce.connection import GraphQLConnection
from bigcommerce.exception import (
    ClientRequestException,
    GraphQLError,
    HttpException,
    InvalidResponseException,
)
from bigcommerce.graphql import GraphQLClient, check_graphql_response

PRODUCTS = """
query Products($first: Int, $after: String) {
  site {
    products(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { entityId name sku } }
    }
  }
}"""


def graphql_requests(store):
    return [r for r in store.requests if r.path == f"/stores/{store.store_hash}/graphql"]


def test_system_time_and_settings(store, api):
    data = api.graphql.query("{ system { time } site { settings { storeName storeHash } } }")
    assert abs(data["system"]["time"] - time.time()) < 5
    assert data["site"]["settings"] == {"storeName": "Sandbox Store", "storeHash": "sandbox"}
    (request,) = graphql_requests(store)
    assert request.method == "POST" and request.headers["X-Auth-Token"] == store.access_token
    assert request.json == {"query": "{ system { time } site { settings { storeName storeHash } } }", "variables": {}}
    assert api.graphql.url == store.url + "/stores/sandbox/graphql"


def test_products_match_the_v2_store(store, api):
    ids = store.add_products(3)
    names = {p["id"]: p["name"] for p in api.Products.all()}
    query = """query One($id: Int!) { site { product(entityId: $id) { __typename entityId name
               prices { price { value currencyCode } } } } }"""
    product = api.graphql.query(query, {"id": ids[1]})["site"]["product"]
    assert product["__typename"] == "Product" and product["name"] == names[ids[1]]
    assert product["prices"]["price"]["currencyCode"] == "USD"
    assert api.graphql.query(query, {"id": 999999})["site"]["product"] is None
    aliased = api.graphql.query("{ a: system { t: time } }")
    assert set(aliased) == {"a"} and set(aliased["a"]) == {"t"}


def test_paginate_follows_page_info(store, api):
    ids = store.add_products(230)
    names = {p["id"]: p["name"] for p in store.state()["products"].values()}
    nodes = list(api.graphql.paginate(PRODUCTS, {"first": 50}, path=("site", "products")))
    assert [n["entityId"] for n in nodes] == ids
    assert all(n["name"] == names[n["entityId"]] for n in nodes)
    posts = graphql_requests(store)
    assert len(posts) == 5
    assert "after" not in posts[0].json["variables"]
    for before, after in zip(posts, posts[1:]):
        assert after.json["variables"]["first"] == 50
        assert after.json["variables"]["after"] != before.json["variables"].get("after")

    edges = list(api.graphql.paginate(PRODUCTS, {"first": 50, "after": None}, path="site.products", edges=True))
    assert [e["node"]["entityId"] for e in edges] == ids and all(e["cursor"] for e in edges)


def test_paginate_is_lazy(store, api):
    store.add_products(120)
    pages = api.graphql.paginate(PRODUCTS, {"first": 10})
    first = [next(pages) for _ in range(15)]
    assert len(first) == 15 and len(graphql_requests(store)) == 2


def test_errors_are_raised_even_with_http_200(store, api):
    with pytest.raises(GraphQLError) as info:
        api.graphql.query("{ site { settings { storeName } nope } }")
    error = info.value
    assert isinstance(error, HttpException) and error.status_code == 200
    assert error.errors == [
        {"message": "Field 'nope' doesn't exist on type 'Site'", "locations": [{"line": 1, "column": 33}]}
    ]
    assert error.data is None and error.messages == ["Field 'nope' doesn't exist on type 'Site'"]
    assert str(error) == "GraphQL errors: Field 'nope' doesn't exist on type 'Site'"
    assert graphql_requests(store)[-1].status == 200


def test_execution_errors_carry_the_partial_data(store, api):
    store.add_products(2)
    with pytest.raises(GraphQLError) as info:
        api.graphql.query("{ system { time } site { products(first: 500) { edges { node { name } } } } }")
    error = info.value
    assert error.data["site"]["products"] is None and isinstance(error.data["system"]["time"], int)
    assert error.errors[0]["path"] == ["site", "products"]
    assert "first" in str(error) and "(at site.products)" in str(error)


@pytest.mark.parametrize(
    "query, variables, needle",
    [
        ("{ site { products { edges { node { nope } } } } }", None, "doesn't exist on type 'Product'"),
        ("{ site }", None, "must have a selection"),
        ("{ system { time { x } } }", None, "can't be made on scalars"),
        ("{ site { product(id: 1) { name } } }", None, "doesn't accept argument 'id'"),
        ("{ site { product { name } } }", None, "missing required argument 'entityId'"),
        ("{ site { product(entityId: $id) { name } } }", None, "$id is used but not declared"),
        ("query ($id: Int!) { site { product(entityId: $id) { name } } }", {}, "was not provided"),
        ("query ($n: Int) { site { products(first: $n) { edges { cursor } } } }", {"n": "ten"}, "invalid value"),
        ("mutation { doIt }", None, "queries only"),
        ("{ site { ...F } }", None, "Fragments are not supported"),
        ("{ system { time }", None, "Syntax Error"),
        ("{ system { time } } { site { settings { storeHash } } }", None, "operationName is required"),
    ],
)
def test_the_sandbox_reports_what_it_does_not_know(api, query, variables, needle):
    with pytest.raises(GraphQLError) as info:
        api.graphql.query(query, variables)
    assert needle in str(info.value)
    assert info.value.errors and all("message" in e for e in info.value.errors)


def test_operation_name_picks_the_operation(api):
    document = "query A { system { time } } query B { site { settings { storeHash } } }"
    assert api.graphql.query(document, operation_name="B") == {"site": {"settings": {"storeHash": "sandbox"}}}


def test_classic_graphql_connection_raises_too(store):
    connection = GraphQLConnection(store.client_id, store.store_hash, store.access_token, host=store.url)
    assert "time" in connection.query("{ system { time } }")["system"]
    with pytest.raises(GraphQLError) as info:
        connection.query("{ nope }")
    assert info.value.errors[0]["message"] == "Field 'nope' doesn't exist on type 'Query'"


def test_check_graphql_response():
    assert check_graphql_response({"data": {"a": 1}}) == {"a": 1}
    assert check_graphql_response({"data": {"a": 1}, "errors": []}) == {"a": 1}
    assert check_graphql_response({"data": None}) is None
    for body in ({"errors": "boom"}, {"errors": {"message": "boom"}}, {"data": {}, "errors": [{"message": "boom"}]}):
        with pytest.raises(GraphQLError, match="boom"):
            check_graphql_response(body)
    for body in ([], None, "x", {}):
        with pytest.raises(GraphQLError):
            check_graphql_response(body)
    many = {"errors": [{"message": f"e{i}"} for i in range(5)]}
    with pytest.raises(GraphQLError, match=r"e0; e1; e2 \(and 2 more\)"):
        check_graphql_response(many)
    error = GraphQLError("m", None, [{"message": "x"}], {"d": 1}, {"errors": []})
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.errors, clone.data, clone.response) == ([{"message": "x"}], {"d": 1}, None)


def test_http_errors(canned):
    api, _ = canned([(400, {"errors": [{"message": "query is required"}]}, {})])
    with pytest.raises(GraphQLError) as info:
        api.graphql.query("{ x }")
    assert info.value.status_code == 400 and info.value.messages == ["query is required"]
    gateway = {"status": 401, "title": "No valid credentials", "type": "t", "errors": {}}
    api, _ = canned([(401, gateway, {})])
    with pytest.raises(ClientRequestException) as info:
        api.graphql.query("{ x }")
    assert not isinstance(info.value, GraphQLError) and info.value.status_code == 401
    api, _ = canned([(200, b"<html>maintenance</html>", {"Content-Type": "text/html"})])
    with pytest.raises(InvalidResponseException):
        api.graphql.query("{ x }")
    with pytest.raises(ValueError):
        api.graphql.query("   ")


def test_paginate_refuses_to_loop(canned):
    page = {
        "data": {
            "site": {
                "products": {"pageInfo": {"hasNextPage": True, "endCursor": "c1"}, "edges": [{"node": {"entityId": 1}}]}
            }
        }
    }
    api, adapter = canned([(200, page, {}), (200, page, {})])
    with pytest.raises(InvalidResponseException, match="would loop"):
        list(api.graphql.paginate(PRODUCTS))
    assert len(adapter.sent) == 2
    api, _ = canned([(200, {"data": {"site": {}}}, {})])
    with pytest.raises(InvalidResponseException, match="no connection at site.products"):
        list(api.graphql.paginate(PRODUCTS))
    nodes = {"data": {"a": {"b": {"pageInfo": {"hasNextPage": False}, "nodes": [{"id": 1}, {"id": 2}]}}}}
    api, _ = canned([(200, nodes, {})])
    assert list(api.graphql.paginate("{ x }", path="a.b")) == [{"id": 1}, {"id": 2}]


def test_a_429_on_graphql_is_waited_out(store, api):
    store.inject("rate_limit", reset_ms=50, match="POST /graphql")
    assert "time" in api.graphql.query("{ system { time } }")["system"]
    assert [r.status for r in graphql_requests(store)] == [429, 200]


def test_graphql_client_needs_oauth(basic_api):
    with pytest.raises(TypeError):
        _ = basic_api.graphql
    with pytest.raises(TypeError):
        GraphQLClient(object())
