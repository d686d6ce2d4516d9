"""What a sync keeps between runs: the body hash (identical bodies are not parsed again), new
validators and max-age hints of 304s, and an image cache whose shared files and image
enclosures survive eviction where they must."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsreader.model import Feed, ParsedFeed
from newsreader.parse import parse_feed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import EntryQuery, Store
from newsreader.sync import engine
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import SyncSummary
from tests.loopback import LoopbackServer, Request, Response
from tests.sync.documents import PNG, Item, rss

RSS = "application/rss+xml"
T0 = datetime(2026, 5, 1, tzinfo=UTC)


def run(paths: DataPaths, at: datetime = T0, **options: Any) -> SyncSummary:
    return asyncio.run(sync(paths, SyncOptions(all_feeds=True, clock=lambda: at, **options)))


def subscribe(paths: DataPaths, url: str, **values: Any) -> Feed:
    with Store.open(paths) as store:
        store.save_settings(replace(Settings(), **values))
        return store.add_feed(url)


def stored(paths: DataPaths, feed_id: int) -> Feed:
    with Store.open(paths) as store:
        return store.get_feed(feed_id)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs the engine parsed, in order (the real parser runs)."""
    seen: list[str] = []
    real = parse_feed

    def counting(data: bytes, url: str, *args: Any, **kwargs: Any) -> ParsedFeed:
        seen.append(url)
        return real(data, url, *args, **kwargs)

    monkeypatch.setattr(engine, "parse_feed", counting)
    return seen


def test_an_identical_body_is_not_parsed_again(
    data_paths: DataPaths, server: LoopbackServer, parses: list[str]
) -> None:
    body = rss([Item("a", title="First")])
    server.route("/f", Response(body=body, content_type=RSS))  # no validators at all
    feed = subscribe(data_paths, server.url("/f"))
    threads = {"parse_processes": False}  # the counting parser runs in this process
    assert run(data_paths, **threads).new_entries == 1
    assert stored(data_paths, feed.id).body_sha256 == hashlib.sha256(body).hexdigest()

    later = T0 + timedelta(hours=1)
    summary = run(data_paths, at=later, **threads)
    assert (summary.unchanged, summary.updated) == (1, 0)
    assert len(parses) == 1  # the second, identical body was never parsed
    again = stored(data_paths, feed.id)
    assert again.last_fetched == later and again.next_due == later + timedelta(minutes=30)

    changed = rss([Item("b", title="Second"), Item("a", title="First")])
    server.route("/f", Response(body=changed, content_type=RSS))
    assert run(data_paths, at=later + timedelta(hours=1), **threads).new_entries == 1
    assert len(parses) == 2
    assert stored(data_paths, feed.id).body_sha256 == hashlib.sha256(changed).hexdigest()


def test_a_304_keeps_new_validators_and_its_max_age(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("if-none-match") in {'"v1"', '"v2"'}:
            return Response(
                status=304,
                headers={
                    "ETag": '"v2"',
                    "Last-Modified": "Fri, 01 May 2026 01:00:00 GMT",
                    "Cache-Control": "max-age=10800",
                },
            )
        headers = {"ETag": '"v1"', "Cache-Control": "public, max-age=7200"}
        return Response(body=rss([Item("a")]), headers=headers, content_type=RSS)

    server.route("/f", route)
    feed = subscribe(data_paths, server.url("/f"))
    run(data_paths)
    first = stored(data_paths, feed.id)
    # max-age of a 200 is the feed's hint (the feed has no ttl).
    assert (first.update_hint_minutes, first.next_due) == (120, T0 + timedelta(minutes=120))

    t1 = T0 + timedelta(hours=3)
    assert run(data_paths, at=t1).unchanged == 1
    second = stored(data_paths, feed.id)
    assert (second.etag, second.last_modified) == ('"v2"', "Fri, 01 May 2026 01:00:00 GMT")
    assert (second.update_hint_minutes, second.next_due) == (180, t1 + timedelta(minutes=180))
    run(data_paths, at=t1 + timedelta(hours=4))
    third = server.requests_for("/f")[2]
    assert third.headers["if-none-match"] == '"v2"'
    assert third.headers["if-modified-since"] == "Fri, 01 May 2026 01:00:00 GMT"


def png(seed: int, size: int = 400 * 1024) -> bytes:
    return PNG + bytes([seed]) * size


def _entries_by_guid(paths: DataPaths) -> dict[str, int]:
    with Store.open(paths) as store:
        return {e.guid: e.id for e in store.list_entries(EntryQuery())}


def _dangling(paths: DataPaths, server: LoopbackServer, names: list[str]) -> list[str]:
    """Which of these image URLs the store maps to a file that is not there."""
    found = []
    with Store.open(paths) as store:
        for name in names:
            cached = store.cached_image(server.url(name))
            if cached is not None and not (paths.images / cached.path).is_file():
                found.append(name)
    return found


def test_eviction_never_deletes_a_file_another_kept_url_still_uses(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    shared = png(1)
    server.route("/a.png", Response(body=shared, content_type="image/png"))
    server.route("/same.png", Response(body=shared, content_type="image/png"))
    server.route("/b.png", Response(body=png(2), content_type="image/png"))
    server.route("/c.png", Response(body=png(3), content_type="image/png"))
    items = [
        Item("e0", html=f'<img src="{server.url("/a.png")}">'),
        Item("e1", html=f'<img src="{server.url("/same.png")}">'),
    ]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    subscribe(data_paths, server.url("/f"), image_cache_mb=1)
    assert run(data_paths).images_cached == 2
    with Store.open(data_paths) as store:
        assert store.image_cache_size() == len(shared)  # one file for both URLs
        store.set_starred([_entries_by_guid(data_paths)["e1"]], True)

    items += [
        Item(f"e{i}", html=f'<img src="{server.url(f"/{n}.png")}">')
        for i, n in ((2, "b"), (3, "c"))
    ]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    assert run(data_paths, at=T0 + timedelta(hours=1)).images_cached == 2
    with Store.open(data_paths) as store:
        assert store.image_cache_size() <= 1024 * 1024
        kept = store.cached_image(server.url("/same.png"))
        assert kept is not None and store.cached_image(server.url("/a.png")) is not None
    assert (data_paths.images / kept.path).read_bytes() == shared
    assert _dangling(data_paths, server, ["/a.png", "/same.png", "/b.png", "/c.png"]) == []
    assert len(list(data_paths.images.rglob("*.png"))) == 2


def test_image_enclosures_of_starred_entries_are_not_evicted(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/a-photo.jpg", Response(body=png(4), content_type="image/jpeg"))
    for name in ("b", "c", "d"):
        server.route(f"/{name}.png", Response(body=png(ord(name)), content_type="image/png"))
    items = [Item("photo", enclosure=(server.url("/a-photo.jpg"), "image/jpeg"))]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    subscribe(data_paths, server.url("/f"), image_cache_mb=1)
    assert run(data_paths).images_cached == 1
    with Store.open(data_paths) as store:
        store.set_starred([_entries_by_guid(data_paths)["photo"]], True)

    items += [Item(n, html=f'<img src="{server.url(f"/{n}.png")}">') for n in ("b", "c", "d")]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    assert run(data_paths, at=T0 + timedelta(hours=1)).images_cached == 3
    with Store.open(data_paths) as store:
        assert store.image_cache_size() <= 1024 * 1024
        photo = store.cached_image(server.url("/a-photo.jpg"))
    assert photo is not None and (data_paths.images / photo.path).is_file()
    assert _dangling(data_paths, server, ["/b.png", "/c.png", "/d.png"]) == []
