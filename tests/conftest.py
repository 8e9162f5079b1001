"""Shared fixtures: a fresh sandbox store per test, and a client configured for it.

Hypothesis runs without its per-example deadline everywhere: examples that talk to a sandbox, or run
on a loaded machine, take a varying time, and a deadline then fails a test that found no bug.
"""

import os
import socket

import pytest
from hypothesis import settings

settings.register_profile("bigcommerce", deadline=None)
settings.load_profile("bigcommerce")


@pytest.fixture
def store():
    """A fresh, empty sandbox store on a free loopback port (seed data: see Sandbox's arguments)."""
    from bigcommerce.sandbox import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def api(store):
    """An OAuth client for ``store`` with fast backoff, so retry tests do not sleep for long."""
    return store.api(backoff_factor=0.01)


@pytest.fixture
def basic_api(store):
    """A Basic-auth client for ``store``."""
    return store.api(basic=True, backoff_factor=0.01)


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on (bound, then released at once): connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The sandbox's request log is off by default; this suite asserts on ``store.requests``.
os.environ.setdefault("BIGCOMMERCE_SANDBOX_RECORD", "1")
