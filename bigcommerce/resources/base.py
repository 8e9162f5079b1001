"""Objects and the capability mixins that resource classes are composed of.

A resource class is a declaration: its path (``resource_name``, and ``parent_resource`` for a
sub-resource), the mixins for what the API allows on it, and ``subresource(...)`` helpers for its
children. All HTTP goes through the connection given to (or bound into) each call.

Objects are :class:`Mapping` instances, ``dict`` subclasses: every key of the payload is kept and item
access (``obj["items"]``) always gives the data. Attribute access (``obj.name``) gives the data too,
except for names the class itself defines: the ``dict`` methods (``items``, ``keys``, ``values``,
``get``, ``update``, ``pop``...), the resource operations (``all``, ``count``, ``create``, ``delete``,
``iterall``...), ``connection``, and sub-resource helpers such as ``product.options``. Those give the
method, and the payload value is ``obj[name]``.

Ids (and parent ids) are integers or strings of letters, digits, ``-`` and ``_``; anything else
(``None`` where an id is needed, ``True``, ``"../x"``, ``"1/2"``) raises ``ValueError`` before a request is sent.
"""
from __future__ import annotations

import copy as _copy
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Deque, Dict, Iterator, List, Optional, Tuple, Type, TypeVar, Union

from bigcommerce.connection import Connection, _path_segment
from bigcommerce.exception import InvalidResponseException

__all__ = [
    "Mapping", "ApiResource", "ApiSubResource", "subresource",
    "ListableApiResource", "CreateableApiResource", "UpdateableApiResource", "DeleteableApiResource",
    "CollectionDeleteableApiResource", "CountableApiResource",
    "ListableApiSubResource", "CreateableApiSubResource", "UpdateableApiSubResource",
    "DeleteableApiSubResource", "CollectionDeleteableApiSubResource", "CountableApiSubResource",
    "SingleObjectApiResource", "REGISTRY", "FullApiResource", "FullApiSubResource", "check_id", "list_only",
]

T = TypeVar("T", bound="Mapping")

#: Every resource class by its public name (``Products``...), filled as the modules are imported.
REGISTRY: Dict[str, type] = {}

#: The page size iterall asks for unless the caller gives ``limit``: the API's maximum.
MAX_PAGE_SIZE = 250


class Mapping(dict):
    """A payload object: a ``dict`` with attribute access and a handle on its connection.

    The connection and parent id live in slots outside the dict, so ``json.dumps(obj)`` works and
    ``obj.keys()`` lists payload keys only.
    """

    __slots__ = ("_connection", "_parent_id")

    def __init_subclass__(cls, **kwargs):
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

    def __dir__(self):
        return sorted(set(super().__dir__()) | {k for k in self if isinstance(k, str) and k.isidentifier()})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={dict.get(self, 'id')!r}>"

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild, (type(self), dict(self), getattr(self, "_connection", None),
                           getattr(self, "_parent_id", None)))

    def __copy__(self):
        return _rebuild(type(self), dict(self), getattr(self, "_connection", None),
                        getattr(self, "_parent_id", None))

    def __deepcopy__(self, memo):
        # The payload is copied; the connection is shared, not cloned (a clone would lose its credentials).
        return _rebuild(type(self), _copy.deepcopy(dict(self), memo), getattr(self, "_connection", None),
                        getattr(self, "_parent_id", None))

    @property
    def connection(self):
        """The connection this object was fetched through (``None`` for a bare Mapping)."""
        return getattr(self, "_connection", None)


_SLOTS = frozenset(Mapping.__slots__)


def _rebuild(cls, data, connection, parent_id):
    obj = cls(data)
    obj._connection = connection
    obj._parent_id = parent_id
    return obj


_set_connection = Mapping._connection.__set__  # type: ignore[attr-defined]
_set_parent = Mapping._parent_id.__set__  # type: ignore[attr-defined]


def wrap(cls: Type[T], data: Any, connection, parent_id: Any = None) -> Any:
    """Turn parsed JSON into objects of ``cls``: a list for a list, one object for a dict."""
    if isinstance(data, list):
        out = []
        append = out.append
        for item in data:
            if type(item) is dict:
                obj = cls(item)
                _set_connection(obj, connection)
                _set_parent(obj, parent_id)
                append(obj)
            else:  # a list of scalars stays as it came
                append(item)
        return out
    if isinstance(data, dict):
        obj = cls(data)
        _set_connection(obj, connection)
        _set_parent(obj, parent_id)
        return obj
    return data


def _require_connection(connection):
    if connection is None:
        raise TypeError("no connection: call through an api object (api.Products.all()) "
                        "or pass connection=api.connection")
    return connection


def _require_id(obj: Mapping) -> Any:
    if dict.get(obj, "id") is None:
        raise ValueError(f"this {type(obj).__name__} object has no 'id', so it cannot be addressed")
    return check_id(obj["id"])


_ID_TEXT = re.compile(r"[A-Za-z0-9_-]+\Z")


def check_id(value: Any, what: str = "id") -> Any:
    """Return ``value`` if it can name one object in a URL path, else raise ``ValueError``.

    Integers (``0`` included) and strings of letters, digits, ``-`` and ``_`` are ids. ``None``,
    booleans, empty strings and anything holding ``/``, ``.``, ``?``, ``%`` or spaces are refused,
    so a bad id can never address the collection itself or another path.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _ID_TEXT.match(value):
        return value
    raise ValueError(f"{value!r} is not a valid {what}: pass an integer or a string of letters, "
                     "digits, '-' and '_'")


def _count_number(data: Any) -> Optional[int]:
    """The number in a ``/count`` answer (``{"count": N}``), or ``None`` when ``data`` is not one."""
    if isinstance(data, dict) and "count" in data:
        try:
            return int(data["count"])
        except (TypeError, ValueError):
            pass
    return None


def _count_value(data: Any, path: str) -> int:
    """The number in a ``/count`` answer (``{"count": N}``); 0 for a 204."""
    if data is None:
        return 0
    number = _count_number(data)
    if number is not None:
        return number
    raise InvalidResponseException(f"GET {path} answered without a numeric 'count': {str(data)[:100]}")


class classget:
    """``get`` that is the API call on the class (``Products.get(1)``) and ``dict.get`` on an object."""

    def __init__(self, func):
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is not None:
            return dict.get.__get__(obj)
        return self.func.__get__(owner)


class list_only(classget):
    """``get`` for a collection the API only lists (``/payments/methods``): ``dict.get`` on an object,
    and no ``get`` at all on the class (``hasattr(PaymentMethods, "get")`` is false)."""

    def __init__(self):
        pass

    def __get__(self, obj, owner=None):
        if obj is not None:
            return dict.get.__get__(obj)
        raise AttributeError(f"{owner.__name__} has no get(id): the API only lists them; use all()")


class ApiResource(Mapping):
    """A top-level resource at ``{api root}/{resource_name}``."""

    __slots__ = ()
    resource_name: str = ""

    @classmethod
    def _collection_path(cls, parent_id: Any = None) -> str:
        return cls.resource_name

    @classget
    def get(cls, resource_id: Any, connection=None, **filters):
        """GET one object by id (``get(0)`` asks for id 0). Raises ``ValueError`` for an unusable id."""
        check_id(resource_id)
        data = _require_connection(connection).get(cls.resource_name, resource_id, **filters)
        return wrap(cls, data, connection)

    def _object_path(self) -> str:
        return Connection._resource_path(self.resource_name, _require_id(self))


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
    def _collection_path(cls, parent_id: Any) -> str:
        if parent_id is None:
            raise TypeError(f"{cls.__name__} needs the id of its parent ({cls.parent_resource})")
        check_id(parent_id, "parent id")
        return f"{cls.parent_resource}/{_path_segment(parent_id)}/{cls.resource_name}"

    @classget
    def get(cls, parent_id: Any, resource_id: Any = None, connection=None, **filters):
        """GET one object (``get(parent_id, id)``) or, with no id, the parent's list (``get(parent_id)``)."""
        connection = _require_connection(connection)
        if resource_id is not None:
            check_id(resource_id)
        data = connection.get(cls._collection_path(parent_id), resource_id, **filters)
        if resource_id is None and data is None:
            return []
        return wrap(cls, data, connection, parent_id)

    def _parent(self) -> Any:
        parent = getattr(self, "_parent_id", None)
        if parent is None:
            parent = dict.get(self, self.parent_key) if self.parent_key else None
        if parent is None:
            raise ValueError(f"this {type(self).__name__} object does not know its parent's id")
        return parent

    def _object_path(self) -> str:
        return Connection._resource_path(self._collection_path(self._parent()), _require_id(self))


# -- pagination ------------------------------------------------------------------------------------

def _pages(connection, path: str, filters: Dict[str, Any], concurrency: int = 1,
           count_path: Optional[str] = None) -> Iterator[list]:
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
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError("concurrency must be a whole number >= 1")
    pool_size = getattr(connection, "pool_size", None) or getattr(connection, "_pool_size", None)
    if isinstance(pool_size, int) and concurrency > pool_size:
        # More workers than pooled connections would open and drop a connection per extra request.
        raise ValueError(f"concurrency={concurrency} is more than the connection pool holds "
                         f"(pool_size={pool_size}): create the api with pool_size={concurrency} or more")

    def fetch(number: int) -> Any:
        return connection.get(path, limit=limit, page=number, **filters)

    if concurrency == 1:
        yield from _until_end(map(fetch, _count_from(page)), limit)
        return
    finish = None
    send = getattr(connection, "send", None)
    handle_response = getattr(connection, "handle_response", None)
    if callable(send) and callable(handle_response):
        # Split ``get`` in two: the workers send and read the answer (I/O, the GIL is free), the
        # consumer parses pages in order. Parsing in the workers would hold the GIL in whatever order
        # they finish, so the next page in line could wait for the ones behind it.
        def fetch(number: int) -> Any:  # noqa: F811
            return send("GET", path, params={"limit": limit, "page": number, **filters})

        def finish(response: Any) -> Any:
            return handle_response("GET", path, response)

    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bigcommerce-page")
    try:
        yield from _until_end(_fetch_ahead(pool, fetch, finish, page, limit, concurrency, connection,
                                           count_path, filters), limit)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetch_ahead(pool, fetch, finish, page: int, limit: int, concurrency: int, connection,
                 count_path: Optional[str], filters: Dict[str, Any]) -> Iterator[Any]:
    """The answers for pages ``page``, ``page + 1``... in order, with up to ``concurrency`` in flight.

    ``fetch(number)`` runs on the workers; ``finish`` (if given) turns what it returned into the parsed
    page, on the consumer's thread. ``last`` is the last page worth asking for: ``None`` when unknown
    (keep the window full), else the first page the count says cannot be full, then one page at a
    time while that page is full. References are dropped as soon as a page is handed on, so that at
    most ``concurrency`` pages wait here (done or in flight) besides the one the caller is consuming.
    """
    window: Deque[Any] = deque()
    next_page = page
    last: Optional[int] = None
    counted = None
    if count_path is not None:
        counted = pool.submit(connection.get, count_path, **filters)
        last = page  # only the first page until the count is known

    def refill() -> None:
        nonlocal next_page
        while len(window) < concurrency and (last is None or next_page <= last):
            window.append(pool.submit(fetch, next_page))
            next_page += 1

    try:
        refill()
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


def _count_of(future) -> Optional[int]:
    """The number a ``/count`` answer holds, or ``None`` when it failed or is not a count."""
    try:
        number = _count_number(future.result())
    except Exception:  # noqa: BLE001 - any failure only means "walk without a count"
        return None
    return None if number is None else max(0, number)


def _count_from(start: int) -> Iterator[int]:
    while True:
        yield start
        start += 1


def _until_end(results: Iterator[Any], limit: int) -> Iterator[list]:
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


def _iterall(cls, connection, path: str, filters: Dict[str, Any], concurrency: int,
             parent_id: Any = None) -> Iterator[Any]:
    """Every object of a collection, wrapped page by page (the body of both ``iterall`` methods).

    A countable collection walked concurrently asks its ``/count`` first (see :func:`_pages`).
    """
    countable = isinstance(cls, type) and issubclass(cls, (CountableApiResource, CountableApiSubResource))
    count_path = f"{path}/count" if countable and concurrency != 1 else None
    for data in _pages(connection, path, filters, concurrency, count_path):
        objects = wrap(cls, data, connection, parent_id)
        data = None
        yield from objects
        objects = None


# -- mixins for top-level resources ----------------------------------------------------------------

class ListableApiResource(ApiResource):
    """``all(**filters)`` (one page) and ``iterall(**filters)`` (every page) of a collection."""

    __slots__ = ()

    @classmethod
    def all(cls, connection=None, **filters) -> Union[List[Any], Any]:
        """GET one page of the collection (``[]`` when empty). Filters are keyword arguments."""
        connection = _require_connection(connection)
        data = connection.get(cls.resource_name, **filters)
        return [] if data is None else wrap(cls, data, connection)

    @classmethod
    def iterall(cls, connection=None, concurrency: int = 1, **filters) -> Iterator[Any]:
        """Yield every object of the collection, page after page (see ``_pages`` for when it stops)."""
        return _iterall(cls, _require_connection(connection), cls.resource_name, filters, concurrency)


class CreateableApiResource(ApiResource):
    """``create(**fields)``: POST to the collection."""

    __slots__ = ()

    @classmethod
    def create(cls, connection=None, **fields):
        """POST a new object and return it as the server stored it."""
        connection = _require_connection(connection)
        return wrap(cls, connection.post(cls.resource_name, fields), connection)


class UpdateableApiResource(ApiResource):
    """``obj.update(**fields)``: PUT to the object."""

    __slots__ = ()

    def update(self, **fields):
        """PUT the given fields and return the updated object (this object is refreshed too).

        Only the given fields are sent. Returns ``None`` if the server answers 204.
        """
        connection = _require_connection(getattr(self, "_connection", None))
        data = connection.put(self._object_path(), fields)
        if isinstance(data, dict):
            dict.update(self, data)
        return wrap(type(self), data, connection, getattr(self, "_parent_id", None))


class DeleteableApiResource(ApiResource):
    """``obj.delete()``: DELETE the object."""

    __slots__ = ()

    def delete(self):
        """DELETE this object; returns ``None`` on the usual 204 (a webhook answers with itself)."""
        connection = _require_connection(getattr(self, "_connection", None))
        data = connection.delete(self._object_path())
        return wrap(type(self), data, connection, getattr(self, "_parent_id", None)) if data else None


class CollectionDeleteableApiResource(ApiResource):
    """``delete_all()``: DELETE the whole collection."""

    __slots__ = ()

    @classmethod
    def delete_all(cls, connection=None):
        """DELETE the whole collection."""
        return _require_connection(connection).delete(cls.resource_name)


class CountableApiResource(ApiResource):
    """``count(**filters)``: GET ``{collection}/count``."""

    __slots__ = ()

    @classmethod
    def count(cls, connection=None, **filters) -> int:
        """GET ``/count`` with the same filters as ``all``; returns the number."""
        path = f"{cls.resource_name}/count"
        return _count_value(_require_connection(connection).get(path, **filters), path)


class SingleObjectApiResource(ListableApiResource):
    """A resource that is one object rather than a collection (``/store``, ``/time``).

    ``all()`` and ``get()`` both return that object (``None`` if the server sends nothing);
    ``iterall()`` yields it once, without paging parameters.
    """

    __slots__ = ()

    @classmethod
    def all(cls, connection=None, **filters) -> Any:
        """GET the object."""
        connection = _require_connection(connection)
        data = connection.get(cls.resource_name, **filters)
        return None if data is None else wrap(cls, data, connection)

    @classget
    def get(cls, connection=None, **filters) -> Any:
        """GET the object (the same as ``all()``; there is no id)."""
        return cls.all(connection=connection, **filters)

    @classmethod
    def iterall(cls, connection=None, concurrency: int = 1, **filters) -> Iterator[Any]:
        """Yield the object once (or each item, should the server send a list); ``concurrency`` is
        accepted for symmetry with collections and has nothing to do here."""
        data = cls.all(connection=connection, **filters)
        if isinstance(data, list):
            yield from data
        elif data is not None:
            yield data


# -- mixins for sub-resources ----------------------------------------------------------------------

class ListableApiSubResource(ApiSubResource):
    """``all(parent_id, **filters)``, ``iterall(parent_id, **filters)`` (and ``get(parent_id)`` lists)."""

    __slots__ = ()

    @classmethod
    def all(cls, parent_id: Any, connection=None, **filters) -> List[Any]:
        """GET one page of the parent's collection (``[]`` when empty)."""
        connection = _require_connection(connection)
        data = connection.get(cls._collection_path(parent_id), **filters)
        return [] if data is None else wrap(cls, data, connection, parent_id)

    @classmethod
    def iterall(cls, parent_id: Any, connection=None, concurrency: int = 1, **filters) -> Iterator[Any]:
        """Yield every object of the parent's collection."""
        return _iterall(cls, _require_connection(connection), cls._collection_path(parent_id), filters,
                        concurrency, parent_id)


class CreateableApiSubResource(ApiSubResource):
    """``create(parent_id, **fields)``: POST under the parent."""

    __slots__ = ()

    @classmethod
    def create(cls, parent_id: Any, connection=None, **fields):
        """POST a new object under the parent."""
        connection = _require_connection(connection)
        return wrap(cls, connection.post(cls._collection_path(parent_id), fields), connection, parent_id)


class UpdateableApiSubResource(ApiSubResource):
    """``obj.update(**fields)``: PUT to ``{parent}/{parent_id}/{name}/{id}``."""

    __slots__ = ()

    update = UpdateableApiResource.update


class DeleteableApiSubResource(ApiSubResource):
    """``obj.delete()``: DELETE ``{parent}/{parent_id}/{name}/{id}``."""

    __slots__ = ()

    delete = DeleteableApiResource.delete


class CollectionDeleteableApiSubResource(ApiSubResource):
    """``delete_all(parent_id)``: DELETE every object under the parent."""

    __slots__ = ()

    @classmethod
    def delete_all(cls, parent_id: Any, connection=None):
        """DELETE every object under the parent."""
        return _require_connection(connection).delete(cls._collection_path(parent_id))


class CountableApiSubResource(ApiSubResource):
    """``count(parent_id)`` under one parent, ``count()`` store-wide (``{parent}/{name}/count``)."""

    __slots__ = ()

    @classmethod
    def count(cls, parent_id: Any = None, connection=None, **filters) -> int:
        """Count under one parent (``count(parent_id)``) or store-wide (``count()``)."""
        if parent_id is None:
            path = f"{cls.parent_resource}/{cls.resource_name}/count"
        else:
            path = f"{cls._collection_path(parent_id)}/count"
        return _count_value(_require_connection(connection).get(path, **filters), path)


# -- the usual full sets, so resource tables name them once ---------------------------------------

class FullApiResource(ListableApiResource, CreateableApiResource, UpdateableApiResource, DeleteableApiResource,
                      CollectionDeleteableApiResource, CountableApiResource):
    """Every operation: ``all``, ``iterall``, ``get``, ``create``, ``update``, ``delete``, ``delete_all``, ``count``."""

    __slots__ = ()


class FullApiSubResource(ListableApiSubResource, CreateableApiSubResource, UpdateableApiSubResource,
                         DeleteableApiSubResource, CollectionDeleteableApiSubResource, CountableApiSubResource):
    """Every operation, below a parent."""

    __slots__ = ()


# -- parent helpers --------------------------------------------------------------------------------

class subresource:
    """Declares ``parent.<name>(id=None)``: the parent's list of a sub-resource, or one of its objects."""

    def __init__(self, class_name: str):
        self.class_name = class_name

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        sub = REGISTRY[self.class_name]

        def helper(resource_id: Any = None, **filters):
            return sub.get(_require_id(obj), resource_id, connection=getattr(obj, "_connection", None),
                           **filters)

        helper.__name__ = self.name
        helper.__doc__ = f"The {self.class_name} of this object (one of them when given an id)."
        return helper
