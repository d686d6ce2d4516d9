"""Feed problems grouped by cause with a way out, and the feed panel's context menus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from newsreader.gui.feed_properties import FeedPropertiesDialog
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.store import Store
from tests.gui.conftest import add_feed, answering


def menu_action(window: MainWindow, view: View, text: str) -> Callable[[], None]:
    menu = window.feed_context_menu(view)
    assert menu is not None
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action.trigger
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def fail(store: Store, feed_id: int, message: str, cause: str | None = None) -> None:
    now = datetime.now(UTC)
    store.record_fetch_error(feed_id, message, now, now, cause=cause)


def test_problems_are_grouped_by_cause_and_folded(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    add_feed(store, "fine", 2)
    for n in range(16):
        feed = store.add_feed(f"https://gone{n}.example/feed.xml")
        fail(store, feed.id, f"cannot resolve host name gone{n}.example", "NO_NAME")
    fail(
        store, store.add_feed("https://lost.example/feed.xml").id, "HTTP 404 Not Found", "NOT_FOUND"
    )
    # grouped by the stored cause, whatever the words: these read like a 404 and a timeout
    fail(store, store.add_feed("https://odd.example/feed.xml").id, "HTTP 404 timed out")
    window = make_window(store)
    tree = window.feed_tree
    problems = tree.tree_model.item_for(View(ViewKind.PROBLEMS))
    assert problems is not None and problems.text() == "Feed problems (18)"
    groups = [problems.child(row).text() for row in range(problems.rowCount())]
    assert groups == [
        "16 feeds: cannot resolve host names — the sites may be gone",
        "1 feed: not found (HTTP 404)",
        "1 feed: other problems",
    ]
    assert not tree.isExpanded(problems.index())  # 200 failures never push the feeds away
    fine = tree.tree_model.item_for(View(ViewKind.FEED, 1))
    assert fine is not None and tree.visualRect(fine.index()).isValid()
    window.set_offline(True)
    problems = tree.tree_model.item_for(View(ViewKind.PROBLEMS))
    assert problems is not None
    group = problems.child(0)
    assert group.text() == "16 feeds: cannot resolve host names — this computer seems offline"


def test_a_failing_feed_shows_its_problem_with_retry_and_edit(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    beta = next(f for f in filled_store.list_feeds() if f.url.startswith("https://beta"))
    fail(filled_store, beta.id, "HTTP 500 Internal Server Error")
    window = make_window(filled_store)
    bar = window.problem_bar
    assert not bar.isVisibleTo(window)
    assert window.feed_tree.select_view(View(ViewKind.FEED, beta.id))
    assert bar.isVisibleTo(window)
    assert "Beta News could not be fetched" in bar.label.text()
    assert "HTTP 500 Internal Server Error" in bar.label.text()
    with qtbot.waitSignal(window.refresh_feeds_requested) as retried:  # type: ignore[attr-defined]
        bar.retry_button.click()
    assert retried.args == [(beta.url,)]
    bar.edit_button.click()  # the feed's properties, where its address is edited
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, FeedPropertiesDialog)
    assert dialog.windowTitle() == "Properties of Beta News"
    dialog.reject()
    window.feed_tree.select_view(View(ViewKind.ALL))
    assert not bar.isVisibleTo(window)


def test_an_empty_failing_feed_says_why_it_is_empty(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    """A feed that never answered (503) is empty because it fails, not "they arrive with the
    next refresh" (a newcomer read that for a feed that had failed every time)."""
    broken = filled_store.add_feed("https://down.example/feed", title="Down News")
    fail(filled_store, broken.id, "HTTP 503 Service Unavailable")
    window = make_window(filled_store)
    assert window.feed_tree.select_view(View(ViewKind.FEED, broken.id))
    qtbot.waitUntil(lambda: "503" in window.reader.toPlainText())  # type: ignore[attr-defined]
    text = window.reader.toPlainText()
    assert "the last fetch of this feed failed (HTTP 503 Service Unavailable)" in text
    assert "next refresh" not in text


def test_the_welcome_feed_is_never_said_to_be_disabled_by_the_user(store: Store) -> None:
    from newsreader.feed_status import disabled_reason, has_problem
    from newsreader.gui.first_run import install_welcome_feed

    welcome = store.get_feed(install_welcome_feed(store))
    assert welcome.disabled
    assert not has_problem(welcome)
    assert disabled_reason(welcome) == "comes with Newsreader: nothing to fetch"


def test_feed_menu_refreshes_copies_and_retries(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    window = make_window(filled_store)
    alpha = next(f for f in filled_store.list_feeds() if f.url.startswith("https://alpha"))
    view = View(ViewKind.FEED, alpha.id)
    with qtbot.waitSignal(window.refresh_feeds_requested) as refreshed:  # type: ignore[attr-defined]
        menu_action(window, view, "Refresh this feed")()
    assert refreshed.args == [(alpha.url,)]
    menu_action(window, view, "Copy feed address")()
    assert QGuiApplication.clipboard().text() == alpha.url
    fail(filled_store, alpha.id, "connection refused by alpha.example")
    window.refresh_feeds()
    with qtbot.waitSignal(window.refresh_feeds_requested):  # type: ignore[attr-defined]
        menu_action(window, view, "Retry")()


def test_folder_menu_makes_refreshes_and_deletes_folders(
    filled_store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    feeds = filled_store.list_feeds()
    news = filled_store.add_folder("News")
    inner = filled_store.add_folder("Inner", news.id)
    filled_store.move_feed(feeds[0].id, news.id)
    filled_store.move_feed(feeds[1].id, inner.id)
    window = make_window(filled_store)
    folder = View(ViewKind.FOLDER, news.id)
    with qtbot.waitSignal(window.refresh_feeds_requested) as refreshed:  # type: ignore[attr-defined]
        menu_action(window, folder, "Refresh folder")()
    assert sorted(refreshed.args[0]) == sorted(f.url for f in feeds)  # subfolders included
    assert window.feed_tree.select_view(folder)
    assert window.subscriptions.delete_folder(news.id, confirm=False)
    assert [f.name for f in filled_store.list_folders()] == ["Inner"]
    moved = filled_store.get_feed(feeds[0].id)
    assert moved.folder_id is None  # moved up to the top level
    assert window.feed_tree.tree_model.item_for(folder) is None
    assert window.view == View(ViewKind.ALL)  # the deleted folder's view is left
    assert window.articles.model.rowCount() == 8


def test_deleting_a_folder_names_the_rules_that_go_with_it(
    filled_store: Store, make_window: Callable[[Store], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    news = filled_store.add_folder("News")
    sport = filled_store.add_folder("Sport")
    filled_store.add_rule("Quiet news", "weather", ["read"], folder_id=news.id)
    filled_store.add_rule("Star goals", "goal", ["star"], folder_id=news.id)
    filled_store.add_rule("Everywhere", "storm", ["star"])
    window = make_window(filled_store)
    asked = answering(monkeypatch, QMessageBox.StandardButton.No)
    assert not window.subscriptions.delete_folder(news.id)
    assert asked[0].endswith(
        "Its rules “Quiet news”, “Star goals” run on this folder only and are deleted with it."
    )
    assert not window.subscriptions.delete_folder(sport.id)
    assert asked[1].endswith("no feed is unsubscribed.")  # no rule of its own
    assert [f.name for f in filled_store.list_folders()] == ["News", "Sport"]  # answered no
