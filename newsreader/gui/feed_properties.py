"""A feed's properties: its address, its own refresh interval, when its full articles are
fetched, the User-Agent it is fetched with (for sites that refuse unknown clients), and an
optional login (kept in the system keyring by the sync engine's credentials module)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from newsreader.feed_status import problem_text
from newsreader.gui.dialog_buttons import ok_cancel_buttons
from newsreader.gui.timefmt import exact_time
from newsreader.model import FULL_TEXT_MODES, Feed, FullTextMode
from newsreader.sync.credentials import Credentials
from newsreader.sync.fetch import USER_AGENT


@dataclass(frozen=True, slots=True)
class FeedChanges:
    url: str
    interval_minutes: int | None
    disabled: bool
    credentials: Credentials | None  # None: no login (an existing one is removed)
    full_text: FullTextMode = "auto"
    user_agent: str | None = None  # None: the app's own User-Agent


FULL_TEXT_LABELS: dict[FullTextMode, str] = {
    "auto": "Fetch when the feed gives only a teaser",
    "always": "Always fetch the article's page",
    "never": "Never: the feed's text only",
}


class FeedPropertiesDialog(QDialog):
    def __init__(
        self,
        feed: Feed,
        credentials: Credentials | None,
        parent: QWidget | None = None,
        *,
        name: str | None = None,
        default_minutes: int | None = None,
        holder_of: Callable[[str], str | None] = lambda _url: None,
    ) -> None:
        """`name`: the feed's name as the feed panel lists it (its title by default);
        `default_minutes`: the refresh interval of feeds without their own; `holder_of(url)`:
        the name of another feed that has that address, if one has."""
        super().__init__(parent)
        self._feed, self._holder_of = feed, holder_of
        self.setWindowTitle(f"Properties of {name or feed.display_title}")
        self.setAccessibleName("Feed properties")
        self.url = QLineEdit(feed.url)
        self.url.setAccessibleName("Feed address")
        self.interval = QSpinBox()
        self.interval.setAccessibleName("Refresh interval for this feed (0 uses the default)")
        self.interval.setRange(0, 7 * 24 * 60)
        self.interval.setSuffix(" min")
        self.interval.setSpecialValueText(
            f"default ({default_minutes} min)" if default_minutes else "default"
        )
        self.interval.setValue(feed.interval_minutes or 0)
        self.paused = QCheckBox("&Do not refresh this feed")
        self.paused.setAccessibleName("Do not refresh this feed")
        self.paused.setChecked(feed.disabled)
        self.full_text = QComboBox()
        self.full_text.setAccessibleName("Full article")
        for mode in FULL_TEXT_MODES:
            self.full_text.addItem(FULL_TEXT_LABELS[mode], mode)
        self.full_text.setCurrentIndex(FULL_TEXT_MODES.index(feed.full_text))
        self.user_agent = QLineEdit(feed.user_agent or "")
        self.user_agent.setAccessibleName("User-Agent")
        self.user_agent.setPlaceholderText("Newsreader's own (leave empty)")
        self.user_agent.setToolTip(
            "How this feed's site is told which program asks. Some sites refuse programs "
            f"they do not know; give a browser's here for those. Empty: {USER_AGENT}"
        )
        self.username = QLineEdit(credentials.username if credentials else "")
        self.username.setAccessibleName("User name")
        self.password = QLineEdit(credentials.password if credentials else "")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        status = QLabel(self._status(feed))
        status.setAccessibleName("Feed status")
        status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Address:", self.url)
        form.addRow("&Refresh every:", self.interval)
        form.addRow("", self.paused)
        form.addRow("&Full article:", self.full_text)
        form.addRow("User-&Agent:", self.user_agent)
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        form.addRow("Status:", status)
        self.error = QLabel()
        self.error.setAccessibleName("Why the changes cannot be saved")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(link)")
        self.error.hide()
        buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 0)

    @staticmethod
    def _status(feed: Feed) -> str:
        lines = [f"Last fetched: {exact_time(feed.last_fetched) or 'never'}"]
        if problem_text(feed):
            lines.append(f"Last error: {problem_text(feed)}")
        return "\n".join(lines)

    def accept(self) -> None:
        """Closes only with changes that can be saved; else says why and stays open, every
        field as typed."""
        url = self.url.text().strip()
        problem = None
        if not url:
            problem = "The feed needs an address."
        elif url != self._feed.url and (holder := self._holder_of(url)) is not None:
            problem = f"“{holder}” already has this address: each feed is followed once."
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            self.url.setFocus()
            return
        super().accept()

    def changes(self) -> FeedChanges:
        user = self.username.text().strip()
        return FeedChanges(
            url=self.url.text().strip(),
            interval_minutes=self.interval.value() or None,
            disabled=self.paused.isChecked(),
            credentials=Credentials(user, self.password.text()) if user else None,
            full_text=FULL_TEXT_MODES[self.full_text.currentIndex()],
            user_agent=self.user_agent.text().strip() or None,
        )
