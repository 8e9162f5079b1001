"""What BigCommerce signs for an app: legacy ``signed_payload`` and ``signed_payload_jwt``.

Written here from the formats in API_FACTS, independently of the client's verifier (the
sandbox's own check of a customer-login JWT, ``verify_hs256``, sits beside ``encode_hs256``):

- legacy: ``base64(json) + "." + base64(hex(HMAC-SHA256(client_secret, json)))``
- JWT: HS256 signed with the client secret (hand-written; no dependency).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any, Dict, Optional


def signed_payload(
    client_secret: str,
    store_hash: str,
    user_id: int = 1,
    email: str = "owner@example.com",
    timestamp: Optional[float] = None,
    owner_id: int = 1,
    owner_email: str = "owner@example.com",
) -> str:
    """A legacy load/uninstall/remove_user ``signed_payload`` for this store."""
    data = {
        "user": {"id": user_id, "email": email},
        "owner": {"id": owner_id, "email": owner_email},
        "context": f"stores/{store_hash}",
        "store_hash": store_hash,
        "timestamp": time.time() if timestamp is None else timestamp,
    }
    body = json.dumps(data, separators=(",", ":")).encode()
    digest = hmac.new(client_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"{base64.b64encode(body).decode()}.{base64.b64encode(digest.encode()).decode()}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hs256(head: str, body: str, secret: str) -> bytes:
    return hmac.new(secret.encode(), (f"{head}.{body}").encode(), hashlib.sha256).digest()


def encode_hs256(claims: Dict[str, Any], secret: str) -> str:
    """A compact HS256 JWS of ``claims``."""
    head = _b64url(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    body = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{head}.{body}.{_b64url(_hs256(head, body, secret))}"


def verify_hs256(token: str, secret: str) -> Dict[str, Any]:
    """The claims of an HS256 JWT signed with ``secret``; ValueError otherwise."""
    try:
        head, body, sig = token.split(".")
        header = json.loads(_b64url_decode(head))
        claims = json.loads(_b64url_decode(body))
        given = _b64url_decode(sig)
    except (ValueError, TypeError):
        raise ValueError("malformed token") from None
    if header.get("alg") != "HS256":
        raise ValueError("unsupported algorithm")
    if not hmac.compare_digest(_hs256(head, body, secret), given):
        raise ValueError("bad signature")
    if not isinstance(claims, dict):
        raise ValueError("bad claims")
    return claims


def signed_payload_jwt(
    client_id: str,
    client_secret: str,
    store_hash: str,
    user_id: int = 1,
    email: str = "owner@example.com",
    exp_seconds: int = 86400,
    owner_id: int = 1,
    owner_email: str = "owner@example.com",
    url: str = "/",
    channel_id: Optional[int] = None,
    now: Optional[float] = None,
) -> str:
    """A ``signed_payload_jwt`` as BigCommerce sends to an app's load callback."""
    issued = int(time.time() if now is None else now)
    claims = {
        "aud": client_id,
        "iss": "bc",
        "iat": issued,
        "nbf": issued - 5,
        "exp": issued + exp_seconds,
        "jti": str(uuid.uuid4()),
        "sub": f"stores/{store_hash}",
        "user": {"id": user_id, "email": email, "locale": "en-US"},
        "owner": {"id": owner_id, "email": owner_email},
        "url": url,
        "channel_id": channel_id,
    }
    return encode_hs256(claims, client_secret)
