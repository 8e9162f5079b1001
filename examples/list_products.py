"""List a store's visible products in a price range, cheapest first within the page.

    python examples/list_products.py                 # products priced 10 to 50
    python examples/list_products.py 0 20            # MIN_PRICE MAX_PRICE

Uses the store in BIGCOMMERCE_* variables, or a sandbox store when none are set (see connect.py).
"""

import sys

from connect import store_api


def main(argv):
    min_price, max_price = (argv + ["10", "50"][len(argv) :])[:2]
    with store_api() as api:
        filters = {"is_visible": True, "min_price": min_price, "max_price": max_price}
        total = api.Products.count(**filters)
        page = api.Products.all(limit=20, **filters)
        print(f"{total} visible products priced {min_price} to {max_price}; the first {len(page)}:")
        print(f"{'id':>5}  {'price':>9}  {'stock':>5}  name")
        for product in sorted(page, key=lambda p: float(p.price)):
            print(f"{product.id:>5}  {float(product.price):>9.2f}  {product.inventory_level:>5}  {product.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
