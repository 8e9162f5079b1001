"""Hooks users can see: ``on_retry`` and ``on_rate_limit`` get a WaitEvent (reason, wait) before each
wait, and the CLI's progress bar says ``waiting 0.1 s (429)`` while it waits and counts the waits in
its summary line."""

from __future__ import annotations

import io

import pytest
from transport_helpers import FakeClock

from bigcommerce.cli import WaitDisplay, main
from bigcommerce.sandbox import Sandbox

tqdm = pytest.importorskip("tqdm").tqdm


@pytest.fixture(scope="module")
def store():
    with Sandbox(products=5, seed=3) as sandbox:
        yield sandbox


def test_hooks_get_the_reason_and_the_wait(store):
    retries, limits = [], []
    api = store.api(clock=FakeClock(), backoff_factor=0.2, on_retry=retries.append, on_rate_limit=limits.append)
    store.inject("rate_limit", match="GET /products", reset_ms=1500)
    store.inject("status", status=503, match="GET /products")
    store.inject("reset_before", match="GET /products")
    api.Products.all()
    assert [(e.reason, e.wait) for e in limits] == [("429", 1.5)]
    assert [e.reason for e in retries] == ["503", "ConnectionFailed"]
    assert all(0.1 <= e.wait <= 0.4 for e in retries)
    assert {(e.method, e.path.rsplit("/", 1)[-1]) for e in retries + limits} == {("GET", "products")}
    assert [e.attempt for e in limits + retries] == [1, 2, 3]


def test_the_bar_says_what_it_waits_for_and_clears_it(store):
    stream = io.StringIO()
    api = store.api(clock=FakeClock())
    display = WaitDisplay(api.connection, tqdm(total=5, file=stream, mininterval=0))
    store.inject("rate_limit", match="GET /products", reset_ms=3600)
    api.Products.all()
    assert "waiting 3.6 s (429)" in stream.getvalue()
    display.update(1)
    display.close()
    assert (
        stream.getvalue().rstrip().endswith("1/5 [00:00<00:00, ?obj/s]")
        or "waiting" not in stream.getvalue().splitlines()[-1].split("\r")[-1]
    )
    assert (display.count, display.seconds, display.summary()) == (1, 3.6, " (1 wait, 3.6 s)")


def test_export_bar_shows_the_waits_and_the_summary_counts_them(store, monkeypatch, capsys, tmp_path):
    for name, value in {
        "BIGCOMMERCE_STORE_HASH": store.store_hash,
        "BIGCOMMERCE_CLIENT_ID": store.client_id,
        "BIGCOMMERCE_ACCESS_TOKEN": store.access_token,
        "BC_API_ENDPOINT": store.url,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("bigcommerce.connection.SYSTEM_CLOCK", FakeClock())  # the CLI's waits cost no time
    # a 429 on the count (before the bar), then one on the first page (on the bar): the count meets a
    # harmless fault first, so that the second 429 is left for the page
    store.inject("rate_limit", match="GET /products/count", reset_ms=2500)
    store.inject("slow", match="GET /products/count", seconds=0.001)
    store.inject("rate_limit", match="GET /products", reset_ms=2500)
    assert (
        main(
            ["export", "products", "--progress", "--no-pace", "--concurrency", "1", "--out", str(tmp_path / "p.jsonl")]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "waiting 2.5 s (429)" in err
    assert "exported 5 products" in err and "(2 waits, 5.0 s)" in err
