"""The status bar's refresh progress: shown while feeds are left, and drawn with the window's
next paint, never synchronously (a synchronous repaint paints every dirty part of the window
with it, once per feed of a sync)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from newsreader.gui.status_bar import StatusLine


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_progress_is_painted_later_not_during_the_call(qtbot: QtBot) -> None:
    line = StatusLine()
    qtbot.addWidget(line)
    paints = _Paints()
    line.progress.installEventFilter(paints)
    line.show()
    line.show_progress(1, 300)
    qtbot.waitUntil(lambda: paints.count > 0)  # the bar's first paint
    paints.count = 0

    for done in range(2, 40):
        line.show_progress(done, 300)
    assert paints.count == 0  # QProgressBar.setValue alone repaints at once, each time
    assert line.progress.text() == "39/300 feeds"
    qtbot.waitUntil(lambda: paints.count > 0)  # drawn with the next paint
    assert paints.count <= 2

    line.show_progress(300, 300)
    assert not line.progress.isVisible()
    assert not line.cancel_button.isVisible()
