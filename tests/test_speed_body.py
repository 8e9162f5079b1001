"""The transport reads each body in one piece (``stream=True``, then one ``read()``) instead of
requests' 10 KB chunk loop. These tests pin down that nothing else changes: the same bytes (gzip and
deflate decoded), the same exception kinds for a body that breaks off, stalls or does not decode (so
the retry policy sees what it saw before), and keep-alive connections still go back to the pool.

A tiny socket server sends hand-made answers, including ones no well-behaved server would send.
"""

from __future__ import annotations

import gzip
import socket
import time
import zlib

import pytest
import requests
from transport_helpers import RawServer

from bigcommerce.connection import Connection

BODY = b"[" + b",".join(b'{"id": %d, "name": "product %d"}' % (n, n) for n in range(2000)) + b"]"


def _answer(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode() + b"\r\n" + body


def _chunked(body: bytes, size: int = 1000) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


ANSWERS = {
    # name: (bytes sent, close the connection afterwards, seconds to stall before closing)
    "plain": (
        _answer(f"HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: {len(BODY)}\n", BODY),
        False,
        0,
    ),
    "gzip": (
        _answer(
            "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: gzip\n"
            f"Content-Length: {len(gzip.compress(BODY))}\n",
            gzip.compress(BODY),
        ),
        False,
        0,
    ),
    "deflate": (
        _answer(
            "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: deflate\n"
            f"Content-Length: {len(zlib.compress(BODY))}\n",
            zlib.compress(BODY),
        ),
        False,
        0,
    ),
    "chunked": (
        _answer("HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked\n", _chunked(BODY)),
        False,
        0,
    ),
    "empty": (_answer("HTTP/1.1 204 No Content\n"), False, 0),
    "short": (
        _answer(
            f"HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: {len(BODY)}\n", BODY[: len(BODY) // 2]
        ),
        True,
        0,
    ),
    "broken_chunk": (
        _answer(
            "HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked\n",
            _chunked(BODY)[:5000] + b"zz\r\n",
        ),
        True,
        0,
    ),
    "cut_chunked": (
        _answer("HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked\n", _chunked(BODY)[:5000]),
        True,
        0,
    ),
    "bad_gzip": (
        _answer(
            "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: gzip\nContent-Length: 64\n",
            b"not gzip at all " * 4,
        ),
        False,
        0,
    ),
    "stall": (
        _answer(f"HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: {len(BODY)}\n", BODY[:1000]),
        True,
        1.0,
    ),
}


def answer(request: bytes, conn: socket.socket) -> None:
    """Answers ``GET .../NAME`` with ``ANSWERS[NAME]``; keeps the connection alive unless told to close."""
    name = request.split(b" ", 2)[1].decode().rsplit("/", 1)[-1]
    data, close, stall = ANSWERS[name]
    conn.sendall(data)
    if stall:
        time.sleep(stall)
    if close:
        raise OSError("closed")  # RawServer closes the connection


@pytest.fixture(scope="module")
def server():
    with RawServer(answer) as raw:
        yield raw


def connection(server, **options):
    return Connection(server.url, ("admin", "token-1234"), max_retries=0, **options)


def outcome(call):
    try:
        response = call()
    except requests.RequestException as error:
        return type(error)
    return response.status_code, response.content


@pytest.mark.parametrize("name", ["plain", "gzip", "deflate", "chunked", "empty"])
def test_the_body_is_what_requests_reads(server, name):
    ours = outcome(lambda: connection(server).send("GET", name))
    theirs = outcome(lambda: requests.get(f"{server.url}/api/v2/{name}", timeout=5))
    assert ours == theirs
    assert ours[1] == (b"" if name == "empty" else BODY)


@pytest.mark.parametrize("name", ["short", "broken_chunk", "cut_chunked", "bad_gzip", "stall"])
def test_a_body_that_fails_raises_what_requests_raises(server, name):
    timeout = (2.0, 0.3)
    ours = outcome(lambda: connection(server, timeout=timeout).send("GET", name))
    theirs = outcome(lambda: requests.get(f"{server.url}/api/v2/{name}", timeout=timeout))
    assert isinstance(ours, type) and issubclass(ours, requests.RequestException)
    assert issubclass(ours, theirs) and ours.__module__ == "bigcommerce.exception"  # ours, also theirs


def test_a_body_that_breaks_off_is_retried_like_before(server):
    # A cut body on a GET is a dropped connection: retried (max_retries times), then raised.
    conn = Connection(server.url, ("admin", "token-1234"), max_retries=2, backoff_factor=0.001)
    before = server.connections
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        conn.send("GET", "short")
    assert server.connections - before == 3


def test_connections_go_back_to_the_pool(server):
    conn = connection(server)
    before = server.connections
    for name in ["plain", "gzip", "chunked", "empty", "deflate"] * 4:
        assert conn.send("GET", name).status_code in (200, 204)
    assert server.connections - before == 1
