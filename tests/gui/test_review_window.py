"""A newcomer's review of the window (session 11): Escape never opens an article, articles
read during a visit of a view stay in their places, no type-ahead, the full-article line, the
feed panel's right click, nothing marked read that the user did not choose, and wording."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from newsreader.gui.app import Session
from newsreader.gui.article_model import Column
from newsreader.gui.opml_import import ImportOpmlDialog
from newsreader.gui.shortcuts_dialog import shortcut_rows
from newsreader.gui.views import View, ViewKind, empty_message
from newsreader.gui.window import MainWindow
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, NewFollowUp, Store
from tests.gui.conftest import NOW


def unread_in_store(store: Store) -> int:
    return store.count_entries(EntryQuery(unread_only=True))


@pytest.mark.parametrize("saved", [False, True])
def test_escape_twice_in_the_filter_box_opens_no_article(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object, saved: bool
) -> None:
    if saved:
        search = filled_store.add_saved_search("Harbour", "harbour")
        view = View(ViewKind.SEARCH, search.id)
    else:
        view = View(ViewKind.UNREAD)
    window = make_window(filled_store)
    window.feed_tree.select_view(view)
    assert window.view == view
    unread = unread_in_store(filled_store)
    window.feed_tree.setFocus()
    qtbot.keyClick(window.feed_tree, Qt.Key.Key_Slash)  # type: ignore[attr-defined]
    box = window.articles.filter
    assert QApplication.focusWidget() is box
    qtbot.keyClicks(box, "zz")  # type: ignore[attr-defined]
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
    assert QApplication.focusWidget() is window.articles.table
    qtbot.wait(50)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() is None
    assert window.reader.entry is None
    assert unread_in_store(filled_store) == unread


def settle(window: MainWindow, qtbot: object) -> None:
    """The background store thread's work so far delivered (a reload's rows applied)."""
    delivered: list[None] = []
    window.background.submit(lambda _store: None, delivered.append)
    qtbot.waitUntil(lambda: bool(delivered), timeout=15_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.articles.model.applying, timeout=15_000)  # type: ignore[attr-defined]


def test_articles_read_in_unread_stay_until_the_view_is_left(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.feed_tree.select_view(View(ViewKind.UNREAD))
    settle(window, qtbot)
    table = window.articles.table
    table.setFocus()
    first, second = window.articles.model.entry_ids[:2]
    qtbot.keyClick(table, Qt.Key.Key_N)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == first
    qtbot.keyClick(table, Qt.Key.Key_N)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == second
    window.reload_after_sync()  # what the store's write brings about (as after a sync)
    settle(window, qtbot)
    settle(window, qtbot)
    assert window.articles.model.entry_ids[:2] == [first, second]
    qtbot.keyClick(table, Qt.Key.Key_K)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == first
    assert window.reader.entry is not None and window.reader.entry.id == first
    # another view and back: a new visit, the read ones are gone
    window.feed_tree.select_view(View(ViewKind.ALL))
    window.feed_tree.select_view(View(ViewKind.UNREAD))
    settle(window, qtbot)
    assert first not in window.articles.model.entry_ids
    assert second not in window.articles.model.entry_ids


def test_focus_coming_back_to_the_list_opens_no_article(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """A dialog closing (Feeds → Rules…) gives the focus back to the list."""
    window = make_window(filled_store)
    unread = unread_in_store(filled_store)
    window.feed_tree.setFocus()
    window.articles.table.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
    dialog = window.rules_dialog()
    dialog.close()
    window.articles.table.setFocus(Qt.FocusReason.PopupFocusReason)
    qtbot.wait(50)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() is None
    assert unread_in_store(filled_store) == unread


def test_the_first_start_shows_the_welcome_without_marking_it_read(
    store: Store, data_paths: DataPaths, qtbot: object
) -> None:
    session = Session(store, data_paths, tray=False)
    window = session.window
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    session.show()
    entry = window.reader.entry
    assert entry is not None and entry.title.startswith("Welcome to Newsreader")
    assert not entry.read
    total = store.count_entries(EntryQuery())
    assert unread_in_store(store) == total
    assert window.windowTitle() == f"Newsreader ({total} unread)"
    # the user's click on it is their choice: read now
    row = window.articles.model.row_of(entry.id)
    assert row is not None
    rect = window.articles.table.visualRect(window.articles.model.index(row, Column.TITLE))
    qtbot.mouseClick(window.articles.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[attr-defined]
    assert unread_in_store(store) == total - 1


def test_letters_without_a_shortcut_jump_nowhere(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.feed_tree.select_view(View(ViewKind.ALL))
    tree, table = window.feed_tree, window.articles.table
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_B)  # type: ignore[attr-defined]  # "Beta News"
    assert window.view == View(ViewKind.ALL)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_B)  # type: ignore[attr-defined]  # "beta story …"
    qtbot.keyClick(table, Qt.Key.Key_A)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() is None
    # p is "previous", as k
    qtbot.keyClick(table, Qt.Key.Key_J)  # type: ignore[attr-defined]
    qtbot.keyClick(table, Qt.Key.Key_J)  # type: ignore[attr-defined]
    assert window.articles.current_row() == 1
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_P)  # type: ignore[attr-defined]
    assert window.view == View(ViewKind.ALL)
    assert window.articles.current_row() == 0


def test_keys_are_written_as_they_are_pressed(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    rows = dict(shortcut_rows(window.actions_by_name))
    assert rows["Next article"] == "j"
    assert rows["Previous article"] == "k, p"
    assert rows["Refresh all"] == "r"
    assert rows["Mark all read"] == "Shift+A"
    assert rows["Search this view"] == "/, Ctrl+F"
    assert window.actions_by_name["refresh"].toolTip() == "Refresh (r)"
    assert "(r)" in empty_message(View(ViewKind.UNREAD), searching=False, has_feeds=True)


def linked_entry(store: Store, link: str | None) -> int:
    feed = store.add_feed("https://island.example/feed.xml")
    entry = ParsedEntry(
        id="ferry", title="Ferry returns", link=link, published=NOW, summary="<p>Teaser</p>"
    )
    store.apply_parsed_feed(
        feed.id, ParsedFeed(format="rss20", entries=(entry,)), FetchInfo(fetched_at=NOW)
    )
    [entry_id] = store.entry_ids(EntryQuery(feed_ids=(feed.id,)))
    return entry_id


def test_no_load_full_article_for_an_article_without_a_web_page(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    entry_id = linked_entry(store, None)
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    text = window.reader.toPlainText()
    assert "Load full article" not in text
    assert "no web page of its own" in text
    assert not window.actions_by_name["load_full_text"].isEnabled()
    assert window.reader.load_full_text() is None
    assert f"entry {entry_id}" not in window.reader.toPlainText()


def test_a_failed_automatic_fetch_says_why_and_when(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    link = "https://island.example/ferry"
    entry_id = linked_entry(store, link)
    store.record_full_text(entry_id, "failed", NOW, reason="HTTP 404")
    retry = NOW + timedelta(hours=2)
    store.fail_follow_up(NewFollowUp("page", link, entry_id), NOW, retry, 5)
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    text = window.reader.toPlainText()
    assert "No full article: its page could not be fetched (HTTP 404), tried " in text
    assert NOW.astimezone().strftime("%d %b %H:%M") in text
    assert f"a refresh after {retry.astimezone().strftime('%d %b %H:%M')} tries again" in text
    assert "Try again" in text
    assert window.actions_by_name["load_full_text"].isEnabled()


def test_right_click_on_a_feed_keeps_the_view_and_the_article(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.feed_tree.select_view(View(ViewKind.ALL))
    window.articles.select_row(2)
    reading = window.reader.entry
    assert reading is not None
    beta = next(f for f in filled_store.list_feeds() if f.url.startswith("https://beta"))
    tree = window.feed_tree
    rect = tree.visualRect(tree.tree_model.index_for(View(ViewKind.FEED, beta.id)))
    asked: list[object] = []
    tree.context_requested.disconnect()
    tree.context_requested.connect(lambda view, _where: asked.append(view))
    qtbot.mousePress(tree.viewport(), Qt.MouseButton.RightButton, pos=rect.center())  # type: ignore[attr-defined]
    qtbot.mouseRelease(tree.viewport(), Qt.MouseButton.RightButton, pos=rect.center())  # type: ignore[attr-defined]
    QApplication.sendEvent(
        tree.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse,
            rect.center(),
            tree.viewport().mapToGlobal(rect.center()),
        ),
    )
    assert asked == [View(ViewKind.FEED, beta.id)]
    assert window.view == View(ViewKind.ALL)
    assert window.reader.entry is not None and window.reader.entry.id == reading.id


def test_wording_of_the_rules_properties_and_notes(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    rules = window.rules_dialog()
    rules.query.setText('title:"alpha story 3"')
    assert rules.show_preview() == 1
    assert rules.message.text() == "1 stored article matches now."
    rules.close()
    alpha, beta = sorted(filled_store.list_feeds(), key=lambda f: f.url)
    dialog = window.subscriptions.properties_dialog(beta.id)
    assert dialog.interval.specialValueText() == "default (30 min)"
    dialog.user_agent.setText("Mozilla/5.0 (kept)")
    dialog.url.setText(alpha.url)
    dialog.accept()
    assert dialog.isVisible()  # nothing typed is lost
    assert (
        dialog.error.text() == "“Alpha News” already has this address: each feed is followed once."
    )
    assert dialog.user_agent.text() == "Mozilla/5.0 (kept)"
    dialog.reject()
    window.mark_all_read()
    assert window.statusBar().currentMessage() == "Marked 8 articles read (Ctrl+Z undoes it)."


def test_the_import_question_stands_by_its_drop_down() -> None:
    dialog = ImportOpmlDialog("work.opml", 3, 0, [], left_out=["Delta site: a web page"])
    layout = dialog.layout()
    order = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert order.index(dialog.folder) == order.index(dialog.question) + 1
    assert "Not imported" not in dialog.question.text()
    assert dialog.left_out.text() == "Not imported (1):\n• Delta site: a web page"
