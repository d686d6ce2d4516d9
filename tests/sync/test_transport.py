"""The sync's client: one connection pool per origin, httpx's own routing when the
environment names a proxy, and host-name lookups in their own threads."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import httpx
import pytest

from newsreader.settings import Settings
from newsreader.sync.fetch import make_client
from newsreader.sync.transport import PerOriginTransport, environment_proxies, system_lookup
from tests.loopback import LoopbackServer, Response

PROXY_NAMES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)


async def get_all(client: httpx.AsyncClient, urls: list[str]) -> list[tuple[int, bytes]]:
    async with client:
        responses = await asyncio.gather(*(client.get(url) for url in urls))
    return [(r.status_code, r.content) for r in responses]


@pytest.mark.usefixtures("no_proxies")
def test_each_origin_answers_through_its_own_pool() -> None:
    with LoopbackServer() as one, LoopbackServer() as two:
        one.route("/a", Response(body=b"from one"))
        two.route("/a", Response(body=b"from two"))
        two.route("/b", Response(body=b"b from two"))
        urls = [one.url("/a"), two.url("/a"), one.url("/a"), two.url("/b")]
        client = make_client(Settings())
        assert isinstance(client._transport, PerOriginTransport)
        answers = asyncio.run(get_all(client, urls))
    assert answers == [
        (200, b"from one"),
        (200, b"from two"),
        (200, b"from one"),
        (200, b"b from two"),
    ]


def test_a_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer() as proxy:
        for name in PROXY_NAMES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
        proxy.route("http://feeds.invalid/feed.xml", Response(body=b"via the proxy"))
        assert environment_proxies()
        answers = asyncio.run(get_all(make_client(Settings()), ["http://feeds.invalid/feed.xml"]))
    assert answers == [(200, b"via the proxy")]
    assert [r.path for r in proxy.requests] == ["http://feeds.invalid/feed.xml"]


def test_no_proxy_alone_names_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "example.org")
    assert not environment_proxies()


def test_a_lookup_answering_after_its_sync_ended_raises_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name server that answers only after the sync's event loop is closed (seen as a
    'RuntimeError: Event loop is closed' in the lookup thread, failing unrelated tests)."""
    entered, release = threading.Event(), threading.Event()

    def slow_lookup(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(10)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    failures: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    before = set(threading.enumerate())

    async def start_and_leave() -> None:
        lookup = asyncio.ensure_future(system_lookup("gone.invalid", 80))
        await asyncio.to_thread(entered.wait, 10)
        lookup.cancel()

    asyncio.run(start_and_leave())  # the loop is closed from here on
    (thread,) = [t for t in set(threading.enumerate()) - before if t.name == "newsreader-lookup"]
    release.set()
    thread.join(10)
    assert not thread.is_alive()
    assert failures == []
