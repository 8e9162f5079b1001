"""The one place where HTTP happens.

``Connection`` (legacy Basic auth) and ``OAuthConnection`` (app tokens) wrap one ``requests.Session``.
Every request of the library, v2, v3, GraphQL or the OAuth token exchange, goes through
:meth:`Connection.send`, in layers, one concern each (the pieces are in :mod:`bigcommerce.transport`):

* ``send``: the retry loop. :func:`~bigcommerce.transport.should_retry` decides, the backoff and the
  429 delay say how long, a :class:`~bigcommerce.transport.CallState` counts, and every wait is
  bounded: ``max_retries`` failures, ``max_rate_limit_retries`` 429s, ``rate_limit_wait`` seconds
  rate limited (measured on the clock: 429 waits, the rate limiter's holds and the classic
  ``rate_limiting_management`` hook), and the call's ``deadline``;
* ``_attempt``: one request. Acquire a slot from the rate limiter (``rate_limiter=``; ``pace=True``
  gives the in-process :class:`~bigcommerce.ratelimit.Pacer`), send, read the body within
  ``max_body_bytes`` and the deadline, record the rate-limit headers, release the slot;
* logging: one DEBUG record per attempt on the ``bigcommerce`` logger, never with credentials;
* errors: :meth:`handle_response` (and :func:`bigcommerce.exception.from_response`, the one
  interpreter) turns answers into values or exceptions; network failures become the library's own
  classes (each also the requests class it replaces), every message redacted.

Redirects are never followed, and credentials only go to the configured API and auth origins.
The clock (``clock=``, with ``now()`` and ``sleep()``) is injected so tests run waits instantly.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple, Union
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from bigcommerce import __version__
from bigcommerce.exception import (
    BigcommerceException,
    DeadlineExceeded,
    ForbiddenHostError,
    HttpException,
    InvalidResponseException,
    NetworkError,
    RateLimitingException,
    excerpt,
    from_response,
    network_error_class,
    parse_json,
    parse_rate_limit,
    redact,
    retry_after_seconds,
    wrap_network_error,
)
from bigcommerce.graphql import check_graphql_response
from bigcommerce.ratelimit import SYSTEM_CLOCK, Clock, Pacer, RateLimiter
from bigcommerce.transport import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RATE_LIMIT_RETRIES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT_WAIT,
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    CallState,
    Hook,
    WaitEvent,
    backoff_delay,
    rate_limit_delay,
    read_body,
    should_retry,
)

__all__ = [
    "Connection",
    "OAuthConnection",
    "GraphQLConnection",
    "should_retry",
    "backoff_delay",
    "retry_after_seconds",
    "parse_rate_limit",
    "DEFAULT_TIMEOUT",
    "WaitEvent",
    "path_segment",
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RATE_LIMIT_WAIT",
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
USER_AGENT = f"bigcommerce-api/{__version__} python-requests/{getattr(requests, '__version__', '')}"

CLASSIC_RATE_LIMIT_DEFAULTS = {
    "min_requests_remaining": 2,
    "wait": True,
    "callback_function": None,
    "callback_args": None,
}
#: Seconds past a window's reset before the classic hook lets the next request go.
_PACE_MARGIN = 0.005
_DEFAULT: Any = object()


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
        raise ValueError(f"{what} {text!r} is not a host name or an http(s) origin such as https://api.bigcommerce.com")
    if ipv6:
        hostname = f"[{hostname}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{hostname}"
    return f"{scheme}://{hostname}:{port}"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def auth_service_origin(value: Optional[str] = None) -> str:
    """The OAuth token service's origin: ``value``, else ``$BC_AUTH_SERVICE``, else BigCommerce's."""
    return normalize_origin(value or os.environ.get("BC_AUTH_SERVICE") or "login.bigcommerce.com", "auth_service")


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


def _json_default(value: Any) -> str:
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


def path_segment(rid: Any) -> str:
    """An id as one escaped path segment: ``0`` stays an id and ``../x`` cannot climb."""
    text = str(rid)
    if text in ("", ".", ".."):
        raise ValueError(f"{rid!r} is not a usable resource id")
    return quote(text, safe="")


class Connection:
    """A connection to a legacy store with Basic auth: API root ``{host}/api/v2/``.

    ``host`` is a host name (https assumed) or a full origin; ``auth`` is ``(username, api_token)``.
    Keyword options (shared with :class:`OAuthConnection`; docs/reliability.rst has every bound):

    ``timeout``
        seconds or ``(connect, read)``; ``deadline``: total seconds per call (default None: none);
    ``max_retries``, ``backoff_factor``
        retries after failures (see :func:`should_retry`) and their backoff;
    ``rate_limit_wait``, ``max_rate_limit_retries``
        seconds a call may spend rate limited, and 429s it waits out, before ``RateLimitingException``;
    ``pace``, ``rate_limiter``
        ``pace=True`` drains the window then waits for its reset (a :class:`~bigcommerce.ratelimit.Pacer`);
        ``rate_limiter=`` any :class:`~bigcommerce.ratelimit.RateLimiter` (a Redis one, say);
    ``rate_limiting_management``
        the classic dict;
    ``max_body_bytes``
        the largest decoded body read (default 256 MB);
    ``on_retry``, ``on_rate_limit``
        callables given a :class:`~bigcommerce.transport.WaitEvent` before each wait;
    ``session``
        a ``requests.Session`` to send with (mount your own adapters on it);
    ``clock``
        ``now()``/``sleep()`` (tests pass a fake one); ``auth_service``, ``pool_size``.
    """

    def __init__(
        self,
        host: str,
        auth: Optional[Tuple[str, str]] = None,
        api_path: str = "/api/v2/{}",
        rate_limiting_management: Optional[Dict[str, Any]] = None,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff_factor: float = 0.5,
        rate_limit_wait: float = DEFAULT_RATE_LIMIT_WAIT,
        max_rate_limit_retries: int = DEFAULT_MAX_RATE_LIMIT_RETRIES,
        pace: bool = False,
        rate_limiter: Optional[RateLimiter] = None,
        deadline: Optional[float] = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        on_retry: Optional[Hook] = None,
        on_rate_limit: Optional[Hook] = None,
        session: Optional[requests.Session] = None,
        clock: Optional[Clock] = None,
        auth_service: Optional[str] = None,
        pool_size: int = 32,
    ):
        self.host = normalize_origin(host, "host")
        self.api_path = api_path
        self.timeout = _check_timeout(timeout)
        self.max_retries = _whole(max_retries, "max_retries")
        self.max_rate_limit_retries = _whole(max_rate_limit_retries, "max_rate_limit_retries")
        self.backoff_factor = _non_negative(backoff_factor, "backoff_factor")
        self.rate_limit_wait = _non_negative(rate_limit_wait, "rate_limit_wait")
        self.deadline = None if deadline is None else _positive(deadline, "deadline")
        if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int) or max_body_bytes < 1:
            raise ValueError("max_body_bytes must be a whole number of bytes >= 1")
        self.max_body_bytes = max_body_bytes
        self.rate_limiting_management = _classic_rate_limit_settings(rate_limiting_management)
        self.auth_service = auth_service_origin(auth_service)
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.on_retry = on_retry
        self.on_rate_limit = on_rate_limit
        if rate_limiter is not None and not isinstance(rate_limiter, RateLimiter):
            raise TypeError("rate_limiter must have acquire(key, max_wait) and release(key, headers, status)")
        self.pace = bool(pace) or rate_limiter is not None
        self.rate_limiter: Optional[RateLimiter] = rate_limiter
        if rate_limiter is None and pace:
            self.rate_limiter = Pacer(self.clock, on_wait=self._pacer_waits)
        #: The last rate-limit state the API reported (see :func:`parse_rate_limit`); replaced, never
        #: mutated, so a reader always sees one consistent dict.
        self.rate_limit: Dict[str, int] = {}
        self._rate_limit_seen = 0.0  # clock time when rate_limit was last refreshed
        self._lock = threading.Lock()
        self._pool_size = pool_size
        self._own_session = session is None
        self._session = self._new_session() if session is None else self._adopt_session(session)
        self._set_credentials(auth)

    # -- configuration -----------------------------------------------------------------------------

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self._pool_size, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update(_SESSION_HEADERS)
        # requests would consult the environment (proxies, ~/.netrc, CA bundle) on every request: that
        # costs time per call and could attach netrc credentials. Read proxies and the CA bundle once.
        session.trust_env = False
        session.proxies.update(_environment_proxies(self.host))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
        return session

    @staticmethod
    def _adopt_session(session: requests.Session) -> requests.Session:
        """A caller's session: its adapters and settings stay; our headers fill what it lacks."""
        if not isinstance(session, requests.Session):
            raise TypeError("session must be a requests.Session")
        session.trust_env = False  # never pick up ~/.netrc credentials for the store
        defaults = requests.utils.default_headers()
        for name, value in _SESSION_HEADERS.items():
            if session.headers.get(name) in (None, defaults.get(name)):  # missing, or requests' default
                session.headers[name] = value
        return session

    @property
    def pool_size(self) -> int:
        """The most connections the connection's own session keeps open to one origin (``pool_size=``)."""
        return self._pool_size

    @property
    def session(self) -> requests.Session:
        """The ``requests.Session`` every request goes through (``session=``, or the connection's own)."""
        return self._session

    def _set_credentials(self, auth: Optional[Tuple[str, str]]) -> None:
        if auth is not None and (not isinstance(auth, (tuple, list)) or len(auth) != 2):
            raise ValueError("basic_auth must be a (username, api_token) pair")
        self._auth = (str(auth[0]), str(auth[1])) if auth is not None else None
        self._session.auth = self._auth

    def _secrets(self) -> Tuple[str, ...]:
        """The credentials this connection holds, for scrubbing text that leaves it."""
        if self._auth and self._auth[1]:
            return (str(self._auth[1]),)
        return ()

    def redact(self, text: str, *extra: Optional[str]) -> str:
        """``text`` without this connection's credentials (nor ``extra`` secrets, nor anything that
        looks like an ``Authorization`` field)."""
        return redact(text, (*self._secrets(), *extra))

    @property
    def rate_limit_key(self) -> str:
        """The key the rate limiter counts this connection's requests under: the store's host."""
        return self.host

    @property
    def api_root(self) -> str:
        """The absolute URL every relative resource path is resolved against."""
        return self.host + self.api_path.format("")

    @property
    def allowed_origins(self) -> FrozenSet[str]:
        """Origins that may receive this connection's credentials."""
        return frozenset({self.host, self.auth_service})

    def full_path(self, url: str) -> str:
        """The absolute URL for ``url``: a path relative to the API root, or an allowed absolute URL."""
        if "//" in url:  # cheap test first: relative paths are the hot path
            try:
                parts: Any = urlsplit(url)
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
                        f"{', '.join(sorted(self.allowed_origins))} receive them"
                    )
                return url
        return self.api_root + url.lstrip("/")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.api_root}>"

    def __getstate__(self) -> Dict[str, Any]:
        # Pickles carry configuration, never credentials, the live session, hooks or the limiter.
        state = self.__dict__.copy()
        for key in (
            "_session",
            "_lock",
            "_auth",
            "_access_token",
            "rate_limiter",
            "clock",
            "on_retry",
            "on_rate_limit",
        ):
            state.pop(key, None)
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._rate_limit_seen = 0.0  # monotonic clocks do not travel between processes
        self.clock = SYSTEM_CLOCK
        self.on_retry = self.on_rate_limit = None
        self.rate_limiter = Pacer(self.clock, on_wait=self._pacer_waits) if self.pace else None
        self._own_session = True
        self._session = self._new_session()
        self._set_credentials(None)
        if isinstance(self, OAuthConnection):
            self._set_token(None)

    # -- the classic helpers (each is one make_request call) ------------------------------------------

    def get(self, resource: str = "", rid: Any = None, **query: Any) -> Any:
        """GET ``resource`` (or ``resource/rid``); returns the parsed body, ``None`` on 204."""
        return self.make_request("GET", self.resource_path(resource, rid), None, query, None)

    def update(self, resource: str, rid: Any, updates: Any) -> Any:
        """PUT ``updates`` to ``resource/rid``; returns the updated object."""
        return self.put(self.resource_path(resource, rid), updates)

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
        return self.make_request("DELETE", self.resource_path(resource, rid), None, None, None)

    @staticmethod
    def resource_path(resource: str, rid: Any) -> str:
        """``resource`` or ``resource/rid``, the id escaped as one path segment."""
        return resource if rid is None else f"{resource.rstrip('/')}/{path_segment(rid)}"

    # -- the transport: the call -------------------------------------------------------------------

    def make_request(
        self,
        method: str,
        url: str,
        data: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        timeout: Optional[Timeout] = None,
        *,
        deadline: Optional[float] = _DEFAULT,
    ) -> Any:
        """The classic choke point: send one request and return the parsed body (``None`` for a 204).

        Every resource operation calls it positionally, as the classic client did:
        ``make_request('GET', 'orders', None, {'limit': 3}, None)``. Statuses of 300 and above raise
        the exceptions of :mod:`bigcommerce.exception` (see :meth:`handle_response`); see :meth:`send`
        for the network failures.
        """
        return self.handle_response(
            method.upper(), url, self.send(method, url, data, params, headers, timeout=timeout, deadline=deadline)
        )

    def send(
        self,
        method: str,
        url: str,
        data: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        timeout: Optional[Timeout] = None,
        *,
        deadline: Optional[float] = _DEFAULT,
    ) -> requests.Response:
        """Send a request with the full transport policy and return the final ``requests.Response``.

        ``url`` is a path relative to the API root or an absolute URL on the API or auth origin; ``data``
        is sent as JSON (bytes and str as they are); ``timeout`` and ``deadline`` (total seconds, None
        for none) override the connection's for this call. The response is returned whatever its
        status (:meth:`make_request` turns statuses into exceptions), with ``response.call_stats``
        (:class:`~bigcommerce.exception.CallStats`). A 429 is waited out within the call's bounds,
        after which the 429 response itself is returned.

        Raises ``ForbiddenHostError`` (before anything is sent) for an absolute URL on another origin;
        :class:`~bigcommerce.exception.NetworkError` subclasses (each also the requests exception it
        stands for: ``ConnectionFailed`` is a ``requests.exceptions.ConnectionError``...) when no usable
        answer arrives; ``RateLimitingException`` when the rate limiter gives no slot within the
        budget; ``ResponseTooLarge`` for a body past ``max_body_bytes``.
        """
        method = method.upper()
        full_url = self.full_path(url)
        body = _encode_body(data)
        if body is not None and not (headers and any(k.lower() == "content-type" for k in headers)):
            headers = {**(headers or {}), "Content-Type": "application/json"}
        query = encode_query(params)
        timeout = self.timeout if timeout is None else _check_timeout(timeout)
        if deadline is _DEFAULT:
            deadline = self.deadline
        elif deadline is not None:
            deadline = _positive(deadline, "deadline")
        started = self.clock.now()
        call = CallState(method, urlsplit(full_url).path, started, None if deadline is None else started + deadline)
        while True:
            failure: Optional[BaseException] = None
            response: Optional[requests.Response] = None
            try:
                response = self._attempt(call, full_url, body, query, headers, timeout)
            except requests.RequestException as error:
                failure = error
            except BigcommerceException as error:  # ResponseTooLarge, a refused slot: final
                _count_into(error, call)
                raise
            delay, reason = self._next_wait(call, response, failure)
            self._log(call, response, failure, delay)
            if delay is None:
                break
            if response is not None:
                response.close()
            self._wait(call, delay, reason)
        now = self.clock.now()
        if failure is not None or response is None:
            raised = wrap_network_error(
                failure or ConnectionError(),
                method,
                call.path,
                secrets=self._secrets(),
                attempts=call.attempts,
                waited=call.waited,
            )
            # raised outside the except block: requests' text (and its secrets) stays out of the chain
            raise raised
        if self.rate_limiting_management is not None:
            self._classic_rate_limit_hook(call)
        response.call_stats = call.stats(now)  # type: ignore[attr-defined]
        return response

    def _next_wait(
        self, call: CallState, response: Optional[requests.Response], failure: Optional[BaseException]
    ) -> Tuple[Optional[float], str]:
        """The retry decision: (seconds to wait before sending again, reason), or (None, "") to stop."""
        now = self.clock.now()
        if failure is not None:
            if not should_retry(call.method, call.failures, self.max_retries, error=failure):
                return None, ""
            delay = backoff_delay(call.failures, self.backoff_factor)
            reason = network_error_class(failure).__name__
            call.failures += 1
        elif response is not None and response.status_code == 429:
            if call.limited_since is None:
                call.limited_since = call.attempt_started  # a slow 429 counts from its sending
            delay = rate_limit_delay(response.headers, call.throttled, self.backoff_factor)
            if (
                call.throttled >= self.max_rate_limit_retries
                or call.rate_limited_for(now) + delay > self.rate_limit_wait
            ):
                return None, ""
            reason = "429"
            call.throttled += 1
        elif response is not None and should_retry(
            call.method, call.failures, self.max_retries, status=response.status_code
        ):
            delay = backoff_delay(call.failures, self.backoff_factor)
            reason = str(response.status_code)
            call.failures += 1
        else:
            return None, ""
        if call.deadline is not None and now + delay > call.deadline:
            return None, ""
        return delay, reason

    def _wait(self, call: CallState, seconds: float, reason: str) -> None:
        """Every wait of a call goes through here: the hook is told, the clock measures it."""
        event = WaitEvent(reason, seconds, call.method, call.path, call.attempts)
        call.waits.append(event)
        self._emit(event)
        before = self.clock.now()
        self.clock.sleep(seconds)
        call.waited += self.clock.now() - before

    def _emit(self, event: WaitEvent) -> None:
        hook = self.on_rate_limit if event.rate_limited else self.on_retry
        if hook is not None:
            hook(event)

    def _pacer_waits(self, key: str, seconds: float) -> None:
        self._emit(WaitEvent("pace", seconds))

    # -- the transport: one attempt ----------------------------------------------------------------

    def _attempt(
        self, call: CallState, url: str, body: Optional[bytes], query: Any, headers: Any, timeout: Timeout
    ) -> requests.Response:
        """One request: a slot from the rate limiter, send, read within limits, record, release."""
        clock = self.clock
        limiter = self.rate_limiter
        if limiter is not None:
            before = clock.now()
            budget = call.left(before, self.rate_limit_wait)
            granted = limiter.acquire(self.rate_limit_key, budget)
            now = clock.now()
            if now - before > 0.0005:  # the limiter held the request: that is rate-limited time
                if call.limited_since is None:
                    call.limited_since = before
                call.waited += now - before
            if not granted:
                raise RateLimitingException(
                    f"{call.method} {call.path}: the rate limiter gave no slot within the call's "
                    f"budget ({budget:.1f} s left)",
                    None,
                    method=call.method,
                    path=call.path,
                    attempts=call.attempts,
                    waited=call.waited,
                )
        call.attempt_started = clock.now()
        call.attempts += 1
        timeout = self._attempt_timeout(call, timeout)
        status: Optional[int] = None
        answer_headers: Optional[Mapping[str, str]] = None
        try:
            response = self._session.request(
                call.method,
                url,
                data=body,
                params=query,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            )
            status, answer_headers = response.status_code, response.headers
            read_body(response, self.max_body_bytes, clock, call.deadline)
        finally:
            if limiter is not None:
                limiter.release(self.rate_limit_key, answer_headers, status)
        self._note_rate_limit(response.headers)
        return response

    def _attempt_timeout(self, call: CallState, timeout: Timeout) -> Timeout:
        """The request's timeout, cut to what is left of the call's deadline."""
        if call.deadline is None:
            return timeout
        left = call.deadline - self.clock.now()
        if left <= 0:
            raise DeadlineExceeded(
                f"{call.method} {call.path}: the call's deadline passed", method=call.method, path=call.path
            )
        if isinstance(timeout, tuple):
            return (min(timeout[0], left), min(timeout[1], left))
        return min(timeout, left)

    def _note_rate_limit(self, headers: Mapping[str, str]) -> None:
        """Refresh :attr:`rate_limit` from one response's headers (any case; partial is fine)."""
        found = parse_rate_limit(headers)
        if found:
            with self._lock:
                self.rate_limit = found if len(found) == 4 else {**self.rate_limit, **found}
                self._rate_limit_seen = self.clock.now()

    def _log(
        self,
        call: CallState,
        response: Optional[requests.Response],
        failure: Optional[BaseException],
        delay: Optional[float],
    ) -> None:
        """One DEBUG record per attempt: method, path (never the query or credentials), outcome,
        duration, and the wait before the next attempt."""
        if not log.isEnabledFor(logging.DEBUG):
            return
        if failure is not None:
            outcome: Any = network_error_class(failure).__name__
        else:
            outcome = response.status_code if response is not None else "?"
        log.debug(
            "%s %s -> %s in %.1f ms (attempt %d%s)",
            call.method,
            call.path,
            outcome,
            (self.clock.now() - call.attempt_started) * 1000,
            call.attempts,
            f", retrying in {delay:.3f} s" if delay is not None else "",
        )

    def _classic_rate_limit_hook(self, call: CallState) -> None:
        """The classic ``rate_limiting_management``: when the requests left in the window drop to
        ``min_requests_remaining`` or below, sleep until the window resets (``wait``; never past the
        call's rate-limit budget or deadline), then call ``callback_function`` (with
        ``callback_args`` as its one argument, when given)."""
        settings = self.rate_limiting_management
        assert settings is not None
        state = self.rate_limit
        remaining = state.get("requests_remaining")
        if remaining is None or remaining > settings["min_requests_remaining"]:
            return
        if settings["wait"]:
            reset_ms = state.get("ms_until_reset")
            if reset_ms is not None:
                now = self.clock.now()
                left = self._rate_limit_seen + reset_ms / 1000.0 - now + _PACE_MARGIN
                if call.limited_since is None:
                    call.limited_since = now
                left = min(left, call.left(now, self.rate_limit_wait))
                if left > 0:
                    self._wait(call, left, "classic")
        callback = settings["callback_function"]
        if callback is not None:
            if settings["callback_args"]:
                callback(settings["callback_args"])
            else:
                callback()

    # -- answers -----------------------------------------------------------------------------------

    def handle_response(self, method: str, url: str, response: requests.Response, *, dialect: str = "v2") -> Any:
        """The parsed body of a 2xx answer (``None`` for a 204, or an empty DELETE/HEAD answer).

        Raises what :func:`~bigcommerce.exception.from_response` gives for the answer in ``dialect``
        (``"v2"``, ``"v3"``: a 207 raises ``PartialSuccess``; ``"graphql"``: ``errors`` raise
        ``GraphQLError``; ``"oauth"``): the class of
        :func:`~bigcommerce.exception.status_to_exception` for a 3xx, 4xx or 5xx (a 429 here has
        already outlasted the call's bounds), and ``InvalidResponseException`` for a 2xx whose body
        is empty, truncated, not JSON or nested too deep.
        """
        status = response.status_code
        path = urlsplit(response.url or url).path or url
        if status >= 300 or dialect == "graphql" or (dialect == "v3" and status == 207):
            error = from_response(method, path, response, dialect, secrets=self._secrets())
            if error is not None:
                raise error
        content = response.content
        if status == 204 or (not content and method in ("DELETE", "HEAD")):
            return None
        try:
            return parse_json(content)
        except ValueError as problem:
            kind = (
                "an empty body"
                if not content.strip()
                else "a body nested too deep to parse"
                if "deep" in str(problem)
                else "a body that is not valid JSON"
            )
        message = f"{method} {path} -> {status} with {kind}"
        detail = excerpt(content)
        if detail:
            message = f"{message}: {detail}"
        raise InvalidResponseException(self.redact(message), response, method=method, path=path, errors=None)


def _count_into(error: BaseException, call: CallState) -> None:
    """Give a final library exception the call's counts, if it has none yet."""
    if isinstance(error, (HttpException, NetworkError)):
        if error.attempts is None:
            error.attempts = call.attempts
        if error.waited is None:
            error.waited = call.waited


_SESSION_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": USER_AGENT,
}


class OAuthConnection(Connection):
    """A connection for an OAuth app: API root ``{host}/stores/{store_hash}/v2/``.

    ``access_token`` may be left out and obtained later with :meth:`fetch_token`.
    """

    def __init__(
        self,
        client_id: str,
        store_hash: str,
        access_token: Optional[str] = None,
        host: str = "api.bigcommerce.com",
        api_path: str = "/stores/{}/v2/{}",
        rate_limiting_management: Optional[Dict[str, Any]] = None,
        **options: Any,
    ):
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
            raise ValueError(
                "client_id and store_hash are empty placeholders: pass the app's client_id "
                "and the store's store_hash before making requests"
            )
        return self.host + self.api_path.format(self.store_hash, "")

    @property
    def store_root(self) -> str:
        """``{host}/stores/{store_hash}``: v3 and GraphQL live below it."""
        return f"{self.host}/stores/{self.store_hash}"

    @property
    def rate_limit_key(self) -> str:
        """The key the rate limiter counts this connection's requests under: the store hash."""
        return self.store_hash or self.host

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self.store_hash!r} {self.host}>"

    def fetch_token(
        self,
        client_secret: str,
        code: str,
        context: str,
        scope: str,
        redirect_uri: str,
        login_host: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Exchange an install callback's ``code`` for an access token and start using it.

        Returns the token response (``access_token``, ``scope``, ``user``, ``context``...).
        Raises ``ClientRequestException`` with the server's ``error`` text when the exchange is refused.
        """
        origin = normalize_origin(login_host, "login_host") if login_host else self.auth_service
        if origin not in self.allowed_origins:
            raise ForbiddenHostError(f"{origin!r} is not the configured auth service")
        form = {
            "client_id": self.client_id,
            "client_secret": client_secret,
            "code": code,
            "context": context,
            "scope": scope,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        }
        # The login service needs no API token: the X-Auth-Token of a previous install stays home.
        response = self.send(
            "POST",
            origin + "/oauth2/token",
            data=_form(form),
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Auth-Token": None},
        )
        error = from_response(
            "POST", "/oauth2/token", response, "oauth", secrets=(*self._secrets(), client_secret, code)
        )
        if error is not None:
            raise error
        status = response.status_code
        try:
            token = parse_json(response.content) if status != 204 else None
        except ValueError:
            token = None
        # Never quote this body: a truncated answer may still hold the new access token.
        if not isinstance(token, dict) or not token.get("access_token"):
            raise InvalidResponseException(
                f"POST /oauth2/token -> {status} without a readable access_token",
                response,
                method="POST",
                path="/oauth2/token",
                errors=None,
            )
        self._set_token(token["access_token"])
        return token

    def _secrets(self) -> Tuple[str, ...]:
        return (self.access_token,) if self.access_token else ()

    # -- the classic payload checks (the logic is in bigcommerce.oauth) -------------------------------

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


class GraphQLConnection(OAuthConnection):
    """An OAuth connection whose root is the store's GraphQL Admin endpoint.

    :meth:`query` posts a query and returns the response's ``data``; a response with ``errors``
    (even with HTTP 200) raises :class:`bigcommerce.graphql.GraphQLError`.
    """

    def __init__(
        self,
        client_id: str,
        store_hash: str,
        access_token: Optional[str] = None,
        host: str = "api.bigcommerce.com",
        api_path: str = "/stores/{}/graphql",
        **options: Any,
    ):
        super().__init__(client_id, store_hash, access_token, host, api_path, **options)

    def query(self, query: str, variables: Optional[Dict[str, Any]] = None) -> Any:
        """Run a GraphQL query against the store and return its ``data``."""
        body = self.make_request("POST", self.api_root, {"query": query, "variables": variables or {}}, None, None)
        return check_graphql_response(body)

    # -- the classic client's schema query -----------------------------------------------------------

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


# -- configuration helpers: option checks, the environment -----------------------------------------


def _check_timeout(timeout: Timeout) -> Timeout:
    """A timeout as requests takes it: positive seconds, or a ``(connect, read)`` pair of them."""
    parts = tuple(timeout) if isinstance(timeout, (tuple, list)) else (timeout,)
    if (
        not parts
        or len(parts) > 2
        or not all(isinstance(p, (int, float)) and not isinstance(p, bool) and 0 < p < float("inf") for p in parts)
    ):
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


def _classic_rate_limit_settings(settings: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
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
        raise ValueError(
            f"rate_limiting_management has unknown keys: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(CLASSIC_RATE_LIMIT_DEFAULTS)}"
        )
    merged = {**CLASSIC_RATE_LIMIT_DEFAULTS, **settings}
    if merged["callback_function"] is not None and not callable(merged["callback_function"]):
        raise TypeError(
            "rate_limiting_management['callback_function'] must be callable, got "
            f"{type(merged['callback_function']).__name__}"
        )
    minimum = merged["min_requests_remaining"]
    if isinstance(minimum, bool) or not isinstance(minimum, int):
        raise TypeError("rate_limiting_management['min_requests_remaining'] must be a whole number")
    merged["wait"] = bool(merged["wait"])
    return merged


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0")
    return value


def _positive(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive, finite number of seconds")
    return float(value)
