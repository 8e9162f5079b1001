"""How much of a store's rate-limit quota the client uses: one process, many processes, the parser.

    python benchmarks/quota.py            # --quick: 5,000 products, 10 requests per 1 s (about 2 minutes)
    python benchmarks/quota.py --full     # 20,000 products, 50 requests per 5 s (several minutes)
                               [--repeat 3] [--only single,cpu,workers]

The store is a sandbox in its own process, with 300 ms latency before every request and a scaled
quota; ``bound`` is what the quota allows in steady state: quota / window x 250 items per second.
Figures are items/s as a fraction of the bound (a short walk can beat 1.0: its first window's quota
is spent at once) and the 429s the store sent (the sandbox counts them), medians over ``--repeat``.

single
    One process walks the whole store: ``iterall()`` as it is by default (one request at a time),
    ``concurrency=2, 4, 8`` without and with ``pace=True`` (the in-process pacer: drain the window,
    then wait for its reset), and ``bigcommerce export`` with its defaults (a subprocess: its
    interpreter start-up is counted).
cpu
    A CPU-bound walk: no latency, no quota, two walks at once in one process (``concurrency=4``
    each), with the standard ``json`` parser and with orjson (``bigcommerce.jsonlib``). Printed:
    items/s and the client's CPU seconds. Until the transport parses through ``jsonlib.loads``, the
    benchmark routes ``bigcommerce.exception.parse_json`` through it for both runs (see the note).
workers
    N forked processes (N = 1, 2, 4, 8) walk one store together, each its own slice of the ids with
    ``concurrency=8``: each pacing itself (``pace=True``) against all sharing one budget through
    ``RedisRateLimiter`` (a redis-server started on a free loopback port; skipped when missing).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bigcommerce import exception, jsonlib  # noqa: E402
from bigcommerce.api import BigcommerceApi  # noqa: E402
from bigcommerce.sandbox import Sandbox  # noqa: E402

FORK = multiprocessing.get_context("fork")


# -- the store, in its own process -----------------------------------------------------------------


def _serve(connection: Any, options: Dict[str, Any]) -> None:
    with Sandbox(**options) as store:
        connection.send(store.url)
        while True:
            command = connection.recv()
            if command == "stop":
                return
            if command == "reset":
                store.reset()  # a fresh rate window and fresh counts
                connection.send(None)
            elif command == "stats":
                connection.send(store.stats())


class Store:
    """A sandbox in a forked process; ``reset()`` before each run, ``throttled()`` after it."""

    def __init__(self, **options: Any):
        self._pipe, child = FORK.Pipe()
        self._process = FORK.Process(target=_serve, args=(child, options), daemon=True)
        self._process.start()
        self.url: str = self._pipe.recv()

    def reset(self) -> None:
        self._pipe.send("reset")
        self._pipe.recv()

    def throttled(self) -> int:
        self._pipe.send("stats")
        return int(self._pipe.recv()["throttled_total"])

    def stop(self) -> None:
        self._pipe.send("stop")
        self._process.join(30)


def api_for(store: Store, **options: Any) -> BigcommerceApi:
    return BigcommerceApi(
        client_id="sandbox-client",
        store_hash="sandbox",
        access_token="sandbox-token",
        api_service=store.url,
        rate_limit_wait=600,
        **options,
    )


def timed(store: Store, run: Callable[[], int]) -> Tuple[float, int, int]:
    """(seconds, items, 429s) of one run on a freshly reset store."""
    store.reset()
    started = time.monotonic()
    items = run()
    return time.monotonic() - started, items, store.throttled()


def median_runs(store: Store, run: Callable[[], int], repeat: int) -> Tuple[float, int, int]:
    runs = [timed(store, run) for _ in range(repeat)]
    seconds = statistics.median(r[0] for r in runs)
    return seconds, runs[0][1], int(statistics.median(r[2] for r in runs))


# -- single process --------------------------------------------------------------------------------


def walk(api: BigcommerceApi, concurrency: int, **filters: Any) -> int:
    return sum(1 for _ in api.Products.iterall(limit=250, concurrency=concurrency, **filters))


def cli_export(store: Store) -> int:
    env = dict(
        os.environ,
        BIGCOMMERCE_STORE_HASH="sandbox",
        BIGCOMMERCE_CLIENT_ID="sandbox-client",
        BIGCOMMERCE_ACCESS_TOKEN="sandbox-token",
        BC_API_ENDPOINT=store.url,
    )
    for name in ("BIGCOMMERCE_HOST", "BIGCOMMERCE_USERNAME", "BIGCOMMERCE_API_TOKEN"):
        env.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-m", "bigcommerce", "export", "products", "-q"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=True,
    )
    return out.stdout.count(b"\n")


def bench_single(store: Store, bound: float, repeat: int) -> List[Dict[str, Any]]:
    runs: List[Tuple[str, Callable[[], int]]] = [("iterall() default", lambda: walk(api_for(store), 1))]
    for concurrency in (2, 4, 8):
        for pace in (False, True):

            def concurrent(c: int = concurrency, p: bool = pace) -> int:
                return walk(api_for(store, pace=p, pool_size=c + 1), c)

            runs.append((f"concurrency={concurrency} pace={pace}", concurrent))
    runs.append(("bigcommerce export (defaults)", lambda: cli_export(store)))
    rows = []
    for name, run in runs:
        seconds, items, throttled = median_runs(store, run, repeat)
        rows.append(
            {
                "part": "single",
                "run": name,
                "items": items,
                "seconds": round(seconds, 2),
                "fraction": round(items / seconds / bound, 3),
                "429s": throttled,
            }
        )
        print_row(rows[-1])
    return rows


# -- CPU-bound walk ----------------------------------------------------------------------------------


def _parse_through_jsonlib() -> None:
    # What the integrator wires: the transport's body parser calling jsonlib.loads.
    def parse_json(content: bytes) -> Any:
        try:
            return jsonlib.loads(content)
        except UnicodeDecodeError as error:
            raise ValueError(f"not UTF-8: {error.reason}") from None

    import bigcommerce.connection as connection_module

    exception.parse_json = parse_json
    connection_module.parse_json = parse_json  # type: ignore[attr-defined]


def bench_cpu(products: int, repeat: int) -> List[Dict[str, Any]]:
    store = Store(products=products, rate_limit=None)
    _parse_through_jsonlib()
    rows = []
    try:
        for backend in ("json", "orjson"):
            try:
                jsonlib.use_orjson(backend == "orjson")
            except RuntimeError:
                print("orjson is not installed: no fast-parser figure")
                continue

            def two_walks() -> int:
                counts: List[int] = []
                threads = [
                    threading.Thread(target=lambda: counts.append(walk(api_for(store, pool_size=5), 4)))
                    for _ in range(2)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                return sum(counts)

            cpu: List[float] = []

            def measured(cpu: List[float] = cpu) -> int:
                before = time.process_time()
                items = two_walks()
                cpu.append(time.process_time() - before)
                return items

            seconds, items, _ = median_runs(store, measured, repeat)
            rows.append(
                {
                    "part": "cpu",
                    "run": f"2 walks, parser={backend}",
                    "items": items,
                    "seconds": round(seconds, 2),
                    "items_per_s": round(items / seconds),
                    "client_cpu_s": round(statistics.median(cpu), 2),
                }
            )
            print_row(rows[-1])
    finally:
        jsonlib.use_orjson(jsonlib.ENV_VARIABLE not in os.environ)
        store.stop()
    return rows


# -- many worker processes ---------------------------------------------------------------------------


def bench_workers(store: Store, products: int, bound: float, repeat: int) -> List[Dict[str, Any]]:
    from tests.redis_server import BINARY, RedisServer
    from tests.redis_worker import walk_into

    server = RedisServer().start() if BINARY else None
    rows = []
    try:
        for n in (1, 2, 4, 8):
            for limiter in ("pacer", "redis"):
                if limiter == "redis" and server is None:
                    print("redis-server is not installed: no Redis figures")
                    continue
                url = "-" if limiter == "pacer" else server.url  # type: ignore[union-attr]

                def run(n: int = n, url: str = url) -> int:
                    if url != "-":
                        import redis

                        redis.Redis.from_url(url).flushall()
                    queue = FORK.Queue()
                    share = products // n
                    processes = []
                    for i in range(n):
                        low, high = i * share + 1, products if i == n - 1 else (i + 1) * share
                        process = FORK.Process(
                            target=walk_into, args=(queue, i, store.url, url, low, high, 250, 8), daemon=True
                        )
                        process.start()
                        processes.append(process)
                    results = [queue.get(timeout=900) for _ in processes]
                    for process in processes:
                        process.join(60)
                    failed = [r for _, r in results if not isinstance(r, dict)]
                    if failed:
                        raise RuntimeError(f"a worker failed: {failed[0]}")
                    return sum(len(r["ids"]) for _, r in results)

                seconds, items, throttled = median_runs(store, run, repeat)
                rows.append(
                    {
                        "part": "workers",
                        "run": f"N={n} {limiter}",
                        "items": items,
                        "seconds": round(seconds, 2),
                        "fraction": round(items / seconds / bound, 3),
                        "429s": throttled,
                    }
                )
                print_row(rows[-1])
    finally:
        if server is not None:
            server.stop()
    return rows


# ---------------------------------------------------------------------------------------------------


def print_row(row: Dict[str, Any]) -> None:
    figures = "  ".join(f"{k}={v}" for k, v in row.items() if k not in ("part", "run"))
    print(f"  {row['part']:<8} {row['run']:<34} {figures}", flush=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small store, short windows (default)")
    size.add_argument("--full", action="store_true", help="20,000 products, 50 requests per 5 s")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; the median is printed")
    parser.add_argument("--only", default="single,cpu,workers", help="parts to run, comma-separated")
    parser.add_argument("--json", metavar="FILE", help="also write the rows here")
    args = parser.parse_args(argv)
    if args.full:
        products, quota, window_ms, cpu_products = 20000, 50, 5000, 20000
    else:
        products, quota, window_ms, cpu_products = 5000, 10, 1000, 5000
    bound = quota / (window_ms / 1000) * 250
    parts = set(args.only.split(","))
    print(
        f"store: {products} products, {quota} requests per {window_ms} ms, 300 ms latency; "
        f"bound {bound:.0f} items/s; parser {jsonlib.backend()}; repeat {args.repeat}",
        flush=True,
    )
    rows: List[Dict[str, Any]] = []
    if parts & {"single", "workers"}:
        store = Store(products=products, rate_limit=(quota, window_ms), latency_ms=300)
        try:
            if "single" in parts:
                rows += bench_single(store, bound, args.repeat)
            if "workers" in parts:
                rows += bench_workers(store, products, bound, args.repeat)
        finally:
            store.stop()
    if "cpu" in parts:
        rows += bench_cpu(cpu_products, args.repeat)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
