"""One view state: after every transition the list, the reader (its article or its text for
no selection), the tree's counts and the status bar agree with the store. One test per
transition that used to leave a panel stale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt

from newsreader.gui.sync_controller import SyncController
from newsreader.gui.undo import BULK
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.store import EntryQuery, Store
from newsreader.sync.events import Failure, FeedOutcome, FeedSynced, SyncFinished, SyncSummary
from tests.gui.conftest import add_feed


def tree_text(window: MainWindow, view: View) -> str:
    item = window.feed_tree.tree_model.item_for(view)
    assert item is not None
    return item.text()


def reader_text(window: MainWindow) -> str:
    return window.reader.toPlainText()


def settle(window: MainWindow, qtbot: object) -> None:
    """Waits until the background store thread has delivered everything asked of it so far."""
    delivered: list[None] = []
    window.background.submit(lambda _store: None, delivered.append)
    qtbot.waitUntil(lambda: bool(delivered), timeout=15_000)  # type: ignore[attr-defined]


def test_switching_views_without_selecting_describes_each_view(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    assert window.feed_tree.select_view(View(ViewKind.STARRED))
    assert window.articles.model.rowCount() == 0
    assert "No starred articles" in reader_text(window)
    assert window.feed_tree.select_view(View(ViewKind.ALL))
    assert "8 articles here" in reader_text(window)
    assert "No starred" not in reader_text(window)
    assert window.status_label.text() == "8 articles"
    filled_store.set_starred([filled_store.entry_ids(EntryQuery())[2]], True)
    assert window.feed_tree.select_view(View(ViewKind.STARRED))
    assert window.articles.model.rowCount() == 1
    assert "1 article here" in reader_text(window)
    assert window.feed_tree.select_view(View(ViewKind.UNREAD))
    assert "All read" not in reader_text(window)  # 8 unread listed


def test_with_everything_read_the_reader_does_not_offer_the_next_unread(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    assert window.feed_tree.select_view(View(ViewKind.ALL))
    assert "press n for the next unread one" in reader_text(window)
    window.mark_all_read()
    assert window.articles.model.rowCount() == 8
    assert "N for the next unread" not in reader_text(window)
    assert "8 articles here, all read" in reader_text(window)


def test_feed_problems_header_describes_the_problems_it_lists(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    now = datetime.now(UTC)
    add_feed(store, "fine", 2)
    for n in range(3):  # failing feeds that never delivered an article
        feed = store.add_feed(f"https://dead{n}.example/feed.xml")
        store.record_fetch_error(feed.id, "cannot resolve host name", now, now)
    window = make_window(store)
    assert tree_text(window, View(ViewKind.PROBLEMS)) == "Feed problems (3)"
    assert window.feed_tree.select_view(View(ViewKind.PROBLEMS))
    assert "No feed problems" not in reader_text(window)
    assert "3 feeds with a problem" in reader_text(window)


def test_undo_of_mark_all_read_brings_the_unread_list_back(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    assert window.feed_tree.select_view(View(ViewKind.UNREAD))
    window.mark_all_read()
    assert tree_text(window, View(ViewKind.UNREAD)) == "Unread"
    window.feed_tree.select_view(View(ViewKind.ALL))
    window.feed_tree.select_view(View(ViewKind.UNREAD))  # left and came back: nothing unread
    assert window.articles.model.rowCount() == 0
    assert "All read" in reader_text(window)
    window.undo_stack.undo()
    settle(window, qtbot)
    assert tree_text(window, View(ViewKind.UNREAD)) == "Unread (8)"
    assert window.articles.model.rowCount() == 8
    assert window.status_label.text() == "8 articles"
    assert "All read" not in reader_text(window)


def test_undo_of_a_large_mark_all_read_brings_the_unread_list_back(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    add_feed(store, "many", BULK + 20)  # written on the background thread
    window = make_window(store)
    settle(window, qtbot)
    assert window.feed_tree.select_view(View(ViewKind.UNREAD))
    window.mark_all_read()
    qtbot.waitUntil(lambda: window.articles.model.rowCount() == 0, timeout=15_000)  # type: ignore[attr-defined]
    settle(window, qtbot)
    assert tree_text(window, View(ViewKind.UNREAD)) == "Unread"
    assert "All read" in reader_text(window)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.articles.model.rowCount() == BULK + 20, timeout=15_000)  # type: ignore[attr-defined]
    settle(window, qtbot)
    assert tree_text(window, View(ViewKind.UNREAD)) == f"Unread ({BULK + 20})"
    assert "All read" not in reader_text(window)


def test_undo_of_an_unstar_in_starred_brings_the_row_back(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(1)
    window.toggle_star()
    assert window.feed_tree.select_view(View(ViewKind.STARRED))
    window.articles.select_row(0)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_S)  # type: ignore[attr-defined]
    assert tree_text(window, View(ViewKind.STARRED)) == "Starred"
    window.feed_tree.select_view(View(ViewKind.ALL))
    window.feed_tree.select_view(View(ViewKind.STARRED))
    assert "No starred articles" in reader_text(window)
    window.undo_stack.undo()
    assert tree_text(window, View(ViewKind.STARRED)) == "Starred (1)"
    qtbot.waitUntil(lambda: window.articles.model.rowCount() == 1, timeout=15_000)  # type: ignore[attr-defined]
    assert "No starred" not in reader_text(window)


def test_the_reader_never_shows_an_article_the_view_does_not_hold(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)  # an alpha story
    assert window.reader.entry is not None
    assert reader_text(window).startswith("alpha story 0")
    beta = next(f.id for f in filled_store.list_feeds() if f.url.startswith("https://beta"))
    assert window.feed_tree.select_view(View(ViewKind.FEED, beta))
    assert window.reader.entry is None
    assert "alpha story" not in reader_text(window)
    assert "3 articles here" in reader_text(window)
    assert not window.actions_by_name["star"].isEnabled()
    window.set_search("nothing-matches-this")
    assert "No articles match this search" in reader_text(window)


def test_the_offline_label_follows_what_the_network_answered(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    sync = SyncController(window.paths, window.tasks, 60, parent=window)
    sync.offline_changed.connect(window.set_offline)
    offline = window.offline_label
    failure = Failure(1, "https://alpha.example/feed.xml", "cannot resolve host", network=True)
    # one host unanswered is that host, not the machine
    sync.sync_event.emit(SyncFinished(SyncSummary(checked=1, failures=(failure,))))
    assert not offline.isVisibleTo(window)
    other = Failure(2, "https://beta.example/feed.xml", "cannot resolve host", network=True)
    sync.sync_event.emit(SyncFinished(SyncSummary(checked=2, failures=(failure, other))))
    assert offline.isVisibleTo(window)
    # a sync with no feed due says nothing about the network: still offline
    sync.sync_event.emit(SyncFinished(SyncSummary(checked=0)))
    assert offline.isVisibleTo(window)
    # a feed answered (a subscribe's first fetch, or a sync's feed): online again at once
    sync.sync_event.emit(
        FeedSynced(1, "https://alpha.example/feed.xml", "Alpha", FeedOutcome.UNCHANGED, 1, 1)
    )
    assert not offline.isVisibleTo(window)


def test_one_m_press_reads_the_entry_once_and_not_the_feed_panel(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    statements: list[str] = []
    filled_store.trace_statements(statements.append)
    try:
        qtbot.keyClick(window.articles.table, Qt.Key.Key_M)  # type: ignore[attr-defined]
    finally:
        filled_store.trace_statements(None)
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert sum("FROM entries" in s for s in reads) == 1, reads
    assert not any("FROM feeds" in s or "images" in s for s in reads), reads
    assert tree_text(window, View(ViewKind.UNREAD)) == "Unread (8)"  # marked unread again


def test_a_sync_keeps_the_article_being_read_in_unread(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    assert window.feed_tree.select_view(View(ViewKind.UNREAD))
    window.articles.select_row(2)  # opened, so marked read: no longer in the Unread query
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None and filled_store.get_entry(entry_id).read
    add_feed(filled_store, "gamma", 2)  # a sync wrote new articles
    window.reload_after_sync()
    settle(window, qtbot)
    settle(window, qtbot)  # the list is re-read once the panel is in
    assert window.articles.model.rowCount() == 10  # 7 unread + the one being read + 2 new
    assert window.articles.current_entry_id() == entry_id
    assert window.reader.entry is not None and window.reader.entry.id == entry_id
    window.feed_tree.select_view(View(ViewKind.ALL))
    window.feed_tree.select_view(View(ViewKind.UNREAD))  # left and came back: it is gone
    assert window.articles.model.rowCount() == 9
