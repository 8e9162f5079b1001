"""Concurrent pagination over real HTTP against the sandbox: what the store receives, and on how many
TCP connections. Nothing here asserts a time; the timings live in ``benchmarks/run.py``.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_classic_helpers import rel

from bigcommerce.resources.base import _pages


@pytest.fixture(scope="module")
def shop():
    """One store with 90 products for the whole module (the walks only read)."""
    from bigcommerce.sandbox import Sandbox

    with Sandbox(products=90) as sandbox:
        yield sandbox


def product_ids(store):
    return sorted(store.state()["products"])


def page_requests(log, resource="products"):
    """Page numbers of the list requests in ``log``, and how many ``/count`` requests there were."""
    pages, counts = [], 0
    for request in log:
        tail = rel(request.path)
        if tail == resource:
            pages.append(int(request.query.get("page", 1)))
        elif tail == f"{resource}/count":
            counts += 1
    return sorted(pages), counts


def sequential_end(total, limit):
    """The last page a one-at-a-time walk asks for: the first short (or empty, 204) page."""
    return total // limit + 1


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), limit=st.integers(1, 40), concurrency=st.integers(1, 6))
def test_walks_over_http_yield_every_item_once_in_order(shop, data, limit, concurrency):
    ids = product_ids(shop)
    total = data.draw(st.integers(0, len(ids)), label="total")
    filters = {"max_id": ids[total - 1]} if total else {"min_id": ids[-1] + 1}
    api = shop.api()
    mark = len(shop.requests)
    got = [p["id"] for p in api.Products.iterall(concurrency=concurrency, limit=limit, **filters)]
    assert got == ids[:total]
    pages, counts = page_requests(shop.requests[mark:])
    assert pages == list(range(1, sequential_end(total, limit) + 1)), "exactly the pages a sequential walk asks for"
    assert counts == (1 if concurrency > 1 else 0)


@pytest.mark.parametrize("concurrency", [2, 3, 5])
@pytest.mark.parametrize("total,limit", [(0, 10), (7, 10), (30, 10), (31, 10), (90, 7)])
def test_without_a_count_at_most_n_minus_1_pages_past_the_end(shop, concurrency, total, limit):
    ids = product_ids(shop)
    filters = {"max_id": ids[total - 1]} if total else {"min_id": ids[-1] + 1}
    api = shop.api()
    mark = len(shop.requests)
    pages = list(_pages(api.connection, "products", dict(filters, limit=limit), concurrency))
    assert [p["id"] for page in pages for p in page] == ids[:total]
    asked, counts = page_requests(shop.requests[mark:])
    end = sequential_end(total, limit)
    assert counts == 0
    assert asked[:end] == list(range(1, end + 1))
    assert max(asked) <= end + concurrency - 1
    assert len(asked) == len(set(asked))


def test_a_204_ends_the_walk(shop):
    # 30 products in pages of 10: pages 1-3 are full, page 4 answers 204 No Content.
    ids = product_ids(shop)
    api = shop.api()
    mark = len(shop.requests)
    got = [p["id"] for p in api.Products.iterall(limit=10, max_id=ids[29])]
    assert got == ids[:30]
    log = [r for r in shop.requests[mark:] if r.path.endswith("/products")]
    assert [(int(r.query["page"]), r.status) for r in log] == [(1, 200), (2, 200), (3, 200), (4, 204)]


def test_sequential_requests_share_one_connection(store):
    store.add_products(60)
    api = store.api()
    before = store.connections
    for product_id in product_ids(store)[:20]:
        api.Products.get(product_id)
    assert sum(1 for _ in api.Products.iterall(limit=7)) == 60
    api.Products.count()
    assert store.connections - before == 1


@pytest.mark.parametrize("concurrency", [2, 4, 8])
def test_concurrency_n_uses_at_most_n_connections(store, concurrency):
    store.add_products(200)
    api = store.api()
    before = store.connections
    for _ in range(2):  # a second walk reuses the pooled connections
        assert sum(1 for _ in api.Products.iterall(concurrency=concurrency, limit=10)) == 200
    assert 1 <= store.connections - before <= concurrency


def test_a_larger_concurrency_than_the_pool_is_refused_before_sending(store):
    api = store.api(pool_size=4)
    with pytest.raises(ValueError, match="pool_size"):
        next(api.Products.iterall(concurrency=5))
    assert store.requests == []


def test_concurrent_pages_retry_through_the_shared_transport(store):
    store.add_products(50)
    api = store.api(backoff_factor=0.001)
    store.inject("status", times=2, match="GET /products", status=503)
    store.inject("reset_before", times=1, match="GET /products")
    got = [p["id"] for p in api.Products.iterall(concurrency=4, limit=5)]
    assert got == product_ids(store)
    # "GET /products" also matches "/products/count": a failed count only means walking without one.
    assert [r.status for r in store.requests].count(503) == 2


def test_concurrent_pages_wait_out_a_429_and_refresh_the_rate_limit_state(store):
    store.add_products(40)
    api = store.api(backoff_factor=0.001)
    store.inject("rate_limit", times=1, match="GET /products", reset_ms=20)
    got = [p["id"] for p in api.Products.iterall(concurrency=3, limit=5)]
    assert got == product_ids(store)
    assert api.connection.rate_limit  # refreshed from the workers' responses
    assert [r.status for r in store.requests].count(429) == 1


def test_the_walk_runs_its_requests_on_worker_threads_and_leaves_none_behind(store):
    store.add_products(30)
    api = store.api()
    before = {t.ident for t in threading.enumerate()}
    assert sum(1 for _ in api.Products.iterall(concurrency=4, limit=5)) == 30
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.name.startswith("bigcommerce-page")]
    assert leftover == []


def test_an_error_answer_reaches_the_caller_in_page_order(store):
    from bigcommerce.exception import ServerException

    store.add_products(60)
    api = store.api(backoff_factor=0.001)
    store.inject("status", times=1, match="GET /products", status=500)  # 500 is never retried
    seen = []
    with pytest.raises(ServerException):
        for page in _pages(api.connection, "products", {"limit": 5}, 4):
            seen.extend(p["id"] for p in page)
    assert seen == product_ids(store)[: len(seen)]
    assert len(seen) % 5 == 0


def test_leaving_the_loop_early_stops_the_walk_and_its_threads(store):
    store.add_products(100)
    api = store.api()
    before = {t.ident for t in threading.enumerate()}
    for index, _ in enumerate(api.Products.iterall(concurrency=4, limit=5)):
        if index == 12:
            break
    # The generator was dropped with the loop: its pool is shut down and nothing more is sent.
    assert [t for t in threading.enumerate() if t.ident not in before and t.name.startswith("bigcommerce-page")] == []
    sent = len(store.requests)
    assert sent <= 1 + 3 + 4  # the count, the pages read, the window
    assert len(store.requests) == sent
