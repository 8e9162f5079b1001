"""Answers shaped as BigCommerce's reference documents them (issue 12, point 2), and fields the
sandbox does not emulate refused by name."""

from __future__ import annotations

import re

SPEC_COUPON = {
    "id": 2,
    "name": "Australia Customers Discount",
    "type": "per_item_discount",
    "amount": "5",
    "min_purchase": "25",
    "expires": "",
    "enabled": True,
    "code": "S2549JM0Y",
    "applies_to": {"entity": "categories", "ids": [0, 3]},
    "num_uses": 0,
    "max_uses": 25,
    "max_uses_per_customer": 0,
    "restricted_to": {"countries": "AU"},
    "shipping_methods": ["shipping_endicia"],
    "date_created": "Tue, 13 Mar 2018 16:18:59 +0000",
}


def test_coupon_created_from_the_references_own_example(c):
    r = c.post("/coupons", json=SPEC_COUPON)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id"] != 2 or body["id"] in c.store.state()["coupons"]  # the id is the store's
    assert body["restricted_to"] == {"countries": "AU"}
    assert body["shipping_methods"] == ["shipping_endicia"] and body["num_uses"] == 0
    assert c.post("/coupons", json=dict(SPEC_COUPON, code="X1", name="Other", restricted_to="AU")).status_code == 400


def test_tax_classes_have_string_ids_and_iso_dates(c):
    classes = c.get("/tax_classes").json()
    assert all(isinstance(t["id"], str) for t in classes)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", classes[0]["created_at"])
    assert c.get("/tax_classes/{}".format(classes[0]["id"])).json() == classes[0]


def test_review_status_is_0_1_2(c):
    made = c.post("/products/1/reviews", json={"title": "Good", "rating": 4})
    assert made.status_code == 201 and made.json()["status"] == 0
    rid = made.json()["id"]
    assert c.put(f"/products/1/reviews/{rid}", json={"status": 1}).json()["status"] == 1
    assert c.post("/products/1/reviews", json={"title": "T", "status": "approved"}).status_code == 400


def test_option_sets_carry_product_id(c):
    sets = c.get("/option_sets").json()
    assert all("product_id" in s and s["product_id"] is None for s in sets)
    assert c.post("/option_sets", json={"name": "Mine", "product_id": 3}).status_code == 400


def test_blog_published_date_is_an_object(c):
    post = c.post(
        "/blog/posts", json={"title": "Dated", "body": "b", "published_date": "2018-05-18T13:26:42+00:00"}
    ).json()
    assert post["published_date"] == {"date": "2018-05-18 13:26:42.000000", "timezone_type": 1, "timezone": "+00:00"}
    assert post["published_date_iso8601"] == "2018-05-18T13:26:42+0000"
    listed = c.get("/blog/posts", params={"min_published_date": "2018-05-18"}).json()
    assert post["id"] in [p["id"] for p in listed]


def test_banner_visible_is_a_string_flag(c):
    banner = c.post(
        "/banners",
        json={
            "name": "B",
            "content": "c",
            "page": "home_page",
            "location": "top",
            "date_type": "always",
            "visible": True,
        },
    ).json()
    assert banner["visible"] == "1"
    assert c.put(f"/banners/{banner['id']}", json={"visible": "0"}).json()["visible"] == "0"
    assert c.put(f"/banners/{banner['id']}", json={"visible": "yes"}).status_code == 400


def test_store_dimension_decimal_places_is_an_integer(c):
    assert c.get("/store").json()["dimension_decimal_places"] == 2


def test_unknown_fields_are_refused_by_name_and_nothing_changes(c):
    before = c.store.state()["brands"]
    r = c.post("/brands", json={"name": "Acme", "colour": "red"})
    assert r.status_code == 400 and "colour" in r.text
    r = c.put("/brands/1", json={"name": "New", "logo_colour": "red"})
    assert r.status_code == 400 and "logo_colour" in r.text
    assert c.store.state()["brands"] == before
