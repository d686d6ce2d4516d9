from __future__ import annotations

import httpx

from tests.loopback import LoopbackServer, Response


def test_loopback_server_serves_routes_and_records_requests() -> None:
    with LoopbackServer() as server:
        server.route("/a", Response(body=b"hello", headers={"ETag": '"x"'}))
        reply = httpx.get(server.url("/a"))
        missing = httpx.get(server.url("/b"))
    assert reply.status_code == 200
    assert reply.text == "hello"
    assert reply.headers["etag"] == '"x"'
    assert missing.status_code == 404
    assert [r.path for r in server.requests] == ["/a", "/b"]
