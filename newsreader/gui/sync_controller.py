"""Runs the sync engine inside the Qt event loop (qasync) and turns its events into Qt signals.

The engine's HTTP is async on this loop, while parsing and SQLite writes run in its own worker
and writer threads, so the window keeps painting during a sync. A sync starts with the window,
then every refresh interval; while offline it retries every minute, so it resumes by itself
when the network comes back.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.errors import NewsreaderError, SyncBusyError
from newsreader.paths import DataPaths
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import SyncEvent, SyncFinished, SyncSummary

log = logging.getLogger(__name__)

OFFLINE_RETRY_MS = 60_000


class SyncController(QObject):
    """Owns the running sync task (at most one) and the refresh timer."""

    sync_event = Signal(object)  # SyncEvent, delivered on the GUI thread
    failed = Signal(str)  # a sync that could not run at all (busy, store error)
    offline_changed = Signal(bool)

    def __init__(
        self, paths: DataPaths, interval_minutes: int, options: SyncOptions | None = None
    ) -> None:
        super().__init__()
        self._paths = paths
        self.options = options or SyncOptions()
        self._task: asyncio.Task[SyncSummary | None] | None = None
        self.offline = False
        self.last_summary: SyncSummary | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.start)
        self.set_interval(interval_minutes)

    def set_interval(self, minutes: int) -> None:
        self._interval_ms = max(1, minutes) * 60_000
        self._timer.start(OFFLINE_RETRY_MS if self.offline else self._interval_ms)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, *, all_feeds: bool = False, feeds: tuple[str, ...] = ()) -> bool:
        """Starts a sync of the due feeds (or all, or the named ones); False if one runs."""
        if self.running:
            return False
        options = SyncOptions(
            feeds=feeds,
            all_feeds=all_feeds,
            verify=self.options.verify,
            limits=self.options.limits,
            lock_wait=self.options.lock_wait,
        )
        self._task = asyncio.get_event_loop().create_task(self._run(options))
        return True

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def wait(self) -> SyncSummary | None:
        """Waits for the running sync (tests, shutdown); None when none ran or it failed."""
        if self._task is None:
            return None
        try:
            return await self._task
        except asyncio.CancelledError:
            return None

    async def _run(self, options: SyncOptions) -> SyncSummary | None:
        try:
            summary = await sync(self._paths, options, subscribers=[self.sync_event.emit])
        except SyncBusyError as error:
            self.failed.emit(str(error))
            return None
        except NewsreaderError as error:
            log.warning("sync failed: %s", error)
            self.failed.emit(str(error))
            return None
        except asyncio.CancelledError:
            self.sync_event.emit(SyncFinished(SyncSummary(cancelled=True)))
            raise
        self.last_summary = summary
        offline = summary.nothing_fetched
        if offline != self.offline:
            self.offline = offline
            self.offline_changed.emit(offline)
        self._timer.start(OFFLINE_RETRY_MS if offline else self._interval_ms)
        return summary


def describe(event: SyncEvent) -> str:
    """One status-bar line for an event."""
    if isinstance(event, SyncFinished):
        s = event.summary
        if s.cancelled:
            return "Refresh cancelled."
        if s.nothing_fetched:
            return "Offline: showing stored articles."
        new = f"{s.new_entries} new article{'s' if s.new_entries != 1 else ''}"
        failed = f", {len(s.failures)} feed{'s' if len(s.failures) != 1 else ''} failed"
        return f"Refreshed {s.checked} feeds: {new}{failed if s.failures else ''}."
    return ""
