"""A newcomer's review of the window (session 11): Escape never opens an article, articles
read during a visit of a view stay in their places, no type-ahead, the full-article line, the
feed panel's right click, nothing marked read that the user did not choose, and wording."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from newsreader.gui.app import Session
from newsreader.gui.article_model import Column
from newsreader.gui.shortcuts_dialog import shortcut_rows
from newsreader.gui.views import View, ViewKind, empty_message
from newsreader.gui.window import MainWindow
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store


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
