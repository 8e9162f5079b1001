"""The exception family, from real responses of the sandbox, and bad input refused before sending.

HttpException
 +-- RedirectionException      3xx (never followed)
 +-- ClientRequestException    4xx
 |    +-- RateLimitingException   429
 +-- ServerException           5xx
 +-- InvalidResponseException  2xx whose body is not JSON
"""

from __future__ import annotations

import pickle

import pytest
from test_classic_helpers import new_product, rel, watch

from bigcommerce.api import BigcommerceApi
from bigcommerce.exception import (
    EXCERPT_CHARS,
    BigcommerceException,
    ClientRequestException,
    EmptyResponseWarning,
    ForbiddenHostError,
    HttpException,
    InvalidResponseException,
    RateLimitingException,
    RedirectionException,
    ServerException,
    status_to_exception,
)
from bigcommerce.resources import ProductImages, Products

V2 = "/stores/sandbox/v2/"


# -- the table -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, cls",
    [
        (200, None),
        (201, None),
        (204, None),
        (299, None),
        (301, RedirectionException),
        (302, RedirectionException),
        (304, RedirectionException),
        (400, ClientRequestException),
        (401, ClientRequestException),
        (404, ClientRequestException),
        (409, ClientRequestException),
        (429, RateLimitingException),
        (499, ClientRequestException),
        (500, ServerException),
        (503, ServerException),
        (507, ServerException),
        (509, ServerException),
    ],
)
def test_status_to_exception(status, cls):
    assert status_to_exception(status) is cls


def test_the_tree():
    assert issubclass(RateLimitingException, ClientRequestException)
    for cls in (RedirectionException, ClientRequestException, ServerException, InvalidResponseException):
        assert issubclass(cls, HttpException)
    assert issubclass(HttpException, BigcommerceException) and issubclass(BigcommerceException, Exception)
    assert issubclass(EmptyResponseWarning, BigcommerceException)  # still importable, never raised
    error = HttpException("plain message", None)
    assert (error.message, error.status_code, error.errors, error.content) == ("plain message", None, None, b"")


# -- from real responses ---------------------------------------------------------------------------


def test_404_parses_the_error_array(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.Products.get(999)
    error = info.value
    assert type(error) is ClientRequestException
    assert error.status_code == 404
    assert error.errors == [{"status": 404, "message": "The requested resource was not found."}]
    assert error.response.status_code == 404 and error.content == error.response.content
    assert error.headers["Content-Type"].startswith("application/json")
    message = str(error)
    assert f"GET {V2}products/999" in message and "404" in message
    assert "The requested resource was not found." in message
    assert [(r.method, r.path, r.status) for r in store.requests] == [("GET", V2 + "products/999", 404)]


def test_400_names_the_missing_field(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.Brands.create(page_title="no name")
    error = info.value
    assert error.status_code == 400
    assert isinstance(error.errors, list) and error.errors[0]["status"] == 400
    assert "name" in error.errors[0]["message"]
    assert f"POST {V2}brands" in str(error)
    assert (store.requests[-1].method, store.requests[-1].status) == ("POST", 400)
    assert api.Brands.count() == 0


def test_409_conflict_carries_the_details(store, api):
    api.Brands.create(name="Acme")
    with pytest.raises(ClientRequestException) as info:
        api.Brands.create(name="Acme")
    assert info.value.status_code == 409
    assert "details" in info.value.errors[0] or "conflict" in str(info.value).lower()
    assert [r.status for r in store.requests] == [201, 409]


def test_405_for_a_method_the_collection_does_not_allow(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.connection.post("order_statuses", {"name": "Nope"})
    assert info.value.status_code == 405
    assert store.requests[-1].method == "POST"


@pytest.mark.parametrize("status", [301, 302, 307])
def test_redirects_are_not_followed(store, api, status):
    store.inject("redirect", status=status, location="http://evil.example:9/steal", match="GET /products")
    with pytest.raises(RedirectionException) as info:
        api.Products.all()
    error = info.value
    assert error.status_code == status
    assert error.location == "http://evil.example:9/steal"
    assert f"GET {V2}products" in str(error) and str(status) in str(error)
    assert [(r.method, r.path, r.status) for r in store.requests] == [("GET", V2 + "products", status)]


def test_5xx_is_a_server_exception_with_a_short_excerpt(store, api):
    body = "<html><body>" + "Internal failure detail. " * 400 + "THE-END</body></html>"
    store.inject("status", status=500, body=body, match="GET /products")
    with pytest.raises(ServerException) as info:
        api.Products.all()
    error = info.value
    assert error.status_code == 500
    assert error.errors is None  # an HTML page is not a BigCommerce error body
    assert error.content.decode().endswith("THE-END</body></html>")  # the whole body is kept...
    message = str(error)
    assert f"GET {V2}products" in message and "500" in message
    assert "Internal failure detail." in message
    assert "THE-END" not in message  # ...but the message only quotes the start
    assert len(message) < EXCERPT_CHARS + 120
    assert [r.status for r in store.requests] == [500]


def test_post_503_is_not_retried_and_raises(store, api):
    new_product(api)
    store.inject("status", status=503, match="POST /brands")
    with watch(store) as seen:
        with pytest.raises(ServerException) as info:
            api.Brands.create(name="Acme")
    assert info.value.status_code == 503
    assert seen.calls == [("POST", "brands")]
    assert api.Brands.count() == 0


def test_429_after_the_wait_budget_is_a_rate_limiting_exception(store):
    api = store.api(rate_limit_wait=0, backoff_factor=0.01)
    store.inject("rate_limit", times=5, reset_ms=1500, match="GET /products")
    with pytest.raises(RateLimitingException) as info:
        api.Products.all()
    error = info.value
    assert isinstance(error, ClientRequestException) and error.status_code == 429
    assert error.retry_after == pytest.approx(1.5)
    assert [r.status for r in store.requests] == [429]


def test_429_without_headers_has_no_retry_after_and_does_not_raise_reading_it(store):
    api = store.api(rate_limit_wait=0, backoff_factor=0.01)
    store.inject("rate_limit_bare", times=50, match="GET /products")
    with pytest.raises(RateLimitingException) as info:
        api.Products.all()
    assert info.value.retry_after is None
    assert store.requests[0].status == 429


@pytest.mark.parametrize(
    "fault, words",
    [
        ("html_200", "not valid JSON"),
        ("empty_200", "empty body"),
        ("truncated_json", "not valid JSON"),
    ],
)
def test_a_2xx_that_is_not_json_says_so(store, api, fault, words):
    api.Categories.create(name="Hats")  # so that there is a body to cut in half
    store.inject(fault, match="GET /categories")
    with watch(store) as seen, pytest.raises(InvalidResponseException) as info:
        api.Categories.all()
    error = info.value
    assert isinstance(error, HttpException) and error.status_code == 200
    message = str(error)
    assert words in message and f"GET {V2}categories" in message and "200" in message
    assert len(message) < EXCERPT_CHARS + 150
    assert seen.calls == [("GET", "categories")]


def test_truncated_json_on_create_is_reported_and_the_object_exists(store, api):
    store.inject("truncated_json", match="POST /brands")
    with pytest.raises(InvalidResponseException):
        api.Brands.create(name="Acme")
    assert api.Brands.count() == 1  # processed: the caller must check before creating again


def test_count_without_a_number_is_an_invalid_response(store, api):
    store.inject("html_200", match="GET /products/count")
    with pytest.raises(InvalidResponseException):
        api.Products.count()


def test_exceptions_pickle_without_the_response_or_credentials(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.Products.get(12345)
    blob = pickle.dumps(info.value)
    assert store.access_token.encode() not in blob
    back = pickle.loads(blob)
    assert type(back) is ClientRequestException and str(back) == str(info.value)
    assert store.access_token not in str(info.value) and store.access_token not in repr(info.value)


# -- bad input, refused before anything is sent ----------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({}, ["client_id", "basic_auth"]),
        (
            {
                "client_id": "c",
                "store_hash": "h",
                "access_token": "t",
                "host": "h.example.com",
                "basic_auth": ("u", "p"),
            },
            ["not both"],
        ),
        ({"client_id": "c", "basic_auth": ("u", "p")}, ["not both"]),
        ({"client_id": "c"}, ["store_hash"]),
        ({"store_hash": "h", "access_token": "t"}, ["client_id"]),
        ({"host": "store.example.com"}, ["basic_auth"]),
        ({"basic_auth": ("u", "p")}, ["host"]),
        ({"host": "store.example.com", "basic_auth": ("u", "p"), "auth": ("u", "p")}, ["not both"]),
        ({"host": "store.example.com", "basic_auth": "u:p"}, ["basic_auth"]),
        ({"host": "not a host", "basic_auth": ("u", "p")}, ["host"]),
        ({"host": "ftp://store.example.com", "basic_auth": ("u", "p")}, ["host"]),
        ({"host": "http://store.example.com:99999", "basic_auth": ("u", "p")}, ["port"]),
        ({"client_id": "c", "store_hash": "h", "access_token": "t", "api_service": "http://"}, ["api_service"]),
        ({"client_id": "c", "store_hash": "h", "access_token": "t", "auth_service": "a b"}, ["auth_service"]),
    ],
)
def test_bad_credentials_and_hosts_raise_value_error(kwargs, words):
    with pytest.raises(ValueError) as info:
        BigcommerceApi(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_readme_placeholders_construct_and_the_first_request_says_what_is_missing(store):
    # The classic README's first line, as written there: empty strings stand for real values.
    api = BigcommerceApi(client_id="", store_hash="", access_token="", api_service=store.url)
    with pytest.raises(ValueError) as info:
        api.Products.all()
    assert "client_id" in str(info.value) and "store_hash" in str(info.value)
    assert store.requests == []


def test_credentials_in_a_host_are_refused_without_echoing_them():
    with pytest.raises(ValueError) as info:
        BigcommerceApi(host="https://admin:s3cret@store.example.com", basic_auth=("u", "p"))
    assert "s3cret" not in str(info.value)


BAD_IDS = ["../x", "..", ".", "", "1/2", "a?b", "x y", "%2e%2e", None, True, 1.5, b"1", [1]]


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_bad_ids_are_refused_before_sending(store, api, bad):
    calls = [
        lambda: api.Products.get(bad),
        lambda: api.ProductImages.get(1, bad) if bad is not None else api.ProductImages.get(1, "../z"),
        # With no parent id, all() and iterall() list store-wide (products/images), as the classic did.
        lambda: api.ProductImages.all(bad) if bad is not None else api.ProductImages.all("../w"),
        lambda: api.ProductImages.get(bad),
        lambda: api.ProductImages.create(bad, image_file="x.png"),
        lambda: api.ProductImages.count(bad) if bad is not None else api.ProductImages.count("../y"),
        lambda: api.ProductImages.delete_all(bad),
        lambda: list(api.ProductImages.iterall(bad if bad is not None else "a/b")),
    ]
    for call in calls:
        with pytest.raises((ValueError, TypeError)):
            call()
    obj = Products({"id": bad, "name": "x"})
    obj._connection = api.connection
    with pytest.raises((ValueError, TypeError)):
        obj.update(name="y")
    with pytest.raises((ValueError, TypeError)):
        obj.delete()
    with pytest.raises((ValueError, TypeError)):
        obj.images()
    image = ProductImages({"id": 1, "product_id": bad})
    image._connection = api.connection
    with pytest.raises((ValueError, TypeError)):
        image.delete()
    assert store.requests == []


def test_good_ids_of_every_accepted_kind_are_sent_as_one_segment(store, api):
    for rid in (7, "7", "abc-DEF_9", -1):
        with pytest.raises(ClientRequestException):
            api.Products.get(rid)
    assert [rel(r.path) for r in store.requests] == ["products/7", "products/7", "products/abc-DEF_9", "products/-1"]


def test_low_level_bad_ids_and_foreign_origins_are_refused_before_sending(store, api):
    for rid in ("..", ".", ""):
        with pytest.raises(ValueError):
            api.connection.delete("products", rid)
        with pytest.raises(ValueError):
            api.connection.get("products", rid)
    with pytest.raises(ForbiddenHostError):
        api.connection.make_request("GET", "http://evil.example:9/stores/sandbox/v2/products")
    with pytest.raises(ForbiddenHostError):
        api.connection.get("https://evil.example/x")
    assert store.requests == []


def test_low_level_id_with_a_slash_stays_one_segment(store, api):
    with pytest.raises(ClientRequestException) as info:
        api.connection.delete("products", "../x")
    assert info.value.status_code in (400, 404)
    assert store.requests[0].path.startswith(V2 + "products/")
    assert store.requests[0].path != V2 + "x"


def test_operations_a_class_does_not_offer_do_not_exist(store, api):
    with pytest.raises(AttributeError):
        api.OrderStatuses.create(name="x")
    with pytest.raises(AttributeError):
        api.Countries.delete_all()
    with pytest.raises(AttributeError):
        api.PaymentMethods.get(1)
    with pytest.raises(AttributeError):
        _ = api.NotAResource
    assert store.requests == []
