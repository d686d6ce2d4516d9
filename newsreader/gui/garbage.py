"""Python's cyclic garbage is collected on the GUI thread only.

CPython runs its cyclic garbage collector in whichever thread happens to allocate past the
threshold. In this app that is often a worker (the background store opening its connection,
the sync writer, an export). A Qt object held only by a reference cycle is then destroyed on
that worker, and Qt's per-thread bookkeeping breaks: `QObject::~QObject: Timers cannot be
stopped from another thread`, after which the GUI thread's event dispatcher delivers a timer
event to freed memory and the process dies with a segmentation fault in Qt's event processing.
qasync's timer object is such a cycle (loop -> timer -> pending handles -> loop), and closing
a loop leaves its Qt timers registered.

So automatic collection is switched off and a timer on the GUI thread runs the same
generational collections CPython would have run, when its counters say they are due. This is
the remedy calibre (`calibre.gui2.GarbageCollector`) and pyqtgraph
(`pyqtgraph.util.garbage_collector`) use for the same crash. Workers still free objects whose
reference count drops to zero as usual; only cycles wait for the GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_INTERVAL_MS = 500
"""How often the GUI thread looks at the collector's counters; a check costs microseconds."""


class GuiThreadCollector(QObject):
    """Owns the check timer; `collect_if_due` may also be called directly (on the GUI thread)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()
        gc.disable()

    def collect_if_due(self) -> int:
        """Runs the collections CPython's own policy calls for now; returns the number of
        unreachable objects found (0 when nothing was due)."""
        counts = gc.get_count()
        due = -1
        for generation in range(3):
            if counts[generation] <= self._thresholds[generation]:
                break
            due = generation
        return gc.collect(due) if due >= 0 else 0


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """Installs the collector for `app` (once; later calls return the same one). Call on the
    GUI thread right after the application object exists, before any worker starts."""
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        return existing
    return GuiThreadCollector(app)
