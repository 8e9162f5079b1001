"""Products and their sub-resources."""

from bigcommerce.resources.base import (
    CollectionDeleteableApiSubResource,
    CountableApiSubResource,
    DeleteableApiSubResource,
    FullApiResource,
    FullApiSubResource,
    ListableApiSubResource,
    subresource,
)


class Products(FullApiResource):
    resource_name = "products"

    images = subresource("ProductImages")
    videos = subresource("ProductVideos")
    skus = subresource("ProductSkus")
    rules = subresource("ProductRules")
    discount_rules = subresource("ProductDiscountRules")
    custom_fields = subresource("ProductCustomFields")
    configurable_fields = subresource("ProductConfigurableFields")
    options = subresource("ProductOptions")
    reviews = subresource("ProductReviews")
    google_mappings = subresource("GoogleProductSearchMappings")  # the classic client's name
    google_product_search = subresource("GoogleProductSearchMappings")


class _ProductChild:
    __slots__ = ()
    parent_resource = "products"
    parent_key = "product_id"


class ProductImages(_ProductChild, FullApiSubResource):
    resource_name = "images"


class ProductVideos(_ProductChild, FullApiSubResource):
    resource_name = "videos"


class ProductSkus(_ProductChild, FullApiSubResource):
    resource_name = "skus"


class ProductRules(_ProductChild, FullApiSubResource):
    resource_name = "rules"


class ProductDiscountRules(_ProductChild, FullApiSubResource):
    resource_name = "discount_rules"


class ProductCustomFields(_ProductChild, FullApiSubResource):
    resource_name = "custom_fields"


class ProductConfigurableFields(
    _ProductChild,
    ListableApiSubResource,
    DeleteableApiSubResource,
    CollectionDeleteableApiSubResource,
    CountableApiSubResource,
):
    resource_name = "configurable_fields"


class ProductOptions(_ProductChild, ListableApiSubResource, DeleteableApiSubResource):
    """The options of a product. Deleteable because the classic README does
    ``api.Products.get(1).options(1).delete()``."""

    resource_name = "options"


class ProductReviews(_ProductChild, FullApiSubResource):
    resource_name = "reviews"


class GoogleProductSearchMappings(_ProductChild, ListableApiSubResource):
    resource_name = "googleproductsearch"
