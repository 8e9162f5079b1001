"""``BigcommerceApi``: credentials in, a connection and every resource out.

::

    api = BigcommerceApi(client_id="...", store_hash="...", access_token="...")   # OAuth app
    api = BigcommerceApi(host="store.example.com", basic_auth=("admin", "api token"))  # legacy
    api.Products.all(is_visible=True)
"""
from __future__ import annotations

import functools
import os
from typing import Any, Optional, Tuple

from bigcommerce import connection as _connection
from bigcommerce.resources import REGISTRY

__all__ = ["BigcommerceApi", "ApiResourceWrapper"]


class BigcommerceApi:
    """Entry point of the client.

    OAuth apps pass ``client_id`` and ``store_hash`` (and ``access_token``, or get one later with
    :meth:`oauth_fetch_token`); legacy stores pass ``host`` and ``basic_auth=(user, token)`` (``auth=`` is
    the older spelling). ``api_service`` and ``auth_service`` default to the ``BC_API_ENDPOINT`` and
    ``BC_AUTH_SERVICE`` environment variables, then to BigCommerce's hosts; each takes a host name or a
    full origin such as ``http://127.0.0.1:8123``. Other keyword options go to the connection
    (:class:`~bigcommerce.connection.Connection`): ``timeout``, ``deadline``, ``max_retries``,
    ``backoff_factor``, ``rate_limit_wait``, ``pace``, ``rate_limiter`` (a
    :class:`~bigcommerce.ratelimit.RateLimiter`), ``session`` (a ``requests.Session``, to mount your
    own adapters), ``max_body_bytes``, ``on_retry``, ``on_rate_limit``, ``pool_size``.

    Raises ``ValueError`` when the credentials are missing, partial or of both kinds at once.
    """

    def __init__(self, host: Optional[str] = None, basic_auth: Optional[Tuple[str, str]] = None,
                 client_id: Optional[str] = None, store_hash: Optional[str] = None,
                 access_token: Optional[str] = None, rate_limiting_management: Optional[dict] = None,
                 *, auth: Optional[Tuple[str, str]] = None, api_service: Optional[str] = None,
                 auth_service: Optional[str] = None, **options: Any):
        if basic_auth is not None and auth is not None:
            raise ValueError("pass basic_auth or its older spelling auth, not both")
        basic_auth = basic_auth if basic_auth is not None else auth
        self.api_service = _connection.normalize_origin(
            api_service or os.environ.get("BC_API_ENDPOINT") or "api.bigcommerce.com", "api_service")
        self.auth_service = _connection.auth_service_origin(auth_service)
        oauth_given = any(v is not None for v in (client_id, store_hash, access_token))
        basic_given = host is not None or basic_auth is not None
        if oauth_given and basic_given:
            raise ValueError("pass either OAuth credentials (client_id, store_hash, access_token) or "
                             "Basic credentials (host, basic_auth), not both")
        if basic_given:
            if not host or basic_auth is None:
                raise ValueError("Basic authentication needs host='store.example.com' and "
                                 "basic_auth=('username', 'api token')")
            self.connection = _connection.Connection(host, basic_auth, rate_limiting_management=rate_limiting_management,
                                                     auth_service=self.auth_service, **options)
        elif oauth_given:
            # Empty strings are accepted as placeholders (the classic README writes client_id=''):
            # the first request then says what is missing, before anything is sent.
            if client_id is None or store_hash is None:
                raise ValueError("OAuth needs client_id='...' and store_hash='...' "
                                 "(and access_token='...', or call oauth_fetch_token later)")
            self.connection = _connection.OAuthConnection(
                client_id, store_hash, access_token, self.api_service,
                rate_limiting_management=rate_limiting_management, auth_service=self.auth_service, **options)
        else:
            raise ValueError("no credentials: pass client_id, store_hash and access_token for an OAuth app, "
                             "or host and basic_auth=(username, api_token) for a legacy store")
        self.client_id = client_id
        self.store_hash = store_hash

    def __getattr__(self, name: str) -> "ApiResourceWrapper":
        resource = REGISTRY.get(name)
        if resource is None:
            raise AttributeError(f"BigcommerceApi has no resource or attribute {name!r}")
        wrapper = ApiResourceWrapper(resource, self)
        self.__dict__[name] = wrapper  # the next access skips __getattr__
        return wrapper

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(REGISTRY))

    def __repr__(self) -> str:
        return f"<BigcommerceApi {self.connection!r}>"

    @functools.cached_property
    def v3(self) -> Any:
        """The v3 API of this store (:class:`bigcommerce.v3.V3Client`), over the same transport;
        built once (``api.v3 is api.v3``)."""
        from bigcommerce.v3 import V3Client

        return V3Client(self.connection)

    @functools.cached_property
    def graphql(self) -> Any:
        """The store's GraphQL Admin API (:class:`bigcommerce.graphql.GraphQLClient`); built once."""
        from bigcommerce.graphql import GraphQLClient

        return GraphQLClient(self.connection)

    # -- OAuth helpers ---------------------------------------------------------------------------

    def oauth_fetch_token(self, client_secret: str, code: str, context: str, scope: str,
                          redirect_uri: str) -> dict:
        """Exchange the install callback's ``code`` for an access token, and use it from now on.

        Returns the token response; raises ``ClientRequestException`` carrying the server's ``error``.
        """
        if not isinstance(self.connection, _connection.OAuthConnection):
            raise TypeError("oauth_fetch_token needs an OAuth api (client_id and store_hash)")
        return self.connection.fetch_token(client_secret, code, context, scope, redirect_uri)

    @staticmethod
    def oauth_verify_payload(signed_payload: str, client_secret: str, max_age: Optional[float] = None):
        """The user data of a legacy ``signed_payload``, or ``False`` if it is forged or malformed."""
        from bigcommerce.oauth import verify_payload

        return verify_payload(signed_payload, client_secret, max_age=max_age)

    @staticmethod
    def oauth_verify_payload_jwt(signed_payload_jwt: str, client_secret: str, client_id: str, **options):
        """The claims of a ``signed_payload_jwt``; raises ``JWTVerificationError`` when it is not valid."""
        from bigcommerce.oauth import verify_payload_jwt

        return verify_payload_jwt(signed_payload_jwt, client_secret, client_id, **options)


class ApiResourceWrapper:
    """``api.Products``: the resource class with this api's connection filled into every call."""

    def __init__(self, resource_class: type, api: BigcommerceApi):
        self.resource_class = resource_class
        self.connection = api.connection

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        attribute = getattr(self.resource_class, name)
        if callable(attribute) and getattr(attribute, "__self__", None) is self.resource_class:
            attribute = functools.partial(attribute, connection=self.connection)
        self.__dict__[name] = attribute
        return attribute

    def __repr__(self) -> str:
        return f"<{self.resource_class.__name__} resource>"
