"""Many threads on one api object, bulk jobs against a small quota, and the classic
``rate_limiting_management`` dict."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bigcommerce.connection import CLASSIC_RATE_LIMIT_DEFAULTS
from bigcommerce.sandbox import Sandbox

RATE_KEYS = {"ms_until_reset", "window_size_ms", "requests_remaining", "requests_quota"}


def consistent(state: dict) -> bool:
    return (
        set(state) == RATE_KEYS
        and all(isinstance(v, int) and v >= 0 for v in state.values())
        and state["requests_remaining"] <= state["requests_quota"]
        and state["ms_until_reset"] <= state["window_size_ms"]
    )


def statuses(store, status):
    return sum(1 for r in store.requests if r.status == status)


# -- 8 threads x 200 requests on one api object ----------------------------------------------------------


def test_eight_threads_share_one_api_object():
    with Sandbox(products=20, seed=1) as store:
        api = store.api(backoff_factor=0.01)
        expected = {pid: p["name"] for pid, p in store.state()["products"].items()}
        ids = sorted(expected)
        snapshots, errors = [], []
        start = threading.Barrier(8)

        def worker(n: int) -> list:
            start.wait()
            created = []
            for i in range(200):
                if i % 40 == 39:  # a few writes among the reads
                    created.append(
                        api.Products.create(
                            name=f"thread {n} item {i}",
                            type="physical",
                            price="1.00",
                            weight=1,
                            availability="available",
                            categories=[1],
                        ).id
                    )
                elif i % 10 == 9:
                    assert api.Products.count() >= len(ids)
                else:
                    pid = ids[(n * 7 + i) % len(ids)]
                    product = api.Products.get(pid)
                    if (product.id, product.name) != (pid, expected[pid]):
                        errors.append((pid, product.id, product.name))
                snapshots.append(api.connection.rate_limit)
            return created

        with ThreadPoolExecutor(8) as pool:
            created = [pid for ids_ in pool.map(worker, range(8)) for pid in ids_]

        assert errors == []
        assert len(snapshots) == 1600 and all(consistent(s) for s in snapshots)
        assert consistent(api.connection.rate_limit)
        assert len(created) == len(set(created)) == 8 * 5
        held = store.state()["products"]
        assert len(held) == 20 + 40  # every create exactly once
        assert sum(1 for p in held.values() if p["name"].startswith("thread ")) == 40
        assert statuses(store, 200) + statuses(store, 201) == len(store.requests) == 1600
        # the pool reuses connections instead of opening one per request
        assert store.connections <= 8 * 4


# -- bulk jobs against a quota of 10 per second ------------------------------------------------------------


@pytest.fixture
def small_quota():
    with Sandbox(products=3, seed=2, rate_limit=(10, 1000)) as store:
        yield store


def test_bulk_without_pacing_waits_out_429s(small_quota):
    store = small_quota
    api = store.api(backoff_factor=0.01)
    ids = sorted(store.state()["products"])
    started = time.monotonic()
    results = [api.Products.get(ids[i % 3]).id for i in range(35)]
    elapsed = time.monotonic() - started
    assert results == [ids[i % 3] for i in range(35)]
    assert statuses(small_quota, 429) >= 3  # hit the limit in each of the first windows, and waited
    assert 2.0 <= elapsed < 8.0  # 35 requests at 10 per second: three window resets
    assert consistent(api.connection.rate_limit)


def test_bulk_with_pacing_meets_no_429(small_quota):
    store = small_quota
    api = store.api(backoff_factor=0.01, pace=True)
    ids = sorted(store.state()["products"])
    started = time.monotonic()
    results = [api.Products.get(ids[i % 3]).id for i in range(35)]
    elapsed = time.monotonic() - started
    assert results == [ids[i % 3] for i in range(35)]
    assert statuses(store, 429) == 0
    assert elapsed < 8.0


def test_bulk_with_pacing_from_several_threads_meets_no_429(small_quota):
    store = small_quota
    api = store.api(backoff_factor=0.01, pace=True)
    ids = sorted(store.state()["products"])
    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(lambda i: api.Products.get(ids[i % 3]).id, range(35)))
    assert results == [ids[i % 3] for i in range(35)]
    assert statuses(store, 429) == 0
    assert len(store.requests) == 35


def test_bulk_creates_under_the_quota_are_never_duplicated(small_quota):
    store = small_quota
    api = store.api(backoff_factor=0.01)
    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(lambda i: api.Brands.create(name=f"brand {i}").id, range(35)))
    assert len(set(made)) == 35
    names = sorted(b["name"] for b in store.state()["brands"].values() if b["name"].startswith("brand "))
    assert names == sorted(f"brand {i}" for i in range(35))
    assert statuses(store, 429) >= 1  # the quota was met, waited out and the POSTs sent again


# -- the classic rate_limiting_management dict ---------------------------------------------------------------


def test_classic_settings_missing_keys_take_defaults(store):
    api = store.api(rate_limiting_management={"min_requests_remaining": 5})
    assert api.connection.rate_limiting_management == {**CLASSIC_RATE_LIMIT_DEFAULTS, "min_requests_remaining": 5}
    assert store.api(rate_limiting_management={}).connection.rate_limiting_management == CLASSIC_RATE_LIMIT_DEFAULTS
    assert CLASSIC_RATE_LIMIT_DEFAULTS == {
        "min_requests_remaining": 2,
        "wait": True,
        "callback_function": None,
        "callback_args": None,
    }


@pytest.mark.parametrize(
    "settings,error",
    [
        ({"callback_function": "not a function"}, TypeError),
        ({"callback_function": 42}, TypeError),
        ({"min_requests_remaining": "2"}, TypeError),
        (["min_requests_remaining"], TypeError),
        ({"min_requests_remainig": 2}, ValueError),  # a typo would silently switch the setting off
    ],
)
def test_classic_settings_are_checked_at_construction(store, settings, error):
    with pytest.raises(error):
        store.api(rate_limiting_management=settings)
    with pytest.raises(error):
        store.api(basic=True, rate_limiting_management=settings)


def test_classic_callback_is_called_when_remaining_is_low():
    calls = []
    with Sandbox(rate_limit=(10, 60000)) as store:
        api = store.api(
            rate_limiting_management={
                "min_requests_remaining": 5,
                "wait": False,
                "callback_function": calls.append,
                "callback_args": {"job": "export"},
            }
        )
        for _ in range(8):
            api.connection.get("time")
        # left after each request: 9, 8, 7, 6, 5, 4, 3, 2 -> the last four are at or below 5
        assert calls == [{"job": "export"}] * 4


def test_classic_callback_without_args_is_called_with_no_argument():
    calls = []
    with Sandbox(rate_limit=(3, 60000)) as store:
        api = store.api(rate_limiting_management={"wait": False, "callback_function": lambda: calls.append(1)})
        for _ in range(3):
            api.connection.get("time")
        assert calls == [1, 1, 1]  # left 2, 1, 0: all at or below min_requests_remaining's default 2


def test_classic_wait_sleeps_until_the_window_resets():
    with Sandbox(rate_limit=(5, 500)) as store:
        api = store.api(rate_limiting_management={"min_requests_remaining": 1})
        started = time.monotonic()
        for _ in range(12):
            api.connection.get("time")
        assert statuses(store, 429) == 0  # the waits kept every request inside the quota
        assert time.monotonic() - started >= 0.9  # two window resets waited for
