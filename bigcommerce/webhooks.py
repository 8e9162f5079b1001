"""Webhooks: register a hook, authenticate its callbacks, parse their bodies.

BigCommerce does not sign webhook callbacks.  An app authenticates them through custom ``headers``
it registers with the hook (for example a long random token); every callback carries them::

    from bigcommerce import webhooks

    token = secrets.token_urlsafe(32)
    webhooks.register(api, "store/order/created", "https://app.example/hooks",
                      headers={"X-Hook-Token": token})

    # in the app's callback handler
    if not webhooks.verify_headers(request.headers, {"X-Hook-Token": token}):
        return 401
    event = webhooks.parse_callback(request.body)
    event.scope, event.resource_type, event.resource_id   # "store/order/created", "order", 250
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

__all__ = [
    "WebhookEvent",
    "WebhookPayloadError",
    "register",
    "verify_headers",
    "parse_callback",
    "headers_from_environ",
    "MAX_CALLBACK_BODY",
]

#: Largest callback body :func:`parse_callback` accepts (bytes or characters).
MAX_CALLBACK_BODY = 1024 * 1024


class WebhookPayloadError(ValueError):
    """A webhook callback body is not a valid BigCommerce callback (bad JSON, missing fields...)."""


@dataclass(frozen=True)
class WebhookEvent:
    """One webhook callback, as BigCommerce posts it.

    ``data`` is the callback's ``data`` object (e.g. ``{"type": "order", "id": 250}``); it is left out
    of equality's hash so that events are hashable.
    """

    scope: str
    store_id: str
    data: Dict[str, Any] = field(hash=False)
    hash: Optional[str]
    created_at: int
    producer: str

    @property
    def resource_type(self) -> Optional[str]:
        """``data["type"]`` (``"order"``, ``"product"``...) or None."""
        value = self.data.get("type")
        return value if isinstance(value, str) else None

    @property
    def resource_id(self) -> Union[int, str, None]:
        """``data["id"]`` (an int for most resources, a str for carts...) or None."""
        value = self.data.get("id")
        if isinstance(value, bool):
            return None
        return value if isinstance(value, (int, str)) else None

    @property
    def store_hash(self) -> Optional[str]:
        """The store hash from ``producer`` (``"stores/{hash}"``), or None if it has another form."""
        prefix, sep, rest = self.producer.partition("/")
        if prefix == "stores" and sep and rest and "/" not in rest:
            return rest
        return None


def register(
    api: Any,
    scope: str,
    destination: str,
    headers: Optional[Mapping[str, str]] = None,
    is_active: bool = True,
) -> Any:
    """Create a webhook on the store: ``api.Webhooks.create(scope=..., destination=..., ...)``.

    :param api: a :class:`bigcommerce.api.BigcommerceApi` (OAuth).
    :param scope: e.g. ``"store/order/created"`` or ``"store/product/*"``.
    :param destination: the callback URL (BigCommerce requires https on port 443).
    :param headers: custom headers BigCommerce will send with every callback; check them with
        :func:`verify_headers`.  Omitted from the request when None.
    :param is_active: whether the hook starts active.
    :returns: whatever ``api.Webhooks.create`` returns (the created hook object).
    :raises ValueError: empty scope/destination, or headers that are not str -> str without CR/LF.
    """
    if not isinstance(scope, str) or not scope:
        raise ValueError("scope must be a non-empty str such as 'store/order/created'")
    if not isinstance(destination, str) or not destination:
        raise ValueError("destination must be a non-empty URL")
    fields: Dict[str, Any] = {"scope": scope, "destination": destination, "is_active": bool(is_active)}
    if headers is not None:
        checked: Dict[str, str] = {}
        for name, value in dict(headers).items():
            if not isinstance(name, str) or not isinstance(value, str) or not name:
                raise ValueError("headers must map non-empty str names to str values")
            if any(ch in name or ch in value for ch in "\r\n\0") or ":" in name:
                raise ValueError(f"header {name!r} contains a forbidden character")
            checked[name] = value
        fields["headers"] = checked
    return api.Webhooks.create(**fields)


def headers_from_environ(environ: Mapping[str, Any]) -> Dict[str, str]:
    """The HTTP request headers of a WSGI ``environ`` as a ``{name: value}`` dict.

    ``HTTP_X_HOOK_TOKEN`` becomes ``x-hook-token``; ``CONTENT_TYPE``/``CONTENT_LENGTH`` are included.
    Use it to pass a WSGI request's headers to :func:`verify_headers`.
    """
    headers: Dict[str, str] = {}
    for key, value in environ.items():
        if not isinstance(key, str) or not isinstance(value, str):
            continue
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.replace("_", "-").lower()] = value
    return headers


def _header_items(received: Any) -> Iterator[Tuple[Any, Any]]:
    items = received.items() if hasattr(received, "items") else received
    for pair in items:
        name, value = pair
        yield name, value


def verify_headers(received_headers: Mapping[str, str], expected: Mapping[str, str]) -> bool:
    """True if ``received_headers`` carries every header of ``expected`` with exactly its value.

    - Header names compare case-insensitively; values exactly (surrounding spaces/tabs of a received
      value are ignored, as HTTP does), each with :func:`hmac.compare_digest`, and every expected
      header is compared even after a mismatch, so the time taken does not reveal which one failed.
    - A required header received more than once (names differing in case) fails.
    - ``received_headers`` may be any mapping (``requests``/``werkzeug`` headers, a dict) or an
      iterable of ``(name, value)`` pairs; ``bytes`` values are read as latin-1.  Anything odd gives
      ``False``; this function never raises because of ``received_headers``.

    :raises ValueError: if ``expected`` is empty (it would accept any request) or is not a mapping of
        non-empty str names to str values.  Values are never quoted in the message.
    """
    try:
        wanted = {
            str(name).lower(): value
            for name, value in dict(expected).items()
            if isinstance(name, str) and name and isinstance(value, str)
        }
        complete = len(wanted) == len(expected)
    except Exception:
        raise ValueError("expected must be a mapping of header names to values") from None
    if not complete:
        raise ValueError("expected must map non-empty str header names to str values (case-insensitively unique)")
    if not wanted:
        raise ValueError("expected must not be empty: it would accept any request")

    try:
        found: Dict[str, List[Any]] = {}
        for name, value in _header_items(received_headers):
            if isinstance(name, bytes):
                name = name.decode("latin-1")
            if not isinstance(name, str):
                continue
            key = name.lower()
            if key in wanted:
                if isinstance(value, bytes):
                    value = value.decode("latin-1")
                found.setdefault(key, []).append(value)
    except Exception:
        return False

    ok = True
    for key, value in wanted.items():
        expected_bytes = value.encode("utf-8", "surrogatepass")
        values = found.get(key)
        if values is None or len(values) != 1 or not isinstance(values[0], str):
            hmac.compare_digest(expected_bytes, expected_bytes)  # same work for a missing header
            ok = False
            continue
        got = values[0].strip(" \t").encode("utf-8", "surrogatepass")
        ok = hmac.compare_digest(got, expected_bytes) & ok
    return ok


def parse_callback(body: Union[bytes, str, Mapping[str, Any]]) -> WebhookEvent:
    """Parse a webhook callback body into a :class:`WebhookEvent`.

    Expected form (API_FACTS): ``{"scope": "store/order/created", "store_id": "1025646",
    "data": {"type": "order", "id": 250}, "hash": "...", "created_at": 1561479335,
    "producer": "stores/{hash}"}``.  ``store_id`` may be a str or an int (kept as a str);
    ``hash`` may be absent (None); ``created_at`` must be an integer (an integral float is accepted).

    :raises WebhookPayloadError: for a body that is not UTF-8 JSON, not an object, too large
        (:data:`MAX_CALLBACK_BODY`), or lacks a field or has one of the wrong type.
    """
    if isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(body)
        if len(raw) > MAX_CALLBACK_BODY:
            raise WebhookPayloadError("webhook body too large")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookPayloadError("webhook body is not UTF-8") from None
        payload = _loads(text)
    elif isinstance(body, str):
        if len(body) > MAX_CALLBACK_BODY:
            raise WebhookPayloadError("webhook body too large")
        payload = _loads(body)
    elif isinstance(body, Mapping):
        payload = dict(body)
    else:
        raise WebhookPayloadError(f"webhook body must be bytes, str or a dict, not {type(body).__name__}")
    if not isinstance(payload, dict):
        raise WebhookPayloadError("webhook body is not a JSON object")

    scope = payload.get("scope")
    if not isinstance(scope, str) or not scope:
        raise WebhookPayloadError("webhook body has no 'scope'")
    store_id = payload.get("store_id")
    if isinstance(store_id, int) and not isinstance(store_id, bool):
        store_id = str(store_id)
    if not isinstance(store_id, str) or not store_id:
        raise WebhookPayloadError("webhook body has no 'store_id'")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise WebhookPayloadError("webhook body has no 'data' object")
    hash_ = payload.get("hash")
    if hash_ is not None and not isinstance(hash_, str):
        raise WebhookPayloadError("webhook body's 'hash' is not a str")
    created_at = payload.get("created_at")
    if isinstance(created_at, float) and created_at.is_integer():
        created_at = int(created_at)
    if isinstance(created_at, bool) or not isinstance(created_at, int):
        raise WebhookPayloadError("webhook body has no integer 'created_at'")
    producer = payload.get("producer")
    if not isinstance(producer, str) or not producer:
        raise WebhookPayloadError("webhook body has no 'producer'")
    return WebhookEvent(scope=scope, store_id=store_id, data=data, hash=hash_, created_at=created_at, producer=producer)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise WebhookPayloadError("webhook body is not valid JSON") from None
