"""The sync's store writer: feed writes that wait together are written in one transaction,
each feed still wholly or not at all, reported only once committed; a failing feed costs the
others nothing; and a sync writes what it wrote one feed per transaction."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from newsreader.errors import NotFoundError
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FeedWriteResult, Store
from newsreader.sync import writer as writer_module
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.writer import StoreWriter
from tests.loopback import LoopbackServer, Response
from tests.store.builders import entry, feed, fetch
from tests.sync.documents import Item, rss

RSS = "application/rss+xml"


def add_feeds(paths: DataPaths, count: int) -> list[int]:
    with Store.open(paths) as store:
        return [store.add_feed(f"https://site{n}.example/feed").id for n in range(count)]


def write_one(feed_id: int, fail: bool = False) -> Callable[[Store], FeedWriteResult]:
    """A feed's write of two entries (and, when `fail`, of a missing feed's after them)."""

    def work(store: Store) -> FeedWriteResult:
        with store.write_together():  # one transaction, as a feed's write is
            entries = feed(entry(f"{feed_id}-a"), entry(f"{feed_id}-b"))
            written = store.apply_parsed_feed(feed_id, entries, fetch())
            if fail:  # NotFoundError, halfway
                store.apply_parsed_feed(999, feed(entry("x")), fetch())
        return written

    return work


async def written_while_busy(
    paths: DataPaths, feed_ids: list[int], failing: int | None
) -> tuple[list[FeedWriteResult | BaseException], list[str]]:
    """The feeds' writes, queued while the writer is busy (so they wait together); the
    statements that opened and ended transactions."""
    writer = StoreWriter(paths)
    statements: list[str] = []
    busy = threading.Event()
    try:
        await writer.call(
            lambda store: store.trace_statements(
                lambda sql: (
                    statements.append(sql)
                    if sql.startswith(("BEGIN", "COMMIT", "ROLLBACK"))
                    else None
                )
            )
        )
        blocker = asyncio.ensure_future(writer.call(lambda store: busy.wait()))
        writes = [
            asyncio.ensure_future(writer.write_feed(write_one(i, fail=i == failing)))
            for i in feed_ids
        ]
        await asyncio.sleep(0.05)
        busy.set()
        await blocker
        outcomes = await asyncio.gather(*writes, return_exceptions=True)
    finally:
        await writer.close()
    return list(outcomes), statements


def test_feed_writes_waiting_together_commit_once(data_paths: DataPaths) -> None:
    ids = add_feeds(data_paths, 5)
    outcomes, statements = asyncio.run(written_while_busy(data_paths, ids, None))
    assert statements == ["BEGIN IMMEDIATE", "COMMIT"]
    assert [len(o.new_entry_ids) for o in outcomes if isinstance(o, FeedWriteResult)] == [2] * 5
    with Store.open(data_paths) as store:
        assert store.count_entries(EntryQuery()) == 10


def test_a_failing_feed_write_costs_the_others_nothing(data_paths: DataPaths) -> None:
    """The group is rolled back and written again one feed at a time: the failing feed gets
    its error and keeps nothing of its write (not even the entry before the failure)."""
    ids = add_feeds(data_paths, 4)
    outcomes, statements = asyncio.run(written_while_busy(data_paths, ids, failing=ids[2]))
    assert isinstance(outcomes[2], NotFoundError)
    assert all(isinstance(o, FeedWriteResult) for i, o in enumerate(outcomes) if i != 2)
    assert statements.count("COMMIT") == 3 and statements.count("ROLLBACK") == 2
    with Store.open(data_paths) as store:
        per_feed = [store.count_entries(EntryQuery(feed_ids=(i,))) for i in ids]
    assert per_feed == [2, 2, 0, 2]


def test_a_feed_write_returns_once_committed(data_paths: DataPaths) -> None:
    """What the sync reports is in the store for every other connection (a sync killed
    after a feed's report keeps that feed)."""
    (feed_id,) = add_feeds(data_paths, 1)

    async def scenario() -> int:
        writer = StoreWriter(data_paths)
        try:
            await writer.write_feed(write_one(feed_id))
            with Store.open(data_paths, check=False) as other:
                return other.count_entries(EntryQuery())
        finally:
            await writer.close()

    assert asyncio.run(scenario()) == 2


def test_a_sync_writes_what_it_wrote_one_feed_per_transaction(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries, their images and comment feeds, and the follow-up jobs queued: the same."""

    def synced(name: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        paths = DataPaths(tmp_path / name).ensure()
        with Store.open(paths) as store:
            for n in range(24):
                store.add_feed(server.url(f"/{n}.xml"))
        asyncio.run(sync(paths, SyncOptions(all_feeds=True, parse_processes=False)))
        with Store.open(paths) as store:
            entries = store._conn.execute(
                "SELECT f.url, e.guid, e.title, e.comments_feed FROM entries e "
                "JOIN feeds f ON f.id = e.feed_id ORDER BY 1, 2"
            ).fetchall()
            jobs = store._conn.execute(
                "SELECT j.kind, j.url, e.guid, j.priority, j.attempts FROM follow_ups j "
                "LEFT JOIN entries e ON e.id = j.entry_id ORDER BY 1, 2, 3"
            ).fetchall()
        return entries, jobs

    for n in range(24):
        items = [
            Item(
                f"{n}-{i}",
                title=f"Item {i} of {n}",
                html=f"<p>Text <img src='http://img.invalid/{n}/{i}.png'></p>",
                comments_feed=f"http://talk.invalid/{n}/{i}",
                comment_count=i + 1,
            )
            for i in range(3)
        ]
        server.route(f"/{n}.xml", Response(body=rss(items), content_type=RSS))
    monkeypatch.setattr(writer_module, "GROUP", 1)
    alone = synced("alone")
    monkeypatch.setattr(writer_module, "GROUP", 16)
    together = synced("together")
    assert together == alone
    assert len(alone[0]) == 72 and len(alone[1]) >= 144  # images and comment feeds queued
