"""A real redis-server for the tests, on a free loopback port, without persistence; it stops with the test."""

import shutil
import socket
import subprocess
import time

import pytest

BINARY = shutil.which("redis-server")
SKIP_REASON = (
    "redis-server is not installed (apt-get install redis-server, as .ci/run does): "
    "the Redis rate limiter is tested against a real server only"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """``start()``/``stop()`` a redis-server on ``port``; ``url`` is what clients connect to."""

    def __init__(self, port: int = 0):
        if BINARY is None:
            pytest.skip(SKIP_REASON)
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                BINARY,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(500):  # bounded: 5 s at most
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            time.sleep(0.01)
        self.stop()
        raise RuntimeError("redis-server did not answer within 5 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
