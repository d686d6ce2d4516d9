"""The sync: fetch due (or chosen) feeds concurrently, parse them off the event loop, write
each through the one store writer, then cache their images and comments, telling subscribers
as every feed finishes.

    summary = await sync(paths, subscribers=[print])

The event loop only waits: HTTP is async, parsing runs in the parse process (or a thread, see
`parsers`) and SQLite in the writer thread. Cancelling the task stops the sync at once; every
feed is then either fully written (one transaction) or untouched, and feeds not reached stay
due for the next sync.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

import httpx

from newsreader.errors import (
    FetchError,
    NewsreaderError,
    NotFoundError,
    ParseError,
    StoreWriteError,
)
from newsreader.model import Entry, Feed, ParsedFeed
from newsreader.parse import looks_like_feed, parse_feed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import (
    EntryLanguages,
    FeedWriteResult,
    Gone,
    NewFollowUp,
    RuleRun,
    Store,
)
from newsreader.sync import parsers, unchanged
from newsreader.sync.comments import COMMENTS, CommentFetcher, CommentWork
from newsreader.sync.credentials import Credentials, load_credentials, move_credentials
from newsreader.sync.decide import Answered, Failed, decide_feed, needs_parse
from newsreader.sync.events import (
    Failure,
    FeedOutcome,
    FeedSynced,
    FollowUpStarted,
    StoriesMatched,
    Subscriber,
    SyncEvent,
    SyncFinished,
    SyncStarted,
    SyncSummary,
)
from newsreader.sync.feed_job import FeedDone, FeedJob, parse_here, write_feed_here
from newsreader.sync.fetch import (
    Conditional,
    CredentialsLookup,
    FetchLimits,
    FetchResult,
    Politeness,
    fetch,
    make_client,
    make_resolver,
)
from newsreader.sync.followup import (
    MAX_ATTEMPTS,
    PRIORITY_COMMENTS,
    RETRY_AFTER,
    FollowUpReport,
    FollowUpStage,
    FollowUpWork,
    queue_jobs,
)
from newsreader.sync.fulltext import PAGE, ArticleFetcher, ArticleWork
from newsreader.sync.images import ICON, IMAGE, ImageCache, ImageWork
from newsreader.sync.lock import SyncLock, sync_lock
from newsreader.sync.options import Clock as Clock
from newsreader.sync.options import SyncOptions as SyncOptions
from newsreader.sync.options import utcnow as utcnow
from newsreader.sync.stories import match_queued_stories
from newsreader.sync.transport import environment_proxies
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
_START_BATCH = 8  # feed tasks started per event-loop iteration
FOLLOW_UP_IDLE_SECONDS = 1.0
"""The shortest wait of a bounded follow-up stage with no job finishing (`follow_up_idle`)."""


def follow_up_idle(budget: float | None) -> float | None:
    """How long a bounded follow-up stage (the command line's) goes on with no job finishing
    and no page being extracted before it ends, in seconds: what is left waits on hosts that
    do not answer and is left for the next sync. A third of the budget, at least
    `FOLLOW_UP_IDLE_SECONDS`: 1 s of the default 3 s, 10 s of 30 s, so that a user who raises
    `follow_up_seconds` for hosts that answer slowly also waits longer for them. None (no
    idle end) for an unbounded stage (the window's)."""
    return None if budget is None else max(FOLLOW_UP_IDLE_SECONDS, budget / 3)


# While a sync runs, threads hand the GIL back to the event loop after 1 ms instead of 5 ms, so
# parsing and store writes in worker threads do not make the loop (the window) late.
_SWITCH_INTERVAL = 0.001


async def sync(
    paths: DataPaths,
    options: SyncOptions | None = None,
    subscribers: Sequence[Subscriber] = (),
) -> SyncSummary:
    """Runs one sync of the store at `paths`; raises SyncBusyError if another one holds it."""
    options = options or SyncOptions()
    async with sync_lock(paths.sync_lock, options.lock_wait) as lock:
        with _prompt_thread_switches():
            return await _locked_sync(paths, options, subscribers, lock)


async def _locked_sync(
    paths: DataPaths, options: SyncOptions, subscribers: Sequence[Subscriber], lock: SyncLock
) -> SyncSummary:
    writer = StoreWriter(paths)
    try:
        settings = await writer.call(lambda store: store.load_settings())
        feeds = await writer.call(lambda store: select_feeds(store, options, options.clock()))
        async with session(settings, options) as net:
            named = [feed.id for feed in feeds] if options.feeds else None
            run = _Run(paths, writer, settings, options, subscribers, net, named)
            # A subscribe in this process waiting for us: the follow-up work stops early.
            lock.when_wanted(run.stage.stop)
            return await run.sync_all(feeds)
    finally:
        await writer.close()
        if parsers.processes.starting():  # a program must not exit halfway through
            await asyncio.to_thread(parsers.processes.wait_settled)


@contextmanager
def _prompt_thread_switches() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, _SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def select_feeds(store: Store, options: SyncOptions, now: datetime) -> list[Feed]:
    """The feeds a sync checks: the named ones (by id or URL), all enabled, or the due ones.
    A feed of a feed-server account is never among them, even when named: its articles come
    from its server (`newsreader.accounts.refresh` syncs the account instead)."""
    if options.feeds:
        named = [find_feed(store, name) for name in dict.fromkeys(options.feeds)]
        return [feed for feed in named if feed.account_id is None]
    if options.all_feeds:
        # Cheaper than list_feeds(), which counts unread entries. A feed whose server asked
        # for a pause (Retry-After) is skipped here too, unless named.
        return store.due_feeds(now, every=True)
    return store.due_feeds(now)


def find_feed(store: Store, name: str) -> Feed:
    """The feed named by id or URL (NotFoundError if none)."""
    if name.isdigit():
        return store.get_feed(int(name))
    feed = store.feed_by_url(name)
    if feed is None:
        raise NotFoundError(f"no feed with id or URL {name}")
    return feed


@dataclass
class _Tally:
    total: int
    done: int = 0
    unchanged: int = 0
    updated: int = 0
    new_entries: int = 0
    disabled: int = 0
    failures: list[Failure] = field(default_factory=list)
    follow_ups: FollowUpReport = field(default_factory=FollowUpReport)
    rule_problems: dict[str, str] = field(default_factory=dict)  # rule name -> last reason

    def summary(self, *, cancelled: bool = False) -> SyncSummary:
        changed = self.follow_ups.changed
        return SyncSummary(
            checked=self.done,
            unchanged=self.unchanged,
            updated=self.updated,
            new_entries=self.new_entries,
            disabled=self.disabled,
            failures=tuple(self.failures),
            images_cached=changed.get(ICON, 0) + changed.get(IMAGE, 0),
            comments_fetched=changed.get(COMMENTS, 0),
            follow_ups_left=self.follow_ups.left,
            follow_ups_retrying=self.follow_ups.retrying,
            follow_up_hosts_retrying=self.follow_ups.retrying_hosts,
            follow_up_budget=self.follow_ups.budget,
            follow_up_quiet_end=self.follow_ups.quiet_end,
            cancelled=cancelled,
            rule_problems=tuple(f"rule {n!r}: {m}" for n, m in self.rule_problems.items()),
        )


@dataclass(frozen=True, slots=True)
class _Written:
    """What one feed's fetch-and-write produced, for the tally and the follow-up work."""

    outcome: FeedOutcome
    result: FeedWriteResult | None = None
    error: str | None = None
    network: bool = False
    title: str | None = None  # the parsed feed's


class _Run:
    """The state of one sync: client, limits, pools, counters."""

    def __init__(
        self,
        paths: DataPaths,
        writer: StoreWriter,
        settings: Settings,
        options: SyncOptions,
        subscribers: Sequence[Subscriber],
        net: NetworkSession,
        named_feeds: Sequence[int] | None,
    ) -> None:
        self.writer = writer
        self.settings = settings
        self.options = options
        self.subscribers = subscribers
        self.client = client = net.client
        self.parse_pool = parse_pool = net.parse_pool
        self.limits = net.limits
        self.politeness = net.politeness
        self.images = ImageCache(paths.images, client, self.politeness, writer, settings)
        comments = CommentFetcher(client, self.politeness, self.limits, writer, parse_pool)
        images = self.images if settings.cache_images else None
        self.parse_turn = asyncio.Lock()  # one feed or page at a time in the parse process
        self.process_start = asyncio.Lock()  # one task waits for the process to start
        articles = ArticleFetcher(
            client,
            self.politeness,
            writer,
            parse_pool,
            options.parse_processes,
            process_only=options.responsive,
            turn=self.parse_turn,
        )
        self.articles = articles
        local = articles.local
        self.follow_up_work: tuple[FollowUpWork, ...] = (
            CommentWork(comments),
            *((ImageWork(self.images),) if settings.cache_images else ()),
            ArticleWork(articles, options.clock, images),
        )
        self.plans = tuple(work.plan for work in self.follow_up_work)
        budget = None if options.follow_up_unbounded else float(settings.follow_up_seconds)
        self.stage = FollowUpStage(
            writer,
            self.follow_up_work,
            budget=budget,
            clock=options.clock,
            feed_ids=named_feeds,
            idle=follow_up_idle(budget),
            local=local,
            politeness=self.politeness,
        )
        self.tally = _Tally(total=0)

    def emit(self, event: SyncEvent) -> None:
        for subscriber in self.subscribers:
            try:
                subscriber(event)
            except Exception:
                log.exception("a sync subscriber failed on %r", event)

    async def sync_all(self, feeds: Sequence[Feed]) -> SyncSummary:
        self.tally = _Tally(total=len(feeds))
        self.emit(SyncStarted(total=len(feeds)))
        try:
            await self._run_feeds(feeds)
            self.emit(FollowUpStarted())
            await self._after_feeds()
            if self.settings.cache_images:
                await self._evict_images()
        except asyncio.CancelledError:
            self.emit(SyncFinished(self.tally.summary(cancelled=True)))
            raise
        summary = self.tally.summary()
        self.emit(SyncFinished(summary))
        return summary

    async def _after_feeds(self) -> None:
        """The follow-up work and the stories of what the feeds wrote, side by side: the
        follow-up work mostly waits on the network (slow or dead hosts, up to its budget)
        while matching is CPU work in the parse process (or the writer thread). Should the
        follow-up work fail or be cancelled, matching stops after its current batch; the
        rest stays queued for the next sync."""
        matching = asyncio.create_task(
            match_queued_stories(
                self.writer,
                in_process=self.options.parse_processes,
                turn=self.parse_turn,
                progress=lambda done, total: self.emit(StoriesMatched(done, total)),
            )
        )
        try:
            try:
                self.tally.follow_ups = await self.stage.run()
            finally:
                await asyncio.shield(self.images.flush())
        except BaseException:
            matching.cancel()
            await asyncio.gather(matching, return_exceptions=True)
            raise
        await matching

    async def _run_feeds(self, feeds: Sequence[Feed]) -> None:
        """Every feed in a task group; a `StoreWriteError` (disk full, read-only) in one feed
        stops all of them and is raised as itself."""
        if self.options.parse_processes and len(feeds) >= parsers.MIN_FEEDS:
            # Started before the first request: it starts (in its own thread and process)
            # while they travel. Started after the tasks were made, it came too late on a
            # busy machine: making 300 tasks took long enough for the first answers to
            # arrive, and those feeds were parsed here, loading the language model here too
            # (~0.7 s of CPU on the GIL the event loop needs).
            parsers.processes.start_in_background()
        try:
            async with asyncio.TaskGroup() as group:
                for number, feed in enumerate(feeds, start=1):
                    group.create_task(self.sync_feed(feed))
                    if number % _START_BATCH == 0:
                        # Hundreds of first steps in one loop iteration would stall the loop.
                        await asyncio.sleep(0)
        except BaseExceptionGroup as failed:
            write_errors = failed.subgroup(StoreWriteError)
            if write_errors is None:
                raise
            self.emit(SyncFinished(self.tally.summary(cancelled=True)))
            raise _first_leaf(write_errors) from None

    async def _evict_images(self) -> None:
        try:
            await self.images.evict()
        except (NewsreaderError, OSError):
            log.exception("the image cache could not be trimmed")

    async def sync_feed(self, feed: Feed) -> None:
        """Fetches, parses and writes one feed (queueing its follow-up work), then reports it.
        Nothing raised here may escape: it would cancel every other feed of the task group."""
        try:
            written = await self._fetch_and_write(feed)
        except StoreWriteError:
            raise  # the store takes no writes: every other feed would fail the same way
        except Exception as error:
            if not isinstance(error, NewsreaderError):  # a bug; the other feeds go on
                log.exception("syncing %s failed unexpectedly", feed.url)
            written = Failed.of(error)
        if isinstance(written, Failed):
            written = await self._record_failure(feed, written)
        self._report(feed, written)

    async def _fetch_and_write(self, feed: Feed) -> _Written | Failed:
        """Awaits the fetch and, for a new body, its parse, decision and write (`_write_new`);
        `decide_feed` says what they mean for the feed, and one store write (one transaction)
        applies it with the entries and the follow-up jobs they call for. A body that does
        not parse comes back as its `Failed`, to be recorded."""
        now = self.options.clock()
        result = self.options.fetched.get(feed.url) or await fetch(
            self.client,
            feed.url,
            politeness=self.politeness,
            limits=self.limits,
            conditional=Conditional(feed.etag, feed.last_modified),
            credentials=_keyring_lookup(feed.url),
            allow_file=True,  # the user subscribed to this address
            user_agent=feed.user_agent,
        )
        answer = Answered(result, await unchanged.digest(result))
        if not needs_parse(feed, answer):  # nothing new: no entries, no follow-up work
            intent = decide_feed(feed, answer, None, now, self.settings)
            await self.writer.write_feed(lambda store: store.apply_feed_intent(intent))
            return _Written(FeedOutcome.UNCHANGED)
        if result.content_type in HTML_TYPES and not looks_like_feed(result.body):
            raise ParseError(
                f"{result.url} is a web page, not a feed; "
                "add the page as a new feed (Add feed, or `newsreader add URL`) to find the "
                "feeds it links to"
            )
        done = await self._write_new(feed, answer, now)
        if isinstance(done, Failed):
            return done
        written = done.written
        if done.moved_to and written.feed_url == done.moved_to:  # not when another has it
            await asyncio.to_thread(move_credentials, feed.url, done.moved_to)
        changed = bool(written.new_entry_ids or written.updated_entry_ids)
        outcome = FeedOutcome.UPDATED if changed else FeedOutcome.UNCHANGED
        return _Written(outcome, written, title=done.title)

    async def _write_new(self, feed: Feed, answer: Answered, now: datetime) -> FeedDone | Failed:
        """A new body parsed, decided and written: for a window's sync (`responsive`) in the
        parse process when it is up (`feed_job`), so that the window's process runs no
        Python for it; otherwise, or when the process could not, parsed in the process or a
        thread and written by the writer thread."""
        process = await self._parse_process() if self.options.responsive else None
        if process is not None:
            job = FeedJob(
                feed,
                answer,
                now,
                self.settings,
                self.limits.max_bytes,
                self.plans,
                self.writer.paths,
            )
            try:
                ran = await parsers.run_in_process(
                    process,
                    self.parse_turn,
                    partial(write_feed_here, job),
                    work=f"writing {feed.url}",
                )
            except ParseError:  # past the budget: the process was stopped
                raise
            except Exception:  # the job did not get there or back (pickling): done here
                log.warning("the parse process could not write %s", feed.url, exc_info=True)
            else:
                if ran is not None and ran.value is not None:
                    return ran.value
        parsed, languages = await self._parse(answer.result)
        intent = decide_feed(feed, answer, parsed, now, self.settings)
        written = await self.writer.write_feed(
            lambda store: store.apply_feed_intent(
                intent, partial(self._queue_here, store, feed, parsed), languages
            )
        )
        return FeedDone.of(intent, written)

    async def _parse_process(self) -> Executor | None:
        """The parse process (None without one): waited for while it starts (the window
        starts it as it opens, a large sync as its requests go out). Waiting costs less than
        parsing meanwhile in a thread: the fetches go on, and a thread's parse (and a
        window's write) holds this process's GIL, which the event loop and the writer
        thread need; before this wait, a cold 300-feed sync on a busy machine parsed 265
        feeds in the thread while the process started (~0.6-2.5 s)."""
        if not self.options.parse_processes:
            return None
        if parsers.processes.starting():
            async with self.process_start:
                await asyncio.to_thread(parsers.processes.wait_settled)
        return parsers.processes.ready()

    def _queue_here(
        self, store: Store, feed: Feed, parsed: ParsedFeed, written: FeedWriteResult
    ) -> list[NewFollowUp]:
        """The follow-up jobs of a feed written in this process; queued pages get their
        extraction ready (in the parse process the pages' process is up already)."""
        jobs = queue_jobs(self.plans, store, feed, parsed, written)
        if any(job.kind == PAGE for job in jobs):
            self.articles.expect_pages()
        return jobs

    async def _parse(self, result: FetchResult) -> tuple[ParsedFeed, EntryLanguages | None]:
        """The body parsed: in the parse process when it is up, with its entries' languages
        detected there (`parse_here`), else in a thread (the writer then detects them)."""
        headers = dict(result.headers)
        max_bytes = self.limits.max_bytes
        process = await self._parse_process()
        if process is not None:
            job = partial(parse_here, result.body, result.url, headers, max_bytes)
            ran = await parsers.run_in_process(
                process, self.parse_turn, job, work=f"parsing {result.url}"
            )
            if ran is not None:
                return ran.value
        parse = partial(parse_feed, result.body, result.url, headers, max_bytes=max_bytes)
        parsed = await asyncio.get_running_loop().run_in_executor(self.parse_pool, parse)
        return parsed, None

    async def _record_failure(self, feed: Feed, failed: Failed) -> _Written:
        try:
            return await self._write_failure(feed, failed)
        except StoreWriteError:
            raise
        except Exception:
            # The store refused even the error note: report the feed, leave it due.
            log.exception("recording the failure of %s failed", feed.url)
            return _Written(FeedOutcome.FAILED, error=failed.message, network=failed.network)

    async def _write_failure(self, feed: Feed, failed: Failed) -> _Written:
        intent = decide_feed(feed, failed, None, self.options.clock(), self.settings)
        await self.writer.write_feed(lambda store: store.apply_feed_intent(intent))
        match intent.change:
            case Gone(reason):
                return _Written(FeedOutcome.DISABLED, error=reason)
            case _:
                return _Written(FeedOutcome.FAILED, error=failed.message, network=failed.network)

    def _report(self, feed: Feed, written: _Written) -> None:
        tally = self.tally
        tally.done += 1
        new = len(written.result.new_entry_ids) if written.result else 0
        updated = len(written.result.updated_entry_ids) if written.result else 0
        ran = written.result.rules if written.result else RuleRun()
        problems = tuple(f"rule {p.name!r}: {p.message}" for p in ran.problems)
        tally.rule_problems.update({p.name: p.message for p in ran.problems})
        match written.outcome:
            case FeedOutcome.UPDATED:
                tally.updated += 1
                tally.new_entries += new
            case FeedOutcome.UNCHANGED:
                tally.unchanged += 1
            case FeedOutcome.DISABLED:
                tally.disabled += 1
                tally.failures.append(Failure(feed.id, feed.url, written.error or "", False))
            case FeedOutcome.FAILED:
                reason = written.error or "failed"
                tally.failures.append(Failure(feed.id, feed.url, reason, written.network))
        self.emit(
            FeedSynced(
                feed_id=feed.id,
                url=feed.url,
                title=feed.title or written.title,
                outcome=written.outcome,
                done=tally.done,
                total=tally.total,
                new_entries=new,
                updated_entries=updated,
                error=written.error,
                notify_entry_ids=ran.notify,
                rule_problems=problems,
            )
        )


def _keyring_lookup(url: str) -> CredentialsLookup:
    """Asks the keyring (in a thread: it may talk to a desktop service) only when needed."""

    async def lookup() -> Credentials | None:
        return await asyncio.to_thread(load_credentials, url)

    return lookup


@dataclass(frozen=True, slots=True)
class NetworkSession:
    """The network parts of one run: the client, the politeness (limits and host verdicts,
    sharing the client's host-name lookups) and the fetch limits, and the parse pool."""

    client: httpx.AsyncClient
    politeness: Politeness
    limits: FetchLimits
    parse_pool: ThreadPoolExecutor


@asynccontextmanager
async def session(settings: Settings, options: SyncOptions) -> AsyncIterator[NetworkSession]:
    """The HTTP client and parse pool of one run, closed however the run ends."""
    pool = ThreadPoolExecutor(
        max_workers=options.parse_workers, thread_name_prefix="newsreader-parse"
    )
    limits = options.limits or FetchLimits.from_settings(settings)
    # With a proxy from the environment the proxy looks names up (make_client then routes
    # through httpx's own transport).
    resolver = None if environment_proxies() else make_resolver(options.lookup, limits)
    try:
        # Building the client loads the CA bundle: tens of milliseconds kept off the loop.
        client = await asyncio.to_thread(
            make_client, settings, verify=options.verify, limits=limits, resolver=resolver
        )
        async with client:
            politeness = Politeness.from_settings(settings, resolver)
            yield NetworkSession(client, politeness, limits, pool)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


async def fetch_comments(
    paths: DataPaths, entry_id: int, options: SyncOptions | None = None
) -> int:
    """Fetches one entry's comment feed now (the window's "load comments", `comments
    --fetch`); returns how many site comments were added or changed. Raises NotFoundError,
    FetchError or ParseError. A failure is recorded as a failed comment job (`fail_follow_up`):
    the next sync after `RETRY_AFTER` tries again, and `comments` says so; a success removes
    a queued one."""
    options = options or SyncOptions()
    writer = StoreWriter(paths)
    try:
        settings = await writer.call(lambda store: store.load_settings())
        entry = await writer.call(lambda store: store.get_entry(entry_id))
        async with session(settings, options) as net:
            fetcher = CommentFetcher(net.client, net.politeness, net.limits, writer, net.parse_pool)
            try:
                changed = await fetcher.refresh(entry)
            except (FetchError, ParseError):
                await _record_comment_failure(writer, entry, options.clock())
                raise
        await writer.call(lambda store: store.forget_follow_ups(COMMENTS, entry_id))
        return changed
    finally:
        await writer.close()


async def _record_comment_failure(writer: StoreWriter, entry: Entry, now: datetime) -> None:
    if not entry.comments_feed:
        return
    job = NewFollowUp(COMMENTS, entry.comments_feed, entry.id, entry.feed_id, PRIORITY_COMMENTS)
    try:
        await writer.call(
            lambda store: store.fail_follow_up(job, now, now + RETRY_AFTER, MAX_ATTEMPTS)
        )
    except NewsreaderError:  # the fetch's own error is the one to report
        log.exception("the failed comment fetch of entry %s could not be recorded", entry.id)


def _first_leaf(group: BaseExceptionGroup[StoreWriteError]) -> StoreWriteError:
    """The first exception inside `group` (groups nest when task groups do)."""
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first
