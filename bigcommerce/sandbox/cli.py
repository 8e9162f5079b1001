"""Command line: ``python -m bigcommerce.sandbox [options]`` (also ``bigcommerce sandbox``).

Prints one line when ready, e.g.::

    sandbox ready url=http://127.0.0.1:8123 store_hash=sandbox client_id=sandbox-client
    access_token=sandbox-token basic_auth=admin:sandbox-basic-token

(one line) and serves until SIGINT or SIGTERM. ``main(argv, prog=None)`` returns the exit status;
a usage mistake is reported in one line on stderr (exit status 2).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any, List, NoReturn, Optional, Tuple

from .sandbox import Sandbox
from .server import DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URI, RECORD_SIZE, Config, StateFileError


def _rate_limit(text: str) -> Optional[Tuple[int, int]]:
    if text.lower() in ("none", "off", "0"):
        return None
    try:
        quota, window = text.split("/")
        value = (int(quota), int(window))
    except ValueError:
        raise argparse.ArgumentTypeError("expected QUOTA/WINDOW_MS, e.g. 150/30000") from None
    if value[0] < 1 or value[1] < 1:
        raise argparse.ArgumentTypeError("quota and window must be positive")
    return value


def _basic(text: str) -> Tuple[str, str]:
    user, sep, token = text.partition(":")
    if not sep or not user or not token:
        raise argparse.ArgumentTypeError("expected USER:TOKEN")
    return user, token


PROG = "python -m bigcommerce.sandbox"


def config_from(args: argparse.Namespace) -> Config:
    """The store's ``Config`` from parsed arguments (the object ``Sandbox`` and the fixtures use)."""
    return Config(
        products=args.products,
        customers=args.customers,
        orders=args.orders,
        store_hash=args.store_hash,
        client_id=args.client_id,
        client_secret=args.client_secret,
        access_token=args.access_token,
        basic_auth=args.basic_auth,
        latency_ms=args.latency_ms,
        rate_limit=args.rate_limit,
        state_path=args.state,
        host=args.host,
        port=args.port,
        seed=args.seed,
        record=args.record,
        gzip=args.gzip,
        basic_rate_limit=args.basic_rate_limit,
        request_timeout=args.request_timeout,
        redirect_uri=args.redirect_uri,
    )


class _Parser(argparse.ArgumentParser):
    """Reports a usage mistake in one line, ``PROG: message (see 'PROG --help')``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def parser(prog: Optional[str] = None) -> argparse.ArgumentParser:
    """The command line's parser; ``prog`` names the command in help and errors (default
    ``python -m bigcommerce.sandbox``; ``bigcommerce sandbox`` passes its own name)."""
    p = _Parser(prog=prog or PROG, description="Run a local BigCommerce sandbox store.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    p.add_argument("--store-hash", default="sandbox")
    p.add_argument("--client-id", default="sandbox-client")
    p.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    p.add_argument("--access-token", default="sandbox-token")
    p.add_argument("--basic-auth", type=_basic, default=("admin", "sandbox-basic-token"), metavar="USER:TOKEN")
    p.add_argument("--products", type=int, default=0, help="demo products to seed (default 0)")
    p.add_argument("--customers", type=int, default=0, help="demo customers to seed (default 0)")
    p.add_argument("--orders", type=int, default=0, help="demo orders to seed (default 0)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the demo data")
    p.add_argument("--latency-ms", type=int, default=0, help="delay before every request")
    p.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=(150, 30000),
        metavar="QUOTA/WINDOW_MS",
        help="default 150/30000; 'none' for unlimited",
    )
    p.add_argument(
        "--basic-rate-limit",
        type=_rate_limit,
        default=None,
        metavar="QUOTA/WINDOW_MS",
        help="requests allowed to Basic-auth clients per window, 509 when spent (default unlimited)",
    )
    p.add_argument("--state", metavar="FILE", help="keep the store in FILE across restarts")
    p.add_argument(
        "--record",
        type=int,
        nargs="?",
        const=RECORD_SIZE,
        default=0,
        metavar="N",
        help=f"keep the last N requests in memory (default off; N defaults to {RECORD_SIZE})",
    )
    p.add_argument(
        "--request-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="time a client has to send one request's head and body (default 5)",
    )
    p.add_argument(
        "--redirect-uri",
        default=DEFAULT_REDIRECT_URI,
        help="the app's registered redirect_uri, checked by the token exchange",
    )
    p.add_argument(
        "--gzip", action="store_true", help="gzip bodies over 1 KB when the request accepts it (off by default)"
    )
    return p


def main(argv: Optional[List[str]] = None, prog: Optional[str] = None) -> int:
    """Run the sandbox until SIGINT/SIGTERM; returns the exit status. ``prog`` is the name
    usage errors and ``--help`` show (see ``parser``)."""
    args = parser(prog).parse_args(argv)
    try:
        store = Sandbox(config=config_from(args))
    except (OSError, StateFileError) as exc:  # a corrupt --state file: one line, no traceback
        print(f"sandbox: cannot start: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    print(
        "sandbox ready url={} store_hash={} client_id={} access_token={} basic_auth={}".format(
            store.url,
            store.store_hash,
            store.client_id,
            store.access_token,
            ":".join(store.basic_auth) if store.basic_auth else "-",
        ),
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        store.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
