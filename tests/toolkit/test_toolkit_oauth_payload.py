"""Legacy ``signed_payload`` verification: round trips, forgeries, max_age, and a 10,000-example fuzzer.

Valid payloads are built here by hand from the format in API_FACTS ("OAuth app flow"):
``base64(json) + "." + base64(hex(HMAC-SHA256(client_secret, json)))``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bigcommerce.oauth import FUTURE_TIMESTAMP_TOLERANCE, MAX_SIGNED_PAYLOAD_LENGTH, verify_payload

SECRET = "test-client-secret-0123456789abcdef"
NOW = 1_700_000_000.0


def sign(body: bytes, secret: str = SECRET, pad: bool = True) -> str:
    """Build a legacy signed payload around exactly these JSON bytes."""
    sig = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest().encode("ascii")
    left = base64.b64encode(body).decode("ascii")
    right = base64.b64encode(sig).decode("ascii")
    if not pad:
        left, right = left.rstrip("="), right.rstrip("=")
    return left + "." + right


def make(data, secret: str = SECRET, pad: bool = True) -> str:
    return sign(json.dumps(data).encode("utf-8"), secret, pad)


def bc_payload(user_id=1, email="owner@example.com", store_hash="abc123", timestamp=NOW):
    return {
        "user": {"id": user_id, "email": email},
        "owner": {"id": 1, "email": "owner@example.com"},
        "context": "stores/" + store_hash,
        "store_hash": store_hash,
        "timestamp": timestamp,
    }


# ---------------------------------------------------------------------------------------------
# strategies (cheap: the fuzzer must run 10k examples in seconds)

emails = st.text(alphabet="abcxyz.+-_", min_size=1, max_size=8).map(lambda local: local + "@example.com")
payload_dicts = st.builds(
    bc_payload,
    user_id=st.integers(min_value=1, max_value=10**9),
    email=emails,
    store_hash=st.text(alphabet="abcdz0129", min_size=1, max_size=10),
    timestamp=st.integers(0, 2 * 10**9).map(lambda n: n / 1000 if n % 2 else n),
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=5), kids, max_size=3)),
    max_leaves=8,
)
secrets_ = st.text(min_size=1, max_size=40)
B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def flip_char(text: str, index: int, replacement: str) -> str:
    index %= len(text)
    return text[:index] + replacement + text[index + 1 :]


def as_object(body: bytes):
    """What a correct verifier must return for a correctly signed `body`: the JSON object or None."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


@st.composite
def near_valid(draw):
    """A (signed_payload, data, body) triple: a payload signed over `body` (JSON of `data`), then
    usually damaged in one way.  `body` None means "nothing here may verify"."""
    data = draw(payload_dicts)
    body = json.dumps(data).encode("utf-8")
    good = sign(body)
    left, right = good.split(".")
    kind = draw(st.integers(0, 17))
    if kind == 0:  # one character replaced anywhere
        damaged = flip_char(good, draw(st.integers(0, 10**6)), draw(st.sampled_from(B64_ALPHABET + ".-_ \n")))
    elif kind == 1:  # one byte of the JSON flipped, then re-encoded (signature unchanged)
        i = draw(st.integers(0, len(body) - 1))
        bit = 1 << draw(st.integers(0, 7))
        flipped = body[:i] + bytes([body[i] ^ bit]) + body[i + 1 :]
        damaged = base64.b64encode(flipped).decode() + "." + right
    elif kind == 2:  # signed with another secret
        other = draw(secrets_)
        assume(other != SECRET)
        damaged = sign(body, other)
    elif kind == 3:  # re-padded: extra or missing '=' in either part
        extra = draw(st.sampled_from(["=", "==", "===", "A=", "=A"]))
        damaged = draw(
            st.sampled_from(
                [
                    left + extra + "." + right,
                    left + "." + right + extra,
                    left.rstrip("=") + "." + right + "=",
                    left.rstrip("=") + "." + right.rstrip("="),
                    left + "." + right.rstrip("="),
                    left + "=" * 4 + "." + right,
                ]
            )
        )
    elif kind == 4:  # URL-safe alphabet
        damaged = base64.urlsafe_b64encode(body).decode() + "." + right
    elif kind == 5:  # uppercase hex signature
        sig = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest().upper().encode()
        damaged = left + "." + base64.b64encode(sig).decode()
    elif kind == 6:  # raw digest instead of hex
        sig = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
        damaged = left + "." + base64.b64encode(sig).decode()
    elif kind == 7:  # parts swapped / extra part / missing part
        damaged = draw(
            st.sampled_from(
                [
                    right + "." + left,
                    good + ".",
                    "." + good,
                    good + "." + right,
                    left,
                    left + right,
                    left + ".." + right,
                ]
            )
        )
    elif kind == 8:  # whitespace inserted
        damaged = flip_char(good, draw(st.integers(0, 10**6)), draw(st.sampled_from([" ", "\n", "\t", "\r\n"])) + "A")
    elif kind == 9:  # signature truncated or extended
        cut = draw(st.integers(1, len(right)))
        damaged = left + "." + draw(st.sampled_from([right[:-cut], right + "AAAA", right[:-cut] + "="]))
    elif kind == 10:  # correctly signed, but not a JSON object
        value = draw(st.one_of(json_scalars, st.lists(json_scalars, max_size=3)))
        return sign(json.dumps(value).encode()), None, None
    elif kind == 11:  # correctly signed arbitrary bytes (bad JSON, bad UTF-8, empty...)
        raw = draw(st.binary(max_size=40))
        obj = as_object(raw)
        return sign(raw), obj, (raw if obj is not None else None)
    elif kind == 12:  # non-ASCII junk spliced in
        damaged = flip_char(good, draw(st.integers(0, 10**6)), draw(st.characters(min_codepoint=128)))
    elif kind == 13:  # a valid payload (padded or not): must verify to exactly `data`
        damaged = draw(st.sampled_from([good, sign(body, pad=False)]))
    elif kind == 14:  # correctly signed arbitrary JSON object
        value = draw(st.dictionaries(st.text(max_size=5), json_values, max_size=4))
        raw = json.dumps(value).encode()
        return sign(raw), value, raw
    elif kind == 15:  # non-canonical base64 (non-zero trailing bits)
        core = left.rstrip("=")
        if len(core) % 4 == 0:
            damaged = "A" + good
        else:
            last = core[-1]
            nxt = B64_ALPHABET[(B64_ALPHABET.index(last) + 1) % 64]
            damaged = core[:-1] + nxt + left[len(core) :] + "." + right
    elif kind == 16:  # the bytes of a valid payload
        return good.encode("ascii"), None, None
    else:  # signature over the JSON re-serialised differently (no spaces): a different body
        body2 = json.dumps(data, separators=(",", ":")).encode()
        damaged = (
            left
            + "."
            + base64.b64encode(hmac.new(SECRET.encode(), body2, hashlib.sha256).hexdigest().encode()).decode()
        )
    return damaged, data, body


def must_accept(candidate, body) -> bool:
    """The oracle: a payload verifies iff it is `body` correctly signed, each part canonical base64
    with its padding either exact or stripped."""
    if body is None or not isinstance(candidate, str):
        return False
    left, right = sign(body).split(".")
    parts = candidate.split(".")
    return len(parts) == 2 and parts[0] in (left, left.rstrip("=")) and parts[1] in (right, right.rstrip("="))


fuzz_inputs = st.one_of(
    near_valid(),
    st.tuples(st.text(max_size=200), st.none(), st.none()),
    st.tuples(st.text(alphabet=B64_ALPHABET + ".", max_size=200), st.none(), st.none()),
    st.tuples(st.binary(max_size=200), st.none(), st.none()),
    st.tuples(
        st.one_of(
            st.none(),
            st.integers(),
            st.floats(),
            st.lists(st.text(max_size=3), max_size=3),
            st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
        ),
        st.none(),
        st.none(),
    ),
)


# ---------------------------------------------------------------------------------------------
# the fuzzer


@settings(max_examples=10_000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(fuzz_inputs)
def test_fuzz_only_false_or_the_exact_dict(case):
    candidate, data, body = case
    result = verify_payload(candidate, SECRET)
    if must_accept(candidate, body):
        assert type(result) is dict and result == data
    else:
        assert result is False


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(fuzz_inputs, st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=3e9))
def test_fuzz_with_max_age_never_raises(case, max_age, now):
    result = verify_payload(case[0], SECRET, max_age=max_age, now=now)
    assert result is False or (must_accept(case[0], case[2]) and result == case[1])


# ---------------------------------------------------------------------------------------------
# round trips


@given(payload_dicts, secrets_, st.booleans())
def test_round_trip(data, secret, pad):
    assert verify_payload(make(data, secret, pad), secret) == data


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=5), secrets_)
def test_round_trip_any_object(data, secret):
    assert verify_payload(make(data, secret), secret) == data


@given(payload_dicts, secrets_, secrets_)
def test_wrong_secret_refused(data, secret, other):
    assume(secret.encode() != other.encode())
    assert verify_payload(make(data, secret), other) is False


def test_bytes_secret_accepted():
    data = bc_payload()
    assert verify_payload(make(data), SECRET.encode()) == data


def test_real_shape():
    data = bc_payload(user_id=42, email="jane@example.com", store_hash="z4zn3wo")
    assert verify_payload(make(data), SECRET) == data


# ---------------------------------------------------------------------------------------------
# specific forgeries and malformed inputs


def _payload_with_plus_or_slash():
    for n in range(2000):
        data = bc_payload(user_id=n, email="a>?~@example.com")
        left = make(data).split(".")[0]
        if "+" in left or "/" in left:
            return data
    raise AssertionError("no payload with + or / found")


def test_urlsafe_base64_refused():
    data = _payload_with_plus_or_slash()
    body = json.dumps(data).encode()
    good = sign(body)
    assert verify_payload(good, SECRET) == data
    left, right = good.split(".")
    assert verify_payload(left.replace("+", "-").replace("/", "_") + "." + right, SECRET) is False


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p + "=",
        lambda p: p.replace(".", ".="),
        lambda p: " " + p,
        lambda p: p + "\n",
        lambda p: p.replace(".", ". "),
        lambda p: p.replace(".", ".."),
        lambda p: p.replace(".", ""),
        lambda p: p.split(".")[0],
        lambda p: p + "." + p.split(".")[1],
        lambda p: "",
        lambda p: ".",
        lambda p: p.upper(),
        lambda p: p.lower(),
        lambda p: "\u00e9" + p,
        lambda p: p.encode(),
        lambda p: bytearray(p.encode()),
        lambda p: None,
        lambda p: 12,
        lambda p: [p],
        lambda p: {"signed_payload": p},
    ],
)
def test_mangled_payloads_refused(mangle):
    good = make(bc_payload())
    assert verify_payload(mangle(good), SECRET) is False


def test_huge_inputs_refused_quickly():
    good = make(bc_payload())
    huge = "A" * (MAX_SIGNED_PAYLOAD_LENGTH + 1) + "." + good.split(".")[1]
    start = time.perf_counter()
    assert verify_payload(huge, SECRET) is False
    assert verify_payload("A" * 10**7, SECRET) is False
    assert verify_payload(good + "A" * 10**7, SECRET) is False
    assert time.perf_counter() - start < 1.0


def test_large_but_allowed_payload_verifies():
    data = bc_payload(email="x" * 30_000 + "@example.com")
    signed = make(data)
    assert len(signed) < MAX_SIGNED_PAYLOAD_LENGTH
    assert verify_payload(signed, SECRET) == data


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[]",
        b"[1,2]",
        b'"str"',
        b"42",
        b"true",
        b"{",
        b"\xff\xfe{}",
        b'{"a":1}x',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b"1" * 10_000,
    ],
)
def test_signed_non_objects_refused(body):
    assert verify_payload(sign(body), SECRET) is False


def test_deep_but_valid_json_object():
    data = {"a": [[[[[[1]]]]]]}
    assert verify_payload(make(data), SECRET) == data


# ---------------------------------------------------------------------------------------------
# the secret


@pytest.mark.parametrize("secret", ["", b"", None, 0, ["s"]])
def test_empty_or_non_str_secret_raises_value_error(secret):
    with pytest.raises(ValueError) as info:
        verify_payload(make(bc_payload()), secret)
    assert SECRET not in str(info.value)


def test_empty_secret_refused_even_for_payload_signed_with_empty_key():
    body = json.dumps(bc_payload()).encode()
    sig = hmac.new(b"", body, hashlib.sha256).hexdigest().encode()
    forged = base64.b64encode(body).decode() + "." + base64.b64encode(sig).decode()
    with pytest.raises(ValueError):
        verify_payload(forged, "")


def test_comparison_is_constant_time(monkeypatch):
    import bigcommerce.oauth as oauth

    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(oauth.hmac, "compare_digest", spy)
    good = make(bc_payload())
    assert verify_payload(good, "another-secret") is False
    assert verify_payload(good, SECRET) == bc_payload()
    assert len(calls) == 2


# ---------------------------------------------------------------------------------------------
# max_age


@given(age=st.floats(min_value=-FUTURE_TIMESTAMP_TOLERANCE, max_value=3600, allow_nan=False))
def test_max_age_accepts_fresh(age):
    data = bc_payload(timestamp=NOW - age)
    assert verify_payload(make(data), SECRET, max_age=3600, now=NOW) == data


@given(
    age=st.one_of(
        st.floats(min_value=3600.001, max_value=1e9),
        st.floats(min_value=-1e9, max_value=-FUTURE_TIMESTAMP_TOLERANCE - 0.001),
    )
)
def test_max_age_refuses_stale_and_future(age):
    data = bc_payload(timestamp=NOW - age)
    assert verify_payload(make(data), SECRET, max_age=3600, now=NOW) is False
    assert verify_payload(make(data), SECRET) == data  # without max_age the timestamp is not checked


@pytest.mark.parametrize(
    "stamp, ok",
    [
        (NOW, True),
        (int(NOW) - 10, True),
        (str(int(NOW) - 10), True),
        ("%.3f" % (NOW - 1), True),
        (None, False),
        (True, False),
        ("soon", False),
        ([NOW], False),
        ({"t": NOW}, False),
        ("1e9", False),
        (10**400, False),
        ("", False),
    ],
)
def test_max_age_timestamp_forms(stamp, ok):
    data = bc_payload(timestamp=stamp)
    result = verify_payload(make(data), SECRET, max_age=60, now=NOW)
    assert (result == data) if ok else (result is False)


def test_max_age_missing_timestamp():
    data = bc_payload()
    del data["timestamp"]
    assert verify_payload(make(data), SECRET, max_age=60, now=NOW) is False
    assert verify_payload(make(data), SECRET) == data


def test_max_age_defaults_to_the_clock_and_accepts_callable_now():
    data = bc_payload(timestamp=time.time() - 5)
    assert verify_payload(make(data), SECRET, max_age=60) == data
    assert verify_payload(make(data), SECRET, max_age=1) is False
    assert verify_payload(make(data), SECRET, max_age=60, now=lambda: data["timestamp"] + 10) == data


def test_max_age_zero_and_nan_and_infinite_timestamps():
    assert verify_payload(make(bc_payload(timestamp=NOW)), SECRET, max_age=0, now=NOW) == bc_payload()
    nan_body = json.dumps(bc_payload(timestamp=float("nan"))).encode()  # NaN literal, valid for json.loads
    assert verify_payload(sign(nan_body), SECRET, max_age=60, now=NOW) is False
    inf_body = json.dumps(bc_payload(timestamp=float("inf"))).encode()
    assert verify_payload(sign(inf_body), SECRET, max_age=60, now=NOW) is False


@pytest.mark.parametrize("max_age", [-1, float("nan"), "60", [60], True])
def test_bad_max_age_is_a_caller_error(max_age):
    with pytest.raises(ValueError):
        verify_payload(make(bc_payload()), SECRET, max_age=max_age, now=NOW)


@example(payload="")
@given(payload=st.text(max_size=50))
def test_bad_max_age_raises_even_for_junk(payload):
    with pytest.raises(ValueError):
        verify_payload(payload, SECRET, max_age=-5)
