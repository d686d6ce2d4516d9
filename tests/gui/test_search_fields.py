"""The window's filter box speaks the whole search language: a feed's categories and
patterns narrowed by native tests find what the command line finds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt

from newsreader.gui.window import MainWindow
from newsreader.store import Store
from tests.gui.test_window import titles
from tests.store.builders import NOW, entry, feed, fetch


def test_the_filter_box_finds_categories_and_patterns(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    feed_id = store.add_feed("https://money.example/feed").id
    store.apply_parsed_feed(
        feed_id,
        feed(
            entry("a", title="Seed round closes", categories=("Venture Capital", "Startups")),
            entry("b", title="market wrap", categories=("Markets",)),
            entry("c", title="Kelvin scale explained"),
        ),
        fetch(),
    )
    window = make_window(store)
    for search, expected in (
        ('category:"venture capital"', ["Seed round closes"]),
        ("-category:markets category~/^Start/", ["Seed round closes"]),
        ("title~/^[a-m]/", ["market wrap"]),
        ("title~/^[a-m]/i", ["Kelvin scale explained", "market wrap"]),
    ):
        window.articles.filter.clear()
        qtbot.keyClicks(window.articles.filter, search)  # type: ignore[attr-defined]
        qtbot.keyClick(window.articles.filter, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda e=expected: sorted(titles(window)) == e)  # type: ignore[attr-defined]
        assert not window.articles.error.isVisibleTo(window), search


def test_a_pattern_out_of_time_is_shown_under_the_filter_box(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    feed_id = store.add_feed("https://slow.example/feed").id
    ordinary = [entry(f"n{i}", title=f"aaa {i}", published=NOW) for i in range(5)]
    slow = entry("x", title="a" * 3000 + "!", published=NOW - timedelta(days=1))  # listed last
    store.apply_parsed_feed(feed_id, feed(*ordinary, slow), fetch())
    window = make_window(store)
    qtbot.keyClicks(window.articles.filter, "title~/(a|aa)+$/")  # type: ignore[attr-defined]
    qtbot.keyClick(window.articles.filter, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.articles.error.isVisibleTo(window))  # type: ignore[attr-defined]
    assert "took longer than" in window.articles.error.text()


def test_the_filter_box_notes_a_word_that_looks_like_an_unknown_field(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    feed_id = store.add_feed("https://ferry.example/feed").id
    store.apply_parsed_feed(feed_id, feed(entry("a", title="Ferry timetable")), fetch())
    window = make_window(store)
    qtbot.keyClicks(window.articles.filter, "titel:ferry")  # type: ignore[attr-defined]
    qtbot.keyClick(window.articles.filter, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.articles.error.isVisibleTo(window))  # type: ignore[attr-defined]
    assert "did you mean title:?" in window.articles.error.text()
    window.articles.filter.clear()
    qtbot.keyClicks(window.articles.filter, "title:ferry")  # type: ignore[attr-defined]
    qtbot.keyClick(window.articles.filter, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: titles(window) == ["Ferry timetable"])  # type: ignore[attr-defined]
    assert not window.articles.error.isVisibleTo(window)
