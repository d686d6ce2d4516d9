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
    # The second sync of this process asks the holder to finish (its `when_wanted` callback,
    # what the engine uses to stop its follow-up work) and waits without a time limit: the
    # holder leaves only once asked, so the order is fixed by events, not by timing.
    path = tmp_path / "sync.lock"
    order: list[str] = []

    async def both() -> None:
        held, wanted = asyncio.Event(), asyncio.Event()

        async def holder() -> None:
            async with sync_lock(path) as lock:
                lock.when_wanted(wanted.set)
                order.append("first in")
                held.set()
                await wanted.wait()
                order.append("first out")

        async def waiter() -> None:
            await held.wait()
            async with sync_lock(path, wait=0):  # another program's lock: refused at once
                order.append("second in")

        first, second = asyncio.create_task(holder()), asyncio.create_task(waiter())
        asked = asyncio.create_task(wanted.wait())
        async with asyncio.timeout(60):  # only so that a broken lock fails, not hangs
            done, _ = await asyncio.wait({asked, second}, return_when=asyncio.FIRST_COMPLETED)
            assert asked in done, "the second sync did not ask the first to finish"
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
