"""The sync's single store writer: one thread owning one `Store`.

sqlite3 connections belong to the thread that opened them, and the event loop must never wait
on SQLite, so every store call of a sync is a function handed to this thread. Calls run one at
a time in the order they were made; each store write is one transaction, so a cancelled or
killed sync leaves every feed either fully written or untouched.

Feed writes (`write_feed`) that wait for the thread at the same moment are written in one
transaction, up to `GROUP` of them: a commit rewrites every page the transaction touched (the
entries' indexes, the full-text segments, the follow-up queue), so 300 feeds committed one by
one wrote ~200 MB to the write-ahead log for a 12 MB store, and their commits were a fifth of
the writer's CPU. Each feed is still wholly written or not at all; a feed is reported only
once its group committed. Should one feed's write fail, the group is rolled back and its feeds
are written again one by one, each in its own transaction, so that one feed's failure (a feed
deleted meanwhile, a bug) costs no other feed its write.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from newsreader.paths import DataPaths
from newsreader.store import Store

T = TypeVar("T")

GROUP = 16
"""Feed writes at most in one transaction (~50 ms of the writer on the sync benchmark's
30-entry feeds: other connections' writes wait for the write lock at most that long)."""


@dataclass(slots=True)
class _FeedWrite:
    work: Callable[[Store], Any]
    future: asyncio.Future[Any]


class StoreWriter:
    def __init__(self, paths: DataPaths) -> None:
        self._paths = paths
        self._store: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsreader-store")
        self._lock = threading.Lock()
        self._waiting: list[_FeedWrite] = []  # feed writes not yet taken by the thread

    @property
    def paths(self) -> DataPaths:
        """The data folder of the store this writer writes."""
        return self._paths

    async def call(self, work: Callable[[Store], T]) -> T:
        """Runs `work(store)` on the writer thread. If the caller is cancelled, a call already
        running still finishes (and commits or rolls back) on its own."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, work)

    async def write_feed(self, work: Callable[[Store], T]) -> T:
        """Runs one feed's write, `work(store)` (a store write: one transaction of its own when
        run alone), on the writer thread, in one transaction with the other feed writes
        waiting then (see the module); returns once that transaction committed. Like `call`,
        a cancelled caller's write still happens."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:
            self._waiting.append(_FeedWrite(work, future))
            first = len(self._waiting) == 1
        if first:  # the thread takes it, and those that join it meanwhile, in its turn
            try:
                self._executor.submit(self._write_waiting, loop)
            except RuntimeError:  # closed
                with self._lock:
                    self._waiting.clear()
                raise
        return await future

    def _write_waiting(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            with self._lock:
                group, self._waiting = self._waiting[:GROUP], self._waiting[GROUP:]
            if not group:
                return
            outcomes = self._write_group(group)
            for write, (value, error) in zip(group, outcomes, strict=True):
                with suppress(RuntimeError):  # a closed loop: nobody waits for the outcome
                    loop.call_soon_threadsafe(_settle, write.future, value, error)

    def _write_group(self, group: list[_FeedWrite]) -> list[tuple[Any, BaseException | None]]:
        """Each write's (value, error): together in one transaction, else one by one."""
        if self._store is None:
            try:
                self._store = Store.open(self._paths)
            except Exception as error:
                return [(None, error)] * len(group)
        store = self._store
        if len(group) > 1:
            try:
                with store.write_together():
                    values = [write.work(store) for write in group]
            except Exception:  # written again one by one: each gets its own outcome
                pass
            else:
                return [(value, None) for value in values]
        outcomes: list[tuple[Any, BaseException | None]] = []
        for write in group:
            try:
                outcomes.append((write.work(store), None))
            except Exception as error:
                outcomes.append((None, error))
        return outcomes

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


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
