"""Feed-server accounts in the Settings dialog: the accounts with how their last sync went,
Add… (checks the address and password before anything is saved), Remove (asks first when
changes are still queued for the server), Sync now, Change password… (keeps the queue).

Network work (the login check, syncs) runs as tasks on the GUI thread's asyncio loop; the
store is written by the sync's own writer thread, and here only for the small user writes
(adding and removing an account).
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, Signal
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
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsreader.accounts.address import FoundApi, find_api
from newsreader.accounts.engine import AccountSyncResult, check_login, sync_account
from newsreader.accounts.passwords import delete_password, save_password, save_token
from newsreader.errors import NewsreaderError
from newsreader.gui.dialog_buttons import ok_cancel_buttons
from newsreader.gui.tasks import TaskSet, outcome
from newsreader.gui.timefmt import relative_time
from newsreader.model import Account, AccountKind
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.sync.options import SyncOptions
from newsreader.wording import counted

WINDOW_OPTIONS = SyncOptions(responsive=True)
"""An account's follow-up work (full articles, images) from the window: extraction in the
parse process, so the window stays responsive."""
KIND_LABELS = {
    AccountKind.GREADER: "Google Reader API (FreshRSS, Miniflux, Inoreader, …)",
    AccountKind.FEVER: "Fever API",
}
FEVER_READ_ONLY = (
    "Fever accounts: subscriptions are read-only here (Fever cannot subscribe, rename or "
    "move feeds); change them on the server's own pages."
)
URL_HINTS = {
    AccountKind.GREADER: "https://rss.example.net/api/greader.php",
    AccountKind.FEVER: "https://rss.example.net/api/fever.php",
}


def describe_account(account: Account) -> str:
    """One line: who, where, which API, how the last sync went, what waits to be sent."""
    parts = [f"{account.label} — {KIND_LABELS[account.kind].split(' (')[0]}"]
    if account.last_sync is not None:
        parts.append(f"synced {relative_time(account.last_sync)}")
    if account.status.value != "ok":
        parts.append(account.status.value.replace("-", " "))
    if account.pending:
        parts.append(f"{counted(account.pending, 'change')} to send")
    if not account.kind.edits_subscriptions:
        parts.append("subscriptions read-only")
    return " · ".join(parts)


class AddAccountDialog(QDialog):
    """Asks for the API, address, user name and API password; logs in once before it closes,
    so a wrong address or password is said here and nothing is saved."""

    def __init__(self, tasks: TaskSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a feed-server account")
        self.setAccessibleName("Add a feed-server account")
        self._tasks = tasks
        self._checking: asyncio.Task[FoundApi] | None = None
        self.found: FoundApi | None = None  # the API address the login check found
        self.kind = QComboBox()
        self.kind.setAccessibleName("API")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.url = QLineEdit()
        self.url.setAccessibleName("Server address")
        self.user = QLineEdit()
        self.user.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setAccessibleName("API password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setAccessibleName("Account check result")
        self.message.setWordWrap(True)
        self.kind.currentIndexChanged.connect(self._show_hint)
        self._show_hint()
        form = QFormLayout()
        form.addRow("&API:", self.kind)
        form.addRow("&Address:", self.url)
        form.addRow("&User name:", self.user)
        form.addRow("API &password:", self.password)
        self.buttons = ok_cancel_buttons(self, "Add")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.check_and_accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def chosen_kind(self) -> AccountKind:
        return AccountKind(str(self.kind.currentData()))

    def _show_hint(self) -> None:
        self.url.setPlaceholderText(URL_HINTS[self.chosen_kind()])

    def check_and_accept(self) -> None:
        """Logs in with what was typed; accepts the dialog only if the server agreed."""
        if self._checking is not None:
            return
        url, user = self.url.text().strip(), self.user.text().strip()
        if not url or not user or not self.password.text():
            self.message.setText("Fill in the address, the user name and the API password.")
            return
        self.message.setText(f"Logging in to {url}…")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self._checking = self._tasks.start(
            find_api(self.chosen_kind(), url, user, self.password.text()), self._checked
        )

    def _checked(self, task: asyncio.Task[FoundApi]) -> None:
        self._checking = None
        if _login_ended(task, self.buttons, self.message):
            self.found = task.result()
            self.accept()


def _login_ended(task: asyncio.Task[Any], buttons: QDialogButtonBox, message: QLabel) -> bool:
    """Whether a dialog's login check succeeded (its OK button usable again either way): a
    refusal or an unreachable server is shown in `message` (False), a cancelled check is
    False, any other error is raised."""
    buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
    done = outcome(task)
    if isinstance(done.error, NewsreaderError):
        message.setText(str(done.error))
        return False
    if done.error is not None:
        raise done.error
    return not task.cancelled()


class PasswordDialog(QDialog):
    """Asks for an account's new API password (changed on the server); logs in once with it
    before it closes, so a wrong one is said here and nothing is saved."""

    def __init__(self, account: Account, tasks: TaskSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change password")
        self.setAccessibleName("Change password")
        self.account = account
        self._tasks = tasks
        self._checking: asyncio.Task[None] | None = None
        self.password = QLineEdit()
        self.password.setAccessibleName("New API password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(
            f"The API password of {account.label}, as changed on the server. Changes "
            "waiting to be sent stay queued."
        )
        self.message.setAccessibleName("Password check result")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("New API &password:", self.password)
        self.buttons = ok_cancel_buttons(self, "Save")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.check_and_accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def check_and_accept(self) -> None:
        """Logs in with the new password; accepts the dialog only if the server agreed."""
        if self._checking is not None:
            return
        if not self.password.text():
            self.message.setText("Type the new API password.")
            return
        account = self.account
        self.message.setText(f"Logging in to {account.url}…")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self._checking = self._tasks.start(
            check_login(account.kind, account.url, account.username, self.password.text()),
            self._checked,
        )

    def _checked(self, task: asyncio.Task[None]) -> None:
        self._checking = None
        if _login_ended(task, self.buttons, self.message):
            self.accept()


class AccountsPanel(QWidget):
    """The accounts section of the Settings dialog. `changed` is emitted when an account
    was added or removed or a sync of one ended (the window then reloads its views)."""

    changed = Signal()
    synced = Signal(object)  # AccountSyncResult

    def __init__(
        self, store: Store, paths: DataPaths, tasks: TaskSet, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feed-server accounts")
        self._store = store
        self._paths = paths
        self._tasks = tasks
        self.syncing: set[int] = set()
        self.accounts = QListWidget()
        self.accounts.setAccessibleName("Accounts")
        # A long address must not push the status and the queued count out of sight behind
        # a horizontal scroll bar: each account's line wraps to the list's width instead.
        self.accounts.setWordWrap(True)
        self.accounts.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.accounts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.accounts.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.note = QLabel(FEVER_READ_ONLY)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Fever accounts note")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Account status")
        self.add_button = QPushButton("&Add account…")
        self.remove_button = QPushButton("&Remove")
        self.sync_button = QPushButton("&Sync now")
        self.password_button = QPushButton("Change &password…")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.remove_button.clicked.connect(self.remove_selected)
        self.sync_button.clicked.connect(self.sync_selected)
        self.password_button.clicked.connect(self.open_password_dialog)
        self.accounts.currentRowChanged.connect(self._update_buttons)
        row = QHBoxLayout()
        buttons = (self.add_button, self.remove_button, self.sync_button, self.password_button)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        explained = QLabel(
            "With a feed-server account the server keeps that account's subscriptions, "
            "folders and read/starred state; changes made here are sent at each sync. "
            "Without one, every feed is fetched by Newsreader itself."
        )
        explained.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(explained)
        layout.addWidget(self.accounts)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        self.reload()

    def reload(self) -> None:
        """Lists the accounts as the store has them now."""
        current = self._selected_id()
        self.accounts.clear()
        fever = False
        for account in self._store.list_accounts():
            item = QListWidgetItem(describe_account(account))
            item.setData(Qt.ItemDataRole.UserRole, account.id)
            if account.status_message:
                item.setToolTip(account.status_message)
            self.accounts.addItem(item)
            if account.id == current:
                self.accounts.setCurrentItem(item)
            fever = fever or not account.kind.edits_subscriptions
        self.note.setVisible(fever)
        self._update_buttons()

    def selected(self) -> Account | None:
        chosen = self._selected_id()
        return None if chosen is None else self._store.get_account(chosen)

    def _selected_id(self) -> int | None:
        if self.accounts.currentRow() < 0:
            return None
        return int(self.accounts.currentItem().data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        chosen = self.accounts.currentRow() >= 0
        self.remove_button.setEnabled(chosen)
        self.sync_button.setEnabled(chosen)
        self.password_button.setEnabled(chosen)

    def open_add_dialog(self) -> AddAccountDialog:
        """Opens the Add dialog (not modal: the login check runs on the loop meanwhile)."""
        dialog = AddAccountDialog(self._tasks, self)
        dialog.accepted.connect(lambda: self.add_checked(dialog))
        dialog.open()
        return dialog

    def add_checked(self, dialog: AddAccountDialog) -> None:
        """Saves the account the dialog checked (password to the keyring) and syncs it."""
        kind, user = dialog.chosen_kind(), dialog.user.text()
        url = dialog.found.url if dialog.found is not None else dialog.url.text().strip()
        try:
            account = self._store.add_account(kind, url, user.strip())
            try:
                save_password(kind, account.url, account.username, dialog.password.text())
            except NewsreaderError:
                self._store.remove_account(account.id)
                raise
        except NewsreaderError as error:
            self.status.setText(str(error))
            return
        self.reload()
        self.changed.emit()
        self.start_sync(account.id)
        if dialog.found is not None and dialog.found.note:
            self.status.setText(f"Syncing… ({dialog.found.note})")

    def open_password_dialog(self) -> PasswordDialog | None:
        """Opens the Change password dialog for the selected account (not modal: the login
        check runs on the loop meanwhile)."""
        account = self.selected()
        if account is None:
            return None
        dialog = PasswordDialog(account, self._tasks, self)
        dialog.accepted.connect(lambda: self.password_checked(dialog))
        dialog.open()
        return dialog

    def password_checked(self, dialog: PasswordDialog) -> None:
        """Keeps the password the dialog checked and syncs the account (its queue is sent)."""
        account = dialog.account
        try:
            save_password(account.kind, account.url, account.username, dialog.password.text())
        except NewsreaderError as error:
            self.status.setText(str(error))
            return
        save_token(account.kind, account.url, account.username, None)
        self.start_sync(account.id)
        self.status.setText(f"Saved the new password of {account.label}; syncing…")

    def confirm_discard(self, account: Account) -> bool:
        """Asks whether to remove an account whose local changes are not sent yet."""
        answer = QMessageBox.question(
            self,
            "Remove account",
            f"{account.label} has {counted(account.pending, 'unsent change')} (marks or "
            "subscription changes made here and not yet on the server). Removing the account "
            "discards them.\n\nAfter a password change, use Change password… instead: the "
            "changes are kept and sent.\n\nRemove the account anyway?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def remove_selected(self) -> None:
        account = self.selected()
        if account is None:
            return
        if account.pending and not self.confirm_discard(account):
            return
        self._store.remove_account(account.id)
        delete_password(account.kind, account.url, account.username)
        dropped = (
            f" {counted(account.pending, 'unsent change')} discarded." if account.pending else ""
        )
        self.status.setText(f"Removed {account.label}; its feeds stay, as local feeds.{dropped}")
        self.reload()
        self.changed.emit()

    def sync_selected(self) -> None:
        account = self.selected()
        if account is not None:
            self.start_sync(account.id)

    def start_sync(self, account_id: int) -> bool:
        """Starts a sync of the account; False if one of it runs already."""
        if account_id in self.syncing:
            return False
        self.syncing.add(account_id)
        self.status.setText("Syncing…")
        self._tasks.start(
            sync_account(self._paths, account_id, options=WINDOW_OPTIONS),
            lambda task: self._synced(account_id, task),
        )
        return True

    def _synced(self, account_id: int, task: asyncio.Task[AccountSyncResult]) -> None:
        self.syncing.discard(account_id)
        done = outcome(task)
        if isinstance(done.error, NewsreaderError):
            self.status.setText(str(done.error))
        elif done.error is not None:
            raise done.error
        elif done.value is not None:
            result = done.value
            self.status.setText(
                "Synced: " + counted(result.new_entries, "new article")
                if result.ok
                else result.message or result.status.value
            )
            self.synced.emit(result)
        self.reload()
        self.changed.emit()
