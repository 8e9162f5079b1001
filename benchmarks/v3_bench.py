"""v3 benchmarks: the resource layer against raw ``requests`` on the same sandbox (in its own process).

    python benchmarks/v3_bench.py              # 10,000 products, 1,000 variants, 3 rounds (about a minute)
    python benchmarks/v3_bench.py --quick      # 2,000 products, 200 variants, 1 round
    python benchmarks/v3_bench.py --json out.json

Figures (ratio = ours / raw requests, the median of per-round ratios, rounds alternating who goes first):

1. ``api.v3.Products.iterall(include="variants", limit=250)`` over every product, against a
   ``requests.Session`` loop over the same pages (``json()`` of each, no objects);
   also the same walk with ``concurrency=4`` against the sequential raw loop (info);
2. ``api.v3.Variants.batch_update`` of N variants (50 a request, as documented), against
   ``Session.put`` of the same chunks, on a second store just big enough for N variants (1,000).

Always exits 0; the numbers are for reading, not for a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import requests  # noqa: E402
from run import auth_headers, client, gc_off, paired, ratio_of, sandbox_process  # noqa: E402

V3 = "/stores/bench/v3/"
BATCH = 50  # variants per PUT catalog/variants, as documented


def bench_iterall(url: str, rounds: int, products: int) -> List[Dict[str, Any]]:
    api = client(url, pool_size=8)
    session = requests.Session()
    session.headers.update(auth_headers())

    def raw() -> Tuple[float, int]:
        started = time.perf_counter()
        seen, page = 0, 1
        while True:
            body = session.get(
                url + V3 + "catalog/products", params={"include": "variants", "limit": 250, "page": page}
            ).json()
            seen += len(body["data"])
            pages = body["meta"]["pagination"]
            if not body["data"] or pages["current_page"] >= pages["total_pages"]:
                break
            page += 1
        return time.perf_counter() - started, seen

    def ours(concurrency: int) -> Tuple[float, int]:
        started = time.perf_counter()
        seen = sum(1 for _ in api.v3.Products.iterall(include="variants", limit=250, concurrency=concurrency))
        return time.perf_counter() - started, seen

    assert raw()[1] == ours(1)[1] == products  # warm-up, and both see every product
    counts: List[int] = []
    cpu: Dict[str, List[float]] = {"ours": [], "raw": [], "other": []}

    def timed(call: Any, side: str) -> Any:
        def run() -> float:
            started = time.process_time()
            seconds, seen = call()
            cpu[side].append(time.process_time() - started)
            counts.append(seen)
            return float(seconds)

        return run

    with gc_off():
        mine, theirs = paired(timed(lambda: ours(1), "ours"), timed(raw, "raw"), rounds)
        fast, base = paired(timed(lambda: ours(4), "other"), timed(raw, "other"), rounds)
    assert set(counts) == {products}
    # The wall clock is mostly the sandbox's; the client's own CPU per walk is the steadier figure.
    return [
        {
            "figure": f"v3 iterall(include='variants') {products} products, c=1",
            "ours_s": statistics.median(mine),
            "raw_s": statistics.median(theirs),
            "ratio": ratio_of(mine, theirs),
        },
        {
            "figure": f"v3 iterall(include='variants') {products} products, client CPU",
            "ours_s": statistics.median(cpu["ours"]),
            "raw_s": statistics.median(cpu["raw"]),
            "ratio": ratio_of(cpu["ours"], cpu["raw"]),
        },
        {
            "figure": f"v3 iterall(include='variants') {products} products, c=4 (info)",
            "ours_s": statistics.median(fast),
            "raw_s": statistics.median(base),
            "ratio": ratio_of(fast, base),
        },
    ]


def bench_batch(url: str, rounds: int, variants: int) -> List[Dict[str, Any]]:
    api = client(url)
    session = requests.Session()
    session.headers.update({**auth_headers(), "Content-Type": "application/json"})
    ids: List[int] = []
    page = 1
    while len(ids) < variants:
        body = session.get(url + V3 + "catalog/variants", params={"limit": 250, "page": page}).json()
        if not body["data"]:
            break
        ids += [v["id"] for v in body["data"]]
        page += 1
    ids = ids[:variants]
    price = [10.0]

    def items() -> List[Dict[str, Any]]:
        price[0] += 0.25
        return [{"id": i, "price": price[0]} for i in ids]

    def raw() -> float:
        batch = items()
        started = time.perf_counter()
        for start in range(0, len(batch), BATCH):
            answer = session.put(url + V3 + "catalog/variants", data=json.dumps(batch[start : start + BATCH]))
            answer.raise_for_status()
            answer.json()
        return time.perf_counter() - started

    def ours() -> float:
        batch = items()
        started = time.perf_counter()
        result = api.v3.Variants.batch_update(batch)
        elapsed = time.perf_counter() - started
        assert len(result) == len(batch)
        return elapsed

    ours()
    raw()
    with gc_off():
        mine, theirs = paired(ours, raw, rounds)
    return [
        {
            "figure": f"v3 Variants.batch_update of {len(ids)} variants ({BATCH} a request)",
            "ours_s": statistics.median(mine),
            "raw_s": statistics.median(theirs),
            "ratio": ratio_of(mine, theirs),
        }
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 products, one round")
    parser.add_argument("--products", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--variants", type=int, default=None, help="variants per batch (default 1000)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args()
    products = args.products or (2000 if args.quick else 10000)
    rounds = args.rounds or (1 if args.quick else 3)
    variants = args.variants or (200 if args.quick else 1000)
    started = time.perf_counter()
    with sandbox_process(products=products) as server:
        rows = bench_iterall(server.url, rounds, products)
    with sandbox_process(products=variants) as server:  # demo products have one or more variants each
        rows += bench_batch(server.url, rounds, variants)
    width = max(len(r["figure"]) for r in rows)
    print(f"{'figure':<{width}}  {'ours':>8}  {'raw':>8}  ratio")
    for row in rows:
        print(f"{row['figure']:<{width}}  {row['ours_s']:7.3f}s  {row['raw_s']:7.3f}s  {row['ratio']:.3f}")
    print(f"({rounds} round(s), {time.perf_counter() - started:.1f} s in all)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
