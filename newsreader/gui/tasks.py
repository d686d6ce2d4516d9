"""Network work for the window (syncs, feed discovery, subscribing, remote images) runs as
asyncio tasks on the GUI thread, in one asyncio loop that qasync builds over Qt's event loop.

The loop is made once per QApplication with `already_running=True`: qasync then registers it as
the GUI thread's running loop straight away, so `asyncio.get_running_loop()` works inside every
Qt callback, also in the nested event loops of modal dialogs and menus and in tests that drive
Qt with `qtbot.waitUntil`. The sync engine keeps the loop free: HTTP is async, parsing and
SQLite run in its worker threads, the HTTP client is built in a thread. Task results and the
engine's events therefore arrive on the GUI thread directly, without queued signals.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import qasync
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

T = TypeVar("T")
CLOSE_SECONDS = 10.0


def install_loop(app: QCoreApplication) -> qasync.QEventLoop:
    """Makes the application's asyncio loop: running at once (while Qt runs) on this thread."""
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(_report_exception)
    return loop


def _report_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A bug in a task's callback goes where a bug in any Qt slot goes (`sys.excepthook`:
    printed by the app, a failure under pytest-qt) rather than only into asyncio's log."""
    error = context.get("exception")
    if isinstance(error, Exception):  # not BaseException: CancelledError is no bug
        sys.excepthook(type(error), error, error.__traceback__)
        return
    loop.default_exception_handler(context)


def close_loop(loop: qasync.QEventLoop, timeout: float = CLOSE_SECONDS) -> None:
    """Cancels the tasks still running and lets them unwind (a sync stops between feeds, each
    written or untouched, and closes its store and HTTP client), then closes the loop."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        waiting = QEventLoop()
        gathered = asyncio.gather(*pending, return_exceptions=True)
        gathered.add_done_callback(lambda _done: waiting.quit())
        QTimer.singleShot(int(timeout * 1000), waiting.quit)
        waiting.exec()
    # qasync's stop() would also call QCoreApplication.exit(), after which every QEventLoop.exec()
    # on this thread returns at once (modal dialogs, pytest-qt's waits) until the next app.exec();
    # the loop is only marked stopped, which is what close() requires.
    loop._QEventLoop__is_running = False
    loop.close()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


class TaskSet:
    """The window's running tasks, kept referenced (asyncio holds tasks only weakly).

    `start` runs a coroutine on the GUI thread's loop; `on_done(task)` is called on the GUI
    thread when it ends, unless the set was closed meanwhile. `close` cancels them all."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def start(
        self,
        coroutine: Coroutine[Any, Any, T],
        on_done: Callable[[asyncio.Task[T]], None] | None = None,
    ) -> asyncio.Task[T]:
        """Starts `coroutine` as a task on this thread's loop; `task.cancel()` stops it at its
        next await. The loop need not be running yet (a test may run it afterwards)."""
        if self._closed:
            coroutine.close()
            raise RuntimeError("the window's tasks are closed")
        task = asyncio.get_event_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if on_done is not None:
            callback = on_done
            task.add_done_callback(lambda done: None if self._closed else callback(done))
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    def close(self) -> None:
        """Cancels every running task; the loop lets them unwind (see `close_loop`)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """How a finished task ended: `value`, or `error`, or neither when it was cancelled."""

    value: T | None
    error: BaseException | None


def outcome(task: asyncio.Future[T]) -> Outcome[T]:
    if task.cancelled():
        return Outcome(None, None)
    error = task.exception()
    if error is not None:
        return Outcome(None, error)
    return Outcome(task.result(), None)
