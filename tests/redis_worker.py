"""One worker of the shared-quota tests and benchmark: walk a range of a store's products.

    python tests/redis_worker.py STORE_URL REDIS_URL|- MIN_ID MAX_ID LIMIT CONCURRENCY [STORE_HASH]

REDIS_URL ``-`` uses the in-process pacer instead. Prints one JSON line: the ids walked, the seconds
taken and the warnings logged. Tests and the benchmark fork workers and call :func:`walk` instead.
"""

import json
import logging
import sys
import time

from bigcommerce.api import BigcommerceApi
from bigcommerce.ratelimit_redis import RedisRateLimiter


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def walk(store_url, redis_url, min_id, max_id, limit, concurrency, store_hash="sandbox"):
    """Walk products ``min_id``..``max_id``; returns {"ids", "seconds", "warnings"}."""
    collect = _Collect()
    logging.getLogger("bigcommerce").addHandler(collect)
    if redis_url == "-":
        options = {"pace": True}
    else:
        options = {"rate_limiter": RedisRateLimiter(redis_url, key_prefix="w:")}
    api = BigcommerceApi(
        client_id="sandbox-client",
        store_hash=store_hash,
        access_token="sandbox-token",
        api_service=store_url,
        rate_limit_wait=300,
        pool_size=int(concurrency) + 1,
        **options,
    )
    started = time.monotonic()
    ids = [
        p["id"]
        for p in api.Products.iterall(
            min_id=int(min_id), max_id=int(max_id), limit=int(limit), concurrency=int(concurrency)
        )
    ]
    return {"ids": ids, "seconds": time.monotonic() - started, "warnings": collect.messages}


def walk_into(queue, index, *args):
    """:func:`walk` in a forked process: puts (index, result or the error's text) on ``queue``."""
    try:
        queue.put((index, walk(*args)))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails the test
        queue.put((index, f"{type(error).__name__}: {error}"))


if __name__ == "__main__":
    print(json.dumps(walk(*sys.argv[1:])))
