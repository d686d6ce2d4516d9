"""Where feeds are parsed during a sync: a worker process when one is up, else a thread.

Parsing and sanitising hold the GIL; in a thread they compete with the event loop and the
store writer for it. A worker process parses beside them, and the event loop only unpickles
the result. The process is started once per program run, in the background (a sync's feeds
wait for it while it starts: `engine._Run._parse_process`), warmed by importing the parser, and
kept for later syncs. It is spawned, never forked: the window process has Qt threads. Should
it fail to start, or die while parsing, the thread parses and the next sync starts a new one.

Each parse in the process has a time budget (`PARSE_BUDGET`, `parse_in_process`): parses go
to the process one at a time, and one that runs past its budget has the process stopped; the
feed fails with a ParseError for this sync and the next parse starts a new process. (The
thread, used when the process cannot start, cannot be stopped; the parser's own limits keep its
time linear in the size of the feed.)

The worker ends with the program that started it, however that ends (even SIGKILL): a thread
in the worker waits on the parent's sentinel. Scripts that call `sync` must guard their top
level with `if __name__ == "__main__":`, as with any spawned process (or pass
`SyncOptions(parse_processes=False)`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from newsreader.errors import ParseError
from newsreader.paths import DataPaths
from newsreader.store import Store

log = logging.getLogger(__name__)

START_TIMEOUT = 30.0  # seconds for the worker to import the parser and answer
PARSE_BUDGET = 30.0
"""Seconds one feed's parse may take in the parse process (the slowest real feeds take well
under one)."""
MIN_FEEDS = 20
"""Syncs of fewer feeds parse in the thread and start no process: a few feeds parse in
milliseconds, while a process costs ~75 ms to start and ~30 MB."""


def _warm() -> None:
    """The worker's initializer: the feed parser's imports (lxml, nh3, ~0.1 s) before the
    first feed; the article extractor's (trafilatura, ~0.3 s more) in a thread of the worker,
    so that the worker takes feeds that much sooner (a sync's feeds wait for it). A page
    sent before that import ends waits for it.
    Also the watch that ends the worker when its parent is gone."""
    import newsreader.parse.feed  # noqa: F401

    threading.Thread(target=_import_extractor, name="newsreader-warm-extract", daemon=True).start()
    threading.Thread(target=_exit_with_parent, name="newsreader-parent-watch", daemon=True).start()


def _import_extractor() -> None:
    import newsreader.parse.extract  # noqa: F401


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    parent.join()  # returns when the parent's sentinel closes: the parent process ended
    os._exit(0)


def _ping() -> bool:
    return True


class _Processes:
    """The program's parse process: started at most once at a time, replaced when broken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._settled = threading.Event()  # no start in progress
        self._settled.set()

    def ready(self) -> Executor | None:
        """The warmed process pool, or None while it starts (or could not start)."""
        return self._pool

    def start_in_background(self) -> None:
        """Starts (and warms) the process in a daemon thread unless it runs or is starting;
        returns at once."""
        with self._lock:
            if self._pool is not None or self.starting():
                return
            self._settled.clear()
        threading.Thread(target=self._start, name="newsreader-parse-start", daemon=True).start()

    def starting(self) -> bool:
        return not self._settled.is_set()

    def wait_settled(self, timeout: float = START_TIMEOUT) -> None:
        """Blocks until no start is in progress. A sync calls it (in a thread) before it
        returns, so a program never exits halfway through starting the process."""
        self._settled.wait(timeout)

    def _start(self) -> None:
        pool = None
        try:
            context = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_warm)
            pool.submit(_ping).result(timeout=START_TIMEOUT)
        except Exception:  # any failure leaves parsing in the thread, as before
            log.warning("the parse process could not start; parsing in a thread", exc_info=True)
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        with self._lock:
            self._pool = pool
            self._settled.set()

    def stop(self, pool: ProcessPoolExecutor) -> None:
        """Ends the process at once (a parse ran past its budget); the next sync starts
        another."""
        for process in list(pool._processes.values()):
            process.kill()
        self.broken(pool)

    def broken(self, pool: Executor) -> None:
        """The process died (BrokenProcessPool): forget it; the next sync starts another."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


processes = _Processes()


async def started_process() -> Executor | None:
    """The parse process, started (and waited for, in a thread) when it is not up; None when
    it cannot start. Callers that may be many (one per article page) wait behind one lock so
    that one thread waits, not one per caller."""
    pool = processes.ready()
    if pool is None:
        processes.start_in_background()
        await asyncio.to_thread(processes.wait_settled)
        pool = processes.ready()
    return pool


_stores: dict[DataPaths, Store] = {}
"""The parse process's connection to the store it works for (one: a program has one)."""


def store_here(paths: DataPaths) -> Store:
    """The store at `paths` on this process's own connection, opened on the first call (without
    the integrity check: the program that sent the work opened the store with it) and kept for
    the next jobs. Work in the parse process that fails calls `forget_store`."""
    store = _stores.get(paths)
    if store is None:
        for old in _stores.values():
            old.close()
        _stores.clear()
        store = _stores[paths] = Store.open(paths, check=False)
    return store


def forget_store(paths: DataPaths) -> None:
    """Closes this process's connection to the store at `paths` (after a failure: the next
    job opens a fresh one)."""
    store = _stores.pop(paths, None)
    if store is not None:
        store.close()


T = TypeVar("T")


async def parse_in_process(
    pool: Executor, turn: asyncio.Lock, parse: Callable[[], T], budget: float = PARSE_BUDGET
) -> T:
    """`parse()` run in the parse process `pool` when `turn` (one lock per sync) is free, so
    the budget counts its own time, not the wait behind other feeds. Raises ParseError when it
    takes more than `budget` seconds (the process is stopped), BrokenProcessPool when the
    process died."""
    async with turn:
        future = asyncio.get_running_loop().run_in_executor(pool, parse)
        try:
            return await asyncio.wait_for(future, budget)
        except TimeoutError:
            if isinstance(pool, ProcessPoolExecutor):
                processes.stop(pool)
            raise ParseError(
                f"parsing took longer than {budget:g} s and was stopped; the feed is tried "
                "again at the next sync"
            ) from None


@dataclass(frozen=True, slots=True)
class Ran(Generic[T]):
    """What a job returned in the parse process (which may itself be None)."""

    value: T


async def run_in_process(
    pool: Executor,
    turn: asyncio.Lock,
    job: Callable[[], T],
    *,
    work: str,
    budget: float = PARSE_BUDGET,
) -> Ran[T] | None:
    """`parse_in_process`, or None when the process died (killed, out of memory): it is
    forgotten (the next sync starts another) and the caller does the `work` (named in the
    log: "parsing https://…") in its own process. The job's own errors, and ParseError past
    the budget, are raised as `parse_in_process` raises them."""
    try:
        return Ran(await parse_in_process(pool, turn, job, budget))
    except BrokenProcessPool:
        log.warning("the parse process died %s; done in this process instead", work)
        processes.broken(pool)
        return None


__all__ = [
    "MIN_FEEDS",
    "PARSE_BUDGET",
    "START_TIMEOUT",
    "Ran",
    "forget_store",
    "parse_in_process",
    "processes",
    "run_in_process",
    "started_process",
    "store_here",
]
