"""Comments in the window: write, reply, edit, delete with undo, and find them after a restart."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl

from newsreader.gui.article_model import Column
from newsreader.gui.comments import COMMENT_SCHEME
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import CommentOrigin, ParsedEntry, ParsedFeed
from newsreader.store import FetchInfo, Store
from tests.gui.conftest import NOW


def test_empty_entry_says_no_comments_yet(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    assert "No comments yet" in window.comments.thread_view.toPlainText()


def test_write_reply_edit_delete_and_undo(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None
    panel = window.comments
    qtbot.keyClick(window.articles.table, Qt.Key.Key_C)  # type: ignore[attr-defined]
    assert panel.editor.hasFocus()
    qtbot.keyClicks(panel.editor, "The lights were green")  # type: ignore[attr-defined]
    qtbot.keyClick(  # type: ignore[attr-defined]
        panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    [root] = filled_store.comment_threads(entry_id)
    assert root.body == "The lights were green" and root.origin == CommentOrigin.USER
    assert panel.editor.toPlainText() == ""
    assert "The lights were green" in panel.thread_view.toPlainText()

    panel.thread_view.anchorClicked.emit(QUrl(f"{COMMENT_SCHEME}:reply:{root.id}"))
    assert "Replying to" in panel.mode_label.text()
    panel.editor.setPlainText("No, they were blue")
    panel.submit()
    [root] = filled_store.comment_threads(entry_id)
    assert [r.body for r in root.replies] == ["No, they were blue"]
    reply_id = root.replies[0].id

    panel.thread_view.anchorClicked.emit(QUrl(f"{COMMENT_SCHEME}:edit:{reply_id}"))
    assert panel.editor.toPlainText() == "No, they were blue"
    panel.editor.setPlainText("No, they were blue-green")
    panel.submit()
    assert filled_store.get_comment(reply_id).body == "No, they were blue-green"
    assert filled_store.get_comment(reply_id).edited is not None

    panel.thread_view.anchorClicked.emit(QUrl(f"{COMMENT_SCHEME}:delete:{reply_id}"))
    assert filled_store.get_comment(reply_id).deleted
    assert "blue-green" not in panel.thread_view.toPlainText()
    window.undo_stack.undo()
    assert not filled_store.get_comment(reply_id).deleted
    assert "blue-green" in panel.thread_view.toPlainText()

    # the entry is now in the Commented view
    assert window.feed_tree.select_view(View(ViewKind.COMMENTED))
    assert window.articles.model.entry_ids == [entry_id]


def test_comments_survive_restarting_the_window(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(1)
    entry_id = window.articles.current_entry_id()
    window.comments.editor.setPlainText("Remember to read the follow-up")
    window.comments.submit()
    window.close()

    again = make_window(filled_store)
    assert again.articles.current_entry_id() == entry_id  # selection restored
    assert "Remember to read the follow-up" in again.comments.thread_view.toPlainText()
    assert again.comments.heading.text() == "Comments (1)"


def comments_cell(window: MainWindow, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
    model = window.articles.model
    return str(model.data(model.index(window.articles.current_row(), Column.COMMENTS), role) or "")


def test_the_comment_column_counts_stored_comments_beside_the_announced_ones(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    feed = store.add_feed("https://talk.example/feed.xml")
    announced = ParsedEntry(
        id="talk-1", title="A talked-about story", published=NOW, comment_count=2
    )
    store.apply_parsed_feed(
        feed.id, ParsedFeed(format="rss20", entries=(announced,)), FetchInfo(fetched_at=NOW)
    )
    window = make_window(store)
    window.articles.select_row(0)
    entry_id = window.articles.current_entry_id()
    assert entry_id is not None
    assert comments_cell(window) == "2"
    assert comments_cell(window, Qt.ItemDataRole.ToolTipRole) == "2 on the site"

    for body in ("First", "Second", "Third"):
        window.comments.editor.setPlainText(body)
        window.comments.submit()
    assert comments_cell(window) == "3"  # more stored than announced
    assert comments_cell(window, Qt.ItemDataRole.ToolTipRole) == "2 on the site, 3 here"

    third = store.list_comments(entry_id)[-1]
    window.comments.delete(third.id)
    assert comments_cell(window) == "2"
    assert comments_cell(window, Qt.ItemDataRole.ToolTipRole) == "2 on the site, 2 here"
    window.undo_stack.undo()
    assert comments_cell(window) == "3"


def test_comments_on_an_entry_without_announced_count_show_in_the_list(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(2)
    assert comments_cell(window) == ""
    window.comments.editor.setPlainText("Mine")
    window.comments.submit()
    assert comments_cell(window) == "1"
    assert comments_cell(window, Qt.ItemDataRole.AccessibleTextRole) == "comments: 1 here"
    window.close()
    again = make_window(filled_store)  # read from the store, not from the edit
    assert comments_cell(again) == "1"
