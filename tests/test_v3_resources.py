"""v3 resources beyond the walk: envelopes unwrapped into v2's object type with ``meta``, page and
cursor pagination with and without concurrency, filter spellings, batch chunking at each table's
size, 207 partial success, 422 field errors, sub-resource helpers, and calls refused before sending."""

from __future__ import annotations

import pytest

from bigcommerce.exception import ClientRequestException, PartialSuccess
from bigcommerce.resources.base import Mapping
from bigcommerce.sandbox import Sandbox
from bigcommerce.v3 import V3List
from bigcommerce.v3.catalog import Products, ProductVariants, Variants
from bigcommerce.v3.customers import Customers
from bigcommerce.v3.resource import V3Resource

V3 = "/stores/sandbox/v3/"


def sent(store, method, path):
    return [r for r in store.requests if r.method == method and r.path == V3 + path]


@pytest.fixture(scope="module")
def shop():
    """A store with 120 demo products (with variants), shared by the read-only tests."""
    with Sandbox(products=120) as store:
        yield store, store.api(backoff_factor=0.01, pool_size=8)


def test_objects_are_v2_objects_with_meta(shop):
    store, api = shop
    page = api.v3.Products.all(limit=7)
    assert isinstance(page, V3List) and isinstance(page, list) and len(page) == 7
    assert page.meta["pagination"]["total"] == 120 and page.meta["pagination"]["per_page"] == 7
    assert all(type(p) is Products and isinstance(p, Mapping) and isinstance(p, dict) for p in page)
    one = api.v3.Products.get(page[0].id)
    assert type(one) is Products and one.name == one["name"] == page[0]["name"]
    assert one.meta == {} or isinstance(one.meta, dict)
    assert dict(one) == dict(page[0]) and one.connection is api.connection
    assert api.Products.get(one.id)["name"] == one.name  # the same record through v2


def test_filters_and_include_are_passed_through(shop):
    store, api = shop
    ids = [p.id for p in api.v3.Products.all(limit=5)]
    before = len(store.requests)
    found = api.v3.Products.all(
        **{"id:in": ids[:3], "price:min": 0}, include="variants,images", include_fields=["name", "price"]
    )
    request = store.requests[before]
    assert request.query == {
        "id:in": ",".join(map(str, ids[:3])),
        "price:min": "0",
        "include": "variants,images",
        "include_fields": "name,price",
    }
    assert sorted(p.id for p in found) == sorted(ids[:3])
    before = len(store.requests)
    slim = api.v3.Products.all(**{"name:like": "a"}, exclude_fields="description", is_visible=True, limit=3)
    assert store.requests[before].query == {
        "name:like": "a",
        "exclude_fields": "description",
        "is_visible": "true",
        "limit": "3",
    }
    assert slim  # (the sandbox does not apply exclude_fields; what is checked here is what was sent)


@pytest.mark.parametrize("concurrency", [1, 4])
def test_page_pagination_with_and_without_concurrency(shop, concurrency):
    store, api = shop
    expected = [p["id"] for p in api.v3.get("catalog/products", limit=250)["data"]]
    before = len(store.requests)
    seen = list(api.v3.Products.iterall(limit=25, concurrency=concurrency, **{"id:min": 1}))
    assert [p.id for p in seen] == expected and all(type(p) is Products for p in seen)
    pages = [r for r in store.requests[before:] if r.path == V3 + "catalog/products"]
    assert sorted(r.query.get("page", "1") for r in pages) == sorted(str(n) for n in range(1, 6))
    assert all(r.query["limit"] == "25" and r.query["id:min"] == "1" for r in pages)  # filters kept


def test_concurrency_must_be_a_whole_number(shop):
    _, api = shop
    with pytest.raises(ValueError, match="concurrency"):
        list(api.v3.Products.iterall(concurrency=0))


@pytest.mark.parametrize("concurrency", [1, 3])
def test_cursor_pagination(store, api, concurrency):
    ids = store.add_products(4)
    fields = [
        {
            "resource_id": ids[i % 4],
            "namespace": "app",
            "key": f"k{i:03d}",
            "value": str(i),
            "permission_set": "app_only",
        }
        for i in range(120)
    ]
    created = api.v3.ProductsMetafields.batch_create(fields)
    assert len(created) == 120 and len(sent(store, "POST", "catalog/products/metafields")) == 3  # 50 a request
    store.clear_requests()
    seen = list(api.v3.ProductsMetafields.iterall(limit=40, concurrency=concurrency))
    assert [m["key"] for m in seen] == [f"k{i:03d}" for i in range(120)]
    pages = sent(store, "GET", "catalog/products/metafields")
    assert pages[0].query == {"limit": "40"} and all("after" in r.query for r in pages[1:])


def test_batch_update_is_chunked_at_the_tables_size(store, api):
    ids = store.add_products(23)
    store.clear_requests()
    result = api.v3.Products.batch_update([{"id": i, "price": 5} for i in ids])
    puts = sent(store, "PUT", "catalog/products")
    assert [len(r.json) for r in puts] == [10, 10, 3]  # Products: 10 a request
    assert isinstance(result, V3List) and [p.id for p in result] == ids and all(type(p) is Products for p in result)
    store.add_products(60)
    variants = list(api.v3.Variants.iterall(limit=250))[:60]
    assert len(variants) == 60
    store.clear_requests()
    updated = api.v3.Variants.batch_update([{"id": v.id, "price": 3} for v in variants])
    assert [len(r.json) for r in sent(store, "PUT", "catalog/variants")] == [50, len(variants) - 50]
    assert all(type(v) is Variants and isinstance(v, ProductVariants) for v in updated)


def test_207_partial_success_keeps_what_was_applied(store, api):
    created = api.v3.Customers.batch_create(
        [{"email": f"p{i:02d}@example.com", "first_name": "P", "last_name": str(i)} for i in range(12)]
    )
    assert [type(c) for c in created] == [Customers] * 12
    updates = [{"id": c.id, "company": "Acme"} for c in created]
    updates[11]["id"] = 99999
    with pytest.raises(PartialSuccess) as info:
        api.v3.Customers.batch_update(updates)
    assert info.value.status_code == 207
    assert len(info.value.data) == 11 and all(type(c) is Customers for c in info.value.data)
    assert len(info.value.errors) == 1 and info.value.meta == {"total": 12, "success": 11, "failed": 1}
    assert [len(r.json) for r in sent(store, "PUT", "customers")] == [10, 2]


def test_422_field_errors_are_in_the_exception(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.v3.Products.create(name="No type", price="cheap")
    assert info.value.status_code == 422
    assert "type" in str(info.value) and isinstance(info.value.errors, dict) and info.value.errors["errors"]


def test_sub_resource_helpers(store, api):
    ids = store.add_products(2)
    product = api.v3.Products.get(ids[0])
    made = api.v3.ProductVariants.create(product.id, sku="HELPER-1", price=3, option_values=[])
    assert type(made) is ProductVariants and made.parent_ids == (product.id,)
    variants = product.variants()
    assert variants and all(type(v) is ProductVariants and v.product_id == product.id for v in variants)
    assert product.variants(variants[0].id) == variants[0]
    assert product.variants(variants[0].id).parent_ids == (product.id,)
    api.v3.ProductVariantMetafields.create(
        product.id, variants[0].id, namespace="n", key="k", value="v", permission_set="app_only"
    )
    assert [m["key"] for m in variants[0].metafields()] == ["k"]
    # a variant listed store-wide knows its product from its payload
    anywhere = next(v for v in api.v3.Variants.iterall(limit=250) if v.id == variants[0].id)
    assert [m["key"] for m in anywhere.metafields()] == ["k"]
    included = api.v3.Products.get(ids[0], include="variants")
    if "variants" not in included:
        pytest.skip("sandbox does not serve include= yet")
    assert [v["id"] for v in included["variants"]] == [v.id for v in variants]  # the payload stays data


def test_calls_refused_before_anything_is_sent(store, api):
    store.clear_requests()
    with pytest.raises(TypeError, match="no batch_create"):
        api.v3.Products.batch_create([{}])
    with pytest.raises(TypeError, match="1 id"):
        api.v3.ProductVariants.all()
    with pytest.raises(TypeError, match="2 id"):
        api.v3.ProductVariants.get(1)
    with pytest.raises(TypeError, match="1 id"):
        api.v3.ProductVariants.iterall()  # at the call, not at the first item
    with pytest.raises(ValueError, match="not a valid"):
        api.v3.Products.get("../customers")
    with pytest.raises(TypeError, match="a list"):
        api.v3.Products.batch_update({"id": 1})
    with pytest.raises(TypeError, match="no action"):
        api.v3.Products.action("nope")
    assert store.requests == []
    assert "batch_create" not in dir(api.v3.Products) and "batch_update" in dir(api.v3.Products)
    assert "capture" in dir(api.v3.OrderPaymentActions)
    assert repr(api.v3.Products) == "<v3 Products at catalog/products>"
    import pydoc

    page = pydoc.render_doc(api.v3.PriceListRecords)
    assert (
        "one variant's prices in one currency" in page
        and "batch_update: PUT /pricelists/{price_list_id}/records" in page
    )
    v3 = api.v3
    assert v3.Products is v3.Products  # bound once per client


def test_the_path_client_is_still_there(store, api):
    store.add_products(2)
    assert api.v3.get("catalog/products")["meta"]["pagination"]["total"] == 2
    assert isinstance(api.v3.Products.get(1), V3Resource)


def test_the_docs_page_lists_every_resource():
    from pathlib import Path

    from bigcommerce.v3 import V3_REGISTRY

    page = (Path(__file__).resolve().parent.parent / "docs" / "v3.rst").read_text(encoding="utf-8")
    missing = sorted(name for name in V3_REGISTRY if f"``{name}``" not in page)
    assert not missing, f"docs/v3.rst does not list {missing}"


# -- pure parts: how ids become paths, and what an envelope gives -----------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bigcommerce.v3.resource import _fill, _unwrap  # noqa: E402

SAFE_ID = st.one_of(st.integers(min_value=0, max_value=10**12), st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True))


@given(st.lists(SAFE_ID, min_size=1, max_size=4))
def test_ids_fill_their_placeholders_in_order(ids):
    template = "/".join(f"a{i}/{{p{i}}}" for i in range(len(ids)))
    path = _fill(template, ids, "test")
    assert path.split("/")[1::2] == [str(i) for i in ids]


@given(
    st.text(min_size=1, max_size=12).filter(lambda t: not all(c.isalnum() or c in "-_" for c in t) or not t.isascii())
)
def test_an_id_that_could_climb_or_split_the_path_is_refused(bad):
    with pytest.raises(ValueError):
        _fill("catalog/products/{product_id}", [bad], "test")


@given(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=3))
def test_a_wrong_number_of_ids_is_a_type_error(wanted, given_):
    template = "/".join(f"x/{{p{i}}}" for i in range(wanted)) or "x"
    if wanted == given_:
        assert _fill(template, list(range(given_)), "t").count("/") == max(0, 2 * wanted - 1)
    else:
        with pytest.raises(TypeError, match=f"takes {wanted} id"):
            _fill(template, list(range(given_)), "t")


@given(st.one_of(st.none(), st.lists(st.integers()), st.dictionaries(st.text(max_size=5), st.integers())))
def test_unwrap_opens_envelopes_and_leaves_the_rest(body):
    data, meta = _unwrap({"data": body, "meta": {"pagination": {}}})
    assert data == body and meta == {"pagination": {}}
    if not (isinstance(body, dict) and "data" in body):
        assert _unwrap(body) == (body, None)


def test_objects_copy_and_pickle_as_v2_objects_do(store, api):
    import copy
    import pickle

    ids = store.add_products(1)
    variant = api.v3.ProductVariants.create(ids[0], sku="COPY-1", price=2, option_values=[])
    for clone in (copy.copy(variant), copy.deepcopy(variant)):
        assert type(clone) is ProductVariants and clone == variant and clone.parent_ids == (ids[0],)
    revived = pickle.loads(pickle.dumps(variant))
    assert type(revived) is ProductVariants and dict(revived) == dict(variant)
    assert "sandbox-token" not in repr(variant)
    assert repr(variant).startswith(f"<ProductVariants id={variant.id} at 0x") and "'sku': 'COPY-1'" in repr(variant)


def test_objects_update_and_delete_themselves_like_v2_objects(store, api):
    ids = store.add_products(3)
    product = api.v3.Products.get(ids[0])
    store.clear_requests()
    returned = product.update(price=42.5)
    assert [(r.method, r.path, r.json) for r in store.requests] == [
        ("PUT", f"{V3}catalog/products/{ids[0]}", {"price": 42.5})
    ]
    assert product.price == 42.5 and type(returned) is Products and api.Products.get(ids[0]).price == "42.5000"
    # a variant listed store-wide is written through its product's path
    variant = api.v3.ProductVariants.create(ids[1], sku="SELF-1", price=3, option_values=[])
    anywhere = next(v for v in api.v3.Variants.iterall(limit=250) if v.id == variant.id)
    store.clear_requests()
    anywhere.update(price=4)
    assert store.requests[0].path == f"{V3}catalog/products/{ids[1]}/variants/{variant.id}"
    # a price record is named by its variant and currency
    wholesale = api.v3.PriceLists.create(name="Self", active=True)
    api.v3.PriceListRecords.batch_update(wholesale.id, [{"variant_id": variant.id, "currency": "usd", "price": 2}])
    record = wholesale.records()[0]
    store.clear_requests()
    record.update(price=1.5)
    assert store.requests[0].path.lower() == f"{V3}pricelists/{wholesale.id}/records/{variant.id}/usd"
    assert api.v3.PriceListRecords.get(wholesale.id, variant.id, "USD").price == 1.5
    variant.delete()
    assert variant.id not in [v.id for v in api.v3.ProductVariants.all(ids[1])]
    customer = api.v3.Customers.batch_create([{"email": "self@example.com", "first_name": "S", "last_name": "F"}])[0]
    with pytest.raises(TypeError, match="batch_update"):
        customer.update(company="Acme")  # v3 customers are written in batches only
    with pytest.raises(TypeError, match="no connection"):
        Products({"id": 1}).update(price=1)
