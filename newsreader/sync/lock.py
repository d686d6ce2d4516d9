"""One sync per store: an advisory lock on `DataPaths.sync_lock` holding the owner's pid and
command line.

The operating system drops the lock when its process dies (even by SIGKILL), so a stale lock
file never blocks the next sync; the pid and command inside only name the owner in the error.

Within one process (the window syncing when the user subscribes), a second sync does not
fail: it asks the running one to finish soon (its follow-up work stops; what it did not reach
stays queued) and waits for it, without a time limit. Between processes it waits `wait`
seconds, then says which program holds the lock.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

from newsreader.errors import SyncBusyError

DEFAULT_WAIT_SECONDS = 3.0
_POLL_SECONDS = 0.05


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)  # every process locks the same first byte
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _owner(path: Path) -> str:
    """ "PROGRAM (pid N)" from the lock file, as its holder wrote it."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "another program (pid unknown)"
    pid, _, program = text.partition(" ")
    if not pid.isdigit():
        return "another program (pid unknown)"
    return f"{program or 'another program'} (pid {pid})"


def _program() -> str:
    """This program as a person would name it: `newsreader sync --all`, `newsreader` (the
    window)."""
    argv = sys.argv or ["python"]
    name = Path(argv[0]).name or "python"
    if name in {"__main__.py", "-c"} or name.startswith("python"):
        name = "newsreader"
    words = [name, *(a for a in argv[1:3] if not a.startswith("/"))]
    return " ".join(words)[:120].replace("\n", " ")


class _Holder:
    """The sync of this process that holds a lock: its task and loop, how to ask it to end
    soon, and when it has."""

    def __init__(self) -> None:
        self.task = asyncio.current_task()
        self.loop = asyncio.get_running_loop()
        self.released = asyncio.Event()
        self.when_wanted: Callable[[], None] | None = None

    def want(self) -> None:
        if self.when_wanted is not None:
            self.when_wanted()


_HELD: dict[Path, _Holder] = {}  # locks held by this process, by resolved path


class SyncLock:
    """Non-blocking attempts at the lock; callers decide how long to wait."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self.holder: _Holder | None = None  # set while held by `sync_lock`

    def when_wanted(self, callback: Callable[[], None]) -> None:
        """Called when another sync of this process waits for this one (e.g. to stop the
        follow-up work early)."""
        if self.holder is not None:
            self.holder.when_wanted = callback

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="ascii")
        try:
            if not _try_lock(handle):
                handle.close()
                return False
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {_program()}")
            handle.flush()
        except BaseException:  # a full disk: no lock, and no file left open
            handle.close()
            raise
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        handle.seek(0)
        handle.truncate()
        handle.flush()
        _unlock(handle)
        handle.close()

    def busy_error(self) -> SyncBusyError:
        return SyncBusyError(f"a sync is already running in {_owner(self.path)}")


@asynccontextmanager
async def sync_lock(path: Path, wait: float = DEFAULT_WAIT_SECONDS) -> AsyncIterator[SyncLock]:
    """Takes the lock without blocking the event loop. A sync of this process holding it is
    asked to finish soon and waited for; another program's, up to `wait` seconds, then
    SyncBusyError naming it. The yielded lock's `when_wanted` may be set to how the holder
    finishes soon when another sync of this process waits."""
    key = path.resolve()
    await _join_this_process(key)
    lock = SyncLock(path)
    deadline = time.monotonic() + wait
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            raise lock.busy_error()
        await asyncio.sleep(_POLL_SECONDS)
        await _join_this_process(key)
    holder = _Holder()
    _HELD[key] = holder
    lock.holder = holder
    try:
        yield lock
    finally:
        del _HELD[key]
        lock.release()
        holder.released.set()


async def _join_this_process(key: Path) -> None:
    """Waits for this process's own sync of the store, if one runs on this loop, after asking
    it to end soon. The same task asking twice is a bug: SyncBusyError."""
    while (holder := _HELD.get(key)) is not None:
        if holder.task is asyncio.current_task():
            raise SyncBusyError("a sync is already running in this task")
        if holder.loop is not asyncio.get_running_loop():
            return  # another thread's loop: the file lock decides, as between programs
        holder.want()
        await holder.released.wait()
