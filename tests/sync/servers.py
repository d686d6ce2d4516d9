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
class PeakGate:
    """Counts requests in flight and holds each until `expected` of them are in flight at
    once (or `timeout` seconds passed, so a failed test cannot hang its server; its peak
    then falls short and the test's assertion fails). Once reached, the gate stays open.

    The client's limits decide how many arrive together: a gate expecting its limit shows
    the limit is reached without racing a delay, and as the client holds the rest back,
    `peak` stays at the limit unless the client lets more through.
    """

    expected: int
    timeout: float = 5.0
    peak: int = 0
    _current: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _reached: threading.Event = field(default_factory=threading.Event)

    def enter(self) -> None:
        with self._lock:
            self._current += 1
            self.peak = max(self.peak, self._current)
            if self._current >= self.expected:
                self._reached.set()

    def wait(self) -> None:
        self._reached.wait(self.timeout)

    def leave(self) -> None:
        with self._lock:
            self._current -= 1


@dataclass
class ConcurrencyMeter:
    """A route that answers `response` and records the peak of its requests in flight: it
    holds each until `expected` are in flight at once (see PeakGate), and each in `shared`
    too (a gate counting several routes' requests together, say a global limit's)."""

    response: Response
    expected: int
    shared: tuple[PeakGate, ...] = ()
    gate: PeakGate = field(init=False)

    def __post_init__(self) -> None:
        self.gate = PeakGate(self.expected)

    @property
    def peak(self) -> int:
        return self.gate.peak

    def __call__(self, request: Request) -> Response:
        gates = (self.gate, *self.shared)
        for gate in gates:
            gate.enter()
        for gate in gates:
            gate.wait()
        for gate in gates:
            gate.leave()
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
