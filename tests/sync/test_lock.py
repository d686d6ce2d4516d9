"""One sync per store: the lock file, within a process and across processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.errors import SyncBusyError
from newsreader.sync.lock import SyncLock, sync_lock


def test_second_holder_is_refused_and_named(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    first = SyncLock(path)
    assert first.try_acquire()
    try:
        second = SyncLock(path)
        assert not second.try_acquire()
        message = str(second.busy_error())
        assert message.startswith("a sync is already running in ")
        assert message.endswith(f"(pid {os.getpid()})")
    finally:
        first.release()
    third = SyncLock(path)
    assert third.try_acquire()
    third.release()


def test_async_lock_waits_briefly_then_raises(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"

    async def contend() -> None:
        async with sync_lock(path, wait=0.2), sync_lock(path, wait=0.2):
            pytest.fail("two syncs held the lock")

    with pytest.raises(SyncBusyError, match=r"already running in this task"):
        asyncio.run(contend())


def test_async_lock_is_taken_once_the_holder_leaves(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    order: list[str] = []

    async def both() -> None:
        held, release = asyncio.Event(), asyncio.Event()

        async def holder() -> None:
            async with sync_lock(path):
                order.append("first in")
                held.set()
                await release.wait()
                order.append("first out")

        async def waiter() -> None:
            await held.wait()
            async with sync_lock(path, wait=10):
                order.append("second in")

        first, second = asyncio.create_task(holder()), asyncio.create_task(waiter())
        await held.wait()
        for _ in range(20):  # let the waiter try, and find the lock taken
            await asyncio.sleep(0)
        assert not second.done()
        release.set()
        await asyncio.gather(first, second)

    asyncio.run(both())
    assert order == ["first in", "first out", "second in"]


def test_lock_of_a_killed_process_is_not_stale(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from newsreader.sync.lock import SyncLock\n"
        f"lock = SyncLock(Path({str(path)!r}))\n"
        "assert lock.try_acquire()\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        other = SyncLock(path)
        assert not other.try_acquire()
        assert f"(pid {child.pid})" in str(other.busy_error())
        assert "running in newsreader" in str(other.busy_error())  # `python -c`
    finally:
        child.kill()
        child.wait()
        assert child.stdout is not None
        child.stdout.close()
    after = SyncLock(path)
    assert after.try_acquire()
    after.release()
