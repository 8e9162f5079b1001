"""The exceptions raised by the client, and the one interpreter that turns an answer into one.

::

    BigcommerceException
     +-- HttpException                  an HTTP exchange went wrong; carries the response
     |    +-- RedirectionException      3xx (redirects are never followed)
     |    +-- ClientRequestException    4xx
     |    |    +-- RateLimitingException   429, or a rate limiter's wait past the call's budget
     |    +-- ServerException           5xx
     |    +-- InvalidResponseException  2xx whose body is not the JSON it should be
     |    |    +-- ResponseTooLarge     a body past max_body_bytes (checked while inflating)
     |    +-- GraphQLError              a GraphQL answer with errors, even with HTTP 200
     |    +-- PartialSuccess            207 Multi-Status: a v3 batch applied in part
     +-- NetworkError                   no usable answer: each also a requests exception
     |    +-- ConnectionFailed          (requests.exceptions.ConnectionError)
     |    |    +-- ConnectTimeout       (requests.exceptions.ConnectTimeout)
     |    |    +-- TLSError             (requests.exceptions.SSLError)
     |    +-- ReadTimeout               (requests.exceptions.ReadTimeout)
     |    +-- DeadlineExceeded          (requests.exceptions.Timeout): the call's total deadline
     |    +-- BrokenResponse            (requests.exceptions.ChunkedEncodingError): cut or garbled framing
     |    +-- UndecodableResponse       (requests.exceptions.ContentDecodingError): bad gzip/deflate
     |    +-- InvalidRequest            (requests.exceptions.InvalidHeader...): refused before sending
     +-- ForbiddenHostError             a request aimed at an origin the credentials do not belong to
    EmptyResponseWarning                kept for code written against the classic client
    JWTVerificationError(ValueError)    a refused signed_payload_jwt (oauth.py)
    WebhookPayloadError(ValueError)     a webhook callback body that is not valid (webhooks.py)

Every exception of the transport carries ``method``, ``path``, ``attempts`` (requests sent for the
call) and ``waited`` (seconds the call spent waiting: pacing, backoff, 429s); an ``HttpException``
also ``status_code``, ``errors`` (the parsed error body) and ``summary`` (its human part, one line).
Messages never hold a credential: :func:`redact` is applied to each, whoever raised the original.

This module is a leaf: it imports nothing from ``bigcommerce`` (the two toolkit exceptions at the
bottom are looked up on first access), so every other module may import it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Type

import requests

import bigcommerce.jsonlib as jsonlib  # a leaf too: it imports nothing from bigcommerce

__all__ = [
    "BigcommerceException",
    "HttpException",
    "RedirectionException",
    "ClientRequestException",
    "RateLimitingException",
    "ServerException",
    "InvalidResponseException",
    "ResponseTooLarge",
    "GraphQLError",
    "PartialSuccess",
    "NetworkError",
    "ConnectionFailed",
    "ConnectTimeout",
    "TLSError",
    "ReadTimeout",
    "DeadlineExceeded",
    "BrokenResponse",
    "UndecodableResponse",
    "InvalidRequest",
    "ForbiddenHostError",
    "EmptyResponseWarning",
    "status_to_exception",
    "from_response",
    "wrap_network_error",
    "network_error_class",
    "redact",
    "parse_json",
    "parse_rate_limit",
    "retry_after_seconds",
    "CallStats",
]  # JWTVerificationError and WebhookPayloadError are importable too (see __getattr__ below)

# How much of a body an exception message quotes: enough to read, never a whole payload.
EXCERPT_CHARS = 200
_MESSAGE_LIMIT = 500


class BigcommerceException(Exception):
    """Base of everything this library raises on purpose."""


class EmptyResponseWarning(BigcommerceException):
    """Kept so that ``except EmptyResponseWarning`` in classic code still imports; never raised."""


class ForbiddenHostError(BigcommerceException, ValueError):
    """An absolute URL named an origin other than the configured API and auth services."""


class CallStats:
    """What one call cost: ``attempts`` (requests sent), ``waited`` and ``elapsed`` (seconds)."""

    __slots__ = ("attempts", "waited", "elapsed")

    def __init__(self, attempts: int = 0, waited: float = 0.0, elapsed: float = 0.0):
        self.attempts = attempts
        self.waited = waited
        self.elapsed = elapsed

    def __repr__(self) -> str:
        return f"CallStats(attempts={self.attempts}, waited={self.waited:.3f}, elapsed={self.elapsed:.3f})"


_UNSET: Any = object()


def _stats_of(response: Any) -> Optional[CallStats]:
    stats = getattr(response, "call_stats", None)
    return stats if isinstance(stats, CallStats) else None


class HttpException(BigcommerceException):
    """An HTTP exchange ended in a status or body the caller has to handle.

    Attributes: ``status_code``, ``headers``, ``content`` (raw bytes), ``response`` (the
    ``requests.Response``), ``method`` and ``path`` of the request, ``errors`` (the parsed error body:
    the v2 list of ``{status, message, details}``, the v3 ``{status, title, errors}`` object, the OAuth
    ``{error}`` or the GraphQL ``errors`` list; ``None`` when there is none), ``summary`` (its human
    part in one line, or ``""``), ``attempts`` and ``waited`` (see :class:`CallStats`; ``None`` when
    unknown).
    """

    def __init__(
        self,
        message: str,
        response: Any = None,
        *,
        method: Optional[str] = None,
        path: Optional[str] = None,
        summary: str = "",
        errors: Any = _UNSET,
        attempts: Optional[int] = None,
        waited: Optional[float] = None,
    ):
        super().__init__(message)
        self.response = response
        self.status_code: Optional[int] = getattr(response, "status_code", None)
        self.headers: Mapping[str, str] = getattr(response, "headers", {}) if response is not None else {}
        self.content: bytes = getattr(response, "content", b"") if response is not None else b""
        self.method = method
        self.path = path
        self.summary = summary
        stats = _stats_of(response)
        self.attempts = attempts if attempts is not None else (stats.attempts if stats else None)
        self.waited = waited if waited is not None else (stats.waited if stats else None)
        if errors is not _UNSET:
            self.__dict__["errors"] = errors

    @functools.cached_property
    def errors(self) -> Any:
        """The parsed error body, read on first access (an exception re-raised with a new message
        does not parse it twice); subclasses that already parsed it assign it themselves."""
        return _parse_errors(self.content)

    @property
    def message(self) -> str:
        """The message the exception was raised with."""
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> Any:
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
    """Still rate limited when the call's budget (``rate_limit_wait``, the 429 cap or the deadline)
    ran out: a 429 answer (``response`` set), or a rate limiter that would not give a slot in time
    (``response`` None).

    ``retry_after`` is the number of seconds the server asked for (see :func:`retry_after_seconds`),
    or ``None`` when it said nothing usable.
    """

    @property
    def retry_after(self) -> Optional[float]:
        return retry_after_seconds(self.headers or {})


class ServerException(HttpException):
    """A 5xx answer."""


class InvalidResponseException(HttpException):
    """A 2xx answer whose body is not valid JSON (truncated, HTML, nested too deep to parse,
    or empty where JSON was due)."""


class ResponseTooLarge(InvalidResponseException):
    """A body that inflated past the connection's ``max_body_bytes``; reading stopped there."""


class GraphQLError(HttpException):
    """A GraphQL answer with ``errors`` (or without ``data``), whatever its HTTP status.

    Attributes: ``errors`` (the answer's list of error objects, each with at least a ``message``;
    ``locations``, ``path`` and ``extensions`` when the server sends them), ``data`` (the partial
    ``data`` sent beside the errors, or ``None``), ``body`` (the whole parsed answer), ``messages``,
    and those of :class:`HttpException` (``status_code``, ``response``...; ``None`` when the answer
    was checked without its HTTP response).
    """

    def __init__(
        self,
        message: str,
        response: Any = None,
        errors: Optional[List[Any]] = None,
        data: Any = None,
        body: Any = None,
        **context: Any,
    ):
        super().__init__(message, response, errors=list(errors or []), **context)
        self.data = data
        self.body = body

    @property
    def messages(self) -> List[str]:
        """The ``message`` of every error."""
        return [graphql_error_text(error) for error in self.errors]

    def __reduce__(self) -> Any:
        return (_rebuild_graphql, (self.message, self.errors, self.data, self.body))


def _rebuild_graphql(message: str, errors: Any, data: Any, body: Any) -> GraphQLError:
    return GraphQLError(message, None, errors, data, body)


class PartialSuccess(HttpException):
    """A v3 request (or a batch helper's run) that was applied only in part: HTTP 207 Multi-Status.

    Attributes: ``data`` (the objects of the items that were applied), ``errors`` (the error objects
    of the items that were not, ``{status, title, type, errors}`` dicts), ``meta`` (the answer's
    ``meta``), ``unsent`` (items a batch helper never sent), ``status_code`` 207, ``response``.
    """

    def __init__(
        self,
        message: str,
        response: Any = None,
        data: Optional[List[Any]] = None,
        errors: Optional[List[Any]] = None,
        meta: Optional[Dict[str, Any]] = None,
        unsent: Optional[List[Any]] = None,
        **context: Any,
    ):
        super().__init__(message, response, errors=list(errors or []), **context)
        self.status_code = 207
        self.data: List[Any] = list(data or [])
        self.meta: Dict[str, Any] = dict(meta or {})
        self.unsent: List[Any] = list(unsent or [])

    def __reduce__(self) -> Any:
        # Keep what was applied and what failed; never the response (it holds the credentials).
        return (_rebuild_partial, (self.message, self.data, self.errors, self.meta, self.unsent))


def _rebuild_partial(message: str, data: Any, errors: Any, meta: Any, unsent: Any) -> PartialSuccess:
    return PartialSuccess(message, None, data, errors, meta, unsent)


# --------------------------------------------------------------------------------------------------
# Network errors: the library's own classes, each also the requests class it replaces, so that
# ``except requests.exceptions.ConnectionError`` (or Timeout...) written for the classic client works.


class NetworkError(BigcommerceException):
    """No usable answer arrived (refused, reset, timed out, cut off, past the deadline...).

    Attributes: ``method``, ``path``, ``attempts``, ``waited``, ``reason`` (one line, redacted),
    ``request`` (the prepared request, when one was built) and ``response`` (always ``None``).
    """

    def __init__(
        self,
        message: str,
        *,
        method: Optional[str] = None,
        path: Optional[str] = None,
        reason: str = "",
        attempts: Optional[int] = None,
        waited: Optional[float] = None,
        request: Any = None,
    ):
        super().__init__(message)
        self.method = method
        self.path = path
        self.reason = reason
        self.attempts = attempts
        self.waited = waited
        self.request: Any = request
        self.response: Any = None

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> Any:
        return (self.__class__, (self.message,))


class ConnectionFailed(NetworkError, requests.exceptions.ConnectionError):
    """The connection could not be made, or broke before the answer arrived."""


class ConnectTimeout(ConnectionFailed, requests.exceptions.ConnectTimeout):
    """No connection within the connect timeout: the request was certainly not sent."""


class TLSError(ConnectionFailed, requests.exceptions.SSLError):
    """The TLS handshake failed (certificate, protocol)."""


class ReadTimeout(NetworkError, requests.exceptions.ReadTimeout):
    """The server sent nothing for the read timeout."""


class DeadlineExceeded(NetworkError, requests.exceptions.Timeout):
    """The call's total ``deadline`` passed (a trickled body, say)."""


class BrokenResponse(NetworkError, requests.exceptions.ChunkedEncodingError):
    """The answer broke off or its framing is garbled (a cut chunk, an impossible chunk size)."""


class UndecodableResponse(NetworkError, requests.exceptions.ContentDecodingError):
    """The answer's gzip or deflate body does not decode."""


class InvalidRequest(NetworkError, requests.exceptions.InvalidHeader):
    """requests refused to build the request (a header value with a CR or LF, say); nothing was sent."""


# Most specific first: the first class the requests exception is an instance of is used.
_NETWORK_CLASSES: Tuple[Tuple[Type[BaseException], Type[NetworkError], str], ...] = (
    (requests.exceptions.ConnectTimeout, ConnectTimeout, "no connection in time"),
    (requests.exceptions.SSLError, TLSError, "TLS failed"),
    (requests.exceptions.ReadTimeout, ReadTimeout, "no answer in time"),
    (requests.exceptions.ChunkedEncodingError, BrokenResponse, "the answer broke off"),
    (requests.exceptions.ContentDecodingError, UndecodableResponse, "the answer does not decode"),
    (requests.exceptions.ConnectionError, ConnectionFailed, "connection failed"),
    (requests.exceptions.Timeout, ReadTimeout, "no answer in time"),
    (requests.exceptions.InvalidHeader, InvalidRequest, "invalid header"),
)


def _network_reason(error: BaseException) -> str:
    """A short reason from urllib3's long wording: ``connection refused``, ``host name not found``..."""
    text = str(error)
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if found:
        return found.group(1).strip().rstrip(".").lower()
    for needle, reason in (
        ("Failed to resolve", "host name not found"),
        ("Name or service not known", "host name not found"),
        ("Connection refused", "connection refused"),
        ("Connection reset", "connection reset by peer"),
        ("RemoteDisconnected", "the server closed the connection without answering"),
        ("Connection aborted", "the connection was dropped"),
        ("SSLError", "TLS handshake failed"),
        ("timed out", "timed out"),
    ):
        if needle in text:
            return reason
    return type(error).__name__


def _classify(error: BaseException) -> Tuple[Type[NetworkError], str]:
    """The library class for a requests failure, and the few words its message starts with."""
    return next(
        ((c, w) for kind, c, w in _NETWORK_CLASSES if isinstance(error, kind)), (ConnectionFailed, "request failed")
    )


def network_error_class(error: BaseException) -> Type[NetworkError]:
    """The class :func:`wrap_network_error` gives ``error``, without building the exception."""
    return type(error) if isinstance(error, NetworkError) else _classify(error)[0]


def wrap_network_error(
    error: BaseException,
    method: str,
    path: str,
    *,
    secrets: Iterable[str] = (),
    attempts: Optional[int] = None,
    waited: Optional[float] = None,
) -> NetworkError:
    """The library's exception for a requests (or urllib3) failure, its message redacted.

    Raise it outside the ``except`` block (or ``from None``): the original's text may hold a secret.
    An error that already is a :class:`NetworkError` gets the new counts and is returned as it is.
    """
    if isinstance(error, NetworkError):
        error.attempts, error.waited = attempts, waited
        return error
    cls, what = _classify(error)
    if isinstance(error, requests.exceptions.InvalidHeader):
        reason = "a header value has leading whitespace or a CR/LF (check the credentials)"
    else:
        reason = redact(_network_reason(error), secrets)
    message = redact(f"{method} {path}: {what}: {reason}", secrets)
    return cls(
        message,
        method=method,
        path=path,
        reason=reason,
        attempts=attempts,
        waited=waited,
        request=getattr(error, "request", None),
    )


# --------------------------------------------------------------------------------------------------
# Redaction: one function for every message that leaves the library.

_CREDENTIAL_FIELDS = re.compile(
    r"(?i)(authorization|x-auth-token|access_token|client_secret)"
    r"([\"']?\s*[:=]\s*[\"']?)(basic |bearer )?[^\s\"',;}&]+"
)


def redact(text: str, secrets: Iterable[Optional[str]] = ()) -> str:
    """``text`` with every given secret (and its ``repr``/stripped spellings) and every credential-looking
    field (``Authorization: ...``, ``"access_token": "..."``) replaced by ``[redacted]``."""
    for secret in secrets:
        if not secret:
            continue
        for form in {secret, secret.strip(), repr(secret)[1:-1], repr(secret.strip())[1:-1]}:
            if len(form) >= 4:
                text = text.replace(form, "[redacted]")
    return _CREDENTIAL_FIELDS.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)


def request_secrets(response: Any) -> List[str]:
    """The credentials the request of ``response`` carried (X-Auth-Token, a Basic password)."""
    headers = getattr(getattr(response, "request", None), "headers", None) or {}
    found: List[str] = []
    token = headers.get("X-Auth-Token")
    if isinstance(token, (str, bytes)):
        found.append(token if isinstance(token, str) else token.decode("latin-1"))
    authorization = headers.get("Authorization")
    if isinstance(authorization, str) and authorization.lower().startswith("basic "):
        encoded = authorization[6:].strip()
        found.append(encoded)
        try:
            found.append(base64.b64decode(encoded).decode("latin-1").partition(":")[2])
        except (binascii.Error, ValueError):
            pass
    return found


# --------------------------------------------------------------------------------------------------
# Parsing: JSON that cannot raise RecursionError, rate-limit headers that cannot raise at all.


def parse_json(content: bytes) -> Any:
    """``json.loads(content)`` (through :mod:`bigcommerce.jsonlib`: orjson when installed, same
    results); raises ``ValueError`` for anything that is not JSON, not UTF-8, or nested deeper than
    the interpreter's recursion limit (about 1,000 levels; :func:`bigcommerce.jsonlib.loads` turns
    ``RecursionError`` into ``ValueError``)."""
    try:
        return jsonlib.loads(content)
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8: {error.reason}") from None


def _parse_errors(content: bytes) -> Any:
    """The BigCommerce error body as Python data, or None when there is none or it is not JSON."""
    if not content or len(content) > 1_000_000:
        return None
    try:
        parsed = parse_json(content)
    except ValueError:
        return None
    return parsed if isinstance(parsed, (list, dict)) else None


_RATE_LIMIT_HEADERS = {
    "ms_until_reset": "x-rate-limit-time-reset-ms",
    "window_size_ms": "x-rate-limit-time-window-ms",
    "requests_remaining": "x-rate-limit-requests-left",
    "requests_quota": "x-rate-limit-requests-quota",
}


def _lowered(headers: Any) -> Mapping[str, Any]:
    if isinstance(headers, requests.structures.CaseInsensitiveDict):
        return headers
    try:
        return {str(k).lower(): v for k, v in headers.items()}
    except Exception:  # not a mapping at all: no headers
        return {}


def _number(value: Any) -> Optional[float]:
    """A finite, non-negative number from a header value, or None."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if 0 <= number < float("inf") else None  # NaN fails both comparisons


def parse_rate_limit(headers: Any) -> Dict[str, int]:
    """The ``X-Rate-Limit-*`` headers as a dict with the keys ``ms_until_reset``, ``window_size_ms``,
    ``requests_remaining`` and ``requests_quota``.

    Header names are matched in any case; a key whose header is missing, negative or not a number is
    left out, so partial or garbled headers never raise.

    >>> parse_rate_limit({"x-rate-limit-requests-left": "7", "X-Rate-Limit-Requests-Quota": "oops"})
    {'requests_remaining': 7}
    """
    lowered = _lowered(headers)
    found = {}
    for key, header in _RATE_LIMIT_HEADERS.items():
        number = _number(lowered.get(header))
        if number is not None and number < 2**53:
            found[key] = int(number)
    return found


def _http_date_seconds(value: Any) -> Optional[float]:
    """Seconds from now until an HTTP date (``Retry-After: Wed, 21 Oct 2015 07:28:00 GMT``), or None."""
    if not isinstance(value, str):
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def retry_after_seconds(headers: Any) -> Optional[float]:
    """Seconds a 429 (or 503) asks the caller to wait, or ``None`` when the headers say nothing usable.

    In order: ``X-Rate-Limit-Time-Reset-Ms`` (the window reset), ``X-Retry-After`` (seconds), the
    standard ``Retry-After`` (seconds or an HTTP date). Names are matched in any case; garbage is
    ignored. The transport never waits less than its floor nor more than its budget, whatever this says.

    >>> retry_after_seconds({"X-RATE-LIMIT-TIME-RESET-MS": "1500"})
    1.5
    """
    lowered = _lowered(headers)
    reset_ms = _number(lowered.get("x-rate-limit-time-reset-ms"))
    if reset_ms is not None:
        return reset_ms / 1000.0
    for name in ("x-retry-after", "retry-after"):
        value = lowered.get(name)
        seconds = _number(value)
        if seconds is None:
            seconds = _http_date_seconds(value)
        if seconds is not None:
            return seconds
    return None


# --------------------------------------------------------------------------------------------------
# The interpreter: one place that reads an error answer, for every dialect.


def status_to_exception(status: int) -> Optional[Type[HttpException]]:
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


def excerpt(content: bytes) -> str:
    """A short, printable excerpt of a body, for messages."""
    text = content[: EXCERPT_CHARS * 4].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _limited(text: str) -> str:
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "..."


def v2_summary(body: Any) -> str:
    """The messages of a v2 error list ``[{"status": 400, "message": "...", "details": {...}}]``."""
    items = body if isinstance(body, list) else [body]
    texts = [
        str(item.get("message") or item.get("title") or item.get("error"))
        for item in items
        if isinstance(item, dict) and (item.get("message") or item.get("title") or item.get("error"))
    ]
    return _limited("; ".join(_short(text) for text in texts))


def v3_summary(body: Any) -> str:
    """A v3 error object in one line: ``{"title": "Invalid", "errors": {"price": "must be a number"}}``
    gives ``"Invalid (price: must be a number)"``; ``""`` when ``body`` is not one."""
    if not isinstance(body, dict) or not isinstance(body.get("title"), str):
        return v2_summary(body) if isinstance(body, (list, dict)) else ""
    text = body["title"].strip() or "error"
    parts: List[str] = []
    errors = body.get("errors")
    if isinstance(errors, dict):
        parts = [f"{key}: {_short(value)}" for key, value in errors.items()]
    elif isinstance(errors, list):
        parts = [
            _short(item.get("title") or item.get("message") or item) if isinstance(item, dict) else _short(item)
            for item in errors
        ]
    if not parts and isinstance(body.get("detail"), str) and body["detail"].strip():
        parts = [body["detail"].strip()]
    if parts:
        text = f"{text} ({'; '.join(parts)})"
    return _limited(text)


def oauth_summary(body: Any) -> str:
    """The ``error`` (and ``error_description``) of a refused token exchange; never the rest."""
    if isinstance(body, dict) and body.get("error"):
        text = str(body["error"])[:EXCERPT_CHARS]
        description = body.get("error_description")
        return f"{text} ({str(description)[:EXCERPT_CHARS]})" if description else text
    if isinstance(body, dict) and (body.get("title") or body.get("message")):  # gateway-style errors
        return str(body.get("title") or body.get("message"))[:EXCERPT_CHARS]
    return "no error text in the answer"


def graphql_error_text(error: Any) -> str:
    """One GraphQL error object as text: its ``message`` and, when given, ``(at a.b.c)``."""
    if isinstance(error, dict):
        message = error.get("message")
        text = message if isinstance(message, str) else json.dumps(error, default=str)
        where = error.get("path")
        if isinstance(where, list) and where:
            text += " (at {})".format(".".join(str(part) for part in where))
        return text
    return str(error)


def graphql_summary(errors: List[Any]) -> str:
    texts = [graphql_error_text(error) for error in errors]
    return _limited("; ".join(texts[:3]) + (f" (and {len(texts) - 3} more)" if len(texts) > 3 else ""))


def graphql_errors(body: Any) -> Optional[List[Any]]:
    """The ``errors`` of a GraphQL answer as a list, or None when it has none."""
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if errors is None or errors == []:
        return None
    if not isinstance(errors, list):
        errors = [errors if isinstance(errors, dict) else {"message": str(errors)}]
    return errors


DIALECTS = ("v2", "v3", "oauth", "graphql")


def from_response(
    method: str, path: str, response: Any, dialect: str = "v2", *, secrets: Iterable[Optional[str]] = ()
) -> Optional[HttpException]:
    """The exception an answer stands for, or ``None`` when it is a usable success.

    ``dialect`` says how the body describes errors: ``"v2"`` (a list of ``{status, message}``),
    ``"v3"`` (``{status, title, type, errors: {field: message}}``; a 207 gives :class:`PartialSuccess`
    with ``data``, ``errors`` and ``meta``), ``"oauth"`` (``{error, error_description}``; nothing else
    of the body is quoted, it may hold a token) or ``"graphql"`` (``errors`` gives
    :class:`GraphQLError` whatever the status). A 2xx whose body is not JSON is left to the caller
    (this function does not parse success bodies, except a 207's and a GraphQL answer's).

    Messages are ``METHOD /path -> STATUS Reason: summary``, redacted of ``secrets`` and of the
    credentials the request itself carried.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}")
    status = int(response.status_code)
    known: List[str] = [*request_secrets(response), *(s for s in secrets if s)]
    context: Dict[str, Any] = {"method": method, "path": path}
    head = f"{method} {path} -> {status} {response.reason or ''}".rstrip()
    content = response.content or b""
    if dialect == "graphql" or (dialect == "v3" and status == 207):
        try:
            body = parse_json(content) if content else None
        except ValueError:
            body = None
        if dialect == "graphql":
            errors = graphql_errors(body)
            if (
                errors is not None
                and status >= 300
                and not (isinstance(body, dict) and isinstance(body.get("errors"), list))
            ):
                errors = None  # a gateway's {"errors": {...}} on a 401/5xx is an HTTP error, not GraphQL's
            if errors is not None:
                summary = graphql_summary(errors)
                data = body.get("data") if isinstance(body, dict) else None
                return GraphQLError(
                    redact(f"GraphQL errors: {summary}", known),
                    response,
                    errors,
                    data,
                    body,
                    summary=summary,
                    **context,
                )
        else:
            return _partial(head, response, body, known, context)
    error_class = status_to_exception(status)
    if error_class is None:
        return None
    body = _parse_errors(content)
    if dialect == "oauth":
        summary = oauth_summary(body) if body is not None else "no JSON error in the answer"
        detail = summary
    else:
        summary = (v3_summary if dialect == "v3" else v2_summary)(body) if body is not None else ""
        detail = summary or excerpt(content)
    message = head
    if status == 429:
        message += " (still rate limited after waiting; see .retry_after)"
    if detail:
        message = f"{message}: {detail}"
    return error_class(redact(message, known), response, summary=redact(summary, known), errors=body, **context)


def _partial(head: str, response: Any, body: Any, secrets: List[str], context: Dict[str, Any]) -> PartialSuccess:
    body = body if isinstance(body, dict) else {}
    data = body.get("data")
    errors = body.get("errors")
    data = data if isinstance(data, list) else ([data] if data else [])
    errors = errors if isinstance(errors, list) else ([errors] if errors else [])
    meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
    summary = _limited("; ".join(filter(None, (v3_summary(e) for e in errors[:3]))))
    message = f"{head}: {len(data)} applied, {len(errors)} failed" + (f": {summary}" if summary else "")
    return PartialSuccess(
        redact(message, secrets), response, data, errors, meta, summary=redact(summary, secrets), **context
    )


# Exceptions of the toolkit modules, importable from here too. They are defined in their own modules
# (which do not import this one), so they are looked up on first access (PEP 562).
_ELSEWHERE = {
    "JWTVerificationError": "bigcommerce.oauth",
    "WebhookPayloadError": "bigcommerce.webhooks",
}


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
