"""The fault matrix: every transport fault the sandbox can produce, crossed with a read (GET) and a
create (POST), asserting what the caller gets and what the store holds afterwards.

A create must never be duplicated: after a POST the store holds exactly one new product when the
server processed it, and none when it did not. Two faults process the request and still leave the
caller with an error (``reset_after``, ``slow`` past the timeout), and ``truncated_json`` processes it
and answers with a body that cannot be read: those are the rows where the store holds one product and
the caller got an exception, which is exactly why a POST is not sent again after such a failure.
"""

from __future__ import annotations

import logging
import time
from typing import NamedTuple

import pytest
import requests
from transport_helpers import FakeClock

from bigcommerce.connection import OAuthConnection
from bigcommerce.exception import (
    ConnectionFailed,
    InvalidResponseException,
    RateLimitingException,
    ReadTimeout,
    RedirectionException,
    ServerException,
)

TIMEOUT = 0.5  # read timeout of the client in this module
SLOW = 1.5  # seconds the "slow" fault holds its answer back: past TIMEOUT
EVIL = "http://evil.example:9/x"

OK = "value"  # the caller gets the normal return value


class Row(NamedTuple):
    fault: str
    params: dict
    get: object  # OK or the exception class a GET raises
    post: object  # OK or the exception class a POST (create) raises
    created: int  # products the store holds after the POST
    get_attempts: int  # requests the store saw (answered or processed) for the GET
    note: str


ROWS = {
    "reset_before": Row("reset_before", {}, OK, ConnectionFailed, 0, 1, "not processed; GET retried, POST may not be"),
    "reset_after": Row(
        "reset_after", {}, OK, ConnectionFailed, 1, 2, "processed, no answer: POST not resent, so exactly one product"
    ),
    "502": Row("status", {"status": 502}, OK, ServerException, 0, 2, "retried only when idempotent"),
    "503": Row("status", {"status": 503}, OK, ServerException, 0, 2, "retried only when idempotent"),
    "504": Row("status", {"status": 504}, OK, ServerException, 0, 2, "retried only when idempotent"),
    "html_500": Row("status", {"status": 500}, ServerException, ServerException, 0, 1, "500 is never retried"),
    "truncated_json": Row(
        "truncated_json", {}, InvalidResponseException, InvalidResponseException, 1, 1, "processed, unreadable answer"
    ),
    "slow": Row("slow", {"seconds": SLOW}, OK, ReadTimeout, 1, 2, "processed, answered past the timeout"),
    "429_headers": Row("rate_limit", {"reset_ms": 50}, OK, OK, 1, 2, "waited out, sent again"),
    "429_bare": Row("rate_limit_bare", {}, OK, OK, 1, 2, "backed off, sent again"),
    "redirect_301": Row(
        "redirect",
        {"status": 301, "location": EVIL},
        RedirectionException,
        RedirectionException,
        0,
        1,
        "never followed",
    ),
    "redirect_302": Row(
        "redirect",
        {"status": 302, "location": EVIL},
        RedirectionException,
        RedirectionException,
        0,
        1,
        "never followed",
    ),
    "html_200": Row(
        "html_200", {}, InvalidResponseException, InvalidResponseException, 0, 1, "not processed, not JSON"
    ),
    "empty_200": Row("empty_200", {}, InvalidResponseException, InvalidResponseException, 0, 1, "not processed, empty"),
}

PRODUCT = {"name": "Fault matrix lamp", "type": "physical", "price": "12.50", "availability": "available", "weight": 1}


@pytest.fixture
def client(store):
    """A client with a tiny timeout and backoff, so the whole matrix runs in seconds."""
    return store.api(timeout=TIMEOUT, backoff_factor=0.01)


@pytest.fixture
def category(client):
    return client.Categories.create(name="Lamps").id


def products(store):
    return list(store.state()["products"].values())


def run(call):
    """(value, None) or (None, exception) of ``call()``."""
    try:
        return call(), None
    except Exception as error:  # noqa: BLE001 - the test inspects it
        return None, error


def check_outcome(expected, value, error):
    if expected is OK:
        assert error is None, f"expected a value, got {error!r}"
        return value
    assert error is not None, f"expected {expected.__name__}, got {value!r}"
    assert type(error) is expected, f"expected exactly {expected.__name__}, got {error!r}"
    if expected is ConnectionFailed:  # the classic except clause still catches it
        assert isinstance(error, requests.exceptions.ConnectionError)
    if expected is ReadTimeout:
        assert isinstance(error, requests.exceptions.ReadTimeout)
    return None


@pytest.mark.parametrize("name", list(ROWS))
def test_get(store, client, category, name):
    row = ROWS[name]
    product = client.Products.create(categories=[category], **PRODUCT)
    before = products(store)
    seen = len(store.requests)
    store.inject(row.fault, match="GET /products", **row.params)

    value, error = run(lambda: client.Products.get(product.id))

    got = check_outcome(row.get, value, error)
    if got is not None:
        assert got.id == product.id and got.name == PRODUCT["name"]
    assert products(store) == before  # a read changes nothing
    assert len(store.requests) - seen == row.get_attempts
    if row.get is RedirectionException:
        assert error.location == EVIL
        assert error.status_code == row.params["status"]
    assert not store.faults  # the fault fired


@pytest.mark.parametrize("name", list(ROWS))
def test_post_create(store, client, category, name):
    row = ROWS[name]
    assert products(store) == []
    store.inject(row.fault, match="POST /products", **row.params)

    value, error = run(lambda: client.Products.create(categories=[category], **PRODUCT))

    got = check_outcome(row.post, value, error)
    held = products(store)
    assert len(held) == row.created, f"{name}: store holds {len(held)} products ({row.note})"
    if got is not None:
        assert got.name == PRODUCT["name"] and held[0]["id"] == got.id
    posts = [r for r in store.requests if r.method == "POST" and r.path.endswith("/products")]
    if row.post is not OK:
        # Never sent twice: at most one POST reached the store (reset_before's is not even recorded).
        assert len(posts) <= 1
    if row.post is RedirectionException:
        assert error.location == EVIL


# -- beyond one fault: retries run out, budgets run out ------------------------------------------------


@pytest.mark.parametrize(
    "fault,params,expected",
    [
        ("status", {"status": 503}, ServerException),
        ("reset_before", {}, requests.exceptions.ConnectionError),
        ("reset_after", {}, requests.exceptions.ConnectionError),
    ],
)
def test_get_gives_up_after_max_retries(store, category, fault, params, expected):
    api = store.api(timeout=TIMEOUT, backoff_factor=0.01, max_retries=2)
    product = api.Products.create(categories=[category], **PRODUCT)
    store.inject(fault, times=None, match="GET /products", **params)
    with pytest.raises(expected):
        api.Products.get(product.id)
    assert store.faults[0].fired == 3  # the first attempt and two retries


def test_slow_get_gives_up_with_read_timeout(store, category):
    api = store.api(timeout=0.2, backoff_factor=0.01, max_retries=1)
    store.inject("slow", times=2, match="GET /categories", seconds=0.6)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.Categories.get(category)
    assert time.monotonic() - started < 1.0


def test_429_past_the_wait_budget_raises_with_retry_after(store, category):
    clock = FakeClock()
    api = store.api(backoff_factor=0.01, rate_limit_wait=0.25, clock=clock)
    store.inject("rate_limit", times=None, match="POST /products", reset_ms=50)
    with pytest.raises(RateLimitingException) as caught:
        api.Products.create(categories=[category], **PRODUCT)
    assert caught.value.status_code == 429
    assert caught.value.retry_after == pytest.approx(0.05)
    # 0.05 s asked, the 0.1 s floor waited, twice; a third wait would pass 0.25 on the clock
    assert store.faults[0].fired == 3
    assert clock.sleeps == [0.1, 0.1]
    assert (caught.value.attempts, caught.value.waited) == (3, pytest.approx(0.2))
    assert products(store) == []


def test_429_longer_than_the_budget_fails_at_once(store, category):
    api = store.api(rate_limit_wait=1.0)
    store.inject("rate_limit", match="GET /categories", reset_ms=5000)
    started = time.monotonic()
    with pytest.raises(RateLimitingException) as caught:
        api.Categories.get(category)
    assert time.monotonic() - started < 0.5  # no pointless sleep first
    assert caught.value.retry_after == 5.0


def test_rate_limit_wait_zero_raises_on_the_first_429(store, category):
    api = store.api(rate_limit_wait=0)
    store.inject("rate_limit_bare", match="GET /categories")
    with pytest.raises(RateLimitingException) as caught:
        api.Categories.get(category)
    assert caught.value.retry_after is None  # a bare 429 says nothing


def test_bare_429s_back_off_longer_each_time(store, category, caplog):
    api = store.api(backoff_factor=0.1, clock=FakeClock())  # 0.05-0.1 s, then 0.1-0.2... on the clock
    store.inject("rate_limit_bare", times=4, match="GET /categories")
    with caplog.at_level(logging.DEBUG, logger="bigcommerce"):
        assert api.Categories.get(category).id == category
    delays = [
        float(r.getMessage().split("retrying in ")[1].split(" s")[0])
        for r in caplog.records
        if "retrying in" in r.getMessage()
    ]
    assert len(delays) == 4
    assert delays[-1] > delays[0]
    assert all(0.1 <= d <= 0.1 * 2**i for i, d in enumerate(delays))  # the floor, then the backoff


# -- the other idempotent methods ----------------------------------------------------------------------


def test_put_is_resent_after_reset_after(store, client, category):
    product = client.Products.create(categories=[category], **PRODUCT)
    store.inject("reset_after", match="PUT /products")
    updated = product.update(price="20.00")
    assert float(updated.price) == 20.0
    assert float(store.state()["products"][product.id]["price"]) == 20.0


def test_delete_is_resent_after_503(store, client, category):
    product = client.Products.create(categories=[category], **PRODUCT)
    store.inject("status", match="DELETE /products", status=503)
    assert client.connection.delete("products", product.id) is None
    assert products(store) == []


def test_delete_resent_after_reset_after_finds_it_gone(store, client, category):
    """Documented: the first DELETE was processed, so the retry meets a 404. The object is gone
    either way; the caller sees the 404 the store sent."""
    product = client.Products.create(categories=[category], **PRODUCT)
    store.inject("reset_after", match="DELETE /products")
    with pytest.raises(Exception) as caught:
        client.connection.delete("products", product.id)
    assert caught.value.status_code == 404
    assert products(store) == []


# -- a POST that certainly was not sent is retried ------------------------------------------------------


def test_post_is_retried_when_the_connection_was_refused(caplog, closed_port):
    conn = OAuthConnection(
        "id",
        "hash",
        "token",
        host=f"http://127.0.0.1:{closed_port}",
        backoff_factor=0.01,
        max_retries=2,
        timeout=TIMEOUT,
    )
    with caplog.at_level(logging.DEBUG, logger="bigcommerce"):
        with pytest.raises(requests.exceptions.ConnectionError):
            conn.post("products", {"name": "never sent"})
    attempts = [r for r in caplog.records if r.name == "bigcommerce" and "POST" in r.getMessage()]
    assert len(attempts) == 3
    assert "retrying" in attempts[0].getMessage() and "retrying" not in attempts[-1].getMessage()
