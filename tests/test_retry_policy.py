"""The retry policy and the rate-limit header parsers, as pure functions.

``should_retry`` holds the whole decision of whether a request may be sent again; the table below is
the policy written out, one row per (method, outcome, attempt). The parsers must read the headers
whatever their case and never raise, whatever arrives.
"""

from __future__ import annotations

import math
import socket
import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests
import urllib3.exceptions
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from bigcommerce.connection import backoff_delay, parse_rate_limit, retry_after_seconds, should_retry

MAX = 3  # max_retries used by the table


# -- outcomes, built the way requests reports them ------------------------------------------------------


def refused():
    """What requests raises when the TCP connect is refused: nothing was sent."""
    reason = urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection: refused")
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))


def unresolvable():
    if hasattr(urllib3.exceptions, "NameResolutionError"):  # urllib3 2
        reason = urllib3.exceptions.NameResolutionError("nowhere.invalid", None, OSError("no such host"))
    else:
        reason = urllib3.exceptions.NewConnectionError(None, "Name or service not known")
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))


def reset():
    """The peer closed the connection after the request went out."""
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
    )


OUTCOMES = {
    # name: (keyword for should_retry, sent at all?, idempotent methods retry?)
    "connect refused": ({"error": refused()}, False, True),
    "name not resolved": ({"error": unresolvable()}, False, True),
    "connect timeout": ({"error": requests.exceptions.ConnectTimeout()}, False, True),
    "connection reset": ({"error": reset()}, True, True),
    "read timeout": ({"error": requests.exceptions.ReadTimeout()}, True, True),
    "body cut off": ({"error": requests.exceptions.ChunkedEncodingError()}, True, True),
    "TLS failure": ({"error": requests.exceptions.SSLError()}, True, False),
    "invalid URL": ({"error": requests.exceptions.InvalidURL()}, True, False),
    "200": ({"status": 200}, True, False),
    "204": ({"status": 204}, True, False),
    "301": ({"status": 301}, True, False),
    "400": ({"status": 400}, True, False),
    "404": ({"status": 404}, True, False),
    "409": ({"status": 409}, True, False),
    "500": ({"status": 500}, True, False),
    "501": ({"status": 501}, True, False),
    "502": ({"status": 502}, True, True),
    "503": ({"status": 503}, True, True),
    "504": ({"status": 504}, True, True),
    "507": ({"status": 507}, True, False),
}
IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
NOT_IDEMPOTENT = ("POST", "PATCH")


def expected(method: str, outcome: str, attempt: int) -> bool:
    """The policy in words: 429 always (bounded by time elsewhere); else only while retries are left,
    anything that was never sent, and idempotent methods on transient failures."""
    if outcome == "429":
        return True
    if attempt >= MAX:
        return False
    _, sent, transient = OUTCOMES[outcome]
    if not sent:
        return True
    return method in IDEMPOTENT and transient


TABLE = [
    (method, outcome, attempt, expected(method, outcome, attempt))
    for method in IDEMPOTENT + NOT_IDEMPOTENT
    for outcome in list(OUTCOMES) + ["429"]
    for attempt in (0, MAX - 1, MAX)
]


@pytest.mark.parametrize("method,outcome,attempt,retry", TABLE, ids=[f"{m}-{o}-attempt{a}" for m, o, a, _ in TABLE])
def test_should_retry_table(method, outcome, attempt, retry):
    kwargs = {"status": 429} if outcome == "429" else OUTCOMES[outcome][0]
    assert should_retry(method, attempt, MAX, **kwargs) is retry


# A few rows spelled out, so the policy can be read without evaluating ``expected``.
@pytest.mark.parametrize(
    "method,kwargs,retry",
    [
        ("GET", {"status": 503}, True),
        ("PUT", {"status": 502}, True),
        ("DELETE", {"status": 504}, True),
        ("POST", {"status": 503}, False),  # may have been processed: never duplicated
        ("POST", {"status": 429}, True),  # a 429 was not processed
        ("GET", {"status": 500}, False),  # a 500 is a bug, not a blip
        ("POST", {"error": reset()}, False),  # reset after sending: maybe processed
        ("POST", {"error": refused()}, True),  # never sent
        ("POST", {"error": requests.exceptions.ReadTimeout()}, False),
        ("GET", {"error": requests.exceptions.ReadTimeout()}, True),
    ],
)
def test_should_retry_examples(method, kwargs, retry):
    assert should_retry(method, 0, 3, **kwargs) is retry


def test_max_retries_zero_disables_retries_but_not_429_waiting():
    assert should_retry("GET", 0, 0, status=503) is False
    assert should_retry("GET", 0, 0, error=refused()) is False
    assert should_retry("GET", 0, 0, status=429) is True


# -- the same decisions on errors produced by real sockets ---------------------------------------------


def test_real_refused_connection_counts_as_not_sent(closed_port):
    with pytest.raises(requests.exceptions.ConnectionError) as caught:
        requests.post(f"http://127.0.0.1:{closed_port}/x", data=b"{}", timeout=2)
    assert should_retry("POST", 0, 3, error=caught.value) is True


def test_real_reset_after_sending_counts_as_maybe_processed():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        conn.recv(65536)  # the whole request arrived...
        conn.close()  # ...and no answer goes back

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with pytest.raises(requests.exceptions.ConnectionError) as caught:
            requests.post(f"http://127.0.0.1:{listener.getsockname()[1]}/x", data=b"{}", timeout=2)
    finally:
        thread.join(2)
        listener.close()
    assert should_retry("POST", 0, 3, error=caught.value) is False
    assert should_retry("GET", 0, 3, error=caught.value) is True


# -- backoff --------------------------------------------------------------------------------------------


@given(attempt=st.integers(0, 200), factor=st.floats(0, 10), cap=st.floats(0, 60))
def test_backoff_is_capped_exponential_with_jitter(attempt, factor, cap):
    ceiling = min(cap, factor * 2 ** min(attempt, 32))
    delay = backoff_delay(attempt, factor, cap)
    assert ceiling / 2 - 1e-9 <= delay <= ceiling + 1e-9


def test_backoff_grows_and_varies():
    assert backoff_delay(0, 1.0, 100) <= 1.0 < 2.0 <= backoff_delay(2, 1.0, 100) * 2
    assert len({round(backoff_delay(3, 1.0, 100), 6) for _ in range(20)}) > 1  # jitter


# -- rate-limit headers ---------------------------------------------------------------------------------

NAMES = {
    "ms_until_reset": "X-Rate-Limit-Time-Reset-Ms",
    "window_size_ms": "X-Rate-Limit-Time-Window-Ms",
    "requests_remaining": "X-Rate-Limit-Requests-Left",
    "requests_quota": "X-Rate-Limit-Requests-Quota",
}


def any_case(name: str):
    """A strategy for ``name`` with every letter in a random case."""
    return st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
        lambda flips: "".join(c.upper() if up else c.lower() for c, up in zip(name, flips))
    )


header_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=8),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["", " ", "12", "-5", "1e400", "nan", "inf", "0x10", "1_000", "٣", "7.9", "  42 "]),
)


def as_headers(pairs, kind):
    return CaseInsensitiveDict(pairs) if kind == "cid" else dict(pairs)


@settings(max_examples=200)
@given(data=st.data(), kind=st.sampled_from(["dict", "cid"]), present=st.sets(st.sampled_from(sorted(NAMES))))
def test_parse_rate_limit_reads_any_case_and_any_subset(data, kind, present):
    values = {key: data.draw(st.integers(0, 10**9), label=key) for key in present}
    headers = as_headers({data.draw(any_case(NAMES[key])): str(v) for key, v in values.items()}, kind)
    assert parse_rate_limit(headers) == values


@settings(max_examples=300)
@given(
    pairs=st.dictionaries(
        st.one_of(
            st.sampled_from(sorted(NAMES.values()) + ["X-Retry-After", "Retry-After"]).flatmap(any_case),
            st.text(max_size=20),
        ),
        header_values,
        max_size=8,
    ),
    kind=st.sampled_from(["dict", "cid"]),
)
def test_garbage_headers_never_raise(pairs, kind):
    try:
        headers = as_headers(pairs, kind)
    except Exception:  # CaseInsensitiveDict refuses some keys; a plain dict then
        headers = pairs
    parsed = parse_rate_limit(headers)
    assert set(parsed) <= set(NAMES)
    assert all(isinstance(v, int) and v >= 0 for v in parsed.values())
    wait = retry_after_seconds(headers)
    assert wait is None or (isinstance(wait, float) and 0 <= wait < math.inf)


@pytest.mark.parametrize("headers", [None, 42, "X-Rate-Limit-Requests-Left: 3", ["a", "b"], object()])
def test_things_that_are_not_headers_give_nothing(headers):
    assert parse_rate_limit(headers) == {}
    assert retry_after_seconds(headers) is None


@given(
    reset_ms=st.integers(0, 10**7),
    retry_after=st.integers(0, 10**4),
    reset_name=any_case("X-Rate-Limit-Time-Reset-Ms"),
    after_name=any_case("X-Retry-After"),
)
def test_retry_after_prefers_the_window_reset(reset_ms, retry_after, reset_name, after_name):
    both = {reset_name: str(reset_ms), after_name: str(retry_after)}
    assert retry_after_seconds(both) == pytest.approx(reset_ms / 1000)
    assert retry_after_seconds({after_name: str(retry_after)}) == retry_after


@pytest.mark.parametrize(
    "headers,seconds",
    [
        ({}, None),
        ({"X-Rate-Limit-Time-Reset-Ms": "250"}, 0.25),
        ({"x-rate-limit-time-reset-ms": "garbage", "X-Retry-After": "3"}, 3.0),
        ({"X-Rate-Limit-Time-Reset-Ms": "-1", "x-retry-after": "2"}, 2.0),  # negative: ignored
        ({"X-Retry-After": "soon"}, None),
        ({"Retry-After": "1.5"}, 1.5),
        ({"X-Rate-Limit-Requests-Left": "0"}, None),  # a count is not a wait
    ],
)
def test_retry_after_examples(headers, seconds):
    assert retry_after_seconds(headers) == seconds


def test_retry_after_accepts_an_http_date():
    later = datetime.now(timezone.utc) + timedelta(seconds=30)
    wait = retry_after_seconds({"Retry-After": format_datetime(later, usegmt=True)})
    assert 25 <= wait <= 31
    past = datetime.now(timezone.utc) - timedelta(days=1)
    assert retry_after_seconds({"Retry-After": format_datetime(past, usegmt=True)}) == 0.0
