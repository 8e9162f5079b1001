"""The sandbox's v3 API on the same store as v2: cross-visibility, variants on SKUs, include=,
field refusals, batch limits and 207s, both kinds of pagination (raw HTTP, no client code)."""

from __future__ import annotations

import pytest
import requests

from bigcommerce.sandbox import Sandbox


class Http:
    def __init__(self, store: Sandbox):
        self.session = requests.Session()
        self.session.headers.update({"X-Auth-Token": store.access_token, "Accept": "application/json"})
        self.root = f"{store.url}/stores/{store.store_hash}"

    def __call__(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.root + path, **kwargs)


@pytest.fixture(scope="module")
def store():
    with Sandbox(products=3, customers=2, orders=2, seed=3) as shop:
        yield shop


@pytest.fixture
def http(store):
    client = Http(store)
    yield client
    client.session.close()


def new_product(http, name, **fields):
    body = {"name": name, "type": "physical", "weight": 1, "price": 10, **fields}
    answer = http("POST", "/v3/catalog/products", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def test_v3_product_is_a_v2_product_and_back(http, store):
    made = new_product(http, "Cross one", sku="CROSS-1", mpn="M-1", meta_keywords=["a", "b"], warranty="two years")
    v2 = http("GET", f"/v2/products/{made['id']}").json()
    assert v2["name"] == "Cross one" and v2["sku"] == "CROSS-1" and v2["warranty"] == "two years"
    assert "mpn" not in v2  # v3-only values never leak into the v2 rendering
    v2_made = http(
        "POST",
        "/v2/products",
        json={
            "name": "Cross two",
            "type": "physical",
            "price": "5.00",
            "weight": "1",
            "categories": [min(store.state()["categories"])],
            "availability": "available",
        },
    ).json()
    listed = http("GET", "/v3/catalog/products", params={"id:in": f"{made['id']},{v2_made['id']}"}).json()
    assert {p["name"] for p in listed["data"]} == {"Cross one", "Cross two"}
    again = http("GET", f"/v3/catalog/products/{made['id']}").json()["data"]
    assert again["mpn"] == "M-1" and again["meta_keywords"] == ["a", "b"]


def test_review_status_is_a_word_in_v3_and_a_number_in_v2(http, store):
    product = min(store.state()["products"])
    made = http(
        "POST",
        f"/v3/catalog/products/{product}/reviews",
        json={"title": "Fine", "date_reviewed": "2024-01-02T00:00:00+00:00", "status": "approved"},
    ).json()["data"]
    assert made["status"] == "approved"
    assert http("GET", f"/v2/products/{product}/reviews/{made['id']}").json()["status"] == 1
    http("PUT", f"/v2/products/{product}/reviews/{made['id']}", json={"status": 2})
    again = http("GET", f"/v3/catalog/products/{product}/reviews/{made['id']}").json()["data"]
    assert again["status"] == "disapproved"


def test_variants_are_skus_both_ways(http):
    made = new_product(
        http,
        "Shirt",
        variants=[
            {"sku": "SHIRT-R", "price": 12.5, "option_values": [{"option_display_name": "Colour", "label": "Red"}]},
            {"sku": "SHIRT-B", "option_values": [{"option_display_name": "Colour", "label": "Blue"}]},
        ],
    )
    assert [v["sku"] for v in made["variants"]] == ["SHIRT-R", "SHIRT-B"]
    pid = made["id"]
    options = http("GET", f"/v3/catalog/products/{pid}/options").json()["data"]
    assert [o["display_name"] for o in options] == ["Colour"]
    assert [v["label"] for v in options[0]["option_values"]] == ["Red", "Blue"]
    skus = http("GET", f"/v2/products/{pid}/skus").json()
    assert [(s["id"], s["sku"]) for s in skus] == [(v["id"], v["sku"]) for v in made["variants"]]
    assert skus[0]["price"] == "12.5000" and skus[1]["price"] is None
    v2_sku = http("POST", f"/v2/products/{pid}/skus", json={"sku": "SHIRT-G", "options": []}).json()
    variants = http("GET", f"/v3/catalog/products/{pid}/variants").json()["data"]
    assert [v["sku"] for v in variants] == ["SHIRT-R", "SHIRT-B", "SHIRT-G"]
    assert variants[2]["id"] == v2_sku["id"] and variants[2]["calculated_price"] == 10.0
    assert variants[1]["option_values"][0]["label"] == "Blue"


def test_include_returns_the_sub_resources(http):
    made = new_product(
        http,
        "Bundle",
        images=[{"image_url": "https://example.com/b.jpg", "is_thumbnail": True}],
        custom_fields=[{"name": "material", "value": "wool"}],
        bulk_pricing_rules=[{"quantity_min": 2, "quantity_max": 5, "type": "percent", "amount": 5}],
        videos=[{"video_id": "abc", "title": "demo"}],
    )
    pid = made["id"]
    http(
        "POST",
        f"/v3/catalog/products/{pid}/modifiers",
        json={"display_name": "Engraving", "type": "text", "required": False},
    )
    wanted = "variants,images,custom_fields,bulk_pricing_rules,primary_image,modifiers,options,videos"
    data = http("GET", f"/v3/catalog/products/{pid}", params={"include": wanted}).json()["data"]
    assert data["custom_fields"] == [{"id": data["custom_fields"][0]["id"], "name": "material", "value": "wool"}]
    assert data["bulk_pricing_rules"][0]["amount"] == 5.0 and data["videos"][0]["video_id"] == "abc"
    assert data["primary_image"]["image_url"] == "https://example.com/b.jpg"
    assert [m["display_name"] for m in data["modifiers"]] == ["Engraving"]
    # a product without options has one variant, its base variant
    assert [v["id"] for v in data["variants"]] == [data["base_variant_id"]] and data["options"] == []
    plain = http("GET", f"/v3/catalog/products/{pid}").json()["data"]
    assert "images" not in plain and "variants" not in plain
    assert http("GET", "/v3/catalog/products", params={"include": "colours"}).status_code == 422
    v2_fields = http("GET", f"/v2/products/{pid}/customfields").json()
    assert [(f["name"], f["text"]) for f in v2_fields] == [("material", "wool")]


def test_unknown_or_mistyped_fields_are_refused_by_name(http):
    answer = http(
        "POST",
        "/v3/catalog/products",
        json={"name": "Odd", "type": "physical", "weight": 1, "price": 1, "sparkle": True, "mpn": 5},
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"sparkle", "mpn"}
    assert http("GET", "/v3/catalog/products", params={"name": "Odd"}).json()["data"] == []
    brand = http("POST", "/v3/catalog/brands", json={"name": "Acme", "logo": "x"})
    assert brand.status_code == 422 and "logo" in brand.json()["errors"]


def test_batch_limits_and_partial_success(http):
    too_many = [{"id": 1, "price": 1}] * 51
    assert http("PUT", "/v3/catalog/variants", json=too_many).status_code == 413
    assert (
        http(
            "POST",
            "/v3/customers",
            json=[{"email": f"c{i}@x.io", "first_name": "a", "last_name": "b"} for i in range(11)],
        ).status_code
        == 413
    )
    pid = new_product(http, "Meta holder")["id"]
    fields = [
        {"resource_id": pid, "namespace": "n", "key": "k", "value": "v", "permission_set": "read"},
        {"resource_id": pid, "namespace": "n", "key": "k", "value": "w", "permission_set": "read"},
    ]
    answer = http("POST", "/v3/catalog/products/metafields", json=fields)
    assert answer.status_code == 207
    body = answer.json()
    assert body["meta"] == {"total": 2, "success": 1, "failed": 1} and body["errors"][0]["status"] == 409
    attrs = http(
        "POST",
        "/v3/customers/attributes",
        json=[{"name": "Shoe size", "type": "number"}, {"name": "Bad", "type": "colour"}],
    )
    assert attrs.status_code == 207 and list(attrs.json()["errors"][0]["errors"]) == ["1.type"]


def test_page_and_cursor_pagination(http):
    for index in range(5):
        assert http("POST", "/v3/pricelists", json={"name": f"List {index}"}).status_code == 200
    page = http("GET", "/v3/pricelists", params={"limit": 2, "page": 2}).json()
    assert page["meta"]["pagination"]["current_page"] == 2 and len(page["data"]) == 2
    first = http("GET", "/v3/pricelists", params={"limit": 2}).json()["meta"]["cursor_pagination"]
    after = http("GET", "/v3/pricelists", params={"limit": 2, "after": first["end_cursor"]}).json()
    assert [p["name"] for p in after["data"]] == [p["name"] for p in page["data"]]
    brands = http("GET", "/v3/catalog/brands", params={"limit": 1}).json()["meta"]["pagination"]
    assert brands["per_page"] == 1 and brands["total"] >= 1


def test_price_records_inventory_refunds_and_hooks_share_the_store(http, store):
    made = new_product(http, "Priced", variants=[{"sku": "PRICED-1", "inventory_level": 3}])
    vid = made["variants"][0]["id"]
    lid = http("POST", "/v3/pricelists", json={"name": "Wholesale"}).json()["data"]["id"]
    put = http("PUT", f"/v3/pricelists/{lid}/records", json=[{"variant_id": vid, "currency": "usd", "price": 7}])
    assert put.status_code == 200
    record = http("GET", f"/v3/pricelists/{lid}/records/{vid}/USD").json()["data"]
    assert record["price"] == 7 and record["sku"] == "PRICED-1" and record["product_id"] == made["id"]
    bad = http("PUT", f"/v3/pricelists/{lid}/records", json=[{"variant_id": 999999, "currency": "USD"}])
    assert bad.status_code == 422 and "0.variant_id" in bad.json()["errors"]
    adjust = http(
        "POST",
        "/v3/inventory/adjustments/relative",
        json={"items": [{"location_id": 1, "sku": "PRICED-1", "quantity": 4}]},
    )
    assert adjust.status_code == 200
    assert http("GET", f"/v2/products/{made['id']}/skus/{vid}").json()["inventory_level"] == 7
    order = min(store.state()["orders"])
    line = min(r["id"] for r in store.state()["orders/products"].values() if r["order_id"] == order)
    refund = http(
        "POST",
        f"/v3/orders/{order}/payment_actions/refunds",
        json={
            "items": [{"item_type": "PRODUCT", "item_id": line, "quantity": 1}],
            "payments": [{"provider_id": "testgateway", "amount": 1.25}],
        },
    )
    assert refund.status_code == 201
    assert http("GET", f"/v2/orders/{order}").json()["refunded_amount"] == "1.2500"
    hook = http("POST", "/v3/hooks", json={"scope": "store/order/*", "destination": "https://example.com/h"})
    assert hook.status_code == 200
    assert hook.json()["data"]["id"] in [h["id"] for h in http("GET", "/v2/hooks").json()]
    assert (
        http("POST", "/v3/hooks", json={"scope": "store/order/*", "destination": "http://plain.example"}).status_code
        == 422
    )


def test_a_refused_sub_resource_leaves_no_product(http):
    bad_type = http(
        "POST",
        "/v3/catalog/products",
        json={"name": "Half", "type": "physical", "weight": 1, "price": 1, "variants": [{"sku": 5}]},
    )
    assert bad_type.status_code == 422 and "variants.0.sku" in bad_type.json()["errors"]
    bad_option = http(
        "POST",
        "/v3/catalog/products",
        json={
            "name": "Half",
            "type": "physical",
            "weight": 1,
            "price": 1,
            "variants": [{"sku": "HALF-1", "option_values": [{"label": "no option named"}]}],
        },
    )
    assert bad_option.status_code == 422
    assert http("GET", "/v3/catalog/products", params={"name": "Half"}).json()["data"] == []
    assert http("GET", "/v3/catalog/variants", params={"sku": "HALF-1"}).json()["data"] == []


def test_routes_are_data():
    from bigcommerce.sandbox import v3

    assert len(v3.ROUTES) > 200
    for method, regex, handler in v3.ROUTES:
        assert method in ("GET", "POST", "PUT", "DELETE") and regex.startswith("^") and callable(handler)


def test_customer_sub_resources_include_and_credentials(http):
    attribute = http("POST", "/v3/customers/attributes", json=[{"name": "Club", "type": "string"}])
    aid = attribute.json()["data"][0]["id"]
    made = http(
        "POST",
        "/v3/customers",
        json=[
            {
                "email": "ada@example.com",
                "first_name": "Ada",
                "last_name": "L",
                "authentication": {"new_password": "correct horse"},
                "addresses": [
                    {
                        "first_name": "Ada",
                        "last_name": "L",
                        "address1": "1 Loop",
                        "city": "Austin",
                        "country_code": "US",
                        "state_or_province": "Texas",
                        "postal_code": "78701",
                    }
                ],
                "attributes": [{"attribute_id": aid, "attribute_value": "gold"}],
                "form_fields": [{"name": "newsletter", "value": "yes"}],
            }
        ],
    )
    assert made.status_code == 200, made.text
    cid = made.json()["data"][0]["id"]
    shown = http("GET", "/v3/customers", params={"id:in": cid, "include": "addresses,attributes,formfields"})
    data = shown.json()["data"][0]
    assert [a["city"] for a in data["addresses"]] == ["Austin"] and data["address_count"] == 1
    assert [a["attribute_value"] for a in data["attributes"]] == ["gold"]
    assert data["form_fields"] == [{"name": "newsletter", "value": "yes"}]
    v2 = http("GET", f"/v2/customers/{cid}/addresses").json()
    assert [(a["street_1"], a["zip"], a["country"]) for a in v2] == [("1 Loop", "78701", "United States")]
    good = http(
        "POST", "/v3/customers/validate-credentials", json={"email": "ada@example.com", "password": "correct horse"}
    ).json()
    bad = http(
        "POST", "/v3/customers/validate-credentials", json={"email": "ada@example.com", "password": "wrong"}
    ).json()
    assert good == {"is_valid": True, "customer_id": cid} and bad["is_valid"] is False
    refused = http(
        "POST",
        "/v3/customers",
        json=[{"email": "bo@example.com", "first_name": "B", "last_name": "C", "addresses": [{"city": 5}]}],
    )
    assert refused.status_code == 422 and "0.addresses.0.city" in refused.json()["errors"]
    assert http("GET", "/v3/customers", params={"email:in": "bo@example.com"}).json()["data"] == []


def test_product_update_carries_its_variants(http):
    made = new_product(http, "Mug", variants=[{"sku": "MUG-1"}])
    pid, vid = made["id"], made["variants"][0]["id"]
    answer = http(
        "PUT",
        f"/v3/catalog/products/{pid}",
        json={"price": 11, "variants": [{"id": vid, "price": 9}, {"sku": "MUG-2"}]},
    )
    assert answer.status_code == 200, answer.text
    assert [(v["sku"], v["price"]) for v in answer.json()["data"]["variants"]] == [("MUG-1", 9.0), ("MUG-2", None)]
    unknown = http("PUT", f"/v3/catalog/products/{pid}", json={"price": 99, "variants": [{"id": 999999}]})
    assert unknown.status_code == 422 and "variants.0.id" in unknown.json()["errors"]
    assert http("GET", f"/v3/catalog/products/{pid}").json()["data"]["price"] == 11.0
    batch = http("PUT", "/v3/catalog/products", json=[{"id": pid, "variants": []}])
    assert batch.status_code == 422 and "0.variants" in batch.json()["errors"]


def test_a_misspelt_delete_filter_deletes_nothing(http):
    before = http("GET", "/v3/catalog/brands").json()["meta"]["pagination"]["total"]
    assert before > 0
    answer = http("DELETE", "/v3/catalog/brands", params={"nme": "x"})
    assert answer.status_code == 422 and "nme" in answer.json()["errors"]
    assert http("GET", "/v3/catalog/brands").json()["meta"]["pagination"]["total"] == before
    lid = http("POST", "/v3/pricelists", json={"name": "Kept records"}).json()["data"]["id"]
    assert http("DELETE", f"/v3/pricelists/{lid}/records", params={"skus:in": "x"}).status_code == 422


def test_documented_page_and_batch_sizes(http):
    pages = http("GET", "/v3/catalog/products", params={"include": "options", "limit": 50}).json()
    assert pages["meta"]["pagination"]["per_page"] == 10 and len(pages["data"]) <= 10
    assert (
        http("PUT", "/v3/catalog/trees", json=[{"name": f"t{i}", "channels": []} for i in range(51)]).status_code == 413
    )
    lid = http("POST", "/v3/pricelists", json={"name": "Sized"}).json()["data"]["id"]
    records = [{"variant_id": 1, "currency": "USD"}] * 101
    assert http("POST", f"/v3/pricelists/{lid}/records", json=records).status_code == 413
    assert http("PUT", f"/v3/pricelists/{lid}/records", json=records).status_code != 413  # size fine


def test_multipart_image_upload(http):
    pid = new_product(http, "Framed")["id"]
    answer = http(
        "POST",
        f"/v3/catalog/products/{pid}/images",
        files={"image_file": ("framed.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")},
        data={"is_thumbnail": "true", "sort_order": "2", "description": "front"},
    )
    assert answer.status_code == 200, answer.text
    image = answer.json()["data"]
    assert image["image_url"].endswith("/framed.jpg") and image["is_thumbnail"] is True
    assert image["sort_order"] == 2 and image["description"] == "front"
    v2 = http("GET", f"/v2/products/{pid}/images").json()
    assert [(i["image_file"], i["is_thumbnail"]) for i in v2] == [("framed.jpg", True)]


def test_payment_actions_show_in_v2_and_in_transactions(http, store):
    order = max(store.state()["orders"])
    assert http("POST", f"/v3/orders/{order}/payment_actions/capture").status_code == 201
    assert http("GET", f"/v2/orders/{order}").json()["payment_status"] == "captured"
    events = [t["event"] for t in http("GET", f"/v3/orders/{order}/transactions").json()["data"]]
    assert events == ["purchase", "capture"]
    again = http("POST", f"/v3/orders/{order}/payment_actions/void")
    assert again.status_code == 422  # a captured payment cannot be voided


def test_clear_requests_empties_the_log_and_keeps_the_data(http, store):
    http("GET", "/v2/time")
    assert store.requests
    products = store.state()["products"]
    store.requests.clear()  # a copy: the log is untouched
    assert store.requests
    store.clear_requests()
    assert store.requests == [] and store.state()["products"] == products


# -- base variants ----------------------------------------------------------------------------------


def test_a_simple_product_lists_its_base_variant_mirroring_it(http):
    made = new_product(
        http, "Plain mug", sku="PLAIN-1", price=12.5, weight=2, inventory_level=7, upc="0123", width=3, cost_price=4
    )
    pid, bid = made["id"], made["base_variant_id"]
    assert isinstance(bid, int) and bid > 0
    listed = http("GET", f"/v3/catalog/products/{pid}/variants").json()["data"]
    assert [v["id"] for v in listed] == [bid]
    base = listed[0]
    assert (base["product_id"], base["sku"], base["price"], base["weight"], base["inventory_level"]) == (
        pid,
        "PLAIN-1",
        12.5,
        2.0,
        7,
    )
    assert (base["upc"], base["width"], base["cost_price"], base["calculated_price"]) == ("0123", 3.0, 4.0, 12.5)
    assert base["sku_id"] is None and base["option_values"] == []
    assert http("GET", f"/v3/catalog/products/{pid}/variants/{bid}").json()["data"] == base
    anywhere = http("GET", "/v3/catalog/variants", params={"id:in": str(bid)}).json()["data"]
    assert [(v["id"], v["sku"], v["product_id"]) for v in anywhere] == [(bid, "PLAIN-1", pid)]
    assert http("GET", "/v3/catalog/variants", params={"sku": "PLAIN-1"}).json()["data"][0]["id"] == bid
    # the id is stable: the same on every read, and the product's own answer names it
    assert http("GET", f"/v3/catalog/products/{pid}").json()["data"]["base_variant_id"] == bid
    # another product's base variant is not found under this one
    other = new_product(http, "Plain jug")
    assert http("GET", f"/v3/catalog/products/{pid}/variants/{other['base_variant_id']}").status_code == 404


def test_base_variant_and_product_update_each_other(http, store):
    made = new_product(http, "Plain bowl", sku="BOWL-1", price=5, inventory_level=1)
    pid, bid = made["id"], made["base_variant_id"]
    put = http(
        "PUT",
        f"/v3/catalog/products/{pid}/variants/{bid}",
        json={"price": 8.25, "sku": "BOWL-2", "inventory_level": 9, "weight": 3.5, "purchasing_disabled": True},
    )
    assert put.status_code == 200, put.text
    assert put.json()["data"]["price"] == 8.25 and put.json()["data"]["purchasing_disabled"] is True
    product = http("GET", f"/v3/catalog/products/{pid}").json()["data"]
    assert (product["price"], product["sku"], product["inventory_level"], product["weight"]) == (8.25, "BOWL-2", 9, 3.5)
    assert product["calculated_price"] == 8.25  # the product's derived price follows
    v2 = http("GET", f"/v2/products/{pid}").json()
    assert (v2["price"], v2["sku"], v2["inventory_level"]) == ("8.2500", "BOWL-2", 9)
    # the other way: a product change shows on its base variant
    http("PUT", f"/v3/catalog/products/{pid}", json={"price": 6, "sku": "BOWL-3"})
    cat = min(store.state()["categories"])
    assert http("PUT", f"/v2/products/{pid}", json={"inventory_level": 4, "categories": [cat]}).status_code == 200
    base = http("GET", f"/v3/catalog/products/{pid}/variants/{bid}").json()["data"]
    assert (base["price"], base["sku"], base["inventory_level"], base["purchasing_disabled"]) == (
        6.0,
        "BOWL-3",
        4,
        True,
    )
    # the store-wide batch update reaches it too
    batch = http("PUT", "/v3/catalog/variants", json=[{"id": bid, "price": 7, "inventory_level": 2}])
    assert batch.status_code == 200, batch.text
    product = http("GET", f"/v3/catalog/products/{pid}").json()["data"]
    assert (product["price"], product["inventory_level"]) == (7.0, 2)
    # refusals name the field and change nothing
    for body, field in (({"price": None}, "price"), ({"sku_id": 5, "option_values": [{"id": 1}]}, "option_values")):
        bad = http("PUT", f"/v3/catalog/products/{pid}/variants/{bid}", json=body)
        assert bad.status_code == 422 and field in bad.json()["errors"], bad.text
    assert http("GET", f"/v3/catalog/products/{pid}").json()["data"]["price"] == 7.0
    # the SKU is the product's: another product's is a conflict
    new_product(http, "Plain saucer", sku="SAUCER-1")
    taken = http("PUT", f"/v3/catalog/products/{pid}/variants/{bid}", json={"sku": "saucer-1"})
    assert taken.status_code == 409 and "sku" in taken.json()["errors"], taken.text
    assert http("GET", f"/v3/catalog/products/{pid}").json()["data"]["sku"] == "BOWL-3"


def test_include_variants_shows_the_base_variant_or_the_option_variants(http):
    simple = new_product(http, "Plain cup", sku="CUP-1")
    shirt = new_product(
        http,
        "Option shirt",
        variants=[{"sku": "OSHIRT-R", "option_values": [{"option_display_name": "Colour", "label": "Red"}]}],
    )
    answer = http(
        "GET", "/v3/catalog/products", params={"id:in": f"{simple['id']},{shirt['id']}", "include": "variants"}
    ).json()["data"]
    by_id = {p["id"]: p for p in answer}
    assert [v["id"] for v in by_id[simple["id"]]["variants"]] == [simple["base_variant_id"]]
    assert by_id[simple["id"]]["variants"][0]["sku"] == "CUP-1"
    # a product with option variants lists only those, and has no base variant (null, as documented)
    assert [v["sku"] for v in by_id[shirt["id"]]["variants"]] == ["OSHIRT-R"]
    assert by_id[shirt["id"]]["base_variant_id"] is None
    listed = http("GET", f"/v3/catalog/products/{shirt['id']}/variants").json()["data"]
    assert [v["sku"] for v in listed] == ["OSHIRT-R"] and listed[0]["sku_id"] == listed[0]["id"]


def test_deleting_the_product_deletes_its_base_variant(http):
    made = new_product(http, "Plain plate", sku="PLATE-1")
    pid, bid = made["id"], made["base_variant_id"]
    http("PUT", f"/v3/catalog/products/{pid}/variants/{bid}", json={"mpn": "MPN-P"})
    meta = http(
        "POST",
        f"/v3/catalog/products/{pid}/variants/{bid}/metafields",
        json={"namespace": "n", "key": "k", "value": "v", "permission_set": "app_only"},
    )
    assert meta.status_code == 200, meta.text
    alone = http("DELETE", f"/v3/catalog/products/{pid}/variants/{bid}")
    assert alone.status_code == 422 and "id" in alone.json()["errors"]
    assert http("DELETE", f"/v3/catalog/products/{pid}").status_code == 204
    assert http("GET", f"/v3/catalog/products/{pid}/variants/{bid}").status_code == 404
    assert http("GET", "/v3/catalog/variants", params={"id:in": str(bid)}).json()["data"] == []
    assert http("GET", "/v3/catalog/variants/metafields", params={"resource_id:in": str(bid)}).json()["data"] == []


def test_v2_never_shows_a_base_variant(http, store):
    made = new_product(http, "Plain tray", sku="TRAY-1")
    pid, bid = made["id"], made["base_variant_id"]
    assert http("GET", f"/v2/products/{pid}/skus").status_code == 204  # v2: no SKU at all
    assert http("GET", f"/v2/products/{pid}/skus/count").json()["count"] == 0
    assert bid not in store.state()["products/skus"]
    http("PUT", f"/v3/catalog/products/{pid}/variants/{bid}", json={"purchasing_disabled": True, "gtin": "G"})
    assert http("GET", f"/v2/products/{pid}/skus/count").json()["count"] == 0
    assert "gtin" not in http("GET", f"/v2/products/{pid}").json()


def test_base_variant_prices_and_stock(http):
    made = new_product(http, "Plain vase", sku="VASE-1", inventory_level=5)
    bid = made["base_variant_id"]
    lid = http("POST", "/v3/pricelists", json={"name": "Base variant list", "active": True}).json()["data"]["id"]
    put = http("PUT", f"/v3/pricelists/{lid}/records", json=[{"sku": "VASE-1", "currency": "USD", "price": 3}])
    assert put.status_code == 200, put.text
    records = http("GET", f"/v3/pricelists/{lid}/records").json()["data"]
    assert [(r["variant_id"], r["sku"], r["product_id"]) for r in records] == [(bid, "VASE-1", made["id"])]
    items = http("GET", "/v3/inventory/items", params={"variant_id:in": str(bid)}).json()["data"]
    assert [i["identity"]["variant_id"] for i in items] == [bid]
