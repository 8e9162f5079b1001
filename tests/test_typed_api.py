"""The resources as declared attributes of ``BigcommerceApi``, and what ``dir``/``help``/``inspect`` show.

``BigcommerceApi`` declares one attribute per resource class (so type checkers and editors know them);
these tests check that the declarations and ``bigcommerce.resources.REGISTRY`` agree, and that a
bound resource (``api.Products``) lists and documents exactly the operations of its class.
"""

from __future__ import annotations

import inspect
import pickle
import pydoc
import re

import pytest
from test_classic_mock import class_level_operations

from bigcommerce.api import ApiResourceWrapper, BigcommerceApi
from bigcommerce.resources import REGISTRY
from bigcommerce.resources.base import ApiSubResource, ListableApiResource


@pytest.fixture
def api():
    return BigcommerceApi(client_id="c", store_hash="h", access_token="t")


def declared():
    """name -> resource class of every resource attribute declared on BigcommerceApi."""
    found = {}
    for name, value in vars(BigcommerceApi).items():
        resource_class = getattr(value, "resource_class", None)
        if isinstance(resource_class, type):
            found[name] = resource_class
    return found


def test_the_declared_attributes_are_the_registry():
    assert declared() == REGISTRY
    for name, cls in declared().items():
        assert cls.__name__ == name
        assert BigcommerceApi.__dict__[name].__doc__.startswith(f"The {name} resource")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_attribute_is_a_wrapper_of_its_class(api, name):
    wrapper = getattr(api, name)
    assert isinstance(wrapper, ApiResourceWrapper)
    assert wrapper.resource_class is REGISTRY[name] and wrapper.connection is api.connection
    assert getattr(api, name) is wrapper  # made once per api
    assert type(wrapper).__name__ == f"{name}Resource"


def test_dir_of_the_api_lists_the_resources(api):
    names = dir(api)
    assert set(REGISTRY) <= set(names)
    assert "Prodcts" not in names


def test_a_typo_is_an_attribute_error(api):
    with pytest.raises(AttributeError, match="Prodcts"):
        _ = api.Prodcts


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_dir_of_a_resource_lists_exactly_its_operations(api, name):
    wrapper = getattr(api, name)
    public = {n for n in dir(wrapper) if not n.startswith("_")}
    assert public - {"connection", "resource_class", "str_to_class"} == class_level_operations(REGISTRY[name])


def test_products_offer_the_usual_operations(api):
    assert {"all", "get", "create", "count", "iterall", "delete_all"} <= set(dir(api.Products))
    assert "count" not in dir(api.Currencies) and "get" not in dir(api.PaymentMethods)
    assert not hasattr(api.Currencies, "count")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_signatures_drop_the_connection_and_docstrings_are_the_resources(api, name):
    cls = REGISTRY[name]
    wrapper = getattr(api, name)
    for op in class_level_operations(cls):
        bound = getattr(wrapper, op)
        signature = inspect.signature(bound)
        assert "connection" not in signature.parameters
        expected = [p for p in inspect.signature(getattr(cls, op)).parameters if p != "connection"]
        assert list(signature.parameters) == expected
        assert bound.__doc__ == getattr(cls, op).__doc__ and bound.__doc__
        assert bound.__name__ == op


def test_the_main_signatures_read_as_documented(api):
    assert str(inspect.signature(api.Products.all)) == "(**filters: 'Any') -> 'List[Products]'"
    assert str(inspect.signature(api.Products.get)) == "(id: 'Id', **filters: 'Any') -> 'Products'"
    assert str(inspect.signature(api.Products.count)) == "(**filters: 'Any') -> 'int'"
    assert list(inspect.signature(api.Products.iterall).parameters) == ["concurrency", "filters"]
    assert list(inspect.signature(api.ProductImages.get).parameters) == ["parentid", "id", "filters"]
    assert list(inspect.signature(api.ProductImages.all).parameters) == ["parentid", "filters"]
    assert api.Products.iterall.__doc__ == ListableApiResource.iterall.__doc__
    assert "functools" not in (api.Products.iterall.__doc__ or "")


def _plain(text):
    """pydoc's text without annotations and return types: ``all(self, **filters)``."""
    return re.sub(r" -> '[^']*'", "", re.sub(r": '[^']*'", "", text)).replace(" = ", "=")


def test_help_shows_the_operations_with_their_docs(api):
    text = _plain(pydoc.render_doc(api.Products, renderer=pydoc.plaintext))
    assert "ProductsResource" in text
    for op in (
        "all(self, **filters)",
        "get(self, id, **filters)",
        "count(self, **filters)",
        "iterall(self, concurrency=1, **filters)",
        "create(self, **fields)",
    ):
        assert op in text, op
    assert "GET one page of the collection" in text
    assert "Operations: all, count, create, delete_all, get, iterall." in text
    assert "partial" not in text


def test_sub_resource_help(api):
    text = _plain(pydoc.render_doc(api.ProductImages.get, renderer=pydoc.plaintext))
    assert "get(parentid, id=None, **filters)" in text
    assert issubclass(api.ProductImages.resource_class, ApiSubResource)


def test_other_class_attributes_read_through(api):
    assert api.Products.resource_name == "products"
    assert api.ProductImages.parent_resource == "products"
    assert api.Products.update is REGISTRY["Products"].update  # an object operation, as it is on the class


def test_wrappers_pickle_with_their_api():
    api = BigcommerceApi(client_id="c", store_hash="h", access_token="secret-token")
    api.Products  # noqa: B018 - made and cached on the api
    back = pickle.loads(pickle.dumps(api))
    assert back.Products.resource_class is REGISTRY["Products"]
    assert back.Products.connection is back.connection
    assert b"secret-token" not in pickle.dumps(api)


def test_a_resource_class_defined_later_is_reachable_too(api):
    from bigcommerce.resources.base import ListableApiResource as Listable

    class Widgets(Listable):
        resource_name = "widgets"

    try:
        assert REGISTRY["Widgets"] is Widgets
        assert api.Widgets.resource_class is Widgets and "Widgets" in dir(api)
        assert list(inspect.signature(api.Widgets.all).parameters) == ["filters"]
    finally:
        del REGISTRY["Widgets"]
