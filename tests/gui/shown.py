"""What the window shows of an article's marks, read the way the user sees them: the article
list's row (its accessible text "Title, read", its bold font, its star column) and the feed
panel's labels. Tests of a mark and its undo check these besides the store, so they fail when
the store changed but the window did not follow."""

from __future__ import annotations

from PySide6.QtCore import Qt

from newsreader.gui.article_model import Column
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow


def shown_read(window: MainWindow, entry_id: int) -> bool:
    """Whether the list's row of the article shows it read (a listed article only). The
    accessible text and the font are two views of one state: they must agree."""
    model = window.articles.model
    row = model.row_of(entry_id)
    assert row is not None, f"article {entry_id} is not listed"
    title = model.index(row, Column.TITLE)
    said = str(title.data(Qt.ItemDataRole.AccessibleTextRole))
    bold = title.data(Qt.ItemDataRole.FontRole) is not None
    assert said.endswith((", read", ", unread")), said
    read = said.endswith(", read")
    assert bold != read, f"{said!r} drawn {'bold' if bold else 'plain'}"
    return read


def shown_starred(window: MainWindow, entry_id: int) -> bool:
    """Whether the list's row of the article shows its star."""
    model = window.articles.model
    row = model.row_of(entry_id)
    assert row is not None, f"article {entry_id} is not listed"
    return bool(model.index(row, Column.STAR).data() == "★")


def label(window: MainWindow, view: View) -> str:
    """The feed panel's label of a view: "Unread (6)", "Alpha News (3)", "Starred"."""
    item = window.feed_tree.tree_model.item_for(view)
    assert item is not None, f"no {view.key} in the feed panel"
    return item.text()


def feed_label(window: MainWindow, feed_id: int) -> str:
    return label(window, View(ViewKind.FEED, feed_id))
