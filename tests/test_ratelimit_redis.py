"""RedisRateLimiter against a real redis-server the tests start: semantics on a fake clock, atomicity
under threads, many stores, Redis going away and coming back."""

import logging
import threading

import pytest

redis = pytest.importorskip("redis", reason="the redis package is not installed (the [redis] extra)")

from bigcommerce.ratelimit import RateLimiter  # noqa: E402
from bigcommerce.ratelimit_redis import RedisRateLimiter  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402


@pytest.fixture(scope="module")
def server():
    running = RedisServer().start()
    yield running
    running.stop()


@pytest.fixture
def client(server):
    connection = redis.Redis.from_url(server.url)
    connection.flushall()
    yield connection
    connection.close()


class FakeClock:
    """Time that passes only when someone sleeps (thread-safe)."""

    def __init__(self, start: float = 1_000_000.0):
        self.time = start
        self.slept = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.time

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.time += seconds


class RecordingFallback:
    """A stand-in for the in-process limiter: lets everything through and records the calls."""

    def __init__(self):
        self.calls = []

    def acquire(self, key, max_wait):
        self.calls.append(("acquire", key))
        return True

    def release(self, key, headers, status):
        self.calls.append(("release", key, status))


def answer(left, reset_ms=1000, quota=5, window_ms=1000):
    return {
        "X-Rate-Limit-Requests-Left": str(left),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "x-rate-limit-requests-quota": str(quota),
        "X-RATE-LIMIT-TIME-WINDOW-MS": str(window_ms),
    }


def limiter_for(client, clock, **options):
    options.setdefault("fallback", RecordingFallback())
    return RedisRateLimiter(client, key_prefix="t:", clock=clock, margin=0, **options)


def test_is_a_rate_limiter(client):
    assert isinstance(limiter_for(client, FakeClock()), RateLimiter)


def test_an_unknown_store_gets_one_request_at_a_time_until_an_answer_describes_it(client):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    assert limiter.acquire("store1", max_wait=0)
    assert not limiter.acquire("store1", max_wait=0)  # the first answer is not in yet
    assert clock.slept == []
    limiter.release("store1", answer(left=4), 200)
    assert [limiter.acquire("store1", max_wait=0) for _ in range(5)] == [True] * 4 + [False]


def test_drains_the_window_then_waits_for_its_reset_and_never_longer_than_max_wait(client):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    assert limiter.acquire("s", 0)
    limiter.release("s", answer(left=2, reset_ms=800), 200)
    for left in (1, 0):
        assert limiter.acquire("s", 0)
        limiter.release("s", answer(left=left, reset_ms=700), 200)
    # Nothing left; the reset is 0.7 s away: a budget of 0.5 s gives up at once, without sleeping.
    assert not limiter.acquire("s", max_wait=0.5)
    assert clock.slept == []
    assert limiter.acquire("s", max_wait=2)
    assert sum(clock.slept) == pytest.approx(0.7, abs=0.002)
    assert client.hget("t:s", "left") == b"5"  # the quota is back after the reset


def test_requests_in_flight_count_against_what_is_left(client):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    assert limiter.acquire("s", 0)
    limiter.release("s", answer(left=3, reset_ms=5000, window_ms=5000), 200)
    assert [limiter.acquire("s", 0) for _ in range(4)] == [True, True, True, False]
    assert client.zcard("t:s:inflight") == 3
    # Only in-flight requests hold the slots: a wait of 0.1 s looks again every poll, then gives up.
    assert not limiter.acquire("s", max_wait=0.1)
    assert 0 < sum(clock.slept) <= 0.1 + 1e-9
    limiter.release("s", answer(left=2, reset_ms=4900, window_ms=5000), 200)
    assert not limiter.acquire("s", 0)  # 2 left, 2 still in flight
    limiter.release("s", answer(left=1, reset_ms=4800, window_ms=5000), 200)
    assert not limiter.acquire("s", 0)  # 1 left, 1 in flight
    limiter.release("s", answer(left=1, reset_ms=4800, window_ms=5000), 200)  # a retry was free
    assert limiter.acquire("s", 0)


def test_late_answers_never_raise_what_is_left_and_a_later_reset_starts_a_new_window(client):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    assert limiter.acquire("s", 0)
    limiter.release("s", answer(left=10, reset_ms=3000, quota=20, window_ms=4000), 200)
    assert all(limiter.acquire("s", 0) for _ in range(4))
    limiter.release("s", answer(left=4, reset_ms=2900, quota=20, window_ms=4000), 200)
    limiter.release("s", answer(left=9, reset_ms=2950, quota=20, window_ms=4000), 200)  # late, same window
    assert client.hget("t:s", "left") == b"4"
    limiter.release("s", answer(left=18, reset_ms=3000 + 4000, quota=20, window_ms=4000), 200)
    assert client.hget("t:s", "left") == b"18"  # a reset a whole window later: the next window
    limiter.release("s", answer(left=1, reset_ms=2900, quota=20, window_ms=4000), 200)
    assert client.hget("t:s", "left") == b"18"  # an answer from the window before: ignored
    assert limiter.fallback.calls == []


def _without_left(headers):
    del headers["X-Rate-Limit-Requests-Left"]  # whatever a 429 says, nothing is left
    return headers


@pytest.mark.parametrize(
    "headers, wait", [(_without_left(answer(left=0, reset_ms=400)), 0.4), ({"X-Retry-After": "2"}, 2.0)]
)  # no reset header
def test_a_429_closes_the_window_until_its_reset(client, headers, wait):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    assert limiter.acquire("s", 0)
    limiter.release("s", answer(left=5), 200)
    assert limiter.acquire("s", 0)
    limiter.release("s", headers, 429)
    assert not limiter.acquire("s", wait - 0.1)
    assert limiter.acquire("s", wait + 1)
    assert sum(clock.slept) == pytest.approx(wait, abs=0.002)


def test_an_answer_without_headers_frees_its_slot(client):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    assert limiter.acquire("s", 0)
    limiter.release("s", None, None)  # connection refused: nothing known
    assert limiter.acquire("s", 0)
    assert client.zcard("t:s:inflight") == 1


def test_a_worker_that_dies_mid_request_frees_its_slot_when_the_lease_ends(client):
    clock = FakeClock()
    dead = limiter_for(client, clock, lease=30)
    alive = limiter_for(client, clock, lease=30)
    assert dead.acquire("s", 0)  # and never releases
    assert not alive.acquire("s", 0)
    clock.sleep(31)
    assert alive.acquire("s", 0)


def test_keys_expire_and_the_limiter_keeps_nothing_per_store(client):
    clock = FakeClock()
    limiter = limiter_for(client, clock)
    stores = [f"store{i}" for i in range(300)]
    for store in stores:
        assert limiter.acquire(store, 0)
        limiter.release(store, answer(left=1), 200)
        assert limiter.acquire(store, 0)
        assert not limiter.acquire(store, 0)  # each store has its own budget
        limiter.release(store, answer(left=0), 200)
    assert limiter._tokens == {}
    keys = client.keys("t:*")
    assert len(keys) == 300  # the in-flight sets are empty, so Redis dropped them
    assert all(0 < client.pttl(key) for key in keys)


def test_atomic_under_threads_exactly_the_budget_goes(server):
    # Real time (Redis's TIME): 16 threads race for a budget of 40 requests in a 60 s window.
    client = redis.Redis.from_url(server.url)
    client.flushall()
    limiter = RedisRateLimiter(server.url, key_prefix="a:", fallback=RecordingFallback())
    assert limiter.acquire("s", 0)
    limiter.release("s", answer(left=40, reset_ms=60000, quota=40, window_ms=60000), 200)
    granted = []
    start = threading.Barrier(16)

    def worker():
        start.wait()
        mine = 0
        while limiter.acquire("s", max_wait=0):
            mine += 1
        granted.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(granted) == 40
    assert client.zcard("a:s:inflight") == 40
    client.close()


def test_redis_down_falls_back_with_one_warning_then_resumes(caplog):
    running = RedisServer().start()
    clock = FakeClock()
    fallback = RecordingFallback()
    limiter = RedisRateLimiter(
        running.url, key_prefix="d:", clock=clock, fallback=fallback, retry_after=1.0, socket_timeout=0.5
    )
    assert limiter.acquire("s", 0)
    limiter.release("s", answer(left=5), 200)
    running.stop()
    with caplog.at_level(logging.WARNING, logger="bigcommerce.ratelimit"):
        for _ in range(3):
            assert limiter.acquire("s", 0)
            limiter.release("s", answer(left=4), 200)
        assert limiter.pacing_locally
        assert fallback.calls == [("acquire", "s"), ("release", "s", 200)] * 3
        unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(unreachable) == 1
        running.start()  # same port, empty: the store is unknown again
        clock.sleep(1.0)
        assert limiter.acquire("s", 0)
        assert not limiter.pacing_locally
        assert any("reachable again" in r.getMessage() for r in caplog.records)
        limiter.release("s", answer(left=2), 200)
    assert len(fallback.calls) == 6  # back on Redis: the fallback saw nothing more
    assert redis.Redis.from_url(running.url).hget("d:s", "left") == b"2"
    running.stop()


def test_missing_redis_package_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_redis(name, *args, **kwargs):
        if name == "redis":
            raise ImportError("No module named 'redis'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_redis)
    with pytest.raises(ImportError, match=r"bigcommerce-api\[redis\]"):
        RedisRateLimiter("redis://127.0.0.1:1/0")


def test_the_default_fallback_is_the_in_process_pacer_and_is_forgotten_once_redis_is_back():
    import bigcommerce.ratelimit
    from bigcommerce.ratelimit import Pacer

    assert bigcommerce.ratelimit.RedisRateLimiter is RedisRateLimiter  # the lazy re-export
    running = RedisServer().start()
    clock = FakeClock()
    limiter = RedisRateLimiter(running.url, clock=clock, retry_after=1.0, socket_timeout=0.5)
    assert isinstance(limiter.fallback, Pacer)
    running.stop()
    assert limiter.acquire("s", 0)  # Redis is gone: the pacer lets it through
    limiter.release("s", answer(left=3), 200)
    paced = limiter.fallback
    assert paced.state("s")["remaining"] == 3
    running.start()
    clock.sleep(1.0)
    assert limiter.acquire("s", 0)
    assert limiter.fallback is not paced and limiter.fallback.state("s")["remaining"] is None
    limiter.release("s", answer(left=2), 200)
    running.stop()
