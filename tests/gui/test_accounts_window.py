"""Feed-server accounts in the window: a Fever account's subscriptions are offered as
read-only, and the Settings dialog holds the accounts section."""

from __future__ import annotations

from collections.abc import Callable

import keyring
import pytest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from newsreader.accounts.passwords import save_password
from newsreader.gui.accounts_panel import AccountsPanel
from newsreader.gui.app import Session
from newsreader.gui.settings_dialog import SettingsDialog
from newsreader.gui.subscriptions import FEVER_FOLDER_READ_ONLY_MENU, FEVER_READ_ONLY_MENU
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.store.types import RemoteFeed
from newsreader.sync.engine import SyncOptions
from tests.loopback import LoopbackServer, Response
from tests.sync.memory_keyring import MemoryKeyring
from tests.sync.servers import refused_url


def _account_feed(store: Store, kind: AccountKind, folder: str | None = None) -> int:
    account = store.add_account(kind, f"https://rss.example/{kind.value}", "me")
    url = f"https://example.org/{kind.value}.xml"
    store.apply_remote_subscriptions(
        account.id, [RemoteFeed("12", url, "Server feed", None, folder)]
    )
    feed = store.feed_by_url(url)
    assert feed is not None
    return feed.id


def _menu(window: MainWindow, item_id: int, kind: ViewKind = ViewKind.FEED) -> dict[str, bool]:
    menu = window.feed_context_menu(View(kind, item_id))
    return {a.text().replace("&", ""): a.isEnabled() for a in menu.actions() if a.text()}


def test_a_fever_feed_offers_no_subscription_change_and_says_why(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    fever = _account_feed(store, AccountKind.FEVER)
    greader = _account_feed(store, AccountKind.GREADER)
    window = make_window(store)

    offered = _menu(window, fever)

    changes = ("Rename…", "Move to folder", "Unsubscribe…")
    assert [offered[text] for text in changes] == [False, False, False]
    assert offered[FEVER_READ_ONLY_MENU] is False  # said, not offered
    assert offered["Mark all read"] and offered["Properties…"]
    kept = _menu(window, greader)
    assert all(kept[text] for text in changes) and FEVER_READ_ONLY_MENU not in kept


def test_the_settings_dialog_holds_the_accounts(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    _account_feed(store, AccountKind.GREADER)
    window = make_window(store)
    panel = AccountsPanel(store, window.paths, window.tasks)

    dialog = SettingsDialog(window.settings, window, panel)

    assert panel.parent() is not None and panel.window() is dialog
    assert panel.accounts.count() == 1
    assert panel.accounts.item(0).text().startswith("me at https://rss.example/greader")
    assert not panel.note.isVisibleTo(panel)  # no Fever account, no Fever note


def test_a_fever_folder_offers_no_rename_or_delete_and_a_greader_one_queues_them(
    store: Store, make_window: Callable[[Store], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    fever = store.get_feed(_account_feed(store, AccountKind.FEVER, "Fever news"))
    greader = store.get_feed(_account_feed(store, AccountKind.GREADER, "Reader news"))
    assert fever.folder_id is not None and greader.folder_id is not None
    window = make_window(store)

    offered = _menu(window, fever.folder_id, ViewKind.FOLDER)
    kept = _menu(window, greader.folder_id, ViewKind.FOLDER)

    assert (offered["Rename…"], offered["Delete folder…"]) == (False, False)
    assert offered[FEVER_FOLDER_READ_ONLY_MENU] is False  # said, not offered
    assert kept["Rename…"] and kept["Delete folder…"]
    assert FEVER_FOLDER_READ_ONLY_MENU not in kept
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("World", True))
    window.subscriptions.rename_folder_dialog(greader.folder_id)
    assert store.get_folder(greader.folder_id).name == "World"
    assert greader.account_id is not None
    (queued,) = store.pending_changes(greader.account_id)
    assert (queued.kind, queued.previous, queued.value) == ("rename_folder", "Reader news", "World")
    assert window.subscriptions.delete_folder(greader.folder_id, confirm=False)
    assert [c.kind for c in store.pending_changes(greader.account_id)][-1] == "delete_folder"


def test_refresh_this_feed_of_an_account_asks_its_server_never_its_site(
    store: Store, data_paths: DataPaths, qtbot: QtBot
) -> None:
    """The feed menu's Refresh this feed, through the whole window: the account is synced
    (here its server is down, and the status bar says so); the feed's site is not asked."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        _refresh_through_the_menu(store, data_paths, qtbot)
    finally:
        keyring.set_keyring(previous)


def _refresh_through_the_menu(store: Store, data_paths: DataPaths, qtbot: QtBot) -> None:
    with LoopbackServer() as site:
        site.route("/feed.xml", Response(body=b"<rss/>"))
        account = store.add_account(AccountKind.GREADER, refused_url("/api/greader.php"), "me")
        save_password(account.kind, account.url, account.username, "secret")
        feed = store.add_feed(site.url("/feed.xml"), title="Via server", account_id=account.id)
        session = Session(store, data_paths, sync_options=SyncOptions(lock_wait=5.0), tray=False)
        qtbot.addWidget(session.window)
        session.show()
        qtbot.waitUntil(lambda: not session.sync.running, timeout=60_000)
        menu = session.window.feed_context_menu(View(ViewKind.FEED, feed.id))
        (refresh,) = [a for a in menu.actions() if a.text().replace("&", "") == "Refresh this feed"]

        refresh.trigger()
        assert session.sync.running
        qtbot.waitUntil(lambda: not session.sync.running, timeout=60_000)

        message = session.window.statusBar().currentMessage()
        assert message.startswith(f"me at {account.url} not synced: ")
        assert site.requests == []


def test_the_settings_dialog_scrolls_rather_than_squeeze_its_fields(qtbot: object) -> None:
    """A tall accounts section on a short screen: the fields keep their height (the window
    manager shrank the dialog and the spin boxes' text was cut off) and the dialog fits."""
    from PySide6.QtWidgets import QWidget

    from newsreader.gui.settings_dialog import SettingsDialog
    from newsreader.settings import Settings

    accounts = QWidget()
    accounts.setMinimumHeight(2000)
    dialog = SettingsDialog(Settings(), accounts=accounts)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height()
    assert dialog.refresh.height() >= dialog.refresh.sizeHint().height()
    assert (
        dialog.refresh.visibleRegion().boundingRect().height() >= dialog.refresh.sizeHint().height()
    )
