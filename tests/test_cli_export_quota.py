"""``bigcommerce export`` walks concurrently and paced by default, and asks the count beside the first page."""

from __future__ import annotations

import json

import pytest
from test_cli import run_cli, store_env

from bigcommerce import cli
from bigcommerce.sandbox import Sandbox


def parsed(*argv: str):
    return cli.build_parser().parse_args(["export", "products", *argv])


def test_defaults_are_concurrent_and_paced():
    args = parsed()
    assert (args.concurrency, args.pace) == (cli.EXPORT_CONCURRENCY, True)
    assert cli.EXPORT_CONCURRENCY > 1
    assert parsed("--no-pace", "--concurrency", "2").pace is False
    assert parsed("--no-pace", "--pace").pace is True


@pytest.mark.parametrize(
    "argv, pace, pool", [((), True, cli.EXPORT_CONCURRENCY + 1), (("--no-pace", "--concurrency", "40"), False, 41)]
)
def test_the_api_gets_the_pacing_and_a_pool_for_pages_and_count(argv, pace, pool, monkeypatch):
    for name in ("BIGCOMMERCE_HOST", "BIGCOMMERCE_USERNAME", "BIGCOMMERCE_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    args = parsed(*argv, "--store-hash", "abc123", "--client-id", "id", "--access-token", "t")
    api = cli.api_from_args(args)
    assert api.connection.pace is pace
    assert api.connection._pool_size == pool


@pytest.fixture(scope="module")
def store():
    with Sandbox(products=120) as running:
        yield running


@pytest.mark.parametrize("pacing", ["--pace", "--no-pace"])
def test_the_count_goes_beside_the_pages_never_before_them(store, pacing):
    # --concurrency 1: the pages' own walk asks no count, so the only count is the bar's.
    store.reset()
    store.inject("latency", times=None, match="GET /products/count", ms=1000)
    result = run_cli("export", "products", "limit=50", "--concurrency", "1", pacing, "--progress", env=store_env(store))
    assert result.returncode == 0, result.stderr
    assert [p["id"] for p in map(json.loads, result.stdout.splitlines())] == list(range(1, 121))
    paths = [(r.path.rsplit("/v2/", 1)[1], r.query.get("page")) for r in store.requests]
    # The store held the count a second, and every page was answered meanwhile: the count went beside
    # the pages (unpaced beside the first; paced, the first page probes the window alone, so beside
    # the second), not before them as a count-then-walk would.
    assert paths == [("products", "1"), ("products", "2"), ("products", "3"), ("products/count", None)]
    assert "120/120" in result.stderr  # the bar got the count's total when it arrived


def test_concurrent_export_gives_the_bytes_of_a_sequential_one(store):
    store.reset()
    one = run_cli("export", "products", "limit=7", "--concurrency", "1", env=store_env(store))
    four = run_cli("export", "products", "limit=7", env=store_env(store))
    assert one.returncode == four.returncode == 0
    assert one.stdout == four.stdout
    assert len(one.stdout.splitlines()) == 120
