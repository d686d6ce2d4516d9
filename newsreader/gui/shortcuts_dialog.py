"""Help → Keyboard shortcuts (`?`): every action that has a shortcut, read from the actions
themselves, so the list never disagrees with what the keys do."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsreader.gui.actions import MENUS, key_text

# Actions whose text changes with what they would do ("Undo Mark 11 articles read"): the help
# names the action itself.
STABLE_NAMES = {"undo": "Undo", "redo": "Redo"}


def shortcut_rows(actions: Mapping[str, QAction]) -> list[tuple[str, str]]:
    """(action, keys) in menu order, for the actions that have keys."""
    rows = []
    for names in MENUS.values():
        for name in names:
            if name is None or name not in actions:
                continue
            action = actions[name]
            keys = ", ".join(key_text(k) for k in action.shortcuts())
            if keys:
                text = STABLE_NAMES.get(name) or action.text().replace("&", "").rstrip("…")
                rows.append((text, keys))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName("Shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (text, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(text))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 560)
