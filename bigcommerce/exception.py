"""The exceptions raised by the client.

::

    BigcommerceException
     +-- HttpException                  an HTTP exchange went wrong; carries the response
     |    +-- RedirectionException      3xx (redirects are never followed)
     |    +-- ClientRequestException    4xx
     |    |    +-- RateLimitingException   429 (still over the limit after waiting)
     |    +-- ServerException           5xx
     |    +-- InvalidResponseException  2xx whose body is not the JSON it should be
     |    +-- GraphQLError              a GraphQL answer with errors, even with HTTP 200 (graphql.py)
     |    +-- PartialSuccess            207 Multi-Status: a v3 batch applied in part (v3.py)
     +-- ForbiddenHostError             a request aimed at an origin the credentials do not belong to
    EmptyResponseWarning                kept for code written against the classic client
    JWTVerificationError(ValueError)    a refused signed_payload_jwt (oauth.py)
    WebhookPayloadError(ValueError)     a webhook callback body that is not valid (webhooks.py)

``status_to_exception`` is the one table that maps a status code to its class.
"""
from __future__ import annotations

import functools
import json
from typing import Any, Optional

__all__ = [
    "BigcommerceException", "HttpException", "RedirectionException", "ClientRequestException",
    "RateLimitingException", "ServerException", "InvalidResponseException", "ForbiddenHostError",
    "EmptyResponseWarning", "status_to_exception",
    # defined beside the code that raises them, re-exported lazily (see __getattr__ below)
    "JWTVerificationError", "WebhookPayloadError", "GraphQLError", "PartialSuccess",
]

# How much of a body an exception message quotes: enough to read, never a whole payload.
EXCERPT_CHARS = 200


class BigcommerceException(Exception):
    """Base of everything this library raises on purpose."""


class EmptyResponseWarning(BigcommerceException):
    """Kept so that ``except EmptyResponseWarning`` in classic code still imports; never raised."""


class ForbiddenHostError(BigcommerceException, ValueError):
    """An absolute URL named an origin other than the configured API and auth services."""


class HttpException(BigcommerceException):
    """An HTTP exchange ended in a status or body the caller has to handle.

    Attributes: ``status_code``, ``headers``, ``content`` (raw bytes), ``response`` (the
    ``requests.Response``) and ``errors``: the parsed BigCommerce error body (the v2 list of
    ``{status, message, details}`` or the v3 ``{status, title, errors}`` object), or ``None``.
    """

    def __init__(self, message: str, response: Any = None):
        super().__init__(message)
        self.response = response
        self.status_code: Optional[int] = getattr(response, "status_code", None)
        self.headers = getattr(response, "headers", {}) if response is not None else {}
        self.content: bytes = getattr(response, "content", b"") if response is not None else b""

    @functools.cached_property
    def errors(self):
        """The parsed error body, read on first access: subclasses that already parsed the body
        (:class:`~bigcommerce.v3.PartialSuccess`, :class:`~bigcommerce.graphql.GraphQLError`) assign
        ``errors`` themselves, and an exception re-raised with a new message does not parse it twice."""
        return _parse_errors(self.content)

    @property
    def message(self) -> str:
        """The message the exception was raised with."""
        return self.args[0] if self.args else ""

    def __reduce__(self):
        # The response holds the request and its credential headers: never pickle it along.
        return (self.__class__, (self.message,))


class RedirectionException(HttpException):
    """A 3xx answer. Redirects are not followed; ``location`` says where the server pointed."""

    @property
    def location(self) -> Optional[str]:
        return self.headers.get("Location") if self.headers else None


class ClientRequestException(HttpException):
    """A 4xx answer: the request was refused (bad input, missing resource, credentials, scope)."""


class RateLimitingException(ClientRequestException):
    """A 429 answer that outlasted the transport's allowed waiting.

    ``retry_after`` is the number of seconds the server asked for (from ``X-Rate-Limit-Time-Reset-Ms``,
    else ``X-Retry-After``), or ``None`` when it said nothing usable.
    """

    @property
    def retry_after(self) -> Optional[float]:
        from bigcommerce.connection import retry_after_seconds  # one parser for the headers

        return retry_after_seconds(self.headers or {})


class ServerException(HttpException):
    """A 5xx answer."""


class InvalidResponseException(HttpException):
    """A 2xx answer whose body is not valid JSON (truncated, HTML, or empty where JSON was due)."""


def status_to_exception(status: int) -> Optional[type]:
    """The exception class for an HTTP status, or ``None`` when the status is a success."""
    if status == 429:
        return RateLimitingException
    if 300 <= status < 400:
        return RedirectionException
    if 400 <= status < 500:
        return ClientRequestException
    if status >= 500:
        return ServerException
    return None


def _parse_errors(content: bytes):
    """The BigCommerce error body as Python data, or None when there is none or it is not JSON."""
    if not content or len(content) > 1_000_000:
        return None
    try:
        parsed = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed if isinstance(parsed, (list, dict)) else None


def excerpt(content: bytes) -> str:
    """A short, printable excerpt of a body, for messages."""
    text = content[: EXCERPT_CHARS * 4].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


# Exceptions of the toolkit modules, importable from here too. They are defined in their own modules,
# two of which import this one, so they are looked up on first access (PEP 562) to avoid a cycle.
_ELSEWHERE = {
    "JWTVerificationError": "bigcommerce.oauth",
    "WebhookPayloadError": "bigcommerce.webhooks",
    "GraphQLError": "bigcommerce.graphql",
    "PartialSuccess": "bigcommerce.v3",
}


def __getattr__(name: str):
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
