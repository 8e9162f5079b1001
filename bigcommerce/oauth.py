"""Verification of the payloads BigCommerce sends to an OAuth app.

BigCommerce calls an app's *load*, *uninstall* and *remove user* callbacks with a signed payload
proving that the request comes from BigCommerce and naming the store and the user.  Two formats exist:

``signed_payload`` (legacy)
    ``base64(json) + "." + base64(hex(HMAC-SHA256(client_secret, json)))``.
    Checked by :func:`verify_payload`, which returns the decoded JSON object or ``False``.

``signed_payload_jwt``
    An HS256 JSON Web Token signed with the client secret (``aud`` = client id, ``iss`` = ``"bc"``,
    ``sub`` = ``"stores/{hash}"``, ``exp``/``nbf``/``iat``).
    Checked by :func:`verify_payload_jwt`, which returns the claims or raises
    :class:`JWTVerificationError`.

Both functions are pure (no HTTP, no global state) and safe to feed attacker-controlled input:
whatever the input, they only ever give the documented result or the documented exception.  Neither
the client secret nor the token is ever put into an exception message.

Errors made by the *caller* (an empty client secret, a negative ``max_age``, an asymmetric algorithm
in ``algorithms`` ...) are programming errors, not forged payloads, and raise a plain
:class:`ValueError` at call time so that a misconfigured app fails loudly instead of rejecting every
request as if it were forged.

Note on short secrets: PyJWT 2.10+ emits ``jwt.InsecureKeyLengthWarning`` when an HMAC key is shorter
than 32 bytes.  Real BigCommerce client secrets are longer than that; test stores with short secrets
will see the warning.  This module does not touch the global warning filters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from typing import Any, Callable, Dict, Iterable, List, Literal, Optional, Union

import jwt

__all__ = [
    "JWTVerificationError",
    "verify_payload",
    "verify_payload_jwt",
    "MAX_SIGNED_PAYLOAD_LENGTH",
    "MAX_JWT_LENGTH",
    "FUTURE_TIMESTAMP_TOLERANCE",
    "HMAC_ALGORITHMS",
    "STORE_HASH_RE",
]

#: Longest legacy ``signed_payload`` accepted (characters).  Real ones are a few hundred characters;
#: anything longer is refused before any decoding work is done.
MAX_SIGNED_PAYLOAD_LENGTH = 64 * 1024

#: Longest ``signed_payload_jwt`` accepted (characters).
MAX_JWT_LENGTH = 64 * 1024

#: With ``max_age``, how far (seconds) a payload's ``timestamp`` may lie in the future of ``now``
#: (clock skew between BigCommerce and the app) before the payload is refused.
FUTURE_TIMESTAMP_TOLERANCE = 60.0

#: The algorithms a client secret can sign with.  ``verify_payload_jwt`` accepts no others.
HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})

#: The form of a store hash inside ``sub``/``context`` (``stores/{hash}``).
STORE_HASH_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")

_SUB_RE = re.compile(r"stores/([A-Za-z0-9_-]{1,64})")
_B64_CHARS_RE = re.compile(r"[A-Za-z0-9+/]*={0,2}")

JSONObject = Dict[str, Any]
Now = Union[int, float, Callable[[], float], None]


class JWTVerificationError(ValueError):
    """A ``signed_payload_jwt`` was refused: forged, tampered, expired, for another app or store, or
    not a JWT at all.

    This is the only exception :func:`verify_payload_jwt` raises for a bad token.  Its message says
    why in general terms (``"token has expired"``, ``"wrong audience"``...) and never contains the
    token or the client secret.  The PyJWT exception behind it, if any, is not chained (its text may
    quote parts of the token); its class name is kept in :attr:`reason`.
    """

    def __init__(self, message: str, reason: Optional[str] = None) -> None:
        super().__init__(message)
        #: A short machine-readable cause: ``"expired"``, ``"audience"``, ``"issuer"``,
        #: ``"subject"``, ``"signature"``, ``"algorithm"``, ``"malformed"``, ``"claims"``,
        #: ``"not_yet_valid"`` or ``"store_hash"``.
        self.reason = reason or "invalid"


# --------------------------------------------------------------------------------------------------
# helpers


def _check_secret(client_secret: Any) -> bytes:
    """Return the secret as bytes or raise ValueError (without quoting it)."""
    if isinstance(client_secret, str):
        secret = client_secret.encode("utf-8")
    elif isinstance(client_secret, (bytes, bytearray)):
        secret = bytes(client_secret)
    else:
        raise ValueError(f"client_secret must be a non-empty str (got {type(client_secret).__name__})")
    if not secret:
        raise ValueError("client_secret must not be empty: an empty secret would accept forged payloads")
    return secret


def _b64decode_strict(part: str) -> Optional[bytes]:
    """Decode canonical standard base64, with or without its ``=`` padding; None if invalid.

    Refused: URL-safe characters (``-``/``_``), whitespace, wrong padding, non-zero trailing bits
    (i.e. any text that is not exactly what ``base64.b64encode`` produces, minus optional padding).
    """
    if not _B64_CHARS_RE.fullmatch(part):
        return None
    core = part.rstrip("=")
    try:
        decoded = base64.b64decode(core + "=" * (-len(core) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    canonical = base64.b64encode(decoded).decode("ascii")
    if part != canonical and part != canonical.rstrip("="):
        return None
    return decoded


def _as_number(value: Any) -> Optional[float]:
    """A finite number from an int/float (not bool) or a decimal string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= 32 and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _resolve_now(now: Now) -> float:
    if now is None:
        return time.time()
    value = now() if callable(now) else now
    number = _as_number(value) if not isinstance(value, str) else None
    if number is None:
        raise ValueError("now must be a number of seconds since the epoch, a callable returning one, or None")
    return number


# --------------------------------------------------------------------------------------------------
# legacy signed_payload


def verify_payload(
    signed_payload: str,
    client_secret: str,
    max_age: Optional[float] = None,
    now: Now = None,
) -> Union[JSONObject, Literal[False]]:
    """Verify a legacy ``signed_payload`` and return its JSON object, or ``False``.

    The format is ``base64(json) + "." + base64(hex(HMAC-SHA256(client_secret, json)))``.

    :param signed_payload: the ``signed_payload`` query parameter, as received.
    :param client_secret: the app's client secret (``str`` or ``bytes``).
    :param max_age: if given, the payload's ``timestamp`` (seconds since the epoch, a number) must be
        at most ``max_age`` seconds old and at most :data:`FUTURE_TIMESTAMP_TOLERANCE` seconds in the
        future; a payload without a usable ``timestamp`` is then refused.
    :param now: the current time (seconds since the epoch, or a callable returning it) for the
        ``max_age`` check; defaults to :func:`time.time`.
    :returns: the decoded JSON object (a ``dict``: ``user``, ``owner``, ``context``, ``store_hash``,
        ``timestamp``...) when the signature is valid, else ``False``.

    Input rules (anything else gives ``False``):

    - ``signed_payload`` must be a ``str`` (``bytes`` are refused) of at most
      :data:`MAX_SIGNED_PAYLOAD_LENGTH` ASCII characters with exactly one ``"."``.
    - Both parts must be canonical *standard* base64 (``+`` and ``/``; the URL-safe alphabet,
      whitespace and non-canonical encodings are refused).  The ``=`` padding may be present (as
      BigCommerce sends it) or stripped (as some proxies do); if present it must be exact.
    - The signature part must decode to the lowercase hex HMAC-SHA256 of the decoded JSON bytes; it
      is compared with :func:`hmac.compare_digest`.  Only then is the JSON parsed: it must be UTF-8
      and a JSON object.

    This function never raises for any ``signed_payload``.  It raises :class:`ValueError` only for
    caller errors: an empty or non-``str``/``bytes`` ``client_secret``, a negative or non-numeric
    ``max_age``, or an unusable ``now``.
    """
    secret = _check_secret(client_secret)
    limit: Optional[float] = None
    current = 0.0
    if max_age is not None:
        limit = _as_number(max_age) if not isinstance(max_age, str) else None
        if limit is None or limit < 0:
            raise ValueError("max_age must be a non-negative number of seconds or None")
        current = _resolve_now(now)
    try:
        result: Union[JSONObject, Literal[False]] = _verify_payload(signed_payload, secret, limit, current)
    except Exception:  # defensive: the contract is False for any bad payload, never an exception
        return False
    return result


def _verify_payload(signed_payload: Any, secret: bytes, max_age: Optional[float], now: float) -> Any:
    if not isinstance(signed_payload, str):
        return False
    if not signed_payload or len(signed_payload) > MAX_SIGNED_PAYLOAD_LENGTH:
        return False
    if not signed_payload.isascii():
        return False
    parts = signed_payload.split(".")
    if len(parts) != 2:
        return False
    encoded_json, encoded_sig = parts
    body = _b64decode_strict(encoded_json)
    signature = _b64decode_strict(encoded_sig)
    if body is None or signature is None:
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest().encode("ascii")
    if not hmac.compare_digest(expected, signature):
        return False
    # Authentic from here on; still parse defensively.
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    if max_age is not None:
        stamp = _as_number(data.get("timestamp"))
        if stamp is None:
            return False
        age = now - stamp
        if age > max_age or age < -FUTURE_TIMESTAMP_TOLERANCE:
            return False
    return data


# --------------------------------------------------------------------------------------------------
# signed_payload_jwt

_PYJWT_REASONS = (
    # (PyJWT exception class name, reason, message); first match in MRO order wins
    ("ExpiredSignatureError", "expired", "token has expired"),
    ("ImmatureSignatureError", "not_yet_valid", "token is not valid yet (nbf/iat in the future)"),
    ("InvalidAudienceError", "audience", "wrong audience (token is not for this app)"),
    ("InvalidIssuerError", "issuer", "wrong issuer (token is not from BigCommerce)"),
    ("InvalidSubjectError", "subject", "invalid subject"),
    ("MissingRequiredClaimError", "claims", "a required claim is missing"),
    ("InvalidIssuedAtError", "claims", "invalid iat claim"),
    ("InvalidJTIError", "claims", "invalid jti claim"),
    ("InvalidSignatureError", "signature", "signature verification failed"),
    ("InvalidAlgorithmError", "algorithm", "token algorithm not allowed"),
    ("InvalidKeyError", "algorithm", "token algorithm not usable with the client secret"),
    ("DecodeError", "malformed", "token is malformed"),
)


def _translate(exc: BaseException) -> JWTVerificationError:
    names = [cls.__name__ for cls in type(exc).__mro__]
    for name, reason, message in _PYJWT_REASONS:
        if name in names:
            return JWTVerificationError(f"signed_payload_jwt refused: {message}", reason)
    return JWTVerificationError(
        f"signed_payload_jwt refused: token could not be verified ({type(exc).__name__})", "invalid"
    )


def _check_algorithms(algorithms: Union[str, Iterable[str]]) -> List[str]:
    if isinstance(algorithms, str):
        algorithms = (algorithms,)
    try:
        algs = list(algorithms)
    except TypeError:
        raise ValueError("algorithms must be a sequence of algorithm names such as ('HS256',)") from None
    if not algs:
        raise ValueError("algorithms must not be empty")
    for alg in algs:
        if not isinstance(alg, str) or alg not in HMAC_ALGORITHMS:
            allowed = ", ".join(sorted(HMAC_ALGORITHMS))
            got = alg if isinstance(alg, str) else type(alg).__name__
            raise ValueError(f"algorithms may only contain {allowed}: a client secret is an HMAC key (got {got!r})")
    return algs


def verify_payload_jwt(
    signed_payload_jwt: str,
    client_secret: str,
    client_id: str,
    algorithms: Union[str, Iterable[str]] = ("HS256",),
    leeway: float = 10,
    store_hash: Optional[str] = None,
) -> JSONObject:
    """Verify a ``signed_payload_jwt`` and return its claims.

    Checks, with PyJWT:

    - the signature, with one of ``algorithms`` (default HS256 only; may be widened to HS384/HS512 —
      ``none`` and asymmetric algorithms are never accepted, whatever the token's header says);
    - ``aud`` is exactly ``client_id`` (a string claim, not a list);
    - ``iss`` is exactly ``"bc"``;
    - ``exp`` is present and not past, ``nbf``/``iat`` (when present) not in the future, each with
      ``leeway`` seconds of tolerance;
    - ``sub`` is ``"stores/{hash}"`` and, when ``store_hash`` is given, ``{hash} == store_hash``.

    :returns: the claims (``dict``): ``user``, ``owner``, ``url``, ``channel_id``, ``sub``...
    :raises JWTVerificationError: for any token that fails a check or is not a token at all
        (including a non-``str`` argument).  Messages never contain the token or the secret.
    :raises ValueError: (plain, not ``JWTVerificationError``) for caller errors: an empty or non-str
        ``client_secret`` or ``client_id``, ``algorithms`` empty or not HMAC, a negative ``leeway``,
        an invalid ``store_hash``.
    """
    secret = _check_secret(client_secret)
    if not isinstance(client_id, str) or not client_id:
        raise ValueError("client_id must be a non-empty str")
    algs = _check_algorithms(algorithms)
    leeway_s = _as_number(leeway) if not isinstance(leeway, str) else None
    if leeway_s is None or leeway_s < 0:
        raise ValueError("leeway must be a non-negative number of seconds")
    if store_hash is not None and (not isinstance(store_hash, str) or not STORE_HASH_RE.fullmatch(store_hash)):
        raise ValueError("store_hash must be a store hash such as 'abc123' or None")

    if not isinstance(signed_payload_jwt, str):
        raise JWTVerificationError("signed_payload_jwt refused: not a str", "malformed")
    if not signed_payload_jwt or len(signed_payload_jwt) > MAX_JWT_LENGTH or not signed_payload_jwt.isascii():
        raise JWTVerificationError("signed_payload_jwt refused: token is malformed", "malformed")

    try:
        claims = jwt.decode(
            signed_payload_jwt,
            secret,
            algorithms=algs,
            audience=client_id,
            issuer="bc",
            leeway=leeway_s,
            options={"require": ["exp", "aud", "iss", "sub"], "verify_signature": True},
        )
    except Exception as exc:  # every PyJWT error and anything unexpected: one exception type
        error: Optional[JWTVerificationError] = _translate(exc)
    else:
        error = None
    if error is not None:
        raise error  # raised outside the except block: the PyJWT exception is not chained

    # Our own checks, independent of the PyJWT version's leniency.
    if not isinstance(claims, dict):
        raise JWTVerificationError("signed_payload_jwt refused: claims are not an object", "malformed")
    aud = claims.get("aud")
    if not isinstance(aud, str) or aud != client_id:
        raise JWTVerificationError("signed_payload_jwt refused: wrong audience (token is not for this app)", "audience")
    if claims.get("iss") != "bc":
        raise JWTVerificationError("signed_payload_jwt refused: wrong issuer (token is not from BigCommerce)", "issuer")
    sub = claims.get("sub")
    match = _SUB_RE.fullmatch(sub) if isinstance(sub, str) else None
    if match is None:
        raise JWTVerificationError("signed_payload_jwt refused: subject is not of the form stores/{hash}", "subject")
    if store_hash is not None and match.group(1) != store_hash:
        raise JWTVerificationError("signed_payload_jwt refused: token is for another store", "store_hash")
    for name in ("exp", "nbf", "iat"):
        if name in claims and (isinstance(claims[name], str) or _as_number(claims[name]) is None):
            raise JWTVerificationError(f"signed_payload_jwt refused: {name} is not a number", "claims")
    if "jti" in claims and not isinstance(claims["jti"], str):
        raise JWTVerificationError("signed_payload_jwt refused: jti is not a str", "claims")
    return claims
