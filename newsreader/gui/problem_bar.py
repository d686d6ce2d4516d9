"""The bar above the reader while a feed with a problem is selected: what went wrong, when,
and two ways out (Retry now, Edit address…); for a feed of a feed-server account whose last
sync failed, that failure, and Retry now (which syncs the account)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from newsreader.feed_status import account_problem_text, problem_text
from newsreader.gui.timefmt import exact_time
from newsreader.model import Account, Feed


class ProblemBar(QFrame):
    """`retry_requested(feed)` and `edit_requested(feed id)` come from its two buttons."""

    retry_requested = Signal(object)  # Feed
    edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feed problem")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.feed: Feed | None = None
        self.account: Account | None = None  # the feed's account, when its sync is the problem
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Problem")
        self.retry_button = QPushButton("&Retry now")
        self.retry_button.setAccessibleName("Retry now")
        self.edit_button = QPushButton("Edit &address…")
        self.edit_button.setAccessibleName("Edit address")
        self.retry_button.clicked.connect(self._retry)
        self.edit_button.clicked.connect(self._edit)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.edit_button)
        self.hide()

    def show_feed(
        self, feed: Feed | None, name: str | None = None, account: Account | None = None
    ) -> None:
        """Shows `feed`'s problem, or hides the bar (None). `name`: what the feed panel calls
        it (told apart from feeds with the same title); its title when not given. With
        `account`: the feed's feed-server account, whose last sync failed (Retry now syncs
        the account; the address is the server's, not edited here)."""
        self.feed, self.account = feed, account
        if feed is None:
            self.hide()
            return
        called = name or feed.display_title
        if account is not None:
            when = f" ({exact_time(account.last_attempt)})" if account.last_attempt else ""
            reason = account_problem_text(account)
            self.label.setText(
                f"{called} comes from {account.label}, which could not be synced{when}: {reason}"
            )
            self.label.setToolTip(account.url)
            self.edit_button.hide()
            self.show()
            return
        when = f" ({exact_time(feed.last_error_at)})" if feed.last_error_at else ""
        self.label.setText(f"{called} could not be fetched{when}: {problem_text(feed)}")
        self.label.setToolTip(feed.url)
        self.edit_button.show()
        self.show()

    def _retry(self) -> None:
        if self.feed is not None:
            self.retry_requested.emit(self.feed)

    def _edit(self) -> None:
        if self.feed is not None:
            self.edit_requested.emit(self.feed.id)
