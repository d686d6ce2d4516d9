"""Syncing one feed-server account: log in, send the queued local changes, bring in what
changed on the server, record how it went.

    result = await sync_account(paths, account_id)

The store is written through one writer thread (`sync.writer.StoreWriter`), never on the
event loop. Each queued change leaves the queue only after the server took it, so a sync
stopped at any point (offline, killed, cancelled) loses nothing: the next sync sends what is
still queued (at most the one batch in flight is sent again, which changes nothing: marks and
subscription edits are idempotent). The sync's cursor is saved only when it succeeded;
everything it wrote before a failure is complete and kept. A whole sync is bounded by
`deadline` seconds.

New articles queue their follow-up work (full articles under their feed's Full article
setting, images) as a local feed's do, in the same transaction (`follow_up_plans`); the
account's follow-up stage (`run_follow_ups`, the local sync's `FollowUpStage`) then fetches
them under the sync's budget, so server articles are readable offline too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from newsreader.accounts.fever import FeverSession
from newsreader.accounts.greader import GReaderSession
from newsreader.accounts.http import ServerConnection, Timeouts
from newsreader.accounts.passwords import load_password, load_token, save_token
from newsreader.accounts.session import ServerSession, Tally
from newsreader.errors import (
    AccountError,
    LoginFailedError,
    ServerAnswerError,
    ServerUnreachableError,
)
from newsreader.model import Account, AccountKind, AccountStatus
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.sync import parsers
from newsreader.sync.engine import SyncOptions, follow_up_idle, session
from newsreader.sync.followup import FollowUpReport, FollowUpStage, FollowUpWork, JobPlan
from newsreader.sync.fulltext import PAGE, ArticleFetcher, ArticleWork, page_jobs
from newsreader.sync.images import ICON, IMAGE, ImageCache, ImageWork, image_jobs
from newsreader.sync.lock import DEFAULT_WAIT_SECONDS, sync_lock
from newsreader.sync.stories import match_queued_stories
from newsreader.sync.writer import StoreWriter
from newsreader.wording import counted

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
DEFAULT_DEADLINE = 300.0
DEFAULT_TIMEOUTS = Timeouts()


@dataclass(frozen=True, slots=True)
class AccountSyncResult:
    """How one account's sync went, with what it did and the requests it took."""

    account_id: int
    status: AccountStatus
    message: str | None = None
    label: str = ""  # the account as the user knows it: "user at https://host/api/…"
    sent: int = 0
    new_entries: int = 0
    state_changes: int = 0
    feeds_added: int = 0
    feeds_removed: int = 0
    refused: tuple[str, ...] = ()
    feeds_elsewhere: tuple[str, ...] = ()  # listed feeds kept by another account (URLs)
    # Those of `feeds_elsewhere` not told in an earlier sync: the line and the status say
    # only these, so that the note comes once, when it first happens.
    elsewhere_news: tuple[str, ...] = ()
    requests: int = 0
    notify_entry_ids: tuple[int, ...] = ()  # new entries a `notify` rule asked to tell about
    rule_problems: tuple[str, ...] = ()  # "rule NAME: reason" for each rule that failed
    full_articles: int = 0  # full articles fetched by the follow-up stage
    images_cached: int = 0
    follow_ups_left: int = 0  # follow-up jobs left for a later sync

    @property
    def ok(self) -> bool:
        return self.status is AccountStatus.OK


def utcnow() -> datetime:
    return datetime.now(UTC)


def open_session(
    account: Account,
    password: str,
    timeouts: Timeouts,
    clock: Clock = utcnow,
) -> ServerSession:
    """The protocol session for an account, on a new connection (close it when done)."""
    connection = ServerConnection(account.url, timeouts)
    if account.kind is AccountKind.FEVER:
        return FeverSession(account.id, connection, account.username, password, clock)
    return GReaderSession(account.id, connection, account.username, password, clock)


async def check_login(
    kind: AccountKind, url: str, username: str, password: str, timeouts: Timeouts = DEFAULT_TIMEOUTS
) -> None:
    """Logs in once, to tell a wrong address or password before an account is added;
    raises the AccountError that says what is wrong."""
    probe = Account(id=0, kind=kind, url=url, username=username)
    session = open_session(probe, password, timeouts)
    try:
        await session.login()
    finally:
        await session.connection.close()


async def sync_account(
    paths: DataPaths,
    account_id: int,
    *,
    password: str | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    deadline: float = DEFAULT_DEADLINE,
    clock: Clock = utcnow,
    options: SyncOptions | None = None,
    follow_ups: bool = True,
) -> AccountSyncResult:
    """Syncs one account (its password from the keyring unless given), then runs the
    follow-up work its new articles call for (`run_follow_ups`; not with `follow_ups=False`:
    the caller runs it, as `refresh` does once for all accounts). Never raises for what the
    server or network did: the result (and the account's row) says it. SyncBusyError when
    another sync of this account (another program) runs. `options`: the sync's (the
    follow-up stage's budget, client and parse process), the command line's by default."""
    lock = paths.sync_lock.with_name(f"account-{account_id}.lock")
    async with sync_lock(lock, DEFAULT_WAIT_SECONDS):
        store = StoreWriter(paths)
        try:
            settings = await store.call(lambda s: s.load_settings())
            plans = follow_up_plans(settings)
            result = await _sync_locked(
                store, account_id, password, timeouts, deadline, clock, plans
            )
            if not follow_ups:
                return result
            chosen = options or SyncOptions(clock=clock)
            report = await run_follow_ups(paths, store, settings, chosen, [account_id])
        finally:
            await store.close()
            if parsers.processes.starting():  # a program must not exit halfway through
                await asyncio.to_thread(parsers.processes.wait_settled)
        return replace(
            result,
            full_articles=report.changed.get(PAGE, 0),
            images_cached=report.changed.get(IMAGE, 0) + report.changed.get(ICON, 0),
            follow_ups_left=report.left + report.retrying,
        )


async def accounts_follow_ups(
    paths: DataPaths, account_ids: Sequence[int], options: SyncOptions | None = None
) -> FollowUpReport:
    """The follow-up stage of these accounts' feeds, on its own (after syncs run with
    `follow_ups=False`)."""
    store = StoreWriter(paths)
    try:
        settings = await store.call(lambda s: s.load_settings())
        return await run_follow_ups(
            paths, store, settings, options or SyncOptions(), list(account_ids)
        )
    finally:
        await store.close()
        if parsers.processes.starting():
            await asyncio.to_thread(parsers.processes.wait_settled)


async def _sync_locked(
    store: StoreWriter,
    account_id: int,
    password: str | None,
    timeouts: Timeouts,
    deadline: float,
    clock: Clock,
    plans: Sequence[JobPlan],
) -> AccountSyncResult:
    account = await store.call(lambda s: s.get_account(account_id))
    secret = (
        password
        if password is not None
        else load_password(account.kind, account.url, account.username)
    )
    if secret is None:
        return await _finish(
            store,
            account,
            Tally(),
            0,
            AccountStatus.LOGIN_FAILED,
            f"no password for {account.label} in the system keyring; " + password_hint(account.id),
            clock,
        )
    session = open_session(account, secret, timeouts, clock)
    session.plans = plans
    tally = Tally()
    try:
        async with asyncio.timeout(deadline):
            cursor = await _run(session, account, store, tally)
    except AccountError as error:
        message = str(error)
        if isinstance(error, LoginFailedError):
            save_token(account.kind, account.url, account.username, None)
            message += "; if the password changed on the server: " + password_hint(account.id)
        return await _finish(
            store,
            account,
            tally,
            session.connection.requests,
            _status(error),
            message,
            clock,
        )
    except TimeoutError:
        message = f"the sync with {account.url} took longer than {deadline:g} s and stopped"
        return await _finish(
            store,
            account,
            tally,
            session.connection.requests,
            AccountStatus.ERROR,
            message,
            clock,
        )
    finally:
        await session.connection.close()
    return await _finish(
        store,
        account,
        tally,
        session.connection.requests,
        AccountStatus.OK,
        "; ".join([*tally.refused, *_held_elsewhere(tally.elsewhere_news)]) or None,
        clock,
        cursor,
    )


def follow_up_plans(settings: Settings) -> tuple[JobPlan, ...]:
    """The follow-up work new server articles call for, as a local feed's new entries do:
    their full article under the feed's Full article setting (auto, always, never) and,
    when images are cached, their images."""
    return (*((image_jobs,) if settings.cache_images else ()), page_jobs)


async def run_follow_ups(
    paths: DataPaths,
    store: StoreWriter,
    settings: Settings,
    options: SyncOptions,
    account_ids: Sequence[int],
) -> FollowUpReport:
    """The accounts' follow-up stage: the queued jobs of their feeds (full articles,
    images), run by the stage local feeds use (`sync.followup`), with the sync's budget
    (none for the window's). Opens no client when nothing of theirs is due."""
    feed_ids = await store.call(
        lambda s: [f for account in account_ids for f in s.account_feed_ids(account)]
    )
    kinds = [PAGE, *((IMAGE, ICON) if settings.cache_images else ())]
    now = options.clock()
    due = await store.call(lambda s: s.due_follow_ups(kinds, now, feed_ids=feed_ids, limit=1))
    if not due:
        return FollowUpReport()
    async with session(settings, options) as net:
        images = ImageCache(paths.images, net.client, net.politeness, store, settings)
        articles = ArticleFetcher(
            net.client,
            net.politeness,
            store,
            net.parse_pool,
            options.parse_processes,
            process_only=options.responsive,
        )
        cached = images if settings.cache_images else None
        work: tuple[FollowUpWork, ...] = (
            *((ImageWork(images),) if cached else ()),
            ArticleWork(articles, options.clock, cached),
        )
        budget = None if options.follow_up_unbounded else float(settings.follow_up_seconds)
        stage = FollowUpStage(
            store,
            work,
            budget=budget,
            clock=options.clock,
            feed_ids=feed_ids,
            idle=follow_up_idle(budget),
            local=articles.local,
            politeness=net.politeness,
        )
        try:
            return await stage.run()
        finally:
            await asyncio.shield(images.flush())


def password_hint(account_id: int) -> str:
    """Where a new password is entered (the queue stays)."""
    return (
        f"enter it with `newsreader account password {account_id}` (or Settings → "
        "Feed-server accounts → Change password…)"
    )


def _held_elsewhere(urls: list[str]) -> list[str]:
    """The account status's note on listed feeds another account holds (empty: none)."""
    if not urls:
        return []
    return [f"{counted(len(urls), 'feed')} also listed by another account, which keeps them"]


async def _run(
    session: ServerSession, account: Account, store: StoreWriter, tally: Tally
) -> dict[str, object]:
    cursor = await store.call(lambda s: s.account_cursor(account.id))
    kept = load_token(account.kind, account.url, account.username)
    await session.login(kept)
    changes = await store.call(lambda s: s.pending_changes(account.id))

    async def forget(change_ids: Sequence[int]) -> None:
        ids = list(change_ids)
        await store.call(lambda s: s.forget_pending(ids))

    if changes:
        await session.send(changes, forget, tally)
    await session.pull(cursor, store, tally)
    told = cursor.get("elsewhere_told")
    told_before = set(told) if isinstance(told, list) else set()
    tally.elsewhere_news = [url for url in tally.elsewhere if url not in told_before]
    cursor["elsewhere_told"] = sorted(set(tally.elsewhere))  # one that comes back is told again
    if session.session_token != kept:
        save_token(account.kind, account.url, account.username, session.session_token)
    return cursor


def _status(error: AccountError) -> AccountStatus:
    if isinstance(error, LoginFailedError):
        return AccountStatus.LOGIN_FAILED
    if isinstance(error, ServerUnreachableError):
        return AccountStatus.OFFLINE
    assert isinstance(error, ServerAnswerError | AccountError)
    return AccountStatus.ERROR


async def _finish(
    store: StoreWriter,
    account: Account,
    tally: Tally,
    requests: int,
    status: AccountStatus,
    message: str | None,
    clock: Clock,
    cursor: dict[str, object] | None = None,
) -> AccountSyncResult:
    await match_queued_stories(store, in_process=True)  # when a feed sync started the process
    at = clock()
    await store.call(
        lambda s: s.record_account_sync(account.id, status, at, message=message, cursor=cursor)
    )
    if status is not AccountStatus.OK:
        log.info("sync of account %s: %s", account.id, message)
    return AccountSyncResult(
        account_id=account.id,
        status=status,
        message=message,
        label=account.label,
        sent=tally.sent,
        new_entries=tally.new_entries,
        state_changes=tally.state_changes,
        feeds_added=tally.feeds_added,
        feeds_removed=tally.feeds_removed,
        refused=tuple(tally.refused),
        feeds_elsewhere=tuple(tally.elsewhere),
        elsewhere_news=tuple(tally.elsewhere_news),
        requests=requests,
        notify_entry_ids=tuple(tally.notify),
        rule_problems=tuple(f"rule {name!r}: {why}" for name, why in tally.rule_problems.items()),
    )
