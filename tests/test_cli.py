"""The ``bigcommerce`` command, run as a subprocess against a sandbox store, the way a user runs it."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from typing import Iterator

import pytest
from test_classic_helpers import REPO, subprocess_env

from bigcommerce import cli

TOKEN = "sandbox-token"
PRODUCTS = 300


def clean_env(**extra: str) -> dict:
    """The environment without any credentials of the developer's or NO_COLOR, plus ``extra``."""
    env = subprocess_env(PYTHONIOENCODING="utf-8")
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def store_env(store, **extra: str) -> dict:
    return clean_env(
        **{
            "BIGCOMMERCE_STORE_HASH": "sandbox",
            "BIGCOMMERCE_CLIENT_ID": "sandbox-client",
            "BIGCOMMERCE_ACCESS_TOKEN": TOKEN,
            "BC_API_ENDPOINT": store.url,
            **extra,
        }
    )


def run_cli(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bigcommerce", *args],
        env=env,
        cwd=str(REPO),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@contextlib.contextmanager
def cli_process(*args: str, env: dict, **popen) -> Iterator[subprocess.Popen]:
    """The command running in the background; killed at the end of the block if still running."""
    process = subprocess.Popen([sys.executable, "-m", "bigcommerce", *args], env=env, cwd=str(REPO), **popen)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """A failure: non-zero exit, exactly one line on stderr, no traceback, nothing on stdout."""
    assert result.returncode != 0, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def shop():
    """One seeded store for the read-only commands of this module."""
    from bigcommerce.sandbox import Sandbox

    with Sandbox(products=PRODUCTS, customers=30, orders=60) as store:
        yield store


@pytest.fixture(scope="module")
def shop_api(shop):
    return shop.api()


@pytest.fixture
def env(shop):
    return store_env(shop)


def jsonl(text: str) -> list:
    return [json.loads(line) for line in text.splitlines()]


# -- get -------------------------------------------------------------------------------------------


def test_get_prints_the_json_of_a_path(env, shop_api):
    result = run_cli("get", "products/1", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == shop_api.Products.get(1)
    assert result.stderr == ""


def test_get_takes_filters_as_arguments_or_in_the_path(env):
    by_args = run_cli("get", "products", "limit=3", "page=2", "--compact", env=env)
    by_query = run_cli("get", "/products?limit=3&page=2", "--compact", env=env)
    assert by_args.returncode == by_query.returncode == 0
    assert by_args.stdout == by_query.stdout
    assert len(by_args.stdout.splitlines()) == 1
    assert [p["id"] for p in json.loads(by_args.stdout)] == [4, 5, 6]


def test_get_single_objects_and_an_empty_page(env):
    store = run_cli("get", "store", env=env)
    assert store.returncode == 0 and isinstance(json.loads(store.stdout), dict)
    past_the_end = run_cli("get", "products", "page=999", env=env)
    assert past_the_end.returncode == 0
    assert json.loads(past_the_end.stdout) == []


def test_get_a_missing_object_is_one_line(env):
    line = assert_one_line_error(run_cli("get", "products/999999", env=env), "404")
    assert "GET /stores/sandbox/v2/products/999999" in line


# -- export ----------------------------------------------------------------------------------------


def test_export_jsonl_streams_every_object(env, shop_api):
    result = run_cli("export", "products", env=env)
    assert result.returncode == 0, result.stderr
    rows = jsonl(result.stdout)
    assert len(rows) == PRODUCTS
    assert [r["id"] for r in rows] == [p.id for p in shop_api.Products.iterall()]
    assert rows[0] == shop_api.Products.get(rows[0]["id"])
    assert re.fullmatch(rf"bigcommerce: exported {PRODUCTS} products as jsonl in \d+\.\d s\n", result.stderr)


def test_export_filters_give_what_the_api_gives(env, shop_api):
    result = run_cli("export", "products", "is_visible=true", "min_price=20", "max_price=60", env=env)
    assert result.returncode == 0, result.stderr
    wanted = [p.id for p in shop_api.Products.iterall(is_visible="true", min_price=20, max_price=60)]
    assert 0 < len(wanted) < PRODUCTS
    assert [r["id"] for r in jsonl(result.stdout)] == wanted


def test_export_with_concurrency_gives_the_same_bytes(env):
    one = run_cli("export", "products", "--concurrency", "1", "limit=40", env=env)
    four = run_cli("export", "products", "--concurrency", "4", "limit=40", env=env)
    assert one.returncode == four.returncode == 0
    assert one.stdout == four.stdout
    assert len(one.stdout.splitlines()) == PRODUCTS


def test_export_csv_has_the_first_objects_keys_as_columns(env, shop_api):
    result = run_cli("export", "products", "--format", "csv", "max_id=120", env=env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    first = shop_api.Products.get(1)
    assert rows[0] == list(first.keys())
    assert len(rows) == 1 + 120
    record = dict(zip(rows[0], rows[1]))
    assert record["name"] == first.name
    assert record["is_visible"] == ("true" if first.is_visible else "false")
    # Nested values (link objects, lists) are JSON in their cell.
    nested = [key for key, value in first.items() if isinstance(value, (dict, list))]
    assert nested
    for key in nested:
        assert json.loads(record[key]) == first[key]


def test_export_to_a_file_takes_the_format_from_its_suffix(env, tmp_path):
    target = tmp_path / "orders.csv"
    result = run_cli("export", "orders", "--out", str(target), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"exported 60 orders as csv to {target}" in result.stderr
    assert len(list(csv.reader(target.open(encoding="utf-8")))) == 61
    assert os.listdir(tmp_path) == ["orders.csv"]  # no .part left behind


def test_a_failed_export_leaves_no_file(env, tmp_path, shop):
    target = tmp_path / "products.jsonl"
    bad = dict(env, BIGCOMMERCE_ACCESS_TOKEN="wrong")
    assert_one_line_error(run_cli("export", "products", "--out", str(target), env=bad), "401")
    assert os.listdir(tmp_path) == []


def test_export_draws_a_progress_bar_with_the_count_as_total(env):
    result = run_cli("export", "products", "--progress", "limit=50", env=env)
    assert result.returncode == 0, result.stderr
    assert f"{PRODUCTS}/{PRODUCTS}" in result.stderr
    assert "100%" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == PRODUCTS


def test_export_a_sub_resource(env, shop_api):
    result = run_cli("export", "products/1/images", env=env)
    assert result.returncode == 0, result.stderr
    assert jsonl(result.stdout) == shop_api.ProductImages.all(1)


def test_export_accepts_class_names(env, shop_api):
    result = run_cli("export", "Customers", "-q", env=env)
    assert result.returncode == 0 and result.stderr == ""
    assert len(jsonl(result.stdout)) == shop_api.Customers.count()


def test_without_tqdm_there_is_a_hint_and_no_bar(env, tmp_path):
    fake = tmp_path / "tqdm"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('tqdm hidden by the test')\n")
    hidden = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")])))
    result = run_cli("export", "products", "--progress", env=hidden)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == PRODUCTS
    assert "tqdm is not installed (pip install tqdm, or install bigcommerce-api with its [cli] extra)" in result.stderr
    assert "Traceback" not in result.stderr


def test_v3_paths_go_to_the_v3_api(env, shop_api):
    got = run_cli("get", "v3/catalog/products", "limit=2", env=env)
    assert got.returncode == 0, got.stderr
    body = json.loads(got.stdout)
    assert [p["id"] for p in body["data"]] == [1, 2] and body["meta"]["pagination"]["total"] == PRODUCTS
    exported = run_cli("export", "v3/catalog/products", "limit=40", "is_visible=true", "--progress", env=env)
    assert exported.returncode == 0, exported.stderr
    wanted = [p["id"] for p in shop_api.v3.iterall("catalog/products", is_visible="true")]
    assert [r["id"] for r in jsonl(exported.stdout)] == wanted
    assert f"{len(wanted)}/{len(wanted)}" in exported.stderr


def test_v3_needs_oauth(shop):
    env = clean_env(
        BIGCOMMERCE_HOST=shop.url, BIGCOMMERCE_USERNAME="admin", BIGCOMMERCE_API_TOKEN="sandbox-basic-token"
    )
    assert_one_line_error(run_cli("get", "v3/catalog/products", env=env), "OAuth")


# -- failures --------------------------------------------------------------------------------------


def test_bad_credentials_are_one_line_without_the_token(env):
    secret = "wrong-token-0123456789"
    line = assert_one_line_error(run_cli("export", "products", env=dict(env, BIGCOMMERCE_ACCESS_TOKEN=secret)), "401")
    assert secret not in line
    assert_one_line_error(run_cli("get", "store", "--access-token", secret, env=env), "401")


def test_unknown_resource(env):
    result = run_cli("export", "widgets", env=env)
    assert result.returncode == 2
    assert_one_line_error(result, "unknown resource 'widgets'", "products")


def test_unreachable_host(shop, closed_port):
    port = closed_port
    env = store_env(shop, BC_API_ENDPOINT=f"http://127.0.0.1:{port}")
    started = time.monotonic()
    result = run_cli("export", "products", "--retries", "0", env=env)
    assert_one_line_error(result, f"cannot connect to http://127.0.0.1:{port}", "refused")
    assert time.monotonic() - started < 20


@pytest.mark.parametrize(
    "fault, params, needle",
    [
        ("status", {"status": 503}, "503 Service Unavailable: The server is temporarily unable"),
        ("html_200", {}, "200 with a body that is not valid JSON"),
        ("redirect", {"status": 301}, "redirected to http://evil.example:9/x, which is not followed"),
        ("rate_limit", {"reset_ms": 900000}, "429 Too Many Requests"),
        ("truncated_json", {}, "not valid JSON"),
    ],
)
def test_a_misbehaving_store_is_one_line(store, fault, params, needle):
    store.inject(fault, times=10, **params)
    line = assert_one_line_error(run_cli("get", "store", "--retries", "0", env=store_env(store)), needle)
    assert "<" not in line  # no HTML markup in the message


@pytest.mark.parametrize(
    "args, needle",
    [
        ((), "required: COMMAND"),
        (("export",), "required: RESOURCE"),
        (("export", "products", "--format", "xml"), "invalid choice"),
        (("export", "products", "--concurrency", "0"), "must be 1 or more"),
        (("export", "products", "is_visible"), "not a FILTER=VALUE pair"),
        (("get", "http://evil.example/x"), "relative to the API root"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_usage_mistakes_are_one_line_with_status_2(env, args, needle):
    result = run_cli(*args, env=env)
    assert result.returncode == 2
    assert_one_line_error(result, needle)


def test_missing_or_mixed_credentials(shop):
    assert_one_line_error(run_cli("get", "store", env=clean_env()), "no credentials", "--sandbox")
    partial = clean_env(BIGCOMMERCE_STORE_HASH="sandbox", BIGCOMMERCE_ACCESS_TOKEN=TOKEN)
    assert_one_line_error(run_cli("get", "store", env=partial), "missing BIGCOMMERCE_CLIENT_ID")
    mixed = run_cli("get", "store", "--store-hash", "x", "--host", "example.com", env=clean_env())
    assert_one_line_error(mixed, "not both")


def test_basic_auth_from_the_environment(shop, shop_api):
    env = clean_env(
        BIGCOMMERCE_HOST=shop.url, BIGCOMMERCE_USERNAME="admin", BIGCOMMERCE_API_TOKEN="sandbox-basic-token"
    )
    result = run_cli("get", "products", "limit=2", env=env)
    assert result.returncode == 0, result.stderr
    assert [p["id"] for p in json.loads(result.stdout)] == [1, 2]
    wrong = dict(env, BIGCOMMERCE_API_TOKEN="nope")
    assert_one_line_error(run_cli("get", "products", env=wrong), "401")


def test_a_closed_pipe_ends_the_export_quietly(env):
    with cli_process("export", "products", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        first = process.stdout.readline()
        process.stdout.close()  # what `| head -1` does
        _, stderr = process.communicate(timeout=60)
    assert json.loads(first)["id"] == 1
    assert process.returncode == cli.EXIT_BROKEN_PIPE
    assert stderr == b""


def test_ctrl_c_is_one_line(tmp_path):
    from bigcommerce.sandbox import Sandbox

    with (
        Sandbox(products=60, latency_ms=150) as slow,
        cli_process(
            "export", "products", "limit=5", env=store_env(slow), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process,
    ):
        assert process.stdout.readline()  # main() is running and has written a first object
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == cli.EXIT_INTERRUPTED
    assert stderr.decode() == "bigcommerce: interrupted\n"


def test_ctrl_c_ends_promptly_while_pages_wait_out_a_rate_limit(tmp_path):
    """Threads that fetch pages may be sleeping through a 429; Ctrl-C still ends the export at once."""
    from bigcommerce.sandbox import Sandbox

    target = tmp_path / "products.jsonl"
    with (
        Sandbox(products=100, rate_limit=(6, 60000)) as tight,
        cli_process(
            "export",
            "products",
            "limit=5",
            "--concurrency",
            "4",
            "--no-pace",
            "--out",
            str(target),
            env=store_env(tight),
            stderr=subprocess.PIPE,
        ) as process,
    ):
        deadline = time.monotonic() + 30
        while not any(r.status == 429 for r in tight.requests) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(r.status == 429 for r in tight.requests)
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        took = time.monotonic() - interrupted
    assert process.returncode == cli.EXIT_INTERRUPTED
    assert stderr.decode() == "bigcommerce: interrupted\n"
    assert took < cli.INTERRUPT_GRACE + 3
    assert os.listdir(tmp_path) == []  # the unfinished file was removed


# -- demo, sandbox, --sandbox ----------------------------------------------------------------------


def test_demo_runs_without_a_terminal_or_credentials():
    result = run_cli("demo", "--products", "120", env=clean_env(), timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for needle in (
        "[1/9] OAuth",
        "oauth_fetch_token",
        "access_token=",
        "oauth_verify_payload",
        "api.Products.create",
        "product.update",
        "custom_fields",
        "product.delete()",
        "api.Products.count()",
        "iterall",
        "120 products (count said 120)",
        "ClientRequestException: status_code=404",
        "status_code=400",
        "api.connection.rate_limit",
        "requests_quota",
        "after waiting",
        "[9/9] The v3 API",
        "product.variants()",
        "PriceLists",
        "PartialSuccess: ",
        "Done",
    ):
        assert needle in out, needle
    assert "\x1b[" not in out  # no colours when stdout is not a terminal
    assert "\r" not in out and result.stderr == ""  # and no progress bar on a non-terminal stderr


def test_sandbox_flag_needs_no_credentials():
    result = run_cli("export", "products", "--sandbox", "-q", env=clean_env())
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == cli.SANDBOX_SEED["products"]
    store = run_cli("get", "time", "--sandbox", env=clean_env())
    assert store.returncode == 0 and "time" in json.loads(store.stdout)


def test_sandbox_command_serves_until_stopped():
    with cli_process(
        "sandbox",
        "--port",
        "0",
        "--products",
        "7",
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        ready = process.stdout.readline()
        fields = dict(re.findall(r"(\w+)=(\S+)", ready))
        assert ready.startswith("sandbox ready") and "url" in fields, ready
        env = clean_env(
            BIGCOMMERCE_STORE_HASH=fields["store_hash"],
            BIGCOMMERCE_CLIENT_ID=fields["client_id"],
            BIGCOMMERCE_ACCESS_TOKEN=fields["access_token"],
            BC_API_ENDPOINT=fields["url"],
        )
        result = run_cli("export", "products", "-q", env=env)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 7
        process.terminate()
        process.communicate(timeout=30)


def test_version_and_help():
    version = run_cli("--version", env=clean_env())
    assert version.returncode == 0 and version.stdout.startswith("bigcommerce-api ")
    helped = run_cli("export", "--help", env=clean_env())
    assert helped.returncode == 0 and "BIGCOMMERCE_ACCESS_TOKEN" in helped.stdout


# -- pieces, in process ----------------------------------------------------------------------------


def test_resolve_resource_names():
    from bigcommerce.resources import REGISTRY

    assert cli.resolve_resource("products") == (REGISTRY["Products"], None, "products")
    assert cli.resolve_resource("/blog/posts.json") == (REGISTRY["BlogPosts"], None, "blog/posts")
    assert cli.resolve_resource("giftcertificates")[0] is REGISTRY["GiftCertificates"]
    assert cli.resolve_resource("orders/7/shipments") == (REGISTRY["OrderShipments"], "7", "orders/7/shipments")
    for bad in ("products/1", "nothing", "products/../images", ""):
        with pytest.raises(cli.CliError):
            cli.resolve_resource(bad)


def test_csv_cells():
    out = io.StringIO()
    writer = cli.CsvWriter(out)
    writer.write({"id": 1, "flag": True, "none": None, "link": {"url": "u"}, "tags": [1, "é"]})
    writer.write({"id": 2, "flag": False, "extra": "x"})
    assert out.getvalue() == 'id,flag,none,link,tags\n1,true,,"{""url"":""u""}","[1,""é""]"\n2,false,,,\n'
    assert "extra" in writer.finish()


def test_parse_filters():
    assert cli.parse_filters(["a=1", "b=", "c=x=y"]) == {"a": "1", "b": "", "c": "x=y"}
    with pytest.raises(cli.CliError):
        cli.parse_filters(["=1"])
