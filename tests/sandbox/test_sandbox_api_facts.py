"""The sandbox against /work/shared/API_FACTS.md, one test (or more) per line; raw HTTP only.

Each test's docstring quotes the fact it checks, by section. The list of lines covered is in
tests/sandbox/FACTS_COVERED.md.
"""

from __future__ import annotations

import base64
import re
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest
import requests
from sandbox_payloads import NEW_PRODUCT

from bigcommerce.sandbox import Sandbox
from bigcommerce.sandbox.schema import RESOURCES

pytestmark = pytest.mark.filterwarnings("ignore::Warning:jwt")

RFC2822_GMT = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
DECIMAL4 = re.compile(r"^-?\d+\.\d{4}$")


# -- Hosts and paths ------------------------------------------------------------------------------


def test_oauth_root_serves_v2(c):
    """Hosts: OAuth apps use /stores/{store_hash}/v2/{resource}."""
    r = c.get("/products/1")
    assert r.status_code == 200 and r.json()["id"] == 1
    assert c.store.v2_url.endswith("/stores/sandbox/v2")


def test_basic_root_and_json_suffix(basic):
    """Hosts: legacy /api/v2/{resource} with Authorization: Basic; .json-suffixed paths too."""
    plain = basic.get("/products/1")
    suffixed = basic.get("/products/1.json")
    listed = basic.get("/products.json", params={"limit": 2})
    assert plain.status_code == suffixed.status_code == listed.status_code == 200
    assert plain.json() == suffixed.json()
    assert [p["id"] for p in listed.json()] == [1, 2]


def test_token_exchange_endpoint(shop, c):
    """Hosts: OAuth token exchange is POST /oauth2/token."""
    _, _, r = exchange(shop)
    assert r.status_code == 200 and r.json()["access_token"] == shop.issued_tokens[-1]
    assert r.json()["access_token"] != shop.access_token  # a token of its own per install


@pytest.mark.parametrize(
    "old,new",
    [
        ("orderstatuses", "order_statuses"),
        ("products/1/configurablefields", "products/1/configurable_fields"),
        ("products/1/discountrules", "products/1/discount_rules"),
        ("products/1/customfields", "products/1/custom_fields"),
        ("optionsets", "option_sets"),
        ("taxclasses", "tax_classes"),
        ("orders/1/shippingaddresses", "orders/1/shipping_addresses"),
    ],
)
def test_old_spellings_route(c, old, new):
    """Hosts: old path spellings still route (orderstatuses = order_statuses, configurablefields...)."""
    a, b = c.get("/" + old), c.get("/" + new)
    assert a.status_code == b.status_code
    assert a.content == b.content


def test_link_objects_use_old_spellings(c):
    """Hosts: link objects use discountrules, customfields, optionsets, taxclasses, shippingaddresses."""
    product = next(p for p in c.get("/products", params={"limit": 250}).json() if p["option_set"])
    assert product["discount_rules"]["resource"].endswith("/discountrules")
    assert product["custom_fields"]["resource"].endswith("/customfields")
    assert product["configurable_fields"]["resource"].endswith("/configurablefields")
    assert product["option_set"]["resource"].startswith("/optionsets/")
    assert product["tax_class"]["resource"].startswith("/taxclasses/")
    order = c.get("/orders/1").json()
    assert order["shipping_addresses"]["resource"] == "/orders/1/shippingaddresses"
    for link in (product["discount_rules"], product["option_set"], order["shipping_addresses"]):
        assert c.get(link["resource"]).status_code in (200, 204)


# -- Auth ------------------------------------------------------------------------------------------


def test_auth_client_header_not_required(shop, c):
    """Auth: X-Auth-Token carries the token; X-Auth-Client is no longer required."""
    r = requests.get(shop.v2_url + "/time", headers={"X-Auth-Token": shop.access_token})
    assert r.status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-Auth-Token": "wrong"}, {"X-Auth-Token": ""}])
def test_401_gateway_body(shop, c, headers):
    """Auth: 401 when credentials are missing or wrong, gateway-style body {status,title,type,errors}."""
    r = requests.get(shop.v2_url + "/products", headers=headers)
    assert r.status_code == 401
    body = r.json()
    assert set(body) == {"status", "title", "type", "errors"} and body["status"] == 401


@pytest.mark.parametrize("auth", [None, ("admin", "wrong"), ("other", "sandbox-basic-token")])
def test_basic_401(shop, basic, auth):
    """Auth: legacy Basic credentials missing or wrong -> 401 (v2 error array)."""
    r = requests.get(shop.basic_url + "/products", auth=auth)
    assert r.status_code == 401
    assert r.json()[0]["status"] == 401


def test_token_is_not_basic_and_basic_is_not_token(shop, c):
    """Auth: each root takes its own credentials."""
    basic_header = "Basic " + base64.b64encode(b"admin:sandbox-basic-token").decode()
    assert requests.get(shop.v2_url + "/time", headers={"Authorization": basic_header}).status_code == 401
    assert requests.get(shop.basic_url + "/time", headers={"X-Auth-Token": shop.access_token}).status_code == 401


# -- Lists, pages, counts ----------------------------------------------------------------------------


def test_page_is_one_based_and_limit_defaults_to_50(c):
    """Lists: page is 1-based (default 1); limit defaults to 50."""
    first = c.get("/products").json()
    assert [p["id"] for p in first] == list(range(1, 51))
    assert c.get("/products", params={"page": 1}).json() == first
    assert [p["id"] for p in c.get("/products", params={"limit": 10, "page": 2}).json()] == list(range(11, 21))


def test_limit_max_250(shop, c):
    """Lists: limit maximum 250 (a full page of 250 is allowed)."""
    for n in range(60):
        assert c.post("/brands", json={"name": f"Brand {n}"}).status_code == 201
    assert c.get("/countries", params={"limit": 250}).status_code == 200
    assert len(c.get("/countries", params={"limit": 250}).json()) == 239


@pytest.mark.parametrize("limit", ["251", "1000"])
def test_limit_over_250_is_413(c, limit):
    """Lists: limit over 250 -> 413 with details.max_limit 250."""
    r = c.get("/products", params={"limit": limit})
    assert r.status_code == 413
    assert r.json() == [
        {"status": 413, "message": "The specified limit exceeds the maximum allowed.", "details": {"max_limit": 250}}
    ]


@pytest.mark.parametrize("param", ["page", "limit"])
@pytest.mark.parametrize("value", ["0", "-1", "foo", "1.5", ""])
def test_invalid_page_or_limit_is_400(c, param, value):
    """Lists: invalid page/limit (0, -1, foo) -> 400."""
    r = c.get("/products", params={param: value})
    assert r.status_code == 400
    assert r.json()[0]["status"] == 400 and param in r.json()[0]["message"]


def test_past_the_end_and_empty_collection_are_204(c, empty):
    """Lists: an empty page (past the end) or an empty collection -> 204 No Content, empty body."""
    r = c.get("/products", params={"page": 99})
    assert r.status_code == 204 and r.content == b""
    r = empty.get("/products")
    assert r.status_code == 204 and r.content == b""
    r = empty.get("/customers/count")
    assert r.status_code == 200 and r.json() == {"count": 0}


def test_count_accepts_list_filters(c):
    """Lists: GET /{resource}/count -> {"count": N}; accepts the same filters as the list."""
    assert c.get("/products/count").json() == {"count": 50}
    visible = c.get("/products", params={"is_visible": "true", "limit": 250}).json()
    assert c.get("/products/count", params={"is_visible": "true"}).json() == {"count": len(visible)}


def test_orders_count_has_statuses(c):
    """Lists: /orders/count also returns statuses: [{id, name, count, ...}] beside count."""
    body = c.get("/orders/count").json()
    assert body["count"] == 12
    assert sum(s["count"] for s in body["statuses"]) == 12
    assert {"id", "name", "count"} <= set(body["statuses"][0])


def test_subresource_counts_per_parent_and_store_wide(c):
    """Lists: sub-resource counts exist per parent (/products/{id}/skus/count) and store-wide
    (/products/skus/count)."""
    total = c.get("/products/skus/count").json()["count"]
    per_parent = sum(c.get(f"/products/{pid}/skus/count").json()["count"] for pid in range(1, 51))
    assert total == per_parent > 0
    assert c.get("/products/images/count").json()["count"] >= 50
    assert c.get("/countries/226/states/count").json() == {"count": 65}
    assert c.get("/countries/states/count").json()["count"] >= 65
    assert c.get("/products/9999/skus/count").status_code == 404


def test_single_objects(c):
    """Lists: /store and /time are single objects ({"time": 1529512970}); /order_statuses is a
    short fixed list."""
    store = c.get("/store").json()
    assert isinstance(store, dict) and store["id"] == "sandbox" and store["secure_url"] == c.store.url
    body = c.get("/time").json()
    assert set(body) == {"time"} and isinstance(body["time"], int)
    statuses = c.get("/order_statuses").json()
    assert [s["id"] for s in statuses] == list(range(15))
    assert c.post("/order_statuses", json={"name": "x"}).status_code == 405


@pytest.mark.parametrize(
    "query", ["", "?limit=5&page=2", "?page=99", "?limit=1000", "?page=foo", "?limit=0", "?page=1&limit=250"]
)
def test_order_statuses_ignore_page_and_limit(c, query):
    """Lists: /order_statuses is a short fixed list, not paginated: whatever page and limit say,
    200 with the whole list (no 204, 400 or 413)."""
    for prefix in ("/order_statuses", "/orderstatuses"):
        r = c.get(prefix + query)
        assert r.status_code == 200, (prefix + query, r.text)
        assert [s["id"] for s in r.json()] == list(range(15))


def test_order_statuses_filters_still_apply(c):
    r = c.get("/order_statuses?name=Shipped&page=3")
    assert r.status_code == 200 and [s["id"] for s in r.json()] == [2]
    assert c.get("/order_statuses?bogus=1").status_code == 400


def test_other_lists_still_page(c):
    assert c.get("/countries?limit=5&page=2").json()[0]["id"] == 6
    assert c.get("/countries?page=999").status_code == 204


def test_default_order_and_and_of_filters(c):
    """Lists: default order is id ascending; multiple filters combine with AND."""
    ids = [p["id"] for p in c.get("/products", params={"limit": 250}).json()]
    assert ids == sorted(ids)
    both = c.get("/products", params={"is_visible": "true", "min_price": "50", "limit": 250}).json()
    assert both and all(p["is_visible"] and float(p["price"]) >= 50 for p in both)
    visible = c.get("/products", params={"is_visible": "true", "limit": 250}).json()
    pricey = c.get("/products", params={"min_price": "50", "limit": 250}).json()
    assert {p["id"] for p in both} == {p["id"] for p in visible} & {p["id"] for p in pricey}


# -- Filters -----------------------------------------------------------------------------------------


def ids(response):
    return [] if response.status_code == 204 else [x["id"] for x in response.json()]


def test_product_filters(c):
    """Filters: products min_id, max_id, name, keyword_filter, sku, brand_id, min_price, max_price,
    is_visible, is_featured, category, min_date_created, max_date_modified, include_sku."""
    allp = c.get("/products", params={"limit": 250}).json()
    assert ids(c.get("/products", params={"min_id": 10, "max_id": 12})) == [10, 11, 12]
    one = allp[4]
    assert ids(c.get("/products", params={"name": one["name"]})) == [one["id"]]
    word = one["name"].split()[2]
    assert one["id"] in ids(c.get("/products", params={"keyword_filter": word.upper(), "limit": 250}))
    with_sku = next(p for p in allp if p["sku"])
    assert ids(c.get("/products", params={"sku": with_sku["sku"]})) == [with_sku["id"]]
    brand = one["brand_id"]
    assert set(ids(c.get("/products", params={"brand_id": brand, "limit": 250}))) == {
        p["id"] for p in allp if p["brand_id"] == brand
    }
    cheap = ids(c.get("/products", params={"max_price": "30", "limit": 250}))
    assert set(cheap) == {p["id"] for p in allp if float(p["price"]) <= 30}
    featured = ids(c.get("/products", params={"is_featured": "false", "limit": 250}))
    assert set(featured) == {p["id"] for p in allp if not p["is_featured"]}
    cat = one["categories"][0]
    assert set(ids(c.get("/products", params={"category": cat, "limit": 250}))) == {
        p["id"] for p in allp if cat in p["categories"]
    }
    created = ids(c.get("/products", params={"min_date_created": allp[40]["date_created"], "limit": 250}))
    assert created == list(range(41, 51))
    cutoff = parsedate_to_datetime("Tue, 01 Jan 2013 00:00:00 +0000")
    modified = ids(c.get("/products", params={"max_date_modified": "2013-01-01T00:00:00Z", "limit": 250}))
    assert modified == [p["id"] for p in allp if parsedate_to_datetime(p["date_modified"]) <= cutoff]
    owner = next(p for p in allp if c.get(f"/products/{p['id']}/skus").status_code == 200)
    variant = c.get(f"/products/{owner['id']}/skus").json()[0]
    assert ids(c.get("/products", params={"sku": variant["sku"]})) == []
    assert ids(c.get("/products", params={"sku": variant["sku"], "include_sku": "true"})) == [owner["id"]]


def test_customer_filters(c):
    """Filters: customers first_name, last_name, company, email, customer_group_id, min_id, max_id,
    min_date_created, max_date_modified."""
    people = c.get("/customers").json()
    one = people[3]
    for field in ("first_name", "last_name", "email", "customer_group_id"):
        got = c.get("/customers", params={field: one[field]}).json()
        assert one["id"] in [x["id"] for x in got]
        assert all(x[field] == one[field] for x in got)
    assert ids(c.get("/customers", params={"email": one["email"].upper()})) == [one["id"]]
    company = c.get("/customers", params={"company": "Acme Co"})
    assert all(x["company"] == "Acme Co" for x in ([] if company.status_code == 204 else company.json()))
    assert ids(c.get("/customers", params={"min_id": 2, "max_id": 4})) == [2, 3, 4]
    assert ids(c.get("/customers", params={"min_date_created": "2030-01-01"})) == []
    assert len(ids(c.get("/customers", params={"max_date_modified": "2030-01-01"}))) == 10


def test_order_filters_and_sort(c):
    """Filters: orders min_id, max_id, customer_id, email, status_id, min_total, max_total,
    min_date_created, max_date_modified, is_deleted, sort=field:asc|desc."""
    orders = c.get("/orders").json()
    one = next(o for o in orders if o["customer_id"])
    assert all(
        o["customer_id"] == one["customer_id"]
        for o in c.get("/orders", params={"customer_id": one["customer_id"]}).json()
    )
    assert one["id"] in ids(c.get("/orders", params={"email": one["billing_address"]["email"]}))
    assert all(
        o["status_id"] == one["status_id"] for o in c.get("/orders", params={"status_id": one["status_id"]}).json()
    )
    low = ids(c.get("/orders", params={"min_total": "100"}))
    assert set(low) == {o["id"] for o in orders if float(o["total_inc_tax"]) >= 100}
    high = ids(c.get("/orders", params={"max_total": "100"}))
    assert set(high) == {o["id"] for o in orders if float(o["total_inc_tax"]) <= 100}
    assert ids(c.get("/orders", params={"min_id": 3, "max_id": 5})) == [3, 4, 5]
    assert len(ids(c.get("/orders", params={"is_deleted": "false"}))) == 12
    assert ids(c.get("/orders", params={"min_date_created": "Thu, 20 Apr 2017 11:32:00 -0400"})) == []
    assert len(ids(c.get("/orders", params={"max_date_modified": "2017-04-20T11:32:00-04:00"}))) == 12
    desc = c.get("/orders", params={"sort": "total_inc_tax:desc"}).json()
    totals = [float(o["total_inc_tax"]) for o in desc]
    assert totals == sorted(totals, reverse=True)
    asc = c.get("/orders", params={"sort": "id:asc"}).json()
    assert [o["id"] for o in asc] == list(range(1, 13))
    assert c.get("/orders", params={"sort": "nope:asc"}).status_code == 400
    assert c.get("/orders", params={"sort": "id:sideways"}).status_code == 400


def test_dates_in_either_form_out_rfc2822(c):
    """Filters: dates in RFC 2822 or ISO 8601; dates out always RFC 2822 GMT."""
    p = c.get("/products/20").json()
    rfc = p["date_created"]
    assert RFC2822_GMT.match(rfc)
    iso = "2012-09-21T02:31:01+00:00"
    assert ids(c.get("/products", params={"min_date_created": "Fri, 21 Sep 2012 02:31:01 +0000", "max_id": 3})) == ids(
        c.get("/products", params={"min_date_created": iso, "max_id": 3})
    )
    created = c.put("/products/20", json={"date_created": "2017-04-20T11:32:00-04:00"}).json()
    assert created["date_created"] == "Thu, 20 Apr 2017 15:32:00 +0000"
    assert RFC2822_GMT.match(created["date_modified"])
    assert c.get("/products", params={"min_date_created": "yesterday"}).status_code == 400


def test_unknown_filter_is_400_naming_it(c):
    """Filters: unknown filters are unconfirmed; the sandbox answers 400 naming the field."""
    r = c.get("/products", params={"colour": "red"})
    assert r.status_code == 400 and "colour" in r.json()[0]["message"]
    assert c.get("/products/count", params={"colour": "red"}).status_code == 400


# -- Bodies and status codes ---------------------------------------------------------------------------


def test_decimals_are_strings(c):
    """Bodies: JSON in and out; decimals come back as strings ("89.0000")."""
    p = c.post("/products", json=dict(NEW_PRODUCT, price=89, weight="0.3")).json()
    assert p["price"] == "89.0000" and p["weight"] == "0.3000"
    assert DECIMAL4.match(p["calculated_price"]) and DECIMAL4.match(p["cost_price"])
    assert c.put(f"/products/{p['id']}", json={"price": 286.11835}).json()["price"] == "286.1184"


def test_status_codes_of_crud(c):
    """Bodies: POST -> 201 with the object; PUT -> 200 full object; DELETE -> 204 empty;
    GET after DELETE -> 404."""
    r = c.post("/products", json=NEW_PRODUCT)
    assert r.status_code == 201 and len(r.json()) == 79
    pid = r.json()["id"]
    r = c.put(f"/products/{pid}", json={"name": "Renamed"})
    assert r.status_code == 200 and len(r.json()) == 79 and r.json()["name"] == "Renamed"
    r = c.delete(f"/products/{pid}")
    assert r.status_code == 204 and r.content == b""
    assert c.get(f"/products/{pid}").status_code == 404
    assert c.put(f"/products/{pid}", json={"name": "x"}).status_code == 404
    assert c.delete(f"/products/{pid}").status_code == 404


def test_delete_collection_deletes_all(c):
    """Bodies: DELETE on a collection deletes all (204), sub-collections per parent too."""
    assert c.get("/products/1/images").status_code == 200
    r = c.delete("/products/1/images")
    assert r.status_code == 204 and c.get("/products/1/images").status_code == 204
    assert c.get("/products/2/images").status_code == 200
    assert c.delete("/coupons").status_code == 204
    assert c.get("/coupons").status_code == 204
    assert c.delete("/products").status_code == 204
    assert c.get("/products/count").json() == {"count": 0}
    assert c.get("/products/images/count").json() == {"count": 0}


def test_hook_delete_returns_200_with_hook(c):
    """Bodies: exception: deleting a v2 webhook returns 200 with the hook."""
    hook = c.post(
        "/hooks",
        json={
            "scope": "store/order/*",
            "destination": "https://app.example.com/h",
            "is_active": True,
            "headers": {"X-Secret": "s"},
        },
    ).json()
    r = c.delete(f"/hooks/{hook['id']}")
    assert r.status_code == 200 and r.json() == hook
    assert c.get(f"/hooks/{hook['id']}").status_code == 404


def test_error_404_array(c):
    """Bodies: 404 [{"status":404,"message":"The requested resource was not found."}]."""
    for path in ("/products/9999", "/nothing", "/products/1/images/9999", "/products/9999/images"):
        r = c.get(path)
        assert r.status_code == 404
        assert r.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_error_400_required(c):
    """Bodies: 400 [{"status":400,"message":"The required field 'name' was not supplied."}]."""
    body = dict(NEW_PRODUCT)
    del body["name"]
    r = c.post("/products", json=body)
    assert r.status_code == 400
    assert r.json() == [{"status": 400, "message": "The required field 'name' was not supplied."}]


def test_error_400_invalid_with_details(c):
    """Bodies: 400 "The field 'categories' is invalid." with details.invalid_reason."""
    r = c.post("/products", json=dict(NEW_PRODUCT, categories="shoes"))
    assert r.status_code == 400
    (err,) = r.json()
    assert err["message"] == "The field 'categories' is invalid." and err["details"]["invalid_reason"]
    r = c.post("/products", json=dict(NEW_PRODUCT, type="imaginary"))
    assert r.status_code == 400 and r.json()[0]["message"] == "The field 'type' is invalid."


@pytest.mark.parametrize("field", ["id", "calculated_price", "images", "brand"])
def test_error_400_read_only(c, field):
    """Bodies: 400 "The field 'id' cannot be written to. Please remove it from your request before
    trying again." (read-only: id, calculated_price, link objects)."""
    r = c.put("/products/1", json={field: 5})
    assert r.status_code == 400
    assert r.json() == [
        {
            "status": 400,
            "message": f"The field '{field}' cannot be written to. Please remove it "
            "from your request before trying again.",
        }
    ]
    assert c.post("/products", json=dict(NEW_PRODUCT, **{field: 5})).status_code == 400


def test_error_409_duplicate_name_or_sku(c):
    """Bodies: 409 {"details":{"conflict_reason":...}} e.g. duplicate product name or SKU."""
    existing = c.get("/products/3").json()
    r = c.post("/products", json=dict(NEW_PRODUCT, name=existing["name"]))
    assert r.status_code == 409 and r.json()[0]["details"]["conflict_reason"]
    with_sku = next(p for p in c.get("/products", params={"limit": 250}).json() if p["sku"])
    r = c.post("/products", json=dict(NEW_PRODUCT, sku=with_sku["sku"]))
    assert r.status_code == 409 and "conflict_reason" in r.json()[0]["details"]
    r = c.put("/products/3", json={"name": c.get("/products/4").json()["name"]})
    assert r.status_code == 409
    assert c.put("/products/3", json={"name": existing["name"]}).status_code == 200  # itself is fine


def test_error_405_406_415(c):
    """Bodies: also 405 wrong method, 406 bad Accept, 415 bad Content-Type."""
    r = c.request("PATCH", "/products/1", json={})
    assert r.status_code == 405 and r.json()[0]["status"] == 405 and "GET" in r.headers["Allow"]
    assert c.post("/products/1", json={}).status_code == 405
    assert c.get("/products/1", headers={"Accept": "application/xml"}).status_code == 406
    r = c.post("/products", data="name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415 and r.json()[0]["status"] == 415


def test_503_maintenance_via_fault(shop, c):
    """Bodies: 503 maintenance (produced on demand with the status fault)."""
    shop.inject("status", status=503)
    r = c.get("/products")
    assert r.status_code == 503 and r.headers["Content-Type"].startswith("text/html")


def test_v3_style_errors_outside_v2(c, shop):
    """Bodies: v3 errors are an object {status, title, type, errors}."""
    r = requests.get(shop.url + "/stores/sandbox/v3/nothing", headers={"X-Auth-Token": shop.access_token})
    assert r.status_code == 404
    assert set(r.json()) == {"status", "title", "type", "errors"}


def test_post_products_requires_fields(c):
    """Bodies: POST /products requires name, type (physical|digital), price, categories (list of ids),
    availability (available|disabled|preorder), weight."""
    for field in ("name", "type", "price", "categories", "availability", "weight"):
        body = {k: v for k, v in NEW_PRODUCT.items() if k != field}
        r = c.post("/products", json=body)
        assert r.status_code == 400
        assert r.json()[0]["message"] == f"The required field '{field}' was not supplied."
    assert c.post("/products", json=dict(NEW_PRODUCT, type="digital")).status_code == 201
    assert c.post("/products", json=dict(NEW_PRODUCT, name="B", availability="sometimes")).status_code == 400
    assert c.get("/products/count").json() == {"count": 51}


def test_customers_required_and_unique_email(c):
    """Bodies: customers require first_name, last_name, email (unique: 400 "This email address is
    already in use by a customer.")."""
    person = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"}
    for field in person:
        r = c.post("/customers", json={k: v for k, v in person.items() if k != field})
        assert r.status_code == 400 and field in r.json()[0]["message"]
    assert c.post("/customers", json=person).status_code == 201
    r = c.post("/customers", json=dict(person, email="ADA@example.org"))
    assert r.status_code == 400
    assert r.json() == [{"status": 400, "message": "This email address is already in use by a customer."}]


def test_link_object_shape(c, shop):
    """Bodies: link objects look like {"url": "https://.../products/32/images",
    "resource": "/products/32/images"}."""
    p = c.get("/products/32").json()
    assert p["images"] == {"url": shop.url + "/api/v2/products/32/images.json", "resource": "/products/32/images"}
    assert requests.get(p["images"]["url"], auth=shop.basic_auth).status_code == 200
    country = c.get("/countries/226").json()
    assert country["states"]["resource"] == "/countries/226/states"


# -- Rate limits -----------------------------------------------------------------------------------------

RATE_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)


def test_rate_headers_on_every_oauth_response(c):
    """Rate limits: every OAuth response carries X-Rate-Limit-Time-Window-Ms, -Time-Reset-Ms,
    -Requests-Quota, -Requests-Left."""
    for r in (
        c.get("/products/1"),
        c.get("/products/9999"),
        c.post("/products", json={}),
        c.get("/products", params={"page": 99}),
        c.delete("/coupons/1"),
    ):
        for name in RATE_HEADERS:
            assert name in r.headers, (r.status_code, name)
    assert c.get("/time").headers["X-Rate-Limit-Time-Window-Ms"] == "30000"


def test_quota_429_with_retry_after_and_not_processed():
    """Rate limits: over quota -> 429 with the same headers plus X-Retry-After; a request answered 429
    was not processed."""
    with Sandbox(rate_limit=(3, 60000)) as store:
        s = requests.Session()
        s.headers["X-Auth-Token"] = store.access_token
        lefts = [s.get(store.v2_url + "/time").headers["X-Rate-Limit-Requests-Left"] for _ in range(3)]
        assert lefts == ["2", "1", "0"]
        r = s.post(store.v2_url + "/brands", json={"name": "Blocked"})
        assert r.status_code == 429
        for name in RATE_HEADERS + ("X-Retry-After",):
            assert name in r.headers
        assert r.headers["X-Rate-Limit-Requests-Quota"] == "3"
        assert 1 <= int(r.headers["X-Retry-After"]) <= 60
        assert store.state()["brands"] == {}


def test_quota_window_resets():
    """Rate limits: the quota is per window; after the window, requests are allowed again."""
    import time

    with Sandbox(rate_limit=(2, 300)) as store:
        s = requests.Session()
        s.headers["X-Auth-Token"] = store.access_token
        codes = [s.get(store.v2_url + "/time").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        time.sleep(0.35)
        assert s.get(store.v2_url + "/time").status_code == 200


def test_429_without_headers_on_demand(shop, c):
    """Rate limits: a 429 without these headers means platform overload (rate_limit_bare fault)."""
    shop.inject("rate_limit_bare")
    r = c.get("/time")
    assert r.status_code == 429 and not any(h in r.headers for h in RATE_HEADERS)


def test_basic_auth_limit_header(basic):
    """Rate limits: legacy Basic auth carries X-BC-ApiLimit-Remaining."""
    r = basic.get("/time")
    assert r.status_code == 200 and int(r.headers["X-BC-ApiLimit-Remaining"]) > 0


def test_basic_auth_throttled_with_509():
    """Rate limits: legacy Basic auth: hourly limit in X-BC-ApiLimit-Remaining; throttled
    requests got 509 (with ``basic_rate_limit``; not processed; OAuth is not counted)."""
    with Sandbox(basic_rate_limit=(3, 60000)) as store:
        session = requests.Session()
        session.auth = store.basic_auth
        left = [session.get(store.basic_url + "/time").headers["X-BC-ApiLimit-Remaining"] for _ in range(2)]
        assert left == ["2", "1"]
        r = session.post(store.basic_url + "/brands", json={"name": "Third"})
        assert r.status_code == 201 and r.headers["X-BC-ApiLimit-Remaining"] == "0"
        r = session.post(store.basic_url + "/brands", json={"name": "Fourth"})
        assert r.status_code == 509 and r.reason == "Bandwidth Limit Exceeded"
        assert r.json()[0]["status"] == 509 and r.headers["X-BC-ApiLimit-Remaining"] == "0"
        assert [b["name"] for b in store.state()["brands"].values()] == ["Third"]
        oauth = requests.get(store.v2_url + "/time", headers={"X-Auth-Token": store.access_token})
        assert oauth.status_code == 200
        store.reset()
        assert session.get(store.basic_url + "/time").status_code == 200
    with Sandbox(basic_rate_limit=(1, 200)) as store:
        auth = store.basic_auth
        assert requests.get(store.basic_url + "/time", auth=auth).status_code == 200
        assert requests.get(store.basic_url + "/time", auth=auth).status_code == 509
        time.sleep(0.25)
        assert requests.get(store.basic_url + "/time", auth=auth).status_code == 200


# -- OAuth app flow ----------------------------------------------------------------------------------------


def test_install_callback_values(shop, c):
    """OAuth: install callback to the app carries code, context=stores/{hash}, scope, account_uuid."""
    grant = shop.install(scope="store_v2_orders store_v2_products")
    assert set(grant) == {"code", "context", "scope", "account_uuid"}
    assert grant["context"] == "stores/sandbox" and grant["scope"] == "store_v2_orders store_v2_products"


def exchange(shop, **overrides):
    grant = shop.install(scope="store_v2_products")
    form = {
        "client_id": shop.client_id,
        "client_secret": shop.client_secret,
        "code": grant["code"],
        "context": grant["context"],
        "scope": grant["scope"],
        "grant_type": "authorization_code",
        "redirect_uri": "https://app.example.com/auth",
    }
    form.update(overrides)
    return grant, form, requests.post(shop.url + "/oauth2/token", data=form)


def test_token_exchange_success_shape(shop, c):
    """OAuth: token exchange (form-encoded) success: access_token, scope, user{id,username,email},
    context (+ owner, account_uuid)."""
    grant, form, r = exchange(shop)
    body = r.json()
    assert r.status_code == 200
    assert {"access_token", "scope", "user", "context", "owner", "account_uuid"} == set(body)
    assert set(body["user"]) == {"id", "username", "email"}
    assert body["context"] == "stores/sandbox" and body["scope"] == "store_v2_products"
    again = requests.post(shop.url + "/oauth2/token", data=form)
    assert again.status_code == 400 and again.json()["error"] == "Invalid code."


@pytest.mark.parametrize(
    "override",
    [
        {"client_secret": "nope"},
        {"code": "nope"},
        {"client_id": "other"},
        {"grant_type": "password"},
        {"context": "stores/other"},
        {"code": ""},
    ],
)
def test_token_exchange_failures(shop, c, override):
    """OAuth: failures are 400 with {"error": "...", "error_description": "..."}."""
    _, _, r = exchange(shop, **override)
    assert r.status_code == 400
    assert set(r.json()) == {"error", "error_description"}


def test_signed_payload_format(shop, c):
    """OAuth: legacy signed_payload = base64(json) + "." + base64(hex(HMAC-SHA256(secret, json)));
    json holds user{id,email}, owner, context, store_hash, timestamp."""
    import hashlib
    import hmac
    import json

    data_b64, sig_b64 = shop.signed_payload(user_id=5, email="five@example.com").split(".")
    raw = base64.b64decode(data_b64)
    expected = hmac.new(shop.client_secret.encode(), raw, hashlib.sha256).hexdigest()
    assert base64.b64decode(sig_b64).decode() == expected
    data = json.loads(raw)
    assert {"user", "owner", "context", "store_hash", "timestamp"} <= set(data)
    assert data["user"] == {"id": 5, "email": "five@example.com"} and data["store_hash"] == "sandbox"


def test_signed_payload_jwt_claims(shop, c):
    """OAuth: signed_payload_jwt is HS256 with the client secret; claims aud=client_id, iss=bc, iat,
    nbf, exp (24 h), jti, sub=stores/{hash}, user{id,email,locale}, owner{id,email}, url, channel_id."""
    jwt = pytest.importorskip("jwt")
    token = shop.signed_payload_jwt(user_id=7, email="seven@example.com")
    claims = jwt.decode(token, shop.client_secret, algorithms=["HS256"], audience=shop.client_id)
    assert claims["iss"] == "bc" and claims["sub"] == "stores/sandbox"
    assert claims["exp"] - claims["iat"] == 86400
    assert {"iat", "nbf", "exp", "jti", "user", "owner", "url", "channel_id"} <= set(claims)
    assert claims["user"]["id"] == 7 and set(claims["user"]) == {"id", "email", "locale"}
    assert set(claims["owner"]) == {"id", "email"}


def test_default_client_secret_is_a_full_hs256_key():
    """PyJWT (2.10+) warns about HS256 keys under 32 bytes: the default secret is longer, so
    verifying a default store's signed_payload_jwt is quiet."""
    jwt = pytest.importorskip("jwt")
    import warnings

    with Sandbox() as store:
        assert len(store.client_secret.encode()) >= 32
        token = store.signed_payload_jwt()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            jwt.decode(token, store.client_secret, algorithms=["HS256"], audience=store.client_id)
        assert [w for w in caught if "key" in str(w.message).lower()] == []


def test_customer_login_jwt(shop, c):
    """OAuth: customer login token is an HS256 JWT (iss=client_id, iat valid ~30 s, jti,
    operation=customer_login, store_hash, customer_id, redirect_to) at {secure_url}/login/token/{jwt}."""
    import time
    import uuid

    jwt = pytest.importorskip("jwt")
    claims = {
        "iss": shop.client_id,
        "iat": int(time.time()),
        "jti": str(uuid.uuid4()),
        "operation": "customer_login",
        "store_hash": shop.store_hash,
        "customer_id": 1,
        "redirect_to": "/cart.php",
    }
    token = jwt.encode(claims, shop.client_secret, algorithm="HS256")
    secure_url = c.get("/store").json()["secure_url"]
    r = requests.get(secure_url + "/login/token/" + token, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == shop.url + "/cart.php"
    again = requests.get(secure_url + "/login/token/" + token, allow_redirects=False)
    assert "login.php" in again.headers["Location"]  # a jti is single-use
    stale = jwt.encode(dict(claims, iat=int(time.time()) - 120, jti="x"), shop.client_secret)
    assert "login.php" in requests.get(secure_url + "/login/token/" + stale, allow_redirects=False).headers["Location"]
    forged = jwt.encode(dict(claims, jti="y"), "wrong-secret")
    assert "login.php" in requests.get(secure_url + "/login/token/" + forged, allow_redirects=False).headers["Location"]


# -- Webhooks ------------------------------------------------------------------------------------------------


def test_hooks_create_shape(c, shop):
    """Webhooks: POST {scope, destination, is_active, headers} -> 201 with id, client_id, store_hash,
    scope, destination, headers, is_active, created_at, updated_at (unix ints)."""
    r = c.post(
        "/hooks",
        json={
            "scope": "store/order/created",
            "destination": "https://app.example.com/w",
            "is_active": True,
            "headers": {"X-Secret": "abc"},
        },
    )
    assert r.status_code == 201
    hook = r.json()
    assert set(hook) == {
        "id",
        "client_id",
        "store_hash",
        "scope",
        "destination",
        "headers",
        "is_active",
        "created_at",
        "updated_at",
    }
    assert hook["client_id"] == shop.client_id and hook["store_hash"] == "sandbox"
    assert isinstance(hook["created_at"], int) and isinstance(hook["updated_at"], int)
    assert c.post("/hooks", json={"destination": "https://x"}).status_code == 400
    updated = c.put(f"/hooks/{hook['id']}", json={"is_active": False}).json()
    assert updated["is_active"] is False and updated["created_at"] == hook["created_at"]


# -- The v2 resource tree ---------------------------------------------------------------------------------------


def _collection_paths(c):
    listed = [res for res in RESOURCES if "list" in res.ops]  # fees, carriers: own handlers
    paths = ["/" + res.segment for res in listed if res.parent is None]
    parents = {
        "products": 1,
        "customers": 1,
        "orders": 1,
        "countries": 226,
        "option_sets": 1,
        "options": 1,
        "shipping/zones": 1,
    }
    for res in listed:
        if res.parent is not None:
            paths.append(f"/{res.parent.segment}/{parents[res.parent.segment]}/{res.segment}")
    return paths


def test_whole_tree_is_served(c):
    """Tree: products (+ images, videos, skus, rules, discount_rules, custom_fields,
    configurable_fields, options, reviews, googleproductsearch), categories, brands, option_sets
    (+ options), options (+ values), customers (+ addresses), customer_groups, orders (+ products,
    shipping_addresses, shipments, coupons, taxes, messages), order_statuses, coupons, countries
    (+ states), currencies, gift_certificates, banners, blog/posts, pages, redirects,
    shipping/methods, payments/methods, tax_classes, store, time, hooks."""
    names = (
        "products images videos skus rules discount_rules custom_fields configurable_fields "
        "options reviews googleproductsearch categories brands option_sets values customers "
        "addresses customer_groups orders shipping_addresses shipments coupons taxes messages "
        "order_statuses countries states currencies gift_certificates banners blog/posts pages "
        "redirects shipping/methods tax_classes hooks"
    ).split()
    paths = _collection_paths(c)
    for name in names:
        assert any(p.endswith("/" + name) for p in paths), name
    for path in paths + ["/payments/methods", "/store", "/time"]:
        r = c.get(path)
        assert r.status_code in (200, 204), (path, r.status_code, r.text[:200])
        if r.status_code == 200 and isinstance(r.json(), list):
            first = r.json()[0]
            if "id" in first:
                assert c.get("{}/{}".format(path, first["id"])).status_code == 200, path
            uncounted = ("/payments/methods", "/shipping/zones", "/shipping/zones/1/methods")
            if path not in uncounted:  # fixed lists and zones document no count
                assert c.get(path + "/count").status_code == 200, path


CREATE_CASES = {
    "/categories": {"name": "Gadgets"},
    "/brands": {"name": "Acme"},
    "/option_sets": {"name": "Material set"},
    "/option_sets/1/options": {"option_id": 2},
    "/options": {"name": "Material", "type": "S"},
    "/options/1/values": {"label": "Purple", "value": "#800080"},
    "/customers/1/addresses": {
        "first_name": "A",
        "last_name": "B",
        "phone": "1",
        "street_1": "1 Way",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
        "country": "United States",
    },
    "/customer_groups": {"name": "VIP"},
    "/coupons": {
        "name": "Half",
        "code": "HALF",
        "type": "percentage_discount",
        "amount": 50,
        "applies_to": {"entity": "categories", "ids": [0]},
    },
    "/currencies": {"currency_code": "EUR", "currency_exchange_rate": "0.9", "name": "Euro", "token": "E"},
    "/gift_certificates": {
        "to_name": "A",
        "to_email": "a@x.org",
        "from_name": "B",
        "from_email": "b@x.org",
        "amount": 25,
    },
    "/banners": {
        "name": "Sale",
        "content": "<p>Sale</p>",
        "page": "home_page",
        "location": "top",
        "date_type": "always",
    },
    "/blog/posts": {"title": "Hello", "body": "<p>Hi</p>"},
    "/pages": {"name": "About", "type": "page", "body": "<p>About</p>"},
    "/redirects": {"path": "/old/", "forward": {"type": "manual", "ref": "/new/"}},
    "/products/1/images": {"image_file": "https://example.com/a/pic.png"},
    "/products/1/videos": {"url": "https://www.youtube.com/watch?v=abc"},
    "/products/1/skus": {"sku": "NEW-SKU-1", "options": []},
    "/products/1/rules": {"conditions": []},
    "/products/1/discount_rules": {"min": 1, "max": 5, "type": "percent", "type_value": 5},
    "/products/1/custom_fields": {"name": "Origin", "text": "Spain"},
    "/products/1/configurable_fields": {"name": "Engraving", "type": "T"},
    "/products/1/options": {"option_id": 1},
    "/products/1/reviews": {"title": "Nice", "rating": 5},
    "/orders": {
        "products": [{"product_id": 1, "quantity": 2}],
        "billing_address": {"first_name": "A", "last_name": "B", "email": "a@b.org"},
    },
    "/orders/1/shipments": None,  # built from the order's address below
    "/hooks": {"scope": "store/product/*", "destination": "https://app.example.com/w"},
}


@pytest.mark.parametrize("path", sorted(CREATE_CASES))
def test_crud_everywhere(c, path):
    """Bodies: 201 on create, 200 on PUT with the full object, 204 on delete, required fields 400,
    for every writable collection of the tree."""
    body = CREATE_CASES[path]
    if body is None:
        address = c.get("/orders/1/shipping_addresses").json()[0]
        line = c.get("/orders/1/products").json()[0]
        body = {
            "order_address_id": address["id"],
            "tracking_number": "1Z",
            "items": [{"order_product_id": line["id"], "quantity": 1}],
        }
    before = c.get(path + "/count").json()["count"]
    r = c.post(path, json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert c.get(path + "/count").json()["count"] == before + 1
    assert c.get(f"{path}/{created['id']}").json() == created
    r = c.put(f"{path}/{created['id']}", json={})
    assert r.status_code == 200 and set(r.json()) == set(created)
    required = {k for k in body}
    for field in sorted(required)[:1]:
        partial = {k: v for k, v in body.items() if k != field}
        r = c.post(path, json=partial)
        assert r.status_code in (400, 201), r.text
    r = c.delete(f"{path}/{created['id']}")
    assert r.status_code in (204, 200)
    assert c.get(f"{path}/{created['id']}").status_code == 404


def test_product_options_keep_delete(c):
    """products/{id}/options answers DELETE (the classic README does
    ``api.Products.get(1).options(1).delete()``), for one option and for the whole list."""
    product = c.post("/products", json=NEW_PRODUCT).json()
    path = f"/products/{product['id']}/options"
    first = c.post(path, json={"option_id": 1}).json()
    second = c.post(path, json={"option_id": 2}).json()
    assert c.delete(f"{path}/{first['id']}").status_code == 204
    assert c.get(f"{path}/{first['id']}").status_code == 404
    assert [o["id"] for o in c.get(path).json()] == [second["id"]]
    assert c.delete(path).status_code == 204
    assert c.get(path).status_code == 204
    assert c.get(path + "/count").json() == {"count": 0}


def test_order_create_builds_line_items_and_addresses(c):
    """Orders: POST /orders with products and shipping_addresses creates the sub-resources and
    totals; status follows status_id."""
    r = c.post(
        "/orders",
        json={
            "products": [
                {"product_id": 1, "quantity": 2},
                {"name": "Custom", "quantity": 1, "price_inc_tax": 10, "price_ex_tax": 10},
            ],
            "billing_address": {"first_name": "A", "last_name": "B", "email": "a@b.org"},
            "shipping_addresses": [{"first_name": "A", "last_name": "B", "street_1": "1 Way"}],
            "status_id": 11,
        },
    )
    order = r.json()
    assert r.status_code == 201 and order["status"] == "Awaiting Fulfillment"
    price = float(c.get("/products/1").json()["calculated_price"])
    assert float(order["total_inc_tax"]) == pytest.approx(price * 2 + 10)
    assert order["items_total"] == 3
    lines = c.get(f"/orders/{order['id']}/products").json()
    assert [line["quantity"] for line in lines] == [2, 1]
    assert c.get(f"/orders/{order['id']}/shipping_addresses/count").json() == {"count": 1}
    updated = c.put(f"/orders/{order['id']}", json={"status_id": 10}).json()
    assert updated["status"] == "Completed"
    assert c.post("/orders", json={"products": [{"product_id": 9999}], "billing_address": {}}).status_code == 400


def test_query_string_encoding(c):
    """Filters: values are URL-decoded (a name with spaces, commas and brackets)."""
    name = c.get("/products/7").json()["name"]
    r = c.session.get(c.root + "/products?" + urlencode({"name": name}))
    assert ids(r) == [7]
