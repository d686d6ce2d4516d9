"""A password changed on the server is entered here without losing the queue (`account
password`, Settings → Change password…), and removing an account that still has unsent
changes says how many it discards and asks first. Against the real FreshRSS."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from newsreader.gui.accounts_panel import AccountsPanel
from newsreader.gui.tasks import TaskSet, close_loop, install_loop
from newsreader.main import main
from newsreader.model import Account
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.accounts.freshrss import ServerUser
from tests.sync.memory_keyring import MemoryKeyring

NEW_PASSWORD = "apipass2"


def _run(
    data_paths: DataPaths,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([*args, "--data-dir", str(data_paths.root)])
    out, err = capsys.readouterr()
    return code, out, err


def _added_with_a_queued_mark(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    """Adds the account, marks one article read here (queued) and changes the password on
    the server: the item id of the marked article."""
    url = server_user.server.greader_url
    code, _, err = _run(
        data_paths,
        capsys,
        monkeypatch,
        *("account", "add", "greader", url, "--user", server_user.name),
        stdin=server_user.password + "\n",
    )
    assert code == 0, err
    with Store.open(data_paths) as store:
        entry = store.list_entries(EntryQuery())[0]
        store.set_read([entry.id], True)
        item = store.item_ids_of(1)[entry.id]
    server_user.change_api_password(NEW_PASSWORD)
    return item


def test_a_changed_password_is_entered_and_the_queue_is_sent(
    data_paths: DataPaths,
    server_user: ServerUser,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    item = _added_with_a_queued_mark(data_paths, server_user, capsys, monkeypatch)

    code, _, err = _run(data_paths, capsys, monkeypatch, "account", "sync")
    assert code == 1
    assert "newsreader account password 1" in err

    code, _, err = _run(
        data_paths,
        capsys,
        monkeypatch,
        *("account", "add", "greader", server_user.server.greader_url),
        *("--user", server_user.name),
        stdin=NEW_PASSWORD + "\n",
    )
    assert code != 0
    assert "exists already (account 1); to enter a new password: " in err

    code, _, err = _run(
        data_paths, capsys, monkeypatch, "account", "password", "1", stdin="wrong\n"
    )
    assert code != 0
    assert NEW_PASSWORD not in memory_keyring.secrets.values()

    code, out, err = _run(
        data_paths, capsys, monkeypatch, "account", "password", "1", stdin=NEW_PASSWORD + "\n"
    )
    assert code == 0, err
    assert "Saved the new password of account 1" in out
    assert "sent 1 change" in out
    assert NEW_PASSWORD in memory_keyring.secrets.values()
    code, out, _ = _run(data_paths, capsys, monkeypatch, "account", "list", "--json")
    assert json.loads(out)[0]["pending"] == 0
    assert item not in GReaderLogin(server_user).unread_ids()


class GReaderLogin:
    """The server's unread items, asked with the new password."""

    def __init__(self, server_user: ServerUser) -> None:
        from tests.accounts.freshrss import GReaderClient

        self.client = GReaderClient(server_user.server.greader_url, server_user.name, NEW_PASSWORD)

    def unread_ids(self) -> set[int]:
        try:
            return self.client.unread_ids()
        finally:
            self.client.close()


def test_removing_an_account_with_unsent_changes_says_how_many_and_wants_force(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _added_with_a_queued_mark(data_paths, server_user, capsys, monkeypatch)

    code, _, err = _run(data_paths, capsys, monkeypatch, "account", "remove", "1")
    assert code != 0
    assert "has 1 unsent change that removing it would discard" in err
    assert "--force" in err
    with Store.open(data_paths) as store:
        assert len(store.list_accounts()) == 1

    code, out, err = _run(data_paths, capsys, monkeypatch, "account", "remove", "1", "--force")
    assert code == 0, err
    assert "Discarded 1 unsent change." in out


@pytest.fixture
def queued_item(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    """`_added_with_a_queued_mark`, before the window's event loop is installed."""
    return _added_with_a_queued_mark(data_paths, server_user, capsys, monkeypatch)


@pytest.fixture
def qloop(queued_item: int, qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = install_loop(qapp)
    yield loop
    close_loop(loop)


@pytest.fixture
def panel(qloop: qasync.QEventLoop, qtbot: QtBot, data_paths: DataPaths) -> Iterator[AccountsPanel]:
    tasks = TaskSet()
    with Store.open(data_paths) as store:
        widget = AccountsPanel(store, data_paths, tasks)
        yield widget
        tasks.close()
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_settings_dialog_changes_the_password_and_asks_before_discarding(
    data_paths: DataPaths,
    server_user: ServerUser,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    queued_item: int,
    panel: AccountsPanel,
    qtbot: QtBot,
) -> None:
    item = queued_item
    panel.reload()
    panel.accounts.setCurrentRow(0)
    asked: list[Account] = []
    monkeypatch.setattr(panel, "confirm_discard", lambda account: asked.append(account) or False)

    panel.remove_selected()  # declined: the account and its queue stay
    assert [a.pending for a in asked] == [1]
    assert panel.accounts.count() == 1

    assert panel.password_button.isEnabled()
    dialog = panel.open_password_dialog()
    assert dialog is not None
    dialog.password.setText(NEW_PASSWORD)
    dialog.check_and_accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    qtbot.waitUntil(lambda: not panel.syncing, timeout=60_000)

    assert NEW_PASSWORD in memory_keyring.secrets.values()
    with Store.open(data_paths) as store:
        (account,) = store.list_accounts()
    assert (account.status.value, account.pending) == ("ok", 0)
    assert item not in GReaderLogin(server_user).unread_ids()
