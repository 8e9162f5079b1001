"""One store's rate-limit quota shared by every process and machine, through Redis.

``pip install "bigcommerce-api[redis]"``, then give every worker's api the same limiter settings::

    limiter = RedisRateLimiter("redis://localhost:6379/0")
    api = BigcommerceApi(client_id=..., store_hash=..., access_token=..., rate_limiter=limiter)

Per store (the limiter's key, the store hash) Redis holds two keys, both expiring when the store
goes idle: ``{prefix}{key}`` (a hash: requests left in the window as the answers report them,
when the window resets, quota and window length) and ``{prefix}{key}:inflight`` (a sorted set of
the requests let through and not answered yet, each with a lease, so that a worker that dies
mid-request frees its slot when the lease ends). Both are read and changed by one Lua script per
call, so workers never race. The rule is the in-process pacer's: a request goes while the
requests left minus the requests in flight is above zero, and waits for the window's reset
otherwise; before any answer has described a store's window, one request at a time goes.

Time is Redis's own (``TIME``), so workers on machines whose clocks disagree still share one
schedule; tests pass a ``clock`` (``now()``/``sleep()``), which then stands in for Redis's time.
When Redis cannot be reached the limiter warns once, paces locally with its ``fallback`` limiter
(an in-process one by default), and goes back to Redis ``retry_after`` seconds later.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type, Union

from bigcommerce.exception import parse_rate_limit, retry_after_seconds
from bigcommerce.ratelimit import SYSTEM_CLOCK, Clock, Pacer, RateLimiter

__all__ = ["RedisRateLimiter"]

log = logging.getLogger("bigcommerce.ratelimit")

# Both scripts take KEYS = {state hash, in-flight sorted set} and ARGV[1] = now in ms ("" = Redis TIME).
_NOW = """
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
"""

# ARGV: now, token, lease_ms, poll_ms, ttl_ms. Returns {0, 0} when the request may go (the token is
# then in flight), {wait_ms, 1} to wait for the window's reset, {wait_ms, 2} to look again soon
# (requests in flight may free a slot or report more left).
_ACQUIRE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local in_flight = redis.call('ZCARD', KEYS[2])
local s = redis.call('HMGET', KEYS[1], 'left', 'reset_at', 'quota', 'window')
local left, reset_at, quota, window = tonumber(s[1]), tonumber(s[2]), tonumber(s[3]), tonumber(s[4])
if left == nil then
  if in_flight > 0 then return {tonumber(ARGV[4]), 2} end
elseif now >= reset_at and not (quota and window) then
  -- the window has reset and no answer said how big the next one is: one request at a time again
  redis.call('HDEL', KEYS[1], 'left', 'reset_at')
  if in_flight > 0 then return {tonumber(ARGV[4]), 2} end
else
  if now >= reset_at then
    left, reset_at = quota, now + window
    redis.call('HSET', KEYS[1], 'left', left, 'reset_at', reset_at)
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
  end
  if left - in_flight <= 0 then
    if left <= 0 or in_flight == 0 then return {reset_at - now, 1} end
    return {math.min(tonumber(ARGV[4]), reset_at - now), 2}
  end
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {0, 0}
"""
)

# ARGV: now, token, ttl_ms, margin_ms, then the answer's left, reset_ms (for a 429 without one, its
# X-Retry-After), quota, window_ms ("" where missing), and "1" for a 429. Answers arrive out of order: within one window the lowest
# count is the freshest; a reset more than half a window later starts a new window; one more than
# half a window earlier is a late answer from the last window and is ignored.
_RELEASE = (
    _NOW
    + """
redis.call('ZREM', KEYS[2], ARGV[2])
local rep_left, reset_ms = tonumber(ARGV[5]), tonumber(ARGV[6])
local quota, window = tonumber(ARGV[7]), tonumber(ARGV[8])
if quota then redis.call('HSET', KEYS[1], 'quota', quota) end
if window then redis.call('HSET', KEYS[1], 'window', window) end
if ARGV[9] == '1' then
  -- a 429: nothing is left, whatever the window estimate said, until the reset it announces
  redis.call('HSET', KEYS[1], 'left', 0, 'reset_at', now + (reset_ms or 1000) + tonumber(ARGV[4]))
elseif rep_left and reset_ms then
  local rep_reset = now + reset_ms + tonumber(ARGV[4])
  local s = redis.call('HMGET', KEYS[1], 'left', 'reset_at', 'window')
  local left, reset_at = tonumber(s[1]), tonumber(s[2])
  local half = (tonumber(s[3]) or window or 2000) / 2
  if left == nil or rep_reset > reset_at + half then
    redis.call('HSET', KEYS[1], 'left', rep_left, 'reset_at', rep_reset)
  elseif rep_reset >= reset_at - half then
    redis.call('HSET', KEYS[1], 'left', math.min(left, rep_left), 'reset_at', rep_reset)
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0
"""
)


class RedisRateLimiter:
    """A :class:`~bigcommerce.ratelimit.RateLimiter` whose budget per store lives in Redis.

    ``url_or_client`` is a ``redis://`` URL or a ``redis.Redis`` client. ``key_prefix`` starts
    every key the limiter writes (one app's stores apart from another's). ``lease`` (seconds) is how
    long a request counts as in flight at most (a worker that died mid-request frees its slot
    then); ``poll`` how soon a waiting request looks again when only requests in flight hold the
    slots; ``margin`` is added to every reset an answer announces; ``retry_after`` is how long the
    limiter paces locally after Redis failed before it tries Redis again. ``fallback`` is the
    limiter used meanwhile (by default an in-process one with the same ``clock``).

    Raises ``ImportError`` naming the extra when the ``redis`` package is missing.
    """

    def __init__(
        self,
        url_or_client: Any,
        key_prefix: str = "bigcommerce:ratelimit:",
        *,
        lease: float = 120.0,
        poll: float = 0.02,
        margin: float = 0.01,
        retry_after: float = 1.0,
        clock: Optional[Clock] = None,
        fallback: Optional[RateLimiter] = None,
        socket_timeout: float = 1.0,
    ):
        try:
            import redis
        except ImportError:
            raise ImportError(
                'RedisRateLimiter needs the redis package: pip install "bigcommerce-api[redis]"'
            ) from None
        self._errors: Tuple[Type[BaseException], ...] = (redis.RedisError, OSError)
        if isinstance(url_or_client, str):
            self.redis = redis.Redis.from_url(
                url_or_client, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
            )
        else:
            self.redis = url_or_client
        self.key_prefix = key_prefix
        self.lease_ms = int(lease * 1000)
        self.poll_ms = max(1, int(poll * 1000))
        self.margin_ms = int(margin * 1000)
        self.retry_after = retry_after
        self.clock: Clock = clock if clock is not None else SYSTEM_CLOCK
        self._clock_given = clock  # None: Redis's own TIME is the clock
        self._own_fallback = fallback is None
        self.fallback: RateLimiter = fallback if fallback is not None else Pacer(clock)
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._release = self.redis.register_script(_RELEASE)
        self._lock = threading.Lock()
        # Tokens of the requests let through and not released yet, by (key, thread); a None token
        # marks a slot the fallback gave. Entries go on release: nothing grows with the stores seen.
        self._tokens: Dict[Tuple[str, int], List[Optional[str]]] = {}
        self._counter = itertools.count()
        self._origin = f"{os.getpid()}-{id(self):x}"
        self._redis_down_until: Optional[float] = None

    def __repr__(self) -> str:
        return f"<RedisRateLimiter prefix={self.key_prefix!r} {'local' if self.pacing_locally else 'redis'}>"

    @property
    def pacing_locally(self) -> bool:
        """Whether Redis failed lately and the fallback limiter is in charge."""
        return self._redis_down_until is not None

    def keys(self, key: str) -> Tuple[str, str]:
        """The Redis keys of store ``key``: its state hash and its in-flight set."""
        base = f"{self.key_prefix}{key}"
        return base, f"{base}:inflight"

    # -- the RateLimiter interface --------------------------------------------------------------

    def acquire(self, key: str, max_wait: float) -> bool:
        """Wait (at most ``max_wait`` seconds) until the shared budget of ``key`` lets a request go.

        Returns False without waiting when the budget says no slot comes within ``max_wait``. An
        unreachable Redis can add up to ``socket_timeout`` once; the fallback then decides.
        """
        clock = self.clock
        give_up = clock.now() + max(0.0, max_wait)
        token = f"{self._origin}-{next(self._counter)}"
        while True:
            if self._use_redis():
                try:
                    wait_ms, reason = self._acquire(
                        keys=self.keys(key), args=[self._now_arg(), token, self.lease_ms, self.poll_ms, self._ttl_ms()]
                    )
                except self._errors as error:
                    self._redis_failed(error)
                    continue
                self._redis_answered()
                if int(reason) == 0:
                    self._remember(key, token)
                    return True
                wait = int(wait_ms) / 1000.0
                left = give_up - clock.now()
                if int(reason) == 1 and wait > left:
                    return False  # the reset is too far: say so now instead of waiting in vain
                if left <= 0:
                    return False
                clock.sleep(min(max(wait, 0.001), left))
                continue
            remaining = max(0.0, give_up - clock.now())
            if not self.fallback.acquire(key, remaining):
                return False
            self._remember(key, None)
            return True

    def release(self, key: str, headers: Optional[Mapping[str, str]], status: Optional[int]) -> None:
        """Report an answer: the request leaves the in-flight set, its headers refresh the budget."""
        token = self._forget(key)
        if token is None:
            self.fallback.release(key, headers, status)
            return
        found = parse_rate_limit(headers) if headers is not None else {}
        args: List[Union[str, int]] = [self._now_arg(), token, self._ttl_ms(), self.margin_ms]
        if status == 429 and "ms_until_reset" not in found:
            retry = retry_after_seconds(headers or {})
            if retry is not None:
                found["ms_until_reset"] = int(retry * 1000)
        args += [
            str(found.get(name, ""))
            for name in ("requests_remaining", "ms_until_reset", "requests_quota", "window_size_ms")
        ]
        args.append("1" if status == 429 else "0")
        try:
            self._release(keys=self.keys(key), args=args)
        except self._errors as error:
            self._redis_failed(error)  # the token's lease frees the slot in Redis later

    # -- helpers --------------------------------------------------------------------------------

    def _now_arg(self) -> str:
        return str(int(self.clock.now() * 1000)) if self._clock_given is not None else ""

    def _ttl_ms(self) -> int:
        # Idle stores vanish from Redis: a window's state is stale after a window anyway.
        return max(self.lease_ms, 120000)

    def _use_redis(self) -> bool:
        down_until = self._redis_down_until
        return down_until is None or self.clock.now() >= down_until

    def _redis_failed(self, error: BaseException) -> None:
        with self._lock:
            first = self._redis_down_until is None
            self._redis_down_until = self.clock.now() + self.retry_after
        if first:
            log.warning(
                "bigcommerce: Redis rate limiter unreachable (%s: %s); pacing in this process until it is back",
                type(error).__name__,
                error,
            )

    def _redis_answered(self) -> None:
        if self._redis_down_until is not None:
            with self._lock:
                was_down, self._redis_down_until = self._redis_down_until is not None, None
                if was_down and self._own_fallback and not any(None in tokens for tokens in self._tokens.values()):
                    self.fallback = Pacer(self._clock_given)  # forget the stores paced meanwhile
            if was_down:
                log.warning("bigcommerce: Redis rate limiter reachable again; sharing the quota again")

    def _remember(self, key: str, token: Optional[str]) -> None:
        with self._lock:
            self._tokens.setdefault((key, threading.get_ident()), []).append(token)

    def _forget(self, key: str) -> Optional[str]:
        """The token of this thread's oldest unreleased request to ``key`` (else any thread's)."""
        with self._lock:
            slot = (key, threading.get_ident())
            if slot not in self._tokens:
                slot = next((k for k in self._tokens if k[0] == key), slot)
            tokens = self._tokens.get(slot)
            if not tokens:
                return None
            token = tokens.pop(0)
            if not tokens:
                del self._tokens[slot]
            return token
