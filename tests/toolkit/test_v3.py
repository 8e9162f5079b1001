"""``api.v3`` end to end against the sandbox: paths, page and cursor iteration over hundreds of items,
v3 error bodies in the exceptions, 207 as PartialSuccess, chunked batches (checked in the requests
the store received) and the shared transport (429 waited out, foreign origins refused).

The few answers the sandbox never gives (links to another origin, a page that repeats, pagination
without links) come from the ``canned`` fixture (tests/toolkit/conftest.py)."""

from __future__ import annotations

import itertools
import pickle

import pytest
from toolkit_canned import CANNED_TOKEN

from bigcommerce.exception import (
    ClientRequestException,
    ForbiddenHostError,
    HttpException,
    InvalidResponseException,
    PartialSuccess,
    ServerException,
)
from bigcommerce.v3 import V3Client, v3_error_message
from bigcommerce.v3.core import _next_page

V3 = "/stores/sandbox/v3/"


def sent(store, method, resource):
    return [r for r in store.requests if r.method == method and r.path == V3 + resource]


def product(i, **extra):
    return {"name": f"V3 product {i:03d}", "type": "physical", "weight": 1.5, "price": 10 + i, **extra}


# -- paths and single requests -------------------------------------------------------------------


def test_every_spelling_of_a_path_reaches_the_same_url(store, api):
    store.add_products(3)
    spellings = [
        "catalog/products/2",
        "/catalog/products/2",
        "v3/catalog/products/2",
        "/v3/catalog/products/2",
        V3 + "catalog/products/2",
        store.url + V3 + "catalog/products/2",
    ]
    for path in spellings:
        assert api.v3.get(path)["data"]["id"] == 2
    assert [r.path for r in store.requests] == [V3 + "catalog/products/2"] * len(spellings)
    assert api.v3.root == store.url + V3
    assert repr(api.v3) == f"<V3Client {store.url}{V3}>"


def test_v3_shows_the_v2_products_of_the_store(store, api):
    store.add_products(5)
    v2 = {p["id"]: p for p in api.Products.all()}
    body = api.v3.get("catalog/products")
    assert [p["id"] for p in body["data"]] == sorted(v2)
    for item in body["data"]:
        assert item["name"] == v2[item["id"]]["name"] and item["sku"] == v2[item["id"]]["sku"]
        assert item["price"] == float(v2[item["id"]]["price"])  # v3 numbers, v2 decimal strings
    assert body["meta"]["pagination"]["total"] == 5


def test_create_update_delete_round_trip(store, api):
    created = api.v3.post("catalog/products", product(1, sku="V3-1"))["data"]
    assert created["name"] == "V3 product 001" and created["price"] == 11.0
    assert api.Products.get(created["id"])["price"] == "11.0000"  # the same record, seen through v2
    assert [p["price"] for p in api.Products.all()] == ["11.0000"]
    updated = api.v3.put(f"catalog/products/{created['id']}", {"price": 12.25, "sale_price": 9})["data"]
    assert updated["price"] == 12.25 and updated["calculated_price"] == 9.0
    assert api.Products.get(created["id"])["price"] == "12.2500"  # no stale v2 view after a v3 write
    assert [p["price"] for p in api.Products.all() if p["id"] == created["id"]] == ["12.2500"]
    assert api.v3.delete(f"catalog/products/{created['id']}") is None
    with pytest.raises(ClientRequestException) as info:
        api.v3.get(f"catalog/products/{created['id']}")
    assert info.value.status_code == 404


def test_basic_auth_api_has_no_v3(basic_api):
    with pytest.raises(TypeError, match="OAuth"):
        _ = basic_api.v3


# -- iteration -------------------------------------------------------------------------------------


def test_iterall_pages_through_hundreds_of_products(store, api):
    ids = store.add_products(320)
    names = {p["id"]: p["name"] for p in store.state()["products"].values()}
    seen = list(api.v3.iterall("catalog/products", limit=50))
    assert [p["id"] for p in seen] == ids
    assert all(p["name"] == names[p["id"]] for p in seen)
    pages = sent(store, "GET", "catalog/products")
    assert [r.query for r in pages] == [{"limit": "50"}] + [{"limit": "50", "page": str(n)} for n in range(2, 8)]


def test_iterall_keeps_the_filters_the_links_leave_out(store, api):
    # The sandbox's links carry only page and limit, like the real API's.
    ids = store.add_products(300)
    wanted = ids[::3]  # 100 products
    seen = [p["id"] for p in api.v3.iterall("catalog/products", limit=30, **{"id:in": wanted})]
    assert seen == wanted
    pages = sent(store, "GET", "catalog/products")
    assert len(pages) == 4
    assert all(r.query["id:in"] == ",".join(map(str, wanted)) for r in pages)
    assert [r.query.get("page") for r in pages] == [None, "2", "3", "4"]


def test_iterall_fetches_only_the_pages_consumed(store, api):
    store.add_products(300)
    first = list(itertools.islice(api.v3.iterall("catalog/products", limit=50), 60))
    assert len(first) == 60
    assert len(sent(store, "GET", "catalog/products")) == 2


def test_iterall_customers_and_an_empty_list(store, api):
    created = api.v3.batch_create(
        "customers",
        [{"email": f"c{i:03d}@example.com", "first_name": "C", "last_name": f"N{i:03d}"} for i in range(45)],
    )
    assert len(created) == 45 and len(sent(store, "POST", "customers")) == 5  # 10 per request
    assert [c["email"] for c in api.v3.iterall("customers", limit=20)] == [c["email"] for c in created]
    assert list(api.v3.iterall("customers", **{"email:in": "nobody@example.com"})) == []
    assert api.v3.all("customers", limit=250, **{"name:like": "N04"})[0]["last_name"] == "N040"


def test_cursor_iteration_over_hundreds_of_metafields(store, api):
    ids = store.add_products(30)
    fields = [
        {
            "resource_id": ids[i % 30],
            "namespace": "app",
            "key": f"k{i:03d}",
            "value": str(i),
            "permission_set": "app_only",
        }
        for i in range(300)
    ]
    created = api.v3.batch_create("catalog/products/metafields", fields)
    assert len(created) == 300
    assert [len(r.json) for r in sent(store, "POST", "catalog/products/metafields")] == [50] * 6

    seen = list(api.v3.iterall("catalog/products/metafields", limit=40))
    assert [m["key"] for m in seen] == [f"k{i:03d}" for i in range(300)]
    pages = sent(store, "GET", "catalog/products/metafields")
    assert len(pages) == 8
    assert "after" not in pages[0].query
    assert all("after" in r.query and "page" not in r.query for r in pages[1:])
    assert len({r.query["after"] for r in pages[1:]}) == 7

    # a filter survives the cursor links too
    one = list(api.v3.iterall(f"catalog/products/{ids[0]}/metafields", limit=3, namespace="app"))
    assert [m["key"] for m in one] == [f"k{i:03d}" for i in range(0, 300, 30)]


@pytest.mark.parametrize(
    "meta, expected",
    [
        ({}, None),
        ({"pagination": {"current_page": 3, "total_pages": 3, "links": {"next": "?page=4"}}}, None),
        ({"pagination": {"current_page": 1, "total_pages": 0}}, None),
        ({"pagination": {"current_page": 1, "total_pages": 2}}, ("/x", {"f": "1", "page": 2})),
        (
            {"pagination": {"current_page": 1, "total_pages": 2, "links": {"next": "?page=2&limit=5"}}},
            ("/x", {"f": "1", "page": "2", "limit": "5"}),
        ),
        ({"pagination": {"links": {"next": "/y?page=2"}}}, ("/y", {"f": "1", "page": "2"})),
        (
            {"cursor_pagination": {"links": {"next": "?after=abc&limit=5"}}},
            ("/x", {"f": "1", "after": "abc", "limit": "5"}),
        ),
        ({"cursor_pagination": {"links": {}, "end_cursor": "abc"}}, None),
        ({"cursor_pagination": {"end_cursor": "abc", "count": 5, "per_page": 5}}, ("/x", {"f": "1", "after": "abc"})),
        ({"cursor_pagination": {"end_cursor": "abc", "count": 2, "per_page": 5}}, None),
        ({"cursor_pagination": {"links": {}}, "pagination": {"current_page": 1, "total_pages": 9}}, None),
    ],
)
def test_next_page_table(meta, expected):
    found = _next_page(meta, "https://h.test/x", {"f": "1", "page": 1})
    if expected is None:
        assert found is None
    else:
        url, query = found
        assert (url.replace("https://h.test", ""), query) == expected


def test_iterall_stops_on_a_repeated_page_and_refuses_non_lists(canned):
    page = {"data": [{"id": 1}], "meta": {"pagination": {"links": {"next": "?page=1"}}}}
    api, adapter = canned([(200, page, {}), (200, page, {})])
    assert [p["id"] for p in api.v3.iterall("things", page=1)] == [1]  # the link points at page 1 again
    assert len(adapter.sent) == 1
    api, _ = canned([(200, {"data": {"id": 1}}, {})])
    with pytest.raises(InvalidResponseException, match="not a v3 list"):
        list(api.v3.iterall("things"))
    api, _ = canned([(204, b"", {})])
    assert list(api.v3.iterall("things")) == []


def test_a_next_link_to_another_origin_is_refused(canned):
    page = {"data": [{"id": 1}], "meta": {"pagination": {"links": {"next": "https://evil.test/steal?page=2"}}}}
    api, adapter = canned([(200, page, {})])
    items = api.v3.iterall("things")
    assert next(items)["id"] == 1
    with pytest.raises(ForbiddenHostError):
        next(items)
    assert len(adapter.sent) == 1
    assert all("evil" not in r.url for r in adapter.sent)


# -- errors ------------------------------------------------------------------------------------------


def test_v3_errors_become_readable_exceptions(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.v3.get("catalog/products/4242")
    error = info.value
    assert error.status_code == 404
    assert error.errors["title"] == "The product was not found"
    assert str(error) == (
        "GET /stores/sandbox/v3/catalog/products/4242 -> 404 Not Found: "
        "The product was not found (id: no product with id 4242)"
    )

    with pytest.raises(ClientRequestException) as info:
        api.v3.post("catalog/products", {"name": "", "price": "lots"})
    error = info.value
    assert error.status_code == 422 and error.errors["status"] == 422
    assert set(error.errors["errors"]) == {"name", "price", "type", "weight"}
    message = str(error)
    assert "JSON data is missing or invalid (" in message
    assert "price: must be a number" in message and "type: error.path.missing" in message

    api.v3.post("catalog/products", product(1))
    with pytest.raises(ClientRequestException) as info:
        api.v3.post("catalog/products", product(1))
    assert info.value.status_code == 409 and "The product name is a duplicate" in str(info.value)
    assert store.access_token not in str(info.value)


def test_a_refused_batch_names_the_items(store, api):
    store.add_products(3)
    with pytest.raises(ClientRequestException) as info:
        api.v3.put("catalog/products", [{"id": 1, "price": 5}, {"id": 2, "price": -1}, {"price": 3}])
    assert info.value.status_code == 422
    assert set(info.value.errors["errors"]) == {"1.price", "2.id"}
    assert api.v3.get("catalog/products/1")["data"]["price"] != 5.0  # all or nothing


def test_error_message_forms_and_redaction(canned):
    assert v3_error_message({"title": "Bad", "errors": ["one", {"title": "two"}]}) == "Bad (one; two)"
    assert v3_error_message({"title": "Bad", "errors": {}, "detail": "why"}) == "Bad (why)"
    assert v3_error_message([{"status": 400, "message": "v2"}]) is None
    assert len(v3_error_message({"title": "x" * 900})) < 520
    body = {"status": 403, "title": f"token {CANNED_TOKEN} lacks scope", "type": "t", "errors": {}}
    api, _ = canned([(403, body, {})])
    with pytest.raises(ClientRequestException) as info:
        api.v3.get("catalog/products")
    assert CANNED_TOKEN not in str(info.value) and "[redacted] lacks scope" in str(info.value)
    api, _ = canned([(500, b"<html>oops</html>", {"Content-Type": "text/html"})])
    with pytest.raises(ServerException, match="oops"):  # not a v3 body: the transport's message
        api.v3.post("catalog/products", {})


# -- 207 and batches ---------------------------------------------------------------------------------


def test_207_is_raised_with_what_was_applied(store, api):
    api.v3.post("customers", [{"email": "taken@example.com", "first_name": "T", "last_name": "K"}])
    batch = [
        {"email": "new@example.com", "first_name": "N", "last_name": "W"},
        {"email": "TAKEN@example.com", "first_name": "D", "last_name": "P"},
        {"email": "not-an-email", "first_name": "B", "last_name": "E"},
    ]
    with pytest.raises(PartialSuccess) as info:
        api.v3.post("customers", batch)
    partial = info.value
    assert isinstance(partial, HttpException) and partial.status_code == 207
    assert [c["email"] for c in partial.data] == ["new@example.com"]
    assert [e["status"] for e in partial.errors] == [409, 422]
    assert "1.email" in partial.errors[0]["errors"] and "2.email" in partial.errors[1]["errors"]
    assert partial.meta == {"total": 3, "success": 1, "failed": 2}
    assert partial.unsent == []
    assert "207 Multi-Status: 1 applied, 2 failed" in str(partial)
    emails = sorted(c["email"] for c in store.state()["customers"].values())
    assert emails == ["new@example.com", "taken@example.com"]  # the good one was saved
    clone = pickle.loads(pickle.dumps(partial))
    assert clone.data == partial.data and clone.errors == partial.errors and clone.response is None


def test_batch_update_is_chunked_by_ten(store, api):
    ids = store.add_products(25)
    result = api.v3.batch_update("catalog/products", [{"id": i, "price": 100 + i} for i in ids])
    assert [p["price"] for p in result] == [100.0 + i for i in ids]
    puts = sent(store, "PUT", "catalog/products")
    assert [len(r.json) for r in puts] == [10, 10, 5]
    assert [item["id"] for r in puts for item in r.json] == ids
    assert all(r.status == 200 for r in puts)
    assert api.Products.get(ids[-1])["price"] == f"{100 + ids[-1]}.0000"
    assert api.v3.batch_update("catalog/products", []) == [] and len(sent(store, "PUT", "catalog/products")) == 3
    api.v3.batch_update("catalog/products", [{"id": i, "price": 1} for i in ids[:7]], chunk_size=3)
    assert [len(r.json) for r in sent(store, "PUT", "catalog/products")][3:] == [3, 3, 1]
    with pytest.raises(ValueError):
        api.v3.batch_update("catalog/products", [{"id": 1}], chunk_size=0)


def test_a_refused_chunk_does_not_stop_the_others(store, api):
    ids = store.add_products(30)
    items = [{"id": i, "price": 50} for i in ids]
    items[14]["price"] = "fifty"  # chunk 2 is refused as a whole (the product batch is all or nothing)
    with pytest.raises(PartialSuccess) as info:
        api.v3.batch_update("catalog/products", items)
    partial = info.value
    assert [p["id"] for p in partial.data] == ids[:10] + ids[20:]
    (failure,) = partial.errors
    assert failure["status"] == 422 and "4.price" in failure["errors"]
    assert [item["id"] for item in failure["items"]] == ids[10:20]
    assert [r.status for r in sent(store, "PUT", "catalog/products")] == [200, 422, 200]
    assert "30): 20 applied, 1 failed" in str(partial)
    assert partial.meta == {"total": 30, "success": 20, "failed": 10}


def test_207_chunks_are_summed(store, api):
    created = api.v3.batch_create(
        "customers", [{"email": f"p{i:02d}@example.com", "first_name": "P", "last_name": str(i)} for i in range(12)]
    )
    updates = [{"id": c["id"], "company": "Acme"} for c in created]
    updates[11]["id"] = 99999
    with pytest.raises(PartialSuccess) as info:
        api.v3.batch_update("customers", updates)
    partial = info.value
    assert len(partial.data) == 11 and all(c["company"] == "Acme" for c in partial.data)
    assert partial.errors[0]["status"] == 404 and "1.id" in partial.errors[0]["errors"]
    assert partial.meta == {"total": 12, "success": 11, "failed": 1}
    assert [r.status for r in sent(store, "PUT", "customers")] == [200, 207]


def test_a_server_failure_stops_the_batch_and_keeps_what_was_applied(store, api):
    ids = store.add_products(25)
    store.inject("latency", ms=0, match="PUT /v3/catalog/products")  # the first PUT passes
    store.inject("status", status=500, match="PUT /v3/catalog/products")  # the second fails
    with pytest.raises(PartialSuccess) as info:
        api.v3.batch_update("catalog/products", [{"id": i, "price": 7} for i in ids])
    partial = info.value
    assert [p["id"] for p in partial.data] == ids[:10]
    assert [item["id"] for item in partial.unsent] == ids[10:]
    assert isinstance(partial.__cause__, ServerException)
    assert partial.status_code == 207 and partial.response is None
    assert partial.meta == {"total": 10, "success": 10, "failed": 0}
    assert len(sent(store, "PUT", "catalog/products")) == 2

    store.inject("status", status=500, match="PUT /v3/catalog/products")
    with pytest.raises(ServerException):  # nothing applied yet: the error as it is
        api.v3.batch_update("catalog/products", [{"id": i, "price": 8} for i in ids])


def test_batch_delete(store, api):
    ids = store.add_products(120)
    api.v3.batch_delete("catalog/products", ids[:110])
    deletes = sent(store, "DELETE", "catalog/products")
    assert [len(r.query["id:in"].split(",")) for r in deletes] == [50, 50, 10]
    assert [p["id"] for p in api.v3.all("catalog/products")] == ids[110:]
    assert sorted(store.state()["products"]) == ids[110:]


# -- the same transport ------------------------------------------------------------------------------


def test_a_429_on_v3_is_waited_out(store, api):
    store.add_products(2)
    store.inject("rate_limit", reset_ms=60, match="GET /v3/catalog")
    assert len(api.v3.get("catalog/products")["data"]) == 2
    assert [r.status for r in store.requests] == [429, 200]
    assert api.connection.rate_limit["requests_quota"] == 1000000


def test_retries_apply_to_v3(store, api):
    store.add_products(1)
    store.inject("status", status=503, match="PUT /v3/catalog/products")
    assert api.v3.put("catalog/products/1", {"price": 3})["data"]["price"] == 3.0
    assert [r.status for r in store.requests] == [503, 200]
    store.inject("status", status=503, match="POST /v3/customers")  # a POST is never sent twice
    with pytest.raises(ServerException):
        api.v3.post("customers", [{"email": "x@example.com", "first_name": "X", "last_name": "Y"}])


def test_an_absolute_url_on_another_origin_is_refused(store, api):
    for url in (
        "http://evil.example:9/stores/sandbox/v3/catalog/products",
        "https://api.bigcommerce.com.evil.example/stores/sandbox/v3/customers",
    ):
        with pytest.raises(ForbiddenHostError):
            api.v3.get(url)
        with pytest.raises(ForbiddenHostError):
            api.v3.batch_update(url, [{"id": 1}])
    assert store.requests == []


def test_v3_client_needs_an_oauth_connection():
    with pytest.raises(TypeError):
        V3Client(object())
