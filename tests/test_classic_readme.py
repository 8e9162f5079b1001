"""Every usage line of the classic client's README, as written there, in both auth modes.

The api objects are built exactly like the README builds them; the sandbox's address comes from the
``BC_API_ENDPOINT`` environment variable (OAuth) or ``host=`` (Basic). Each test checks the method and
path the sandbox received and what the caller got back.
"""

from __future__ import annotations

import base64
import json

import pytest
import requests
from test_classic_helpers import new_category, new_product, rel, watch

import bigcommerce
import bigcommerce.api
from bigcommerce.exception import (
    ClientRequestException,
    HttpException,
    RedirectionException,
    ServerException,
)
from bigcommerce.resources import Customers, Orders, ProductOptions, Products


@pytest.fixture(params=["oauth", "basic"])
def mode(request):
    return request.param


@pytest.fixture
def readme_api(store, mode, monkeypatch):
    """The api built by the README's Connecting lines (credentials filled in from the sandbox)."""
    if mode == "oauth":
        monkeypatch.setenv("BC_API_ENDPOINT", store.url)
        monkeypatch.setenv("BC_AUTH_SERVICE", store.url)
        api = bigcommerce.api.BigcommerceApi(
            client_id=store.client_id, store_hash=store.store_hash, access_token=store.access_token
        )
    else:
        user, token = store.basic_auth
        api = bigcommerce.api.BigcommerceApi(host=store.url, auth=(user, token))
    return api


def root(store, mode):
    return f"/stores/{store.store_hash}/v2/" if mode == "oauth" else "/api/v2/"


# -- Connecting ----------------------------------------------------------------------------------


def test_connecting_sends_the_credentials_of_each_mode(store, mode, readme_api):
    assert readme_api.Products.all() == []
    (request,) = store.requests
    assert request.path == root(store, mode) + "products"
    assert request.status == 204
    assert request.headers["Accept"] == "application/json"
    assert "gzip" in request.headers["Accept-Encoding"]
    if mode == "oauth":
        assert request.headers["X-Auth-Client"] == store.client_id
        assert request.headers["X-Auth-Token"] == store.access_token
        assert "Authorization" not in request.headers
        assert isinstance(readme_api.connection, bigcommerce.connection.OAuthConnection)
    else:
        user, token = store.basic_auth
        expected = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()
        assert request.headers["Authorization"] == expected
        assert "X-Auth-Token" not in request.headers
        assert type(readme_api.connection) is bigcommerce.connection.Connection


def test_basic_auth_keyword_and_its_older_spelling_are_the_same(store):
    user, token = store.basic_auth
    for api in (
        bigcommerce.api.BigcommerceApi(host=store.url, basic_auth=(user, token)),
        bigcommerce.api.BigcommerceApi(host=store.url, auth=(user, token)),
    ):
        assert api.Products.count() == 0
    first, second = store.requests
    assert first.path == second.path == "/api/v2/products/count"
    assert first.headers["Authorization"] == second.headers["Authorization"]


def test_wrong_credentials_are_a_client_error(store):
    api = bigcommerce.api.BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, access_token="not-the-token", api_service=store.url
    )
    with pytest.raises(ClientRequestException) as info:
        api.Products.all()
    assert info.value.status_code == 401
    assert "not-the-token" not in str(info.value)
    basic = bigcommerce.api.BigcommerceApi(host=store.url, basic_auth=("admin", "wrong"))
    with pytest.raises(ClientRequestException) as info:
        basic.Products.all()
    assert info.value.status_code == 401
    assert [r.status for r in store.requests] == [401, 401]


def test_access_token_is_optional_and_oauth_fetch_token_configures_the_api(store, monkeypatch):
    monkeypatch.setenv("BC_API_ENDPOINT", store.url)
    monkeypatch.setenv("BC_AUTH_SERVICE", store.url)
    api = bigcommerce.api.BigcommerceApi(client_id=store.client_id, store_hash=store.store_hash)
    redirect_uri = "https://app.example.com/auth/callback"
    grant = store.install(scope="store_v2_products store_v2_orders", redirect_uri=redirect_uri)
    # The README's line repeats client_secret by mistake; the real signature is
    # oauth_fetch_token(client_secret, code, context, scope, redirect_uri).
    token = api.oauth_fetch_token(store.client_secret, grant["code"], grant["context"], grant["scope"], redirect_uri)
    assert token["access_token"]
    assert token["context"] == f"stores/{store.store_hash}"
    assert token["scope"] == grant["scope"]
    exchange = store.requests[-1]
    assert (exchange.method, exchange.path, exchange.status) == ("POST", "/oauth2/token", 200)
    assert exchange.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(pair.split("=", 1) for pair in exchange.body.decode().split("&"))
    assert set(form) == {"client_id", "client_secret", "code", "context", "scope", "grant_type", "redirect_uri"}
    assert form["grant_type"] == "authorization_code"
    assert requests.utils.unquote(form["redirect_uri"]) == redirect_uri
    assert requests.utils.unquote(form["context"]) == grant["context"]
    # As a side effect the api is ready: the next request carries the new token and succeeds.
    assert api.Products.all() == []
    last = store.requests[-1]
    assert last.headers["X-Auth-Token"] == token["access_token"]
    assert last.status == 204


def test_oauth_fetch_token_failure_raises_with_the_servers_error(store):
    api = bigcommerce.api.BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, api_service=store.url, auth_service=store.url
    )
    grant = store.install()
    with pytest.raises(ClientRequestException) as info:
        api.oauth_fetch_token(
            store.client_secret, "not-the-code", grant["context"], grant["scope"], "https://app.example.com/auth"
        )
    error = info.value
    assert error.status_code in (400, 403)
    server_error = json.loads(error.content)["error"]
    assert server_error and server_error in str(error)
    assert error.errors["error"] == server_error
    # A wrong secret fails too, and the code stays usable for the right secret.
    with pytest.raises(ClientRequestException):
        api.oauth_fetch_token(
            "wrong-secret", grant["code"], grant["context"], grant["scope"], "https://app.example.com/auth"
        )
    assert "wrong-secret" not in str(error)
    statuses = [(r.method, r.path, r.status) for r in store.requests]
    assert all(s[:2] == ("POST", "/oauth2/token") and s[2] >= 400 for s in statuses)
    # Nothing was configured by the failures.
    assert "X-Auth-Token" not in api.connection.session.headers


def test_oauth_verify_payload_returns_the_user_data(store):
    payload = store.signed_payload(user_id=7, email="owner@example.com")
    data = bigcommerce.api.BigcommerceApi.oauth_verify_payload(payload, store.client_secret)
    assert data["user"]["id"] == 7 and data["user"]["email"] == "owner@example.com"
    assert data["store_hash"] == store.store_hash
    assert bigcommerce.api.BigcommerceApi.oauth_verify_payload(payload, "another secret") is False
    assert bigcommerce.api.BigcommerceApi.oauth_verify_payload("garbage", store.client_secret) is False
    assert store.requests == []  # verification is local


@pytest.mark.filterwarnings("ignore:The HMAC key is")  # the wrong secret tried below is short
def test_oauth_verify_payload_jwt(store):
    token = store.signed_payload_jwt(user_id=3, email="staff@example.com")
    claims = bigcommerce.api.BigcommerceApi.oauth_verify_payload_jwt(token, store.client_secret, store.client_id)
    assert claims["user"]["id"] == 3 and claims["sub"] == f"stores/{store.store_hash}"
    from bigcommerce.oauth import JWTVerificationError

    with pytest.raises(JWTVerificationError):
        bigcommerce.api.BigcommerceApi.oauth_verify_payload_jwt(token, store.client_secret, "other-client")
    with pytest.raises(JWTVerificationError):
        bigcommerce.api.BigcommerceApi.oauth_verify_payload_jwt(token, "another secret", store.client_id)
    assert store.requests == []


# -- Accessing and objects ------------------------------------------------------------------------


def test_products_all(store, mode, readme_api):
    first = new_product(readme_api, "Speakers")
    second = new_product(readme_api, "Scarf")
    with watch(store) as seen:
        products = readme_api.Products.all()  # GET /products
    assert seen.calls == [("GET", "products")]
    assert seen.requests[0].query == {}
    assert [p.id for p in products] == [first.id, second.id]
    assert all(type(p) is Products for p in products)


def test_products_get(store, mode, readme_api):
    new_product(readme_api)
    with watch(store) as seen:
        product = readme_api.Products.get(1)  # GET /products/1
    assert seen.calls == [("GET", "products/1")]
    assert seen.requests[0].path == root(store, mode) + "products/1"
    assert type(product) is Products and product.id == 1
    assert product.name == "Logitech Pure-Fi Speakers"
    assert product.price == "572.2367"  # decimals stay strings


def test_products_create(store, mode, readme_api):
    category = new_category(readme_api)
    with watch(store) as seen:
        product = readme_api.Products.create(
            name="Scarf",
            type="physical",
            price="19.99",
            categories=[category.id],
            availability="available",
            weight="0.2",
        )  # POST /products
    assert seen.calls == [("POST", "products")]
    assert seen.last.status == 201
    assert seen.last.json == {
        "name": "Scarf",
        "type": "physical",
        "price": "19.99",
        "categories": [category.id],
        "availability": "available",
        "weight": "0.2",
    }
    assert seen.last.headers["Content-Type"] == "application/json"
    assert type(product) is Products and product.id == 1 and product.name == "Scarf"
    assert store.state()["products"][1]["name"] == "Scarf"


def test_products_update(store, mode, readme_api):
    new_product(readme_api)
    with watch(store) as seen:
        updated = readme_api.Products.get(1).update(price="199.90")  # PUT /products/1
    assert seen.calls == [("GET", "products/1"), ("PUT", "products/1")]
    assert seen.last.json == {"price": "199.90"}  # only what was given is sent
    assert seen.last.status == 200
    assert type(updated) is Products and updated.price == "199.9000"
    assert readme_api.Products.get(1).price == "199.9000"


def test_products_delete_all(store, mode, readme_api):
    new_product(readme_api, "One")
    new_product(readme_api, "Two")
    with watch(store) as seen:
        result = readme_api.Products.delete_all()  # DELETE /products
    assert seen.calls == [("DELETE", "products")]
    assert seen.statuses == [204]
    assert result is None
    assert readme_api.Products.all() == [] and readme_api.Products.count() == 0
    assert readme_api.Categories.count() == 2  # only the collection asked for is gone


def test_products_get_delete(store, mode, readme_api):
    new_product(readme_api, "One")
    new_product(readme_api, "Two")
    with watch(store) as seen:
        result = readme_api.Products.get(1).delete()  # DELETE /products/1
    assert seen.calls == [("GET", "products/1"), ("DELETE", "products/1")]
    assert seen.statuses == [200, 204]
    assert result is None
    assert [p.id for p in readme_api.Products.all()] == [2]
    with pytest.raises(ClientRequestException) as info:
        readme_api.Products.get(1)
    assert info.value.status_code == 404


@pytest.fixture
def product_with_options(readme_api):
    """Product 1 with product options 1 and 2 (created through the low-level API)."""
    product = new_product(readme_api)
    colour = readme_api.Options.create(name="Colour", type="CS")
    size = readme_api.Options.create(name="Size", type="S")
    first = readme_api.connection.post("products/1/options", {"option_id": colour.id})
    second = readme_api.connection.post("products/1/options", {"option_id": size.id})
    assert (product.id, first["id"], second["id"]) == (1, 1, 2)
    return product


def test_product_options_get_lists_the_options_of_a_product(store, mode, readme_api, product_with_options):
    with watch(store) as seen:
        options = readme_api.ProductOptions.get(1)  # GET /products/1/options
    assert seen.calls == [("GET", "products/1/options")]
    assert [o.id for o in options] == [1, 2]
    assert all(type(o) is ProductOptions for o in options)
    assert [o.display_name for o in options] == ["Colour", "Size"]


def test_product_options_get_one(store, mode, readme_api, product_with_options):
    with watch(store) as seen:
        option = readme_api.ProductOptions.get(1, 2)  # GET /products/1/options/2
    assert seen.calls == [("GET", "products/1/options/2")]
    assert type(option) is ProductOptions and option.id == 2 and option.display_name == "Size"


def test_parent_helper_lists_options(store, mode, readme_api, product_with_options):
    with watch(store) as seen:
        options = readme_api.Products.get(1).options()  # GET /products/1/options
    assert seen.calls == [("GET", "products/1"), ("GET", "products/1/options")]
    assert [o.id for o in options] == [1, 2]


def test_parent_helper_gets_one_option(store, mode, readme_api, product_with_options):
    with watch(store) as seen:
        option = readme_api.Products.get(1).options(1)  # GET /products/1/options/1
    assert seen.calls == [("GET", "products/1"), ("GET", "products/1/options/1")]
    assert type(option) is ProductOptions and option.id == 1


def test_subresource_delete_through_the_parent_helper(store, mode, readme_api, product_with_options):
    with watch(store) as seen:
        result = readme_api.Products.get(1).options(1).delete()
    assert seen.calls == [("GET", "products/1"), ("GET", "products/1/options/1"), ("DELETE", "products/1/options/1")]
    assert seen.statuses == [200, 200, 204]
    assert result is None
    assert [o.id for o in readme_api.ProductOptions.get(1)] == [2]


def test_subresources_of_a_product_with_none_are_empty_lists(store, mode, readme_api):
    new_product(readme_api)
    product = readme_api.Products.get(1)
    with watch(store) as seen:
        assert product.options() == []
        assert product.images() == []
        assert readme_api.ProductOptions.get(1) == []
    assert seen.calls == [("GET", "products/1/options"), ("GET", "products/1/images"), ("GET", "products/1/options")]
    assert seen.statuses == [204, 204, 204]


# -- Filters ---------------------------------------------------------------------------------------


def test_filters(store, mode, readme_api):
    for first, last in [("John", "Smith"), ("John", "Doe"), ("Jane", "Smith")]:
        readme_api.Customers.create(first_name=first, last_name=last, email=f"{first}.{last}@example.com".lower())
    billing = {
        "first_name": "John",
        "last_name": "Smith",
        "street_1": "1 Main St",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
        "country": "United States",
        "country_iso2": "US",
        "email": "john.smith@example.com",
    }
    line = [{"name": "Tea", "quantity": 1, "price_inc_tax": 5, "price_ex_tax": 5}]
    readme_api.Orders.create(customer_id=1, products=line, billing_address=billing)
    readme_api.Orders.create(customer_id=2, products=line, billing_address=billing)
    readme_api.Orders.create(customer_id=1, products=line, billing_address=billing)

    with watch(store) as seen:
        customer = readme_api.Customers.all(first_name="John", last_name="Smith")[0]
        orders = readme_api.Orders.all(customer_id=customer.id)
    assert seen.calls == [("GET", "customers"), ("GET", "orders")]
    assert seen.requests[0].query == {"first_name": "John", "last_name": "Smith"}
    assert seen.requests[1].query == {"customer_id": "1"}
    assert type(customer) is Customers and customer.email == "john.smith@example.com"
    assert [o.id for o in orders] == [1, 3]
    assert all(type(o) is Orders and o.customer_id == 1 for o in orders)


def test_filters_go_to_count_and_iterall_too(store, mode, readme_api):
    for first in ["John", "John", "Jane"]:
        readme_api.Customers.create(
            first_name=first, last_name="Smith", email=f"{first}{len(store.requests)}@example.com"
        )
    with watch(store) as seen:
        assert readme_api.Customers.count(first_name="John") == 2
        assert [c.first_name for c in readme_api.Customers.iterall(first_name="John")] == ["John", "John"]
    assert seen.calls == [("GET", "customers/count"), ("GET", "customers")]
    assert seen.requests[0].query == {"first_name": "John"}
    assert seen.requests[1].query == {"first_name": "John", "limit": "250", "page": "1"}


def test_list_filter_values_are_comma_joined(store, mode, readme_api):
    for name in ("A", "B", "C"):
        new_product(readme_api, name)
    # v2 has no list-valued product filter, so the sandbox refuses ``id:in`` with a 400 naming it;
    # what matters here is the query the client sent.
    with watch(store) as seen:
        with pytest.raises(ClientRequestException) as info:
            readme_api.Products.all(**{"id:in": [1, 3]}, is_visible=True)
    assert seen.requests[0].query == {"id:in": "1,3", "is_visible": "true"}
    assert info.value.status_code == 400 and "id:in" in str(info.value)


# -- Error handling --------------------------------------------------------------------------------


def test_unusual_statuses_raise_http_exceptions(store, mode, readme_api):
    with pytest.raises(HttpException) as info:  # 4xx
        readme_api.Products.get(42)
    assert isinstance(info.value, ClientRequestException) and info.value.status_code == 404
    store.inject("redirect", status=302, location="http://elsewhere.example:9/x", match="GET /products")
    with pytest.raises(RedirectionException) as info:  # 3xx, not followed
        readme_api.Products.all()
    assert info.value.status_code == 302
    store.inject("status", status=500, match="GET /products")
    with pytest.raises(ServerException) as info:  # 5xx
        readme_api.Products.all()
    assert info.value.status_code == 500
    assert [(r.method, rel(r.path), r.status) for r in store.requests] == [
        ("GET", "products/42", 404),
        ("GET", "products", 302),
        ("GET", "products", 500),
    ]


# -- The low level API -----------------------------------------------------------------------------


def test_low_level_helpers(store, mode, readme_api):
    conn = readme_api.connection
    category = conn.post("categories", {"name": "Hats"})
    assert category["id"] == 1 and isinstance(category, dict)
    product = conn.post(
        "products",
        {
            "name": "Cap",
            "type": "physical",
            "price": "5.00",
            "categories": [1],
            "availability": "available",
            "weight": "1",
        },
    )
    assert conn.get("products", product["id"])["name"] == "Cap"
    assert conn.get("products/count") == {"count": 1}
    assert conn.get("products", limit=1, page=1)[0]["id"] == product["id"]
    assert conn.put(f"products/{product['id']}", {"name": "Cap 2"})["name"] == "Cap 2"
    assert conn.delete("products", product["id"]) is None
    assert conn.get("products") is None  # 204
    assert conn.make_request("GET", "categories", None, {"name": "Hats"}, None)[0]["name"] == "Hats"
    response = conn.send("GET", "categories", params={"name": "Hats"})
    assert isinstance(response, requests.Response) and response.status_code == 200
    assert response.json()[0]["name"] == "Hats"
    assert [(r.method, rel(r.path), r.status) for r in store.requests] == [
        ("POST", "categories", 201),
        ("POST", "products", 201),
        ("GET", "products/1", 200),
        ("GET", "products/count", 200),
        ("GET", "products", 200),
        ("PUT", "products/1", 200),
        ("DELETE", "products/1", 204),
        ("GET", "products", 204),
        ("GET", "categories", 200),
        ("GET", "categories", 200),
    ]
    assert store.requests[4].query == {"limit": "1", "page": "1"}
    assert store.requests[-1].query == {"name": "Hats"}


def test_low_level_delete_of_id_zero_is_not_the_whole_collection(store, mode, readme_api):
    new_product(readme_api, "Keep me")
    with pytest.raises(ClientRequestException) as info:
        readme_api.connection.delete("products", rid=0)
    assert info.value.status_code == 404
    assert (store.requests[-1].method, rel(store.requests[-1].path)) == ("DELETE", "products/0")
    assert readme_api.Products.count() == 1
    with pytest.raises(ClientRequestException):
        readme_api.connection.get("products", 0)
    assert rel(store.requests[-1].path) == "products/0"


def test_objects_with_id_zero_address_id_zero(store, mode, readme_api):
    new_product(readme_api, "Keep me")
    ghost = Products({"id": 0})
    ghost._connection = readme_api.connection
    with pytest.raises(ClientRequestException):
        ghost.delete()
    with pytest.raises(ClientRequestException):
        readme_api.Products.get(0)
    assert [(r.method, rel(r.path)) for r in store.requests[-2:]] == [("DELETE", "products/0"), ("GET", "products/0")]
    assert readme_api.Products.count() == 1


# -- Count and iterall (the README's "To do" list, done) --------------------------------------------


def test_count_and_iterall(store, mode, readme_api):
    store.add_products(3)
    total = readme_api.Products.count()
    with watch(store) as seen:
        every = list(readme_api.Products.iterall())
    assert total == len(every) == 3
    assert seen.calls == [("GET", "products")]  # one short page: no second request
    assert seen.requests[0].query == {"limit": "250", "page": "1"}
    with watch(store) as seen:
        paged = list(readme_api.Products.iterall(limit=2))
    assert [p.id for p in paged] == [p.id for p in every]
    assert [r.query for r in seen.requests] == [{"limit": "2", "page": "1"}, {"limit": "2", "page": "2"}]
