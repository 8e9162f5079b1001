"""The store's data and the generic v2 CRUD engine that works on it.

``StoreState`` holds plain dicts: one table (``{id: record}``) per collection of :mod:`.schema`, and
the next id of each. Records are kept in output form (decimals as ``"89.0000"``, dates as RFC 2822
GMT) except link objects, which ``render`` adds because they depend on the origin.

Reads are cheap: ``StoreState`` keeps each record's rendered JSON bytes and each list page asked
for until something changes (see its docstring), and ``select`` pages without copying the table.

Every function here runs with the sandbox lock held and either returns a result or raises
``ApiError``; the HTTP layer turns that into a BigCommerce-shaped error response. Nothing in this
module knows about sockets.

Filter policy (API_FACTS leaves unknown filters *unconfirmed*): a query parameter that is neither
``page``/``limit``/``sort``, nor a field of the resource, nor ``min_``/``max_`` of a numeric or date
field, nor a documented special filter, is answered with 400 naming it (``STRICT_FILTERS``), so a
misspelt filter never silently widens a list (or a delete that follows it).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import os
import random
import re
import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import islice
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from . import geo
from .dates import format_date, format_timestamp, parse_date
from .schema import ADDRESS, BY_NAME, NOW, ORDER_STATUSES, RESOURCES, STATUS_NAMES, Resource, slug

MAX_LIMIT = 250
DEFAULT_LIMIT = 50
STRICT_FILTERS = True  # unknown filter -> 400 naming it (see module docstring)

_FOUR = Decimal("0.0001")
_POSITIVE = re.compile(r"[0-9]{1,9}")


class ApiError(Exception):
    """An error response. ``body`` overrides the default v2 array ``[{status, message, details?}]``."""

    def __init__(
        self,
        status: int,
        message: str = "",
        details: Optional[Dict[str, Any]] = None,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
    ):
        super().__init__(status, message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers or {}
        if body is None:
            entry: Dict[str, Any] = {"status": status, "message": message}
            if details is not None:
                entry["details"] = details
            body = [entry]
        self.body = body


ERROR_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def error_object(status: int, title: str, errors: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The error shape outside v2 (gateway, v3, GraphQL): ``{status, title, type, errors}``."""
    return {"status": status, "title": title, "type": ERROR_TYPE, "errors": dict(errors or {})}


def not_found() -> ApiError:
    return ApiError(404, "The requested resource was not found.")


def invalid(field: str, reason: str) -> ApiError:
    return ApiError(400, f"The field '{field}' is invalid.", {"invalid_reason": reason})


def missing(field: str) -> ApiError:
    return ApiError(400, f"The required field '{field}' was not supplied.")


def read_only(field: str) -> ApiError:
    return ApiError(
        400, f"The field '{field}' cannot be written to. Please remove it from your request before trying again."
    )


def not_emulated_field(field: str, res: Any) -> ApiError:
    """A written field the resource does not have (or the sandbox does not emulate): never
    silently dropped."""
    return ApiError(
        400,
        f"The field '{field}' is not a field of this {res.label} the sandbox emulates. Please "
        "remove it from your request.",
        {"invalid_reason": "unknown field"},
    )


def conflict(reason: str) -> ApiError:
    return ApiError(409, "The request could not be completed because of a conflict.", {"conflict_reason": reason})


# -- values -------------------------------------------------------------------------------------


def decimal4(value: Any, field: str) -> str:
    """A number or numeric string as a 4-place decimal string, rounding half up (286.11835 ->
    "286.1184", as the recorded API did)."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise invalid(field, "The value must be a number.")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise invalid(field, "The value must be a number.") from None
    if not number.is_finite():
        raise invalid(field, "The value must be a number.")
    try:
        return str(number.quantize(_FOUR, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # 1e24 and up: more digits than a decimal(28) holds
        raise invalid(field, "The value is out of range.") from None


def _coerce(res: Resource, field: str, value: Any) -> Any:
    """One written value checked against the field's kind and converted to its stored form."""
    if field in res.decimals:
        if value is None and res.fields[field] is None:
            return None
        return decimal4(value, field)
    if field in res.dates:
        if value in ("", None):
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return format_timestamp(value)
            except ValueError:
                raise invalid(field, "The timestamp is out of range.") from None
        try:
            return format_date(parse_date(value))
        except ValueError:
            raise invalid(field, "The value must be an RFC 2822 or ISO 8601 date.") from None
    if field in res.free_form:
        if value is not None and not isinstance(value, (list, dict)):
            raise invalid(field, "The value must be a list or an object.")
        return copy.deepcopy(value)
    if field in res.flags and value in (True, False, 0, 1):
        value = "1" if value else "0"  # the reference's "1"/"0"; booleans and 0/1 accepted
    allowed = res.enums.get(field)
    if allowed is not None and value not in allowed:
        raise invalid(field, "The value must be one of: {}.".format(", ".join(map(str, allowed))))
    default = res.fields[field]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise invalid(field, "The value must be a boolean.")
    elif isinstance(default, int):
        if isinstance(value, bool):
            raise invalid(field, "The value must be an integer.")
        if isinstance(value, str) and re.match(r"^-?\d{1,19}$", value.strip()):
            value = int(value)
        elif isinstance(value, float) and value.is_integer() and abs(value) < 2.0**63:
            value = int(value)
        if not isinstance(value, int):
            raise invalid(field, "The value must be an integer.")
        if not -(2**63) <= value < 2**63:  # what the real API's 64-bit columns hold
            raise invalid(field, "The value is out of range.")
        return value
    elif isinstance(default, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise invalid(field, "The value must be a string.")
    elif isinstance(default, list):
        if not isinstance(value, list):
            raise invalid(field, "The value must be a list.")
    elif isinstance(default, dict):
        if not isinstance(value, dict):
            raise invalid(field, "The value must be an object.")
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return bool(a == b)


def _parse_bool(text: str, field: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise invalid(field, "The value must be true or false.")


def _to_decimal(text: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        raise invalid(field, "The value must be a number.") from None
    if not number.is_finite():
        raise invalid(field, "The value must be a number.")
    return number


# -- the state ---------------------------------------------------------------------------------


class Context:
    """What hooks need to know about the request being served."""

    __slots__ = ("client_id", "store_hash", "now")

    def __init__(self, client_id: str = "", store_hash: str = "", now: Optional[float] = None):
        self.client_id = client_id
        self.store_hash = store_hash
        self.now = time.time() if now is None else now


class StoreState:
    """All data of one store: ``tables[name][id] = record`` and ``next_ids[name]``.

    Two derived structures make reads cheap; both are rebuilt from ``tables`` when dropped, so they
    can never hold anything the tables do not:

    - the *render cache* ``rendered[name][id] = (link_base, bytes)``: a record's JSON as the API
      shows it. Entries are dropped by ``insert``, ``delete_cascade`` and ``forget`` (``write``
      calls it after an update); ``forget_all`` drops everything (the HTTP layer calls it after any
      handler that changed the store without saying it kept the cache right, e.g. v3 handlers that
      change records in place). A new ``StoreState`` (reset, state file) starts empty.
    - the *parent index* of each nested collection, ``{parent id: [ids in table order]}``, built on
      first use and kept up to date by ``insert`` and ``delete_cascade``.
    """

    def __init__(self) -> None:
        self.tables: Dict[str, Dict[int, Dict[str, Any]]] = {res.name: {} for res in RESOURCES}
        self.next_ids: Dict[str, int] = {res.name: 1 for res in RESOURCES}
        self.rendered: Dict[str, Dict[int, Tuple[str, bytes]]] = {res.name: {} for res in RESOURCES}
        self.pages: Dict[Tuple[Any, ...], bytes] = {}
        self.pages_size = 0
        self._parents: Dict[str, Optional[Dict[int, List[int]]]] = {}

    # persistence -----------------------------------------------------------------------------
    def to_json(self) -> Dict[str, Any]:
        return {
            "version": 1,
            "tables": {name: list(table.values()) for name, table in self.tables.items()},
            "next_ids": dict(self.next_ids),
        }

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "StoreState":
        state = cls()
        # tables beyond the v2 declarations (v3 variants, modifiers...) are kept as they are
        for name, rows in data.get("tables", {}).items():
            state.tables[name] = {int(row["id"]): row for row in rows}
        for name, value in data.get("next_ids", {}).items():
            state.next_ids[name] = int(value)
        return state

    def dumps(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> "StoreState":
        return cls.from_json(json.loads(text))

    # caches ----------------------------------------------------------------------------------
    def forget(self, res: Resource, rid: int) -> None:
        """Drop the cached rendering of one record (call after changing it in place)."""
        self.rendered[res.name].pop(rid, None)
        self._forget_pages()

    def forget_all(self) -> None:
        """Drop every cached rendering and parent index (after changes made behind our back)."""
        for cache in self.rendered.values():
            cache.clear()
        self._parents.clear()
        self._forget_pages()

    def _forget_pages(self) -> None:
        if self.pages:
            self.pages.clear()
            self.pages_size = 0

    def keep_page(self, key: Tuple[Any, ...], data: bytes) -> None:
        """Remember a rendered list page until the next change (at most ``PAGE_CACHE_BYTES``)."""
        if len(data) > PAGE_CACHE_BYTES:
            return
        if self.pages_size + len(data) > PAGE_CACHE_BYTES:
            self._forget_pages()
        self.pages[key] = data
        self.pages_size += len(data)

    def child_ids(self, res: Resource, parent_id: int) -> List[int]:
        """Ids of the records of nested ``res`` under ``parent_id``, in table order (read only)."""
        index = self._parents.get(res.name)
        if index is None:
            index = {}
            key = str(res.parent_key)
            for rid, rec in self.tables[res.name].items():
                bucket = index.get(rec[key])
                if bucket is None:
                    index[rec[key]] = [rid]
                else:
                    bucket.append(rid)
            self._parents[res.name] = index
        return index.get(parent_id, _NO_IDS)

    # raw access ------------------------------------------------------------------------------
    def insert(
        self, res: Resource, values: Dict[str, Any], now: Optional[float] = None, rid: Optional[int] = None
    ) -> Dict[str, Any]:
        """Add a record built from the template and ``values`` (already in stored form)."""
        stamp = format_timestamp(time.time() if now is None else now)
        rec: Dict[str, Any] = {}
        for key, default in res.fields.items():
            if default is NOW:
                rec[key] = stamp
            elif isinstance(default, (list, dict)):
                rec[key] = copy.deepcopy(default)
            else:
                rec[key] = default
        rec.update(values)
        if rid is None:
            rid = self.next_ids[res.name]
        rec["id"] = rid
        self.next_ids[res.name] = max(self.next_ids[res.name], rid + 1)
        table = self.tables[res.name]
        replacing = rid in table
        table[rid] = rec
        self.rendered[res.name].pop(rid, None)
        self._forget_pages()
        if res.parent_key:
            index = self._parents.get(res.name)
            if index is not None:
                if replacing:
                    del self._parents[res.name]  # rebuilt on next use
                else:
                    index.setdefault(int(rec[res.parent_key]), []).append(rid)
        return rec

    def delete_cascade(self, res: Resource, rid: int) -> None:
        rec = self.tables[res.name].pop(rid, None)
        self.rendered[res.name].pop(rid, None)
        self._forget_pages()
        if rec is not None and res.parent_key:
            index = self._parents.get(res.name)
            parent = rec.get(str(res.parent_key))
            bucket = index.get(parent) if index is not None and parent is not None else None
            if bucket is not None:
                try:
                    bucket.remove(rid)
                except ValueError:
                    pass
        for child in res.children:
            for cid in list(self.child_ids(child, rid)):
                self.delete_cascade(child, cid)

    def iter_rows(self, res: Resource, parent_id: Optional[int]) -> Iterable[Dict[str, Any]]:
        """The records of ``res`` (under ``parent_id`` when nested) in table order, without
        copying the table."""
        table = self.tables[res.name]
        if parent_id is None:
            return table.values()
        return [table[rid] for rid in self.child_ids(res, parent_id)]

    def size(self, res: Resource, parent_id: Optional[int]) -> int:
        if parent_id is None:
            return len(self.tables[res.name])
        return len(self.child_ids(res, parent_id))

    def rows(self, res: Resource, parent_id: Optional[int]) -> List[Dict[str, Any]]:
        """The records of ``res`` (under ``parent_id`` when nested), a new list."""
        return list(self.iter_rows(res, parent_id))


_NO_IDS: List[int] = []
PAGE_CACHE_BYTES = 64 * 1024 * 1024  # rendered list pages kept between changes, at most


def seed_reference(state: StoreState, now: float) -> None:
    """Data every store has: order statuses, countries and states, a currency, tax classes,
    shipping methods."""
    for sid, name in ORDER_STATUSES:
        state.insert(
            BY_NAME["order_statuses"],
            {
                "name": name,
                "system_label": name,
                "custom_label": name,
                "system_description": f"Order status '{name}'.",
                "order": sid,
            },
            now,
            rid=sid,
        )
    country_res, state_res = BY_NAME["countries"], BY_NAME["countries/states"]
    for index, (name, iso2, iso3) in enumerate(geo.COUNTRIES, 1):
        state.insert(country_res, {"country": name, "country_iso2": iso2, "country_iso3": iso3}, now, rid=index)
    for cid, rows in geo.states_by_country():
        for name, abbreviation in rows:
            state.insert(state_res, {"state": name, "state_abbreviation": abbreviation, "country_id": cid}, now)
    state.insert(
        BY_NAME["currencies"],
        {"is_default": True, "country_iso2": "US", "currency_code": "USD", "name": "US Dollar", "token": "$"},
        now,
    )
    for name in ("Non-Taxable Products", "Shipping", "Gift Wrapping"):
        state.insert(BY_NAME["tax_classes"], {"name": name}, now)
    for name, kind in (("Free Shipping", "free"), ("Flat Rate Per Order", "flatrate")):
        state.insert(BY_NAME["shipping/methods"], {"name": name, "method_name": "shipping_" + kind, "type": kind}, now)
    zone = state.insert(
        BY_NAME["shipping/zones"],
        {"name": "United States", "type": "country", "locations": [{"id": 1, "country_iso2": "US"}]},
        now,
    )
    for name, kind, settings in (
        ("Free Shipping", "freeshipping", {}),
        ("Flat Rate Per Order", "perorder", {"rate": 10}),
    ):
        state.insert(
            BY_NAME["shipping/zones/methods"],
            {"zone_id": zone["id"], "name": name, "type": kind, "settings": settings},
            now,
        )


# -- lists: pages, filters, sort ---------------------------------------------------------------


def page_args(query: Dict[str, str]) -> Tuple[int, int]:
    """(page, limit) from the query; 400 for a bad value, 413 for limit over 250."""
    values = []
    for name, default in (("page", 1), ("limit", DEFAULT_LIMIT)):
        text = query.get(name)
        if text is None:
            values.append(default)
            continue
        digits = text.strip(" \t")  # only plain blanks around the digits (not every isspace())
        if not _POSITIVE.fullmatch(digits) or int(digits) < 1:
            raise invalid(name, "The value must be a positive integer.")
        values.append(int(digits))
    if values[1] > MAX_LIMIT:
        raise ApiError(413, "The specified limit exceeds the maximum allowed.", {"max_limit": MAX_LIMIT})
    return values[0], values[1]


def _kind(res: Resource, field: str) -> str:
    if field in res.decimals:
        return "decimal"
    if field in res.dates:
        return "date"
    default = res.fields[field]
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int) or field.endswith("_id") or field == "id":
        return "int"
    if isinstance(default, list):
        return "list"
    if isinstance(default, dict):
        return "dict"
    return "str"


def _date_or_none(value: Any) -> Optional[float]:
    if not value:
        return None
    try:
        return parse_date(value).timestamp()
    except ValueError:
        return None


def _comparable(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "decimal":
        return Decimal(value)
    if kind == "date":
        return _date_or_none(value)
    return value


def _exact(res: Resource, field: str, text: str) -> Callable[[Dict[str, Any]], bool]:
    kind = _kind(res, field)
    if kind == "bool":
        wanted = _parse_bool(text, field)
        return lambda rec: rec.get(field) is wanted
    if kind == "int":
        try:
            number = int(text)
        except ValueError:
            raise invalid(field, "The value must be an integer.") from None
        return lambda rec: rec.get(field) == number
    if kind == "decimal":
        amount = _to_decimal(text, field)
        return lambda rec: rec.get(field) is not None and Decimal(rec[field]) == amount
    if kind == "date":
        try:
            stamp = parse_date(text).timestamp()
        except ValueError:
            raise invalid(field, "The value must be an RFC 2822 or ISO 8601 date.") from None
        return lambda rec: _date_or_none(rec.get(field)) == stamp
    if kind == "list":
        return lambda rec: any(str(item) == text for item in rec.get(field) or ())
    if kind == "dict":
        raise invalid(field, "This field cannot be used as a filter.")
    lowered = text.lower()
    return lambda rec: (
        (rec.get(field) or "").lower() == lowered
        if isinstance(rec.get(field) or "", str)
        else str(rec.get(field)) == text
    )


def _range(res: Resource, field: str, text: str, upper: bool, param: str) -> Callable[[Dict[str, Any]], bool]:
    kind = _kind(res, field)
    if kind == "date":
        try:
            bound: Any = parse_date(text).timestamp()
        except ValueError:
            raise invalid(param, "The value must be an RFC 2822 or ISO 8601 date.") from None
    elif kind in ("int", "decimal"):
        bound = _to_decimal(text, param)
    else:
        raise invalid(param, f"The field '{field}' cannot be filtered by range.")

    def test(rec: Dict[str, Any]) -> bool:
        value = _comparable(kind, rec.get(field))
        if value is None:
            return False
        return bool(value <= bound if upper else value >= bound)

    return test


FilterFactory = Callable[[StoreState, Dict[str, str], str], Optional[Callable[[Dict[str, Any]], bool]]]


def _keyword_filter(state: StoreState, query: Dict[str, str], text: str) -> Callable[[Dict[str, Any]], bool]:
    lowered = text.lower()
    return lambda rec: any(
        lowered in (rec.get(f) or "").lower() for f in ("name", "description", "sku", "search_keywords")
    )


def _category_filter(state: StoreState, query: Dict[str, str], text: str) -> Callable[[Dict[str, Any]], bool]:
    try:
        wanted = int(text)
    except ValueError:
        raise invalid("category", "The value must be an integer.") from None
    return lambda rec: wanted in (rec.get("categories") or ())


def _sku_filter(state: StoreState, query: Dict[str, str], text: str) -> Callable[[Dict[str, Any]], bool]:
    lowered = text.lower()
    owners = set()
    if _parse_bool(query.get("include_sku", "false"), "include_sku"):
        owners = {row["product_id"] for row in state.tables["products/skus"].values() if row["sku"].lower() == lowered}
    return lambda rec: rec["sku"].lower() == lowered or rec["id"] in owners


def _include_sku(state: StoreState, query: Dict[str, str], text: str) -> None:
    _parse_bool(text, "include_sku")  # a modifier of ``sku``, not a filter of its own
    return None


def _email_filter(state: StoreState, query: Dict[str, str], text: str) -> Callable[[Dict[str, Any]], bool]:
    lowered = text.lower()
    return lambda rec: (rec["billing_address"].get("email") or "").lower() == lowered


#: filters that are not plain fields, by name; a resource lists the ones it accepts (``filters``)
SPECIAL_FILTERS: Dict[str, FilterFactory] = {
    "keyword_filter": _keyword_filter,
    "category": _category_filter,
    "sku": _sku_filter,
    "include_sku": _include_sku,
    "email": _email_filter,
}


def _criteria(
    state: StoreState, res: Resource, query: Dict[str, str]
) -> Tuple[List[Callable[[Dict[str, Any]], bool]], Optional[str], bool]:
    """(tests, sort field or None, descending) from the query; 400 for a bad filter or sort."""
    specials = {name: SPECIAL_FILTERS[name] for name in res.filters}
    tests: List[Callable[[Dict[str, Any]], bool]] = []
    sort_field, descending = None, False
    for param, text in query.items():
        if param in ("page", "limit"):
            continue
        if param == "sort":
            field, _, direction = text.partition(":")
            if field not in res.fields or field in res.hidden or direction not in ("", "asc", "desc"):
                raise invalid("sort", "Sort by a field of the resource, as field:asc or field:desc.")
            sort_field, descending = field, direction == "desc"
            continue
        if param in specials:
            test = specials[param](state, query, text)
        elif param in res.fields and param not in res.hidden:
            test = _exact(res, param, text)
        elif param[:4] in ("min_", "max_") and res.ranges.get(param[4:], param[4:]) in res.fields:
            test = _range(res, res.ranges.get(param[4:], param[4:]), text, param[:4] == "max_", param)
        elif STRICT_FILTERS:
            raise invalid(param, f"'{param}' is not a filter of this resource.")
        else:
            continue
        if test is not None:
            tests.append(test)
    return tests, sort_field, descending


def _sort(res: Resource, rows: List[Dict[str, Any]], sort_field: str, descending: bool) -> None:
    kind = _kind(res, sort_field)

    def key(rec: Dict[str, Any]) -> Tuple[bool, Any, int]:
        value = _comparable(kind, rec.get(sort_field))
        if isinstance(value, str):
            value = value.lower()
        return (value is None, value if value is not None else 0, rec["id"])

    try:
        rows.sort(key=key, reverse=descending)
    except TypeError:
        rows.sort(key=lambda rec: (str(rec.get(sort_field)), rec["id"]), reverse=descending)


def select(
    state: StoreState,
    res: Resource,
    parent_id: Optional[int],
    query: Dict[str, str],
    page: Optional[int] = None,
    limit: Optional[int] = None,
) -> List[Dict[str, Any]]:
    """The records matching every filter of ``query`` (AND), in the requested order; with
    ``page`` and ``limit`` only that page of them. Without a ``sort`` nothing beyond the page is
    copied (the scan stops at the page's last record)."""
    tests, sort_field, descending = _criteria(state, res, query)
    source: Iterable[Dict[str, Any]] = state.iter_rows(res, parent_id)
    if tests:
        if len(tests) == 1:
            source = filter(tests[0], source)
        else:
            source = (rec for rec in source if all(test(rec) for test in tests))
    if page is None or limit is None:
        start, stop = None, None
    else:
        start, stop = (page - 1) * limit, page * limit
    if sort_field is None:
        if start is None:
            return list(source)
        return list(islice(source, start, stop))
    rows = list(source)
    _sort(res, rows, sort_field, descending)
    return rows if start is None else rows[start:stop]


def list_page(
    state: StoreState,
    res: Resource,
    parent_id: Optional[int],
    query: Dict[str, str],
    page: Optional[int],
    limit: Optional[int],
    link_base: str,
) -> Optional[bytes]:
    """One page of a list as JSON bytes (None when it is empty), from the page cache when the
    same page was asked for since the last change."""
    key = (res.name, parent_id, page, limit, link_base, tuple(sorted(query.items())))
    data = state.pages.get(key)
    if data is not None:
        return data
    rows = select(state, res, parent_id, query, page, limit)
    if not rows:
        return None
    data = render_list(state, res, rows, link_base)
    state.keep_page(key, data)
    return data


def count(state: StoreState, res: Resource, parent_id: Optional[int], query: Dict[str, str]) -> int:
    """How many records match every filter of ``query``."""
    tests, _, _ = _criteria(state, res, query)
    if not tests:
        return state.size(res, parent_id)
    return len(select(state, res, parent_id, query))


# -- rendering --------------------------------------------------------------------------------


def render(res: Resource, rec: Dict[str, Any], link_base: str) -> Dict[str, Any]:
    """The record as the API returns it: link fields become ``{"url", "resource"}`` objects and
    hidden fields are left out."""
    if not res.links and not res.hidden and not res.shown:
        return rec
    out = {key: value for key, value in rec.items() if key not in res.hidden}
    for field, show in res.shown.items():
        if show is None:  # computed: published_date_iso8601 from published_date
            source = rec.get(field.replace("_iso8601", ""))
            out[field] = parse_date(source).strftime("%Y-%m-%dT%H:%M:%S+0000") if source else ""
        else:
            out[field] = show(rec.get(field))
    for field, build in res.links.items():
        path = build(rec)
        out[field] = None if path is None else {"url": f"{link_base}{path}.json", "resource": path}
    return out


def to_json_bytes(body: Any) -> bytes:
    """The wire form of every JSON answer: compact separators, ASCII only."""
    return json.dumps(body, separators=(",", ":")).encode("ascii")


def render_bytes(state: StoreState, res: Resource, rec: Dict[str, Any], link_base: str) -> bytes:
    """``render`` as JSON bytes, from the state's render cache when it has them."""
    cache = state.rendered[res.name]
    hit = cache.get(rec["id"])
    if hit is not None and hit[0] == link_base:
        return hit[1]
    data = to_json_bytes(render(res, rec, link_base))
    cache[rec["id"]] = (link_base, data)
    return data


def render_list(state: StoreState, res: Resource, rows: Iterable[Dict[str, Any]], link_base: str) -> bytes:
    """A JSON array of rendered records, joined from cached bytes (the same bytes as
    ``to_json_bytes([render(...) ...])``)."""
    parts = [render_bytes(state, res, rec, link_base) for rec in rows]
    if not parts:
        return b"[]"
    # one join into the final buffer: no second copy of a large page to add the brackets
    chunks = [b","] * (2 * len(parts) + 1)
    chunks[0], chunks[-1] = b"[", b"]"
    chunks[1::2] = parts
    return b"".join(chunks)


# -- writes ---------------------------------------------------------------------------------------


def _check_unique(state: StoreState, res: Resource, rec: Dict[str, Any]) -> None:
    table = state.tables[res.name]
    for field in res.unique:
        value = rec.get(field)
        if value in ("", None):
            continue
        for other in table.values():
            if other["id"] != rec["id"] and _same(other.get(field), value):
                if res.name == "customers" and field == "email":
                    raise ApiError(400, "This email address is already in use by a customer.")
                raise conflict(f"A {res.label} with the {field} '{value}' already exists.")
    if res.name in ("products", "products/skus") and rec.get("sku"):
        other_res = "products/skus" if res.name == "products" else "products"
        for other in state.tables[other_res].values():
            if _same(other.get("sku"), rec["sku"]):
                raise conflict("A product or SKU with the sku '{}' already exists.".format(rec["sku"]))


def write(
    state: StoreState, res: Resource, parent_id: Optional[int], data: Any, rid: Optional[int], ctx: Context
) -> Dict[str, Any]:
    """Create (``rid`` None) or update a record from a client payload; returns the stored record.

    Checks run before anything changes, so a refused write leaves the store as it was."""
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    creating = rid is None
    data = {key: value for key, value in data.items() if key not in res.tolerated}
    for field in data:
        if field in res.readonly and field not in res.inputs:
            raise read_only(field)
        if field not in res.fields and field not in res.inputs:
            raise not_emulated_field(field, res)
    if creating:
        for field in res.required:
            if field not in data or data[field] is None or data[field] == "":
                raise missing(field)
    values = {}
    for field, value in data.items():
        if field in res.inputs:
            continue  # write-only inputs go to the hook
        values[field] = _coerce(res, field, value)
    hook = HOOKS.get(res.name)
    if creating:
        draft = {key: (None if default is NOW else copy.deepcopy(default)) for key, default in res.fields.items()}
        draft.update(values)
        draft["id"] = -1
        if res.parent_key:
            draft[res.parent_key] = parent_id
        pending = hook(state, res, draft, data, True, ctx) if hook else None
        _check_unique(state, res, draft)
        stored = {k: v for k, v in draft.items() if v is not None or res.fields[k] is None}
        stored.pop("id")
        rec = state.insert(res, stored, ctx.now)
        if pending:
            pending(rec)
        state.forget(res, rec["id"])
        return rec
    assert rid is not None
    current = state.tables[res.name][rid]
    draft = copy.deepcopy(current)
    draft.update(values)
    stamp = format_timestamp(ctx.now)
    for field in res.touch:
        draft[field] = stamp
    pending = hook(state, res, draft, data, False, ctx) if hook else None
    _check_unique(state, res, draft)
    current.clear()
    current.update(draft)
    if pending:
        pending(current)
    state.forget(res, rid)
    return current


# -- per-resource hooks: computed fields and cross-record rules --------------------------------


def _product(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if not rec["name"].strip():
        raise invalid("name", "The name must not be empty.")
    cats = rec["categories"]
    if not cats or not all(isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in cats):
        raise invalid("categories", "The value must be a non-empty list of category ids.")
    if creating and not rec["custom_url"]:
        rec["custom_url"] = "/{}/".format(slug(rec["name"]))
    sale = Decimal(rec["sale_price"])
    rec["calculated_price"] = rec["sale_price"] if sale > 0 else rec["price"]
    return None


def _image(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    source = rec["image_file"]
    if creating and "://" in source:
        name = source.rstrip("/").rsplit("/", 1)[-1] or "image.png"
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, "jpg"
        number = state.next_ids[res.name]
        rec["image_file"] = f"{chr(97 + number % 26)}/{number % 1000:03d}/{stem}__{(number * 7919) % 100000:05d}.{ext}"
    return None


def _option_for(state: StoreState, option_id: int) -> Optional[Dict[str, Any]]:
    return state.tables["options"].get(option_id)


def _product_option(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    # lenient on purpose: an option id that does not exist is kept (tests often skip creating it)
    option = _option_for(state, rec["option_id"])
    if option is not None and not rec["display_name"]:
        rec["display_name"] = option["display_name"] or option["name"]
    return None


def _option_set_option(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    _product_option(state, res, rec, data, creating, ctx)
    rec["values"] = [
        {"label": v["label"], "sort_order": v["sort_order"], "value": v["value"], "option_value_id": v["id"]}
        for v in state.rows(BY_NAME["options/values"], rec["option_id"])
    ]
    return None


def _option(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if not rec["display_name"]:
        rec["display_name"] = rec["name"]
    return None


def _category(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    parent = rec["parent_id"]
    if parent and parent not in state.tables["categories"]:
        raise invalid("parent_id", f"Category {parent} does not exist.")
    if not rec["url"]:
        rec["url"] = "/{}/".format(slug(rec["name"]))

    def lineage(stored: Dict[str, Any]) -> None:
        chain, seen, current = [stored["id"]], {stored["id"]}, stored["parent_id"]
        while current and current not in seen and current in state.tables["categories"]:
            chain.insert(0, current)
            seen.add(current)
            current = state.tables["categories"][current]["parent_id"]
        stored["parent_category_list"] = chain

    return lineage


def _gift_certificate(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if creating:
        if not rec["code"]:
            rng = random.Random(state.next_ids[res.name] * 7717)
            rec["code"] = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(12))
        if "balance" not in data:
            rec["balance"] = rec["amount"]
    return None


def _blog_post(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if not rec["url"]:
        rec["url"] = "/blog/{}/".format(slug(rec["title"]))
    rec["preview_url"] = rec["url"]
    return None


def _redirect(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if not rec["path"].startswith("/"):
        raise invalid("path", "The path must start with '/'.")
    rec["url"] = rec["path"]
    return None


def _hook(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    now = int(ctx.now)
    if creating:
        rec["client_id"] = ctx.client_id
        rec["store_hash"] = ctx.store_hash
        rec["created_at"] = now
    rec["updated_at"] = now
    if not isinstance(rec["destination"], str) or "://" not in rec["destination"]:
        raise invalid("destination", "The destination must be an absolute URL.")
    if rec["headers"] is not None and not isinstance(rec["headers"], dict):
        raise invalid("headers", "The value must be an object.")
    return None


def _address_dict(value: Any, field: str) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise invalid(field, "The value must be an object.")
    address = dict(ADDRESS)
    for key, item in value.items():
        if key in address or key in ("country_iso2",):
            address[key] = "" if item is None else str(item)
    return address


def _order(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if "billing_address" in data:
        rec["billing_address"] = _address_dict(data["billing_address"], "billing_address")
    rec["status"] = STATUS_NAMES[rec["status_id"]]
    if not creating:
        return None
    lines = data.get("products")
    if not isinstance(lines, list) or not lines:
        raise invalid("products", "The value must be a non-empty list of order products.")
    built = []
    for line in lines:
        if not isinstance(line, dict):
            raise invalid("products", "Each order product must be an object.")
        quantity = line.get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise invalid("products", "The quantity must be a positive integer.")
        if "product_id" in line:
            product = state.tables["products"].get(line["product_id"])
            if product is None:
                raise invalid("products", "Product {} does not exist.".format(line["product_id"]))
            price = Decimal(decimal4(line.get("price_inc_tax", product["calculated_price"]), "products"))
            built.append(
                {
                    "product_id": product["id"],
                    "name": product["name"],
                    "sku": product["sku"],
                    "type": product["type"],
                    "price": price,
                    "quantity": quantity,
                    "weight": product["weight"],
                }
            )
        else:
            if "name" not in line:
                raise missing("products.name")
            price = Decimal(decimal4(line.get("price_inc_tax", line.get("price_ex_tax", 0)), "products"))
            built.append(
                {
                    "product_id": 0,
                    "name": str(line["name"]),
                    "sku": str(line.get("sku", "")),
                    "type": "physical",
                    "price": price,
                    "quantity": quantity,
                    "weight": "0.0000",
                }
            )
    addresses = data.get("shipping_addresses") or []
    if not isinstance(addresses, list):
        raise invalid("shipping_addresses", "The value must be a list.")
    addresses = [_address_dict(a, "shipping_addresses") for a in addresses]
    subtotal = sum((line["price"] * line["quantity"] for line in built), Decimal(0))
    shipping = Decimal(rec["shipping_cost_inc_tax"])
    discount = Decimal(rec["discount_amount"])
    for field in ("subtotal_ex_tax", "subtotal_inc_tax"):
        if field not in data:
            rec[field] = str(subtotal.quantize(_FOUR))
    total = Decimal(rec["subtotal_inc_tax"]) + shipping - discount
    for field in ("total_ex_tax", "total_inc_tax"):
        if field not in data:
            rec[field] = str(total.quantize(_FOUR))
    rec["items_total"] = sum(line["quantity"] for line in built)
    rec["shipping_address_count"] = len(addresses)
    rec["order_is_digital"] = all(line["type"] == "digital" for line in built)

    def children(order: Dict[str, Any]) -> None:
        add_order_children(state, order, built, addresses, ctx.now)

    return children


def add_order_children(
    state: StoreState, order: Dict[str, Any], lines: List[Any], addresses: List[Any], now: float
) -> None:
    """Line items and shipping addresses of a new order (also used by the demo seeder)."""
    address_ids = []
    for address in addresses:
        row = state.insert(
            BY_NAME["orders/shipping_addresses"],
            dict(
                address,
                order_id=order["id"],
                items_total=sum(line["quantity"] for line in lines),
                shipping_method=address.get("shipping_method") or "Flat Rate Per Order",
            ),
            now,
        )
        address_ids.append(row["id"])
    for line in lines:
        price = str(Decimal(line["price"]).quantize(_FOUR))
        total = str((Decimal(line["price"]) * line["quantity"]).quantize(_FOUR))
        state.insert(
            BY_NAME["orders/products"],
            {
                "order_id": order["id"],
                "product_id": line["product_id"],
                "order_address_id": address_ids[0] if address_ids else 0,
                "name": line["name"],
                "sku": line["sku"],
                "type": line["type"],
                "base_price": price,
                "price_ex_tax": price,
                "price_inc_tax": price,
                "base_total": total,
                "total_ex_tax": total,
                "total_inc_tax": total,
                "weight": line["weight"],
                "quantity": line["quantity"],
            },
            now,
        )


def _shipment(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    order = state.tables["orders"][rec["order_id"]]
    address = state.tables["orders/shipping_addresses"].get(rec["order_address_id"])
    if address is None or address["order_id"] != order["id"]:
        raise invalid("order_address_id", "The shipping address does not belong to this order.")
    if not isinstance(rec["items"], list) or not rec["items"]:
        raise invalid("items", "The value must be a non-empty list.")
    rec["customer_id"] = order["customer_id"]
    rec["billing_address"] = dict(order["billing_address"])
    rec["shipping_address"] = {k: address[k] for k in ADDRESS}
    return None


def _sku(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    if not isinstance(rec["options"], list):
        raise invalid("options", "The value must be a list.")
    product = state.tables["products"][rec["product_id"]]
    rec["adjusted_price"] = rec["price"] if rec["price"] is not None else product["calculated_price"]
    rec["adjusted_weight"] = rec["weight"] if rec["weight"] is not None else product["weight"]
    return None


def password_digest(password: str, salt: bytes) -> str:
    """``salt$digest`` (PBKDF2-SHA256, hex): how a customer's password is kept."""
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, PASSWORD_ROUNDS)
    return f"{salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` is the one kept as ``stored`` (False when none is kept)."""
    salt_hex, sep, _ = stored.partition("$")
    if not sep:
        return False
    try:
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(password_digest(password, salt), stored)


PASSWORD_ROUNDS = 1000  # a sandbox: cheap on purpose, never a real credential store


def _customer(
    state: StoreState, res: Resource, rec: Dict[str, Any], data: Dict[str, Any], creating: bool, ctx: Context
) -> Optional[Callable[[Dict[str, Any]], None]]:
    auth = data.get("_authentication")
    if auth is None:
        return None
    if not isinstance(auth, dict):
        raise invalid("_authentication", "The value must be an object.")
    unknown = sorted(set(auth) - {"password", "password_confirmation", "force_reset"})
    if unknown:
        raise invalid("_authentication", "Unknown field(s): {}.".format(", ".join(unknown)))
    if "force_reset" in auth:
        if not isinstance(auth["force_reset"], bool):
            raise invalid("_authentication.force_reset", "The value must be a boolean.")
        rec["reset_pass_on_login"] = auth["force_reset"]
    if "password" in auth:
        password = auth["password"]
        if not isinstance(password, str) or not password:
            raise invalid("_authentication.password", "The value must be a non-empty string.")
        confirm = auth.get("password_confirmation", password)
        if confirm != password:
            raise invalid(
                "_authentication.password_confirmation", "The password confirmation does not match the password."
            )
        rec["password_digest"] = password_digest(password, os.urandom(8))
    return None


HOOKS: Dict[str, Callable[..., Optional[Callable[[Dict[str, Any]], None]]]] = {
    "customers": _customer,
    "products": _product,
    "products/images": _image,
    "products/options": _product_option,
    "products/skus": _sku,
    "option_sets/options": _option_set_option,
    "options": _option,
    "categories": _category,
    "gift_certificates": _gift_certificate,
    "blog/posts": _blog_post,
    "redirects": _redirect,
    "hooks": _hook,
    "orders": _order,
    "orders/shipments": _shipment,
}


def order_counts(state: StoreState, rows: List[Dict[str, Any]]) -> Dict[str, Any]:
    """``/orders/count``: the count plus one entry per order status."""
    per_status: Dict[int, int] = {}
    for rec in rows:
        per_status[rec["status_id"]] = per_status.get(rec["status_id"], 0) + 1
    statuses = []
    for sid, name in ORDER_STATUSES:
        statuses.append(
            {
                "id": sid,
                "name": name,
                "system_label": name,
                "custom_label": name,
                "system_description": f"Order status '{name}'.",
                "count": per_status.get(sid, 0),
                "sort_order": sid,
            }
        )
    return {"count": len(rows), "statuses": statuses}
