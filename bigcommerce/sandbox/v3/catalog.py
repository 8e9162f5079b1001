"""v3 catalog collections: product sub-resources, variants, variant options, modifiers, brands,
categories, category trees, metafields of products/variants/categories/brands.

Storage (one truth with v2): images, videos, custom fields, reviews, bulk pricing rules (v2
discount rules), brands and categories are the v2 records; **a v3 variant is a v2 SKU** (same id;
``purchasing_disabled`` is the SKU's ``is_purchasing_disabled``, ``image_url`` its ``image_file``;
its ``option_values`` are kept in v3 form and mirrored into the SKU's ``options`` as
``{product_option_id: <v3 option id>, option_value_id: <v3 value id>}``). Variant options,
modifiers, complex rules, channel assignments and metafields are v3-only tables.

**Base variants.** As the reference says, a product without option-value variants (a "simple"
product: in the sandbox, one with no v2 SKU) has exactly one variant, its base variant; a product
with variants (SKUs) lists only those, and its ``base_variant_id`` is null, as documented for
"complex" products. A base variant is not stored: it is the engine's ``StandIn`` of the product
(id ``BASE_VARIANT_IDS + product id``, ``sku_id`` null, ``option_values`` empty), listed by
``/products/{id}/variants`` and ``/catalog/variants`` and by ``include=variants``, got, updated
(alone or in a batch) and given an image like any variant. Its ``sku``, prices, weight and
dimensions, ``is_free_shipping``, ``fixed_cost_shipping_price``, inventory level and warning
level, ``upc`` and ``bin_picking_number`` are the product's own fields (a change on either side
shows on the other); its other values (``purchasing_disabled``, ``image_url``, ``mpn``...) are
kept beside it. It goes with its product (deleting it alone is a 422); v2 never shows it (no SKU).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..schema import slug
from .engine import Collection, Parent, Record, Route, StandIn, invalid, next_id, routes_of, table_of
from .legacy import settle_product

IMAGE_BASE = "https://cdn.sandbox.invalid/images/"
PERMISSIONS = ("app_only", "read", "write", "read_and_sf_access", "write_and_sf_access")
PRODUCT = Parent("product_id", "products", "product_id", "product")


def _image_urls(state: Any, rec: Record, out: Record) -> None:
    name = rec.get("image_file") or ""
    url = name if name.startswith("http") else (IMAGE_BASE + name if name else "")
    out["image_url"] = url
    for size in ("url_zoom", "url_standard", "url_thumbnail", "url_tiny"):
        out[size] = url


def _image_prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
    if rec is None and not values.get("image_url"):
        raise invalid({"image_url": "an image_url (or an image_file upload) is required"})


IMAGES = Collection(
    "product images",
    "/v3/catalog/products/{product_id}/images",
    "products/images",
    {
        "id": 0,
        "product_id": 0,
        "image_url": "",
        "url_zoom": "",
        "url_standard": "",
        "url_thumbnail": "",
        "url_tiny": "",
        "date_modified": "",
        "is_thumbnail": False,
        "sort_order": 0,
        "description": "",
    },
    parents=[PRODUCT],
    store={"image_url": "image_file"},
    noun="image",
    readonly=("url_zoom", "url_standard", "url_thumbnail", "url_tiny", "date_modified"),
    render=_image_urls,
    prepare=_image_prepare,
    upload="image_url",
)


def _video_prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
    if rec is None and not values.get("video_id"):
        raise invalid({"video_id": "error.path.missing"})
    if values.get("video_id"):
        values["url"] = "https://www.youtube.com/watch?v=" + values["video_id"]


VIDEOS = Collection(
    "product videos",
    "/v3/catalog/products/{product_id}/videos",
    "products/videos",
    {
        "id": 0,
        "product_id": 0,
        "title": "",
        "description": "",
        "sort_order": 0,
        "type": "youtube",
        "video_id": "",
        "length": "0:00",
    },
    parents=[PRODUCT],
    store={"title": "name"},
    enums={"type": ("youtube",)},
    noun="video",
    readonly=("length",),
    prepare=_video_prepare,
)

COMPLEX_RULES = Collection(
    "complex rules",
    "/v3/catalog/products/{product_id}/complex-rules",
    "v3/complex_rules",
    {
        "id": 0,
        "product_id": 0,
        "sort_order": 0,
        "enabled": True,
        "stop": False,
        "purchasing_disabled": False,
        "purchasing_disabled_message": "",
        "purchasing_hidden": False,
        "image_url": "",
        "price_adjuster": {"adjuster": "relative", "adjuster_value": 0},
        "weight_adjuster": {"adjuster": "relative", "adjuster_value": 0},
        "conditions": [],
    },
    parents=[PRODUCT],
    noun="complex rule",
)

CUSTOM_FIELDS = Collection(
    "custom fields",
    "/v3/catalog/products/{product_id}/custom-fields",
    "products/custom_fields",
    {"id": 0, "name": "", "value": ""},
    parents=[PRODUCT],
    store={"value": "text"},
    required=("name", "value"),
    noun="custom field",
)

BULK_PRICING = Collection(
    "bulk pricing rules",
    "/v3/catalog/products/{product_id}/bulk-pricing-rules",
    "products/discount_rules",
    {"id": 0, "quantity_min": 0, "quantity_max": 0, "type": "price", "amount": 0.0},
    parents=[PRODUCT],
    store={"quantity_min": "min", "quantity_max": "max", "amount": "type_value"},
    required=("quantity_min", "quantity_max", "type", "amount"),
    enums={"type": ("price", "percent", "fixed")},
    noun="bulk pricing rule",
)

REVIEWS = Collection(
    "reviews",
    "/v3/catalog/products/{product_id}/reviews",
    "products/reviews",
    {
        "id": 0,
        "title": "",
        "text": "",
        "status": "pending",
        "rating": 0,
        "email": "",
        "name": "",
        "date_reviewed": "",
        "date_created": "",
        "date_modified": "",
    },
    parents=[PRODUCT],
    store={"text": "review", "name": "author"},
    required=("title", "date_reviewed"),
    enums={"status": ("pending", "approved", "disapproved")},
    readonly=("date_created", "date_modified"),
    v2_values={"status": {"pending": 0, "approved": 1, "disapproved": 2}},
    noun="review",
)


# -- variants, options, modifiers ---------------------------------------------------------------

VARIANT_FIELDS: Dict[str, Any] = {
    "id": 0,
    "product_id": 0,
    "sku": "",
    "sku_id": 0,
    "price": None,
    "calculated_price": 0.0,
    "sale_price": None,
    "retail_price": None,
    "map_price": None,
    "weight": None,
    "calculated_weight": 0.0,
    "width": None,
    "height": None,
    "depth": None,
    "is_free_shipping": False,
    "fixed_cost_shipping_price": None,
    "purchasing_disabled": False,
    "purchasing_disabled_message": "",
    "image_url": "",
    "cost_price": 0.0,
    "upc": "",
    "mpn": "",
    "gtin": "",
    "inventory_level": 0,
    "inventory_warning_level": 0,
    "bin_picking_number": "",
    "option_values": [],
}


def _variant_render(state: Any, rec: Record, out: Record) -> None:
    product = state.tables["products"].get(rec.get("product_id"), {})
    out["sku_id"] = rec["id"]
    price = out["price"] if out["price"] is not None else float(product.get("price") or 0)
    out["calculated_price"] = float(price)
    weight = out["weight"] if out["weight"] is not None else float(product.get("weight") or 0)
    out["calculated_weight"] = float(weight)
    image = out.get("image_url") or ""
    out["image_url"] = image if not image or image.startswith("http") else IMAGE_BASE + image


def _variant_prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
    if rec is None and not values.get("sku"):
        values["sku"] = f"SKU-{values.get('product_id', 0)}-{next_id(state, 'v3/sku_names')}"
    if "option_values" not in values:
        return
    product_id = values.get("product_id") if rec is None else rec["product_id"]
    options = table_of(state, "v3/variant_options")
    option_values = table_of(state, "v3/variant_option_values")
    shown: List[Record] = []
    for index, given in enumerate(values["option_values"]):
        oid = given.get("option_id") if isinstance(given, dict) else None
        vid = given.get("id") if isinstance(given, dict) else None
        option = options.get(oid) if isinstance(oid, int) else None
        value = option_values.get(vid) if isinstance(vid, int) else None
        if option is None or (product_id is not None and option["product_id"] != product_id):
            raise invalid({f"option_values.{index}.option_id": "no variant option with this id"})
        if value is None or value["option_id"] != oid:
            raise invalid({f"option_values.{index}.id": "no value with this id in the option"})
        shown.append(
            {"id": vid, "label": value["label"], "option_id": oid, "option_display_name": option["display_name"]}
        )
    values["option_values"] = shown
    values["options"] = [{"product_option_id": v["option_id"], "option_value_id": v["id"]} for v in shown]


VARIANT_STORE = {"purchasing_disabled": "is_purchasing_disabled", "image_url": "image_file"}
#: a base variant's id is this plus its product's id (clear of the SKU ids, and stable)
BASE_VARIANT_IDS = 1_000_000_000
#: the variant fields a base variant reads from and writes to its product (field -> product key)
BASE_VARIANT_MIRROR = {
    field: field
    for field in (
        "sku",
        "price",
        "sale_price",
        "retail_price",
        "cost_price",
        "weight",
        "width",
        "height",
        "depth",
        "is_free_shipping",
        "fixed_cost_shipping_price",
        "inventory_level",
        "inventory_warning_level",
        "upc",
        "bin_picking_number",
    )
}
BASE_VARIANT = StandIn(
    "products",
    "product_id",
    BASE_VARIANT_IDS,
    BASE_VARIANT_MIRROR,
    fixed={"sku_id": None, "option_values": []},
    written=lambda state, product: settle_product(product),
    noun="base variant",
    owner="product",
)
VARIANTS = Collection(
    "variants",
    "/v3/catalog/products/{product_id}/variants",
    "products/skus",
    VARIANT_FIELDS,
    parents=[PRODUCT],
    store=VARIANT_STORE,
    readonly=("sku_id", "calculated_price", "calculated_weight"),
    render=_variant_render,
    prepare=_variant_prepare,
    unique=("sku",),
    noun="variant",
    stand_in=BASE_VARIANT,
)


def _variant_render_resolved(state: Any, rec: Record, out: Record) -> None:
    """The cross-product variant list shows inherited values resolved (the product's)."""
    _variant_render(state, rec, out)
    product = state.tables["products"].get(rec.get("product_id"), {})
    for field in (
        "price",
        "sale_price",
        "retail_price",
        "weight",
        "width",
        "height",
        "depth",
        "fixed_cost_shipping_price",
        "cost_price",
    ):
        if out.get(field) is None:
            out[field] = float(product.get(field) or 0)


ALL_VARIANTS = Collection(
    "variants (all products)",
    "/v3/catalog/variants",
    "products/skus",
    VARIANT_FIELDS,
    store=VARIANT_STORE,
    readonly=("sku_id", "calculated_price", "calculated_weight", "product_id"),
    render=_variant_render_resolved,
    prepare=_variant_prepare,
    unique=("sku",),
    ops="list batch_update",
    batch=50,
    noun="variant",
    stand_in=BASE_VARIANT,
)


def _values_render(table: str, key: str) -> Any:
    def render(state: Any, rec: Record, out: Record) -> None:
        rows = [row for row in table_of(state, table).values() if row.get(key) == rec["id"]]
        out["option_values"] = [
            {k: v for k, v in row.items() if k != "product_id"}
            for row in sorted(rows, key=lambda r: (r["sort_order"], r["id"]))
        ]
        out["name"] = out.get("name") or f"{out.get('display_name', '')}-{rec['id']}"

    return render


def _values_prepare(table: str, key: str, fields: Dict[str, Any]) -> Any:
    """Options and modifiers take their values inline: checked here, written by ``_values_write``."""

    def prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
        if rec is None and table == "v3/variant_option_values" and not values.get("option_values"):
            raise invalid({"option_values": "a variant option needs at least one value"})
        for index, given in enumerate(values.get("option_values") or []):
            if not isinstance(given, dict):
                raise invalid({f"option_values.{index}": "must be an object"})
            unknown = [f for f in given if f not in fields]
            if unknown:
                raise invalid(
                    {f"option_values.{index}.{unknown[0]}": "is not a field the sandbox emulates for this resource"}
                )
            if "id" not in given and not isinstance(given.get("label"), str):
                raise invalid({f"option_values.{index}.label": "error.path.missing"})
        if rec is not None and "option_values" in values:
            _values_write(state, table, key, fields, rec, values.pop("option_values"))

    return prepare


def _values_write(state: Any, table: str, key: str, fields: Dict[str, Any], rec: Record, given: List[Record]) -> None:
    rows = table_of(state, table)
    for item in given:
        vid = item.get("id")
        current = rows.get(vid) if isinstance(vid, int) else None
        if current is not None and current.get(key) == rec["id"]:
            current.update({k: v for k, v in item.items() if k != "id"})
            continue
        vid = next_id(state, table)
        row = {f: d for f, d in fields.items()}
        row.update({k: v for k, v in item.items() if k != "id"})
        row.update({"id": vid, key: rec["id"], "product_id": rec["product_id"]})
        rows[vid] = row


def _values_defaults(table: str, key: str, fields: Dict[str, Any]) -> Any:
    def defaults(state: Any, rec: Record) -> None:
        given = rec.pop("option_values", None) or []
        _values_write(state, table, key, fields, rec, given)

    return defaults


def _inline_values(table: str, fields: Dict[str, Any]) -> Dict[str, Any]:
    """The hooks of a collection whose records carry their values inline (``option_values``),
    the values being kept in ``table`` keyed by ``option_id``."""
    return {
        "render": _values_render(table, "option_id"),
        "prepare": _values_prepare(table, "option_id", fields),
        "defaults": _values_defaults(table, "option_id", fields),
    }


OPTION_VALUE_FIELDS: Dict[str, Any] = {"id": 0, "label": "", "sort_order": 0, "value_data": {}, "is_default": False}
MODIFIER_VALUE_FIELDS: Dict[str, Any] = {
    "id": 0,
    "option_id": 0,
    "label": "",
    "sort_order": 0,
    "value_data": {},
    "is_default": False,
    "adjusters": {},
}
OPTION_TYPES = ("radio_buttons", "rectangles", "dropdown", "product_list", "product_list_with_images", "swatch")

VARIANT_OPTIONS = Collection(
    "variant options",
    "/v3/catalog/products/{product_id}/options",
    "v3/variant_options",
    {
        "id": 0,
        "product_id": 0,
        "name": "",
        "display_name": "",
        "type": "dropdown",
        "config": {},
        "sort_order": 0,
        "image_url": "",
        "option_values": [],
    },
    parents=[PRODUCT],
    required=("display_name",),
    enums={"type": OPTION_TYPES},
    **_inline_values("v3/variant_option_values", OPTION_VALUE_FIELDS),
    noun="variant option",
)
OPTION_VALUES = Collection(
    "variant option values",
    "/v3/catalog/products/{product_id}/options/{option_id}/values",
    "v3/variant_option_values",
    OPTION_VALUE_FIELDS,
    parents=[PRODUCT, Parent("option_id", "v3/variant_options", "option_id", "variant option", up="product_id")],
    required=("label",),
    noun="option value",
)

MODIFIERS = Collection(
    "modifiers",
    "/v3/catalog/products/{product_id}/modifiers",
    "v3/modifiers",
    {
        "id": 0,
        "product_id": 0,
        "name": "",
        "display_name": "",
        "type": "text",
        "required": False,
        "sort_order": 0,
        "config": {},
        "option_values": [],
    },
    parents=[PRODUCT],
    required=("display_name", "type", "required"),
    enums={"type": ("date", "checkbox", "file", "text", "multi_line_text", "numbers_only_text") + OPTION_TYPES},
    **_inline_values("v3/modifier_values", MODIFIER_VALUE_FIELDS),
    noun="modifier",
)
MODIFIER_VALUES = Collection(
    "modifier values",
    "/v3/catalog/products/{product_id}/modifiers/{modifier_id}/values",
    "v3/modifier_values",
    MODIFIER_VALUE_FIELDS,
    parents=[PRODUCT, Parent("modifier_id", "v3/modifiers", "option_id", "modifier", up="product_id")],
    required=("label",),
    noun="modifier value",
)


# -- brands and categories -------------------------------------------------------------------------


def _custom_url(state: Any, rec: Record, out: Record) -> None:
    if not out.get("custom_url"):
        out["custom_url"] = {"url": f"/{slug(rec.get('name') or '')}/", "is_customized": False}
    if "image_url" in out:
        image = out["image_url"] or ""
        out["image_url"] = image if not image or image.startswith("http") else IMAGE_BASE + image


BRANDS = Collection(
    "brands",
    "/v3/catalog/brands",
    "brands",
    {
        "id": 0,
        "name": "",
        "page_title": "",
        "meta_keywords": [],
        "meta_description": "",
        "search_keywords": "",
        "image_url": "",
        "custom_url": {},
    },
    store={"image_url": "image_file", "meta_keywords": "v3_meta_keywords"},
    required=("name",),
    unique=("name",),
    render=_custom_url,
    ops="list get create update delete batch_delete",
    noun="brand",
)


def _category_prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
    parent = values.get("parent_id")
    if parent and parent not in state.tables["categories"]:
        raise invalid({"parent_id": f"no category with id {parent}"})
    if rec is not None and parent == rec["id"]:
        raise invalid({"parent_id": "a category cannot be its own parent"})


CATEGORY_FIELDS: Dict[str, Any] = {
    "id": 0,
    "parent_id": 0,
    "name": "",
    "description": "",
    "views": 0,
    "sort_order": 0,
    "page_title": "",
    "search_keywords": "",
    "meta_keywords": [],
    "meta_description": "",
    "layout_file": "category.html",
    "is_visible": True,
    "default_product_sort": "use_store_settings",
    "image_url": "",
    "custom_url": {},
}
SORTS = (
    "use_store_settings",
    "featured",
    "newest",
    "best_selling",
    "alpha_asc",
    "alpha_desc",
    "avg_customer_review",
    "price_asc",
    "price_desc",
)
CATEGORIES = Collection(
    "categories",
    "/v3/catalog/categories",
    "categories",
    CATEGORY_FIELDS,
    store={"image_url": "image_file", "meta_keywords": "v3_meta_keywords"},
    required=("name", "parent_id"),
    unique=("parent_id", "name"),
    render=_custom_url,
    prepare=_category_prepare,
    enums={"default_product_sort": SORTS},
    ops="list get create update delete batch_delete",
    noun="category",
)


# -- metafields -----------------------------------------------------------------------------------

METAFIELD_FIELDS: Dict[str, Any] = {
    "id": 0,
    "key": "",
    "value": "",
    "namespace": "",
    "permission_set": "read",
    "description": "",
    "resource_type": "product",
    "resource_id": 0,
    "date_created": "",
    "date_modified": "",
    "owner_client_id": "",
}


def _metafield_prepare(resource_type: str) -> Any:
    def prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
        errors = {}
        for field, most in (("key", 64), ("namespace", 64), ("value", 65535)):
            value = values.get(field)
            if value is not None and not 0 < len(value) <= most:
                errors[field] = f"must be a string of 1 to {most} characters"
        if errors:
            raise invalid(errors)
        values["resource_type"] = resource_type

    return prepare


def metafields(
    resource_type: str, owner_param: str, owner_table: str, nested: str, flat: str, table: str
) -> List[Collection]:
    """The two collections of one owner type's metafields: under one owner, and across owners
    (batch, cursor pagination)."""
    # what both collections check and how they answer
    shared: Dict[str, Any] = dict(
        enums={"permission_set": PERMISSIONS},
        readonly=("resource_type", "date_created", "date_modified", "owner_client_id"),
        unique=("resource_id", "namespace", "key"),
        cursor=True,
        prepare=_metafield_prepare(resource_type),
        noun="metafield",
    )
    nested_col = Collection(
        f"{resource_type} metafields",
        nested,
        table,
        METAFIELD_FIELDS,
        parents=[Parent(owner_param, owner_table, "resource_id", resource_type)],
        required=("key", "value", "namespace", "permission_set"),
        **shared,
    )
    flat_col = Collection(
        f"{resource_type} metafields (batch)",
        flat,
        table,
        METAFIELD_FIELDS,
        required=("key", "value", "namespace", "permission_set", "resource_id"),
        owner=("resource_id", owner_table),
        ops="list batch_create batch_update batch_delete",
        batch=50,
        delete_body=True,
        batch_errors=True,
        **shared,
    )
    return [nested_col, flat_col]


VARIANT_METAFIELDS, ALL_VARIANT_METAFIELDS = metafields(
    "variant",
    "variant_id",
    "products/skus",
    "/v3/catalog/products/{product_id}/variants/{variant_id}/metafields",
    "/v3/catalog/variants/metafields",
    "v3/variant_metafields",
)
# a variant's metafields sit under its product too: check the product, then the variant in it
VARIANT_METAFIELDS.parents.insert(0, PRODUCT)
VARIANT_METAFIELDS.parents[1].up = "product_id"
VARIANT_METAFIELDS.readonly = VARIANT_METAFIELDS.readonly | {"product_id"}
# ... and a base variant has metafields too
VARIANT_METAFIELDS.parents[1].lookup = ALL_VARIANT_METAFIELDS.owner_lookup = VARIANTS.lookup

METAFIELDS: List[Collection] = (
    metafields(
        "product",
        "product_id",
        "products",
        "/v3/catalog/products/{product_id}/metafields",
        "/v3/catalog/products/metafields",
        "v3/product_metafields",
    )
    + metafields(
        "brand",
        "brand_id",
        "brands",
        "/v3/catalog/brands/{brand_id}/metafields",
        "/v3/catalog/brands/metafields",
        "v3/brand_metafields",
    )
    + metafields(
        "category",
        "category_id",
        "categories",
        "/v3/catalog/categories/{category_id}/metafields",
        "/v3/catalog/categories/metafields",
        "v3/category_metafields",
    )
    + [VARIANT_METAFIELDS, ALL_VARIANT_METAFIELDS]
)

COLLECTIONS: List[Collection] = [
    IMAGES,
    VIDEOS,
    COMPLEX_RULES,
    CUSTOM_FIELDS,
    BULK_PRICING,
    REVIEWS,
    VARIANTS,
    ALL_VARIANTS,
    VARIANT_OPTIONS,
    OPTION_VALUES,
    MODIFIERS,
    MODIFIER_VALUES,
    BRANDS,
    CATEGORIES,
] + METAFIELDS


def collection_routes() -> List[Route]:
    out: List[Route] = []
    for col in COLLECTIONS:
        out.extend(routes_of(col))
    return out
