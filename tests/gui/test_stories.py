"""Stories in the window: sources and language in the list, Key points and Coverage in the
reader, and copies marked read with the article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt, QUrl

from newsreader.gui.article_model import SNIPPET_ROLE, Column
from newsreader.gui.reader import COVERAGE_SHOWN
from newsreader.gui.view_state import SyncWrote
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.store import EntryQuery, FetchInfo, Store
from tests.gui.conftest import NOW
from tests.gui.shown import feed_label, label, shown_read
from tests.stories.labelled import match_stories

QUAKE = (
    "Magnitude 6.8 earthquake shakes central Chile",
    "<p>An earthquake of magnitude 6.8 struck central Chile on Tuesday, shaking buildings in "
    "Santiago and Valparaíso. There were no immediate reports of casualties, the national "
    "emergency office said.</p><p>The quake was felt as far away as Mendoza in Argentina, "
    "where office workers left their buildings.</p><p>Schools in the region will stay closed "
    "on Wednesday while engineers inspect them.</p>",
)
QUAKE_2 = (
    "Strong 6.8 quake hits Chile, buildings sway in Santiago",
    "<p>A strong earthquake of magnitude 6.8 hit central Chile. Buildings swayed in Santiago "
    "and Valparaíso and residents ran into the streets. Power was cut in parts of the "
    "capital for about an hour.</p><p>The airport in Santiago stayed open, its operator "
    "said on Tuesday evening.</p>",
)


def _feed(store: Store, name: str, title: str, text: str, hours: int) -> int:
    feed = store.add_feed(f"https://{name}.example/feed", title=name.title())
    entry = ParsedEntry(
        id=f"{name}-1",
        title=title,
        link=f"https://{name}.example/quake",
        published=NOW - timedelta(hours=hours),
        content=text,
    )
    parsed = ParsedFeed(format="rss20", title=name.title(), entries=(entry,))
    (written,) = store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=NOW)).new_entry_ids
    match_stories(store)  # a sync of this one feed
    return written


def _library(store: Store) -> tuple[int, int, int]:
    """The same quake from three feeds; the second reprints the first word for word."""
    return (
        _feed(store, "wire", *QUAKE, hours=3),
        _feed(store, "reprint", *QUAKE, hours=2),
        _feed(store, "daily", *QUAKE_2, hours=1),
    )


def test_reader_shows_key_points_then_coverage_and_list_shows_sources(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    wire, reprint, daily = _library(store)
    window = make_window(store)
    window.open_entry(daily)
    qtbot.waitUntil(lambda: window.reader.story is not None)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.reader.related is not None)  # type: ignore[attr-defined]
    text = window.reader.toPlainText()
    story = window.reader.story
    assert story is not None
    assert [e.id for e in story.coverage] == [wire, reprint]
    assert story.key_points == (
        "A strong earthquake of magnitude 6.8 hit central Chile.",
        "Buildings swayed in Santiago and Valparaíso and residents ran into the streets.",
    )
    assert text.index("Key points") < text.index("A strong earthquake") < text.index("Coverage")
    assert text.index("Coverage") < text.index("Related articles")
    assert "Wire · 3 hours ago" in text and "Reprint · 2 hours ago" in text

    model = window.articles.model
    row = model.row_of(daily)
    assert row is not None
    assert model.index(row, Column.SOURCES).data() == "3 sources"
    assert model.index(row, Column.LANGUAGE).data() == "en"
    # the Sources column is hidden until asked for: the snippet line names them
    assert window.articles.table.isColumnHidden(Column.SOURCES)
    line = model.index(row, Column.TITLE).data(SNIPPET_ROLE)
    assert line.startswith("3 sources · A strong earthquake of magnitude 6.8 hit central Chile. ")

    window.reader.anchorClicked.emit(QUrl("keypoints:hide"))
    folded = window.reader.toPlainText()
    assert "Key points ▸" in folded and "residents ran into the streets." in folded
    window.reader.set_key_points_shown(False)
    assert "Key points" not in window.reader.toPlainText()


def test_reading_an_article_marks_its_copies_read_unless_switched_off(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    wire, reprint, daily = _library(store)
    window = make_window(store)
    window.open_entry(wire)
    qtbot.waitUntil(lambda: store.get_entry(wire).read)  # type: ignore[attr-defined]
    assert store.get_entry(reprint).read
    assert not store.get_entry(daily).read  # same story, other words: not a copy
    assert [shown_read(window, i) for i in (wire, reprint, daily)] == [True, True, False]
    assert label(window, View(ViewKind.UNREAD)) == "Unread (1)"
    window.undo_stack.undo()
    assert not store.get_entry(wire).read and not store.get_entry(reprint).read
    # one step undone: the article and its copy are shown unread again, and counted
    assert not any(shown_read(window, i) for i in (wire, reprint, daily))
    assert label(window, View(ViewKind.UNREAD)) == "Unread (3)"
    wire_feed, reprint_feed = (store.get_entry(i).feed_id for i in (wire, reprint))
    assert feed_label(window, wire_feed) == "Wire (1)"
    assert feed_label(window, reprint_feed) == "Reprint (1)"
    assert window.undo_stack.redoText() == "Mark 2 articles read"

    window.settings = replace(window.settings, mark_copies_read=False)
    window.open_entry(reprint)
    qtbot.waitUntil(lambda: store.get_entry(reprint).read)  # type: ignore[attr-defined]
    assert not store.get_entry(wire).read
    assert store.count_entries(EntryQuery(unread_only=True)) == 2


def test_title_tooltip_lists_key_points_once_known(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    wire, _, _ = _library(store)
    window = make_window(store)
    model = window.articles.model
    row = model.row_of(wire)
    assert row is not None
    assert model.index(row, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole) == QUAKE[0]
    window.open_entry(wire)
    qtbot.waitUntil(lambda: window.reader.story is not None)  # type: ignore[attr-defined]
    tooltip = model.index(row, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith(QUAKE[0] + "\n\nKey points:\n• An earthquake of magnitude 6.8")


def test_a_story_can_be_one_row_in_the_list(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """With the setting on, the list shows a story as its first listed article, with its
    number of sources; opening it shows the other sources' articles under Coverage."""
    wire, reprint, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    model = window.articles.model
    qtbot.waitUntil(lambda: len(model.entry_ids) == 4)  # type: ignore[attr-defined]
    assert model.entry_ids == [daily, reprint, wire, alone]  # newest first

    window.save_settings(replace(window.settings, collapse_stories=True))
    qtbot.waitUntil(lambda: len(model.entry_ids) == 2)  # type: ignore[attr-defined]
    assert model.entry_ids == [daily, alone]
    assert model.index(0, Column.SOURCES).data() == "3 sources"
    assert model.index(1, Column.SOURCES).data() == ""
    window.open_entry(daily)
    qtbot.waitUntil(lambda: window.reader.story is not None)  # type: ignore[attr-defined]
    story = window.reader.story
    assert story is not None and [e.id for e in story.coverage] == [wire, reprint]

    window.save_settings(replace(window.settings, collapse_stories=False))
    qtbot.waitUntil(lambda: len(model.entry_ids) == 4)  # type: ignore[attr-defined]
    assert store.load_settings().collapse_stories is False


def test_the_settings_dialog_has_the_story_row_setting(qtbot: object) -> None:
    from newsreader.gui.settings_dialog import SettingsDialog
    from newsreader.settings import Settings

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert not dialog.collapse_stories.isChecked()
    dialog.collapse_stories.setChecked(True)
    assert dialog.result_settings().collapse_stories is True


def test_a_large_story_lists_its_first_articles_and_counts_the_rest(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """A story of many sources lists its first `COVERAGE_SHOWN` other articles and says how
    many more it has, reading only those; none of the rest is offered as related. Opening it
    reads in one background job, a bounded number of statements."""
    sources = COVERAGE_SHOWN + 5
    ids = [_feed(store, f"outlet{n}", *QUAKE, hours=sources + 1 - n) for n in range(sources)]
    window = make_window(store)
    statements: list[str] = []
    traced: list[None] = []
    window.background.submit(lambda bg: bg.trace_statements(statements.append), traced.append)
    qtbot.waitUntil(lambda: bool(traced))  # type: ignore[attr-defined]
    statements.clear()
    window.open_entry(ids[-1])
    qtbot.waitUntil(lambda: window.reader.story is not None)  # type: ignore[attr-defined]
    assert window.reader.related is not None  # with the story, in the same job
    story = window.reader.story
    assert story is not None
    assert [e.id for e in story.coverage] == ids[:COVERAGE_SHOWN]  # oldest first
    assert story.unlisted == sources - 1 - COVERAGE_SHOWN
    text = window.reader.toPlainText()
    assert f"… and {sources - 1 - COVERAGE_SHOWN} more articles." in text
    assert QUAKE[0] not in text[text.index("Related articles") :]  # all under Coverage
    own = [s for s in statements if not s.startswith("--")]  # SQLite's FTS5 lookups left out
    # 20 before related and coverage were read together; the key points are stored in a
    # write transaction, which checks the saved searches' counts before it commits (+1)
    assert len(own) <= 16, own


def test_related_articles_say_none_once_the_lookup_found_none(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """While the lookup runs the reader says so; once it found nothing it says there are
    none, not "yet" (which reads as still loading)."""
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.open_entry(alone)
    assert "Looking for related articles…" in window.reader.toPlainText()
    qtbot.waitUntil(lambda: window.reader.related is not None)  # type: ignore[attr-defined]
    assert window.reader.related == []
    text = window.reader.toPlainText()
    assert "No related articles." in text
    assert "yet" not in text and "Looking for" not in text


def test_turning_story_rows_on_or_off_keeps_the_article_being_read(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """The setting changes the rows under the article being read: it stays in the reader
    and its row stands for its story; no other article is opened or marked read."""
    wire, reprint, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    model = window.articles.model
    qtbot.waitUntil(lambda: len(model.entry_ids) == 4)  # type: ignore[attr-defined]
    window.open_entry(wire)  # the story's row would be `daily`, its first listed article
    qtbot.waitUntil(lambda: store.get_entry(wire).read)  # type: ignore[attr-defined]
    assert store.get_entry(reprint).read  # its copy, as the setting says

    window.save_settings(replace(window.settings, collapse_stories=True))
    qtbot.waitUntil(lambda: len(model.entry_ids) == 2)  # type: ignore[attr-defined]
    assert model.entry_ids == [wire, alone]  # the row of the story is the one being read
    assert window.articles.current_entry_id() == wire
    assert window.reader.entry is not None and window.reader.entry.id == wire
    assert not store.get_entry(daily).read and not shown_read(window, alone)

    window.save_settings(replace(window.settings, collapse_stories=False))
    qtbot.waitUntil(lambda: len(model.entry_ids) == 4)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == wire
    assert window.reader.entry is not None and window.reader.entry.id == wire
    assert not store.get_entry(daily).read and not shown_read(window, daily)
    assert store.count_entries(EntryQuery(unread_only=True)) == 2


def test_next_unread_reaches_every_article_of_a_story_row_then_says_none_is_left(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """With a story as one row, N opens its unread articles in turn in the story's row
    before the rows below (nothing is marked read unopened), and says so when none is left."""
    wire, reprint, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.save_settings(replace(window.settings, collapse_stories=True, mark_copies_read=False))
    window.feed_tree.select_view(View(ViewKind.UNREAD))
    model = window.articles.model
    qtbot.waitUntil(lambda: model.entry_ids == [daily, alone])  # type: ignore[attr-defined]
    visited = []
    for expected in (daily, reprint, wire, alone):
        window.actions_by_name["next_unread"].trigger()
        shown = window.reader.entry
        assert shown is not None
        visited.append(shown.id)
        assert window.articles.current_entry_id() == shown.id  # its row shows it
        qtbot.waitUntil(lambda e=expected: store.get_entry(e).read)  # type: ignore[attr-defined]
        unread = store.entry_ids(EntryQuery(unread_only=True))
        assert set(unread) == {daily, reprint, wire, alone} - set(visited)  # opened ones only
    assert visited == [daily, reprint, wire, alone]
    assert label(window, View(ViewKind.UNREAD)) == "Unread"
    window.actions_by_name["next_unread"].trigger()
    assert window.reader.entry is not None and window.reader.entry.id == alone
    assert window.statusBar().currentMessage() == "No unread articles in this view."


def test_next_unread_goes_back_up_to_a_story_rows_earlier_articles(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """A story's row showing a later-listed unread article (the one being read, not yet
    marked read, when stories became rows): N opens the story's unread articles listed
    before it, before the rows below (it skipped them, and they were never reached)."""
    wire, reprint, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.save_settings(replace(window.settings, mark_read_delay_seconds=600))
    model = window.articles.model
    qtbot.waitUntil(lambda: len(model.entry_ids) == 4)  # type: ignore[attr-defined]
    window.open_entry(wire)
    window.save_settings(replace(window.settings, collapse_stories=True))
    qtbot.waitUntil(lambda: model.entry_ids == [wire, alone])  # type: ignore[attr-defined]
    visited = []
    for _ in range(3):
        window.actions_by_name["next_unread"].trigger()
        assert window.reader.entry is not None
        visited.append(window.reader.entry.id)
    assert visited == [daily, reprint, alone]


def test_next_unread_visits_a_story_row_once_while_marking_read_waits(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """With a mark-read delay, the articles N opened are still unread when N is pressed
    again: it goes on to the next row instead of showing the story's articles round again."""
    wire, reprint, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.save_settings(
        replace(window.settings, collapse_stories=True, mark_read_delay_seconds=600)
    )
    model = window.articles.model
    qtbot.waitUntil(lambda: len(model.entry_ids) == 2)  # type: ignore[attr-defined]
    visited = []
    for _ in range(5):
        window.actions_by_name["next_unread"].trigger()
        assert window.reader.entry is not None
        visited.append(window.reader.entry.id)
    assert visited == [daily, reprint, wire, alone, alone]
    assert store.count_entries(EntryQuery(unread_only=True)) == 4
    assert window.statusBar().currentMessage().startswith("No unread articles below this one")


def test_a_story_row_keeps_its_article_when_the_list_is_read_again(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """The article N opened in a story's row stays in that row when the list is read again
    (a refresh during a sync), instead of the row switching back to the first article."""
    _, reprint, _ = _library(store)
    _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.save_settings(replace(window.settings, collapse_stories=True, mark_copies_read=False))
    model = window.articles.model
    qtbot.waitUntil(lambda: len(model.entry_ids) == 2)  # type: ignore[attr-defined]
    window.actions_by_name["next_unread"].trigger()
    window.actions_by_name["next_unread"].trigger()
    assert window.articles.current_entry_id() == reprint
    window.articles.select_row(1)  # the reader moves on to the other row
    model.reload()
    qtbot.waitUntil(lambda: model.complete and not model._reloading)  # type: ignore[attr-defined]
    assert model.entry_ids[0] == reprint


def test_a_read_article_kept_in_unread_is_its_storys_only_row(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """In Unread with stories as rows, the article just read (and its copy) stays in its
    row until the view is left; the story's other unread article gets no second row."""
    wire, reprint, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.save_settings(replace(window.settings, collapse_stories=True))
    window.feed_tree.select_view(View(ViewKind.UNREAD))
    model = window.articles.model
    qtbot.waitUntil(lambda: model.entry_ids == [daily, alone])  # type: ignore[attr-defined]
    window.open_entry(daily)
    qtbot.waitUntil(lambda: store.get_entry(daily).read)  # type: ignore[attr-defined]
    model.reload(daily)
    qtbot.waitUntil(lambda: model.complete and not model._reloading)  # type: ignore[attr-defined]
    assert model.entry_ids == [daily, alone]
    assert not store.get_entry(wire).read and not store.get_entry(reprint).read  # not copies


def test_next_unread_says_when_the_view_has_none(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """N in a view with nothing unread, stories as rows or not: the status bar says so."""
    _library(store)
    window = make_window(store)
    window.mark_all_read()
    for collapse in (False, True):
        window.save_settings(replace(window.settings, collapse_stories=collapse))
        window.statusBar().clearMessage()
        window.actions_by_name["next_unread"].trigger()
        assert window.reader.entry is None
        assert window.statusBar().currentMessage() == "No unread articles in this view."


def test_the_status_bar_counts_articles_with_a_story_as_one_row(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """One row per story: the status bar and the reader count the articles, and the rows
    they are in."""
    _library(store)
    _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    qtbot.waitUntil(lambda: window.status_label.text() == "4 articles")  # type: ignore[attr-defined]
    window.save_settings(replace(window.settings, collapse_stories=True))
    model = window.articles.model
    qtbot.waitUntil(lambda: len(model.entry_ids) == 2)  # type: ignore[attr-defined]
    assert window.status_label.text() == "4 articles in 2 rows"
    assert window.reader.toPlainText().startswith("4 articles in 2 rows here.")
    window.feed_tree.select_view(View(ViewKind.UNREAD))  # listed anew
    qtbot.waitUntil(lambda: model.complete)  # type: ignore[attr-defined]
    assert window.status_label.text() == "4 articles in 2 rows"


def test_count_text_names_rows_only_when_they_stand_for_more_articles() -> None:
    from newsreader.gui.view_state import count_text

    assert count_text(1, True) == "1 article"
    assert count_text(300, False) == "300+ articles"
    assert count_text(2, True, 2) == "2 articles"
    assert count_text(10, True, 20) == "20 articles in 10 rows"
    assert count_text(1, True, 3) == "3 articles in 1 row"
    assert count_text(250, False, 300) == "300+ articles in 250+ rows"
    assert count_text(1_000, True, 2_000) == "2,000 articles in 1,000 rows"


def test_a_story_row_is_unread_while_any_article_it_stands_for_is(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """A story's row showing an article already read is drawn unread (bold) while another
    article of its story in the view is unread, as after reading one of them and restarting;
    once all are read it is drawn read."""
    wire, reprint, daily = _library(store)
    store.set_read([daily], True)
    window = make_window(store)
    window.save_settings(replace(window.settings, collapse_stories=True, mark_copies_read=False))
    model = window.articles.model
    qtbot.waitUntil(lambda: model.entry_ids == [daily])  # type: ignore[attr-defined]

    def bold() -> bool:
        font = model.index(0, Column.TITLE).data(Qt.ItemDataRole.FontRole)
        return font is not None and font.bold()

    assert bold()
    assert (
        model.index(0, Column.TITLE).data(Qt.ItemDataRole.AccessibleTextRole).endswith(", unread")
    )
    window.marking.set_read([wire, reprint], True)
    qtbot.waitUntil(lambda: not bold())  # type: ignore[attr-defined]


def test_selected_story_rows_keep_their_articles_when_read_ones_are_hidden(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """With stories as rows and read articles hidden, a row clicked then left by a Ctrl+click
    on another keeps its (now read) article and its selection when the list is read again,
    instead of turning into another article of its story."""
    _, _, daily = _library(store)
    alone = _feed(store, "council", "Council approves tram budget", "<p>Trams.</p>", hours=4)
    window = make_window(store)
    window.save_settings(replace(window.settings, collapse_stories=True, mark_copies_read=False))
    model = window.articles.model
    qtbot.waitUntil(lambda: model.entry_ids == [daily, alone])  # type: ignore[attr-defined]
    window.actions_by_name["hide_read"].trigger()
    qtbot.waitUntil(lambda: model.complete and not model._reloading)  # type: ignore[attr-defined]
    table = window.articles.table
    for row, modifier in (
        (0, Qt.KeyboardModifier.NoModifier),
        (1, Qt.KeyboardModifier.ControlModifier),
    ):
        center = table.visualRect(model.index(row, Column.TITLE)).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, center)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: store.get_entry(daily).read)  # type: ignore[attr-defined]
    assert window.articles.current_entry_id() == alone
    with qtbot.waitSignal(model.loaded):  # type: ignore[attr-defined]
        window.presenter.apply(SyncWrote())  # the list is read again, as during a sync
    assert model.entry_ids == [daily, alone]
    assert window.articles.selected_entry_ids() == [daily, alone]


def test_a_storys_sources_follow_an_unsubscribe_and_its_undo(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    wire, reprint, daily = _library(store)
    window = make_window(store)
    model = window.articles.model

    def sources() -> str:
        row = model.row_of(daily)
        assert row is not None
        return str(model.index(row, Column.SOURCES).data())

    qtbot.waitUntil(lambda: model.row_of(daily) is not None)  # type: ignore[attr-defined]
    assert sources() == "3 sources"
    reprint_feed = store.get_entry(reprint).feed_id
    assert window.subscriptions.unsubscribe(reprint_feed, confirm=False)
    qtbot.waitUntil(lambda: model.row_of(reprint) is None)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: sources() == "2 sources")  # type: ignore[attr-defined]
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: sources() == "3 sources")  # type: ignore[attr-defined]
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: sources() == "2 sources")  # type: ignore[attr-defined]
    window.close()  # the unsubscribe becomes final: the store agrees
    assert set(store.story_sizes([wire, daily]).values()) == {2}
