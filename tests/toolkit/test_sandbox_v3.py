"""The sandbox's v3 and GraphQL answers as raw HTTP (no client code), so that the shapes the client
relies on are pinned down independently of it: pagination meta, cursors, errors, 207 bodies."""

from __future__ import annotations

import pytest
import requests


@pytest.fixture
def http(store):
    session = requests.Session()
    session.headers.update({"X-Auth-Token": store.access_token, "Accept": "application/json"})
    root = f"{store.url}/stores/{store.store_hash}"

    def send(method, path, **kwargs):
        return session.request(method, root + path, timeout=10, **kwargs)

    yield send
    session.close()


def test_pagination_meta(store, http):
    store.add_products(12)
    answer = http("GET", "/v3/catalog/products", params={"limit": 5, "page": 2, "name:like": "sample"})
    assert answer.status_code == 200
    body = answer.json()
    assert [p["id"] for p in body["data"]] == [6, 7, 8, 9, 10]
    assert body["meta"] == {
        "pagination": {
            "total": 12,
            "count": 5,
            "per_page": 5,
            "current_page": 2,
            "total_pages": 3,
            "too_many": False,
            "links": {"previous": "?page=1&limit=5", "current": "?page=2&limit=5", "next": "?page=3&limit=5"},
        }
    }
    last = http("GET", "/v3/catalog/products", params={"limit": 5, "page": 3}).json()["meta"]["pagination"]
    assert "next" not in last["links"] and last["count"] == 2
    past = http("GET", "/v3/catalog/products", params={"page": 9}).json()
    assert past["data"] == [] and past["meta"]["pagination"]["count"] == 0
    for bad in ({"limit": 251}, {"limit": 0}, {"page": "x"}, {"sort": "colour"}):
        answer = http("GET", "/v3/catalog/products", params=bad)
        assert answer.status_code == 422 and set(answer.json()) == {"status", "title", "type", "errors"}


def test_cursors_both_ways(store, http):
    ids = store.add_products(3)
    fields = [
        {"resource_id": ids[0], "namespace": "n", "key": f"k{i}", "value": "v", "permission_set": "read"}
        for i in range(7)
    ]
    assert http("POST", "/v3/catalog/products/metafields", json=fields).status_code == 200
    first = http("GET", "/v3/catalog/products/metafields", params={"limit": 3}).json()
    cursor = first["meta"]["cursor_pagination"]
    assert cursor["count"] == 3 and cursor["per_page"] == 3 and set(cursor["links"]) == {"next"}
    assert cursor["links"]["next"] == "?after={}&limit=3".format(cursor["end_cursor"])
    second = http(
        "GET", "/v3/catalog/products/metafields", params={"after": cursor["end_cursor"], "limit": 3, "page": 9}
    ).json()
    assert [m["key"] for m in second["data"]] == ["k3", "k4", "k5"]  # page is ignored with a cursor
    back = http(
        "GET",
        "/v3/catalog/products/metafields",
        params={"before": second["meta"]["cursor_pagination"]["start_cursor"], "limit": 2},
    ).json()
    assert [m["key"] for m in back["data"]] == ["k1", "k2"]
    both = http("GET", "/v3/catalog/products/metafields", params={"after": "x", "before": "y"})
    assert both.status_code == 422
    assert http("GET", "/v3/catalog/products/metafields", params={"after": "!!"}).status_code == 422
    duplicate = http("POST", f"/v3/catalog/products/{ids[0]}/metafields", json=fields[0])
    assert duplicate.status_code == 409


def test_207_body_and_batch_limits(store, http):
    people = [
        {"email": "a@example.com", "first_name": "A", "last_name": "A"},
        {"email": "a@example.com", "first_name": "B", "last_name": "B"},
    ]
    answer = http("POST", "/v3/customers", json=people)
    assert answer.status_code == 207
    body = answer.json()
    assert [c["email"] for c in body["data"]] == ["a@example.com"]
    assert body["errors"][0]["status"] == 409 and "1.email" in body["errors"][0]["errors"]
    assert body["meta"] == {"total": 2, "success": 1, "failed": 1}
    assert http("POST", "/v3/customers", json=people[1:]).status_code == 409  # every item failed
    eleven = [{"email": f"x{i}@example.com", "first_name": "X", "last_name": "Y"} for i in range(11)]
    assert http("POST", "/v3/customers", json=eleven).status_code == 413
    assert http("PUT", "/v3/catalog/products", json=[{"id": 1}] * 11).status_code == 413
    assert http("PUT", "/v3/catalog/products", json={"id": 1}).status_code == 422


def test_deletes_need_a_filter(store, http):
    store.add_products(2)
    assert http("DELETE", "/v3/catalog/products").status_code == 422
    assert http("DELETE", "/v3/customers").status_code == 422
    assert http("DELETE", "/v3/catalog/products", params={"id:in": "1"}).status_code == 204
    assert sorted(store.state()["products"]) == [2]


def test_unknown_paths_methods_and_credentials(store, http):
    missing = http("GET", "/v3/catalog/nothing")
    assert missing.status_code == 404 and missing.json()["title"]
    assert http("PATCH", "/v3/customers").status_code == 405
    assert http("GET", "/graphql").status_code == 405
    anonymous = requests.get(f"{store.url}/stores/{store.store_hash}/v3/customers", timeout=10)
    assert anonymous.status_code == 401


def test_graphql_http_level(store, http):
    not_json = http("POST", "/graphql", data=b"{", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["errors"][0]["message"]
    no_query = http("POST", "/graphql", json={"variables": {}})
    assert no_query.status_code == 400
    ok = http("POST", "/graphql", json={"query": "{ __typename system { __typename time } }"})
    assert ok.status_code == 200 and ok.json()["data"]["__typename"] == "Query"
    assert set(ok.json()) == {"data"}
