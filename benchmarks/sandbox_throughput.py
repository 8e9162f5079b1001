"""Sandbox throughput: simple GETs per second, and 250-item pages per second, over keep-alive.

Starts the sandbox in its own process (``python -m bigcommerce.sandbox`` on a free port), then
drives it from this process with raw ``http.client`` keep-alive connections, one per client
thread (no JSON decoding on the client side), and prints the figures. Usage::

    python benchmarks/sandbox_throughput.py [--seconds 5] [--threads 1] [--path /products/1]
                                            [--page-products 10000] [--page-threads 2]
                                            [--skip-simple] [--skip-pages]

Two measurements:

simple
    ``GET {v2}/products/1`` (``--path``) in a loop, against a store of ``--products`` products.
    The requirement is at least 1,500 requests/s on a 2-core machine.
pages
    ``GET {v2}/products?limit=250&page=N`` over every page of a store of ``--page-products``
    products (10,000 = 40 pages), round and round, from ``--page-threads`` threads. Printed: pages/s,
    and, on Linux, the sandbox process's CPU time per page (from ``/proc/PID/stat``), once for the
    first walk over the store (records rendered for the first time) and once in steady state (the
    sandbox serves each record's cached JSON bytes). The goal is well under 1 ms of server CPU per
    250-item page.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import subprocess
import sys
import threading
import time
from typing import List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_sandbox(products: int):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bigcommerce.sandbox",
            "--port",
            "0",
            "--products",
            str(products),
            "--rate-limit",
            "none",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    if not line.startswith("sandbox ready"):
        proc.kill()
        raise SystemExit(f"sandbox did not start: {line!r} {proc.stderr.read()}")
    fields = dict(item.split("=", 1) for item in line.split()[2:])
    return proc, fields


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU time of a process so far (Linux ``/proc``), or None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def drive(
    host: str, port: int, paths, headers: dict, deadline: float, counts: list, index: int, limit: Optional[int] = None
) -> None:
    """GET the next of ``paths`` (an iterator shared by the threads) until ``deadline`` or until
    ``limit`` requests were made; ``counts[index]`` = requests made."""
    conn = http.client.HTTPConnection(host, port)
    done = 0
    while time.perf_counter() < deadline and (limit is None or done < limit):
        try:
            path = next(paths)
        except StopIteration:
            break
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"unexpected status {response.status} for {path}")
        done += 1
    conn.close()
    counts[index] = done


class SharedCycle:
    """A thread-safe iterator over ``items`` (round and round, or once)."""

    def __init__(self, items: List[str], once: bool = False):
        self._it = iter(items) if once else itertools.cycle(items)
        self._lock = threading.Lock()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        with self._lock:
            return next(self._it)


def run(host: str, port: int, paths, headers: dict, threads: int, seconds: float):
    """(requests, elapsed seconds) of ``threads`` threads working through ``paths``."""
    counts = [0] * threads
    start = time.perf_counter()
    deadline = start + seconds
    workers = [
        threading.Thread(target=drive, args=(host, port, paths, headers, deadline, counts, i)) for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts), time.perf_counter() - start


@contextlib.contextmanager
def sandbox(products: int):
    """A sandbox process with ``products`` products: yields (host, port, v2 root, headers, pid)."""
    proc, fields = start_sandbox(products)
    try:
        host, port = fields["url"].split("://", 1)[1].rsplit(":", 1)
        headers = {"X-Auth-Token": fields["access_token"], "Accept": "application/json"}
        yield host, int(port), "/stores/{}/v2".format(fields["store_hash"]), headers, proc.pid
    finally:
        proc.terminate()
        proc.wait(10)


def measured(pid: int, *run_args):
    """``run(*run_args)`` plus the sandbox CPU per request as text ('' without /proc)."""
    before = cpu_seconds(pid)
    total, elapsed = run(*run_args)
    after = cpu_seconds(pid)
    cpu = (
        ""
        if before is None or after is None
        else (", sandbox CPU %.2f ms/page" % ((after - before) * 1000.0 / max(total, 1)))
    )
    return total, elapsed, cpu


def simple(args) -> None:
    with sandbox(args.products) as (host, port, root, headers, _):
        path = root + args.path
        run(host, port, SharedCycle([path]), headers, 1, 0.3)  # warm up
        total, elapsed = run(host, port, SharedCycle([path]), headers, args.threads, args.seconds)
        print(
            f"sandbox throughput: {total / elapsed:.0f} GET/s over keep-alive ({total} requests, "
            f"{args.threads} client thread(s), {elapsed:.1f} s, GET {args.path})",
            flush=True,
        )


def pages(args) -> None:
    count = args.page_products
    with sandbox(count) as (host, port, root, headers, pid):
        paths = [f"{root}/products?limit=250&page={page}" for page in range(1, (count + 249) // 250 + 1)]
        # first walk: every record is rendered for the first time
        total, elapsed, cold = measured(
            pid, host, port, SharedCycle(paths, once=True), headers, args.page_threads, 600.0
        )
        print(
            f"sandbox pages, first walk: {total} pages of 250 in {elapsed:.2f} s ({total / elapsed:.0f} pages/s{cold})",
            flush=True,
        )
        # steady state: cached record bytes
        total, elapsed, warm = measured(pid, host, port, SharedCycle(paths), headers, args.page_threads, args.seconds)
        print(
            f"sandbox throughput: {total / elapsed:.0f} pages/s of 250 products over keep-alive "
            f"({total} pages, {args.page_threads} client thread(s), {elapsed:.1f} s, "
            f"{count}-product store{warm})",
            flush=True,
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    parser.add_argument("--threads", type=int, default=1, help="client threads for simple GETs")
    parser.add_argument("--path", default="/products/1", help="path under the v2 root")
    parser.add_argument("--products", type=int, default=100, help="store size for simple GETs")
    parser.add_argument(
        "--page-products",
        type=int,
        default=10000,
        help="store size for the page measurement (default 10,000 = 40 pages)",
    )
    parser.add_argument("--page-threads", type=int, default=2, help="client threads for the page measurement")
    parser.add_argument("--skip-simple", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_simple:
        simple(args)
    if not args.skip_pages:
        pages(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
