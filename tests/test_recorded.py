"""Real BigCommerce traffic, replayed: the client must turn it into the right objects and exceptions.

Each cassette of ``recorded/bigcommerce-v2-recorded.jsonl`` (46 exchanges recorded against real stores
in 2013-2014) is served by a small HTTP server on a loopback port. The test makes the same calls the
recording was made with; the server answers each request with the recorded status, headers and body
if, and only if, it is the next recorded request (method, path, query and body). Anything else gets a
599 and is listed in ``server.unexpected``, so a client that asks for one page too many, sends a
different body or forgets a header fails the test.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from test_classic_helpers import LocalServer

from bigcommerce.api import BigcommerceApi
from bigcommerce.exception import ClientRequestException, HttpException
from bigcommerce.resources import Countries, CountryStates, Coupons, ProductImages, Products

RECORDING = Path(__file__).resolve().parent / "recorded" / "bigcommerce-v2-recorded.jsonl"


def _load():
    cassettes: dict = {}
    with RECORDING.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            cassettes.setdefault(row["cassette"], []).append(row)
    for rows in cassettes.values():
        rows.sort(key=lambda row: row["seq"])
    return cassettes


CASSETTES = _load()
HOP_BY_HOP = {"transfer-encoding", "content-length", "connection", "content-encoding", "keep-alive"}
BASIC = ("admin", "REDACTED-API-TOKEN")
OAUTH_CLIENT_ID = "iu4mk0piq5r664w687c1d6lv84mz1s9"
OAUTH_TOKEN = "REDACTED-ACCESS-TOKEN"


def _same_body(recorded: Optional[str], received: bytes, content_type: str) -> bool:
    if not recorded:
        return not received
    if "x-www-form-urlencoded" in content_type:
        return parse_qs(recorded) == parse_qs(received.decode())
    try:
        return json.loads(recorded) == json.loads(received)
    except ValueError:
        return False


class ReplayServer(LocalServer):
    """Answers the recorded exchanges of one cassette, strictly in order."""

    def __init__(self, exchanges):
        self.exchanges = list(exchanges)
        self.position = 0
        self.received = []  # (method, path, query dict, headers dict, body bytes)
        self.unexpected = []  # descriptions of requests that did not match the recording
        self.lock = threading.Lock()
        super().__init__(self.handle)

    def handle(self, handler, body: bytes):
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k: v for k, v in handler.headers.items()}
        with self.lock:
            self.received.append((handler.command, parts.path, query, headers, body))
            expected = self.exchanges[self.position] if self.position < len(self.exchanges) else None
            if expected is not None:
                want = urlsplit(expected["path"])
                matches = (
                    expected["method"] == handler.command
                    and want.path == parts.path
                    and dict(parse_qsl(want.query, keep_blank_values=True)) == query
                    and _same_body(expected["request_body"], body, handler.headers.get("Content-Type", ""))
                )
            else:
                matches = False
            if matches:
                self.position += 1
            else:
                self.unexpected.append(
                    f"{handler.command} {handler.path} body={body[:200]!r}; expected "
                    + (f"{expected['method']} {expected['path']}" if expected else "nothing")
                )
        if not matches:
            payload = b"unexpected request"
            handler.send_response(599, "Unexpected")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        payload = (expected["response_body"] or "").encode("utf-8")
        handler.send_response(expected["status"], expected["reason"])
        for name, value in expected["response_headers"].items():
            if name.lower() not in HOP_BY_HOP:
                handler.send_header(name, value)
        if expected["status"] != 204 or payload:
            handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def check_done(self):
        assert self.unexpected == []
        assert self.position == len(self.exchanges), (
            f"only {self.position} of {len(self.exchanges)} recorded requests were made"
        )


@pytest.fixture
def replay(request):
    servers = []

    def start(cassette):
        server = ReplayServer(CASSETTES[cassette])
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def body_of(cassette, seq):
    text = CASSETTES[cassette][seq]["response_body"]
    return json.loads(text) if text else None


def basic_api(server):
    return BigcommerceApi(host=server.url, basic_auth=BASIC, max_retries=0)


def oauth_api(server, store_hash):
    return BigcommerceApi(
        client_id=OAUTH_CLIENT_ID,
        store_hash=store_hash,
        access_token=OAUTH_TOKEN,
        api_service=server.url,
        auth_service=server.url,
        max_retries=0,
    )


def assert_same_object(obj, recorded, cls):
    assert type(obj) is cls
    assert list(obj.keys()) == list(recorded.keys())  # every key, in the server's order
    assert dict(obj) == recorded
    assert json.loads(json.dumps(obj)) == recorded


def assert_same_list(objs, recorded, cls):
    assert isinstance(objs, list) and len(objs) == len(recorded)
    for obj, data in zip(objs, recorded):
        assert_same_object(obj, data, cls)


def test_cassettes_are_the_ones_this_file_replays():
    assert sum(len(rows) for rows in CASSETTES.values()) == 46
    assert set(CASSETTES) == {
        "crud_test_get_products",
        "crud_test_manip_coupons",
        "crud_test_subresources",
        "crud_test_subresources2",
        "register_request",
        "test_create_delete",
        "test_get",
        "test_update",
    }


def test_the_79_key_product_and_its_update_over_basic_auth(replay):
    server = replay("crud_test_get_products")
    api = basic_api(server)
    page = api.Products.all(limit=20, page=1)
    assert_same_list(page, body_of("crud_test_get_products", 0), Products)

    product = api.Products.get(32)
    recorded = body_of("crud_test_get_products", 1)
    assert len(recorded) == 79
    assert_same_object(product, recorded, Products)
    # Decimals stay strings, nulls stay None, link objects stay dicts, dates stay the server's text.
    assert product.price == "572.2367" and product["warranty"] is None
    assert product["images"] == {
        "url": "https://store-legacy.example.mybigcommerce.com/api/v2/products/32/images.json",
        "resource": "/products/32/images",
    }
    assert product.date_created == "Fri, 21 Sep 2012 02:31:01 +0000"
    assert callable(product.images) and callable(product.options)
    assert repr(product).startswith("<Products id=32 at 0x") and repr(product).endswith(f"> {dict(product)!r}")
    assert str(product) == str(dict(product))

    update = json.loads(CASSETTES["crud_test_get_products"][2]["request_body"])
    updated = product.update(**update)
    assert_same_object(updated, body_of("crud_test_get_products", 2), Products)
    assert_same_object(api.Products.get(32), body_of("crud_test_get_products", 3), Products)
    server.check_done()

    # What went over the wire: the recorded Basic credentials, JSON and gzip accepted, the PUT as JSON.
    for _method, _path, _query, headers, _body in server.received:
        assert headers["Authorization"] == CASSETTES["crud_test_get_products"][0]["request_headers"]["Authorization"]
        assert headers["Accept"] == "application/json"
        assert "gzip" in headers["Accept-Encoding"]
    put = server.received[2]
    assert put[0] == "PUT" and put[3]["Content-Type"] == "application/json"
    assert json.loads(put[4]) == update


def test_coupon_list_create_delete_and_the_404_error_array(replay):
    cassette = "crud_test_manip_coupons"
    server = replay(cassette)
    api = basic_api(server)
    assert_same_list(api.Coupons.all(limit=50, page=1), body_of(cassette, 0), Coupons)
    first = api.Coupons.create(**json.loads(CASSETTES[cassette][1]["request_body"]))
    second = api.Coupons.create(**json.loads(CASSETTES[cassette][2]["request_body"]))
    assert_same_object(first, body_of(cassette, 1), Coupons)
    assert_same_object(second, body_of(cassette, 2), Coupons)
    assert first.id == 146 and second.id == 147 and first.amount == "20.0000"
    assert_same_list(api.Coupons.all(limit=50, page=1), body_of(cassette, 3), Coupons)
    assert first.delete() is None  # 204, empty body
    assert second.delete() is None
    assert_same_list(api.Coupons.all(limit=50, page=1), body_of(cassette, 6), Coupons)

    with pytest.raises(ClientRequestException) as info:
        api.Coupons.get(999999)
    error = info.value
    assert error.status_code == 404
    assert error.errors == [{"status": 404, "message": "The requested resource was not found."}]
    assert error.content == b'[{"status":404,"message":"The requested resource was not found."}]'
    assert error.headers["x-bc-store-version"] == "7.6.0"
    assert "GET /api/v2/coupons/999999" in str(error) and "404" in str(error)
    assert "The requested resource was not found." in str(error)
    server.check_done()
    methods = [(m, p) for m, p, *_ in server.received]
    assert methods[4:6] == [("DELETE", "/api/v2/coupons/146"), ("DELETE", "/api/v2/coupons/147")]


def test_countries_and_states_iterall_stops_on_the_short_page(replay):
    cassette = "crud_test_subresources"
    server = replay(cassette)
    api = basic_api(server)
    assert_same_list(api.Countries.all(limit=2, page=3), body_of(cassette, 0), Countries)
    usa = api.Countries.get(226)
    assert_same_object(usa, body_of(cassette, 1), Countries)
    states = list(api.CountryStates.iterall(226, limit=50))
    assert_same_list(states, body_of(cassette, 2) + body_of(cassette, 3), CountryStates)
    assert len(states) == 65
    # The second page had 15 < 50 states: no third page was asked for (it would be a 599 here).
    server.check_done()
    assert [q for m, p, q, h, b in server.received][2:] == [{"limit": "50", "page": "1"}, {"limit": "50", "page": "2"}]


def test_product_images_through_the_parent_helper(replay):
    cassette = "crud_test_subresources2"
    server = replay(cassette)
    api = basic_api(server)
    product = api.Products.get(33)
    assert_same_object(product, body_of(cassette, 0), Products)
    images = product.images(limit=50, page=1)
    assert_same_list(images, body_of(cassette, 1), ProductImages)
    image = next(i for i in images if i.id == 276)
    updated = image.update(description="don't worry im a doctor")
    assert_same_object(updated, body_of(cassette, 2), ProductImages)

    product = api.Products.get(33)
    image = next(i for i in product.images(limit=50, page=1) if i.id == 276)
    assert_same_object(image.update(description="YEAP"), body_of(cassette, 5), ProductImages)

    product = api.Products.get(33)
    image = next(i for i in product.images(limit=50, page=1) if i.id == 276)
    assert image.delete() is None

    product = api.Products.get(33)
    assert [i.id for i in product.images(limit=50, page=1)] == [i["id"] for i in body_of(cassette, 10)]
    created = api.ProductImages.create(33, **json.loads(CASSETTES[cassette][11]["request_body"]))
    assert_same_object(created, body_of(cassette, 11), ProductImages)
    assert created._parent_id == 33

    product = api.Products.get(33)
    assert_same_list(product.images(limit=50, page=1), body_of(cassette, 13), ProductImages)
    server.check_done()
    assert ("DELETE", "/api/v2/products/33/images/276") in [(m, p) for m, p, *_ in server.received]


def test_token_exchange_then_an_authorised_request(replay):
    cassette = "register_request"
    server = replay(cassette)
    form = parse_qs(CASSETTES[cassette][0]["request_body"])
    api = BigcommerceApi(
        client_id=form["client_id"][0],
        store_hash="65j86n8y",
        api_service=server.url,
        auth_service=server.url,
        max_retries=0,
    )
    token = api.oauth_fetch_token(
        form["client_secret"][0], form["code"][0], form["context"][0], form["scope"][0], form["redirect_uri"][0]
    )
    assert token == body_of(cassette, 0)
    assert token["access_token"] == "REDACTED-ACCESS-TOKEN"
    assert token["context"] == "stores/65j86n8y"
    products = api.Products.all(limit=5)
    assert_same_list(products, body_of(cassette, 1), Products)
    server.check_done()
    method, path, query, headers, body = server.received[0]
    assert (method, path) == ("POST", "/oauth2/token")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(body.decode()) == form
    assert "X-Auth-Token" not in headers
    method, path, query, headers, body = server.received[1]
    assert headers["X-Auth-Token"] == "REDACTED-ACCESS-TOKEN"  # the new token is used at once
    assert headers["X-Auth-Client"] == form["client_id"][0]


def test_oauth_coupon_create_filter_delete(replay):
    cassette = "test_create_delete"
    server = replay(cassette)
    api = oauth_api(server, "lctvh5wm")
    assert_same_list(api.Coupons.all(), body_of(cassette, 0), Coupons)
    coupon = api.Coupons.create(**json.loads(CASSETTES[cassette][1]["request_body"]))
    assert_same_object(coupon, body_of(cassette, 1), Coupons)
    assert_same_list(api.Coupons.all(), body_of(cassette, 2), Coupons)
    found = api.Coupons.all(code="SOMETHINGRANDOM1234")
    assert_same_list(found, body_of(cassette, 3), Coupons)
    assert found[0].delete() is None
    assert_same_list(api.Coupons.all(), body_of(cassette, 5), Coupons)
    server.check_done()
    recorded_headers = CASSETTES[cassette][0]["request_headers"]
    for _method, path, _query, headers, _body in server.received:
        assert path.startswith("/stores/lctvh5wm/v2/coupons")
        assert headers["X-Auth-Token"] == recorded_headers["X-Auth-Token"]
        assert headers["X-Auth-Client"] == recorded_headers["X-Auth-Client"]
        assert headers["Accept"] == "application/json" and "gzip" in headers["Accept-Encoding"]
        assert "Authorization" not in headers


def test_oauth_product_pages_filters_and_get(replay):
    cassette = "test_get"
    server = replay(cassette)
    api = oauth_api(server, "lctvh5wm")
    assert_same_list(api.Products.all(limit=4, page=2), body_of(cassette, 0), Products)
    assert_same_list(api.Products.all(min_price=100.9, limit=4), body_of(cassette, 1), Products)
    assert_same_object(api.Products.get(37), body_of(cassette, 2), Products)
    server.check_done()


def test_oauth_product_update_round_trip(replay):
    cassette = "test_update"
    server = replay(cassette)
    api = oauth_api(server, "lctvh5wm")
    product = api.Products.get(45)
    assert_same_object(product, body_of(cassette, 0), Products)
    returned = product.update(name="Something Cool")
    assert_same_object(returned, body_of(cassette, 1), Products)
    assert product.name == "Something Cool"  # the object itself is refreshed from the answer
    assert_same_object(api.Products.get(45), body_of(cassette, 2), Products)
    product.update(name="Something Completely Different")
    assert_same_object(api.Products.get(45), body_of(cassette, 4), Products)
    server.check_done()
    puts = [json.loads(b) for m, p, q, h, b in server.received if m == "PUT"]
    assert puts == [{"name": "Something Cool"}, {"name": "Something Completely Different"}]


def test_a_request_the_recording_does_not_have_is_an_error_the_client_reports(replay):
    # The harness itself must be able to fail: an unrecorded page gives a 599, a ServerException.
    server = replay("test_get")
    api = oauth_api(server, "lctvh5wm")
    with pytest.raises(HttpException) as info:
        api.Products.all(limit=4, page=3)
    assert info.value.status_code == 599
    assert server.unexpected and "page=3" in server.unexpected[0]
