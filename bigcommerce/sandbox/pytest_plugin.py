"""pytest plugin: a fresh sandbox store per test.

Registered through the ``pytest11`` entry point ``bigcommerce_sandbox``, so installing the package
is enough::

    def test_products(bigcommerce_sandbox):
        api = bigcommerce_sandbox.api()
        assert api.Products.all() == []

Mark a test ``@pytest.mark.bigcommerce_sandbox(products=10, rate_limit=(5, 1000))`` to pass
``Sandbox`` arguments.
"""
from __future__ import annotations

import pytest

from .sandbox import Sandbox


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "bigcommerce_sandbox(**kwargs): arguments for the bigcommerce_sandbox fixture")


@pytest.fixture
def bigcommerce_sandbox(request):
    """A running ``Sandbox`` (stopped after the test); arguments from the marker of that name."""
    marker = request.node.get_closest_marker("bigcommerce_sandbox")
    kwargs = dict(marker.kwargs) if marker else {}
    store = Sandbox(**kwargs)
    try:
        yield store
    finally:
        store.stop()
