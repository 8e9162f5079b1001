"""Sandbox throughput: simple GETs per second over keep-alive.

Starts the sandbox in its own process (``python -m bigcommerce.sandbox`` on a free port), then
drives it from this process with raw ``http.client`` keep-alive connections, one per client
thread, and prints the figure. Usage::

    python benchmarks/sandbox_throughput.py [--seconds 5] [--threads 1] [--path /products/1]

The requirement is at least 1,500 requests/s on a 2-core machine.
"""
from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_sandbox(products: int):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bigcommerce.sandbox", "--port", "0", "--products", str(products),
         "--rate-limit", "none"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=ROOT)
    line = proc.stdout.readline()
    if not line.startswith("sandbox ready"):
        proc.kill()
        raise SystemExit("sandbox did not start: %r %s" % (line, proc.stderr.read()))
    fields = dict(item.split("=", 1) for item in line.split()[2:])
    return proc, fields


def drive(host: str, port: int, path: str, headers: dict, deadline: float, counts: list,
          index: int) -> None:
    conn = http.client.HTTPConnection(host, port)
    done = 0
    while time.perf_counter() < deadline:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit("unexpected status %d" % response.status)
        done += 1
    conn.close()
    counts[index] = done


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--path", default="/products/1", help="path under the v2 root")
    parser.add_argument("--products", type=int, default=100)
    args = parser.parse_args(argv)
    proc, fields = start_sandbox(args.products)
    try:
        url = fields["url"]
        host, port = url.split("://", 1)[1].rsplit(":", 1)
        path = "/stores/%s/v2%s" % (fields["store_hash"], args.path)
        headers = {"X-Auth-Token": fields["access_token"], "Accept": "application/json"}
        # warm up
        drive(host, int(port), path, headers, time.perf_counter() + 0.3, [0], 0)
        counts = [0] * args.threads
        start = time.perf_counter()
        deadline = start + args.seconds
        threads = [threading.Thread(target=drive, args=(host, int(port), path, headers, deadline,
                                                        counts, i)) for i in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        total = sum(counts)
        print("sandbox throughput: %.0f GET/s over keep-alive (%d requests, %d client thread(s), "
              "%.1f s, GET %s)" % (total / elapsed, total, args.threads, elapsed, args.path))
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
