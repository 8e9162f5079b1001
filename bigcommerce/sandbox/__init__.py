"""A local BigCommerce store that speaks the same HTTP as the real v2 API.

The sandbox is an independent implementation (it shares no code with the client) so that a
misunderstanding of the API in one is caught by the other. Standard library only.

Python API
==========

::

    from bigcommerce.sandbox import Sandbox

    with Sandbox(products=100, customers=20, orders=30, seed=0) as store:
        store.url            # "http://127.0.0.1:PORT" (origin)
        store.v2_url         # OAuth v2 root: {url}/stores/{store_hash}/v2   (X-Auth-Token)
        store.basic_url      # legacy root:   {url}/api/v2                  (Basic auth, .json ok)
        api = store.api()    # a configured bigcommerce.api.BigcommerceApi (basic=True: Basic)
        store.requests       # [RecordedRequest(...)] when the log is on (record=True or a size)
        store.throttled      # {client_id: 429s sent}; store.stats() adds answers per client
        store.connections    # TCP connections accepted so far
        store.reset()        # back to the seeded state; faults, log, codes, rate window cleared
        store.state()        # deep copy of the data {collection: {id: record}}
        store.inject("reset_before", times=1, match="POST /products")

``Sandbox(...)`` arguments: ``products``, ``customers``, ``orders`` (demo data, deterministic for a
``seed``), ``store_hash``, ``client_id``, ``client_secret`` (default
``"sandbox-client-secret-0123456789abcdef"``, long enough for HS256), ``access_token``,
``basic_auth`` (user, token), ``latency_ms`` (delay before every request, slept without holding
any lock, so concurrent requests overlap their latency), ``rate_limit`` ((quota, window_ms);
``None``, the default, is unlimited but the ``X-Rate-Limit-*`` headers are still sent with a quota
of 1,000,000), ``state`` (a JSON file loaded at start if present and rewritten atomically after
every change; a write is answered once the file holds it), ``host``, ``port`` (0 = any free
port), ``record`` (keep the last N ``requests``: True = 10,000; default off, or
``$BIGCOMMERCE_SANDBOX_RECORD``), ``request_timeout`` (seconds to receive one request, default 5;
408 after), ``redirect_uri`` (the app's registered one, checked by the token exchange),
``install_tokens`` (pin the tokens installs mint, for tests), ``config`` (a ready ``Config``),
``max_body`` (bigger bodies get 413), ``gzip`` (default False; True compresses bodies over 1 KB
with ``Content-Encoding: gzip`` when the request sends ``Accept-Encoding: gzip``),
``basic_rate_limit`` ((quota, window_ms) for Basic-auth requests: ``X-BC-ApiLimit-Remaining``
counts down and a spent quota is answered 509, not processed; ``None``, the default, never
throttles and always says 10000). The store starts
when created; ``stop()`` or the end of the ``with`` block stops it.

Every store has countries (Andorra is 5, the United States 226, with its 65 states), the fixed
``order_statuses``, a USD currency, three tax classes and two shipping methods. ``products=N`` also
creates categories, brands, options, option sets, the four default coupons, pages, banners, blog
posts, a redirect, a gift certificate and two customer groups.

Faults
======

``store.inject(kind, times=1, match=None, **params)`` queues a fault; ``match`` is
``"METHOD /path-prefix"``, ``"METHOD"`` or ``"/path-prefix"`` relative to the v2 root
(``"POST /products"``); ``times=None`` keeps it forever. ``store.clear_faults()`` drops them.

- ``reset_before``: the connection is closed without a response and the request is not processed
  (the client sees ``ConnectionError`` / ``RemoteDisconnected``).
- ``reset_after``: the request is processed (the change is kept), then the connection is closed
  without a response.
- ``status``: ``status=502|503|504|500...`` with ``body`` (default an HTML page; a given body is
  sent as ``content_type``, by default ``application/json`` when it parses as JSON and
  ``text/html`` otherwise); not processed.
- ``truncated_json``: processed; the normal status with the JSON body cut in half (Content-Length
  matches the cut body, so the HTTP layer is fine and JSON decoding fails).
- ``html_200`` / ``empty_200``: 200 with an HTML page / an empty body; not processed.
- ``rate_limit``: 429 with ``X-Rate-Limit-*`` and ``X-Retry-After`` (``reset_ms``, default 1000);
  ``rate_limit_bare``: 429 with none of those headers. Neither is processed.
- ``redirect``: ``status`` (301/302, default 302) to ``location`` (default
  ``http://evil.example:9/x``); not processed.
- ``slow``: processed, answered ``seconds`` late; ``latency``: ``ms`` of delay before processing.

OAuth and signed payloads
=========================

``store.install(scope=...)`` returns what BigCommerce sends to an app's auth callback
(``code``, ``context="stores/{hash}"``, ``scope``, ``account_uuid``). ``POST {url}/oauth2/token``
(form-encoded ``client_id, client_secret, code, context, scope, grant_type=authorization_code,
redirect_uri``) exchanges the code once for a new access token carrying the granted scopes
(enforced per path family: 403 otherwise); a wrong secret, code or ``redirect_uri`` gets 400
``{"error": ..., "error_description": ...}``. ``store.uninstall(token)`` revokes a token and
returns the uninstall callback's payload; ``store.remove_user(user_id)`` the remove-user one. ``store.signed_payload(...)`` and
``store.signed_payload_jwt(...)`` make valid callback payloads. ``GET {url}/login/token/{jwt}``
checks a customer-login JWT and redirects to ``redirect_to``.

Behaviour worth knowing
=======================

Pages: ``page`` 1-based, ``limit`` default 50, max 250 (413 with ``details.max_limit``), 204 with
an empty body past the end or for an empty collection, 400 for a bad page/limit; ``order_statuses``
is not paginated (page and limit are ignored, the whole list comes back). Filters: exact
match on any field, ``min_``/``max_`` on numbers, prices and dates (``min_total`` is the order
total), dates in RFC 2822 or ISO 8601, ``sort=field:asc|desc``, all ANDed; an unknown filter is a
400 naming it on every method (a collection DELETE takes the same filters as its GET). Errors are
v2 JSON arrays; 401 on the OAuth root is a gateway-style object. ``README.rst`` lists the
operations served and what is refused.

Speed: each record's JSON is rendered once and kept as bytes until it changes, and a list page is
kept until the next change, so pages of 250 cost a fraction of a millisecond of CPU
(``benchmarks/sandbox_throughput.py`` measures GETs/s and pages/s).

Other parts: :mod:`.routes` (the route tables per dialect, built per store),
:mod:`.access` (tokens and scopes), :mod:`.v3` (v3 REST and the GraphQL endpoint),
:mod:`.schema` (the resource tree), :mod:`.store` (CRUD engine), :mod:`.server` (HTTP),
:mod:`.cli` (``python -m bigcommerce.sandbox``), :mod:`.pytest_plugin` (fixture
``bigcommerce_sandbox`` and friends).
"""

from __future__ import annotations

from .faults import KINDS as FAULTS
from .sandbox import Sandbox
from .server import RecordedRequest

__all__ = ["Sandbox", "RecordedRequest", "FAULTS"]
