"""The rate_limiter seam and the in-process Pacer.

A limiter passed to ``BigcommerceApi(..., rate_limiter=...)`` is consulted once per attempt, keyed
by store, told every answer (and every failure), and its waits count inside the call's budget. The
Pacer drains what the window allows, then holds until the reset, counting requests in flight.
"""

from __future__ import annotations

import threading

import pytest
import requests
from transport_helpers import FakeClock

from bigcommerce.api import BigcommerceApi
from bigcommerce.exception import ConnectionFailed, RateLimitingException
from bigcommerce.ratelimit import Pacer, RateLimiter
from bigcommerce.sandbox import Sandbox


class Recording:
    """A limiter that lets everything through and writes down what it was told."""

    def __init__(self, grant: bool = True):
        self.grant = grant
        self.calls = []
        self.lock = threading.Lock()

    def acquire(self, key, max_wait):
        with self.lock:
            self.calls.append(("acquire", key, max_wait))
        return self.grant

    def release(self, key, headers, status):
        with self.lock:
            self.calls.append(("release", key, dict(headers) if headers is not None else None, status))


@pytest.fixture(scope="module")
def store():
    with Sandbox(products=3, seed=5) as sandbox:
        yield sandbox


def test_a_limiter_is_asked_before_and_told_after_every_attempt(store):
    limiter = Recording()
    assert isinstance(limiter, RateLimiter)
    api = store.api(rate_limiter=limiter, rate_limit_wait=30)
    api.Products.all(limit=2)
    store.inject("status", status=503, match="GET /products")
    api.Products.all(limit=2)  # one 503, retried
    kinds = [call[0] for call in limiter.calls]
    assert kinds == ["acquire", "release"] * 3
    assert {call[1] for call in limiter.calls} == {store.store_hash}
    assert limiter.calls[0][2] == pytest.approx(30)  # the whole budget is offered
    releases = [call for call in limiter.calls if call[0] == "release"]
    assert [r[3] for r in releases] == [200, 503, 200]
    lowered = {k.lower(): v for k, v in releases[0][2].items()}
    assert "x-rate-limit-requests-left" in lowered


def test_a_failure_is_released_without_headers():
    limiter = Recording()
    api = BigcommerceApi(
        client_id="c",
        store_hash="h1",
        access_token="t" * 20,
        api_service="http://127.0.0.1:9",
        rate_limiter=limiter,
        max_retries=0,
    )
    with pytest.raises(ConnectionFailed) as caught:
        api.Products.all()
    assert isinstance(caught.value, requests.exceptions.ConnectionError)
    assert limiter.calls == [("acquire", "h1", pytest.approx(120.0)), ("release", "h1", None, None)]


def test_a_refused_slot_raises_rate_limiting_without_sending(store):
    before = len(store.requests)
    api = store.api(rate_limiter=Recording(grant=False))
    with pytest.raises(RateLimitingException) as caught:
        api.Products.all()
    assert caught.value.response is None and caught.value.attempts == 0
    assert len(store.requests) == before


def test_pace_true_is_the_in_process_pacer_and_basic_keys_by_host(store):
    api = store.api(pace=True)
    assert isinstance(api.connection.rate_limiter, Pacer)
    basic = store.api(basic=True, pace=True)
    assert basic.connection.rate_limit_key == basic.connection.host
    assert store.api().connection.rate_limiter is None  # no pacing unless asked for


def test_one_pacer_serves_many_stores():
    pacer = Pacer(FakeClock())
    with Sandbox(products=1, store_hash="one") as first, Sandbox(products=1, store_hash="two") as second:
        first.api(rate_limiter=pacer).Products.all()
        second.api(rate_limiter=pacer).Products.all()
    assert pacer.state("one")["remaining"] is not None and pacer.state("two")["remaining"] is not None
    assert pacer.state("one")["in_flight"] == pacer.state("two")["in_flight"] == 0


# -- the Pacer on a fake clock ----------------------------------------------------------------------


def headers(left, reset_ms, quota=10, window_ms=1000):
    return {
        "X-Rate-Limit-Requests-Left": str(left),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "X-Rate-Limit-Requests-Quota": str(quota),
        "X-Rate-Limit-Time-Window-Ms": str(window_ms),
    }


def test_pacer_drains_the_window_then_waits_for_the_reset():
    clock = FakeClock()
    pacer = Pacer(clock)
    for left in (3, 2, 1, 0):  # four requests go at once: the window allowed them
        assert pacer.acquire("s", 10)
        pacer.release("s", headers(left, 800), 200)
    assert clock.sleeps == []
    assert pacer.acquire("s", 10)  # the fifth waits for the reset
    assert clock.elapsed == pytest.approx(0.81)
    pacer.release("s", headers(9, 1000), 200)


def test_pacer_counts_requests_in_flight():
    clock = FakeClock()
    pacer = Pacer(clock)
    assert pacer.acquire("s", 10)
    pacer.release("s", headers(2, 500), 200)
    assert pacer.acquire("s", 10) and pacer.acquire("s", 10)  # two in flight use the two left
    assert not pacer.acquire("s", 0.1)  # a third would not come within 0.1 s: refused, no wait
    assert clock.sleeps == []


def test_pacer_holds_for_a_429_and_a_far_reset_is_refused_at_once():
    clock = FakeClock()
    pacer = Pacer(clock)
    assert pacer.acquire("s", 5)
    pacer.release("s", {"X-Rate-Limit-Time-Reset-Ms": "86400000"}, 429)  # 24 h away
    assert not pacer.acquire("s", 120)
    assert clock.sleeps == []


def test_pacer_keeps_the_lowest_count_of_answers_out_of_order():
    pacer = Pacer(FakeClock())
    for _ in range(3):
        pacer.acquire("s", 1)
    pacer.release("s", headers(5, 600), 200)
    pacer.release("s", headers(7, 590), 200)  # older answer, same window
    assert pacer.state("s")["remaining"] == 5


def test_pace_debug_and_a_refused_connection_raise_the_connection_error(closed_port, caplog):
    """Once an UnboundLocalError ('started'): pacing, DEBUG logging and a refused connection."""
    import logging

    api = BigcommerceApi(
        client_id="c",
        store_hash="h2",
        access_token="t" * 20,
        api_service=f"http://127.0.0.1:{closed_port}",
        pace=True,
        max_retries=1,
        backoff_factor=0,
        clock=FakeClock(),
    )
    with caplog.at_level(logging.DEBUG, logger="bigcommerce"):
        with pytest.raises(ConnectionFailed) as caught:
            api.Products.all()
    assert caught.value.attempts == 2 and "connection refused" in str(caught.value)
    assert [r.getMessage().split(" -> ")[1].split(" ")[0] for r in caplog.records] == ["ConnectionFailed"] * 2
    assert api.connection.rate_limiter.state("h2")["in_flight"] == 0  # both slots released


def test_the_first_request_to_a_store_probes_its_window_alone():
    clock = FakeClock()
    pacer = Pacer(clock)
    assert pacer.acquire("s", 10)  # the probe
    assert not pacer.acquire("s", 0.001)  # the others wait for its answer...
    assert pacer.acquire("other", 10)  # ...store by store
    pacer.release("s", headers(1, 900), 200)  # the window was nearly spent by someone else
    assert pacer.acquire("s", 10)
    assert not pacer.acquire("s", 0.5)  # drained: the next waits for the reset
    pacer.release("other", None, None)  # a store without rate-limit headers is not held at all
    assert pacer.acquire("other", 0) and pacer.acquire("other", 0)
