"""Connecting: hosts as bare names or full origins, the environment variables, and the headers sent."""

from __future__ import annotations

import base64

import pytest
from test_classic_helpers import watch

from bigcommerce.api import BigcommerceApi
from bigcommerce.connection import Connection, OAuthConnection
from bigcommerce.exception import ForbiddenHostError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv("BC_API_ENDPOINT", raising=False)
    monkeypatch.delenv("BC_AUTH_SERVICE", raising=False)


def oauth(**kwargs):
    return BigcommerceApi(client_id="cid", store_hash="abc123", access_token="tok", **kwargs)


def test_defaults_are_bigcommerces_hosts():
    api = oauth()
    # As the classic client: the bare hosts read back; the origins in use sit beside them.
    assert api.api_service == "api.bigcommerce.com"
    assert api.auth_service == "login.bigcommerce.com"
    assert api.api_origin == "https://api.bigcommerce.com"
    assert api.auth_origin == "https://login.bigcommerce.com"
    assert api.connection.api_root == "https://api.bigcommerce.com/stores/abc123/v2/"
    assert isinstance(api.connection, OAuthConnection)


@pytest.mark.parametrize(
    "given, origin",
    [
        ("api.example.com", "https://api.example.com"),
        ("API.Example.com", "https://api.example.com"),
        ("https://api.example.com", "https://api.example.com"),
        ("https://api.example.com/", "https://api.example.com"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("localhost:8123", "https://localhost:8123"),
    ],
)
def test_api_and_auth_service_take_a_host_or_an_origin(given, origin):
    api = oauth(api_service=given, auth_service=given)
    assert api.api_service == given and api.auth_service == given  # read back as given
    assert api.api_origin == origin and api.auth_origin == origin
    assert api.connection.api_root == origin + "/stores/abc123/v2/"


@pytest.mark.parametrize(
    "given, root",
    [
        ("store.example.com", "https://store.example.com/api/v2/"),
        ("https://store.mybigcommerce.com", "https://store.mybigcommerce.com/api/v2/"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/api/v2/"),
    ],
)
def test_basic_host_takes_a_host_or_an_origin(given, root):
    api = BigcommerceApi(host=given, basic_auth=("admin", "token"))
    assert type(api.connection) is Connection
    assert api.connection.api_root == root


def test_environment_variables_set_the_services(monkeypatch):
    monkeypatch.setenv("BC_API_ENDPOINT", "api.staging.example.com")
    monkeypatch.setenv("BC_AUTH_SERVICE", "http://127.0.0.1:9000")
    api = oauth()
    assert api.api_service == "api.staging.example.com"
    assert api.auth_service == "http://127.0.0.1:9000"
    assert (api.api_origin, api.auth_origin) == ("https://api.staging.example.com", "http://127.0.0.1:9000")
    assert api.connection.api_root == "https://api.staging.example.com/stores/abc123/v2/"
    # Arguments win over the environment.
    api = oauth(api_service="http://127.0.0.1:1", auth_service="login.example.com")
    assert (api.api_service, api.auth_service) == ("http://127.0.0.1:1", "login.example.com")
    assert (api.api_origin, api.auth_origin) == ("http://127.0.0.1:1", "https://login.example.com")


def test_environment_reaches_the_sandbox(store, monkeypatch):
    monkeypatch.setenv("BC_API_ENDPOINT", store.url)
    api = BigcommerceApi(client_id=store.client_id, store_hash=store.store_hash, access_token=store.access_token)
    assert api.api_service == store.url
    assert api.Time.all()["time"] > 0
    (request,) = store.requests
    assert (request.method, request.path, request.status) == ("GET", f"/stores/{store.store_hash}/v2/time", 200)


def test_a_bad_environment_value_is_reported_by_name(monkeypatch):
    monkeypatch.setenv("BC_API_ENDPOINT", "ftp://nope")
    with pytest.raises(ValueError, match="api_service"):
        oauth()


def test_oauth_headers(store):
    api = BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, access_token=store.access_token, api_service=store.url
    )
    api.Brands.create(name="Acme")
    api.Brands.all()
    post, get = store.requests
    for request in (post, get):
        assert request.headers["X-Auth-Client"] == store.client_id
        assert request.headers["X-Auth-Token"] == store.access_token
        assert request.headers["Accept"] == "application/json"
        assert "gzip" in [part.strip() for part in request.headers["Accept-Encoding"].split(",")]
        assert "Authorization" not in request.headers
        assert request.headers["User-Agent"].startswith("bigcommerce-api/")
    assert post.headers["Content-Type"] == "application/json"
    assert post.json == {"name": "Acme"}
    assert (post.status, get.status) == (201, 200)


def test_basic_headers(store):
    user, token = store.basic_auth
    api = BigcommerceApi(host=store.url, basic_auth=(user, token))
    api.Brands.create(name="Acme")
    for request in store.requests:
        assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()
        assert request.headers["Accept"] == "application/json"
        assert "gzip" in request.headers["Accept-Encoding"]
        assert "X-Auth-Token" not in request.headers
        assert request.path == "/api/v2/brands"
    assert store.requests[0].status == 201


def test_a_host_with_a_trailing_slash_or_path_still_reaches_the_api_root(store):
    user, token = store.basic_auth
    api = BigcommerceApi(host=store.url + "/", basic_auth=(user, token))
    assert api.Products.all() == []
    assert store.requests[0].path == "/api/v2/products"


def test_the_token_exchange_goes_to_the_auth_service_only(store):
    # api_service points nowhere: only the auth service is contacted by oauth_fetch_token.
    api = BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, api_service="http://127.0.0.1:9", auth_service=store.url
    )
    grant = store.install()
    token = api.oauth_fetch_token(
        store.client_secret, grant["code"], grant["context"], grant["scope"], "https://app.example.com/auth"
    )
    assert token["access_token"]
    assert [(r.method, r.path, r.status) for r in store.requests] == [("POST", "/oauth2/token", 200)]
    assert api.connection.api_root == f"http://127.0.0.1:9/stores/{store.store_hash}/v2/"


def test_oauth_fetch_token_needs_an_oauth_api(store):
    api = BigcommerceApi(host=store.url, basic_auth=store.basic_auth)
    with pytest.raises(TypeError, match="OAuth"):
        api.oauth_fetch_token("secret", "code", "stores/x", "scope", "https://app.example.com")
    assert store.requests == []


def test_credentials_never_go_to_another_origin(store, api):
    with pytest.raises(ForbiddenHostError):
        api.connection.make_request("GET", "https://api.bigcommerce.example/stores/x/v2/products")
    assert store.requests == []


def test_repr_of_the_api_and_connection_shows_no_secret(store):
    api = BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, access_token=store.access_token, api_service=store.url
    )
    basic = BigcommerceApi(host=store.url, basic_auth=store.basic_auth)
    for text in (repr(api), repr(api.connection), repr(basic), repr(basic.connection), repr(api.Products)):
        assert store.access_token not in text
        assert store.basic_auth[1] not in text
    assert store.store_hash in repr(api)


def test_resources_are_attributes_of_the_api(store, api):
    assert "Products" in dir(api) and "OrderStatuses" in dir(api)
    assert api.Products is api.Products  # made once
    with watch(store) as seen:
        api.Products.all()
        api.Store.get()
    assert [path for _, path in seen.calls] == ["products", "store"]
