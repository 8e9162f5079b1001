"""v3 catalog: products and everything under them, variants, options, modifiers, brands, categories
and category trees. One row per path; see :mod:`bigcommerce.v3.resource` for what the operations do.

Batch sizes are the documented ones: 10 products per ``PUT catalog/products``, 50 variants per
``PUT catalog/variants``, 50 trees per ``PUT catalog/trees``, at most 250 product ids per delete;
metafield batches take 50 (what the store enforces; the reference gives no number) and other
batches the common 10.
"""

from __future__ import annotations

from bigcommerce.v3.resource import Action, Table, V3Resource, children, store_metafields

__all__ = [
    "Products",
    "ProductImages",
    "ProductVideos",
    "ProductComplexRules",
    "ProductCustomFields",
    "ProductBulkPricingRules",
    "ProductMetafields",
    "ProductReviews",
    "ProductsMetafields",
    "ProductsChannelAssignments",
    "ProductsCategoryAssignments",
    "CatalogSummary",
    "ProductVariants",
    "ProductVariantMetafields",
    "Variants",
    "VariantsMetafields",
    "ProductOptions",
    "ProductOptionValues",
    "ProductModifiers",
    "ProductModifierValues",
    "Brands",
    "BrandMetafields",
    "BrandsMetafields",
    "Categories",
    "CategoryMetafields",
    "CategoriesMetafields",
    "CategoryProductsSortOrder",
    "CategoryTrees",
    "CategoryTreeCategories",
    "CategoryTreesCategories",
]

CRUD = "all get create update delete"


# -- products and their sub-resources --------------------------------------------------------------


class Products(V3Resource):
    """A catalog product (v3 shape: numbers as numbers, ``include=`` sub-resources)."""

    __slots__ = ()
    v3 = Table(
        "catalog/products",
        "{product_id}",
        f"{CRUD} batch_update delete_all batch_delete",
        batch_size=10,
        delete_size=250,
    )
    variants = children("ProductVariants")
    images = children("ProductImages")
    videos = children("ProductVideos")
    options = children("ProductOptions")
    modifiers = children("ProductModifiers")
    custom_fields = children("ProductCustomFields")
    bulk_pricing_rules = children("ProductBulkPricingRules")
    complex_rules = children("ProductComplexRules")
    reviews = children("ProductReviews")
    metafields = children("ProductMetafields")


class ProductImages(V3Resource):
    """An image of a product (``create(product_id, image_url=...)``)."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/images", "{image_id}", CRUD)


class ProductVideos(V3Resource):
    """A (YouTube) video of a product."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/videos", "{id}", CRUD)


class ProductComplexRules(V3Resource):
    """A complex rule of a product (price, weight or purchasability by option values)."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/complex-rules", "{complex_rule_id}", CRUD)


class ProductCustomFields(V3Resource):
    """A custom field (name/value) of a product."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/custom-fields", "{custom_field_id}", CRUD)


class ProductBulkPricingRules(V3Resource):
    """A bulk (quantity) pricing rule of a product."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/bulk-pricing-rules", "{bulk_pricing_rule_id}", CRUD)


class ProductMetafields(V3Resource):
    """A metafield of one product."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/metafields", "{metafield_id}", CRUD)


class ProductReviews(V3Resource):
    """A review of a product."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/reviews", "{review_id}", CRUD)


class ProductsMetafields(V3Resource):
    """Product metafields store-wide: list them all, batch create, update and delete."""

    __slots__ = ()
    v3 = store_metafields("catalog/products/metafields")


class ProductsChannelAssignments(V3Resource):
    """Which products are on which channel (``batch_update`` assigns, ``delete_all`` removes)."""

    __slots__ = ()
    v3 = Table("catalog/products/channel-assignments", "", "all batch_update delete_all")


class ProductsCategoryAssignments(V3Resource):
    """Which products are in which category (``batch_update`` assigns, ``delete_all`` removes)."""

    __slots__ = ()
    v3 = Table("catalog/products/category-assignments", "", "all batch_update delete_all")


class CatalogSummary(V3Resource):
    """The catalog's summary (counts, inventory value...): ``get()``."""

    __slots__ = ()
    v3 = Table("catalog/summary", "", "get")


# -- variants ---------------------------------------------------------------------------------------


class ProductVariants(V3Resource):
    """A variant (SKU) of a product; ``upload_image(product_id, variant_id, image_file=...)``."""

    __slots__ = ()
    v3 = Table(
        "catalog/products/{product_id}/variants",
        "{variant_id}",
        CRUD,
        actions={"upload_image": Action("POST", "{variant_id}/image", multipart=True)},
    )
    metafields = children("ProductVariantMetafields")


class ProductVariantMetafields(V3Resource):
    """A metafield of one variant."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/variants/{variant_id}/metafields", "{metafield_id}", CRUD)


class Variants(ProductVariants):
    """Variants store-wide: list them all, batch update (50 a request)."""

    __slots__ = ()
    v3 = Table("catalog/variants", "", "all batch_update", batch_size=50)


class VariantsMetafields(V3Resource):
    """Variant metafields store-wide: list, batch create, update and delete."""

    __slots__ = ()
    v3 = store_metafields("catalog/variants/metafields")


# -- variant options and modifiers ------------------------------------------------------------------


class ProductOptions(V3Resource):
    """A variant option of a product (Size, Colour...)."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/options", "{option_id}", CRUD)
    values = children("ProductOptionValues")


class ProductOptionValues(V3Resource):
    """A value of a variant option (Small, Red...)."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/options/{option_id}/values", "{value_id}", CRUD)


class ProductModifiers(V3Resource):
    """A modifier of a product (an option that does not make variants: engraving text...)."""

    __slots__ = ()
    v3 = Table("catalog/products/{product_id}/modifiers", "{modifier_id}", CRUD)
    values = children("ProductModifierValues")


class ProductModifierValues(V3Resource):
    """A value of a modifier; ``upload_image(product_id, modifier_id, value_id, image_file=...)``."""

    __slots__ = ()
    v3 = Table(
        "catalog/products/{product_id}/modifiers/{modifier_id}/values",
        "{value_id}",
        CRUD,
        actions={"upload_image": Action("POST", "{value_id}/image", multipart=True)},
    )


# -- brands -----------------------------------------------------------------------------------------


class Brands(V3Resource):
    """A brand; ``upload_image(brand_id, image_file=...)``, ``delete_image(brand_id)``."""

    __slots__ = ()
    v3 = Table(
        "catalog/brands",
        "{brand_id}",
        f"{CRUD} delete_all",
        actions={
            "upload_image": Action("POST", "{brand_id}/image", multipart=True),
            "delete_image": Action("DELETE", "{brand_id}/image"),
        },
    )
    metafields = children("BrandMetafields")


class BrandMetafields(V3Resource):
    """A metafield of one brand."""

    __slots__ = ()
    v3 = Table("catalog/brands/{brand_id}/metafields", "{metafield_id}", CRUD)


class BrandsMetafields(V3Resource):
    """Brand metafields store-wide: list, batch create, update and delete."""

    __slots__ = ()
    v3 = store_metafields("catalog/brands/metafields")


# -- categories and trees ---------------------------------------------------------------------------


class Categories(V3Resource):
    """A category; ``upload_image(category_id, image_file=...)``, ``delete_image(category_id)``."""

    __slots__ = ()
    v3 = Table(
        "catalog/categories",
        "{category_id}",
        f"{CRUD} delete_all",
        actions={
            "upload_image": Action("POST", "{category_id}/image", multipart=True),
            "delete_image": Action("DELETE", "{category_id}/image"),
        },
    )
    metafields = children("CategoryMetafields")


class CategoryMetafields(V3Resource):
    """A metafield of one category."""

    __slots__ = ()
    v3 = Table("catalog/categories/{category_id}/metafields", "{metafield_id}", CRUD)


class CategoriesMetafields(V3Resource):
    """Category metafields store-wide: list, batch create, update and delete."""

    __slots__ = ()
    v3 = store_metafields("catalog/categories/metafields")


class CategoryProductsSortOrder(V3Resource):
    """The order of the products of one category: ``all(category_id)``, ``batch_update(category_id, [...])``."""

    __slots__ = ()
    v3 = Table("catalog/categories/{category_id}/products/sort-order", "", "all batch_update")


class CategoryTrees(V3Resource):
    """A category tree (one per channel): list, upsert (``batch_update``), delete."""

    __slots__ = ()
    v3 = Table("catalog/trees", "", "all batch_update delete_all", batch_size=50)
    categories = children("CategoryTreeCategories")


class CategoryTreeCategories(V3Resource):
    """The categories of one tree, nested (``children``): ``all(tree_id)``."""

    __slots__ = ()
    v3 = Table("catalog/trees/{tree_id}/categories", "", "all")


class CategoryTreesCategories(V3Resource):
    """Categories of every tree: list, batch create, batch update, delete by filter."""

    __slots__ = ()
    v3 = Table("catalog/trees/categories", "", "all batch_create batch_update delete_all")
