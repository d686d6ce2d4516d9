"""Runs the sync engine off the GUI thread and turns its events into Qt signals.

The engine is plain asyncio; it runs on its own thread with its own event loop, and every event
crosses to the GUI thread as a queued Qt signal. Running it on the GUI thread's loop (qasync)
was measured first: httpx's callbacks for hundreds of concurrent fetches, interleaved with the
parse workers, held the GUI thread for 60-90 ms at a time during a 300-feed sync (see
benchmarks/ui.py); on its own thread the longest stall is a few milliseconds. A sync starts with
the window, then every refresh interval; while offline it retries every minute, so it resumes by
itself when the network comes back.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from newsreader.errors import NewsreaderError
from newsreader.paths import DataPaths
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import SyncEvent, SyncFinished, SyncSummary

log = logging.getLogger(__name__)

OFFLINE_RETRY_MS = 60_000
JOIN_SECONDS = 10.0


class SyncController(QObject):
    """Owns the running sync (at most one) and the refresh timer. Lives on the GUI thread."""

    sync_event = Signal(object)  # SyncEvent, queued onto the GUI thread
    failed = Signal(str)  # a sync that could not run at all (busy, store error)
    offline_changed = Signal(bool)
    _finished = Signal(object)  # SyncSummary | None, from the sync thread

    def __init__(
        self, paths: DataPaths, interval_minutes: int, options: SyncOptions | None = None
    ) -> None:
        super().__init__()
        self._paths = paths
        self.options = options or SyncOptions()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[SyncSummary] | None = None
        self.running = False
        self.offline = False
        self.last_summary: SyncSummary | None = None
        self._finished.connect(self._on_finished)
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
        """Starts a sync of the due feeds (or all, or the named ones); False if one runs."""
        if self.running:
            return False
        self.running = True
        options = SyncOptions(
            feeds=feeds,
            all_feeds=all_feeds,
            verify=self.options.verify,
            limits=self.options.limits,
            lock_wait=self.options.lock_wait,
        )
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._main(options),), name="newsreader-sync", daemon=True
        )
        self._thread.start()
        return True

    async def _main(self, options: SyncOptions) -> None:
        """The sync thread: runs one sync and reports how it ended."""
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.ensure_future(
            sync(self._paths, options, subscribers=[self.sync_event.emit])
        )
        summary: SyncSummary | None = None
        try:
            summary = await self._task
        except asyncio.CancelledError:
            summary = SyncSummary(cancelled=True)
            self.sync_event.emit(SyncFinished(summary))
        except NewsreaderError as error:
            log.warning("sync failed: %s", error)
            self.failed.emit(str(error))
        finally:
            self._loop = None
            self._task = None
            self._finished.emit(summary)

    def cancel(self) -> None:
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            loop.call_soon_threadsafe(task.cancel)

    def shutdown(self) -> None:
        """Cancels a running sync and waits for its thread (every feed is written or not)."""
        self.cancel()
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(JOIN_SECONDS)

    async def wait(self) -> SyncSummary | None:
        """Waits (on the GUI loop) until the running sync has finished and been reported."""
        while self.running:
            await asyncio.sleep(0.02)
        return self.last_summary

    def _on_finished(self, summary: SyncSummary | None) -> None:
        self.running = False
        self.last_summary = summary
        if summary is None or summary.cancelled:
            return
        offline = summary.nothing_fetched
        if offline != self.offline:
            self.offline = offline
            self.offline_changed.emit(offline)
        self._timer.start(OFFLINE_RETRY_MS if offline else self._interval_ms)


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
