"""Network work for the window (syncs, feed discovery, subscribing, remote images) runs on one
background thread with its own asyncio loop; results come back to the GUI thread as queued Qt
signals, so no HTTP callback ever runs on the GUI thread.

Why not the GUI thread's loop through qasync: measured with benchmarks/ui.py, a 300-feed sync on
it stalled the window for 60-90 ms at a time, and httpx failed with "no running event loop"
whenever Qt ran a queued callback outside the asyncio loop (nested event loops of modal dialogs
and menus, tests driving the Qt loop directly).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

T = TypeVar("T")
CLOSE_SECONDS = 10.0


class AsyncWorker(QObject):
    """Runs coroutines on the network thread; `on_done(future)` is called on the GUI thread."""

    _finished = Signal(object, object)  # callback, concurrent Future

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="newsreader-network", daemon=True
        )
        self._thread.start()
        self._closed = False
        self._finished.connect(self._deliver)

    def run(
        self,
        coroutine: Coroutine[Any, Any, T],
        on_done: Callable[[Future[T]], None] | None = None,
    ) -> Future[T]:
        """Starts `coroutine` on the network loop. `future.cancel()` cancels it there."""
        if self._closed:
            coroutine.close()
            raise RuntimeError("the network worker is closed")
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        if on_done is not None:
            callback = on_done
            future.add_done_callback(lambda done: self._finished.emit(callback, done))
        return future

    def _deliver(self, on_done: Callable[[Future[Any]], None], future: Future[Any]) -> None:
        if not self._closed:
            on_done(future)

    def close(self) -> None:
        """Cancels what still runs (a sync stops between feeds, each written or untouched),
        waits for it to unwind, then stops the thread."""
        if self._closed:
            return
        self._closed = True
        asyncio.run_coroutine_threadsafe(self._cancel_all(), self._loop).result(CLOSE_SECONDS)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CLOSE_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()

    async def _cancel_all(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """How a finished future ended: `value`, or `error`, or neither when it was cancelled."""

    value: T | None
    error: BaseException | None


def outcome(future: Future[T]) -> Outcome[T]:
    if future.cancelled():
        return Outcome(None, None)
    error = future.exception()
    if error is not None:
        return Outcome(None, error)
    return Outcome(future.result(), None)
