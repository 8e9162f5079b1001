"""The v2 resource tree as a table: what each resource holds, requires and refuses.

One ``Resource`` per collection. The generic CRUD engine in :mod:`.store` reads nothing but this
table, so adding a v2 resource means adding one declaration here (and, for a top-level resource, it
is routed automatically by :mod:`.routes`).

Field templates list every key in output order with its default; ``NOW`` marks a date filled with the
current time on create. Link fields (``{"url", "resource"}`` objects) are computed at render time
from ``links``, because their URL depends on the origin the sandbox listens on.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, Optional, Tuple

from .dates import parse_date

NOW = object()  # template marker: the current time, RFC 2822
LINK = None  # template placeholder for a link field (filled when rendering)


class Resource:
    """Declaration of one v2 collection (top-level or nested under ``parent``)."""

    def __init__(
        self,
        name: str,
        segment: str,
        fields: Dict[str, Any],
        *,
        parent: "Optional[Resource]" = None,
        parent_key: Optional[str] = None,
        aliases: Iterable[str] = (),
        required: Iterable[str] = (),
        readonly: Iterable[str] = (),
        decimals: Iterable[str] = (),
        dates: Iterable[str] = (),
        links: Optional[Dict[str, Callable[[Dict[str, Any]], Optional[str]]]] = None,
        enums: Optional[Dict[str, Any]] = None,
        unique: Iterable[str] = (),
        ops: str = "list get create update delete delete_all",
        ranges: Optional[Dict[str, str]] = None,
        inputs: Iterable[str] = (),
        touch: Iterable[str] = (),
        label: str = "resource",
        paged: bool = True,
        hidden: Iterable[str] = (),
        store_wide_list: bool = False,
        counted: bool = True,
        tolerated: Iterable[str] = (),
        free_form: Iterable[str] = (),
        shown: Optional[Dict[str, Optional[Callable[[Any], Any]]]] = None,
        flags: Iterable[str] = (),
        delete_answer: str = "empty",
        count_answer: str = "count",
        filters: Iterable[str] = (),
    ) -> None:
        self.name = name
        self.segment = segment
        self.aliases = tuple(aliases)
        self.fields = fields
        self.parent = parent
        self.parent_key = parent_key
        self.required = tuple(required)
        self.links = links or {}
        self.hidden = frozenset(hidden)  # kept in the record, never shown, written or filtered on
        self.readonly = frozenset(
            ("id",) + tuple(readonly) + tuple(self.links) + ((parent_key,) if parent_key else ()) + tuple(self.hidden)
        )
        self.decimals = frozenset(decimals)
        self.dates = frozenset(dates)
        self.enums = enums or {}
        self.unique = tuple(unique)
        self.ops = frozenset(ops.split())
        self.ranges = ranges or {}
        self.inputs = frozenset(inputs)  # write-only inputs consumed by a hook in store.py
        self.touch = tuple(touch)  # dates refreshed on every update
        self.label = label
        self.paged = paged  # False: lists ignore page/limit and answer every record (order_statuses)
        self.tolerated = frozenset(tolerated)  # read-only fields a write may echo (ignored)
        self.free_form = frozenset(free_form)  # fields taking any JSON list or object
        self.flags = frozenset(flags)  # "1"/"0" string fields (true/false/1/0 accepted)
        self.delete_answer = delete_answer  # "empty": 204; "record": 200 with what was deleted
        self.count_answer = count_answer  # "count": {count}; "statuses": + per order status
        self.filters = tuple(filters)  # filters beyond the fields (store.SPECIAL_FILTERS)
        self.shown = shown or {}  # field -> how the API shows the stored value (render time)
        self.counted = counted  # False: no /count route (shipping zones document none)
        self.store_wide_list = store_wide_list  # nested, also listed store-wide (/countries/states)
        self.children: "list[Resource]" = []
        if parent is not None:
            parent.children.append(self)

    @property
    def spellings(self) -> Tuple[str, ...]:
        return (self.segment,) + self.aliases

    def __repr__(self) -> str:
        return f"Resource({self.name!r})"


def iso8601(value: str) -> str:
    """A stored RFC 2822 date as ISO 8601 (``2018-05-07T20:14:17+00:00``); '' stays ''."""
    return parse_date(value).isoformat() if value else ""


def date_object(value: str) -> Optional[Dict[str, Any]]:
    """A stored date as the PHP-style object the blog shows (``{date, timezone_type, timezone}``)."""
    if not value:
        return None
    moment = parse_date(value)
    return {"date": moment.strftime("%Y-%m-%d %H:%M:%S.000000"), "timezone_type": 1, "timezone": "+00:00"}


def _link(fmt: str, key: str = "id") -> Callable[[Dict[str, Any]], Optional[str]]:
    def build(rec: Dict[str, Any]) -> Optional[str]:
        value = rec.get(key)
        return None if value in (None, 0, "") and key != "id" else fmt % value

    return build


def _sub(base: str, seg: str) -> Callable[[Dict[str, Any]], Optional[str]]:
    return lambda rec: f"{base}/{rec['id']}/{seg}"


_D = "0.0000"

PRODUCT_FIELDS = {
    "id": 0,
    "keyword_filter": None,
    "name": "",
    "type": "physical",
    "sku": "",
    "description": "",
    "search_keywords": None,
    "availability_description": "",
    "price": _D,
    "cost_price": _D,
    "retail_price": _D,
    "sale_price": _D,
    "calculated_price": _D,
    "sort_order": 0,
    "is_visible": False,
    "is_featured": False,
    "related_products": "-1",
    "inventory_level": 0,
    "inventory_warning_level": 0,
    "warranty": None,
    "weight": _D,
    "width": _D,
    "height": _D,
    "depth": _D,
    "fixed_cost_shipping_price": _D,
    "is_free_shipping": False,
    "inventory_tracking": "none",
    "rating_total": 0,
    "rating_count": 0,
    "total_sold": 0,
    "date_created": NOW,
    "brand_id": 0,
    "view_count": 0,
    "page_title": "",
    "meta_keywords": None,
    "meta_description": None,
    "layout_file": "product.html",
    "is_price_hidden": False,
    "price_hidden_label": "",
    "categories": [],
    "date_modified": NOW,
    "event_date_field_name": "Delivery Date",
    "event_date_type": "none",
    "event_date_start": "",
    "event_date_end": "",
    "myob_asset_account": "",
    "myob_income_account": "",
    "myob_expense_account": "",
    "peachtree_gl_account": "",
    "condition": "New",
    "is_condition_shown": False,
    "preorder_release_date": "",
    "is_preorder_only": False,
    "preorder_message": "",
    "order_quantity_minimum": 0,
    "order_quantity_maximum": 0,
    "open_graph_type": "product",
    "open_graph_title": "",
    "open_graph_description": None,
    "is_open_graph_thumbnail": True,
    "upc": None,
    "date_last_imported": "",
    "option_set_id": None,
    "tax_class_id": 0,
    "option_set_display": "right",
    "bin_picking_number": "",
    "custom_url": "",
    "availability": "available",
    "brand": LINK,
    "images": LINK,
    "discount_rules": LINK,
    "configurable_fields": LINK,
    "custom_fields": LINK,
    "videos": LINK,
    "skus": LINK,
    "rules": LINK,
    "option_set": LINK,
    "options": LINK,
    "tax_class": LINK,
}

products = Resource(
    "products",
    "products",
    PRODUCT_FIELDS,
    label="product",
    required=("name", "type", "price", "categories", "availability", "weight"),
    readonly=("calculated_price", "date_modified", "rating_total", "rating_count", "date_last_imported"),
    decimals=(
        "price",
        "cost_price",
        "retail_price",
        "sale_price",
        "calculated_price",
        "weight",
        "width",
        "height",
        "depth",
        "fixed_cost_shipping_price",
    ),
    dates=(
        "date_created",
        "date_modified",
        "event_date_start",
        "event_date_end",
        "preorder_release_date",
        "date_last_imported",
    ),
    links={
        "brand": lambda rec: "/brands/%s" % (rec.get("brand_id") or 0),  # /brands/0 too, as recorded
        "images": _sub("/products", "images"),
        "discount_rules": _sub("/products", "discountrules"),
        "configurable_fields": _sub("/products", "configurablefields"),
        "custom_fields": _sub("/products", "customfields"),
        "videos": _sub("/products", "videos"),
        "skus": _sub("/products", "skus"),
        "rules": _sub("/products", "rules"),
        "option_set": _link("/optionsets/%s", "option_set_id"),
        "options": _sub("/products", "options"),
        "tax_class": lambda rec: "/taxclasses/%s" % (rec.get("tax_class_id") or 0),
    },
    enums={
        "type": ("physical", "digital"),
        "availability": ("available", "disabled", "preorder"),
        "inventory_tracking": ("none", "simple", "sku"),
        "condition": ("New", "Used", "Refurbished"),
        "event_date_type": ("none", "after", "before", "range"),
        "option_set_display": ("right", "below"),
    },
    unique=("name", "sku"),
    touch=("date_modified",),
    filters=("keyword_filter", "category", "sku", "include_sku"),
)

product_images = Resource(
    "products/images",
    "images",
    {
        "id": 0,
        "product_id": 0,
        "image_file": "",
        "is_thumbnail": False,
        "sort_order": 0,
        "description": None,
        "date_created": NOW,
    },
    parent=products,
    parent_key="product_id",
    required=("image_file",),
    dates=("date_created",),
    label="image",
)

product_videos = Resource(
    "products/videos",
    "videos",
    {"id": 0, "product_id": 0, "url": "", "name": "", "sort_order": 0},
    parent=products,
    parent_key="product_id",
    required=("url",),
    label="video",
)

product_skus = Resource(
    "products/skus",
    "skus",
    {
        "id": 0,
        "product_id": 0,
        "sku": "",
        "price": None,
        "adjusted_price": _D,
        "cost_price": _D,
        "upc": "",
        "inventory_level": 0,
        "inventory_warning_level": 0,
        "bin_picking_number": "",
        "weight": None,
        "adjusted_weight": _D,
        "is_purchasing_disabled": False,
        "purchasing_disabled_message": "",
        "image_file": "",
        "options": [],
    },
    parent=products,
    parent_key="product_id",
    required=("sku", "options"),
    readonly=("adjusted_price", "adjusted_weight"),
    decimals=("price", "adjusted_price", "cost_price", "weight", "adjusted_weight"),
    unique=("sku",),
    label="SKU",
)

product_rules = Resource(
    "products/rules",
    "rules",
    {
        "id": 0,
        "product_id": 0,
        "sort_order": 0,
        "is_enabled": True,
        "is_stop": False,
        "price_adjuster": None,
        "weight_adjuster": None,
        "is_purchasing_disabled": False,
        "purchasing_disabled_message": "",
        "is_purchasing_hidden": False,
        "image_file": "",
        "conditions": [],
    },
    parent=products,
    parent_key="product_id",
    required=("conditions",),
    label="rule",
)

product_discount_rules = Resource(
    "products/discount_rules",
    "discount_rules",
    {"id": 0, "product_id": 0, "min": 0, "max": 0, "type": "price", "type_value": _D},
    parent=products,
    parent_key="product_id",
    aliases=("discountrules",),
    required=("min", "max", "type", "type_value"),
    decimals=("type_value",),
    enums={"type": ("price", "percent", "fixed")},
    label="discount rule",
)

product_custom_fields = Resource(
    "products/custom_fields",
    "custom_fields",
    {"id": 0, "product_id": 0, "name": "", "text": ""},
    parent=products,
    parent_key="product_id",
    aliases=("customfields",),
    required=("name", "text"),
    label="custom field",
)

product_configurable_fields = Resource(
    "products/configurable_fields",
    "configurable_fields",
    {
        "id": 0,
        "product_id": 0,
        "name": "",
        "type": "T",
        "allowed_file_types": "",
        "max_size": 0,
        "select_options": "",
        "is_required": False,
        "sort_order": 0,
    },
    parent=products,
    parent_key="product_id",
    aliases=("configurablefields",),
    required=("name", "type"),
    label="configurable field",
)

product_options = Resource(
    "products/options",
    "options",
    {"id": 0, "option_id": 0, "display_name": "", "sort_order": 0, "is_required": False},
    parent=products,
    parent_key="product_id",
    required=("option_id",),
    label="product option",
)

product_reviews = Resource(
    "products/reviews",
    "reviews",
    {"id": 0, "product_id": 0, "author": "", "date_created": NOW, "rating": 0, "title": "", "review": "", "status": 0},
    parent=products,
    parent_key="product_id",
    required=("title",),
    dates=("date_created",),
    enums={"status": (0, 1, 2)},
    label="review",
)  # 0 pending, 1 approved, 2 disapproved

product_google = Resource(
    "products/googleproductsearch",
    "googleproductsearch",
    {
        "id": 0,
        "product_id": 0,
        "enabled": True,
        "category_id": 0,
        "custom_item": False,
        "global_trade_item_number": "",
        "manufacturer_part_number": "",
        "gender": "",
        "age_group": "",
        "color": "",
        "size": "",
        "material": "",
        "pattern": "",
    },
    parent=products,
    parent_key="product_id",
    ops="list get update",
    label="mapping",
)

categories = Resource(
    "categories",
    "categories",
    {
        "id": 0,
        "parent_id": 0,
        "name": "",
        "description": "",
        "sort_order": 0,
        "page_title": "",
        "meta_keywords": "",
        "meta_description": "",
        "layout_file": "category.html",
        "parent_category_list": [],
        "image_file": "",
        "is_visible": True,
        "search_keywords": "",
        "url": "",
    },
    required=("name",),
    readonly=("parent_category_list",),
    unique=("name",),
    label="category",
)

brands = Resource(
    "brands",
    "brands",
    {
        "id": 0,
        "name": "",
        "page_title": "",
        "meta_keywords": "",
        "meta_description": "",
        "image_file": "",
        "search_keywords": "",
    },
    required=("name",),
    unique=("name",),
    label="brand",
)

option_sets = Resource(
    "option_sets",
    "option_sets",
    {"id": 0, "product_id": None, "name": "", "options": LINK},
    aliases=("optionsets",),
    required=("name",),
    unique=("name",),
    readonly=("product_id",),
    links={"options": _sub("/optionsets", "options")},
    label="option set",
)

option_set_options = Resource(
    "option_sets/options",
    "options",
    {
        "id": 0,
        "option_id": 0,
        "option_set_id": 0,
        "display_name": "",
        "sort_order": 0,
        "is_required": False,
        "option": LINK,
        "values": [],
    },
    parent=option_sets,
    parent_key="option_set_id",
    required=("option_id",),
    readonly=("values",),
    links={"option": _link("/options/%s", "option_id")},
    label="option set option",
)

options = Resource(
    "options",
    "options",
    {"id": 0, "name": "", "display_name": "", "type": "C", "values": LINK},
    required=("name", "type"),
    unique=("name",),
    enums={"type": ("C", "D", "T", "MT", "N", "CS", "P", "PI", "RB", "RT", "S", "F")},
    links={"values": _sub("/options", "values")},
    label="option",
)

option_values = Resource(
    "options/values",
    "values",
    {"id": 0, "option_id": 0, "label": "", "sort_order": 0, "value": "", "is_default": False},
    parent=options,
    parent_key="option_id",
    required=("label",),
    label="option value",
)

customers = Resource(
    "customers",
    "customers",
    {
        "id": 0,
        "company": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
        "form_fields": None,
        "date_created": NOW,
        "date_modified": NOW,
        "store_credit": _D,
        "registration_ip_address": "",
        "customer_group_id": 0,
        "notes": "",
        "tax_exempt_category": "",
        "reset_pass_on_login": False,
        "accepts_marketing": False,
        "addresses": LINK,
        "password_digest": "",
    },
    required=("first_name", "last_name", "email"),
    readonly=("date_modified",),
    decimals=("store_credit",),
    dates=("date_created", "date_modified"),
    links={"addresses": _sub("/customers", "addresses")},
    unique=("email",),
    inputs=("_authentication",),
    touch=("date_modified",),
    label="customer",
    hidden=("password_digest",),
)  # set from _authentication.password; checked by /validate

# the postal fields every address has, in the API's order: a customer's address book adds its
# type, an order's billing and shipping addresses add the email
_POSTAL = {
    "first_name": "",
    "last_name": "",
    "company": "",
    "street_1": "",
    "street_2": "",
    "city": "",
    "state": "",
    "zip": "",
    "country": "",
    "country_iso2": "",
    "phone": "",
}

customer_addresses = Resource(
    "customers/addresses",
    "addresses",
    {"id": 0, "customer_id": 0, **_POSTAL, "address_type": "residential"},
    parent=customers,
    parent_key="customer_id",
    required=("first_name", "last_name", "phone", "street_1", "city", "state", "zip", "country"),
    enums={"address_type": ("residential", "commercial")},
    label="address",
)

customer_groups = Resource(
    "customer_groups",
    "customer_groups",
    {"id": 0, "name": "", "is_default": False, "category_access": {"type": "all"}, "discount_rules": []},
    required=("name",),
    unique=("name",),
    label="customer group",
)

ORDER_STATUSES = [
    (0, "Incomplete"),
    (1, "Pending"),
    (2, "Shipped"),
    (3, "Partially Shipped"),
    (4, "Refunded"),
    (5, "Cancelled"),
    (6, "Declined"),
    (7, "Awaiting Payment"),
    (8, "Awaiting Pickup"),
    (9, "Awaiting Shipment"),
    (10, "Completed"),
    (11, "Awaiting Fulfillment"),
    (12, "Manual Verification Required"),
    (13, "Disputed"),
    (14, "Partially Refunded"),
]
STATUS_NAMES = dict(ORDER_STATUSES)

order_statuses = Resource(
    "order_statuses",
    "order_statuses",
    {"id": 0, "name": "", "system_label": "", "custom_label": "", "system_description": "", "order": 0},
    aliases=("orderstatuses",),
    ops="list get",
    label="order status",
    paged=False,
)  # the real API sends the whole list whatever page/limit say

ADDRESS = {**_POSTAL, "email": ""}

_ORDER_MONEY = (
    "subtotal_ex_tax",
    "subtotal_inc_tax",
    "subtotal_tax",
    "base_shipping_cost",
    "shipping_cost_ex_tax",
    "shipping_cost_inc_tax",
    "shipping_cost_tax",
    "base_handling_cost",
    "handling_cost_ex_tax",
    "handling_cost_inc_tax",
    "handling_cost_tax",
    "base_wrapping_cost",
    "wrapping_cost_ex_tax",
    "wrapping_cost_inc_tax",
    "wrapping_cost_tax",
    "total_ex_tax",
    "total_inc_tax",
    "total_tax",
    "refunded_amount",
    "store_credit_amount",
    "gift_certificate_amount",
    "currency_exchange_rate",
    "discount_amount",
    "coupon_discount",
)

ORDER_FIELDS = {
    "id": 0,
    "customer_id": 0,
    "date_created": NOW,
    "date_modified": NOW,
    "date_shipped": "",
    "status_id": 1,
    "status": "Pending",
    "subtotal_ex_tax": _D,
    "subtotal_inc_tax": _D,
    "subtotal_tax": _D,
    "base_shipping_cost": _D,
    "shipping_cost_ex_tax": _D,
    "shipping_cost_inc_tax": _D,
    "shipping_cost_tax": _D,
    "shipping_cost_tax_class_id": 2,
    "base_handling_cost": _D,
    "handling_cost_ex_tax": _D,
    "handling_cost_inc_tax": _D,
    "handling_cost_tax": _D,
    "handling_cost_tax_class_id": 2,
    "base_wrapping_cost": _D,
    "wrapping_cost_ex_tax": _D,
    "wrapping_cost_inc_tax": _D,
    "wrapping_cost_tax": _D,
    "wrapping_cost_tax_class_id": 3,
    "total_ex_tax": _D,
    "total_inc_tax": _D,
    "total_tax": _D,
    "items_total": 0,
    "items_shipped": 0,
    "payment_method": "Manual",
    "payment_provider_id": "",
    "payment_status": "",
    "refunded_amount": _D,
    "order_is_digital": False,
    "store_credit_amount": _D,
    "gift_certificate_amount": _D,
    "ip_address": "",
    "geoip_country": "",
    "geoip_country_iso2": "",
    "currency_id": 1,
    "currency_code": "USD",
    "currency_exchange_rate": "1.0000",
    "default_currency_id": 1,
    "default_currency_code": "USD",
    "staff_notes": "",
    "customer_message": "",
    "discount_amount": _D,
    "coupon_discount": _D,
    "shipping_address_count": 0,
    "is_deleted": False,
    "ebay_order_id": "0",
    "billing_address": dict(ADDRESS),
    "is_email_opt_in": False,
    "credit_card_type": None,
    "order_source": "external",
    "external_source": None,
    "products": LINK,
    "shipping_addresses": LINK,
    "coupons": LINK,
}

orders = Resource(
    "orders",
    "orders",
    ORDER_FIELDS,
    required=("products", "billing_address"),
    readonly=(
        "status",
        "items_total",
        "items_shipped",
        "shipping_address_count",
        "date_modified",
        "subtotal_tax",
        "total_tax",
    ),
    decimals=_ORDER_MONEY,
    dates=("date_created", "date_modified", "date_shipped"),
    links={
        "products": _sub("/orders", "products"),
        "shipping_addresses": _sub("/orders", "shippingaddresses"),
        "coupons": _sub("/orders", "coupons"),
    },
    enums={"status_id": tuple(STATUS_NAMES)},
    inputs=("products", "shipping_addresses"),
    ranges={"total": "total_inc_tax"},
    touch=("date_modified",),
    label="order",
    filters=("email",),
    count_answer="statuses",
)

_LINE_MONEY = (
    "base_price",
    "price_ex_tax",
    "price_inc_tax",
    "price_tax",
    "base_total",
    "total_ex_tax",
    "total_inc_tax",
    "total_tax",
    "weight",
    "base_cost_price",
    "cost_price_inc_tax",
    "cost_price_ex_tax",
    "cost_price_tax",
    "refund_amount",
    "fixed_shipping_cost",
    "base_wrapping_cost",
    "wrapping_cost_ex_tax",
    "wrapping_cost_inc_tax",
    "wrapping_cost_tax",
)

order_products = Resource(
    "orders/products",
    "products",
    {
        "id": 0,
        "order_id": 0,
        "product_id": 0,
        "order_address_id": 0,
        "name": "",
        "sku": "",
        "type": "physical",
        "base_price": _D,
        "price_ex_tax": _D,
        "price_inc_tax": _D,
        "price_tax": _D,
        "base_total": _D,
        "total_ex_tax": _D,
        "total_inc_tax": _D,
        "total_tax": _D,
        "weight": _D,
        "quantity": 1,
        "base_cost_price": _D,
        "cost_price_inc_tax": _D,
        "cost_price_ex_tax": _D,
        "cost_price_tax": _D,
        "is_refunded": False,
        "refund_amount": _D,
        "return_id": 0,
        "wrapping_name": "",
        "base_wrapping_cost": _D,
        "wrapping_cost_ex_tax": _D,
        "wrapping_cost_inc_tax": _D,
        "wrapping_cost_tax": _D,
        "wrapping_message": "",
        "quantity_shipped": 0,
        "event_name": None,
        "event_date": "",
        "fixed_shipping_cost": _D,
        "ebay_item_id": "",
        "ebay_transaction_id": "",
        "option_set_id": None,
        "parent_order_product_id": None,
        "is_bundled_product": False,
        "bin_picking_number": "",
        "applied_discounts": [],
        "product_options": [],
        "configurable_fields": [],
    },
    parent=orders,
    parent_key="order_id",
    ops="list get",
    decimals=_LINE_MONEY,
    label="order product",
)

_SHIP_MONEY = (
    "base_cost",
    "cost_ex_tax",
    "cost_inc_tax",
    "cost_tax",
    "base_handling_cost",
    "handling_cost_ex_tax",
    "handling_cost_inc_tax",
    "handling_cost_tax",
)

order_shipping_addresses = Resource(
    "orders/shipping_addresses",
    "shipping_addresses",
    dict(
        {"id": 0, "order_id": 0},
        **ADDRESS,
        **{
            "items_total": 0,
            "items_shipped": 0,
            "shipping_method": "",
            "base_cost": _D,
            "cost_ex_tax": _D,
            "cost_inc_tax": _D,
            "cost_tax": _D,
            "cost_tax_class_id": 2,
            "base_handling_cost": _D,
            "handling_cost_ex_tax": _D,
            "handling_cost_inc_tax": _D,
            "handling_cost_tax": _D,
            "handling_cost_tax_class_id": 2,
            "shipping_zone_id": 1,
            "shipping_zone_name": "United States",
            "form_fields": [],
            "shipping_quotes": LINK,
        },
    ),
    parent=orders,
    parent_key="order_id",
    aliases=("shippingaddresses",),
    ops="list get update",
    decimals=_SHIP_MONEY,
    label="shipping address",
    readonly=("items_total", "items_shipped", "shipping_zone_id", "shipping_zone_name"),
    links={
        "shipping_quotes": lambda rec: "/orders/{}/shipping_addresses/{}/shipping_quotes".format(
            rec["order_id"], rec["id"]
        )
    },
)

order_fees = Resource(
    "orders/fees",
    "fees",
    {
        "id": 0,
        "order_id": 0,
        "type": "custom_fee",
        "display_name_customer": "",
        "display_name_merchant": "",
        "source": "v2",
        "base_cost": _D,
        "cost_ex_tax": _D,
        "cost_inc_tax": _D,
        "cost_tax": _D,
        "tax_class_id": None,
    },
    parent=orders,
    parent_key="order_id",
    ops="",
    decimals=("base_cost", "cost_ex_tax", "cost_inc_tax", "cost_tax"),
    label="order fee",
)  # served as {"fees": [...]} by routes.order_fees

order_shipments = Resource(
    "orders/shipments",
    "shipments",
    {
        "id": 0,
        "order_id": 0,
        "customer_id": 0,
        "order_address_id": 0,
        "date_created": NOW,
        "tracking_number": "",
        "shipping_method": "",
        "shipping_provider": "",
        "tracking_carrier": "",
        "comments": "",
        "billing_address": {},
        "shipping_address": {},
        "items": [],
    },
    parent=orders,
    parent_key="order_id",
    required=("order_address_id", "items"),
    readonly=("customer_id", "billing_address", "shipping_address"),
    dates=("date_created",),
    label="shipment",
)

order_coupons = Resource(
    "orders/coupons",
    "coupons",
    {"id": 0, "coupon_id": 0, "order_id": 0, "code": "", "amount": _D, "type": 0, "discount": _D},
    parent=orders,
    parent_key="order_id",
    ops="list get",
    decimals=("amount", "discount"),
    label="order coupon",
)

order_taxes = Resource(
    "orders/taxes",
    "taxes",
    {
        "id": 0,
        "order_id": 0,
        "order_address_id": 0,
        "tax_rate_id": 0,
        "tax_class_id": 0,
        "name": "",
        "class": "",
        "rate": _D,
        "priority": 0,
        "priority_amount": _D,
        "line_amount": _D,
    },
    parent=orders,
    parent_key="order_id",
    ops="list get",
    decimals=("rate", "priority_amount", "line_amount"),
    label="order tax",
)

order_messages = Resource(
    "orders/messages",
    "messages",
    {
        "id": 0,
        "order_id": 0,
        "staff_id": 0,
        "customer_id": 0,
        "type": "customer",
        "subject": "",
        "message": "",
        "status": "unread",
        "is_flagged": False,
        "date_created": NOW,
        "customer": {},
    },
    parent=orders,
    parent_key="order_id",
    ops="list get",
    dates=("date_created",),
    label="order message",
)

coupons = Resource(
    "coupons",
    "coupons",
    {
        "id": 0,
        "name": "",
        "type": "per_item_discount",
        "amount": _D,
        "min_purchase": _D,
        "expires": "",
        "enabled": False,
        "code": "",
        "applies_to": {"entity": "categories", "ids": [0]},
        "num_uses": 0,
        "max_uses": 0,
        "max_uses_per_customer": 0,
        "restricted_to": [],
        "shipping_methods": None,
    },
    required=("name", "code", "type", "amount", "applies_to"),
    readonly=("num_uses",),
    tolerated=("id", "num_uses", "date_created"),  # the spec's example
    free_form=("restricted_to", "shipping_methods"),  # [] or {"countries": ...}; null or names
    decimals=("amount", "min_purchase"),
    dates=("expires",),
    enums={
        "type": (
            "per_item_discount",
            "percentage_discount",
            "per_total_discount",
            "shipping_discount",
            "free_shipping",
            "promotion",
        )
    },
    unique=("code", "name"),
    label="coupon",
)

countries = Resource(
    "countries",
    "countries",
    {"id": 0, "country": "", "country_iso2": "", "country_iso3": "", "states": LINK},
    ops="list get",
    links={"states": _sub("/countries", "states")},
    label="country",
)

country_states = Resource(
    "countries/states",
    "states",
    {"id": 0, "state": "", "state_abbreviation": "", "country_id": 0},
    parent=countries,
    parent_key="country_id",
    ops="list get",
    label="state",
    store_wide_list=True,
)

currencies = Resource(
    "currencies",
    "currencies",
    {
        "id": 0,
        "is_default": False,
        "date_created": NOW,
        "date_modified": NOW,
        "country_iso2": "",
        "currency_code": "",
        "currency_exchange_rate": "1.0000000000",
        "auto_update": False,
        "name": "",
        "token": "$",
        "token_location": "left",
        "decimal_token": ".",
        "thousands_token": ",",
        "decimal_places": 2,
        "is_visible": True,
    },
    required=("currency_code", "currency_exchange_rate", "name", "token"),
    dates=("date_created", "date_modified"),
    unique=("currency_code",),
    touch=("date_modified",),
    label="currency",
)

gift_certificates = Resource(
    "gift_certificates",
    "gift_certificates",
    {
        "id": 0,
        "code": "",
        "amount": _D,
        "status": "active",
        "balance": _D,
        "to_name": "",
        "order_id": 0,
        "template": "celebration.html",
        "message": "",
        "to_email": "",
        "from_name": "",
        "from_email": "",
        "customer_id": 0,
        "expiry_date": "",
        "purchase_date": NOW,
        "currency_code": "USD",
    },
    required=("to_name", "to_email", "from_name", "from_email", "amount"),
    decimals=("amount", "balance"),
    dates=("expiry_date", "purchase_date"),
    enums={"status": ("active", "pending", "disabled", "expired")},
    unique=("code",),
    label="gift certificate",
)

banners = Resource(
    "banners",
    "banners",
    {
        "id": 0,
        "name": "",
        "content": "",
        "page": "home_page",
        "location": "top",
        "date_type": "always",
        "date_from": "",
        "date_to": "",
        "visible": "1",
        "item_id": "",
        "date_created": NOW,
    },
    required=("name", "content", "page", "location", "date_type"),
    dates=("date_from", "date_to", "date_created"),
    enums={
        "page": ("home_page", "category_page", "brand_page", "search_page"),
        "location": ("top", "bottom"),
        "date_type": ("always", "custom"),
        "visible": ("0", "1"),
    },
    flags=("visible",),
    label="banner",
)

blog_posts = Resource(
    "blog/posts",
    "blog/posts",
    {
        "id": 0,
        "title": "",
        "url": "",
        "preview_url": "",
        "body": "",
        "tags": [],
        "summary": "",
        "is_published": False,
        "published_date": NOW,
        "published_date_iso8601": "",
        "meta_description": "",
        "meta_keywords": "",
        "author": "",
        "thumbnail_path": "",
    },
    required=("title", "body"),
    readonly=("preview_url", "published_date_iso8601"),
    dates=("published_date",),
    unique=("url",),
    label="blog post",
    shown={"published_date": lambda value: date_object(value), "published_date_iso8601": None},
)  # None: computed from published_date

pages = Resource(
    "pages",
    "pages",
    {
        "id": 0,
        "parent_id": 0,
        "type": "page",
        "contact_fields": "",
        "email": "",
        "name": "",
        "url": "",
        "meta_description": "",
        "body": "",
        "mobile_body": "",
        "has_mobile_version": False,
        "is_visible": True,
        "is_homepage": False,
        "meta_title": "",
        "layout_file": "page.html",
        "sort_order": 0,
        "search_keywords": "",
        "meta_keywords": "",
        "feed": "",
        "link": "",
        "content_type": "text/html",
    },
    required=("name", "type"),
    enums={"type": ("page", "raw", "contact_form", "feed", "link")},
    label="page",
)

redirects = Resource(
    "redirects",
    "redirects",
    {"id": 0, "path": "", "forward": {"type": "manual", "ref": ""}, "url": ""},
    required=("path", "forward"),
    readonly=("url",),
    unique=("path",),
    label="redirect",
)

shipping_methods = Resource(
    "shipping/methods",
    "shipping/methods",
    {
        "id": 0,
        "name": "",
        "method_name": "",
        "enabled": True,
        "type": "",
        "settings": {},
        "handling_fees": {"fixed_surcharge": "0.0000"},
        "is_fallback": False,
    },
    ops="list get",
    label="shipping method",
)

shipping_zones = Resource(
    "shipping/zones",
    "shipping/zones",
    {
        "id": 0,
        "name": "",
        "type": "country",
        "locations": [],
        "free_shipping": {"enabled": False, "minimum_sub_total": "0.0000", "exclude_fixed_shipping_products": False},
        "handling_fees": {"fixed_surcharge": "0", "display_separately": False},
        "enabled": True,
    },
    ops="list get create update delete",
    required=("name", "type"),
    enums={"type": ("zip", "country", "state", "global")},
    label="shipping zone",
    counted=False,
)

zone_methods = Resource(
    "shipping/zones/methods",
    "methods",
    {
        "id": 0,
        "zone_id": 0,
        "name": "",
        "type": "perorder",
        "settings": {},
        "enabled": True,
        "handling_fees": {"fixed_surcharge": "0"},
        "is_fallback": False,
        "channel_ids": [1],
    },
    parent=shipping_zones,
    parent_key="zone_id",
    ops="list get create update delete",
    required=("name", "type"),
    hidden=("zone_id",),
    counted=False,
    enums={
        "type": (
            "perorder",
            "peritem",
            "weight",
            "total",
            "auspost",
            "canadapost",
            "endicia",
            "usps",
            "fedex",
            "royalmail",
            "upsready",
            "freeshipping",
        )
    },
    label="shipping method",
)

carrier_connections = Resource(
    "shipping/carrier/connection",
    "shipping/carrier/connection",
    {"id": 0, "carrier_id": "", "connection": {}},
    ops="",
    label="carrier connection",
)  # write-only: routes.carrier_connection answers 204

tax_classes = Resource(
    "tax_classes",
    "tax_classes",
    {"id": 0, "name": "", "created_at": NOW, "updated_at": NOW},
    aliases=("taxclasses",),
    ops="list get",
    dates=("created_at", "updated_at"),
    label="tax class",
    shown={"id": str, "created_at": lambda value: iso8601(value), "updated_at": lambda value: iso8601(value)},
)  # the reference: id a string, ISO dates

hooks = Resource(
    "hooks",
    "hooks",
    {
        "id": 0,
        "client_id": "",
        "store_hash": "",
        "scope": "",
        "destination": "",
        "headers": {},
        "is_active": True,
        "created_at": 0,
        "updated_at": 0,
    },
    required=("scope", "destination"),
    readonly=("client_id", "store_hash", "created_at", "updated_at"),
    label="hook",
    delete_answer="record",
)  # the one v2 delete answered 200 with the record

#: every collection, parents before children (the order used for seeding and routing)
RESOURCES = [
    products,
    product_images,
    product_videos,
    product_skus,
    product_rules,
    product_discount_rules,
    product_custom_fields,
    product_configurable_fields,
    product_options,
    product_reviews,
    product_google,
    categories,
    brands,
    option_sets,
    option_set_options,
    options,
    option_values,
    customers,
    customer_addresses,
    customer_groups,
    orders,
    order_products,
    order_shipping_addresses,
    order_shipments,
    order_coupons,
    order_taxes,
    order_messages,
    order_fees,
    order_statuses,
    coupons,
    countries,
    country_states,
    currencies,
    gift_certificates,
    banners,
    blog_posts,
    pages,
    redirects,
    shipping_methods,
    shipping_zones,
    zone_methods,
    carrier_connections,
    tax_classes,
    hooks,
]
BY_NAME = {res.name: res for res in RESOURCES}
TOP_LEVEL = [res for res in RESOURCES if res.parent is None]

#: collections that are reference data: present in every store, never seeded by demo counts
REFERENCE = (
    "order_statuses",
    "countries",
    "countries/states",
    "currencies",
    "tax_classes",
    "shipping/methods",
    "shipping/zones",
    "shipping/zones/methods",
)

SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``"[Sample] Anna, bangles"`` -> ``"sample-anna-bangles"``."""
    return SLUG.sub("-", text.lower()).strip("-")


assert len(PRODUCT_FIELDS) == 79, len(PRODUCT_FIELDS)
