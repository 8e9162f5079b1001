"""Rate limiters: who may send the next request to a store, and when.

A limiter is consulted by the transport once per attempt: :meth:`RateLimiter.acquire` before a
request is sent, :meth:`RateLimiter.release` when its answer (or its failure) is known. Keys are
store hashes (or, for legacy Basic-auth stores, the host), so one limiter can serve many stores.

Implementations: the in-process pacer (the default of ``pace=True``) and
:class:`RedisRateLimiter` (``pip install "bigcommerce-api[redis]"``), which shares one store's
quota between processes and machines.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from typing import Protocol, runtime_checkable

__all__ = ["RateLimiter"]


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


def __getattr__(name: str) -> Any:
    # The Redis limiter needs the optional ``redis`` package: import it only when asked for.
    if name == "RedisRateLimiter":
        from bigcommerce.ratelimit_redis import RedisRateLimiter

        return RedisRateLimiter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
