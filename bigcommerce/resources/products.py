"""Products and their sub-resources."""
from bigcommerce.resources.base import (
    CollectionDeleteableApiSubResource as SubCollectionDeleteable,
    CountableApiSubResource as SubCountable,
    DeleteableApiSubResource as SubDeleteable,
    FullApiResource as Full,
    FullApiSubResource as SubFull,
    ListableApiSubResource as SubListable,
    subresource,
)


class Products(Full):
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


class ProductImages(_ProductChild, SubFull):
    resource_name = "images"


class ProductVideos(_ProductChild, SubFull):
    resource_name = "videos"


class ProductSkus(_ProductChild, SubFull):
    resource_name = "skus"


class ProductRules(_ProductChild, SubFull):
    resource_name = "rules"


class ProductDiscountRules(_ProductChild, SubFull):
    resource_name = "discount_rules"


class ProductCustomFields(_ProductChild, SubFull):
    resource_name = "custom_fields"


class ProductConfigurableFields(_ProductChild, SubListable, SubDeleteable, SubCollectionDeleteable,
                                SubCountable):
    resource_name = "configurable_fields"


class ProductOptions(_ProductChild, SubListable, SubDeleteable):
    """The options of a product. Deleteable because the classic README does
    ``api.Products.get(1).options(1).delete()``."""

    resource_name = "options"


class ProductReviews(_ProductChild, SubFull):
    resource_name = "reviews"


class GoogleProductSearchMappings(_ProductChild, SubListable):
    resource_name = "googleproductsearch"
