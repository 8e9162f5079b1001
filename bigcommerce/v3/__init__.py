"""The v3 REST API of a store: resources declared as tables, over the same transport as v2.

``api.v3`` is a :class:`V3Client`. Its resources are attributes named after their v3 path (see
docs/v3.rst for the naming rule)::

    product = api.v3.Products.get(1, include="variants")      # a bigcommerce.v3.catalog.Products
    for variant in api.v3.ProductVariants.iterall(product.id):
        ...
    api.v3.Variants.batch_update([{"id": 7, "price": 9.5}, ...])   # 50 a request, 207 -> PartialSuccess

and the path client underneath stays available (``api.v3.get("catalog/products")``, see
:class:`bigcommerce.v3.core.PathClient`). Every request goes through ``PathClient._send``, the one
place where v3 answers (envelopes, v3 error bodies, 207s) are interpreted.
"""

from __future__ import annotations

from bigcommerce.v3 import catalog, customers, inventory, orders, pricelists, webhooks
from bigcommerce.v3.core import (
    BATCH_LIMITS,
    DEFAULT_BATCH_SIZE,
    DELETE_BATCH_SIZE,
    PartialSuccess,
    PathClient,
    v3_error_message,
)
from bigcommerce.v3.resource import V3_REGISTRY, Bound, Table, V3List, V3Resource, bound

__all__ = [
    "V3Client",
    "PartialSuccess",
    "v3_error_message",
    "BATCH_LIMITS",
    "DEFAULT_BATCH_SIZE",
    "DELETE_BATCH_SIZE",
    "V3Resource",
    "V3List",
    "Bound",
    "Table",
    "V3_REGISTRY",
    "PathClient",
]

# The path client's batch sizes come from the tables too: one number per endpoint, in one place.
BATCH_LIMITS.update(
    {
        resource.v3.path: resource.v3.batch_size
        for resource in V3_REGISTRY.values()
        if "{" not in resource.v3.path and {"batch_create", "batch_update"} & resource.v3.ops
    }
)


class V3Client(PathClient):
    """The v3 REST API of one store: the path client plus one attribute per resource.

    Build it from an OAuth connection (``api.v3`` does). ``api.v3.Products`` is a
    :class:`~bigcommerce.v3.resource.Bound` of :class:`bigcommerce.v3.catalog.Products`.
    """

    # -- catalog
    Products = bound(catalog.Products)
    ProductImages = bound(catalog.ProductImages)
    ProductVideos = bound(catalog.ProductVideos)
    ProductComplexRules = bound(catalog.ProductComplexRules)
    ProductCustomFields = bound(catalog.ProductCustomFields)
    ProductBulkPricingRules = bound(catalog.ProductBulkPricingRules)
    ProductMetafields = bound(catalog.ProductMetafields)
    ProductReviews = bound(catalog.ProductReviews)
    ProductsMetafields = bound(catalog.ProductsMetafields)
    ProductsChannelAssignments = bound(catalog.ProductsChannelAssignments)
    ProductsCategoryAssignments = bound(catalog.ProductsCategoryAssignments)
    CatalogSummary = bound(catalog.CatalogSummary)
    ProductVariants = bound(catalog.ProductVariants)
    ProductVariantMetafields = bound(catalog.ProductVariantMetafields)
    Variants = bound(catalog.Variants)
    VariantsMetafields = bound(catalog.VariantsMetafields)
    ProductOptions = bound(catalog.ProductOptions)
    ProductOptionValues = bound(catalog.ProductOptionValues)
    ProductModifiers = bound(catalog.ProductModifiers)
    ProductModifierValues = bound(catalog.ProductModifierValues)
    Brands = bound(catalog.Brands)
    BrandMetafields = bound(catalog.BrandMetafields)
    BrandsMetafields = bound(catalog.BrandsMetafields)
    Categories = bound(catalog.Categories)
    CategoryMetafields = bound(catalog.CategoryMetafields)
    CategoriesMetafields = bound(catalog.CategoriesMetafields)
    CategoryProductsSortOrder = bound(catalog.CategoryProductsSortOrder)
    CategoryTrees = bound(catalog.CategoryTrees)
    CategoryTreeCategories = bound(catalog.CategoryTreeCategories)
    CategoryTreesCategories = bound(catalog.CategoryTreesCategories)
    # -- customers
    Customers = bound(customers.Customers)
    CustomersAddresses = bound(customers.CustomersAddresses)
    CustomersAttributes = bound(customers.CustomersAttributes)
    CustomersAttributeValues = bound(customers.CustomersAttributeValues)
    CustomersFormFieldValues = bound(customers.CustomersFormFieldValues)
    CustomerConsent = bound(customers.CustomerConsent)
    CustomerStoredInstruments = bound(customers.CustomerStoredInstruments)
    CustomerMetafields = bound(customers.CustomerMetafields)
    CustomersMetafields = bound(customers.CustomersMetafields)
    CustomersSettings = bound(customers.CustomersSettings)
    CustomersSettingsChannels = bound(customers.CustomersSettingsChannels)
    # -- orders
    OrderPaymentActions = bound(orders.OrderPaymentActions)
    OrderTransactions = bound(orders.OrderTransactions)
    OrderRefundQuotes = bound(orders.OrderRefundQuotes)
    OrderRefunds = bound(orders.OrderRefunds)
    OrdersRefunds = bound(orders.OrdersRefunds)
    OrderMetafields = bound(orders.OrderMetafields)
    OrdersMetafields = bound(orders.OrdersMetafields)
    OrdersSettings = bound(orders.OrdersSettings)
    OrdersSettingsChannels = bound(orders.OrdersSettingsChannels)
    # -- pricelists
    PriceLists = bound(pricelists.PriceLists)
    PriceListRecords = bound(pricelists.PriceListRecords)
    PriceListVariantRecords = bound(pricelists.PriceListVariantRecords)
    PriceListsRecords = bound(pricelists.PriceListsRecords)
    PriceListAssignments = bound(pricelists.PriceListAssignments)
    PriceListsAssignments = bound(pricelists.PriceListsAssignments)
    # -- inventory
    InventoryAdjustments = bound(inventory.InventoryAdjustments)
    InventoryItems = bound(inventory.InventoryItems)
    InventoryLocationItems = bound(inventory.InventoryLocationItems)
    # -- webhooks
    Webhooks = bound(webhooks.Webhooks)
    WebhooksAdmin = bound(webhooks.WebhooksAdmin)
