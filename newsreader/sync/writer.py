"""The sync's single store writer: one thread owning one `Store`.

sqlite3 connections belong to the thread that opened them, and the event loop must never wait
on SQLite, so every store call of a sync is a function handed to this thread. Calls run one at
a time in the order they were made; each store write is one transaction, so a cancelled or
killed sync leaves every feed either fully written or untouched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from newsreader.paths import DataPaths
from newsreader.store import Store

T = TypeVar("T")


class StoreWriter:
    def __init__(self, paths: DataPaths) -> None:
        self._paths = paths
        self._store: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsreader-store")

    @property
    def paths(self) -> DataPaths:
        """The data folder of the store this writer writes."""
        return self._paths

    async def call(self, work: Callable[[Store], T]) -> T:
        """Runs `work(store)` on the writer thread. If the caller is cancelled, a call already
        running still finishes (and commits or rolls back) on its own."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, work)

    def _run(self, work: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = Store.open(self._paths)
        return work(self._store)

    async def close(self) -> None:
        """Waits for queued calls, closes the store on its own thread, ends the thread."""
        loop = asyncio.get_running_loop()
        try:
            await asyncio.shield(loop.run_in_executor(self._executor, self._close_store))
        finally:
            self._executor.shutdown(wait=False)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
