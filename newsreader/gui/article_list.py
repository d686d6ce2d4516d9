"""The article list: a filter box over a table of the current view's articles.

The table never measures its contents (fixed row heights, no resize-to-contents), so a view of
100,000 rows costs only the rows on screen. The title cell can carry a line of the article's
text under the title (`gui/article_delegate.py`). When a sync inserts rows above the visible
ones, the list scrolls by the same amount, so what the user was looking at stays put.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from newsreader.gui.article_delegate import TitleDelegate, rows_height
from newsreader.gui.article_model import ENTRY_ID_ROLE, ArticleModel, Column
from newsreader.gui.background import BackgroundStore
from newsreader.query import SYNTAX_HELP
from newsreader.store import Store

COLUMN_NAMES = {
    Column.STAR: "Starred",
    Column.SOURCE: "Source",
    Column.DATE: "Date",
    Column.COMMENTS: "Comments",
    Column.SOURCES: "Sources (feeds reporting the story)",
    Column.LANGUAGE: "Language",
}
"""The columns the header's menu can hide (the title always stays), as the menu names them."""


class ArticleTable(QTableView):
    """`columns_changed` fires after the user hid or showed a column (header's menu)."""

    columns_changed = Signal()

    def __init__(self, model: ArticleModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Articles")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Ctrl/Shift-click select several articles (for M, S and T); the current row is the
        # one the reader shows.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.title_delegate = TitleDelegate(self)
        self.setItemDelegateForColumn(Column.TITLE, self.title_delegate)
        self.set_snippets_shown(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        width = self.fontMetrics().horizontalAdvance("M")
        self.setColumnWidth(Column.STAR, width * 2 + 6)
        self.setColumnWidth(Column.SOURCE, width * 9)
        # unread rows are bold: the widest texts of these columns are measured in bold
        bold = QFont(self.font())
        bold.setBold(True)
        widest = QFontMetrics(bold).horizontalAdvance
        self.setColumnWidth(Column.DATE, widest("55 minutes ago") + 16)
        self.setColumnWidth(Column.COMMENTS, width * 2 + 6)
        self.setColumnWidth(Column.SOURCES, widest("12 sources") + 16)
        self.setColumnWidth(Column.LANGUAGE, width * 3 + 6)
        self._top_row: int | None = None  # the top row's number while rows go in above it
        model.rowsAboutToBeInserted.connect(self._remember_top)
        model.rowsInserted.connect(self._restore_top)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Focus never makes a row current: Qt's item view makes the first row current when
        it gains focus without one (Escape from the filter box, a dialog closing), and a
        current row is an article opened and marked read that the user never chose."""
        if self.currentIndex().isValid():
            super().focusInEvent(event)
        else:
            QAbstractScrollArea.focusInEvent(self, event)
            self.viewport().update()

    def keyboardSearch(self, search: str) -> None:
        """No type-ahead: single letters are the app's shortcuts, never a jump to a row."""

    def header_menu(self) -> QMenu:
        """Right click on the header: a check box per column that can be hidden, so a
        narrow list keeps room for the titles."""
        menu = QMenu(self)
        menu.setAccessibleName("Columns")
        for column, name in COLUMN_NAMES.items():
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown))
        return menu

    def _header_menu(self, pos: QPoint) -> None:
        self.header_menu().exec(self.horizontalHeader().mapToGlobal(pos))

    def _show_column(self, column: Column, shown: bool) -> None:
        self.setColumnHidden(column, not shown)
        self.columns_changed.emit()

    def hidden_columns(self) -> list[Column]:
        return [c for c in COLUMN_NAMES if self.isColumnHidden(c)]

    def hide_columns(self, columns: Sequence[Column]) -> None:
        """Hides exactly these columns (of those the menu offers), shows the others."""
        for column in COLUMN_NAMES:
            self.setColumnHidden(column, column in columns)

    def set_snippets_shown(self, shown: bool) -> None:
        """A line of each article's text under its title (rows two lines high), or titles
        alone (one line)."""
        self.title_delegate.show_snippets = shown
        self.verticalHeader().setDefaultSectionSize(
            rows_height(self.fontMetrics(), 2 if shown else 1)
        )
        self.viewport().update()

    def _remember_top(self, _parent: QModelIndex, first: int, _last: int) -> None:
        top = self.rowAt(0)
        self._top_row = top if top >= 0 and first <= top else None

    def _restore_top(self, _parent: QModelIndex, first: int, last: int) -> None:
        """The row that was on top moved down by the rows inserted above it: it stays on top
        (counted, not looked up: the model's row index is being rebuilt)."""
        if self._top_row is None:
            return
        row = self._top_row + last - first + 1
        self._top_row = None
        self.scrollTo(self.model().index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)


SEARCH_DELAY_MS = 300
"""The filter box searches this long after the last key press (at once on Enter)."""


class ArticleList(QWidget):
    """Filter box plus table; `entry_activated` fires when the current article changes,
    `search_changed` when the filter box's search changes (typed, debounced, or cleared)."""

    entry_activated = Signal(object)  # entry id, or None when nothing is current
    search_changed = Signal(str)

    def __init__(
        self, store: Store, background: BackgroundStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = ArticleModel(store, background, self)
        # the articles the current row has shown through N (one row per story), so that N
        # visits each once even while a mark-read delay leaves them unread
        self._row_visits: set[int] = set()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText('Search this view ( / ): words "phrase" -not OR title: tag:')
        self.filter.setToolTip(f"Searches as you type. The syntax: {SYNTAX_HELP}")
        self.filter.setAccessibleName("Search articles")
        self.filter.setClearButtonEnabled(True)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(SEARCH_DELAY_MS)
        self._typing.timeout.connect(self._submit_search)
        self.filter.returnPressed.connect(self._submit_search)
        self.filter.textEdited.connect(self._edited)
        self.filter.textChanged.connect(self._cleared)
        self.error = QLabel()
        self.error.setAccessibleName("Search error")
        self.error.setWordWrap(True)
        # wrapped within the list's width, never widening it (a long query without spaces:
        # the splitter would give the list the reader's room)
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error.setMinimumWidth(1)
        self.error.hide()
        self.table = ArticleTable(self.model, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        # Escape empties the filter box (as NetNewsWire and Feedly do), then leaves it
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self._escape)

    def _escape(self) -> None:
        if self.filter.text():
            self.filter.clear()  # the search is cleared with it (`_cleared`)
        else:
            self.table.setFocus()

    def _submit_search(self) -> None:
        self._typing.stop()
        self.search_changed.emit(self.filter.text().strip())

    def _edited(self, _text: str) -> None:
        self._typing.start()  # restarted by each key: one search once typing pauses

    def _cleared(self, text: str) -> None:
        if not text:
            self._typing.stop()
            self.search_changed.emit("")

    def clear_search(self) -> None:
        """Empties the filter box without a search of its own (the view changes anyway)."""
        self._typing.stop()
        self.filter.blockSignals(True)
        try:
            self.filter.clear()
        finally:
            self.filter.blockSignals(False)
        self.show_error(None)

    def show_error(self, message: str | None) -> None:
        self.error.setText(breakable(message or ""))
        self.error.setToolTip(message or "")
        self.error.setVisible(bool(message))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.entry_activated.emit(current.data(ENTRY_ID_ROLE) if current.isValid() else None)

    # --- navigation ---------------------------------------------------------------------

    def current_entry_id(self) -> int | None:
        index = self.table.currentIndex()
        value = index.data(ENTRY_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def selected_row_numbers(self) -> list[int]:
        """The numbers of the selected rows, top to bottom. Read from the selection's ranges:
        Ctrl+A over 100,000 rows is one range, which `selectedRows()` turns into 100,000
        indexes (a second of the GUI thread, on every reload during a sync)."""
        selection = self.table.selectionModel().selection()
        spans = sorted((r.top(), r.bottom()) for r in selection.toList())
        rows: list[int] = []
        for top, bottom in spans:  # ranges may overlap (Ctrl+click inside a Shift+click span)
            start = max(top, rows[-1] + 1) if rows else top
            rows.extend(range(start, bottom + 1))
        return rows

    def selected_entry_ids(self) -> list[int]:
        """The articles of the selected rows, in list order."""
        ids = self.model.entry_ids
        return [ids[row] for row in self.selected_row_numbers() if row < len(ids)]

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> bool:
        if not 0 <= row < self.model.rowCount():
            return False
        index = self.model.index(row, Column.TITLE)
        # this row alone (j/k, n select one again), whatever modifier keys Qt holds down:
        # a stray Ctrl would add it to the selection, and selected rows are kept on reloads
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        return row is not None and self.select_row(row)

    def step(self, step: int) -> bool:
        row = self.current_row()
        return self.select_row(0 if row < 0 and step > 0 else row + step)

    def next_unread(self) -> bool:
        """Selects the next unread article below the current one; with a story as one row,
        its row shows each of its unread articles in turn (`ArticleModel.next_unread`)."""
        current, shown = self.current_row(), self.current_entry_id()
        if shown is None or shown not in self._row_visits:  # another row became current
            self._row_visits = set() if shown is None else {shown}
        found = self.model.next_unread(current, self._row_visits)
        if found is None:
            return False
        row, entry_id = found
        self._row_visits = {*self._row_visits, entry_id} if row == current else {entry_id}
        self.model.show_in_row(row, entry_id)
        if row != current:
            return self.select_row(row)
        self.table.scrollTo(self.model.index(row, Column.TITLE))
        self.entry_activated.emit(entry_id)  # the current row shows another article
        return True


LONGEST_RUN = 30  # characters without a space after which a message may break


def breakable(message: str) -> str:
    """`message` with a zero-width space after every `LONGEST_RUN` characters of a run
    without spaces (a query of 100 "("), so a wrapped label can break it."""
    return re.sub(rf"(\S{{{LONGEST_RUN}}})(?=\S)", "\\1\u200b", message)
