"""Importing an OPML file asks first: how many feeds, from which file, into which folder.

The file's own folders are kept beneath the chosen one; "top level" keeps them as they are.
The same dialog serves File → Import OPML… and a file handed over by the desktop (double-click,
another start of the app), so nothing is subscribed to without the user's yes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from newsreader.gui.add_feed_dialog import folder_names, folder_paths
from newsreader.gui.dialog_buttons import ok_cancel_buttons
from newsreader.model import Folder, OutlineFeed
from newsreader.wording import counted


def into_folder(outline: Sequence[OutlineFeed], into: tuple[str, ...]) -> list[OutlineFeed]:
    """The outline with every feed's folder path placed beneath `into`."""
    return [
        OutlineFeed(item.url, item.title, item.site_url, (*into, *item.folder)) for item in outline
    ]


LEFT_OUT_SHOWN = 5  # outlines named in the dialog; the rest are counted


def import_question(source: str, new: int, already: int) -> str:
    """The dialog's question, e.g. "Import 12 feeds from “work.opml” into:"."""
    if not new and already:
        question = f"You already follow all {already} feeds in “{source}”."
    elif not new:
        question = f"“{source}” names no feed that can be imported."
    else:
        question = f"Import {counted(new, 'feed')} from “{source}” into:"
        if already:
            question += f"\n({already} more you already follow stay where they are.)"
    return question


def left_out_text(left_out: Sequence[str]) -> str:
    """What the file lists that cannot be imported (one line each, with the reason)."""
    if not left_out:
        return ""
    text = f"Not imported ({len(left_out)}):"
    text += "".join(f"\n• {line}" for line in left_out[:LEFT_OUT_SHOWN])
    if len(left_out) > LEFT_OUT_SHOWN:
        text += f"\n• and {len(left_out) - LEFT_OUT_SHOWN} more"
    return text


class ImportOpmlDialog(QDialog):
    """Asks where to put the feeds of one OPML file; `into()` is the chosen folder path."""

    def __init__(
        self,
        source: str,
        new: int,
        already: int,
        folders: Sequence[Folder],
        parent: QWidget | None = None,
        *,
        left_out: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import OPML")
        self.setAccessibleName("Import OPML")
        self.question = QLabel(import_question(source, new, already))
        self.question.setAccessibleName("What will be imported")
        self.question.setWordWrap(True)
        self.folder = QComboBox()
        self.folder.setAccessibleName("Import into folder")
        self.folder.addItem("(top level, keeping the file's folders)", ())
        for label, folder_id in folder_paths(folders):
            self.folder.addItem(label, folder_names(folders, folder_id))
        stem = source.rsplit(".", 1)[0].strip()
        if stem and stem not in {f.name for f in folders if f.parent_id is None}:
            self.folder.addItem(f"New folder “{stem}”", (stem,))
        self.question.setBuddy(self.folder)
        self.buttons = ok_cancel_buttons(self, "&Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(new > 0)
        self.folder.setEnabled(new > 0)
        self.left_out = QLabel(left_out_text(left_out))
        self.left_out.setAccessibleName("Not imported")
        self.left_out.setWordWrap(True)
        self.left_out.setVisible(bool(left_out))
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.folder)
        layout.addSpacing(8)
        layout.addWidget(self.left_out)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def into(self) -> tuple[str, ...]:
        value = self.folder.currentData()
        return tuple(value) if isinstance(value, (tuple, list)) else ()
