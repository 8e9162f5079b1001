"""Many worker processes share one store's quota through RedisRateLimiter, over real HTTP and a real
redis-server: 2, 4 and 8 processes, a Redis restart mid-run, many stores at once.

The store's quota is scaled down (20 requests per second) so that a few hundred products take a few
windows; the assertions are on what the store saw (429s, pages) and what each worker got.
"""

import multiprocessing
import threading
import time

import pytest

redis = pytest.importorskip("redis", reason="the redis package is not installed (the [redis] extra)")

from bigcommerce.ratelimit_redis import RedisRateLimiter  # noqa: E402
from bigcommerce.sandbox import Sandbox  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402
from tests.redis_worker import walk_into  # noqa: E402

# Forked workers start in milliseconds; elsewhere they start a fresh interpreter.
CONTEXT = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
PRODUCTS = 300
QUOTA = (20, 1000)  # requests, window in ms
LIMIT = 10


@pytest.fixture(scope="module")
def server():
    running = RedisServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shop():
    with Sandbox(products=PRODUCTS, rate_limit=QUOTA) as store:
        yield store


@pytest.fixture
def store(shop, server):
    redis.Redis.from_url(server.url).flushall()
    shop.reset()  # a fresh rate window and request log for every test
    return shop


def start_workers(store, redis_url, n, concurrency=2, limit=LIMIT):
    """n forked worker processes (no interpreter start-up to wait for), each walking its own slice of ids."""
    share = PRODUCTS // n
    queue = CONTEXT.Queue()
    processes = []
    for i in range(n):
        low, high = i * share + 1, PRODUCTS if i == n - 1 else (i + 1) * share
        process = CONTEXT.Process(
            target=walk_into, args=(queue, i, store.url, redis_url, low, high, limit, concurrency), daemon=True
        )
        process.start()
        processes.append(process)
    return queue, processes


def finish(started, timeout=120):
    queue, processes = started
    results = dict(queue.get(timeout=timeout) for _ in processes)
    for process in processes:
        process.join(timeout)
    for index, result in results.items():
        assert isinstance(result, dict), f"worker {index}: {result}"
    return [results[i] for i in range(len(processes))]


def statuses(store):
    return [r.status for r in store.requests]


@pytest.mark.parametrize("n", [2, 4, 8])
def test_n_processes_share_the_quota_with_no_429(store, server, n):
    results = finish(start_workers(store, server.url, n))
    walked = sorted(i for result in results for i in result["ids"])
    assert walked == list(range(1, PRODUCTS + 1))  # every product once: none lost, none twice
    assert all(result["ids"] for result in results)  # no worker starved
    seen = statuses(store)
    assert seen.count(429) == 0
    assert seen.count(200) >= PRODUCTS // LIMIT
    # The shared budget was really spent: more than one window's worth of requests went through.
    assert len(seen) > QUOTA[0]


def test_a_redis_restart_mid_run_falls_back_then_resumes(store, server):
    processes = start_workers(store, server.url, 4, limit=4)  # 75 pages: Redis is back before the end
    deadline = time.monotonic() + 60
    while len(store.requests) < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop()
    sent = len(store.requests)
    while len(store.requests) < sent + 8 and time.monotonic() < deadline:
        time.sleep(0.01)  # requests go on without Redis, paced in each process
    server.start()
    results = finish(processes)
    walked = sorted(i for result in results for i in result["ids"])
    assert walked == list(range(1, PRODUCTS + 1))
    errors = "".join(message for result in results for message in result["warnings"])
    assert "unreachable" in errors  # each worker said it paced locally...
    assert "reachable again" in errors  # ...and went back to the shared budget
    # While Redis is away each process spends what it thinks is the whole quota: some 429s, which the
    # transport waits out. Fewer than one window's quota of them, or the fallback did not pace at all.
    assert statuses(store).count(429) < QUOTA[0]


def test_many_stores_at_once_each_with_its_own_budget(server):
    redis.Redis.from_url(server.url).flushall()
    limiter = RedisRateLimiter(server.url, key_prefix="many:")
    stores = [Sandbox(products=60, rate_limit=(8, 1000), store_hash=f"store{i}") for i in range(4)]
    walked = {}
    try:

        def walk(store):
            api = store.api(rate_limiter=limiter, pool_size=4)
            walked[store.store_hash] = [p["id"] for p in api.Products.iterall(limit=10, concurrency=3)]

        threads = [threading.Thread(target=walk, args=(store,)) for store in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for store in stores:
            assert walked[store.store_hash] == list(range(1, 61))
            assert [r.status for r in store.requests].count(429) == 0
        client = redis.Redis.from_url(server.url)
        assert sorted(client.keys("many:*")) == sorted(f"many:store{i}".encode() for i in range(4))
        assert all(client.pttl(key) > 0 for key in client.keys("many:*"))
        assert limiter._tokens == {}
    finally:
        for store in stores:
            store.stop()
