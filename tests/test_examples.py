"""Every script in examples/ runs, with no credentials set, against the sandbox it starts itself."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from test_classic_helpers import REPO, subprocess_env

EXAMPLES = REPO / "examples"

#: script -> (arguments, lines its output must contain). connect.py is the helper the others import;
#: app.py (the OAuth app) is a server and has its own tests in tests/toolkit/.
CASES = {
    "list_products.py": ([], ["visible products priced 10 to 50", "   id      price  stock  name"]),
    "export_orders.py": (["out.csv"], ["wrote 300 orders to out.csv"]),
    "manage_product.py": (
        [],
        [
            "created product",
            "updated price to 17.50, stock 12",
            "custom fields: Material=Oak",
            "duplicate refused: HTTP 409",
            "deleted product",
            "reading it again: HTTP 404",
        ],
    ),
    "flaky_network.py": (
        [],
        [
            "two dropped connections: 10 products (retried)",
            "answered 503 once: 10 products (retried)",
            "ServerException 503 after the retries",
            "waited 0.",
            "RateLimitingException",
            "not retried; products named 'Made once': 1",
            "rate limit state: {",
        ],
    ),
}
NOT_RUN = {"connect.py", "app.py"}


def run_example(name: str, args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        cwd=str(cwd),
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """``ran(name) -> (result, directory)``: each example of CASES runs once for the whole module."""
    runs = {}

    def run(name):
        if name not in runs:
            cwd = tmp_path_factory.mktemp(name[:-3])
            runs[name] = run_example(name, CASES[name][0], cwd), cwd
        return runs[name]

    return run


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_runs_on_the_sandbox(name, ran):
    needles = CASES[name][1]
    result, _ = ran(name)
    assert result.returncode == 0, result.stderr
    for needle in needles:
        assert needle in result.stdout, (needle, result.stdout)
    assert "Traceback" not in result.stderr


def test_export_orders_writes_a_csv(ran):
    result, cwd = ran("export_orders.py")  # the run above, which wrote out.csv
    assert result.returncode == 0
    rows = list(csv.DictReader((cwd / CASES["export_orders.py"][0][0]).open(encoding="utf-8")))
    assert len(rows) == 300
    assert [int(r["id"]) for r in rows] == sorted(int(r["id"]) for r in rows)
    assert all(r["status"] and r["total_inc_tax"] for r in rows)


def test_every_example_is_covered():
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts - NOT_RUN == set(CASES)
