"""``Sandbox(gzip=True)`` / ``--gzip``: bodies over 1 KB compressed when the request accepts gzip.

Raw ``http.client`` (which never decompresses), so what is on the wire is what is checked.
"""

from __future__ import annotations

import gzip
import http.client
import json

import pytest

from bigcommerce.sandbox import Sandbox
from bigcommerce.sandbox.server import GZIP_MIN_SIZE, accepts_gzip


@pytest.fixture(scope="module")
def zipped():
    with Sandbox(products=20, gzip=True) as store:
        yield store


def fetch(store, path, method="GET", **headers):
    """(status, headers, raw body bytes) of one request on a fresh connection."""
    host, port = store.url.split("://", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(
            method,
            f"/stores/{store.store_hash}/v2{path}",
            headers=dict({"X-Auth-Token": store.access_token}, **headers),
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def test_large_body_is_gzipped_when_accepted(zipped):
    status, headers, body = fetch(zipped, "/products?limit=20", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert int(headers["Content-Length"]) == len(body)
    plain_status, plain_headers, plain = fetch(zipped, "/products?limit=20")
    assert plain_status == 200 and plain_headers.get("Content-Encoding") is None
    assert len(plain) > GZIP_MIN_SIZE and len(body) < len(plain)
    assert gzip.decompress(body) == plain
    assert len(json.loads(plain)) == 20


@pytest.mark.parametrize("accept", ["gzip, deflate", "deflate, gzip;q=0.5", "x-gzip", "*", "br;q=1.0, *;q=0.1", "GZIP"])
def test_accept_encoding_forms(zipped, accept):
    _, headers, body = fetch(zipped, "/products", **{"Accept-Encoding": accept})
    assert headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))


@pytest.mark.parametrize("accept", ["identity", "deflate", "gzip;q=0", "*;q=0", "br", "", "gzip;q=0, *"])
def test_not_gzipped_unless_accepted(zipped, accept):
    _, headers, body = fetch(zipped, "/products", **{"Accept-Encoding": accept})
    assert headers.get("Content-Encoding") is None
    assert json.loads(body)


def test_small_bodies_and_empty_answers_stay_plain(zipped):
    _, headers, body = fetch(zipped, "/time", **{"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") is None and "time" in json.loads(body)
    status, headers, body = fetch(zipped, "/products?page=99", **{"Accept-Encoding": "gzip"})
    assert status == 204 and body == b"" and headers.get("Content-Encoding") is None


def test_errors_and_head(zipped):
    status, headers, body = fetch(zipped, "/products/999", **{"Accept-Encoding": "gzip"})
    assert status == 404 and json.loads(body)[0]["status"] == 404  # small: plain
    status, headers, body = fetch(zipped, "/products", method="HEAD", **{"Accept-Encoding": "gzip"})
    assert status == 200 and body == b"" and headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) > 0


def test_gzip_is_off_by_default():
    with Sandbox(products=20) as store:
        _, headers, body = fetch(store, "/products", **{"Accept-Encoding": "gzip"})
        assert headers.get("Content-Encoding") is None and headers.get("Vary") is None
        assert len(json.loads(body)) == 20


def test_truncated_json_fault_is_cut_before_compression(zipped):
    zipped.inject("truncated_json", match="GET /products")
    _, headers, body = fetch(zipped, "/products", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    text = gzip.decompress(body)  # valid gzip ...
    with pytest.raises(ValueError):
        json.loads(text)  # ... of a cut JSON body


def test_accepts_gzip_parser():
    assert accepts_gzip("gzip") and accepts_gzip("deflate, gzip") and accepts_gzip("*")
    assert accepts_gzip("gzip;q=0.001") and accepts_gzip("x-gzip;Q=1")
    assert not accepts_gzip(None) and not accepts_gzip("") and not accepts_gzip("gzip;q=0")
    assert not accepts_gzip("gzip;q=0.0, *") and not accepts_gzip("gzip;q=bad")
    assert not accepts_gzip("identity, deflate, br")
