"""The window's Add feed dialog subscribes through a feed-server account, against the real
FreshRSS: the feed is on the server after the dialog, and belongs to the account here. A
Fever account is listed but cannot be chosen, and the dialog says why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication

from newsreader.accounts.passwords import save_password
from newsreader.gui.add_feed_dialog import FEVER_CANNOT_SUBSCRIBE
from newsreader.gui.app import Session
from newsreader.gui.state import WindowState
from newsreader.gui.tasks import close_loop, install_loop
from newsreader.gui.views import View, ViewKind
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions
from tests.accounts.freshrss import ServerUser


@pytest.fixture(autouse=True)
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The window's asyncio loop (set up before qtbot, so torn down after its windows)."""
    loop = install_loop(qapp)
    yield loop
    close_loop(loop)


def test_add_feed_subscribes_through_a_greader_account(
    data_paths: DataPaths, server_user: ServerUser, qtbot: Any
) -> None:
    WindowState(data_paths).mark_first_run_done()
    server = server_user.server
    gamma = f"{server.feed_url}/gamma.xml"
    with Store.open(data_paths) as store:
        greader = store.add_account(AccountKind.GREADER, server.greader_url, server_user.name)
        fever = store.add_account(AccountKind.FEVER, server.fever_url, server_user.name)
        save_password(greader.kind, greader.url, greader.username, server_user.password)
        session = Session(store, data_paths, sync_options=SyncOptions(lock_wait=5.0), tray=False)
        qtbot.addWidget(session.window)
        session.show()

        dialog = session.add_feed_dialog()
        assert dialog.where.isVisibleTo(dialog)
        where = [dialog.where.itemText(i) for i in range(dialog.where.count())]
        assert where == [
            "This computer (fetched from the site)",
            greader.label,
            f"{fever.label} ({FEVER_CANNOT_SUBSCRIBE})",
        ]
        model = dialog.where.model()
        assert isinstance(model, QStandardItemModel)
        assert not model.item(2).isEnabled()  # Fever cannot subscribe: not offered
        assert dialog.account_id() is None  # this computer unless chosen

        dialog.url_edit.setText(gamma)
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)  # finds the feed
        qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=30_000)
        dialog.where.setCurrentIndex(1)
        assert dialog.account_id() == greader.id
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)  # subscribes
        qtbot.waitUntil(lambda: session.window.view.kind == ViewKind.FEED, timeout=60_000)
        assert gamma in server_user.client().subscription_urls()
        feed = store.feed_by_url(gamma)
        assert feed is not None and feed.account_id == greader.id
        assert session.window.statusBar().currentMessage() == (
            f"Subscribed to {feed.display_title} through {greader.label}."
        )
        assert session.window.view == View(ViewKind.FEED, feed.id)
        session.window.close()


def test_add_feed_without_accounts_asks_nothing_about_them(
    data_paths: DataPaths, qtbot: Any
) -> None:
    WindowState(data_paths).mark_first_run_done()
    with Store.open(data_paths) as store:
        session = Session(store, data_paths, tray=False)
        qtbot.addWidget(session.window)
        dialog = session.add_feed_dialog()
        assert not dialog.where.isVisibleTo(dialog)
        assert dialog.account_id() is None
        session.window.close()
