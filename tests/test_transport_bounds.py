"""Every bound of the transport, against hostile answers, on a fake clock (no real waiting).

Each row sends one ``get()`` to a loopback server that answers the same hostile way every time, and
asserts how many requests the call sent, how long it took on the clock and what the caller got.
These rows are the figures of docs/reliability.rst ("requests sent per call under each hostile 429").
"""

from __future__ import annotations

import json
from typing import NamedTuple, Optional

import pytest
from test_classic_helpers import LocalServer
from transport_helpers import FakeClock, send_json

from bigcommerce.connection import OAuthConnection
from bigcommerce.exception import RateLimitingException, ServerException
from bigcommerce.transport import DEFAULT_MAX_RATE_LIMIT_RETRIES, MIN_RATE_LIMIT_WAIT


class Hostile:
    """A server answering every request with ``status`` and ``headers``; ``answer_seconds`` of the
    fake clock pass while it answers (a slow 429); ``sent`` counts requests."""

    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.status, self.headers, self.answer_seconds = 429, {}, 0.0
        self.sent = 0
        self.server = LocalServer(self.handle)

    def handle(self, handler, body):
        self.sent += 1
        self.clock.t += self.answer_seconds
        payload = json.dumps([{"status": self.status, "message": "hostile"}]).encode()
        send_json(handler, self.status, payload, self.headers)


@pytest.fixture(scope="module")
def hostile():
    server = Hostile(FakeClock())
    yield server
    server.server.close()


class Row(NamedTuple):
    headers: dict
    options: dict
    sent: Optional[int]  # requests the call sends in all (None: depends on jitter, at most CAP)
    elapsed: Optional[float]  # seconds on the clock (None: depends on jitter, checked against max_elapsed)
    max_elapsed: float
    status: int = 429
    answer_seconds: float = 0.0


CAP = DEFAULT_MAX_RATE_LIMIT_RETRIES + 1  # the first request and the 429s waited out
FLOOR = MIN_RATE_LIMIT_WAIT

ROWS = {
    "tiny reset (0.000001 ms)": Row({"X-Rate-Limit-Time-Reset-Ms": "0.000001"}, {}, CAP, 10 * FLOOR, 1.0),
    "tiny Retry-After (0.0001 s)": Row({"Retry-After": "0.0001"}, {}, CAP, 10 * FLOOR, 1.0),
    # nothing usable asked: the bare-429 backoff (at least 0.01 s * 2**n, jittered), never under the floor
    "zero reset": Row({"X-Rate-Limit-Time-Reset-Ms": "0"}, {"backoff_factor": 0}, CAP, None, 10.5),
    "negative reset": Row({"X-Rate-Limit-Time-Reset-Ms": "-5000"}, {"backoff_factor": 0}, CAP, None, 10.5),
    "garbage Retry-After": Row({"Retry-After": "soon"}, {"backoff_factor": 0}, CAP, None, 10.5),
    "huge reset (24 h)": Row({"X-Rate-Limit-Time-Reset-Ms": "86400000"}, {}, 1, 0.0, 0.0),
    "huge Retry-After (1e300)": Row({"Retry-After": "1e300"}, {}, 1, 0.0, 0.0),
    "endless, 1 s resets": Row({"X-Rate-Limit-Time-Reset-Ms": "1000"}, {}, CAP, 10.0, 10.0),
    "endless, 1 s resets, 3 s budget": Row({"X-Rate-Limit-Time-Reset-Ms": "1000"}, {"rate_limit_wait": 3}, 4, 3.0, 3.0),
    "endless, bare": Row({}, {}, None, None, 120.0),  # 10 backoffs of 0.25-30 s, or the 120 s budget
    "endless, bare, 5 s budget": Row({}, {"rate_limit_wait": 5}, None, None, 5.0),
    "slow 429s (2 s each), 2 s budget": Row(
        {"X-Rate-Limit-Time-Reset-Ms": "100"}, {"rate_limit_wait": 2}, 1, 2.0, 2.0, answer_seconds=2.0
    ),
    "slow 429s (2 s each), 5 s budget": Row(
        {"X-Rate-Limit-Time-Reset-Ms": "100"}, {"rate_limit_wait": 5}, 3, 6.2, 6.2, answer_seconds=2.0
    ),
    "endless, deadline 2.5 s": Row({"X-Rate-Limit-Time-Reset-Ms": "1000"}, {"deadline": 2.5}, 3, 2.0, 2.5),
    "endless 503": Row({}, {"backoff_factor": 0.5}, 4, None, 8.0 + 4.0 + 2.0, status=503),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_hostile_answers_are_bounded(hostile, name):
    row = ROWS[name]
    clock = FakeClock()
    hostile.clock, hostile.status, hostile.headers = clock, row.status, row.headers
    hostile.answer_seconds, hostile.sent = row.answer_seconds, 0
    connection = OAuthConnection("client", "store", "token-123456", host=hostile.server.url, clock=clock, **row.options)
    expected = RateLimitingException if row.status == 429 else ServerException
    with pytest.raises(expected) as caught:
        connection.get("products")
    if row.sent is None:
        assert 2 <= hostile.sent <= CAP
    else:
        assert hostile.sent == row.sent
    assert caught.value.attempts == hostile.sent
    if row.elapsed is not None:
        assert clock.elapsed == pytest.approx(row.elapsed)
    assert clock.elapsed <= row.max_elapsed + 1e-9
    assert caught.value.waited == pytest.approx(sum(clock.sleeps))
    assert all(wait >= FLOOR for wait in clock.sleeps) or row.status != 429


def test_budget_overrun_is_at_most_one_answer(hostile):
    """The longest call past its budget: the budget is checked before each wait, so a call ends at
    most one (slow) answer after it."""
    clock = FakeClock()
    hostile.clock, hostile.status, hostile.headers, hostile.answer_seconds, hostile.sent = (
        clock,
        429,
        {"X-Rate-Limit-Time-Reset-Ms": "100"},
        2.0,
        0,
    )
    connection = OAuthConnection(
        "client", "store", "token-123456", host=hostile.server.url, clock=clock, rate_limit_wait=5
    )
    with pytest.raises(RateLimitingException):
        connection.get("products")
    assert clock.elapsed - 5 <= hostile.answer_seconds


# -- waits outside 429s: pacing and the classic hook --------------------------------------------------


def test_pacing_with_a_far_reset_is_refused_at_once(hostile):
    clock = FakeClock()
    hostile.clock, hostile.status, hostile.answer_seconds, hostile.sent = clock, 200, 0.0, 0
    hostile.headers = {
        "X-Rate-Limit-Requests-Left": "0",
        "X-Rate-Limit-Time-Reset-Ms": "86400000",
        "X-Rate-Limit-Requests-Quota": "150",
        "X-Rate-Limit-Time-Window-Ms": "30000",
    }
    connection = OAuthConnection("client", "store", "token-123456", host=hostile.server.url, clock=clock, pace=True)
    connection.get("products")  # the window is described as spent, reset a day away
    with pytest.raises(RateLimitingException) as caught:
        connection.get("products")
    assert hostile.sent == 1 and clock.sleeps == [] and caught.value.attempts == 0
    assert caught.value.response is None


def test_pacing_waits_inside_the_budget(hostile):
    clock = FakeClock()
    hostile.clock, hostile.status, hostile.answer_seconds, hostile.sent = clock, 200, 0.0, 0
    hostile.headers = {
        "X-Rate-Limit-Requests-Left": "0",
        "X-Rate-Limit-Time-Reset-Ms": "3000",
        "X-Rate-Limit-Requests-Quota": "150",
        "X-Rate-Limit-Time-Window-Ms": "30000",
    }
    waits = []
    connection = OAuthConnection(
        "client", "store", "token-123456", host=hostile.server.url, clock=clock, pace=True, on_rate_limit=waits.append
    )
    connection.get("products")
    response = connection.send("GET", "products")
    assert hostile.sent == 2 and clock.elapsed == pytest.approx(3.01)
    assert response.call_stats.waited == pytest.approx(3.01)
    assert [(w.reason, round(w.wait, 2)) for w in waits] == [("pace", 3.01)]


def test_classic_hook_waits_no_longer_than_the_budget(hostile):
    clock = FakeClock()
    hostile.clock, hostile.status, hostile.answer_seconds, hostile.sent = clock, 200, 0.0, 0
    hostile.headers = {"X-Rate-Limit-Requests-Left": "1", "X-Rate-Limit-Time-Reset-Ms": "86400000"}
    called = []
    connection = OAuthConnection(
        "client",
        "store",
        "token-123456",
        host=hostile.server.url,
        clock=clock,
        rate_limit_wait=7,
        rate_limiting_management={"callback_function": lambda: called.append(1)},
    )
    connection.get("products")
    assert clock.sleeps == [pytest.approx(7.0)] and called == [1]  # capped, and the callback still runs
    assert hostile.sent == 1


def test_classic_hook_waits_for_a_near_reset(hostile):
    clock = FakeClock()
    hostile.clock, hostile.status, hostile.answer_seconds, hostile.sent = clock, 200, 0.0, 0
    hostile.headers = {"X-Rate-Limit-Requests-Left": "2", "X-Rate-Limit-Time-Reset-Ms": "1500"}
    connection = OAuthConnection(
        "client", "store", "token-123456", host=hostile.server.url, clock=clock, rate_limiting_management={}
    )
    connection.get("products")
    assert clock.sleeps == [pytest.approx(1.505)]


def test_a_deadline_stops_retries_and_raises_the_last_failure(closed_port):
    from bigcommerce.exception import ConnectionFailed

    clock = FakeClock(step=0.4)  # every look at the clock costs 0.4 s: attempts are slow
    connection = OAuthConnection(
        "client",
        "store",
        "token-123456",
        host=f"http://127.0.0.1:{closed_port}",
        clock=clock,
        deadline=1.0,
        backoff_factor=0,
        max_retries=5,
    )
    with pytest.raises(ConnectionFailed) as caught:
        connection.get("products")
    assert 1 <= caught.value.attempts < 6  # max_retries would allow 6: the deadline came first
