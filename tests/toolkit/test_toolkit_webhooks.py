"""Webhook helpers: header verification (property-based), callback parsing (property-based and fuzzed),
registration through the api's Webhooks resource."""

from __future__ import annotations

import dataclasses
import hmac
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bigcommerce import webhooks
from bigcommerce.webhooks import (
    MAX_CALLBACK_BODY,
    WebhookEvent,
    WebhookPayloadError,
    headers_from_environ,
    parse_callback,
    register,
    verify_headers,
)

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
header_names = st.text(alphabet=TOKEN_CHARS, min_size=1, max_size=20).filter(lambda n: n.strip("-"))
header_values = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40)


def _unique_ci(d):
    return len({k.lower() for k in d}) == len(d)


expected_headers = st.dictionaries(header_names, header_values, min_size=1, max_size=4).filter(_unique_ci)


def _recase(draw, name):
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.swapcase() if f else c for c, f in zip(name, flips))


@st.composite
def matching(draw):
    """(expected, received) where received carries every expected header, names re-cased, plus extras."""
    expected = draw(expected_headers)
    received = {_recase(draw, k): v for k, v in expected.items()}
    extras = draw(st.dictionaries(header_names, header_values, max_size=4))
    for k, v in extras.items():
        if k.lower() not in {n.lower() for n in received}:
            received[k] = v
    return expected, received


# ---------------------------------------------------------------------------------------------
# verify_headers


@given(matching())
def test_matching_headers_accepted(case):
    expected, received = case
    assert verify_headers(received, expected) is True
    assert verify_headers(list(received.items()), expected) is True


@given(matching(), st.data())
def test_missing_header_refused(case, data):
    expected, received = case
    drop = data.draw(st.sampled_from(sorted(expected)))
    received = {k: v for k, v in received.items() if k.lower() != drop.lower()}
    assert verify_headers(received, expected) is False


@given(matching(), st.data())
def test_changed_value_refused(case, data):
    expected, received = case
    name = data.draw(st.sampled_from(sorted(received)))
    assume(name.lower() in {k.lower() for k in expected})
    new = data.draw(header_values)
    assume(new != received[name])
    received[name] = new
    assert verify_headers(received, expected) is False


@given(matching())
def test_value_case_matters(case):
    expected, received = case
    changed = {k: v.swapcase() for k, v in received.items()}
    should = all(changed[k] == received[k] for k in received if k.lower() in {e.lower() for e in expected})
    assert verify_headers(changed, expected) is should


def test_surrounding_whitespace_of_received_value_ignored():
    assert verify_headers({"X-Token": "  abc\t"}, {"x-token": "abc"}) is True
    assert verify_headers({"X-Token": "a bc"}, {"x-token": "abc"}) is False


def test_duplicate_received_header_refused():
    assert verify_headers([("X-Token", "abc"), ("x-token", "abc")], {"X-Token": "abc"}) is False
    assert verify_headers([("X-Token", "abc"), ("x-token", "zzz")], {"X-Token": "abc"}) is False


def test_requests_and_bytes_headers():
    from requests.structures import CaseInsensitiveDict

    assert verify_headers(CaseInsensitiveDict({"X-Token": "abc"}), {"x-TOKEN": "abc"}) is True
    assert verify_headers({b"X-Token": b"abc"}, {"x-token": "abc"}) is True
    assert verify_headers({"X-Token": "\u00e9"}, {"x-token": "\u00e9"}) is True


def test_wsgi_environ_headers():
    environ = {"HTTP_X_HOOK_TOKEN": "abc", "CONTENT_TYPE": "application/json", "wsgi.input": object()}
    headers = headers_from_environ(environ)
    assert headers == {"x-hook-token": "abc", "content-type": "application/json"}
    assert verify_headers(headers, {"X-Hook-Token": "abc"}) is True


odd = st.one_of(
    st.none(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=5),
            st.tuples(st.text(max_size=5)),
            st.tuples(st.text(max_size=5), st.integers()),
            st.tuples(st.text(max_size=5), st.text(max_size=5), st.text(max_size=5)),
        ),
        max_size=4,
    ),
    st.dictionaries(
        st.one_of(st.text(max_size=8), st.integers(), st.binary(max_size=4), st.none()),
        st.one_of(
            st.text(max_size=8),
            st.integers(),
            st.binary(max_size=8),
            st.none(),
            st.lists(st.text(max_size=3), max_size=2),
        ),
        max_size=4,
    ),
)


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(odd, expected_headers)
def test_odd_received_never_raises(received, expected):
    result = verify_headers(received, expected)
    assert result is False or result is True
    if result:  # only possible if every expected header is really there
        assert isinstance(received, (dict, list))


@pytest.mark.parametrize("expected", [{}, [], None, {"": "x"}, {"X-A": 1}, {1: "x"}, {"X-A": "1", "x-a": "2"}, "ab"])
def test_bad_expected_is_a_caller_error(expected):
    with pytest.raises(ValueError) as info:
        verify_headers({"X-A": "1"}, expected)
    assert "1" not in str(info.value)  # the message never quotes header values


def test_every_expected_header_is_compared(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(webhooks.hmac, "compare_digest", spy)
    expected = {"X-A": "1", "X-B": "2", "X-C": "3"}
    assert verify_headers({"X-A": "wrong", "X-C": "3"}, expected) is False  # first mismatches, second missing
    assert len(calls) == 3


# ---------------------------------------------------------------------------------------------
# parse_callback


def callback(**overrides):
    body = {
        "scope": "store/order/created",
        "store_id": "1025646",
        "data": {"type": "order", "id": 250},
        "hash": "dd70c0976e06b67aaf671e73f49dcb79230ebf9d",
        "created_at": 1561479335,
        "producer": "stores/abc123",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def test_parse_documented_example():
    event = parse_callback(json.dumps(callback()).encode())
    assert event == WebhookEvent(
        scope="store/order/created",
        store_id="1025646",
        data={"type": "order", "id": 250},
        hash="dd70c0976e06b67aaf671e73f49dcb79230ebf9d",
        created_at=1561479335,
        producer="stores/abc123",
    )
    assert event.resource_type == "order" and event.resource_id == 250 and event.store_hash == "abc123"
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.scope = "x"  # type: ignore[misc]
    assert hash(event) == hash(parse_callback(callback()))


callbacks = st.builds(
    callback,
    scope=st.sampled_from(
        ["store/order/created", "store/product/updated", "store/cart/created", "store/app/uninstalled"]
    ),
    store_id=st.one_of(st.text(alphabet="0123456789", min_size=1, max_size=10), st.integers(0, 10**10)),
    data=st.one_of(
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["order", "product", "cart"]),
                "id": st.one_of(st.integers(0, 10**9), st.uuids().map(str)),
            }
        ),
        st.just({}),
    ),
    hash=st.one_of(st.text(alphabet="0123456789abcdef", max_size=40), st.just(...)),
    created_at=st.integers(0, 2**40),
    producer=st.from_regex(r"stores/[a-z0-9]{1,10}", fullmatch=True),
)


@given(callbacks, st.sampled_from(["bytes", "str", "dict"]))
def test_parse_property(body, form):
    raw = {"bytes": json.dumps(body).encode(), "str": json.dumps(body), "dict": body}[form]
    event = parse_callback(raw)
    assert event.scope == body["scope"]
    assert event.store_id == str(body["store_id"])
    assert event.data == body["data"]
    assert event.hash == body.get("hash")
    assert event.created_at == body["created_at"] and type(event.created_at) is int
    assert event.producer == body["producer"] and event.store_hash == body["producer"][7:]
    assert event.resource_type == body["data"].get("type")
    assert event.resource_id == body["data"].get("id")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[]",
        b"{",
        b"\xff",
        "not json",
        5,
        None,
        [callback()],
        callback(scope=...),
        callback(scope=""),
        callback(scope=5),
        callback(store_id=...),
        callback(store_id=True),
        callback(store_id=""),
        callback(data=...),
        callback(data=[1]),
        callback(data="x"),
        callback(hash=5),
        callback(created_at=...),
        callback(created_at="1561479335"),
        callback(created_at=1.5),
        callback(created_at=True),
        callback(created_at=None),
        callback(producer=...),
        callback(producer=""),
        callback(producer=["stores/x"]),
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b" " * (MAX_CALLBACK_BODY + 1),
    ],
)
def test_malformed_callbacks(body):
    with pytest.raises(WebhookPayloadError):
        parse_callback(body)


def test_integral_float_created_at_and_odd_data():
    event = parse_callback(callback(created_at=1561479335.0, data={"type": 3, "id": True}))
    assert event.created_at == 1561479335 and type(event.created_at) is int
    assert event.resource_type is None and event.resource_id is None
    assert parse_callback(callback(producer="apps/x")).store_hash is None


@st.composite
def mutated_callback(draw):
    """The documented callback's JSON text with one character replaced (as text or UTF-8 bytes)."""
    text = json.dumps(callback())
    i = draw(st.integers(0, len(text) - 1))
    mutated = text[:i] + draw(st.characters()) + text[i + 1 :]
    return draw(st.sampled_from([mutated, mutated.encode("utf-8", "surrogatepass")]))


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=100),
        st.text(max_size=100),
        mutated_callback(),
        st.dictionaries(
            st.sampled_from(["scope", "store_id", "data", "hash", "created_at", "producer", "x"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(),
                st.text(max_size=10),
                st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            ),
            max_size=7,
        ),
    )
)
def test_fuzz_parse_only_event_or_payload_error(body):
    try:
        event = parse_callback(body)
    except WebhookPayloadError:
        return
    assert isinstance(event, WebhookEvent)
    assert isinstance(event.scope, str) and isinstance(event.store_id, str) and isinstance(event.data, dict)
    assert type(event.created_at) is int and isinstance(event.producer, str)


# ---------------------------------------------------------------------------------------------
# register


class _Hooks:
    def __init__(self):
        self.calls = []

    def create(self, **fields):
        self.calls.append(fields)
        return {"id": 1, **fields}


class _Api:
    def __init__(self):
        self.Webhooks = _Hooks()


def test_register_with_headers():
    api = _Api()
    hook = register(api, "store/order/created", "https://app.example/hooks", headers={"X-Hook-Token": "abc"})
    assert api.Webhooks.calls == [
        {
            "scope": "store/order/created",
            "destination": "https://app.example/hooks",
            "is_active": True,
            "headers": {"X-Hook-Token": "abc"},
        }
    ]
    assert hook["id"] == 1


def test_register_without_headers_and_inactive():
    api = _Api()
    register(api, "store/product/*", "https://app.example/hooks", is_active=False)
    assert api.Webhooks.calls == [
        {"scope": "store/product/*", "destination": "https://app.example/hooks", "is_active": False}
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scope": ""},
        {"scope": None},
        {"destination": ""},
        {"headers": {"X-A": 1}},
        {"headers": {"": "x"}},
        {"headers": {"X-A": "a\r\nX-B: b"}},
        {"headers": {"X:A": "a"}},
    ],
)
def test_register_invalid(kwargs):
    args = {"scope": "store/order/created", "destination": "https://app.example/hooks"}
    args.update(kwargs)
    with pytest.raises(ValueError):
        register(_Api(), **args)
