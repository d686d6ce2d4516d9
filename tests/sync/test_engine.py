"""The sync engine against real HTTP servers on 127.0.0.1 and a real store in tmp_path."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from newsreader.errors import NotFoundError, SyncBusyError
from newsreader.model import Feed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.credentials import Credentials, save_credentials
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import (
    FeedOutcome,
    FeedSynced,
    SyncEvent,
    SyncFinished,
    SyncStarted,
    SyncSummary,
)
from newsreader.sync.fetch import FetchLimits
from newsreader.sync.lock import SyncLock
from tests.loopback import LoopbackServer, Request, Response
from tests.sync.documents import Item, rss
from tests.sync.memory_keyring import MemoryKeyring
from tests.sync.servers import TLSServer, client_context, gated, refused_url

RSS = "application/rss+xml"


def add_feeds(paths: DataPaths, urls: Sequence[str]) -> list[Feed]:
    with Store.open(paths) as store:
        return [store.add_feed(url) for url in urls]


def get_feed(paths: DataPaths, feed_id: int) -> Feed:
    with Store.open(paths) as store:
        return store.get_feed(feed_id)


def entry_titles(paths: DataPaths, feed_id: int) -> list[str]:
    with Store.open(paths) as store:
        entries = store.list_entries(EntryQuery(feed_ids=(feed_id,)))
    return sorted(e.title or "" for e in entries)


def run(paths: DataPaths, events: list[SyncEvent] | None = None, **options: object) -> SyncSummary:
    subscribers = [events.append] if events is not None else []
    return asyncio.run(sync(paths, SyncOptions(**options), subscribers))  # type: ignore[arg-type]


def feed_with(*titles: str) -> bytes:
    return rss([Item(guid=t, title=t) for t in titles])


def test_first_sync_writes_entries_and_reports_events(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/f", Response(body=feed_with("a", "b"), content_type=RSS))
    (feed,) = add_feeds(data_paths, [server.url("/f")])
    events: list[SyncEvent] = []
    summary = run(data_paths, events)
    assert summary.checked == 1 and summary.updated == 1 and summary.new_entries == 2
    assert isinstance(events[0], SyncStarted) and events[0].total == 1
    assert isinstance(events[1], FeedSynced)
    assert events[1].outcome is FeedOutcome.UPDATED and events[1].new_entries == 2
    assert events[1].title == "Test feed"  # known from the document on the first fetch
    assert isinstance(events[-1], SyncFinished) and events[-1].summary == summary
    assert entry_titles(data_paths, feed.id) == ["a", "b"]
    stored = get_feed(data_paths, feed.id)
    assert stored.title == "Test feed"
    assert stored.next_due is not None and stored.next_due > datetime.now(UTC)


def test_304_costs_no_parse_and_no_entry_writes(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(status=304)
        return Response(body=feed_with("a"), headers={"ETag": '"v1"'}, content_type=RSS)

    server.route("/f", route)
    (feed,) = add_feeds(data_paths, [server.url("/f")])
    run(data_paths)
    first = get_feed(data_paths, feed.id)
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    summary = run(data_paths, all_feeds=True, clock=lambda: later)
    assert summary.unchanged == 1 and summary.new_entries == 0
    second = get_feed(data_paths, feed.id)
    assert second.last_fetched == later
    assert second.next_due == later + timedelta(minutes=30)
    assert first.etag == second.etag == '"v1"'
    assert server.requests_for("/f")[1].headers["if-none-match"] == '"v1"'


def test_only_due_feeds_are_fetched_by_default(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/f", Response(body=feed_with("a"), content_type=RSS))
    add_feeds(data_paths, [server.url("/f")])
    run(data_paths)
    summary = run(data_paths)
    assert summary.checked == 0
    assert len(server.requests_for("/f")) == 1


def test_named_feeds_by_id_or_url(data_paths: DataPaths, server: LoopbackServer) -> None:
    server.route("/a", Response(body=feed_with("a"), content_type=RSS))
    server.route("/b", Response(body=feed_with("b"), content_type=RSS))
    a, b = add_feeds(data_paths, [server.url("/a"), server.url("/b")])
    assert run(data_paths, feeds=(str(a.id),)).checked == 1
    assert run(data_paths, feeds=(server.url("/b"),)).checked == 1
    assert entry_titles(data_paths, b.id) == ["b"]
    with pytest.raises(NotFoundError, match="no feed with id or URL"):
        run(data_paths, feeds=("https://example.org/unknown",))


@pytest.mark.parametrize(("code", "moves"), [(301, True), (308, True), (302, False), (307, False)])
def test_permanent_redirects_move_the_feed(
    data_paths: DataPaths, server: LoopbackServer, code: int, moves: bool
) -> None:
    server.route("/old", Response(status=code, headers={"Location": "/new"}))
    server.route("/new", Response(body=feed_with("a"), content_type=RSS))
    (feed,) = add_feeds(data_paths, [server.url("/old")])
    assert run(data_paths).updated == 1
    expected = server.url("/new") if moves else server.url("/old")
    assert get_feed(data_paths, feed.id).url == expected


@pytest.mark.parametrize(
    "landing",
    [
        Response(body=b"<html><body>Down for maintenance</body></html>", content_type="text/html"),
        Response(status=404, body=b"not here", content_type="text/html"),
    ],
    ids=["maintenance-page", "404"],
)
def test_a_301_to_something_that_is_no_feed_never_moves_the_feed(
    data_paths: DataPaths, server: LoopbackServer, landing: Response
) -> None:
    server.route("/old", Response(status=301, headers={"Location": "/elsewhere"}))
    server.route("/elsewhere", landing)
    (feed,) = add_feeds(data_paths, [server.url("/old")])
    summary = run(data_paths)
    assert summary.checked == 1 and len(summary.failures) == 1
    stored = get_feed(data_paths, feed.id)
    assert stored.url == server.url("/old") and stored.error_count == 1
    # The site recovers: the old address serves the feed again, and nothing was lost.
    server.route("/old", Response(body=feed_with("back"), content_type=RSS))
    assert run(data_paths, all_feeds=True).updated == 1
    assert get_feed(data_paths, feed.id).url == server.url("/old")


def test_a_truncated_feed_stores_nothing_and_is_not_called_offline(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    whole = feed_with("first", "second")
    cut = whole[: whole.index(b"second") + 3]  # the connection drops mid-item
    headers = {"Content-Length": str(len(whole)), "Connection": "close"}
    server.route("/f", Response(body=cut, content_type=RSS, headers=headers))
    (feed,) = add_feeds(data_paths, [server.url("/f")])
    summary = run(data_paths)
    assert not summary.nothing_fetched
    (failure,) = summary.failures
    assert not failure.network
    assert f"closed the connection after {len(cut)} bytes" in failure.reason
    assert entry_titles(data_paths, feed.id) == []


def test_410_disables_the_feed_with_a_note(data_paths: DataPaths, server: LoopbackServer) -> None:
    server.route("/gone", Response(status=410))
    (feed,) = add_feeds(data_paths, [server.url("/gone")])
    summary = run(data_paths)
    assert summary.disabled == 1
    stored = get_feed(data_paths, feed.id)
    assert stored.disabled
    assert stored.disabled_reason is not None and "410" in stored.disabled_reason
    assert run(data_paths, all_feeds=True).checked == 0


def test_errors_are_recorded_with_exponential_backoff(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/broken", Response(status=500))
    (feed,) = add_feeds(data_paths, [server.url("/broken")])
    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    summary = run(data_paths, clock=lambda: t0)
    assert summary.failures[0].reason == "HTTP 500 Internal Server Error"
    assert not summary.failures[0].network
    first = get_feed(data_paths, feed.id)
    assert first.error_count == 1
    assert first.last_error == "HTTP 500 Internal Server Error"
    assert first.last_error_at == t0
    assert first.next_due == t0 + timedelta(minutes=30)
    t1 = t0 + timedelta(hours=1)
    run(data_paths, clock=lambda: t1)
    second = get_feed(data_paths, feed.id)
    assert second.error_count == 2
    assert second.next_due == t1 + timedelta(minutes=60)


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_is_honoured(data_paths: DataPaths, server: LoopbackServer, code: int) -> None:
    server.route("/busy", Response(status=code, headers={"Retry-After": "7200"}))
    (feed,) = add_feeds(data_paths, [server.url("/busy")])
    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    run(data_paths, clock=lambda: t0)
    assert get_feed(data_paths, feed.id).next_due == t0 + timedelta(hours=2)
    # Every sync honours it, --all included; naming the feed asks anyway.
    t1 = t0 + timedelta(hours=1)
    assert run(data_paths, clock=lambda: t1, all_feeds=True).checked == 0
    assert len(server.requests_for("/busy")) == 1
    assert run(data_paths, clock=lambda: t1, feeds=(str(feed.id),)).checked == 1
    assert len(server.requests_for("/busy")) == 2
    t3 = t0 + timedelta(hours=3)
    assert run(data_paths, clock=lambda: t3, all_feeds=True).checked == 1


@pytest.mark.parametrize(
    "header",
    [
        {"Retry-After": "99999999999999999999"},
        {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"},
    ],
)
def test_an_absurd_retry_after_is_clamped_and_recorded(
    data_paths: DataPaths, server: LoopbackServer, header: dict[str, str]
) -> None:
    server.route("/busy", Response(status=429, headers=header))
    (feed,) = add_feeds(data_paths, [server.url("/busy")])
    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    summary = run(data_paths, clock=lambda: t0)
    assert summary.failures[0].reason.startswith("HTTP 429")
    stored = get_feed(data_paths, feed.id)
    assert stored.error_count == 1
    assert stored.retry_not_before == t0 + timedelta(days=7)


def test_a_23_digit_max_age_is_clamped(data_paths: DataPaths, server: LoopbackServer) -> None:
    headers = {"Cache-Control": "max-age=12345678901234567890123"}
    server.route("/f", Response(body=feed_with("a"), content_type=RSS, headers=headers))
    (feed,) = add_feeds(data_paths, [server.url("/f")])
    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    assert run(data_paths, clock=lambda: t0).updated == 1
    assert get_feed(data_paths, feed.id).next_due == t0 + timedelta(hours=24)


def test_one_failing_feed_does_not_stop_the_others(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/ok", Response(body=feed_with("fine"), content_type=RSS))
    server.route("/bad", Response(body=b"this is not a feed at all", content_type=RSS))
    answer = threading.Event()  # the slow feed answers only after its read timed out
    server.route("/slow", gated(Response(body=feed_with("slow")), answer))
    feeds = add_feeds(
        data_paths,
        [
            server.url("/ok"),
            server.url("/bad"),
            server.url("/missing"),
            refused_url(),
            server.url("/slow"),
        ],
    )
    limits = FetchLimits(read_timeout=0.5, total_timeout=60)
    try:
        summary = run(data_paths, limits=limits)
    finally:
        answer.set()
    assert summary.checked == 5
    assert summary.updated == 1
    reasons = {f.feed_id: f.reason for f in summary.failures}
    assert set(reasons) == {f.id for f in feeds[1:]}
    assert reasons[feeds[2].id] == "HTTP 404 Not Found"
    assert "connection refused" in reasons[feeds[3].id]
    assert "stopped sending" in reasons[feeds[4].id]
    assert entry_titles(data_paths, feeds[0].id) == ["fine"]


def test_a_web_page_where_a_feed_was_expected_is_a_clear_error(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/page", Response(body=b"<html><body>hi</body></html>", content_type="text/html"))
    add_feeds(data_paths, [server.url("/page")])
    summary = run(data_paths)
    assert "is a web page, not a feed" in summary.failures[0].reason


def test_all_network_failures_mean_nothing_was_fetched(data_paths: DataPaths) -> None:
    add_feeds(data_paths, [refused_url("/a"), refused_url("/b")])
    summary = run(data_paths)
    assert summary.nothing_fetched
    assert all(f.network for f in summary.failures)


def test_http_errors_are_not_offline(data_paths: DataPaths, server: LoopbackServer) -> None:
    add_feeds(data_paths, [server.url("/missing"), refused_url()])
    assert not run(data_paths).nothing_fetched


def test_oversize_feed_fails_and_others_continue(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    big = feed_with(*[f"item {i} " + "x" * 200 for i in range(200)])
    server.route("/big", Response(body=big, content_type=RSS))
    server.route("/small", Response(body=feed_with("s"), content_type=RSS))
    add_feeds(data_paths, [server.url("/big"), server.url("/small")])
    summary = run(data_paths, limits=FetchLimits(max_bytes=10_000))
    assert summary.updated == 1
    assert "larger than the limit" in summary.failures[0].reason


def test_https_and_a_bad_certificate(data_paths: DataPaths) -> None:
    ca = trustme.CA()
    with TLSServer(ca) as tls:
        tls.route("/f", Response(body=feed_with("secure"), content_type=RSS))
        (feed,) = add_feeds(data_paths, [tls.url("/f")])
        failed = run(data_paths)
        assert "certificate verify failed for host 127.0.0.1" in failed.failures[0].reason
        ok = run(data_paths, all_feeds=True, verify=client_context(ca))
    assert ok.updated == 1
    assert entry_titles(data_paths, feed.id) == ["secure"]


def test_basic_auth_from_the_keyring(
    data_paths: DataPaths, server: LoopbackServer, memory_keyring: MemoryKeyring
) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("authorization") == "Basic YW5uOnBhNTU=":
            return Response(body=feed_with("private"), content_type=RSS)
        return Response(status=401, headers={"WWW-Authenticate": 'Basic realm="x"'})

    server.route("/private", route)
    (feed,) = add_feeds(data_paths, [server.url("/private")])
    failed = run(data_paths)
    assert "needs a login" in failed.failures[0].reason
    save_credentials(server.url("/private"), Credentials("ann", "pa55"))
    assert run(data_paths, all_feeds=True).updated == 1
    assert entry_titles(data_paths, feed.id) == ["private"]
    assert "pa55" not in str(failed)


def test_cancellation_leaves_each_feed_written_or_untouched(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/fast", Response(body=feed_with("fast"), content_type=RSS))
    gate = threading.Event()  # the slow feeds answer only after the sync was cancelled
    for i in range(5):
        server.route(f"/slow{i}", gated(Response(body=feed_with(f"slow{i}")), gate))
    urls = [server.url("/fast")] + [server.url(f"/slow{i}") for i in range(5)]
    feeds = add_feeds(data_paths, urls)
    events: list[SyncEvent] = []

    async def cancel_after_first_feed() -> None:
        synced = asyncio.Event()

        def heard(event: SyncEvent) -> None:
            events.append(event)
            if isinstance(event, FeedSynced):
                synced.set()

        task = asyncio.create_task(sync(data_paths, SyncOptions(), [heard]))
        await synced.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    try:
        asyncio.run(cancel_after_first_feed())
    finally:
        gate.set()
    finished = [e for e in events if isinstance(e, SyncFinished)]
    assert finished and finished[0].summary.cancelled
    assert entry_titles(data_paths, feeds[0].id) == ["fast"]
    with Store.open(data_paths) as store:
        due = {f.id for f in store.due_feeds(datetime.now(UTC))}
        for feed in feeds[1:]:
            assert store.get_feed(feed.id).last_fetched is None
    assert due == {f.id for f in feeds[1:]}
    # The lock was released: the next sync picks up the feeds left due.
    assert run(data_paths).checked == 5


def test_a_second_sync_in_the_same_program_waits_for_the_first(
    data_paths: DataPaths, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first sync is held at its feed's server until the test answers. The second, started
    # meanwhile with no time to wait for another program's lock, asks the first to finish (the
    # callback the first registered with its lock) and waits for it: only then is the feed
    # answered. Events fix the order, so a busy machine changes nothing.
    arrived, answer = threading.Event(), threading.Event()

    def held(request: Request) -> Response:
        arrived.set()
        answer.wait(60)  # the test answers it (60 s: a failed test cannot hang the server)
        return Response(body=feed_with("a"), content_type=RSS)

    server.route("/held", held)
    add_feeds(data_paths, [server.url("/held")])
    asked = asyncio.Event()
    registered = SyncLock.when_wanted

    def when_wanted(lock: SyncLock, callback: Callable[[], None]) -> None:
        def wanted() -> None:
            asked.set()
            callback()

        registered(lock, wanted)

    monkeypatch.setattr(SyncLock, "when_wanted", when_wanted)

    async def two() -> tuple[SyncSummary | BaseException, ...]:
        first = asyncio.create_task(sync(data_paths))
        await asyncio.to_thread(arrived.wait, 60)  # the first holds the lock, mid-fetch
        # Between programs this would fail at once; in the same program it waits.
        second = asyncio.create_task(sync(data_paths, SyncOptions(lock_wait=0)))
        waiting = asyncio.create_task(asked.wait())
        async with asyncio.timeout(60):  # only so that a broken lock fails, not hangs
            await asyncio.wait({waiting, second}, return_when=asyncio.FIRST_COMPLETED)
        assert waiting.done() and not second.done(), "the second sync did not wait"
        answer.set()
        return tuple(await asyncio.gather(first, second, return_exceptions=True))

    try:
        first, second = asyncio.run(two())
    finally:
        answer.set()
    assert isinstance(first, SyncSummary) and first.updated == 1
    assert isinstance(second, SyncSummary) and second.checked == 0  # nothing due any more


def test_a_sync_of_another_program_is_named(data_paths: DataPaths) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from newsreader.sync.lock import SyncLock\n"
        "sys.argv = ['newsreader', 'sync', '--all']\n"
        f"lock = SyncLock(Path({str(data_paths.sync_lock)!r}))\n"
        "assert lock.try_acquire()\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        with pytest.raises(SyncBusyError) as raised:
            run(data_paths, lock_wait=0.2)
    finally:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()
        child.wait()
        child.stdout.close()
    assert str(raised.value) == (
        f"a sync is already running in newsreader sync --all (pid {child.pid})"
    )


def test_concurrency_limits_hold_across_a_sync(data_paths: DataPaths) -> None:
    from tests.sync.servers import ConcurrencyMeter

    meter = ConcurrencyMeter(Response(body=feed_with("a"), content_type=RSS), expected=2)
    with LoopbackServer() as srv:
        for i in range(8):
            srv.route(f"/f{i}", meter)
        add_feeds(data_paths, [srv.url(f"/f{i}") for i in range(8)])
        summary = run(data_paths)
    assert summary.updated == 8
    assert meter.peak == 2  # per-host default


def test_a_failing_subscriber_does_not_stop_the_sync(
    data_paths: DataPaths, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/f", Response(body=feed_with("a"), content_type=RSS))
    add_feeds(data_paths, [server.url("/f")])
    seen: list[SyncEvent] = []

    def broken(event: SyncEvent) -> None:
        raise RuntimeError("subscriber bug")

    summary = asyncio.run(sync(data_paths, SyncOptions(), [broken, seen.append]))
    assert summary.updated == 1
    assert [type(e).__name__ for e in seen] == [
        "SyncStarted",
        "FeedSynced",
        "FollowUpStarted",
        "StoriesMatched",  # the feed's one article, put into its story beside the follow-ups
        "SyncFinished",
    ]
    assert "a sync subscriber failed" in caplog.text


def test_file_feeds_are_synced(data_paths: DataPaths, tmp_path: Path) -> None:
    local = tmp_path / "saved.xml"
    local.write_bytes(feed_with("local"))
    (feed,) = add_feeds(data_paths, [local.as_uri()])
    assert run(data_paths).updated == 1
    assert entry_titles(data_paths, feed.id) == ["local"]


def test_publisher_hints_set_the_next_due_time(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(status=304, headers={"Cache-Control": "max-age=600"})
        body = rss([Item("a")], ttl=120)
        return Response(body=body, headers={"ETag": '"v1"'}, content_type=RSS)

    server.route("/f", route)
    (feed,) = add_feeds(data_paths, [server.url("/f")])
    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    run(data_paths, clock=lambda: t0)
    assert get_feed(data_paths, feed.id).next_due == t0 + timedelta(minutes=120)
    # A 304 with a short max-age keeps the feed's own ttl.
    t1 = t0 + timedelta(hours=3)
    run(data_paths, clock=lambda: t1)
    assert get_feed(data_paths, feed.id).next_due == t1 + timedelta(minutes=120)


def test_a_dead_server_is_skipped_after_three_failures_and_others_go_on(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    stalled = Response(body=b"<rss", headers={"Content-Length": "100000"}, content_type=RSS)
    for i in range(8):
        server.route(f"/dead{i}", stalled)
    with LoopbackServer("127.0.0.2") as alive:
        alive.route("/f", Response(body=feed_with("alive"), content_type=RSS))
        urls = [server.url(f"/dead{i}") for i in range(8)] + [alive.url("/f")]
        feeds = add_feeds(data_paths, urls)
        summary = run(data_paths, limits=FetchLimits(read_timeout=0.3, total_timeout=5))
    assert summary.updated == 1 and len(summary.failures) == 8
    skipped = [f for f in summary.failures if f.reason.startswith("skipped:")]
    stalled_ones = [f for f in summary.failures if "stopped sending" in f.reason]
    assert skipped and len(skipped) + len(stalled_ones) == 8
    assert not any(f.network for f in stalled_ones)  # it answered, then stalled
    assert len(server.requests) == 8 - len(skipped) <= 4
    assert entry_titles(data_paths, feeds[-1].id) == ["alive"]
