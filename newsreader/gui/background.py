"""Store work too slow for the GUI thread runs on one worker thread with its own `Store`
(sqlite3 connections belong to their thread; WAL lets it read while others write): full id
lists of large views, related articles, and bulk writes such as marking 100,000 articles read.
One thread keeps the jobs in order (a mark-read and its undo never swap). Results come back to
the GUI thread as a queued signal.
"""

from __future__ import annotations

import logging
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
    _finished = Signal(object, object)  # callback, future; queued onto the GUI thread

    def __init__(self, paths: DataPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsreader-store")
        self._store: Store | None = None  # opened and used on the worker thread only
        self._closed = False
        self._finished.connect(self._deliver)

    def submit(self, work: Callable[[Store], T], on_done: Callable[[T], None]) -> None:
        """Runs `work(store)` on the worker; `on_done(result)` later on the GUI thread."""
        if self._closed:
            return
        future = self._pool.submit(self._run, work)
        future.add_done_callback(lambda done: self._finished.emit(on_done, done))

    def _run(self, work: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = Store.open(self._paths)
        return work(self._store)

    def _deliver(self, on_done: Callable[[Any], None], future: Future[Any]) -> None:
        if self._closed or future.cancelled():
            return
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

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
