"""The one place where HTTP happens.

``Connection`` (legacy Basic auth) and ``OAuthConnection`` (app tokens) wrap one ``requests.Session``.
Every request of the library, v2, v3, GraphQL or the OAuth token exchange, goes through
:meth:`Connection.make_request`, which holds the whole transport policy:

* timeouts (``timeout=``; a finite default, overridable per call);
* retries, decided by :func:`should_retry` alone (idempotent methods on connection errors, timeouts and
  502/503/504; a POST only when it certainly was not processed), with capped exponential backoff and jitter;
* rate limits: every response refreshes :attr:`Connection.rate_limit`; a 429 is waited out and sent
  again up to ``rate_limit_wait`` seconds in all; optional pacing spreads requests over the window;
* redirects are never followed, and credentials only go to the configured API and auth origins;
* one DEBUG log record per attempt on the ``bigcommerce`` logger, never with credentials.

:meth:`Connection._run` then maps the answer to Python values or to the exceptions of
:mod:`bigcommerce.exception`.
"""
from __future__ import annotations

import json
import logging
import os
import random
import sys
import threading
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.exceptions import ConnectTimeout

from bigcommerce import __version__
from bigcommerce.exception import (
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
    "callback_args": (),
}


# --------------------------------------------------------------------------------------------------
# The retry policy: one function, tested by a table (tests/test_retry_policy.py).

def _was_not_sent(error: BaseException) -> bool:
    """True when the request certainly never reached the server (no connection was made)."""
    if isinstance(error, ConnectTimeout):
        return True
    if isinstance(error, requests.exceptions.ConnectionError):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        # urllib3 reports a refused or unreachable connect as NewConnectionError.
        return type(reason).__name__ in ("NewConnectionError", "ConnectTimeoutError", "NameResolutionError")
    return False


def should_retry(method: str, attempt: int, max_retries: int, *, status: Optional[int] = None,
                 error: Optional[BaseException] = None) -> bool:
    """Whether attempt number ``attempt`` (0-based) of ``method`` may be sent again.

    * nothing is retried once ``max_retries`` retries have been made;
    * a request that never left (connect failed or timed out) is retried whatever its method;
    * GET, HEAD, PUT, DELETE and OPTIONS are retried on any connection error, read timeout and on
      502, 503 and 504: sending them twice has the same effect as once;
    * POST is never retried after it may have reached the server, so a create is never duplicated.

    429s are not decided here: they were not processed, so the transport waits them out on its own budget.
    """
    if attempt >= max_retries:
        return False
    if error is not None:
        if _was_not_sent(error):
            return True
        return method in IDEMPOTENT_METHODS and isinstance(
            error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError))
    return status in RETRY_STATUSES and method in IDEMPOTENT_METHODS


def backoff_delay(attempt: int, factor: float = 0.5, cap: float = 8.0) -> float:
    """Seconds to sleep before retry ``attempt`` (0-based): exponential, capped, with full jitter on half."""
    ceiling = min(cap, factor * (2 ** attempt))
    return ceiling * (0.5 + random.random() / 2)


# --------------------------------------------------------------------------------------------------
# Rate-limit headers. Names may arrive in any case; missing or garbled values are simply absent.

_RATE_LIMIT_HEADERS = {
    "ms_until_reset": "x-rate-limit-time-reset-ms",
    "window_size_ms": "x-rate-limit-time-window-ms",
    "requests_remaining": "x-rate-limit-requests-left",
    "requests_quota": "x-rate-limit-requests-quota",
}


def _lowered(headers: Mapping[str, str]) -> Mapping[str, str]:
    if isinstance(headers, requests.structures.CaseInsensitiveDict):
        return headers
    try:
        return {str(k).lower(): v for k, v in headers.items()}
    except AttributeError:
        return {}


def _number(value: Any) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def parse_rate_limit(headers: Mapping[str, str]) -> Dict[str, int]:
    """The ``X-Rate-Limit-*`` headers as a dict; keys whose header is missing or not a number are left out."""
    lowered = _lowered(headers)
    found = {}
    for key, header in _RATE_LIMIT_HEADERS.items():
        number = _number(lowered.get(header))
        if number is not None:
            found[key] = int(number)
    return found


def retry_after_seconds(headers: Mapping[str, str]) -> Optional[float]:
    """Seconds a 429 asks the caller to wait: the window reset, else ``X-Retry-After``, else ``None``."""
    lowered = _lowered(headers)
    reset_ms = _number(lowered.get("x-rate-limit-time-reset-ms"))
    if reset_ms is not None and reset_ms >= 0:
        return reset_ms / 1000.0
    for name in ("x-retry-after", "retry-after"):
        seconds = _number(lowered.get(name))
        if seconds is not None and seconds >= 0:
            return seconds
    return None


# --------------------------------------------------------------------------------------------------

def normalize_origin(value: str, what: str = "host") -> str:
    """``store.example.com`` -> ``https://store.example.com``; a full origin keeps its scheme and port."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a host name or an origin such as https://api.bigcommerce.com")
    value = value.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} {value!r} is not a host name or an http(s) origin")
    return f"{parts.scheme}://{parts.netloc}".lower()


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
        if not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be a whole number >= 0")
        self.max_retries = max_retries
        self.backoff_factor = float(backoff_factor)
        self.rate_limit_wait = float(rate_limit_wait)
        self.pace = bool(pace)
        self.rate_limiting_management = _classic_rate_limit_settings(rate_limiting_management)
        self.auth_service = normalize_origin(auth_service or os.environ.get("BC_AUTH_SERVICE")
                                             or "login.bigcommerce.com", "auth_service")
        self.rate_limit: Dict[str, int] = {}
        self._lock = threading.Lock()
        self._next_slot = 0.0
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
        session.trust_env = False  # proxies/netrc from the environment must not reroute credentials
        return session

    def _set_credentials(self, auth: Optional[Tuple[str, str]]) -> None:
        if auth is not None and (not isinstance(auth, (tuple, list)) or len(auth) != 2):
            raise ValueError("basic_auth must be a (username, api_token) pair")
        self._auth = tuple(auth) if auth is not None else None
        self._session.auth = self._auth

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
        if "://" in url:
            if normalize_origin(url) not in self.allowed_origins:
                raise ForbiddenHostError(
                    f"refusing to send credentials to {urlsplit(url).netloc!r}: only "
                    f"{', '.join(sorted(self.allowed_origins))} are configured")
            return url
        return self.api_root + url.lstrip("/")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.api_root}>"

    def __getstate__(self):
        # Pickles carry configuration, never credentials or the live session.
        state = self.__dict__.copy()
        for key in ("_session", "_lock", "_auth", "access_token", "_client_secret"):
            state.pop(key, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._session = self._new_session()
        self._set_credentials(None)
        if hasattr(type(self), "_set_token"):
            self._set_token(None)

    # -- the classic helpers -----------------------------------------------------------------------

    def get(self, resource: str = "", rid: Any = None, **query) -> Any:
        """GET ``resource`` (or ``resource/rid``); returns the parsed body, ``None`` on 204."""
        return self._run("GET", self._resource_path(resource, rid), params=query)

    def post(self, resource: str, data: Any) -> Any:
        """POST ``data`` as JSON to ``resource``; returns the created object."""
        return self._run("POST", resource, data=data)

    def put(self, resource: str, data: Any) -> Any:
        """PUT ``data`` as JSON to ``resource``; returns the updated object."""
        return self._run("PUT", resource, data=data)

    def delete(self, resource: str, rid: Any = None) -> Any:
        """DELETE ``resource`` (or ``resource/rid``); ``rid=0`` is an id, not "the whole collection"."""
        return self._run("DELETE", self._resource_path(resource, rid))

    @staticmethod
    def _resource_path(resource: str, rid: Any) -> str:
        return resource if rid is None else f"{resource.rstrip('/')}/{_path_segment(rid)}"

    def _run(self, method: str, url: str, data: Any = None, params: Optional[Mapping[str, Any]] = None,
             headers: Optional[Mapping[str, str]] = None, timeout: Optional[Timeout] = None) -> Any:
        """Send one request through the transport and turn the answer into Python data."""
        response = self.make_request(method, url, data=data, params=params, headers=headers, timeout=timeout)
        return self._handle_response(method, url, response)

    # -- the transport -----------------------------------------------------------------------------

    def make_request(self, method: str, url: str, data: Any = None, params: Optional[Mapping[str, Any]] = None,
                     headers: Optional[Mapping[str, str]] = None, timeout: Optional[Timeout] = None
                     ) -> requests.Response:
        """Send a request with the full transport policy and return the final ``requests.Response``.

        The response is returned whatever its status (``_run`` turns statuses into exceptions).
        Raises ``ForbiddenHostError`` for an absolute URL on another origin, and the ``requests``
        exception of the last attempt when the connection keeps failing.
        """
        method = method.upper()
        full_url = self.full_path(url)
        body = _encode_body(data)
        if body is not None and not (headers and any(k.lower() == "content-type" for k in headers)):
            headers = {**(headers or {}), "Content-Type": "application/json"}
        query = encode_query(params)
        timeout = self.timeout if timeout is None else _check_timeout(timeout)
        attempt = 0
        waited = 0.0
        while True:
            if self.pace:
                self._wait_for_slot()
            started = time.monotonic()
            try:
                response = self._session.request(method, full_url, data=body, params=query, headers=headers,
                                                 timeout=timeout, allow_redirects=False)
            except requests.RequestException as error:
                retry = should_retry(method, attempt, self.max_retries, error=error)
                _log_attempt(method, full_url, None, started, attempt, error, retry)
                if not retry:
                    raise
                time.sleep(backoff_delay(attempt, self.backoff_factor))
                attempt += 1
                continue
            status = response.status_code
            self._note_rate_limit(response.headers)
            if status == 429:
                delay = retry_after_seconds(response.headers)
                if delay is None:  # a bare 429 is platform overload: back off anyway
                    delay = backoff_delay(min(attempt, 6), max(self.backoff_factor, 0.1), cap=30.0)
                retry = waited + delay <= self.rate_limit_wait
                _log_attempt(method, full_url, status, started, attempt, None, retry)
                if retry:
                    time.sleep(delay)
                    waited += delay
                    continue
                return response
            retry = should_retry(method, attempt, self.max_retries, status=status)
            _log_attempt(method, full_url, status, started, attempt, None, retry)
            if retry:
                time.sleep(backoff_delay(attempt, self.backoff_factor))
                attempt += 1
                continue
            self._classic_rate_limit_hook()
            return response

    def _note_rate_limit(self, headers: Mapping[str, str]) -> None:
        found = parse_rate_limit(headers)
        if found:
            with self._lock:
                self.rate_limit = {**self.rate_limit, **found}

    def _wait_for_slot(self) -> None:
        """Pacing: spread what is left of the quota evenly over what is left of the window."""
        state = self.rate_limit
        remaining, reset_ms = state.get("requests_remaining"), state.get("ms_until_reset")
        if remaining is None or reset_ms is None:
            return
        interval = (reset_ms / 1000.0) / max(remaining, 1)
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + interval
        if slot > now:
            time.sleep(slot - now)

    def _classic_rate_limit_hook(self) -> None:
        settings = self.rate_limiting_management
        if not settings:
            return
        remaining = self.rate_limit.get("requests_remaining")
        if remaining is None or remaining >= settings["min_requests_remaining"]:
            return
        callback = settings["callback_function"]
        if callback is not None:
            callback(*settings["callback_args"])
        elif settings["wait"]:
            time.sleep(self.rate_limit.get("ms_until_reset", 0) / 1000.0)

    # -- answers -----------------------------------------------------------------------------------

    @staticmethod
    def _handle_response(method: str, url: str, response: requests.Response) -> Any:
        """The parsed body of a 2xx answer (``None`` for 204), or the matching HttpException."""
        status = response.status_code
        path = urlsplit(response.url or url).path or url
        error_class = status_to_exception(status)
        if error_class is not None:
            detail = excerpt(response.content)
            message = f"{method} {path} -> {status} {response.reason or ''}".rstrip()
            raise error_class(f"{message}: {detail}" if detail else message, response)
        content = response.content
        if status == 204 or (not content and method in ("DELETE", "HEAD")):
            return None
        try:
            return json.loads(content)
        except (ValueError, UnicodeDecodeError):
            kind = "an empty body" if not content.strip() else "a body that is not valid JSON"
            raise InvalidResponseException(
                f"{method} {path} -> {status} with {kind}: {excerpt(content)}", response) from None


class OAuthConnection(Connection):
    """A connection for an OAuth app: API root ``{host}/stores/{store_hash}/v2/``.

    ``access_token`` may be left out and obtained later with :meth:`fetch_token`.
    """

    def __init__(self, client_id: str, store_hash: str, access_token: Optional[str] = None,
                 host: str = "api.bigcommerce.com", api_path: str = "/stores/{}/v2/{}",
                 rate_limiting_management: Optional[dict] = None, **options):
        if not client_id or not store_hash:
            raise ValueError("OAuthConnection needs client_id and store_hash")
        self.client_id = client_id
        self.store_hash = store_hash
        super().__init__(host, None, api_path, rate_limiting_management, **options)
        self._set_token(access_token)

    def _set_token(self, access_token: Optional[str]) -> None:
        self.access_token = access_token
        headers = self._session.headers
        headers["X-Auth-Client"] = self.client_id
        if access_token:
            headers["X-Auth-Token"] = access_token
        else:
            headers.pop("X-Auth-Token", None)

    @property
    def api_root(self) -> str:
        return self.host + self.api_path.format(self.store_hash, "")

    @property
    def store_root(self) -> str:
        """``{host}/stores/{store_hash}``: v3 and GraphQL live below it."""
        return f"{self.host}/stores/{self.store_hash}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self.store_hash!r} {self.api_root}>"

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
        response = self.make_request("POST", origin + "/oauth2/token", data=_form(form),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        if response.status_code >= 300 or not response.content:
            server_error = _oauth_error_text(response)
            error_class = status_to_exception(response.status_code) or InvalidResponseException
            raise error_class(f"POST /oauth2/token -> {response.status_code}: {server_error}", response)
        token = self._handle_response("POST", "/oauth2/token", response)
        if not isinstance(token, dict) or not token.get("access_token"):
            raise InvalidResponseException("POST /oauth2/token answered without an access_token", response)
        self._set_token(token["access_token"])
        return token


def _form(fields: Dict[str, str]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(str(v), safe='')}" for k, v in fields.items()).encode()


def _oauth_error_text(response: requests.Response) -> str:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return excerpt(response.content) or "no body"
    if isinstance(body, dict) and body.get("error"):
        text = str(body["error"])
        return f"{text} ({body['error_description']})" if body.get("error_description") else text
    return excerpt(response.content)


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

        body = self._run("POST", self.api_root, data={"query": query, "variables": variables or {}})
        return check_graphql_response(body)


# --------------------------------------------------------------------------------------------------

def _check_timeout(timeout: Timeout) -> Timeout:
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    if not parts or len(parts) > 2 or not all(isinstance(p, (int, float)) and p > 0 for p in parts):
        raise ValueError("timeout must be a positive number of seconds or a (connect, read) pair")
    return timeout


def _classic_rate_limit_settings(settings: Optional[dict]) -> Optional[dict]:
    """The classic ``rate_limiting_management`` dict with defaults filled in, checked once."""
    if settings is None:
        return None
    if not isinstance(settings, dict):
        raise TypeError("rate_limiting_management must be a dict")
    unknown = set(settings) - set(CLASSIC_RATE_LIMIT_DEFAULTS)
    if unknown:
        raise ValueError(f"rate_limiting_management has unknown keys: {', '.join(sorted(unknown))}")
    merged = {**CLASSIC_RATE_LIMIT_DEFAULTS, **settings}
    if merged["callback_function"] is not None and not callable(merged["callback_function"]):
        raise TypeError("rate_limiting_management['callback_function'] must be callable")
    merged["callback_args"] = tuple(merged["callback_args"] or ())
    return merged


def _log_attempt(method: str, url: str, status: Optional[int], started: float, attempt: int,
                 error: Optional[BaseException], retry: bool) -> None:
    if not log.isEnabledFor(logging.DEBUG):
        return
    outcome = status if error is None else type(error).__name__
    log.debug("%s %s -> %s in %.1f ms (attempt %d%s)", method, urlsplit(url).path, outcome,
              (time.monotonic() - started) * 1000, attempt + 1, ", retrying" if retry else "")
