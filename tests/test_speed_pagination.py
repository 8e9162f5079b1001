"""Concurrent pagination without HTTP: order, completeness, stop conditions and pages held.

A fake connection stands in for the transport (the classic ``make_request(method, url, data, params,
headers)`` every resource calls), so
these properties are checked over many page sizes, totals and concurrencies in little time. The same
walks over real HTTP are in ``test_speed_http.py``.
"""

from __future__ import annotations

import threading
import weakref

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigcommerce.resources.base import ListableApiResource, _pages
from bigcommerce.resources.products import ProductOptions, Products


class _NotCountable(ListableApiResource):
    """A listable resource without ``/count``: a concurrent walk has to find the end by looking."""

    __slots__ = ()
    resource_name = "things"


class Page(list):
    """A page the fake hands out; lists cannot be weakly referenced, this subclass can."""

    __slots__ = ("__weakref__",)


class FakeConnection:
    """``total`` products with ids 1..total, paged like the API (204 -> ``None`` past the end).

    ``count_skew`` makes ``/count`` lie by that much; ``count_fails`` makes it raise; ``ignore_paging``
    answers every page with the first one; ``single`` answers with one object instead of a list.
    """

    def __init__(
        self,
        total: int,
        *,
        count_skew: int = 0,
        count_fails: bool = False,
        ignore_paging: bool = False,
        single: bool = False,
        fail_page: int = 0,
    ):
        self.items = [{"id": n, "name": f"product {n}"} for n in range(1, total + 1)]
        self.count_skew = count_skew
        self.count_fails = count_fails
        self.ignore_paging = ignore_paging
        self.single = single
        self.fail_page = fail_page
        self.lock = threading.Lock()
        self.pages = []  # page numbers asked for, in the order they were asked
        self.counts = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.alive = 0
        self.max_alive = 0

    def _released(self):
        with self.lock:
            self.alive -= 1

    def make_request(self, method, url, data=None, params=None, headers=None):
        assert method == "GET" and data is None and headers is None
        query = dict(params or {})
        resource = url
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self._answer(resource, query)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _answer(self, resource, query):
        if resource.endswith("/count"):
            with self.lock:
                self.counts += 1
            if self.count_fails:
                raise RuntimeError("count is down")
            return {"count": max(0, len(self.items) + self.count_skew)}
        limit, number = int(query["limit"]), int(query["page"])
        with self.lock:
            self.pages.append(number)
        if number == self.fail_page:
            raise RuntimeError(f"page {number} failed")
        if self.single:
            return {"id": 1, "name": "the only one"}
        if self.ignore_paging:
            number = 1
        chunk = self.items[(number - 1) * limit : number * limit]
        if not chunk:
            return None  # 204 No Content
        page = Page(dict(item) for item in chunk)
        with self.lock:
            self.alive += 1
            self.max_alive = max(self.max_alive, self.alive)
        weakref.finalize(page, self._released)
        return page


class Answer:
    """What ``SplitConnection.send`` returns: the unparsed answer (its page is tracked)."""

    __slots__ = ("body",)

    def __init__(self, body):
        self.body = body


class SplitConnection(FakeConnection):
    """A fake with the transport's two halves, as ``Connection`` has them: ``send`` (run on the
    workers) and ``handle_response`` (run by the consumer)."""

    parsed = 0

    def send(self, method, url, data=None, params=None, headers=None, timeout=None):
        assert method == "GET" and data is None
        return Answer(self.make_request("GET", url, None, params, None))

    def handle_response(self, method, url, response):
        with self.lock:
            self.parsed += 1
        return response.body


def ids(objects):
    return [obj["id"] for obj in objects]


def sequential_pages(total: int, limit: int, start: int = 1):
    """The pages a one-at-a-time walk asks for: up to the first short or empty one."""
    pages = []
    number = start
    while True:
        pages.append(number)
        if len(range(total)[(number - 1) * limit : number * limit]) < limit:
            return pages
        number += 1


FAST = settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    total=st.integers(0, 70),
    limit=st.integers(1, 12),
    concurrency=st.integers(1, 7),
    start=st.integers(1, 3),
    countable=st.booleans(),
    split=st.booleans(),
)
def test_concurrent_walk_yields_the_sequential_items_in_order(total, limit, concurrency, start, countable, split):
    resource = Products if countable else _NotCountable
    kind = SplitConnection if split else FakeConnection
    sequential = kind(total)
    expected = ids(resource.iterall(connection=sequential, limit=limit, page=start))
    assert expected == list(range((start - 1) * limit + 1, total + 1))
    assert sequential.pages == sequential_pages(total, limit, start)

    store = kind(total)
    got = ids(resource.iterall(connection=store, concurrency=concurrency, limit=limit, page=start))
    assert got == expected
    asked = sorted(store.pages)
    assert asked == sorted(set(asked)), "a page was asked for twice"
    end = sequential.pages[-1]
    # Every page up to the end is asked for; past it, pages still queued when the walk ends may be
    # cancelled in any order, so only their number is bounded.
    assert set(sequential.pages) <= set(asked)
    assert all(end < number <= end + concurrency - 1 for number in set(asked) - set(sequential.pages))
    assert store.max_in_flight <= concurrency
    if split:  # only pages up to the end are parsed, on the consumer's side; sequential walks use get()
        assert store.parsed == (len(sequential.pages) if concurrency > 1 else 0)
    if countable and concurrency > 1:
        assert store.counts == 1
        assert asked == sequential.pages, "with an exact count nothing past the end is asked for"
    else:
        assert store.counts == 0


@FAST
@given(
    total=st.integers(0, 60),
    limit=st.integers(1, 10),
    concurrency=st.integers(2, 6),
    skew=st.integers(-25, 25),
    fails=st.booleans(),
)
def test_a_wrong_or_failing_count_changes_nothing_but_the_requests(total, limit, concurrency, skew, fails):
    store = FakeConnection(total, count_skew=skew, count_fails=fails)
    got = ids(Products.iterall(connection=store, concurrency=concurrency, limit=limit))
    assert got == list(range(1, total + 1))
    end = sequential_pages(total, limit)[-1]
    assert max(store.pages) <= end + concurrency - 1
    assert sorted(store.pages) == sorted(set(store.pages))


@pytest.mark.parametrize("concurrency", [1, 2, 5])
def test_an_endpoint_that_ignores_paging_ends_after_its_first_page(concurrency):
    store = FakeConnection(7, ignore_paging=True)
    got = ids(_NotCountable.iterall(connection=store, concurrency=concurrency, limit=3))
    assert got == [1, 2, 3]
    assert max(store.pages) <= 2 + concurrency - 1


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_single_object_answer_is_one_item(concurrency):
    store = FakeConnection(0, single=True)
    got = list(_NotCountable.iterall(connection=store, concurrency=concurrency))
    assert ids(got) == [1] and isinstance(got[0], _NotCountable)
    assert max(store.pages) <= concurrency


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_failing_page_reaches_the_caller_after_the_pages_before_it(concurrency):
    store = FakeConnection(50, fail_page=3)
    seen = []
    with pytest.raises(RuntimeError, match="page 3 failed"):
        for obj in Products.iterall(connection=store, concurrency=concurrency, limit=5):
            seen.append(obj["id"])
    assert seen == list(range(1, 11))


def test_a_failure_past_the_end_is_never_seen():
    # Page 3 is past the end of 10 items in pages of 5; a concurrent walk may ask for it, never raise it.
    store = FakeConnection(9, fail_page=3)
    assert ids(_NotCountable.iterall(connection=store, concurrency=4, limit=5)) == list(range(1, 10))


def test_breaking_out_stops_asking():
    store = FakeConnection(1000)
    walk = Products.iterall(connection=store, concurrency=4, limit=10)
    first = [next(walk)["id"] for _ in range(15)]
    walk.close()
    asked = len(store.pages)
    assert first == list(range(1, 16))
    assert asked <= 2 + 4
    assert len(store.pages) == asked


@pytest.mark.parametrize("kind", [FakeConnection, SplitConnection])
@pytest.mark.parametrize("concurrency", [1, 2, 4, 8])
def test_pages_held_at_once_are_at_most_concurrency_plus_one(kind, concurrency):
    # Every page (and unparsed answer) the fake hands out is tracked until it is garbage; a consumer
    # that keeps nothing must never see more than concurrency + 1 alive (the window, and the page
    # being read).
    store = kind(3000)
    walk = _NotCountable.iterall(connection=store, concurrency=concurrency, limit=25)
    seen_alive = 0
    for index, _obj in enumerate(walk):
        if index % 25 == 0:
            seen_alive = max(seen_alive, store.alive)
    assert index == 2999
    assert store.max_alive <= concurrency + 1
    assert seen_alive <= concurrency + 1
    assert store.alive == 0


def test_objects_are_wrapped_with_their_connection_and_parent():
    store = FakeConnection(6)
    options = list(ProductOptions.iterall(7, connection=store, concurrency=3, limit=2))
    assert ids(options) == [1, 2, 3, 4, 5, 6]
    assert all(type(o) is ProductOptions and o.connection is store and o._parent_id == 7 for o in options)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_concurrency_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError):
        list(_pages(FakeConnection(3), "products", {}, bad))
