"""The accounts section of the Settings dialog, with real widgets and the real FreshRSS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from newsreader.accounts.engine import AccountSyncResult
from newsreader.accounts.passwords import save_password
from newsreader.gui.accounts_panel import AccountsPanel
from newsreader.gui.app import Session
from newsreader.gui.state import WindowState
from newsreader.gui.sync_controller import SyncController, describe_account_sync
from newsreader.gui.tasks import TaskSet, close_loop, install_loop
from newsreader.gui.views import View, ViewKind
from newsreader.model import AccountKind, AccountStatus
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.accounts.freshrss import ServerUser
from tests.gui.test_session import FAST
from tests.sync.memory_keyring import MemoryKeyring


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
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
        widget.deleteLater()  # now, while its store is open, not in a later test's event loop
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _fill(panel: AccountsPanel, url: str, user: str, password: str, kind: int = 0) -> object:
    dialog = panel.open_add_dialog()
    dialog.kind.setCurrentIndex(kind)
    dialog.url.setText(url)
    dialog.user.setText(user)
    dialog.password.setText(password)
    dialog.check_and_accept()
    return dialog


def test_a_wrong_password_is_said_in_the_dialog_and_nothing_is_saved(
    panel: AccountsPanel, qtbot: QtBot, server_user: ServerUser, memory_keyring: MemoryKeyring
) -> None:
    dialog = _fill(panel, server_user.server.greader_url, server_user.name, "wrong-password")

    qtbot.waitUntil(lambda: "refused" in dialog.message.text(), timeout=60_000)  # type: ignore[attr-defined]

    assert dialog.isVisible()  # type: ignore[attr-defined]
    assert panel.accounts.count() == 0
    assert memory_keyring.secrets == {}


def test_adding_syncs_the_account_and_removing_keeps_its_feeds(
    panel: AccountsPanel,
    qtbot: QtBot,
    server_user: ServerUser,
    memory_keyring: MemoryKeyring,
    data_paths: DataPaths,
) -> None:
    dialog = _fill(panel, server_user.server.fever_url, server_user.name, server_user.password, 1)

    qtbot.waitUntil(lambda: panel.accounts.count() == 1, timeout=60_000)
    qtbot.waitUntil(lambda: not panel.syncing, timeout=60_000)

    assert not dialog.isVisible()  # type: ignore[attr-defined]
    assert panel.status.text() == "Synced: 4 new articles"
    assert "subscriptions read-only" in panel.accounts.item(0).text()
    assert panel.note.isVisibleTo(panel)
    with Store.open(data_paths) as store:
        (account,) = store.list_accounts()
        assert account.status is AccountStatus.OK
        assert len(store.list_feeds()) == 2
    panel.accounts.setCurrentRow(0)
    panel.remove_selected()
    assert panel.accounts.count() == 0
    assert memory_keyring.secrets == {}
    with Store.open(data_paths) as store:
        assert [f.account_id for f in store.list_feeds()] == [None, None]


def test_the_window_refresh_also_syncs_the_accounts(
    qloop: qasync.QEventLoop, qtbot: QtBot, data_paths: DataPaths, server_user: ServerUser
) -> None:
    """The window's sync (Refresh, and the timer) brings in the accounts too."""
    with Store.open(data_paths) as store:
        account = store.add_account(
            AccountKind.GREADER, server_user.server.greader_url, server_user.name
        )
    save_password(account.kind, account.url, account.username, server_user.password)
    tasks = TaskSet()
    controller = SyncController(data_paths, tasks, 60)
    results: list[AccountSyncResult] = []
    controller.account_synced.connect(results.append)

    assert controller.start(all_feeds=True)
    qtbot.waitUntil(lambda: not controller.running, timeout=120_000)

    assert [r.ok for r in results] == [True]
    assert describe_account_sync(results[0]) == (
        f"{server_user.name} at {account.url} synced: 4 new articles."
    )
    with Store.open(data_paths) as store:
        assert store.count_entries(EntryQuery()) == 4
    tasks.close()


def test_refresh_this_feed_on_an_account_feed_syncs_the_account(
    qloop: qasync.QEventLoop, qtbot: QtBot, data_paths: DataPaths, server_user: ServerUser
) -> None:
    """Refresh this feed (and Retry) name the feed: an account's feed is brought in through
    its server, never fetched from its site."""
    with Store.open(data_paths) as store:
        account = store.add_account(
            AccountKind.GREADER, server_user.server.greader_url, server_user.name
        )
    save_password(account.kind, account.url, account.username, server_user.password)
    tasks = TaskSet()
    controller = SyncController(data_paths, tasks, 60)
    assert controller.start(all_feeds=True)
    qtbot.waitUntil(lambda: not controller.running, timeout=120_000)
    with Store.open(data_paths) as store:
        alpha = store.feed_by_url(f"{server_user.server.feed_url}/alpha.xml")
        assert alpha is not None
        entry = store.list_entries(EntryQuery(feed_ids=(alpha.id,)))[0]
        store.set_read([entry.id], True)
    events: list[object] = []
    results: list[AccountSyncResult] = []
    controller.sync_event.connect(events.append)
    controller.account_synced.connect(results.append)

    assert controller.start(feeds=(alpha.url,))
    qtbot.waitUntil(lambda: not controller.running, timeout=120_000)

    assert events == []  # no feed fetched from its site
    assert [(r.ok, r.sent) for r in results] == [(True, 1)]
    assert len(server_user.client().unread_ids()) == 3  # the read mark reached the server
    tasks.close()


def test_the_window_tells_what_notify_rules_found_in_an_account(
    qloop: qasync.QEventLoop, qtbot: QtBot, data_paths: DataPaths, server_user: ServerUser
) -> None:
    """After a refresh, the articles a `notify` rule found among an account's new articles
    are named on the status bar (offscreen has no tray), after the account's line."""
    WindowState(data_paths).mark_first_run_done()
    with Store.open(data_paths) as store:
        account = store.add_account(
            AccountKind.GREADER, server_user.server.greader_url, server_user.name
        )
        store.add_rule("alpha news", "title~/^Alpha/", ["notify"])
        save_password(account.kind, account.url, account.username, server_user.password)
        session = Session(store, data_paths, sync_options=FAST, tray=False)
        qtbot.addWidget(session.window)
        session.show()

        assert session.sync.start(all_feeds=True)
        qtbot.waitUntil(lambda: not session.sync.running, timeout=120_000)
        qtbot.waitUntil(lambda: "synced" in session.window.statusBar().currentMessage())

        message = session.window.statusBar().currentMessage()
        assert message.startswith(
            f"{server_user.name} at {account.url} synced: 4 new articles. "
            "Your rules found 2 articles: "
        )
        assert "“Alpha one”" in message and "“Alpha two”" in message
        session.window.close()


def test_the_status_bar_names_every_account_that_failed(
    qloop: qasync.QEventLoop, qtbot: QtBot, data_paths: DataPaths, server_user: ServerUser
) -> None:
    """With several accounts, the refresh's line names each one that failed with its reason
    (the last account's result alone hid the others), and how the rest went."""
    WindowState(data_paths).mark_first_run_done()
    with Store.open(data_paths) as store:
        down = store.add_account(AccountKind.GREADER, "http://127.0.0.1:9/api/greader.php", "me")
        refused = store.add_account(AccountKind.FEVER, server_user.server.fever_url, "nobody")
        fine = store.add_account(
            AccountKind.GREADER, server_user.server.greader_url, server_user.name
        )
        for account, password in ((down, "x"), (refused, "wrong"), (fine, server_user.password)):
            save_password(account.kind, account.url, account.username, password)
        session = Session(store, data_paths, sync_options=FAST, tray=False)
        qtbot.addWidget(session.window)
        session.show()

        assert session.sync.start(all_feeds=True)
        qtbot.waitUntil(lambda: not session.sync.running, timeout=120_000)
        qtbot.waitUntil(lambda: "not synced" in session.window.statusBar().currentMessage())

        message = session.window.statusBar().currentMessage()
        assert message.startswith("2 accounts not synced: ")
        assert f"{down.label} (cannot reach" in message
        assert f"{refused.label} (the Fever server" in message
        assert message.endswith("1 other account synced: 4 new articles.")
        session.window.close()


def test_an_accounts_status_and_queue_are_not_cut_off(
    panel: AccountsPanel, qtbot: QtBot, data_paths: DataPaths
) -> None:
    """A long address wraps the account's line in a narrow Settings dialog: its status and
    the changes waiting stay in sight (they were behind a horizontal scroll bar)."""
    url = "https://rss.example-with-a-rather-long-host-name.net/freshrss/p/api/greader.php"
    with Store.open(data_paths) as store:
        store.add_account(AccountKind.GREADER, url, "someone-with-a-long-name")
    panel.reload()
    panel.resize(360, 300)
    panel.show()
    qtbot.waitExposed(panel)

    item = panel.accounts.item(0)
    rect = panel.accounts.visualItemRect(item)
    line = panel.accounts.fontMetrics().height()

    assert not panel.accounts.horizontalScrollBar().isVisible()
    assert rect.right() <= panel.accounts.viewport().width()
    assert rect.height() >= 2 * line  # wrapped, not cut


def test_a_feed_of_an_account_that_failed_shows_why_in_the_problem_bar(
    qloop: qasync.QEventLoop, qtbot: QtBot, data_paths: DataPaths
) -> None:
    """Where a feed's failure shows (the bar above the reader when the feed is selected),
    a feed whose account could not be synced shows the account's failure, with Retry now."""
    WindowState(data_paths).mark_first_run_done()
    with Store.open(data_paths) as store:
        account = store.add_account(AccountKind.GREADER, "http://127.0.0.1:9/api/greader.php", "me")
        save_password(account.kind, account.url, account.username, "secret")
        feed = store.add_feed(
            "http://127.0.0.1:9/feed.xml", title="Via server", account_id=account.id
        )
        session = Session(store, data_paths, sync_options=FAST, tray=False)
        qtbot.addWidget(session.window)
        session.show()
        if not session.sync.running:
            assert session.sync.start(all_feeds=True)
        qtbot.waitUntil(lambda: not session.sync.running, timeout=120_000)
        qtbot.waitUntil(lambda: "not synced" in session.window.statusBar().currentMessage())
        window = session.window
        bar = window.problem_bar

        # Feed problems lists the account's feeds under the account's failure
        model = window.feed_tree.tree_model
        qtbot.waitUntil(lambda: len(model.problem_groups()) == 1)
        (group,) = model.problem_groups()
        assert group.data().startswith("1 feed: account me at 127.0.0.1 not synced (cannot reach")
        child = model.index(0, 0, group)
        assert child.data() == "Via server"
        assert (
            window.feed_tree.tree_model.index_for(View(ViewKind.PROBLEMS)).data(
                Qt.ItemDataRole.AccessibleTextRole
            )
            == "Feed problems, 1"
        )

        assert window.feed_tree.select_view(View(ViewKind.FEED, feed.id))
        qtbot.waitUntil(lambda: bar.isVisibleTo(window))
        text = bar.label.text()
        assert text.startswith(f"Via server comes from {account.label}, which could not be")
        assert "cannot reach the server" in text
        assert bar.retry_button.isVisibleTo(window) and not bar.edit_button.isVisibleTo(window)
        window.feed_tree.select_view(View(ViewKind.ALL))
        assert not bar.isVisibleTo(window)
        session.window.close()
