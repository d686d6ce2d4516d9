"""A view of 100,000 articles opens at once: ids only, rows read a page at a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsreader.gui.article_model import CACHE_LIMIT, HEAD_ROWS, PAGE_SIZE, Column
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.store import EntryQuery, FetchInfo, Store
from tests.gui.conftest import NOW, parsed_feed
from tests.gui.shown import label, shown_read

FEEDS, PER_FEED = 200, 500


@pytest.mark.slow
@pytest.mark.timeout(900)  # 100,000 articles through the real ingest (language, stories): ~270 s
def test_hundred_thousand_articles_open_lazily(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    for i in range(FEEDS):
        feed = store.add_feed(f"https://feed{i}.example/rss")
        store.apply_parsed_feed(feed.id, parsed_feed(f"f{i}", PER_FEED), FetchInfo(fetched_at=NOW))
    window = make_window(store)
    model = window.articles.model
    assert model.rowCount() == HEAD_ROWS  # the first screenfuls show at once
    model.index(0, Column.TITLE).data()  # what the view paints first
    assert model.cached_count <= PAGE_SIZE * 2  # only pages on screen were read
    qtbot.waitUntil(lambda: model.complete, timeout=15_000)  # type: ignore[attr-defined]
    assert model.rowCount() == FEEDS * PER_FEED
    assert window.status_label.text() == f"{FEEDS * PER_FEED:,} articles"
    window.articles.select_row(FEEDS * PER_FEED - 1)  # jump to the end
    assert window.reader.entry is not None
    assert window.reader.entry.id == model.entry_ids[-1]
    assert model.cached_count <= CACHE_LIMIT


def test_mark_all_read_on_a_large_view_writes_in_the_background(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    for i in range(4):
        feed = store.add_feed(f"https://bulk{i}.example/rss")
        store.apply_parsed_feed(feed.id, parsed_feed(f"b{i}", 500), FetchInfo(fetched_at=NOW))
    window = make_window(store)
    qtbot.waitUntil(lambda: window.articles.model.complete, timeout=15_000)  # type: ignore[attr-defined]
    window.mark_all_read()
    qtbot.waitUntil(lambda: window.unread_count == 0, timeout=20_000)  # type: ignore[attr-defined]
    assert store.count_entries(EntryQuery(unread_only=True)) == 0
    model = window.articles.model
    assert shown_read(window, model.entry_ids[0]) and shown_read(window, model.entry_ids[-1])
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.unread_count == 2000, timeout=20_000)  # type: ignore[attr-defined]
    assert store.count_entries(EntryQuery(unread_only=True)) == 2000
    # the list and the panel were read again after the undo written in the background
    qtbot.waitUntil(lambda: not shown_read(window, model.entry_ids[0]), timeout=20_000)  # type: ignore[attr-defined]
    assert not any(shown_read(window, i) for i in model.entry_ids[-3:])
    assert label(window, View(ViewKind.UNREAD)) == "Unread (2000)"
    assert window.undo_stack.redoText() == "Mark 2,000 articles read"
