"""The one place where HTTP happens.

``Connection`` (legacy Basic auth) and ``OAuthConnection`` (app tokens) wrap one ``requests.Session``.
Every request of the library, v2, v3, GraphQL or the OAuth token exchange, goes through
:meth:`Connection.send`, which holds the whole transport policy (:meth:`Connection.make_request`, the
classic choke point every resource calls, is ``send`` followed by :meth:`Connection.handle_response`):

* timeouts (``timeout=``; a finite default, overridable per call);
* retries, decided by :func:`should_retry` alone (idempotent methods on connection errors, timeouts and
  502/503/504; a POST only when it certainly was not processed; any method after a 429), with capped
  exponential backoff and jitter;
* rate limits: every response refreshes :attr:`Connection.rate_limit`; a 429 is waited out and sent
  again up to ``rate_limit_wait`` seconds in all; optional pacing (``pace=True``) spreads requests over
  the window; the classic ``rate_limiting_management`` dict still works;
* redirects are never followed, and credentials only go to the configured API and auth origins;
* one DEBUG log record per attempt on the ``bigcommerce`` logger, never with credentials.

:meth:`Connection.handle_response` then maps the answer to Python values or to the exceptions of
:mod:`bigcommerce.exception`, with credentials scrubbed from every message.
"""
from __future__ import annotations

import json
import logging
import os
import random
import re
import sys
import threading
import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from decimal import Decimal
from typing import Any, Dict, Mapping, Optional, Tuple, Union
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError as _ConnectTimeoutError
from urllib3.exceptions import DecodeError as _DecodeError
from urllib3.exceptions import ProtocolError as _ProtocolError
from urllib3.exceptions import ReadTimeoutError as _ReadTimeoutError
from urllib3.exceptions import SSLError as _Urllib3SSLError

try:  # urllib3 2
    from urllib3.response import BaseHTTPResponse as _BaseHTTPResponse
except ImportError:  # urllib3 1.26
    from urllib3.response import HTTPResponse as _BaseHTTPResponse

from bigcommerce import __version__
from bigcommerce.exception import (
    EXCERPT_CHARS,
    ForbiddenHostError,
    InvalidResponseException,
    excerpt,
    status_to_exception,
)

__all__ = [
    "Connection", "OAuthConnection", "GraphQLConnection", "should_retry", "backoff_delay",
    "retry_after_seconds", "parse_rate_limit", "DEFAULT_TIMEOUT",
]

log = logging.getLogger("bigcommerce")
if os.environ.get("BIGCOMMERCE_LOG", "").lower() == "debug" and not log.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.DEBUG)

Timeout = Union[float, Tuple[float, float]]

#: (connect, read) seconds: long enough for a 250-item page, short enough that a dead peer is noticed.
DEFAULT_TIMEOUT: Tuple[float, float] = (10.0, 60.0)
DEFAULT_MAX_RETRIES = 3
#: Seconds one call may spend waiting out 429s before RateLimitingException reaches the caller.
DEFAULT_RATE_LIMIT_WAIT = 120.0
USER_AGENT = f"bigcommerce-api/{__version__} python-requests/{requests.__version__}"

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})

CLASSIC_RATE_LIMIT_DEFAULTS = {
    "min_requests_remaining": 2,
    "wait": True,
    "callback_function": None,
    "callback_args": None,
}


# --------------------------------------------------------------------------------------------------
# The retry policy: one function, tested by a table (tests/test_retry_policy.py).

def _was_not_sent(error: BaseException) -> bool:
    """True when the request certainly never reached the server: no connection could be made.

    requests reports a refused, unresolvable or timed-out connect as ``ConnectTimeout`` or as a
    ``ConnectionError`` whose urllib3 reason is a ``ConnectTimeoutError`` (``NewConnectionError`` and
    ``NameResolutionError`` are subclasses of it). Anything later, a reset or a read timeout, may have
    reached the server.
    """
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(error, requests.exceptions.ConnectionError) and error.args:
        reason = getattr(error.args[0], "reason", None)
        return isinstance(reason, _ConnectTimeoutError)
    return False


def should_retry(method: str, attempt: int, max_retries: int, *, status: Optional[int] = None,
                 error: Optional[BaseException] = None) -> bool:
    """Whether a request whose attempt number ``attempt`` (0-based) ended this way may be sent again.

    Pass the ``status`` of the answer, or the ``error`` requests raised. The whole policy:

    * a 429 was not processed: always sent again, whatever the method. Its limit is time
      (``rate_limit_wait``), so ``attempt`` and ``max_retries`` do not apply to it;
    * otherwise nothing is sent again once ``max_retries`` retries have been made;
    * a request that never left (the connection could not be made) is retried whatever its method;
    * GET, HEAD, PUT, DELETE and OPTIONS are retried on a dropped connection, a read timeout and on
      502, 503 and 504: sending them twice has the effect of sending them once;
    * POST (and PATCH) is never retried once it may have reached the server, so a create is never
      duplicated;
    * TLS failures and every other status (500, 501, 4xx, 3xx) are never retried.

    >>> should_retry("POST", 0, 3, status=503), should_retry("GET", 0, 3, status=503)
    (False, True)
    """
    if status == 429:
        return True
    if attempt >= max_retries:
        return False
    if error is not None:
        if isinstance(error, requests.exceptions.SSLError):
            return False  # a certificate problem does not fix itself in a second
        if _was_not_sent(error):
            return True
        return method in IDEMPOTENT_METHODS and isinstance(error, _RETRYABLE_ERRORS)
    return status in RETRY_STATUSES and method in IDEMPOTENT_METHODS


_RETRYABLE_ERRORS = (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                     requests.exceptions.ChunkedEncodingError)


def backoff_delay(attempt: int, factor: float = 0.5, cap: float = 8.0) -> float:
    """Seconds to sleep before retry ``attempt`` (0-based).

    Exponential (``factor * 2**attempt``), capped at ``cap``, with jitter: a random value in the upper
    half of that ceiling, so clients that failed together do not come back together.
    """
    ceiling = min(cap, factor * (2 ** min(attempt, 32)))
    return ceiling * (0.5 + random.random() / 2)


def _read_body(response: requests.Response) -> None:
    """Read the body of a response sent with ``stream=True`` in one piece, as ``response.content``.

    requests (``stream=False``) reads a body in 10 KB chunks through a generator, which costs about
    half a millisecond of CPU per 700 KB page and, with several threads, a GIL hand-off per chunk.
    Reading it with one ``read()`` gives the same bytes (gzip and deflate decoded, the length checked)
    and puts the connection back in the pool the same way. A failure while reading becomes the
    exception requests itself raises for it, so :func:`should_retry` sees the same kinds.
    """
    if response._content is not False:  # already read (an adapter that is not urllib3's, say)
        return
    raw = response.raw
    if response.status_code == 0 or not isinstance(raw, _BaseHTTPResponse):
        response.content  # noqa: B018 - requests' own way, whatever ``raw`` is
        return
    try:
        content = raw.read(decode_content=True)
    except _ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except _DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except _ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except _Urllib3SSLError as error:
        raise requests.exceptions.SSLError(error) from error
    response._content = content or b""
    response._content_consumed = True


# --------------------------------------------------------------------------------------------------
# Rate-limit headers. Names may arrive in any case; missing or garbled values are simply absent.

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


def parse_rate_limit(headers: Mapping[str, str]) -> Dict[str, int]:
    """The ``X-Rate-Limit-*`` headers as a dict with the keys of :attr:`Connection.rate_limit`.

    Header names are matched in any case; a key whose header is missing, negative or not a number is
    left out, so partial or garbled headers never raise.

    >>> parse_rate_limit({"x-rate-limit-requests-left": "7", "X-Rate-Limit-Requests-Quota": "oops"})
    {'requests_remaining': 7}
    """
    lowered = _lowered(headers)
    found = {}
    for key, header in _RATE_LIMIT_HEADERS.items():
        number = _number(lowered.get(header))
        if number is not None:
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


def retry_after_seconds(headers: Mapping[str, str]) -> Optional[float]:
    """Seconds a 429 (or 503) asks the caller to wait, or ``None`` when the headers say nothing usable.

    In order: ``X-Rate-Limit-Time-Reset-Ms`` (the window reset), ``X-Retry-After`` (seconds), the
    standard ``Retry-After`` (seconds or an HTTP date). Names are matched in any case; garbage is ignored.

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

_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?\Z")


def normalize_origin(value: str, what: str = "host") -> str:
    """``store.example.com`` -> ``https://store.example.com``; a full origin keeps its scheme and port.

    Any path is dropped, names are lower-cased and a default port (``:443`` for https, ``:80`` for http)
    is left out, so one origin has one spelling. Raises ``ValueError`` naming ``what`` for anything
    else; the message never repeats a ``user:password@`` part.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a host name or an origin such as https://api.bigcommerce.com")
    text = value.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    if "@" in parts.netloc:  # never echo what may be a password
        raise ValueError(f"{what} must not carry credentials (user:password@); pass them separately")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{what} {text!r} has an invalid port") from None
    scheme = parts.scheme.lower()
    hostname = (parts.hostname or "").lower()
    ipv6 = ":" in hostname and "[" in parts.netloc
    if scheme not in ("http", "https") or not (_HOST_NAME.match(hostname) or ipv6):
        raise ValueError(f"{what} {text!r} is not a host name or an http(s) origin "
                         "such as https://api.bigcommerce.com")
    if ipv6:
        hostname = f"[{hostname}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{hostname}"
    return f"{scheme}://{hostname}:{port}"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def auth_service_origin(value: Optional[str] = None) -> str:
    """The OAuth token service's origin: ``value``, else ``$BC_AUTH_SERVICE``, else BigCommerce's."""
    return normalize_origin(value or os.environ.get("BC_AUTH_SERVICE") or "login.bigcommerce.com",
                            "auth_service")


def _where(parts: Any) -> str:
    """A refused URL's host for a message; never a ``user:password@`` part."""
    try:
        if parts is None or not parts.hostname:
            return "an unusable URL"
        if "@" in parts.netloc:
            return f"a URL with a user:password@ part ({parts.hostname!r})"
        return repr(parts.hostname)
    except ValueError:
        return "an unusable URL"


def _query_value(value: Any) -> str:
    # The API takes lists comma-joined (id:in=1,2,3) and booleans in lower case.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(_query_value(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def encode_query(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, str]]:
    """Query parameters as the API expects them; ``None`` values are dropped."""
    if not params:
        return None
    return {key: _query_value(value) for key, value in params.items() if value is not None}


def _json_default(value: Any):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encode_body(data: Any) -> Optional[bytes]:
    if data is None or isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    return json.dumps(data, default=_json_default).encode("utf-8")


def _path_segment(rid: Any) -> str:
    """An id as one escaped path segment: ``0`` stays an id and ``../x`` cannot climb."""
    text = str(rid)
    if text in ("", ".", ".."):
        raise ValueError(f"{rid!r} is not a usable resource id")
    return quote(text, safe="")


class Connection:
    """A connection to a legacy store with Basic auth: API root ``{host}/api/v2/``.

    ``host`` is a host name (https assumed) or a full origin; ``auth`` is ``(username, api_token)``.
    Keyword options (shared with :class:`OAuthConnection`): ``timeout`` (seconds or ``(connect, read)``),
    ``max_retries``, ``backoff_factor``, ``rate_limit_wait`` (seconds of 429 waiting per call),
    ``pace`` (spread requests over the rate-limit window), ``rate_limiting_management`` (the classic
    dict), ``auth_service`` (origin of the OAuth token service) and ``pool_size``.
    """

    def __init__(self, host: str, auth: Optional[Tuple[str, str]] = None, api_path: str = "/api/v2/{}",
                 rate_limiting_management: Optional[dict] = None, *, timeout: Timeout = DEFAULT_TIMEOUT,
                 max_retries: int = DEFAULT_MAX_RETRIES, backoff_factor: float = 0.5,
                 rate_limit_wait: float = DEFAULT_RATE_LIMIT_WAIT, pace: bool = False,
                 auth_service: Optional[str] = None, pool_size: int = 32):
        self.host = normalize_origin(host, "host")
        self.api_path = api_path
        self.timeout = _check_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be a whole number >= 0")
        self.max_retries = max_retries
        self.backoff_factor = _non_negative(backoff_factor, "backoff_factor")
        self.rate_limit_wait = _non_negative(rate_limit_wait, "rate_limit_wait")
        self.pace = bool(pace)
        self.rate_limiting_management = _classic_rate_limit_settings(rate_limiting_management)
        self.auth_service = auth_service_origin(auth_service)
        #: The last rate-limit state the API reported (see :func:`parse_rate_limit`); replaced, never
        #: mutated, so a reader always sees one consistent dict.
        self.rate_limit: Dict[str, int] = {}
        self._rate_limit_seen = 0.0  # time.monotonic() when rate_limit was last refreshed
        self._lock = threading.Lock()
        self._next_slot = 0.0  # pacing: monotonic time before which the next request may not leave
        self._in_flight = 0    # pacing: requests sent whose answer has not arrived yet
        self._pool_size = pool_size
        self._session = self._new_session()
        self._set_credentials(auth)

    # -- configuration -----------------------------------------------------------------------------

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self._pool_size, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": USER_AGENT,
        })
        # requests would consult the environment (proxies, ~/.netrc, CA bundle) on every request: that
        # costs time per call and could attach netrc credentials. Read proxies and the CA bundle once.
        session.trust_env = False
        session.proxies.update(_environment_proxies(self.host))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
        return session

    def _set_credentials(self, auth: Optional[Tuple[str, str]]) -> None:
        if auth is not None and (not isinstance(auth, (tuple, list)) or len(auth) != 2):
            raise ValueError("basic_auth must be a (username, api_token) pair")
        self._auth = tuple(auth) if auth is not None else None
        self._session.auth = self._auth

    def _secrets(self) -> Tuple[str, ...]:
        """The credentials this connection holds, for scrubbing text that leaves it."""
        if self._auth and self._auth[1]:
            return (str(self._auth[1]),)
        return ()

    def _redact(self, text: str, *extra: Optional[str]) -> str:
        for secret in (*self._secrets(), *extra):
            if secret and len(secret) >= 4:
                text = text.replace(secret, "[redacted]")
        return text

    @property
    def api_root(self) -> str:
        """The absolute URL every relative resource path is resolved against."""
        return self.host + self.api_path.format("")

    @property
    def allowed_origins(self) -> frozenset:
        """Origins that may receive this connection's credentials."""
        return frozenset({self.host, self.auth_service})

    def full_path(self, url: str) -> str:
        """The absolute URL for ``url``: a path relative to the API root, or an allowed absolute URL."""
        if "//" in url:  # cheap test first: relative paths are the hot path
            try:
                parts = urlsplit(url)
                absolute = bool(parts.scheme or parts.netloc)
            except ValueError:  # e.g. an unclosed IPv6 bracket
                parts, absolute = None, True
            if absolute:
                origin = None
                if parts is not None and parts.scheme and "://" in url:
                    try:
                        origin = normalize_origin(url)
                    except ValueError:
                        origin = None
                if origin is None or origin not in self.allowed_origins:
                    raise ForbiddenHostError(
                        f"refusing to send credentials to {_where(parts)}: only "
                        f"{', '.join(sorted(self.allowed_origins))} receive them")
                return url
        return self.api_root + url.lstrip("/")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.api_root}>"

    def __getstate__(self):
        # Pickles carry configuration, never credentials or the live session.
        state = self.__dict__.copy()
        for key in ("_session", "_lock", "_auth", "_access_token"):
            state.pop(key, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._rate_limit_seen = 0.0  # monotonic clocks do not travel between processes
        self._next_slot = 0.0
        self._in_flight = 0
        self._session = self._new_session()
        self._set_credentials(None)
        if hasattr(type(self), "_set_token"):
            self._set_token(None)

    # -- the classic helpers (classic engineer's block: each is one make_request call) ---------------

    def get(self, resource: str = "", rid: Any = None, **query: Any) -> Any:
        """GET ``resource`` (or ``resource/rid``); returns the parsed body, ``None`` on 204."""
        return self.make_request("GET", self._resource_path(resource, rid), None, query, None)

    def update(self, resource: str, rid: Any, updates: Any) -> Any:
        """PUT ``updates`` to ``resource/rid``; returns the updated object."""
        return self.put(self._resource_path(resource, rid), updates)

    def create(self, resource: str, data: Any) -> Any:
        """POST ``data`` to ``resource`` (the same as :meth:`post`); returns the created object."""
        return self.post(resource, data)

    def post(self, url: str, data: Any, headers: Optional[Mapping[str, str]] = None) -> Any:
        """POST ``data`` (JSON unless ``headers`` give another Content-Type) to ``url``; returns the body."""
        return self.make_request("POST", url, data, None, headers)

    def put(self, url: str, data: Any) -> Any:
        """PUT ``data`` as JSON to ``url``; returns the updated object."""
        return self.make_request("PUT", url, data, None, None)

    def delete(self, resource: str, rid: Any = None) -> Any:
        """DELETE ``resource`` (or ``resource/rid``); ``rid=0`` is an id, not "the whole collection"."""
        return self.make_request("DELETE", self._resource_path(resource, rid), None, None, None)

    @staticmethod
    def _resource_path(resource: str, rid: Any) -> str:
        return resource if rid is None else f"{resource.rstrip('/')}/{_path_segment(rid)}"

    # -- the transport -----------------------------------------------------------------------------

    def make_request(self, method: str, url: str, data: Any = None, params: Optional[Mapping[str, Any]] = None,
                     headers: Optional[Mapping[str, str]] = None, timeout: Optional[Timeout] = None) -> Any:
        """The classic choke point: send one request and return the parsed body (``None`` for a 204).

        Every resource operation calls it positionally, as the classic client did:
        ``make_request('GET', 'orders', None, {'limit': 3}, None)``. Statuses of 300 and above raise
        the exceptions of :mod:`bigcommerce.exception` (see :meth:`handle_response`).
        """
        return self.handle_response(method.upper(), url,
                                    self.send(method, url, data, params, headers, timeout=timeout))

    def send(self, method: str, url: str, data: Any = None, params: Optional[Mapping[str, Any]] = None,
             headers: Optional[Mapping[str, str]] = None, timeout: Optional[Timeout] = None
             ) -> requests.Response:
        """Send a request with the full transport policy and return the final ``requests.Response``.

        ``url`` is a path relative to the API root or an absolute URL on the API or auth origin; ``data``
        is sent as JSON (bytes and str as they are); ``timeout`` overrides the connection's for this call.
        The response is returned whatever its status: :meth:`make_request` turns statuses into
        exceptions. Retries follow :func:`should_retry`; a 429 is waited out for up to
        ``rate_limit_wait`` seconds in all, after which the 429 response itself is returned.

        Raises ``ForbiddenHostError`` (before anything is sent) for an absolute URL on another origin,
        and the ``requests`` exception of the last attempt when the connection keeps failing
        (``requests.exceptions.ConnectionError``, ``requests.exceptions.Timeout``...).
        """
        method = method.upper()
        full_url = self.full_path(url)
        body = _encode_body(data)
        if body is not None and not (headers and any(k.lower() == "content-type" for k in headers)):
            headers = {**(headers or {}), "Content-Type": "application/json"}
        query = encode_query(params)
        timeout = self.timeout if timeout is None else _check_timeout(timeout)
        attempt = 0      # retries spent on failures: bounded by max_retries
        throttled = 0    # 429s met so far: a bare 429's backoff grows with it
        waited = 0.0     # seconds spent waiting out 429s: bounded by rate_limit_wait
        sent = 0
        while True:
            sent += 1
            try:
                if self.pace:
                    started, response = self._paced_request(method, full_url, body, query, headers, timeout)
                else:
                    started = time.monotonic()
                    response = self._send(method, full_url, body, query, headers, timeout)
                    self._note_rate_limit(response.headers)
            except requests.RequestException as error:
                retry = should_retry(method, attempt, self.max_retries, error=error)
                delay = backoff_delay(attempt, self.backoff_factor) if retry else 0.0
                if log.isEnabledFor(logging.DEBUG):
                    _log_attempt(method, full_url, type(error).__name__, started, sent, delay, retry)
                if not retry:
                    raise
                time.sleep(delay)
                attempt += 1
                continue
            status = response.status_code
            retry = should_retry(method, attempt, self.max_retries, status=status)
            if retry:
                if status == 429:
                    delay = retry_after_seconds(response.headers)
                    if not delay:  # a bare 429 is platform overload: back off anyway, longer each time
                        delay = backoff_delay(throttled, max(self.backoff_factor, 0.01), cap=30.0)
                    retry = waited + delay <= self.rate_limit_wait
                    waited += delay
                    throttled += 1
                else:
                    delay = backoff_delay(attempt, self.backoff_factor)
                    attempt += 1
            if log.isEnabledFor(logging.DEBUG):
                _log_attempt(method, full_url, status, started, sent, delay if retry else 0.0, retry)
            if not retry:
                if self.rate_limiting_management is not None:
                    self._classic_rate_limit_hook()
                return response
            response.close()
            time.sleep(delay)

    def _send(self, method: str, url: str, body: Optional[bytes], query: Any, headers: Any,
              timeout: Timeout) -> requests.Response:
        """One attempt: send, then read the whole body (see :func:`_read_body`) before returning."""
        response = self._session.request(method, url, data=body, params=query, headers=headers,
                                         timeout=timeout, allow_redirects=False, stream=True)
        _read_body(response)
        return response

    def _note_rate_limit(self, headers: Mapping[str, str], release: bool = False) -> None:
        """Refresh :attr:`rate_limit` from one response's headers (any case; partial is fine)."""
        found = parse_rate_limit(headers)
        if found or release:
            with self._lock:
                if found:
                    self.rate_limit = (found if len(found) == len(_RATE_LIMIT_HEADERS)
                                       else {**self.rate_limit, **found})
                    self._rate_limit_seen = time.monotonic()
                if release:
                    self._in_flight -= 1

    def _paced_request(self, method: str, url: str, body: Optional[bytes], query: Any, headers: Any,
                       timeout: Timeout) -> Tuple[float, requests.Response]:
        """Send once the pacing schedule allows it; returns (send time, response)."""
        self._wait_for_slot()
        started = time.monotonic()
        try:
            response = self._send(method, url, body, query, headers, timeout)
        except BaseException:
            with self._lock:
                self._in_flight -= 1
            raise
        self._note_rate_limit(response.headers, release=True)
        return started, response

    def _wait_for_slot(self) -> None:
        """Pacing: spread what is left of the quota evenly over what is left of the window.

        Slots are handed out under the lock, so the spacing holds for all threads sharing the connection.
        Requests still in flight are counted against what the last answer said was left (the server may
        not have counted them yet). With nothing left, the next slot is just after the window resets;
        in a window no answer has described yet, requests are spaced at ``window / quota``.
        """
        with self._lock:
            self._in_flight += 1
            state = self.rate_limit
            remaining, reset_ms = state.get("requests_remaining"), state.get("ms_until_reset")
            if remaining is None or reset_ms is None:
                return
            window, quota = state.get("window_size_ms"), state.get("requests_quota")
            steady = window / 1000.0 / quota if window and quota else 0.0
            now = time.monotonic()
            slot = max(now, self._next_slot)
            window_end = self._rate_limit_seen + reset_ms / 1000.0
            left = remaining - (self._in_flight - 1)
            if slot >= window_end:
                self._next_slot = slot + steady
            elif left <= 0:
                slot = max(slot, window_end + _PACE_MARGIN)
                self._next_slot = slot + steady
            else:
                self._next_slot = slot + (window_end - slot) / left
        if slot > now:
            time.sleep(slot - now)

    def _classic_rate_limit_hook(self) -> None:
        """The classic ``rate_limiting_management``: when the requests left in the window drop to
        ``min_requests_remaining`` or below, sleep until the window resets (``wait``), then call
        ``callback_function`` (with ``callback_args`` as its one argument, when given)."""
        settings = self.rate_limiting_management
        state = self.rate_limit
        remaining = state.get("requests_remaining")
        if remaining is None or remaining > settings["min_requests_remaining"]:
            return
        if settings["wait"]:
            reset_ms = state.get("ms_until_reset")
            if reset_ms is not None:
                left = self._rate_limit_seen + reset_ms / 1000.0 - time.monotonic()
                if left > 0:
                    time.sleep(left + _PACE_MARGIN)
        callback = settings["callback_function"]
        if callback is not None:
            if settings["callback_args"]:
                callback(settings["callback_args"])
            else:
                callback()

    # -- answers -----------------------------------------------------------------------------------

    def handle_response(self, method: str, url: str, response: requests.Response) -> Any:
        """The parsed body of a 2xx answer (``None`` for a 204, or an empty DELETE/HEAD answer).

        Raises the class :func:`~bigcommerce.exception.status_to_exception` names for a 3xx, 4xx or 5xx
        (a 429 here has already outlasted ``rate_limit_wait``), and ``InvalidResponseException`` for a
        2xx whose body is empty, truncated or not JSON.
        """
        status = response.status_code
        if status < 300:
            content = response.content
            if status == 204 or (not content and method in ("DELETE", "HEAD")):
                return None
            try:
                return json.loads(content)
            except (ValueError, UnicodeDecodeError):
                pass
        raise self._error(method, url, response)

    def _error(self, method: str, url: str, response: requests.Response) -> Exception:
        """The exception for an answer that is not a usable success, its message scrubbed of credentials."""
        status = response.status_code
        path = urlsplit(response.url or url).path or url
        content = response.content or b""
        error_class = status_to_exception(status)
        if error_class is None:
            kind = "an empty body" if not content.strip() else "a body that is not valid JSON"
            message = f"{method} {path} -> {status} with {kind}"
            error_class = InvalidResponseException
        else:
            message = f"{method} {path} -> {status} {response.reason or ''}".rstrip()
            if status == 429:
                message += " (still rate limited after waiting; see .retry_after)"
        detail = excerpt(content)
        if detail:
            message = f"{message}: {detail}"
        return error_class(self._redact(message), response)


_PACE_MARGIN = 0.005  # seconds past a window's reset before its first request, for clock granularity


class OAuthConnection(Connection):
    """A connection for an OAuth app: API root ``{host}/stores/{store_hash}/v2/``.

    ``access_token`` may be left out and obtained later with :meth:`fetch_token`.
    """

    def __init__(self, client_id: str, store_hash: str, access_token: Optional[str] = None,
                 host: str = "api.bigcommerce.com", api_path: str = "/stores/{}/v2/{}",
                 rate_limiting_management: Optional[dict] = None, **options):
        if client_id is None or store_hash is None:
            raise ValueError("OAuthConnection needs client_id and store_hash")
        self.client_id = client_id
        self.store_hash = store_hash
        super().__init__(host, None, api_path, rate_limiting_management, **options)
        self._set_token(access_token)

    @property
    def access_token(self) -> Optional[str]:
        """The OAuth access token in use. Assigning one (after unpickling, say) starts using it."""
        return self._access_token

    @access_token.setter
    def access_token(self, value: Optional[str]) -> None:
        self._set_token(value)

    def _set_token(self, access_token: Optional[str]) -> None:
        self._access_token = access_token
        headers = self._session.headers
        headers["X-Auth-Client"] = self.client_id
        if access_token:
            headers["X-Auth-Token"] = access_token
        else:
            headers.pop("X-Auth-Token", None)

    @property
    def api_root(self) -> str:
        if not self.store_hash or not self.client_id:
            raise ValueError("client_id and store_hash are empty placeholders: pass the app's client_id "
                             "and the store's store_hash before making requests")
        return self.host + self.api_path.format(self.store_hash, "")

    @property
    def store_root(self) -> str:
        """``{host}/stores/{store_hash}``: v3 and GraphQL live below it."""
        return f"{self.host}/stores/{self.store_hash}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self.store_hash!r} {self.host}>"

    def fetch_token(self, client_secret: str, code: str, context: str, scope: str, redirect_uri: str,
                    login_host: Optional[str] = None) -> dict:
        """Exchange an install callback's ``code`` for an access token and start using it.

        Returns the token response (``access_token``, ``scope``, ``user``, ``context``...).
        Raises ``ClientRequestException`` with the server's ``error`` text when the exchange is refused.
        """
        origin = normalize_origin(login_host, "login_host") if login_host else self.auth_service
        if origin not in self.allowed_origins:
            raise ForbiddenHostError(f"{origin!r} is not the configured auth service")
        form = {
            "client_id": self.client_id, "client_secret": client_secret, "code": code, "context": context,
            "scope": scope, "grant_type": "authorization_code", "redirect_uri": redirect_uri,
        }
        # The login service needs no API token: the X-Auth-Token of a previous install stays home.
        response = self.send("POST", origin + "/oauth2/token", data=_form(form),
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "X-Auth-Token": None})
        status = response.status_code
        if status >= 300:
            error_class = status_to_exception(status)
            message = f"POST /oauth2/token -> {status}: {_oauth_error_text(response)}"
            raise error_class(self._redact(message, client_secret, code), response)
        try:
            token = json.loads(response.content) if status != 204 else None
        except (ValueError, UnicodeDecodeError):
            token = None
        # Never quote this body: a truncated answer may still hold the new access token.
        if not isinstance(token, dict) or not token.get("access_token"):
            raise InvalidResponseException(
                f"POST /oauth2/token -> {status} without a readable access_token", response)
        self._set_token(token["access_token"])
        return token

    def _secrets(self) -> Tuple[str, ...]:
        return (self.access_token,) if self.access_token else ()

    # -- the classic payload checks (classic engineer's block; the logic is in bigcommerce.oauth) ----

    @staticmethod
    def verify_payload(signed_payload: str, client_secret: str, max_age: Optional[float] = None) -> Any:
        """The user data of a legacy ``signed_payload``, or ``False`` if it is forged or malformed."""
        from bigcommerce.oauth import verify_payload

        return verify_payload(signed_payload, client_secret, max_age=max_age)

    @staticmethod
    def verify_payload_jwt(signed_payload: str, client_secret: str, client_id: str, **options: Any) -> Any:
        """The claims of a ``signed_payload_jwt``; raises ``JWTVerificationError`` when it is not valid."""
        from bigcommerce.oauth import verify_payload_jwt

        return verify_payload_jwt(signed_payload, client_secret, client_id, **options)


def _form(fields: Dict[str, str]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(str(v), safe='')}" for k, v in fields.items()).encode()


def _oauth_error_text(response: requests.Response) -> str:
    """The ``error`` (and ``error_description``) of a refused token exchange; never the rest of the body."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return "no JSON error in the answer"
    if isinstance(body, dict) and body.get("error"):
        text = str(body["error"])[:EXCERPT_CHARS]
        description = body.get("error_description")
        return f"{text} ({str(description)[:EXCERPT_CHARS]})" if description else text
    if isinstance(body, dict) and (body.get("title") or body.get("message")):  # gateway-style errors
        return str(body.get("title") or body.get("message"))[:EXCERPT_CHARS]
    return "no error text in the answer"


class GraphQLConnection(OAuthConnection):
    """An OAuth connection whose root is the store's GraphQL Admin endpoint.

    :meth:`query` posts a query and returns the response's ``data``; a response with ``errors``
    (even with HTTP 200) raises :class:`bigcommerce.graphql.GraphQLError`.
    """

    def __init__(self, client_id: str, store_hash: str, access_token: Optional[str] = None,
                 host: str = "api.bigcommerce.com", api_path: str = "/stores/{}/graphql", **options):
        super().__init__(client_id, store_hash, access_token, host, api_path, **options)

    def query(self, query: str, variables: Optional[dict] = None) -> Any:
        """Run a GraphQL query against the store and return its ``data``."""
        from bigcommerce.graphql import check_graphql_response

        body = self.make_request("POST", self.api_root, {"query": query, "variables": variables or {}}, None, None)
        return check_graphql_response(body)

    # -- classic engineer's block ----------------------------------------------------------------------

    def introspection_query(self) -> Any:
        """The store's GraphQL schema: the ``data`` of the standard introspection query (``__schema``)."""
        return self.query(_INTROSPECTION_QUERY)


#: Types, fields, arguments, enum values and directives of a schema, with type references 7 levels deep.
_INTROSPECTION_QUERY = """
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"""


# --------------------------------------------------------------------------------------------------

def _check_timeout(timeout: Timeout) -> Timeout:
    """A timeout as requests takes it: positive seconds, or a ``(connect, read)`` pair of them."""
    parts = tuple(timeout) if isinstance(timeout, (tuple, list)) else (timeout,)
    if not parts or len(parts) > 2 or not all(
            isinstance(p, (int, float)) and not isinstance(p, bool) and 0 < p < float("inf") for p in parts):
        raise ValueError("timeout must be a positive, finite number of seconds or a (connect, read) pair")
    return parts if len(parts) == 2 else parts[0]


def _non_negative(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise ValueError(f"{name} must be a finite number of seconds >= 0")
    return float(value)


def _environment_proxies(origin: str) -> Dict[str, str]:
    """The proxies the environment (``HTTPS_PROXY``, ``NO_PROXY``...) names for ``origin``; loopback never."""
    if urlsplit(origin).hostname in ("127.0.0.1", "localhost", "::1"):
        return {}
    try:
        return dict(requests.utils.get_environ_proxies(origin))
    except Exception:  # a malformed environment must not stop the client from being built
        return {}


def _classic_rate_limit_settings(settings: Optional[dict]) -> Optional[dict]:
    """The classic ``rate_limiting_management`` dict with defaults filled in, checked once.

    Keys: ``min_requests_remaining`` (default 2), ``wait`` (default True), ``callback_function`` (default
    None) and ``callback_args`` (default None; passed to the callback as its one argument when given).
    Raises ``TypeError`` for a callback that is not callable or a count that is not a whole number,
    ``ValueError`` for an unknown key (most likely a typo that would silently disable the setting).
    """
    if settings is None:
        return None
    if not isinstance(settings, dict):
        raise TypeError("rate_limiting_management must be a dict")
    unknown = set(settings) - set(CLASSIC_RATE_LIMIT_DEFAULTS)
    if unknown:
        raise ValueError(f"rate_limiting_management has unknown keys: {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(CLASSIC_RATE_LIMIT_DEFAULTS)}")
    merged = {**CLASSIC_RATE_LIMIT_DEFAULTS, **settings}
    if merged["callback_function"] is not None and not callable(merged["callback_function"]):
        raise TypeError("rate_limiting_management['callback_function'] must be callable, got "
                        f"{type(merged['callback_function']).__name__}")
    minimum = merged["min_requests_remaining"]
    if isinstance(minimum, bool) or not isinstance(minimum, int):
        raise TypeError("rate_limiting_management['min_requests_remaining'] must be a whole number")
    merged["wait"] = bool(merged["wait"])
    return merged


def _log_attempt(method: str, url: str, outcome: Any, started: float, sent: int, delay: float,
                 retry: bool) -> None:
    """One DEBUG record per attempt: method, path (never the query or credentials), outcome, duration."""
    log.debug("%s %s -> %s in %.1f ms (attempt %d%s)", method, urlsplit(url).path, outcome,
              (time.monotonic() - started) * 1000, sent,
              f", retrying in {delay:.3f} s" if retry else "")
