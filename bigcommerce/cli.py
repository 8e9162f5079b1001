"""The ``bigcommerce`` command (also ``python -m bigcommerce``).

::

    bigcommerce demo                                  walk through the client on an embedded sandbox store
    bigcommerce sandbox [flags]                       run the sandbox store (same as python -m bigcommerce.sandbox)
    bigcommerce get PATH [FILTER=VALUE ...]           GET one path of the v2 (or v3/...) API, print the JSON
    bigcommerce export RESOURCE [--format jsonl|csv] [--out FILE] [--concurrency N] [--no-pace] [FILTER=VALUE ...]
                                                      stream every object of a collection

Credentials come from flags or the environment: ``BIGCOMMERCE_STORE_HASH``, ``BIGCOMMERCE_CLIENT_ID``,
``BIGCOMMERCE_ACCESS_TOKEN`` (and ``BC_API_ENDPOINT``) for an OAuth app, or ``BIGCOMMERCE_HOST``,
``BIGCOMMERCE_USERNAME``, ``BIGCOMMERCE_API_TOKEN`` for a legacy Basic-auth store; ``--sandbox`` runs
``get`` and ``export`` against an embedded store with demo data instead.

Every failure ends in one line on stderr and a non-zero exit status: 1 for an error, 2 for a usage
mistake, 130 when interrupted; a reader that goes away (``| head``) ends the command quietly.
Progress bars (tqdm, from the ``cli`` extra) go to stderr and only when stderr is a terminal, unless
``--progress`` or ``--no-progress`` says otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import signal
import sys
import threading
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    List,
    NoReturn,
    Optional,
    Sequence,
    TextIO,
    Tuple,
    Type,
)
from urllib.parse import parse_qsl, urlsplit

from bigcommerce import jsonlib

if TYPE_CHECKING:
    from bigcommerce.api import BigcommerceApi
    from bigcommerce.sandbox import Sandbox

__all__ = ["main", "CliError", "build_parser", "resolve_resource", "parse_filters", "progress_bar"]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: What a shell reports for a process ended by SIGPIPE: the reader (``head``...) has gone away.
EXIT_BROKEN_PIPE = 141
#: Seconds a Ctrl-C may take to unwind before the command exits anyway. Unwinding can wait on
#: requests in flight in page-fetching threads (a read timeout, a rate-limit wait); nobody wants that.
INTERRUPT_GRACE = 1.0

ENV_OAUTH = (
    ("store_hash", "BIGCOMMERCE_STORE_HASH", "--store-hash"),
    ("client_id", "BIGCOMMERCE_CLIENT_ID", "--client-id"),
    ("access_token", "BIGCOMMERCE_ACCESS_TOKEN", "--access-token"),
)
ENV_BASIC = (
    ("host", "BIGCOMMERCE_HOST", "--host"),
    ("username", "BIGCOMMERCE_USERNAME", "--username"),
    ("api_token", "BIGCOMMERCE_API_TOKEN", "--api-token"),
)

#: Pages ``export`` fetches at once by default: with pacing, enough to spend a window's quota at
#: the latency of a real store (about 4 requests in flight use 150 requests per 30 s at 300 ms).
EXPORT_CONCURRENCY = 4

#: Demo data of the store that ``--sandbox`` and ``demo`` start.
SANDBOX_SEED: Dict[str, Any] = {"products": 500, "customers": 60, "orders": 120}
INSTALL_HINT = "pip install tqdm, or install bigcommerce-api with its [cli] extra"


class CliError(Exception):
    """A failure the command reports as one line on stderr, with exit status ``code``."""

    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------------------------------
# Argument parsing


class _Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes reported in one line instead of the usage block and a line."""

    def error(self, message: str) -> NoReturn:
        _say(f"{self.prog}: {message} (see '{self.prog} --help')")
        raise SystemExit(EXIT_USAGE)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "credentials",
        "Flags win over the environment. An OAuth app needs the store hash, client id and "
        "access token; a legacy store needs host, username and API token.",
    )
    group.add_argument("--store-hash", metavar="HASH", help="OAuth store hash [BIGCOMMERCE_STORE_HASH]")
    group.add_argument("--client-id", metavar="ID", help="OAuth client id [BIGCOMMERCE_CLIENT_ID]")
    group.add_argument(
        "--access-token",
        metavar="TOKEN",
        help="OAuth access token [BIGCOMMERCE_ACCESS_TOKEN]; prefer the variable, flags show up in process listings",
    )
    group.add_argument(
        "--api-endpoint", metavar="ORIGIN", help="API origin for OAuth, e.g. http://127.0.0.1:8123 [BC_API_ENDPOINT]"
    )
    group.add_argument("--host", metavar="HOST", help="legacy store host or origin [BIGCOMMERCE_HOST]")
    group.add_argument("--username", metavar="USER", help="legacy API user name [BIGCOMMERCE_USERNAME]")
    group.add_argument("--api-token", metavar="TOKEN", help="legacy API token [BIGCOMMERCE_API_TOKEN]")
    group.add_argument(
        "--sandbox", action="store_true", help="ignore credentials and use an embedded sandbox store with demo data"
    )
    tuning = parser.add_argument_group("connection")
    tuning.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up on a request after this long (default: 10 s to connect, 60 s to read)",
    )
    tuning.add_argument(
        "--retries", type=int, metavar="N", help="retries after a connection error or 502/503/504 (default 3)"
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")


def _add_progress_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="always draw the progress bar (default: only when stderr is a terminal)",
    )
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="never draw it")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``bigcommerce`` command and its subcommands."""
    from bigcommerce import __version__

    parser = _Parser(
        prog="bigcommerce",
        description="Talk to a BigCommerce store from the shell.",
        epilog="Run 'bigcommerce demo' to see the client at work with no store and no credentials.",
    )
    parser.add_argument("--version", action="version", version=f"bigcommerce-api {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="walk through the client against an embedded sandbox store",
        description="Start a sandbox store with demo data and walk through the "
        "client step by step. Needs no credentials.",
    )
    demo.add_argument(
        "--products",
        type=_positive_int,
        default=SANDBOX_SEED["products"],
        metavar="N",
        help="demo products to seed (default %(default)s)",
    )
    demo.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        metavar="MS",
        help="make the sandbox answer this much slower, to watch the progress bar",
    )
    _add_progress_options(demo)
    demo.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    demo.set_defaults(func=cmd_demo)

    commands.add_parser("sandbox", help="run the sandbox store (see 'bigcommerce sandbox --help')", add_help=False)

    get = commands.add_parser(
        "get",
        help="GET a path of the v2 API and print the JSON",
        description="GET a path relative to the v2 API root (products/12, store, "
        "orders/5/products, time), or a v3 path (v3/catalog/products), "
        "and print the JSON answer.",
    )
    get.add_argument("path", metavar="PATH")
    get.add_argument("filters", nargs="*", metavar="FILTER=VALUE", help="query parameters")
    get.add_argument("--compact", action="store_true", help="print the JSON on one line")
    _add_connection_options(get)
    get.set_defaults(func=cmd_get)

    export = commands.add_parser(
        "export",
        help="stream every object of a collection as JSON lines or CSV",
        description="Stream every object of RESOURCE (products, orders, customers, blog/posts, "
        "products/12/images, v3/catalog/products...) in constant memory, with a progress "
        "bar on stderr.",
    )
    export.add_argument("resource", metavar="RESOURCE")
    export.add_argument(
        "filters", nargs="*", metavar="FILTER=VALUE", help="filters as in the API, e.g. is_visible=true min_price=10"
    )
    export.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default=None,
        help="output format (default: from the --out suffix, else jsonl)",
    )
    export.add_argument("--out", metavar="FILE", help="write here instead of stdout (replaced when complete)")
    export.add_argument(
        "--concurrency",
        type=_positive_int,
        default=EXPORT_CONCURRENCY,
        metavar="N",
        help=f"pages fetched at once (default {EXPORT_CONCURRENCY}), all within the store's one quota",
    )
    export.add_argument(
        "--pace",
        dest="pace",
        action="store_true",
        default=True,
        help="send what the store's rate window allows, then wait for its reset, "
        "so that no request is refused with a 429 (default)",
    )
    export.add_argument(
        "--no-pace",
        dest="pace",
        action="store_false",
        help="send as fast as --concurrency allows; 429s are waited out and retried",
    )
    export.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary line")
    _add_progress_options(export)
    _add_connection_options(export)
    export.set_defaults(func=cmd_export)
    return parser


def parse_filters(items: Sequence[str]) -> Dict[str, str]:
    """``["is_visible=true", "min_price=10"]`` -> ``{"is_visible": "true", "min_price": "10"}``."""
    filters: Dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f"{item!r} is not a FILTER=VALUE pair (e.g. is_visible=true)", EXIT_USAGE)
        filters[name.strip()] = value
    return filters


# --------------------------------------------------------------------------------------------------
# Entry point and error reporting


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        # Every flag belongs to the sandbox's own parser, --help included.
        return _guarded(lambda: _run_sandbox(argv[1:]), debug=False)
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        # argparse leaves FILTER=VALUE pairs that follow an option unparsed: they are filters too.
        unknown = [item for item in extra if item.startswith("-") or not hasattr(args, "filters")]
        if unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        if extra:
            args.filters = list(args.filters) + extra
    except SystemExit as stop:  # --help, --version and usage mistakes
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    return _guarded(lambda: args.func(args), debug=getattr(args, "debug", False))


class _Interrupts:
    """Ctrl-C that always ends the command promptly, and with one line.

    The first SIGINT raises KeyboardInterrupt as usual, so the command unwinds and cleans up; if that
    has not finished within INTERRUPT_GRACE seconds, or on a second SIGINT, the process exits at once
    (after removing unfinished output files).
    """

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        self.reported = False
        self.partial_files: List[str] = []

    def install(self) -> Optional[Any]:
        """Take over SIGINT where Python's default handler is in place; returns the previous handler."""
        if threading.current_thread() is not threading.main_thread():
            return None
        previous = signal.getsignal(signal.SIGINT)
        if previous is not signal.default_int_handler:  # ignored (a background job) or someone else's
            return None
        self.count = 0
        self.reported = False
        signal.signal(signal.SIGINT, self.on_signal)
        return previous

    def on_signal(self, signum: int, frame: Any) -> None:
        self.count += 1
        if self.count > 1:
            self.force_exit()
        timer = threading.Timer(INTERRUPT_GRACE, self.force_exit)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    def report(self) -> None:
        with self.lock:
            if self.reported:
                return
            self.reported = True
        # Straight to the file descriptor: sys.stderr's lock may be held by the main thread. On a
        # terminal, start a fresh line in case a progress bar was being drawn.
        line = b"bigcommerce: interrupted\n"
        if self.count > 1 or threading.current_thread() is not threading.main_thread():
            line = (b"\n" if _isatty(sys.stderr) else b"") + line
        try:
            os.write(2, line)
        except OSError:
            pass

    def force_exit(self) -> None:
        for path in list(self.partial_files):
            with contextlib.suppress(OSError):
                os.remove(path)
        self.report()
        os._exit(EXIT_INTERRUPTED)


_interrupts = _Interrupts()


def _guarded(run: Callable[[], Optional[int]], debug: bool) -> int:
    """Run a command, turning every way it can fail into one line on stderr and an exit status."""
    previous = _interrupts.install()
    try:
        status = run() or 0
        _flush_stdout()
        return status
    except KeyboardInterrupt:
        _interrupts.report()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_BROKEN_PIPE
    except SystemExit as stop:  # a delegated main() that exits
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else EXIT_ERROR)
    except Exception as error:  # noqa: BLE001 - the whole point is that nothing escapes as a traceback
        message, code = describe_error(error)
        if debug:
            import traceback

            traceback.print_exc()
        _say(f"bigcommerce: error: {message}")
        return code
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def describe_error(error: BaseException) -> Tuple[str, int]:
    """One line saying what went wrong, and the exit status for it; never a credential."""
    from bigcommerce.exception import redact

    message, code = _describe(error)
    return redact(message), code


def _describe(error: BaseException) -> Tuple[str, int]:
    import requests

    from bigcommerce.exception import HttpException, NetworkError

    if isinstance(error, CliError):
        return _one_line(str(error)), error.code
    if isinstance(error, HttpException):
        return _describe_http_error(error), EXIT_ERROR
    if isinstance(error, NetworkError):  # the library's own: structured, redacted
        tried = f" after {error.attempts} attempts" if error.attempts and error.attempts > 1 else ""
        if isinstance(error, requests.exceptions.Timeout):
            return f"no answer from {_origin_of(error)} in time{tried} (see --timeout)", EXIT_ERROR
        if isinstance(error, requests.exceptions.ConnectionError):
            return f"cannot connect to {_origin_of(error)}: {error.reason}{tried}", EXIT_ERROR
        return _one_line(f"request failed: {error.message}"), EXIT_ERROR
    if isinstance(error, requests.exceptions.RequestException):  # raised by code outside the transport
        return _one_line(f"request failed: {type(error).__name__}"), EXIT_ERROR
    if isinstance(error, ValueError):  # ForbiddenHostError too: it is a ValueError
        return _one_line(str(error)), EXIT_ERROR
    if isinstance(error, OSError) and error.filename:
        return _one_line(f"{error.filename}: {error.strerror or error}"), EXIT_ERROR
    return _one_line(f"unexpected {type(error).__name__}: {error} (run with --debug for a traceback)"), EXIT_ERROR


_HINTS = {
    401: "check the access token, or the username and API token",
    403: "the token lacks the OAuth scope this resource needs",
    404: "no such resource or object",
}


def _describe_http_error(error: Any) -> str:
    """``METHOD /path -> STATUS Reason: what the body says``, from the exception's attributes."""
    from bigcommerce.exception import InvalidResponseException, RedirectionException

    response = error.response
    if isinstance(error, InvalidResponseException) or response is None or error.method is None:
        return _one_line(_strip_html(error.message))
    status = f"{error.status_code} {response.reason or ''}".rstrip()
    detail = error.summary
    if not detail:
        body = _strip_html(error.message.partition(" -> ")[2].partition(": ")[2])
        if body.startswith(status):  # an HTML error page that repeats the status line
            body = body[len(status) :].strip()
        detail = body or _HINTS.get(error.status_code, "")
    elif error.status_code in (401, 403):
        detail = f"{detail} ({_HINTS[error.status_code]})"
    if isinstance(error, RedirectionException):
        detail = f"redirected to {error.location or 'nowhere'}, which is not followed"
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        detail = f"{detail} (retry after {retry_after:g} s)".strip()
    if error.attempts and error.attempts > 1:
        detail = f"{detail} ({error.attempts} attempts, {error.waited or 0:.1f} s waited)".strip()
    return _one_line(f"{error.method} {error.path} -> {status}" + (f": {detail}" if detail else ""))


def _strip_html(text: str) -> str:
    """The words of an HTML page (an error page from a proxy, a storefront), without its markup."""
    if "<" not in text:
        return text
    text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
    return _one_line(re.sub(r"<[^>]*>", " ", text))


def _origin_of(error: Any) -> str:
    request = getattr(error, "request", None)
    url = getattr(request, "url", None) or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "the store"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _say(line: str) -> None:
    """Write one line to stderr, never failing (stderr may be closed too)."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()


def _stdout_to_devnull() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


# --------------------------------------------------------------------------------------------------
# Credentials


def _setting(args: argparse.Namespace, attribute: str, variable: str) -> Optional[str]:
    value = getattr(args, attribute, None)
    if value is None:
        value = os.environ.get(variable)
    return value if value else None


def api_from_args(args: argparse.Namespace) -> BigcommerceApi:
    """A ``BigcommerceApi`` from the flags, else the environment; raises ``CliError`` when incomplete."""
    from bigcommerce.api import BigcommerceApi

    flags_oauth = [flag for attr, _, flag in ENV_OAUTH if getattr(args, attr, None)]
    flags_basic = [flag for attr, _, flag in ENV_BASIC if getattr(args, attr, None)]
    if flags_oauth and flags_basic:
        raise CliError(
            f"give OAuth credentials ({', '.join(flags_oauth)}) or Basic credentials "
            f"({', '.join(flags_basic)}), not both",
            EXIT_USAGE,
        )
    oauth = {attr: _setting(args, attr, var) for attr, var, _ in ENV_OAUTH}
    basic = {attr: _setting(args, attr, var) for attr, var, _ in ENV_BASIC}
    if flags_oauth:
        kind = "oauth"
    elif flags_basic:
        kind = "basic"
    elif any(oauth.values()):
        kind = "oauth"
    elif any(basic.values()):
        kind = "basic"
    else:
        raise CliError(
            "no credentials: set BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_CLIENT_ID and "
            "BIGCOMMERCE_ACCESS_TOKEN (or BIGCOMMERCE_HOST, BIGCOMMERCE_USERNAME and "
            "BIGCOMMERCE_API_TOKEN), or try --sandbox",
            EXIT_USAGE,
        )
    options: Dict[str, Any] = {}
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.retries is not None:
        if args.retries < 0:
            raise CliError("--retries must be 0 or more", EXIT_USAGE)
        options["max_retries"] = args.retries
    options.update(_walk_options(args))
    table, values = (ENV_OAUTH, oauth) if kind == "oauth" else (ENV_BASIC, basic)
    missing = [f"{var} (or {flag})" for attr, var, flag in table if not values[attr]]
    if missing:
        raise CliError(f"incomplete credentials: missing {', '.join(missing)}", EXIT_USAGE)
    if kind == "oauth":
        # Without --api-endpoint, BigcommerceApi itself falls back to BC_API_ENDPOINT.
        return BigcommerceApi(
            client_id=oauth["client_id"],
            store_hash=oauth["store_hash"],
            access_token=oauth["access_token"],
            api_service=args.api_endpoint or None,
            **options,
        )
    # ``missing`` above made sure both are set
    return BigcommerceApi(host=basic["host"], basic_auth=(basic["username"] or "", basic["api_token"] or ""), **options)


def _walk_options(args: argparse.Namespace) -> Dict[str, Any]:
    """The api options of ``export``'s ``--pace`` and ``--concurrency`` (none for other commands)."""
    options: Dict[str, Any] = {}
    if getattr(args, "pace", None) is not None:
        options["pace"] = args.pace
    concurrency = getattr(args, "concurrency", None)
    if isinstance(concurrency, int):
        options["pool_size"] = concurrency + 1  # the pages in flight, and the count beside them
    return options


@contextlib.contextmanager
def connected_api(args: argparse.Namespace) -> Iterator[Any]:
    """The api the flags ask for; with ``--sandbox``, one on an embedded store that lives as long."""
    if not getattr(args, "sandbox", False):
        yield api_from_args(args)
        return
    sandbox_class = _sandbox_class()
    with sandbox_class(**SANDBOX_SEED) as store:
        options = {"timeout": args.timeout} if args.timeout else {}
        yield store.api(**options, **_walk_options(args))


def _sandbox_class() -> Type[Sandbox]:
    try:
        from bigcommerce.sandbox import Sandbox
    except ImportError as error:
        raise CliError(f"the sandbox store is not available in this installation ({error})") from None
    return Sandbox


def _run_sandbox(argv: List[str]) -> int:
    """``bigcommerce sandbox ...``: hand the arguments to the sandbox's own command line."""
    try:
        from bigcommerce.sandbox.cli import main as sandbox_main
    except ImportError:
        raise CliError("the sandbox store's command line is not available in this installation") from None
    return sandbox_main(argv) or 0


# --------------------------------------------------------------------------------------------------
# Progress bars


class _NoBar:
    """Stands in for a tqdm bar when none is drawn."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def close(self) -> None:
        pass


_hinted = False


def progress_bar(total: Optional[int], desc: str, unit: str, enabled: Optional[bool]) -> Any:
    """A tqdm bar on stderr, or a stand-in with the same ``update``/``close``.

    ``enabled`` None means "when stderr is a terminal". Without tqdm installed, a wanted bar becomes a
    one-time hint on how to get it.
    """
    global _hinted
    if enabled is None:
        enabled = _isatty(sys.stderr)
    if not enabled:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        if not _hinted:
            _hinted = True
            _say(f"bigcommerce: no progress bar: tqdm is not installed ({INSTALL_HINT})")
        return _NoBar()
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.1, leave=True)


class WaitDisplay:
    """A progress bar that also shows the transport's waits: ``waiting 3.6 s (429)`` while one lasts
    (cleared by the next update), and counts them for the summary line.

    Built on a connection, whose ``on_retry`` and ``on_rate_limit`` hooks it takes, and around a bar
    (tqdm's, or the stand-in; ``bar=`` or :meth:`around` once the total is known): ``update`` and
    ``close`` are the bar's. Waits before there is a bar are counted all the same.
    """

    def __init__(self, connection: Any, bar: Any = None):
        self.bar: Any = bar if bar is not None else _NoBar()
        self.count = 0
        self.seconds = 0.0
        self._showing = False
        self._lock = threading.Lock()
        connection.on_retry = connection.on_rate_limit = self.on_wait

    def around(self, bar: Any) -> "WaitDisplay":
        """Draw on ``bar`` from now on; returns self."""
        self.bar = bar
        return self

    def on_wait(self, event: Any) -> None:
        with self._lock:
            self.count += 1
            self.seconds += event.wait
            if hasattr(self.bar, "set_postfix_str"):
                self.bar.set_postfix_str(f"waiting {event.wait:.1f} s ({event.reason})", refresh=True)
                self._showing = True

    def update(self, n: int = 1) -> None:
        if self._showing:
            with self._lock:
                self._showing = False
                self.bar.set_postfix_str("", refresh=False)
        self.bar.update(n)

    def close(self) -> None:
        self.bar.close()

    def summary(self) -> str:
        """`` (2 waits, 3.6 s)`` for the summary line, or ``""`` when nothing was waited for."""
        if not self.count:
            return ""
        return f" ({self.count} wait{'s' if self.count > 1 else ''}, {self.seconds:.1f} s)"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# --------------------------------------------------------------------------------------------------
# get


def cmd_get(args: argparse.Namespace) -> int:
    """``bigcommerce get PATH [FILTER=VALUE ...]``."""
    path, query = _split_path(args.path)
    query.update(parse_filters(args.filters))
    with connected_api(args) as api:
        v3_path = _v3_path(path)
        data = _v3(api).get(v3_path, **query) if v3_path is not None else api.connection.get(path, **query)
    if data is None:  # 204: an empty collection or a page past the end
        data = []
    text = json.dumps(
        data,
        ensure_ascii=False,
        separators=(",", ":") if args.compact else None,
        indent=None if args.compact else 2,
        default=str,
    )
    with _output(None) as out:
        out.write(text + "\n")
    return 0


def _v3_path(path: str) -> Optional[str]:
    """``v3/catalog/products`` -> ``catalog/products``; None for a v2 path."""
    path = path.strip().strip("/")
    if path == "v3" or path.startswith("v3/"):
        return path[3:]
    return None


def _v3(api: Any) -> Any:
    """The api's v3 client; Basic-auth stores have none."""
    try:
        return api.v3
    except TypeError as error:
        raise CliError(str(error), EXIT_USAGE) from None


def _split_path(raw: str) -> Tuple[str, Dict[str, str]]:
    """``/products.json?limit=2`` -> ``("products.json", {"limit": "2"})``; absolute URLs are refused."""
    if "://" in raw:
        raise CliError("PATH is relative to the API root, e.g. 'products/12' or 'orders?status_id=11'", EXIT_USAGE)
    path, _, query = raw.partition("?")
    path = path.strip().lstrip("/")
    if path.startswith("api/v2/"):
        path = path[len("api/v2/") :]
    if ".." in path.split("/"):
        raise CliError(f"PATH {raw!r} may not contain '..'", EXIT_USAGE)
    return path, dict(parse_qsl(query, keep_blank_values=True))


# --------------------------------------------------------------------------------------------------
# export


def resolve_resource(name: str) -> Tuple[Any, Optional[str], str]:
    """The resource class for an export name, the parent id for a sub-resource, and a label.

    Accepts API paths (``products``, ``blog/posts``, ``products/12/images``) and class names
    (``Products``, ``BlogPosts``). Raises ``CliError`` naming the choices for anything else.
    """
    from bigcommerce.resources import REGISTRY
    from bigcommerce.resources.base import ApiSubResource

    cleaned = name.strip().strip("/")
    if cleaned.endswith(".json"):
        cleaned = cleaned[:-5]
    # resource classes as Any: each family declares resource_name / parent_resource / iterall itself
    top: Dict[str, Any] = {}  # by API path
    by_class: Dict[str, Any] = {}  # by lower-case class name
    subs: List[Any] = []
    for cls_name, registered in REGISTRY.items():
        cls: Any = registered
        if not hasattr(cls, "iterall"):
            continue
        if issubclass(cls, ApiSubResource):
            subs.append(cls)
        else:
            top[cls.resource_name] = cls
            by_class[cls_name.lower()] = cls
    if cleaned in top:
        return top[cleaned], None, cleaned
    if cleaned.lower() in by_class:
        cls = by_class[cleaned.lower()]
        return cls, None, cls.resource_name
    parts = cleaned.split("/")
    if len(parts) >= 3:
        parent, parent_id, child = "/".join(parts[:-2]), parts[-2], parts[-1]
        for cls in subs:
            if cls.parent_resource == parent and cls.resource_name == child:
                if not parent_id or parent_id == "..":
                    break
                return cls, parent_id, cleaned
    choices = ", ".join(sorted(top))
    raise CliError(
        f"unknown resource {name!r}: choose one of {choices}, or a sub-resource such as products/ID/images", EXIT_USAGE
    )


#: Filters that shape the paging, not the set of objects: never sent to ``count``.
_PAGING = ("page", "limit", "sort")


def _count(cls: Any, connection: Any, ids: Tuple[str, ...], filters: Dict[str, str]) -> Optional[int]:
    """How many objects the export will stream, or None where the API has no count for them."""
    from bigcommerce.exception import HttpException

    if not hasattr(cls, "count"):
        return None
    wanted = {k: v for k, v in filters.items() if k not in _PAGING}
    try:
        return int(cls.count(*ids, connection=connection, **wanted))
    except HttpException as error:
        if error.status_code in (404, 405, 501):
            return None
        raise


def _v3_collection(v3: Any, path: str, filters: Dict[str, str]) -> Tuple[Optional[int], Iterator[Any]]:
    """The total a v3 list announces in ``meta.pagination``, and an iterator over all its items.

    v3 lists are read one page at a time (``--concurrency`` applies to v2 collections); the first
    page is fetched here for its total and handed on, not fetched twice.
    """
    wanted = dict(filters)
    limit = int(wanted.pop("limit", 250))
    first = v3.get(path, limit=limit, **wanted)
    if first is None:
        return 0, iter(())
    items = first.get("data") if isinstance(first, dict) else None
    if not isinstance(items, list):
        raise CliError(f"v3/{path} is not a v3 list (its answer has no 'data' array); try 'bigcommerce get'")
    pagination = (first.get("meta") or {}).get("pagination") or {}
    total = pagination.get("total")

    def rest() -> Iterator[Any]:
        yield from items
        pages = pagination.get("total_pages")
        if len(items) < limit or (isinstance(pages, int) and pages <= 1):
            return
        yield from v3.iterall(path, limit=limit, page=2, **wanted)

    return (int(total) if isinstance(total, int) else None), rest()


class JsonLinesWriter:
    """One JSON object per line."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, obj: Any) -> None:
        self.stream.write(jsonlib.dumps(obj, default=str))  # json's bytes, written by orjson when it can
        self.stream.write("\n")

    def finish(self) -> Optional[str]:
        """A note for the user once everything is written, or None."""
        return None


class CsvWriter:
    """CSV whose columns are the first object's keys, in the API's order.

    Nested values (link objects, lists) are written as compact JSON, booleans as ``true``/``false``
    and null as an empty cell. Keys that only later objects have cannot get a column without reading
    everything twice, so they are counted and reported by :meth:`finish`.
    """

    def __init__(self, stream: TextIO):
        self.writer = csv.writer(stream, lineterminator="\n")
        self.columns: Optional[List[str]] = None
        self.known: FrozenSet[str] = frozenset()
        self.extra_keys: Dict[str, int] = {}

    def write(self, obj: Any) -> None:
        if not isinstance(obj, dict):
            obj = {"value": obj}
        if self.columns is None:
            self.columns = list(obj.keys())
            self.known = frozenset(self.columns)
            self.writer.writerow(self.columns)
        if len(obj) != len(self.columns) or not self.known.issuperset(obj.keys()):
            for key in obj.keys() - self.known:
                self.extra_keys[key] = self.extra_keys.get(key, 0) + 1
        self.writer.writerow([_cell(obj.get(column)) for column in self.columns])

    def finish(self) -> Optional[str]:
        if not self.extra_keys:
            return None
        names = ", ".join(sorted(self.extra_keys))
        return f"left out fields that the first object did not have: {names} (use --format jsonl to keep every field)"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return jsonlib.dumps(value, default=str)
    return str(value)


class _Background:
    """``function()`` run on a daemon thread from :meth:`start` on (an interrupted export does not
    wait for it); :meth:`result` is its value, or None when it failed."""

    def __init__(self, function: Callable[[], Optional[int]]):
        self._value: Optional[int] = None
        self._thread = threading.Thread(target=self._run, args=(function,), name="bigcommerce-count", daemon=True)

    def start(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def _run(self, function: Callable[[], Optional[int]]) -> None:
        try:
            self._value = function()
        except Exception:  # noqa: BLE001 - the walk meets the same failure and reports it
            self._value = None

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> Optional[int]:
        self._thread.join()
        return self._value


def _set_total(bar: Any, total: Optional[int]) -> None:
    """Give a bar drawn without a total the count that has arrived since."""
    if total is None or getattr(bar, "total", None) is not None:
        return
    bar.total = total
    refresh = getattr(bar, "refresh", None)
    if callable(refresh):
        refresh()


def cmd_export(args: argparse.Namespace) -> int:
    """``bigcommerce export RESOURCE [...]``: stream a whole collection to stdout or a file."""
    v3_path = _v3_path(args.resource)
    if v3_path is None:
        cls, parent_id, label = resolve_resource(args.resource)
    elif not v3_path:
        raise CliError("name the v3 collection, e.g. v3/catalog/products", EXIT_USAGE)
    else:
        label = args.resource.strip().strip("/")
    filters = parse_filters(args.filters)
    fmt = args.format or ("csv" if args.out and args.out.lower().endswith(".csv") else "jsonl")
    started = time.monotonic()
    with connected_api(args) as api, _output(args.out) as stream:
        waits = WaitDisplay(api.connection)  # before the count: its waits are counted too
        if v3_path is None:
            connection = api.connection
            ids = () if parent_id is None else (parent_id,)  # a sub-resource's parent id comes first
            background = _Background(lambda: _count(cls, connection, ids, filters))
            if not args.pace:
                background.start()  # beside the first page
            counting: Optional[_Background] = background
            total = None
            objects = cls.iterall(*ids, connection=connection, concurrency=args.concurrency, **filters)
        else:
            counting = None
            total, objects = _v3_collection(_v3(api), v3_path, filters)
        writer = JsonLinesWriter(stream) if fmt == "jsonl" else CsvWriter(stream)
        # Data and bar on one terminal would garble each other: no bar then, unless asked for.
        enabled = args.progress
        if args.quiet:
            enabled = False
        elif enabled is None and args.out is None and _isatty(sys.stdout):
            enabled = False
        bar = waits.around(progress_bar(total, label, "obj", enabled))
        written = 0
        try:
            for obj in objects:
                if counting is not None:
                    # Paced, the first page probes the store's window alone: the count goes beside
                    # the pages after it, so that it never holds the first one back.
                    counting.start()
                if counting is not None and counting.done():
                    _set_total(waits.bar, counting.result())
                    counting = None
                writer.write(obj)
                written += 1
                bar.update(1)
            if counting is not None and written:
                _set_total(waits.bar, counting.result())  # a walk shorter than the count's round trip
        finally:
            bar.close()
        note = writer.finish()
    if not args.quiet:
        where = f" to {args.out}" if args.out else ""
        _say(
            f"bigcommerce: exported {written} {label} as {fmt}{where} in {time.monotonic() - started:.1f} s"
            f"{bar.summary()}"
        )
        if note:
            _say(f"bigcommerce: note: {note}")
    return 0


@contextlib.contextmanager
def _utf8_stdout() -> Iterator[TextIO]:
    """stdout as UTF-8 whatever the locale (exports and JSON are UTF-8), released cleanly afterwards."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # stdout replaced by something text-only, e.g. while capturing output
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        _stdout_to_devnull()  # what is still buffered now drains into /dev/null
        raise
    finally:
        # Detach, or collecting the wrapper would close sys.stdout's buffer.
        with contextlib.suppress(Exception):
            stream.detach()


@contextlib.contextmanager
def _output(path: Optional[str]) -> Iterator[TextIO]:
    """stdout, or ``path`` written through a temporary file that replaces it only when complete."""
    if path is None:
        with _utf8_stdout() as stream:
            yield stream
        return
    partial = f"{path}.part"
    try:
        handle = open(partial, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None
    _interrupts.partial_files.append(partial)
    try:
        with handle:
            yield handle
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(partial)
        raise
    finally:
        _interrupts.partial_files.remove(partial)


# --------------------------------------------------------------------------------------------------
# demo

DEMO_REDIRECT_URI = "https://app.example.com/auth"
DEMO_SCOPE = "store_v2_products store_v2_orders store_v2_customers"


class _DemoPrinter:
    """Prints the demo's steps: numbered headings, ``>>>`` code lines and indented results."""

    def __init__(self, stream: TextIO, steps: int):
        import shutil

        self.stream = stream
        self.steps = steps
        self.step = 0
        self.width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 100)) - 1
        color = _isatty(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        self.bold, self.dim, self.reset = ("\033[1m", "\033[2m", "\033[0m") if color else ("", "", "")

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")

    def intro(self, text: str) -> None:
        self._wrapped(text, "", "")

    def heading(self, title: str) -> None:
        self.step += 1
        self._line("")
        self._line(f"{self.bold}[{self.step}/{self.steps}] {title}{self.reset}")

    def say(self, text: str) -> None:
        for line in text.splitlines():
            self._wrapped(line, "  ", "  ")

    def code(self, text: str) -> None:
        for number, line in enumerate(text.splitlines()):
            self._line(f"  {self.dim}{'>>>' if number == 0 else '...'}{self.reset} {line}")

    def result(self, text: str) -> None:
        for line in text.splitlines():
            self._wrapped(line, "      ", "        ")

    def _wrapped(self, text: str, indent: str, hang: str) -> None:
        """Wrap at the terminal's width rather than let the terminal break words anywhere."""
        import textwrap

        lines = textwrap.wrap(
            text,
            self.width,
            initial_indent=indent,
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
        for line in lines:
            self._line(line)

    def flush(self) -> None:
        self.stream.flush()


def _short(value: Any) -> str:
    """A compact, readable rendering of a payload value."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return repr(value)


def _fields(obj: Any, *names: str) -> str:
    return "  ".join(f"{name}={_short(obj.get(name))}" for name in names)


def cmd_demo(args: argparse.Namespace) -> int:
    """``bigcommerce demo``: the README's tour, live, against an embedded sandbox store."""
    sandbox_class = _sandbox_class()
    started = time.monotonic()
    out = _DemoPrinter(sys.stdout, steps=9)
    seed = dict(SANDBOX_SEED, products=args.products)
    options = dict(seed, rate_limit=(150, 30000), latency_ms=max(0, args.latency_ms))
    with sandbox_class(**options) as store:
        out.intro("bigcommerce demo: the client at work, step by step.")
        out.intro(
            f"A sandbox store with {seed['products']} products, {seed['customers']} customers and "
            f"{seed['orders']} orders of demo data runs at {store.url}. No real store is touched: "
            "every credential shown is the sandbox's own fake one."
        )
        api = _demo_oauth(out, store)
        product = _demo_crud(out, api)
        _demo_subresource(out, api, product)
        _demo_delete(out, product)
        _demo_filters(out, api)
        _demo_iterall(out, api, args.progress)
        _demo_errors(out, api, product)
        _demo_rate_limits(out, api, store)
        from bigcommerce.v3.tour import demo_step as _demo_v3

        _demo_v3(out, api)
    out.intro("")
    out.intro(f"Done in {time.monotonic() - started:.1f} s. Try next:")
    for line in _next_steps():
        out.say(line)
    out.flush()
    return 0


def _next_steps() -> List[str]:
    """Commands to try after the demo, spelled the way this one was started (``.venv/bin/...``)."""
    program = sys.argv[0] if sys.argv and os.path.basename(sys.argv[0]) == "bigcommerce" else ""
    command = program if program and not os.path.isabs(program) else "bigcommerce"
    if not program and os.path.basename(sys.argv[0] if sys.argv else "") == "__main__.py":
        command = "python -m bigcommerce"
    steps = [
        (f"{command} sandbox", "run a sandbox store yourself"),
        (f"{command} get store --sandbox", "any v2 path, printed as JSON"),
        (f"{command} export products --sandbox > products.jsonl", ""),
    ]
    if os.path.isdir("examples"):  # in a clone of the repository
        python = os.path.relpath(sys.executable) if sys.prefix != sys.base_prefix else "python3"
        if python.startswith(".."):
            python = "python"
        steps.append((f"{python} examples/list_products.py", "the examples use a sandbox too"))
    width = max(len(cmd) for cmd, note in steps if note) + 3
    return [f"{cmd:<{width}}{note}".rstrip() for cmd, note in steps]


def _demo_oauth(out: _DemoPrinter, store: Any) -> Any:
    from bigcommerce.api import BigcommerceApi

    out.heading("OAuth: install the app, get a token, verify a load request")
    grant = store.install(scope=DEMO_SCOPE)
    out.say("When a merchant installs your app, BigCommerce calls its auth callback with:")
    out.result(f"code={grant['code']}  context={grant['context']}")
    out.result(f"scope={grant['scope']}")
    out.say("The app exchanges the code for a permanent access token:")
    out.code(
        f'api = BigcommerceApi(client_id="{store.client_id}", store_hash="{store.store_hash}",\n'
        f'                     api_service="{store.url}",\n'
        f'                     auth_service="{store.url}")'
    )
    out.code(
        f'token = api.oauth_fetch_token(client_secret, code, context, scope,\n    redirect_uri="{DEMO_REDIRECT_URI}")'
    )
    api = BigcommerceApi(
        client_id=store.client_id, store_hash=store.store_hash, api_service=store.url, auth_service=store.url
    )
    token = api.oauth_fetch_token(
        store.client_secret, grant["code"], grant["context"], grant["scope"], DEMO_REDIRECT_URI
    )
    user = token.get("user") or {}
    out.result(f"access_token={token['access_token']!r}  context={token.get('context')!r}")
    out.result(
        f"user={user.get('email') or user.get('username') or user.get('id')!r}"
        "  (api now sends this token with every request)"
    )
    out.say("When the merchant opens the app, it gets a signed_payload to verify:")
    payload = store.signed_payload(user_id=1, email="owner@example.com")
    out.code("BigcommerceApi.oauth_verify_payload(signed_payload, client_secret)")
    verified = BigcommerceApi.oauth_verify_payload(payload, store.client_secret)
    if not verified:
        raise CliError("the sandbox's signed_payload did not verify: please report this as a bug")
    out.result(_short({k: verified[k] for k in ("user", "store_hash", "context") if k in verified}))
    forged = BigcommerceApi.oauth_verify_payload(payload, "not-the-secret")
    out.say(f"Signed with another secret, the same payload gives {forged!r}: never trust it.")
    return api


def _demo_crud(out: _DemoPrinter, api: Any) -> Any:
    out.heading("Products: create, read, update")
    categories = api.Categories.all(limit=1)
    category_id = categories[0].id if categories else None
    out.code(
        "product = api.Products.create(\n"
        '    name="Demo travel mug", type="physical", price="12.50", weight="0.4",\n'
        f'    categories=[{category_id}], availability="available")'
    )
    product = api.Products.create(
        name="Demo travel mug",
        type="physical",
        price="12.50",
        weight="0.4",
        categories=[category_id] if category_id is not None else [],
        availability="available",
    )
    out.result(_fields(product, "id", "name", "price", "availability"))
    out.code(f"api.Products.get({product.id}).name")
    out.result(repr(api.Products.get(product.id).name))
    out.code('product.update(price="9.95", is_featured=True)')
    product.update(price="9.95", is_featured=True)
    out.result(_fields(product, "id", "price", "is_featured"))
    return product


def _demo_subresource(out: _DemoPrinter, api: Any, product: Any) -> None:
    out.heading("A sub-resource: the product's custom fields")
    out.code(f'api.ProductCustomFields.create({product.id}, name="Material", text="Steel")')
    api.ProductCustomFields.create(product.id, name="Material", text="Steel")
    api.ProductCustomFields.create(product.id, name="Capacity", text="350 ml")
    out.code("product.custom_fields()        # after adding a second one, Capacity")
    for field in product.custom_fields():
        out.result(_fields(field, "id", "name", "text"))


def _demo_delete(out: _DemoPrinter, product: Any) -> None:
    out.heading("Delete")
    out.code("product.delete()")
    result = product.delete()
    out.result(f"{result!r}  (the API answers 204 No Content)")


def _demo_filters(out: _DemoPrinter, api: Any) -> None:
    out.heading("Filters and counts")
    out.code("api.Products.all(min_price=20, max_price=40, is_visible=True, limit=3)")
    for item in api.Products.all(min_price=20, max_price=40, is_visible=True, limit=3):
        out.result(_fields(item, "id", "name", "price"))
    out.code("api.Products.count(), api.Products.count(min_price=20, max_price=40)")
    out.result(f"{api.Products.count()}, {api.Products.count(min_price=20, max_price=40)}")
    out.code("api.Orders.count(), api.Customers.count()")
    out.result(f"{api.Orders.count()}, {api.Customers.count()}")


def _demo_iterall(out: _DemoPrinter, api: Any, progress: Optional[bool]) -> None:
    from decimal import Decimal, InvalidOperation

    out.heading("Every product, page after page, with iterall")
    total = api.Products.count()
    out.code("for product in api.Products.iterall():   # 250 a page, fetched as you go\n    ...")
    out.flush()
    bar = progress_bar(total, "  products", "product", progress)
    seen = 0
    value = Decimal(0)
    priciest = None
    try:
        for item in api.Products.iterall():
            seen += 1
            try:
                price = Decimal(str(item.get("price") or 0))
            except InvalidOperation:
                price = Decimal(0)
            value += price * int(item.get("inventory_level") or 0)
            if priciest is None or price > priciest[0]:
                priciest = (price, item.get("name"))
            bar.update(1)
    finally:
        bar.close()
    out.result(f"{seen} products (count said {total})")
    if priciest is not None:
        out.result(f"most expensive: {priciest[1]!r} at {priciest[0]:.2f}")
    out.result(f"stock value (price x inventory_level): {value:,.2f}")


def _demo_errors(out: _DemoPrinter, api: Any, deleted: Any) -> None:
    out.heading("Errors: what a refused request looks like")
    out.code(f"api.Products.get({deleted.id})        # the product deleted above")
    _demo_refused(out, lambda: api.Products.get(deleted.id), "the deleted product could still be read")
    out.code('api.Products.create(name="Just a name")')
    _demo_refused(
        out, lambda: api.Products.create(name="Just a name"), "a product without its required fields was accepted"
    )
    out.say(
        "Every HTTP error is a bigcommerce.exception.HttpException: RedirectionException "
        "(3xx), ClientRequestException (4xx; 429 is RateLimitingException), ServerException "
        "(5xx). Each carries status_code, headers and the parsed errors."
    )


def _demo_refused(out: _DemoPrinter, call: Callable[[], Any], if_accepted: str) -> None:
    """Print the ClientRequestException ``call`` raises; a bug of the sandbox if it raises none."""
    from bigcommerce.exception import ClientRequestException

    try:
        call()
    except ClientRequestException as error:
        out.result(f"{type(error).__name__}: status_code={error.status_code}")
        out.result(f"errors={_short(error.errors)}")
    else:
        raise CliError(f"{if_accepted}: please report this as a bug")


def _demo_rate_limits(out: _DemoPrinter, api: Any, store: Any) -> None:
    out.heading("Rate limits")
    out.say("Every answer carries the store's quota; the client keeps the latest:")
    out.code("api.connection.rate_limit")
    out.result(_short(dict(sorted(api.connection.rate_limit.items()))))
    out.say(
        "Over the quota the store answers 429 and says when to come back. The sandbox "
        "can do that on demand; the client waits and sends the request again by itself:"
    )
    out.code('store.inject("rate_limit", reset_ms=800, match="GET /products")')
    out.code("api.Products.count()")
    store.inject("rate_limit", reset_ms=800, match="GET /products")
    began = time.monotonic()
    count = api.Products.count()
    out.result(f"{count}  (after waiting {time.monotonic() - began:.1f} s for the window to reset)")
