"""The window's event loop for benchmarks: a qasync loop on a Qt application (offscreen unless
told otherwise), as `newsreader.gui.app` runs the sync, and how late a precise 5 ms QTimer's
ticks come on it, split by phase (what a user feels as a frozen window).

    lateness = Lateness(("feeds", "follow-up"))
    result = run_on_window_loop(lambda: work(lateness))   # work calls lateness.start()/stop()
    lateness.report()                                     # lines to print

Shared by `sync.py` and `fulltext_sync.py`; Qt is imported only when a function here runs.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

TICK_MS = 5
T = TypeVar("T")


class Lateness:
    """Lateness of a precise 5 ms QTimer's ticks, in ms, split by phase (set `phase` as the
    work moves on). For the three latest ticks of each phase it keeps what the gap was spent
    on: the loop's own thread, this process's other threads (holding the GIL), or neither
    (the machine did not run the process: other programs' load); `busiest` is the most CPU
    the process used within one gap, the stall it causes itself whatever the load."""

    def __init__(self, phases: Sequence[str] = ("feeds", "follow-up")) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.phase = phases[0]
        self.samples: dict[str, list[float]] = {phase: [] for phase in phases}
        self.worst: dict[str, list[tuple[float, float, float]]] = {phase: [] for phase in phases}
        self.busiest: dict[str, float] = dict.fromkeys(phases, 0.0)
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0
        self._thread = self._process = 0.0

    def start(self) -> None:
        self._clock.start()
        self._last = 0
        self._thread, self._process = time.thread_time(), time.process_time()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = self._clock.elapsed()
        thread, process = time.thread_time(), time.process_time()
        late = max(0, now - self._last - TICK_MS)
        self.samples[self.phase].append(late)
        loop_ms = (thread - self._thread) * 1000
        others_ms = (process - self._process) * 1000 - loop_ms
        worst = sorted([*self.worst[self.phase], (late, loop_ms, others_ms)], reverse=True)
        self.worst[self.phase] = worst[:3]
        self.busiest[self.phase] = max(self.busiest[self.phase], loop_ms + others_ms)
        self._last, self._thread, self._process = now, thread, process

    def report(self, target_ms: float = 50) -> list[str]:
        """Lines to print: per phase the worst and 99th-percentile lateness, the most CPU
        this process used within one gap, and what the three latest gaps were spent on."""
        lines = []
        for phase, samples in self.samples.items():
            lines.append(
                f"GUI loop lateness during the {phase}: worst {max(samples, default=0):.0f} ms, "
                f"p99 {percentile(samples, 0.99):.0f} ms over {len(samples)} ticks "
                f"(target <= {target_ms:g} ms)"
            )
            lines.append(
                f"  most CPU this process used within one gap: {self.busiest[phase]:.0f} ms "
                "(the stall it caused itself, whatever the machine's load)"
            )
            lines.extend(
                f"  late {late:.0f} ms: the loop's thread ran {loop_ms:.0f} ms, other "
                f"threads of this process {others_ms:.0f} ms (the rest: not scheduled)"
                for late, loop_ms, others_ms in self.worst[phase]
            )
        return lines


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_on_window_loop(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs `work()` to its end on a qasync loop over a QApplication (offscreen by default),
    as the window runs a sync; returns its result."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result: T = loop.run_until_complete(work())
    return result
