"""Runs the sync engine as a task on the GUI thread's asyncio loop (qasync) and passes its events
on as a Qt signal.

The engine is plain asyncio and calls its subscribers on the loop, which is the GUI thread: the
signal is emitted directly, and the window only repaints what the events name. A sync starts
with the window, then every refresh interval; while offline it retries every minute, so it
resumes by itself when the network comes back.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from newsreader.errors import NewsreaderError
from newsreader.gui.tasks import TaskSet, outcome
from newsreader.paths import DataPaths
from newsreader.sync.events import FeedOutcome, FeedSynced, SyncEvent, SyncFinished, SyncSummary
from newsreader.sync.options import SyncOptions
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.accounts.engine import AccountSyncResult

OFFLINE_RETRY_MS = 60_000


class SyncController(QObject):
    """Owns the running sync (at most one) and the refresh timer. Lives on the GUI thread."""

    sync_event = Signal(object)  # SyncEvent, emitted on the GUI thread
    account_synced = Signal(object)  # AccountSyncResult of a feed-server account
    failed = Signal(str)  # a sync that could not run at all (busy, store error)
    offline_changed = Signal(bool)

    def __init__(
        self,
        paths: DataPaths,
        tasks: TaskSet,
        interval_minutes: int,
        options: SyncOptions | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._tasks = tasks
        self.options = options or SyncOptions()
        self._task: asyncio.Task[SyncSummary] | None = None
        self._finish_reported = False
        self.running = False
        self.offline = False
        self.last_summary: SyncSummary | None = None
        self.account_results: list[AccountSyncResult] = []  # this sync's, so far
        self.sync_event.connect(self._note_event)
        self.account_synced.connect(self._note_account, Qt.ConnectionType.DirectConnection)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.start)
        self.set_interval(interval_minutes)

    def set_interval(self, minutes: int) -> None:
        self._interval_ms = max(1, minutes) * 60_000
        self._timer.start(OFFLINE_RETRY_MS if self.offline else self._interval_ms)

    @property
    def interval_ms(self) -> int:
        """Time until the next automatic sync: the refresh interval, or a minute offline."""
        return self._timer.interval()

    def start(self, *, all_feeds: bool = False, feeds: tuple[str, ...] = ()) -> bool:
        """Starts a sync of the due feeds (or all, or the named ones), then of the feed-server
        accounts; False if one runs."""
        if self.running:
            return False
        self.running = True
        self._finish_reported = False
        self.account_results.clear()
        options = SyncOptions(
            feeds=feeds,
            all_feeds=all_feeds,
            verify=self.options.verify,
            limits=self.options.limits,
            lock_wait=self.options.lock_wait,
            # Icons, images and comment feeds run to the end in the background (the feeds'
            # results show at FollowUpStarted); cancel() stops them too.
            follow_up_unbounded=True,
            responsive=True,  # on the GUI thread's loop
        )
        self._task = self._tasks.start(self._sync_everything(options), self._on_done)
        return True

    async def _sync_everything(self, options: SyncOptions) -> SyncSummary:
        """The local feeds, then the feed-server accounts (only those of the named feeds
        when feeds are named: an account's feed is synced through its server). The engine
        is imported here, with the first sync, in a worker thread: the window opens without
        it, and its ~100 ms of imports (httpx, the account clients) do not hold the GUI
        thread while the window paints its first lists."""
        await asyncio.to_thread(importlib.import_module, "newsreader.accounts.refresh")
        from newsreader.accounts.refresh import refresh  # loaded: a lookup in sys.modules

        done = await refresh(self._paths, options, [self.sync_event.emit], self.account_synced.emit)
        return done.summary or SyncSummary()

    def cancel(self) -> None:
        """Stops the running sync; every feed is then fully written or untouched. `running`
        stays true until the engine has unwound (closed its store and HTTP client)."""
        if self._task is not None:
            self._task.cancel()

    def _note_account(self, result: AccountSyncResult) -> None:
        self.account_results.append(result)

    def _note_event(self, event: SyncEvent) -> None:
        """Every event, a sync's or a subscribe's first fetch: notes the end and the network."""
        if isinstance(event, SyncFinished):
            self._finish_reported = True
        online = online_after(event)
        if online is not None and online == self.offline:
            self.offline = not online
            self.offline_changed.emit(self.offline)
            self._timer.start(OFFLINE_RETRY_MS if self.offline else self._interval_ms)

    def _on_done(self, task: asyncio.Task[SyncSummary]) -> None:
        self.running = False
        self._task = None
        done = outcome(task)
        summary, error = done.value, done.error
        if task.cancelled():
            summary = SyncSummary(cancelled=True)
            if not self._finish_reported:  # cancelled before the engine began its feeds
                self.sync_event.emit(SyncFinished(summary))
        elif isinstance(error, NewsreaderError):
            self.failed.emit(str(error))
        elif error is not None:
            raise error
        self.last_summary = summary
        if summary is None or summary.cancelled:
            return
        self._timer.start(OFFLINE_RETRY_MS if self.offline else self._interval_ms)


def online_after(event: SyncEvent) -> bool | None:
    """What an event says about the network: True once any feed got an answer, False when a
    sync got none at all, None when it says nothing (a sync with no feed due, a feed whose
    server answered with an error is still an answer but is reported as a failure)."""
    if isinstance(event, FeedSynced) and event.outcome != FeedOutcome.FAILED:
        return True
    if isinstance(event, SyncFinished) and event.summary.probably_offline:
        return False
    return None


def describe_account_sync(result: AccountSyncResult) -> str:
    """One status-bar line for a feed-server account's sync."""
    name = result.label or "Feed server"
    if result.ok:
        return f"{name} synced: {counted(result.new_entries, 'new article')}."
    return f"{name} not synced: {result.message or result.status.value}."


def describe_account_syncs(results: Sequence[AccountSyncResult]) -> str:
    """One status-bar line for the accounts a refresh synced so far: every account that
    failed, named with its reason (the last one alone would hide the others), and how the
    others went."""
    if len(results) == 1:
        return describe_account_sync(results[0])
    failed = [r for r in results if not r.ok]
    if not failed:
        new = counted(sum(r.new_entries for r in results), "new article")
        return f"{counted(len(results), 'account')} synced: {new}."
    named = "; ".join(f"{r.label or 'Feed server'} ({r.message or r.status.value})" for r in failed)
    line = f"{counted(len(failed), 'account')} not synced: {named}."
    done = [r for r in results if r.ok]
    if done:
        new = counted(sum(r.new_entries for r in done), "new article")
        line += f" {counted(len(done), 'other account')} synced: {new}."
    return line


def describe(event: SyncEvent) -> str:
    """One status-bar line for an event."""
    if isinstance(event, SyncFinished):
        s = event.summary
        if s.cancelled:
            return "Refresh cancelled."
        if s.probably_offline:
            return "Offline: showing stored articles."
        if s.checked == 0:  # e.g. at start, every feed fetched lately
            return "No feed was due for a refresh (r refreshes every one)."
        new = counted(s.new_entries, "new article")
        failed = f", {counted(len(s.failures), 'feed')} failed"
        feeds = counted(s.checked, "feed")
        return f"Refreshed {feeds}: {new}{failed if s.failures else ''}."
    return ""
