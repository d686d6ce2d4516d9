"""The article list's snippet line: a line of each article's text under its title, worked out
when a page of rows is read (painting reads nothing), switchable in the View menu and
remembered across restarts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem

from newsreader.gui.article_delegate import TitleDelegate, rows_height, title_layout
from newsreader.gui.article_model import SNIPPET_ROLE, Column
from newsreader.gui.snippet import LENGTH, SCAN, snippet
from newsreader.gui.window import MainWindow
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.store import FetchInfo, Store
from tests.gui.conftest import NOW


def test_snippet_is_the_first_words_of_the_text_on_one_line() -> None:
    summary = "<p>Tides &amp; lights:</p>\n<ul><li>one</li>\n<li>two</li></ul>"
    assert snippet(summary, "<p>ignored</p>", "Harbour") == "Tides & lights: one two"
    # a summary with no words (an image alone) gives way to the content
    assert snippet('<img src="https://a.example/x.png">', "<p>The body.</p>", None) == "The body."
    assert snippet(None, None, "Title") == ""
    # feeds that repeat the title at the start of the text: the title is not shown twice
    repeated = "<p><b>Harbour lights return</b> — the ferry ran late again.</p>"
    assert snippet(repeated, None, "Harbour  lights return") == "the ferry ran late again."
    assert snippet("Tides: the ferry ran late.", None, "Tides") == "the ferry ran late."
    assert snippet("<p>Tides</p>", None, "Tides") == ""
    # a sentence that merely starts with the title's words stays whole
    assert snippet("Spring tides & neap tides.", None, "Spring tides") == (
        "Spring tides & neap tides."
    )
    # only the start is read, and a tag cut in two there is not shown as text
    long = "<p>" + "word " * 40 + '<a href="https://a.example/' + "x" * SCAN + '">link</a></p>'
    line = snippet(long, None, None)
    assert line == ("word " * 40).strip()
    assert LENGTH - 10 < len(snippet("<p>" + "many words " * 500 + "</p>", None, None)) <= LENGTH


def add_articles(store: Store) -> int:
    feed = store.add_feed("https://tides.example/feed.xml")
    entries = (
        ParsedEntry(
            id="tides-1",
            title="Spring tides",
            link="https://tides.example/1",
            published=NOW,
            summary="<p>Spring tides &amp; neap tides, explained for sailors.</p>",
        ),
        ParsedEntry(
            id="tides-2",
            title="No text at all",
            link="https://tides.example/2",
            published=NOW.replace(year=NOW.year - 1),
        ),
    )
    parsed = ParsedFeed(format="rss20", title="Tide Tables", entries=entries)
    store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=NOW))
    return feed.id


def title_cell(window: MainWindow, row: int) -> tuple[QRect, QStyleOptionViewItem]:
    table = window.articles.table
    index = window.articles.model.index(row, Column.TITLE)
    option = QStyleOptionViewItem()
    option.rect = table.visualRect(index)
    option.font = table.font()
    option.widget = table
    return option.rect, option


def test_snippets_show_under_titles_without_reading_the_store_while_painting(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    add_articles(store)
    window = make_window(store)
    window.resize(1600, 900)
    window.main_splitter.setSizes([200, 1000, 400])
    model, table = window.articles.model, window.articles.table
    assert window.actions_by_name["snippets"].isChecked()  # on by default
    assert model.index(0, Column.TITLE).data(SNIPPET_ROLE) == (
        "Spring tides & neap tides, explained for sailors."
    )
    assert model.index(1, Column.TITLE).data(SNIPPET_ROLE) == ""
    assert model.index(0, Column.TITLE).data(Qt.ItemDataRole.AccessibleDescriptionRole) == (
        "Spring tides & neap tides, explained for sailors."
    )
    assert model.index(0, Column.SOURCE).data(SNIPPET_ROLE) is None
    assert table.rowHeight(0) == rows_height(table.fontMetrics(), 2)
    # the page is read: drawing the list (and asking for snippets) runs no statement
    statements: list[str] = []
    store.trace_statements(statements.append)
    try:
        image = table.viewport().grab().toImage()
        for row in range(model.rowCount()):
            model.index(row, Column.TITLE).data(SNIPPET_ROLE)
    finally:
        store.trace_statements(None)
    assert not image.isNull() and statements == []
    delegate = table.itemDelegateForColumn(Column.TITLE)
    assert isinstance(delegate, TitleDelegate)
    rect, option = title_cell(window, 0)
    layout = delegate.layout(option, model.index(0, Column.TITLE))
    assert layout is not None
    assert layout.title == "Spring tides"  # the list is wide enough for both lines
    assert layout.snippet == "Spring tides & neap tides, explained for sailors."
    assert rect.contains(layout.title_rect) and rect.contains(layout.snippet_rect)
    assert layout.title_rect.bottom() < layout.snippet_rect.top()


def test_snippets_can_be_switched_off_and_stay_off_after_a_restart(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    add_articles(store)
    window = make_window(store)
    window.actions_by_name["snippets"].trigger()
    table = window.articles.table
    assert table.rowHeight(0) == rows_height(table.fontMetrics(), 1)
    _rect, option = title_cell(window, 0)
    delegate = table.itemDelegateForColumn(Column.TITLE)
    assert isinstance(delegate, TitleDelegate)
    assert delegate.layout(option, window.articles.model.index(0, Column.TITLE)) is None
    window.close()
    again = make_window(store)
    assert not again.actions_by_name["snippets"].isChecked()
    again_table = again.articles.table
    assert again_table.rowHeight(0) == rows_height(again_table.fontMetrics(), 1)
    again.actions_by_name["snippets"].trigger()
    assert again_table.rowHeight(0) == rows_height(again_table.fontMetrics(), 2)


def test_a_narrow_list_elides_both_lines(qapp: object) -> None:
    font = QFont()
    bold = QFont(font)
    bold.setBold(True)
    rect = QRect(0, 0, 80, rows_height(QFontMetrics(font), 2))
    layout = title_layout(
        rect, "A title much longer than eighty pixels", "and a snippet longer still", bold, font
    )
    assert layout.title.endswith("…") and layout.snippet.endswith("…")
    assert QFontMetrics(bold).horizontalAdvance(layout.title) <= rect.width()
    assert rect.contains(layout.title_rect) and rect.contains(layout.snippet_rect)


def test_columns_can_be_hidden_from_the_header_and_stay_hidden(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    add_articles(store)
    window = make_window(store)
    table = window.articles.table
    menu = table.header_menu()
    names = [a.text() for a in menu.actions()]
    assert "Title" not in names and "Language" in names
    # the sources and the language are hidden until asked for: room for the titles
    assert [a.text() for a in menu.actions() if not a.isChecked()] == [
        "Sources (feeds reporting the story)",
        "Language",
    ]
    wide_title = table.columnWidth(Column.TITLE)
    for action in menu.actions():
        if action.text() == "Date":
            action.trigger()
    assert table.isColumnHidden(Column.DATE) and table.isColumnHidden(Column.SOURCES)
    assert table.columnWidth(Column.TITLE) > wide_title  # the room goes to the titles
    window.close()
    again = make_window(store)
    hidden = [c for c in Column if again.articles.table.isColumnHidden(c)]
    assert hidden == [Column.DATE, Column.SOURCES, Column.LANGUAGE]
    menu = again.articles.table.header_menu()
    language = next(a for a in menu.actions() if a.text() == "Language")
    assert not language.isChecked()
    language.trigger()
    assert not again.articles.table.isColumnHidden(Column.LANGUAGE)
    again.close()
    third = make_window(store)  # shown by choice: stays shown
    assert [c for c in Column if third.articles.table.isColumnHidden(c)] == [
        Column.DATE,
        Column.SOURCES,
    ]
