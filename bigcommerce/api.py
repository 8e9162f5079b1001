"""``BigcommerceApi``: credentials in, a connection and every resource out.

::

    api = BigcommerceApi(client_id="...", store_hash="...", access_token="...")   # OAuth app
    api = BigcommerceApi(host="store.example.com", basic_auth=("admin", "api token"))  # legacy
    api.Products.all(is_visible=True)

Each resource is a declared attribute of :class:`BigcommerceApi` (``api.Products``), so a type
checker knows them (``api.Prodcts`` is an error) and editors complete them. The attribute is an
:class:`ApiResourceWrapper` bound to the api's connection; its operations are the resource's own,
with their signatures and docstrings (``inspect.signature(api.Products.all)`` is ``(**filters)``),
and are typed generically: ``api.Products.get(1)`` is a ``Products``, ``api.Products.all()`` a
``List[Products]``, ``api.Products.iterall()`` an ``Iterator[Products]``, ``count()`` an ``int``.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generic,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)

from bigcommerce import connection as _connection
from bigcommerce import resources as _resources
from bigcommerce.resources import base as _base
from bigcommerce.resources import catalog as _catalog
from bigcommerce.resources import customers as _customers
from bigcommerce.resources import orders as _orders
from bigcommerce.resources import products as _products
from bigcommerce.resources import store as _store

if TYPE_CHECKING:
    from bigcommerce.graphql import GraphQLClient
    from bigcommerce.v3 import V3Client

__all__ = ["BigcommerceApi", "ApiResourceWrapper"]

#: The resource class of a wrapper. Covariant, so that an operation can ask for a capability
#: (``self: ApiResourceWrapper[CountableApiResource]``) and still return the wrapper's own class.
R = TypeVar("R", bound=_base.Mapping, covariant=True)
M = TypeVar("M", bound=_base.Mapping)
_Id = _base.Id


class ApiResourceWrapper(Generic[R]):
    """``api.Products``: a resource class with the api's connection filled into every call.

    ``ApiResourceWrapper(Products, api)`` and, as in the classic client,
    ``ApiResourceWrapper('Products', api)`` build one. The instance belongs to a class made for its
    resource (``ProductsResource``) whose methods are the resource's class-level operations
    (``all``, ``iterall``, ``get``, ``create``, ``count``, ``delete_all``...) without their
    ``connection`` parameter, with the resource's docstrings: ``dir()``, ``help()`` and
    ``inspect.signature`` show exactly what the resource offers. Other attributes of the resource
    class (``resource_name``...) read through.
    """

    resource_class: Type[R]
    connection: Any

    def __new__(cls, resource_class: Union[str, Type[R]], api: Any) -> ApiResourceWrapper[R]:
        if cls is ApiResourceWrapper:
            cls = _bound_class(cls.str_to_class(resource_class) if isinstance(resource_class, str) else resource_class)
        return super().__new__(cls)

    def __init__(self, resource_class: Union[str, Type[R]], api: Any) -> None:
        if isinstance(resource_class, str):
            resource_class = cast(Type[R], self.str_to_class(resource_class))
        self.resource_class = resource_class
        self.connection = api.connection

    @classmethod
    def str_to_class(cls, name: str) -> Type[_base.Mapping]:
        """The resource class named ``name`` (``'Products'``, or a base such as ``'ApiResource'``).

        Raises ``AttributeError`` when :mod:`bigcommerce.resources` has no such class.
        """
        found = getattr(_resources, name, None)
        if not (isinstance(found, type) and issubclass(found, _base.Mapping)):
            raise AttributeError(f"bigcommerce.resources has no resource class {name!r}")
        return found

    def __repr__(self) -> str:
        return f"<{self.resource_class.__name__} resource>"

    def __reduce__(self) -> Any:
        # The class made for the resource has no importable name: rebuild it from the resource.
        return (_rewrap, (self.resource_class, self.connection))

    if not TYPE_CHECKING:  # for the type checker every attribute is declared below

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            attribute = getattr(self.resource_class, name)
            if callable(attribute) and not isinstance(attribute, type) and not inspect.isfunction(attribute):
                # A class-level callable the resource gained later (a test double's, say): pass the
                # connection as the classic wrapper did.
                return _with_connection(attribute, self.connection)
            return attribute

    if TYPE_CHECKING:
        # The operations as the type checker sees them: each overload applies to the resource classes
        # that offer it (``self`` names the capability), so ``api.Currencies.count()`` is a type error.
        @overload
        def all(self: ApiResourceWrapper[_base.SingleObjectApiResource], **filters: Any) -> Optional[R]: ...
        @overload
        def all(
            self: ApiResourceWrapper[_base.SingleObjectApiSubResource], parentid: _Id, **filters: Any
        ) -> Optional[R]: ...
        @overload
        def all(
            self: ApiResourceWrapper[_base.SingleObjectApiSubSubResource], gparentid: _Id, parentid: _Id, **filters: Any
        ) -> Optional[R]: ...
        @overload
        def all(self: ApiResourceWrapper[_base.ListableApiResource], **filters: Any) -> List[R]: ...
        @overload
        def all(
            self: ApiResourceWrapper[_base.ListableApiSubResource], parentid: Optional[_Id] = None, **filters: Any
        ) -> List[R]: ...
        def all(self, *args: Any, **filters: Any) -> Any:
            """One page of the collection (see the resource's ``all``)."""

        @overload
        def iterall(
            self: ApiResourceWrapper[_base.SingleObjectApiResource], concurrency: int = 1, **filters: Any
        ) -> Iterator[R]: ...
        @overload
        def iterall(
            self: ApiResourceWrapper[_base.ListableApiResource], concurrency: int = 1, **filters: Any
        ) -> Iterator[R]: ...
        @overload
        def iterall(
            self: ApiResourceWrapper[_base.ListableApiSubResource],
            parentid: Optional[_Id] = None,
            concurrency: int = 1,
            **filters: Any,
        ) -> Iterator[R]: ...
        def iterall(self, *args: Any, **filters: Any) -> Any:
            """Every object of the collection, page after page."""

        @overload
        def get(self: ApiResourceWrapper[_base.SingleObjectApiResource], **filters: Any) -> Optional[R]: ...
        @overload
        def get(
            self: ApiResourceWrapper[_base.SingleObjectApiSubResource], parentid: _Id, **filters: Any
        ) -> Optional[R]: ...
        @overload
        def get(
            self: ApiResourceWrapper[_base.SingleObjectApiSubSubResource], gparentid: _Id, parentid: _Id, **filters: Any
        ) -> Optional[R]: ...
        @overload
        def get(self: ApiResourceWrapper[_base.ApiResource], id: _Id, **filters: Any) -> R: ...
        @overload
        def get(
            self: ApiResourceWrapper[_base.ApiSubResource], parentid: _Id, id: None = None, **filters: Any
        ) -> List[R]: ...
        @overload
        def get(self: ApiResourceWrapper[_base.ApiSubResource], parentid: _Id, id: _Id, **filters: Any) -> R: ...
        def get(self, *args: Any, **filters: Any) -> Any:
            """One object by id (or a sub-resource's list for its parent)."""

        @overload
        def create(self: ApiResourceWrapper[_base.CreateableApiResource], **fields: Any) -> R: ...
        @overload
        def create(self: ApiResourceWrapper[_base.CreateableApiSubResource], parentid: _Id, **fields: Any) -> R: ...
        @overload
        def create(
            self: ApiResourceWrapper[_store.ShippingCarrierConnection], carrier_id: str, settings: Dict[str, Any]
        ) -> Any: ...
        def create(self, *args: Any, **fields: Any) -> Any:
            """POST a new object."""

        @overload
        def count(self: ApiResourceWrapper[_base.CountableApiResource], **filters: Any) -> int: ...
        @overload
        def count(
            self: ApiResourceWrapper[_base.CountableApiSubResource], parentid: Optional[_Id] = None, **filters: Any
        ) -> int: ...
        def count(self, *args: Any, **filters: Any) -> int:
            """The number of objects (``GET .../count``)."""

        @overload
        def delete_all(self: ApiResourceWrapper[_base.CollectionDeleteableApiResource]) -> Any: ...
        @overload
        def delete_all(self: ApiResourceWrapper[_base.CollectionDeleteableApiSubResource], parentid: _Id) -> Any: ...
        def delete_all(self, *args: Any, **kwargs: Any) -> Any:
            """DELETE the whole collection."""

        def validate_password(self: ApiResourceWrapper[_customers.Customers], id: _Id, password: str) -> bool:
            """Whether ``password`` is the customer's."""

        def update(
            self: ApiResourceWrapper[_store.ShippingCarrierConnection], carrier_id: str, settings: Dict[str, Any]
        ) -> Any:
            """PUT new settings for a connected carrier."""

        def delete(self: ApiResourceWrapper[_store.ShippingCarrierConnection], carrier_id: str) -> Any:
            """DELETE a carrier's connection."""

        resource_name: str
        parent_resource: str


def _rewrap(resource_class: Type[M], connection: Any) -> ApiResourceWrapper[M]:
    wrapper: ApiResourceWrapper[M] = object.__new__(_bound_class(resource_class))
    wrapper.resource_class = resource_class
    wrapper.connection = connection
    return wrapper


def _with_connection(function: Callable[..., Any], connection: Any) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return function(*args, connection=connection, **kwargs)

    return call


#: The wrapper class made for each resource class (see :func:`_bound_class`).
_BOUND: Dict[type, type] = {}


def _class_operations(resource_class: type) -> List[str]:
    """The public class-level operations of ``resource_class``: its classmethods, ``get`` included."""
    names = []
    for name in dir(resource_class):
        if name.startswith("_"):
            continue
        try:
            value = getattr(resource_class, name)
        except AttributeError:  # list_only: the class has no get
            continue
        if inspect.ismethod(value) and value.__self__ is resource_class:
            names.append(name)
    return names


def _operation(resource_class: type, name: str, owner: str) -> Callable[..., Any]:
    """The bound wrapper's method ``name``: the resource's operation with the api's connection."""
    target = getattr(resource_class, name)

    def operation(self: ApiResourceWrapper[Any], *args: Any, **kwargs: Any) -> Any:
        # Looked up at call time, so a resource method replaced later (a test's mock) is the one called.
        return getattr(self.resource_class, name)(*args, connection=self.connection, **kwargs)

    signature = inspect.signature(target)
    parameters = [p for p in signature.parameters.values() if p.name != "connection"]
    me = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    returns = signature.return_annotation
    if isinstance(returns, str):  # "List[T]" reads "List[Products]" here
        returns = re.sub(r"\bT\b", resource_class.__name__, returns)
    operation.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[me, *parameters], return_annotation=returns
    )
    operation.__name__ = name
    operation.__qualname__ = f"{owner}.{name}"
    operation.__doc__ = target.__doc__
    operation.__wrapped__ = target  # type: ignore[attr-defined]
    return operation


def _bound_class(resource_class: type) -> type:
    """The subclass of :class:`ApiResourceWrapper` whose methods are ``resource_class``'s operations."""
    bound = _BOUND.get(resource_class)
    if bound is None:
        owner = f"{resource_class.__name__}Resource"
        operations = _class_operations(resource_class)
        namespace: Dict[str, Any] = {name: _operation(resource_class, name, owner) for name in operations}
        summary = ", ".join(operations) or "none"
        namespace["__doc__"] = (
            f"``api.{resource_class.__name__}``: the {resource_class.__name__} resource "
            f"bound to the api's connection. Operations: {summary}.\n\n"
            f"{inspect.getdoc(resource_class) or ''}"
        )
        namespace["__module__"] = __name__
        bound = _BOUND.setdefault(resource_class, type(owner, (ApiResourceWrapper,), namespace))
    return bound


class _Resource(Generic[R]):
    """A declared resource attribute of :class:`BigcommerceApi`: ``api.Products`` (made once per api)."""

    def __init__(self, resource_class: Type[R]) -> None:
        self.resource_class = resource_class
        self.name = resource_class.__name__
        self.__doc__ = f"The {resource_class.__name__} resource (an :class:`ApiResourceWrapper`)."

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, api: None, owner: Any = None) -> _Resource[R]: ...

    @overload
    def __get__(self, api: BigcommerceApi, owner: Any = None) -> ApiResourceWrapper[R]: ...

    def __get__(self, api: Optional[BigcommerceApi], owner: Any = None) -> Any:
        if api is None:
            return self
        wrapper = ApiResourceWrapper(self.resource_class, api)
        api.__dict__[self.name] = wrapper  # the next access is a plain attribute read
        return wrapper


class BigcommerceApi:
    """Entry point of the client.

    OAuth apps pass ``client_id`` and ``store_hash`` (and ``access_token``, or get one later with
    :meth:`oauth_fetch_token`); legacy stores pass ``host`` and ``basic_auth=(user, token)`` (``auth=`` is
    the older spelling). ``api_service`` and ``auth_service`` default to the ``BC_API_ENDPOINT`` and
    ``BC_AUTH_SERVICE`` environment variables, then to BigCommerce's hosts (``api.bigcommerce.com``,
    ``login.bigcommerce.com``); each takes a host name or a full origin such as ``http://127.0.0.1:8123``
    and reads back as given, while ``api_origin`` and ``auth_origin`` hold the origins in use
    (``https://api.bigcommerce.com``). Other keyword options go to the connection
    (:class:`~bigcommerce.connection.Connection`): ``timeout``, ``deadline``, ``max_retries``,
    ``backoff_factor``, ``rate_limit_wait``, ``pace``, ``rate_limiter`` (a
    :class:`~bigcommerce.ratelimit.RateLimiter`), ``session`` (a ``requests.Session``, to mount your
    own adapters), ``max_body_bytes``, ``on_retry``, ``on_rate_limit``, ``pool_size``.

    Raises ``ValueError`` when the credentials are missing, partial or of both kinds at once.
    """

    connection: _connection.Connection

    def __init__(
        self,
        host: Optional[str] = None,
        basic_auth: Optional[Tuple[str, str]] = None,
        client_id: Optional[str] = None,
        store_hash: Optional[str] = None,
        access_token: Optional[str] = None,
        rate_limiting_management: Optional[Dict[str, Any]] = None,
        *,
        auth: Optional[Tuple[str, str]] = None,
        api_service: Optional[str] = None,
        auth_service: Optional[str] = None,
        **options: Any,
    ):
        if basic_auth is not None and auth is not None:
            raise ValueError("pass basic_auth or its older spelling auth, not both")
        basic_auth = basic_auth if basic_auth is not None else auth
        #: The API host or origin as given (``api.bigcommerce.com`` unless told otherwise).
        self.api_service = api_service or os.environ.get("BC_API_ENDPOINT") or "api.bigcommerce.com"
        #: The OAuth token service's host or origin as given (``login.bigcommerce.com`` by default).
        self.auth_service = auth_service or os.environ.get("BC_AUTH_SERVICE") or "login.bigcommerce.com"
        #: The origin requests go to, e.g. ``https://api.bigcommerce.com``.
        self.api_origin = _connection.normalize_origin(self.api_service, "api_service")
        #: The token service's origin, e.g. ``https://login.bigcommerce.com``.
        self.auth_origin = _connection.normalize_origin(self.auth_service, "auth_service")
        oauth_given = any(v is not None for v in (client_id, store_hash, access_token))
        basic_given = host is not None or basic_auth is not None
        if oauth_given and basic_given:
            raise ValueError(
                "pass either OAuth credentials (client_id, store_hash, access_token) or "
                "Basic credentials (host, basic_auth), not both"
            )
        if basic_given:
            if not host or basic_auth is None:
                raise ValueError(
                    "Basic authentication needs host='store.example.com' and basic_auth=('username', 'api token')"
                )
            self.connection = _connection.Connection(
                host,
                basic_auth,
                rate_limiting_management=rate_limiting_management,
                auth_service=self.auth_origin,
                **options,
            )
        elif oauth_given:
            # Empty strings are accepted as placeholders (the classic README writes client_id=''):
            # the first request then says what is missing, before anything is sent.
            if client_id is None or store_hash is None:
                raise ValueError(
                    "OAuth needs client_id='...' and store_hash='...' "
                    "(and access_token='...', or call oauth_fetch_token later)"
                )
            self.connection = _connection.OAuthConnection(
                client_id,
                store_hash,
                access_token,
                self.api_origin,
                rate_limiting_management=rate_limiting_management,
                auth_service=self.auth_origin,
                **options,
            )
        else:
            raise ValueError(
                "no credentials: pass client_id, store_hash and access_token for an OAuth app, "
                "or host and basic_auth=(username, api_token) for a legacy store"
            )
        self.client_id = client_id
        self.store_hash = store_hash

    # -- the v2 resources (tests/test_typed_api.py checks this table against the registry) -----------

    Products = _Resource(_products.Products)
    ProductImages = _Resource(_products.ProductImages)
    ProductVideos = _Resource(_products.ProductVideos)
    ProductSkus = _Resource(_products.ProductSkus)
    ProductRules = _Resource(_products.ProductRules)
    ProductDiscountRules = _Resource(_products.ProductDiscountRules)
    ProductCustomFields = _Resource(_products.ProductCustomFields)
    ProductConfigurableFields = _Resource(_products.ProductConfigurableFields)
    ProductOptions = _Resource(_products.ProductOptions)
    ProductReviews = _Resource(_products.ProductReviews)
    GoogleProductSearchMappings = _Resource(_products.GoogleProductSearchMappings)
    Categories = _Resource(_catalog.Categories)
    Brands = _Resource(_catalog.Brands)
    OptionSets = _Resource(_catalog.OptionSets)
    OptionSetOptions = _Resource(_catalog.OptionSetOptions)
    Options = _Resource(_catalog.Options)
    OptionValues = _Resource(_catalog.OptionValues)
    Customers = _Resource(_customers.Customers)
    CustomerAddresses = _Resource(_customers.CustomerAddresses)
    CustomerGroups = _Resource(_customers.CustomerGroups)
    Orders = _Resource(_orders.Orders)
    OrderProducts = _Resource(_orders.OrderProducts)
    OrderShippingAddresses = _Resource(_orders.OrderShippingAddresses)
    OrderShipments = _Resource(_orders.OrderShipments)
    OrderCoupons = _Resource(_orders.OrderCoupons)
    OrderTaxes = _Resource(_orders.OrderTaxes)
    OrderMessages = _Resource(_orders.OrderMessages)
    OrderConsignments = _Resource(_orders.OrderConsignments)
    OrderFees = _Resource(_orders.OrderFees)
    OrderShippingQuotes = _Resource(_orders.OrderShippingQuotes)
    OrderConsignmentShippingQuotes = _Resource(_orders.OrderConsignmentShippingQuotes)
    OrderStatuses = _Resource(_orders.OrderStatuses)
    Countries = _Resource(_store.Countries)
    CountryStates = _Resource(_store.CountryStates)
    Currencies = _Resource(_store.Currencies)
    Coupons = _Resource(_store.Coupons)
    GiftCertificates = _Resource(_store.GiftCertificates)
    Banners = _Resource(_store.Banners)
    BlogPosts = _Resource(_store.BlogPosts)
    BlogTags = _Resource(_store.BlogTags)
    Pages = _Resource(_store.Pages)
    Redirects = _Resource(_store.Redirects)
    ShippingMethods = _Resource(_store.ShippingMethods)
    ShippingZones = _Resource(_store.ShippingZones)
    ShippingZoneMethods = _Resource(_store.ShippingZoneMethods)
    ShippingCarrierConnection = _Resource(_store.ShippingCarrierConnection)
    PaymentMethods = _Resource(_store.PaymentMethods)
    TaxClasses = _Resource(_store.TaxClasses)
    Store = _Resource(_store.Store)
    Time = _Resource(_store.Time)
    Webhooks = _Resource(_store.Webhooks)

    if not TYPE_CHECKING:  # a resource class defined later (a user's own) is reachable too

        def __getattr__(self, name: str) -> ApiResourceWrapper[Any]:
            resource = _base.REGISTRY.get(name)
            if resource is None:
                raise AttributeError(f"BigcommerceApi has no resource or attribute {name!r}")
            wrapper = ApiResourceWrapper(resource, self)
            self.__dict__[name] = wrapper
            return wrapper

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(_base.REGISTRY))

    def __repr__(self) -> str:
        return f"<BigcommerceApi {self.connection!r}>"

    @functools.cached_property
    def v3(self) -> V3Client:
        """The v3 API of this store (:class:`bigcommerce.v3.V3Client`), over the same transport;
        built once (``api.v3 is api.v3``)."""
        from bigcommerce.v3 import V3Client

        return V3Client(self.connection)

    @functools.cached_property
    def graphql(self) -> GraphQLClient:
        """The store's GraphQL Admin API (:class:`bigcommerce.graphql.GraphQLClient`); built once."""
        from bigcommerce.graphql import GraphQLClient

        return GraphQLClient(self.connection)

    # -- OAuth helpers ---------------------------------------------------------------------------

    def oauth_fetch_token(
        self, client_secret: str, code: str, context: str, scope: str, redirect_uri: str
    ) -> Dict[str, Any]:
        """Exchange the install callback's ``code`` for an access token, and use it from now on.

        Returns the token response; raises ``ClientRequestException`` carrying the server's ``error``.
        """
        if not isinstance(self.connection, _connection.OAuthConnection):
            raise TypeError("oauth_fetch_token needs an OAuth api (client_id and store_hash)")
        return self.connection.fetch_token(client_secret, code, context, scope, redirect_uri)

    @staticmethod
    def oauth_verify_payload(signed_payload: str, client_secret: str, max_age: Optional[float] = None) -> Any:
        """The user data of a legacy ``signed_payload``, or ``False`` if it is forged or malformed."""
        from bigcommerce.oauth import verify_payload

        return verify_payload(signed_payload, client_secret, max_age=max_age)

    @staticmethod
    def oauth_verify_payload_jwt(
        signed_payload: str, client_secret: str, client_id: str, **options: Any
    ) -> Dict[str, Any]:
        """The claims of a ``signed_payload_jwt``; raises ``JWTVerificationError`` when it is not valid.

        ``options`` (``algorithms``, ``leeway``, ``store_hash``) go to :func:`bigcommerce.oauth.verify_payload_jwt`.
        """
        from bigcommerce.oauth import verify_payload_jwt

        return verify_payload_jwt(signed_payload, client_secret, client_id, **options)
