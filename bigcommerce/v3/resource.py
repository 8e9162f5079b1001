"""v3 resources declared as tables, and the operations every table row gets.

A resource class is a v2-style object type (a subclass of :class:`bigcommerce.resources.base.Mapping`,
so a plain ``dict`` with attribute access) plus one :class:`Table` row saying where it lives and what
the API documents on it::

    class ProductVariants(V3Resource):
        v3 = Table("catalog/products/{product_id}/variants", "{variant_id}",
                   "all iterall get create update delete")

``api.v3.ProductVariants`` is that class bound to the store (a :class:`Bound`): ids are positional,
parents first (``all(product_id)``, ``get(product_id, variant_id)``); filters and fields are keywords.

=================  ===========================  =================================================
operation          HTTP                         returns
=================  ===========================  =================================================
``all``            GET collection (one page)    :class:`V3List` of objects, ``.meta`` the page's meta
``iterall``        GET collection, every page   iterator of objects (page or cursor pagination)
``get``            GET item                     one object (``.meta`` the answer's meta)
``create``         POST collection, an object   the created object
``update``         PUT item, an object          the updated object
``delete``         DELETE item                  ``None``
``delete_all``     DELETE collection + filters  ``None``
``batch_create``   POST collection, a list      :class:`V3List`, chunked at the table's batch size
``batch_update``   PUT collection, a list       :class:`V3List`, chunked at the table's batch size
``batch_delete``   DELETE collection, ids       ``None``, chunked (``?id:in=`` or a JSON body)
``action``         anything else (``capture``)  the answer's object(s)
=================  ===========================  =================================================

A row without an item segment is one object rather than a collection (``customers/settings``): its
``get``, ``update`` and ``delete`` address the path itself. An operation the row does not list raises
``TypeError`` before anything is sent. Errors and 207s are those of :class:`bigcommerce.v3.core.PathClient`,
through which every request goes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Dict,
    FrozenSet,
    Generic,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)
from urllib.parse import quote

from urllib3 import encode_multipart_formdata

from bigcommerce.exception import InvalidResponseException
from bigcommerce.resources import base
from bigcommerce.v3.core import DEFAULT_BATCH_SIZE, DELETE_BATCH_SIZE, PartialSuccess, PathClient

__all__ = [
    "V3Resource",
    "V3List",
    "Table",
    "Action",
    "Bound",
    "bound",
    "children",
    "V3_REGISTRY",
    "OPERATIONS",
    "Id",
    "METAFIELD_BATCH",
    "store_metafields",
]

Id = Union[int, str]
T = TypeVar("T", bound="V3Resource")

#: Every operation name, and (HTTP method, addresses the item?) for each.
OPERATIONS: Dict[str, Tuple[str, bool]] = {
    "all": ("GET", False),
    "iterall": ("GET", False),
    "get": ("GET", True),
    "create": ("POST", False),
    "update": ("PUT", True),
    "delete": ("DELETE", True),
    "delete_all": ("DELETE", False),
    "batch_create": ("POST", False),
    "batch_update": ("PUT", False),
    "batch_delete": ("DELETE", False),
}

#: Metafields per batch request: what the store enforces (the reference gives no number).
METAFIELD_BATCH = 50

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

#: Every v3 resource class by name (``Products``...); separate from v2's ``REGISTRY``.
V3_REGISTRY: Dict[str, Type["V3Resource"]] = {}


@dataclass(frozen=True)
class Action:
    """A documented operation that is not CRUD: ``method`` on ``template`` (below the row's path)."""

    method: str
    template: str
    multipart: bool = False  #: the body is a file upload (``image_file=``), not JSON


@dataclass(frozen=True)
class Table:
    """One resource's row: where it lives and what the API documents on it.

    ``path`` is the collection (relative to ``/v3/``, parents as ``{placeholders}``); ``item`` the
    segment(s) of one object below it (``""`` for a single object); ``operations`` the documented
    operations, space separated; ``batch_size`` the documented items per batch request;
    ``update_size`` that of ``batch_update`` when it differs; ``delete_param`` the query parameter
    of ``batch_delete`` (``None``: ids as a JSON array body).
    """

    path: str
    item: str = ""
    operations: str = ""
    batch_size: int = DEFAULT_BATCH_SIZE
    update_size: Optional[int] = None
    delete_param: Optional[str] = "id:in"
    delete_size: int = DELETE_BATCH_SIZE
    actions: Mapping[str, Action] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = self.ops - set(OPERATIONS)
        if unknown:
            raise ValueError(f"{self.path}: unknown operations {sorted(unknown)}")

    @property
    def ops(self) -> FrozenSet[str]:
        """The operation names of this row."""
        names = set(self.operations.split())
        if "all" in names:
            names.add("iterall")
        return frozenset(names)

    @property
    def parents(self) -> List[str]:
        """The placeholders of the collection path: the ids every call starts with."""
        return _PLACEHOLDER.findall(self.path)

    def template(self, op: str) -> str:
        """The path template ``op`` sends to (for the coverage test and error messages)."""
        on_item = OPERATIONS[op][1] and self.item
        return f"{self.path}/{self.item}" if on_item else self.path

    def documented(self) -> List[Tuple[str, str, str]]:
        """``(method name, HTTP method, path template)`` of every operation of this row."""
        rows = [(op, OPERATIONS[op][0], self.template(op)) for op in sorted(self.ops)]
        rows += [(name, action.method, f"{self.path}/{action.template}") for name, action in self.actions.items()]
        return rows


def store_metafields(path: str) -> Table:
    """The row of a store-wide metafields collection (``catalog/products/metafields``...): list,
    batch create, update and delete, :data:`METAFIELD_BATCH` a request, deletes as a JSON body of ids."""
    return Table(
        path,
        "",
        "all batch_create batch_update batch_delete",
        batch_size=METAFIELD_BATCH,
        delete_param=None,
    )


class V3Resource(base.Mapping):  # type: ignore[no-untyped-call, unused-ignore]  # Mapping's hook is untyped
    """A v3 object: a ``dict`` of the payload, like a v2 object, with the answer's ``meta``.

    Like a v2 object it can ``update(**fields)`` and ``delete()`` itself in the store, where the API
    documents those on it. Subclasses declare ``v3 = Table(...)``; those that do are registered in :data:`V3_REGISTRY`.
    """

    __slots__ = ("_meta",)
    v3: ClassVar[Table]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cast(Any, super()).__init_subclass__(**kwargs)  # Mapping's hook is not annotated
        if "v3" in cls.__dict__ and not cls.__name__.startswith("_"):
            V3_REGISTRY[cls.__name__] = cls

    @property
    def meta(self) -> Dict[str, Any]:
        """The ``meta`` of the answer this object came in (``{}`` when there was none).

        A payload field named ``meta`` stays reachable as ``obj["meta"]``."""
        value = getattr(self, "_meta", None)
        return value if isinstance(value, dict) else {}

    @property
    def parent_ids(self) -> Tuple[Any, ...]:
        """The ids of this object's parents, outermost first (``(product_id,)`` for a variant)."""
        known = getattr(self, "_parent_id", None)
        if isinstance(known, tuple):
            return known
        return tuple(dict.get(self, name) for name in type(self).v3.parents)

    def update(self, **fields: Any) -> Any:  # type: ignore[override]  # v2 objects' update, not dict's
        """PUT ``fields`` to this object in the store, as a v2 object's ``update`` does; this object
        is refreshed with the answer, which is returned. (A local change is ``dict.update(obj, ...)``.)

        :raises TypeError: the API documents no update of such an object, or it has no connection."""
        resource, ids = self._addressed("update")
        updated = resource.update(*ids, **fields)
        dict.update(self, updated)
        return updated

    def delete(self) -> None:
        """DELETE this object in the store.

        :raises TypeError: the API documents no delete of such an object, or it has no connection."""
        resource, ids = self._addressed("delete")
        resource.delete(*ids)

    def _addressed(self, op: str) -> Tuple["Bound[Any]", Tuple[Any, ...]]:
        """The bound resource that documents ``op`` on this object (its own table, else the nearest
        base class's: a store-wide ``Variants`` object is updated as a ``ProductVariants``) and the
        ids that address the object there."""
        if self.connection is None:
            raise TypeError(f"this {type(self).__name__} has no connection: fetch it through api.v3")
        for cls in type(self).__mro__:
            table = cls.__dict__.get("v3")
            if isinstance(table, Table) and op in table.ops:
                return Bound(cls, PathClient(self.connection)), self._ids(table)
        batch = f"batch_{op}"
        hint = f"; use api.v3.{type(self).__name__}.{batch}([...])" if batch in type(self).v3.ops else ""
        raise TypeError(f"{type(self).__name__} objects have no {op}(): the API documents none{hint}")

    def _ids(self, table: Table) -> Tuple[Any, ...]:
        known = getattr(self, "_parent_id", None)
        parents = (
            known
            if isinstance(known, tuple) and len(known) == len(table.parents)
            else tuple(dict.get(self, name) for name in table.parents)
        )
        own = _PLACEHOLDER.findall(table.item)
        if len(own) == 1:
            return (*parents, dict.get(self, "id"))
        # a record is named by its fields: {variant_id}/{currency_code} are variant_id and currency
        return (*parents, *(dict.get(self, name, dict.get(self, name.rsplit("_", 1)[0])) for name in own))


class V3List(List[T]):
    """A list of v3 objects, with the ``meta`` of the answer (``meta["pagination"]``...)."""

    def __init__(self, items: Iterable[T] = (), meta: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(items)
        self.meta: Dict[str, Any] = dict(meta or {})


def _make(
    cls: Type[T], data: Dict[str, Any], connection: Any, parents: Tuple[Any, ...], meta: Optional[Dict[str, Any]] = None
) -> T:
    obj = cls(data)
    obj._connection = connection
    obj._parent_id = parents
    obj._meta = meta
    return obj


def _fill(template: str, ids: Sequence[Any], what: str) -> str:
    """``template`` with its placeholders replaced by ``ids``, in order (each checked and escaped)."""
    names = _PLACEHOLDER.findall(template)
    if len(ids) != len(names):
        wanted = ", ".join(names) or "no ids"
        raise TypeError(f"{what} takes {len(names)} id(s) ({wanted}), got {len(ids)}")
    values = iter(ids)
    return _PLACEHOLDER.sub(lambda m: quote(str(base.check_id(next(values), m.group(1))), safe=""), template)


class Bound(Generic[T]):
    """A v3 resource bound to one store (``api.v3.Products``): the operations of its table.

    Every operation raises, before anything is sent, ``TypeError`` when the table does not document
    it or the number of ids is wrong and ``ValueError`` for an unusable id; a refused request raises
    the exceptions of :mod:`bigcommerce.exception` (a 207 :class:`~bigcommerce.v3.core.PartialSuccess`),
    as :class:`~bigcommerce.v3.core.PathClient` describes.
    """

    def __init__(self, resource: Type[T], client: PathClient) -> None:
        self.resource = resource
        self.client = client

    def __repr__(self) -> str:
        return f"<v3 {self.resource.__name__} at {self.resource.v3.path}>"

    def __dir__(self) -> List[str]:
        table = self.resource.v3
        hidden = set(OPERATIONS) - table.ops
        return sorted((set(super().__dir__()) - hidden) | set(table.actions))

    if not TYPE_CHECKING:  # hidden from mypy, so that a typo in an operation's name stays an error

        def __getattr__(self, name: str) -> Callable[..., Any]:
            # Actions read as methods (api.v3.OrderPaymentActions.capture(1)); typed code uses action().
            if not name.startswith("_") and name in self.resource.v3.actions:

                def call(*ids: Id, **fields: Any) -> Any:
                    return self.action(name, *ids, **fields)

                call.__name__ = name
                return call
            raise AttributeError(f"{self.resource.__name__} has no operation or action {name!r}")

    # -- helpers -----------------------------------------------------------------------------------

    def _table(self, op: str) -> Table:
        table = self.resource.v3
        if op not in table.ops:
            documented = ", ".join(sorted(table.ops | set(table.actions))) or "nothing"
            raise TypeError(f"{self.resource.__name__} has no {op}(): the API documents {documented} on {table.path}")
        return table

    def _path(self, op: str, ids: Sequence[Any]) -> str:
        return _fill(self._table(op).template(op), ids, f"{self.resource.__name__}.{op}()")

    def _parents(self, op: str, ids: Sequence[Any]) -> Tuple[Any, ...]:
        return tuple(ids[: len(self._table(op).parents)])

    def _one(self, body: Any, parents: Tuple[Any, ...], what: str) -> T:
        data, meta = _unwrap(body)
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if data is None:
            data = {}  # a 204: nothing was sent back
        if not isinstance(data, dict):
            raise InvalidResponseException(f"{what}: expected one object, got {type(data).__name__}")
        return _make(self.resource, data, self.client.connection, parents, meta)

    def _many(self, items: Any, parents: Tuple[Any, ...], meta: Optional[Dict[str, Any]] = None) -> V3List[T]:
        return V3List(self._objects(iter(items or []), parents), meta)

    def _split(self, op: str, args: Sequence[Any]) -> Tuple[Tuple[Any, ...], List[Any]]:
        """(parent ids, items) of a batch call: the last positional argument is the list."""
        if not args or isinstance(args[-1], (str, bytes, dict)) or not isinstance(args[-1], Iterable):
            raise TypeError(f"{self.resource.__name__}.{op}() takes the parent ids, then a list")
        return tuple(args[:-1]), list(args[-1])

    # -- operations --------------------------------------------------------------------------------

    def all(self, *parent_ids: Id, **filters: Any) -> V3List[T]:
        """GET one page of the collection: a :class:`V3List` whose ``meta`` has the pagination.

        Filters keep the API's spelling: ``**{"id:in": [1, 2], "name:like": "mug"}``, ``include=
        "variants,images"``, ``include_fields=[...]``, ``limit=``, ``page=`` (lists are comma-joined)."""
        path = self._path("all", parent_ids)
        body = self.client.get(path, filters)
        data, meta = _unwrap(body)
        if data is not None and not isinstance(data, list):
            data = [data]
        return self._many(data, tuple(parent_ids), meta)

    def iterall(
        self, *parent_ids: Id, concurrency: int = 1, limit: Optional[int] = None, **filters: Any
    ) -> Iterator[T]:
        """Every object of the collection, page after page, as the caller consumes them.

        Page and cursor pagination are both followed (see :meth:`PathClient.iterall`); with
        ``concurrency`` N > 1 up to N pages are fetched at once (page pagination only)."""
        path = self._path("iterall", parent_ids)  # checked now, not at the first next()
        items = self.client.iterall(path, filters, limit=limit, concurrency=concurrency)
        return self._objects(items, tuple(parent_ids))

    def _objects(self, items: Iterator[Any], parents: Tuple[Any, ...]) -> Iterator[T]:
        """Each dict of ``items`` as an object of this resource (anything else as it came)."""
        connection = self.client.connection
        resource = self.resource
        for item in items:
            yield _make(resource, item, connection, parents) if isinstance(item, dict) else item

    def get(self, *ids: Id, **filters: Any) -> T:
        """GET one object: ``get(id)``, ``get(parent_id, id)``, or ``get()`` for a single object.

        Filters such as ``include="variants"`` go as keywords."""
        path = self._path("get", ids)
        return self._one(self.client.get(path, filters), self._parents("get", ids), f"GET {path}")

    def create(self, *parent_ids: Id, **fields: Any) -> T:
        """POST one new object (``fields`` as its JSON); returns it as the store saved it."""
        path = self._path("create", parent_ids)
        return self._one(self.client.post(path, fields), tuple(parent_ids), f"POST {path}")

    def update(self, *ids: Id, **fields: Any) -> T:
        """PUT ``fields`` to one object (or to a single object such as settings); returns the result."""
        path = self._path("update", ids)
        return self._one(self.client.put(path, fields), self._parents("update", ids), f"PUT {path}")

    def delete(self, *ids: Id) -> None:
        """DELETE one object."""
        self.client.delete(self._path("delete", ids))

    def delete_all(self, *parent_ids: Id, **filters: Any) -> None:
        """DELETE the objects of the collection the filters select (``**{"id:in": [4, 5]}``)."""
        self.client.delete(self._path("delete_all", parent_ids), filters)

    def batch_create(self, *args: Any, chunk_size: Optional[int] = None) -> V3List[T]:
        """POST a list of new objects (``batch_create([..])`` or ``batch_create(parent_id, [..])``).

        Sent ``chunk_size`` at a time (default: the endpoint's documented batch size). Raises
        :class:`~bigcommerce.v3.core.PartialSuccess` when some were not applied (``.data`` holds
        the applied ones as objects of this resource)."""
        return self._batch("batch_create", "POST", args, chunk_size)

    def batch_update(self, *args: Any, chunk_size: Optional[int] = None) -> V3List[T]:
        """PUT a list of objects (each with its id, or the upsert keys); see :meth:`batch_create`."""
        return self._batch("batch_update", "PUT", args, chunk_size)

    def batch_delete(self, *args: Any, chunk_size: Optional[int] = None) -> None:
        """DELETE the objects with the given ids (``batch_delete([4, 5])``), in chunks."""
        parents, ids = self._split("batch_delete", args)
        table = self._table("batch_delete")
        self.client.batch_delete(
            self._path("batch_delete", parents), ids, chunk_size or table.delete_size, param=table.delete_param
        )

    def _batch(self, op: str, method: str, args: Sequence[Any], chunk_size: Optional[int]) -> V3List[T]:
        parents, items = self._split(op, args)
        path = self._path(op, parents)
        table = self._table(op)
        size = chunk_size or (table.update_size if op == "batch_update" and table.update_size else table.batch_size)
        run = self.client.batch_create if method == "POST" else self.client.batch_update
        try:
            return self._many(run(path, items, size), parents)
        except PartialSuccess as partial:
            partial.data = list(self._many(partial.data, parents))
            raise

    def action(self, name: str, *ids: Id, **fields: Any) -> Any:
        """Run a non-CRUD operation of the table (``action("capture", order_id)``).

        Returns the answer's object (an object of this resource), list (a :class:`V3List`) or
        ``None``. A multipart action (an image upload) takes ``image_file=`` bytes, an open binary
        file or ``(filename, bytes)``."""
        table = self.resource.v3
        action = table.actions.get(name)
        if action is None:
            raise TypeError(
                f"{self.resource.__name__} has no action {name!r}: it has {', '.join(table.actions) or 'none'}"
            )
        path = _fill(f"{table.path}/{action.template}", ids, f"{self.resource.__name__}.{name}()")
        parents = tuple(ids[: len(table.parents)])
        if action.multipart:
            body, content_type = encode_multipart_formdata({k: _upload(v) for k, v in fields.items()})
            answer = self.client.request(action.method, path, data=body, headers={"Content-Type": content_type})
        else:
            answer = self.client.request(action.method, path, data=fields or None)
        data, meta = _unwrap(answer)
        if isinstance(data, list):
            return self._many(data, parents, meta)
        if isinstance(data, dict):
            return _make(self.resource, data, self.client.connection, parents, meta)
        return data


def _unwrap(body: Any) -> Tuple[Any, Optional[Dict[str, Any]]]:
    """(data, meta) of a v3 answer: the ``{data, meta}`` envelope opened, anything else as it came."""
    if isinstance(body, dict) and "data" in body:
        meta = body.get("meta")
        return body["data"], meta if isinstance(meta, dict) else None
    return body, None


def _upload(value: Any) -> Any:
    """A multipart field: bytes or a binary file become ``(name, bytes)``; a tuple stays."""
    if isinstance(value, tuple):
        return value
    if hasattr(value, "read"):
        name = str(getattr(value, "name", "upload")).replace("\\", "/").rsplit("/", 1)[-1]
        return (name, value.read())
    if isinstance(value, bytes):
        return ("upload", value)
    return str(value)


@functools.lru_cache(maxsize=None)
def _bound_class(resource: Type[T]) -> Type[Bound[T]]:
    """A subclass of :class:`Bound` per resource, so that ``help(api.v3.Products)`` shows that
    resource's docstring and the operations its table documents."""
    table = resource.v3
    lines = [f"{op}: {http} /{template}" for op, http, template in table.documented()]
    doc = f"{(resource.__doc__ or '').strip()}\n\nOperations:\n\n" + "\n".join(f"* {line}" for line in lines)
    return type(
        f"Bound{resource.__name__}", (Bound,), {"__doc__": doc, "__module__": resource.__module__, "__slots__": ()}
    )


class bound(Generic[T]):
    """``V3Client.Products = bound(Products)``: the resource bound to each client, typed for mypy."""

    def __init__(self, resource: Type[T]) -> None:
        self.resource = resource
        self.__doc__ = resource.__doc__

    def __set_name__(self, owner: Any, name: str) -> None:
        if name != self.resource.__name__:
            raise TypeError(f"{owner.__name__}.{name} must be named after its resource {self.resource.__name__}")

    @overload
    def __get__(self, obj: None, owner: Any = None) -> "bound[T]": ...

    @overload
    def __get__(self, obj: PathClient, owner: Any = None) -> Bound[T]: ...

    def __get__(self, obj: Optional[PathClient], owner: Any = None) -> Union["bound[T]", Bound[T]]:
        if obj is None:
            return self
        resource = _bound_class(self.resource)(self.resource, obj)
        obj.__dict__[self.resource.__name__] = resource  # the next access skips the descriptor
        return resource


class children:
    """Declares ``obj.<name>()`` on a v3 object: its sub-resource's list, or one of them with an id.

    ``product.variants()`` is ``api.v3.ProductVariants.all(product.id)``; ``product.variants(7)``
    is ``...get(product.id, 7)``. Keyword arguments are the filters."""

    def __init__(self, class_name: str) -> None:
        self.class_name = class_name
        self.name = class_name

    def __set_name__(self, owner: Any, name: str) -> None:
        self.name = name

    def __get__(self, obj: Optional[V3Resource], owner: Any = None) -> Any:
        if obj is None:
            return self
        sub = V3_REGISTRY[self.class_name]
        connection = obj.connection
        if connection is None:
            raise TypeError(f"this {type(obj).__name__} has no connection: fetch it through api.v3")
        outer = len(sub.v3.parents) - 1  # the object's own parents, then its id
        parents = obj.parent_ids[-outer:] if outer else ()
        if len(parents) != outer:
            parents = tuple(dict.get(obj, name) for name in sub.v3.parents[:outer])
        prefix = (*parents, dict.get(obj, "id"))
        resource = Bound(sub, PathClient(connection))

        def helper(*ids: Id, **filters: Any) -> Any:
            return resource.get(*prefix, *ids, **filters) if ids else resource.all(*prefix, **filters)

        helper.__name__ = self.name
        helper.__doc__ = f"The {self.class_name} of this object (one of them when given its id)."
        return helper
