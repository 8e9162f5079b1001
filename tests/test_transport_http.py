"""Bodies, 204s, the User-Agent, redirects, the host check, timeouts and the transport's options."""

from __future__ import annotations

import time

import pytest
import requests

import bigcommerce
from bigcommerce.api import BigcommerceApi
from bigcommerce.connection import DEFAULT_TIMEOUT, Connection, OAuthConnection
from bigcommerce.exception import (
    BigcommerceException,
    ForbiddenHostError,
    HttpException,
    InvalidResponseException,
    RedirectionException,
    ServerException,
)

USER_AGENT = f"bigcommerce-api/{bigcommerce.__version__} python-requests/{requests.__version__}"


@pytest.fixture
def brand(api):
    return api.Brands.create(name="Acme")


# -- bodies ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["truncated_json", "html_200", "empty_200"])
@pytest.mark.parametrize("call", ["get", "post", "put", "resource"])
def test_unreadable_success_bodies_raise_invalid_response(store, api, brand, fault, call):
    store.inject(fault, match="/brands")
    with pytest.raises(InvalidResponseException) as caught:
        if call == "get":
            api.connection.get("brands", brand.id)
        elif call == "post":
            api.connection.post("brands", {"name": "Other"})
        elif call == "put":
            api.connection.put(f"brands/{brand.id}", {"name": "Renamed"})
        else:
            api.Brands.get(brand.id)
    error = caught.value
    assert isinstance(error, HttpException) and isinstance(error, BigcommerceException)
    assert error.status_code in (200, 201)
    assert error.errors is None
    kind = "an empty body" if fault == "empty_200" else "a body that is not valid JSON"
    assert kind in str(error) and "/brands" in str(error)


def test_empty_200_on_delete_is_fine(store, api, brand):
    store.inject("empty_200", match="DELETE /brands")
    assert api.connection.delete("brands", brand.id) is None


def test_204_on_every_path(store, api, basic_api, brand):
    assert api.connection.get("products") is None  # empty collection: 204
    assert basic_api.connection.get("products") is None
    assert api.Products.all() == []
    assert list(api.Products.iterall()) == []
    assert api.connection.delete("brands", brand.id) is None  # DELETE: 204
    assert api.connection.get("brands") is None
    response = api.connection.send("GET", "products")
    assert response.status_code == 204 and response.content == b""
    # POST and PUT answered 204 (not what v2 does, but some endpoints do): None, not an error
    for method in ("POST", "PUT"):
        fake = requests.Response()
        fake.status_code, fake._content, fake.url = 204, b"", store.url + "/x"
        assert api.connection.handle_response(method, "x", fake) is None


def test_token_exchange_answered_204_is_an_invalid_response(store, api):
    grant = store.install(redirect_uri="https://a/b")
    store.inject("empty_200", match="POST /oauth2/token")
    with pytest.raises(InvalidResponseException):
        api.oauth_fetch_token(store.client_secret, grant["code"], grant["context"], grant["scope"], "https://a/b")


def test_user_agent_on_every_kind_of_request(store, api, basic_api):
    api.connection.get("time")
    basic_api.connection.get("time")
    grant = store.install(redirect_uri="https://a/b")
    api.oauth_fetch_token(store.client_secret, grant["code"], grant["context"], grant["scope"], "https://a/b")
    agents = {(r.path.split("/")[1], r.headers.get("User-Agent")) for r in store.requests}
    assert agents == {("stores", USER_AGENT), ("api", USER_AGENT), ("oauth2", USER_AGENT)}


def test_error_messages_quote_the_body_with_credentials_scrubbed(store, api):
    store.inject("status", match="GET /time", status=500, body=f"debug: token={store.access_token}")
    with pytest.raises(ServerException) as caught:
        api.connection.get("time")
    assert store.access_token not in str(caught.value)
    assert "token=[redacted]" in str(caught.value)


def test_token_exchange_never_sends_the_old_token(store, api):
    grant = store.install(redirect_uri="https://a/b")
    api.oauth_fetch_token(store.client_secret, grant["code"], grant["context"], grant["scope"], "https://a/b")
    exchange = [r for r in store.requests if r.path == "/oauth2/token"][0]
    assert exchange.headers.get("X-Auth-Token") is None
    assert exchange.headers.get("Content-Type") == "application/x-www-form-urlencoded"


# -- redirects ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_redirects_are_never_followed(store, api, brand, status, method):
    location = "http://evil.example:9/steal"
    store.inject("redirect", match=f"{method} /brands", status=status, location=location)
    before = len(store.requests)
    with pytest.raises(RedirectionException) as caught:
        api.connection.make_request(method, f"brands/{brand.id}", {"name": "x"} if method in ("POST", "PUT") else None)
    assert caught.value.location == location
    assert caught.value.status_code == status
    assert len(store.requests) == before + 1  # the redirect itself; nothing was sent again


def test_a_redirect_to_the_same_origin_is_not_followed_either(store, api):
    store.inject("redirect", match="GET /time", location=store.v2_url + "/store")
    with pytest.raises(RedirectionException) as caught:
        api.connection.get("time")
    assert caught.value.location.endswith("/v2/store")
    assert [r.path for r in store.requests] == ["/stores/sandbox/v2/time"]


# -- hosts ---------------------------------------------------------------------------------------------------


def foreign_urls(store):
    origin = store.url  # http://127.0.0.1:PORT
    port = int(origin.rsplit(":", 1)[1])
    return [
        "http://evil.example/x",
        "https://evil.example/stores/sandbox/v2/time",
        "//evil.example/x",  # scheme-relative
        origin.replace("http://", "https://") + "/x",  # another scheme is another origin
        f"http://127.0.0.1:{port + 1}/x",  # another port
        f"http://localhost:{port}/x",  # another name for the same machine
        f"http://127.0.0.1:{port}@evil.example/x",  # userinfo trick
        f"http://user:pw@127.0.0.1:{port}/x",  # userinfo on the right host
        f"ftp://127.0.0.1:{port}/x",
        "http://[::1/x",  # not even parseable
        f"http://127.0.0.1:{port}abc/x",  # a port that is not a number
    ]


def test_absolute_urls_on_other_origins_are_refused_before_sending(store, api, basic_api):
    for client in (api, basic_api):
        connections, sent = store.connections, len(store.requests)
        for url in foreign_urls(store):
            for method in ("GET", "POST"):
                with pytest.raises(ForbiddenHostError) as caught:
                    client.connection.send(method, url, data={"a": 1})
                assert "refusing to send credentials" in str(caught.value)
                assert "pw" not in str(caught.value)  # a user:password@ part is never echoed
        assert (store.connections, len(store.requests)) == (connections, sent)
    assert issubclass(ForbiddenHostError, ValueError)


def test_absolute_urls_on_the_configured_origins_are_allowed(store, api):
    assert "time" in api.connection.get(store.v2_url + "/time")
    upper = store.url.replace("http://", "HTTP://")
    assert api.connection.send("GET", upper + "/stores/sandbox/v2/time").status_code == 200
    # the auth service is the other configured origin
    other = BigcommerceApi(
        client_id="c", store_hash="sandbox", access_token="t", api_service="api.example.com", auth_service=store.url
    )
    assert other.connection.send("POST", store.url + "/oauth2/token", data={}).status_code == 400


def test_paths_cannot_escape_the_api_origin(store, api):
    # Relative paths always stay on the API origin, whatever they contain.
    for path in ("products?next=http://evil.example/", "http:evil.example/x", "mailto:a@b"):
        assert api.connection.full_path(path).startswith(api.connection.api_root)


def test_fetch_token_only_goes_to_the_auth_service(store, api):
    with pytest.raises(ForbiddenHostError):
        api.connection.fetch_token("secret", "code", "ctx", "scope", "https://a/b", login_host="evil.example")


# -- timeouts and options --------------------------------------------------------------------------------------


def test_default_timeout_is_finite():
    conn = OAuthConnection("id", "hash", "token")
    assert conn.timeout == DEFAULT_TIMEOUT
    assert all(0 < part < 600 for part in DEFAULT_TIMEOUT)


@pytest.mark.parametrize("given,kept", [(5, 5), (2.5, 2.5), ((1, 30), (1, 30)), ([3, 4], (3, 4))])
def test_timeout_option(given, kept):
    api = BigcommerceApi(client_id="id", store_hash="hash", access_token="t", timeout=given)
    assert api.connection.timeout == kept
    assert Connection("store.example.com", ("u", "p"), timeout=given).timeout == kept


@pytest.mark.parametrize(
    "option,value",
    [
        ("timeout", 0),
        ("timeout", -1),
        ("timeout", None),
        ("timeout", "5"),
        ("timeout", (1, 2, 3)),
        ("timeout", float("inf")),
        ("timeout", True),
        ("timeout", ()),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("max_retries", True),
        ("backoff_factor", -0.1),
        ("rate_limit_wait", -1),
        ("rate_limit_wait", float("nan")),
    ],
)
def test_bad_options_are_refused_at_construction(option, value):
    with pytest.raises(ValueError):
        BigcommerceApi(client_id="id", store_hash="hash", access_token="t", **{option: value})


def test_per_call_timeout_overrides_the_connection(store, api):
    store.inject("slow", match="POST /brands", seconds=0.6)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.connection.send("POST", "brands", data={"name": "Late"}, timeout=0.2)
    assert time.monotonic() - started < 0.5  # the connection's own timeout is 60 s


def test_connection_reprs_name_the_store_and_nothing_else(store, api, basic_api):
    assert repr(api.connection).startswith("<OAuthConnection store_hash='sandbox' http://127.0.0.1:")
    assert repr(basic_api.connection) == f"<Connection {store.url}/api/v2/>"
    for text in (repr(api), repr(api.connection), repr(basic_api), repr(basic_api.connection)):
        assert store.access_token not in text and store.basic_auth[1] not in text
