"""Servers and helpers for the sync tests, built on tests/loopback.py."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import trustme

from tests.loopback import LoopbackServer, Request, Response


class TLSServer(LoopbackServer):
    """The loopback server behind TLS with a certificate issued by `ca` for `hostname`."""

    def __init__(self, ca: trustme.CA, hostname: str = "127.0.0.1") -> None:
        super().__init__()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(hostname).configure_cert(context)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)

    def url(self, path: str = "/") -> str:
        return super().url(path).replace("http://", "https://", 1)


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def refused_url(path: str = "/feed.xml") -> str:
    """A URL on a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@dataclass
class ConcurrencyMeter:
    """A route that holds each request for `delay` seconds and records the peak in flight."""

    response: Response
    delay: float = 0.2
    peak: int = 0
    _current: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self._current += 1
            self.peak = max(self.peak, self._current)
        time.sleep(self.delay)
        with self._lock:
            self._current -= 1
        return self.response


CHUNKED = {"Transfer-Encoding": "chunked"}


def chunked(body: bytes, size: int = 16 * 1024) -> bytes:
    """`body` in chunked transfer coding, to serve with the `CHUNKED` headers."""
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
        for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def delayed(response: Response, seconds: float) -> Callable[[Request], Response]:
    def route(request: Request) -> Response:
        time.sleep(seconds)
        return response

    return route


def gated(response: Response, gate: threading.Event) -> Callable[[Request], Response]:
    """A route that answers only once `gate` is set (or after 60 s, so a failed test cannot
    hang its server): the test decides when, instead of racing a delay."""

    def route(request: Request) -> Response:
        gate.wait(60)
        return response

    return route
