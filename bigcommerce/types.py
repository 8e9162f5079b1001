"""Payload types: ``TypedDict`` classes (``total=False``) of the documented fields of the main v2 objects.

They are for annotations only; at run time objects stay plain ``dict`` subclasses
(:class:`bigcommerce.resources.Mapping`), with every key the server sent and no validation cost.
Money, decimals and dates come as strings, as the API sends them (``"572.2367"``). Two ways to use them::

    fields: Product = {"name": "Tea", "type": "physical", "price": "5.00", "weight": "1", "categories": [1]}
    created = api.Products.create(**fields)          # a Products object

    data = typing.cast(Product, api.Products.get(1))
    data["price"]                                    # str for the type checker

Fields were read from BigCommerce's published v2 reference (``Link`` fields are the
``{"url", "resource"}`` objects that point at a sub-resource).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, TypedDict

__all__ = [
    "Link",
    "PostalAddress",
    "Address",
    "Product",
    "Category",
    "Brand",
    "Order",
    "OrderProduct",
    "OrderShippingAddress",
    "Customer",
    "CustomerAddress",
    "Coupon",
    "ShippingZone",
]


class Link(TypedDict, total=False):
    """A pointer to a sub-resource, as the API embeds it: ``{"url": ..., "resource": "/products/1/images"}``."""

    url: str
    resource: str


class PostalAddress(TypedDict, total=False):
    """The fields every v2 address has (customers' addresses, orders' billing and shipping addresses)."""

    first_name: str
    last_name: str
    company: str
    street_1: str
    street_2: str
    city: str
    state: str
    zip: str
    country: str
    country_iso2: str
    phone: str


class Address(PostalAddress, total=False):
    """A billing address (of an order)."""

    email: str


class Product(TypedDict, total=False):
    """The documented fields of a product (``api.Products``); free-text fields may be ``None``."""

    id: int
    keyword_filter: Optional[str]
    name: str
    type: str
    sku: str
    description: Optional[str]
    search_keywords: Optional[str]
    availability_description: str
    price: str
    cost_price: str
    retail_price: str
    sale_price: str
    calculated_price: str
    sort_order: int
    is_visible: bool
    is_featured: bool
    related_products: str
    inventory_level: int
    inventory_warning_level: int
    warranty: Optional[str]
    weight: str
    width: str
    height: str
    depth: str
    fixed_cost_shipping_price: str
    is_free_shipping: bool
    inventory_tracking: str
    rating_total: int
    rating_count: int
    total_sold: int
    date_created: str
    brand_id: int
    view_count: int
    page_title: str
    meta_keywords: Optional[str]
    meta_description: Optional[str]
    layout_file: str
    is_price_hidden: bool
    price_hidden_label: str
    categories: List[int]
    date_modified: str
    event_date_field_name: str
    event_date_type: str
    event_date_start: str
    event_date_end: str
    myob_asset_account: str
    myob_income_account: str
    myob_expense_account: str
    peachtree_gl_account: str
    condition: str
    is_condition_shown: bool
    preorder_release_date: str
    is_preorder_only: bool
    preorder_message: str
    order_quantity_minimum: int
    order_quantity_maximum: int
    open_graph_type: str
    open_graph_title: str
    open_graph_description: Optional[str]
    is_open_graph_thumbnail: bool
    upc: str
    date_last_imported: str
    option_set_id: int
    tax_class_id: int
    option_set_display: str
    bin_picking_number: str
    custom_url: str
    primary_image: Dict[str, Any]
    availability: str
    brand: Link
    downloads: Link
    images: Link
    discount_rules: Link
    configurable_fields: Link
    custom_fields: Link
    videos: Link
    skus: Link
    rules: Link
    option_set: Link
    options: Link
    tax_class: Link
    avalara_product_tax_code: Link


class Category(TypedDict, total=False):
    """The documented fields of a category (``api.Categories``)."""

    id: int
    parent_id: int
    name: str
    description: str
    sort_order: int
    page_title: str
    meta_keywords: str
    meta_description: str
    layout_file: str
    parent_category_list: List[int]
    image_file: str
    is_visible: bool
    search_keywords: str
    url: str


class Brand(TypedDict, total=False):
    """The documented fields of a brand (``api.Brands``)."""

    id: int
    name: str
    page_title: str
    meta_keywords: str
    meta_description: str
    image_file: str


class Order(TypedDict, total=False):
    """The documented fields of an order (``api.Orders``)."""

    id: int
    date_modified: str
    date_shipped: str
    cart_id: str
    status: str
    subtotal_tax: str
    shipping_cost_tax: str
    shipping_cost_tax_class_id: int
    handling_cost_tax: str
    handling_cost_tax_class_id: int
    wrapping_cost_tax: str
    wrapping_cost_tax_class_id: int
    payment_status: str
    store_credit_amount: str
    gift_certificate_amount: str
    currency_id: int
    currency_code: str
    currency_exchange_rate: str
    default_currency_id: int
    default_currency_code: str
    store_default_currency_code: str
    store_default_to_transactional_exchange_rate: str
    coupon_discount: str
    shipping_address_count: int
    is_deleted: bool
    total_tax: str
    is_tax_inclusive_pricing: bool
    is_email_opt_in: bool
    order_source: str
    consignments: Link
    products: Link
    shipping_addresses: Link
    coupons: Link
    status_id: int
    billing_address: Address
    fees: Link
    base_handling_cost: str
    base_shipping_cost: str
    base_wrapping_cost: str
    channel_id: int
    customer_id: int
    customer_message: str
    date_created: str
    discount_amount: str
    ebay_order_id: str
    external_id: str
    external_merchant_id: str
    external_source: str
    geoip_country: str
    geoip_country_iso2: str
    handling_cost_ex_tax: str
    handling_cost_inc_tax: str
    ip_address: str
    ip_address_v6: str
    items_shipped: int
    items_total: int
    order_is_digital: bool
    payment_method: str
    payment_provider_id: Optional[str]
    refunded_amount: str
    shipping_cost_ex_tax: str
    shipping_cost_inc_tax: str
    staff_notes: str
    subtotal_ex_tax: str
    subtotal_inc_tax: str
    tax_provider_id: str
    customer_locale: str
    external_order_id: str
    total_ex_tax: str
    total_inc_tax: str
    wrapping_cost_ex_tax: str
    wrapping_cost_inc_tax: str


class OrderProduct(TypedDict, total=False):
    """The documented fields of a line of an order (``api.OrderProducts``)."""

    id: int
    order_id: int
    product_id: int
    order_pickup_method_id: int
    order_address_id: int
    name: str
    sku: str
    type: str
    base_price: str
    price_ex_tax: str
    price_inc_tax: str
    price_tax: str
    base_total: str
    total_ex_tax: str
    total_inc_tax: str
    total_tax: str
    quantity: int
    base_cost_price: str
    cost_price_inc_tax: str
    cost_price_ex_tax: str
    weight: str
    width: str
    height: str
    depth: str
    cost_price_tax: str
    is_refunded: bool
    quantity_refunded: int
    refund_amount: str
    return_id: int
    wrapping_id: int
    wrapping_name: str
    base_wrapping_cost: str
    wrapping_cost_ex_tax: str
    wrapping_cost_inc_tax: str
    wrapping_cost_tax: str
    wrapping_message: str
    quantity_shipped: int
    event_name: str
    event_date: str
    fixed_shipping_cost: str
    ebay_item_id: str
    ebay_transaction_id: str
    option_set_id: int
    parent_order_product_id: int
    is_bundled_product: bool
    bin_picking_number: str
    external_id: str
    brand: str
    applied_discounts: List[Dict[str, Any]]
    product_options: List[Dict[str, Any]]
    configurable_fields: List[Dict[str, Any]]
    upc: str
    variant_id: int
    name_customer: str
    name_merchant: str
    gift_certificate_id: int
    discounted_total_inc_tax: str


class OrderShippingAddress(Address, total=False):
    """The documented fields of a shipping address of an order (``api.OrderShippingAddresses``)."""

    id: int
    order_id: int
    items_total: int
    items_shipped: int
    base_cost: str
    cost_ex_tax: str
    cost_inc_tax: str
    cost_tax: str
    cost_tax_class_id: int
    base_handling_cost: str
    handling_cost_ex_tax: str
    handling_cost_inc_tax: str
    handling_cost_tax: str
    handling_cost_tax_class_id: int
    shipping_zone_id: int
    shipping_zone_name: str
    form_fields: List[Dict[str, Any]]
    shipping_quotes: Link
    shipping_method: str


class Customer(TypedDict, total=False):
    """The documented fields of a customer (``api.Customers``)."""

    id: int
    date_created: str
    date_modified: str
    _authentication: Dict[str, Any]
    company: str
    first_name: str
    last_name: str
    email: str
    phone: str
    store_credit: str
    registration_ip_address: str
    customer_group_id: int
    notes: str
    tax_exempt_category: str
    accepts_marketing: bool
    addresses: Link
    form_fields: List[Dict[str, Any]]
    reset_pass_on_login: bool


class CustomerAddress(PostalAddress, total=False):
    """The documented fields of an address of a customer (``api.CustomerAddresses``)."""

    id: int
    customer_id: int
    address_type: str


class Coupon(TypedDict, total=False):
    """The documented fields of a coupon (``api.Coupons``)."""

    id: int
    date_created: str
    num_uses: int
    name: str
    type: str
    amount: str
    min_purchase: str
    expires: str
    enabled: bool
    code: str
    applies_to: Dict[str, Any]
    max_uses: int
    max_uses_per_customer: int
    restricted_to: Dict[str, Any]
    shipping_methods: List[str]


class ShippingZone(TypedDict, total=False):
    """The documented fields of a shipping zone (``api.ShippingZones``)."""

    id: int
    name: str
    type: str
    locations: List[Dict[str, Any]]
    free_shipping: Dict[str, Any]
    handling_fees: Dict[str, Any]
    enabled: bool
