"""Create a product, add a custom field, update it, see an error, then delete it.

    python examples/manage_product.py

Against a real store (BIGCOMMERCE_* variables set) this creates one product named
"Example product (bigcommerce-api)" and deletes it again at the end. Without credentials it runs on
a sandbox store (see connect.py).
"""

from decimal import Decimal

from connect import store_api

from bigcommerce.exception import ClientRequestException

NAME = "Example product (bigcommerce-api)"


def main():
    with store_api() as api:
        category = api.Categories.all(limit=1)[0]
        product = api.Products.create(
            name=NAME, type="physical", price="19.90", weight="1.2", categories=[category.id], availability="available"
        )
        print(f"created product {product.id}: {product.name} at {Decimal(product.price):.2f}")
        try:
            api.ProductCustomFields.create(product.id, name="Material", text="Oak")
            product.update(price="17.50", inventory_level=12, inventory_tracking="simple")
            print(f"updated price to {Decimal(product.price):.2f}, stock {product.inventory_level}")
            print("custom fields:", ", ".join(f"{f.name}={f.text}" for f in product.custom_fields()))

            # A second product with the same name is refused with 409 Conflict.
            try:
                api.Products.create(
                    name=NAME,
                    type="physical",
                    price="1",
                    weight="1",
                    categories=[category.id],
                    availability="available",
                )
            except ClientRequestException as error:
                print(f"duplicate refused: HTTP {error.status_code}")
        finally:
            product.delete()
            print(f"deleted product {product.id}")
        try:
            api.Products.get(product.id)
        except ClientRequestException as error:
            print(f"reading it again: HTTP {error.status_code} {error.errors[0]['message']}")


if __name__ == "__main__":
    main()
