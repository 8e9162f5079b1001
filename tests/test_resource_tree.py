"""The whole v2 resource tree, walked: every class, every operation it offers, against the sandbox.

``TREE`` is the specification: for each class of ``bigcommerce.resources.REGISTRY``, its path and the
operations it offers. ``test_the_classes_offer_exactly_the_table`` checks the classes against it (and
that nothing else is in the registry); ``test_operation`` then performs each (class, operation) pair
through ``api.<Name>`` against a seeded sandbox and checks the method and path the sandbox received,
its status, and the objects that came back.

Operations: ``all``, ``get`` (one object), ``list`` (the classic ``Sub.get(parent_id)`` list form),
``create``, ``update`` (``obj.update``), ``delete`` (``obj.delete``), ``delete_all``, ``count``,
``count_all`` (a sub-resource's store-wide count), ``iterall``, ``helper`` (``parent.<helper>()`` and
``parent.<helper>(id)``), and for single-object resources ``all``/``get``/``iterall``; ``single_sub``
(one object per parent), ``subsub`` (one object two levels down) and ``carrier`` (class-level create,
update and delete of the carrier connection) are the shapes of the operations added for issue 10.

The operations the sandbox gained for issue 10 (``NEW_OPERATIONS``) are exercised over HTTP in
``tests/test_v2_new_operations.py``; this file checks that the classes offer them.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from test_classic_helpers import LocalServer, watch

import bigcommerce.resources as resources
from bigcommerce.exception import ClientRequestException
from bigcommerce.resources import REGISTRY
from bigcommerce.resources.base import (
    ApiSubResource,
    CollectionDeleteableApiResource,
    CollectionDeleteableApiSubResource,
    CountableApiResource,
    CountableApiSubResource,
    CreateableApiResource,
    CreateableApiSubResource,
    DeleteableApiResource,
    DeleteableApiSubResource,
    ListableApiResource,
    ListableApiSubResource,
    SingleObjectApiResource,
    SingleObjectApiSubResource,
    SingleObjectApiSubSubResource,
    UpdateableApiResource,
    UpdateableApiSubResource,
    subresource,
)
from bigcommerce.resources.store import ShippingCarrierConnection

TOP = "all get create update delete delete_all count iterall"
TOP_NO_COUNT = "all get create update delete delete_all iterall"
READ = "all get iterall"
SUB = "all get list create update delete delete_all count count_all iterall helper"
SUB_READ = "all get list iterall helper"
SUB_READ_COUNT = "all get list count count_all iterall helper"

#: name -> (collection path; "{p}" is the parent id), operations offered
TREE = {
    "Products": ("products", TOP),
    "ProductImages": ("products/{p}/images", SUB),
    "ProductVideos": ("products/{p}/videos", SUB),
    "ProductSkus": ("products/{p}/skus", SUB),
    "ProductRules": ("products/{p}/rules", SUB),
    "ProductDiscountRules": ("products/{p}/discount_rules", SUB),
    "ProductCustomFields": ("products/{p}/custom_fields", SUB),
    "ProductConfigurableFields": (
        "products/{p}/configurable_fields",
        "all get list delete delete_all count count_all iterall helper",
    ),
    "ProductOptions": ("products/{p}/options", "all get list delete iterall helper"),
    "ProductReviews": ("products/{p}/reviews", SUB),
    "GoogleProductSearchMappings": ("products/{p}/googleproductsearch", SUB_READ),
    "Categories": ("categories", TOP),
    "Brands": ("brands", TOP),
    "OptionSets": ("option_sets", TOP),
    "OptionSetOptions": ("option_sets/{p}/options", SUB),
    "Options": ("options", TOP),
    "OptionValues": ("options/{p}/values", SUB),
    "Customers": ("customers", TOP),
    "CustomerAddresses": ("customers/{p}/addresses", SUB),
    "CustomerGroups": ("customer_groups", TOP),
    "Orders": ("orders", TOP),
    "OrderProducts": ("orders/{p}/products", SUB_READ_COUNT),
    "OrderShippingAddresses": ("orders/{p}/shipping_addresses", SUB_READ_COUNT + " update"),
    "OrderShipments": ("orders/{p}/shipments", SUB),
    "OrderCoupons": ("orders/{p}/coupons", SUB_READ),
    "OrderTaxes": ("orders/{p}/taxes", SUB_READ),
    "OrderMessages": ("orders/{p}/messages", SUB_READ),
    "OrderConsignments": ("orders/{p}/consignments", "single_sub"),
    "OrderFees": ("orders/{p}/fees", "single_sub"),
    "OrderShippingQuotes": ("orders/{p}/shipping_addresses/{q}/shipping_quotes", "subsub"),
    "OrderConsignmentShippingQuotes": ("orders/{p}/consignments/shipping/{q}/shipping_quotes", "subsub"),
    "OrderStatuses": ("order_statuses", READ),
    "Coupons": ("coupons", TOP),
    "Countries": ("countries", "all get count iterall"),
    "CountryStates": ("countries/{p}/states", SUB_READ_COUNT),
    "Currencies": ("currencies", TOP_NO_COUNT),
    "GiftCertificates": ("gift_certificates", TOP_NO_COUNT),
    "Banners": ("banners", TOP),
    "BlogPosts": ("blog/posts", TOP),
    "BlogTags": ("blog/tags", "all iterall"),
    "Pages": ("pages", TOP_NO_COUNT),
    "Redirects": ("redirects", TOP),
    "ShippingMethods": ("shipping/methods", READ),
    "ShippingZones": ("shipping/zones", "all get create update delete iterall"),
    "ShippingZoneMethods": ("shipping/zones/{p}/methods", "all get list create update delete iterall helper"),
    "ShippingCarrierConnection": ("shipping/carrier/connection", "carrier"),
    "PaymentMethods": ("payments/methods", "all iterall"),
    "TaxClasses": ("tax_classes", READ),
    "Store": ("store", "single"),
    "Time": ("time", "single"),
    "Webhooks": ("hooks", "all get create update delete iterall"),
}

#: The (class, operation) pairs added for issue 10: tests/test_v2_new_operations.py runs them over HTTP.
NEW_OPERATIONS = {("Banners", "count"), ("OrderShippingAddresses", "update")} | {
    (name, op)
    for name in (
        "OrderConsignments",
        "OrderFees",
        "OrderShippingQuotes",
        "OrderConsignmentShippingQuotes",
        "BlogTags",
        "ShippingZones",
        "ShippingZoneMethods",
        "ShippingCarrierConnection",
    )
    for op in TREE[name][1].split()
}

#: sandbox table of each collection (for finding seeded ids without sending a request)
TABLE = {name: path.replace("/{p}", "") for name, (path, _) in TREE.items()}

_unique = itertools.count(1)


def _n() -> int:
    return next(_unique)


def create_fields(name, store, parent_id=None):
    """Fields that make a valid new object of ``name`` in ``store``."""
    n = _n()
    state = store.state()
    address = {
        "first_name": "Ada",
        "last_name": "Adams",
        "street_1": "1 Main St",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
        "country": "United States",
        "country_iso2": "US",
        "phone": "555-0100",
        "email": "ada@example.com",
    }
    if name == "OrderShipments":
        address_id = next(a["id"] for a in state["orders/shipping_addresses"].values() if a["order_id"] == parent_id)
        line = next(p["id"] for p in state["orders/products"].values() if p["order_id"] == parent_id)
        return {
            "order_address_id": address_id,
            "items": [{"order_product_id": line, "quantity": 1}],
            "tracking_number": f"TRACK{n}",
        }
    return {
        "Products": dict(
            name=f"Tree product {n}",
            type="physical",
            price="12.50",
            categories=[min(state["categories"])],
            availability="available",
            weight="1.5",
        ),
        "ProductImages": dict(image_file="https://example.com/images/tree.png", description="tree"),
        "ProductVideos": dict(url=f"https://www.youtube.com/watch?v=tree{n}", name="Tree video"),
        "ProductSkus": dict(sku=f"TREE-SKU-{n}", options=[]),
        "ProductRules": dict(conditions=[], is_enabled=True),
        "ProductDiscountRules": dict(min=1, max=5, type="price", type_value="1.0000"),
        "ProductCustomFields": dict(name="Material", text="Oak"),
        "ProductConfigurableFields": dict(name="Engraving", type="T"),
        "ProductOptions": dict(option_id=min(state["options"])),
        "ProductReviews": dict(title="Great", review="Loved it", rating=5),
        "Categories": dict(name=f"Tree category {n}"),
        "Brands": dict(name=f"Tree brand {n}"),
        "OptionSets": dict(name=f"Tree option set {n}"),
        "OptionSetOptions": dict(option_id=min(state["options"])),
        "Options": dict(name=f"Tree option {n}", type="C"),
        "OptionValues": dict(label=f"Tree value {n}", value=f"v{n}"),
        "Customers": dict(first_name="Tree", last_name=f"Person{n}", email=f"tree{n}@example.com"),
        "CustomerAddresses": {k: v for k, v in address.items() if k != "email"},
        "CustomerGroups": dict(name=f"Tree group {n}"),
        "Orders": dict(
            customer_id=0,
            billing_address=address,
            products=[{"name": "Tea", "quantity": 2, "price_inc_tax": 5, "price_ex_tax": 5}],
        ),
        "Coupons": dict(
            name=f"Tree coupon {n}",
            code=f"TREE{n}",
            type="percentage_discount",
            amount="5.00",
            applies_to={"entity": "categories", "ids": [0]},
        ),
        "Currencies": dict(
            currency_code=f"X{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
            currency_exchange_rate="1.5",
            name=f"Tree currency {n}",
            token="T",
        ),
        "GiftCertificates": dict(
            to_name="Ada", to_email="ada@example.com", from_name="Ben", from_email="ben@example.com", amount="25.00"
        ),
        "Banners": dict(
            name=f"Tree banner {n}", content="<p>Sale</p>", page="home_page", location="top", date_type="always"
        ),
        "BlogPosts": dict(title=f"Tree post {n}", body="<p>Hello</p>"),
        "Pages": dict(name=f"Tree page {n}", type="page", body="<p>About</p>"),
        "Redirects": dict(path=f"/old-tree-{n}", forward={"type": "manual", "ref": "/new"}),
        "Webhooks": dict(scope="store/order/created", destination="https://app.example.com/hooks"),
    }[name]


UPDATE_FIELDS = {
    "Products": {"name": "Renamed product"},
    "ProductImages": {"description": "new description"},
    "ProductVideos": {"name": "New video name"},
    "ProductSkus": {"upc": "0123456789"},
    "ProductRules": {"sort_order": 9},
    "ProductDiscountRules": {"max": 50},
    "ProductCustomFields": {"text": "Walnut"},
    "ProductReviews": {"title": "Changed my mind"},
    "Categories": {"description": "Updated"},
    "Brands": {"page_title": "Updated"},
    "OptionSets": {"name": "Updated option set"},
    "OptionSetOptions": {"display_name": "Shade"},
    "Options": {"display_name": "Shade"},
    "OptionValues": {"label": "Crimson"},
    "Customers": {"company": "Acme"},
    "CustomerAddresses": {"city": "Denver"},
    "CustomerGroups": {"name": "Tree wholesale"},
    "Orders": {"staff_notes": "call first"},
    "OrderShipments": {"tracking_number": "NEWTRACK"},
    "Coupons": {"name": "Renamed coupon"},
    "Currencies": {"name": "Renamed currency"},
    "GiftCertificates": {"message": "Enjoy"},
    "Banners": {"content": "<p>New</p>"},
    "BlogPosts": {"title": "New title"},
    "Pages": {"body": "<p>New body</p>"},
    "Redirects": {"forward": {"type": "manual", "ref": "/newer"}},
    "Webhooks": {"is_active": False},
}


# -- the table against the classes -----------------------------------------------------------------


def offered(cls) -> set:
    """The operations a class offers, read from its mixins (not from TREE)."""
    if issubclass(cls, SingleObjectApiResource):
        return {"single"}
    if issubclass(cls, SingleObjectApiSubResource):
        return {"single_sub"}
    if issubclass(cls, SingleObjectApiSubSubResource):
        return {"subsub"}
    if cls is ShippingCarrierConnection:
        return {"carrier"}
    ops = set()
    if issubclass(cls, ApiSubResource):
        pairs = [
            (ListableApiSubResource, "all list iterall helper"),
            (CreateableApiSubResource, "create"),
            (UpdateableApiSubResource, "update"),
            (DeleteableApiSubResource, "delete"),
            (CollectionDeleteableApiSubResource, "delete_all"),
            (CountableApiSubResource, "count count_all"),
        ]
    else:
        pairs = [
            (ListableApiResource, "all iterall"),
            (CreateableApiResource, "create"),
            (UpdateableApiResource, "update"),
            (DeleteableApiResource, "delete"),
            (CollectionDeleteableApiResource, "delete_all"),
            (CountableApiResource, "count"),
        ]
    for mixin, names in pairs:
        if issubclass(cls, mixin):
            ops.update(names.split())
    if hasattr(cls, "get"):
        ops.add("get")
    return ops


def test_the_registry_is_the_tree():
    assert sorted(REGISTRY) == sorted(TREE)
    for name, cls in REGISTRY.items():
        assert getattr(resources, name) is cls
        assert cls.__name__ == name


@pytest.mark.parametrize("name", sorted(TREE))
def test_the_classes_offer_exactly_the_table(name):
    cls = REGISTRY[name]
    assert offered(cls) == set(TREE[name][1].split())
    path = TREE[name][0]
    if "{q}" in path:
        top, middle, segment = re.fullmatch(r"(.+)/\{p\}/(.+)/\{q\}/(.+)", path).groups()
        assert (cls.gparent_resource, cls.parent_resource, cls.resource_name) == (top, middle, segment)
    elif "{p}" in path:
        parent_path, segment = path.split("/{p}/")
        assert (cls.parent_resource, cls.resource_name) == (parent_path, segment)
        assert helper_of(name) is not None, f"{name} has no helper on its parent"
    else:
        assert cls.resource_name == path


def parent_class(name):
    parent_path = TREE[name][0].split("/{p}/")[0]
    return next(REGISTRY[n] for n, (p, _) in TREE.items() if p == parent_path)


def helper_of(name):
    """The name of the helper method on the parent class that reaches sub-resource ``name``."""
    parent = parent_class(name)
    for klass in parent.__mro__:
        for attr, value in vars(klass).items():
            if isinstance(value, subresource) and value.class_name == name:
                return attr
    return None


def test_parent_helpers_all_point_into_the_registry():
    for cls in REGISTRY.values():
        for klass in cls.__mro__:
            for value in vars(klass).values():
                if isinstance(value, subresource):
                    assert value.class_name in REGISTRY


# -- every operation against the sandbox -----------------------------------------------------------

CASES = [(name, op) for name in sorted(TREE) for op in TREE[name][1].split() if (name, op) not in NEW_OPERATIONS]


@pytest.fixture(scope="module")
def seeded_store():
    from bigcommerce.sandbox import Sandbox

    with Sandbox(products=3, customers=3, orders=8) as store:
        yield store


@pytest.fixture
def seeded(seeded_store):
    """A sandbox with demo data, back in its seeded state (and with an empty request log) for each test."""
    seeded_store.reset()
    assert seeded_store.requests == []
    return seeded_store


def existing(store, name, api):
    """(parent id or None, id) of an object of ``name`` in the store, creating one if none is seeded."""
    table = TABLE[name]
    if table not in store.state():  # computed by the sandbox, not stored (payments/methods)
        return None, None
    rows = list(store.state()[table].values())
    cls = REGISTRY[name]
    if not rows:
        if issubclass(cls, ApiSubResource):
            parent_table = TABLE[parent_class(name).__name__]
            parent_id = min(store.state()[parent_table])
            path = TREE[name][0].format(p=parent_id)
        else:
            parent_id, path = None, TREE[name][0]
        created = api.connection.post(path, create_fields(name, store, parent_id))
        return parent_id, created["id"]
    row = rows[0]
    parent_id = row[cls.parent_key] if issubclass(cls, ApiSubResource) else None
    return parent_id, row["id"]


def path_of(name, parent_id=None, rid=None):
    path = TREE[name][0].format(p=parent_id)
    return path if rid is None else f"{path}/{rid}"


def assert_objects(result, cls, nonempty=True):
    assert isinstance(result, list)
    if nonempty:
        assert result, "the list is empty"
    assert all(type(obj) is cls for obj in result)


@pytest.mark.parametrize("name, op", CASES)
def test_operation(seeded, name, op):
    store = seeded
    api = store.api(backoff_factor=0.01)
    cls = REGISTRY[name]
    resource = getattr(api, name)
    sub = issubclass(cls, ApiSubResource)

    if op == "single":
        with watch(store) as seen:
            one = resource.all()
            two = resource.get()
            three = list(resource.iterall())
        assert seen.calls == [("GET", TREE[name][0])] * 3
        assert seen.statuses == [200] * 3
        assert all(r.query == {} for r in seen.requests)  # no paging parameters on a single object
        assert type(one) is cls and type(two) is cls and [type(o) for o in three] == [cls]
        assert ("time" in one) if name == "Time" else (one["id"] == store.store_hash)
        return

    parent_id, rid = existing(store, name, api) if op not in ("create", "count_all") or sub else (None, None)
    args = (parent_id,) if sub else ()
    collection = path_of(name, parent_id)

    if op == "all":
        with watch(store) as seen:
            result = resource.all(*args)
        assert seen.calls == [("GET", collection)] and seen.statuses == [200]
        assert_objects(result, cls)
        if rid is not None:
            assert str(rid) in [str(obj["id"]) for obj in result]  # tax class ids are strings

    elif op == "list":
        with watch(store) as seen:
            result = resource.get(parent_id)
        assert seen.calls == [("GET", collection)] and seen.statuses == [200]
        assert_objects(result, cls)

    elif op == "get":
        with watch(store) as seen:
            obj = resource.get(*args, rid)
        assert seen.calls == [("GET", f"{collection}/{rid}")] and seen.statuses == [200]
        assert type(obj) is cls and str(obj["id"]) == str(rid)
        assert repr(obj).startswith(f"<{name} id={obj['id']!r} at 0x") and str(obj) == str(dict(obj))

    elif op == "create":
        fields = create_fields(name, store, parent_id)
        with watch(store) as seen:
            obj = resource.create(*args, **fields)
        assert seen.calls == [("POST", collection)] and seen.statuses == [201]
        assert seen.last.json == fields
        assert type(obj) is cls and obj["id"]
        if sub:
            assert obj[cls.parent_key] == parent_id
        assert obj["id"] in store.state()[TABLE[name]]

    elif op == "update":
        obj = resource.get(*args, rid)
        changes = UPDATE_FIELDS[name]
        with watch(store) as seen:
            returned = obj.update(**changes)
        assert seen.calls == [("PUT", f"{collection}/{rid}")] and seen.statuses == [200]
        assert seen.last.json == changes
        assert type(returned) is cls and returned["id"] == rid
        for key, value in changes.items():
            assert returned[key] == value and obj[key] == value
            assert store.state()[TABLE[name]][rid][key] == value

    elif op == "delete":
        obj = resource.get(*args, rid)
        with watch(store) as seen:
            result = obj.delete()
        assert seen.calls == [("DELETE", f"{collection}/{rid}")]
        if name == "Webhooks":  # v2 hooks answer a delete with the hook itself (API_FACTS)
            assert seen.statuses == [200]
            assert type(result) is cls and result["id"] == rid
        else:
            assert seen.statuses == [204] and result is None
        assert rid not in store.state()[TABLE[name]]
        with pytest.raises(ClientRequestException) as info:
            resource.get(*args, rid)
        assert info.value.status_code == 404

    elif op == "delete_all":
        with watch(store) as seen:
            result = resource.delete_all(*args)
        assert seen.calls == [("DELETE", collection)] and seen.statuses == [204]
        assert result is None
        with watch(store) as seen:
            assert resource.all(*args) == []
            assert list(resource.iterall(*args)) == []
        assert seen.statuses == [204, 204] and len(seen.calls) == 2
        if "count" in TREE[name][1]:
            assert resource.count(*args) == 0

    elif op == "count":
        with watch(store) as seen:
            number = resource.count(*args)
        assert seen.calls == [("GET", f"{collection}/count")] and seen.statuses == [200]
        rows = store.state()[TABLE[name]].values()
        expected = [r for r in rows if not sub or r[cls.parent_key] == parent_id]
        assert type(number) is int and number == len(expected) > 0

    elif op == "count_all":
        with watch(store) as seen:
            number = resource.count()
        assert seen.calls == [("GET", f"{TABLE[name]}/count")] and seen.statuses == [200]
        assert type(number) is int and number == len(store.state()[TABLE[name]]) > 0

    elif op == "iterall":
        with watch(store) as seen:
            every = list(resource.iterall(*args))
        assert seen.calls[0] == ("GET", collection)
        assert seen.requests[0].query == {"limit": "250", "page": "1"}
        assert_objects(every, cls)
        if rid is not None:
            rows = store.state()[TABLE[name]].values()
            expected = sorted(r["id"] for r in rows if not sub or r[cls.parent_key] == parent_id)
            assert sorted(str(obj["id"]) for obj in every) == sorted(map(str, expected))
        else:
            assert [dict(o) for o in every] == api.connection.get(collection)
        # Fewer than 250: one page is all it takes.
        assert len(seen.calls) == 1

    elif op == "helper":
        parent = parent_class(name)
        parent_obj = getattr(api, parent.__name__).get(parent_id)
        helper = getattr(parent_obj, helper_of(name))
        with watch(store) as seen:
            listed = helper()
            one = helper(rid)
        assert seen.calls == [("GET", collection), ("GET", f"{collection}/{rid}")]
        assert seen.statuses == [200, 200]
        assert_objects(listed, cls)
        assert type(one) is cls and one["id"] == rid
        assert one._parent_id == parent_id

    else:  # pragma: no cover - the table names an operation this test does not know
        pytest.fail(f"unknown operation {op}")


# -- non-paginated endpoints, 204s and basic auth ----------------------------------------------------


@pytest.mark.parametrize("limit", [None, 5, 15, 250])
def test_iterall_terminates_on_order_statuses(seeded, limit):
    store = seeded
    api = store.api()
    kwargs = {} if limit is None else {"limit": limit}
    with watch(store) as seen:
        statuses = list(api.OrderStatuses.iterall(**kwargs))
    names = sorted(s["id"] for s in statuses)
    assert names == sorted(store.state()["order_statuses"])
    assert len(set(names)) == len(names)  # nothing twice
    total = len(names)
    page = limit or 250
    assert 1 <= len(seen.calls) <= total // page + 2
    assert all(call == ("GET", "order_statuses") for call in seen.calls)


class IgnoresPaging(LocalServer):
    """A server that answers every GET with the same short list, whatever ``page`` and ``limit`` say,
    as the real ``/order_statuses`` does (the sandbox pages it, so this case needs its own server)."""

    BODY = json.dumps([{"id": i, "name": f"Status {i}", "order": i} for i in range(15)]).encode()

    def __init__(self):
        self.paths = []
        super().__init__(self.answer)

    def answer(self, handler, body):
        self.paths.append(handler.path)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(self.BODY)))
        handler.end_headers()
        handler.wfile.write(self.BODY)


@pytest.mark.parametrize("limit", [None, 1, 5, 15, 16, 250])
def test_iterall_terminates_when_the_server_ignores_paging(limit):
    from bigcommerce.api import BigcommerceApi

    server = IgnoresPaging()
    try:
        api = BigcommerceApi(client_id="c", store_hash="h", access_token="t", api_service=server.url)
        kwargs = {} if limit is None else {"limit": limit}
        got = list(api.OrderStatuses.iterall(**kwargs))
    finally:
        server.close()
    assert [s["id"] for s in got] == list(range(15))  # every status once, none twice
    assert all(path.startswith("/stores/h/v2/order_statuses?") for path in server.paths)
    # A page shorter or longer than asked for ends the walk; a full page that repeats ends it next time.
    assert len(server.paths) == (2 if limit == 15 else 1)


def test_order_status_zero_is_an_id(seeded):
    store = seeded
    api = store.api()
    with watch(store) as seen:
        status = api.OrderStatuses.get(0)
    assert seen.calls == [("GET", "order_statuses/0")]
    assert status["id"] == 0


@pytest.mark.parametrize("name", [n for n in sorted(TREE) if "delete_all" in TREE[n][1]])
def test_empty_collections_after_delete_all_are_empty_lists_everywhere(seeded, name):
    store = seeded
    api = store.api()
    cls = REGISTRY[name]
    resource = getattr(api, name)
    args = ()
    if issubclass(cls, ApiSubResource):
        args = (existing(store, name, api)[0],)
    resource.delete_all(*args)
    with watch(store) as seen:
        assert resource.all(*args) == []
        assert list(resource.iterall(*args)) == []
        if issubclass(cls, ApiSubResource):
            assert resource.get(*args) == []
    assert set(seen.statuses) == {204}


def test_the_tree_over_basic_auth(seeded):
    store = seeded
    api = store.api(basic=True)
    with watch(store) as seen:
        product = api.Products.get(1)
        images = product.images()
        count = api.ProductImages.count()
        states = list(
            api.CountryStates.iterall(226 if 226 in store.state()["countries"] else min(store.state()["countries"]))
        )
        api.Store.all()
    assert [r.path for r in seen.requests][:3] == [
        "/api/v2/products/1",
        "/api/v2/products/1/images",
        "/api/v2/products/images/count",
    ]
    assert all(r.path.startswith("/api/v2/") for r in seen.requests)
    assert all(r.status == 200 for r in seen.requests)
    assert images and count >= len(images) and states
