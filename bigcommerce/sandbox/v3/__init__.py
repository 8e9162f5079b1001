"""The sandbox's v3 REST API and its GraphQL endpoint (see docs/sandbox-v3.rst).

``ROUTES`` is the whole v3 routing table as data: a list of ``(method, regex, handler)``, matched
against the API path after ``/stores/{hash}``; :func:`register` adds every entry to
:mod:`bigcommerce.sandbox.routes` (done once, on import). One module per family:

- :mod:`.legacy`: v3 products and customers (hand-written, on the v2 records), GraphQL, and the
  pagination/cursor/207 helpers every family uses;
- :mod:`.engine`: the declarative ``Collection`` and its generic handlers;
- :mod:`.catalog` (collections) and :mod:`.catalog_actions` (images, trees, assignments, summary,
  ``include=``), :mod:`.customers`, :mod:`.orders`, :mod:`.pricing` (price lists, inventory),
  :mod:`.webhooks`.
"""

from __future__ import annotations

from typing import List

from ..routes import add_route
from . import catalog, catalog_actions, customers, orders, pricing, webhooks
from . import products as _products  # noqa: F401  (plugs the extra product fields into .legacy)
from .engine import Route
from .legacy import (
    LEGACY_ROUTES,
    cursor_page_of,
    decode_cursor,
    encode_cursor,
    page_of,
    render_customer,
    render_product,
    run_graphql,
    v3_error,
)

#: every v3 route, most specific first (first match wins)
ROUTES: List[Route] = (
    catalog_actions.ROUTES
    + catalog.collection_routes()
    + customers.ROUTES
    + orders.ROUTES
    + pricing.ROUTES
    + webhooks.ROUTES
    + LEGACY_ROUTES
)


def register() -> None:
    """Add every entry of ``ROUTES`` to the sandbox's routing table."""
    for method, regex, handler in ROUTES:
        add_route(method, regex, handler)


register()

__all__ = [
    "ROUTES",
    "register",
    "page_of",
    "cursor_page_of",
    "encode_cursor",
    "decode_cursor",
    "render_product",
    "render_customer",
    "run_graphql",
    "v3_error",
]
