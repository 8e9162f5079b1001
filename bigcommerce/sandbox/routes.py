"""The sandbox's route tables, one per dialect, and the handlers of the v2 API and OAuth.

Routes are data: ``Route(method, regex, handler)`` rows. ``build_router`` makes a ``Router`` for
each store (nothing is registered by importing a module) from four tables:

``v2``
    built from the resource declarations of :mod:`.schema` (``resource_routes``) plus the v2
    operations that are not plain CRUD (``v2_table``), matched against the *API path*: the part
    after ``/stores/{hash}`` (OAuth, ``X-Auth-Token``) or after ``/api`` (legacy Basic auth),
    with a ``.json`` suffix and one trailing slash removed, e.g. ``/v2/products/32/images``.
``v3`` and ``graphql``
    :mod:`.v3`'s table: ``v3.ROUTES`` when it declares one, else what it added with
    ``add_route`` (``server.extension_rows``), split by path.
``oauth``
    matched against the raw path, no authentication (``/oauth2/token``, ``/login/token/{jwt}``).

Authentication, scopes and rate limiting happen before a handler runs. A handler gets ``(call,
match)``: ``call`` is the ``Call`` below (method, query, headers, body, ``call.json()``,
``call.core`` with ``.state``/``.lock``/``.config``), ``match`` the regex match. It returns a
``Reply`` (``mutated=True`` when it changed the store, so ``--state`` is saved and the cached JSON
of records and pages is dropped; a handler may change records in place) or raises
``store.ApiError``. Literal paths are tried before patterns, then first match wins; a path that
matches with another method gets 405, a documented operation no route serves 501, anything else
404. ``render_error`` gives every error its dialect's shape.
"""

from __future__ import annotations

import hmac
import json
import re
import time
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Pattern, Tuple
from urllib.parse import parse_qsl

from . import signing
from .schema import BY_NAME, RESOURCES, Resource
from .store import (
    ApiError,
    Context,
    check_password,
    count,
    error_object,
    invalid,
    list_page,
    not_found,
    order_counts,
    page_args,
    render,
    render_bytes,
    select,
    write,
)


class Reply:
    """A handler's answer: status, a JSON-able body (or bytes, or None), extra headers.

    ``mutated=True`` when the handler changed the store (the state file is then saved, and the
    store's render cache is dropped as a whole unless ``cache_safe=True`` says the handler kept
    it right itself, as the v2 CRUD handlers below do through ``store.write``/``insert``/
    ``delete_cascade``)."""

    __slots__ = ("status", "body", "headers", "mutated", "content_type", "cache_safe")

    def __init__(
        self,
        status: int,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        mutated: bool = False,
        content_type: str = "application/json",
        cache_safe: bool = False,
    ):
        self.status = status
        self.body = body
        self.headers = headers
        self.mutated = mutated
        self.content_type = content_type
        self.cache_safe = cache_safe


class Call:
    """One request as handlers see it."""

    __slots__ = ("core", "method", "path", "api_path", "query", "headers", "body", "_json")

    def __init__(
        self, core: Any, method: str, path: str, api_path: str, query: Dict[str, str], headers: Any, body: bytes
    ) -> None:
        self.core = core
        self.method = method
        self.path = path
        self.api_path = api_path
        self.query = query
        self.headers = headers
        self.body = body
        self._json = _UNSET

    def json(self) -> Any:
        """The body parsed as JSON (``{}`` when empty); 415/400 ``ApiError`` otherwise."""
        if self._json is _UNSET:
            if not self.body.strip():
                self._json = {}
            else:
                ctype = self.media_type()
                if ctype and ctype != "application/json" and not ctype.endswith("+json"):
                    raise ApiError(415, f"The specified content type '{ctype}' is not supported. Use application/json.")
                try:
                    self._json = json.loads(self.body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise ApiError(400, "The request body is not valid JSON.") from None
                except RecursionError:  # deeply nested arrays or objects
                    raise ApiError(400, "The request body is nested too deeply.") from None
        return self._json

    def media_type(self) -> str:
        """The request's ``Content-Type`` without parameters, lower case ('' when absent)."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def context(self) -> Context:
        config = self.core.config
        return Context(self.headers.get("X-Auth-Client") or config.client_id, config.store_hash)


_UNSET = object()


class Route(NamedTuple):
    method: str
    regex: "Pattern[str]"
    handler: Callable[[Call, Any], Reply]


EXTENSION_ROUTES: List[Route] = []  # what other modules add with add_route (v3, GraphQL)

_META = set(".^$*+?{}[]\\|()")


Handler = Callable[["Call", Any], "Reply"]


def add_route(method: str, pattern: str, handler: Handler, public: bool = False) -> Route:
    """Append an API route to ``EXTENSION_ROUTES`` (how :mod:`.v3` declares its table); every
    ``Sandbox`` built afterwards serves it. Returns it."""
    route = Route(method.upper(), re.compile(pattern), handler)
    if public:
        raise ValueError("public routes are the OAuth table's (oauth_table)")
    EXTENSION_ROUTES.append(route)
    return route


def route(method: str, pattern: str, handler: Handler) -> Route:
    """One row of a route table."""
    return Route(method.upper(), re.compile(pattern), handler)


def _bucket(path: str) -> str:
    """The first two segments of a path: the index key of the route table."""
    parts = path.split("/", 3)
    return "/".join(parts[:3])


def _literal(pattern: str) -> str:
    text = pattern[1:] if pattern.startswith("^") else pattern
    out = []
    for char in text:
        if char in _META:
            break
        out.append(char)
    return "".join(out)


class _Index:
    """Routes grouped by their first two literal segments, rebuilt when a table grows."""

    def __init__(self, table: List[Route]):
        self.table = table
        self.size = -1
        self.buckets: Dict[str, List[Route]] = {}
        self.generic: List[Route] = []

    def candidates(self, path: str) -> List[Route]:
        if self.size != len(self.table):
            self._build()
        return self.buckets.get(_bucket(path), self.generic)

    def _build(self) -> None:
        # literal paths before patterns, so /countries/states is not read as /countries/{id}
        table = sorted(self.table, key=lambda route: route.regex.groups > 0)
        keys = [_route_key(route) for route in table]
        buckets: Dict[str, List[Route]] = {}
        for key in {k for k in keys if k is not None}:
            buckets[key] = [r for r, k in zip(table, keys) if k in (key, None)]
        self.generic = [r for r, k in zip(table, keys) if k is None]
        self.buckets, self.size = buckets, len(self.table)


def _route_key(route: Route) -> Optional[str]:
    """The bucket of a route whose pattern starts with its first two segments spelled out
    literally (or with the whole literal path); None when it must be tried for every path."""
    pattern = route.regex.pattern
    if pattern.startswith("^"):
        pattern = pattern[1:]
    literal = _literal(pattern)
    rest = pattern[len(literal) :]
    if literal.startswith("/") and (rest.startswith("$") or literal.count("/") >= 3):
        return _bucket(literal)
    return None


class Router:
    """The route tables of one ``Sandbox``, one per dialect: ``tables["v2"|"v3"|"graphql"]`` are
    matched against the API path, ``tables["oauth"]`` against the raw path (no authentication).
    Built per store from data (``build_router``); nothing is registered by importing a module."""

    def __init__(self, tables: Dict[str, List[Route]]):
        self.tables = tables
        api: List[Route] = []
        for dialect in ("v2", "v3", "graphql"):
            api.extend(tables.get(dialect, ()))
        self._api = _Index(api)
        self._public = _Index(list(tables.get("oauth", ())))

    def resolve(self, path: str, method: str, public: bool = False) -> Tuple[Route, Any]:
        """(route, match) for the request, or raises 404/405/501 ``ApiError``."""
        index = self._public if public else self._api
        allowed = []
        for candidate in index.candidates(path):
            match = candidate.regex.match(path)
            if match is not None:
                if candidate.method == method or (method == "HEAD" and candidate.method == "GET"):
                    return candidate, match
                allowed.append(candidate.method)
        if allowed:
            raise ApiError(
                405,
                "The requested method is not supported by this resource.",
                headers={"Allow": ", ".join(sorted(set(allowed)))},
            )
        if not public:
            documented = documented_operation(path, method)
            if documented is not None:
                raise not_emulated(documented)
        raise not_found()


def dialect_of(kind: str, api_path: str) -> str:
    """Which dialect a request speaks: ``"oauth"`` (the public routes), ``"v2"``, ``"graphql"``
    or ``"v3"`` (everything else under the store)."""
    if kind == "public":
        return "oauth"
    if api_path == "/v2" or api_path.startswith("/v2/"):
        return "v2"
    if api_path.startswith("/graphql"):
        return "graphql"
    return "v3"


def render_error(dialect: str, exc: ApiError) -> Any:
    """The one place an error body takes its dialect's shape: v2 an array ``[{status, message,
    details?}]``, v3 and GraphQL an object ``{status, title, type, errors}``, OAuth its own
    ``{error, error_description}`` (as the handler raised it). A body the handler gave is kept."""
    body = exc.body
    if dialect in ("v3", "graphql") and isinstance(body, list):
        return error_object(exc.status, exc.message)
    return body


def not_emulated(operation: str) -> ApiError:
    """501 for a documented operation the sandbox does not emulate (an unknown path is 404)."""
    message = f"{operation} is a documented BigCommerce operation the sandbox does not emulate."
    body: Any
    if operation.split(" ", 1)[-1].startswith("/v2/"):
        body = [{"status": 501, "message": message}]
    else:
        body = error_object(501, "Not emulated by the sandbox", {"operation": message})
    return ApiError(501, message, body=body)


def documented_operation(path: str, method: str) -> Optional[str]:
    """``"METHOD /template"`` when BigCommerce documents this request (see ``DOCUMENTED``)."""
    for template, methods, regex in _DOCUMENTED:
        if method in methods and regex.match(path):
            return f"{method} {template}"
    return None


def _template_regex(template: str) -> "Pattern[str]":
    return re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$")


#: documented operations beyond v2 (v3 REST), by path template: a request that matches one and
#: no route of the store gets 501 instead of 404 (the v2 tree is served in full)
DOCUMENTED: List[Tuple[str, str]] = (
    [
        ("/v3/catalog/products", "GET POST PUT DELETE"),
        ("/v3/catalog/products/{id}", "GET PUT DELETE"),
        ("/v3/catalog/products/{id}/{sub}", "GET POST PUT DELETE"),
        ("/v3/catalog/products/{id}/{sub}/{sub_id}", "GET POST PUT DELETE"),
        ("/v3/catalog/products/{id}/{sub}/{sub_id}/{leaf}", "GET POST PUT DELETE"),
        ("/v3/catalog/products/{id}/{sub}/{sub_id}/{leaf}/{leaf_id}", "GET POST PUT DELETE"),
    ]
    + [
        (template.replace("{family}", family), methods)
        for family in ("brands", "categories", "trees", "variants", "summary")
        for template, methods in (
            ("/v3/catalog/{family}", "GET POST PUT DELETE"),
            ("/v3/catalog/{family}/{id}", "GET POST PUT DELETE"),
            ("/v3/catalog/{family}/{id}/{sub}", "GET POST PUT DELETE"),
            ("/v3/catalog/{family}/{id}/{sub}/{sub_id}", "GET POST PUT DELETE"),
        )
    ]
    + [
        ("/v3/customers", "GET POST PUT DELETE"),
        ("/v3/customers/{sub}", "GET POST PUT DELETE"),
        ("/v3/customers/{id}/{sub}", "GET POST PUT DELETE"),
        ("/v3/customers/{id}/{sub}/{sub_id}", "GET POST PUT DELETE"),
        ("/v3/orders/{id}/{sub}", "GET POST PUT DELETE"),
        ("/v3/orders/{id}/{sub}/{sub_id}", "GET POST PUT DELETE"),
        ("/v3/orders/{sub}", "GET POST PUT DELETE"),
        ("/v3/pricelists", "GET POST DELETE"),
        ("/v3/pricelists/{id}", "GET PUT DELETE"),
        ("/v3/pricelists/{id}/records", "GET PUT DELETE"),
        ("/v3/pricelists/{id}/records/{variant_id}", "GET"),
        ("/v3/pricelists/{id}/records/{variant_id}/{currency}", "GET PUT DELETE"),
        ("/v3/pricelists/assignments", "GET POST DELETE"),
        ("/v3/inventory/{sub}", "GET POST PUT"),
        ("/v3/inventory/{sub}/{id}", "GET POST PUT"),
        ("/v3/inventory/{sub}/{id}/{leaf}", "GET POST PUT"),
        ("/v3/hooks", "GET POST PUT DELETE"),
        ("/v3/hooks/{id}", "GET PUT DELETE"),
        ("/v3/hooks/{sub}", "GET PUT"),
    ]
)
_DOCUMENTED = [(template, frozenset(methods.split()), _template_regex(template)) for template, methods in DOCUMENTED]


def build_router(v3_table: Iterable[Route] = ()) -> Router:
    """A fresh router: the v2 table built from :mod:`.schema`, the OAuth table, and the v3 and
    GraphQL rows of ``v3_table`` (split by path)."""
    v3: List[Route] = []
    graphql: List[Route] = []
    for row in v3_table:
        (graphql if row.regex.pattern.startswith("^/graphql") else v3).append(row)
    return Router({"v2": v2_table(), "v3": v3, "graphql": graphql, "oauth": oauth_table()})


# -- v2 handlers -------------------------------------------------------------------------------

_ID = re.compile(r"^[0-9]{1,12}$")


def _int_id(text: str) -> int:
    """A path id; anything but digits (``..``, ``%2F``, letters) is simply not found."""
    if not _ID.match(text):
        raise not_found()
    return int(text)


def _parent_id(call: Call, match: Any, res: Resource) -> Optional[int]:
    if res.parent is None:
        return None
    pid = _int_id(match.group("pid"))
    if pid not in call.core.state.tables[res.parent.name]:
        raise not_found()
    return pid


def _record(call: Call, match: Any, res: Resource) -> Tuple[Optional[int], int, Dict[str, Any]]:
    pid = _parent_id(call, match, res)
    rid = _int_id(match.group("id"))
    rec = call.core.state.tables[res.name].get(rid)
    if rec is None or (pid is not None and rec[res.parent_key] != pid):
        raise not_found()
    return pid, rid, rec


def _link_base(call: Call) -> str:
    return str(call.core.config.url) + "/api/v2"


def make_handlers(res: Resource) -> Dict[str, Handler]:
    """The CRUD handlers of one resource, by operation name."""

    def list_(call: Call, match: Any) -> Reply:
        page: Optional[int]
        limit: Optional[int]
        if res.paged:
            page, limit = page_args(call.query)
            query = call.query
        else:  # a fixed list: page and limit are ignored, as the real API does
            page = limit = None
            query = {k: v for k, v in call.query.items() if k not in ("page", "limit")}
        with call.core.lock:
            pid = _parent_id(call, match, res) if "pid" in match.re.groupindex else None
            data = list_page(call.core.state, res, pid, query, page, limit, _link_base(call))
        return Reply(204) if data is None else Reply(200, data)

    def count_(call: Call, match: Any) -> Reply:
        with call.core.lock:
            state = call.core.state
            pid = _parent_id(call, match, res) if "pid" in match.re.groupindex else None
            if res.count_answer == "statuses":
                return Reply(200, order_counts(state, select(state, res, pid, call.query)))
            return Reply(200, {"count": count(state, res, pid, call.query)})

    def get(call: Call, match: Any) -> Reply:
        with call.core.lock:
            _, _, rec = _record(call, match, res)
            return Reply(200, render_bytes(call.core.state, res, rec, _link_base(call)))

    def create(call: Call, match: Any) -> Reply:
        data = call.json()
        with call.core.lock:
            pid = _parent_id(call, match, res)
            rec = write(call.core.state, res, pid, data, None, call.context())
            return Reply(201, render_bytes(call.core.state, res, rec, _link_base(call)), mutated=True, cache_safe=True)

    def update(call: Call, match: Any) -> Reply:
        data = call.json()
        with call.core.lock:
            pid, rid, _ = _record(call, match, res)
            rec = write(call.core.state, res, pid, data, rid, call.context())
            return Reply(200, render_bytes(call.core.state, res, rec, _link_base(call)), mutated=True, cache_safe=True)

    def delete(call: Call, match: Any) -> Reply:
        with call.core.lock:
            _, rid, rec = _record(call, match, res)
            shown = render_bytes(call.core.state, res, rec, _link_base(call))
            call.core.state.delete_cascade(res, rid)
        if res.delete_answer == "record":
            return Reply(200, shown, mutated=True, cache_safe=True)
        return Reply(204, mutated=True, cache_safe=True)

    def delete_all(call: Call, match: Any) -> Reply:
        with call.core.lock:
            pid = _parent_id(call, match, res)
            # the same filters as a GET, checked the same way: a misspelt one deletes nothing
            for rec in select(call.core.state, res, pid, call.query):
                call.core.state.delete_cascade(res, rec["id"])
        return Reply(204, mutated=True, cache_safe=True)

    return {
        "list": list_,
        "count": count_,
        "get": get,
        "create": create,
        "update": update,
        "delete": delete,
        "delete_all": delete_all,
    }


def _spellings(res: Resource) -> List[str]:
    return [re.escape(s) for s in res.spellings]


def resource_routes(res: Resource) -> List[Route]:
    """The routes of one v2 collection (every spelling, per parent and store-wide count), as
    its declaration says: ``ops``, ``counted``, ``store_wide_list``."""
    table: List[Route] = []

    def add_route(method: str, pattern: str, handler: Handler) -> None:
        table.append(route(method, pattern, handler))

    handlers = make_handlers(res)
    ops = res.ops
    col_ops = [("GET", "list"), ("POST", "create"), ("DELETE", "delete_all")]
    item_ops = [("GET", "get"), ("PUT", "update"), ("DELETE", "delete")]
    counted = res.counted and "list" in ops
    for spelling in _spellings(res):
        if res.parent is None:
            base = "^/v2/" + spelling
        else:
            for parent_spelling in _spellings(res.parent):
                if counted:  # store-wide count, e.g. /products/skus/count
                    add_route("GET", f"^/v2/{parent_spelling}/{spelling}/count$", handlers["count"])
                if res.store_wide_list:  # e.g. /countries/states
                    add_route("GET", f"^/v2/{parent_spelling}/{spelling}$", handlers["list"])
            base = None
        parents = _spellings(res.parent) if res.parent is not None else []
        bases = [base] if base else [f"^/v2/{p}/(?P<pid>[^/]+)/{spelling}" for p in parents]
        for prefix in bases:
            if counted:
                add_route("GET", prefix + "/count$", handlers["count"])
            for method, op in col_ops:
                if op in ops:
                    add_route(method, prefix + "$", handlers[op])
            for method, op in item_ops:
                if op in ops:
                    add_route(method, prefix + "/(?P<id>[^/]+)$", handlers[op])
    return table


# -- single objects ----------------------------------------------------------------------------


def get_store(call: Call, match: Any) -> Reply:
    config = call.core.config
    return Reply(
        200,
        {
            "id": config.store_hash,
            "domain": config.url.split("://", 1)[-1],
            "secure_url": config.url,
            "name": "Sandbox Store",
            "first_name": "Store",
            "last_name": "Owner",
            "address": "1 Sandbox Way\nAustin, Texas 78701\nUnited States",
            "country": "United States",
            "country_code": "US",
            "phone": "555-0100",
            "admin_email": config.owner_email,
            "order_email": config.owner_email,
            "favicon_url": "",
            "timezone": {
                "name": "Etc/UTC",
                "raw_offset": 0,
                "dst_offset": 0,
                "date_format": {"display": "jS M Y", "export": "M jS Y", "extended_display": "M jS Y @ g:i A"},
            },
            "language": "en",
            "currency": "USD",
            "currency_symbol": "$",
            "decimal_separator": ".",
            "thousands_separator": ",",
            "decimal_places": 2,
            "currency_symbol_location": "left",
            "weight_units": "LBS",
            "dimension_units": "Inches",
            "dimension_decimal_places": 2,
            "dimension_decimal_token": ".",
            "dimension_thousands_token": ",",
            "plan_name": "Standard",
            "plan_level": "Standard",
            "plan_is_trial": False,
            "industry": "Apparel",
            "logo": [],
            "is_price_entered_with_tax": False,
            "active_comparison_modules": [],
            "features": {
                "stencil_enabled": True,
                "sitewidehttps_enabled": True,
                "facebook_catalog_id": "",
                "checkout_type": "optimized",
            },
        },
    )


def get_time(call: Call, match: Any) -> Reply:
    return Reply(200, {"time": int(time.time())})


PAYMENT_METHODS = [
    {"code": "braintree", "name": "Braintree", "test_mode": True},
    {"code": "cheque", "name": "Pay by Check", "test_mode": False},
    {"code": "instore", "name": "Pay in Store", "test_mode": False},
]


def get_payment_methods(call: Call, match: Any) -> Reply:
    return Reply(200, PAYMENT_METHODS)


# -- derived views and actions (v2 operations that are not plain CRUD) ---------------------------


def _order(call: Call, match: Any) -> Dict[str, Any]:
    order = call.core.state.tables["orders"].get(_int_id(match.group("pid")))
    if order is None:
        raise not_found()
    return order  # type: ignore[no-any-return]


def _link(call: Call, path: str) -> Dict[str, str]:
    return {"url": f"{_link_base(call)}{path}.json", "resource": path}


def order_consignments(call: Call, match: Any) -> Reply:
    """``GET /orders/{id}/consignments``: the order's shipping addresses as shipping consignments."""
    with call.core.lock:
        order = _order(call, match)
        state = call.core.state
        res = BY_NAME["orders/shipping_addresses"]
        lines = state.rows(BY_NAME["orders/products"], order["id"])
        shipping = []
        for address in state.rows(res, order["id"]):
            shown = json.loads(render_bytes(state, res, address, _link_base(call)))
            for key in ("order_id", "shipping_quotes"):
                shown.pop(key, None)
            for key in res.decimals:  # consignments show money as numbers, addresses as strings
                shown[key] = float(shown[key])
            shown["line_items"] = [
                _link(call, "/orders/{}/products/{}".format(order["id"], line["id"]))
                for line in lines
                if line["order_address_id"] == address["id"]
            ]
            shown["shipping_quotes"] = _link(
                call, "/orders/{}/consignments/shipping/{}/shipping_quotes".format(order["id"], address["id"])
            )
            shipping.append(shown)
    return Reply(200, {"pickups": [], "shipping": shipping, "downloads": [], "email": {"gift_certificates": []}})


def order_fees(call: Call, match: Any) -> Reply:
    """``GET /orders/{id}/fees``: ``{"fees": [...]}``."""
    with call.core.lock:
        order = _order(call, match)
        res = BY_NAME["orders/fees"]
        fees = [render(res, rec, _link_base(call)) for rec in call.core.state.rows(res, order["id"])]
    return Reply(200, {"fees": [{k: v for k, v in fee.items() if k != "order_id"} for fee in fees]})


def shipping_quote(call: Call, match: Any) -> Reply:
    """The quote of one shipping address (``.../shipping_addresses/{id}/shipping_quotes`` and
    ``.../consignments/shipping/{id}/shipping_quotes``): a static per-order quote."""
    with call.core.lock:
        order = _order(call, match)
        address = call.core.state.tables["orders/shipping_addresses"].get(_int_id(match.group("id")))
        if address is None or address["order_id"] != order["id"]:
            raise not_found()
        methods = call.core.state.tables["shipping/zones/methods"]
        method_id = next((mid for mid, rec in methods.items() if rec["name"] == address["shipping_method"]), 0)
        stamp = order["date_created"]
    number = address["id"]
    return Reply(
        200,
        {
            "id": str(number),
            "uuid": f"00000000-0000-4000-8000-{number:012d}",
            "timestamp": stamp,
            "shipping_provider_id": "bcstatic",
            "shipping_provider_quote": [],
            "provider_code": "perorder",
            "carrier_code": "",
            "rate_code": "",
            "rate_id": "",
            "method_id": method_id,
        },
    )


def blog_tags(call: Call, match: Any) -> Reply:
    """``GET /blog/tags``: every tag of the blog posts with the ids of the posts that carry it."""
    if call.query:
        raise ApiError(
            400,
            f"The field '{sorted(call.query)[0]}' is invalid.",
            {"invalid_reason": "This operation takes no query parameters."},
        )
    tags: Dict[str, List[int]] = {}
    with call.core.lock:
        for post in call.core.state.tables["blog/posts"].values():
            for tag in post["tags"]:
                tags.setdefault(str(tag), []).append(post["id"])
    return Reply(200, [{"tag": tag, "post_ids": ids} for tag, ids in sorted(tags.items())])


def validate_customer(call: Call, match: Any) -> Reply:
    """``POST /customers/{id}/validate`` with ``{"password": ...}``: ``{"success": bool}``."""
    data = call.json()
    if not isinstance(data, dict) or not isinstance(data.get("password"), str):
        raise ApiError(400, "The required field 'password' was not supplied.")
    with call.core.lock:
        customer = call.core.state.tables["customers"].get(_int_id(match.group("id")))
        if customer is None:
            raise not_found()
        stored = customer["password_digest"]
    return Reply(200, {"success": check_password(stored, data["password"])})


CARRIERS = ("auspost", "canadapost", "endicia", "usps", "fedex", "royalmail", "upsready")


def carrier_connection(call: Call, match: Any) -> Reply:
    """``POST|PUT|DELETE /shipping/carrier/connection``: connect, update or disconnect a carrier
    (204; 400 for an unknown carrier, a missing connection, or one not connected)."""
    data = call.json()
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    carrier = data.get("carrier_id")
    if carrier not in CARRIERS:
        raise invalid("carrier_id", "The value must be one of: {}.".format(", ".join(CARRIERS)))
    res = BY_NAME["shipping/carrier/connection"]
    with call.core.lock:
        state = call.core.state
        current = next((rec for rec in state.tables[res.name].values() if rec["carrier_id"] == carrier), None)
        if call.method == "DELETE":
            if current is None:
                raise ApiError(400, f"The carrier '{carrier}' is not connected.")
            state.delete_cascade(res, current["id"])
            return Reply(204, mutated=True, cache_safe=True)
        connection = data.get("connection")
        if not isinstance(connection, dict) or not connection:
            raise invalid("connection", "The value must be a non-empty object.")
        unknown = sorted(set(data) - {"carrier_id", "connection"})
        if unknown:
            raise invalid(unknown[0], "This field is not part of a carrier connection.")
        if call.method == "PUT" and current is None:
            raise ApiError(400, f"The carrier '{carrier}' is not connected.")
        if call.method == "POST" and current is not None:
            raise ApiError(400, f"The carrier '{carrier}' is already connected.")
        rid = current["id"] if current is not None else None
        state.insert(res, {"carrier_id": carrier, "connection": dict(connection)}, rid=rid)
    return Reply(204, mutated=True, cache_safe=True)


# -- OAuth and customer login (public) -----------------------------------------------------------


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, error, body={"error": error, "error_description": description})


def token_exchange(call: Call, match: Any) -> Reply:
    """``POST /oauth2/token``: an install code (from ``Sandbox.install``) for the access token, once."""
    if call.media_type() == "application/json":
        try:
            form = json.loads(call.body.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            raise _oauth_error(400, "invalid_request", "The body is not valid JSON.") from None
        if not isinstance(form, dict):
            raise _oauth_error(400, "invalid_request", "The body must be an object.")
        form = {k: str(v) for k, v in form.items()}
    else:
        form = dict(parse_qsl(call.body.decode("latin-1"), keep_blank_values=True))
    for field in ("client_id", "client_secret", "code", "grant_type"):
        if not form.get(field):
            raise _oauth_error(400, "invalid_request", f"The field '{field}' is missing.")
    config = call.core.config
    if not hmac.compare_digest(form["client_id"], config.client_id):
        raise _oauth_error(400, "Invalid client_id.", "The client id is not known.")
    if not hmac.compare_digest(form["client_secret"], config.client_secret):
        raise _oauth_error(400, "Invalid client_secret.", "The client secret does not match.")
    if form["grant_type"] != "authorization_code":
        raise _oauth_error(400, "Invalid grant_type.", "Use grant_type=authorization_code.")
    with call.core.lock:
        grant = call.core.codes.get(form["code"])
        if grant is None:
            raise _oauth_error(400, "Invalid code.", "The code is unknown, expired or already used.")
        if form.get("context") and form["context"] != grant["context"]:
            raise _oauth_error(400, "Invalid context.", "The context does not match the code.")
        registered = grant.get("redirect_uri")
        if registered and form.get("redirect_uri") != registered:
            raise _oauth_error(
                400, "Invalid redirect_uri.", "The redirect_uri does not match the app's registered one."
            )
        del call.core.codes[form["code"]]
        token = call.core.issue_token(grant["scope"])
    user = {"id": config.owner_id, "username": "Store Owner", "email": config.owner_email}
    return Reply(
        200,
        {
            "access_token": token,
            "scope": grant["scope"],
            "user": user,
            "owner": dict(user),
            "context": grant["context"],
            "account_uuid": grant["account_uuid"],
        },
        content_type="application/json; charset=utf-8",
    )


def customer_login(call: Call, match: Any) -> Reply:
    """``GET /login/token/{jwt}``: the storefront end of customer SSO. Valid token -> 302 to
    ``redirect_to`` (default ``/account.php``); invalid -> 302 to ``/login.php`` with a reason."""
    config = call.core.config
    reason = None
    try:
        claims = signing.verify_hs256(match.group("token"), config.client_secret)
    except ValueError as exc:
        claims, reason = {}, str(exc)
    now = time.time()
    if reason is None:
        if claims.get("iss") != config.client_id:
            reason = "wrong issuer"
        elif claims.get("operation") != "customer_login":
            reason = "wrong operation"
        elif claims.get("store_hash") != config.store_hash:
            reason = "wrong store"
        elif not isinstance(claims.get("iat"), (int, float)) or abs(now - claims["iat"]) > 30:
            reason = "token expired"
        else:
            with call.core.lock:
                if claims.get("customer_id") not in call.core.state.tables["customers"]:
                    reason = "unknown customer"
                elif claims.get("jti") in call.core.used_jti:
                    reason = "token already used"
                else:
                    call.core.used_jti.add(claims.get("jti"))
    if reason is None:
        target = str(claims.get("redirect_to") or "/account.php")
        if not target.startswith("/"):
            target = "/" + target
        return Reply(
            302,
            b"",
            {
                "Location": config.url + target,
                "Set-Cookie": "SHOP_SESSION_TOKEN=customer-{}; Path=/; HttpOnly".format(claims["customer_id"]),
            },
            content_type="text/html",
        )
    return Reply(
        302,
        b"",
        {"Location": config.url + "/login.php?action=token_error&reason=" + reason.replace(" ", "+")},
        content_type="text/html",
    )


def storefront_page(call: Call, match: Any) -> Reply:
    page = match.group(1)
    return Reply(
        200,
        (f"<!DOCTYPE html><html><head><title>{page}</title></head><body><h1>{page}</h1></body></html>").encode(),
        content_type="text/html",
    )


def v2_table() -> List[Route]:
    """Every v2 route: the declared resources, then the operations that are not plain CRUD."""
    table = [
        route("GET", r"^/v2/blog/tags$", blog_tags),
        route("POST", r"^/v2/customers/(?P<id>[^/]+)/validate$", validate_customer),
        route("GET", r"^/v2/orders/(?P<pid>[^/]+)/consignments$", order_consignments),
        route("GET", r"^/v2/orders/(?P<pid>[^/]+)/fees$", order_fees),
        route(
            "GET",
            r"^/v2/orders/(?P<pid>[^/]+)/consignments/shipping/(?P<id>[^/]+)/"
            r"shipping_quotes$",
            shipping_quote,
        ),
        route("GET", r"^/v2/store$", get_store),
        route("GET", r"^/v2/time$", get_time),
        route("GET", r"^/v2/payments/methods$", get_payment_methods),
    ]
    for spelling in ("shipping_addresses", "shippingaddresses"):
        table.append(
            route("GET", rf"^/v2/orders/(?P<pid>[^/]+)/{spelling}/(?P<id>[^/]+)/shipping_quotes$", shipping_quote)
        )
    for method in ("POST", "PUT", "DELETE"):
        table.append(route(method, r"^/v2/shipping/carrier/connection$", carrier_connection))
    for res in RESOURCES:
        table.extend(resource_routes(res))
    return table


def oauth_table() -> List[Route]:
    """The public routes: token exchange, customer login, storefront pages."""
    return [
        route("POST", r"^/oauth2/token$", token_exchange),
        route("GET", r"^/login/token/(?P<token>[^/]+)$", customer_login),
        route("GET", r"^/(account|login)\.php$", storefront_page),
    ]
