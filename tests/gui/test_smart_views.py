"""The search language in the window: the filter box searches as you type and is cleared on a
view change; saved searches and tags in the tree with live counts; the tag editor (T)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from newsreader.gui.smart import TagDialog, split_tags
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, Store
from tests.gui.conftest import NOW
from tests.gui.test_view_state import settle, tree_text


def titles(window: MainWindow) -> list[str]:
    model = window.articles.model
    return [e.title or "" for row in range(model.rowCount()) if (e := model.entry_at(row))]


def test_typing_searches_once_typing_pauses(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    searches: list[str] = []
    window.articles.search_changed.connect(searches.append)
    qtbot.keyClicks(window.articles.filter, "beta -title:2")  # type: ignore[attr-defined]
    assert searches == []  # nothing while typing
    qtbot.waitUntil(lambda: searches == ["beta -title:2"], timeout=5000)  # type: ignore[attr-defined]
    assert sorted(titles(window)) == [
        "beta story 0 about harbour lights",
        "beta story 1 about harbour lights",
    ]
    assert "title:" in window.articles.filter.toolTip() and "is:unread" in (
        window.articles.filter.toolTip()
    )
    # A mistake shows where it is, and the list stays as it was.
    window.articles.filter.setText("beta (")
    window.articles.filter.returnPressed.emit()
    assert "at position 7, the search ends" in window.articles.error.text()
    assert len(titles(window)) == 2
    # Another view: the filter box is cleared and the view lists everything.
    assert window.feed_tree.select_view(View(ViewKind.STARRED))
    assert window.feed_tree.select_view(View(ViewKind.ALL))
    assert window.articles.filter.text() == "" and window.search == ""
    assert len(titles(window)) == 8 and window.articles.error.isHidden()


def test_saved_searches_and_tags_in_the_tree(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    alpha_ids = filled_store.entry_ids(EntryQuery(search="feed:alpha"))
    filled_store.tag_entries(alpha_ids[:2], "later")
    saved = filled_store.add_saved_search("Alpha early", "alpha title~/story [34]/")
    window = make_window(filled_store)
    view = View(ViewKind.SEARCH, saved.id)
    assert tree_text(window, view) == "Alpha early (2)"
    assert tree_text(window, View(ViewKind.TAG, name="later")) == "later (2)"
    assert window.feed_tree.select_view(view)
    assert sorted(titles(window)) == [
        "alpha story 3 about harbour lights",
        "alpha story 4 about harbour lights",
    ]
    # The filter box narrows the saved search.
    window.set_search("title:4")
    assert titles(window) == ["alpha story 4 about harbour lights"]
    # a mistake is shown in what was typed, not in the saved search joined to it
    window.articles.filter.setText("swift (tour")
    window.articles.filter.returnPressed.emit()
    assert window.articles.error.text().startswith(
        "cannot search for 'swift (tour': at position 12, expected ) to close the ( at position 7"
    ), window.articles.error.text()
    window.articles.clear_search()
    window.set_search("")
    # Counts follow the store: reading one of its articles, then a refresh after a sync.
    filled_store.set_read([window.articles.model.entry_at(0).id], True)  # type: ignore[union-attr]
    window.refresh_feeds_in_background()
    settle(window, qtbot)
    assert tree_text(window, view) == "Alpha early (1)"
    assert window.feed_tree.select_view(View(ViewKind.TAG, name="later"))
    assert len(titles(window)) == 2
    # Deleted elsewhere (the command line): the tree drops it and the window shows All.
    filled_store.remove_saved_search("Alpha early")
    window.refresh_feeds()
    assert window.feed_tree.tree_model.item_for(view) is None


def test_saved_search_counts_follow_marking_at_once(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    """Reading an article of a saved search lowers its count in the tree at once, as the
    feeds' counts move (no refresh in between); marking it unread again raises it."""
    saved = filled_store.add_saved_search("Alpha early", "alpha title~/story [34]/")
    window = make_window(filled_store)
    view = View(ViewKind.SEARCH, saved.id)
    assert tree_text(window, view) == "Alpha early (2)"
    (first, _) = filled_store.entry_ids(EntryQuery(search=saved.query))
    window.marking.set_read([first], True)
    assert tree_text(window, view) == "Alpha early (1)"
    window.marking.set_read([first], False)
    assert tree_text(window, view) == "Alpha early (2)"


def test_save_the_filter_box_search_as_a_smart_feed(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(filled_store)
    window.set_search("beta")
    monkeypatch.setattr(
        "newsreader.gui.smart.QInputDialog.getText", lambda *args, **kwargs: ("Beta news", True)
    )
    window.actions_by_name["save_search"].trigger()
    (saved,) = filled_store.list_saved_searches()
    assert (saved.name, saved.query) == ("Beta news", "beta")
    assert window.view == View(ViewKind.SEARCH, saved.id)
    assert tree_text(window, window.view) == "Beta news (3)"
    assert len(titles(window)) == 3
    monkeypatch.setattr(
        "newsreader.gui.smart.QInputDialog.getText",
        lambda *args, **kwargs: ("beta story 1", True),
    )
    window.smart.edit(saved.id)
    assert [s.query for s in filled_store.list_saved_searches()] == ["beta story 1"]
    assert tree_text(window, window.view) == "Beta news (1)"
    # A name in use: the warning, then the question again with the name typed (the
    # dialog was thrown away and the user had to start again).
    answers = iter([("Beta news", True), ("Beta too", True)])
    asked: list[str] = []
    warned: list[str] = []

    def answer(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(str(kwargs.get("text", "")))
        return next(answers)

    monkeypatch.setattr("newsreader.gui.smart.QInputDialog.getText", answer)
    monkeypatch.setattr(
        "newsreader.gui.smart.QMessageBox.warning", lambda _p, _t, text: warned.append(text)
    )
    window.set_search("alpha")
    window.actions_by_name["save_search"].trigger()
    assert asked == ["", "Beta news"] and len(warned) == 1 and "Beta news" in warned[0]
    assert warned[0].startswith("There is already")  # a sentence of its own
    assert sorted(s.name for s in filled_store.list_saved_searches()) == ["Beta news", "Beta too"]


def test_tag_editor_adds_and_removes_tags_with_completion(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    ids = filled_store.entry_ids(EntryQuery())
    filled_store.tag_entries(ids[:2], "Later")
    filled_store.tag_entries(ids[:1], "ferries")
    window = make_window(filled_store)
    dialog = window.smart.tag_dialog(ids[:2])
    assert isinstance(dialog, TagDialog)
    assert dialog.edit.text() == "Later"  # only the tag both carry
    completer = dialog.edit.completer()
    dialog.edit.setText("Later, fer")
    completer.setCompletionPrefix(completer.splitPath(dialog.edit.text())[0])
    assert completer.setCurrentRow(0)
    assert completer.currentCompletion() == "Later, ferries"  # the earlier tags kept
    dialog.edit.setText("harbour, Harbour,  news  ")
    assert dialog.changes() == (["harbour", "news"], ["Later"])
    window.smart.apply_tags(ids[:2], dialog)
    assert filled_store.get_entry(ids[0]).tags == ("ferries", "harbour", "news")
    assert filled_store.get_entry(ids[1]).tags == ("harbour", "news")
    assert tree_text(window, View(ViewKind.TAG, name="news")) == "news (2)"
    assert window.feed_tree.tree_model.item_for(View(ViewKind.TAG, name="Later")) is None
    # T opens it for the current article.
    window.articles.select_row(0)
    opened: list[QDialog] = []
    qtbot.waitUntil(lambda: window.actions_by_name["tag"].isEnabled())  # type: ignore[attr-defined]
    window.smart.edit_tags = lambda entry_ids: opened.append(entry_ids)  # type: ignore[assignment,method-assign]
    qtbot.keyClick(window.articles.table, Qt.Key.Key_T)  # type: ignore[attr-defined]
    assert opened == [[window.articles.current_entry_id()]]


def test_split_tags() -> None:
    assert split_tags(" a, b ,,A,  c  d ") == ["a", "b", "c d"]


def test_escape_clears_the_filter_box(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    box = window.articles.filter
    box.setFocus()
    qtbot.keyClicks(box, "title:4")  # type: ignore[attr-defined]
    box.returnPressed.emit()
    assert titles(window) == ["alpha story 4 about harbour lights"]
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
    assert box.text() == ""
    assert len(titles(window)) > 1


def test_a_long_search_mistake_does_not_widen_the_list(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """The mistake of a long query without spaces wraps within the list's width: the list
    does not take the reader's room."""
    window = make_window(filled_store)
    window.resize(1200, 700)
    qtbot.wait(50)  # type: ignore[attr-defined]
    sizes = window.main_splitter.sizes()
    window.articles.filter.setText("(" * 100)
    window.articles.filter.returnPressed.emit()
    assert window.articles.error.isVisible()
    qtbot.wait(50)  # type: ignore[attr-defined]
    assert window.main_splitter.sizes() == sizes
    assert window.articles.error.width() <= window.articles.width()
    assert "(" * 100 in window.articles.error.toolTip()


def test_the_tree_follows_another_programs_writes(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
    data_paths: DataPaths,
) -> None:
    """An import then a sync from the command line while the window is open (another
    connection): the new folder and feed show in the tree, and the counts follow."""
    window = make_window(filled_store)
    unread = filled_store.count_entries(EntryQuery(unread_only=True))
    assert tree_text(window, View(ViewKind.ALL)).endswith(f"({unread})")
    other = Store.open(data_paths)  # the command line's own connection
    try:
        folder = other.add_folder("Imported")
        feed = other.add_feed("https://imported.example/feed", title="Imported news")
        other.move_feed(feed.id, folder.id)
        parsed = ParsedFeed(
            format="rss20",
            title="Imported news",
            entries=(
                ParsedEntry(id="i-1", title="Imported story", link="https://imported.example/1"),
            ),
        )
        other.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=NOW))
    finally:
        other.close()
    model = window.feed_tree.tree_model
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: model.item_for(View(ViewKind.FEED, feed.id)) is not None, timeout=15_000
    )
    assert tree_text(window, View(ViewKind.FOLDER, folder.id)).startswith("Imported")
    assert tree_text(window, View(ViewKind.ALL)).endswith(f"({unread + 1})")
