"""The status bar's permanent parts: the view's article count, the Offline label, and the
refresh progress with its Cancel button. Transient messages use `QStatusBar.showMessage`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget


class StatusLine(QStatusBar):
    """`cancel_requested` fires when the user cancels the running refresh."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Status")
        self.offline_label = QLabel("Offline")
        self.offline_label.setAccessibleName("Offline")
        self.offline_label.setToolTip(
            "No network: stored articles stay readable; refreshing "
            "resumes when the network is back."
        )
        self.offline_label.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Refresh progress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("%v/%m feeds")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel refresh")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()
        self.addWidget(self.count_label, 1)
        self.addPermanentWidget(self.offline_label)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel_button)

    def show_count(self, text: str) -> None:
        self.count_label.setText(text)

    def set_offline(self, offline: bool) -> None:
        self.offline_label.setVisible(offline)

    def show_progress(self, done: int, total: int) -> None:
        """`done` of `total` feeds; hidden once all are done.

        The bar is redrawn with the window's next paint, never at once: `QProgressBar`
        repaints itself synchronously when its text changes, and a synchronous repaint
        paints every dirty part of the window with it (the article list after a feed's
        rows arrived), once per feed, while the sync's store thread competes for the GIL.
        With updates off, `repaint` does nothing; turning them on again schedules one
        `update`."""
        self.progress.setUpdatesEnabled(False)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setUpdatesEnabled(True)
        self.progress.setVisible(done < total)
        self.cancel_button.setVisible(done < total)
