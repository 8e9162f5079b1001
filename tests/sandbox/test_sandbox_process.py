"""The sandbox as a process and a plugin: --state files, the CLI, the pytest fixture, Python API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
import requests
from sandbox_payloads import NEW_PRODUCT

from bigcommerce.sandbox import Sandbox

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def env():
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))


def start_cli(*args):
    proc = subprocess.Popen(
        [sys.executable, "-m", "bigcommerce.sandbox", "--port", "0"] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    assert line.startswith("sandbox ready "), (line, proc.stderr.read() if proc.poll() is not None else "")
    fields = dict(item.split("=", 1) for item in line.split()[2:])
    return proc, fields


def stop(proc, sig=signal.SIGTERM):
    proc.send_signal(sig)
    assert proc.wait(10) == 0
    assert proc.stdout.read() == ""  # exactly one line was printed


# -- state file ------------------------------------------------------------------------------------


def test_state_survives_restart(tmp_path):
    path = str(tmp_path / "store.json")
    with Sandbox(products=3, state=path) as store:
        s = requests.Session()
        s.headers["X-Auth-Token"] = store.access_token
        created = s.post(store.v2_url + "/products", json=NEW_PRODUCT).json()
        s.delete(store.v2_url + "/products/1")
        s.put(store.v2_url + "/products/2", json={"name": "Kept name"})
    assert json.load(open(path))["version"] == 1
    with Sandbox(products=0, state=path) as store:  # the file wins over the seed arguments
        s = requests.Session()
        s.headers["X-Auth-Token"] = store.access_token
        assert s.get(store.v2_url + f"/products/{created['id']}").json()["name"] == "Test Widget"
        assert s.get(store.v2_url + "/products/1").status_code == 404
        assert s.get(store.v2_url + "/products/2").json()["name"] == "Kept name"
        again = s.post(store.v2_url + "/products", json=dict(NEW_PRODUCT, name="Next")).json()
        assert again["id"] == created["id"] + 1  # ids continue, never reused


def test_state_written_atomically(tmp_path, monkeypatch):
    path = str(tmp_path / "store.json")
    with Sandbox(state=path) as store:
        good = open(path).read()
        s = requests.Session()
        s.headers["X-Auth-Token"] = store.access_token

        def crash(src, dst):
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", crash)
        r = s.post(store.v2_url + "/brands", json={"name": "Lost"})
        monkeypatch.undo()
        assert r.status_code == 500 and r.json()[0]["status"] == 500
        assert open(path).read() == good  # the old file is intact
        assert [n for n in os.listdir(str(tmp_path)) if n.endswith(".tmp")] == []  # no temp left
        s.post(store.v2_url + "/brands", json={"name": "Saved"})
    names = [row["name"] for row in json.load(open(path))["tables"]["brands"]]
    assert "Saved" in names


def test_state_of_failed_request_is_not_written(tmp_path):
    path = str(tmp_path / "store.json")
    with Sandbox(state=path) as store:
        before = os.stat(path).st_mtime_ns
        requests.post(store.v2_url + "/brands", json={}, headers={"X-Auth-Token": store.access_token})
        assert os.stat(path).st_mtime_ns == before


def test_reset_restores_seed(shop, c):
    c.delete("/products")
    c.post("/brands", json={"name": "Temporary"})
    shop.inject("status", status=500, times=None)
    shop.reset()
    assert c.get("/products/count").json() == {"count": 50}
    assert shop.requests[-1].path.endswith("/products/count") and len(shop.requests) == 1
    assert not shop.faults


def test_demo_data_is_deterministic_and_shaped():
    with (
        Sandbox(products=20, customers=5, orders=5, seed=3) as a,
        Sandbox(products=20, customers=5, orders=5, seed=3) as b,
        Sandbox(products=20, customers=5, orders=5, seed=4) as other,
    ):
        assert a.state() == b.state()
        assert a.state()["products"] != other.state()["products"]
        data = a.state()
    assert all(len(p) == 79 for p in data["products"].values())
    for name in (
        "products/images",
        "products/skus",
        "products/options",
        "categories",
        "brands",
        "customers/addresses",
        "orders/products",
        "orders/shipping_addresses",
        "countries",
        "countries/states",
        "coupons",
    ):
        assert data[name], name
    names = [p["name"] for p in data["products"].values()]
    assert len(set(names)) == len(names)
    for order in data["orders"].values():
        lines = [r for r in data["orders/products"].values() if r["order_id"] == order["id"]]
        assert lines and order["items_total"] == sum(r["quantity"] for r in lines)


def test_requests_log(shop, c):
    c.post("/brands", json={"name": "Logged"}, params={"x": "1"})
    last = shop.requests[-1]
    assert last.method == "POST" and last.path == "/stores/sandbox/v2/brands"
    assert last.query == {"x": "1"} and last.status == 201  # a POST has no filters to check
    assert last.headers["x-auth-token"] == shop.access_token
    assert last.headers["X-AUTH-TOKEN"] == shop.access_token and "x-auth-client" in last.headers
    assert last.json == {"name": "Logged"} and last.body == b'{"name": "Logged"}'


def test_connections_are_counted_and_reused(shop, c):
    before = shop.connections
    for _ in range(10):
        c.get("/time")
    assert shop.connections - before == 1
    requests.get(shop.v2_url + "/time")  # a new connection
    assert shop.connections - before == 2


def test_add_products(shop, c):
    added = shop.add_products(3)
    assert added == [51, 52, 53]
    for pid in added:
        assert len(c.get(f"/products/{pid}").json()) == 79
        assert c.get(f"/products/{pid}/images").status_code == 200


def test_stop_is_idempotent_and_frees_port():
    store = Sandbox()
    port = store.port
    store.stop()
    store.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    with Sandbox(port=port) as again:
        assert again.port == port


# -- CLI ------------------------------------------------------------------------------------------------


def test_cli_ready_line_request_and_sigterm():
    proc, fields = start_cli(
        "--store-hash",
        "clihash",
        "--access-token",
        "tok",
        "--products",
        "5",
        "--basic-auth",
        "me:secret",
        "--rate-limit",
        "150/30000",
    )
    try:
        assert set(fields) == {"url", "store_hash", "client_id", "access_token", "basic_auth"}
        assert fields["store_hash"] == "clihash" and fields["basic_auth"] == "me:secret"
        r = requests.get(fields["url"] + "/stores/clihash/v2/products/count", headers={"X-Auth-Token": "tok"})
        assert r.json() == {"count": 5}
        assert r.headers["X-Rate-Limit-Requests-Quota"] == "150"  # the CLI default plan
        assert requests.get(fields["url"] + "/api/v2/time.json", auth=("me", "secret")).status_code == 200
    finally:
        stop(proc)


def test_cli_sigint_and_state(tmp_path):
    path = str(tmp_path / "cli.json")
    proc, fields = start_cli("--state", path)
    try:
        r = requests.post(
            fields["url"] + "/stores/sandbox/v2/brands",
            json={"name": "From CLI"},
            headers={"X-Auth-Token": fields["access_token"]},
        )
        assert r.status_code == 201
    finally:
        stop(proc, signal.SIGINT)
    proc, fields = start_cli("--state", path)
    try:
        r = requests.get(fields["url"] + "/stores/sandbox/v2/brands", headers={"X-Auth-Token": fields["access_token"]})
        assert [b["name"] for b in r.json()] == ["From CLI"]
    finally:
        stop(proc)


def test_cli_bad_arguments():
    result = subprocess.run(
        [sys.executable, "-m", "bigcommerce.sandbox", "--rate-limit", "lots"],
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 2 and "QUOTA/WINDOW_MS" in result.stderr


def test_cli_main_is_importable():
    from bigcommerce.sandbox.cli import main, parser

    assert callable(main)
    args = parser().parse_args([])
    assert args.rate_limit == (150, 30000) and args.port == 0 and args.products == 0
    assert args.gzip is False and len(args.client_secret) >= 32
    assert parser().parse_args(["--gzip"]).gzip is True


@pytest.mark.parametrize("prog", [None, "bigcommerce sandbox"])
def test_cli_usage_errors_are_one_line_named_after_prog(capsys, prog):
    from bigcommerce.sandbox.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--rate-limit", "abc"], prog=prog) if prog else main(["--rate-limit", "abc"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    name = prog or "python -m bigcommerce.sandbox"
    assert out == "" and len(err.splitlines()) == 1, err
    assert err.startswith(name + ": argument --rate-limit: expected QUOTA/WINDOW_MS")
    assert f"(see '{name} --help')" in err
    with pytest.raises(SystemExit):
        main(["--help"], prog=prog)
    assert capsys.readouterr().out.startswith("usage: " + name)


# -- pytest fixture ------------------------------------------------------------------------------------


def test_pytest_fixture(tmp_path):
    test_file = tmp_path / "test_user_suite.py"
    test_file.write_text(
        textwrap.dedent("""
        import pytest, requests

        def test_fresh_store(bigcommerce_sandbox):
            r = requests.post(bigcommerce_sandbox.v2_url + "/brands", json={"name": "Mine"},
                              headers={"X-Auth-Token": bigcommerce_sandbox.access_token})
            assert r.status_code == 201

        def test_is_fresh_again(bigcommerce_sandbox):
            r = requests.get(bigcommerce_sandbox.v2_url + "/brands",
                             headers={"X-Auth-Token": bigcommerce_sandbox.access_token})
            assert r.status_code == 204

        @pytest.mark.bigcommerce_sandbox(products=4, store_hash="marked")
        def test_marker(bigcommerce_sandbox):
            assert bigcommerce_sandbox.store_hash == "marked"
            assert len(bigcommerce_sandbox.state()["products"]) == 4

        def test_unmodified_code_reaches_the_store(bigcommerce_sandbox):
            import os
            from bigcommerce.api import BigcommerceApi
            assert os.environ["BC_API_ENDPOINT"] == bigcommerce_sandbox.url
            assert os.environ["BC_AUTH_SERVICE"] == bigcommerce_sandbox.url
            api = BigcommerceApi(client_id=bigcommerce_sandbox.client_id,  # no host given
                                 store_hash=bigcommerce_sandbox.store_hash,
                                 access_token=bigcommerce_sandbox.access_token)
            api.Brands.create(name="Via env")
            assert bigcommerce_sandbox.requests[-1].status == 201

        def test_ready_client(bigcommerce_api, bigcommerce_sandbox):
            assert bigcommerce_api.Brands.all() == []
            assert bigcommerce_sandbox.requests[-1].path.endswith("/v2/brands")

        def test_module_store_is_reset(bigcommerce_sandbox_module):
            requests.post(bigcommerce_sandbox_module.v2_url + "/brands", json={"name": "Once"},
                          headers={"X-Auth-Token": bigcommerce_sandbox_module.access_token})

        def test_module_store_is_reset_again(bigcommerce_sandbox_module):
            assert bigcommerce_sandbox_module.state()["brands"] == {}

        def test_session_store(bigcommerce_sandbox_session):
            assert bigcommerce_sandbox_session.state()["brands"] == {}
    """)
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "bigcommerce.sandbox.pytest_plugin",
            str(test_file),
        ],
        capture_output=True,
        text=True,
        env=env(),
        cwd=str(tmp_path),
        timeout=60,
    )
    if "Plugin already registered" in result.stdout + result.stderr:  # installed entry point
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
            capture_output=True,
            text=True,
            env=env(),
            cwd=str(tmp_path),
            timeout=60,
        )
    assert "8 passed" in result.stdout, result.stdout + result.stderr


def test_cli_gzip_flag():
    proc, fields = start_cli("--gzip", "--products", "5", "--rate-limit", "none")
    try:
        url = "{}/stores/{}/v2/products".format(fields["url"], fields["store_hash"])
        r = requests.get(url, headers={"X-Auth-Token": fields["access_token"], "Accept-Encoding": "gzip"})
        assert r.headers["Content-Encoding"] == "gzip" and len(r.json()) == 5  # requests decodes
        r = requests.get(url, headers={"X-Auth-Token": fields["access_token"], "Accept-Encoding": "identity"})
        assert "Content-Encoding" not in r.headers and len(r.json()) == 5
    finally:
        stop(proc)
