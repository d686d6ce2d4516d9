"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a canned response or to a
function of the request. Runs in a thread; every test gets its own port.

    with LoopbackServer() as server:
        server.route("/feed.xml", Response(body=b"<rss .../>", headers={"ETag": '"1"'}))
        url = server.url("/feed.xml")
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/xml"


Route = Response | Callable[[Request], Response]


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer (a size limit, a cancelled sync: what the tests
    provoke) is no server error; anything else is printed as usual."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class LoopbackServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = _QuietServer((host, 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll interval makes shutdown (every test's teardown) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def route(self, path: str, response: Route) -> None:
        self.routes[path] = response

    def url(self, path: str = "/") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.requests.append(request)
                route = server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    response = Response(status=404, body=b"not found", content_type="text/plain")
                elif isinstance(route, Response):
                    response = route
                else:
                    response = route(request)
                self.send_response(response.status)
                headers = {"Content-Type": response.content_type, **response.headers}
                if "Transfer-Encoding" not in headers:  # a chunked body is sent as given
                    headers.setdefault("Content-Length", str(len(response.body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if response.body:
                    self.wfile.write(response.body)

            do_HEAD = do_GET

            def log_message(self, format: str, *args: object) -> None:
                """Silent: test output stays readable."""

        return Handler
