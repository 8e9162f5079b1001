"""examples/app.py, the sample OAuth app, served by wsgiref on a free port in a thread, with the test
playing BigCommerce's part against a sandbox store: the install callback (token exchange), load
(both payload formats), uninstall and remove_user."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
from urllib.parse import urlencode

import pytest
import requests
from test_classic_helpers import REPO, subprocess_env

EXAMPLES = REPO / "examples"
SECRET = "app-example-secret-" + "0123456789abcdef" * 3  # long enough for HS256 without a warning


def load_app_module():
    spec = importlib.util.spec_from_file_location("bigcommerce_example_app", EXAMPLES / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


app_module = load_app_module()


@pytest.fixture
def app_store():
    from bigcommerce.sandbox import Sandbox

    with Sandbox(products=2, client_secret=SECRET, store_hash="appstore", client_id="app-client") as store:
        yield store


@pytest.fixture
def running(app_store):
    """(base URL, OAuthApp, sandbox store) with the app served in a thread."""
    server = app_module.serve(None, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    app = app_module.OAuthApp(app_store.client_id, SECRET, base, api_service=app_store.url, auth_service=app_store.url)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield base, app, app_store
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def call(base, path, **query):
    return requests.get(base + path + ("?" + urlencode(query) if query else ""), timeout=10)


def exchanges(store):
    return [r for r in store.requests if r.path == "/oauth2/token"]


def install(base, store):
    grant = store.install(scope="store_v2_information store_v2_products", redirect_uri=base + "/auth")
    return call(base, "/auth", code=grant["code"], context=grant["context"], scope=grant["scope"]), grant


def test_install_load_uninstall(running):
    base, app, store = running
    answer, grant = install(base, store)
    assert answer.status_code == 200, answer.text
    assert "Installed on store appstore for owner@example.com" in answer.text
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    (exchange,) = exchanges(store)  # the code was exchanged once, as a form, with the app's secret
    assert exchange.method == "POST" and exchange.status == 200
    form = dict(pair.split("=", 1) for pair in exchange.body.decode().split("&"))
    assert form["code"] == grant["code"] and form["client_id"] == "app-client"
    assert form["grant_type"] == "authorization_code" and form["context"] == "stores%2Fappstore"
    assert form["redirect_uri"] == requests.utils.quote(base + "/auth", safe="")
    assert app.tokens.get("appstore")["access_token"] == store.issued_tokens[-1]  # its own token

    loaded = call(base, "/load", signed_payload_jwt=store.signed_payload_jwt(user_id=7, email="seven@example.com"))
    assert loaded.status_code == 200 and "Hello seven@example.com, welcome to Sandbox Store." in loaded.text
    (store_call,) = [r for r in store.requests if r.path == "/stores/appstore/v2/store"]
    assert store_call.headers["X-Auth-Token"] == store.issued_tokens[-1]  # the app used the stored token

    legacy = call(base, "/load", signed_payload=store.signed_payload(user_id=8, email="eight@example.com"))
    assert legacy.status_code == 200 and "Hello eight@example.com" in legacy.text

    removed = call(base, "/remove_user", signed_payload_jwt=store.signed_payload_jwt(user_id=9))
    assert removed.status_code == 200 and "User 9 removed from store appstore." in removed.text

    gone = call(base, "/uninstall", signed_payload_jwt=store.signed_payload_jwt())
    assert gone.status_code == 200 and "Uninstalled from store appstore." in gone.text
    assert "appstore" not in app.tokens
    after = call(base, "/load", signed_payload_jwt=store.signed_payload_jwt())
    assert after.status_code == 403 and "not installed" in after.text
    assert len(exchanges(store)) == 1


def test_forged_and_missing_payloads_are_refused(running):
    base, app, store = running
    install(base, store)
    jwt_payload = store.signed_payload_jwt()
    for query in (
        {"signed_payload_jwt": jwt_payload[:-4] + "AAAA"},
        {"signed_payload": store.signed_payload()[:-4] + "AAAA"},
        {"signed_payload": store.signed_payload(timestamp=1)},  # far too old
        {"signed_payload_jwt": store.signed_payload_jwt(exp_seconds=-60)},
        {"signed_payload_jwt": "not.a.jwt"},
    ):
        for path in ("/load", "/uninstall", "/remove_user"):
            answer = call(base, path, **query)
            assert answer.status_code == 401, (path, query, answer.text)
            assert jwt_payload not in answer.text and SECRET not in answer.text
    assert call(base, "/load").status_code == 400
    assert "appstore" in app.tokens  # nothing forged uninstalled it


def test_a_refused_install_keeps_no_token(running):
    base, app, store = running
    answer = call(base, "/auth", code="0" * 24, context="stores/appstore", scope="x")
    assert answer.status_code == 400 and "BigCommerce refused the install" in answer.text
    assert "Invalid code." in answer.text and SECRET not in answer.text
    assert "appstore" not in app.tokens and len(exchanges(store)) == 1
    ok, grant = install(base, store)
    assert ok.status_code == 200
    again = call(base, "/auth", code=grant["code"], context=grant["context"], scope=grant["scope"])
    assert again.status_code == 400  # an install code works once
    assert call(base, "/auth", code="x", context="shops/appstore").status_code == 400
    assert len(exchanges(store)) == 3


def test_routes_and_methods(running):
    base, _, _ = running
    assert call(base, "/nowhere").status_code == 404
    answer = requests.post(base + "/load", timeout=10)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET"
    assert requests.get(base + "/load?signed_payload_jwt=%3Cscript%3E", timeout=10).text.count("<script>") == 0


def test_demo_mode_runs_end_to_end():
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "app.py"), "--demo"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(REPO),
        env=subprocess_env(),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["install", "load", "load", "load", "uninstall", "load"]
    assert [int(line[22:25]) for line in lines] == [200, 200, 200, 401, 200, 403]
