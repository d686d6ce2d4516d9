"""The follow-up stage: icons, comment feeds and images after the feeds, under a time budget,
and hosts that do not resolve asked once per sync."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import httpx
import pytest

from newsreader.cli.sync_cmds import follow_up_line, summary_lines
from newsreader.errors import FetchError, HTTPStatusError, NetworkError
from newsreader.model import Feed, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import FeedWriteResult, FollowUp, NewFollowUp, Store
from newsreader.sync.engine import SyncOptions, follow_up_idle, sync
from newsreader.sync.events import FollowUpStarted, SyncEvent, SyncSummary
from newsreader.sync.fetch import (
    MAX_HOST_FAILURES,
    FetchLimits,
    Politeness,
    fetch,
    make_client,
    make_resolver,
)
from newsreader.sync.followup import FollowUpReport, FollowUpStage, JobPlan, LocalWork
from newsreader.sync.subscribe import Subscription, subscribe
from newsreader.sync.transport import system_lookup
from newsreader.sync.writer import StoreWriter
from tests.loopback import LoopbackServer, Request, Response
from tests.sync.documents import PNG, Item, comment_feed, rss

RSS = "application/rss+xml"
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def run(paths: DataPaths, **options: object) -> SyncSummary:
    return asyncio.run(sync(paths, SyncOptions(**options)))  # type: ignore[arg-type]


def use_settings(paths: DataPaths, **values: object) -> None:
    with Store.open(paths) as store:
        store.save_settings(replace(Settings(), **values))  # type: ignore[arg-type]


@dataclass
class CountingLookup:
    """The system resolver, counting the lookups of each host name."""

    asked: dict[str, int] = field(default_factory=dict)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked[host] = self.asked.get(host, 0) + 1
        return await system_lookup(host, port)


@dataclass
class SilentNameServer:
    """A lookup that never answers (a captive or offline network's name server)."""

    asked: dict[str, int] = field(default_factory=dict)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked[host] = self.asked.get(host, 0) + 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class Held:
    """A route that accepts the request and answers only once released (a host that accepts
    connections and never answers, until the test lets it)."""

    def __init__(self, response: Response) -> None:
        self.response = response
        self.released = threading.Event()

    def __call__(self, request: Request) -> Response:
        self.released.wait()
        return self.response


@pytest.fixture
def held_image(server: LoopbackServer) -> Iterator[Held]:
    held = Held(Response(body=PNG + b"held", content_type="image/png"))
    server.route("/held.png", held)
    yield held
    held.released.set()


def test_a_host_whose_name_does_not_resolve_is_looked_up_once_per_sync(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    images = "".join(f'<img src="http://img.invalid/{n}.png">' for n in range(6))
    items = [
        Item(f"e{n}", html=f"<p>{images}</p>", comments_feed=f"http://talk.invalid/{n}")
        for n in range(4)
    ]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    lookup = CountingLookup()
    summary = run(data_paths, lookup=lookup)
    assert summary.updated == 1 and summary.new_entries == 4 and not summary.failures
    assert lookup.asked == {"img.invalid": 1, "talk.invalid": 1}
    # 6 images (shared by the entries) and 4 comment feeds failed without a server's answer:
    # they wait for a later sync.
    assert summary.follow_ups_retrying == 10 and summary.follow_ups_left == 0
    assert summary.images_cached == 0 and summary.comments_fetched == 0


def test_a_name_server_that_never_answers_costs_one_timeout_per_host(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    images = "".join(f'<img src="http://slow.invalid/{n}.png">' for n in range(5))
    server.route("/f", Response(body=rss([Item("e", html=images)]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    silent = SilentNameServer()
    summary = run(data_paths, lookup=silent, limits=FetchLimits(connect_timeout=0.2))
    assert summary.updated == 1
    assert silent.asked == {"slow.invalid": 1}
    assert summary.follow_ups_retrying == 5


def test_work_not_reached_in_the_budget_stays_queued_and_the_next_sync_does_it(
    data_paths: DataPaths, server: LoopbackServer, held_image: Held
) -> None:
    html = f'<img src="{server.url("/held.png")}">'
    server.route("/f", Response(body=rss([Item("e", html=html)]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    use_settings(data_paths, follow_up_seconds=1)
    first = run(data_paths)
    assert first.updated == 1 and first.new_entries == 1
    # cut by the budget while its host kept it waiting: tried again by the next sync
    assert first.follow_ups_retrying == 1 and first.images_cached == 0
    assert any("retried later" in line for line in summary_lines(first))
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["image"]) == 1
    held_image.released.set()
    second = run(data_paths, all_feeds=True)  # the feed itself is unchanged
    assert second.new_entries == 0
    assert second.images_cached == 1 and second.follow_ups_left == 0
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["image"]) == 0
        assert store.cached_image(server.url("/held.png")) is not None


def test_comment_feeds_and_images_wait_for_every_feed(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Feeds come first: the follow-up work of the first feed starts only when the last feed
    is written."""
    order: list[str] = []

    def logged(name: str, response: Response) -> Response:
        order.append(name)
        return response

    server.route(
        "/c", lambda r: logged("comments", Response(body=comment_feed([]), content_type=RSS))
    )
    item = Item("e", comments_feed=server.url("/c"), comment_count=2)
    for n in range(3):
        body = rss([replace(item, guid=f"e{n}")])
        server.route(
            f"/f{n}",
            lambda r, n=n, body=body: logged(f"feed{n}", Response(body=body, content_type=RSS)),
        )
    with Store.open(data_paths) as store:
        for n in range(3):
            store.add_feed(server.url(f"/f{n}"))
    summary = run(data_paths)
    assert summary.updated == 3
    assert sorted(order[:3]) == ["feed0", "feed1", "feed2"]
    assert order[3:] == ["comments"] * 3  # the same discussion URL, named by three entries


def no_jobs(
    store: Store, feed: Feed, parsed: ParsedFeed, written: FeedWriteResult
) -> Sequence[NewFollowUp]:
    """The plan of the tests' kinds of work: their jobs are queued by the tests."""
    return []


@dataclass
class Recorder:
    """A kind of follow-up work for the tests: records the jobs it runs."""

    priorities: Mapping[str, int]
    ran: list[str] = field(default_factory=list)
    fail: Mapping[str, Exception] = field(default_factory=dict)
    on_run: object = None  # called as each job starts
    hang_after: int | None = None  # jobs after this many never finish

    @property
    def kinds(self) -> Mapping[str, int]:
        return self.priorities

    @property
    def plan(self) -> JobPlan:
        return no_jobs

    async def run(self, job: FollowUp) -> int:
        self.ran.append(job.url)
        if callable(self.on_run):
            self.on_run()
        if self.hang_after is not None and len(self.ran) > self.hang_after:
            await asyncio.Event().wait()
        if job.url in self.fail:
            raise self.fail[job.url]
        return 1


def queue(paths: DataPaths, jobs: Sequence[NewFollowUp]) -> None:
    with Store.open(paths) as store:
        assert store.add_follow_ups(jobs, NOW) == len(jobs)
        assert store.add_follow_ups(jobs[:1], NOW) == 0  # queued once


def run_stage(paths: DataPaths, stage_of: object) -> object:
    async def go() -> object:
        writer = StoreWriter(paths)
        try:
            stage = stage_of(writer)  # type: ignore[operator]
            return await stage.run()
        finally:
            await writer.close()

    return asyncio.run(go())


def test_the_stage_runs_higher_priorities_first_and_forgets_what_failed_for_good(
    data_paths: DataPaths,
) -> None:
    queue(
        data_paths,
        [
            NewFollowUp("low", "low-1", priority=1),
            NewFollowUp("high", "high-1", priority=9),
            NewFollowUp("low", "low-2", priority=1),
            NewFollowUp("high", "broken", priority=9),
            NewFollowUp("high", "offline", priority=9),
            NewFollowUp("high", "gone", priority=9),
            NewFollowUp("high", "busy", priority=9),
        ],
    )
    recorder = Recorder(
        {"high": 9, "low": 1},
        fail={
            "broken": FetchError("not a feed"),
            "offline": NetworkError("no route"),
            "gone": HTTPStatusError("gone", 404),
            # a comment feed's host answering 503 was dropped at once, never asked again
            "busy": HTTPStatusError("busy", 503),
        },
    )
    report = run_stage(
        data_paths, lambda w: FollowUpStage(w, [recorder], budget=None, clock=lambda: NOW)
    )
    assert recorder.ran == ["high-1", "broken", "offline", "gone", "busy", "low-1", "low-2"]
    assert report.done == 7 and report.dropped == 2 and report.retrying == 2  # type: ignore[attr-defined]
    assert report.changed == {"high": 1, "low": 2}  # type: ignore[attr-defined]
    with Store.open(data_paths) as store:
        waiting = store.due_follow_ups(["high", "low"], datetime(2100, 1, 1, tzinfo=UTC))
        assert [(j.url, j.attempts) for j in waiting] == [("offline", 1), ("busy", 1)]
        assert store.due_follow_ups(["high", "low"], NOW) == []  # not before its retry time


def test_stopping_the_stage_leaves_the_rest_queued(data_paths: DataPaths) -> None:
    queue(data_paths, [NewFollowUp("job", f"job-{n}", priority=n) for n in range(5)])
    stages: list[FollowUpStage] = []
    recorder = Recorder({"job": 0}, on_run=lambda: stages[0].stop(), hang_after=1)

    def make(writer: StoreWriter) -> FollowUpStage:
        stages.append(FollowUpStage(writer, [recorder], budget=None, clock=lambda: NOW))
        return stages[0]

    report = run_stage(data_paths, make)
    assert report.done == 1 and report.left == 4  # type: ignore[attr-defined]
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["job"]) == report.left  # type: ignore[attr-defined]


def test_a_job_that_failed_too_often_is_dropped(data_paths: DataPaths) -> None:
    queue(data_paths, [NewFollowUp("job", "offline")])
    with Store.open(data_paths) as store:
        (job,) = store.due_follow_ups(["job"], NOW)
        for _ in range(2):
            store.defer_follow_ups([job.id], NOW, max_attempts=3)
        assert store.count_follow_ups(["job"]) == 1
        store.defer_follow_ups([job.id], NOW, max_attempts=3)
        assert store.count_follow_ups(["job"]) == 0


def test_a_subscribe_in_the_same_program_waits_for_the_running_sync_and_cuts_its_follow_up(
    data_paths: DataPaths, server: LoopbackServer, held_image: Held
) -> None:
    html = f'<img src="{server.url("/held.png")}">'
    server.route("/f", Response(body=rss([Item("e", html=html)]), content_type=RSS))
    server.route("/other", Response(body=rss([Item("o")], title="Other"), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    use_settings(data_paths, follow_up_seconds=3600)

    async def both() -> tuple[SyncSummary, Subscription]:
        following = asyncio.Event()

        def note(event: SyncEvent) -> None:
            if isinstance(event, FollowUpStarted):
                following.set()

        running = asyncio.create_task(sync(data_paths, SyncOptions(lock_wait=0), [note]))
        await following.wait()
        # lock_wait=0: between programs this would fail at once; within one it waits.
        added = await subscribe(data_paths, server.url("/other"), options=SyncOptions(lock_wait=0))
        return await running, added

    first, added = asyncio.run(both())
    assert first.updated == 1 and first.follow_ups_left == 1  # the held image: next time
    assert added.feed.title == "Other" and added.first_sync.new_entries == 1
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["image"]) == 1


def test_a_bounded_stage_ends_once_nothing_finishes_any_more(data_paths: DataPaths) -> None:
    queue(data_paths, [NewFollowUp("job", f"job-{n}", priority=-n) for n in range(5)])
    recorder = Recorder({"job": 0}, hang_after=1)  # the rest wait on hosts that never answer
    report = run_stage(
        data_paths,
        lambda w: FollowUpStage(w, [recorder], budget=3600, idle=0.2, clock=lambda: NOW),
    )
    assert (report.done, report.left, report.retrying) == (1, 0, 4)  # type: ignore[attr-defined]
    assert report.quiet_end == 0.2  # type: ignore[attr-defined]  # said so, not "budget"
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["job"]) == 4
        # the four waited the whole time: each counts an attempt (they are still due)
        assert [j.attempts for j in store.due_follow_ups(["job"], NOW)] == [1, 1, 1, 1]


def test_a_job_the_budget_cuts_lets_its_hosts_other_jobs_go_first_next_time(
    data_paths: DataPaths,
) -> None:
    """A page that never finishes, first in its host's queue, was started again by every
    sync and cut by its budget, and the host's other pages were never reached."""
    queue(
        data_paths,
        [NewFollowUp("page", "https://slow.example/drip", priority=1)]  # the oldest
        + [NewFollowUp("page", f"https://slow.example/{n}", priority=1) for n in range(3)],
    )
    politeness = Politeness(concurrency=4, per_host=1)
    first = Recorder({"page": 0}, hang_after=0)  # the drip never ends
    report = run_stage(
        data_paths,
        lambda w: FollowUpStage(w, [first], budget=0.3, clock=lambda: NOW, politeness=politeness),
    )
    assert first.ran == ["https://slow.example/drip"]
    assert (report.done, report.left, report.retrying) == (0, 3, 1)  # type: ignore[attr-defined]
    assert report.quiet_end is None  # type: ignore[attr-defined]  # the budget ended it
    then = Recorder({"page": 0})
    run_stage(
        data_paths,
        lambda w: FollowUpStage(w, [then], budget=0.3, clock=lambda: NOW, politeness=politeness),
    )
    # its host's other pages first, then the page cut last time (it ends this time)
    assert then.ran == [*(f"https://slow.example/{n}" for n in range(3)), first.ran[0]]
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["page"]) == 0


@dataclass
class Computing:
    """Follow-up work that computes (as a page's extraction does) before it finishes."""

    local: LocalWork

    @property
    def kinds(self) -> Mapping[str, int]:
        return {"page": 0}

    @property
    def plan(self) -> JobPlan:
        return no_jobs

    async def run(self, job: FollowUp) -> int:
        async with self.local.running_now():
            await asyncio.to_thread(_spin, 2_000_000)  # far longer than the idle time
        return 1


def _spin(rounds: int) -> int:
    """CPU work in Python (it lets the loop run between its bytecodes, as lxml's does not)."""
    total = 0
    for number in range(rounds):
        total += number
    return total


def test_the_idle_end_waits_for_work_that_computes(data_paths: DataPaths) -> None:
    """A page being extracted is not a host that does not answer: the command line's idle end
    (after a short quiet spell) does not cut it, as it did when trafilatura was still being
    imported for the first page."""
    queue(data_paths, [NewFollowUp("page", f"page-{n}") for n in range(2)])
    local = LocalWork()
    report = run_stage(
        data_paths,
        lambda w: FollowUpStage(
            w, [Computing(local)], budget=3600, idle=0.001, clock=lambda: NOW, local=local
        ),
    )
    assert report.done == 2 and report.left == 0  # type: ignore[attr-defined]


@dataclass
class Fetching:
    """Follow-up work that GETs each job's URL with the client and politeness given."""

    client: httpx.AsyncClient
    politeness: Politeness
    started: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> Mapping[str, int]:
        return {"get": 0}

    @property
    def plan(self) -> JobPlan:
        return no_jobs

    async def run(self, job: FollowUp) -> int:
        self.started.append(job.url)
        await fetch(self.client, job.url, politeness=self.politeness, limits=FetchLimits())
        return 1


def test_jobs_on_a_host_found_dead_are_not_started(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Once a host's name did not resolve, its other jobs in that sync fail at once without
    being started (they wait for a later sync); the other hosts' jobs run."""
    server.route("/ok", Response(body=b"fine", content_type="text/plain"))
    dead = [f"http://gone.invalid/{n}" for n in range(12)]
    queue(data_paths, [NewFollowUp("get", url) for url in [*dead, server.url("/ok")]])
    settings = Settings()
    lookup = CountingLookup()

    async def go() -> tuple[Fetching, FollowUpReport]:
        resolver = make_resolver(lookup, FetchLimits())
        politeness = Politeness.from_settings(settings, resolver)
        writer = StoreWriter(data_paths)
        try:
            async with make_client(settings, resolver=resolver) as client:
                work = Fetching(client, politeness)
                stage = FollowUpStage(
                    writer, [work], budget=None, clock=lambda: NOW, politeness=politeness
                )
                return work, await stage.run()
        finally:
            await writer.close()

    work, report = asyncio.run(go())
    assert lookup.asked == {"gone.invalid": 1}
    # At most the host's lanes had started a job when the lookup failed; the rest never ran.
    assert len([url for url in work.started if url in dead]) <= settings.per_host_concurrency
    assert server.url("/ok") in work.started and len(server.requests_for("/ok")) == 1
    assert report.done == 13 and report.retrying == 12 and report.left == 0
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["get"]) == 12  # kept for a later sync ...
        assert store.due_follow_ups(["get"], NOW) == []  # ... not this one


class GatedNameServer:
    """The system resolver, except for names under `slow.invalid`: their name server answers
    nothing until `gate` opens, then says the name does not resolve."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.answered: list[str] = []  # slow names answered (not cut by the lookup timeout)

    async def __call__(self, host: str, port: int) -> list[str]:
        if not host.endswith(".slow.invalid"):
            return await system_lookup(host, port)
        await asyncio.to_thread(self.gate.wait, 60)
        self.answered.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")


def test_a_name_server_that_does_not_answer_holds_no_request_slot(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """One request at a time in all: while a slow name server is asked about one host, the
    other host's image is fetched (its request opens the gate). Were the lookup made inside
    the request's slot, the image would wait for the lookup's timeout, and the name server's
    late answer would be cut."""
    name_server = GatedNameServer()

    def image(request: Request) -> Response:
        name_server.gate.set()
        return Response(body=PNG, content_type="image/png")

    server.route("/pic.png", image)
    slow = "".join(f'<img src="http://cdn.slow.invalid/{n}.png">' for n in range(3))
    html = f'{slow}<img src="{server.url("/pic.png")}">'
    server.route("/f", Response(body=rss([Item("e", html=html)]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    use_settings(data_paths, concurrency=1, per_host_concurrency=1)
    try:
        summary = run(
            data_paths,
            lookup=name_server,
            limits=FetchLimits(connect_timeout=10),
            follow_up_unbounded=True,
        )
    finally:
        name_server.gate.set()
    assert summary.updated == 1 and summary.images_cached == 1
    assert name_server.answered == ["cdn.slow.invalid"]  # asked once, answered in time
    assert summary.follow_ups_retrying == 3
    assert summary.follow_up_hosts_retrying == ("cdn.slow.invalid",)


def test_a_server_that_accepts_and_never_answers_is_asked_only_a_few_times(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Comment feeds on a server that takes the connection and never answers (Newsboat's
    users saw reloads wait on such a server): after a few timeouts in a row the rest of that
    sync skips it, and every job waits for a later sync."""
    held = Held(Response(body=comment_feed([]), content_type=RSS))
    try:
        items = []
        for n in range(8):
            server.route(f"/talk/{n}", held)
            items.append(Item(f"e{n}", comments_feed=server.url(f"/talk/{n}"), comment_count=1))
        server.route("/f", Response(body=rss(items), content_type=RSS))
        with Store.open(data_paths) as store:
            store.add_feed(server.url("/f"))
        limits = FetchLimits(read_timeout=0.2)
        summary = run(data_paths, limits=limits, follow_up_unbounded=True)
    finally:
        held.released.set()
    assert summary.updated == 1 and summary.comments_fetched == 0
    asked = [r for r in server.requests if r.path.startswith("/talk/")]
    assert len(asked) <= MAX_HOST_FAILURES + Settings().per_host_concurrency - 1
    assert summary.follow_ups_retrying == 8 and summary.follow_ups_left == 0
    assert summary.follow_up_hosts_retrying == ("127.0.0.1",)
    (line,) = [line for line in summary_lines(summary) if "left" in line]
    assert (
        "8 on hosts that did not answer, do not resolve or were failing (127.0.0.1), retried later"
        in line
    )


def test_the_follow_up_line_names_the_hosts_it_will_retry_most_jobs_first() -> None:
    """A newcomer could not act on "2 on hosts that did not answer": which hosts?"""
    hosts = ("img.a.invalid", "talk.b.invalid", "cdn.c.invalid", "d.invalid", "e.invalid")
    summary = SyncSummary(checked=1, follow_ups_retrying=9, follow_up_hosts_retrying=hosts)
    assert follow_up_line(summary) == (
        "Images, icons, comment feeds and article pages left: 9 on hosts that did not answer, "
        "do not resolve or were failing (img.a.invalid, talk.b.invalid, cdn.c.invalid and 2 "
        "more hosts), retried later."
    )


def test_the_follow_up_line_says_whether_the_budget_or_quiet_hosts_ended_the_work() -> None:
    """A newcomer's sync took 1.8 s and said "not reached in the 3 s time allowed": the
    stage had ended after 1 s without an answer from the hosts left."""
    budget = SyncSummary(checked=1, follow_ups_left=2, follow_up_budget=3.0)
    assert follow_up_line(budget) == (
        "Images, icons, comment feeds and article pages left: 2 not reached in the 3 s time "
        "allowed (setting follow_up_seconds), left for the next sync."
    )
    quiet = replace(budget, follow_up_quiet_end=1.0)
    assert follow_up_line(quiet) == (
        "Images, icons, comment feeds and article pages left: 2 not started, as their hosts "
        "had not answered for 1 s (a third of setting follow_up_seconds), left for the next "
        "sync."
    )


def test_a_sync_with_no_feed_due_still_says_what_its_follow_up_work_did() -> None:
    """The work earlier syncs queued runs when no feed is due; it was not mentioned."""
    summary = SyncSummary(checked=0, comments_fetched=3, follow_ups_retrying=1)
    lines = summary_lines(summary)
    assert lines[0].startswith("No feeds are due.")
    assert "3 site comments added or changed." in lines[1]
    assert lines[2].startswith("Images, icons, comment feeds and article pages left: 1 on hosts")


def test_a_larger_follow_up_budget_waits_longer_for_a_slow_host(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """A reviewer's comment host answered in 10 s and the command line never reached it,
    whatever follow_up_seconds said: the stage ended after 1 s with no job finishing. The idle
    end is now a third of the budget, so raising the setting reaches such a host."""

    def slow(_request: Request) -> Response:
        time.sleep(1.6)
        return Response(body=comment_feed([("c1", "Late but here", None)]), content_type=RSS)

    server.route("/talk", slow)
    items = [Item("e1", comments_feed=server.url("/talk"), comment_count=1)]
    server.route("/f", Response(body=rss(items), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert follow_up_idle(Settings().follow_up_seconds) == 1.0
    assert follow_up_idle(None) is None  # the window's stage waits for every job

    default = run(data_paths)
    assert default.comments_fetched == 0 and default.follow_up_quiet_end == 1.0

    use_settings(data_paths, follow_up_seconds=9)  # an idle end of 3 s
    raised = run(data_paths)  # no feed is due: the queued comment feed is fetched
    assert raised.comments_fetched == 1
    assert raised.follow_up_quiet_end is None
