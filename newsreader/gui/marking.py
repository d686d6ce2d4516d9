"""Read and star marks the user makes: opening an article marks it read (now or after the
configured delay), M and S toggle, Mark all read covers a view. Each mark is one undoable
command whose writes reach the window through the presenter's one path (`Presenter.apply`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoStack

from newsreader.gui.article_list import ArticleList
from newsreader.gui.background import BackgroundStore
from newsreader.gui.undo import SetReadCommand, SetStarredCommand
from newsreader.gui.view_state import StoreChange
from newsreader.model import Entry
from newsreader.store import EntryQuery, Store


class Marking(QObject):
    """`delay_seconds()` is the current mark-read delay (0: at once); `mark_copies()` whether
    opening an article also marks its copies (the same text from other sources) read."""

    def __init__(
        self,
        store: Store,
        background: BackgroundStore,
        undo_stack: QUndoStack,
        articles: ArticleList,
        changed: Callable[[StoreChange], None],
        delay_seconds: Callable[[], int],
        mark_copies: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._background, self._undo = store, background, undo_stack
        self._articles, self._changed, self._delay = articles, changed, delay_seconds
        self._mark_copies = mark_copies
        self._opened: Entry | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._mark_opened_read)

    def stop(self) -> None:
        self._timer.stop()

    def entry_opened(self, entry: Entry) -> None:
        """The reader shows `entry`: an unread one is marked read after the delay, if it is
        still the current article then."""
        self._timer.stop()
        self._opened = entry
        if entry.read:
            return
        delay = self._delay()
        if delay <= 0:
            self._mark_opened_read()
        else:
            self._timer.start(delay * 1000)

    def _mark_opened_read(self) -> None:
        opened, current = self._opened, self.current_entry()
        # the list's copy of the entry is kept fresh by every mark: no store read here
        if current is not None and opened is not None and current.id == opened.id:
            self._mark_unread_read(current)

    def _mark_unread_read(self, entry: Entry) -> None:
        """Marks an opened unread article read, with its unread copies from other sources
        (the same text reprinted) when that setting is on: one undoable step."""
        if not entry.read:
            copies = (
                self._store.copies_of([entry.id], unread_only=True) if self._mark_copies() else []
            )
            self.set_read([entry.id, *copies], True)

    def current_entry(self) -> Entry | None:
        """The list's current article, as the list holds it (no store read)."""
        if self._articles.current_entry_id() is None:
            return None
        return self._articles.model.entry_at(self._articles.current_row())

    def set_read(self, ids: Sequence[int], read: bool) -> None:
        """Marks entries (each of which has the other state now) as one undoable step."""
        self._undo.push(SetReadCommand(self._store, self._background, ids, read, self._changed))

    def selected_entries(self) -> list[Entry]:
        """The articles selected in the list (Ctrl/Shift-click), top to bottom, as the list
        holds them; the current one when no row is selected."""
        model = self._articles.model
        rows = self._articles.selected_row_numbers()
        found = [entry for row in rows if (entry := model.entry_at(row)) is not None]
        current = self.current_entry()
        return found or ([current] if current is not None else [])

    def toggle_read(self) -> None:
        """M: the selected articles become read, or unread when all of them are read."""
        entries = self.selected_entries()
        if entries:
            self._timer.stop()
            read = not all(entry.read for entry in entries)
            self.set_read([entry.id for entry in entries if entry.read != read], read)

    def toggle_star(self) -> None:
        """S: the selected articles get a star, or lose it when all of them have one."""
        entries = self.selected_entries()
        if entries:
            starred = not all(entry.starred for entry in entries)
            ids = [entry.id for entry in entries if entry.starred != starred]
            self._undo.push(SetStarredCommand(self._store, ids, starred, self._changed))

    def mark_older_read(self, query: EntryQuery) -> None:
        """Marks the unread entries of `query` older than the current article as read."""
        current = self.current_entry()
        if current is None or current.date is None:
            return
        older = replace(query, unread_only=True, until=current.date, limit=None, offset=0)
        ids = [i for i in self._store.entry_ids(older) if i != current.id]
        if ids:
            self.set_read(ids, True)

    def mark_above_read(self, query: EntryQuery) -> None:
        """Marks the unread entries listed above the current article as read."""
        row = self._articles.current_row()
        if row <= 0:
            return
        above = self._articles.model.entry_ids[:row]
        unread = set(self._store.entry_ids(replace(query, unread_only=True, limit=None, offset=0)))
        ids = [i for i in above if i in unread]
        if ids:
            self.set_read(ids, True)

    def mark_all_read(self, query: EntryQuery) -> int:
        """Marks every unread entry `query` lists as read; returns how many."""
        ids = self._store.entry_ids(replace(query, unread_only=True, limit=None, offset=0))
        if ids:
            self.set_read(ids, True)
        return len(ids)
