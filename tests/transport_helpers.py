"""Helpers of the transport tests: a fake clock (waits cost no real time) and a raw socket server
that sends hand-made answers, including ones no well-behaved server would send."""

from __future__ import annotations

import socket
import threading
from typing import Callable, List, Optional


class FakeClock:
    """``now()`` and ``sleep()`` for the transport: sleeping only moves the clock forward.

    ``sleeps`` records every sleep; ``step`` is added at every ``now()`` call (0 by default), so a
    test can make requests themselves cost time without any real waiting.
    """

    def __init__(self, start: float = 1000.0, step: float = 0.0):
        self.t = start
        self.start = start
        self.step = step
        self.sleeps: List[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            self.t += self.step
            return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            if seconds > 0:
                self.t += seconds

    @property
    def elapsed(self) -> float:
        return self.t - self.start


def send_json(handler, status: int, payload: bytes, headers: Optional[dict] = None) -> None:
    """Answer a LocalServer request (a BaseHTTPRequestHandler) with a JSON ``payload``."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


def http_answer(status: str, headers: dict, body: bytes = b"") -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class RawServer:
    """A loopback socket server: each request gets ``answer(request_bytes, socket)`` to write
    whatever it likes (raising OSError closes the connection); ``requests`` counts the requests
    received, ``connections`` the connections accepted. Stops with ``close()``."""

    def __init__(self, answer: Callable[[bytes, socket.socket], None]):
        self.answer = answer
        self.requests = 0
        self.connections = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            while not self._stop.is_set():
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                self.requests += 1
                self.answer(data, conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(1)

    def __enter__(self) -> "RawServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def fixed(payload: bytes, close: bool = False):
    """An answer function sending ``payload`` to every request (closing afterwards when ``close``)."""

    def answer(request: bytes, conn: socket.socket) -> None:
        conn.sendall(payload)
        if close:
            conn.shutdown(socket.SHUT_RDWR)
            raise OSError("closed")

    return answer
