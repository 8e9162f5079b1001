"""Objects: dict subclasses with attribute access that keep every key of the payload.

Most tests are pure (no server); the last ones fetch objects from the sandbox store and check that what
came over the wire survives pickling, copying and ``json.dumps`` unchanged.
"""

import copy
import json
import pickle
import re

import pytest
from test_classic_helpers import new_product, rel

from bigcommerce.connection import OAuthConnection
from bigcommerce.resources import (
    Coupons,
    CustomerAddresses,
    Mapping,
    OrderStatuses,
    ProductImages,
    Products,
    Store,
)

TOKEN = "objects-secret-token-1234"

# Keys a real payload may carry that are also names of dict methods or resource operations.
COLLIDING = {
    "items": [{"product_id": 1, "quantity": 2}],
    "count": 7,
    "keys": "k1,k2",
    "update": "weekly",
    "delete": False,
    "values": [1, 2],
    "get": "got",
    "pop": 3,
    "copy": "c",
    "all": "everything",
    "iterall": 0,
    "create": None,
    "connection": "wifi",
    "options": {"url": "https://x/api/v2/products/3/options.json", "resource": "/products/3/options"},
}


def product(**extra):
    data = {"id": 3, "name": "Scarf", "price": "10.0000", **COLLIDING, **extra}
    return Products(data)


def test_every_key_is_kept_and_item_access_gives_the_data():
    obj = product()
    assert set(obj.keys()) == {"id", "name", "price"} | set(COLLIDING)
    for key, value in COLLIDING.items():
        assert obj[key] == value
    assert dict(obj) == {"id": 3, "name": "Scarf", "price": "10.0000", **COLLIDING}
    assert len(obj) == 3 + len(COLLIDING)


def test_attribute_access_gives_the_data_for_plain_keys():
    obj = product()
    assert obj.id == 3
    assert obj.name == "Scarf"
    assert obj.price == "10.0000"


@pytest.mark.parametrize("name", ["items", "keys", "values", "get", "pop", "copy", "update"])
def test_attribute_access_gives_the_dict_method_for_colliding_keys(name):
    obj = product()
    assert callable(getattr(obj, name))
    assert getattr(obj, name) != COLLIDING[name]
    assert obj[name] == COLLIDING[name]


def test_attribute_access_gives_the_resource_operation_for_colliding_keys():
    obj = product()
    # The resource's own operations win over payload keys; the data stays reachable by item.
    assert callable(obj.count) and obj["count"] == 7
    assert callable(obj.delete) and obj["delete"] is False
    assert callable(obj.all) and obj["all"] == "everything"
    assert callable(obj.iterall) and obj["iterall"] == 0
    assert callable(obj.create) and obj["create"] is None
    # A sub-resource helper is a method; the link object the API sends under that name is obj["options"].
    assert callable(obj.options)
    assert obj["options"]["resource"] == "/products/3/options"
    # ``connection`` is the object's connection (None here), not the payload's "connection".
    assert obj.connection is None and obj["connection"] == "wifi"


def test_dict_methods_work_on_the_payload():
    obj = product()
    assert obj.get("name") == "Scarf"
    assert obj.get("missing", "dflt") == "dflt"
    assert ("name", "Scarf") in obj.items()
    assert "Scarf" in obj.values()
    assert obj.keys() == dict(obj).keys()


def test_missing_attribute_raises_attribute_error_so_hasattr_and_getattr_default_work():
    obj = Products({"id": 1})
    with pytest.raises(AttributeError) as info:
        _ = obj.nope
    assert "nope" in str(info.value)
    assert not hasattr(obj, "nope")
    assert getattr(obj, "nope", "fallback") == "fallback"
    with pytest.raises(AttributeError):
        _ = obj.__nope__


def test_setting_and_deleting_attributes_edits_the_payload():
    obj = Products({"id": 1, "name": "a"})
    obj.name = "b"
    obj.price = "2.0000"
    assert obj == {"id": 1, "name": "b", "price": "2.0000"}
    del obj.price
    assert "price" not in obj
    with pytest.raises(AttributeError):
        del obj.price


def test_private_attributes_stay_outside_the_payload():
    conn = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    obj = Products({"id": 1})
    obj._connection = conn
    assert obj.connection is conn
    assert dict(obj) == {"id": 1}
    assert list(obj.keys()) == ["id"]


def test_json_dumps_gives_exactly_the_payload():
    obj = product()
    obj._connection = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    text = json.dumps(obj, sort_keys=True)
    assert json.loads(text) == dict(obj)
    assert text == json.dumps(dict(obj), sort_keys=True)
    assert TOKEN not in text
    # A list of objects, nested inside other data, serialises too.
    assert json.loads(json.dumps({"page": [obj, Coupons({"id": 1})]})) == {"page": [dict(obj), {"id": 1}]}


def test_str_is_the_payload_and_repr_adds_class_id_and_address_but_no_secret():
    obj = product()
    obj._connection = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    # As the classic client printed objects: the payload as a dict (scripts log them that way).
    assert str(obj) == str(dict(obj))
    assert str(Coupons({"id": 0})) == "{'id': 0}"
    assert re.fullmatch(r"<Products id=3 at 0x[0-9a-f]+> \{'id': 3, 'name': 'Scarf', .*\}", repr(obj))
    assert repr(obj).endswith(f"> {dict(obj)!r}")
    assert re.fullmatch(r"<Coupons id=0 at 0x[0-9a-f]+> \{'id': 0\}", repr(Coupons({"id": 0})))
    assert re.fullmatch(r"<Store id=None at 0x[0-9a-f]+> \{'name': 'My store'\}", repr(Store({"name": "My store"})))
    # The connection (and its token) is not part of either.
    assert TOKEN not in repr(obj) and TOKEN not in str(obj) and TOKEN not in repr(obj.connection)
    assert "OAuthConnection" not in repr(obj)


def test_equality_is_dict_equality():
    assert Products({"id": 1, "a": 2}) == {"id": 1, "a": 2}
    assert Products({"id": 1}) != Products({"id": 2})


def test_dir_lists_payload_keys_that_are_identifiers():
    obj = Products({"id": 1, "sale_price": "1.0000", "not an identifier": 1})
    names = dir(obj)
    assert "sale_price" in names and "id" in names
    assert "not an identifier" not in names
    assert "update" in names and "delete" in names


def test_pickle_round_trip_keeps_class_data_and_parent_but_never_the_token():
    conn = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    obj = ProductImages({"id": 9, "product_id": 3, "image_file": "a.png", **COLLIDING})
    obj._connection = conn
    obj._parent_id = 3
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        blob = pickle.dumps(obj, protocol=protocol)
        assert TOKEN.encode() not in blob
        back = pickle.loads(blob)
        assert type(back) is ProductImages
        assert back == obj and back.keys() == obj.keys()
        assert back._parent_id == 3
        # The connection comes back with its configuration, without its credentials.
        assert back.connection.api_root == conn.api_root
        assert back.connection.access_token is None
        assert "X-Auth-Token" not in back.connection.session.headers


def test_pickle_of_a_bare_object_and_of_a_list():
    objs = [Coupons({"id": 1, "code": "A"}), Coupons({"id": 2, "code": "B"})]
    back = pickle.loads(pickle.dumps(objs))
    assert back == objs and all(type(o) is Coupons for o in back)
    assert back[0].connection is None


def test_copy_is_shallow_and_shares_the_connection():
    conn = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    obj = Products({"id": 1, "categories": [1, 2]})
    obj._connection = conn
    dup = copy.copy(obj)
    assert type(dup) is Products and dup == obj and dup is not obj
    assert dup.connection is conn
    assert dup["categories"] is obj["categories"]
    dup["name"] = "new"
    assert "name" not in obj


def test_deepcopy_copies_the_payload_and_shares_the_connection():
    conn = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    obj = CustomerAddresses({"id": 1, "customer_id": 4, "lines": ["a"]})
    obj._connection = conn
    obj._parent_id = 4
    dup = copy.deepcopy(obj)
    assert type(dup) is CustomerAddresses and dup == obj
    assert dup["lines"] is not obj["lines"]
    assert dup.connection is conn  # still usable: credentials are not cloned away
    assert dup._parent_id == 4


def test_a_bare_mapping_works_like_the_resources():
    m = Mapping({"id": 5, "items": [1]})
    assert m.id == 5 and m["items"] == [1] and callable(m.items)
    assert json.loads(json.dumps(m)) == {"id": 5, "items": [1]}


def test_operations_on_an_object_without_connection_say_what_is_missing():
    obj = Products({"id": 1})
    with pytest.raises(TypeError, match="connection"):
        obj.update(name="x")
    with pytest.raises(TypeError, match="connection"):
        obj.delete()


def test_operations_on_an_object_without_id_refuse():
    obj = Products({"name": "no id"})
    obj._connection = OAuthConnection("cid", "hash", TOKEN, host="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="id"):
        obj.delete()


# -- objects that came over the wire ----------------------------------------------------------------


def test_fetched_objects_keep_colliding_keys_and_survive_pickle_copy_and_json(store, api):
    created = new_product(api)
    product = api.Products.get(created["id"])
    wire = store.requests[-1]
    assert (wire.method, wire.path, wire.status) == (
        "GET",
        f"/stores/{api.connection.store_hash}/v2/products/{created['id']}",
        200,
    )
    sent = json.loads(api.connection.send("GET", f"products/{created['id']}").content)
    # Every key the server sent is in the object, including the link objects named like helpers.
    assert type(product) is Products
    assert set(product.keys()) == set(sent.keys())
    assert dict(product) == sent
    assert isinstance(product["options"], dict) and callable(product.options)
    token = api.connection.access_token
    assert token and token.encode() not in pickle.dumps(product)
    for obj in (pickle.loads(pickle.dumps(product)), copy.copy(product), copy.deepcopy(product)):
        assert obj == product and type(obj) is Products
    assert json.loads(json.dumps(product)) == sent


def test_deepcopied_object_can_still_update(store, api):
    brand = api.Brands.create(name="Acme")
    assert store.requests[-1].status == 201
    twin = copy.deepcopy(brand)
    updated = twin.update(name="Acme 2")
    assert updated["name"] == "Acme 2" and twin["name"] == "Acme 2"
    last = store.requests[-1]
    assert (last.method, rel(last.path), last.json) == ("PUT", f"brands/{brand['id']}", {"name": "Acme 2"})
    assert brand["name"] == "Acme"  # the original is untouched


def test_non_paginated_list_objects_come_back_as_objects(store, api):
    statuses = api.OrderStatuses.all()
    assert statuses and all(type(s) is OrderStatuses for s in statuses)
    assert all(set(s.keys()) >= {"id", "name"} for s in statuses)


def test_payload_keys_named_like_the_private_slots_stay_data():
    obj = Products({"id": 1, "_connection": "not a connection", "_parent_id": 5})
    assert obj.connection is None
    assert obj["_connection"] == "not a connection" and obj["_parent_id"] == 5
    with pytest.raises(TypeError, match="connection"):
        obj.delete()
