"""``Sandbox``: start a sandbox store in a background thread and drive it from Python."""

from __future__ import annotations

import copy
import threading
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import signing
from .faults import Fault
from .server import DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URI, Config, Core, RecordedRequest, SandboxHTTPServer
from .store import ApiError


def _from_config(name: str, doc: str) -> property:
    """A read-only property that answers ``self.config.<name>``."""
    return property(lambda self: getattr(self.config, name), doc=doc)


class Sandbox:
    """A local BigCommerce store on ``host:port`` (port 0 picks a free one), running until
    ``stop()`` or the end of a ``with`` block. It starts as soon as it is created.

    >>> with Sandbox(products=10) as store:
    ...     store.url                          # doctest: +SKIP
    'http://127.0.0.1:53211'
    """

    def __init__(
        self,
        products: int = 0,
        customers: int = 0,
        orders: int = 0,
        store_hash: str = "sandbox",
        client_id: str = "sandbox-client",
        client_secret: str = DEFAULT_CLIENT_SECRET,
        access_token: str = "sandbox-token",
        basic_auth: Optional[Tuple[str, str]] = ("admin", "sandbox-basic-token"),
        latency_ms: int = 0,
        rate_limit: Optional[Tuple[int, int]] = None,
        state: Optional[str] = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        record: Union[bool, int, None] = None,
        max_body: int = 4 * 1024 * 1024,
        gzip: bool = False,
        basic_rate_limit: Optional[Tuple[int, int]] = None,
        request_timeout: float = 5.0,
        redirect_uri: str = DEFAULT_REDIRECT_URI,
        install_tokens: Sequence[str] = (),
        config: Optional[Config] = None,
    ) -> None:
        self.config = (
            config
            if config is not None
            else Config(
                store_hash=store_hash,
                client_id=client_id,
                client_secret=client_secret,
                access_token=access_token,
                basic_auth=basic_auth,
                latency_ms=latency_ms,
                rate_limit=rate_limit,
                state_path=state,
                host=host,
                port=port,
                seed=seed,
                products=products,
                customers=customers,
                orders=orders,
                record=record,
                max_body=max_body,
                gzip=gzip,
                basic_rate_limit=basic_rate_limit,
                request_timeout=request_timeout,
                redirect_uri=redirect_uri,
                install_tokens=install_tokens,
            )
        )
        host, port, state = self.config.host, self.config.port, self.config.state_path
        self._core = Core(self.config)
        self._server = SandboxHTTPServer((host, port), self._core)
        bound_host, bound_port = self._server.server_address[:2]
        bound = str(bound_host)
        shown = bound if ":" not in bound else f"[{bound}]"
        self.config.url = f"http://{shown}:{bound_port}"
        self.config.port = bound_port
        if state:
            self._core.save()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # stop() waits up to one interval
            name=f"bigcommerce-sandbox:{bound_port}",
            daemon=True,
        )
        self._thread.start()
        self._stopped = False

    # -- lifecycle ----------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop serving, close open connections and release the port (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(5)

    close = stop

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<Sandbox {self.url} store_hash={self.store_hash}>"

    # -- where and who (read from the config) ---------------------------------------------------
    url = _from_config("url", "The origin, e.g. ``http://127.0.0.1:53211``.")
    port = _from_config("port", "The port the store listens on.")
    store_hash = _from_config("store_hash", "The store hash in ``/stores/{hash}/v2``.")
    client_id = _from_config("client_id", "The app's client id.")
    client_secret = _from_config("client_secret", "The app's client secret (signs JWTs).")
    access_token = _from_config("access_token", "The OAuth ``X-Auth-Token``.")
    basic_auth = _from_config("basic_auth", "(user, token) for the legacy Basic-auth root, or None.")

    @property
    def v2_url(self) -> str:
        """The OAuth v2 root, ``{url}/stores/{hash}/v2``."""
        return f"{self.url}/stores/{self.store_hash}/v2"

    @property
    def basic_url(self) -> str:
        """The legacy Basic-auth v2 root, ``{url}/api/v2``."""
        return f"{self.url}/api/v2"

    def api(self, basic: bool = False, **kwargs: Any) -> Any:
        """A ``bigcommerce.api.BigcommerceApi`` configured for this store (OAuth, or Basic auth
        with ``basic=True``); keyword arguments are passed through."""
        from bigcommerce.api import BigcommerceApi  # the only import of the client, on purpose

        if basic:
            kwargs.setdefault("host", self.url)
            kwargs.setdefault("basic_auth", self.basic_auth)
            return BigcommerceApi(**kwargs)
        kwargs.setdefault("client_id", self.client_id)
        kwargs.setdefault("store_hash", self.store_hash)
        kwargs.setdefault("access_token", self.access_token)
        kwargs.setdefault("api_service", self.url)
        kwargs.setdefault("auth_service", self.url)
        return BigcommerceApi(**kwargs)

    # -- inspection and control -----------------------------------------------------------------
    @property
    def requests(self) -> List[RecordedRequest]:
        """Requests answered or processed, oldest first (``method, path, query, headers, body,
        json, status``), a copy; cleared by ``reset()``. Empty unless the log is on
        (``record=True`` or a size, or ``$BIGCOMMERCE_SANDBOX_RECORD``); it keeps the last
        ``record`` requests (default 10,000); :meth:`clear_requests` empties it."""
        return list(self._core.requests)

    def clear_requests(self) -> None:
        """Empty the request log and nothing else (``requests`` is a copy: clearing that copy
        changes nothing here)."""
        with self._core.lock:
            self._core.requests.clear()

    def serves(self, method: str, api_path: str) -> bool:
        """Whether a route of this store answers ``method`` on ``api_path`` (e.g.
        ``"/v2/shipping/zones/1"``), as opposed to 404/405/501."""
        try:
            self._core.router.resolve(api_path, method.upper())
        except ApiError:
            return False
        return True

    @property
    def throttled(self) -> Dict[str, int]:
        """429s the store sent, per client id (the window is shared; the count is per app)."""
        with self._core.lock:
            return dict(self._core.throttled)

    def stats(self) -> Dict[str, Any]:
        """``{"requests": {client_id: n}, "throttled": {client_id: n}, "throttled_total": n}``:
        OAuth answers and 429s since start or ``reset()``, per client id."""
        with self._core.lock:
            return {
                "requests": dict(self._core.served),
                "throttled": dict(self._core.throttled),
                "throttled_total": sum(self._core.throttled.values()),
            }

    @property
    def connections(self) -> int:
        """TCP connections accepted so far."""
        return self._core.connections

    def reset(self) -> None:
        """Back to the seeded state; faults, request log, install codes and rate window cleared."""
        self._core.reset()

    def inject(self, fault: str, times: Optional[int] = 1, match: Optional[str] = None, **params: Any) -> Fault:
        """Queue a fault (see the package docstring); returns it (``.remaining``, ``.fired``)."""
        return self._core.faults.add(Fault(fault, times=times, match=match, **params))

    def clear_faults(self) -> None:
        self._core.faults.clear()

    @property
    def faults(self) -> List[Fault]:
        """Faults still queued."""
        return self._core.faults.pending()

    def state(self) -> Dict[str, Dict[int, Dict[str, Any]]]:
        """A deep copy of the data: ``{collection: {id: record}}`` (collections named like
        ``"products"``, ``"products/images"``)."""
        with self._core.lock:
            return copy.deepcopy(self._core.state.tables)

    def add_products(self, count: int, seed: Optional[int] = None) -> List[int]:
        """Add ``count`` demo products (with their images, SKUs...); returns their ids."""
        from .demo import seed_demo

        with self._core.lock:
            self._core.dirty = True
            state = self._core.state
            before = set(state.tables["products"])
            _append_demo(state, count, self.config.seed + 1 if seed is None else seed, seed_demo)
            state.forget_all()  # _append_demo writes the tables directly
            added = sorted(set(state.tables["products"]) - before)
        self._core.save()
        return added

    def save(self) -> None:
        """Write the ``state`` file now (it is also written after every change)."""
        self._core.save()

    # -- OAuth app flow ---------------------------------------------------------------------------
    def install(
        self,
        scope: str = "store_v2_products store_v2_orders store_v2_customers "
        "store_v2_content store_v2_marketing "
        "store_v2_information users_basic_information",
        redirect_uri: Optional[str] = None,
    ) -> Dict[str, str]:
        """What BigCommerce sends to an app's auth callback: ``code`` (exchangeable once at
        ``POST {url}/oauth2/token`` for a new access token carrying ``scope``), ``context``
        ``stores/{hash}``, ``scope``, ``account_uuid``. The exchange must send ``redirect_uri``
        (default: the store's ``redirect_uri``, the app's registered one) or gets 400."""
        return self._core.new_code(scope, redirect_uri)

    @property
    def issued_tokens(self) -> List[str]:
        """Access tokens minted by installs (token exchanges) and not revoked, oldest first."""
        with self._core.lock:
            return list(self._core.issued)

    def token_scopes(self, token: str) -> Optional[List[str]]:
        """The scopes of a valid token (``["*"]`` for the store's own), None when unknown."""
        found = self._core.find_token(token)
        return None if found is None else sorted(found.scopes)

    def uninstall(self, token: Optional[str] = None, user_id: int = 1, email: str = "owner@example.com") -> str:
        """Uninstall the app: revoke ``token`` (default: the newest installed one, else the
        store's own) and return the ``signed_payload_jwt`` BigCommerce sends to the app's
        uninstall callback. Requests with the token get 401 afterwards."""
        with self._core.lock:
            target = token or (self._core.issued[-1] if self._core.issued else self.config.access_token)
        if not self._core.revoke(target):
            raise ValueError("no such access token (already revoked?)")
        return self.signed_payload_jwt(user_id=user_id, email=email)

    def remove_user(self, user_id: int, email: str = "user@example.com") -> str:
        """The ``signed_payload_jwt`` of BigCommerce's remove-user callback for ``user_id`` (the
        app's token stays valid: only the user lost access)."""
        return self.signed_payload_jwt(user_id=user_id, email=email)

    def signed_payload(
        self, user_id: int = 1, email: str = "owner@example.com", timestamp: Optional[float] = None
    ) -> str:
        """A valid legacy ``signed_payload`` for a load/uninstall callback."""
        return signing.signed_payload(
            self.client_secret,
            self.store_hash,
            user_id=user_id,
            email=email,
            timestamp=timestamp,
            owner_email=self.config.owner_email,
        )

    def signed_payload_jwt(self, user_id: int = 1, email: str = "owner@example.com", exp_seconds: int = 86400) -> str:
        """A valid ``signed_payload_jwt`` (HS256 with the client secret)."""
        return signing.signed_payload_jwt(
            self.client_id,
            self.client_secret,
            self.store_hash,
            user_id=user_id,
            email=email,
            exp_seconds=exp_seconds,
            owner_email=self.config.owner_email,
        )


def _append_demo(state: Any, count: int, seed: int, seed_demo: Any) -> None:
    """Seed ``count`` more products into an existing state (ids continue, names stay unique)."""
    from .store import StoreState

    scratch = StoreState()
    seed_demo(scratch, count, 0, 0, seed)
    offset = {name: state.next_ids[name] - 1 for name in state.next_ids}
    names = {rec["name"] for rec in state.tables["products"].values()}
    for name, table in scratch.tables.items():
        if not name.startswith("products"):
            continue
        for rec in table.values():
            rec = dict(rec)
            rec["id"] += offset[name]
            if name == "products":
                while rec["name"] in names:
                    rec["name"] += " II"
                names.add(rec["name"])
                if rec["sku"]:
                    rec["sku"] = f"{rec['sku']}-{rec['id']}"
                rec["option_set_id"] = None  # option sets of the scratch store do not exist here
                rec["brand_id"] = 0
            else:
                rec["product_id"] += offset["products"]
                if name == "products/skus":
                    rec["sku"] = f"{rec['sku']}-{rec['id']}"
            state.tables[name][rec["id"]] = rec
            state.next_ids[name] = max(state.next_ids[name], rec["id"] + 1)
