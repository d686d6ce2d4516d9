"""Offline content: the image cache (and its eviction) and comment feeds."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from pathlib import Path

from newsreader.model import CommentOrigin
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import EntryQuery, Store
from newsreader.sync.engine import SyncOptions, fetch_comments, sync
from newsreader.sync.events import SyncSummary
from newsreader.sync.images import RECORD_BATCH, relative_path
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import PNG, Item, comment_feed, rss

RSS = "application/rss+xml"
ATOM = "application/atom+xml"


def run(paths: DataPaths, **options: object) -> SyncSummary:
    return asyncio.run(sync(paths, SyncOptions(**options)))  # type: ignore[arg-type]


def settings(paths: DataPaths, **values: object) -> None:
    with Store.open(paths) as store:
        store.save_settings(replace(Settings(), **values))  # type: ignore[arg-type]


def png(seed: int, size: int = 1000) -> bytes:
    return PNG + bytes([seed % 256]) * size


def test_images_of_new_entries_are_cached_by_content(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    first, second = png(1), png(2)
    server.route("/a.png", Response(body=first, content_type="image/png"))
    server.route("/b.png", Response(body=second, content_type="image/png"))
    server.route("/same.png", Response(body=first, content_type="image/png"))
    server.route("/page.html", Response(body=b"<html></html>", content_type="text/html"))
    server.route("/icon.png", Response(body=png(3), content_type="image/png"))
    html = (
        f'<p><img src="{server.url("/a.png")}"><img src="{server.url("/b.png")}">'
        f'<img src="{server.url("/same.png")}"><img src="{server.url("/page.html")}"></p>'
    )
    feed = rss([Item("one", html=html)], image=server.url("/icon.png"))
    server.route("/f", Response(body=feed, content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    summary = run(data_paths)
    assert summary.images_cached == 4  # a, b, same (same file as a), the feed's icon
    with Store.open(data_paths) as store:
        a = store.cached_image(server.url("/a.png"))
        same = store.cached_image(server.url("/same.png"))
        assert store.cached_image(server.url("/page.html")) is None  # not an image
        assert store.cached_image(server.url("/icon.png")) is not None
    assert a is not None and same is not None
    sha = hashlib.sha256(first).hexdigest()
    assert a.sha256 == sha and a.path == same.path == relative_path(sha, "image/png")
    assert (data_paths.images / a.path).read_bytes() == first
    assert a.path.startswith(f"{sha[:2]}/{sha[2:4]}/")
    # A second sync does not download known images again.
    server.route("/f", Response(body=rss([Item("one", html=html), Item("two")]), content_type=RSS))
    run(data_paths, all_feeds=True)
    assert len(server.requests_for("/a.png")) == 1


def test_more_images_than_one_batch_are_all_recorded(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    count = RECORD_BATCH + 9  # one full batch of records, and the rest when the stage ends
    for n in range(count):
        server.route(f"/{n}.png", Response(body=png(n), content_type="image/png"))
    items = [
        Item(f"e{n}", html=f'<p><img src="{server.url(f"/{n}.png")}"></p>') for n in range(count)
    ]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert run(data_paths, follow_up_unbounded=True).images_cached == count
    with Store.open(data_paths) as store:
        recorded = [store.cached_image(server.url(f"/{n}.png")) for n in range(count)]
    assert all(image is not None for image in recorded)
    assert all((data_paths.images / image.path).is_file() for image in recorded if image)


def test_image_enclosures_are_cached_but_not_other_enclosures(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/photo.jpg", Response(body=png(7), content_type="image/jpeg"))
    server.route("/episode.mp3", Response(body=b"ID3", content_type="audio/mpeg"))
    items = [
        Item("photo", enclosure=(server.url("/photo.jpg"), "image/jpeg")),
        Item("podcast", enclosure=(server.url("/episode.mp3"), "audio/mpeg")),
    ]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert run(data_paths).images_cached == 1
    with Store.open(data_paths) as store:
        photo = store.cached_image(server.url("/photo.jpg"))
    assert photo is not None and photo.path.endswith(".jpg")
    assert server.requests_for("/episode.mp3") == []


def test_image_caching_can_be_turned_off(data_paths: DataPaths, server: LoopbackServer) -> None:
    server.route("/a.png", Response(body=png(1), content_type="image/png"))
    html = f'<img src="{server.url("/a.png")}">'
    server.route("/f", Response(body=rss([Item("one", html=html)]), content_type=RSS))
    settings(data_paths, cache_images=False)
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert run(data_paths).images_cached == 0
    assert server.requests_for("/a.png") == []


def test_oversize_images_are_skipped(data_paths: DataPaths, server: LoopbackServer) -> None:
    server.route("/big.png", Response(body=png(1, 50_000), content_type="image/png"))
    html = f'<img src="{server.url("/big.png")}">'
    server.route("/f", Response(body=rss([Item("one", html=html)]), content_type=RSS))
    settings(data_paths, max_image_bytes=10_000)
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    summary = run(data_paths)
    assert summary.updated == 1 and summary.images_cached == 0


def test_eviction_keeps_the_cache_under_its_cap_and_spares_starred_entries(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    size = 400 * 1024
    for i in range(4):
        server.route(f"/{i}.png", Response(body=png(i, size), content_type="image/png"))
    items = [Item(f"e{i}", html=f'<img src="{server.url(f"/{i}.png")}">') for i in range(2)]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    settings(data_paths, image_cache_mb=1)
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert run(data_paths).images_cached == 2
    with Store.open(data_paths) as store:
        starred = store.list_entries(EntryQuery())
        first = next(e for e in starred if e.guid == "e0")
        store.set_starred([first.id], True)
        kept = store.cached_image(server.url("/0.png"))
    assert kept is not None
    items += [Item(f"e{i}", html=f'<img src="{server.url(f"/{i}.png")}">') for i in (2, 3)]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    assert run(data_paths, all_feeds=True).images_cached == 2
    with Store.open(data_paths) as store:
        assert store.image_cache_size() <= 1024 * 1024
        assert store.cached_image(server.url("/0.png")) is not None  # starred: kept
        evicted = store.cached_image(server.url("/1.png"))
    assert evicted is None
    assert (data_paths.images / kept.path).is_file()
    files = list(data_paths.images.rglob("*.png"))
    assert len(files) == 2


def test_comment_feeds_are_stored_threaded_beside_user_comments(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    comments = [("c1", "<p>First!</p>", None), ("c2", "<p>Reply</p>", "c1")]
    server.route("/comments", Response(body=comment_feed(comments), content_type=ATOM))
    item = Item("post", comments_feed=server.url("/comments"))
    server.route("/f", Response(body=rss([item]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    summary = run(data_paths)
    assert summary.comments_fetched == 2
    with Store.open(data_paths) as store:
        (entry,) = store.list_entries(EntryQuery())
        mine = store.add_comment(entry.id, "my note", author="Me")
        threads = store.comment_threads(entry.id)
    site = [c for c in threads if c.origin is CommentOrigin.SITE]
    assert [c.remote_id for c in site] == ["c1"]
    assert [r.remote_id for r in site[0].replies] == ["c2"]
    # On demand: the site's comments change; the user's own comment stays.
    comments.append(("c3", "<p>Later</p>", None))
    server.route("/comments", Response(body=comment_feed(comments), content_type=ATOM))
    assert asyncio.run(fetch_comments(data_paths, entry.id)) >= 1
    with Store.open(data_paths) as store:
        listed = store.list_comments(entry.id)
    assert {c.remote_id for c in listed if c.origin is CommentOrigin.SITE} == {"c1", "c2", "c3"}
    assert [c.body for c in listed if c.origin is CommentOrigin.USER] == [mine.body]


def test_comment_feeds_are_fetched_again_only_when_the_announced_count_changes(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    comments = [("c1", "<p>First</p>", None)]
    server.route("/c", Response(body=comment_feed(comments), content_type=ATOM))
    server.route("/quiet", Response(body=comment_feed([]), content_type=ATOM))
    first = Item("first", comments_feed=server.url("/c"), comment_count=1)
    quiet = Item("quiet", comments_feed=server.url("/quiet"), comment_count=0)
    server.route("/f", Response(body=rss([first, quiet]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert run(data_paths).comments_fetched == 1
    assert len(server.requests_for("/quiet")) == 0  # announces no comments: nothing to fetch
    # A new entry arrives; the first entry's count is the same: its comments are not asked.
    server.route("/f", Response(body=rss([Item("second"), first, quiet]), content_type=RSS))
    assert run(data_paths, all_feeds=True).comments_fetched == 0
    assert len(server.requests_for("/c")) == 1
    # The discussion grew and the feed says so: fetched again.
    comments.append(("c2", "<p>Second</p>", None))
    server.route("/c", Response(body=comment_feed(comments), content_type=ATOM))
    grown = replace(first, comment_count=2)
    server.route("/f", Response(body=rss([Item("second"), grown, quiet]), content_type=RSS))
    assert run(data_paths, all_feeds=True).comments_fetched == 1
    with Store.open(data_paths) as store:
        entry = next(e for e in store.list_entries(EntryQuery()) if e.guid == "first")
        assert {c.remote_id for c in store.list_comments(entry.id)} == {"c1", "c2"}


def test_a_feed_cannot_make_us_read_local_files(
    data_paths: DataPaths, server: LoopbackServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(comment_feed([("x", "<p>private</p>", None)]))
    local_png = tmp_path / "local.png"
    local_png.write_bytes(png(9))
    item = Item("post", html=f'<img src="{local_png.as_uri()}">', comments_feed=secret.as_uri())
    server.route("/f", Response(body=rss([item]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    summary = run(data_paths)
    assert summary.updated == 1
    assert summary.comments_fetched == 0 and summary.images_cached == 0
    with Store.open(data_paths) as store:
        (entry,) = store.list_entries(EntryQuery())
        assert store.list_comments(entry.id) == []


def test_a_broken_comment_feed_does_not_fail_the_feed(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    item = Item("post", comments_feed=server.url("/no-comments"))
    server.route("/f", Response(body=rss([item]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    summary = run(data_paths)
    assert summary.updated == 1 and not summary.failures and summary.comments_fetched == 0
