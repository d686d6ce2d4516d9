"""Several articles selected at once (Ctrl/Shift-click): M, S and T act on all of them, in one
undoable step, while the reader and the view state follow the one current article."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QDialog

from newsreader.gui.article_model import Column
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.store import Store
from tests.gui.shown import feed_label, label, shown_read, shown_starred
from tests.gui.test_view_state import settle


def click(window: MainWindow, qtbot: object, row: int, modifier: Qt.KeyboardModifier) -> None:
    """Clicks a row's title in the article list, holding `modifier`."""
    table = window.articles.table
    rect = table.visualRect(window.articles.model.index(row, Column.TITLE))
    qtbot.mouseClick(  # type: ignore[attr-defined]
        table.viewport(), Qt.MouseButton.LeftButton, modifier, QPoint(rect.center())
    )


def ids_at(window: MainWindow, rows: list[int]) -> list[int]:
    model = window.articles.model
    return [entry.id for row in rows if (entry := model.entry_at(row)) is not None]


def test_marks_and_tags_apply_to_every_selected_article(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    table = window.articles.table
    click(window, qtbot, 0, Qt.KeyboardModifier.NoModifier)
    click(window, qtbot, 2, Qt.KeyboardModifier.ControlModifier)
    first, third = ids_at(window, [0, 2])
    # two rows selected; the reader and the view state show the last one clicked
    assert window.selected_entry_ids() == [first, third]
    assert window.articles.current_entry_id() == third
    assert window.presenter.state.entry_id == third
    settle(window, qtbot)
    assert window.reader.entry is not None and window.reader.entry.id == third
    assert filled_store.get_entry(first).read and filled_store.get_entry(third).read  # opened

    # M: all read, so all become unread; M again: all read; one undo step each
    qtbot.keyClick(table, Qt.Key.Key_M)  # type: ignore[attr-defined]
    assert not any(filled_store.get_entry(i).read for i in (first, third))
    assert window.selected_entry_ids() == [first, third]  # the selection stays
    qtbot.keyClick(table, Qt.Key.Key_M)  # type: ignore[attr-defined]
    assert all(filled_store.get_entry(i).read for i in (first, third))
    assert all(shown_read(window, i) for i in (first, third))
    assert label(window, View(ViewKind.UNREAD)) == "Unread (6)"
    alpha = filled_store.get_entry(first).feed_id  # rows 0 and 2 are both Alpha's
    assert feed_label(window, alpha) == "Alpha News (3)"
    window.undo_stack.undo()
    assert not any(filled_store.get_entry(i).read for i in (first, third))
    # the window follows the undo: both rows unread again, the counts back up by two
    assert not any(shown_read(window, i) for i in (first, third))
    assert label(window, View(ViewKind.UNREAD)) == "Unread (8)"
    assert feed_label(window, alpha) == "Alpha News (5)"
    assert window.undo_stack.redoText() == "Mark 2 articles read"

    # Shift-click adds the rows from the last clicked one (rows 2 to 4, row 0 stays)
    click(window, qtbot, 4, Qt.KeyboardModifier.ShiftModifier)
    span = ids_at(window, [0, 2, 3, 4])
    assert window.selected_entry_ids() == span
    assert window.presenter.state.entry_id == span[-1]
    qtbot.keyClick(table, Qt.Key.Key_S)  # type: ignore[attr-defined]
    assert all(filled_store.get_entry(i).starred for i in span)
    assert not filled_store.get_entry(ids_at(window, [1])[0]).starred
    assert all(shown_starred(window, i) for i in span)
    assert label(window, View(ViewKind.STARRED)) == "Starred (4)"
    window.undo_stack.undo()
    assert not any(filled_store.get_entry(i).starred for i in span)
    assert not any(shown_starred(window, i) for i in span)
    assert label(window, View(ViewKind.STARRED)) == "Starred"
    assert window.undo_stack.redoText() == "Star"

    # T opens the tag editor for all of them; its tags go to each
    opened: list[list[int]] = []
    window.smart.edit_tags = lambda entry_ids: opened.append(list(entry_ids))  # type: ignore[method-assign]
    qtbot.keyClick(table, Qt.Key.Key_T)  # type: ignore[attr-defined]
    assert opened == [span]
    dialog = window.smart.tag_dialog(span)
    assert dialog is not None
    dialog.edit.setText("harbour, later")
    window.smart.apply_tags(span, dialog)
    assert all(filled_store.get_entry(i).tags == ("harbour", "later") for i in span)
    dialog.done(QDialog.DialogCode.Rejected)

    # moving with the keyboard selects one article again
    qtbot.keyClick(table, Qt.Key.Key_J)  # type: ignore[attr-defined]
    assert len(window.selected_entry_ids()) == 1
    assert window.selected_entry_ids() == [window.articles.current_entry_id()]


def test_selected_articles_are_read_from_the_selection_s_ranges_in_list_order(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    """Overlapping ranges (Ctrl+Shift-click over a span) count each row once, top to
    bottom; Ctrl+A is one range over every row."""
    window = make_window(filled_store)
    model, table = window.articles.model, window.articles.table
    selection = table.selectionModel()
    rows = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(QItemSelection(model.index(7, 0), model.index(7, 0)), rows)
    selection.select(QItemSelection(model.index(2, 0), model.index(5, 0)), rows)
    selection.select(QItemSelection(model.index(0, 0), model.index(3, 0)), rows)
    assert window.articles.selected_row_numbers() == [0, 1, 2, 3, 4, 5, 7]
    assert window.selected_entry_ids() == ids_at(window, [0, 1, 2, 3, 4, 5, 7])
    table.selectAll()
    everything = list(range(model.rowCount()))
    assert window.articles.selected_row_numbers() == everything
    assert window.presenter.state.entry_id is None  # no article opened: every row is kept
    assert window.presenter._kept() == tuple(ids_at(window, everything))
