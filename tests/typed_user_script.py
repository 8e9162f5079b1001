# ruff: noqa: F821 - reveal_type is mypy's, and this part of the script is only type-checked
"""A user's script, type-checked by tests/test_typed_user.py with ``mypy --strict``.

Each ``reveal_type`` line ends with the type mypy must reveal (``# expect: ...``). The script runs
too (``python tests/typed_user_script.py``): the checks sit under ``TYPE_CHECKING`` and nothing is
sent, so it needs no store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, cast

from bigcommerce import types
from bigcommerce.api import BigcommerceApi
from bigcommerce.resources import Customers, ProductImages, Products, Store


def cheapest(products: Iterator[Products]) -> Optional[Products]:
    best: Optional[Products] = None
    for product in products:
        if best is None or float(product["price"]) < float(best["price"]):
            best = product
    return best


def names(products: List[Products]) -> Dict[int, str]:
    return {int(p["id"]): str(p["name"]) for p in products}


def new_product_fields() -> types.Product:
    return {"name": "Tea", "type": "physical", "price": "5.00", "weight": "1", "categories": [1]}


api = BigcommerceApi(client_id="client", store_hash="abc123", access_token="token")

if TYPE_CHECKING:
    product = api.Products.get(1)
    reveal_type(product)  # expect: bigcommerce.resources.products.Products
    reveal_type(api.Products.all(is_visible=True))  # expect: list[bigcommerce.resources.products.Products]
    reveal_type(api.Products.iterall())  # expect: typing.Iterator[bigcommerce.resources.products.Products]
    reveal_type(api.Products.count())  # expect: int
    reveal_type(api.Products.create(**new_product_fields()))  # expect: bigcommerce.resources.products.Products
    reveal_type(product.update(name="Green tea"))  # expect: bigcommerce.resources.products.Products | None
    reveal_type(api.ProductImages.get(1, 2))  # expect: bigcommerce.resources.products.ProductImages
    reveal_type(api.ProductImages.get(1))  # expect: list[bigcommerce.resources.products.ProductImages]
    reveal_type(api.ProductSkus.all(sku="ABC-1"))  # expect: list[bigcommerce.resources.products.ProductSkus]
    reveal_type(api.ProductImages.count())  # expect: int
    reveal_type(api.Store.all())  # expect: bigcommerce.resources.store.Store | None
    reveal_type(api.OrderConsignments.get(1))  # expect: bigcommerce.resources.orders.OrderConsignments | None
    reveal_type(api.OrderShippingQuotes.get(1, 2))  # expect: bigcommerce.resources.orders.OrderShippingQuotes | None
    reveal_type(api.Customers.validate_password(1, "secret"))  # expect: bool
    walk = api.Orders.iterall(concurrency=4, status_id=2)
    reveal_type(walk)  # expect: typing.Iterator[bigcommerce.resources.orders.Orders]
    reveal_type(cast(types.Product, product)["price"])  # expect: str
    reveal_type(cast(types.Order, api.Orders.get(1))["billing_address"]["city"])  # expect: str

    best = cheapest(api.Products.iterall())
    listed = names(api.Products.all())
    images: List[ProductImages] = api.ProductImages.all(1)
    store: Optional[Store] = api.Store.get()
    customers: List[Customers] = api.Customers.all(limit=5)
    assert isinstance(product, dict)  # objects are dicts at run time

print(type(api.Products).__name__)
