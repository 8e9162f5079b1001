"""The HTTP side of the sandbox: a threaded HTTP/1.1 keep-alive server in front of a ``Core``.

``Core`` holds everything a running store has (config, data, lock, faults, rate-limit window,
request log, install codes) and ``Handler`` turns one HTTP request into a ``routes`` call. The hot
path does no logging and builds each response as one bytes object written with one ``sendall``.
"""

from __future__ import annotations

import base64
import binascii
import collections
import gzip
import hmac
import json
import math
import os
import pickle
import re
import socket
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Deque, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple, Union
from urllib.parse import parse_qsl

from . import access, routes
from .faults import HTML_ERROR, HTML_PAGE, Fault, FaultQueue
from .store import ApiError, StoreState, error_object, seed_reference, to_json_bytes

UNLIMITED_QUOTA = 1000000  # what the headers say when rate_limit=None
DEFAULT_CLIENT_SECRET = "sandbox-client-secret-0123456789abcdef"  # >= 32 bytes, as HS256 wants
_REASONS = dict(BaseHTTPRequestHandler.responses)
_HEX = re.compile(rb"[0-9A-Fa-f]{1,8}")  # a chunk size: hex digits only, at most 4 GiB - 1
_REASONS[509] = ("Bandwidth Limit Exceeded", "The legacy API's answer to a spent request limit.")


DEFAULT_REDIRECT_URI = "https://app.example.com/auth"  # the sandbox app's registered redirect_uri


class Config:
    """Settings of one sandbox store (see ``Sandbox`` for the meaning of each)."""

    def __init__(
        self,
        store_hash: str = "sandbox",
        client_id: str = "sandbox-client",
        client_secret: str = DEFAULT_CLIENT_SECRET,
        access_token: str = "sandbox-token",
        basic_auth: Optional[Tuple[str, str]] = ("admin", "sandbox-basic-token"),
        latency_ms: float = 0,
        rate_limit: Optional[Tuple[int, int]] = None,
        state_path: Optional[str] = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        products: int = 0,
        customers: int = 0,
        orders: int = 0,
        record: Union[bool, int, None] = None,
        max_body: int = 4 * 1024 * 1024,
        owner_id: int = 1,
        owner_email: str = "owner@example.com",
        gzip: bool = False,
        basic_rate_limit: Optional[Tuple[int, int]] = None,
        request_timeout: float = 5.0,
        redirect_uri: str = DEFAULT_REDIRECT_URI,
        install_tokens: Sequence[str] = (),
    ) -> None:
        self.store_hash = store_hash
        self.client_id = client_id
        self.client_secret = client_secret
        self.access_token = access_token
        self.basic_auth = tuple(basic_auth) if basic_auth else None
        self.latency_ms = latency_ms
        self.rate_limit = tuple(rate_limit) if rate_limit else None
        self.state_path = state_path
        self.host = host
        self.port = port
        self.seed = seed
        self.products = products
        self.customers = customers
        self.orders = orders
        self.record = record_size(record)  # 0: no request log; N: keep the last N requests
        self.request_timeout = float(request_timeout)  # seconds to receive one request's head+body
        self.redirect_uri = redirect_uri  # the app's registered redirect_uri (token exchange)
        self.install_tokens = list(install_tokens)  # pinned install tokens (tests); else random
        self.max_body = max_body
        self.owner_id = owner_id
        self.owner_email = owner_email
        self.gzip = gzip
        self.basic_rate_limit = tuple(basic_rate_limit) if basic_rate_limit else None
        self.url = ""  # set once the socket is bound


RECORD_SIZE = 10000  # requests kept by record=True (a ring: the oldest are dropped)
RECORD_ENV = "BIGCOMMERCE_SANDBOX_RECORD"  # "1" (or a size) turns the log on when record=None


def record_size(record: Any) -> int:
    """How many requests the log keeps: ``record`` True -> RECORD_SIZE, an int -> that many,
    False/0 -> none; None -> from ``$BIGCOMMERCE_SANDBOX_RECORD`` (off when unset; "1" or
    "true" -> RECORD_SIZE; another number -> that many)."""
    if record is None:
        text = os.environ.get(RECORD_ENV, "").strip().lower()
        if text in ("", "0", "false", "no", "off"):
            return 0
        record = int(text) if text.isdigit() and text != "1" else True  # "1": on
    if record is True:
        return RECORD_SIZE
    if record is False:
        return 0
    if isinstance(record, int) and record >= 0:
        return record
    raise ValueError("record must be a bool or a non-negative number of requests")


class StateFileError(ValueError):
    """The ``state`` file exists but is not a sandbox state (the message is one line)."""


class Headers(Dict[str, Any]):
    """A dict of request headers with case-insensitive lookup (``h["x-auth-token"]``)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self._lower = {key.lower(): key for key in self}

    def _key(self, key: Any) -> Any:
        return self._lower.get(key.lower(), key) if isinstance(key, str) else key

    def __getitem__(self, key: Any) -> Any:
        return dict.__getitem__(self, self._key(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self, self._key(key), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._lower


class RecordedRequest(NamedTuple):
    """A request the sandbox answered or processed, as kept in ``Sandbox.requests``."""

    method: str
    path: str
    query: Dict[str, str]
    headers: Headers
    body: bytes
    json: Any
    status: int


def rate_limit_headers(window_ms: int, reset_ms: int, quota: int, left: int, retry: bool) -> Dict[str, str]:
    """The ``X-Rate-Limit-*`` headers (and ``X-Retry-After`` when ``retry``)."""
    headers = {
        "X-Rate-Limit-Time-Window-Ms": str(window_ms),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "X-Rate-Limit-Requests-Quota": str(quota),
        "X-Rate-Limit-Requests-Left": str(left),
    }
    if retry:
        headers["X-Retry-After"] = str(max(1, math.ceil(reset_ms / 1000.0)))
    return headers


class _Window:
    """A fixed rate window: requests counted against a quota until ``window_ms`` have passed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._used = 0

    def restart(self) -> None:
        with self._lock:
            self._start, self._used = time.monotonic(), 0

    def count(self, quota: int, window_ms: int, consume: bool) -> Tuple[bool, int, float]:
        """(allowed, requests left, ms into the window); ``consume`` counts an allowed request."""
        with self._lock:
            now = time.monotonic()
            elapsed_ms = (now - self._start) * 1000.0
            if elapsed_ms >= window_ms:
                self._start, self._used, elapsed_ms = now, 0, 0.0
            allowed = self._used < quota
            if consume and allowed:
                self._used += 1
            return allowed, max(quota - self._used, 0), elapsed_ms


class Core:
    """The running store: data, lock, faults, limits, log. Shared by all handler threads."""

    def __init__(self, config: Config):
        self.config = config
        self.lock = threading.RLock()
        self.faults = FaultQueue()
        self.requests: Deque[RecordedRequest] = collections.deque(maxlen=config.record or 1)
        self.connections = 0
        self.save_lock = threading.Lock()  # one save at a time, so files land in state order
        self.throttled: Dict[str, int] = {}  # 429s sent, per client id
        self.served: Dict[str, int] = {}  # requests answered, per client id
        self.router = routes.build_router(extension_rows())
        self.issued: List[str] = []  # tokens minted by installs and still valid, oldest first
        self.minted: List[str] = []  # every token installs handed out
        self.tokens = access.TokenTable()
        self.tokens.add(access.Token(config.access_token, config.client_id, access.ALL, config.owner_id))
        self.codes: Dict[str, Dict[str, str]] = {}
        self.used_jti: Set[Any] = set()
        self.sockets: Set[socket.socket] = set()
        self._window = _Window()  # OAuth requests (rate_limit)
        self._basic_window = _Window()  # Basic-auth requests (basic_rate_limit)
        self.state = self._initial_state()
        # the seeded state, pickled: reset() rebuilds from it several times faster than from JSON
        self._snapshot = pickle.dumps(self.state.to_json(), protocol=pickle.HIGHEST_PROTOCOL)
        self.saved_text = self.state.dumps() if config.state_path else ""  # what the file holds
        # True once anything may have changed the data (any request but GET/HEAD, add_products);
        # a state file loaded at start may differ from the seed, so it counts as changed
        self.dirty = bool(config.state_path)
        self._basic: Optional[str] = None
        if config.basic_auth:
            raw = ("{}:{}".format(*config.basic_auth)).encode()
            self._basic = "Basic " + base64.b64encode(raw).decode()

    # state ----------------------------------------------------------------------------------
    def _initial_state(self) -> StoreState:
        path = self.config.state_path
        if path and os.path.exists(path):
            try:
                with open(path, "r", encoding="utf-8") as handle:
                    return StoreState.loads(handle.read())
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise StateFileError(f"state file {path} cannot be loaded: {reason}") from None
        return self.seeded_state()

    def seeded_state(self) -> StoreState:
        from .demo import EPOCH, seed_demo

        config = self.config
        state = StoreState()
        seed_reference(state, EPOCH)
        seed_demo(state, config.products, config.customers, config.orders, config.seed)
        return state

    def reset(self) -> None:
        """Back to the state the store started with; faults, log, codes and limits cleared."""
        with self.lock:
            if self.dirty:  # nothing was written since the last reset: the data is as seeded
                self.state = StoreState.from_json(pickle.loads(self._snapshot))
                self.dirty = False
            self.faults.clear()
            self.requests.clear()
            self.throttled.clear()
            self.served.clear()
            self.codes.clear()
            self.used_jti.clear()
            self._window.restart()
            self._basic_window.restart()
            self.save()

    def save(self) -> None:
        """Write the state file atomically (temp file in the same directory, fsync, os.replace).

        Saves are serialized and each one writes the state as it is when that save starts, so the
        file only ever moves forward: a save never replaces a newer state with an older one."""
        path = self.config.state_path
        if not path:
            return
        with self.save_lock:
            with self.lock:
                text = self.state.dumps()
            self._write(path, text)
            self.saved_text = text

    def restore_saved(self) -> None:
        """Undo what the state file does not hold (after a failed save)."""
        with self.lock:
            self.state = StoreState.loads(self.saved_text)

    @staticmethod
    def _write(path: str, text: str) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=".sandbox-state-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            _fsync_directory(directory)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # auth and limits -------------------------------------------------------------------------
    def find_token(self, value: Optional[str]) -> Optional[access.Token]:
        """The token record of an ``X-Auth-Token`` value (None when unknown or revoked)."""
        return self.tokens.find(value)

    def check_token(self, token: Optional[str]) -> bool:
        return self.find_token(token) is not None

    def check_basic(self, header: Optional[str]) -> bool:
        if not header or not self._basic:
            return False
        # bytes: compare_digest refuses non-ASCII str, and a header may hold anything
        given = header.strip().encode("utf-8", "surrogateescape")
        return hmac.compare_digest(given, self._basic.encode("ascii"))

    def count_answer(self, client_id: str, status: int) -> None:
        """Count one answer for ``client_id`` (429s separately: ``stats()``)."""
        with self.lock:
            self.served[client_id] = self.served.get(client_id, 0) + 1
            if status == 429:
                self.throttled[client_id] = self.throttled.get(client_id, 0) + 1

    def rate_headers(self, consume: bool) -> Tuple[bool, Dict[str, str]]:
        """(allowed, X-Rate-Limit-* headers); ``consume`` counts the request against the quota."""
        limit = self.config.rate_limit
        quota, window_ms = limit if limit else (UNLIMITED_QUOTA, 30000)
        allowed, left, elapsed_ms = self._window.count(quota, window_ms, consume)
        return allowed, rate_limit_headers(
            window_ms, max(int(window_ms - elapsed_ms), 1), quota, left, retry=not allowed
        )

    def basic_limit(self) -> Tuple[bool, Dict[str, str]]:
        """(allowed, headers) of a legacy Basic-auth request, counted against ``basic_rate_limit``
        (unlimited by default: ``X-BC-ApiLimit-Remaining: 10000`` always)."""
        limit = self.config.basic_rate_limit
        if not limit:
            return True, {"X-BC-ApiLimit-Remaining": "10000"}
        quota, window_ms = limit
        allowed, left, _ = self._basic_window.count(quota, window_ms, consume=True)
        return allowed, {"X-BC-ApiLimit-Remaining": str(left)}

    # OAuth install -----------------------------------------------------------------------------
    def issue_token(self, scope: str) -> str:
        """A new access token carrying ``scope`` (one per install, as the real store does)."""
        with self.lock:
            pinned = self.config.install_tokens  # given: in order, the last one repeating
            value = pinned[min(len(self.minted), len(pinned) - 1)] if pinned else access.new_token_value()
            self.minted.append(value)
            self.tokens.add(access.Token(value, self.config.client_id, access.parse_scope(scope), self.config.owner_id))
            self.issued.append(value)
        return value

    def revoke(self, value: str) -> bool:
        with self.lock:
            if value in self.issued:
                self.issued.remove(value)
            return self.tokens.revoke(value)

    def new_code(self, scope: str, redirect_uri: Optional[str] = None) -> Dict[str, str]:
        code = binascii.hexlify(os.urandom(12)).decode()
        grant = {
            "code": code,
            "context": f"stores/{self.config.store_hash}",
            "scope": scope,
            "account_uuid": "a1b2c3d4-0000-4000-8000-%012x" % (hash(code) & 0xFFFFFFFFFFFF),
        }
        with self.lock:
            self.codes[code] = dict(grant, redirect_uri=redirect_uri or self.config.redirect_uri)
        return grant


def extension_rows() -> List[routes.Route]:
    """The v3 and GraphQL table, as data: ``v3.ROUTES`` when the module declares one, else
    what it added with ``routes.add_route``; duplicates (same method and pattern) once."""
    from . import v3

    declared = getattr(v3, "ROUTES", None)
    rows: List[routes.Route] = []
    seen = set()
    for row in list(declared or ()) + list(routes.EXTENSION_ROUTES):
        method, regex, handler = row[0], row[1], row[2]
        compiled = re.compile(regex) if isinstance(regex, str) else regex
        key = (method.upper(), compiled.pattern)
        if key not in seen:
            seen.add(key)
            rows.append(routes.Route(method.upper(), compiled, handler))
    return rows


def _fsync_directory(directory: str) -> None:
    """Make a rename durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# the 429 message, whether the store's own limit or an injected rate_limit fault answers
RATE_LIMITED = "You have exceeded your rate limit. Please wait and try again."


def _error_bytes(status: int, message: str) -> bytes:
    """A v2 error array ``[{status, message}]`` as JSON bytes (answers made outside a handler)."""
    return to_json_bytes([{"status": status, "message": message}])


GZIP_MIN_SIZE = 1024  # with gzip=True, bodies bigger than this are compressed when accepted
GZIP_LEVEL = 1  # fast: the sandbox compresses so clients meet gzip, not to save bytes
_GATHER_SIZE = 64 * 1024


def accepts_gzip(value: Optional[str]) -> bool:
    """Whether an ``Accept-Encoding`` header value accepts gzip (``gzip``/``x-gzip`` or ``*``
    with a non-zero ``q``)."""
    if not value:
        return False
    wildcard = False
    for item in value.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, number = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(number.strip())
                except ValueError:
                    quality = 0.0
        if name in ("gzip", "x-gzip"):
            return quality > 0
        if name == "*":
            wildcard = quality > 0
    return wildcard


def _send_gathered(sock: socket.socket, head: bytes, body: bytes) -> None:
    """``sendall`` of head + body with ``sendmsg`` (scatter/gather), retrying partial sends."""
    views = [memoryview(head), memoryview(body)]
    while views:
        sent = sock.sendmsg(views)
        while views and sent >= len(views[0]):
            sent -= len(views[0])
            views.pop(0)
        if views and sent:
            views[0] = views[0][sent:]


_DATE: List[Any] = [0, ""]


def _http_date() -> str:
    now = int(time.time())
    if _DATE[0] != now:
        _DATE[1] = formatdate(now, usegmt=True)
        _DATE[0] = now
    return str(_DATE[1])


class Handler(BaseHTTPRequestHandler):
    """One connection; serves requests until the client closes or asks to close."""

    protocol_version = "HTTP/1.1"
    server_version = "bigcommerce-sandbox"
    sys_version = ""
    disable_nagle_algorithm = True  # TCP_NODELAY: no 40 ms stalls on small keep-alive replies
    timeout = 300  # idle keep-alive connections are closed after this many seconds

    core: Core

    def setup(self) -> None:
        super().setup()
        self.core = self.server.core  # type: ignore[attr-defined]
        with self.core.lock:
            self.core.sockets.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.core.lock:
                self.core.sockets.discard(self.connection)

    default_request_version = "HTTP/1.1"  # so even a garbled request line gets a status line

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - never logs
        pass

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None) -> None:
        """Errors found by the stdlib parser (bad request line, headers): a v2 array, then close."""
        self.command = getattr(self, "command", None) or "GET"
        text = message or _REASONS.get(code, ("Error",))[0]
        self.send(code, _error_bytes(code, text), close=True)

    def handle_one_request(self) -> None:
        try:
            line = self.rfile.readline(65537)
            if not line:
                self.close_connection = True
                return
            if len(line) > 65536:
                self.requestline, self.request_version, self.command = "", "", ""
                self.send_error(414)
                return
            self.raw_requestline = line
            # from the request line on, the rest of the request must come within request_timeout
            self.deadline = time.monotonic() + self.core.config.request_timeout
            self.connection.settimeout(self.core.config.request_timeout)
            try:
                if not self.parse_request():
                    return
            except socket.timeout:
                self.send_error(408)
                return
            self.serve()
        except (OSError, ValueError):
            self.close_connection = True
        finally:
            try:
                self.connection.settimeout(self.timeout)
            except OSError:
                pass

    # -- writing ---------------------------------------------------------------------------------
    def send(
        self,
        status: int,
        body: bytes = b"",
        content_type: Optional[str] = "application/json",
        headers: Optional[Dict[str, str]] = None,
        close: bool = False,
    ) -> None:
        reason = _REASONS.get(status, ("Unknown",))[0]
        lines = [f"HTTP/1.1 {status} {reason}", "Server: bigcommerce-sandbox", "Date: " + _http_date()]
        if content_type and status not in (204, 304):
            lines.append("Content-Type: " + content_type)
        if self.core.config.gzip and len(body) > GZIP_MIN_SIZE and not (headers and "Content-Encoding" in headers):
            lines.append("Vary: Accept-Encoding")
            request_headers = getattr(self, "headers", None)
            if request_headers is not None and accepts_gzip(request_headers.get("Accept-Encoding")):
                body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
                lines.append("Content-Encoding: gzip")
        lines.append(f"Content-Length: {len(body)}")
        if headers:
            for name, value in headers.items():
                lines.append(f"{name}: {value}")
        if close or self.close_connection:
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if self.command == "HEAD" or not body:
            self.wfile.write(head)
        elif len(body) < _GATHER_SIZE or not hasattr(self.connection, "sendmsg"):
            self.wfile.write(head + body)
        else:  # a large body goes out with its head without being copied into one buffer
            _send_gathered(self.connection, head, body)

    # -- reading ---------------------------------------------------------------------------------
    def read_body(self) -> Optional[bytes]:
        """The request body, or None after answering 413/400/408 (the connection is then
        closed). The limit holds for every transfer encoding; the body must arrive before the
        request's deadline."""
        try:
            return self._read_body()
        except socket.timeout:
            return self._refuse(408, "The request body did not arrive in time.")

    def _read(self, length: int) -> bytes:
        """Exactly ``length`` bytes (fewer only at EOF), read in pieces against the deadline."""
        parts, left = [], length
        while left > 0:
            if time.monotonic() > self.deadline:
                raise socket.timeout("request deadline")
            piece = (
                self.rfile.read1(min(left, 65536))
                if hasattr(self.rfile, "read1")
                else self.rfile.read(min(left, 65536))
            )
            if not piece:
                break
            parts.append(piece)
            left -= len(piece)
        return b"".join(parts)

    def _read_body(self) -> Optional[bytes]:
        limit = self.core.config.max_body
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: List[bytes] = []
            size = 0
            while True:
                if time.monotonic() > self.deadline:
                    raise socket.timeout("request deadline")
                line = self.rfile.readline(1024)
                digits = line.split(b";")[0].strip()
                if not _HEX.fullmatch(digits):  # no sign, no blanks: "-1" is not a size
                    return self._refuse(400, "The request body is malformed.")
                length = int(digits, 16)
                if length == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        if time.monotonic() > self.deadline:
                            raise socket.timeout("request deadline")
                    return b"".join(chunks)
                size += length
                if size > limit:
                    return self._refuse(413, "The request body is too large.")
                chunk = self._read(length)
                if len(chunk) < length:
                    return self._refuse(400, "The request body ended early.")
                chunks.append(chunk)
                self.rfile.readline(1024)
        text = self.headers.get("Content-Length")
        if not text:
            return b""
        try:
            length = int(text)
            if length < 0:
                raise ValueError
        except ValueError:
            return self._refuse(400, "The Content-Length header is invalid.")
        if length > limit:
            return self._refuse(413, "The request body is too large.")
        body = self._read(length) if length else b""
        if len(body) < length:
            return self._refuse(400, "The request body is shorter than its Content-Length.")
        return body

    def _refuse(self, status: int, message: str) -> Optional[bytes]:
        self.send(status, _error_bytes(status, message), close=True)
        return None

    # -- serving ---------------------------------------------------------------------------------
    def serve(self) -> None:
        core = self.core
        config = core.config
        method = self.command
        path, _, qs = self.path.partition("?")
        body = self.read_body()
        if body is None:
            return
        query = dict(parse_qsl(qs, keep_blank_values=True)) if qs else {}

        kind, api_path = "public", path
        if path.startswith("/stores/"):
            store_hash, _, tail = path[8:].partition("/")
            kind, api_path = "oauth", "/" + tail
            if store_hash != config.store_hash:
                kind = "wrong_store"
        elif path.startswith("/api/"):
            kind, api_path = "basic", path[4:]
        if kind != "public":
            if api_path.endswith(".json"):
                api_path = api_path[:-5]
            if len(api_path) > 1 and api_path.endswith("/"):
                api_path = api_path[:-1]
        match_path = api_path[3:] if api_path.startswith("/v2/") else api_path

        if method not in ("GET", "HEAD"):
            core.dirty = True  # before processing: a failing write may have changed records
        fault = core.faults.take(method, match_path)
        if fault is not None:
            if self.before_processing(fault, method, path, query, body):
                return
        if config.latency_ms:
            time.sleep(config.latency_ms / 1000.0)

        if config.state_path and method not in ("GET", "HEAD"):
            # a write is answered only once the file holds it: process and save as one step
            with core.lock:
                status, payload, ctype, headers, mutated = self.process(kind, method, path, api_path, query, body)
                if mutated:
                    try:
                        core.save()
                    except OSError:  # the file keeps its last good state: so does the store
                        core.restore_saved()
                        status, ctype, headers = 500, "application/json", None
                        payload = _error_bytes(500, "The store could not be saved; the change was undone.")
        else:
            status, payload, ctype, headers, mutated = self.process(kind, method, path, api_path, query, body)
        if kind == "oauth":
            core.count_answer(self.client_of(), status)
        if fault is not None and fault.kind == "truncated_json":
            payload = payload[: len(payload) // 2]
        self.record(method, path, query, body, status)
        if fault is not None:
            if fault.kind == "reset_after":
                self.close_connection = True
                return
            if fault.kind == "slow":
                time.sleep(float(fault.params["seconds"]))
        self.send(status, payload, ctype, headers)

    def before_processing(self, fault: Fault, method: str, path: str, query: Dict[str, str], body: bytes) -> bool:
        """Apply a fault that acts before (or instead of) processing; True when answered."""
        kind, params = fault.kind, fault.params
        if kind == "latency":
            time.sleep(float(params["ms"]) / 1000.0)
            return False
        if kind in ("reset_after", "truncated_json", "slow"):
            return False
        if kind == "reset_before":
            self.close_connection = True
            return True
        status, payload, ctype, headers = 200, b"", "application/json", None
        if kind == "status":
            status = int(params["status"])
            reason = _REASONS.get(status, ("Error",))[0].encode()
            if params["body"] is None:
                payload, ctype = HTML_ERROR % (status, reason, status, reason), "text/html"
            else:
                payload = params["body"] if isinstance(params["body"], bytes) else str(params["body"]).encode()
                ctype = params["content_type"] or ("application/json" if _is_json(payload) else "text/html")
        elif kind == "html_200":
            payload, ctype = HTML_PAGE, "text/html"
        elif kind == "empty_200":
            payload = b""
        elif kind in ("rate_limit", "rate_limit_bare"):
            status = 429
            payload = _error_bytes(429, RATE_LIMITED)
            if kind == "rate_limit":
                quota, window = self.core.config.rate_limit or (UNLIMITED_QUOTA, 30000)
                headers = rate_limit_headers(window, int(params["reset_ms"]), quota, 0, retry=True)
        elif kind == "redirect":
            status = int(params["status"])
            payload, ctype = b"", "text/html"
            headers = {"Location": params["location"]}
        self.record(method, path, query, body, status)
        if status == 429:
            self.core.count_answer(self.client_of(), status)
        self.send(status, payload, ctype, headers)
        return True

    def client_of(self) -> str:
        """The client id a request counts for: its token's app, else its ``X-Auth-Client``."""
        token = self.core.find_token(self.headers.get("X-Auth-Token"))
        if token is not None:
            return token.client_id
        return str(self.headers.get("X-Auth-Client") or "unknown")

    def process(
        self, kind: str, method: str, path: str, api_path: str, query: Dict[str, str], body: bytes
    ) -> Tuple[int, bytes, str, Optional[Dict[str, str]], bool]:
        """Authenticate, rate-limit and route one request:
        (status, payload bytes, content type, headers, mutated)."""
        core = self.core
        headers: Optional[Dict[str, str]] = None
        v2 = api_path.startswith("/v2/") or api_path == "/v2"
        try:
            if kind == "public":
                route, match = core.router.resolve(path, method, public=True)
            elif kind == "wrong_store":
                raise ApiError(404, "Store not found.", body=error_object(404, "Store not found"))
            else:
                token = None
                if kind == "oauth":
                    token = core.find_token(self.headers.get("X-Auth-Token"))
                    if token is None:
                        _, headers = core.rate_headers(consume=False)
                        raise ApiError(
                            401, "", body=error_object(401, "No valid credentials were found in this request")
                        )
                    # one window per store, shared by every token and app, as the real one is
                    allowed, headers = core.rate_headers(consume=True)
                    if not allowed:
                        raise ApiError(429, RATE_LIMITED)
                else:
                    if not v2:
                        raise ApiError(404, "The requested resource was not found.")
                    if not core.check_basic(self.headers.get("Authorization")):
                        raise ApiError(
                            401,
                            "No valid credentials were supplied in the request.",
                            headers={"WWW-Authenticate": 'Basic realm="BigCommerce API"'},
                        )
                    allowed, headers = core.basic_limit()
                    if not allowed:  # the legacy API's throttle answer
                        raise ApiError(509, "You have exceeded your API request limit. Please wait and try again.")
                accept = self.headers.get("Accept")
                if accept and not _accepts_json(accept):
                    raise ApiError(406, "The requested Accept type is not supported. Use application/json.")
                route, match = core.router.resolve(api_path, method)
                if token is not None and not access.allows(token.scopes, api_path, method):
                    raise ApiError(
                        403, "", body=error_object(403, "You don't have a required scope to access the endpoint")
                    )
            call = routes.Call(core, method, path, api_path, query, self.headers, body)
            reply = route.handler(call, match)
            if reply.mutated and not reply.cache_safe:
                with core.lock:  # changed records we were not told about: render them afresh
                    core.state.forget_all()
        except (
            RecursionError,
            ArithmeticError,
            OverflowError,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
        ) as exc:  # bad input a handler did not foresee: still an answer
            if method not in ("GET", "HEAD"):
                with core.lock:
                    core.state.forget_all()
            status = 400 if isinstance(exc, (RecursionError, ArithmeticError, OverflowError, ValueError)) else 500
            message = (
                "The request could not be processed: a value is out of range or nested too deeply."
                if status == 400
                else "Internal error in the sandbox."
            )
            err = routes.render_error(routes.dialect_of(kind, api_path), ApiError(status, message))
            return status, to_json_bytes(err), "application/json", dict(headers or {}), False
        except ApiError as exc:
            if method not in ("GET", "HEAD") and not v2 and kind != "public":
                with core.lock:  # a handler outside v2 may have changed records before failing
                    core.state.forget_all()
            extra = dict(headers or {})
            extra.update(exc.headers)
            err_body = routes.render_error(routes.dialect_of(kind, api_path), exc)
            return exc.status, to_json_bytes(err_body), "application/json", extra, False
        if reply.headers:
            headers = dict(headers or {})
            headers.update(reply.headers)
        payload = reply.body
        if payload is None:
            data = b""
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = to_json_bytes(payload)
        return reply.status, data, reply.content_type, headers, reply.mutated

    def record(self, method: str, path: str, query: Dict[str, str], body: bytes, status: int) -> None:
        if not self.core.config.record:
            return  # off unless asked for: the log costs memory per request
        parsed = None
        if body:
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError, RecursionError):
                parsed = None
        self.core.requests.append(
            RecordedRequest(method, path, query, Headers(self.headers.items()), body, parsed, status)
        )


def _is_json(payload: bytes) -> bool:
    try:
        json.loads(payload.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _accepts_json(accept: str) -> bool:
    for part in accept.split(","):
        kind = part.split(";")[0].strip().lower()
        if kind in ("*/*", "application/*", "application/json", "") or kind.endswith("+json"):
            return True
    return False


class SandboxHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that counts connections and knows its ``Core``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: Tuple[str, int], core: Core) -> None:
        self.core = core
        super().__init__(address, Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.core.connections += 1
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:  # a dropped client is not worth a traceback
        pass

    def close_connections(self) -> None:
        """Shut down every open keep-alive connection (on stop)."""
        with self.core.lock:
            sockets = list(self.core.sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
