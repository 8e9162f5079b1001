"""Objects and the capability mixins that resource classes are composed of.

A resource class is a declaration: its path (``resource_name``, and ``parent_resource`` for a
sub-resource), the mixins for what the API allows on it, and ``subresource(...)`` helpers for its
children. All HTTP goes through ``connection.make_request(method, url, data, params, headers)``,
called positionally exactly as the classic client called it, on the connection given to (or bound
into) each call: a ``MagicMock`` connection sees the classic calls, e.g.
``Orders.all(connection, limit=3)`` -> ``make_request('GET', 'orders', None, {'limit': 3}, None)``.

Objects are :class:`Mapping` instances, ``dict`` subclasses: every key of the payload is kept and item
access (``obj["items"]``) always gives the data. Attribute access (``obj.name``) gives the data too,
except for names the class itself defines: the ``dict`` methods (``items``, ``keys``, ``values``,
``get``, ``update``, ``pop``...), the resource operations (``all``, ``count``, ``create``, ``delete``,
``iterall``...), ``connection``, ``parent_id`` and sub-resource helpers such as ``product.options``.
Those give the method, and the payload value is ``obj[name]``.

Ids (and parent ids) are integers or strings of letters, digits, ``-`` and ``_``; anything else
(``None`` where an id is needed, ``True``, ``"../x"``, ``"1/2"``) raises ``ValueError`` before a request is sent.
"""

from __future__ import annotations

import copy as _copy
import itertools
import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import (
    Any,
    Callable,
    Deque,
    Dict,
    Iterable,
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

from bigcommerce.exception import InvalidResponseException

try:  # Python 3.8+: typing.Protocol
    from typing import Protocol
except ImportError:  # pragma: no cover
    Protocol = object  # type: ignore[assignment]

__all__ = [
    "Mapping",
    "ApiResource",
    "ApiSubResource",
    "ApiSubSubResource",
    "subresource",
    "ListableApiResource",
    "CreateableApiResource",
    "UpdateableApiResource",
    "DeleteableApiResource",
    "CollectionDeleteableApiResource",
    "CountableApiResource",
    "ListableApiSubResource",
    "CreateableApiSubResource",
    "UpdateableApiSubResource",
    "DeleteableApiSubResource",
    "CollectionDeleteableApiSubResource",
    "CountableApiSubResource",
    "SingleObjectApiSubSubResource",
    "SingleObjectApiResource",
    "SingleObjectApiSubResource",
    "REGISTRY",
    "FullApiResource",
    "FullApiSubResource",
    "check_id",
    "list_only",
    "Requester",
    "Id",
    "require_connection",
]

T = TypeVar("T", bound="Mapping")

#: What an id may be: an integer (``0`` included) or a string of letters, digits, ``-`` and ``_``.
Id = Union[int, str]

#: Every resource class by its public name (``Products``...), filled as the modules are imported.
REGISTRY: Dict[str, Type["Mapping"]] = {}

#: The page size iterall asks for unless the caller gives ``limit``: the API's maximum.
MAX_PAGE_SIZE = 250


class Requester(Protocol):
    """What a resource needs of a connection: the classic choke point.

    :class:`bigcommerce.connection.Connection` is one; so is a test's ``MagicMock``.
    """

    def make_request(self, method: str, url: str, data: Any = None, params: Any = None, headers: Any = None) -> Any:
        """Send one request and return the parsed body (``None`` for a 204)."""


class Mapping(Dict[str, Any]):
    """A payload object: a ``dict`` with attribute access and a handle on its connection.

    ``Orders({'id': 1}, _connection=connection)`` builds one bound to ``connection``, as the classic
    client did. The connection and parent id live in slots outside the dict, so ``json.dumps(obj)``
    works and ``obj.keys()`` lists payload keys only. ``str(obj)`` is the payload as a dict
    (``"{'id': 1}"``); ``repr(obj)`` adds the class, the id and the address:
    ``<Orders id=1 at 0x7f...> {'id': 1}``.
    """

    __slots__ = ("_connection", "_parent_id")

    def __init__(self, mapping: Any = None, _connection: Any = None, **fields: Any) -> None:
        if mapping is None:
            dict.__init__(self, **fields)
        else:
            dict.__init__(self, mapping, **fields)
        if _connection is not None:
            self._connection = _connection

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("resource_name") and not cls.__name__.startswith("_"):
            REGISTRY[cls.__name__] = cls

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup failed, so methods always win over payload keys.
        # An unset slot must not fall through to a payload key of the same name.
        if name.startswith("__") or name in _SLOTS:
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} object has no attribute or key {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        if name.startswith("_"):
            object.__delattr__(self, name)
            return
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | {k for k in self if isinstance(k, str) and k.isidentifier()})

    def __str__(self) -> str:
        return dict.__repr__(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={dict.get(self, 'id')!r} at {hex(id(self))}> {dict.__repr__(self)}"

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (
            _rebuild,
            (type(self), dict(self), getattr(self, "_connection", None), getattr(self, "_parent_id", None)),
        )

    def __copy__(self) -> "Mapping":
        return _rebuild(type(self), dict(self), getattr(self, "_connection", None), getattr(self, "_parent_id", None))

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Mapping":
        # The payload is copied; the connection is shared, not cloned (a clone would lose its credentials).
        return _rebuild(
            type(self),
            _copy.deepcopy(dict(self), memo),
            getattr(self, "_connection", None),
            getattr(self, "_parent_id", None),
        )

    @property
    def connection(self) -> Any:
        """The connection this object was fetched through (``None`` for a bare Mapping)."""
        return getattr(self, "_connection", None)


_SLOTS = frozenset(Mapping.__slots__)


def _rebuild(cls: Type[T], data: Dict[str, Any], connection: Any, parent_id: Any) -> T:
    obj = _new(cls)
    _fill(obj, data)
    obj._connection = connection
    obj._parent_id = parent_id
    return obj


# wrap() builds objects without running Mapping.__init__ (a Python-level call per object on the hot path).
_new = cast(Callable[[Type[T]], T], dict.__new__)
_fill = dict.update
_set_connection = Mapping._connection.__set__  # type: ignore[misc]
_set_parent = Mapping._parent_id.__set__  # type: ignore[attr-defined]


def wrap(cls: Type[T], data: Any, connection: Any, parent_id: Any = None) -> Any:
    """Turn parsed JSON into objects of ``cls``: a list for a list, one object for a dict.

    Anything else (``None``, a scalar, a test double's answer) is returned as it came.
    """
    if isinstance(data, list):
        out: List[Any] = []
        append = out.append
        for item in data:
            if type(item) is dict:
                obj = _new(cls)
                _fill(obj, item)
                _set_connection(obj, connection)
                _set_parent(obj, parent_id)
                append(obj)
            else:  # a list of scalars stays as it came
                append(item)
        return out
    if isinstance(data, dict):
        obj = _new(cls)
        _fill(obj, data)
        _set_connection(obj, connection)
        _set_parent(obj, parent_id)
        return obj
    return data


def _listed(cls: Type[T], data: Any, connection: Any, parent_id: Any = None) -> List[T]:
    """A listing's objects: ``[]`` for a 204 (``None``), else :func:`wrap`'s answer."""
    return [] if data is None else cast(List[T], wrap(cls, data, connection, parent_id))


def require_connection(connection: Any) -> Any:
    if connection is None:
        raise TypeError(
            "no connection: call through an api object (api.Products.all()) or pass connection=api.connection"
        )
    return connection


def _require_id(obj: Mapping) -> Id:
    if dict.get(obj, "id") is None:
        raise ValueError(f"this {type(obj).__name__} object has no 'id', so it cannot be addressed")
    return check_id(obj["id"])


_ID_TEXT = re.compile(r"[A-Za-z0-9_-]+\Z")


def check_id(value: Any, what: str = "id") -> Id:
    """Return ``value`` if it can name one object in a URL path, else raise ``ValueError``.

    Integers (``0`` included) and strings of letters, digits, ``-`` and ``_`` are ids. ``None``,
    booleans, empty strings and anything holding ``/``, ``.``, ``?``, ``%`` or spaces are refused,
    so a bad id can never address the collection itself or another path.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _ID_TEXT.match(value):
        return value
    raise ValueError(f"{value!r} is not a valid {what}: pass an integer or a string of letters, digits, '-' and '_'")


def _join(base: str, rid: Any, what: str = "id") -> str:
    """``base/rid`` for a checked id (no escaping needed: :func:`check_id` admits no special character)."""
    return f"{base}/{check_id(rid, what)}"


def _count_number(data: Any) -> Optional[int]:
    """The number in a ``/count`` answer (``{"count": N}``), or ``None`` when ``data`` is not one."""
    if isinstance(data, dict) and "count" in data:
        try:
            return int(data["count"])
        except (TypeError, ValueError):
            pass
    return None


_JSON_TYPES = (dict, list, str, int, float, bool)


def _count_value(data: Any, path: str) -> int:
    """The number in a ``/count`` answer (``{"count": N}``); 0 for a 204.

    An answer that is not parsed JSON at all (a test double's) is indexed as the classic client did.
    """
    if data is None:
        return 0
    number = _count_number(data)
    if number is not None:
        return number
    if not isinstance(data, _JSON_TYPES):
        return cast(int, data["count"])
    raise InvalidResponseException(f"GET {path} answered without a numeric 'count': {str(data)[:100]}")


class classget:
    """``get`` that is the API call on the class (``Products.get(1)``) and ``dict.get`` on an object."""

    def __init__(self, func: Callable[..., Any]):
        self.func = func
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type) -> Callable[..., Any]: ...

    @overload
    def __get__(self, obj: Dict[str, Any], owner: Optional[type] = None) -> Callable[..., Any]: ...

    def __get__(self, obj: Optional[Dict[str, Any]], owner: Optional[type] = None) -> Callable[..., Any]:
        if obj is not None:
            return cast(Callable[..., Any], dict.get.__get__(obj))
        return cast(Callable[..., Any], self.func.__get__(owner))


class list_only(classget):
    """``get`` for a collection the API only lists (``/payments/methods``): ``dict.get`` on an object,
    and no ``get`` at all on the class (``hasattr(PaymentMethods, "get")`` is false)."""

    def __init__(self) -> None:
        pass

    def __get__(self, obj: Optional[Dict[str, Any]], owner: Optional[type] = None) -> Callable[..., Any]:
        if obj is not None:
            return cast(Callable[..., Any], dict.get.__get__(obj))
        name = owner.__name__ if owner is not None else "this resource"
        raise AttributeError(f"{name} has no get(id): the API only lists them; use all()")


def _get_one(cls: Type[T], id: Id, connection: Optional[Requester] = None, **filters: Any) -> T:
    """GET one object by id (``get(0)`` asks for id 0). Raises ``ValueError`` for an unusable id."""
    connection = require_connection(connection)
    data = connection.make_request("GET", _join(cls.resource_name, id), None, filters, None)  # type: ignore[attr-defined]
    return cast(T, wrap(cls, data, connection))


def _get_sub(
    cls: Type[T], parentid: Id, id: Optional[Id] = None, connection: Optional[Requester] = None, **filters: Any
) -> Any:
    """GET one object (``get(parentid, id)``) or, with no id, the parent's list (``get(parentid)``)."""
    connection = require_connection(connection)
    path = cls._collection_path(parentid)  # type: ignore[attr-defined]
    if id is not None:
        path = _join(path, id)
    data = connection.make_request("GET", path, None, filters, None)
    if id is None and data is None:
        return []
    return wrap(cls, data, connection, parentid)


class ApiResource(Mapping):
    """A top-level resource at ``{api root}/{resource_name}``."""

    __slots__ = ()
    resource_name: str = ""

    @classmethod
    def _collection_path(cls, parentid: Any = None) -> str:
        return cls.resource_name

    get = classget(_get_one)

    def _object_path(self) -> str:
        return _join(self.resource_name, _require_id(self))


class ApiSubResource(Mapping):
    """A resource that lives below a parent: ``{parent_resource}/{parent id}/{resource_name}``.

    ``parent_key`` names the payload field that holds the parent id, used when an object did not come
    through a call that already knew its parent.
    """

    __slots__ = ()
    parent_resource: str = ""
    parent_key: str = ""
    resource_name: str = ""

    @classmethod
    def _collection_path(cls, parentid: Any) -> str:
        if parentid is None:
            raise TypeError(f"{cls.__name__} needs the id of its parent ({cls.parent_resource})")
        return f"{_join(cls.parent_resource, parentid, 'parent id')}/{cls.resource_name}"

    @classmethod
    def _listing_path(cls, parentid: Any) -> str:
        """The parent's collection, or with no parent the store-wide one (``products/skus``)."""
        if parentid is None:
            return f"{cls.parent_resource}/{cls.resource_name}"
        return cls._collection_path(parentid)

    get = classget(_get_sub)

    def parent_id(self) -> Any:
        """The id of this object's parent (the order of an order's shipment...).

        Raises ``ValueError`` when neither the call that fetched it nor the payload tells.
        """
        parent = getattr(self, "_parent_id", None)
        if parent is None:
            parent = dict.get(self, self.parent_key) if self.parent_key else None
        if parent is None:
            raise ValueError(f"this {type(self).__name__} object does not know its parent's id")
        return parent

    def _object_path(self) -> str:
        return _join(self._collection_path(self.parent_id()), _require_id(self))


class ApiSubSubResource(Mapping):
    """A resource two levels down: ``{gparent_resource}/{gparent id}/{parent_resource}/{parent id}/{resource_name}``.

    ``parent_id()`` and ``gparent_id()`` give the two ids an object was fetched under.
    """

    __slots__ = ()
    gparent_resource: str = ""
    parent_resource: str = ""
    resource_name: str = ""

    @classmethod
    def _collection_path(cls, gparentid: Any, parentid: Any) -> str:
        if gparentid is None or parentid is None:
            raise TypeError(f"{cls.__name__} needs the ids of its {cls.gparent_resource} and {cls.parent_resource}")
        top = _join(cls.gparent_resource, gparentid, "parent id")
        return f"{_join(f'{top}/{cls.parent_resource}', parentid, 'parent id')}/{cls.resource_name}"

    def parent_id(self) -> Any:
        """The id of the parent this object was fetched under."""
        return self._ids()[1]

    def gparent_id(self) -> Any:
        """The id of the grandparent this object was fetched under."""
        return self._ids()[0]

    def _ids(self) -> Tuple[Any, Any]:
        ids = getattr(self, "_parent_id", None)
        if not isinstance(ids, tuple):
            raise ValueError(f"this {type(self).__name__} object does not know its parents' ids")
        return ids


# -- pagination ------------------------------------------------------------------------------------


def _pages(
    connection: Any, path: str, filters: Dict[str, Any], concurrency: int = 1, count_path: Optional[str] = None
) -> Iterator[List[Any]]:
    """Yield every page of ``path`` (lists of raw dicts), first to last.

    Pages are asked for with ``limit`` (default 250) from ``page`` (default 1). The walk ends on a 204 or
    empty page, on a page shorter than ``limit``, or on an answer that is not a page (a single object,
    or an endpoint that ignores paging and sends the same page again): see :func:`_until_end`.

    With ``concurrency`` N > 1, N requests are in flight at once on the connection's own transport
    (retries, rate-limit state and pacing are shared); pages still come out in order, and at most N
    pages are held at a time besides the one being consumed. Without ``count_path`` the walk asks for
    at most N-1 pages past the end. With ``count_path`` (the collection's ``/count``, asked with the same
    filters, at the same time as the first page) it asks for exactly the pages a sequential walk would
    (up to the first page the count says cannot be full); if that page comes back full after all it
    goes on one page at a time, so a collection that grew, or a count that ignores a filter, is still
    read to its end.
    """
    filters = dict(filters)
    limit = int(filters.pop("limit", MAX_PAGE_SIZE))
    page = int(filters.pop("page", 1))
    if limit < 1 or page < 1:
        raise ValueError("limit and page must be positive")
    check_concurrency(concurrency, connection)

    def fetch(number: int) -> Any:
        # The classic iterall's call: the filters with this page's ``page`` and ``limit``.
        return connection.make_request("GET", path, None, {**filters, "page": number, "limit": limit}, None)

    if concurrency == 1:
        yield from _until_end(map(fetch, itertools.count(page)), limit)
        return
    finish: Optional[Callable[[Any], Any]] = None
    send = getattr(connection, "send", None)
    handle_response = getattr(connection, "handle_response", None)
    if callable(send) and callable(handle_response):
        # Split ``get`` in two: the workers send and read the answer (I/O, the GIL is free), the
        # consumer parses pages in order. Parsing in the workers would hold the GIL in whatever order
        # they finish, so the next page in line could wait for the ones behind it.
        def fetch(number: int) -> Any:  # noqa: F811
            return send("GET", path, params={**filters, "page": number, "limit": limit})

        def finish(response: Any) -> Any:
            return handle_response("GET", path, response)

    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bigcommerce-page")
    try:
        yield from _until_end(
            _fetch_ahead(pool, fetch, finish, page, limit, concurrency, connection, count_path, filters), limit
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetch_ahead(
    pool: ThreadPoolExecutor,
    fetch: Callable[[int], Any],
    finish: Optional[Callable[[Any], Any]],
    page: int,
    limit: int,
    concurrency: int,
    connection: Any,
    count_path: Optional[str],
    filters: Dict[str, Any],
) -> Iterator[Any]:
    """The answers for pages ``page``, ``page + 1``... in order, with up to ``concurrency`` in flight.

    ``fetch(number)`` runs on the workers; ``finish`` (if given) turns what it returned into the parsed
    page, on the consumer's thread. ``last`` is the last page worth asking for: ``None`` when unknown
    (keep the window full), else the first page the count says cannot be full, then one page at a
    time while that page is full. References are dropped as soon as a page is handed on, so that at
    most ``concurrency`` pages wait here (done or in flight) besides the one the caller is consuming.
    """
    window: Deque["Future[Any]"] = deque()
    next_page = page
    last: Optional[int] = None
    counted: Optional["Future[Any]"] = None
    if count_path is not None:
        last = page  # only the first page until the count is known

    def refill() -> None:
        nonlocal next_page
        while len(window) < concurrency and (last is None or next_page <= last):
            window.append(pool.submit(fetch, next_page))
            next_page += 1

    try:
        refill()
        if count_path is not None:
            # After the first page: a pacer lets a store's first request go alone, and that should be
            # the page the caller waits for, not the count.
            counted = pool.submit(connection.make_request, "GET", count_path, None, filters, None)
        if counted is not None:
            total = _count_of(counted)
            counted = None
            if total is None:
                last = None  # no usable count: find the end by looking
            else:
                # The first page that cannot be full: where a one-at-a-time walk stops. When the count
                # is a multiple of ``limit`` that is the empty page after the last, which a sequential
                # walk asks for too; asking it now saves a round trip at the end.
                last = max(page, page + (total - (page - 1) * limit) // limit)
            refill()
        number = page
        previous_first: Any = _NOTHING
        while window:
            data = window.popleft().result()
            if finish is not None:
                data = finish(data)
            more, previous_first = _more_after(data, limit, previous_first)
            if more:
                if last is not None and number >= last:
                    last = number + 1  # the announced last page is full: look one page further
                refill()  # only now: a page that ends the walk must not send for one more
            number += 1
            yield data
            data = None  # let the page go before the next one is waited for
    finally:
        # Last page first, so a worker that skips a cancelled page finds the later ones cancelled too
        # and fewer requests past the end go out.
        for future in reversed(window):
            future.cancel()
        window.clear()


def _count_of(future: "Future[Any]") -> Optional[int]:
    """The number a ``/count`` answer holds, or ``None`` when it failed or is not a count."""
    try:
        number = _count_number(future.result())
    except Exception:  # noqa: BLE001 - any failure only means "walk without a count"
        return None
    return None if number is None else max(0, number)


def _until_end(results: Iterable[Any], limit: int) -> Iterator[List[Any]]:
    """Pass pages on until the end (see :func:`_more_after`); no page is held while the next is awaited."""
    previous_first: Any = _NOTHING
    for data in results:
        if not data:
            return
        more, previous_first = _more_after(data, limit, previous_first)
        if previous_first is _REPEATED:
            return  # the endpoint ignores paging: this page is the last one again
        yield data if isinstance(data, list) else [data]
        data = None
        if not more:
            return


def _more_after(data: Any, limit: int, previous_first: Any) -> Tuple[bool, Any]:
    """Where a walk stops: whether pages may follow ``data``, and the first id to compare the next with.

    The walk ends on an empty answer (204, ``[]``), after an answer that is not a list (it is passed
    on as a one-item page), after a page whose length is not ``limit``, and on a page whose first id
    equals the previous page's (the endpoint ignores paging; then the first id returned is
    ``_REPEATED`` and the page is not passed on).
    """
    if not data or not isinstance(data, list) or len(data) != limit:
        return False, _NOTHING
    head = data[0]
    first = head.get("id", _NOTHING) if type(head) is dict else head
    if first is not _NOTHING and first == previous_first:
        return False, _REPEATED
    return True, first


_NOTHING = object()
_REPEATED = object()


def check_concurrency(concurrency: Any, connection: Any) -> None:
    """Raise ``ValueError`` unless ``concurrency`` is a whole number >= 1 that the connection's pool
    can serve (v2 and v3 pagers both ask this before a walk)."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency must be a whole number >= 1")
    pool_size = getattr(connection, "pool_size", None)
    if isinstance(pool_size, int) and concurrency > pool_size:
        # More workers than pooled connections would open and drop a connection per extra request.
        raise ValueError(
            f"concurrency={concurrency} is more than the connection pool holds "
            f"(pool_size={pool_size}): create the api with pool_size={concurrency} or more"
        )


def _iterall(
    cls: Type[T], connection: Any, path: str, filters: Dict[str, Any], concurrency: int, parent_id: Any = None
) -> Iterator[T]:
    """Every object of a collection, wrapped page by page (the body of both ``iterall`` methods).

    A countable collection walked concurrently asks its ``/count`` first (see :func:`_pages`).
    """
    countable = isinstance(cls, type) and issubclass(cls, (CountableApiResource, CountableApiSubResource))
    count_path = f"{path}/count" if countable and concurrency != 1 else None
    page: Optional[List[Any]]
    for page in _pages(connection, path, filters, concurrency, count_path):
        objects: Optional[List[T]] = wrap(cls, page, connection, parent_id)
        page = None  # hold no page longer than its objects are being handed out
        yield from objects or ()
        objects = None


# -- mixins for top-level resources ----------------------------------------------------------------


class ListableApiResource(ApiResource):
    """``all(**filters)`` (one page) and ``iterall(**filters)`` (every page) of a collection.

    A class with ``paged = False`` (an endpoint that takes no ``page`` or ``limit``) walks its one list.
    """

    __slots__ = ()
    paged: bool = True

    @classmethod
    def all(cls: Type[T], connection: Optional[Requester] = None, **filters: Any) -> List[T]:
        """GET one page of the collection (``[]`` when empty). Filters are keyword arguments."""
        connection = require_connection(connection)
        data = connection.make_request("GET", cls.resource_name, None, filters, None)  # type: ignore[attr-defined]
        return _listed(cls, data, connection)

    @classmethod
    def iterall(
        cls: Type[T], connection: Optional[Requester] = None, concurrency: int = 1, **filters: Any
    ) -> Iterator[T]:
        """Yield every object of the collection, page after page (``limit`` defaults to 250).

        The walk ends on an empty or short page, or when the endpoint ignores paging. With
        ``concurrency`` N > 1, N pages are asked for at once; objects still come in order.
        """
        if not cls.paged:  # type: ignore[attr-defined]
            return iter(cls.all(connection, **filters))  # type: ignore[attr-defined]
        return _iterall(
            cls,
            require_connection(connection),
            cls.resource_name,  # type: ignore[attr-defined]
            filters,
            concurrency,
        )


class CreateableApiResource(ApiResource):
    """``create(**fields)``: POST to the collection."""

    __slots__ = ()

    @classmethod
    def create(cls: Type[T], connection: Optional[Requester] = None, **fields: Any) -> T:
        """POST a new object and return it as the server stored it (``None`` if it answers 204)."""
        connection = require_connection(connection)
        data = connection.make_request("POST", cls.resource_name, fields, None, None)  # type: ignore[attr-defined]
        return cast(T, wrap(cls, data, connection))


class UpdateableApiResource(ApiResource):
    """``obj.update(**fields)``: PUT to the object."""

    __slots__ = ()

    def update(self: T, **fields: Any) -> Optional[T]:  # type: ignore[override]
        """PUT the given fields and return the updated object (this object is refreshed too).

        Only the given fields are sent. Returns ``None`` if the server answers 204.
        """
        connection = require_connection(getattr(self, "_connection", None))
        data = connection.make_request("PUT", self._object_path(), fields, None, None)
        if isinstance(data, dict):
            dict.update(self, data)
        return cast(Optional[T], wrap(type(self), data, connection, getattr(self, "_parent_id", None)))


class DeleteableApiResource(ApiResource):
    """``obj.delete()``: DELETE the object."""

    __slots__ = ()

    def delete(self: T) -> Optional[T]:
        """DELETE this object; returns ``None`` on the usual 204 (a webhook answers with itself)."""
        connection = require_connection(getattr(self, "_connection", None))
        data = connection.make_request("DELETE", self._object_path(), None, None, None)
        if not data:
            return None
        return cast(T, wrap(type(self), data, connection, getattr(self, "_parent_id", None)))


class CollectionDeleteableApiResource(ApiResource):
    """``delete_all()``: DELETE the whole collection."""

    __slots__ = ()

    @classmethod
    def delete_all(cls, connection: Optional[Requester] = None) -> Any:
        """DELETE the whole collection; returns the answer's body (``None`` for the usual 204)."""
        return require_connection(connection).make_request("DELETE", cls.resource_name, None, None, None)


class CountableApiResource(ApiResource):
    """``count(**filters)``: GET ``{collection}/count``."""

    __slots__ = ()

    @classmethod
    def count(cls, connection: Optional[Requester] = None, **filters: Any) -> int:
        """GET ``/count`` with the same filters as ``all``; returns the number (0 for a 204)."""
        path = f"{cls.resource_name}/count"
        return _count_value(require_connection(connection).make_request("GET", path, None, filters, None), path)


class SingleObjectApiResource(Mapping):
    """A resource that is one object rather than a collection (``/store``, ``/time``).

    ``all()`` and ``get()`` both return that object (``None`` if the server sends nothing);
    ``iterall()`` yields it once, without paging parameters.
    """

    __slots__ = ()
    resource_name: str = ""

    @classmethod
    def all(cls: Type[T], connection: Optional[Requester] = None, **filters: Any) -> Optional[T]:
        """GET the object."""
        connection = require_connection(connection)
        data = connection.make_request("GET", cls.resource_name, None, filters, None)  # type: ignore[attr-defined]
        return None if data is None else cast(T, wrap(cls, data, connection))

    get = classget(all.__func__)  # type: ignore[attr-defined]

    @classmethod
    def iterall(
        cls: Type[T], connection: Optional[Requester] = None, concurrency: int = 1, **filters: Any
    ) -> Iterator[T]:
        """Yield the object once (or each item, should the server send a list); ``concurrency`` is
        accepted for symmetry with collections and has nothing to do here."""
        data: Any = cls.all(connection, **filters)  # type: ignore[attr-defined]
        if isinstance(data, list):
            yield from data
        elif data is not None:
            yield data


# -- mixins for sub-resources ----------------------------------------------------------------------


class ListableApiSubResource(ApiSubResource):
    """``all(parentid, **filters)``, ``iterall(parentid, **filters)`` (and ``get(parentid)`` lists).

    With no parent id, both list the collection store-wide, as the classic client did:
    ``ProductSkus.all(sku='ABC-1')`` is ``GET products/skus?sku=ABC-1``.
    """

    __slots__ = ()

    @classmethod
    def all(
        cls: Type[T], parentid: Optional[Id] = None, connection: Optional[Requester] = None, **filters: Any
    ) -> List[T]:
        """GET one page of the parent's collection, or of the store-wide one (``[]`` when empty)."""
        connection = require_connection(connection)
        path = cls._listing_path(parentid)  # type: ignore[attr-defined]
        return _listed(cls, connection.make_request("GET", path, None, filters, None), connection, parentid)

    @classmethod
    def iterall(
        cls: Type[T],
        parentid: Optional[Id] = None,
        connection: Optional[Requester] = None,
        concurrency: int = 1,
        **filters: Any,
    ) -> Iterator[T]:
        """Yield every object of the parent's collection (or of the store-wide one), page after page."""
        return _iterall(
            cls,
            require_connection(connection),
            cls._listing_path(parentid),  # type: ignore[attr-defined]
            filters,
            concurrency,
            parentid,
        )


class CreateableApiSubResource(ApiSubResource):
    """``create(parentid, **fields)``: POST under the parent."""

    __slots__ = ()

    @classmethod
    def create(cls: Type[T], parentid: Id, connection: Optional[Requester] = None, **fields: Any) -> T:
        """POST a new object under the parent and return it as the server stored it."""
        connection = require_connection(connection)
        path = cls._collection_path(parentid)  # type: ignore[attr-defined]
        return cast(T, wrap(cls, connection.make_request("POST", path, fields, None, None), connection, parentid))


class UpdateableApiSubResource(ApiSubResource):
    """``obj.update(**fields)``: PUT to ``{parent}/{parent id}/{name}/{id}``."""

    __slots__ = ()

    update = UpdateableApiResource.update  # type: ignore[assignment]


class DeleteableApiSubResource(ApiSubResource):
    """``obj.delete()``: DELETE ``{parent}/{parent id}/{name}/{id}``."""

    __slots__ = ()

    delete = DeleteableApiResource.delete


class CollectionDeleteableApiSubResource(ApiSubResource):
    """``delete_all(parentid)``: DELETE every object under the parent."""

    __slots__ = ()

    @classmethod
    def delete_all(cls, parentid: Id, connection: Optional[Requester] = None) -> Any:
        """DELETE every object under the parent; returns the answer's body (``None`` for a 204)."""
        path = cls._collection_path(parentid)
        return require_connection(connection).make_request("DELETE", path, None, None, None)


class CountableApiSubResource(ApiSubResource):
    """``count(parentid)`` under one parent, ``count()`` store-wide (``{parent}/{name}/count``)."""

    __slots__ = ()

    @classmethod
    def count(cls, parentid: Optional[Id] = None, connection: Optional[Requester] = None, **filters: Any) -> int:
        """Count under one parent (``count(parentid)``) or store-wide (``count()``)."""
        path = f"{cls._listing_path(parentid)}/count"
        return _count_value(require_connection(connection).make_request("GET", path, None, filters, None), path)


class SingleObjectApiSubResource(ApiSubResource):
    """One object below each parent (an order's consignments): ``get(parentid)`` and ``all(parentid)``."""

    __slots__ = ()

    @classmethod
    def all(cls: Type[T], parentid: Id, connection: Optional[Requester] = None, **filters: Any) -> Optional[T]:
        """GET the parent's object (``None`` if the server sends nothing)."""
        connection = require_connection(connection)
        path = cls._collection_path(parentid)  # type: ignore[attr-defined]
        data = connection.make_request("GET", path, None, filters, None)
        return None if data is None else cast(T, wrap(cls, data, connection, parentid))

    get = classget(all.__func__)  # type: ignore[attr-defined]


class SingleObjectApiSubSubResource(ApiSubSubResource):
    """One object two levels down (the shipping quote of an order's address):
    ``get(gparentid, parentid)`` and ``all(gparentid, parentid)``."""

    __slots__ = ()

    @classmethod
    def all(
        cls: Type[T], gparentid: Id, parentid: Id, connection: Optional[Requester] = None, **filters: Any
    ) -> Optional[T]:
        """GET the object (``None`` if the server sends nothing)."""
        connection = require_connection(connection)
        path = cls._collection_path(gparentid, parentid)  # type: ignore[attr-defined]
        data = connection.make_request("GET", path, None, filters, None)
        return None if data is None else cast(T, wrap(cls, data, connection, (gparentid, parentid)))

    get = classget(all.__func__)  # type: ignore[attr-defined]


# -- the usual full sets, so resource tables name them once ---------------------------------------


class FullApiResource(
    ListableApiResource,
    CreateableApiResource,
    UpdateableApiResource,
    DeleteableApiResource,
    CollectionDeleteableApiResource,
    CountableApiResource,
):
    """Every operation: ``all``, ``iterall``, ``get``, ``create``, ``update``, ``delete``, ``delete_all``, ``count``."""

    __slots__ = ()


class FullApiSubResource(
    ListableApiSubResource,
    CreateableApiSubResource,
    UpdateableApiSubResource,
    DeleteableApiSubResource,
    CollectionDeleteableApiSubResource,
    CountableApiSubResource,
):
    """Every operation, below a parent."""

    __slots__ = ()


# -- parent helpers --------------------------------------------------------------------------------


class subresource:
    """Declares ``parent.<name>(id=None)``: the parent's list of a sub-resource, or one of its objects.

    For one object per parent (``order.consignments()``) the helper takes no id; for an object two
    levels down (``OrderShippingQuotes``) it sits on the middle object (``address.shipping_quotes()``).
    """

    def __init__(self, class_name: str):
        self.class_name = class_name
        self.name = class_name

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> "subresource": ...

    @overload
    def __get__(self, obj: Mapping, owner: Optional[type] = None) -> Callable[..., Any]: ...

    def __get__(self, obj: Optional[Mapping], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        sub: Any = REGISTRY[self.class_name]
        connection = getattr(obj, "_connection", None)

        if issubclass(sub, ApiSubSubResource):
            middle = cast(ApiSubResource, obj)

            def helper(**filters: Any) -> Any:
                return sub.get(middle.parent_id(), _require_id(middle), connection=connection, **filters)
        elif issubclass(sub, SingleObjectApiSubResource):

            def helper(**filters: Any) -> Any:
                return sub.get(_require_id(obj), connection=connection, **filters)
        else:

            def helper(id: Any = None, **filters: Any) -> Any:  # type: ignore[misc]
                return sub.get(_require_id(obj), id, connection=connection, **filters)

        helper.__name__ = self.name
        helper.__doc__ = f"The {self.class_name} of this object (one of them when given an id)."
        return helper
