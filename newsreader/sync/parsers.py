"""Where feeds are parsed during a sync: a worker process when one is up, else a thread.

Parsing and sanitising are pure Python and C work that hold the GIL; in a thread they compete
with the event loop and the store writer for it. A worker process parses beside them, and the
event loop only unpickles the result. The process is started once per program run (in the
background: the first sync parses in its thread until the process answers), warmed by
importing the parser, and kept for later syncs. It is started with "forkserver" (or "spawn"),
never a plain fork: the window process has Qt threads. Should it fail to start, or die while
parsing, the thread parses and the process is started afresh on the next sync.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

log = logging.getLogger(__name__)

START_TIMEOUT = 30.0  # seconds for the worker to import the parser and answer


def _warm() -> None:
    """The worker's initializer: the parser's imports (lxml, nh3) before the first feed."""
    import newsreader.parse  # noqa: F401


def _ping() -> bool:
    return True


class _Processes:
    """The program's parse process: started at most once at a time, replaced when broken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._starting = False

    def ready(self) -> Executor | None:
        """The warmed process pool, or None while it starts (or could not start)."""
        return self._pool

    def start_in_background(self) -> None:
        """Starts (and warms) the process in a daemon thread unless it runs or is starting;
        returns at once."""
        with self._lock:
            if self._pool is not None or self._starting:
                return
            self._starting = True
        threading.Thread(target=self._start, name="newsreader-parse-start", daemon=True).start()

    def _start(self) -> None:
        pool = None
        try:
            pool = ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_warm)
            pool.submit(_ping).result(timeout=START_TIMEOUT)
        except Exception:  # any failure leaves parsing in the thread, as before
            log.warning("the parse process could not start; parsing in a thread", exc_info=True)
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        with self._lock:
            self._pool = pool
            self._starting = False

    def broken(self, pool: Executor) -> None:
        """The process died (BrokenProcessPool): forget it; the next sync starts another."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


processes = _Processes()

__all__ = ["BrokenProcessPool", "processes"]
