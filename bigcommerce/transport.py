"""The transport's policy and its pieces, each one concern: the retry decision, the backoff, the
bounds, the state of one call, reading one body within limits, and the wait events users can see.

:class:`bigcommerce.connection.Connection` puts them together in layers: ``send`` (the retry loop)
-> ``_attempt`` (acquire a slot from the rate limiter, send, read, record the headers, release).
"""

from __future__ import annotations

import contextlib
import random
from typing import Any, Callable, Iterator, List, Optional
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, DecodeError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import SSLError as Urllib3SSLError

from bigcommerce.exception import (
    CallStats,
    DeadlineExceeded,
    ResponseTooLarge,
    retry_after_seconds,
)
from bigcommerce.ratelimit import Clock

try:  # urllib3 2
    from urllib3.response import BaseHTTPResponse as _BaseHTTPResponse
except ImportError:  # urllib3 1.26
    from urllib3.response import HTTPResponse as _BaseHTTPResponse

__all__ = [
    "should_retry",
    "backoff_delay",
    "rate_limit_delay",
    "read_body",
    "CallState",
    "WaitEvent",
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RATE_LIMIT_WAIT",
    "DEFAULT_MAX_RATE_LIMIT_RETRIES",
    "MIN_RATE_LIMIT_WAIT",
    "MAX_BACKOFF",
    "DEFAULT_MAX_BODY_BYTES",
]

# -- the bounds (docs/reliability.rst has them as a table) -------------------------------------------

DEFAULT_MAX_RETRIES = 3
#: Seconds one call may spend rate limited (429 waits, pacing, the classic hook), on the clock.
DEFAULT_RATE_LIMIT_WAIT = 120.0
#: 429 answers one call sends again after, at most, whatever the budget left.
DEFAULT_MAX_RATE_LIMIT_RETRIES = 10
#: The shortest wait after a 429, whatever the server asks (0, 0.000001 ms, negative, garbage).
MIN_RATE_LIMIT_WAIT = 0.1
#: The longest backoff after a failure; a bare 429 backs off up to BARE_429_CAP.
MAX_BACKOFF = 8.0
BARE_429_CAP = 30.0
#: Bytes a body may inflate to before ResponseTooLarge (per connection: max_body_bytes=).
DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024
_READ_CHUNK = 1024 * 1024

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})


# -- the retry policy: one function, tested by a table (tests/test_retry_policy.py) ------------------


def _was_not_sent(error: BaseException) -> bool:
    """True when the request certainly never reached the server: no connection could be made.

    requests reports a refused, unresolvable or timed-out connect as ``ConnectTimeout`` or as a
    ``ConnectionError`` whose urllib3 reason is a ``ConnectTimeoutError`` (``NewConnectionError`` and
    ``NameResolutionError`` are subclasses of it). Anything later, a reset or a read timeout, may have
    reached the server.
    """
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(error, requests.exceptions.ConnectionError) and error.args:
        reason = getattr(error.args[0], "reason", None)
        return isinstance(reason, ConnectTimeoutError)
    return False


_RETRYABLE_ERRORS = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


def should_retry(
    method: str, attempt: int, max_retries: int, *, status: Optional[int] = None, error: Optional[BaseException] = None
) -> bool:
    """Whether a request whose attempt number ``attempt`` (0-based) ended this way may be sent again.

    Pass the ``status`` of the answer, or the ``error`` requests raised. The whole policy:

    * a 429 was not processed: sent again whatever the method. Its limits are the call's rate-limit
      budget and the 429 cap (see :func:`rate_limit_delay`), so ``attempt`` and ``max_retries`` do
      not apply to it;
    * otherwise nothing is sent again once ``max_retries`` retries have been made;
    * a request that never left (the connection could not be made) is retried whatever its method;
    * GET, HEAD, PUT, DELETE and OPTIONS are retried on a dropped connection, a read timeout and on
      502, 503 and 504: sending them twice has the effect of sending them once;
    * POST (and PATCH) is never retried once it may have reached the server, so a create is never
      duplicated;
    * TLS failures, refused requests (a bad header) and every other status (500, 501, 4xx, 3xx) are
      never retried.

    >>> should_retry("POST", 0, 3, status=503), should_retry("GET", 0, 3, status=503)
    (False, True)
    """
    if status == 429:
        return True
    if attempt >= max_retries:
        return False
    if error is not None:
        if isinstance(error, (requests.exceptions.SSLError, DeadlineExceeded)):
            return False  # a certificate problem does not fix itself in a second; a deadline is final
        if _was_not_sent(error):
            return True
        return method in IDEMPOTENT_METHODS and isinstance(error, _RETRYABLE_ERRORS)
    return status in RETRY_STATUSES and method in IDEMPOTENT_METHODS


def backoff_delay(attempt: int, factor: float = 0.5, cap: float = MAX_BACKOFF) -> float:
    """Seconds to sleep before retry ``attempt`` (0-based).

    Exponential (``factor * 2**attempt``), capped at ``cap``, with jitter: a random value in the upper
    half of that ceiling, so clients that failed together do not come back together.
    """
    ceiling: float = min(cap, factor * (2.0 ** min(attempt, 32)))
    return ceiling * (0.5 + random.random() / 2)


def rate_limit_delay(headers: Any, throttled: int, factor: float) -> float:
    """Seconds to wait after the ``throttled``-th (0-based) 429 of a call: what the server asks
    (:func:`~bigcommerce.exception.retry_after_seconds`), else a growing backoff, never less than
    :data:`MIN_RATE_LIMIT_WAIT`."""
    asked = retry_after_seconds(headers)
    if not asked:  # a bare 429 is platform overload: back off anyway, longer each time
        asked = backoff_delay(throttled, max(factor, 0.01), cap=BARE_429_CAP)
    return float(max(asked, MIN_RATE_LIMIT_WAIT))


# -- the state of one call ---------------------------------------------------------------------------


class CallState:
    """What the retry loop knows about one call: counts, waits and the clock times bounding it."""

    __slots__ = (
        "method",
        "path",
        "started",
        "deadline",
        "attempts",
        "failures",
        "throttled",
        "waited",
        "limited_since",
        "attempt_started",
        "waits",
    )

    def __init__(self, method: str, path: str, started: float, deadline: Optional[float]):
        self.method = method
        self.path = path
        self.started = started
        self.deadline = deadline  # clock time the call must end by, or None
        self.attempts = 0  # requests sent
        self.failures = 0  # retries spent on failures: bounded by max_retries
        self.throttled = 0  # 429s waited out: bounded by max_rate_limit_retries
        self.waited = 0.0  # seconds slept (pacing, backoff, 429s, classic hook)
        self.limited_since: Optional[float] = None  # when the call was first rate limited
        self.attempt_started = started
        self.waits: List["WaitEvent"] = []

    def rate_limited_for(self, now: float) -> float:
        """Seconds of the rate-limit budget used: since the first rate-limited attempt was sent."""
        return 0.0 if self.limited_since is None else now - self.limited_since

    def left(self, now: float, budget: float) -> float:
        """Seconds the call may still wait for the rate limit: the budget and the deadline both."""
        left = budget - self.rate_limited_for(now)
        if self.deadline is not None:
            left = min(left, self.deadline - now)
        return max(0.0, left)

    def stats(self, now: float) -> CallStats:
        return CallStats(self.attempts, self.waited, now - self.started)


class WaitEvent:
    """One wait of the transport, given to ``on_retry`` / ``on_rate_limit`` before it sleeps.

    ``reason``: ``"429"``, ``"pace"`` (the rate limiter holds the request), ``"classic"`` (the
    ``rate_limiting_management`` hook), a status (``"503"``) or an error class (``"ConnectionFailed"``);
    ``wait``: seconds; ``method``, ``path``; ``attempt``: requests sent so far by the call.
    """

    __slots__ = ("reason", "wait", "method", "path", "attempt")

    def __init__(self, reason: str, wait: float, method: str = "", path: str = "", attempt: int = 0):
        self.reason = reason
        self.wait = wait
        self.method = method
        self.path = path
        self.attempt = attempt

    @property
    def rate_limited(self) -> bool:
        """True for waits of the rate limit (429, pacing, the classic hook), False for retries."""
        return self.reason in ("429", "pace", "classic")

    def __repr__(self) -> str:
        return f"WaitEvent({self.reason!r}, {self.wait:.3f} s, {self.method} {self.path})"


Hook = Callable[[WaitEvent], None]


# -- reading one body within limits ------------------------------------------------------------------


def read_body(response: requests.Response, max_bytes: int, clock: Clock, deadline: Optional[float]) -> None:
    """Read the body of a response sent with ``stream=True``, into ``response.content``.

    Reads decoded (gzip and deflate inflated) chunks as they arrive, so a body that inflates past
    ``max_bytes`` stops there (``ResponseTooLarge``, without inflating the rest) and a trickled body
    stops at the call's ``deadline`` (``DeadlineExceeded``). A failure while reading becomes the
    exception requests itself raises for it (``ChunkedEncodingError``, ``ContentDecodingError``,
    ``ConnectionError``, ``SSLError``), so :func:`should_retry` sees the same kinds; framing no parser
    expected (a chunk size of ``FFFFFFFFFFFFFFFF``) is a ``ChunkedEncodingError`` too.
    """
    if response._content is not False:  # already read (an adapter that is not urllib3's, say)
        _check_size(response, len(response._content or b""), max_bytes)
        return
    raw = response.raw
    if response.status_code == 0 or not isinstance(raw, _BaseHTTPResponse):
        content = response.content  # requests' own way, whatever ``raw`` is
        _check_size(response, len(content or b""), max_bytes)
        return
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        _check_size(response, int(declared), max_bytes)
    plain = response.headers.get("Content-Encoding", "identity").strip().lower() in ("", "identity")
    if plain and declared.isdigit() and deadline is None:
        # The common case: a plain body of a known, allowed length, read in one piece (one copy).
        _read_whole(response, raw)
        return
    chunks: List[bytes] = []
    total = 0
    # read() fills a whole chunk (fast); with a deadline, read1() returns what has arrived, so that
    # the clock is looked at while a body trickles in
    read = raw.read if deadline is None else raw.read1
    with _as_requests_errors(response):
        while True:
            if deadline is not None and clock.now() > deadline:
                raise DeadlineExceeded(
                    f"{response.request.method} {_path(response)}: the call's "
                    "deadline passed while the body was still arriving"
                )
            chunk = read(_READ_CHUNK, decode_content=True)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                _check_size(response, total, max_bytes)
            chunks.append(chunk)
    response._content = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    response._content_consumed = True


def _read_whole(response: requests.Response, raw: Any) -> None:
    with _as_requests_errors(response):
        content = raw.read(decode_content=True)
    response._content = content or b""
    response._content_consumed = True


@contextlib.contextmanager
def _as_requests_errors(response: requests.Response) -> Iterator[None]:
    """urllib3's failures while reading a body, as the requests exceptions requests raises for them."""
    try:
        yield
    except ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except Urllib3SSLError as error:
        raise requests.exceptions.SSLError(error) from error
    except (OverflowError, ValueError, MemoryError) as error:  # framing past what any parser expects
        response.close()
        raise requests.exceptions.ChunkedEncodingError(f"unreadable framing: {type(error).__name__}") from None


def _path(response: requests.Response) -> str:
    return urlsplit(response.url or "").path


def _check_size(response: requests.Response, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        response.close()
        method = getattr(response.request, "method", "") or ""
        response._content = b""  # what was read is dropped: the message quotes nothing of it
        raise ResponseTooLarge(
            f"{method} {_path(response)} -> {response.status_code}: the body passed "
            f"max_body_bytes ({max_bytes} bytes); reading stopped",
            response,
            method=method,
            path=_path(response),
            errors=None,
        )
