"""The v2 operations added for issue 12: shipping zones and zone methods, carrier connections,
customer password validation, blog tags, store-wide states, order consignments, fees and
shipping quotes, and the update of an order's shipping address."""

from __future__ import annotations


def test_store_wide_states_list_and_count(c):
    states = c.get("/countries/states", params={"limit": 250}).json()
    assert c.get("/countries/states/count").json()["count"] == len(states) > 60
    assert {s["country_id"] for s in states} >= {226}
    assert c.get("/countries/states", params={"nme": "x"}).status_code == 400


def test_banner_count(c):
    assert c.get("/banners/count").json() == {"count": len(c.get("/banners").json())}


def test_blog_tags_group_post_ids(c):
    post = c.post("/blog/posts", json={"title": "Tagged", "body": "b", "tags": ["zeta", "news"]})
    assert post.status_code == 201
    tags = {t["tag"]: t["post_ids"] for t in c.get("/blog/tags").json()}
    assert post.json()["id"] in tags["zeta"] and post.json()["id"] in tags["news"]
    assert sorted(tags) == list(tags)


def test_customer_password_validates(c):
    before = c.get("/customers/1").json()
    assert c.post("/customers/1/validate", json={"password": "pw-1"}).json() == {"success": False}
    r = c.put("/customers/1", json={"_authentication": {"password": "pw-1", "password_confirmation": "pw-1"}})
    assert r.status_code == 200 and "password_digest" not in r.json()
    assert "pw-1" not in r.text
    assert c.post("/customers/1/validate", json={"password": "pw-1"}).json() == {"success": True}
    assert c.post("/customers/1/validate", json={"password": "pw-2"}).json() == {"success": False}
    assert c.post("/customers/1/validate", json={}).status_code == 400
    assert c.post("/customers/999/validate", json={"password": "x"}).status_code == 404
    mismatch = c.put("/customers/1", json={"_authentication": {"password": "a", "password_confirmation": "b"}})
    assert mismatch.status_code == 400
    assert c.post("/customers/1/validate", json={"password": "pw-1"}).json() == {"success": True}
    assert c.put("/customers/1", json={"password_digest": "x"}).status_code == 400
    assert c.get("/customers", params={"password_digest": "x"}).status_code == 400
    assert set(c.get("/customers/1").json()) == set(before)


def test_customer_created_with_password(c):
    r = c.post(
        "/customers",
        json={
            "first_name": "P",
            "last_name": "W",
            "email": "pw@example.com",
            "_authentication": {"password": "Secret-9"},
        },
    )
    assert r.status_code == 201
    cid = r.json()["id"]
    assert c.post(f"/customers/{cid}/validate", json={"password": "Secret-9"}).json()["success"]


def test_shipping_zone_crud(c):
    zones = c.get("/shipping/zones").json()
    assert zones[0]["name"] == "United States" and zones[0]["type"] == "country"
    made = c.post("/shipping/zones", json={"name": "Mexico", "type": "country", "locations": [{"country_iso2": "MX"}]})
    assert made.status_code == 201
    zid = made.json()["id"]
    assert c.put(f"/shipping/zones/{zid}", json={"enabled": False}).json()["enabled"] is False
    assert c.get(f"/shipping/zones/{zid}").json()["name"] == "Mexico"
    assert c.post("/shipping/zones", json={"name": "Bad", "type": "planet"}).status_code == 400
    assert c.post("/shipping/zones", json={"type": "zip"}).status_code == 400
    method = c.post(
        f"/shipping/zones/{zid}/methods",
        json={
            "name": "Per Order",
            "type": "perorder",
            "settings": {"rate": 8},
            "enabled": True,
            "handling_fees": {"fixed_surcharge": "3"},
            "channel_ids": [1],
        },
    )
    assert method.status_code == 201 and "zone_id" not in method.json()
    mid = method.json()["id"]
    assert [m["id"] for m in c.get(f"/shipping/zones/{zid}/methods").json()] == [mid]
    put = c.put(f"/shipping/zones/{zid}/methods/{mid}", json={"settings": {"rate": 11}})
    assert put.json()["settings"] == {"rate": 11}
    assert c.get(f"/shipping/zones/1/methods/{mid}").status_code == 404
    assert c.delete(f"/shipping/zones/{zid}/methods/{mid}").status_code == 204
    assert c.get(f"/shipping/zones/{zid}/methods").status_code == 204
    assert c.delete(f"/shipping/zones/{zid}").status_code == 204
    assert c.get(f"/shipping/zones/{zid}").status_code == 404
    assert c.delete("/shipping/zones").status_code == 405  # no delete-all is documented


def test_carrier_connection(c):
    body = {"carrier_id": "auspost", "connection": {"auth_key": "k", "test_mode": False}}
    assert c.put("/shipping/carrier/connection", json=body).status_code == 400  # not connected
    assert c.post("/shipping/carrier/connection", json=body).status_code == 204
    assert c.post("/shipping/carrier/connection", json=body).status_code == 400
    body["connection"] = {"auth_key": "k2"}
    assert c.put("/shipping/carrier/connection", json=body).status_code == 204
    kept = [r for r in c.store.state()["shipping/carrier/connection"].values()]
    assert kept == [{"id": 1, "carrier_id": "auspost", "connection": {"auth_key": "k2"}}]
    assert (
        c.post("/shipping/carrier/connection", json={"carrier_id": "pigeon", "connection": {"a": 1}}).status_code == 400
    )
    gone = {"carrier_id": "auspost"}
    assert c.delete("/shipping/carrier/connection", json=gone).status_code == 204
    assert c.delete("/shipping/carrier/connection", json=gone).status_code == 400


def test_order_shipping_address_update(c):
    r = c.put("/orders/1/shipping_addresses/1", json={"city": "Paris", "shipping_method": "Pickup"})
    assert r.status_code == 200 and r.json()["city"] == "Paris"
    assert c.get("/orders/1/shipping_addresses/1").json()["shipping_method"] == "Pickup"
    refused = c.put("/orders/1/shipping_addresses/1", json={"items_total": 9})
    assert refused.status_code == 400 and "items_total" in refused.text
    assert c.put("/orders/1/shipping_addresses/999", json={"city": "X"}).status_code == 404


def test_order_consignments_fees_and_quotes(c):
    consignments = c.get("/orders/1/consignments").json()
    assert set(consignments) == {"pickups", "shipping", "downloads", "email"}
    ship = consignments["shipping"][0]
    lines = c.get("/orders/1/products").json()
    assert [item["resource"] for item in ship["line_items"]] == [f"/orders/1/products/{line['id']}" for line in lines]
    quote = c.get(ship["shipping_quotes"]["resource"].replace("/orders", "/orders", 1)).json()
    assert quote == c.get(f"/orders/1/shipping_addresses/{ship['id']}/shipping_quotes").json()
    assert quote["id"] == str(ship["id"]) and quote["shipping_provider_id"] == "bcstatic"
    assert c.get("/orders/1/fees").json() == {"fees": []}
    assert c.get("/orders/999/fees").status_code == 404
    assert c.get("/orders/999/consignments").status_code == 404
    assert c.get("/orders/1/shipping_addresses/999/shipping_quotes").status_code == 404
