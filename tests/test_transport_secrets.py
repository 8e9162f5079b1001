"""No secret in any output, whoever wrote the message: requests' own InvalidHeader (a token with a
trailing CR/LF), a server that echoes the credentials in its error body, tracebacks, log records and
the CLI's one-line error."""

from __future__ import annotations

import base64
import json
import logging
import pickle
import subprocess
import sys
import traceback

import pytest
import requests
from test_classic_helpers import REPO, LocalServer, subprocess_env
from transport_helpers import send_json

from bigcommerce.api import BigcommerceApi
from bigcommerce.exception import ClientRequestException, InvalidRequest, redact

TOKEN = "tok-SECRET-4f9a1c"
PASSWORD = "pw-SECRET-77d2e0"
SECRETS = (TOKEN, PASSWORD, base64.b64encode(f"admin:{PASSWORD}".encode()).decode())


def everything_said(error: BaseException) -> str:
    """Every text an exception can show: str, repr, the traceback with its chain, its pickle."""
    parts = [str(error), repr(error), "".join(traceback.format_exception(type(error), error, error.__traceback__))]
    parts.append(repr(pickle.loads(pickle.dumps(error))))
    parts += [str(getattr(error, name, "")) for name in ("message", "summary", "reason")]
    # .errors is the parsed body, data as the server sent it: not a message, not scanned
    return "\n".join(parts)


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
        assert repr(secret)[1:-1] not in text


def echo(handler, body):
    """Answers 400 quoting every header it received, as a careless proxy would."""
    received = {k: v for k, v in handler.headers.items()}
    payload = json.dumps(
        [
            {"status": 400, "message": f"bad request, headers were {received}"},
            {
                "status": 400,
                "message": f"Authorization: {received.get('Authorization')}",
                "details": {"access_token": TOKEN},
            },
        ]
    ).encode()
    send_json(handler, 400, payload)


@pytest.fixture(scope="module")
def echo_server():
    server = LocalServer(echo)
    yield server
    server.close()


@pytest.mark.parametrize("tail", ["\r\n", "\n", "\r", " "])
def test_a_token_with_a_trailing_newline_never_appears(echo_server, tail, caplog):
    api = BigcommerceApi(client_id="client", store_hash="store", access_token=TOKEN + tail, api_service=echo_server.url)
    with caplog.at_level(logging.DEBUG, logger="bigcommerce"):
        with pytest.raises((InvalidRequest, ClientRequestException)) as caught:
            api.Products.all()
    if tail.strip() == "" and tail != " ":
        assert isinstance(caught.value, requests.exceptions.InvalidHeader)  # except clauses keep working
        assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert_clean(everything_said(caught.value))
    assert_clean(caplog.text)


@pytest.mark.parametrize("basic", [False, True])
def test_a_server_echoing_the_credentials_is_redacted(echo_server, basic):
    if basic:
        api = BigcommerceApi(host=echo_server.url, basic_auth=("admin", PASSWORD))
    else:
        api = BigcommerceApi(client_id="client", store_hash="store", access_token=TOKEN, api_service=echo_server.url)
    with pytest.raises(ClientRequestException) as caught:
        api.Products.all()
    assert caught.value.status_code == 400 and "bad request" in str(caught.value)
    assert "[redacted]" in str(caught.value)
    assert_clean(everything_said(caught.value))


def test_redact_catches_credential_fields_and_spellings():
    text = redact(
        f'Authorization: Basic QWxhZGRpbjpvcGVu, X-Auth-Token={TOKEN}, "client_secret": "s3cr3t-value", {TOKEN!r}',
        [TOKEN + "\r\n"],
    )
    assert TOKEN not in text and "QWxhZGRpbjpvcGVu" not in text and "s3cr3t-value" not in text


@pytest.mark.parametrize("tail", ["\r\n", ""])
def test_the_cli_line_has_no_secret(echo_server, tail):
    env = subprocess_env(
        BIGCOMMERCE_STORE_HASH="store",
        BIGCOMMERCE_CLIENT_ID="client",
        BIGCOMMERCE_ACCESS_TOKEN=TOKEN + tail,
        BC_API_ENDPOINT=echo_server.url,
    )
    result = subprocess.run(
        [sys.executable, "-m", "bigcommerce", "get", "products"],
        env=env,
        cwd=str(REPO),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and result.stderr.startswith("bigcommerce: error:")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert_clean(result.stderr + result.stdout)
