"""An HTTP relay on 127.0.0.1 in front of a real server, to make it misbehave on cue: answer
a request itself (a 500, a login page), hold a request until the test lets go (a slow server,
a kill in the middle of sending), or vanish (offline). Every request it passed on is logged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

Match = Callable[[str, str], bool]
"""(method, path with query) -> whether a rule applies."""


@dataclass
class Hold:
    """A request held: `reached` is set when one arrives; it is dropped (never passed on,
    answered 502) once `release` is set."""

    match: Match
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class Canned:
    match: Match
    status: int
    body: bytes
    content_type: str


class Relay:
    def __init__(self, target: str, port: int = 0) -> None:
        self.target = target.rstrip("/")
        self.holds: list[Hold] = []
        self.canned: list[Canned] = []
        self.passed: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=60)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hold(self, match: Match) -> Hold:
        held = Hold(match)
        self.holds.append(held)
        return held

    def answer(
        self, match: Match, status: int, body: bytes, content_type: str = "text/plain"
    ) -> None:
        self.canned.append(Canned(match, status, body, content_type))

    def passed_matching(self, match: Match) -> list[tuple[str, str]]:
        with self._lock:
            return [(m, p) for m, p in self.passed if match(m, p)]

    def __enter__(self) -> Relay:
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        for held in self.holds:
            held.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._client.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._relay("GET")

            def do_POST(self) -> None:
                self._relay("POST")

            def _relay(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                for held in relay.holds:
                    if held.match(method, self.path):
                        held.reached.set()
                        held.release.wait()
                        self._send(502, b"dropped", "text/plain")
                        return
                for canned in relay.canned:
                    if canned.match(method, self.path):
                        self._send(canned.status, canned.body, canned.content_type)
                        return
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "content-length", "connection")
                }
                answer = relay._client.request(
                    method, relay.target + self.path, content=body, headers=headers
                )
                with relay._lock:
                    relay.passed.append((method, self.path))
                self._send(
                    answer.status_code,
                    answer.content,
                    answer.headers.get("content-type", "text/plain"),
                )

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler
