"""How the examples get an api: your store when credentials are set, else a sandbox store.

Set either an OAuth app's credentials::

    export BIGCOMMERCE_STORE_HASH=abc123 BIGCOMMERCE_CLIENT_ID=... BIGCOMMERCE_ACCESS_TOKEN=...

or a legacy store's Basic credentials::

    export BIGCOMMERCE_HOST=store.example.com BIGCOMMERCE_USERNAME=admin BIGCOMMERCE_API_TOKEN=...

With neither, ``store_api()`` starts a local sandbox store seeded with demo data, so every example
runs on a fresh clone with nothing configured.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator

from bigcommerce.api import BigcommerceApi


@contextlib.contextmanager
def store_api(products: int = 100, customers: int = 20, orders: int = 50) -> Iterator[BigcommerceApi]:
    """Yield a ``BigcommerceApi``; the sandbox (if one was started) stops when the block ends."""
    env = os.environ
    if env.get("BIGCOMMERCE_ACCESS_TOKEN"):
        # BC_API_ENDPOINT, when set, is read by BigcommerceApi itself.
        yield BigcommerceApi(
            client_id=env.get("BIGCOMMERCE_CLIENT_ID"),
            store_hash=env.get("BIGCOMMERCE_STORE_HASH"),
            access_token=env["BIGCOMMERCE_ACCESS_TOKEN"],
        )
        return
    if env.get("BIGCOMMERCE_API_TOKEN"):
        yield BigcommerceApi(
            host=env.get("BIGCOMMERCE_HOST"), basic_auth=(env.get("BIGCOMMERCE_USERNAME"), env["BIGCOMMERCE_API_TOKEN"])
        )
        return
    from bigcommerce.sandbox import Sandbox

    print("(no credentials in the environment: using a sandbox store with demo data)", file=sys.stderr)
    with Sandbox(products=products, customers=customers, orders=orders) as store:
        yield store.api()
