"""A walk of every v3 resource and operation of the client against one sandbox store.

The steps are generated from the client's tables (bigcommerce/v3/*.py): every documented operation,
parents created before their children, reads after creates, deletes last (children first). For each
step the test checks what the store received (method, path, query, JSON body) against what the
call should send, written out here independently of the client, and the object type the caller got.

Ids come from earlier steps (a created product's id is the ``{product_id}`` of its children);
bodies from BODIES below. A refusal by the store fails the step (NOT_SERVED would list, and skip, any
operation the sandbox did not serve).
"""

from __future__ import annotations

import json
import re

import pytest

from bigcommerce.exception import HttpException
from bigcommerce.sandbox import Sandbox
from bigcommerce.v3 import V3_REGISTRY, V3List, V3Resource

V3 = "/stores/sandbox/v3/"
PHASES = {
    "create": 0,
    "batch_create": 0,
    "all": 1,
    "iterall": 1,
    "get": 1,
    "update": 2,
    "batch_update": 2,
    "action": 2,
    "delete": 3,
    "delete_all": 3,
    "batch_delete": 3,
}

#: Which earlier step's object a parent placeholder names (by placeholder, then by resource for
#: the ambiguous ``value_id``); fixed ids for what the store has from the start.
PARENTS = {
    "product_id": "Products",
    "variant_id": "ProductVariants",
    "option_id": "ProductOptions",
    "modifier_id": "ProductModifiers",
    "brand_id": "Brands",
    "category_id": "Categories",
    "customerId": "Customers",
    "price_list_id": "PriceLists",
}
#: Ids that differ for one step: void needs an order whose payment was not captured by the step before.
OVERRIDES = {("OrderPaymentActions", "void"): [2]}
FIXED = {"order_id": 1, "channel_id": 1, "tree_id": 1, "location_id": 1, "currency_code": "USD"}

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def metafield(key):
    return {"namespace": "walk", "key": key, "value": "1", "permission_set": "app_only"}


#: The fields of a create / the items of a batch, per resource (``{ctx:Name}`` is an earlier id).
BODIES = {
    "Products": {"name": "Walk mug", "type": "physical", "weight": 1, "price": 12.5, "sku": "WALK-1"},
    "ProductImages": {"image_url": "https://cdn.example.com/walk.png", "is_thumbnail": False},
    "ProductVideos": {"video_id": "dQw4w9WgXcQ", "type": "youtube", "title": "Walk"},
    "ProductComplexRules": {"enabled": True, "price_adjuster": {"adjuster": "relative", "adjuster_value": 1}},
    "ProductCustomFields": {"name": "Material", "value": "Steel"},
    "ProductBulkPricingRules": {"quantity_min": 10, "quantity_max": 50, "type": "price", "amount": 1},
    "ProductMetafields": metafield("product"),
    "ProductReviews": {
        "title": "Great",
        "text": "Lovely mug",
        "rating": 5,
        "date_reviewed": "2024-01-01T00:00:00Z",
        "name": "Ada",
        "status": "approved",
    },
    "ProductOptions": {
        "display_name": "Size",
        "type": "rectangles",
        "option_values": [{"label": "Small", "sort_order": 0}, {"label": "Large", "sort_order": 1}],
    },
    "ProductOptionValues": {"label": "Medium", "sort_order": 2},
    "ProductModifiers": {"display_name": "Engraving", "type": "text", "required": False},
    "ProductModifierValues": {"label": "Gift", "sort_order": 0},
    "ProductVariants": {"sku": "WALK-1-S", "price": 13, "option_values": []},
    "ProductVariantMetafields": metafield("variant"),
    "Brands": {"name": "Walk brand"},
    "BrandMetafields": metafield("brand"),
    "Categories": {"name": "Walk category", "parent_id": 0},
    "CategoryMetafields": metafield("category"),
    "CustomerMetafields": metafield("customer"),
    "OrderMetafields": metafield("order"),
    "PriceLists": {"name": "Walk wholesale", "active": True},
    "Webhooks": {"scope": "store/order/created", "destination": "https://app.example.com/hooks", "is_active": True},
    "OrderRefundQuotes": {"items": [{"item_type": "PRODUCT", "item_id": 1, "quantity": 1}]},
    "OrderRefunds": {
        "items": [{"item_type": "PRODUCT", "item_id": 1, "quantity": 1}],
        "payments": [{"provider_id": "testgateway", "amount": 0.01, "offline": False}],
    },
}
BATCHES = {
    "Customers": [{"email": "walk@example.com", "first_name": "Walk", "last_name": "Er"}],
    "CustomersAddresses": [
        {
            "customer_id": "{ctx:Customers}",
            "first_name": "Walk",
            "last_name": "Er",
            "address1": "1 Main St",
            "city": "Austin",
            "state_or_province": "Texas",
            "postal_code": "78701",
            "country_code": "US",
        }
    ],
    "CustomersAttributes": [{"name": "Shoe size", "type": "number"}],
    "CustomersAttributeValues": [
        {"attribute_id": "{ctx:CustomersAttributes}", "customer_id": "{ctx:Customers}", "value": "9"}
    ],
    "CustomersFormFieldValues": [{"customer_id": "{ctx:Customers}", "name": "Newsletter", "value": "yes"}],
    "ProductsMetafields": [dict(metafield("batch"), resource_id="{ctx:Products}")],
    "VariantsMetafields": [dict(metafield("batch"), resource_id="{ctx:ProductVariants}")],
    "BrandsMetafields": [dict(metafield("batch"), resource_id="{ctx:Brands}")],
    "CategoriesMetafields": [dict(metafield("batch"), resource_id="{ctx:Categories}")],
    "CustomersMetafields": [dict(metafield("batch"), resource_id="{ctx:Customers}")],
    "OrdersMetafields": [dict(metafield("batch"), resource_id=1)],
    "CategoryTreesCategories": [{"name": "Walk tree category", "tree_id": 1, "parent_id": 0}],
    "CategoryTrees": [{"id": 1, "name": "Default", "channels": [1]}],
    "PriceListRecords": [{"variant_id": "{ctx:ProductVariants}", "currency": "USD", "price": 9.5}],
    "PriceListsRecords": [
        {"price_list_id": "{ctx:PriceLists}", "variant_id": "{ctx:ProductVariants}", "currency": "USD", "price": 9}
    ],
    "PriceListsAssignments": [{"price_list_id": "{ctx:PriceLists}", "customer_group_id": 1, "channel_id": 1}],
    "ProductsChannelAssignments": [{"product_id": "{ctx:Products}", "channel_id": 1}],
    "ProductsCategoryAssignments": [{"product_id": "{ctx:Products}", "category_id": "{ctx:Categories}"}],
    "CategoryProductsSortOrder": [{"product_id": "{ctx:Products}", "sort_order": 1}],
}
#: Updates: the fields sent (a batch update gets them merged into items with the id).
UPDATES = {
    "CustomersSettings": {"privacy_settings": {"ask_shopper_for_tracking_consent": True}},
    "CustomersSettingsChannels": {"privacy_settings": {"ask_shopper_for_tracking_consent": False}},
    "OrdersSettings": {"notifications": {"order_placed": {"enabled": True}}},
    "OrdersSettingsChannels": {"notifications": {"order_placed": {"enabled": False}}},
    "WebhooksAdmin": {"emails": ["ops@example.com"]},
    "CustomerConsent": {"allow": ["essential"], "deny": []},
    "PriceListAssignments": {"customer_group_id": 1, "channel_id": 1},
    "InventoryLocationItems": {"settings": [{"identity": {"variant_id": 1}, "safety_stock": 2}]},
    "PriceListRecords": {"price": 8.5},
    "ProductVariants": {"price": 14},
    "ProductBulkPricingRules": {"amount": 2},
    "Webhooks": {"is_active": False},
}
ACTIONS = {
    ("Customers", "validate_credentials"): {"email": "walk@example.com", "password": "wrong", "channel_id": 1},
    ("InventoryAdjustments", "absolute"): {
        "reason": "walk",
        "items": [{"location_id": 1, "sku": "WALK-1-S", "quantity": 5}],
    },
    ("InventoryAdjustments", "relative"): {
        "reason": "walk",
        "items": [{"location_id": 1, "sku": "WALK-1-S", "quantity": 1}],
    },
    ("OrderPaymentActions", "capture"): {},
    ("OrderPaymentActions", "void"): {},
}
DELETE_FILTERS = {
    "Products": {"id:in": [99999]},
    "Brands": {"name": "Walk brand"},
    "Categories": {"id:in": ["{ctx:Categories}"]},
    "Customers": {"id:in": ["{ctx:Customers}"]},
    "PriceLists": {"id:in": ["{ctx:PriceLists}"]},
    "PriceListRecords": {"variant_id:in": ["{ctx:ProductVariants}"]},
    "PriceListsAssignments": {"price_list_id": "{ctx:PriceLists}"},
    "ProductsChannelAssignments": {"product_id:in": ["{ctx:Products}"], "channel_id:in": [1]},
    "ProductsCategoryAssignments": {"product_id:in": ["{ctx:Products}"]},
    "CategoryTrees": {"id:in": [99]},
    "CategoryTreesCategories": {"category_id:in": [99999]},
}

#: (resource, operation) pairs the sandbox does not answer yet: none since it serves all 222.
NOT_SERVED: set = set()


def depth(name, seen=()):
    """How late a resource comes: below its parents, and below what its bodies refer to."""
    refs = set(re.findall(r"\{ctx:(\w+)\}", json.dumps([BODIES.get(name), BATCHES.get(name)]))) - {name, *seen}
    below = [1 + depth(ref, (*seen, name)) for ref in refs]
    return max([V3_REGISTRY[name].v3.path.count("{"), *below])


ORDER = {"delete": 0, "delete_all": 1, "batch_delete": 2}


def steps():
    out = []
    for name, resource in V3_REGISTRY.items():
        for op in sorted(resource.v3.ops):
            out.append((name, op, None))
        for action in resource.v3.actions:
            out.append((name, "action", action))
    # parents first while creating and reading; children first while deleting
    return sorted(
        out, key=lambda s: (PHASES[s[1]], -depth(s[0]) if PHASES[s[1]] == 3 else depth(s[0]), ORDER.get(s[1], 0))
    )


STEPS = steps()


@pytest.fixture(scope="module")
def walk():
    with Sandbox(products=3, customers=2, orders=2) as store:
        yield store, store.api(backoff_factor=0.01), {}


def resolve(value, ctx):
    """``"{ctx:Products}"`` -> the id an earlier step stored; containers resolved throughout."""
    if isinstance(value, str):
        found = re.fullmatch(r"\{ctx:(\w+)\}", value)
        if found:
            if found.group(1) not in ctx:
                pytest.skip(f"needs a {found.group(1)} from an earlier step")
            return ctx[found.group(1)]
        return value
    if isinstance(value, list):
        return [resolve(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, ctx) for k, v in value.items()}
    return value


def ids_for(template, name, ctx):
    """The ids a call on ``template`` takes: parents from earlier steps, the item from this resource's."""
    ids = []
    for placeholder in re.findall(r"\{([^{}]+)\}", template):
        if placeholder in FIXED:
            ids.append(FIXED[placeholder])
        elif placeholder in PARENTS and PARENTS[placeholder] != name:
            ids.append(resolve(f"{{ctx:{PARENTS[placeholder]}}}", ctx))
        else:
            ids.append(resolve(f"{{ctx:{name}}}", ctx))
    return ids


def expected_path(template, ids):
    values = iter(ids)
    return V3 + re.sub(r"\{[^{}]+\}", lambda m: str(next(values)), template)


def call(api, name, op, action, ctx):
    """(the call's result, the request it should send: method, path, query, body)."""
    resource = V3_REGISTRY[name]
    bound = getattr(api.v3, name)
    table = resource.v3
    if op == "action":
        spec = table.actions[action]
        template = f"{table.path}/{spec.template}"
        ids = OVERRIDES.get((name, action)) or ids_for(template, name, ctx)
        fields = {"image_file": ("walk.png", PNG)} if spec.multipart else resolve(ACTIONS.get((name, action), {}), ctx)
        expect = (spec.method, expected_path(template, ids), {}, None if spec.multipart else (fields or None))
        return (lambda: bound.action(action, *ids, **fields)), expect
    template = table.template(op)
    ids = ids_for(template, name, ctx)
    parents = ids[: len(table.parents)]
    path = expected_path(template, ids)
    if op in ("all", "iterall"):
        query = {"limit": "5"} if op == "iterall" else {"include_fields": "id"} if name == "Products" else {}
        run = (
            (lambda: list(bound.iterall(*parents, limit=5)))
            if op == "iterall"
            else (lambda: bound.all(*parents, **query))
        )
        return run, ("GET", path, query, None)
    if op == "get":
        return (lambda: bound.get(*ids)), ("GET", path, {}, None)
    if op == "create":
        fields = resolve(BODIES.get(name, {}), ctx)
        return (lambda: bound.create(*parents, **fields)), ("POST", path, {}, fields)
    if op == "update":
        default = (
            {"value": "2"}
            if name.endswith("Metafields")
            else {"name": "Walk renamed"}
            if "name" in BODIES.get(name, {})
            else {"sort_order": 3}
        )
        fields = resolve(UPDATES.get(name, default), ctx)
        return (lambda: bound.update(*ids, **fields)), ("PUT", path, {}, fields)
    if op == "delete":
        return (lambda: bound.delete(*ids)), ("DELETE", path, {}, None)
    if op == "delete_all":
        filters = resolve(DELETE_FILTERS.get(name, {"id:in": [99999]}), ctx)
        query = {k: ",".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in filters.items()}
        return (lambda: bound.delete_all(*parents, **filters)), ("DELETE", path, query, None)
    if op == "batch_create":
        items = resolve(BATCHES.get(name, [BODIES.get(name, {})]), ctx)
        return (lambda: bound.batch_create(*parents, items)), ("POST", path, {}, items)
    if op == "batch_update":
        items = resolve(BATCHES.get(name, [{"id": f"{{ctx:{name}}}", "price": 11}]), ctx)
        if name == "CategoryTreesCategories":
            items = [{"category_id": resolve("{ctx:CategoryTreesCategories}", ctx), "name": "Walk tree renamed"}]
        if name in ("Products", "Variants", "Customers", "CustomersAddresses", "CustomersAttributes") or name.endswith(
            "Metafields"
        ):
            items = [
                {
                    "id": resolve(f"{{ctx:{'ProductVariants' if name == 'Variants' else name}}}", ctx),
                    **(
                        {"value": "2"}
                        if name.endswith("Metafields")
                        else {"price": 11}
                        if name in ("Products", "Variants")
                        else {"first_name": "Walked"}
                        if name != "CustomersAttributes"
                        else {"name": "Shoe size (EU)"}
                    ),
                }
            ]
        return (lambda: bound.batch_update(*parents, items)), ("PUT", path, {}, items)
    if op == "batch_delete":
        key = "ProductVariants" if name == "Variants" else name
        ids_ = [resolve(f"{{ctx:{key}}}", ctx)]
        if table.delete_param is None:
            return (lambda: bound.batch_delete(*parents, ids_)), ("DELETE", path, {}, ids_)
        query = {table.delete_param: ",".join(map(str, ids_))}
        return (lambda: bound.batch_delete(*parents, ids_)), ("DELETE", path, query, None)
    raise AssertionError(op)


def remember(name, op, result, ctx):
    """Keep the id of what a create (or the first listing) gave, for the steps after it."""
    first = result[0] if isinstance(result, list) and result else result
    if isinstance(first, dict) and first.get("id") is None and first.get("category_id") is not None:
        first = {"id": first["category_id"]}  # tree categories are named by category_id
    if (
        isinstance(first, dict)
        and first.get("id") is not None
        and (op in ("create", "batch_create") or name not in ctx)
    ):
        ctx[name] = first["id"]
    if name == "ProductVariants" and isinstance(first, dict) and first.get("id") is not None:
        ctx.setdefault(name, first["id"])


@pytest.mark.parametrize("name, op, action", STEPS, ids=[f"{n}.{a or o}" for n, o, a in STEPS])
def test_walk(walk, name, op, action):
    store, api, ctx = walk
    if (name, action or op) in NOT_SERVED:
        pytest.skip("sandbox does not serve it yet")
    run, (method, path, query, body) = call(api, name, op, action, ctx)
    before = len(store.requests)
    error = None
    try:
        result = run()
    except HttpException as exc:
        error, result = exc, None
    received = [r for r in store.requests[before:] if r.path.startswith(V3)]
    assert received, "nothing reached the store"
    first = received[0]
    assert (first.method, first.path) == (method, path)
    assert first.query == query
    if body is not None:
        assert first.json == body
    elif action and V3_REGISTRY[name].v3.actions[action].multipart:
        assert first.headers["Content-Type"].startswith("multipart/form-data") and PNG in first.body
    else:
        assert first.body in (b"", None) or first.json is None
    if error is not None:
        pytest.fail(f"the store refused the walk's request: {error}")
    resource = V3_REGISTRY[name]
    if op in ("all", "batch_create", "batch_update"):
        assert isinstance(result, V3List) and all(isinstance(item, resource) for item in result)
    elif op == "iterall":
        assert all(isinstance(item, resource) for item in result)
    elif op in ("get", "create", "update"):
        assert type(result) is resource and isinstance(result, V3Resource) and isinstance(result, dict)
        json.dumps(result)  # still a plain payload
    elif op in ("delete", "delete_all", "batch_delete"):
        assert result is None
    remember(name, op, result, ctx)
