"""The whole window with the sync engine and discovery as tasks on the GUI thread's asyncio loop,
against loopback HTTP servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from newsreader.gui.app import Session, configure_app
from newsreader.gui.article_model import Column
from newsreader.gui.first_run import WELCOME_URL
from newsreader.gui.state import WindowState
from newsreader.gui.sync_controller import OFFLINE_RETRY_MS
from newsreader.gui.views import View, ViewKind
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import EntryQuery, Store
from newsreader.sync.engine import SyncOptions
from newsreader.sync.events import SyncSummary
from tests.gui.conftest import NOW, add_feed
from tests.loopback import LoopbackServer, Response

FAST = SyncOptions(lock_wait=5.0)


def atom(count: int, *, base: str, newest: datetime) -> bytes:
    """An Atom feed of `count` entries (text written for the test), newest first."""
    entries = "".join(
        f"<entry><id>{base}/{i}</id><title>Loopback story {i}</title>"
        f'<link href="{base}/{i}"/>'
        f"<updated>{(newest - timedelta(minutes=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>"
        f"<content type='html'>&lt;p&gt;Story {i} from the loopback.&lt;/p&gt;</content></entry>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Loopback Daily</title><id>{base}/</id>"
        f"<updated>{newest.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>{entries}</feed>"
    ).encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def wait_sync(session: Session, qtbot: object) -> SyncSummary | None:
    """Lets the running sync finish and its last events reach the window."""
    qtbot.waitUntil(lambda: not session.sync.running, timeout=30_000)  # type: ignore[attr-defined]
    return session.sync.last_summary


def open_session(store: Store, paths: DataPaths, qtbot: object) -> Session:
    session = Session(store, paths, sync_options=FAST, tray=False)
    qtbot.addWidget(session.window)  # type: ignore[attr-defined]
    session.show()
    return session


def closed_port_url(address: str = "127.0.0.1") -> str:
    """An address on loopback where nothing listens: a machine without network, quickly."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        port = probe.getsockname()[1]
    return f"http://{address}:{port}/feed.xml"


def test_first_run_shows_welcome_feed_offline(
    store: Store, data_paths: DataPaths, qtbot: object
) -> None:
    session = open_session(store, data_paths, qtbot)
    feeds = store.list_feeds()
    assert any(f.url == WELCOME_URL for f in feeds)
    assert len(feeds) > 10  # the starter subscriptions
    entry = session.window.reader.entry
    assert (
        entry is not None
        and entry.title == "Welcome to Newsreader, a news reader that works offline"
    )
    assert "keeps the news you follow" in session.window.reader.toPlainText()
    assert WindowState(data_paths).first_run_done
    date = session.window.articles.model.index(0, Column.DATE).data()
    assert date in ("just now", "1 minute ago")  # dated at installation, newest first
    qtbot.waitUntil(lambda: bool(session.window.reader.related), timeout=15_000)  # type: ignore[attr-defined]
    welcome = store.feed_by_url(WELCOME_URL)
    assert welcome is not None and welcome.disabled  # never fetched


def test_first_run_happens_once(store: Store, data_paths: DataPaths, qtbot: object) -> None:
    session = open_session(store, data_paths, qtbot)
    welcome = store.feed_by_url(WELCOME_URL)
    assert welcome is not None
    session.window.pending.hidden.add(welcome.id)
    session.window.close()  # commits the unsubscribe
    open_session(store, data_paths, qtbot)
    assert store.feed_by_url(WELCOME_URL) is None


def test_sync_adds_rows_without_moving_selection(
    store: Store,
    data_paths: DataPaths,
    qtbot: object,
    server: LoopbackServer,
) -> None:
    WindowState(data_paths).mark_first_run_done()
    newest = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    body = {"feed": atom(5, base=server.url(""), newest=newest)}
    server.route("/feed.xml", lambda _r: Response(body=body["feed"]))
    store.add_feed(server.url("/feed.xml"))
    session = open_session(store, data_paths, qtbot)
    assert session.sync.start(all_feeds=True)
    wait_sync(session, qtbot)
    session.window.reload_after_sync()
    model = session.window.articles.model
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=15_000)  # type: ignore[attr-defined]
    session.window.articles.select_row(2)
    selected = session.window.articles.current_entry_id()
    # three newer stories appear at the top on the next sync
    body["feed"] = atom(8, base=server.url("") + "/v2", newest=newest + timedelta(minutes=30))
    assert session.sync.start(all_feeds=True)
    wait_sync(session, qtbot)
    session.window.reload_after_sync()
    qtbot.waitUntil(lambda: model.rowCount() == 13, timeout=15_000)  # type: ignore[attr-defined]
    assert session.window.articles.current_entry_id() == selected
    assert session.window.reader.entry is not None
    assert session.window.reader.entry.id == selected
    unread = session.window.feed_tree.tree_model.item_for(View(ViewKind.UNREAD))
    assert unread is not None and unread.text() == "Unread (12)"
    assert not session.window.progress.isVisible()


def test_r_refreshes_every_feed(
    store: Store, data_paths: DataPaths, qtbot: object, server: LoopbackServer
) -> None:
    WindowState(data_paths).mark_first_run_done()
    server.route("/feed.xml", Response(body=atom(4, base=server.url(""), newest=NOW)))
    store.add_feed(server.url("/feed.xml"))
    session = open_session(store, data_paths, qtbot)
    with qtbot.waitActive(session.window):  # type: ignore[attr-defined]
        session.window.activateWindow()
    qtbot.keyClick(session.window.articles.table, Qt.Key.Key_R)  # type: ignore[attr-defined]
    summary = wait_sync(session, qtbot)
    assert summary is not None and summary.checked == 1 and summary.new_entries == 4
    qtbot.waitUntil(lambda: session.window.articles.model.rowCount() == 4, timeout=15_000)  # type: ignore[attr-defined]
    assert session.window.statusBar().currentMessage() == "Refreshed 1 feed: 4 new articles."


def test_offline_start_keeps_stored_articles_readable(
    store: Store, data_paths: DataPaths, qtbot: object
) -> None:
    WindowState(data_paths).mark_first_run_done()
    feed_id = add_feed(store, "stored", 4)
    store.set_feed_url(feed_id, closed_port_url())
    other = store.add_feed(closed_port_url("127.0.0.2")).id  # no host answers
    session = open_session(store, data_paths, qtbot)
    assert session.sync.start(all_feeds=True)
    summary = wait_sync(session, qtbot)
    assert summary is not None and summary.probably_offline
    assert session.window.offline_label.isVisibleTo(session.window)
    assert session.window.articles.model.rowCount() == 4
    session.window.articles.select_row(0)
    assert "stored story 0" in session.window.reader.toPlainText()
    problems = session.window.feed_tree.tree_model.item_for(View(ViewKind.PROBLEMS))
    assert problems is not None and problems.text() == "Feed problems (2)"
    assert other in {f.feed_id for f in summary.failures}
    assert session.sync.interval_ms == OFFLINE_RETRY_MS  # retries soon while offline
    # the network is back: the next sync clears the indicator
    with LoopbackServer() as server:
        server.route("/feed.xml", Response(body=atom(2, base=server.url(""), newest=NOW)))
        store.set_feed_url(feed_id, server.url("/feed.xml"))
        server.route("/other.xml", Response(body=atom(1, base=server.url(""), newest=NOW)))
        store.set_feed_url(other, server.url("/other.xml"))
        assert session.sync.start(all_feeds=True)
        wait_sync(session, qtbot)
    assert not session.window.offline_label.isVisibleTo(session.window)


def test_one_dead_host_is_that_host_not_the_machine_offline(
    store: Store, data_paths: DataPaths, qtbot: object
) -> None:
    """The only feed synced fails on its one host: the window names a failed feed, it does
    not declare the machine offline (nor retry every minute as if it were)."""
    WindowState(data_paths).mark_first_run_done()
    feed_id = add_feed(store, "stored", 4)
    store.set_feed_url(feed_id, closed_port_url())
    session = open_session(store, data_paths, qtbot)
    assert session.sync.start(all_feeds=True)
    summary = wait_sync(session, qtbot)
    assert summary is not None and summary.nothing_fetched and not summary.probably_offline
    assert not session.window.offline_label.isVisibleTo(session.window)
    assert session.window.statusBar().currentMessage() == (
        "Refreshed 1 feed: 0 new articles, 1 feed failed."
    )
    assert session.sync.interval_ms != OFFLINE_RETRY_MS  # the usual interval


def test_add_feed_dialog_discovers_and_subscribes(
    store: Store,
    data_paths: DataPaths,
    qtbot: object,
    server: LoopbackServer,
) -> None:
    WindowState(data_paths).mark_first_run_done()
    newest = datetime.now(UTC).replace(microsecond=0)
    server.route("/feed.xml", Response(body=atom(3, base=server.url(""), newest=newest)))
    page = (
        "<html><head><title>Loopback</title>"
        '<link rel="alternate" type="application/atom+xml" title="Loopback Daily" '
        'href="/feed.xml"></head><body>Hello</body></html>'
    )
    server.route("/", Response(body=page.encode(), content_type="text/html; charset=utf-8"))
    folder = store.add_folder("Local")
    session = open_session(store, data_paths, qtbot)
    session.window.refresh_feeds()
    dialog = session.add_feed_dialog()
    address = next(label for label in dialog.findChildren(QLabel) if label.buddy())
    assert address.text() == "&Address:" and address.buddy() is dialog.url_edit  # "Address"
    dialog.url_edit.setText(server.url("/"))
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # finds
    qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=15_000)  # type: ignore[attr-defined]
    chosen = dialog.chosen()
    assert chosen is not None and chosen.url == server.url("/feed.xml")
    dialog.folder.setCurrentIndex(dialog.folder.findData(folder.id))
    dialog.title_edit.setText("My Loopback")
    accepted: list[int] = []
    dialog.accepted.connect(lambda: accepted.append(1))
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # subscribes
    assert accepted == [1]
    qtbot.waitUntil(lambda: store.feed_by_url(server.url("/feed.xml")) is not None, timeout=15_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: session.window.view.kind == ViewKind.FEED, timeout=15_000)  # type: ignore[attr-defined]
    feed = store.feed_by_url(server.url("/feed.xml"))
    assert feed is not None and feed.folder_id == folder.id
    assert store.count_entries(EntryQuery(feed_ids=(feed.id,))) == 3, (
        session.window.statusBar().currentMessage(),
        feed.last_fetched,
        feed.last_error,
        [r.path for r in server.requests],
        store.count_entries(EntryQuery()),
    )
    assert session.window.articles.model.rowCount() == 3
    assert feed.title == "My Loopback"
    # discovered once, subscribed and synced without asking again (a slow feed was
    # downloaded three times)
    assert len(server.requests_for("/feed.xml")) == 1
    # Found again: marked as followed, not offered (subscribing failed after the dialog
    # had closed).
    again = session.add_feed_dialog(server.url("/"))
    qtbot.waitUntil(lambda: again.results.count() > 0, timeout=15_000)  # type: ignore[attr-defined]
    assert again.chosen() is None
    assert not again.results.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    assert again.results.item(0).text().endswith("(followed)")
    assert again.status.text() == "You follow this feed already: “My Loopback”."
    again.reject()


def test_a_subscription_that_fails_says_why_and_adds_nothing(
    store: Store, data_paths: DataPaths, qtbot: object, server: LoopbackServer
) -> None:
    WindowState(data_paths).mark_first_run_done()
    server.route("/gone.xml", Response(status=404, body=b"not here"))
    session = open_session(store, data_paths, qtbot)
    status = session.window.statusBar()

    session.subscribe(server.url("/gone.xml"), ())

    qtbot.waitUntil(lambda: status.currentMessage().startswith("Could not subscribe:"))  # type: ignore[attr-defined]
    assert "404" in status.currentMessage()
    assert store.feed_by_url(server.url("/gone.xml")) is None


def test_settings_persist_across_restart(
    store: Store, data_paths: DataPaths, qtbot: object
) -> None:
    WindowState(data_paths).mark_first_run_done()
    session = open_session(store, data_paths, qtbot)
    changed = Settings(refresh_interval_minutes=45, font_size=15, remote_images=True)
    session.window.save_settings(changed)
    session.window.close()
    again = open_session(store, data_paths, qtbot)
    assert again.window.settings.refresh_interval_minutes == 45
    assert again.window.settings.font_size == 15
    assert again.window.reader.document().defaultFont().pointSize() == 15


def test_progress_and_cancel(
    store: Store,
    data_paths: DataPaths,
    qtbot: object,
    server: LoopbackServer,
) -> None:
    WindowState(data_paths).mark_first_run_done()
    newest = datetime.now(UTC).replace(microsecond=0)
    body = atom(2, base=server.url(""), newest=newest)
    release = threading.Event()

    def slow(_request: object) -> Response:
        release.wait(10)  # the second feed answers only after the test has cancelled,
        return Response(status=503)  # with headers only: the cancelled client is gone

    server.route("/fast.xml", Response(body=body))
    server.route("/slow.xml", slow)
    store.add_feed(server.url("/fast.xml"))
    store.add_feed(server.url("/slow.xml"))
    session = open_session(store, data_paths, qtbot)
    window = session.window
    assert session.sync.start(all_feeds=True)
    qtbot.waitUntil(lambda: window.progress.value() == 1, timeout=15_000)  # type: ignore[attr-defined]
    assert window.progress.text() == "1/2 feeds"
    assert window.cancel_button.isVisibleTo(window)
    window.cancel_button.click()
    summary = wait_sync(session, qtbot)
    release.set()
    assert summary is not None and summary.cancelled
    assert not window.cancel_button.isVisibleTo(window)
    assert window.statusBar().currentMessage() == "Refresh cancelled."


def test_the_app_names_its_desktop_entry(qapp: QApplication) -> None:
    quits = qapp.quitOnLastWindowClosed()
    configure_app(qapp)
    try:
        assert qapp.desktopFileName() == "io.github.newsreader.Newsreader"
        assert qapp.applicationName() == "Newsreader"
        assert not qapp.quitOnLastWindowClosed()
    finally:
        qapp.setQuitOnLastWindowClosed(quits)
