"""Saved searches and tags in the window: saving the filter box's search as a smart feed,
renaming, editing and deleting one from the tree's context menu, and the tag editor (`T`) with
completion over the tags in use, for the selected articles.

Every write goes through the store on the GUI thread (small writes) and reaches the window as
`FeedsChanged`, so the tree's Searches and Tags sections and the list are read anew.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from newsreader.errors import NewsreaderError
from newsreader.gui.dialog_buttons import ok_cancel_buttons
from newsreader.gui.views import View, ViewKind
from newsreader.query import SYNTAX_HELP
from newsreader.store import Store
from newsreader.wording import sentence


def split_tags(text: str) -> list[str]:
    """Tag names from comma-separated text, trimmed, without blanks or repeats (any case)."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


class _LastTagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, keeping the ones before it."""

    def __init__(self, tags: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(list(tags), self))  # owned here, kept with the completer
        self.setCaseSensitivity(self.caseSensitivity().CaseInsensitive)

    def splitPath(self, path: str) -> list[str]:
        return [path.rpartition(",")[2].lstrip()]

    def pathFromIndex(self, index: object) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        before, comma, _ = typed.rpartition(",")
        chosen = str(super().pathFromIndex(index))  # type: ignore[arg-type]
        return f"{before}{comma} {chosen}".lstrip() if comma else chosen


class TagDialog(QDialog):
    """Edits the tags of one or more articles: the tags all of them carry are shown; what is
    removed from the line is removed from every article, what is added is added to all."""

    def __init__(
        self, common: Sequence[str], known: Sequence[str], count: int, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tags")
        self.common = list(common)
        self.edit = QLineEdit(", ".join(common))
        self.edit.setAccessibleName("Tags")
        self.edit.setPlaceholderText("later, climate, to share")
        self.edit.setCompleter(_LastTagCompleter(known, self.edit))
        form = QFormLayout()
        form.addRow("Tags:", self.edit)
        layout = QVBoxLayout(self)
        noun = "this article" if count == 1 else f"these {count} articles"
        layout.addWidget(QLabel(f"Tags of {noun}, separated by commas:"))
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))

    def changes(self) -> tuple[list[str], list[str]]:
        """(tags to add, tags to remove), compared without case."""
        wanted = split_tags(self.edit.text())
        had = {t.casefold() for t in self.common}
        now = {t.casefold() for t in wanted}
        return [t for t in wanted if t.casefold() not in had], [
            t for t in self.common if t.casefold() not in now
        ]


T = TypeVar("T")


class SmartViews:
    """The window's saved-search and tag actions; `changed` is called after every write."""

    def __init__(self, store: Store, parent: QWidget, changed: Callable[[], None]) -> None:
        self._store = store
        self._parent = parent
        self._changed = changed

    def save_search(self, text: str) -> int | None:
        """Asks for a name and saves `text` as a smart feed; its id, or None if cancelled or
        refused (the reason is shown)."""
        if not text.strip():
            QMessageBox.information(
                self._parent, "Save search", "Type a search in the filter box first."
            )
            return None
        saved = self._ask_until_saved(
            "Save search",
            f"Name for “{text}”:",
            "",
            lambda name: self._store.add_saved_search(name, text),
        )
        if saved is None:
            return None
        self._changed()
        return saved.id

    def _ask_until_saved(
        self, title: str, label: str, text: str, save: Callable[[str], T]
    ) -> T | None:
        """Asks for a value (starting from `text`) and saves it; a refusal (a name in use)
        is shown and the question asked again with what was typed, until it is saved
        (its result) or cancelled (None): the typed value was lost with the dialog."""
        while True:
            text, ok = QInputDialog.getText(self._parent, title, label, text=text)
            if not ok or not text.strip():
                return None
            try:
                return save(text)
            except NewsreaderError as error:
                QMessageBox.warning(self._parent, title, sentence(str(error)))

    def context_menu(self, view: View) -> QMenu | None:
        """The right-click menu of a saved search (None for other views)."""
        if view.kind != ViewKind.SEARCH or view.id is None:
            return None
        search_id = view.id
        menu = QMenu(self._parent)
        menu.setAccessibleName("Saved search actions")
        menu.addAction("&Rename…", lambda: self.rename(search_id))
        menu.addAction("&Edit search…", lambda: self.edit(search_id))
        menu.addSeparator()
        menu.addAction("&Delete", lambda: self.delete(search_id))
        return menu

    def _saved(self, search_id: int) -> tuple[str, str] | None:
        found = [s for s in self._store.list_saved_searches(counts=False) if s.id == search_id]
        return (found[0].name, found[0].query) if found else None

    def rename(self, search_id: int) -> None:
        saved = self._saved(search_id)
        if saved is None:
            return
        done = self._ask_until_saved(
            "Rename search",
            "Name:",
            saved[0],
            lambda name: self._store.update_saved_search(search_id, name=name),
        )
        if done is not None:
            self._changed()

    def edit(self, search_id: int) -> None:
        saved = self._saved(search_id)
        if saved is None:
            return
        done = self._ask_until_saved(
            "Edit search",
            f"Search ({SYNTAX_HELP}):",
            saved[1],
            lambda query: self._store.update_saved_search(search_id, query=query),
        )
        if done is not None:
            self._changed()

    def delete(self, search_id: int) -> None:
        saved = self._saved(search_id)
        if saved is not None:
            self._store.remove_saved_search(saved[0])
            self._changed()

    def tag_dialog(self, entry_ids: Sequence[int]) -> TagDialog | None:
        """The tag editor for these articles (None when there are none)."""
        entries = self._store.entries_by_ids(list(entry_ids))
        if not entries:
            return None
        common = [t for t in entries[0].tags if all(t in e.tags for e in entries[1:])]
        known = [name for name, _ in self._store.list_tags()]
        return TagDialog(common, known, len(entries), self._parent)

    def apply_tags(self, entry_ids: Sequence[int], dialog: TagDialog) -> None:
        added, removed = dialog.changes()
        if not added and not removed:
            return
        try:
            for tag in added:
                self._store.tag_entries(entry_ids, tag)
            for tag in removed:
                self._store.untag_entries(entry_ids, tag)
        except NewsreaderError as error:
            QMessageBox.warning(self._parent, "Tags", str(error))
        self._changed()

    def edit_tags(self, entry_ids: Sequence[int]) -> None:
        dialog = self.tag_dialog(entry_ids)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_tags(entry_ids, dialog)
