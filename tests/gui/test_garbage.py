"""Qt objects in reference cycles die on the GUI thread, never on a worker (issue: a segfault
at window start in the test suite, `gui/garbage.py` has the cause).

The crash needed this order, forced here in a child process: an asyncio loop (qasync) is
closed with a Qt timer still pending, the loop's timer object is then only held by a reference
cycle, and CPython's collector runs in a worker thread because that thread allocated past the
threshold (as the window's store worker does while it opens its connection). The child
reports on which thread the timer object was destroyed and what Qt said."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import sys, threading
    from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication
    from newsreader.gui.garbage import collect_on_gui_thread
    from newsreader.gui.tasks import close_loop, install_loop

    said = []
    qInstallMessageHandler(lambda _kind, _context, message: said.append(message))
    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    if sys.argv[1] == "guarded":
        collect_on_gui_thread(app)

    destroyed_on = []
    loop = install_loop(app)
    loop._timer.destroyed.connect(lambda: destroyed_on.append(threading.current_thread().name))
    loop.call_later(0.05, lambda: None)  # still pending when the loop closes
    close_loop(loop)
    del loop  # now only its own reference cycle holds the loop and its timer object

    def allocate():  # a worker allocating past the threshold, as Store.open does
        junk = []
        for _ in range(100_000):
            junk.append([None])
            junk[-1].append(junk[-1])  # a small cycle each: work for the collector

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    wait = QEventLoop()
    QTimer.singleShot(1200, wait.quit)  # the pending timer fires; the collector's check runs
    wait.exec()
    print("destroyed on:", ",".join(destroyed_on) or "-")
    print("qt said:", " | ".join(said) or "-")
    """
)


def run_child(mode: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        cwd=folder,  # a core file, if the machine writes them, lands here
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_with_the_collector_cycles_die_on_the_gui_thread(tmp_path: Path) -> None:
    done = run_child("guarded", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "destroyed on: MainThread" in done.stdout, done.stdout + done.stderr
    assert "another thread" not in done.stdout + done.stderr


def test_without_it_the_worker_destroys_the_timer_object(tmp_path: Path) -> None:
    """The control: the same order without the collector is the crash (or, when the freed
    memory happens to survive, Qt's warning that precedes it)."""
    done = run_child("unguarded", tmp_path)
    output = done.stdout + done.stderr
    crashed = done.returncode < 0 or "Segmentation fault" in output
    assert crashed or "destroyed on: worker" in output, output
    assert crashed or "Timers cannot be stopped from another thread" in output, output
