"""Feeds parsed in the sync's parse process: the same entries as parsing in a thread, parse
errors that arrive intact, and a parse process that dies leaving the sync to the thread."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsreader.errors import ParseError
from newsreader.failures import Cause
from newsreader.model import Feed
from newsreader.parse import parse_feed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import EntryQuery, FeedWriteResult, Store
from newsreader.sync import engine, parsers, stories
from newsreader.sync.decide import Answered, Failed
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import FeedSynced, SyncEvent, SyncSummary
from newsreader.sync.feed_job import FeedJob, write_feed_here
from newsreader.sync.fetch import FetchResult
from tests.loopback import LoopbackServer, Response
from tests.stories.test_store_stories import OTHER, QUAKE, QUAKE_2
from tests.sync.documents import Item, comment_feed, rss

RSS = "application/rss+xml"
HTML = "<p>Body <script>alert(1)</script><a href='/more' onclick='x()'>more</a></p>"


def started_process() -> Executor:
    """The program's parse process, started and answering."""
    parsers.processes.start_in_background()
    deadline = time.monotonic() + parsers.START_TIMEOUT
    while (pool := parsers.processes.ready()) is None:
        assert time.monotonic() < deadline, "the parse process did not start"
        time.sleep(0.01)
    return pool


def serve_feeds(server: LoopbackServer, paths: DataPaths, count: int) -> None:
    with Store.open(paths) as store:
        for n in range(count):
            items = [Item(f"f{n}-{i}", title=f"Story {i} of {n}", html=HTML) for i in range(3)]
            server.route(f"/{n}.xml", Response(body=rss(items), content_type=RSS))
            store.add_feed(server.url(f"/{n}.xml"))


def run(paths: DataPaths, *, parse_processes: bool = True) -> SyncSummary:
    options = SyncOptions(all_feeds=True, parse_processes=parse_processes)
    return asyncio.run(sync(paths, options))


def stored_entries(paths: DataPaths) -> list[tuple[str, str | None, str | None]]:
    with Store.open(paths) as store:
        entries = store.list_entries(EntryQuery(order="title"))
    return sorted((e.guid, e.title, e.summary) for e in entries)


def test_the_parse_process_stores_what_the_thread_stores(
    server: LoopbackServer, tmp_path: Path
) -> None:
    started_process()
    in_process = DataPaths(tmp_path / "process").ensure()
    in_thread = DataPaths(tmp_path / "thread").ensure()
    serve_feeds(server, in_process, 4)
    serve_feeds(server, in_thread, 4)

    assert run(in_process).new_entries == 12
    assert run(in_thread, parse_processes=False).new_entries == 12

    entries = stored_entries(in_process)
    assert entries == stored_entries(in_thread)
    assert all("script" not in (summary or "") for _, _, summary in entries)
    assert all("onclick" not in (summary or "") for _, _, summary in entries)


def test_a_parse_error_in_the_process_fails_only_its_feed(
    server: LoopbackServer, data_paths: DataPaths
) -> None:
    started_process()
    serve_feeds(server, data_paths, 2)
    server.route("/broken.xml", Response(body=b"<unknown>no feed</unknown>", content_type=RSS))
    with Store.open(data_paths) as store:
        broken = store.add_feed(server.url("/broken.xml"))

    summary = run(data_paths)

    assert summary.new_entries == 6
    assert [f.feed_id for f in summary.failures] == [broken.id]
    assert "<unknown>" in summary.failures[0].reason  # the parser's own ParseError
    with Store.open(data_paths) as store:
        assert store.get_feed(broken.id).last_error == summary.failures[0].reason


def test_a_killed_parse_process_leaves_the_parsing_to_the_thread(
    server: LoopbackServer, data_paths: DataPaths, caplog: pytest.LogCaptureFixture
) -> None:
    pool = started_process()
    workers = _parse_workers()
    assert workers, "no parse worker process"
    for worker in workers:
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=10)
    serve_feeds(server, data_paths, 3)

    summary = run(data_paths)

    assert (summary.new_entries, summary.failures) == (9, ())
    assert "the parse process died" in caplog.text
    assert parsers.processes.ready() is not pool  # the dead one is never used again


def _parse_workers() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if "Spawn" in type(p).__name__]


_PARENT = """
import multiprocessing, sys, time
from newsreader.sync import engine, parsers, stories
parsers.processes.start_in_background()
parsers.processes.wait_settled()
assert parsers.processes.ready() is not None
print(*[p.pid for p in multiprocessing.active_children()], flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_parse_process_ends_when_its_program_is_killed() -> None:
    command = [sys.executable, "-c", _PARENT]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as parent:
        try:
            assert parent.stdout is not None
            workers = [int(pid) for pid in parent.stdout.readline().split()]
            assert workers and all(_alive(pid) for pid in workers)
        finally:
            parent.kill()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "the parse process outlived its program"
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie (its parent, init, reaps it soon)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def serve_one_event(server: LoopbackServer, paths: DataPaths) -> None:
    """Two feeds reporting one earthquake in other words, and a third on another event."""
    reports = {"quake-a": QUAKE, "quake-b": QUAKE_2, "tram": OTHER}
    with Store.open(paths) as store:
        for name, (title, text) in reports.items():
            body = rss([Item(f"{name}-1", title=title, html=f"<p>{text}</p>")])
            server.route(f"/{name}.xml", Response(body=body, content_type=RSS))
            store.add_feed(server.url(f"/{name}.xml"))


def stories_by_title(paths: DataPaths) -> dict[str, tuple[str, ...]]:
    """Each entry's title and the titles of the other articles in its story."""
    with Store.open(paths) as store:
        entries = {e.id: e.title or "" for e in store.list_entries(EntryQuery())}
        return {
            title: tuple(entries[i] for i in story.entries) if story else ()
            for entry_id, title in entries.items()
            for story in [store.entry_story(entry_id)]
        }


def test_stories_are_matched_in_the_parse_process(
    server: LoopbackServer, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the process up, the window's process does no matching (it held the GIL for
    seconds after a large sync); the stories are the same."""
    started_process()
    serve_one_event(server, data_paths)
    here: list[int] = []
    matched_here = Store.match_queued_stories
    monkeypatch.setattr(
        Store, "match_queued_stories", lambda s, *a: here.append(1) or matched_here(s, *a)
    )

    assert run(data_paths).new_entries == 3

    assert here == []
    stories = stories_by_title(data_paths)
    assert stories[QUAKE[0]] == (QUAKE_2[0],)
    assert stories[QUAKE_2[0]] == (QUAKE[0],)
    assert stories[OTHER[0]] == ()
    with Store.open(data_paths) as store:
        assert store.match_queued_stories() == 0  # the queue was emptied


def test_the_writer_matches_when_the_process_cannot(
    server: LoopbackServer,
    data_paths: DataPaths,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A batch the process could not match (its store would not open, say) is matched by
    the sync's writer: the stories are there all the same."""
    started_process()
    monkeypatch.setattr(stories, "match_batch_here", lambda paths: None)
    with ThreadPoolExecutor(1) as failing:
        monkeypatch.setattr(parsers.processes, "ready", lambda: failing)
        serve_one_event(server, data_paths)
        assert run(data_paths).new_entries == 3
    assert stories_by_title(data_paths)[QUAKE[0]] == (QUAKE_2[0],)


def test_a_batch_the_process_cannot_match_is_reported_as_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store that will not open in the process (here: not a database) gives None and a
    log line, not an exception that might not survive the trip back."""
    paths = DataPaths(tmp_path / "data").ensure()
    paths.store.write_bytes(b"not a database, " * 1024)
    assert stories.match_batch_here(paths) is None
    assert "matching stories failed in the parse process" in caplog.text
    assert parsers._stores == {}


def serve_discussed_feeds(server: LoopbackServer, paths: DataPaths, count: int) -> None:
    """`count` feeds of two entries each, whose first entry names a comment feed."""
    server.route(
        "/c.xml", Response(body=comment_feed([("c1", "<p>Hi</p>", None)]), content_type=RSS)
    )
    with Store.open(paths) as store:
        for n in range(count):
            items = [
                Item(
                    f"f{n}-0", title=f"Talked of {n}", html=HTML, comments_feed=server.url("/c.xml")
                ),
                Item(f"f{n}-1", title=f"Quiet {n}", html=HTML),
            ]
            server.route(
                f"/{n}.xml", Response(body=rss(items, title=f"Feed {n}"), content_type=RSS)
            )
            store.add_feed(server.url(f"/{n}.xml"))


def count_writes_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the thread of every `Store.apply_feed_intent` in this process (the spawned
    parse process imports its own, unpatched Store)."""
    here: list[str] = []
    applied = Store.apply_feed_intent

    def counted(store: Store, *args: Any) -> FeedWriteResult:
        here.append(threading.current_thread().name)
        return applied(store, *args)

    monkeypatch.setattr(Store, "apply_feed_intent", counted)
    return here


def run_window(paths: DataPaths, events: list[SyncEvent] | None = None) -> SyncSummary:
    """A sync as the window runs it (`responsive`)."""
    options = SyncOptions(all_feeds=True, responsive=True, follow_up_unbounded=True)
    return asyncio.run(sync(paths, options, [events.append] if events is not None else []))


def test_a_windows_sync_writes_its_feeds_in_the_parse_process(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the process up, the window's process parses and writes no feed (its writer
    thread's Python made the window wait for the GIL); the entries, the follow-up work
    queued with them (comment feeds) and the feeds' reports are those of the thread path."""
    started_process()
    in_process = DataPaths(tmp_path / "process").ensure()
    in_thread = DataPaths(tmp_path / "thread").ensure()
    serve_discussed_feeds(server, in_process, 3)
    serve_discussed_feeds(server, in_thread, 3)
    here = count_writes_here(monkeypatch)
    events: list[SyncEvent] = []

    summary = run_window(in_process, events)

    assert here == []
    assert (summary.new_entries, summary.failures, summary.comments_fetched) == (6, (), 3)
    synced = sorted((e.title, e.new_entries) for e in events if isinstance(e, FeedSynced))
    assert synced == [(f"Feed {n}", 2) for n in range(3)]
    threaded = run(in_thread, parse_processes=False)
    assert (threaded.new_entries, threaded.comments_fetched) == (6, 3)
    assert stored_entries(in_process) == stored_entries(in_thread)


def test_a_windows_sync_waits_for_the_process_that_is_starting(
    server: LoopbackServer, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feeds that arrive while the process starts (the window starts it as it opens) wait
    for it rather than being written in the window's process."""
    pool = started_process()
    assert isinstance(pool, ProcessPoolExecutor)
    parsers.processes.stop(pool)
    serve_feeds(server, data_paths, 3)
    here = count_writes_here(monkeypatch)
    parsers.processes.start_in_background()  # as the window does; the sync does not wait

    assert run_window(data_paths).new_entries == 9

    assert here == []
    assert parsers.processes.ready() is not None


def test_a_windows_sync_records_a_parse_error_as_the_thread_path_does(
    server: LoopbackServer, tmp_path: Path
) -> None:
    started_process()
    reasons = []
    for name, window in (("process", True), ("thread", False)):
        paths = DataPaths(tmp_path / name).ensure()
        server.route("/broken.xml", Response(body=b"<unknown>no feed</unknown>", content_type=RSS))
        with Store.open(paths) as store:
            broken = store.add_feed(server.url("/broken.xml"))
        summary = run_window(paths) if window else run(paths, parse_processes=False)
        assert [f.feed_id for f in summary.failures] == [broken.id]
        with Store.open(paths) as store:
            stored = store.get_feed(broken.id)
        assert stored.last_error == summary.failures[0].reason
        assert stored.error_count == 1
        reasons.append(stored.last_error)
    assert reasons[0] == reasons[1]
    assert "<unknown>" in (reasons[0] or "")


def test_a_feed_the_process_could_not_write_is_written_by_the_writer(
    server: LoopbackServer,
    data_paths: DataPaths,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A write that fails in the process (its store would not take it) comes back as None
    and the sync's writer does the feed again: every entry is there, no failure recorded. A
    thread plays the process, so that the store can be made to fail there only."""
    serve_feeds(server, data_paths, 2)
    tried: list[str] = []
    applied = Store.apply_feed_intent

    def full_in_the_process(store: Store, *args: Any) -> FeedWriteResult:
        tried.append(threading.current_thread().name.split("_")[0])
        if tried[-1] == "playing-the-process":
            raise sqlite3.OperationalError("database or disk is full")
        return applied(store, *args)

    monkeypatch.setattr(Store, "apply_feed_intent", full_in_the_process)
    monkeypatch.setattr(parsers, "_stores", {})  # the playing thread's own connections
    with ThreadPoolExecutor(1, thread_name_prefix="playing-the-process") as process:
        monkeypatch.setattr(parsers.processes, "ready", lambda: process)
        summary = run_window(data_paths)

    assert (summary.new_entries, summary.failures) == (6, ())
    assert sorted(tried) == ["newsreader-store"] * 2 + ["playing-the-process"] * 2
    assert "failed in the parse process" in caplog.text
    with Store.open(data_paths) as store:
        assert all(feed.error_count == 0 for feed in store.list_feeds())


def feed_job(paths: DataPaths, feed: Feed, body: bytes) -> FeedJob:
    """The job of `feed` answered with `body`."""
    result = FetchResult(200, feed.url, body, {"content-type": RSS})
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return FeedJob(feed, Answered(result, "0" * 64), now, Settings(), 1_000_000, (), paths)


def test_a_body_that_does_not_parse_comes_back_as_its_failure(data_paths: DataPaths) -> None:
    """The job's answer to a broken body: the parser's own message; nothing written."""
    with Store.open(data_paths) as store:
        feed = store.add_feed("https://feeds.invalid/broken.xml")
    body = b"<unknown>no feed</unknown>"
    with pytest.raises(ParseError) as parsing:
        parse_feed(body, feed.url)

    assert write_feed_here(feed_job(data_paths, feed, body)) == Failed(
        str(parsing.value), cause=Cause.NOT_A_FEED
    )
    assert parsers._stores == {}  # it did not even open the store


def test_a_feed_the_process_cannot_write_is_reported_as_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store that will not open in the process (here: not a database) gives None and a
    log line, not an exception that might not survive the trip back, and no connection is
    kept."""
    paths = DataPaths(tmp_path / "data").ensure()
    paths.store.write_bytes(b"not a database, " * 1024)
    feed = Feed(id=1, url="https://feeds.invalid/a.xml")
    body = rss([Item("a-1")])

    assert write_feed_here(feed_job(paths, feed, body)) is None
    assert "writing https://feeds.invalid/a.xml failed in the parse process" in caplog.text
    assert parsers._stores == {}


GERMAN = (
    "<p>Die Regierung hat am Montag einen neuen Haushalt vorgestellt, der mehr Geld für "
    "Schulen und Krankenhäuser vorsieht. Die Opposition kritisierte die Pläne scharf.</p>"
)


def test_the_parse_process_detects_languages_so_the_writer_does_not(
    server: LoopbackServer, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    started_process()
    with Store.open(data_paths) as store:
        for n in range(3):
            items = [
                Item(f"de{n}", title="Neuer Haushalt für Schulen vorgestellt", html=GERMAN),
                Item(f"en{n}", title="Council opens the new harbour bridge", html=HTML * 3),
            ]
            server.route(f"/{n}.xml", Response(body=rss(items), content_type=RSS))
            store.add_feed(server.url(f"/{n}.xml"))

    def no_detection_here(title: str | None, text: str) -> str | None:
        raise AssertionError("the writer detected a language the parse process had detected")

    monkeypatch.setattr("newsreader.store.ingest.entry_language", no_detection_here)
    summary = run(data_paths)

    assert (summary.new_entries, summary.failures) == (6, ())
    with Store.open(data_paths) as store:
        languages = {e.guid: e.language for e in store.list_entries(EntryQuery())}
    assert languages == {f"de{n}": "de" for n in range(3)} | {f"en{n}": "en" for n in range(3)}


def test_a_large_sync_starts_the_process_before_its_first_request(
    server: LoopbackServer, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started once the feeds' tasks were made, the process came too late on a busy machine:
    the first answers arrived first and were parsed (their languages detected) in the
    sync's own process."""
    pool = parsers.processes.ready()
    if pool is not None:
        parsers.processes.stop(pool)
    serve_feeds(server, data_paths, parsers.MIN_FEEDS)
    order: list[str] = []
    start, fetch = parsers.processes.start_in_background, engine.fetch

    def starting() -> None:
        order.append("start")
        start()

    async def fetching(*args: Any, **kwargs: Any) -> FetchResult:
        order.append("request")
        return await fetch(*args, **kwargs)

    monkeypatch.setattr(parsers.processes, "start_in_background", starting)
    monkeypatch.setattr(engine, "fetch", fetching)

    assert run(data_paths).new_entries == 3 * parsers.MIN_FEEDS

    assert order[0] == "start"
    assert order.count("request") == parsers.MIN_FEEDS
