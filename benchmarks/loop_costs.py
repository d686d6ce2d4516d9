"""Where the window's loop time goes in a benchmark: each loop callback's CPU time with what
it ran, the loop thread's stack sampled while a callback runs long, cyclic garbage
collections, and which threads used the CPU in the busiest gap.

    lateness = ThreadLateness(("feeds", "follow-up"))   # a gui_loop.Lateness, per thread too
    costs = CallbackCosts(lateness)
    costs.install()          # before the loop runs the work
    ...
    costs.stop()
    print("\n".join([*lateness.report(), *lateness.thread_report(), *costs.report()]))

Used by `fulltext_sync.py --attribute` (issue 11: the feed stage's loop stall).
"""

from __future__ import annotations

import asyncio
import collections
import sys
import time
from pathlib import Path

from benchmarks.gui_loop import Lateness


class ThreadLateness(Lateness):
    """`Lateness` that also names the threads that used the CPU in each phase's busiest gap
    (CPU time per Python thread, from its POSIX CPU clock)."""

    def __init__(self, phases: tuple[str, ...] = ("feeds", "follow-up")) -> None:
        super().__init__(phases)
        self.busiest_threads: dict[str, list[tuple[str, float]]] = {p: [] for p in phases}
        self._threads: dict[str, float] = {}

    def _tick(self) -> None:
        before = self.busiest[self.phase]
        phase = self.phase
        super()._tick()
        if self.busiest[phase] > before:
            self.busiest_threads[phase] = self._thread_costs()
        self._threads = _thread_times()

    def _thread_costs(self) -> list[tuple[str, float]]:
        """Which threads used the CPU in the gap that just ended (ms, most first)."""
        now = _thread_times()
        spent = [(name, (t - self._threads.get(name, 0.0)) * 1000) for name, t in now.items()]
        return sorted([item for item in spent if item[1] >= 1], key=lambda item: -item[1])[:4]

    def thread_report(self) -> list[str]:
        return [
            f"busiest gap during the {phase}, by thread: "
            + ", ".join(f"{name} {ms:.0f} ms" for name, ms in threads)
            for phase, threads in self.busiest_threads.items()
            if threads
        ]


def _thread_times() -> dict[str, float]:
    """CPU seconds so far of each of this process's Python threads, by name."""
    import threading

    times: dict[str, float] = {}
    for each in threading.enumerate():
        if each.ident is None:
            continue
        try:
            clock = time.pthread_getcpuclockid(each.ident)
            times[each.name] = times.get(each.name, 0.0) + time.clock_gettime(clock)
        except (OSError, ProcessLookupError):  # the thread just ended
            continue
    return times


class CallbackCosts:
    """What each callback the loop runs costs on its thread (asyncio's `Handle._run`, which
    qasync calls too): the longest ones per phase with what ran (a task's coroutine chain,
    or the callback), and, for those running past `SAMPLE_AFTER_MS`, the loop thread's stack
    sampled every `SAMPLE_EVERY_MS` by a watchdog thread (where the time went)."""

    SAMPLE_AFTER_MS = 20.0
    SAMPLE_EVERY_MS = 5.0
    KEEP = 4

    def __init__(self, lateness: Lateness) -> None:
        import threading

        self._lateness = lateness
        self.longest: dict[str, list[tuple[float, str, list[str]]]] = {
            phase: [] for phase in lateness.samples
        }
        self._running: tuple[float, str] | None = None  # (perf_counter start, what)
        self._gc_started = 0.0
        # (phase, generation, on the loop's thread) -> (count, total ms, longest ms)
        self.collections: dict[tuple[str, int, bool], tuple[int, float, float]] = {}
        self._samples: list[str] = []
        self._loop_thread = threading.get_ident()
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True)

    def install(self) -> None:
        import asyncio.events
        import gc

        gc.callbacks.append(self._collection)

        original = asyncio.events.Handle._run
        costs = self

        def timed(handle: asyncio.events.Handle) -> None:
            what = describe(handle)
            costs._samples = []
            costs._running = (time.perf_counter(), what)
            started = time.thread_time()
            try:
                original(handle)
            finally:
                spent = (time.thread_time() - started) * 1000
                costs._running = None
                costs._record(spent, what, costs._samples)

        asyncio.events.Handle._run = timed  # type: ignore[method-assign,assignment]
        self._watchdog.start()

    def stop(self) -> None:
        import gc

        self._stop.set()
        gc.callbacks.remove(self._collection)

    def _collection(self, stage: str, info: dict[str, int]) -> None:
        """Times CPython's cyclic collections (a full one scans every object: in C, holding
        the GIL, wherever the allocation that triggered it happened)."""
        import threading

        if stage == "start":
            self._gc_started = time.thread_time()
            return
        spent = (time.thread_time() - self._gc_started) * 1000
        on_loop = threading.get_ident() == self._loop_thread
        phase = self._lateness.phase
        key = (phase, info["generation"], on_loop)
        count, total, worst = self.collections.get(key, (0, 0.0, 0.0))
        self.collections[key] = (count + 1, total + spent, max(worst, spent))

    def _record(self, spent: float, what: str, samples: list[str]) -> None:
        kept = self.longest[self._lateness.phase]
        if len(kept) < self.KEEP or spent > kept[-1][0]:
            kept.append((spent, what, samples))
            kept.sort(key=lambda item: -item[0])
            del kept[self.KEEP :]

    def _watch(self) -> None:
        import traceback

        while not self._stop.wait(self.SAMPLE_EVERY_MS / 1000):
            running = self._running
            if running is None:
                continue
            if (time.perf_counter() - running[0]) * 1000 < self.SAMPLE_AFTER_MS:
                continue
            frame = sys._current_frames().get(self._loop_thread)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)[-6:]
            self._samples.append(
                " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack))
            )

    def report(self) -> list[str]:
        lines = []
        for phase, longest in self.longest.items():
            lines.append(
                f"longest loop callbacks during the {phase} (CPU ms on the loop's thread):"
            )
            for spent, what, stacks in longest:
                lines.append(f"  {spent:.0f} ms: {what}")
                lines.extend(
                    f"      {count} x {stack}"
                    for stack, count in collections.Counter(stacks).most_common(3)
                )
        lines.append("cyclic garbage collections (CPU ms):")
        for (phase, generation, on_loop), (count, total, worst) in sorted(self.collections.items()):
            where = "the loop's thread" if on_loop else "other threads"
            lines.append(
                f"  {phase}, generation {generation}, on {where}: {count} x, "
                f"{total:.0f} ms in all, longest {worst:.0f} ms"
            )
        return lines


def describe(handle: object) -> str:
    """What a loop callback runs: a task's coroutine chain (outermost first, each where it
    is suspended), or the callback's name."""
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        parts: list[str] = []
        coro: object = owner.get_coro()
        while coro is not None and len(parts) < 8:
            frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
            code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
            name = getattr(code, "co_qualname", "?")
            parts.append(f"{name}:{frame.f_lineno}" if frame is not None else name)
            coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
        return "task " + " > ".join(parts)
    return f"callback {getattr(callback, '__qualname__', repr(callback))[:120]}"
