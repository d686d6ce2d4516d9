"""Store work too slow for the GUI thread runs on one worker thread with its own `Store`
(sqlite3 connections belong to their thread; WAL lets it read while others write): full id
lists of large views, related articles, and bulk writes such as marking 100,000 articles read.
One thread keeps the jobs in order (a mark-read and its undo never swap). Results come back to
the GUI thread as a queued signal.

The worker never holds the last reference to a job's callables: they often capture widgets, and
a Qt object freed on the worker thread crashes the process ("Timers cannot be stopped from
another thread"). Jobs are kept in a table owned by the GUI thread, the worker gets only the job
number, and the table lets go of them on the GUI thread once the result is delivered.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from newsreader.errors import NewsreaderError
from newsreader.paths import DataPaths
from newsreader.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)


class BackgroundStore(QObject):
    _finished = Signal(int, object)  # job number, future; queued onto the GUI thread

    def __init__(self, paths: DataPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsreader-store")
        self._store: Store | None = None  # opened and used on the worker thread only
        self._closed = False
        self._numbers = itertools.count()
        # job number -> (work, on_done); written and emptied on the GUI thread only
        self._jobs: dict[int, tuple[Callable[[Store], Any], Callable[[Any], None]]] = {}
        self._busy = 0.0  # seconds the worker spent on jobs; written by the worker only
        self._finished.connect(self._deliver)

    @property
    def busy_seconds(self) -> float:
        """Seconds the worker has spent on jobs so far (wall time, jobs that ended)."""
        return self._busy

    def submit(self, work: Callable[[Store], T], on_done: Callable[[T], None]) -> None:
        """Runs `work(store)` on the worker; `on_done(result)` later on the GUI thread."""
        if self._closed:
            return
        job = next(self._numbers)
        self._jobs[job] = (work, on_done)
        future = self._pool.submit(self._run, job)
        future.add_done_callback(lambda done: self._finished.emit(job, done))

    def _run(self, job: int) -> Any:
        if self._store is None:  # the GUI thread's Store checked the file as the window opened
            self._store = Store.open(self._paths, check=False)
        work = self._jobs[job][0]
        started = time.perf_counter()
        try:
            return work(self._store)
        except Exception as error:
            # The traceback's frames would hold the job's captures inside the future, which
            # the worker may release last: keep the text, drop the frames.
            error.add_note("".join(traceback.format_tb(error.__traceback__)))
            raise error.with_traceback(None) from None
        finally:
            del work
            self._busy += time.perf_counter() - started

    def _deliver(self, job: int, future: Future[Any]) -> None:
        callbacks = self._jobs.pop(job, None)
        if callbacks is None or self._closed or future.cancelled():
            return
        on_done = callbacks[1]
        try:
            result = future.result()
        except NewsreaderError as error:  # e.g. the entry was deleted meanwhile
            log.warning("background store work failed: %s", error)
            return
        on_done(result)

    def close(self) -> None:
        """Finishes the queued work (writes must land), closes the worker's store, stops."""
        if self._closed:
            return
        self._closed = True
        self._pool.submit(self._close_store)
        self._pool.shutdown(wait=True)
        self._jobs.clear()  # results still queued are not delivered; let go here

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
