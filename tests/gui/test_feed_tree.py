"""The feed panel: folders, moving feeds (menu and drag and drop), unsubscribe with undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent, QStandardItem

from newsreader.gui.tree_delegate import COUNT_ROLE
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.store import EntryQuery, Store


def feed_id(store: Store, title: str) -> int:
    return next(f.id for f in store.list_feeds() if f.display_title == title)


def test_drag_feed_onto_folder_moves_it(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    folder = filled_store.add_folder("Harbour")
    window = make_window(filled_store)
    tree = window.feed_tree
    alpha = feed_id(filled_store, "Alpha News")
    source = tree.tree_model.index_for(View(ViewKind.FEED, alpha))
    target = tree.tree_model.index_for(View(ViewKind.FOLDER, folder.id))
    mime = tree.tree_model.mimeData([source])
    where = QPointF(tree.visualRect(target).center())
    event = QDropEvent(
        where,
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tree.dropEvent(event)
    assert filled_store.get_feed(alpha).folder_id == folder.id
    moved = tree.tree_model.index_for(View(ViewKind.FEED, alpha))
    assert moved.parent() == tree.tree_model.index_for(View(ViewKind.FOLDER, folder.id))
    folder_item = tree.tree_model.item_for(View(ViewKind.FOLDER, folder.id))
    assert folder_item is not None and folder_item.text() == "Harbour (5)"


def test_drop_on_a_smart_view_is_refused(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    tree = window.feed_tree
    starred = tree.tree_model.index_for(View(ViewKind.STARRED))
    accepted, _folder = tree.drop_target(tree.visualRect(starred).center())
    assert not accepted


def test_unsubscribe_hides_then_undo_restores(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    beta = feed_id(filled_store, "Beta News")
    assert window.subscriptions.unsubscribe(beta, confirm=False)
    assert window.articles.model.rowCount() == 5
    assert window.feed_tree.tree_model.item_for(View(ViewKind.FEED, beta)) is None
    window.undo_stack.undo()
    assert window.articles.model.rowCount() == 8
    assert window.feed_tree.tree_model.item_for(View(ViewKind.FEED, beta)) is not None
    window.undo_stack.redo()
    window.close()  # the unsubscribe becomes final
    assert all(f.id != beta for f in filled_store.list_feeds())


def test_context_menu_offers_feed_actions(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    alpha = View(ViewKind.FEED, feed_id(filled_store, "Alpha News"))
    menu = window.feed_context_menu(alpha)
    assert menu is not None
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert texts == [
        "Refresh this feed",
        "Copy feed address",
        "Open home page",
        "Rename…",
        "Move to folder",
        "Mark all read",
        "Properties…",
        "Unsubscribe…",
    ]


def test_window_state_restored(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    beta = feed_id(filled_store, "Beta News")
    window.feed_tree.select_view(View(ViewKind.FEED, beta))
    window.articles.select_row(2)
    entry = window.articles.current_entry_id()
    window.main_splitter.setSizes([300, 400, 500])
    sizes = window.main_splitter.sizes()
    window.close()
    again = make_window(filled_store)
    assert again.view == View(ViewKind.FEED, beta)
    assert again.articles.current_entry_id() == entry
    # the offscreen screen may clamp the window's size; the feed panel keeps its width
    # (a smaller window takes its room from the list and the reader)
    restored = again.main_splitter.sizes()
    assert abs(restored[0] - sizes[0]) <= 2


def test_refresh_touches_only_the_feed_rows_that_changed(
    filled_store: Store,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sync refreshes the panel every 400 ms on the GUI thread: feed rows whose name,
    count, address, problem and icon are unchanged are not set again (hundreds of rows, each
    set a run of Qt calls)."""
    import newsreader.gui.feed_tree

    window = make_window(filled_store)
    model = window.feed_tree.tree_model
    beta = feed_id(filled_store, "Beta News")
    shown: list[str] = []
    show = newsreader.gui.feed_tree._show

    def counting(item: QStandardItem, title: str, *args: object) -> None:
        shown.append(title)
        show(item, title, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(newsreader.gui.feed_tree, "_show", counting)
    feeds = {f.display_title for f in filled_store.list_feeds()}

    window.refresh_feeds()
    assert feeds.isdisjoint(shown)  # nothing moved: no feed row is set again

    shown.clear()
    entry = next(e for e in filled_store.list_entries(EntryQuery(feed_ids=(beta,))) if not e.read)
    filled_store.set_read([entry.id], True)
    window.refresh_feeds()
    assert [t for t in shown if t in feeds] == ["Beta News"]  # only the row whose count moved
    item = model.item_for(View(ViewKind.FEED, beta))
    assert item is not None and item.data(COUNT_ROLE) == filled_store.get_feed(beta).unread_count
