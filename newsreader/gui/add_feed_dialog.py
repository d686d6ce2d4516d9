"""Add feed: a feed or web page address, the feeds found there, a folder to put it in, and,
when there are feed-server accounts, where to subscribe (this computer or an account).

Discovery is the sync engine's (an async function handed in by the session); it runs as a task
on the GUI thread's asyncio loop, which only waits on the network (the engine parses in a worker
thread), so the dialog stays responsive while the page downloads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsreader.errors import HTTPStatusError, NetworkError, NewsreaderError
from newsreader.gui.dialog_buttons import ok_cancel_buttons
from newsreader.gui.tasks import TaskSet, outcome
from newsreader.model import Account, DiscoveredFeed, Folder
from newsreader.wording import agreeing, counted, sentence

Discover = Callable[[str], Coroutine[Any, Any, Sequence[DiscoveredFeed]]]


def folder_names(folders: Sequence[Folder], folder_id: int | None) -> tuple[str, ...]:
    """The path of folder names from the top down to `folder_id` (() for the top level)."""
    by_id = {f.id: f for f in folders}
    names: list[str] = []
    seen: set[int] = set()
    while folder_id is not None and folder_id in by_id and folder_id not in seen:
        seen.add(folder_id)
        folder = by_id[folder_id]
        names.append(folder.name)
        folder_id = folder.parent_id
    return tuple(reversed(names))


def folder_paths(folders: Sequence[Folder]) -> list[tuple[str, int]]:
    """Folders as "Parent / Child" labels, sorted, for a folder chooser."""
    labels = ((" / ".join(folder_names(folders, f.id)), f.id) for f in folders)
    return sorted(labels, key=lambda pair: pair[0].casefold())


def folder_combo(folders: Sequence[Folder], current: int | None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName("Folder")
    combo.addItem("(top level)", None)
    for label, folder_id in folder_paths(folders):
        combo.addItem(label, folder_id)
        if folder_id == current:
            combo.setCurrentIndex(combo.count() - 1)
    return combo


FEVER_CANNOT_SUBSCRIBE = "Fever cannot subscribe: add feeds on the server"


def where_combo(accounts: Sequence[Account]) -> QComboBox:
    """Where to subscribe: this computer, or one of the accounts. A Fever account is listed
    but cannot be chosen, saying why."""
    combo = QComboBox()
    combo.setAccessibleName("Subscribe in")
    combo.addItem("This computer (fetched from the site)", None)
    model = combo.model()
    for account in accounts:
        if account.kind.edits_subscriptions:
            combo.addItem(account.label, account.id)
            continue
        combo.addItem(f"{account.label} ({FEVER_CANNOT_SUBSCRIBE})", account.id)
        if isinstance(model, QStandardItemModel):
            item = model.item(combo.count() - 1)
            item.setEnabled(False)
            item.setToolTip(
                "The Fever API has no way to subscribe; add the feed on the server's own "
                "pages, and it arrives here with the account's next sync."
            )
    return combo


class AddFeedDialog(QDialog):
    def __init__(
        self,
        discover: Discover,
        tasks: TaskSet,
        folders: Sequence[Folder],
        parent: QWidget | None = None,
        *,
        url: str = "",
        folder_id: int | None = None,
        accounts: Sequence[Account] = (),
        subscribed: Mapping[str, str] | None = None,
    ) -> None:
        """`accounts`: the feed-server accounts; with any, the dialog asks where to subscribe
        (this computer, or an account whose server then fetches the feed). `subscribed`: the
        feeds followed already, title by URL: found again, they are marked and cannot be
        chosen (subscribing failed only after the dialog had closed)."""
        super().__init__(parent)
        self._subscribed = dict(subscribed or {})
        self.setWindowTitle("Add feed")
        self.setAccessibleName("Add feed")
        self._discover = discover
        self._tasks = tasks
        self._search: asyncio.Task[Sequence[DiscoveredFeed]] | None = None
        self.url_edit = QLineEdit(url)
        self.url_edit.setAccessibleName("Feed or web page address")
        self.url_edit.setPlaceholderText("https://example.org/ or https://example.org/feed.xml")
        self.find_button = QPushButton("&Find feeds")
        self.find_button.setAccessibleName("Find feeds")
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self.find_feeds)
        self.url_edit.returnPressed.connect(self._return_pressed)
        self._found_at: str | None = None  # the address the listed feeds were found at
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.find_button)
        self.status = QLabel("Paste the address of a feed or of a web page, then Find feeds.")
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Feeds found")
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.results.currentItemChanged.connect(lambda *_: self._update_ok())
        self.folder = folder_combo(folders, folder_id)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("the feed's own title")
        address = QLabel("&Address:")
        address.setBuddy(self.url_edit)  # a row holding a layout gets no buddy by itself
        form = QFormLayout()
        form.addRow(address, url_row)
        form.addRow("Feeds &found:", self.results)
        form.addRow("&Title:", self.title_edit)
        form.addRow("F&older:", self.folder)
        self.where = where_combo(accounts)
        if accounts:
            form.addRow("Subscribe &in:", self.where)
        else:
            self.where.hide()
        self.buttons = ok_cancel_buttons(self, "&Subscribe")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.results.currentItem() is not None)

    def _return_pressed(self) -> None:
        """Return in the address box: finds feeds, or subscribes once feeds were found at
        this very address."""
        if self._found_at == self.url_edit.text().strip() and self.chosen() is not None:
            self.accept()
        else:
            self.find_feeds()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return in the address box is handled above; the dialog must not take it as well.
        if self.url_edit.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def title(self) -> str | None:
        """The title the user gave, or None for the feed's own."""
        return self.title_edit.text().strip() or None

    def find_feeds(self) -> None:
        url = self.url_edit.text().strip()
        if not url:
            return
        # An address typed without a scheme is tried with https, then http, by discovery.
        if self._search is not None:
            self._search.cancel()
        self.results.clear()
        self._found_at = None
        self.status.setText(f"Looking for feeds at {url}…")
        self.find_button.setEnabled(False)
        self._search = self._tasks.start(self._discover(url), self._found)

    def show_progress(self, text: str) -> None:
        """What discovery is doing now (fetching the page, checking its feed links)."""
        if self._search is not None:
            self.status.setText(text)

    def _found(self, task: asyncio.Task[Sequence[DiscoveredFeed]]) -> None:
        if task is not self._search:
            return  # an earlier search, replaced by a newer one
        self._search = None
        self.find_button.setEnabled(True)
        done = outcome(task)
        if isinstance(done.error, NewsreaderError):
            self.status.setText(discovery_failure(done.error))
            return
        if done.error is not None:
            raise done.error
        found = done.value
        if found is None:
            return
        new = [feed for feed in found if feed.url not in self._subscribed]
        for feed in found:
            label = f"{feed.title}  —  {feed.url}" if feed.title else feed.url
            followed = self._subscribed.get(feed.url)
            item = QListWidgetItem(label if followed is None else f"{label}  (followed)")
            item.setData(Qt.ItemDataRole.UserRole, feed)
            if followed is not None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(f"You follow this feed already, as “{followed}”.")
            self.results.addItem(item)
        if new:
            self.results.setCurrentRow(found.index(new[0]))
            self._found_at = self.url_edit.text().strip()
            count = len(new)
            more = f" ({len(found) - count} followed already)" if len(found) > count else ""
            self.status.setText(
                f"Found {counted(count, 'new feed')}{more}; pick one and press Return."
            )
        elif found:
            names = ", ".join(f"“{self._subscribed[feed.url]}”" for feed in found)
            self.status.setText(
                f"You follow {agreeing(len(found), 'this feed', 'these feeds')} already: {names}."
            )
        else:
            self.status.setText("That page names no feed.")
        self._update_ok()

    def chosen(self) -> DiscoveredFeed | None:
        item = self.results.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, DiscoveredFeed) else None

    def account_id(self) -> int | None:
        """The account to subscribe through; None: this computer fetches the feed."""
        value = self.where.currentData()
        return int(value) if value is not None else None

    def folder_id(self) -> int | None:
        value = self.folder.currentData()
        return int(value) if value is not None else None


def discovery_failure(error: NewsreaderError) -> str:
    """Why Find found nothing, as the dialog says it: a server that is down for a while or
    an address not reached is not "no feed found" (the address may be right)."""
    if isinstance(error, HTTPStatusError) and error.transient:
        return f"The server answered {error}: it may be down for a while. Try again later."
    if isinstance(error, NetworkError):
        return f"The address could not be reached: {error}"
    text = str(error)
    if text.startswith("no feed found"):  # discovery's own words say it all
        return sentence(text)
    return f"No feed found: {text}"
