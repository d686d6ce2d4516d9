"""One sync per store: an advisory lock on `DataPaths.sync_lock` holding the owner's pid.

The operating system drops the lock when its process dies (even by SIGKILL), so a stale lock
file never blocks the next sync; the pid inside is only there to name the owner in the error.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
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
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"


class SyncLock:
    """Non-blocking attempts at the lock; callers decide how long to wait."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="ascii")
        if not _try_lock(handle):
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
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
        return SyncBusyError(f"a sync is already running (pid {_owner(self.path)})")


@asynccontextmanager
async def sync_lock(path: Path, wait: float = DEFAULT_WAIT_SECONDS) -> AsyncIterator[SyncLock]:
    """Waits (without blocking the event loop) up to `wait` seconds, then SyncBusyError."""
    lock = SyncLock(path)
    deadline = time.monotonic() + wait
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            raise lock.busy_error()
        await asyncio.sleep(_POLL_SECONDS)
    try:
        yield lock
    finally:
        lock.release()
