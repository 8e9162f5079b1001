"""Customer login (SSO) tokens: every claim decoded with PyJWT, the secret's sources, the secure_url
cache and the store clock.  These use a small stand-in for the api object (the interface documented
in CONTRACT.md); the end-to-end tests against the sandbox are in test_toolkit_sandbox.py."""

from __future__ import annotations

import gc
import time
import uuid

import jwt as pyjwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigcommerce.customer_login import SECRET_ENV_VAR, CustomerLoginTokens

SECRET = "login-client-secret-" + "0123456789abcdef" * 4


class _Single:
    def __init__(self, payload):
        self.payload = payload
        self.calls = 0

    def all(self):
        self.calls += 1
        return dict(self.payload)


class FakeApi:
    """What customer_login needs from BigcommerceApi: client_id, store_hash, Store.all(), Time.all()."""

    def __init__(
        self,
        client_id="client-abc",
        store_hash="s7ore",
        secure_url="https://shop.example.com",
        store_time=1_600_000_000,
    ):
        self.client_id = client_id
        self.store_hash = store_hash
        self.Store = _Single({"id": "s7ore", "secure_url": secure_url, "domain": "shop.example.com"})
        self.Time = _Single({"time": store_time})


def decode(token, secret=SECRET):
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "HS256"
    return pyjwt.decode(token, secret, algorithms=["HS256"], options={"verify_iat": False})


def test_every_claim():
    api = FakeApi()
    before = int(time.time())
    token = CustomerLoginTokens.create(api, 42, client_secret=SECRET)
    after = int(time.time())
    claims = decode(token)
    assert set(claims) == {"iss", "iat", "jti", "operation", "store_hash", "customer_id", "channel_id"}
    assert claims["iss"] == "client-abc"
    assert before <= claims["iat"] <= after and isinstance(claims["iat"], int)
    assert len(claims["jti"]) == 32 and uuid.UUID(hex=claims["jti"]).version == 4
    assert claims["operation"] == "customer_login"
    assert claims["store_hash"] == "s7ore"
    assert claims["customer_id"] == 42
    assert claims["channel_id"] == 1
    assert api.Store.calls == 0 and api.Time.calls == 0  # create() needs no HTTP


def test_optional_claims():
    claims = decode(
        CustomerLoginTokens.create(
            FakeApi(), 7, redirect_url="/account.php", request_ip="203.0.113.9", channel_id=3, client_secret=SECRET
        )
    )
    assert claims["redirect_to"] == "/account.php"
    assert claims["request_ip"] == "203.0.113.9"
    assert claims["channel_id"] == 3
    claims = decode(CustomerLoginTokens.create(FakeApi(), 7, request_ip="2001:db8::1", client_secret=SECRET))
    assert claims["request_ip"] == "2001:db8::1" and "redirect_to" not in claims


@given(
    customer_id=st.integers(1, 2**53),
    channel_id=st.integers(1, 10**6),
    redirect=st.one_of(st.none(), st.text(alphabet="abc/._-?=&0123456789", min_size=1, max_size=30)),
    ip=st.one_of(st.none(), st.ip_addresses().map(str)),
    client_id=st.text(alphabet="abcdef0123456789-", min_size=1, max_size=30),
)
def test_claims_property(customer_id, channel_id, redirect, ip, client_id):
    token = CustomerLoginTokens.create(
        FakeApi(client_id=client_id),
        customer_id,
        redirect_url=redirect,
        request_ip=ip,
        channel_id=channel_id,
        client_secret=SECRET,
    )
    claims = decode(token)
    assert claims["customer_id"] == customer_id and claims["channel_id"] == channel_id
    assert claims["iss"] == client_id
    assert claims.get("redirect_to") == redirect
    assert claims.get("request_ip") == ip


def test_jti_unique():
    api = FakeApi()
    jtis = {decode(CustomerLoginTokens.create(api, 1, client_secret=SECRET))["jti"] for _ in range(200)}
    assert len(jtis) == 200


def test_signed_with_the_secret_only():
    token = CustomerLoginTokens.create(FakeApi(), 1, client_secret=SECRET)
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token, "another-secret-" + "x" * 64, algorithms=["HS256"])


def test_secret_from_env_only_as_fallback(monkeypatch):
    env_secret = "env-secret-" + "e" * 64
    monkeypatch.setenv(SECRET_ENV_VAR, env_secret)
    assert decode(CustomerLoginTokens.create(FakeApi(), 1), env_secret)["customer_id"] == 1
    # an explicit secret wins over the environment
    assert decode(CustomerLoginTokens.create(FakeApi(), 1, client_secret=SECRET))["customer_id"] == 1


def test_no_secret_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(SECRET_ENV_VAR, raising=False)
    with pytest.raises(ValueError, match="APP_CLIENT_SECRET"):
        CustomerLoginTokens.create(FakeApi(), 1)
    monkeypatch.setenv(SECRET_ENV_VAR, "")
    with pytest.raises(ValueError, match="client_secret"):
        CustomerLoginTokens.create(FakeApi(), 1)


def test_empty_explicit_secret_does_not_fall_back(monkeypatch):
    monkeypatch.setenv(SECRET_ENV_VAR, "env-secret-" + "e" * 64)
    with pytest.raises(ValueError) as info:
        CustomerLoginTokens.create(FakeApi(), 1, client_secret="")
    assert "e" * 20 not in str(info.value)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"customer_id": 0}, ValueError),
        ({"customer_id": -3}, ValueError),
        ({"customer_id": "5"}, TypeError),
        ({"customer_id": True}, TypeError),
        ({"customer_id": 1.0}, TypeError),
        ({"channel_id": 0}, ValueError),
        ({"channel_id": None}, TypeError),
        ({"request_ip": "not-an-ip"}, ValueError),
        ({"request_ip": "1.2.3.4\n"}, ValueError),
        ({"redirect_url": ""}, ValueError),
        ({"redirect_url": "/a\r\nSet-Cookie: x"}, ValueError),
    ],
)
def test_invalid_arguments(kwargs, error):
    args = {"customer_id": 1, "client_secret": SECRET}
    args.update(kwargs)
    with pytest.raises(error) as info:
        CustomerLoginTokens.create(FakeApi(), **args)
    assert SECRET not in str(info.value)


def test_api_without_oauth_identity():
    api = FakeApi(client_id=None)
    with pytest.raises(ValueError, match="client_id"):
        CustomerLoginTokens.create(api, 1, client_secret=SECRET)
    api = FakeApi(store_hash="")
    with pytest.raises(ValueError, match="store_hash"):
        CustomerLoginTokens.create(api, 1, client_secret=SECRET)


def test_store_time():
    api = FakeApi(store_time=1_234_567_890)
    claims = decode(CustomerLoginTokens.create(api, 1, client_secret=SECRET, use_store_time=True))
    assert claims["iat"] == 1_234_567_890
    assert api.Time.calls == 1


def test_store_time_must_be_numeric():
    api = FakeApi(store_time="yesterday")
    with pytest.raises(ValueError, match="time"):
        CustomerLoginTokens.create(api, 1, client_secret=SECRET, use_store_time=True)


def test_create_url_and_secure_url_cache():
    api = FakeApi(secure_url="https://shop.example.com/")
    urls = [CustomerLoginTokens.create_url(api, 5, client_secret=SECRET) for _ in range(3)]
    assert api.Store.calls == 1  # fetched once per api object
    for url in urls:
        prefix = "https://shop.example.com/login/token/"
        assert url.startswith(prefix)
        claims = decode(url[len(prefix) :])
        assert claims["customer_id"] == 5
    other = FakeApi(secure_url="https://other.example.com")
    assert CustomerLoginTokens.create_url(other, 5, client_secret=SECRET).startswith(
        "https://other.example.com/login/token/"
    )
    assert other.Store.calls == 1 and api.Store.calls == 1
    CustomerLoginTokens.forget_secure_url(api)
    CustomerLoginTokens.create_url(api, 5, client_secret=SECRET)
    assert api.Store.calls == 2


def test_create_url_with_store_time_and_options():
    api = FakeApi(store_time=1_500_000_000)
    url = CustomerLoginTokens.create_url(
        api, 9, redirect_url="/cart.php", request_ip="10.0.0.1", channel_id=2, client_secret=SECRET, use_store_time=True
    )
    claims = decode(url.rsplit("/", 1)[1])
    assert claims == {
        **claims,
        "iat": 1_500_000_000,
        "customer_id": 9,
        "redirect_to": "/cart.php",
        "request_ip": "10.0.0.1",
        "channel_id": 2,
    }


def test_cache_does_not_keep_api_alive():
    import weakref

    api = FakeApi()
    CustomerLoginTokens.create_url(api, 1, client_secret=SECRET)
    ref = weakref.ref(api)
    del api
    gc.collect()
    assert ref() is None


def test_cache_follows_store_hash_change():
    api = FakeApi()
    CustomerLoginTokens.create_url(api, 1, client_secret=SECRET)
    api.store_hash = "another"
    CustomerLoginTokens.create_url(api, 1, client_secret=SECRET)
    assert api.Store.calls == 2


@pytest.mark.parametrize(
    "secure_url", [None, "", "ftp://shop.example.com", "shop.example.com", "https://shop.example.com/ x", 42]
)
def test_unusable_secure_url(secure_url):
    api = FakeApi(secure_url=secure_url)
    with pytest.raises(ValueError, match="secure_url"):
        CustomerLoginTokens.create_url(api, 1, client_secret=SECRET)
