"""Classic-style tests: a ``MagicMock`` connection passed positionally, and the exact ``make_request`` call.

This is how merchants' own suites test code written against the classic client, so every operation of
every resource class must call ``connection.make_request(method, url, data, params, headers)``
positionally, exactly as the classic client did (``Orders.all(connection, limit=3)`` ->
``make_request('GET', 'orders', None, {'limit': 3}, None)``).

``cases(cls)`` derives, from a class's declared paths and capability mixins (the classic rules), the
calls each of its operations must make; ``test_every_operation_makes_the_classic_call`` runs them all,
and ``test_the_table_covers_every_operation`` checks that no operation of any class is left out.
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple
from unittest.mock import MagicMock

import pytest

import bigcommerce.resources as resources
from bigcommerce.api import ApiResourceWrapper, BigcommerceApi
from bigcommerce.resources import REGISTRY
from bigcommerce.resources.base import (
    ApiResource,
    ApiSubResource,
    CollectionDeleteableApiResource,
    CollectionDeleteableApiSubResource,
    CountableApiResource,
    CountableApiSubResource,
    CreateableApiResource,
    CreateableApiSubResource,
    DeleteableApiResource,
    DeleteableApiSubResource,
    ListableApiResource,
    ListableApiSubResource,
    SingleObjectApiResource,
    SingleObjectApiSubResource,
    SingleObjectApiSubSubResource,
    UpdateableApiResource,
    UpdateableApiSubResource,
    subresource,
)
from bigcommerce.resources.customers import Customers
from bigcommerce.resources.store import ShippingCarrierConnection

LIST = [{"id": 7, "name": "seven"}]
ONE = {"id": 7, "name": "seven"}


class Case(NamedTuple):
    """One operation and the classic call it must make.

    A class-level operation is called as ``getattr(cls, op)(*args, connection, **kwargs)`` (the mock
    passed positionally, as classic suites do; ``keyword`` passes ``connection=`` instead, for a
    store-wide listing whose first positional parameter is the parent id). An object operation
    (``payload`` given) is called on ``cls(payload, _connection=connection)``.
    """

    cls: type
    op: str
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]
    answer: Any
    call: Tuple[Any, ...]  # (method, url, data, params, headers)
    check: Callable[[Any], None]  # on what the operation returned
    payload: Optional[Dict[str, Any]] = None
    parent: Any = None
    keyword: bool = False

    @property
    def label(self) -> str:
        shown = ", ".join([*map(repr, self.args), *(f"{k}={v!r}" for k, v in self.kwargs.items())])
        return f"{self.cls.__name__}.{self.op}({shown})"

    def run(self, connection: Any) -> Any:
        if self.payload is not None:
            obj = self.cls(self.payload, _connection=connection)
            if self.parent is not None:
                obj._parent_id = self.parent
            result = getattr(obj, self.op)(*self.args, **self.kwargs)
        elif self.keyword:
            result = getattr(self.cls, self.op)(*self.args, connection=connection, **self.kwargs)
        else:
            result = getattr(self.cls, self.op)(*self.args, connection, **self.kwargs)
        return list(result) if self.op == "iterall" else result

    def run_bound(self, wrapper: Any) -> Any:
        result = getattr(wrapper, self.op)(*self.args, **self.kwargs)
        return list(result) if self.op == "iterall" else result


def _is(cls: type, many: bool = False) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        if many:
            assert isinstance(result, list) and [type(o) for o in result] == [cls]
            assert result[0].connection is not None
        else:
            assert type(result) is cls and result["id"] == 7

    return check


def _equals(value: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert result == value

    return check


def cases(cls: type) -> List[Case]:
    """The classic calls of every operation ``cls`` offers, derived from its paths and mixins."""
    name = cls.resource_name
    out: List[Case] = []

    def add(
        op: str,
        args: Tuple[Any, ...],
        kwargs: Dict[str, Any],
        answer: Any,
        call: Tuple[Any, ...],
        check: Callable[[Any], None],
        **extra: Any,
    ) -> None:
        out.append(Case(cls, op, args, kwargs, answer, call, check, **extra))

    one, many = _is(cls), _is(cls, many=True)
    if cls is ShippingCarrierConnection:
        settings = {"auth_key": "k", "test_mode": False}
        body = {"carrier_id": "auspost", "connection": settings}
        add("create", ("auspost", settings), {}, None, ("POST", name, body, None, None), _equals(None))
        add("update", ("auspost", settings), {}, None, ("PUT", name, body, None, None), _equals(None))
        add("delete", ("fedex",), {}, None, ("DELETE", name, {"carrier_id": "fedex"}, None, None), _equals(None))
        return out

    if issubclass(cls, SingleObjectApiResource):
        for op in ("all", "get"):
            add(op, (), {}, ONE, ("GET", name, None, {}, None), one)
        add("iterall", (), {}, ONE, ("GET", name, None, {}, None), many)
        return out

    if issubclass(cls, SingleObjectApiSubSubResource):
        path = f"{cls.gparent_resource}/5/{cls.parent_resource}/6/{name}"
        for op in ("all", "get"):
            add(op, (5, 6), {}, ONE, ("GET", path, None, {}, None), one)
        return out

    if issubclass(cls, ApiSubResource):
        collection = f"{cls.parent_resource}/5/{name}"
        item = f"{collection}/7"
        store_wide = f"{cls.parent_resource}/{name}"
        # An object knows its parent from its payload, or (no parent key) from the call that fetched it.
        payload = {"id": 7, cls.parent_key: 5} if cls.parent_key else {"id": 7}
        parent = None if cls.parent_key else 5
        if issubclass(cls, SingleObjectApiSubResource):
            for op in ("all", "get"):
                add(op, (5,), {}, ONE, ("GET", collection, None, {}, None), one)
            return out
        if hasattr(cls, "get"):
            add("get", (5, 7), {}, ONE, ("GET", item, None, {}, None), one)
            add("get", (5,), {}, LIST, ("GET", collection, None, {}, None), many, keyword=True)
        if issubclass(cls, ListableApiSubResource):
            add("all", (5,), {"limit": 2}, LIST, ("GET", collection, None, {"limit": 2}, None), many)
            add(
                "all", (), {"sku": "ABC-1"}, LIST, ("GET", store_wide, None, {"sku": "ABC-1"}, None), many, keyword=True
            )
            add("iterall", (5,), {}, LIST, ("GET", collection, None, {"page": 1, "limit": 250}, None), many)
            add(
                "iterall",
                (),
                {"sku": "ABC-1"},
                LIST,
                ("GET", store_wide, None, {"sku": "ABC-1", "page": 1, "limit": 250}, None),
                many,
                keyword=True,
            )
        if issubclass(cls, CreateableApiSubResource):
            add("create", (5,), {"name": "Hello"}, ONE, ("POST", collection, {"name": "Hello"}, None, None), one)
        if issubclass(cls, UpdateableApiSubResource):
            add(
                "update",
                (),
                {"name": "x"},
                ONE,
                ("PUT", item, {"name": "x"}, None, None),
                one,
                payload=payload,
                parent=parent,
            )
        if issubclass(cls, DeleteableApiSubResource):
            add(
                "delete",
                (),
                {},
                None,
                ("DELETE", item, None, None, None),
                _equals(None),
                payload=payload,
                parent=parent,
            )
        if issubclass(cls, CollectionDeleteableApiSubResource):
            add("delete_all", (5,), {}, None, ("DELETE", collection, None, None, None), _equals(None))
        if issubclass(cls, CountableApiSubResource):
            add(
                "count",
                (5,),
                {"is_visible": True},
                {"count": 3},
                ("GET", f"{collection}/count", None, {"is_visible": True}, None),
                _equals(3),
            )
            add("count", (), {}, {"count": 4}, ("GET", f"{store_wide}/count", None, {}, None), _equals(4), keyword=True)
        if cls is resources.OrderShippingAddresses:  # the helper to the list two levels down
            add(
                "shipping_quotes",
                (),
                {},
                ONE,
                ("GET", f"{item}/shipping_quotes", None, {}, None),
                _is(resources.OrderShippingQuotes),
                payload=payload,
            )
        return out

    item = f"{name}/7"
    if hasattr(cls, "get"):
        add("get", (7,), {}, ONE, ("GET", item, None, {}, None), one)
        add("get", (7,), {"include": "x"}, ONE, ("GET", item, None, {"include": "x"}, None), one)
    if issubclass(cls, ListableApiResource):
        add("all", (), {"limit": 3}, LIST, ("GET", name, None, {"limit": 3}, None), many)
        add("all", (), {}, LIST, ("GET", name, None, {}, None), many)
        paging = {"page": 1, "limit": 250} if cls.paged else {}  # BlogTags takes no paging parameters
        add("iterall", (), {"is_visible": True}, LIST, ("GET", name, None, {"is_visible": True, **paging}, None), many)
    if issubclass(cls, CreateableApiResource):
        add("create", (), {"name": "Hello"}, ONE, ("POST", name, {"name": "Hello"}, None, None), one)
    if issubclass(cls, UpdateableApiResource):
        add("update", (), {"name": "order"}, ONE, ("PUT", item, {"name": "order"}, None, None), one, payload={"id": 7})
    if issubclass(cls, DeleteableApiResource):
        add("delete", (), {}, None, ("DELETE", item, None, None, None), _equals(None), payload={"id": 7})
    if issubclass(cls, CollectionDeleteableApiResource):
        add("delete_all", (), {}, None, ("DELETE", name, None, None, None), _equals(None))
    if issubclass(cls, CountableApiResource):
        add(
            "count",
            (),
            {"is_visible": True},
            {"count": 2},
            ("GET", f"{name}/count", None, {"is_visible": True}, None),
            _equals(2),
        )
    if cls is Customers:
        add(
            "validate_password",
            (5, "hunter2"),
            {},
            {"success": True},
            ("POST", "customers/5/validate", {"password": "hunter2"}, None, None),
            _equals(True),
        )
    for attr, helper in _helpers(cls):
        sub = REGISTRY[helper.class_name]
        below = f"{name}/7/{sub.resource_name}"
        if issubclass(sub, SingleObjectApiSubResource):
            add(attr, (), {}, ONE, ("GET", below, None, {}, None), _is(sub), payload={"id": 7})
            continue
        add(attr, (), {}, LIST, ("GET", below, None, {}, None), _is(sub, many=True), payload={"id": 7})
        add(attr, (9,), {}, ONE, ("GET", f"{below}/9", None, {}, None), _type_is(sub), payload={"id": 7})
    return out


def _type_is(cls: type) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert type(result) is cls

    return check


def _helpers(cls: type) -> List[Tuple[str, subresource]]:
    """The ``parent.<helper>()`` of a top-level class (name, declaration)."""
    found = {}
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            if isinstance(value, subresource) and not issubclass(cls, ApiSubResource):
                found[attr] = value
    return sorted(found.items())


ALL_CASES = [case for name in sorted(REGISTRY) for case in cases(REGISTRY[name])]
IDS = [c.label for c in ALL_CASES]


@pytest.mark.parametrize("case", ALL_CASES, ids=IDS)
def test_every_operation_makes_the_classic_call(case):
    connection = MagicMock()
    connection.make_request.return_value = case.answer
    result = case.run(connection)
    connection.make_request.assert_called_once_with(*case.call)
    # Nothing else of the connection was used: the choke point is the only way out.
    assert [c[0] for c in connection.method_calls] == ["make_request"]
    case.check(result)


@pytest.mark.parametrize(
    "case", [c for c in ALL_CASES if c.payload is None], ids=[c.label for c in ALL_CASES if c.payload is None]
)
def test_the_bound_resource_makes_the_same_call(case):
    """``api.Orders.all(limit=3)`` (the wrapper fills the connection in) sends what
    ``Orders.all(connection, limit=3)`` sends, and gets the same objects back."""
    api = MagicMock()
    api.connection.make_request.return_value = case.answer
    result = case.run_bound(ApiResourceWrapper(case.cls.__name__, api))
    api.connection.make_request.assert_called_once_with(*case.call)
    case.check(result)


def class_level_operations(cls: type) -> set:
    """The public classmethods of a resource class (``get`` included): its class-level operations."""
    names = set()
    for name in dir(cls):
        if name.startswith("_"):
            continue
        try:
            value = getattr(cls, name)
        except AttributeError:
            continue
        if inspect.ismethod(value) and value.__self__ is cls:
            names.add(name)
    return names


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_the_table_covers_every_operation(name):
    cls = REGISTRY[name]
    covered = {c.op for c in cases(cls)}
    expected = class_level_operations(cls)
    if issubclass(cls, (UpdateableApiResource, UpdateableApiSubResource)):
        expected.add("update")
    if issubclass(cls, (DeleteableApiResource, DeleteableApiSubResource)):
        expected.add("delete")
    for klass in cls.__mro__:
        expected.update(attr for attr, value in vars(klass).items() if isinstance(value, subresource))
    assert expected and expected <= covered, f"{name}: no classic-call case for {sorted(expected - covered)}"


# -- the classic test suite's own shapes -------------------------------------------------------------


def test_the_classic_suites_examples():
    connection = MagicMock()
    connection.make_request.return_value = [{"id": 1}, {"id": 2}, {"id": 2}]
    result = resources.Orders.all(connection, limit=3)
    assert len(list(result)) == 3
    connection.make_request.assert_called_once_with("GET", "orders", None, {"limit": 3}, None)

    connection = MagicMock()
    connection.make_request.return_value = {"id": 2}
    result = resources.OrderCoupons.get(1, 2, connection)
    assert isinstance(result, resources.OrderCoupons) and result.id == 2
    connection.make_request.assert_called_once_with("GET", "orders/1/coupons/2", None, {}, None)

    connection = MagicMock()
    connection.make_request.return_value = {"id": 1}
    order = resources.OrderShipments({"id": 1, "order_id": 2}, _connection=connection)
    assert isinstance(order.update(tracking_number="1234"), resources.OrderShipments)
    connection.make_request.assert_called_once_with(
        "PUT", "orders/2/shipments/1", {"tracking_number": "1234"}, None, None
    )

    connection = MagicMock()
    connection.make_request.return_value = {"count": 2}
    assert resources.OrderShipments.count(connection=connection, is_visible=True) == 2
    connection.make_request.assert_called_once_with("GET", "orders/shipments/count", None, {"is_visible": True}, None)


def test_a_bare_mock_answer_still_counts_as_the_classic_did():
    # A MagicMock's answer is not parsed JSON: count indexes it as the classic client did.
    connection = MagicMock()
    number = resources.Products.count(connection)
    assert number is connection.make_request.return_value["count"]


def test_delete_keeps_our_answers_for_empty_bodies():
    # The classic client turned a 204 into {} (and a bogus object); ours gives None (docs/compatibility.rst).
    for answer in (None, {}, ""):
        connection = MagicMock()
        connection.make_request.return_value = answer
        assert resources.Orders({"id": 1}, _connection=connection).delete() is None
    connection = MagicMock()
    connection.make_request.return_value = None
    assert resources.Orders.all(connection) == [] and resources.Products.count(connection) == 0


def test_id_zero_is_an_id_in_every_classic_call():
    connection = MagicMock()
    connection.make_request.return_value = {"id": 0}
    resources.OrderStatuses.get(0, connection)
    resources.ProductImages.get(0, 0, connection)
    resources.Orders({"id": 0}, _connection=connection).delete()
    assert [c.args[:2] for c in connection.make_request.call_args_list] == [
        ("GET", "order_statuses/0"),
        ("GET", "products/0/images/0"),
        ("DELETE", "orders/0"),
    ]


# -- objects as the classic built them -----------------------------------------------------------------


def test_objects_built_with_a_connection_use_it():
    connection = MagicMock()
    order = resources.Orders({"id": 1}, _connection=connection)
    assert order.connection is connection and dict(order) == {"id": 1}
    assert "_connection" not in order
    assert resources.Orders(id=3)["id"] == 3 and resources.Orders().connection is None


def test_str_is_the_payload_and_repr_shows_class_id_and_payload():
    order = resources.Orders({"id": 1, "status": "Shipped"}, _connection=MagicMock())
    assert str(order) == "{'id': 1, 'status': 'Shipped'}"
    assert re.fullmatch(r"<Orders id=1 at 0x[0-9a-f]+> \{'id': 1, 'status': 'Shipped'\}", repr(order))
    assert str(resources.Mapping({"id": 1})) == str({"id": 1})


@pytest.mark.parametrize(
    "cls, payload, parent",
    [
        (resources.OrderCoupons, {"id": 2, "order_id": 1}, 1),
        (resources.ProductImages, {"id": 2, "product_id": "abc"}, "abc"),
        (resources.CountryStates, {"id": 2, "country_id": 226}, 226),
    ],
)
def test_sub_resource_objects_know_their_parent(cls, payload, parent):
    assert cls(payload).parent_id() == parent


def test_parent_id_prefers_the_id_it_was_fetched_under():
    connection = MagicMock()
    connection.make_request.return_value = [{"id": 3, "name": "Flat Rate"}]  # methods carry no zone id
    (method,) = resources.ShippingZoneMethods.all(4, connection)
    assert method.parent_id() == 4
    with pytest.raises(ValueError, match="parent"):
        resources.ShippingZoneMethods({"id": 3}).parent_id()
    connection.make_request.return_value = {"id": "24"}
    quote = resources.OrderShippingQuotes.get(5, 6, connection)
    assert (quote.gparent_id(), quote.parent_id()) == (5, 6)


# -- the wrapper by name ---------------------------------------------------------------------------------


def test_the_wrapper_takes_a_class_or_its_name():
    api = MagicMock()
    wrapper = ApiResourceWrapper("Products", api)
    assert wrapper.resource_class is resources.Products and wrapper.connection is api.connection
    assert ApiResourceWrapper(resources.Products, api).resource_class is resources.Products
    assert ApiResourceWrapper("ApiResource", api).resource_class is ApiResource
    assert ApiResourceWrapper.str_to_class("Orders") is resources.Orders
    with pytest.raises(AttributeError):
        ApiResourceWrapper.str_to_class("ApiResourceWhichDoesNotExist")
    with pytest.raises(AttributeError):
        ApiResourceWrapper.str_to_class("REGISTRY")


def test_the_wrapper_passes_the_connection_to_a_replaced_operation(monkeypatch):
    # The classic suite replaces a resource method with a mock and calls it through the wrapper.
    api = MagicMock()
    mock = MagicMock(return_value="got")
    monkeypatch.setattr(ApiResource, "get", mock)
    wrapper = ApiResourceWrapper("ApiResource", api)
    assert wrapper.get(1) == "got"
    mock.assert_called_once_with(1, connection=api.connection)


def test_api_resources_are_wrappers_with_the_api_connection():
    api = BigcommerceApi(client_id="c", store_hash="h", access_token="t")
    assert isinstance(api.Products, ApiResourceWrapper)
    assert api.Products is api.Products and api.Products.connection is api.connection
    assert api.Products.resource_name == "products"


def test_api_resources_over_a_mock_connection():
    api = BigcommerceApi(client_id="c", store_hash="h", access_token="t")
    api.connection = MagicMock()
    api.connection.make_request.return_value = [{"id": 1, "sku": "ABC-1", "product_id": 9}]
    (sku,) = api.ProductSkus.all(sku="ABC-1")
    api.connection.make_request.assert_called_once_with("GET", "products/skus", None, {"sku": "ABC-1"}, None)
    assert type(sku) is resources.ProductSkus and sku.parent_id() == 9


def test_iterall_with_default_concurrency_sends_through_make_request_only():
    connection = MagicMock()
    connection.make_request.side_effect = [[{"id": n} for n in range(1, 3)]]
    got = list(resources.ProductSkus.iterall(connection=connection, sku="ABC-1", limit=5))
    assert [o["id"] for o in got] == [1, 2]
    connection.make_request.assert_called_once_with(
        "GET", "products/skus", None, {"sku": "ABC-1", "page": 1, "limit": 5}, None
    )
    assert not connection.send.called
