"""The v3 product fields beyond the core ones of :mod:`.legacy`, the sub-resources a product
create carries (``variants``, ``images``, ``videos``, ``custom_fields``, ``bulk_pricing_rules``)
and ``include=`` (``variants``, ``images``, ``custom_fields``, ``bulk_pricing_rules``,
``primary_image``, ``modifiers``, ``options``, ``videos``; ``parent_relations`` is accepted and
adds nothing).

Extra fields that the v2 product record has (``warranty``, ``layout_file``, ``is_price_hidden``...)
are stored there, so v2 shows them; the others (``map_price``, ``gtin``, ``mpn``,
``meta_keywords`` as a list, ``related_products`` as a list, the open graph flags...) are kept in
``v3/extra/products``. A variant's ``option_values`` given by ``option_display_name`` and
``label`` (as when creating a product with its variants) create the product's variant options
and their values on the way.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any, Dict, List, Tuple

from ..schema import PRODUCT_FIELDS
from ..store import ApiError
from . import legacy
from .catalog import (
    BASE_VARIANT_IDS,
    BULK_PRICING,
    CUSTOM_FIELDS,
    IMAGES,
    MODIFIERS,
    OPTION_VALUES,
    VARIANT_METAFIELDS,
    VARIANT_OPTIONS,
    VARIANTS,
    VIDEOS,
)
from .engine import Collection, Record, invalid, kind_error, table_of
from .legacy import ItemError

#: documented product fields not handled by .legacy, with their v3 defaults (their types)
EXTRA_FIELDS: Dict[str, Any] = {
    "map_price": 0.0,
    "product_tax_code": "",
    "fixed_cost_shipping_price": 0.0,
    "related_products": [],
    "warranty": "",
    "bin_picking_number": "",
    "layout_file": "",
    "gift_wrapping_options_type": "any",
    "gift_wrapping_options_list": [],
    "is_condition_shown": False,
    "order_quantity_minimum": 0,
    "order_quantity_maximum": 0,
    "meta_keywords": [],
    "meta_description": "",
    "preorder_release_date": None,
    "preorder_message": "",
    "is_preorder_only": False,
    "is_price_hidden": False,
    "price_hidden_label": "",
    "open_graph_type": "product",
    "open_graph_title": "",
    "open_graph_description": "",
    "open_graph_use_meta_description": True,
    "open_graph_use_product_name": True,
    "open_graph_use_image": True,
    "gtin": "",
    "mpn": "",
    "reviews_rating_sum": 0,
    "reviews_count": 0,
    "brand_name": "",
    "date_last_imported": "",
    "view_count": 0,
    "total_sold": 0,
}
ENUMS = {
    "gift_wrapping_options_type": ("any", "none", "list"),
    "open_graph_type": ("product", "album", "book", "drink", "food", "game", "movie", "song", "tv_show"),
}
#: v2 keys of the same name whose v2 form is the v3 form
V2_SAME = {
    f
    for f in EXTRA_FIELDS
    if f in PRODUCT_FIELDS
    and f
    not in (
        "related_products",
        "meta_keywords",
        "fixed_cost_shipping_price",
        "preorder_release_date",
        "date_last_imported",
    )
}
READ_ONLY = frozenset(("reviews_rating_sum", "reviews_count", "date_last_imported", "base_variant_id"))
CHILDREN: Dict[str, Collection] = {
    "variants": VARIANTS,
    "images": IMAGES,
    "videos": VIDEOS,
    "custom_fields": CUSTOM_FIELDS,
    "bulk_pricing_rules": BULK_PRICING,
}
INCLUDES: Dict[str, Collection] = dict(CHILDREN, modifiers=MODIFIERS, options=VARIANT_OPTIONS)


def check(state: Any, data: Record, creating: bool, single: bool = True) -> Tuple[Record, Record, Record]:
    """The (v2 values, v3-only values, sub-resources) of the fields .legacy does not handle;
    ItemError naming each field that is unknown or of the wrong type. Sub-resources are taken
    on create and on a single product's update (items with an ``id`` update that record), not in
    a batch update."""
    stored: Record = {}
    extra: Record = {}
    children: Record = {}
    errors: Dict[str, str] = {}
    for field, value in data.items():
        if field in CHILDREN:
            if not single:
                errors[field] = f"is set through /products/{{id}}/{field.replace('_', '-')} in a batch"
            elif not isinstance(value, list):
                errors[field] = "must be an array"
            else:
                for index, item in enumerate(value):
                    try:
                        new = not (isinstance(item, dict) and "id" in item)
                        CHILDREN[field].check(state, _child_item(field, item, new), creating=new)
                    except ItemError as exc:
                        errors.update({f"{field}.{index}.{k}": v for k, v in exc.errors.items()})
                children[field] = value
        elif field in READ_ONLY:
            continue
        elif field in EXTRA_FIELDS:
            why = kind_error(EXTRA_FIELDS[field], value)
            if why is None and field in ENUMS and value not in ENUMS[field]:
                why = "must be one of: " + ", ".join(ENUMS[field])
            if why:
                errors[field] = why
            elif field in V2_SAME:
                stored[field] = value
            elif field == "fixed_cost_shipping_price":
                stored[field] = f"{Decimal(str(value)):.4f}"
            else:
                extra[field] = value
        else:
            errors[field] = "is not a field the sandbox emulates for products"
    if errors:
        raise invalid(errors)
    return stored, extra, children


def _child_item(field: str, item: Any, new: bool = True) -> Any:
    """A sub-resource as its collection checks it (inline option values are resolved later)."""
    if field == "variants" and isinstance(item, dict):
        item = {k: v for k, v in item.items() if k not in ("option_values", "product_id", "id")}
        if new:
            item.setdefault("sku", "pending")
    elif isinstance(item, dict):
        item = {k: v for k, v in item.items() if k not in ("product_id", "id")}
    return item


def write_children(state: Any, product: Record, extra: Record, children: Record) -> None:
    """Store the v3-only values, and create (or, given their ``id``, update) the sub-resources
    of a product; every ``id`` is checked before anything is written."""
    ids = {"product_id": product["id"]}
    current: Dict[Tuple[str, int], Record] = {}
    for field, items in children.items():
        for index, item in enumerate(items):
            if "id" in item:
                try:
                    current[(field, index)] = CHILDREN[field].find(state, ids, item["id"])
                except ApiError:
                    raise invalid({f"{field}.{index}.id": f"no such record in product {product['id']}"}) from None
    if extra:
        table_of(state, "v3/extra/products").setdefault(product["id"], {}).update(extra)
    for field, items in children.items():
        col = CHILDREN[field]
        for index, item in enumerate(items):
            rec = current.get((field, index))
            values = col.check(state, _child_item(field, item, rec is None), creating=rec is None)
            if field == "variants":
                if "sku" not in item:
                    values.pop("sku", None)
                values["product_id"] = product["id"]
                if item.get("option_values"):
                    values["option_values"] = _resolve_options(state, product["id"], item["option_values"])
            col.write(state, values, rec, ids)


def _resolve_options(state: Any, pid: int, given: Any) -> List[Record]:
    """Inline option values ``{option_display_name, label}`` (or ``{option_id, id}``) as value ids,
    creating the product's options and values that do not exist yet."""
    if not isinstance(given, list):
        raise invalid({"variants.option_values": "must be an array"})
    options = table_of(state, VARIANT_OPTIONS.table)
    values = table_of(state, OPTION_VALUES.table)
    out: List[Record] = []
    for entry in given:
        if not isinstance(entry, dict):
            raise invalid({"variants.option_values": "must be objects"})
        if isinstance(entry.get("id"), int) and isinstance(entry.get("option_id"), int):
            out.append({"id": entry["id"], "option_id": entry["option_id"]})
            continue
        name, label = entry.get("option_display_name"), entry.get("label")
        if not isinstance(name, str) or not isinstance(label, str):
            raise invalid({"variants.option_values": "give {option_display_name, label} or {option_id, id}"})
        option = next((o for o in options.values() if o["product_id"] == pid and o["display_name"] == name), None)
        if option is None:
            option = VARIANT_OPTIONS.write(
                state,
                {"display_name": name, "type": "rectangles", "option_values": [{"label": label, "sort_order": 0}]},
                None,
                {"product_id": pid},
            )
        value = next((v for v in values.values() if v["option_id"] == option["id"] and v["label"] == label), None)
        if value is None:
            value = OPTION_VALUES.write(state, {"label": label}, None, {"product_id": pid, "option_id": option["id"]})
        out.append({"id": value["id"], "option_id": option["id"]})
    return out


def render_extra(state: Any, rec: Record, out: Record, include: List[str]) -> None:
    """Add the extra fields, and the sub-resources ``include`` names, to a rendered product."""
    extra = table_of(state, "v3/extra/products").get(rec["id"], {})
    for field, default in EXTRA_FIELDS.items():
        if field in extra:
            out[field] = copy.deepcopy(extra[field])
        elif field in V2_SAME and rec.get(field) is not None:
            out[field] = rec[field]
        elif field == "fixed_cost_shipping_price":
            out[field] = float(Decimal(rec.get(field) or "0"))
        else:
            out[field] = copy.deepcopy(default)
    if out["brand_name"] == "" and rec.get("brand_id"):
        out["brand_name"] = state.tables["brands"].get(rec["brand_id"], {}).get("name", "")
    out["reviews_count"] = rec.get("rating_count", 0)
    out["reviews_rating_sum"] = rec.get("rating_total", 0)
    out["base_variant_id"] = VARIANTS.stand_in_id(state, rec["id"])  # null for a product with variants
    ids = {"product_id": rec["id"]}
    for name in include:
        col = INCLUDES.get(name)
        if col is not None:
            out[name] = [col.render(state, row) for row in col.rows(state, ids)]
        elif name == "primary_image":
            images = [IMAGES.render(state, row) for row in IMAGES.rows(state, ids)]
            thumbs = [image for image in images if image["is_thumbnail"]] or images
            out["primary_image"] = thumbs[0] if thumbs else None


def included(query: Dict[str, str]) -> List[str]:
    """The names of ``include=``; 422 for one the reference does not document."""
    names = [n.strip() for n in query.get("include", "").split(",") if n.strip()]
    unknown = [n for n in names if n not in INCLUDES and n not in ("primary_image", "parent_relations")]
    if unknown:
        raise legacy.v3_error(
            422,
            "Invalid query parameter",
            {
                "include": f"{unknown[0]} is not one of: "
                + ", ".join(sorted(list(INCLUDES) + ["primary_image", "parent_relations"]))
            },
        )
    return names


def _hook_check(state: Any, data: Record, creating: bool, single: bool) -> Tuple[Record, Record, Record]:
    return check(state, data, creating, single)


def _forget_base_variant(state: Any, pid: int) -> None:
    """A deleted product's base variant goes: what it kept beside the product, and its metafields."""
    VARIANTS.forget_stand_in(state, pid)
    metafields = table_of(state, VARIANT_METAFIELDS.table)
    for mid in [mid for mid, rec in metafields.items() if rec.get("resource_id") == BASE_VARIANT_IDS + pid]:
        del metafields[mid]


legacy.PRODUCT_HOOKS.update(
    check=_hook_check, write=write_children, render=render_extra, include=included, delete=_forget_base_variant
)
