"""Rate limiters: who may send the next request to a store, and when.

A limiter is consulted by the transport once per attempt: :meth:`RateLimiter.acquire` before a
request is sent, :meth:`RateLimiter.release` when its answer (or its failure) is known. Keys are
store hashes (or, for legacy Basic-auth stores, the host), so one limiter can serve many stores.

Implementations: :class:`Pacer`, the in-process one (the default of ``pace=True``), and
:class:`RedisRateLimiter` (``pip install "bigcommerce-api[redis]"``), which shares one store's
quota between processes and machines.

Time comes from a :class:`Clock` (``now()`` and ``sleep()``): the transport and the pacer share one,
and tests pass a fake one so that waits cost no real time.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, Mapping, Optional, Protocol, runtime_checkable

from bigcommerce.exception import parse_rate_limit, retry_after_seconds

__all__ = ["RateLimiter", "Clock", "SystemClock", "Pacer", "SYSTEM_CLOCK"]


@runtime_checkable
class RateLimiter(Protocol):
    """What the transport asks of a rate limiter.

    Both methods are called from any thread; an implementation must be thread-safe.
    """

    def acquire(self, key: str, max_wait: float) -> bool:
        """Wait until a request to store ``key`` may be sent, for at most ``max_wait`` seconds.

        Returns True when the request may go now (after waiting, perhaps), False when no slot
        would come within ``max_wait`` (the limiter then waits nothing, and the transport raises
        ``RateLimitingException`` instead of sending). Every True must be followed by exactly one
        :meth:`release` for the same key.
        """
        ...

    def release(self, key: str, headers: Optional[Mapping[str, str]], status: Optional[int]) -> None:
        """Report the answer of a request :meth:`acquire` let through.

        ``headers`` and ``status`` are the answer's (any case of header names); both are None
        when no answer arrived (connection refused, timeout...).
        """
        ...


class Clock(Protocol):
    """Monotonic time in seconds, and a way to let it pass."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: ``time.monotonic`` and ``time.sleep``."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()

#: Seconds past a window's reset before its first request goes, for clock granularity and latency.
RESET_MARGIN = 0.01
#: Seconds between looks while the first request to a store is still out, describing the window.
PROBE_POLL = 0.005


class _Window:
    """What the answers say about one store's current rate window."""

    __slots__ = ("remaining", "reset_at", "window", "quota", "in_flight", "answered")

    def __init__(self) -> None:
        self.remaining: Optional[int] = None  # requests left, as last reported
        self.reset_at = 0.0  # clock time the window resets
        self.window: Optional[float] = None  # seconds
        self.quota: Optional[int] = None
        self.in_flight = 0  # let through, not answered yet
        self.answered = False  # an answer (or failure) has come back at least once


class Pacer:
    """The in-process rate limiter: drain what the window allows, then wait for its reset.

    A request goes while the remaining quota the last answer reported, minus the requests still in
    flight, is above zero; otherwise it is held until the window resets (as the answer's
    ``X-Rate-Limit-Time-Reset-Ms`` said, while that is within ``max_wait``). The first request to a
    store goes alone: the others wait for its answer, since the window may be half spent already. A
    store whose answers carry no rate-limit headers is not held at all.
    A 429 closes the window until its reset. State is kept per key (store), so one pacer serves many
    stores; it is thread-safe and shared by every thread of the connection.

    ``on_wait(key, seconds)`` is called before each wait (the CLI shows it on its progress bar).
    """

    def __init__(self, clock: Optional[Clock] = None, on_wait: Optional[Callable[[str, float], None]] = None):
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.on_wait = on_wait
        self._lock = threading.Lock()
        self._windows: Dict[str, _Window] = {}

    def __repr__(self) -> str:
        return f"<Pacer {len(self._windows)} store(s)>"

    def state(self, key: str) -> Dict[str, Any]:
        """A copy of what the pacer knows of ``key``'s window (for tests and debugging)."""
        with self._lock:
            window = self._windows.get(key) or _Window()
            return {name: getattr(window, name) for name in _Window.__slots__}

    def acquire(self, key: str, max_wait: float) -> bool:
        """Wait for a slot for ``key`` for at most ``max_wait`` seconds; False when none comes in time."""
        clock = self.clock
        give_up = clock.now() + max(0.0, max_wait)
        while True:
            with self._lock:
                window = self._windows.get(key)
                if window is None:
                    window = self._windows[key] = _Window()
                now = clock.now()
                if window.remaining is not None and now >= window.reset_at:
                    # The window has reset: the quota is back (unknown until the next answer when
                    # the answers never said how long a window is).
                    window.remaining = window.quota if window.window else None
                    if window.window:
                        window.reset_at = now + window.window
                if window.remaining is None and not window.answered and window.in_flight:
                    # The first request to a store probes its window: the others wait for its answer
                    # (the window may be half spent by other clients), looking again every PROBE_POLL.
                    wait, probing = PROBE_POLL, True
                elif window.remaining is None or window.remaining - window.in_flight > 0:
                    window.in_flight += 1
                    return True
                else:
                    wait, probing = max(window.reset_at + RESET_MARGIN - now, RESET_MARGIN), False
                if now + wait > give_up:
                    return False
            if self.on_wait is not None and not probing:
                self.on_wait(key, wait)
            clock.sleep(wait)

    def release(self, key: str, headers: Optional[Mapping[str, str]], status: Optional[int]) -> None:
        """Count the answer: one request fewer in flight, and what its headers say of the window."""
        found = parse_rate_limit(headers) if headers is not None else {}
        with self._lock:
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = _Window()
            window.in_flight = max(0, window.in_flight - 1)
            window.answered = True
            now = self.clock.now()
            if "window_size_ms" in found:
                window.window = found["window_size_ms"] / 1000.0
            if "requests_quota" in found:
                window.quota = found["requests_quota"]
            if status == 429:
                wait = retry_after_seconds(headers or {})
                window.remaining = 0
                window.reset_at = max(window.reset_at, now + (wait if wait is not None else 1.0))
                return
            remaining, reset_ms = found.get("requests_remaining"), found.get("ms_until_reset")
            if remaining is None or reset_ms is None:
                return
            reset_at = now + reset_ms / 1000.0
            same_window = (
                window.remaining is not None
                and now < window.reset_at
                and abs(reset_at - window.reset_at) < (window.window or 2.0) / 2
            )
            # Answers arrive out of order: within one window, the lowest count is the freshest.
            window.remaining = min(window.remaining or 0, remaining) if same_window else remaining
            window.reset_at = reset_at


def __getattr__(name: str) -> Any:
    # The Redis limiter needs the optional ``redis`` package: import it only when asked for.
    if name == "RedisRateLimiter":
        import importlib

        return importlib.import_module("bigcommerce.ratelimit_redis").RedisRateLimiter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
