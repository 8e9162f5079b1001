"""Objects and the capability mixins that resource classes are composed of.

A resource class is a declaration: its path (``resource_name``, and ``parent_resource`` for a
sub-resource), the mixins for what the API allows on it, and ``subresource(...)`` helpers for its
children. All HTTP goes through the connection given to (or bound into) each call.

Objects are :class:`Mapping` instances, ``dict`` subclasses: every key of the payload is kept and item
access (``obj["items"]``) always gives the data. Attribute access (``obj.name``) gives the data too,
except for names the class itself defines (``update``, ``delete``, ``items``, ``keys``, ``get``, and
sub-resource helpers such as ``options``): those give the method, and the payload value is ``obj[name]``.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Optional, Type, TypeVar, Union

__all__ = [
    "Mapping", "ApiResource", "ApiSubResource", "subresource",
    "ListableApiResource", "CreateableApiResource", "UpdateableApiResource", "DeleteableApiResource",
    "CollectionDeleteableApiResource", "CountableApiResource",
    "ListableApiSubResource", "CreateableApiSubResource", "UpdateableApiSubResource",
    "DeleteableApiSubResource", "CollectionDeleteableApiSubResource", "CountableApiSubResource",
    "REGISTRY",
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
        if name.startswith("__"):
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

    @property
    def connection(self):
        """The connection this object was fetched through (``None`` for a bare Mapping)."""
        return getattr(self, "_connection", None)


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
    return obj["id"]


class classget:
    """``get`` that is the API call on the class (``Products.get(1)``) and ``dict.get`` on an object."""

    def __init__(self, func):
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is not None:
            return dict.get.__get__(obj)
        return self.func.__get__(owner)


class ApiResource(Mapping):
    """A top-level resource at ``{api root}/{resource_name}``."""

    __slots__ = ()
    resource_name: str = ""

    @classmethod
    def _collection_path(cls, parent_id: Any = None) -> str:
        return cls.resource_name

    @classget
    def get(cls, resource_id: Any, connection=None, **filters):
        """GET one object by id."""
        data = _require_connection(connection).get(cls.resource_name, resource_id, **filters)
        return wrap(cls, data, connection)

    def _object_path(self) -> str:
        from bigcommerce.connection import Connection

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
        from bigcommerce.connection import _path_segment

        if parent_id is None:
            raise TypeError(f"{cls.__name__} needs the id of its parent ({cls.parent_resource})")
        return f"{cls.parent_resource}/{_path_segment(parent_id)}/{cls.resource_name}"

    @classget
    def get(cls, parent_id: Any, resource_id: Any = None, connection=None, **filters):
        """GET one object (``get(parent_id, id)``) or, with no id, the parent's list (``get(parent_id)``)."""
        connection = _require_connection(connection)
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
        from bigcommerce.connection import Connection

        return Connection._resource_path(self._collection_path(self._parent()), _require_id(self))


# -- pagination ------------------------------------------------------------------------------------

def _pages(connection, path: str, filters: Dict[str, Any], concurrency: int = 1) -> Iterator[list]:
    """Yield every page of ``path`` (lists of raw dicts), first to last.

    Pages are asked for with ``limit`` (default 250) from ``page`` (default 1). The walk ends on a 204 or
    empty page, on a page shorter than ``limit``, or on an answer that is not a page (a single object,
    or an endpoint that ignores paging and sends the same page again). With ``concurrency`` N > 1 up to
    N pages are in flight at once; at most N-1 pages past the end are asked for.
    """
    filters = dict(filters)
    limit = int(filters.pop("limit", MAX_PAGE_SIZE))
    page = int(filters.pop("page", 1))
    if limit < 1 or page < 1:
        raise ValueError("limit and page must be positive")
    fetch = lambda number: connection.get(path, limit=limit, page=number, **filters)  # noqa: E731
    if concurrency <= 1:
        results = (fetch(number) for number in _count_from(page))
        yield from _until_end(results, limit)
        return
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bigcommerce-page") as pool:
        window = [pool.submit(fetch, page + offset) for offset in range(concurrency)]
        next_page = page + concurrency

        def in_order():
            nonlocal next_page
            while window:
                future = window.pop(0)
                yield future.result()
                window.append(pool.submit(fetch, next_page))
                next_page += 1

        try:
            yield from _until_end(in_order(), limit)
        finally:
            for future in window:
                future.cancel()


def _count_from(start: int) -> Iterator[int]:
    while True:
        yield start
        start += 1


def _until_end(results: Iterator[Any], limit: int) -> Iterator[list]:
    previous_first = None
    for data in results:
        if not data:
            return
        if not isinstance(data, list):
            yield [data]
            return
        first = data[0].get("id") if isinstance(data[0], dict) else data[0]
        if previous_first is not None and first == previous_first:
            return  # the endpoint ignores paging: this page is the last one again
        yield data
        if len(data) < limit or len(data) > limit:
            return
        previous_first = first


# -- mixins for top-level resources ----------------------------------------------------------------

class ListableApiResource(ApiResource):
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
        connection = _require_connection(connection)
        for data in _pages(connection, cls.resource_name, filters, concurrency):
            yield from wrap(cls, data, connection)


class CreateableApiResource(ApiResource):
    __slots__ = ()

    @classmethod
    def create(cls, connection=None, **fields):
        """POST a new object and return it as the server stored it."""
        connection = _require_connection(connection)
        return wrap(cls, connection.post(cls.resource_name, fields), connection)


class UpdateableApiResource(ApiResource):
    __slots__ = ()

    def update(self, **fields):
        """PUT the given fields and return the updated object (this object is refreshed too)."""
        connection = _require_connection(self._connection)
        data = connection.put(self._object_path(), fields)
        if isinstance(data, dict):
            dict.update(self, data)
        return wrap(type(self), data, connection)


class DeleteableApiResource(ApiResource):
    __slots__ = ()

    def delete(self):
        """DELETE this object."""
        return _require_connection(self._connection).delete(self._object_path())


class CollectionDeleteableApiResource(ApiResource):
    __slots__ = ()

    @classmethod
    def delete_all(cls, connection=None):
        """DELETE the whole collection."""
        return _require_connection(connection).delete(cls.resource_name)


class CountableApiResource(ApiResource):
    __slots__ = ()

    @classmethod
    def count(cls, connection=None, **filters) -> int:
        """GET ``/count`` with the same filters as ``all``; returns the number."""
        data = _require_connection(connection).get(f"{cls.resource_name}/count", **filters)
        return int(data["count"]) if isinstance(data, dict) else 0


# -- mixins for sub-resources ----------------------------------------------------------------------

class ListableApiSubResource(ApiSubResource):
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
        connection = _require_connection(connection)
        for data in _pages(connection, cls._collection_path(parent_id), filters, concurrency):
            yield from wrap(cls, data, connection, parent_id)


class CreateableApiSubResource(ApiSubResource):
    __slots__ = ()

    @classmethod
    def create(cls, parent_id: Any, connection=None, **fields):
        """POST a new object under the parent."""
        connection = _require_connection(connection)
        return wrap(cls, connection.post(cls._collection_path(parent_id), fields), connection, parent_id)


class UpdateableApiSubResource(ApiSubResource):
    __slots__ = ()

    update = UpdateableApiResource.update


class DeleteableApiSubResource(ApiSubResource):
    __slots__ = ()

    delete = DeleteableApiResource.delete


class CollectionDeleteableApiSubResource(ApiSubResource):
    __slots__ = ()

    @classmethod
    def delete_all(cls, parent_id: Any, connection=None):
        """DELETE every object under the parent."""
        return _require_connection(connection).delete(cls._collection_path(parent_id))


class CountableApiSubResource(ApiSubResource):
    __slots__ = ()

    @classmethod
    def count(cls, parent_id: Any = None, connection=None, **filters) -> int:
        """Count under one parent (``count(parent_id)``) or store-wide (``count()``)."""
        if parent_id is None:
            path = f"{cls.parent_resource}/{cls.resource_name}/count"
        else:
            path = f"{cls._collection_path(parent_id)}/count"
        data = _require_connection(connection).get(path, **filters)
        return int(data["count"]) if isinstance(data, dict) else 0


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
            return sub.get(_require_id(obj), resource_id, connection=obj._connection, **filters)

        helper.__name__ = self.name
        helper.__doc__ = f"The {self.class_name} of this object (one of them when given an id)."
        return helper
