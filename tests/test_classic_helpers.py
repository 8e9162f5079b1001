"""Helpers shared by the client tests (imported by test_classic_*, test_resource_tree, test_errors,
test_objects, test_recorded). Reading what the sandbox received is the heart of these tests: every test
asserts on the method and path the server saw, not only on what came back.
"""

from __future__ import annotations

import contextlib
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator, List, Tuple

REPO = Path(__file__).resolve().parent.parent

V2_MARKERS = ("/api/v2/", "/v2/")


def rel(path: str) -> str:
    """``/stores/h/v2/products/1`` or ``/api/v2/products/1`` -> ``products/1``."""
    for marker in V2_MARKERS:
        if marker in path:
            return path.split(marker, 1)[1]
    return path


class Seen:
    """What the store received inside a ``watch`` block."""

    def __init__(self, store):
        self.store = store
        self.start = len(store.requests)
        self.end = None

    @property
    def requests(self):
        return self.store.requests[self.start : self.end]

    @property
    def calls(self) -> List[Tuple[str, str]]:
        return [(r.method, rel(r.path)) for r in self.requests]

    @property
    def statuses(self) -> List[int]:
        return [r.status for r in self.requests]

    @property
    def last(self):
        return self.requests[-1]


@contextlib.contextmanager
def watch(store) -> Iterator[Seen]:
    seen = Seen(store)
    try:
        yield seen
    finally:
        seen.end = len(store.requests)


def new_category(api, name="Accessories"):
    return api.Categories.create(name=name)


def new_product(api, name="Logitech Pure-Fi Speakers", category_id=None, **extra):
    if category_id is None:
        category_id = new_category(api, f"Category of {name}")["id"]
    fields = dict(
        name=name,
        type="physical",
        price="572.2367",
        categories=[category_id],
        availability="available",
        weight="0.3",
        **extra,
    )
    return api.Products.create(**fields)


class LocalServer:
    """A threaded HTTP server on a free loopback port, for answers the sandbox never gives.

    ``handle(handler, body)`` answers every GET, POST, PUT and DELETE (``handler`` is the
    ``BaseHTTPRequestHandler``, ``body`` the request body read in full). ``close()`` stops it.
    """

    def __init__(self, handle: Callable[[BaseHTTPRequestHandler, bytes], None]):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                handle(self, self.rfile.read(length) if length else b"")

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def subprocess_env(**extra: str) -> dict:
    """The environment for a child Python process: none of the developer's ``BIGCOMMERCE_*`` / ``BC_*``
    settings, the repository first on ``PYTHONPATH`` (so it runs from a clone before
    ``pip install -e .``), then ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIGCOMMERCE_", "BC_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env
