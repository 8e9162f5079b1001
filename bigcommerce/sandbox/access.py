"""Who may call what: access tokens, the OAuth scopes they carry, and the scope each path needs.

A table, not code: ``SCOPE_OF`` maps the first segments of an API path to the scope family
BigCommerce documents for it (``store_v2_products`` for the catalog, ...). A token granted the
family may read and write; ``<family>_read_only`` may only read (GET/HEAD). Paths in no family
(``/v2/time``, ``/v2/hooks``, GraphQL) need no scope. The store's own ``access_token`` carries
every scope (``ALL``), so a plain ``Sandbox()`` behaves like a fully-authorized app; tokens minted
by an install carry what the install granted.
"""

from __future__ import annotations

import secrets
from typing import Dict, FrozenSet, List, Optional, Tuple

ALL: FrozenSet[str] = frozenset({"*"})

#: (path prefix after /v2 or /v3, scope family); the longest matching prefix wins
SCOPE_OF: List[Tuple[str, str]] = [
    ("/v2/products", "store_v2_products"),
    ("/v2/categories", "store_v2_products"),
    ("/v2/brands", "store_v2_products"),
    ("/v2/options", "store_v2_products"),
    ("/v2/option_sets", "store_v2_products"),
    ("/v2/optionsets", "store_v2_products"),
    ("/v3/catalog", "store_v2_products"),
    ("/v3/pricelists", "store_v2_products"),
    ("/v2/customers", "store_v2_customers"),
    ("/v2/customer_groups", "store_v2_customers"),
    ("/v3/customers", "store_v2_customers"),
    ("/v2/orders", "store_v2_orders"),
    ("/v2/order_statuses", "store_v2_orders"),
    ("/v2/orderstatuses", "store_v2_orders"),
    ("/v3/orders", "store_v2_orders"),
    ("/v2/coupons", "store_v2_marketing"),
    ("/v2/gift_certificates", "store_v2_marketing"),
    ("/v2/banners", "store_v2_marketing"),
    ("/v2/blog", "store_v2_content"),
    ("/v2/pages", "store_v2_content"),
    ("/v2/redirects", "store_v2_content"),
    ("/v2/store", "store_v2_information"),
    ("/v2/countries", "store_v2_information"),
    ("/v2/currencies", "store_v2_information"),
    ("/v2/shipping", "store_v2_information"),
    ("/v2/tax_classes", "store_v2_information"),
    ("/v2/taxclasses", "store_v2_information"),
    ("/v2/payments/methods", "store_payments_methods"),
    ("/v3/inventory", "store_inventory"),
]
_BY_LENGTH = sorted(SCOPE_OF, key=lambda item: -len(item[0]))


def scope_family(api_path: str) -> Optional[str]:
    """The scope family a path needs (None: no scope needed)."""
    for prefix, family in _BY_LENGTH:
        if api_path == prefix or api_path.startswith(prefix + "/"):
            return family
    return None


def allows(scopes: FrozenSet[str], api_path: str, method: str) -> bool:
    """Whether a token with ``scopes`` may send ``method`` to ``api_path``."""
    if "*" in scopes:
        return True
    family = scope_family(api_path)
    if family is None:
        return True
    if family in scopes:
        return True
    reading = method in ("GET", "HEAD")
    return reading and (f"{family}_read_only" in scopes or f"{family}_read" in scopes)


def parse_scope(text: str) -> FrozenSet[str]:
    """A space-separated scope string as a set (``users_basic_information`` and the like kept)."""
    return frozenset(part for part in text.split() if part)


class Token:
    """One access token: the app (client id) it belongs to and what it may do."""

    __slots__ = ("value", "client_id", "scopes", "user_id")

    def __init__(self, value: str, client_id: str, scopes: FrozenSet[str], user_id: int) -> None:
        self.value = value
        self.client_id = client_id
        self.scopes = scopes
        self.user_id = user_id

    def __repr__(self) -> str:  # never the token itself
        return f"<Token client_id={self.client_id!r} scopes={sorted(self.scopes)!r}>"


def new_token_value() -> str:
    """A fresh, unguessable access token."""
    return "sbx-" + secrets.token_hex(16)


class TokenTable:
    """The store's valid tokens, by value (``find`` is constant-time per candidate)."""

    def __init__(self) -> None:
        self._tokens: Dict[str, Token] = {}

    def add(self, token: Token) -> Token:
        self._tokens[token.value] = token
        return token

    def revoke(self, value: str) -> bool:
        return self._tokens.pop(value, None) is not None

    def find(self, value: Optional[str]) -> Optional[Token]:
        if not value:
            return None
        return self._tokens.get(value)

    def all(self) -> List[Token]:
        return list(self._tokens.values())
