"""v3 products and customers (hand-written, on the v2 records), the GraphQL endpoint, and the
page/cursor/207 helpers every v3 family of the package uses (see :mod:`bigcommerce.sandbox.v3`).

Everything here is an independent implementation (nothing from the client is imported). v3 products
and customers are the v2 records of the same store, shown and written in v3 form, so ids and names
agree between the two APIs. Paths are under ``/stores/{hash}`` (OAuth only).

v3 REST
=======

Lists answer ``{"data": [...], "meta": {"pagination": {total, count, per_page, current_page,
total_pages, links: {previous, current, next}, too_many}}}``; the links carry only ``page`` and
``limit`` (``?page=2&limit=50``), as the real API's do, so a client must keep its own filters.
``limit`` defaults to 50, at most 250; a page past the end is ``200`` with ``"data": []``. Unknown
query parameters are ignored. Errors are ``{status, title, type, errors: {field: message}}``.

=================================================  =======================================================
``GET    /v3/catalog/products``                    list; ``id``, ``id:in``, ``id:not_in``, ``id:min``,
                                                   ``id:max``, ``name``, ``name:like``, ``sku``, ``sku:in``,
                                                   ``type``, ``is_visible``, ``is_featured``, ``brand_id``,
                                                   ``categories:in``, ``price:min``, ``price:max``,
                                                   ``keyword``, ``availability``, ``sort`` + ``direction``,
                                                   ``include`` (see :mod:`.products`), ``include_fields``
``GET    /v3/catalog/products/{id}``               one product; 404 when missing
``POST   /v3/catalog/products``                    create one (``name``, ``type``, ``weight``, ``price``
                                                   required; 409 for a duplicate name or SKU), with its
                                                   ``variants``, ``images``, ``videos``,
                                                   ``custom_fields``, ``bulk_pricing_rules``
``PUT    /v3/catalog/products``                    batch update, a list of at most 10 objects with ``id``;
                                                   all or nothing: any invalid item refuses the batch (422,
                                                   errors keyed ``"{index}.{field}"``)
``PUT    /v3/catalog/products/{id}``               update one
``DELETE /v3/catalog/products?id:in=1,2``          delete (a filter is required); 204
``DELETE /v3/catalog/products/{id}``               delete one; 204
``GET    /v3/customers``                           list; ``id:in``, ``email:in``, ``name:like``,
                                                   ``name:in``, ``company:in``, ``customer_group_id:in``,
                                                   ``date_created:min``/``max``, ``sort`` (``field:asc|desc``),
                                                   ``include`` (addresses, attributes, formfields)
``POST   /v3/customers``                           batch create, a list of at most 10 (with their
                                                   addresses, attributes, form fields, password)
``PUT    /v3/customers``                           batch update, a list of at most 10 objects with ``id``
``DELETE /v3/customers?id:in=1,2``                 delete; 204
=================================================  =======================================================

Fields the sandbox does not emulate are refused with a 422 naming them. Customer batches are
applied item by item: when some items fail and others do not the answer is **207** ``{"data":
[applied...], "errors": [{status, title, type, errors}...], "meta": {"total", "success",
"failed"}}`` (an error's ``errors`` keys start with the item's index in the request, e.g.
``"1.email"``); when every item fails it is the first failure's status (422, 409 or 404) with all
the errors. A product batch is all or nothing (422).

Cursor pagination (``cursor_page_of``, used by metafields, price lists...): ``?after=CURSOR`` /
``?before=CURSOR`` (not both) with ``limit``; ``page`` is then ignored. Every answer carries
``meta.cursor_pagination`` = ``{count, per_page, start_cursor, end_cursor, links: {previous?,
next?}}`` (``next`` = ``?after={end_cursor}&limit=N``, present while items follow).

GraphQL
=======

``POST /graphql`` with ``{"query", "variables"?, "operationName"?}`` runs queries (no mutations,
fragments or directives) against this schema::

    type Query   { system: System!  site: Site! }
    type System  { time: Int! }                              # unix seconds, like v2 /time
    type Site    { settings: Settings!
                   products(first: Int = 10, after: String, entityIds: [Int]): ProductConnection!
                   product(entityId: Int!): Product }
    type Settings { storeName: String!  storeHash: String! }
    type ProductConnection { pageInfo: PageInfo!  edges: [ProductEdge!]!  collectionInfo: CollectionInfo }
    type CollectionInfo { totalItems: Int }
    type ProductEdge { cursor: String!  node: Product! }
    type PageInfo { hasNextPage: Boolean!  hasPreviousPage: Boolean!  startCursor: String  endCursor: String }
    type Product { id: ID!  entityId: Int!  name: String!  sku: String!  path: String!
                   prices: Prices }
    type Prices  { price: Money!  salePrice: Money  retailPrice: Money }
    type Money   { value: Float!  currencyCode: String! }

``first`` is 1..50. Answers are HTTP 200: ``{"data": ...}``, or ``{"errors": [{message, locations,
path?}]}`` for a document that does not parse or asks for anything the schema does not have (an
unknown field, argument or variable), or ``{"data": ... null ..., "errors": [...]}`` for a bad
argument value. A body that is not JSON or has no ``query`` is 400 ``{"errors": [...]}``.
"""

from __future__ import annotations

import base64
import json
import math
import re
import time
from datetime import timezone
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..dates import format_timestamp, parse_date
from ..routes import Reply
from ..schema import BY_NAME, slug
from ..store import ApiError, decimal4, error_object

MAX_LIMIT = 250
DEFAULT_LIMIT = 50
PRODUCT_BATCH = 10
CUSTOMER_BATCH = 10
METAFIELDS = "v3/product_metafields"  # catalog's product metafields table: a deleted product takes its own


def v3_error(status: int, title: str, errors: Optional[Dict[str, Any]] = None) -> ApiError:
    return ApiError(status, title, body=error_object(status, title, errors))


class ItemError(Exception):
    """One item of a write refused: status, title, {field: message}."""

    def __init__(self, status: int, title: str, errors: Dict[str, str]):
        super().__init__(title)
        self.status, self.title, self.errors = status, title, errors

    def keyed(self, index: Optional[int]) -> Dict[str, Any]:
        errors = self.errors if index is None else {f"{index}.{key}": value for key, value in self.errors.items()}
        return error_object(self.status, self.title, errors)


def invalid(errors: Dict[str, str]) -> ItemError:
    return ItemError(422, "JSON data is missing or invalid", errors)


def _missing(data: Any, required: Tuple[str, ...]) -> Dict[str, str]:
    """The start of an item's checks: it must be an object; required fields it lacks."""
    if not isinstance(data, dict):
        raise invalid({"body": "must be an object"})
    return {field: "error.path.missing" for field in required if data.get(field) in (None, "")}


def _batch_id(item: Any, table: Dict[int, Dict[str, Any]], noun: str) -> int:
    """The ``id`` of one item of a batch update, naming a record of ``table``; ItemError if not."""
    rid = item.get("id") if isinstance(item, dict) else None
    if isinstance(rid, bool) or not isinstance(rid, int):
        raise invalid({"id": "error.path.missing"})
    if rid not in table:
        raise ItemError(404, f"The {noun} was not found", {"id": f"no {noun} with id {rid}"})
    return rid


# -- values -----------------------------------------------------------------------------------


def iso_date(rfc: Any) -> Any:
    """Stored RFC 2822 date -> ISO 8601 (v3's form); '' and None stay."""
    if not rfc:
        return rfc
    try:
        return parse_date(rfc).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    except ValueError:
        return rfc


def _number(text: Any) -> float:
    return float(Decimal(text)) if text not in (None, "") else 0.0


def now_rfc() -> str:
    return format_timestamp(time.time())


def _positive(query: Dict[str, str], name: str, default: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not re.match(r"^[0-9]{1,9}$", text.strip()) or int(text) < 1:
        raise v3_error(422, "Invalid query parameter", {name: "must be a positive integer"})
    return int(text)


def id_list(text: str, name: str) -> List[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise v3_error(422, "Invalid query parameter", {name: "must be a comma-separated list of integers"}) from None


def _bool(text: str, name: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise v3_error(422, "Invalid query parameter", {name: "must be true or false"})


# -- pages and cursors ------------------------------------------------------------------------


def _limit(query: Dict[str, str]) -> int:
    limit = _positive(query, "limit", DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        raise v3_error(422, "Invalid query parameter", {"limit": f"must be at most {MAX_LIMIT}"})
    return limit


def page_of(rows: List[Dict[str, Any]], query: Dict[str, str]) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """The requested page of ``rows`` and its ``meta`` (page-number pagination)."""
    page = _positive(query, "page", 1)
    limit = _limit(query)
    total = len(rows)
    pages = int(math.ceil(total / float(limit)))
    chunk = rows[(page - 1) * limit : page * limit]
    links = {"current": f"?page={page}&limit={limit}"}
    if page > 1:
        links["previous"] = f"?page={page - 1}&limit={limit}"
    if page < pages:
        links["next"] = f"?page={page + 1}&limit={limit}"
    return chunk, {
        "pagination": {
            "total": total,
            "count": len(chunk),
            "per_page": limit,
            "current_page": page,
            "total_pages": pages,
            "links": links,
            "too_many": False,
        }
    }


def encode_cursor(rid: int) -> str:
    return base64.urlsafe_b64encode(f"id:{rid}".encode()).decode().rstrip("=")


def decode_cursor(text: str, name: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        if not raw.startswith("id:"):
            raise ValueError
        return int(raw[3:])
    except (ValueError, UnicodeDecodeError):
        raise v3_error(422, "Invalid query parameter", {name: "is not a valid cursor"}) from None


def cursor_page_of(rows: List[Dict[str, Any]], query: Dict[str, str]) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """Page-number pagination, or cursor pagination when ``after``/``before`` is given; rows are
    in id order. The meta always has ``cursor_pagination``."""
    after, before = query.get("after"), query.get("before")
    if after is not None and before is not None:
        raise v3_error(422, "Invalid query parameter", {"before": "cannot be used with after"})
    if after is None and before is None:
        chunk, meta = page_of(rows, query)
        limit = meta["pagination"]["per_page"]
    else:
        limit = _limit(query)
        if after is not None:
            start = decode_cursor(after, "after")
            chunk = [rec for rec in rows if rec["id"] > start][:limit]
        else:
            end = decode_cursor(str(before), "before")
            chunk = [rec for rec in rows if rec["id"] < end][-limit:]
        meta = {"pagination": {"total": len(rows), "count": len(chunk), "per_page": limit}}
    links = {}
    if chunk:
        first, last = chunk[0]["id"], chunk[-1]["id"]
        if any(rec["id"] < first for rec in rows):
            links["previous"] = f"?before={encode_cursor(first)}&limit={limit}"
        if any(rec["id"] > last for rec in rows):
            links["next"] = f"?after={encode_cursor(last)}&limit={limit}"
    meta["cursor_pagination"] = {
        "count": len(chunk),
        "per_page": limit,
        "start_cursor": encode_cursor(chunk[0]["id"]) if chunk else "",
        "end_cursor": encode_cursor(chunk[-1]["id"]) if chunk else "",
        "links": links,
    }
    return chunk, meta


def _sorted(
    rows: List[Dict[str, Any]], field: Optional[str], descending: bool, key: Callable[[Dict[str, Any]], Any]
) -> List[Dict[str, Any]]:
    if field is None:
        return sorted(rows, key=lambda rec: rec["id"], reverse=descending)
    return sorted(rows, key=lambda rec: (key(rec), rec["id"]), reverse=descending)


def _only(items: List[Dict[str, Any]], query: Dict[str, str]) -> List[Dict[str, Any]]:
    fields = query.get("include_fields")
    if not fields:
        return items
    wanted = {name.strip() for name in fields.split(",")} | {"id"}
    return [{k: v for k, v in item.items() if k in wanted} for item in items]


def body_list(call: Any, most: int, noun: str) -> List[Any]:
    data = call.json()
    if not isinstance(data, list) or not data:
        raise v3_error(422, "JSON data is missing or invalid", {"body": f"must be a non-empty array of {noun}"})
    if len(data) > most:
        raise v3_error(
            413, "Batch size limit exceeded", {"body": f"at most {most} {noun} per request, got {len(data)}"}
        )
    return data


def body_object(call: Any) -> Dict[str, Any]:
    """The request's JSON, which must be an object; 422 otherwise."""
    data = call.json()
    if not isinstance(data, dict):
        raise v3_error(422, "JSON data is missing or invalid", {"body": "must be an object"})
    return data


def envelope(data: Any, meta: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {"data": data, "meta": meta or {}}


def mixed_answer(results: List[Tuple[Optional[Dict[str, Any]], Optional[Dict[str, Any]]]]) -> Reply:
    """The answer to an item-by-item batch: 200, 207 or the first failure's status."""
    applied = [item for item, _ in results if item is not None]
    errors = [error for _, error in results if error is not None]
    if not errors:
        return Reply(200, envelope(applied), mutated=True)
    if applied:
        return Reply(
            207,
            {
                "data": applied,
                "errors": errors,
                "meta": {"total": len(results), "success": len(applied), "failed": len(errors)},
            },
            mutated=True,
        )
    merged: Dict[str, Any] = {}
    for error in errors:
        merged.update(error["errors"])
    status = errors[0]["status"]
    title = errors[0]["title"] if len(errors) == 1 else "None of the items could be saved"
    raise v3_error(status, title, merged)


# -- products -----------------------------------------------------------------------------------

_PRODUCT_DECIMALS = ("weight", "width", "depth", "height", "price", "cost_price", "retail_price", "sale_price")
_PRODUCT_STRINGS = ("name", "sku", "description", "availability_description", "search_keywords", "page_title", "upc")
_PRODUCT_INTS = ("brand_id", "inventory_level", "inventory_warning_level", "sort_order", "tax_class_id")
_PRODUCT_BOOLS = ("is_visible", "is_featured", "is_free_shipping")
_PRODUCT_ENUMS = {
    "type": ("physical", "digital"),
    "availability": ("available", "disabled", "preorder"),
    "condition": ("New", "Used", "Refurbished"),
    "inventory_tracking": ("none", "product", "variant"),
}
_TRACKING_V2 = {"none": "none", "product": "simple", "variant": "sku"}
_TRACKING_V3 = {v: k for k, v in _TRACKING_V2.items()}
_PRODUCT_REQUIRED = ("name", "type", "weight", "price")


#: set by :mod:`.products`: ``check(state, data, creating) -> (v2 values, v3-only values,
#: sub-resources)`` for the fields handled there, ``write(state, product, extra, children)``,
#: ``render(state, product, out, include)``, ``include(query) -> names`` and
#: ``delete(state, product id)`` (after the product and its v2 children are gone)
PRODUCT_HOOKS: Dict[str, Callable[..., Any]] = {}
_PRODUCT_IGNORED = frozenset(("id", "calculated_price", "date_created", "date_modified", "base_variant_id"))


def render_product(rec: Dict[str, Any], state: Any = None, include: Tuple[str, ...] = ()) -> Dict[str, Any]:
    out = {
        "id": rec["id"],
        "name": rec["name"],
        "type": rec["type"],
        "sku": rec["sku"],
        "description": rec["description"],
    }
    for field in _PRODUCT_DECIMALS:
        out[field] = _number(rec.get(field))
    out["calculated_price"] = _number(rec.get("calculated_price"))
    out.update(
        {
            "categories": list(rec.get("categories") or []),
            "brand_id": rec.get("brand_id", 0),
            "inventory_level": rec.get("inventory_level", 0),
            "inventory_warning_level": rec.get("inventory_warning_level", 0),
            "inventory_tracking": _TRACKING_V3.get(str(rec.get("inventory_tracking")), "none"),
            "is_free_shipping": rec.get("is_free_shipping", False),
            "is_visible": rec.get("is_visible", False),
            "is_featured": rec.get("is_featured", False),
            "sort_order": rec.get("sort_order", 0),
            "tax_class_id": rec.get("tax_class_id", 0),
            "availability": rec.get("availability", "available"),
            "availability_description": rec.get("availability_description", ""),
            "condition": rec.get("condition", "New"),
            "upc": rec.get("upc") or "",
            "search_keywords": rec.get("search_keywords") or "",
            "page_title": rec.get("page_title", ""),
            "view_count": rec.get("view_count", 0),
            "total_sold": rec.get("total_sold", 0),
            "date_created": iso_date(rec.get("date_created")),
            "date_modified": iso_date(rec.get("date_modified")),
            "custom_url": {"url": rec.get("custom_url") or "", "is_customized": False},
        }
    )
    if state is not None and "render" in PRODUCT_HOOKS:
        PRODUCT_HOOKS["render"](state, rec, out, list(include))
    return out


def _product_values(data: Any, creating: bool, state: Any = None, single: bool = True) -> Dict[str, Any]:
    """Checked v2-form values from a v3 product object; ItemError listing every bad field. The
    fields :mod:`.products` handles come back under ``_extra`` and ``_children``."""
    errors = _missing(data, _PRODUCT_REQUIRED if creating else ())
    values: Dict[str, Any] = {}
    rest: Dict[str, Any] = {}
    for field, value in data.items():
        if field in _PRODUCT_DECIMALS:
            try:
                values[field] = decimal4(value, field)
                if Decimal(values[field]) < 0:
                    errors[field] = "must be zero or more"
            except ApiError:
                errors[field] = "must be a number"
        elif field in _PRODUCT_STRINGS:
            if not isinstance(value, str):
                errors[field] = "must be a string"
            elif field == "name" and not value.strip():
                errors[field] = "must not be empty"
            else:
                values[field] = value
        elif field in _PRODUCT_INTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors[field] = "must be a whole number >= 0"
            else:
                values[field] = value
        elif field in _PRODUCT_BOOLS:
            if not isinstance(value, bool):
                errors[field] = "must be a boolean"
            else:
                values[field] = value
        elif field in _PRODUCT_ENUMS:
            if value not in _PRODUCT_ENUMS[field]:
                errors[field] = "must be one of: {}".format(", ".join(_PRODUCT_ENUMS[field]))
            else:
                values[field] = _TRACKING_V2[value] if field == "inventory_tracking" else value
        elif field == "categories":
            if not isinstance(value, list) or not all(
                isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in value
            ):
                errors[field] = "must be a list of category ids"
            else:
                values[field] = list(value)
        elif field == "custom_url":
            url = value.get("url") if isinstance(value, dict) else None
            if not isinstance(url, str) or not url.startswith("/"):
                errors[field] = "must be an object whose url starts with /"
            else:
                values[field] = url
        elif field not in _PRODUCT_IGNORED:  # read-only fields are ignored, as v3 does
            rest[field] = value
    if "check" in PRODUCT_HOOKS and (rest or creating):
        try:
            stored, extra, children = PRODUCT_HOOKS["check"](state, rest, creating, single)
        except ItemError as exc:
            errors.update(exc.errors)
        else:
            values.update(stored)
            values["_extra"], values["_children"] = extra, children
    if errors:
        raise invalid(errors)
    return values


def _pending(values: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    return values.pop("_extra", {}), values.pop("_children", {})


def _check_product_unique(
    table: Dict[int, Dict[str, Any]], rid: Optional[int], values: Dict[str, Any], pending: Dict[int, Dict[str, Any]]
) -> None:
    for field, title in (("name", "The product name is a duplicate"), ("sku", "The product SKU is a duplicate")):
        value = values.get(field)
        if not value:
            continue
        lowered = value.lower()
        for other_id, other in table.items():
            if other_id == rid:
                continue
            current = pending.get(other_id, {}).get(field, other.get(field))
            if isinstance(current, str) and current.lower() == lowered:
                raise ItemError(409, title, {field: f"{value} is already used by product {other_id}"})


def _apply_product(rec: Dict[str, Any], values: Dict[str, Any], state: Any = None) -> None:
    """Update a product record; its v3-only values and sub-resources go through .products first
    (an ItemError from there leaves the record unchanged)."""
    extra, children = _pending(values)
    if (extra or children) and state is not None and "write" in PRODUCT_HOOKS:
        PRODUCT_HOOKS["write"](state, rec, extra, children)
    rec.update(values)
    settle_product(rec)


def settle_product(rec: Dict[str, Any]) -> None:
    """Recompute what a product record derives from its values (after any change to them)."""
    sale = Decimal(rec.get("sale_price") or "0")
    rec["calculated_price"] = rec["sale_price"] if sale > 0 else rec["price"]
    rec["date_modified"] = now_rfc()


def _product_filters(query: Dict[str, str]) -> List[Callable[..., bool]]:
    tests: List[Callable[..., bool]] = []
    for param, text in query.items():
        lowered = text.lower()
        if param == "id":
            wanted = id_list(text, param)[:1]
            tests.append(lambda rec, w=wanted: rec["id"] in w)
        elif param == "id:in":
            wanted_set = set(id_list(text, param))
            tests.append(lambda rec, w=wanted_set: rec["id"] in w)
        elif param == "id:not_in":
            unwanted = set(id_list(text, param))
            tests.append(lambda rec, w=unwanted: rec["id"] not in w)
        elif param in ("id:min", "id:max", "id:greater", "id:less"):
            bound = id_list(text, param)[:1] or [0]
            op = param.split(":")[1]
            tests.append(
                lambda rec, b=bound[0], o=op: (
                    rec["id"] >= b
                    if o == "min"
                    else rec["id"] <= b
                    if o == "max"
                    else rec["id"] > b
                    if o == "greater"
                    else rec["id"] < b
                )
            )
        elif param in ("name", "sku", "type", "availability"):
            tests.append(lambda rec, f=param, t=lowered: (rec.get(f) or "").lower() == t)
        elif param == "name:like":
            tests.append(lambda rec, t=lowered: t in rec["name"].lower())
        elif param == "sku:in":
            skus = {part.strip().lower() for part in text.split(",")}
            tests.append(lambda rec, s=skus: (rec.get("sku") or "").lower() in s)
        elif param in ("is_visible", "is_featured"):
            flag = _bool(text, param)
            tests.append(lambda rec, f=param, v=flag: rec.get(f) is v)
        elif param == "brand_id":
            brand = (id_list(text, param) or [0])[0]
            tests.append(lambda rec, b=brand: rec.get("brand_id") == b)
        elif param == "categories:in":
            cats = set(id_list(text, param))
            tests.append(lambda rec, c=cats: bool(c & set(rec.get("categories") or ())))
        elif param in ("price:min", "price:max"):
            try:
                bound_price = Decimal(text)
            except ArithmeticError:
                raise v3_error(422, "Invalid query parameter", {param: "must be a number"}) from None
            upper = param.endswith("max")
            tests.append(
                lambda rec, b=bound_price, u=upper: Decimal(rec["price"]) <= b if u else Decimal(rec["price"]) >= b
            )
        elif param == "keyword":
            tests.append(
                lambda rec, t=lowered: any(t in (rec.get(f) or "").lower() for f in ("name", "sku", "description"))
            )
    return tests


_PRODUCT_SORTS = {
    "id": lambda r: r["id"],
    "name": lambda r: r["name"].lower(),
    "sku": lambda r: (r.get("sku") or "").lower(),
    "price": lambda r: Decimal(r["price"]),
    "inventory_level": lambda r: r.get("inventory_level", 0),
    "total_sold": lambda r: r.get("total_sold", 0),
    "date_modified": lambda r: parse_date(r["date_modified"]).timestamp() if r.get("date_modified") else 0,
}


def _product_rows(call: Any) -> List[Dict[str, Any]]:
    query = call.query
    rows = list(call.core.state.tables["products"].values())
    tests = _product_filters(query)
    if tests:
        rows = [rec for rec in rows if all(test(rec) for test in tests)]
    field = query.get("sort")
    if field is not None and field not in _PRODUCT_SORTS:
        raise v3_error(
            422, "Invalid query parameter", {"sort": "must be one of: {}".format(", ".join(sorted(_PRODUCT_SORTS)))}
        )
    direction = query.get("direction", "asc").lower()
    if direction not in ("asc", "desc"):
        raise v3_error(422, "Invalid query parameter", {"direction": "must be asc or desc"})
    return _sorted(rows, field, direction == "desc", _PRODUCT_SORTS[field or "id"])


def _product_or_404(call: Any, match: Any) -> Dict[str, Any]:
    rid = int(match.group("id"))
    rec: Optional[Dict[str, Any]] = call.core.state.tables["products"].get(rid)
    if rec is None:
        raise v3_error(404, "The product was not found", {"id": f"no product with id {rid}"})
    return rec


def list_products(call: Any, match: Any) -> Reply:
    with call.core.lock:
        rows = _product_rows(call)
        include = _product_include(call.query)
        query = call.query
        if {"options", "modifiers"} & set(include):  # documented: such pages hold at most 10
            query = dict(query, limit=str(min(_limit(query), 10)))
        chunk, meta = page_of(rows, query)
        state = call.core.state
        return Reply(200, {"data": _only([render_product(r, state, include) for r in chunk], call.query), "meta": meta})


def _product_include(query: Dict[str, str]) -> Tuple[str, ...]:
    return tuple(PRODUCT_HOOKS["include"](query)) if "include" in PRODUCT_HOOKS else ()


def get_product(call: Any, match: Any) -> Reply:
    with call.core.lock:
        include = _product_include(call.query)
        rec = _product_or_404(call, match)
        return Reply(200, envelope(_only([render_product(rec, call.core.state, include)], call.query)[0]))


def create_product(call: Any, match: Any) -> Reply:
    data = body_object(call)
    with call.core.lock:
        table = call.core.state.tables["products"]
        try:
            values = _product_values(data, creating=True, state=call.core.state)
            _check_product_unique(table, None, values, {})
        except ItemError as exc:
            raise v3_error(exc.status, exc.title, exc.errors) from None
        values.setdefault("custom_url", "/{}/".format(slug(values["name"])))
        values.setdefault("categories", [])
        values.setdefault("availability", "available")
        extra, children = _pending(values)
        rec = call.core.state.insert(BY_NAME["products"], {}, time.time())
        _apply_product(rec, values)
        if "write" in PRODUCT_HOOKS:
            try:
                PRODUCT_HOOKS["write"](call.core.state, rec, extra, children)
            except ItemError as exc:  # undo: a refused sub-resource leaves no product behind
                _delete_products(call, [rec["id"]])
                raise v3_error(exc.status, exc.title, exc.errors) from None
        include = tuple(
            name for name in ("variants", "images", "videos", "custom_fields", "bulk_pricing_rules") if name in children
        )
        return Reply(200, envelope(render_product(rec, call.core.state, include)), mutated=True)


def update_product(call: Any, match: Any) -> Reply:
    data = body_object(call)
    with call.core.lock:
        rec = _product_or_404(call, match)
        try:
            values = _product_values(data, creating=False, state=call.core.state)
            _check_product_unique(call.core.state.tables["products"], rec["id"], values, {})
        except ItemError as exc:
            raise v3_error(exc.status, exc.title, exc.errors) from None
        children = tuple(name for name in values.get("_children", {}))
        try:
            _apply_product(rec, values, call.core.state)
        except ItemError as exc:
            raise v3_error(exc.status, exc.title, exc.errors) from None
        return Reply(200, envelope(render_product(rec, call.core.state, children)), mutated=True)


def update_products(call: Any, match: Any) -> Reply:
    """``PUT /v3/catalog/products``: up to 10 products, all or nothing."""
    items = body_list(call, PRODUCT_BATCH, "products")
    with call.core.lock:
        table = call.core.state.tables["products"]
        pending: Dict[int, Dict[str, Any]] = {}
        errors: Dict[str, str] = {}
        status = 422
        for index, item in enumerate(items):
            try:
                rid = _batch_id(item, table, "product")
                if rid in pending:
                    raise invalid({"id": f"product {rid} appears twice in the batch"})
                values = _product_values(item, creating=False, state=call.core.state, single=False)
                _check_product_unique(table, rid, values, pending)
                pending[rid] = values
            except ItemError as exc:
                if not errors:
                    status = exc.status
                errors.update(exc.keyed(index)["errors"])
        if errors:
            title = (
                "JSON data is missing or invalid"
                if status == 422
                else ("The product was not found" if status == 404 else "The batch conflicts with other products")
            )
            raise v3_error(status, title, errors)
        updated = []
        for rid, values in pending.items():
            _apply_product(table[rid], values, call.core.state)
            updated.append(render_product(table[rid], call.core.state))
        return Reply(200, envelope(updated), mutated=True)


def _delete_products(call: Any, ids: List[int]) -> None:
    state = call.core.state
    for rid in ids:
        if rid in state.tables["products"]:
            state.delete_cascade(BY_NAME["products"], rid)
            if "delete" in PRODUCT_HOOKS:
                PRODUCT_HOOKS["delete"](state, rid)
    table = state.tables.get(METAFIELDS, {})
    for mid in [mid for mid, rec in table.items() if rec["resource_id"] in ids]:
        del table[mid]


def delete_products(call: Any, match: Any) -> Reply:
    with call.core.lock:
        if not _product_filters(call.query):
            raise v3_error(422, "A filter is required", {"id:in": "name the products to delete, e.g. id:in=1,2,3"})
        ids = [rec["id"] for rec in _product_rows(call)]
        _delete_products(call, ids)
    return Reply(204, mutated=True)


def delete_product(call: Any, match: Any) -> Reply:
    with call.core.lock:
        rec = _product_or_404(call, match)
        _delete_products(call, [rec["id"]])
    return Reply(204, mutated=True)


# -- customers ----------------------------------------------------------------------------------

#: set by :mod:`.customers`: ``check(state, data) -> children``, ``write(state, customer,
#: children)`` for the addresses/attributes/form fields/password a customer object carries, and
#: ``include(state, customer, names) -> {field: [...]}`` for ``include=``
CUSTOMER_CHILDREN: Dict[str, Callable[..., Any]] = {}
_CUSTOMER_ACCEPTED = frozenset(
    (
        "id",
        "addresses",
        "attributes",
        "form_fields",
        "origin_channel_id",
        "trigger_account_created_notification",  # e-mails are not sent
        "channel_ids",
        "date_created",
        "date_modified",
        "address_count",
        "attribute_count",
    )
)

_CUSTOMER_STRINGS = (
    "email",
    "first_name",
    "last_name",
    "company",
    "phone",
    "notes",
    "tax_exempt_category",
    "registration_ip_address",
)
_CUSTOMER_REQUIRED = ("email", "first_name", "last_name")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def render_customer(rec: Dict[str, Any], state: Any, include: Tuple[str, ...] = ()) -> Dict[str, Any]:
    addresses = state.size(BY_NAME["customers/addresses"], rec["id"])  # the parent index, no scan
    out = {
        "id": rec["id"],
        "email": rec["email"],
        "first_name": rec["first_name"],
        "last_name": rec["last_name"],
        "company": rec["company"],
        "phone": rec["phone"],
        "notes": rec["notes"],
        "tax_exempt_category": rec["tax_exempt_category"],
        "customer_group_id": rec["customer_group_id"],
        "registration_ip_address": rec["registration_ip_address"],
        "date_created": iso_date(rec["date_created"]),
        "date_modified": iso_date(rec["date_modified"]),
        "accepts_product_review_abandoned_cart_emails": rec["accepts_marketing"],
        "store_credit_amounts": [{"amount": _number(rec["store_credit"])}],
        "origin_channel_id": 1,
        "channel_ids": [1],
        "address_count": addresses,
        "attribute_count": 0,
        "authentication": {"force_password_reset": rec["reset_pass_on_login"]},
    }
    out.update(state.tables.get("v3/extra/customers", {}).get(rec["id"], {}))
    out["attribute_count"] = sum(
        1
        for value in state.tables.get("v3/customer_attribute_values", {}).values()
        if value["customer_id"] == rec["id"]
    )
    if include and "include" in CUSTOMER_CHILDREN:
        out.update(CUSTOMER_CHILDREN["include"](state, rec, list(include)))
    return out


def _customer_values(state: Any, data: Any, creating: bool) -> Dict[str, Any]:
    errors = _missing(data, _CUSTOMER_REQUIRED if creating else ())
    values: Dict[str, Any] = {}
    for field, value in data.items():
        if field in _CUSTOMER_STRINGS:
            if not isinstance(value, str):
                errors[field] = "must be a string"
            elif field == "email" and not _EMAIL.match(value):
                errors[field] = "must be an email address"
            elif field in _CUSTOMER_REQUIRED and not value.strip():
                errors[field] = "must not be empty"
            else:
                values[field] = value
        elif field == "customer_group_id":
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or (value and value not in state.tables["customer_groups"])
            ):
                errors[field] = "must be the id of a customer group (or 0)"
            else:
                values[field] = value
        elif field == "accepts_product_review_abandoned_cart_emails":
            if not isinstance(value, bool):
                errors[field] = "must be a boolean"
            else:
                values["accepts_marketing"] = value
        elif field == "store_credit_amounts":
            try:
                values["store_credit"] = decimal4(sum(Decimal(str(e["amount"])) for e in value), field)
            except (TypeError, KeyError, ArithmeticError, ApiError):
                errors[field] = "must be a list of {amount}"
        elif field == "authentication":
            if not isinstance(value, dict):
                errors[field] = "must be an object"
            elif "force_password_reset" in value:
                values["reset_pass_on_login"] = bool(value["force_password_reset"])
        elif field in ("origin_channel_id", "channel_ids"):
            if (
                field == "channel_ids" and not (isinstance(value, list) and all(isinstance(v, int) for v in value))
            ) or (field == "origin_channel_id" and not isinstance(value, int)):
                errors[field] = "must be a channel id" + ("" if field == "origin_channel_id" else " list")
            else:
                values.setdefault("_extra", {})[field] = value
        elif field not in _CUSTOMER_ACCEPTED:
            errors[field] = "is not a field the sandbox emulates for customers"
    if errors:
        raise invalid(errors)
    if "check" in CUSTOMER_CHILDREN:
        values["_children"] = CUSTOMER_CHILDREN["check"](state, data)
    return values


def _customer_children(state: Any, rec: Dict[str, Any], values: Dict[str, Any]) -> None:
    """Write what ``_customer_values`` set aside: the v3-only fields and the sub-resources."""
    extra = values.pop("_extra", None)
    children = values.pop("_children", None)
    if extra:
        state.tables.setdefault("v3/extra/customers", {}).setdefault(rec["id"], {}).update(extra)
    if children and "write" in CUSTOMER_CHILDREN:
        CUSTOMER_CHILDREN["write"](state, rec, children)


def _check_email(state: Any, rid: Optional[int], email: Optional[str], taken: Dict[str, int]) -> None:
    if not email:
        return
    lowered = email.lower()
    owner = taken.get(lowered)
    if owner is None:
        for other in state.tables["customers"].values():
            if other["email"].lower() == lowered:
                owner = other["id"]
                break
    if owner is not None and owner != rid:
        raise ItemError(
            409,
            "The email address is already in use by a customer",
            {"email": f"{email} is already used by customer {owner}"},
        )


def list_customers(call: Any, match: Any) -> Reply:
    query = call.query
    with call.core.lock:
        rows = list(call.core.state.tables["customers"].values())
        tests: List[Callable[..., bool]] = []
        for param, text in query.items():
            lowered = text.lower()
            if param == "id:in":
                ids = set(id_list(text, param))
                tests.append(lambda rec, w=ids: rec["id"] in w)
            elif param == "email:in":
                emails = {e.strip().lower() for e in text.split(",")}
                tests.append(lambda rec, w=emails: rec["email"].lower() in w)
            elif param == "name:like":
                tests.append(lambda rec, t=lowered: t in ("{} {}".format(rec["first_name"], rec["last_name"])).lower())
            elif param == "name:in":
                names = {n.strip().lower() for n in text.split(",")}
                tests.append(lambda rec, w=names: ("{} {}".format(rec["first_name"], rec["last_name"])).lower() in w)
            elif param == "company:in":
                companies = {n.strip().lower() for n in text.split(",")}
                tests.append(lambda rec, w=companies: rec["company"].lower() in w)
            elif param == "customer_group_id:in":
                groups = set(id_list(text, param))
                tests.append(lambda rec, w=groups: rec["customer_group_id"] in w)
            elif param in ("date_created:min", "date_created:max"):
                try:
                    bound = parse_date(text).timestamp()
                except ValueError:
                    raise v3_error(422, "Invalid query parameter", {param: "must be a date"}) from None
                upper = param.endswith("max")
                tests.append(
                    lambda rec, b=bound, u=upper: (
                        parse_date(rec["date_created"]).timestamp() <= b
                        if u
                        else parse_date(rec["date_created"]).timestamp() >= b
                    )
                )
        if tests:
            rows = [rec for rec in rows if all(test(rec) for test in tests)]
        sort = query.get("sort")
        if sort:
            field, _, direction = sort.partition(":")
            keys = {
                "date_created": lambda r: parse_date(r["date_created"]).timestamp(),
                "date_modified": lambda r: parse_date(r["date_modified"]).timestamp(),
                "last_name": lambda r: r["last_name"].lower(),
                "first_name": lambda r: r["first_name"].lower(),
            }
            if field not in keys or direction not in ("", "asc", "desc"):
                raise v3_error(
                    422,
                    "Invalid query parameter",
                    {"sort": "must be date_created, date_modified, last_name or first_name, with :asc or :desc"},
                )
            rows = _sorted(rows, field, direction == "desc", keys[field])
        else:
            rows.sort(key=lambda rec: rec["id"])
        chunk, meta = page_of(rows, query)
        state = call.core.state
        include = tuple(n.strip() for n in query.get("include", "").split(",") if n.strip())
        return Reply(200, {"data": [render_customer(rec, state, include) for rec in chunk], "meta": meta})


def create_customers(call: Any, match: Any) -> Reply:
    """``POST /v3/customers``: up to 10 customers, each saved or refused on its own."""
    items = body_list(call, CUSTOMER_BATCH, "customers")
    with call.core.lock:
        state = call.core.state
        results: List[Tuple[Optional[Dict[str, Any]], Optional[Dict[str, Any]]]] = []
        taken: Dict[str, int] = {}
        for index, item in enumerate(items):
            try:
                values = _customer_values(state, item, creating=True)
                _check_email(state, None, values["email"], taken)
            except ItemError as exc:
                results.append((None, exc.keyed(index)))
                continue
            pending: Dict[str, Any] = {k: values.pop(k) for k in ("_extra", "_children") if k in values}
            rec = state.insert(BY_NAME["customers"], values, time.time())
            _customer_children(state, rec, pending)
            taken[rec["email"].lower()] = rec["id"]
            results.append((render_customer(rec, state), None))
        return mixed_answer(results)


def update_customers(call: Any, match: Any) -> Reply:
    """``PUT /v3/customers``: up to 10 customers (with ``id``), each saved or refused on its own."""
    items = body_list(call, CUSTOMER_BATCH, "customers")
    with call.core.lock:
        state = call.core.state
        table = state.tables["customers"]
        results: List[Tuple[Optional[Dict[str, Any]], Optional[Dict[str, Any]]]] = []
        for index, item in enumerate(items):
            try:
                rid = _batch_id(item, table, "customer")
                values = _customer_values(state, item, creating=False)
                _check_email(state, rid, values.get("email"), {})
            except ItemError as exc:
                results.append((None, exc.keyed(index)))
                continue
            rec = table[rid]
            pending: Dict[str, Any] = {k: values.pop(k) for k in ("_extra", "_children") if k in values}
            rec.update(values)
            _customer_children(state, rec, pending)
            rec["date_modified"] = now_rfc()
            results.append((render_customer(rec, state), None))
        return mixed_answer(results)


def delete_customers(call: Any, match: Any) -> Reply:
    text = call.query.get("id:in")
    if not text:
        raise v3_error(422, "A filter is required", {"id:in": "name the customers to delete"})
    ids = id_list(text, "id:in")
    with call.core.lock:
        for rid in ids:
            if rid in call.core.state.tables["customers"]:
                call.core.state.delete_cascade(BY_NAME["customers"], rid)
    return Reply(204, mutated=True)


# -- GraphQL: a small parser and executor ---------------------------------------------------------


class GraphQLSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line, self.column = line, column


_TOKEN = re.compile(
    r"""
    (?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<spread>\.\.\.)
  | (?P<punct>[!$():=@\[\]{}|])
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<string>"(?:[^"\\\n\r]|\\["\\/bfnrt]|\\u[0-9A-Fa-f]{4})*")
""",
    re.VERBOSE,
)


class _Token:
    __slots__ = ("kind", "value", "line", "column")

    def __init__(self, kind: str, value: str, line: int, column: int) -> None:
        self.kind, self.value, self.line, self.column = kind, value, line, column


def _tokens(source: str) -> List[_Token]:
    out: List[_Token] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise GraphQLSyntaxError(f"Syntax Error: Unexpected character {source[pos]!r}.", line, pos - line_start + 1)
        kind = match.lastgroup
        text = match.group()
        if kind != "skip":
            out.append(_Token(str(kind), text, line, pos - line_start + 1))
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = pos + text.rindex("\n") + 1
        pos = match.end()
    out.append(_Token("eof", "", line, pos - line_start + 1))
    return out


class _Field:
    __slots__ = ("alias", "name", "args", "selections", "line", "column")

    def __init__(
        self,
        alias: Optional[str],
        name: str,
        args: Dict[str, Any],
        selections: Optional[List["_Field"]],
        line: int,
        column: int,
    ) -> None:
        self.alias, self.name, self.args = alias, name, args
        self.selections, self.line, self.column = selections, line, column


class _Var:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Parser:
    """Executable documents of queries: operations, variables, fields, aliases, arguments."""

    def __init__(self, source: str):
        self.tokens = _tokens(source)
        self.pos = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self, kind: str, value: Optional[str] = None) -> _Token:
        token = self.peek()
        if token.kind != kind or (value is not None and token.value != value):
            wanted = value or kind
            shown = token.value or "<EOF>"
            raise GraphQLSyntaxError(f'Syntax Error: Expected "{wanted}", found "{shown}".', token.line, token.column)
        self.pos += 1
        return token

    def at(self, kind: str, value: Optional[str] = None) -> bool:
        token = self.peek()
        return token.kind == kind and (value is None or token.value == value)

    def document(self) -> List[Dict[str, Any]]:
        operations = []
        while not self.at("eof"):
            operations.append(self.operation())
        if not operations:
            token = self.peek()
            raise GraphQLSyntaxError("Syntax Error: Unexpected <EOF>.", token.line, token.column)
        return operations

    def operation(self) -> Dict[str, Any]:
        token = self.peek()
        if self.at("punct", "{"):
            return {
                "kind": "query",
                "name": None,
                "variables": {},
                "selections": self.selection_set(),
                "line": token.line,
                "column": token.column,
            }
        if token.kind != "name" or token.value not in ("query", "mutation", "subscription", "fragment"):
            raise GraphQLSyntaxError(
                'Syntax Error: Unexpected "%s".' % (token.value or "<EOF>"), token.line, token.column
            )
        if token.value == "fragment":
            raise GraphQLSyntaxError("Fragments are not supported by the sandbox.", token.line, token.column)
        self.pos += 1
        name = self.take("name").value if self.at("name") else None
        variables: Dict[str, Dict[str, Any]] = {}
        if self.at("punct", "("):
            self.take("punct", "(")
            while not self.at("punct", ")"):
                self.take("punct", "$")
                var = self.take("name").value
                self.take("punct", ":")
                vtype = self.type_ref()
                default = None
                if self.at("punct", "="):
                    self.take("punct", "=")
                    default = self.value(const=True)
                variables[var] = {"type": vtype, "default": default}
            self.take("punct", ")")
        self.directives()
        return {
            "kind": token.value,
            "name": name,
            "variables": variables,
            "selections": self.selection_set(),
            "line": token.line,
            "column": token.column,
        }

    def type_ref(self) -> str:
        if self.at("punct", "["):
            self.take("punct", "[")
            inner = self.type_ref()
            self.take("punct", "]")
            text = f"[{inner}]"
        else:
            text = self.take("name").value
        if self.at("punct", "!"):
            self.take("punct", "!")
            text += "!"
        return text

    def directives(self) -> None:
        if self.at("punct", "@"):
            token = self.peek()
            raise GraphQLSyntaxError("Directives are not supported by the sandbox.", token.line, token.column)

    def selection_set(self) -> List[_Field]:
        self.take("punct", "{")
        fields = []
        while not self.at("punct", "}"):
            if self.at("spread"):
                token = self.peek()
                raise GraphQLSyntaxError("Fragments are not supported by the sandbox.", token.line, token.column)
            fields.append(self.field())
        if not fields:
            token = self.peek()
            raise GraphQLSyntaxError('Syntax Error: Expected Name, found "}".', token.line, token.column)
        self.take("punct", "}")
        return fields

    def field(self) -> _Field:
        first = self.take("name")
        alias, name = None, first.value
        if self.at("punct", ":"):
            self.take("punct", ":")
            alias, name = name, self.take("name").value
        args: Dict[str, Any] = {}
        if self.at("punct", "("):
            self.take("punct", "(")
            while not self.at("punct", ")"):
                arg = self.take("name").value
                self.take("punct", ":")
                args[arg] = self.value(const=False)
            self.take("punct", ")")
        self.directives()
        selections = self.selection_set() if self.at("punct", "{") else None
        return _Field(alias, name, args, selections, first.line, first.column)

    def value(self, const: bool) -> Any:
        token = self.peek()
        if token.kind == "punct" and token.value == "$" and not const:
            self.pos += 1
            return _Var(self.take("name").value)
        if token.kind == "number":
            self.pos += 1
            return float(token.value) if any(c in token.value for c in ".eE") else int(token.value)
        if token.kind == "string":
            self.pos += 1
            return json.loads(token.value)
        if token.kind == "name":
            self.pos += 1
            return {"true": True, "false": False, "null": None}.get(token.value, token.value)
        if token.kind == "punct" and token.value == "[":
            self.pos += 1
            items = []
            while not self.at("punct", "]"):
                items.append(self.value(const))
            self.take("punct", "]")
            return items
        if token.kind == "punct" and token.value == "{":
            self.pos += 1
            obj = {}
            while not self.at("punct", "}"):
                key = self.take("name").value
                self.take("punct", ":")
                obj[key] = self.value(const)
            self.take("punct", "}")
            return obj
        raise GraphQLSyntaxError('Syntax Error: Unexpected "%s".' % (token.value or "<EOF>"), token.line, token.column)


class _FieldError(Exception):
    """A resolver's refusal: the field becomes null and the message goes to ``errors``."""


# type name -> field name -> (return type, {argument: type}, resolver(parent, args, ctx)).
# A return type is a scalar name, an object type name, or "[Type]" for a list.
_SCALARS = {"Int", "Float", "String", "Boolean", "ID"}


def _system_time(parent: Any, args: Dict[str, Any], ctx: Dict[str, Any]) -> Any:
    return int(time.time())


def _site_products(parent: Any, args: Dict[str, Any], ctx: Dict[str, Any]) -> Any:
    first = args.get("first", 10)
    if isinstance(first, bool) or not isinstance(first, int) or not 1 <= first <= 50:
        raise _FieldError("Argument 'first' must be between 1 and 50.")
    rows = sorted(ctx["state"].tables["products"].values(), key=lambda rec: rec["id"])
    ids = args.get("entityIds")
    if ids is not None:
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise _FieldError("Argument 'entityIds' must be a list of integers.")
        wanted = set(ids)
        rows = [rec for rec in rows if rec["id"] in wanted]
    total = len(rows)
    after = args.get("after")
    if after is not None:
        try:
            start = decode_cursor(str(after), "after")
        except ApiError:
            raise _FieldError("Argument 'after' is not a valid cursor.") from None
        rows = [rec for rec in rows if rec["id"] > start]
    page = rows[:first]
    edges = [{"cursor": encode_cursor(rec["id"]), "node": rec} for rec in page]
    return {"edges": edges, "total": total, "has_next": len(rows) > first, "has_previous": after is not None}


def _page_info(parent: Any, args: Dict[str, Any], ctx: Dict[str, Any]) -> Any:
    edges = parent["edges"]
    return {
        "hasNextPage": parent["has_next"],
        "hasPreviousPage": parent["has_previous"],
        "startCursor": edges[0]["cursor"] if edges else None,
        "endCursor": edges[-1]["cursor"] if edges else None,
    }


def _site_product(parent: Any, args: Dict[str, Any], ctx: Dict[str, Any]) -> Any:
    rid = args.get("entityId")
    if isinstance(rid, bool) or not isinstance(rid, int):
        raise _FieldError("Argument 'entityId' must be an integer.")
    return ctx["state"].tables["products"].get(rid)


def _money(text: Any) -> Any:
    return {"value": _number(text), "currencyCode": "USD"}


def _key(name: str) -> Callable[..., Any]:
    return lambda parent, args, ctx: parent.get(name) if isinstance(parent, dict) else None


SCHEMA: Dict[str, Dict[str, Tuple[str, Dict[str, str], Callable[..., Any]]]] = {
    "Query": {
        "system": ("System", {}, lambda parent, args, ctx: {}),
        "site": ("Site", {}, lambda parent, args, ctx: {}),
    },
    "System": {"time": ("Int", {}, _system_time)},
    "Site": {
        "settings": (
            "Settings",
            {},
            lambda parent, args, ctx: {"storeName": "Sandbox Store", "storeHash": ctx["config"].store_hash},
        ),
        "products": ("ProductConnection", {"first": "Int", "after": "String", "entityIds": "[Int]"}, _site_products),
        "product": ("Product", {"entityId": "Int!"}, _site_product),
    },
    "Settings": {"storeName": ("String", {}, _key("storeName")), "storeHash": ("String", {}, _key("storeHash"))},
    "ProductConnection": {
        "pageInfo": ("PageInfo", {}, _page_info),
        "edges": ("[ProductEdge]", {}, _key("edges")),
        "collectionInfo": ("CollectionInfo", {}, lambda parent, args, ctx: {"totalItems": parent["total"]}),
    },
    "CollectionInfo": {"totalItems": ("Int", {}, _key("totalItems"))},
    "ProductEdge": {"cursor": ("String", {}, _key("cursor")), "node": ("Product", {}, _key("node"))},
    "PageInfo": {
        name: (kind, {}, _key(name))
        for name, kind in (
            ("hasNextPage", "Boolean"),
            ("hasPreviousPage", "Boolean"),
            ("startCursor", "String"),
            ("endCursor", "String"),
        )
    },
    "Product": {
        "id": ("ID", {}, lambda rec, args, ctx: base64.b64encode(b"Product:%d" % rec["id"]).decode()),
        "entityId": ("Int", {}, lambda rec, args, ctx: rec["id"]),
        "name": ("String", {}, lambda rec, args, ctx: rec["name"]),
        "sku": ("String", {}, lambda rec, args, ctx: rec["sku"]),
        "path": ("String", {}, lambda rec, args, ctx: rec.get("custom_url") or "/"),
        "prices": ("Prices", {}, lambda rec, args, ctx: rec),
    },
    "Prices": {
        "price": ("Money", {}, lambda rec, args, ctx: _money(rec["price"])),
        "salePrice": (
            "Money",
            {},
            lambda rec, args, ctx: _money(rec["sale_price"]) if Decimal(rec["sale_price"]) > 0 else None,
        ),
        "retailPrice": (
            "Money",
            {},
            lambda rec, args, ctx: _money(rec["retail_price"]) if Decimal(rec["retail_price"]) > 0 else None,
        ),
    },
    "Money": {"value": ("Float", {}, _key("value")), "currencyCode": ("String", {}, _key("currencyCode"))},
}


def _gql_error(message: str, field: Optional[_Field] = None, path: Optional[List[Any]] = None) -> Dict[str, Any]:
    error: Dict[str, Any] = {"message": message}
    if field is not None:
        error["locations"] = [{"line": field.line, "column": field.column}]
    if path is not None:
        error["path"] = list(path)
    return error


def _validate(
    type_name: str, fields: List[_Field], declared: Dict[str, Dict[str, Any]], errors: List[Dict[str, Any]]
) -> None:
    """Static checks against SCHEMA: fields, arguments, sub-selections, variables."""
    for field in fields:
        if field.name == "__typename":
            if field.selections:
                errors.append(_gql_error("Field '__typename' must not have a selection.", field))
            continue
        spec = SCHEMA[type_name].get(field.name)
        if spec is None:
            errors.append(_gql_error(f"Field '{field.name}' doesn't exist on type '{type_name}'", field))
            continue
        return_type, arg_types, _ = spec
        for arg, value in field.args.items():
            if arg not in arg_types:
                errors.append(_gql_error(f"Field '{field.name}' doesn't accept argument '{arg}'", field))
            _check_vars(value, declared, field, errors)
        for arg, kind in arg_types.items():
            if kind.endswith("!") and arg not in field.args:
                errors.append(_gql_error(f"Field '{field.name}' is missing required argument '{arg}'", field))
        inner = return_type.strip("[]")
        if inner in _SCALARS:
            if field.selections:
                errors.append(
                    _gql_error(f"Selections can't be made on scalars (field '{field.name}' returns {inner})", field)
                )
        elif not field.selections:
            errors.append(
                _gql_error(f"Field '{field.name}' of type '{inner}' must have a selection of subfields", field)
            )
        else:
            _validate(inner, field.selections, declared, errors)


def _check_vars(value: Any, declared: Dict[str, Dict[str, Any]], field: _Field, errors: List[Dict[str, Any]]) -> None:
    if isinstance(value, _Var):
        if value.name not in declared:
            errors.append(_gql_error(f"Variable ${value.name} is used but not declared", field))
    elif isinstance(value, list):
        for item in value:
            _check_vars(item, declared, field, errors)
    elif isinstance(value, dict):
        for item in value.values():
            _check_vars(item, declared, field, errors)


def _resolve_args(value: Any, variables: Dict[str, Any]) -> Any:
    if isinstance(value, _Var):
        return variables.get(value.name)
    if isinstance(value, list):
        return [_resolve_args(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: _resolve_args(item, variables) for key, item in value.items()}
    return value


def _execute(type_name: str, fields: List[_Field], parent: Any, ctx: Dict[str, Any], path: List[Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for field in fields:
        key = field.alias or field.name
        if field.name == "__typename":
            out[key] = type_name
            continue
        return_type, _, resolver = SCHEMA[type_name][field.name]
        args = {name: _resolve_args(value, ctx["variables"]) for name, value in field.args.items()}
        args = {name: value for name, value in args.items() if value is not None}
        try:
            value = resolver(parent, args, ctx)
        except _FieldError as exc:
            ctx["errors"].append(_gql_error(str(exc), field, path + [key]))
            out[key] = None
            continue
        inner = return_type.strip("[]")
        if value is None or inner in _SCALARS:
            out[key] = value
        elif return_type.startswith("["):
            out[key] = [
                _execute(inner, field.selections or [], item, ctx, path + [key, index])
                for index, item in enumerate(value)
            ]
        else:
            out[key] = _execute(inner, field.selections or [], value, ctx, path + [key])
    return out


def _coerce_variables(
    declared: Dict[str, Dict[str, Any]], given: Dict[str, Any]
) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    values: Dict[str, Any] = {}
    errors: List[Dict[str, Any]] = []
    checks = {
        "Int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "Float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "String": lambda v: isinstance(v, str),
        "ID": lambda v: isinstance(v, (str, int)),
        "Boolean": lambda v: isinstance(v, bool),
    }
    for name, spec in declared.items():
        vtype = spec["type"]
        value = given.get(name, spec["default"])
        if value is None:
            if vtype.endswith("!"):
                errors.append({"message": f"Variable ${name} of required type {vtype} was not provided."})
            continue
        base = vtype.rstrip("!")
        if base.startswith("["):
            inner = base.strip("[]!")
            items = value if isinstance(value, list) else [value]
            ok = all(checks.get(inner, lambda v: True)(item) for item in items)
            value = items
        else:
            ok = checks.get(base, lambda v: True)(value)
        if not ok:
            errors.append({"message": f"Variable ${name} of type {vtype} was given an invalid value."})
            continue
        values[name] = value
    return values, errors


def run_graphql(call: Any, match: Any) -> Reply:
    """``POST /graphql``: see the module docstring."""
    try:
        body = call.json()
    except ApiError:
        return Reply(400, {"errors": [{"message": "The request body must be a JSON object with a 'query'."}]})
    query = body.get("query") if isinstance(body, dict) else None
    if not isinstance(query, str) or not query.strip():
        return Reply(400, {"errors": [{"message": "The request body must be a JSON object with a 'query'."}]})
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        return Reply(400, {"errors": [{"message": "'variables' must be an object."}]})
    try:
        operations = _Parser(query).document()
    except GraphQLSyntaxError as exc:
        return Reply(200, {"errors": [{"message": str(exc), "locations": [{"line": exc.line, "column": exc.column}]}]})
    wanted = body.get("operationName")
    if wanted:
        chosen = [op for op in operations if op["name"] == wanted]
        if not chosen:
            return Reply(200, {"errors": [{"message": f"Unknown operation named '{wanted}'."}]})
        operation = chosen[0]
    elif len(operations) > 1:
        return Reply(
            200, {"errors": [{"message": "An operationName is required when the document has several operations."}]}
        )
    else:
        operation = operations[0]
    if operation["kind"] != "query":
        return Reply(
            200,
            {
                "errors": [
                    {
                        "message": "The sandbox answers queries only, not {}s.".format(operation["kind"]),
                        "locations": [{"line": operation["line"], "column": operation["column"]}],
                    }
                ]
            },
        )
    errors: List[Dict[str, Any]] = []
    _validate("Query", operation["selections"], operation["variables"], errors)
    values, var_errors = _coerce_variables(operation["variables"], variables)
    errors.extend(var_errors)
    if errors:
        return Reply(200, {"errors": errors})
    ctx = {"state": call.core.state, "config": call.core.config, "variables": values, "errors": []}
    with call.core.lock:
        data = _execute("Query", operation["selections"], None, ctx, [])
    answer: Dict[str, Any] = {"data": data}
    if ctx["errors"]:
        answer["errors"] = ctx["errors"]
    return Reply(200, answer)


# -- the routes --------------------------------------------------------------------------------

#: this module's hand-written routes (products, customers, GraphQL); the package's ROUTES adds them
LEGACY_ROUTES: List[Tuple[str, str, Callable[[Any, Any], Reply]]] = [
    ("GET", r"^/v3/catalog/products$", list_products),
    ("POST", r"^/v3/catalog/products$", create_product),
    ("PUT", r"^/v3/catalog/products$", update_products),
    ("DELETE", r"^/v3/catalog/products$", delete_products),
    ("GET", r"^/v3/catalog/products/(?P<id>[0-9]{1,12})$", get_product),
    ("PUT", r"^/v3/catalog/products/(?P<id>[0-9]{1,12})$", update_product),
    ("DELETE", r"^/v3/catalog/products/(?P<id>[0-9]{1,12})$", delete_product),
    ("GET", r"^/v3/customers$", list_customers),
    ("POST", r"^/v3/customers$", create_customers),
    ("PUT", r"^/v3/customers$", update_customers),
    ("DELETE", r"^/v3/customers$", delete_customers),
    ("POST", r"^/graphql$", run_graphql),
]
