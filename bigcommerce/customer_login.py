"""Customer login (single sign-on) tokens for a BigCommerce storefront.

An app holding a store's OAuth credentials can log a customer into the storefront by sending their
browser to ``{secure_url}/login/token/{jwt}``, where ``jwt`` is an HS256 token signed with the app's
client secret::

    from bigcommerce.customer_login import CustomerLoginTokens

    url = CustomerLoginTokens.create_url(api, customer_id=42, redirect_url="/account.php",
                                         client_secret=CLIENT_SECRET)

The token is only valid for about 30 seconds after its ``iat``; if the app's clock may be off, pass
``use_store_time=True`` to take ``iat`` from the store's ``/time`` endpoint.

The client secret is an argument; the environment variable ``APP_CLIENT_SECRET`` is consulted only
when no secret is passed.  The secret never appears in an exception message.
"""

from __future__ import annotations

import ipaddress
import os
import threading
import time
import uuid
import weakref
from typing import Any, Dict, Optional, Tuple

import jwt

__all__ = ["CustomerLoginTokens", "SECRET_ENV_VAR"]

#: Environment variable read for the client secret when none is passed.
SECRET_ENV_VAR = "APP_CLIENT_SECRET"

# api object -> (store_hash, secure_url); weak so that cached api objects can still be collected.
_SECURE_URLS: "weakref.WeakKeyDictionary[Any, Tuple[str, str]]" = weakref.WeakKeyDictionary()
_SECURE_URLS_LOCK = threading.Lock()


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (got {type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer")
    return value


def _client_id_and_hash(api: Any) -> Tuple[str, str]:
    client_id = getattr(api, "client_id", None)
    store_hash = getattr(api, "store_hash", None)
    connection = getattr(api, "connection", None)
    if not client_id and connection is not None:
        client_id = getattr(connection, "client_id", None)
    if not store_hash and connection is not None:
        store_hash = getattr(connection, "store_hash", None)
    if not isinstance(client_id, str) or not client_id:
        raise ValueError(
            "customer login tokens need an OAuth api with a client_id "
            "(BigcommerceApi(client_id=..., store_hash=..., access_token=...))"
        )
    if not isinstance(store_hash, str) or not store_hash:
        raise ValueError("customer login tokens need an OAuth api with a store_hash")
    return client_id, store_hash


def _resolve_secret(client_secret: Optional[str]) -> str:
    if client_secret is None:
        client_secret = os.environ.get(SECRET_ENV_VAR)
        if not client_secret:
            raise ValueError(
                f"no client secret: pass client_secret=... or set the {SECRET_ENV_VAR} environment variable"
            )
        return client_secret
    if isinstance(client_secret, bytes):
        client_secret = client_secret.decode("utf-8")
    if not isinstance(client_secret, str) or not client_secret:
        raise ValueError("client_secret must be a non-empty str")
    return client_secret


def _store_time(api: Any) -> int:
    answer = api.Time.all()
    try:
        value = answer["time"]
    except (KeyError, TypeError, IndexError):
        value = getattr(answer, "time", None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("the store's /time answer has no numeric 'time'")
    return int(value)


class CustomerLoginTokens:
    """Builds customer login (SSO) JWTs and login URLs.  All methods are classmethods."""

    @classmethod
    def create(
        cls,
        api: Any,
        customer_id: int,
        redirect_url: Optional[str] = None,
        request_ip: Optional[str] = None,
        channel_id: int = 1,
        client_secret: Optional[str] = None,
        use_store_time: bool = False,
    ) -> str:
        """Return a signed customer login JWT (HS256, signed with the app's client secret).

        Claims: ``iss`` (the api's client id), ``iat`` (now, or the store's clock with
        ``use_store_time=True``), ``jti`` (a random uuid4 hex), ``operation`` = ``"customer_login"``,
        ``store_hash``, ``customer_id``, ``channel_id``, and when given ``redirect_to`` and
        ``request_ip``.

        :param api: a :class:`bigcommerce.api.BigcommerceApi` over OAuth (its ``client_id`` and
            ``store_hash`` are used; HTTP happens only with ``use_store_time=True``).
        :param customer_id: the customer's id (positive int).
        :param redirect_url: where the storefront sends the customer after login (a path such as
            ``/account.php`` or an absolute storefront URL).
        :param request_ip: the customer's IP address, if the storefront should check it.
        :param channel_id: the storefront channel (default 1).
        :param client_secret: the app's client secret; if ``None``, ``$APP_CLIENT_SECRET``.
        :param use_store_time: take ``iat`` from ``api.Time.all()['time']`` to avoid clock skew.
        :raises ValueError: no secret available, an api without ``client_id``/``store_hash``, an
            invalid ``request_ip``/``redirect_url``/``channel_id``/``customer_id``.
        :raises TypeError: ``customer_id``/``channel_id`` not an int.
        """
        secret = _resolve_secret(client_secret)
        client_id, store_hash = _client_id_and_hash(api)
        customer_id = _positive_int(customer_id, "customer_id")
        channel_id = _positive_int(channel_id, "channel_id")
        claims: Dict[str, Any] = {
            "iss": client_id,
            "iat": _store_time(api) if use_store_time else int(time.time()),
            "jti": uuid.uuid4().hex,
            "operation": "customer_login",
            "store_hash": store_hash,
            "customer_id": customer_id,
            "channel_id": channel_id,
        }
        if redirect_url is not None:
            if (
                not isinstance(redirect_url, str)
                or not redirect_url
                or any(ord(ch) < 32 or ord(ch) == 127 for ch in redirect_url)
            ):
                raise ValueError("redirect_url must be a non-empty str without control characters")
            claims["redirect_to"] = redirect_url
        if request_ip is not None:
            try:
                ipaddress.ip_address(request_ip)
            except ValueError:
                raise ValueError("request_ip must be an IPv4 or IPv6 address") from None
            claims["request_ip"] = str(request_ip)
        token = jwt.encode(claims, secret, algorithm="HS256")
        if isinstance(token, bytes):  # PyJWT < 2 returned bytes
            token = token.decode("ascii")
        return token

    @classmethod
    def create_url(
        cls,
        api: Any,
        customer_id: int,
        redirect_url: Optional[str] = None,
        request_ip: Optional[str] = None,
        channel_id: int = 1,
        client_secret: Optional[str] = None,
        use_store_time: bool = False,
    ) -> str:
        """Return ``{secure_url}/login/token/{jwt}`` for the customer (see :meth:`create`).

        The store's ``secure_url`` is fetched with ``api.Store.all()`` the first time for each api
        object and cached for the life of that object.
        """
        token = cls.create(
            api,
            customer_id,
            redirect_url=redirect_url,
            request_ip=request_ip,
            channel_id=channel_id,
            client_secret=client_secret,
            use_store_time=use_store_time,
        )
        return f"{cls.secure_url(api)}/login/token/{token}"

    @classmethod
    def secure_url(cls, api: Any) -> str:
        """The store's ``secure_url`` (without a trailing slash), fetched once per api object."""
        _, store_hash = _client_id_and_hash(api)
        with _SECURE_URLS_LOCK:
            try:
                cached = _SECURE_URLS.get(api)
            except TypeError:  # api not weak-referenceable or not hashable: no caching
                cached = None
        if cached is not None and cached[0] == store_hash:
            return cached[1]
        store = api.Store.all()
        try:
            url = store["secure_url"]
        except (KeyError, TypeError, IndexError):
            url = getattr(store, "secure_url", None)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")) or any(ch.isspace() for ch in url):
            raise ValueError("the store's /store answer has no usable secure_url")
        url = url.rstrip("/")
        with _SECURE_URLS_LOCK:
            try:
                _SECURE_URLS[api] = (store_hash, url)
            except TypeError:
                pass
        return url

    @classmethod
    def forget_secure_url(cls, api: Any) -> None:
        """Drop the cached ``secure_url`` of ``api`` (e.g. after the store changed its domain)."""
        with _SECURE_URLS_LOCK:
            try:
                _SECURE_URLS.pop(api, None)
            except TypeError:
                pass
