"""The window over a real store: views, keyboard navigation, read/star with undo, search."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView

from newsreader.gui import article_model
from newsreader.gui.article_model import SNIPPET_ROLE, Column, RowChanges, row_changes
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import RELOAD_MS, RELOAD_PACE, MainWindow
from newsreader.store import EntryQuery, Store, db
from tests.gui.conftest import NOW, add_feed
from tests.gui.shown import feed_label, shown_read


def titles(window: MainWindow) -> list[str]:
    model = window.articles.model
    return [str(model.index(r, Column.TITLE).data()) for r in range(model.rowCount())]


def test_all_view_lists_every_article_newest_first(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    assert window.view == View(ViewKind.ALL)
    shown = titles(window)
    assert len(shown) == 8
    assert shown[0] == "alpha story 0 about harbour lights"
    assert shown[1] == "beta story 0 about harbour lights"
    date = window.articles.model.index(0, Column.DATE)
    assert date.data() in ("just now", "1 minute ago") or "minute" in date.data()
    assert date.data(Qt.ItemDataRole.ToolTipRole)  # exact time on hover
    font = window.articles.model.index(0, Column.TITLE).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()  # unread in bold


def test_keyboard_navigation_opens_and_marks_read(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    table = window.articles.table
    window.articles.select_row(0)
    table.setFocus()
    first = window.articles.current_entry_id()
    assert first is not None
    assert window.reader.entry is not None and window.reader.entry.id == first
    assert window.reader.toPlainText().startswith("alpha story 0")
    assert filled_store.get_entry(first).read  # opening marks read (delay 0)
    qtbot.keyClick(table, Qt.Key.Key_J)  # type: ignore[attr-defined]
    assert window.articles.current_row() == 1
    assert window.reader.toPlainText().startswith("beta story 0")
    qtbot.keyClick(table, Qt.Key.Key_K)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == first
    # n skips read articles: rows 0 and 1 are read now, row 2 is the next unread
    qtbot.keyClick(table, Qt.Key.Key_N)  # type: ignore[attr-defined]
    assert window.articles.current_row() == 2
    # space scrolls the reader (a short article: nothing to scroll) then moves to the next unread
    qtbot.keyClick(table, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert window.articles.current_row() == 3


def test_mark_unread_star_and_undo(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None and filled_store.get_entry(entry_id).read
    qtbot.keyClick(window.articles.table, Qt.Key.Key_M)  # type: ignore[attr-defined]
    assert not filled_store.get_entry(entry_id).read
    qtbot.keyClick(window.articles.table, Qt.Key.Key_S)  # type: ignore[attr-defined]
    assert filled_store.get_entry(entry_id).starred
    assert window.articles.model.index(0, Column.STAR).data() == "★"
    assert unread_label(window) == "Unread (8)"
    window.undo_stack.undo()
    assert not filled_store.get_entry(entry_id).starred
    assert window.articles.model.index(0, Column.STAR).data() != "★"  # what the user sees
    window.undo_stack.undo()
    assert filled_store.get_entry(entry_id).read
    assert shown_read(window, entry_id)
    assert unread_label(window) == "Unread (7)"
    window.undo_stack.undo()  # the mark-read of opening it
    assert not filled_store.get_entry(entry_id).read
    assert not shown_read(window, entry_id)
    assert unread_label(window) == "Unread (8)"


def unread_label(window: MainWindow) -> str:
    item = window.feed_tree.tree_model.item_for(View(ViewKind.UNREAD))
    assert item is not None
    return item.text()


def test_starred_view_and_counts(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(3)
    window.toggle_star()
    assert window.feed_tree.select_view(View(ViewKind.STARRED))
    assert len(titles(window)) == 1
    item = window.feed_tree.tree_model.item_for(View(ViewKind.STARRED))
    assert item is not None and item.text() == "Starred (1)"
    unread = window.feed_tree.tree_model.item_for(View(ViewKind.UNREAD))
    assert unread is not None and unread.text() == "Unread (7)"


def test_search_filters_current_view(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    qtbot.keyClick(window, Qt.Key.Key_Slash)  # type: ignore[attr-defined]
    assert window.articles.filter.hasFocus()
    qtbot.keyClicks(window.articles.filter, "beta")  # type: ignore[attr-defined]
    qtbot.keyClick(window.articles.filter, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert len(titles(window)) == 3
    assert all(t.startswith("beta") for t in titles(window))
    window.articles.filter.clear()
    assert len(titles(window)) == 8


def test_bad_search_shows_error_and_keeps_list(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.set_search('"unbalanced')
    assert titles(window)  # the list is kept
    assert window.articles.error.isVisibleTo(window)
    window.set_search("")
    assert not window.articles.error.isVisibleTo(window)


def test_sort_by_title(filled_store: Store, make_window: Callable[[Store], MainWindow]) -> None:
    window = make_window(filled_store)
    window.articles.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    shown = titles(window)
    assert shown == sorted(shown, key=str.casefold)


def test_feed_view_and_mark_all_read(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    beta = next(f for f in filled_store.list_feeds() if f.title == "Beta News")
    assert window.feed_tree.select_view(View(ViewKind.FEED, beta.id))
    assert len(titles(window)) == 3
    window.mark_all_read()
    assert filled_store.count_entries(EntryQuery(feed_ids=(beta.id,), unread_only=True)) == 0
    item = window.feed_tree.tree_model.item_for(View(ViewKind.FEED, beta.id))
    assert item is not None and item.text() == "Beta News"
    assert all(shown_read(window, i) for i in window.articles.model.entry_ids)
    window.undo_stack.undo()
    assert filled_store.count_entries(EntryQuery(feed_ids=(beta.id,), unread_only=True)) == 3
    # the feed's rows and its label show the three unread again
    assert not any(shown_read(window, i) for i in window.articles.model.entry_ids)
    assert feed_label(window, beta.id) == "Beta News (3)"
    assert unread_label(window) == "Unread (8)"


def test_reader_shows_related_from_other_feeds(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    qtbot.waitUntil(lambda: window.reader.related is not None)  # type: ignore[attr-defined]
    text = window.reader.toPlainText()
    assert "Related articles" in text
    assert "Open original" in text
    related = window.reader.related
    assert related  # every story shares "harbour lights"; other feeds come first
    assert related[0].feed_id != window.reader.entry.feed_id  # type: ignore[union-attr]
    assert related[0].title is not None and related[0].title in text
    window.open_entry(related[0].id)
    assert window.articles.current_entry_id() == related[0].id


def test_ctrl_e_opens_export_with_the_current_article(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    from newsreader.gui.export_dialog import ExportDialog

    window = make_window(filled_store)
    window.articles.select_row(0)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(window.findChildren(ExportDialog)))  # type: ignore[attr-defined]
    dialogs = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].scope_combo.currentText() == "Selected article (1)"
    dialogs[0].reject()
    menu = [a.text() for a in window.article_context_menu().actions() if a.text()]
    assert "&Export…" in menu and "&Print…" in menu


def test_every_action_has_its_shortcut_in_a_menu(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    in_menus = {a for menu in window.menus.values() for a in menu.actions()}
    wanted = {
        "next": "J",
        "previous": "K",
        "next_unread": "N",
        "scroll": "Space",
        "toggle_read": "M",
        "star": "S",
        "open_original": "O",
        "refresh": "R",
        "comment": "C",
        "export": "Ctrl+E",
        "print": "Ctrl+P",
    }
    for name, key in wanted.items():
        action = window.actions_by_name[name]
        assert action in in_menus, name
        assert action.shortcut().toString() == key, name
    search = window.actions_by_name["search"]
    assert [k.toString() for k in search.shortcuts()] == ["/", "Ctrl+F"]


def test_settings_dialog_changes_apply(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    from newsreader.gui.settings_dialog import SettingsDialog
    from newsreader.settings import Theme

    window = make_window(filled_store)
    dialog = SettingsDialog(window.settings, window)
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK.value))
    dialog.font_size.setValue(17)
    dialog.mark_read_delay.setValue(3)
    window.save_settings(dialog.result_settings())
    stored = filled_store.load_settings()
    assert stored.theme == Theme.DARK and stored.font_size == 17
    assert stored.mark_read_delay_seconds == 3
    assert window.dark
    # with a delay, opening no longer marks read at once
    window.articles.select_row(4)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None and not filled_store.get_entry(entry_id).read


def test_feed_problems_lists_failing_feeds_with_reason(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    from datetime import UTC, datetime

    beta = next(f for f in filled_store.list_feeds() if f.title == "Beta News")
    now = datetime.now(UTC)
    filled_store.record_fetch_error(beta.id, "HTTP 500 from beta.example", now, now, cause="SERVER")
    window = make_window(filled_store)
    problems = window.feed_tree.tree_model.item_for(View(ViewKind.PROBLEMS))
    assert problems is not None and problems.text() == "Feed problems (1)"
    assert problems.child(0).text() == "1 feed: server errors (HTTP 5xx)"
    assert problems.child(0).child(0).text() == "Beta News: HTTP 500 from beta.example"
    window.feed_tree.select_view(View(ViewKind.PROBLEMS))
    assert len(titles(window)) == 3


def test_mark_read_after_the_configured_delay(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    from dataclasses import replace

    window = make_window(filled_store)
    window.save_settings(replace(window.settings, mark_read_delay_seconds=1))
    window.articles.select_row(2)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None and not filled_store.get_entry(entry_id).read
    qtbot.waitUntil(lambda: filled_store.get_entry(entry_id).read, timeout=5000)  # type: ignore[attr-defined]
    # moving on before the delay leaves the next article unread
    window.articles.select_row(3)
    other = window.articles.current_entry_id()
    window.articles.select_row(4)
    last = window.articles.current_entry_id()
    assert last is not None
    # The timer for `other` started first, so had it not been cancelled it would have fired
    # before the one for `last`: once `last` is read, `other` must still be unread.
    qtbot.waitUntil(lambda: filled_store.get_entry(last).read, timeout=5000)  # type: ignore[attr-defined]
    assert other is not None and not filled_store.get_entry(other).read


def test_next_unread_skips_long_runs_of_read_articles(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    from tests.gui.conftest import add_feed

    add_feed(store, "gamma", 120)
    ids = store.entry_ids(EntryQuery())
    store.set_read(ids[1:100], True)  # more than one probe's worth of read articles
    window = make_window(store)
    window.articles.select_row(0)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_N)  # type: ignore[attr-defined]
    assert window.articles.current_row() == 100
    qtbot.keyClick(window.articles.table, Qt.Key.Key_N)  # type: ignore[attr-defined]
    assert window.articles.current_row() == 101
    window.articles.select_row(119)
    assert not window.articles.next_unread()  # nothing below the last article


def test_after_a_sync_the_panel_is_read_in_the_background_and_a_newer_change_wins(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    alpha = next(f.id for f in filled_store.list_feeds() if f.url.startswith("https://alpha"))
    beta = next(f.id for f in filled_store.list_feeds() if f.url.startswith("https://beta"))
    filled_store.set_read([filled_store.entry_ids(EntryQuery(feed_ids=(beta,)))[0]], True)
    window.reload_after_sync()  # as the sync's coalesced refresh: reads on the background thread
    window.pending.hidden.add(alpha)  # meanwhile the user unsubscribes (still undoable) ...
    window.refresh_feeds()  # ... which shows at once
    delivered: list[None] = []
    window.background.submit(lambda _store: None, delivered.append)  # after the panel read
    qtbot.waitUntil(lambda: bool(delivered), timeout=15_000)  # type: ignore[attr-defined]
    tree = window.feed_tree.tree_model
    assert tree.item_for(View(ViewKind.FEED, alpha)) is None  # the older read did not undo it
    assert window.unread_count == 2  # beta's three, one read
    window.pending.hidden.clear()
    window.reload_after_sync()
    qtbot.waitUntil(lambda: window.unread_count == 7, timeout=15_000)  # type: ignore[attr-defined]
    assert tree.item_for(View(ViewKind.FEED, alpha)) is not None


def test_a_syncs_reloads_are_paced_by_the_background_threads_work(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    timer = window._reload_timer

    def worked(seconds: float) -> None:  # the background thread busy, as on a large store
        delivered: list[None] = []
        window.background.submit(lambda _store: time.sleep(seconds), delivered.append)
        qtbot.waitUntil(lambda: bool(delivered), timeout=15_000)  # type: ignore[attr-defined]

    window.reload_after_sync()
    worked(0)
    window.reload_after_sync()  # a small store's reads: the shortest wait
    assert timer.interval() == RELOAD_MS
    before = window.background.busy_seconds
    worked(0.6)
    assert window.background.busy_seconds - before >= 0.6
    window.reload_after_sync()  # the thread worked 0.6 s since the last reload began
    assert timer.interval() >= RELOAD_PACE * 600
    worked(0)
    window.reload_after_sync()  # quick again: back to the shortest wait
    assert timer.interval() == RELOAD_MS


def test_unread_count_changes_are_signalled(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    counts: list[int] = []
    window.unread_count_changed.connect(counts.append)  # the tray's badge follows it
    beta = next(f.id for f in filled_store.list_feeds() if f.url.startswith("https://beta"))
    filled_store.set_read(filled_store.entry_ids(EntryQuery(feed_ids=(beta,))), True)
    window.refresh_feeds()
    window.refresh_feeds()  # unchanged: no second signal
    assert counts == [5]
    assert window.windowTitle() == "Newsreader (5 unread)"


def test_refreshes_in_quick_succession_list_each_article_once(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    model = window.articles.model
    add_feed(filled_store, "gamma", 4)  # a sync wrote between the alpha and beta stories
    model.reload()
    model.reload()  # worked out against the same rows: its changes must be redone
    delivered: list[None] = []
    window.background.submit(lambda _store: None, delivered.append)  # after both reads
    qtbot.waitUntil(lambda: bool(delivered), timeout=15_000)  # type: ignore[attr-defined]
    assert model.entry_ids == filled_store.entry_ids(model.query)
    assert model.rowCount() == 12


def test_a_refresh_asked_for_while_one_runs_follows_it_on_the_store_thread(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Refreshes during a sync come faster than a large view is read: each waits for the one
    running, so its row changes are worked out on the store thread from the rows it meets,
    never again on the GUI thread."""
    window = make_window(filled_store)
    model = window.articles.model
    threads: list[str] = []

    def traced(old: list[int], ids: list[int]) -> RowChanges:
        threads.append(threading.current_thread().name)
        return row_changes(old, ids)

    monkeypatch.setattr(article_model, "row_changes", traced)
    loaded: list[None] = []
    model.loaded.connect(lambda: loaded.append(None))
    add_feed(filled_store, "gamma", 4)
    model.reload()
    add_feed(filled_store, "delta", 3, start=NOW + timedelta(hours=1))
    model.reload()
    model.reload()  # asked for while the first runs: the two are one reload after it
    qtbot.waitUntil(lambda: len(loaded) == 2, timeout=15_000)  # type: ignore[attr-defined]
    assert model.rowCount() == 15
    assert model.entry_ids == filled_store.entry_ids(model.query)
    assert len(threads) == 2 and threading.main_thread().name not in threads
    assert model.row_of(model.entry_ids[-1]) == 14


def test_articles_arriving_above_the_view_leave_the_top_row_in_place(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    add_feed(store, "gamma", 120)
    window = make_window(store)
    table, model = window.articles.table, window.articles.model
    table.scrollTo(model.index(60, Column.TITLE), QAbstractItemView.ScrollHint.PositionAtTop)
    top = model.entry_ids[table.rowAt(0)]
    assert top != model.entry_ids[0]  # scrolled down the list
    add_feed(store, "delta", 5, start=NOW + timedelta(hours=1))  # a sync: newer, above
    window.reload_after_sync()
    qtbot.waitUntil(lambda: model.rowCount() == 125, timeout=15_000)  # type: ignore[attr-defined]
    assert model.entry_ids[table.rowAt(0)] == top


def test_after_a_sync_the_rows_on_screen_are_drawn_from_what_the_refresh_read(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """A refresh during a sync reads the rows the view showed afresh on the store thread, so
    drawing them again runs no statement on the GUI thread (it read four per page of rows:
    tens of ms on a large store while the sync writes). A row marked meanwhile is not
    overwritten by the older read."""
    add_feed(store, "gamma", 150)
    window = make_window(store)
    table, model = window.articles.table, window.articles.model
    table.scrollTo(model.index(100, Column.TITLE), QAbstractItemView.ScrollHint.PositionAtTop)
    shown = [model.entry_ids[table.rowAt(0) + n] for n in range(5)]
    for entry_id in shown:
        row = model.row_of(entry_id)
        assert row is not None and model.index(row, Column.TITLE).data()  # drawn once
    add_feed(store, "delta", 5, start=NOW + timedelta(hours=1))  # a sync: newer, above
    loaded: list[None] = []
    model.loaded.connect(lambda: loaded.append(None))
    window.reload_after_sync()
    store.set_read([shown[0]], True)  # the user reads one meanwhile (M)
    model.update_entries(store.entries_by_ids([shown[0]]))
    statements: list[str] = []
    store.trace_statements(statements.append)
    try:
        qtbot.waitUntil(lambda: bool(loaded), timeout=15_000)  # type: ignore[attr-defined]
        table.viewport().repaint()
        drawn = {}
        for entry_id in shown:
            row = model.row_of(entry_id)
            assert row is not None
            drawn[entry_id] = [
                model.index(row, column).data(role)
                for column in Column
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, SNIPPET_ROLE)
            ]
    finally:
        store.trace_statements(None)
    assert statements == []
    assert [drawn[i][3] for i in shown] == [e.title for e in store.entries_by_ids(shown)]
    assert drawn[shown[0]][4] is None  # read: not bold (marked after the refresh's read began)
    assert all(drawn[i][4] is not None for i in shown[1:])  # unread: bold


def test_the_background_store_does_not_read_the_whole_file_again(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The GUI thread's store checked the file as it opened; the window's second one, on the
    background thread, leaves the check out (a second full read of a large file at start)."""
    checked: list[object] = []
    monkeypatch.setattr(db, "quick_check", lambda conn: checked.append(conn) or [])
    window = make_window(filled_store)
    done: list[int] = []
    window.background.submit(lambda store: store.count_entries(EntryQuery()), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=15_000)  # type: ignore[attr-defined]
    assert done == [8] and checked == []


def test_a_refresh_inserting_rows_in_several_places_redraws_the_reader_once(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no article open, the reader's message names the count: a refresh whose rows go in
    at several places draws it once when the refresh is in, not once per run of rows, and
    leaves the comment panel (which says no article is selected) alone."""
    window = make_window(filled_store)
    model = window.articles.model
    messages: list[str] = []
    comment_redraws: list[None] = []
    show_message = window.reader.show_message
    refresh = window.comments.refresh
    monkeypatch.setattr(
        window.reader, "show_message", lambda m: messages.append(m) or show_message(m)
    )
    monkeypatch.setattr(
        window.comments, "refresh", lambda: comment_redraws.append(None) or refresh()
    )
    add_feed(filled_store, "gamma", 4, start=NOW - timedelta(minutes=2))  # between the others
    loaded: list[None] = []
    model.loaded.connect(lambda: loaded.append(None))
    model.reload()
    qtbot.waitUntil(lambda: bool(loaded), timeout=15_000)  # type: ignore[attr-defined]
    assert model.rowCount() == 12
    assert messages == [
        "12 articles here. Select one to read it, or press n for the next unread one."
    ]
    assert comment_redraws == []


def test_the_toolbar_holds_the_common_actions_with_their_shortcuts(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    buttons = {
        action.objectName(): window.toolbar.widgetForAction(action)
        for action in window.toolbar.actions()
        if not action.isSeparator()
    }
    assert list(buttons) == [
        "add_feed",
        "refresh",
        "mark_all_read",
        "star",
        "open_original",
        "export",
    ]
    assert buttons["refresh"].accessibleName() == "Refresh"
    assert buttons["refresh"].toolTip() == "Refresh (r)"
    assert buttons["mark_all_read"].toolTip() == "Mark all read (Shift+A)"
    assert buttons["add_feed"].toolTip() == "Add feed (Ctrl+N)"
    assert all(button.isVisible() for button in buttons.values())  # none pushed off the edge

    assert not buttons["star"].isEnabled()  # no article shown yet
    assert not window.actions_by_name["open_original"].isEnabled()
    assert buttons["refresh"].isEnabled() and buttons["export"].isEnabled()
    window.articles.select_row(0)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None
    assert buttons["star"].isEnabled() and buttons["open_original"].isEnabled()
    qtbot.mouseClick(buttons["star"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert filled_store.get_entry(entry_id).starred
    qtbot.mouseClick(buttons["mark_all_read"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert filled_store.count_entries(EntryQuery(unread_only=True)) == 0


def test_an_empty_store_says_how_to_begin(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(store)
    assert "Add feed (Ctrl+N)" in window.reader.toPlainText()
    assert "Import OPML" in window.reader.toPlainText()
    assert "selected article" in window.comments.thread_view.toPlainText()
    assert not window.comments.editor.isEnabled()


def test_an_unread_row_s_date_fits_its_column(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    """Unread rows are bold: "55 minutes ago" was cut to "55 minutes a…" (seen under X)."""
    from datetime import UTC, datetime, timedelta

    from PySide6.QtGui import QFontMetrics

    add_feed(store, "tide", 1, start=datetime.now(UTC) - timedelta(minutes=55, seconds=10))
    window = make_window(store)
    index = window.articles.model.index(0, Column.DATE)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert index.data() == "55 minutes ago"
    margins = 8  # Qt's text margin either side of a cell
    needed = QFontMetrics(font).horizontalAdvance(index.data()) + margins
    assert needed <= window.articles.table.columnWidth(Column.DATE)
