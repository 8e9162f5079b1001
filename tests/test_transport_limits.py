"""Limits on what is read: each hostile body ends in the documented exception, quickly.

A gzip bomb stops at ``max_body_bytes`` without inflating the rest (ResponseTooLarge); JSON nested
100,000 deep is an InvalidResponseException (v2 bodies, ``.errors``, 207, GraphQL, the token
exchange), never a RecursionError; a chunk size of FFFFFFFFFFFFFFFF is a BrokenResponse, never an
OverflowError; a body trickled a byte at a time ends at the call's deadline (DeadlineExceeded).
"""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc

import pytest
import requests
from transport_helpers import RawServer, fixed, http_answer

from bigcommerce.connection import Connection, GraphQLConnection, OAuthConnection
from bigcommerce.exception import (
    BrokenResponse,
    ClientRequestException,
    DeadlineExceeded,
    GraphQLError,
    InvalidResponseException,
    ResponseTooLarge,
)
from bigcommerce.graphql import GraphQLClient

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def oauth(server, **options):
    return OAuthConnection("client", "store", "token-123456", host=server.url, **options)


def answer(status, body, **headers):
    return fixed(
        http_answer(status, {"Content-Length": str(len(body)), "Content-Type": "application/json", **headers}, body)
    )


def test_a_gzip_bomb_stops_at_max_body_bytes_without_inflating_it_all():
    bomb = gzip.compress(b" " * (64 * 1024 * 1024), 9)  # 64 MB of spaces: about 64 KB on the wire
    with RawServer(answer("200 OK", bomb, **{"Content-Encoding": "gzip"})) as server:
        tracemalloc.start()
        with pytest.raises(ResponseTooLarge) as caught:
            oauth(server, max_body_bytes=4 * 1024 * 1024).get("products")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert isinstance(caught.value, InvalidResponseException)
    assert "max_body_bytes" in str(caught.value) and caught.value.content == b""
    assert peak < 24 * 1024 * 1024  # stopped near the 4 MB limit, far from 64 MB


def test_a_declared_length_past_the_limit_is_refused_before_reading():
    body = b"[" + b"1," * 5000 + b"1]"
    with RawServer(answer("200 OK", body)) as server:
        with pytest.raises(ResponseTooLarge):
            oauth(server, max_body_bytes=1000).get("products")


def test_the_default_limit_is_generous():
    assert Connection("store.example.com").max_body_bytes == 256 * 1024 * 1024


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deep_json_in_a_v2_body_is_an_invalid_response(body):
    with RawServer(answer("200 OK", body)) as server:
        with pytest.raises(InvalidResponseException, match="nested too deep"):
            oauth(server).get("products")


def test_deep_json_in_an_error_body_gives_no_errors():
    with RawServer(answer("400 Bad Request", DEEP)) as server:
        with pytest.raises(ClientRequestException) as caught:
            oauth(server).get("products")
    assert caught.value.errors is None and caught.value.status_code == 400


def test_deep_json_in_a_207_gives_an_empty_partial_success():
    from bigcommerce.exception import PartialSuccess

    with RawServer(answer("207 Multi-Status", DEEP)) as server:
        connection = oauth(server)
        response = connection.send("POST", "products", data=[{}])
        with pytest.raises(PartialSuccess) as caught:
            connection.handle_response("POST", "products", response, dialect="v3")
    assert caught.value.data == [] and caught.value.errors == []


def test_deep_json_from_graphql_is_an_invalid_response():
    with RawServer(answer("200 OK", DEEP)) as server:
        connection = GraphQLConnection("client", "store", "token-123456", host=server.url)
        client = GraphQLClient(connection)
        with pytest.raises(InvalidResponseException):
            client.query("{ site { settings { storeName } } }")
        with pytest.raises((InvalidResponseException, GraphQLError)):
            connection.query("{ site { settings { storeName } } }")


def test_deep_json_from_the_token_exchange_is_an_invalid_response():
    with RawServer(answer("200 OK", DEEP)) as server:
        connection = OAuthConnection("client", "store", None, host=server.url, auth_service=server.url)
        with pytest.raises(InvalidResponseException, match="access_token"):
            connection.fetch_token("secret-abcdef", "code-abcdef", "stores/store", "scope", "https://app/cb")


def test_a_huge_chunk_size_is_a_broken_response():
    head = http_answer("200 OK", {"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    with RawServer(fixed(head + b"FFFFFFFFFFFFFFFF\r\n[1,2,3]\r\n0\r\n\r\n", close=True)) as server:
        with pytest.raises(BrokenResponse) as caught:
            oauth(server, max_retries=0).get("products")
    assert isinstance(caught.value, requests.exceptions.ChunkedEncodingError)
    assert caught.value.attempts == 1


def trickle(request: bytes, conn: socket.socket) -> None:
    conn.sendall(http_answer("200 OK", {"Content-Length": "1000", "Content-Type": "application/json"}))
    for _ in range(1000):
        conn.sendall(b" ")
        time.sleep(0.02)


def test_a_trickled_body_ends_at_the_deadline():
    with RawServer(trickle) as server:
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded) as caught:
            oauth(server, timeout=1.0, deadline=0.3).get("products")
        assert time.monotonic() - started < 5  # not the 20 s the body would take
    assert isinstance(caught.value, requests.exceptions.Timeout)
    assert caught.value.attempts == 1  # a deadline is final: not retried


def test_a_per_call_deadline_overrides_the_connection():
    with RawServer(trickle) as server:
        with pytest.raises(DeadlineExceeded):
            oauth(server, timeout=1.0).make_request("GET", "products", deadline=0.2)
