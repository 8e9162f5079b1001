"""Faults the sandbox can be told to produce, and how a request is matched to one.

``Sandbox.inject(kind, times=1, match=None, **params)`` queues a ``Fault``. The first queued fault
whose ``match`` fits a request is used (and its ``times`` counted down; ``times=None`` never runs
out). ``match`` is ``"METHOD /path-prefix"``, ``"METHOD"`` or ``"/path-prefix"``, with the path
relative to the v2 root (``"POST /products"`` fits ``POST /stores/h/v2/products`` and
``POST /api/v2/products/7/images.json``); paths outside v2 are matched as they are
(``"/v3/catalog"``, ``"/graphql"``, ``"/oauth2/token"``).

Kinds (see the package docstring for what the client observes):

=================  ===========  ===================================================================
kind               processed?   response
=================  ===========  ===================================================================
reset_before       no           connection closed, nothing written
reset_after        yes          connection closed after the change, nothing written
status             no           ``status`` (default 503) with ``body`` (default an HTML page;
                                a given body is served as ``content_type``, by default JSON
                                when it parses as JSON, HTML otherwise)
truncated_json     yes          the normal status, JSON body cut in half (Content-Length matches)
html_200           no           200 with an HTML page
empty_200          no           200 with an empty body
rate_limit         no           429 with X-Rate-Limit-* headers and X-Retry-After; ``reset_ms``
rate_limit_bare    no           429 without any rate-limit header
redirect           no           ``status`` (default 302) to ``location`` (default another origin)
slow               yes          normal response sent ``seconds`` late
latency            yes          ``ms`` of delay before the request is processed
=================  ===========  ===================================================================
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional, Tuple

KINDS = (
    "reset_before",
    "reset_after",
    "status",
    "truncated_json",
    "html_200",
    "empty_200",
    "rate_limit",
    "rate_limit_bare",
    "redirect",
    "slow",
    "latency",
)

_PARAMS: Dict[str, Dict[str, Any]] = {
    "status": {"status": 503, "body": None, "content_type": None},
    "rate_limit": {"reset_ms": 1000},
    "redirect": {"status": 302, "location": "http://evil.example:9/x"},
    "slow": {"seconds": 1.0},
    "latency": {"ms": 100},
}

HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>%d %s</title></head><body><h1>%d %s</h1>"
    b"<p>The server is temporarily unable to service your request.</p></body></html>"
)
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sandbox Store</title></head><body>"
    b"<h1>Welcome</h1><p>This is a storefront page, not the API.</p></body></html>"
)


class Fault:
    """One queued fault. ``remaining`` counts down; ``fired`` counts the requests it hit."""

    def __init__(self, kind: str, times: Optional[int] = 1, match: Optional[str] = None, **params: Any) -> None:
        if kind not in KINDS:
            raise ValueError("unknown fault {!r}; expected one of {}".format(kind, ", ".join(KINDS)))
        if times is not None and times < 1:
            raise ValueError("times must be a positive number or None (forever)")
        allowed = _PARAMS.get(kind, {})
        unknown = set(params) - set(allowed)
        if unknown:
            raise ValueError("fault {!r} takes no parameter {}".format(kind, ", ".join(sorted(unknown))))
        self.kind = kind
        self.remaining = times
        self.fired = 0
        self.params = dict(allowed, **params)
        self.method, self.prefix = _parse_match(match)
        self.match = match

    def fits(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.prefix is None or path.startswith(self.prefix)

    def __repr__(self) -> str:
        return f"Fault({self.kind!r}, remaining={self.remaining!r}, match={self.match!r}, {self.params!r})"


def _parse_match(match: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    if not match:
        return None, None
    parts = match.split(None, 1)
    if parts[0].startswith("/"):
        return None, parts[0]
    method = parts[0].upper()
    return method, (parts[1].strip() if len(parts) > 1 else None)


class FaultQueue:
    """Thread-safe list of pending faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: List[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Optional[Fault]:
        if not self._faults:  # the common case, without the lock
            return None
        with self._lock:
            for fault in self._faults:
                if fault.fits(method, path):
                    fault.fired += 1
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> List[Fault]:
        with self._lock:
            return list(self._faults)
