"""``signed_payload_jwt`` verification: valid tokens, every refusal, and a 10,000-example fuzzer.

Tokens are assembled by hand (base64url header/claims + HMAC) so that the tests can build what PyJWT
would refuse to produce: ``alg: none``, an RS256 header over an HMAC signature, odd claim types.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt as pyjwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigcommerce.oauth import MAX_JWT_LENGTH, JWTVerificationError, verify_payload_jwt

SECRET = "jwt-client-secret-" + "0123456789abcdef" * 4  # >= 64 bytes: no InsecureKeyLengthWarning
CLIENT_ID = "app-client-id-123"
STORE = "abc123"
HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def token(claims, secret: str = SECRET, alg: str = "HS256", header=None, sign_as: str = None) -> str:
    """Assemble a JWT by hand.  `sign_as` is the HMAC actually used (defaults to `alg`)."""
    head = {"typ": "JWT", "alg": alg} if header is None else header
    signing_input = b64url(json.dumps(head).encode()) + "." + b64url(json.dumps(claims).encode())
    mac = sign_as or alg
    if mac == "none":
        sig = b""
    else:
        sig = hmac.new(secret.encode(), signing_input.encode(), HASHES[mac]).digest()
    return signing_input + "." + b64url(sig)


def bc_claims(now=None, **overrides):
    now = int(time.time()) if now is None else now
    claims = {
        "aud": CLIENT_ID,
        "iss": "bc",
        "iat": now,
        "nbf": now - 5,
        "exp": now + 86400,
        "jti": "0f6a5d0c-5b1e-4bd4-9a2c-9a7d9c2f1e11",
        "sub": "stores/" + STORE,
        "user": {"id": 1, "email": "owner@example.com", "locale": "en"},
        "owner": {"id": 1, "email": "owner@example.com"},
        "url": "/",
        "channel_id": None,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not ...}


def refused(tok, reason=None, **kw):
    with pytest.raises(JWTVerificationError) as info:
        verify_payload_jwt(tok, kw.pop("secret", SECRET), kw.pop("client_id", CLIENT_ID), **kw)
    err = info.value
    assert SECRET not in str(err)
    if isinstance(tok, str) and len(tok) > 8:
        assert tok not in str(err) and tok[:20] not in str(err) and tok[-20:] not in str(err)
    assert err.__cause__ is None and err.__context__ is None  # PyJWT's text is not chained
    if reason is not None:
        assert err.reason == reason, (err.reason, str(err))
    return err


# ---------------------------------------------------------------------------------------------
# valid tokens


def test_valid_token_returns_claims():
    claims = bc_claims()
    assert verify_payload_jwt(token(claims), SECRET, CLIENT_ID) == claims


def test_valid_token_made_by_pyjwt():
    claims = bc_claims()
    assert verify_payload_jwt(pyjwt.encode(claims, SECRET, algorithm="HS256"), SECRET, CLIENT_ID) == claims


def test_store_hash_match():
    claims = bc_claims()
    assert verify_payload_jwt(token(claims), SECRET, CLIENT_ID, store_hash=STORE) == claims
    refused(token(claims), "store_hash", store_hash="other1")


@given(
    user_id=st.integers(1, 2**53),
    store=st.text(alphabet="abcdefxyz0123456789", min_size=1, max_size=12),
    client_id=st.text(alphabet="abcdefxyz0123456789-", min_size=1, max_size=30),
    secret=st.text(min_size=32, max_size=50),
)
def test_round_trip(user_id, store, client_id, secret):
    claims = bc_claims(sub="stores/" + store, aud=client_id, user={"id": user_id, "email": "a@b.c"})
    assert verify_payload_jwt(token(claims, secret), secret, client_id, store_hash=store) == claims


def test_optional_nbf_iat():
    claims = bc_claims(nbf=..., iat=...)
    assert verify_payload_jwt(token(claims), SECRET, CLIENT_ID) == claims


def test_widened_algorithms():
    for alg in ("HS384", "HS512"):
        claims = bc_claims()
        refused(token(claims, alg=alg), "algorithm")
        assert verify_payload_jwt(token(claims, alg=alg), SECRET, CLIENT_ID, algorithms=("HS256", alg)) == claims
        assert verify_payload_jwt(token(claims, alg=alg), SECRET, CLIENT_ID, algorithms=alg) == claims


def test_a_single_algorithm_string_is_not_a_substring_match():
    claims = bc_claims()
    # PyJWT treats a str as a sequence: "HS256" would "contain" "HS2". We wrap it.
    refused(token(claims, header={"alg": "HS2", "typ": "JWT"}, sign_as="HS256"), algorithms="HS256")


# ---------------------------------------------------------------------------------------------
# refusals


def test_alg_none_refused():
    claims = bc_claims()
    refused(token(claims, alg="none"), "algorithm")
    refused(token(claims, header={"alg": "None", "typ": "JWT"}, sign_as="none"))
    refused(token(claims, header={"alg": "none"}, sign_as="none")[:-1])


def test_rs256_header_with_hmac_signature_refused():
    claims = bc_claims()
    refused(token(claims, header={"alg": "RS256", "typ": "JWT"}, sign_as="HS256"), "algorithm")
    refused(token(claims, header={"alg": "ES256", "typ": "JWT"}, sign_as="HS256"), "algorithm")
    refused(
        token(claims, header={"alg": "RS256", "typ": "JWT"}, sign_as="HS256"),
        "algorithm",
        algorithms=("HS256", "HS512"),
    )


def test_hs512_refused_by_default():
    refused(token(bc_claims(), alg="HS512"), "algorithm")


def test_header_alg_lies_about_hmac():
    # header says HS256 but the MAC is HS512 (and vice versa when widened)
    refused(token(bc_claims(), alg="HS256", sign_as="HS512"), "signature")
    refused(token(bc_claims(), alg="HS512", sign_as="HS256"), "signature", algorithms=("HS256", "HS512"))


def test_wrong_secret_refused():
    refused(token(bc_claims(), secret="x" * 40), "signature")


@pytest.mark.parametrize(
    "aud",
    ["other-app", "", CLIENT_ID.upper(), CLIENT_ID + " ", [CLIENT_ID], [CLIENT_ID, "x"], None, 1, {"aud": CLIENT_ID}],
)
def test_wrong_audience_refused(aud):
    refused(token(bc_claims(aud=aud)))


def test_missing_audience_refused():
    refused(token(bc_claims(aud=...)))


@pytest.mark.parametrize("iss", ["BC", "bc ", "", "bigcommerce", ["bc"], None, 1, ...])
def test_wrong_issuer_refused(iss):
    refused(token(bc_claims(iss=iss)))


@pytest.mark.parametrize(
    "sub",
    [
        "stores/",
        "store/abc123",
        "stores/abc123/extra",
        "abc123",
        "stores/abc 123",
        "stores/abc123\n",
        "/stores/abc123",
        "STORES/abc123",
        "",
        None,
        1,
        ["stores/abc"],
        "stores/" + "a" * 65,
        ...,
    ],
)
def test_bad_subject_refused(sub):
    refused(token(bc_claims(sub=sub)))


def test_expired_refused_with_leeway():
    now = int(time.time())
    refused(token(bc_claims(now=now - 90000, exp=now - 60)), "expired")
    refused(token(bc_claims(now=now - 90000, exp=now - 5)), "expired", leeway=0)
    claims = bc_claims(now=now - 90000, exp=now - 5)
    assert verify_payload_jwt(token(claims), SECRET, CLIENT_ID) == claims  # default leeway 10 s
    refused(token(bc_claims(exp=...)), "claims")


def test_not_yet_valid_refused():
    now = int(time.time())
    refused(token(bc_claims(nbf=now + 60)), "not_yet_valid")
    claims = bc_claims(nbf=now + 5)
    assert verify_payload_jwt(token(claims), SECRET, CLIENT_ID) == claims


@pytest.mark.parametrize(
    "field, value",
    [
        ("exp", "99999999999"),
        ("exp", None),
        ("exp", True),
        ("exp", [1]),
        ("exp", 1e400),
        ("exp", float("nan")),
        ("nbf", "0"),
        ("nbf", [0]),
        ("iat", "now"),
        ("iat", {"t": 1}),
        ("jti", 5),
    ],
)
def test_odd_claim_types_refused(field, value):
    refused(token(bc_claims(**{field: value})))


@pytest.mark.parametrize(
    "bad",
    [
        None,
        1,
        b"",
        "",
        ".",
        "..",
        "a.b.c",
        "a.b",
        "a.b.c.d",
        "\u00e9.\u00e9.\u00e9",
        "x" * (MAX_JWT_LENGTH + 1),
        ["a"],
        {"a": 1},
    ],
)
def test_malformed_refused(bad):
    refused(bad)


def test_bytes_token_refused():
    refused(token(bc_claims()).encode())


def test_claims_not_an_object_refused():
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    for body in (b"[1]", b"1", b"null", b'"x"', b"{", b"\xff"):
        signing_input = head + "." + b64url(body)
        sig = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
        refused(signing_input + "." + b64url(sig))


# ---------------------------------------------------------------------------------------------
# caller errors: plain ValueError, not JWTVerificationError


@pytest.mark.parametrize(
    "kwargs",
    [
        {"client_secret": ""},
        {"client_secret": None},
        {"client_id": ""},
        {"client_id": None},
        {"algorithms": ()},
        {"algorithms": ("none",)},
        {"algorithms": ("RS256",)},
        {"algorithms": ("HS256", "ES256")},
        {"algorithms": None},
        {"algorithms": [None]},
        {"leeway": -1},
        {"leeway": "10"},
        {"leeway": float("nan")},
        {"store_hash": ""},
        {"store_hash": "a/b"},
        {"store_hash": 5},
    ],
)
def test_caller_errors(kwargs):
    args = {"client_secret": SECRET, "client_id": CLIENT_ID}
    args.update(kwargs)
    with pytest.raises(ValueError) as info:
        verify_payload_jwt(token(bc_claims()), **args)
    assert not isinstance(info.value, JWTVerificationError)
    assert SECRET not in str(info.value)


# ---------------------------------------------------------------------------------------------
# the fuzzer

CHARS64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=8),
    st.floats(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
claim_names = st.sampled_from(["aud", "iss", "sub", "exp", "nbf", "iat", "jti", "user", "x"])
headers = st.one_of(
    st.sampled_from(["HS256", "HS384", "HS512", "none", "None", "RS256", "ES256", "PS256", "EdDSA", "", "hs256"]).map(
        lambda alg: {"alg": alg, "typ": "JWT"}
    ),
    st.dictionaries(st.sampled_from(["alg", "typ", "kid", "crit", "b64", "jku"]), odd_values, max_size=3),
)


@st.composite
def jwt_cases(draw):
    """(candidate, claims-if-valid-else-None)."""
    kind = draw(st.integers(0, 9))
    now = int(time.time())
    if kind == 0:  # valid
        claims = bc_claims(now=now, user={"id": draw(st.integers(1, 10**6)), "email": "a@b.c"})
        return token(claims), claims
    if kind == 1:  # valid, one character changed
        good = token(bc_claims(now=now))
        i = draw(st.integers(0, len(good) - 1))
        c = draw(st.sampled_from(CHARS64 + ".=+/ "))
        bad = good[:i] + c + good[i + 1 :]
        return bad, (bc_claims(now=now) if bad == good else None)
    if kind == 2:  # valid signature, one claim replaced by an odd value
        name = draw(claim_names)
        value = draw(odd_values)
        return token(bc_claims(now=now, **{name: value})), "maybe"
    if kind == 3:  # odd header, HMAC-SHA256 signature
        return token(bc_claims(now=now), header=draw(headers), sign_as="HS256"), "maybe"
    if kind == 4:  # alg none
        return token(
            bc_claims(now=now), header={"alg": draw(st.sampled_from(["none", "NONE", "nOnE"]))}, sign_as="none"
        ), None
    if kind == 5:  # wrong secret / wrong MAC
        return token(
            bc_claims(now=now),
            secret=draw(st.text(min_size=1, max_size=40)),
            sign_as=draw(st.sampled_from(["HS256", "HS512"])),
        ), None
    if kind == 6:  # random base64url segments
        segs = draw(st.lists(st.text(alphabet=CHARS64, max_size=40), min_size=1, max_size=5))
        return ".".join(segs), None
    if kind == 7:  # arbitrary text
        return draw(st.text(max_size=100)), None
    if kind == 8:  # not a str at all
        return draw(st.one_of(st.binary(max_size=50), st.none(), st.integers(), st.lists(st.none(), max_size=2))), None
    # kind 9: time-shifted valid tokens
    shift = draw(st.integers(-200000, 200000))
    claims = bc_claims(now=now + shift)
    return token(claims), "maybe"


@settings(max_examples=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(jwt_cases())
def test_fuzz_only_claims_or_jwt_verification_error(case):
    candidate, expected = case
    try:
        claims = verify_payload_jwt(candidate, SECRET, CLIENT_ID)
    except JWTVerificationError as err:
        assert not isinstance(expected, dict), err  # a genuine token must not be refused
        assert SECRET not in str(err) and str(err).startswith("signed_payload_jwt refused: ")
        if isinstance(candidate, str) and len(candidate) > 20:
            assert candidate not in str(err) and candidate[:20] not in str(err)
        assert err.__cause__ is None and err.__context__ is None
        return
    # Accepted: must be a genuine, fully valid token.
    assert expected is not None
    if isinstance(expected, dict):
        assert claims == expected
    assert type(claims) is dict
    assert claims["aud"] == CLIENT_ID and claims["iss"] == "bc"
    assert isinstance(claims["sub"], str) and claims["sub"].startswith("stores/")
    assert claims["exp"] > time.time() - 11
    assert "nbf" not in claims or claims["nbf"] <= time.time() + 11
    assert isinstance(candidate, str)
    header = json.loads(base64.urlsafe_b64decode(candidate.split(".")[0] + "=="))
    assert header.get("alg") == "HS256"
