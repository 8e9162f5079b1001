"""Credentials never leave the connection: not in a log record, a repr, an exception message or a pickle.

One flow runs everything a client does (OAuth install and token exchange, CRUD, every kind of error,
a Basic-auth client too) with DEBUG logging captured, then searches everything that could carry text
out of the process for the access token, the client secret and the Basic password.
"""

from __future__ import annotations

import base64
import logging
import pickle
import subprocess
import sys
import textwrap
import traceback

import pytest
from test_classic_helpers import REPO, subprocess_env

from bigcommerce.api import BigcommerceApi
from bigcommerce.exception import ClientRequestException, ForbiddenHostError
from bigcommerce.sandbox import Sandbox

TOKEN = "tok-9f8e7d6c5b4a-SECRET"
CLIENT_SECRET = "cs-1a2b3c4d5e6f-SECRET"
PASSWORD = "bp-77aa88bb99cc-SECRET"
USER = "admin"
NEEDLES = {
    "access token": TOKEN,
    "client secret": CLIENT_SECRET,
    "Basic password": PASSWORD,
    "Basic header": base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
}
PRODUCT = {"type": "physical", "price": "5.00", "availability": "available", "weight": 1}


def leaks(text) -> list:
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return [name for name, needle in NEEDLES.items() if needle in str(text)]


class Flow:
    """Collects every object, exception and text the flow produces."""

    def __init__(self):
        self.things = []  # objects whose repr/str/pickle are searched
        self.errors = []  # exceptions raised to the caller

    def keep(self, *things):
        self.things.extend(things)
        return things[0] if things else None

    def attempt(self, call):
        """Keep the value or the exception, whichever comes."""
        try:
            return self.keep(call())
        except Exception as error:  # noqa: BLE001
            self.errors.append(error)
            return error

    def expect(self, error_class, call):
        try:
            value = call()
        except error_class as error:
            self.errors.append(error)
            return error
        raise AssertionError(f"expected {error_class.__name__}, got {value!r}")


def run_flow(store: Sandbox, flow: Flow) -> tuple:
    # -- OAuth: install, a refused exchange, an unreadable answer, then the real token ---------------
    api = BigcommerceApi(
        client_id=store.client_id,
        store_hash=store.store_hash,
        api_service=store.url,
        auth_service=store.url,
        backoff_factor=0.01,
        timeout=0.5,
    )
    flow.keep(api, api.connection)
    flow.expect(ClientRequestException, lambda: api.connection.get("time"))  # no token yet: 401
    grant = store.install()
    flow.expect(
        ClientRequestException,
        lambda: api.oauth_fetch_token(
            CLIENT_SECRET, "not-the-code", grant["context"], grant["scope"], "https://app.example/auth"
        ),
    )
    flow.expect(
        ClientRequestException,
        lambda: api.oauth_fetch_token(
            "wrong-secret", grant["code"], grant["context"], grant["scope"], "https://app.example/auth"
        ),
    )
    store.inject("truncated_json", match="POST /oauth2/token")  # the answer holds the token, cut short
    flow.expect(
        Exception,
        lambda: api.oauth_fetch_token(
            CLIENT_SECRET, grant["code"], grant["context"], grant["scope"], "https://app.example/auth"
        ),
    )
    grant = store.install()
    token = api.oauth_fetch_token(
        CLIENT_SECRET, grant["code"], grant["context"], grant["scope"], "https://app.example/auth"
    )
    assert token["access_token"] == TOKEN  # the caller gets it; nothing else may show it

    # -- CRUD -------------------------------------------------------------------------------------------
    category = flow.keep(api.Categories.create(name="Secrets"))
    product = flow.keep(api.Products.create(name="Safe", categories=[category.id], **PRODUCT))
    flow.keep(api.Products.get(product.id), api.Products.all(), api.Products.count())
    product = flow.keep(product.update(price="6.00"))
    customer = flow.keep(api.Customers.create(first_name="Ada", last_name="L", email="ada@example.com"))
    flow.keep(api.Customers.all(email="ada@example.com"), customer.update(company="Engines"))

    # -- every kind of error -------------------------------------------------------------------------
    flow.expect(Exception, lambda: api.Products.get(999999))  # 404
    flow.expect(Exception, lambda: api.Products.create(name="No category", **PRODUCT))  # 400
    flow.expect(Exception, lambda: api.Products.create(name="Safe", categories=[category.id], **PRODUCT))
    flow.expect(ForbiddenHostError, lambda: api.connection.make_request("GET", "http://evil.example/x"))
    faults = [
        ("status", "POST /products", {"status": 503}),
        ("status", "GET /products", {"status": 500}),
        ("redirect", "GET /products", {}),
        ("html_200", "GET /products", {}),
        ("empty_200", "GET /products", {}),
        ("truncated_json", "GET /products", {}),
        ("reset_before", "POST /products", {}),
        ("reset_after", "POST /products", {}),
        ("slow", "POST /products", {"seconds": 0.8}),
        ("rate_limit", "GET /products", {"reset_ms": 60000}),
        ("rate_limit_bare", "GET /products", {}),
    ]
    for kind, match, params in faults:
        store.inject(kind, match=match, **params)
        if match.startswith("POST"):
            flow.expect(
                Exception,
                lambda kind=kind: api.Products.create(name=f"Faulty {kind}", categories=[category.id], **PRODUCT),
            )
        else:
            api.connection.rate_limit_wait = 0.0  # so the 429s reach the caller
            flow.expect(Exception, lambda: api.Products.get(product.id))
            api.connection.rate_limit_wait = 120.0
    wrong = BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, access_token="wrong-token", api_service=store.url
    )
    flow.expect(ClientRequestException, lambda: wrong.Products.all())  # 401
    flow.attempt(lambda: api.v3.get("catalog/products"))
    product.delete()
    flow.expect(Exception, lambda: api.Products.get(product.id))

    # -- a Basic-auth client -----------------------------------------------------------------------------
    basic = BigcommerceApi(host=store.url, basic_auth=(USER, PASSWORD), backoff_factor=0.01, timeout=0.5)
    flow.keep(basic, basic.connection)
    brand = flow.keep(basic.Brands.create(name="Basic brand"))
    flow.keep(basic.Brands.get(brand.id), basic.Brands.all(), brand.update(name="Basic brand 2"))
    flow.expect(Exception, lambda: basic.Brands.get(424242))
    store.inject("status", match="GET /brands", status=500)
    flow.expect(Exception, lambda: basic.Brands.get(brand.id))
    store.inject("reset_before", match="POST /brands")
    flow.expect(Exception, lambda: basic.Brands.create(name="Never"))
    bad = BigcommerceApi(host=store.url, basic_auth=(USER, "wrong-password"))
    flow.expect(ClientRequestException, lambda: bad.Brands.all())
    brand.delete()
    return api, basic


@pytest.fixture
def secret_store():
    with Sandbox(
        access_token=TOKEN,
        client_secret=CLIENT_SECRET,
        basic_auth=(USER, PASSWORD),
        redirect_uri="https://app.example/auth",
        install_tokens=[TOKEN],
    ) as store:
        yield store


def test_no_secret_leaves_the_connection(secret_store, caplog):
    flow = Flow()
    caplog.set_level(logging.DEBUG)  # every logger: urllib3's too
    caplog.set_level(logging.DEBUG, logger="bigcommerce")
    api, basic = run_flow(secret_store, flow)

    # The flow really ran, and really sent the credentials to the store.
    assert len(flow.errors) >= 25
    assert any(r.headers.get("X-Auth-Token") == TOKEN for r in secret_store.requests)
    assert any(r.headers.get("Authorization") == "Basic " + NEEDLES["Basic header"] for r in secret_store.requests)

    found = []
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    bc_records = [r for r in caplog.records if r.name == "bigcommerce"]
    assert len(bc_records) >= 40, "one DEBUG record per attempt"
    for record in caplog.records:
        for text in (record.getMessage(), formatter.format(record), repr(record.args), repr(record.__dict__)):
            found += [("log", record.getMessage(), name) for name in leaks(text)]
    for thing in flow.things:
        if thing is None:
            continue
        for text in (repr(thing), str(thing)):
            found += [("repr", repr(thing)[:60], name) for name in leaks(text)]
    for error in flow.errors:
        texts = [
            str(error),
            repr(error),
            repr(error.args),
            getattr(error, "message", ""),
            "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        ]
        for text in texts:
            found += [("exception", repr(error)[:80], name) for name in leaks(text)]
    for obj in (api, basic, api.connection, basic.connection, *[t for t in flow.things if t is not None]):
        found += [("pickle", repr(obj)[:60], name) for name in leaks(pickle.dumps(obj))]
    for error in flow.errors:
        if type(error).__module__.startswith("bigcommerce"):
            found += [("pickled exception", repr(error)[:60], name) for name in leaks(pickle.dumps(error))]
    assert found == []


def test_log_records_say_what_happened(secret_store, caplog):
    api = secret_store.api(backoff_factor=0.01)
    secret_store.inject("status", match="GET /time", status=503)
    with caplog.at_level(logging.DEBUG, logger="bigcommerce"):
        api.connection.get("time", extra="q")
    messages = [r.getMessage() for r in caplog.records if r.name == "bigcommerce"]
    assert len(messages) == 2
    first, second = messages
    assert first.startswith("GET /stores/sandbox/v2/time -> 503 in ") and "attempt 1, retrying in" in first
    assert second.startswith("GET /stores/sandbox/v2/time -> 200 in ") and second.endswith("(attempt 2)")
    assert "extra=q" not in first  # the path only: queries can carry personal data
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "bigcommerce")


def test_nothing_is_logged_unless_debug_is_enabled(secret_store, caplog):
    api = secret_store.api()
    with caplog.at_level(logging.INFO, logger="bigcommerce"):
        api.connection.get("time")
    assert [r for r in caplog.records if r.name == "bigcommerce"] == []


def test_unpickled_api_has_no_credentials_until_given_again(secret_store):
    api = secret_store.api()
    restored = pickle.loads(pickle.dumps(api))
    assert restored.connection.access_token is None
    with pytest.raises(ClientRequestException) as caught:
        restored.connection.get("time")
    assert caught.value.status_code == 401
    restored.connection.access_token = TOKEN
    assert "time" in restored.connection.get("time")
    basic = pickle.loads(pickle.dumps(secret_store.api(basic=True)))
    with pytest.raises(ClientRequestException):
        basic.Brands.all()


SCRIPT = textwrap.dedent("""
    from bigcommerce.sandbox import Sandbox
    with Sandbox(access_token={token!r}) as store:
        api = store.api()
        api.connection.get("time")
        store.inject("status", match="GET /time", status=502)
        api.connection.get("time")
""")


@pytest.mark.parametrize("value,logged", [("debug", True), ("DEBUG", True), ("", False), ("info", False)])
def test_bigcommerce_log_env_sends_records_to_stderr(value, logged):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(token=TOKEN)],
        env=subprocess_env(BIGCOMMERCE_LOG=value),
        cwd=str(REPO),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if " bigcommerce DEBUG " in line]
    if logged:
        assert len(lines) == 3, done.stderr
        assert "GET /stores/sandbox/v2/time -> 200" in lines[0]
        assert "-> 502" in lines[1] and "retrying" in lines[1]
    else:
        assert lines == []
    assert TOKEN not in done.stderr + done.stdout
