"""pytest plugin: sandbox stores for tests, and a client configured for them.

Registered through the ``pytest11`` entry point ``bigcommerce_sandbox``, so installing the package
is enough::

    def test_products(bigcommerce_sandbox):
        api = bigcommerce_sandbox.api()
        assert api.Products.all() == []

    def test_unmodified_code(bigcommerce_api):      # a ready OAuth client for the store
        assert bigcommerce_api.Products.all() == []

Fixtures:

``bigcommerce_sandbox``
    a fresh ``Sandbox`` per test; its request log is on (``store.requests``), and for the test
    ``BC_API_ENDPOINT`` and ``BC_AUTH_SERVICE`` point at it, so code that builds its own
    ``BigcommerceApi(client_id=..., store_hash=..., access_token=...)`` talks to the sandbox
    unchanged.
``bigcommerce_api``
    ``bigcommerce_sandbox.api()``.
``bigcommerce_sandbox_module`` / ``bigcommerce_sandbox_session``
    one store per module / per session, ``reset()`` before every test that uses it (seeding once
    is what makes 10,000 products per test affordable), with the same environment.

Mark a test ``@pytest.mark.bigcommerce_sandbox(products=10, rate_limit=(5, 1000))`` to pass
``Sandbox`` arguments to the per-test store (the shared ones take the marker of the first test
that starts them).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

from .sandbox import Sandbox

ENV_API = "BC_API_ENDPOINT"  # read by bigcommerce.api.BigcommerceApi for api_service
ENV_AUTH = "BC_AUTH_SERVICE"  # read by bigcommerce.connection for the token service


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "bigcommerce_sandbox(**kwargs): arguments for the bigcommerce_sandbox fixture")


def _arguments(request: Any) -> Dict[str, Any]:
    marker = request.node.get_closest_marker("bigcommerce_sandbox")
    kwargs = dict(marker.kwargs) if marker else {}
    kwargs.setdefault("record", True)  # a test asserts on what the store received
    return kwargs


def _pointed(store: Sandbox, monkeypatch: Any) -> Sandbox:
    monkeypatch.setenv(ENV_API, store.url)
    monkeypatch.setenv(ENV_AUTH, store.url)
    return store


@pytest.fixture
def bigcommerce_sandbox(request: Any, monkeypatch: Any) -> Iterator[Sandbox]:
    """A running ``Sandbox`` (stopped after the test); arguments from the marker of that name."""
    store = Sandbox(**_arguments(request))
    try:
        yield _pointed(store, monkeypatch)
    finally:
        store.stop()


@pytest.fixture
def bigcommerce_api(bigcommerce_sandbox: Sandbox) -> Any:
    """A ``BigcommerceApi`` (OAuth) bound to ``bigcommerce_sandbox``."""
    return bigcommerce_sandbox.api()


@pytest.fixture(scope="module")
def _bigcommerce_module_store(request: Any) -> Iterator[Sandbox]:
    with Sandbox(**_arguments(request)) as store:
        yield store


@pytest.fixture(scope="session")
def _bigcommerce_session_store(request: Any) -> Iterator[Sandbox]:
    with Sandbox(**_arguments(request)) as store:
        yield store


@pytest.fixture
def bigcommerce_sandbox_module(_bigcommerce_module_store: Sandbox, monkeypatch: Any) -> Sandbox:
    """The module's store, reset to its seeded state before this test."""
    _bigcommerce_module_store.reset()
    return _pointed(_bigcommerce_module_store, monkeypatch)


@pytest.fixture
def bigcommerce_sandbox_session(_bigcommerce_session_store: Sandbox, monkeypatch: Any) -> Sandbox:
    """The session's store, reset to its seeded state before this test."""
    _bigcommerce_session_store.reset()
    return _pointed(_bigcommerce_session_store, monkeypatch)
