"""The one error interpreter, ``exception.from_response``, dialect by dialect, and the parsers it
stands on (properties checked with hypothesis: nothing but the documented exception ever escapes)."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from bigcommerce.exception import (
    ClientRequestException,
    GraphQLError,
    PartialSuccess,
    RateLimitingException,
    ServerException,
    from_response,
    parse_json,
    redact,
)


def answer(status: int, body, reason: str = "", headers=None, token: str = "tok-abcdef123") -> requests.Response:
    """A requests.Response as the transport hands it over (built, not sent: a pure-function test)."""
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers.update(headers or {})
    response.request = requests.Request("GET", "https://api.example/x", headers={"X-Auth-Token": token}).prepare()
    return response


def test_v2_error_list():
    error = from_response("GET", "/v2/products/9", answer(404, [{"status": 404, "message": "Not found"}], "Not Found"))
    assert isinstance(error, ClientRequestException)
    assert str(error) == "GET /v2/products/9 -> 404 Not Found: Not found"
    assert (error.method, error.path, error.status_code, error.summary) == ("GET", "/v2/products/9", 404, "Not found")
    assert error.errors == [{"status": 404, "message": "Not found"}]


def test_v3_error_object():
    body = {
        "status": 422,
        "title": "JSON data is missing or invalid",
        "type": "https://x/422",
        "errors": {"price": "must be a number", "name": "is required"},
    }
    error = from_response("POST", "/v3/catalog/products", answer(422, body, "Unprocessable Entity"), "v3")
    assert error.summary == "JSON data is missing or invalid (price: must be a number; name: is required)"
    assert str(error).startswith("POST /v3/catalog/products -> 422 Unprocessable Entity: JSON data")
    assert error.errors == body


def test_v3_207_is_a_partial_success():
    body = {
        "data": [{"id": 1}],
        "errors": [{"status": 409, "title": "Taken", "errors": {"0.sku": "dup"}}],
        "meta": {"total": 2, "success": 1, "failed": 1},
    }
    error = from_response("PUT", "/v3/catalog/products", answer(207, body, "Multi-Status"), "v3")
    assert isinstance(error, PartialSuccess) and error.status_code == 207
    assert (error.data, error.errors, error.meta) == (body["data"], body["errors"], body["meta"])
    assert str(error) == "PUT /v3/catalog/products -> 207 Multi-Status: 1 applied, 1 failed: Taken (0.sku: dup)"
    assert from_response("PUT", "/v2/x", answer(207, body), "v2") is None  # v2 has no 207


def test_oauth_quotes_only_the_error():
    body = {"error": "invalid_grant", "error_description": "code expired", "access_token": "leaked-token-1"}
    error = from_response(
        "POST", "/oauth2/token", answer(400, body, "Bad Request"), "oauth", secrets=["client-secret-1"]
    )
    assert str(error) == "POST /oauth2/token -> 400 Bad Request: invalid_grant (code expired)"
    assert "leaked-token-1" not in str(error)


def test_graphql_errors_with_200_and_http_errors():
    body = {"data": None, "errors": [{"message": "Field 'x' doesn't exist", "path": ["site", "x"]}]}
    error = from_response("POST", "/graphql", answer(200, body), "graphql")
    assert isinstance(error, GraphQLError) and error.messages == ["Field 'x' doesn't exist (at site.x)"]
    assert from_response("POST", "/graphql", answer(200, {"data": {"a": 1}}), "graphql") is None
    gateway = from_response("POST", "/graphql", answer(401, {"errors": {"title": "no"}}), "graphql")
    assert type(gateway) is ClientRequestException


def test_429_and_5xx_classes():
    limited = from_response("GET", "/x", answer(429, b"", headers={"X-Rate-Limit-Time-Reset-Ms": "1500"}))
    assert isinstance(limited, RateLimitingException) and limited.retry_after == 1.5
    assert isinstance(from_response("GET", "/x", answer(503, b"<html>down</html>")), ServerException)
    with pytest.raises(ValueError):
        from_response("GET", "/x", answer(500, b""), "soap")


def test_the_requests_own_token_is_redacted():
    body = [{"status": 400, "message": "token tok-abcdef123 is not valid"}]
    assert "tok-abcdef123" not in str(from_response("GET", "/x", answer(400, body)))


@given(st.binary(max_size=2000))
def test_parse_json_raises_only_value_error(content):
    try:
        parse_json(content)
    except ValueError:
        pass


@given(st.integers(100, 599), st.binary(max_size=500), st.sampled_from(["v2", "v3", "oauth", "graphql"]))
def test_from_response_never_raises(status, content, dialect):
    error = from_response("GET", "/x", answer(status, content), dialect)
    assert error is None or "tok-abcdef123" not in str(error)


@given(
    st.text(min_size=4, max_size=40).filter(lambda s: s.strip() == s and len(s) >= 4),
    st.text(max_size=80),
    st.text(max_size=80),
)
def test_redact_removes_the_secret(secret, before, after):
    assert secret not in redact(before + secret + after, [secret]) or secret in "[redacted]"


def test_field_errors_named_like_credentials_are_kept():
    body = {"status": 422, "title": "Invalid", "errors": {"password": "must be at least 8 characters"}}
    error = from_response("POST", "/v3/customers", answer(422, body), "v3")
    assert "password: must be at least 8 characters" in str(error)
