"""A minimal BigCommerce OAuth app: the install, load, uninstall and remove-user callbacks.

Standard library only (``wsgiref``) besides this client. BigCommerce calls the app with a browser
redirect for each event:

``GET /auth?code=...&context=stores/{hash}&scope=...``
    a merchant installs the app: exchange ``code`` for the store's access token and keep it.
``GET /load?signed_payload_jwt=...`` (or the legacy ``signed_payload``)
    a user opens the app in the control panel: verify the payload, then work on their store.
``GET /uninstall?signed_payload_jwt=...``
    the app was uninstalled: forget the token.
``GET /remove_user?signed_payload_jwt=...``
    a user lost access to the app.

Try it on a local sandbox store, no credentials needed::

    python examples/app.py --demo       # plays BigCommerce's part once, prints each answer, exits
    python examples/app.py --sandbox    # serves; prints install/load/uninstall URLs to open

For a real app, register ``{APP_URL}/auth``, ``/load``, ``/uninstall`` and ``/remove_user`` in the
developer portal, set ``BIGCOMMERCE_CLIENT_ID``, ``BIGCOMMERCE_CLIENT_SECRET`` and ``APP_URL``, and run
``python examples/app.py --port 8000`` behind an https proxy. Tokens are kept in memory here: keep them
in a database (encrypted) in a real app.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import threading
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bigcommerce.api import BigcommerceApi
from bigcommerce.exception import ClientRequestException, HttpException
from bigcommerce.oauth import STORE_HASH_RE, JWTVerificationError, verify_payload, verify_payload_jwt

#: How old (seconds) a legacy ``signed_payload`` may be: a load URL is used at once, never replayed.
LEGACY_MAX_AGE = 900


class TokenStore:
    """Access tokens by store hash, in memory (thread-safe). Replace with a database."""

    def __init__(self) -> None:
        self._tokens: Dict[str, dict] = {}
        self._lock = threading.Lock()

    def save(self, store_hash: str, token: dict) -> None:
        with self._lock:
            self._tokens[store_hash] = dict(token)

    def get(self, store_hash: str) -> Optional[dict]:
        with self._lock:
            token = self._tokens.get(store_hash)
            return dict(token) if token else None

    def delete(self, store_hash: str) -> bool:
        with self._lock:
            return self._tokens.pop(store_hash, None) is not None

    def __contains__(self, store_hash: object) -> bool:
        with self._lock:
            return store_hash in self._tokens


class Refused(Exception):
    """A callback the app will not serve: (HTTP status, text for the page)."""

    def __init__(self, status: str, text: str):
        super().__init__(text)
        self.status = status


Response = Tuple[str, str]


class OAuthApp:
    """The WSGI application. ``api_service``/``auth_service`` point it at a sandbox store."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        app_url: str,
        api_service: Optional[str] = None,
        auth_service: Optional[str] = None,
        tokens: Optional[TokenStore] = None,
    ):
        if not client_id or not client_secret:
            raise ValueError("the app needs its client_id and client_secret")
        self.client_id = client_id
        self.client_secret = client_secret
        self.app_url = app_url.rstrip("/")
        self.api_service = api_service
        self.auth_service = auth_service
        self.tokens = tokens if tokens is not None else TokenStore()
        self.routes: Dict[str, Callable[[Dict[str, str]], Response]] = {
            "/auth": self.auth,
            "/load": self.load,
            "/uninstall": self.uninstall,
            "/remove_user": self.remove_user,
        }

    # -- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: Dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        handler = self.routes.get(environ.get("PATH_INFO", ""))
        if handler is None:
            status, text = "404 Not Found", "Nothing here."
        elif environ.get("REQUEST_METHOD") != "GET":
            status, text = "405 Method Not Allowed", "BigCommerce calls this URL with GET."
        else:
            query = {
                key: values[0]
                for key, values in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()
            }
            try:
                status, text = handler(query)
            except Refused as refused:
                status, text = refused.status, str(refused)
        body = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sample app</title></head>'
            f"<body><p>{html.escape(text)}</p></body></html>"
        ).encode("utf-8")
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ]
        if status.startswith("405"):
            headers.append(("Allow", "GET"))
        start_response(status, headers)
        return [body]

    # -- callbacks -----------------------------------------------------------------------------

    def api(self, store_hash: str, access_token: Optional[str] = None) -> BigcommerceApi:
        """A client for one store, with this app's credentials."""
        return BigcommerceApi(
            client_id=self.client_id,
            store_hash=store_hash,
            access_token=access_token,
            api_service=self.api_service,
            auth_service=self.auth_service,
        )

    def auth(self, query: Dict[str, str]) -> Response:
        """Install: exchange the one-time ``code`` for the store's access token."""
        code, context, scope = query.get("code"), query.get("context", ""), query.get("scope", "")
        prefix, _, store_hash = context.partition("/")
        if not code or prefix != "stores" or not STORE_HASH_RE.fullmatch(store_hash):
            raise Refused("400 Bad Request", "An install callback needs code, context=stores/{hash} and scope.")
        api = self.api(store_hash)
        try:
            token = api.oauth_fetch_token(self.client_secret, code, context, scope, redirect_uri=self.app_url + "/auth")
        except ClientRequestException as exc:
            raise Refused("400 Bad Request", f"BigCommerce refused the install: {exc}") from None
        except (HttpException, OSError) as exc:  # OSError covers requests' connection errors
            raise Refused("502 Bad Gateway", f"Could not reach BigCommerce: {type(exc).__name__}") from None
        self.tokens.save(store_hash, token)
        user = token.get("user") or {}
        return "200 OK", "Installed on store {} for {} (scope: {}).".format(
            store_hash, user.get("email", "?"), token.get("scope", "")
        )

    def verify(self, query: Dict[str, str]) -> Tuple[str, Dict[str, Any]]:
        """(store hash, payload) of a load/uninstall/remove_user callback, or Refused."""
        if "signed_payload_jwt" in query:
            try:
                claims = verify_payload_jwt(query["signed_payload_jwt"], self.client_secret, self.client_id)
            except JWTVerificationError as exc:
                raise Refused("401 Unauthorized", f"{exc}.") from None
            return claims["sub"].split("/", 1)[1], claims
        if "signed_payload" in query:
            data = verify_payload(query["signed_payload"], self.client_secret, max_age=LEGACY_MAX_AGE)
            store_hash = data.get("store_hash") if data else None
            if not data or not isinstance(store_hash, str) or not STORE_HASH_RE.fullmatch(store_hash):
                raise Refused("401 Unauthorized", "Refused: the signed payload is not valid.")
            return store_hash, data
        raise Refused("400 Bad Request", "The callback carries no signed_payload_jwt or signed_payload.")

    def load(self, query: Dict[str, str]) -> Response:
        """Load: a user opened the app; greet them with their store's name (one API call)."""
        store_hash, payload = self.verify(query)
        token = self.tokens.get(store_hash)
        if token is None:
            raise Refused("403 Forbidden", f"The app is not installed on store {store_hash}.")
        try:
            store = self.api(store_hash, token["access_token"]).Store.all()
        except (HttpException, OSError) as exc:
            raise Refused("502 Bad Gateway", f"The store's API failed: {type(exc).__name__}") from None
        email = (payload.get("user") or {}).get("email", "?")
        return "200 OK", "Hello {}, welcome to {}.".format(email, store.get("name", store_hash))

    def uninstall(self, query: Dict[str, str]) -> Response:
        """Uninstall: forget the store's token."""
        store_hash, _ = self.verify(query)
        known = self.tokens.delete(store_hash)
        return "200 OK", ("Uninstalled from store %s." if known else "Store %s was not installed.") % store_hash

    def remove_user(self, query: Dict[str, str]) -> Response:
        """Remove user: a user of the store lost access to the app (nothing kept per user here)."""
        store_hash, payload = self.verify(query)
        user = payload.get("user") or {}
        return "200 OK", "User {} removed from store {}.".format(user.get("id", "?"), store_hash)


class QuietHandler(WSGIRequestHandler):
    """wsgiref's handler without the per-request line on stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(app: OAuthApp, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> WSGIServer:
    """A wsgiref server for ``app`` (port 0 picks a free port); call ``serve_forever()`` on it."""
    return make_server(host, port, app, handler_class=QuietHandler if quiet else WSGIRequestHandler)


# -- running it ---------------------------------------------------------------------------------


def _demo(app: OAuthApp, server: WSGIServer, store: Any) -> List[str]:
    """Play BigCommerce's part against the running app; return one line per call."""
    from urllib.error import HTTPError
    from urllib.request import urlopen

    base = f"http://{server.server_address[0]}:{server.server_address[1]}"
    install = store.install(scope="store_v2_information store_v2_products", redirect_uri=app.app_url + "/auth")
    calls = [
        ("install", "/auth?" + urlencode({k: install[k] for k in ("code", "context", "scope")})),
        ("load (JWT)", "/load?" + urlencode({"signed_payload_jwt": store.signed_payload_jwt()})),
        ("load (legacy)", "/load?" + urlencode({"signed_payload": store.signed_payload()})),
        ("load (forged)", "/load?" + urlencode({"signed_payload_jwt": store.signed_payload_jwt()[:-4] + "AAAA"})),
        ("uninstall", "/uninstall?" + urlencode({"signed_payload_jwt": store.signed_payload_jwt()})),
        ("load after uninstall", "/load?" + urlencode({"signed_payload_jwt": store.signed_payload_jwt()})),
    ]
    lines = []
    for name, path in calls:
        try:
            with urlopen(base + path, timeout=10) as answer:
                status, body = answer.status, answer.read().decode("utf-8")
        except HTTPError as error:
            status, body = error.code, error.read().decode("utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", body.split("<body>", 1)[-1]))
        lines.append(f"{name!s:<21} {status}  {text}")
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--sandbox", action="store_true", help="serve against a local sandbox store")
    mode.add_argument("--demo", action="store_true", help="play one install/load/uninstall and exit")
    args = parser.parse_args(argv)

    if not (args.sandbox or args.demo):
        env = os.environ
        missing = [
            name for name in ("BIGCOMMERCE_CLIENT_ID", "BIGCOMMERCE_CLIENT_SECRET", "APP_URL") if not env.get(name)
        ]
        if missing:
            parser.error("set {} (or use --sandbox / --demo)".format(", ".join(missing)))
        app = OAuthApp(env["BIGCOMMERCE_CLIENT_ID"], env["BIGCOMMERCE_CLIENT_SECRET"], env["APP_URL"])
        server = serve(app, args.host, args.port, quiet=False)
        print(f"app listening on http://{server.server_address[0]}:{server.server_address[1]}", flush=True)
        server.serve_forever()
        return 0

    from bigcommerce.sandbox import Sandbox

    secret = "sample-app-secret-" + "0123456789abcdef" * 2  # 32+ bytes, as real client secrets are
    with Sandbox(products=5, client_secret=secret) as store:
        port = 0 if args.demo else args.port
        server = serve(None, args.host, port)  # type: ignore[arg-type]
        app_url = f"http://{server.server_address[0]}:{server.server_address[1]}"
        app = OAuthApp(store.client_id, store.client_secret, app_url, api_service=store.url, auth_service=store.url)
        server.set_app(app)
        if args.demo:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                for line in _demo(app, server, store):
                    print(line)
            finally:
                server.shutdown()
                server.server_close()
            return 0
        install = store.install(redirect_uri=app_url + "/auth")
        print(f"app listening on {app_url} (sandbox store at {store.url})")
        print("install:   {}/auth?{}".format(app_url, urlencode({k: install[k] for k in ("code", "context", "scope")})))
        print(f"load:      {app_url}/load?signed_payload_jwt={store.signed_payload_jwt()}")
        print(f"uninstall: {app_url}/uninstall?signed_payload_jwt={store.signed_payload_jwt()}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
