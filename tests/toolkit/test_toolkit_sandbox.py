"""The toolkit end to end against the sandbox store and the real client (BigcommerceApi).

The sandbox signs its payloads with its own, independent code: these tests check that both sides
agree on the formats of API_FACTS ("OAuth app flow", "Webhooks")."""

from __future__ import annotations

import time

import jwt as pyjwt
import pytest

from bigcommerce import webhooks
from bigcommerce.customer_login import CustomerLoginTokens
from bigcommerce.oauth import JWTVerificationError, verify_payload, verify_payload_jwt

SECRET = "sandbox-toolkit-secret-" + "0123456789abcdef" * 4  # long: no InsecureKeyLengthWarning
CLIENT_ID = "toolkit-client"
STORE_HASH = "tk1store"


@pytest.fixture
def toolkit_store():
    from bigcommerce.sandbox import Sandbox

    with Sandbox(store_hash=STORE_HASH, client_id=CLIENT_ID, client_secret=SECRET) as store:
        yield store


def _paths(store, method, suffix):
    return [r for r in store.requests if r.method == method and r.path.rstrip("/").endswith(suffix)]


def test_legacy_signed_payload_from_sandbox(toolkit_store):
    signed = toolkit_store.signed_payload(user_id=5, email="five@example.com")
    data = verify_payload(signed, SECRET, max_age=300)
    assert data is not False
    assert data["user"]["id"] == 5 and data["user"]["email"] == "five@example.com"
    assert data["store_hash"] == STORE_HASH and data["context"] == "stores/" + STORE_HASH
    assert verify_payload(signed, "wrong-" + SECRET) is False
    assert verify_payload(signed[:-3] + "AAA", SECRET) is False


def test_legacy_signed_payload_max_age(toolkit_store):
    old = toolkit_store.signed_payload(timestamp=time.time() - 3600)
    assert verify_payload(old, SECRET, max_age=300) is False
    assert verify_payload(old, SECRET) is not False


def test_signed_payload_jwt_from_sandbox(toolkit_store):
    tok = toolkit_store.signed_payload_jwt(user_id=7, email="seven@example.com")
    claims = verify_payload_jwt(tok, SECRET, CLIENT_ID, store_hash=STORE_HASH)
    assert claims["user"]["id"] == 7 and claims["user"]["email"] == "seven@example.com"
    assert claims["sub"] == "stores/" + STORE_HASH and claims["aud"] == CLIENT_ID and claims["iss"] == "bc"
    with pytest.raises(JWTVerificationError):
        verify_payload_jwt(tok, SECRET, "another-client")
    with pytest.raises(JWTVerificationError):
        verify_payload_jwt(tok, SECRET, CLIENT_ID, store_hash="otherstore")
    with pytest.raises(JWTVerificationError):
        verify_payload_jwt(tok, "wrong-" + SECRET, CLIENT_ID)


def test_signed_payload_jwt_expired(toolkit_store):
    tok = toolkit_store.signed_payload_jwt(exp_seconds=-60)
    with pytest.raises(JWTVerificationError) as info:
        verify_payload_jwt(tok, SECRET, CLIENT_ID)
    assert info.value.reason == "expired"


def test_api_oauth_verify_wrappers(toolkit_store):
    api = toolkit_store.api()
    assert api.oauth_verify_payload(toolkit_store.signed_payload(user_id=3), SECRET)["user"]["id"] == 3
    assert api.oauth_verify_payload("forged.payload", SECRET) is False
    claims = api.oauth_verify_payload_jwt(toolkit_store.signed_payload_jwt(user_id=4), SECRET, CLIENT_ID)
    assert claims["user"]["id"] == 4


def test_customer_login_url_against_sandbox(toolkit_store):
    api = toolkit_store.api()
    secure_url = api.Store.all()["secure_url"].rstrip("/")
    before = len(_paths(toolkit_store, "GET", "/store"))
    urls = [
        CustomerLoginTokens.create_url(api, 12, redirect_url="/account.php", client_secret=SECRET) for _ in range(3)
    ]
    assert len(_paths(toolkit_store, "GET", "/store")) - before == 1  # secure_url fetched once per api
    prefix = secure_url + "/login/token/"
    for url in urls:
        assert url.startswith(prefix)
        claims = pyjwt.decode(url[len(prefix) :], SECRET, algorithms=["HS256"])
        assert claims["iss"] == CLIENT_ID and claims["store_hash"] == STORE_HASH
        assert claims["customer_id"] == 12 and claims["channel_id"] == 1
        assert claims["operation"] == "customer_login" and claims["redirect_to"] == "/account.php"
        assert abs(claims["iat"] - time.time()) < 5
    assert len({url for url in urls}) == 3  # a fresh jti each time


def test_customer_login_with_store_time(toolkit_store):
    api = toolkit_store.api()
    store_now = api.Time.all()["time"]
    tok = CustomerLoginTokens.create(api, 3, client_secret=SECRET, use_store_time=True)
    claims = pyjwt.decode(tok, SECRET, algorithms=["HS256"])
    assert abs(claims["iat"] - store_now) <= 2
    assert _paths(toolkit_store, "GET", "/time")


def test_register_webhook_against_sandbox(toolkit_store):
    api = toolkit_store.api()
    hook = webhooks.register(
        api, "store/order/created", "https://app.example/hooks", headers={"X-Hook-Token": "tok-123"}
    )
    assert hook["scope"] == "store/order/created" and hook["destination"] == "https://app.example/hooks"
    assert hook["headers"] == {"X-Hook-Token": "tok-123"} and hook["is_active"] is True
    posted = _paths(toolkit_store, "POST", "/hooks")
    assert len(posted) == 1
    assert posted[0].json == {
        "scope": "store/order/created",
        "destination": "https://app.example/hooks",
        "is_active": True,
        "headers": {"X-Hook-Token": "tok-123"},
    }
    assert [h["id"] for h in api.Webhooks.all()] == [hook["id"]]
    # the headers BigCommerce would send back authenticate the callback
    assert webhooks.verify_headers({"x-hook-token": "tok-123"}, hook["headers"]) is True
