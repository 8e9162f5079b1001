"""v3 price lists (lists, records, assignments) and inventory (adjustments, items, location
settings).

A price record is keyed by (price list, variant, currency); ``variant_id`` is a v3 variant (a v2
SKU, or a simple product's base variant) or given as its ``sku``. Record batches are all or nothing (422 with errors keyed
``"{index}.{field}"``), at most 100 records a POST and 1000 a PUT (413 beyond).

Inventory lives at one location, id 1 (``Default``): an item's quantity there *is* the v2
``inventory_level`` of its SKU (or of its product, for a product without SKUs: the item's
``variant_id`` is then the product's base variant), so adjustments
show in v2 and in v3 variants. Items are named by ``sku``; another location id is a 422.
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional, Tuple

from ..routes import Reply
from .catalog import ALL_VARIANTS, BASE_VARIANT_IDS
from .engine import (
    Collection,
    Record,
    Route,
    body_list,
    envelope,
    filter_rows,
    invalid,
    kind_error,
    next_id,
    now_iso,
    path_regex,
    required_list,
    routes_of,
    shape,
    table_of,
)
from .legacy import ItemError, cursor_page_of, page_of, v3_error

RECORDS = "v3/price_records"
RECORD_BATCH = 1000  # an upsert (PUT) takes up to 1000 records
RECORD_CREATE_BATCH = 100  # a create (POST) up to 100

PRICE_LISTS = Collection(
    "price lists",
    "/v3/pricelists",
    "v3/price_lists",
    {"id": 0, "name": "", "active": True, "date_created": "", "date_modified": ""},
    required=("name",),
    readonly=("date_created", "date_modified"),
    unique=("name",),
    cursor=True,
    ops="list get create update delete batch_delete",
    noun="price list",
)

ASSIGNMENTS = Collection(
    "price list assignments",
    "/v3/pricelists/assignments",
    "v3/price_list_assignments",
    {"id": 0, "price_list_id": 0, "customer_group_id": 0, "channel_id": 1},
    required=("price_list_id",),
    owner=("price_list_id", "v3/price_lists"),
    cursor=True,
    unique=("customer_group_id", "channel_id"),
    ops="list batch_create batch_delete",
    batch=25,
    noun="price list assignment",
)

RECORD_FIELDS: Dict[str, Any] = {
    "price": 0.0,
    "sale_price": 0.0,
    "retail_price": 0.0,
    "map_price": 0.0,
    "bulk_pricing_tiers": [],
}
TIER_TYPES = ("fixed", "price", "percent")


def _list(state: Any, lid: Any) -> Record:
    rec: Optional[Record] = table_of(state, PRICE_LISTS.table).get(lid)
    if rec is None:
        raise v3_error(404, "The price list was not found", {"price_list_id": f"no price list with id {lid}"})
    return rec


def render_record(state: Any, rec: Record) -> Record:
    variant = ALL_VARIANTS.lookup(state, rec["variant_id"])  # a SKU or a base variant
    out = {
        "price_list_id": rec["price_list_id"],
        "variant_id": rec["variant_id"],
        "product_id": variant["product_id"] if variant is not None else 0,
        "sku": ALL_VARIANTS.value(state, variant, "sku") if variant is not None else "",
        "currency": rec["currency"],
        "date_created": rec["date_created"],
        "date_modified": rec["date_modified"],
    }
    out.update({k: rec.get(k, d) for k, d in RECORD_FIELDS.items()})
    out["calculated_price"] = out["sale_price"] or out["price"]
    return out


def _record_values(state: Any, item: Any, fixed: Dict[str, Any]) -> Tuple[Tuple[int, int, str], Record]:
    """(key, values) of one record item; ItemError naming the bad field."""
    if not isinstance(item, dict):
        raise invalid({"body": "must be an object"})
    data = dict(item, **fixed)
    errors: Dict[str, str] = {}
    allowed = set(RECORD_FIELDS) | {"price_list_id", "variant_id", "sku", "currency"}
    for field in data:
        if field not in allowed:
            errors[field] = "is not a field the sandbox emulates for price records"
        elif field in RECORD_FIELDS and kind_error(RECORD_FIELDS[field], data[field]):
            errors[field] = kind_error(RECORD_FIELDS[field], data[field]) or ""
    for index, tier in enumerate(data.get("bulk_pricing_tiers") or []):
        if not isinstance(tier, dict) or tier.get("type") not in TIER_TYPES:
            errors[f"bulk_pricing_tiers.{index}.type"] = "must be one of: " + ", ".join(TIER_TYPES)
    lid = data.get("price_list_id")
    if lid not in table_of(state, PRICE_LISTS.table):
        errors["price_list_id"] = f"no price list with id {lid}"
    variant_id = data.get("variant_id")
    skus = state.tables["products/skus"]
    if variant_id is None and isinstance(data.get("sku"), str):
        variant_id = next((rid for rid, rec in skus.items() if rec["sku"] == data["sku"]), None)
        if variant_id is None:  # a simple product's SKU is its base variant's
            pid = next((rid for rid, rec in state.tables["products"].items() if rec["sku"] == data["sku"]), None)
            variant_id = ALL_VARIANTS.stand_in_id(state, pid) if pid is not None else None
    if (
        not isinstance(variant_id, int)
        or isinstance(variant_id, bool)
        or ALL_VARIANTS.lookup(state, variant_id) is None
    ):
        errors["variant_id"] = "name a variant by variant_id or sku"
    currency = data.get("currency")
    if not isinstance(currency, str) or len(currency) != 3:
        errors["currency"] = "must be a three-letter currency code"
    if errors:
        raise ItemError(422, "JSON data is missing or invalid", errors)
    assert isinstance(variant_id, int) and isinstance(currency, str) and isinstance(lid, int)
    values = {k: data[k] for k in RECORD_FIELDS if k in data}
    return (lid, variant_id, currency.upper()), values


def _upsert(state: Any, key: Tuple[int, int, str], values: Record) -> Record:
    table = table_of(state, RECORDS)
    for rec in table.values():
        if (rec["price_list_id"], rec["variant_id"], rec["currency"]) == key:
            rec.update(values)
            rec["date_modified"] = now_iso()
            return rec
    rid = next_id(state, RECORDS)
    stamp = now_iso()
    rec = {
        "id": rid,
        "price_list_id": key[0],
        "variant_id": key[1],
        "currency": key[2],
        "date_created": stamp,
        "date_modified": stamp,
    }
    rec.update(values)
    table[rid] = rec
    return rec


def upsert_records(call: Any, match: Any) -> Reply:
    """POST/PUT ``/pricelists/records`` and ``/pricelists/{id}/records``: create or replace."""
    items = body_list(call, RECORD_BATCH if call.method == "PUT" else RECORD_CREATE_BATCH, "price records")
    groups = match.groupdict()
    with call.core.lock:
        state = call.core.state
        fixed: Dict[str, Any] = {}
        if groups.get("price_list_id"):
            fixed["price_list_id"] = _list(state, int(groups["price_list_id"]))["id"]
        checked: List[Tuple[Tuple[int, int, str], Record]] = []
        errors: Dict[str, str] = {}
        for index, item in enumerate(items):
            try:
                checked.append(_record_values(state, item, fixed))
            except ItemError as exc:
                errors.update(exc.keyed(index)["errors"])
        if errors:
            raise v3_error(422, "JSON data is missing or invalid", errors)
        for key, values in checked:
            _upsert(state, key, values)
        return Reply(200, envelope({}), mutated=True)


def _records(state: Any, lid: int, variant: Optional[int] = None) -> List[Record]:
    rows = [
        render_record(state, rec) | {"id": rec["id"]}
        for rec in table_of(state, RECORDS).values()
        if rec["price_list_id"] == lid and (variant is None or rec["variant_id"] == variant)
    ]
    return sorted(rows, key=lambda r: r["id"])


FILTER_FIELDS = dict.fromkeys(
    (
        "variant_id",
        "product_id",
        "currency",
        "sku",
        "price",
        "sale_price",
        "retail_price",
        "map_price",
        "calculated_price",
        "date_created",
        "date_modified",
    )
)


def list_records(call: Any, match: Any) -> Reply:
    groups = match.groupdict()
    with call.core.lock:
        state = call.core.state
        lid = _list(state, int(groups["price_list_id"]))["id"]
        variant = int(groups["variant_id"]) if groups.get("variant_id") else None
        rows = filter_rows(_records(state, lid, variant), call.query, FILTER_FIELDS)
        chunk, meta = cursor_page_of(rows, call.query)
        return Reply(
            200, {"data": shape([{k: v for k, v in r.items() if k != "id"} for r in chunk], call.query), "meta": meta}
        )


def _one_record(call: Any, match: Any) -> Tuple[Any, Tuple[int, int, str], Optional[Record]]:
    state = call.core.state
    lid = _list(state, int(match.group("price_list_id")))["id"]
    key = (lid, int(match.group("variant_id")), match.group("currency_code").upper())
    rec = next(
        (r for r in table_of(state, RECORDS).values() if (r["price_list_id"], r["variant_id"], r["currency"]) == key),
        None,
    )
    return state, key, rec


def get_record(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state, key, rec = _one_record(call, match)
        if rec is None:
            raise v3_error(404, "The price record was not found", {"variant_id": f"no record for {key}"})
        return Reply(200, envelope(render_record(state, rec)))


def put_record(call: Any, match: Any) -> Reply:
    data = call.json()
    with call.core.lock:
        state, key, _ = _one_record(call, match)
        try:
            _, values = _record_values(state, data, {"price_list_id": key[0], "variant_id": key[1], "currency": key[2]})
        except ItemError as exc:
            raise v3_error(exc.status, exc.title, exc.errors) from None
        rec = _upsert(state, key, values)
        shown = render_record(state, rec)
        shown.pop("sku")
        return Reply(200, envelope(shown), mutated=True)


def delete_record(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state, _, rec = _one_record(call, match)
        if rec is not None:
            table_of(state, RECORDS).pop(rec["id"])
    return Reply(204, mutated=True)


def delete_records(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        lid = _list(state, int(match.group("price_list_id")))["id"]
        filters = {k: v for k, v in call.query.items() if k in ("currency", "variant_id:in", "sku:in")}
        unknown = sorted(set(call.query) - set(filters))
        if unknown:  # a misspelt filter must not widen the delete to every record of the list
            raise v3_error(422, "Invalid query parameter", {unknown[0]: "is not a filter of price records"})
        doomed = filter_rows(_records(state, lid), filters, FILTER_FIELDS)
        for row in doomed:
            table_of(state, RECORDS).pop(row["id"], None)
    return Reply(204, mutated=True)


def put_assignment(call: Any, match: Any) -> Reply:
    """``PUT /pricelists/{id}/assignments``: the list's assignment for one group and channel."""
    data = call.json()
    errors = {
        f: "must be an integer"
        for f in ("customer_group_id", "channel_id")
        if not isinstance(data, dict) or kind_error(0, data.get(f)) or data.get(f) is None
    }
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    with call.core.lock:
        state = call.core.state
        lid = _list(state, int(match.group("price_list_id")))["id"]
        table = table_of(state, ASSIGNMENTS.table)
        rec = next(
            (
                r
                for r in table.values()
                if (r["customer_group_id"], r["channel_id"]) == (data["customer_group_id"], data["channel_id"])
            ),
            None,
        )
        if rec is None:
            rid = next_id(state, ASSIGNMENTS.table)
            rec = table[rid] = {"id": rid}
        rec.update(price_list_id=lid, customer_group_id=data["customer_group_id"], channel_id=data["channel_id"])
        return Reply(200, envelope(dict(rec)), mutated=True)


# -- inventory -------------------------------------------------------------------------------------

LOCATION = 1


def _stock_records(state: Any) -> List[Tuple[str, Record]]:
    """Every stocked item: ("variant", SKU record) and ("product", record without SKUs)."""
    skus = state.tables["products/skus"]
    with_skus = {rec["product_id"] for rec in skus.values()}
    items = [("variant", rec) for rec in skus.values()]
    items += [("product", rec) for rid, rec in state.tables["products"].items() if rid not in with_skus]
    return items


def _identity(kind: str, rec: Record) -> Record:
    if kind == "variant":
        return {"sku": rec["sku"], "variant_id": rec["id"], "product_id": rec["product_id"], "sku_id": rec["id"]}
    return {
        "sku": rec.get("sku") or "",
        "variant_id": BASE_VARIANT_IDS + rec["id"],
        "product_id": rec["id"],
        "sku_id": 0,
    }


def _settings(state: Any, kind: str, rec: Record) -> Record:
    stored = table_of(state, "v3/inventory_settings").get(rec["id"] * 2 + (kind == "variant"), {})
    return {
        "safety_stock": stored.get("safety_stock", 0),
        "is_in_stock": stored.get("is_in_stock", True),
        "warning_level": rec.get("inventory_warning_level", 0),
        "bin_picking_number": rec.get("bin_picking_number") or "",
    }


def _location(call: Any, match: Any) -> int:
    lid = int(match.group("location_id"))
    if lid != LOCATION:
        raise v3_error(404, "The location was not found", {"location_id": f"no location with id {lid}"})
    return lid


def _item_rows(state: Any, query: Dict[str, str]) -> List[Record]:
    rows: List[Record] = []
    for kind, rec in _stock_records(state):
        identity = _identity(kind, rec)
        rows.append(dict(identity, id=len(rows) + 1, record=(kind, rec)))
    filters = {k: v for k, v in query.items() if k in ("sku:in", "variant_id:in", "product_id:in")}
    return filter_rows(rows, filters, {"sku": "", "variant_id": 0, "product_id": 0})


def inventory_items(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        wanted = call.query.get("location_id:in")
        rows = _item_rows(state, call.query)
        chunk, meta = page_of(rows, call.query)
        data = []
        for row in chunk:
            kind, rec = row["record"]
            level = int(rec.get("inventory_level") or 0)
            settings = _settings(state, kind, rec)
            locations = (
                []
                if wanted and str(LOCATION) not in wanted.split(",")
                else [
                    {
                        "location_id": LOCATION,
                        "location_code": "default",
                        "location_name": "Default",
                        "available_to_sell": max(level - settings["safety_stock"], 0),
                        "total_inventory_onhand": level,
                        "location_enabled": True,
                        "settings": settings,
                    }
                ]
            )
            data.append({"identity": _identity(kind, rec), "locations": locations})
        return Reply(200, {"data": data, "meta": meta})


def location_items(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        _location(call, match)
        chunk, meta = page_of(_item_rows(state, call.query), call.query)
        data = []
        for row in chunk:
            kind, rec = row["record"]
            level = int(rec.get("inventory_level") or 0)
            settings = _settings(state, kind, rec)
            data.append(
                {
                    "identity": _identity(kind, rec),
                    "total_inventory_onhand": level,
                    "available_to_sell": max(level - settings["safety_stock"], 0),
                    "settings": settings,
                }
            )
        return Reply(200, {"data": data, "meta": meta})


def _by_sku(state: Any) -> Dict[str, Tuple[str, Record]]:
    found: Dict[str, Tuple[str, Record]] = {}
    for kind, rec in _stock_records(state):
        if rec.get("sku"):
            found.setdefault(rec["sku"].lower(), (kind, rec))
    return found


def adjustment(relative: bool) -> Any:
    def handle(call: Any, match: Any) -> Reply:
        items = required_list(call.json(), "items")
        with call.core.lock:
            state = call.core.state
            known = _by_sku(state)
            errors: Dict[str, str] = {}
            changes = []
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    errors[f"items.{index}"] = "must be an object"
                    continue
                if item.get("location_id") != LOCATION:
                    errors[f"items.{index}.location_id"] = f"the sandbox has one location, id {LOCATION}"
                target = known.get(str(item.get("sku", "")).lower())
                if target is None:
                    errors[f"items.{index}.sku"] = f"no variant or product with SKU {item.get('sku')!r}"
                quantity = item.get("quantity")
                if kind_error(0, quantity) or quantity is None:
                    errors[f"items.{index}.quantity"] = "must be an integer"
                elif target is not None:
                    level = int(target[1].get("inventory_level") or 0) + quantity if relative else quantity
                    if level < 0:
                        errors[f"items.{index}.quantity"] = "would leave less than zero in stock"
                    changes.append((target[1], level))
            if errors:
                raise v3_error(422, "JSON data is missing or invalid", errors)
            for rec, level in changes:
                rec["inventory_level"] = level
            return Reply(200, {"transaction_id": str(uuid.uuid4())}, mutated=True)

    return handle


def location_settings(call: Any, match: Any) -> Reply:
    settings = required_list(call.json(), "settings")
    with call.core.lock:
        state = call.core.state
        _location(call, match)
        skus, products = state.tables["products/skus"], state.tables["products"]
        errors: Dict[str, str] = {}
        plan = []
        for index, entry in enumerate(settings):
            identity = entry.get("identity") if isinstance(entry, dict) else None
            if not isinstance(identity, dict):
                errors[f"settings.{index}.identity"] = "error.path.missing"
                continue
            target: Optional[Tuple[str, Record]] = None
            vid = identity.get("variant_id")
            variant = ALL_VARIANTS.lookup(state, vid) if isinstance(vid, int) else None
            if vid in skus:
                target = ("variant", skus[vid])
            elif variant is not None:  # a base variant: its stock is its product's
                target = ("product", products[variant["product_id"]])
            elif identity.get("product_id") in products:
                target = ("product", products[identity["product_id"]])
            elif isinstance(identity.get("sku"), str):
                target = _by_sku(state).get(identity["sku"].lower())
            if target is None:
                errors[f"settings.{index}.identity"] = "names no variant or product"
                continue
            for field, default in (
                ("safety_stock", 0),
                ("is_in_stock", True),
                ("warning_level", 0),
                ("bin_picking_number", ""),
            ):
                if field in entry and kind_error(default, entry[field]):
                    errors[f"settings.{index}.{field}"] = kind_error(default, entry[field]) or ""
            plan.append((target, entry))
        if errors:
            raise v3_error(422, "JSON data is missing or invalid", errors)
        table = table_of(state, "v3/inventory_settings")
        for (kind, rec), entry in plan:
            key = rec["id"] * 2 + (kind == "variant")
            stored = table.setdefault(key, {"id": key})
            stored.update({k: entry[k] for k in ("safety_stock", "is_in_stock") if k in entry})
            if "warning_level" in entry:
                rec["inventory_warning_level"] = entry["warning_level"]
            if "bin_picking_number" in entry:
                rec["bin_picking_number"] = entry["bin_picking_number"]
        return Reply(200, {"transaction_id": str(uuid.uuid4())}, mutated=True)


ROUTES: List[Route] = (
    [
        ("POST", path_regex("/v3/pricelists/records"), upsert_records),
        ("PUT", path_regex("/v3/pricelists/records"), upsert_records),
        ("PUT", path_regex("/v3/pricelists/{price_list_id}/assignments"), put_assignment),
        ("GET", path_regex("/v3/pricelists/{price_list_id}/records"), list_records),
        ("POST", path_regex("/v3/pricelists/{price_list_id}/records"), upsert_records),
        ("PUT", path_regex("/v3/pricelists/{price_list_id}/records"), upsert_records),
        ("DELETE", path_regex("/v3/pricelists/{price_list_id}/records"), delete_records),
        ("GET", path_regex("/v3/pricelists/{price_list_id}/records/{variant_id}"), list_records),
        (
            "GET",
            "^/v3/pricelists/(?P<price_list_id>[0-9]{1,12})/records/(?P<variant_id>[0-9]{1,12})/"
            "(?P<currency_code>[A-Za-z]{3})$",
            get_record,
        ),
        (
            "PUT",
            "^/v3/pricelists/(?P<price_list_id>[0-9]{1,12})/records/(?P<variant_id>[0-9]{1,12})/"
            "(?P<currency_code>[A-Za-z]{3})$",
            put_record,
        ),
        (
            "DELETE",
            "^/v3/pricelists/(?P<price_list_id>[0-9]{1,12})/records/(?P<variant_id>[0-9]{1,12})/"
            "(?P<currency_code>[A-Za-z]{3})$",
            delete_record,
        ),
        ("PUT", path_regex("/v3/inventory/adjustments/absolute"), adjustment(relative=False)),
        ("POST", path_regex("/v3/inventory/adjustments/relative"), adjustment(relative=True)),
        ("GET", path_regex("/v3/inventory/items"), inventory_items),
        ("GET", path_regex("/v3/inventory/locations/{location_id}/items"), location_items),
        ("PUT", path_regex("/v3/inventory/locations/{location_id}/items"), location_settings),
    ]
    + routes_of(ASSIGNMENTS)
    + routes_of(PRICE_LISTS)
)
