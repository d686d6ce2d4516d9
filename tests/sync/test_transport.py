"""The sync's client: one connection pool per origin, httpx's own routing when the
environment names a proxy, and host-name lookups in their own threads."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from newsreader.settings import Settings
from newsreader.sync import transport
from newsreader.sync.fetch import make_client
from newsreader.sync.transport import (
    LookupThreads,
    PerOriginTransport,
    environment_proxies,
    system_lookup,
)
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
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
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
    threads = LookupThreads()  # its own workers: none idle until this lookup ends
    monkeypatch.setattr(transport, "lookup_threads", threads)

    async def start_and_leave() -> None:
        lookup = asyncio.ensure_future(system_lookup("gone.invalid", 80))
        await asyncio.to_thread(entered.wait, 10)
        lookup.cancel()

    asyncio.run(start_and_leave())  # the loop is closed from here on
    release.set()
    deadline = time.monotonic() + 10
    while threads.idle_workers() == 0:  # the worker is done with the lookup
        assert time.monotonic() < deadline, "the lookup never ended"
        time.sleep(0.01)
    assert failures == []
    assert "lookup failed" not in caplog.text


def test_lookups_never_start_a_thread_on_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop only queues a lookup (a thread's start waits for the thread to run: 100-200
    ms on a busy machine, a stall of the window); a hung name server holds its own worker
    and the other names are answered."""
    hung, release = threading.Event(), threading.Event()
    real = socket.getaddrinfo

    def lookup(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "hung.example":
            hung.set()
            release.wait(10)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    starts: list[int] = []
    start = threading.Thread.start

    def noted_start(thread: threading.Thread) -> None:
        starts.append(threading.get_ident())
        start(thread)

    async def look_up() -> tuple[list[list[str]], int]:
        loop_thread = threading.get_ident()
        stuck = asyncio.ensure_future(system_lookup("hung.example", 80))
        await asyncio.to_thread(hung.wait, 10)
        monkeypatch.setattr(threading.Thread, "start", noted_start)
        found = await asyncio.gather(*(system_lookup(f"h{n}.example", 80) for n in range(12)))
        release.set()
        with pytest.raises(OSError, match="Temporary failure"):
            await stuck
        return found, starts.count(loop_thread)

    found, started_on_the_loop = asyncio.run(look_up())
    assert found == [["127.0.0.1"]] * 12
    assert started_on_the_loop == 0
    assert starts  # workers were started, by the dispatcher
