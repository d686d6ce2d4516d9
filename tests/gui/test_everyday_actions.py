"""The everyday actions: hide read articles, mark older/above as read, the shortcut help, the
Edit menu, `o` without a browser, related articles listed once, a new reply in view."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from newsreader.gui.reader_html import distinct_related
from newsreader.gui.shortcuts_dialog import shortcut_rows
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import Entry
from newsreader.store import EntryQuery, Store
from tests.gui.shown import feed_label, label, shown_read


def settle(window: MainWindow, qtbot: object) -> None:
    delivered: list[None] = []
    window.background.submit(lambda _store: None, delivered.append)
    qtbot.waitUntil(lambda: bool(delivered), timeout=15_000)  # type: ignore[attr-defined]


def test_hide_read_keeps_the_article_being_read_until_the_view_is_left(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(1)  # opened: read
    reading = window.articles.current_entry_id()
    window.articles.select_row(0)  # read too, and current
    current = window.articles.current_entry_id()
    hide = window.actions_by_name["hide_read"]
    hide.trigger()
    assert hide.isChecked()
    qtbot.waitUntil(lambda: window.articles.model.rowCount() == 7, timeout=15_000)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == current  # kept while it is read
    assert reading not in window.articles.model.entry_ids
    window.feed_tree.select_view(View(ViewKind.STARRED))
    assert not hide.isChecked()  # per view
    window.feed_tree.select_view(View(ViewKind.ALL))
    assert hide.isChecked()
    assert window.articles.model.rowCount() == 6  # the read ones are gone now
    hide.trigger()
    qtbot.waitUntil(lambda: window.articles.model.rowCount() == 8, timeout=15_000)  # type: ignore[attr-defined]


def test_hide_read_is_remembered_across_restarts(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)  # opened: read
    read = window.articles.current_entry_id()
    window.feed_tree.select_view(View(ViewKind.STARRED))
    window.feed_tree.select_view(View(ViewKind.ALL))
    window.actions_by_name["hide_read"].trigger()
    window.close()
    again = make_window(filled_store)  # a new start on the same data folder
    assert again.view == View(ViewKind.ALL)
    assert again.actions_by_name["hide_read"].isChecked()
    assert again.articles.model.query.unread_only
    qtbot.waitUntil(lambda: again.articles.model.complete, timeout=15_000)  # type: ignore[attr-defined]
    assert read not in again.articles.model.entry_ids
    assert again.articles.model.rowCount() == 7
    again.feed_tree.select_view(View(ViewKind.STARRED))
    assert not again.actions_by_name["hide_read"].isChecked()  # still per view
    again.feed_tree.select_view(View(ViewKind.ALL))
    again.actions_by_name["hide_read"].trigger()  # shown again, and remembered so
    again.close()
    third = make_window(filled_store)
    assert not third.actions_by_name["hide_read"].isChecked()
    assert third.articles.model.rowCount() == 8


def test_the_article_read_last_is_restored_with_read_ones_hidden(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """With Hide read on, the article read last is selected again at the next start, kept in
    its place in the list though it is read (as it was when read in the session)."""
    window = make_window(filled_store)
    window.actions_by_name["hide_read"].trigger()
    qtbot.waitUntil(lambda: window.articles.model.complete, timeout=15_000)  # type: ignore[attr-defined]
    window.articles.select_row(2)  # opened: read, kept in place
    reading = window.articles.current_entry_id()
    assert reading is not None
    qtbot.waitUntil(lambda: filled_store.get_entry(reading).read)  # type: ignore[attr-defined]
    window.close()
    again = make_window(filled_store)
    assert again.actions_by_name["hide_read"].isChecked()
    qtbot.waitUntil(lambda: again.articles.current_entry_id() == reading, timeout=15_000)  # type: ignore[attr-defined]
    model = again.articles.model
    assert model.entry_ids.index(reading) == 2  # in its place among the unread ones
    assert len(model.entry_ids) == 8
    assert again.reader.entry is not None and again.reader.entry.id == reading


def test_mark_older_and_above_as_read(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.save_settings(replace(window.settings, mark_read_delay_seconds=60))
    ids = window.articles.model.entry_ids
    window.articles.select_row(5)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_O, Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
    unread = set(filled_store.entry_ids(EntryQuery(unread_only=True)))
    assert unread == set(ids[:6])  # rows 6 and 7 are older than row 5
    unread_item = window.feed_tree.tree_model.item_for(View(ViewKind.UNREAD))
    assert unread_item is not None and unread_item.text() == "Unread (6)"
    window.articles.select_row(3)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_K, Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
    assert set(filled_store.entry_ids(EntryQuery(unread_only=True))) == set(ids[3:6])
    assert [shown_read(window, i) for i in ids[:6]] == [True] * 3 + [False] * 3
    alpha, beta = (filled_store.get_entry(i).feed_id for i in ids[:2])  # rows alternate
    assert feed_label(window, alpha) == "Alpha News (1)"
    assert feed_label(window, beta) == "Beta News (2)"
    window.undo_stack.undo()
    assert set(filled_store.entry_ids(EntryQuery(unread_only=True))) == set(ids[:6])
    # the rows above are shown unread again, and the counts went back up
    assert not any(shown_read(window, i) for i in ids[:6])
    assert label(window, View(ViewKind.UNREAD)) == "Unread (6)"
    assert feed_label(window, alpha) == "Alpha News (3)"
    assert feed_label(window, beta) == "Beta News (3)"
    assert window.undo_stack.redoText() == "Mark 3 articles read"


def test_the_shortcut_help_lists_every_key(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    window.toggle_read()  # now Undo would undo "Mark 1 article read"
    assert window.undo_stack.undoText()
    rows = dict(shortcut_rows(window.actions_by_name))
    assert rows["Undo"] == "Ctrl+Z" and "Redo" in rows  # named as themselves (keys: platform)
    assert rows["Mark read/unread"] == "m"  # as pressed: "M" reads as Shift+M
    assert rows["Keyboard shortcuts"] == "?"
    assert rows["Hide read articles"] == "Shift+H"
    dialog = window.shortcuts_dialog()
    assert dialog.table.rowCount() == len(rows)
    texts = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert "Copy link" in texts and "Mark older as read" in texts
    dialog.close()


def test_edit_menu_copies_pastes_and_copies_the_link(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    edit = [a.objectName() for a in window.menus["&Edit"].actions() if a.objectName()]
    assert edit[:7] == ["undo", "redo", "cut", "copy", "paste", "select_all", "copy_link"]
    window.articles.select_row(0)
    window.actions_by_name["copy_link"].trigger()
    assert QGuiApplication.clipboard().text() == "https://alpha.example/0"
    box = window.articles.filter
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)  # type: ignore[attr-defined]
    QGuiApplication.clipboard().setText("harbour")
    window.actions_by_name["paste"].trigger()
    assert box.text() == "harbour"
    window.actions_by_name["select_all"].trigger()
    window.actions_by_name["cut"].trigger()
    assert box.text() == "" and QGuiApplication.clipboard().text() == "harbour"


def test_o_without_a_browser_says_so(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    # a desktop without any program that opens web pages (no xdg-open, no browser)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BROWSER", raising=False)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_O)  # type: ignore[attr-defined]
    assert "No web browser could be started" in window.statusBar().currentMessage()


def test_related_articles_list_each_link_once() -> None:
    entry = Entry(id=1, feed_id=1, guid="a", link="https://x.example/a")
    same_story = Entry(id=2, feed_id=2, guid="b", link="https://x.example/a")
    other = Entry(id=3, feed_id=2, guid="c", link="https://x.example/c")
    again = Entry(id=4, feed_id=3, guid="d", link="https://x.example/c")
    unlinked = Entry(id=5, feed_id=3, guid="e")
    assert distinct_related(entry, [same_story, other, again, unlinked, entry]) == [
        other,
        unlinked,
    ]


def test_a_new_reply_scrolls_into_view(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None
    for n in range(30):  # a long discussion: the end is far below the panel's top
        last = filled_store.add_comment(
            entry_id, f"Comment {n}\n\nwith a second paragraph.", author="Reader"
        )
    panel = window.comments
    panel.refresh()
    bar = panel.thread_view.verticalScrollBar()
    bar.setValue(0)
    panel.begin_reply(last.id)
    panel.editor.setPlainText("A reply, placed under the last comment.")
    reply = panel.submit()
    assert reply is not None
    assert bar.value() > 0  # scrolled to the reply


def test_print_opens_a_preview_of_the_article(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    window = make_window(filled_store)
    assert not window.actions_by_name["print"].isEnabled()  # no article yet
    window.articles.select_row(0)
    entry = window.reader.entry
    assert entry is not None
    dialog = window.print_article()
    assert isinstance(dialog, QPrintPreviewDialog) and dialog.isVisible()
    assert entry.title is not None and entry.title in dialog.windowTitle()
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pageCount() == 1, timeout=15_000)  # type: ignore[attr-defined]
    # the preview keeps its printer: a collection and a redraw (a page setup change) later,
    # it still draws (a borrowed printer freed here crashed the process)
    gc.collect()
    preview.updatePreview()
    assert preview.pageCount() == 1
    dialog.close()
