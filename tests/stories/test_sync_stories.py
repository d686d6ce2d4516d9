"""Articles a sync writes are in their stories when the sync is done: `newsreader sync`
against feeds served on loopback, then `stories` and `show --json` as a user would read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.loopback import LoopbackServer, Response
from tests.stories.test_store_stories import OTHER, QUAKE, QUAKE_2


def _rss(name: str, items: list[tuple[str, str, datetime]]) -> bytes:
    body = "".join(
        f"<item><title>{escape(title)}</title><guid>{name}-{i}</guid>"
        f"<link>https://{name}.example/{i}</link><pubDate>{format_datetime(date)}</pubDate>"
        f"<description>{escape(lead)}</description></item>"
        for i, (title, lead, date) in enumerate(items)
    )
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
        f"<title>{name}</title><link>https://{name}.example/</link>{body}</channel></rss>"
    ).encode()


def _cli(paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main([*args, "--data-dir", str(paths.root)]) == 0
    return capsys.readouterr().out


def test_a_synced_article_is_in_its_story_when_the_sync_is_done(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    with LoopbackServer() as server:
        server.route("/one.xml", Response(body=_rss("one", [(*QUAKE, now - timedelta(hours=3))])))
        server.route(
            "/two.xml",
            Response(
                body=_rss(
                    "two",
                    [(*QUAKE_2, now - timedelta(hours=1)), (*OTHER, now - timedelta(hours=2))],
                )
            ),
        )
        with Store.open(data_paths.ensure()) as store:
            store.add_feed(server.url("/one.xml"))
            store.add_feed(server.url("/two.xml"))
        _cli(data_paths, capsys, "sync", "--all")
    with Store.open(data_paths) as store:
        by_title = {e.title: e.id for e in store.list_entries(EntryQuery())}
    first, second, other = by_title[QUAKE[0]], by_title[QUAKE_2[0]], by_title[OTHER[0]]

    shown = json.loads(_cli(data_paths, capsys, "show", str(second), "--json"))
    assert shown["story"] == {"id": first, "entries": [first], "copies": []}
    assert json.loads(_cli(data_paths, capsys, "show", str(other), "--json"))["story"] is None
    (story,) = json.loads(_cli(data_paths, capsys, "stories", "--json"))
    assert (story["id"], story["sources"]) == (first, 2)
    assert sorted(e["id"] for e in story["entries"]) == sorted([first, second])


def test_stories_are_matched_while_the_follow_up_work_waits_on_a_host(
    data_paths: DataPaths,
) -> None:
    """Matching runs beside the follow-up work: a comment feed whose host answers only once
    the articles are in their stories is answered (matching after the follow-up work would
    leave it waiting out its timeout), and both are done when the sync is."""
    import asyncio
    import threading

    from newsreader.sync.engine import SyncOptions, sync
    from newsreader.sync.events import StoriesMatched, SyncEvent
    from tests.sync.documents import Item, comment_feed, rss

    matched = threading.Event()
    answered_after_matching: list[bool] = []

    def comments(_request: object) -> Response:
        answered_after_matching.append(matched.wait(timeout=20))
        return Response(body=comment_feed([]), content_type="application/atom+xml")

    def note(event: SyncEvent) -> None:
        if isinstance(event, StoriesMatched) and event.done == event.total:
            matched.set()

    with LoopbackServer() as server:
        server.route("/comments", comments)
        item = Item("quake", title=QUAKE[0], html=QUAKE[1], comments_feed=server.url("/comments"))
        server.route("/feed", Response(body=rss([item]), content_type="application/rss+xml"))
        with Store.open(data_paths) as store:
            store.add_feed(server.url("/feed"))
        summary = asyncio.run(sync(data_paths, SyncOptions(parse_processes=False), [note]))
    assert summary.new_entries == 1
    assert answered_after_matching == [True]
    with Store.open(data_paths) as store:
        assert store.story_queue_size() == 0
