"""The follow-up stage: work a sync does after its feeds (feed icons, comment feeds, images,
other parts' page fetches), at lower priority and under a time budget.

While feeds are written, each kind of follow-up work (a `FollowUpWork`) says which jobs a
feed's write calls for; they go into the store's queue (table `follow_ups`) in the same writer
call. Once every feed is done, `FollowUpStage.run` takes the due jobs, highest priority first,
and runs them concurrently, each host's jobs in turn in as many lanes as the sync's
`Politeness` allows requests per host (it still limits requests in all), until the queue is
empty, the budget is spent or the stage is told to stop. A job whose host the sync already
found dead (its name did not resolve, its name server did not answer, its server did not
answer several requests in a row) is not started: it counts as failed for lack of a network
answer at once, so a dead host costs one lookup or a few timeouts per sync, not one per job.
Jobs not reached stay queued for the next sync; a job that failed for lack of a network
answer, or on a server error or throttling (5xx, 408, 429: `HTTPStatusError.transient`),
waits `RETRY_AFTER` and is dropped after `MAX_ATTEMPTS` such failures; one that failed
otherwise (404, not an image, not a feed) is dropped at once.

    work = (ImageWork(images, settings), CommentWork(comments))
    local = LocalWork()  # work that computes (extraction) holds the idle end off
    stage = FollowUpStage(
        writer, work, budget=3.0, clock=clock, idle=1.0, local=local, politeness=politeness
    )
    report = await stage.run()   # FollowUpReport(done=..., changed={...}, left=...)

To add a kind of work, implement `FollowUpWork` (a `kinds` mapping of name to priority, a
`plan`: the module-level function `(store, feed, parsed, written) -> jobs`, picklable, since the
window's sync writes feeds in the parse process, and an async `run(job)`) and add it where the
engine builds its list (`engine._Run`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from newsreader.errors import HTTPStatusError, NetworkError, NewsreaderError
from newsreader.model import Feed, ParsedFeed
from newsreader.store import FeedWriteResult, FollowUp, NewFollowUp, Store
from newsreader.sync import origins
from newsreader.sync.fetch import Politeness
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

PRIORITY_ICON = 30  # one per feed, shown in the feed list
PRIORITY_COMMENTS = 20
PRIORITY_PAGE = 15  # article pages (full text), for parts that fetch them
PRIORITY_IMAGE = 10
MAX_ATTEMPTS = 3  # network failures before a job is dropped
RETRY_AFTER = timedelta(hours=1)  # times the attempts so far
_START_BATCH = 16  # lane tasks started per event-loop iteration
_SKIP_BATCH = 256  # jobs sorted by host, or passed over, per event-loop iteration


class LocalWork:
    """Jobs' work on this machine in progress (an article page being extracted), shared by
    the work that does it and the stage: the stage's idle end waits for it, since a job that
    is computing is not waiting on a host that does not answer."""

    def __init__(self) -> None:
        self._running = 0
        self.last_end = 0.0  # loop time the last piece of work ended

    @property
    def running(self) -> bool:
        return self._running > 0

    @asynccontextmanager
    async def running_now(self) -> AsyncIterator[None]:
        self._running += 1
        try:
            yield
        finally:
            self._running -= 1
            self.last_end = asyncio.get_running_loop().time()


JobPlan = Callable[[Store, Feed, ParsedFeed, FeedWriteResult], Sequence[NewFollowUp]]
"""The jobs a feed's write calls for (`feed` as it was before the write), given what it
wrote. Quick: it runs in the write's transaction, right after the feed's entries, and may
read the store (to leave out what is done already)."""


class FollowUpWork(Protocol):
    """One kind (or a few related kinds) of follow-up work."""

    @property
    def kinds(self) -> Mapping[str, int]:
        """The job kinds this work runs, each with its priority (higher runs first)."""
        ...

    @property
    def plan(self) -> JobPlan:
        """The jobs a feed's write calls for: a module-level function (picklable: it may run
        in the parse process, see `engine`), holding no state of this work."""
        ...

    async def run(self, job: FollowUp) -> int:
        """Does one job; returns how many things it added or changed (for the summary).
        Raises NetworkError to be retried later, another NewsreaderError to be dropped."""
        ...


@dataclass(frozen=True, slots=True)
class FollowUpReport:
    """What one run of the stage did. `changed` counts per kind what the jobs reported
    (images cached, comments added or changed); `left` are due jobs not reached (budget
    spent or stopped), still queued; `retrying` failed for lack of a network answer and
    wait for a later sync; `dropped` failed for good."""

    done: int = 0
    changed: Mapping[str, int] = field(default_factory=dict)
    left: int = 0
    retrying: int = 0
    dropped: int = 0
    budget: float | None = None  # seconds; None: unbounded
    retrying_hosts: tuple[str, ...] = ()  # the hosts of the `retrying` jobs, most jobs first
    quiet_end: float | None = None  # the stage's `idle` when that ended it, else None


def queue_jobs(
    plans: Sequence[JobPlan],
    store: Store,
    feed: Feed,
    parsed: ParsedFeed,
    written: FeedWriteResult,
) -> list[NewFollowUp]:
    """Every job the feed's write calls for, over the `plan` of every kind of work."""
    return [job for plan in plans for job in plan(store, feed, parsed, written)]


def _retryable(error: NewsreaderError) -> bool:
    """Whether a job that failed so may succeed later: no network answer, or a server error
    or throttling (a comment feed's host answering 503 for a while)."""
    return isinstance(error, NetworkError) or (
        isinstance(error, HTTPStatusError) and error.transient
    )


class FollowUpStage:
    """Runs the queued jobs of the given work once, within `budget` seconds (None: until the
    queue is empty, or `stop()`), and, with `idle`, until no job has finished for that many
    seconds; only those of `feed_ids` when given (a sync of named
    feeds, such as a new subscription's first, does not take on the whole queue).
    `politeness` (the sync's) says which hosts are dead and how many lanes a host gets; without
    it every job runs in a lane of its own."""

    def __init__(
        self,
        writer: StoreWriter,
        work: Sequence[FollowUpWork],
        *,
        budget: float | None,
        clock: Callable[[], datetime],
        feed_ids: Collection[int] | None = None,
        idle: float | None = None,
        local: LocalWork | None = None,
        politeness: Politeness | None = None,
    ) -> None:
        self._politeness = politeness
        self._writer = writer
        self._feed_ids = feed_ids
        self._idle = idle
        self._local = local or LocalWork()
        self._last_done = 0.0
        self._handlers = {kind: each for each in work for kind in each.kinds}
        self._budget = budget
        self._clock = clock
        self._stopping = asyncio.Event()
        self._lanes_started = asyncio.Event()
        self._finished: list[int] = []
        self._failed: list[int] = []
        self._running: dict[int, str] = {}  # jobs started and not ended: their hosts
        self._retrying_hosts: Counter[str] = Counter()  # hosts of failed and cut jobs
        self._cut: list[int] = []  # jobs the budget or the idle end stopped halfway
        self._dropped = 0
        self._changed: Counter[str] = Counter()

    def stop(self) -> None:
        """Ends the run soon: jobs in flight are cancelled and, like those not started,
        stay queued."""
        self._stopping.set()

    async def run(self) -> FollowUpReport:
        kinds = list(self._handlers)
        now = self._clock()
        feed_ids = self._feed_ids
        jobs = await self._writer.call(
            lambda store: store.due_follow_ups(kinds, now, feed_ids=feed_ids)
        )
        if not jobs:
            return FollowUpReport(budget=self._budget)
        tasks: list[asyncio.Task[None]] = []
        cut = False  # the budget or the idle end stopped the run, not `stop()`
        quiet = False  # the idle end stopped it
        in_flight: list[int] = []  # jobs running when it stopped
        in_flight_hosts: list[str] = []
        try:
            async with asyncio.timeout(self._budget):
                self._last_done = asyncio.get_running_loop().time()
                stopping = asyncio.ensure_future(self._stopping.wait())
                idle = asyncio.ensure_future(self._until_idle()) if self._idle else None
                waits = {
                    asyncio.ensure_future(self._run_all(jobs, tasks)),
                    stopping,
                    *([idle] if idle else []),
                }
                try:
                    ended, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                    cut = stopping not in ended
                    quiet = idle in ended
                finally:
                    in_flight = sorted(self._running)  # before the lanes are cancelled
                    in_flight_hosts = list(self._running.values())
                    for waiting in waits:
                        waiting.cancel()
                    await asyncio.gather(*waits, return_exceptions=True)
        except TimeoutError:
            cut = True  # the budget is spent: the rest stays queued
        finally:
            if cut:
                # Jobs still running waited on a host the whole time (a page that never
                # finishes): each counts an attempt, which puts it after the jobs that never
                # failed, so that the next sync takes its host's other jobs first instead of
                # starting with it again (and again); after MAX_ATTEMPTS it is dropped.
                self._cut = in_flight
                self._retrying_hosts.update(in_flight_hosts)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._record()
        done = len(self._finished) + len(self._failed)
        return FollowUpReport(
            done=done,
            changed=dict(self._changed),
            left=len(jobs) - done - len(self._cut),
            retrying=len(self._failed) + len(self._cut),
            dropped=self._dropped,
            budget=self._budget,
            retrying_hosts=tuple(host for host, _ in self._retrying_hosts.most_common()),
            quiet_end=self._idle if quiet else None,
        )

    async def _until_idle(self) -> None:
        """Returns once no job has finished, and no local work (`LocalWork`) has run, for
        `idle` seconds: what is left waits on hosts that do not answer, and is better left to
        the next sync than waited for."""
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        # From the moment every lane was started (sorting thousands of jobs is no quiet
        # spell). The event may be set before this task first runs, and then waiting on it
        # does not suspend: one turn of the loop lets the lanes' first steps (scheduled
        # before this one) start their jobs, so that work that computes counts as running.
        await self._lanes_started.wait()
        await asyncio.sleep(0)
        while (quiet := self._quiet(loop.time())) < self._idle:
            await asyncio.sleep(self._idle - quiet)

    def _quiet(self, now: float) -> float:
        if self._local.running:
            return 0.0
        return now - max(self._last_done, self._local.last_end)

    async def _run_all(self, jobs: Sequence[FollowUp], tasks: list[asyncio.Task[None]]) -> None:
        # Each host's jobs (in priority order) are taken in turn by as many lanes as the host
        # may have requests in flight; hosts' lanes start in the order of their first job.
        # A lane waiting for its host holds no slot another host's job could use, and before
        # each job it asks whether the host is dead by now.
        queues: dict[str, deque[FollowUp]] = {}
        for number, job in enumerate(jobs, start=1):
            queues.setdefault(origins.host(job.url) or "", deque()).append(job)
            if number % _SKIP_BATCH == 0:
                await asyncio.sleep(0)  # thousands of jobs at once would stall the loop
        per_host = self._politeness.per_host if self._politeness else len(jobs)
        started = 0
        for queue in queues.values():
            for _ in range(min(per_host, len(queue))):
                tasks.append(asyncio.create_task(self._lane(queue)))
                started += 1
                if started % _START_BATCH == 0:
                    await asyncio.sleep(0)
        self._last_done = asyncio.get_running_loop().time()
        self._lanes_started.set()
        await asyncio.gather(*tasks)

    async def _lane(self, queue: deque[FollowUp]) -> None:
        skipped = 0
        while queue:
            job = queue.popleft()
            dead = self._politeness.skipped(job.url) if self._politeness else None
            if dead is None:
                await self._run_one(job)
                continue
            log.debug("%s %s not started, retried later: %s", job.kind, job.url, dead)
            self._failed.append(job.id)
            self._retrying_hosts[origins.host(job.url) or job.url] += 1
            skipped += 1
            if skipped % _SKIP_BATCH == 0:
                await asyncio.sleep(0)  # a dead host's thousands of jobs in one go would stall

    async def _run_one(self, job: FollowUp) -> None:
        host = origins.host(job.url) or job.url
        self._running[job.id] = host
        try:
            changed = await self._handlers[job.kind].run(job)
        except NewsreaderError as error:
            if _retryable(error):
                log.info("%s %s not fetched, retried later: %s", job.kind, job.url, error)
                self._failed.append(job.id)
                self._retrying_hosts[host] += 1
                return
            log.info("%s %s dropped: %s", job.kind, job.url, error)
            self._dropped += 1
        except Exception:  # a bug in one handler: the job goes, the others go on
            log.exception("follow-up %s %s failed unexpectedly", job.kind, job.url)
            self._dropped += 1
        else:
            self._changed[job.kind] += changed
        finally:
            self._running.pop(job.id, None)
            self._last_done = asyncio.get_running_loop().time()
        self._finished.append(job.id)

    async def _record(self) -> None:
        finished, failed, cut = list(self._finished), list(self._failed), list(self._cut)
        if not finished and not failed and not cut:
            return
        now = self._clock()

        def write(store: Store) -> None:
            store.finish_follow_ups(finished)
            if failed:
                store.defer_follow_ups(failed, now + RETRY_AFTER, MAX_ATTEMPTS)
            if cut:  # due again at once, after the jobs that never failed (the queue's order)
                store.defer_follow_ups(cut, now, MAX_ATTEMPTS)

        try:
            await self._writer.call(write)
        except NewsreaderError:
            log.exception("the follow-up queue could not be updated")
