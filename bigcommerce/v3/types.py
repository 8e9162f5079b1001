"""Payload types of the main v3 objects, for annotations: ``TypedDict``s with ``total=False``.

They describe the documented fields (every key optional: a create sends few, ``include_fields``
returns few) and cost nothing at run time: the objects the client returns stay plain ``dict``
subclasses (:class:`bigcommerce.v3.resource.V3Resource`), so a payload can be checked against these
by mypy where it is built::

    from bigcommerce.v3.types import Variant

    change: Variant = {"id": 7, "price": 9.5}
    api.v3.Variants.batch_update([change])
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, TypedDict

__all__ = [
    "CustomUrl",
    "Product",
    "Variant",
    "OptionValue",
    "ProductOption",
    "ProductImage",
    "Category",
    "CategoryTreeNode",
    "Brand",
    "Customer",
    "Address",
    "Metafield",
    "PriceList",
    "PriceListRecord",
    "PriceListAssignment",
    "Webhook",
    "Pagination",
    "Meta",
]


class CustomUrl(TypedDict, total=False):
    url: str
    is_customized: bool


class OptionValue(TypedDict, total=False):
    """A variant's value of one option (``{"option_display_name": "Size", "label": "Small"}``)."""

    id: int
    label: str
    option_id: int
    option_display_name: str


class Variant(TypedDict, total=False):
    id: int
    product_id: int
    sku: str
    sku_id: Optional[int]  # null for a product's base variant
    price: float
    sale_price: float
    retail_price: float
    map_price: float
    cost_price: float
    calculated_price: float
    weight: float
    calculated_weight: float
    width: float
    height: float
    depth: float
    is_free_shipping: bool
    fixed_cost_shipping_price: float
    purchasing_disabled: bool
    purchasing_disabled_message: str
    image_url: str
    upc: str
    mpn: str
    gtin: str
    inventory_level: int
    inventory_warning_level: int
    bin_picking_number: str
    option_values: List[OptionValue]


class ProductImage(TypedDict, total=False):
    id: int
    product_id: int
    image_url: str
    is_thumbnail: bool
    sort_order: int
    description: str
    url_zoom: str
    url_standard: str
    url_thumbnail: str
    url_tiny: str
    date_modified: str


class ProductOption(TypedDict, total=False):
    id: int
    product_id: int
    display_name: str
    type: str
    sort_order: int
    config: Dict[str, Any]
    option_values: List[Dict[str, Any]]


class Product(TypedDict, total=False):
    id: int
    name: str
    type: str
    sku: str
    description: str
    weight: float
    width: float
    depth: float
    height: float
    price: float
    cost_price: float
    retail_price: float
    sale_price: float
    map_price: float
    calculated_price: float
    tax_class_id: int
    product_tax_code: str
    categories: List[int]
    brand_id: int
    inventory_level: int
    inventory_warning_level: int
    inventory_tracking: str
    is_free_shipping: bool
    fixed_cost_shipping_price: float
    is_visible: bool
    is_featured: bool
    related_products: List[int]
    warranty: str
    availability: str
    availability_description: str
    condition: str
    sort_order: int
    page_title: str
    meta_keywords: List[str]
    meta_description: str
    search_keywords: str
    upc: str
    mpn: str
    gtin: str
    custom_url: CustomUrl
    total_sold: int
    reviews_count: int
    reviews_rating_sum: int
    view_count: int
    base_variant_id: Optional[int]  # null for a product with option variants
    date_created: str
    date_modified: str
    variants: List[Variant]
    images: List[ProductImage]
    options: List[ProductOption]
    modifiers: List[Dict[str, Any]]
    custom_fields: List[Dict[str, Any]]
    bulk_pricing_rules: List[Dict[str, Any]]
    videos: List[Dict[str, Any]]
    primary_image: ProductImage


class Category(TypedDict, total=False):
    id: int
    parent_id: int
    name: str
    description: str
    views: int
    sort_order: int
    page_title: str
    search_keywords: str
    meta_keywords: List[str]
    meta_description: str
    layout_file: str
    is_visible: bool
    default_product_sort: str
    image_url: str
    custom_url: CustomUrl


class CategoryTreeNode(TypedDict, total=False):
    """One node of ``CategoryTreeCategories.all(tree_id)``: a category and its ``children``."""

    id: int
    parent_id: int
    name: str
    is_visible: bool
    depth: int
    path: List[int]
    url: str
    children: List["CategoryTreeNode"]


class Brand(TypedDict, total=False):
    id: int
    name: str
    page_title: str
    meta_keywords: List[str]
    meta_description: str
    search_keywords: str
    image_url: str
    custom_url: CustomUrl


class Address(TypedDict, total=False):
    id: int
    customer_id: int
    first_name: str
    last_name: str
    company: str
    address1: str
    address2: str
    city: str
    state_or_province: str
    postal_code: str
    country_code: str
    country: str
    phone: str
    address_type: str


class Customer(TypedDict, total=False):
    id: int
    email: str
    first_name: str
    last_name: str
    company: str
    phone: str
    notes: str
    tax_exempt_category: str
    customer_group_id: int
    registration_ip_address: str
    date_created: str
    date_modified: str
    address_count: int
    attribute_count: int
    addresses: List[Address]
    attributes: List[Dict[str, Any]]
    form_fields: List[Dict[str, Any]]
    authentication: Dict[str, Any]
    accepts_product_review_abandoned_cart_emails: bool
    origin_channel_id: int
    channel_ids: List[int]


class Metafield(TypedDict, total=False):
    id: int
    key: str
    value: str
    namespace: str
    permission_set: str
    description: str
    resource_type: str
    resource_id: int
    date_created: str
    date_modified: str


class PriceList(TypedDict, total=False):
    id: int
    name: str
    active: bool
    date_created: str
    date_modified: str


class PriceListRecord(TypedDict, total=False):
    price_list_id: int
    variant_id: int
    product_id: int
    sku: str
    currency: str
    price: float
    sale_price: float
    retail_price: float
    map_price: float
    calculated_price: float
    bulk_pricing_tiers: List[Dict[str, Any]]


class PriceListAssignment(TypedDict, total=False):
    id: int
    price_list_id: int
    customer_group_id: int
    channel_id: int


class Webhook(TypedDict, total=False):
    id: int
    client_id: str
    store_hash: str
    scope: str
    destination: str
    is_active: bool
    headers: Dict[str, str]
    created_at: int
    updated_at: int


class Pagination(TypedDict, total=False):
    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int
    links: Dict[str, str]


class Meta(TypedDict, total=False):
    """The ``meta`` of a list answer (``V3List.meta``)."""

    pagination: Pagination
    cursor_pagination: Dict[str, Any]
