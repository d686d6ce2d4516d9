"""A rule with the `notify` action shows what it found when a refresh ends: a desktop
notification through the tray when it can show one, else a line on the status bar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QStatusBar, QSystemTrayIcon, QWidget

from newsreader.gui.rule_notices import RuleNotices, notice_text
from newsreader.gui.state import WindowState
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.gui.conftest import NOW, add_feed
from tests.gui.test_session import atom, open_session, wait_sync
from tests.loopback import LoopbackServer, Response


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


class MessagingTray(QSystemTrayIcon):
    """A tray icon on a desktop that shows notifications; it keeps what it was asked to show."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []

    @staticmethod
    def supportsMessages() -> bool:
        return True

    def showMessage(self, title: str, message: str, *_args: object) -> None:
        self.shown.append((title, message))


def test_the_notice_names_the_first_articles_and_counts_the_rest() -> None:
    assert notice_text(["A"], 1) == "Your rules found 1 article: “A”."
    assert (
        notice_text(["A", "B", "C"], 5) == "Your rules found 5 articles: “A”, “B”, “C” and 2 more."
    )


def test_a_refresh_shows_what_notify_rules_found_on_the_status_bar(
    store: Store, data_paths: DataPaths, qtbot: object, server: LoopbackServer
) -> None:
    WindowState(data_paths).mark_first_run_done()
    server.route("/feed.xml", Response(body=atom(4, base=server.url(""), newest=NOW)))
    store.add_feed(server.url("/feed.xml"))
    store.add_rule("ping", '"loopback story 2" OR "loopback story 3"', ["notify"])
    session = open_session(store, data_paths, qtbot)  # no tray: offscreen has none
    assert session.sync.start(all_feeds=True)
    summary = wait_sync(session, qtbot)
    assert summary is not None and summary.new_entries == 4
    message = session.window.statusBar().currentMessage()
    assert message.startswith("Refreshed 1 feed: 4 new articles. Your rules found 2 articles: ")
    assert "“Loopback story 2”" in message and "“Loopback story 3”" in message
    # the next refresh finds nothing new: nothing more to tell
    assert session.sync.start(all_feeds=True)
    wait_sync(session, qtbot)
    assert "Your rules" not in session.window.statusBar().currentMessage()


def test_the_tray_shows_the_notice_when_it_can(store: Store, qtbot: object) -> None:
    feed_id = add_feed(store, "harbour", 3)
    ids = store.entry_ids(EntryQuery(feed_ids=(feed_id,)))
    window = QWidget()
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    status = QStatusBar(window)
    tray = MessagingTray()
    notices = RuleNotices(store, status, tray)
    notices.add(ids[:2])
    notices.add(ids[1:2])  # the same article from two rules counts once
    text = notices.show("Refreshed 1 feed: 3 new articles.")
    assert text == (
        "Your rules found 2 articles: “harbour story 0 about harbour lights”, "
        "“harbour story 1 about harbour lights”."
    )
    assert tray.shown == [("Newsreader", text)]
    assert status.currentMessage() == "Refreshed 1 feed: 3 new articles."
    assert notices.show("Refreshed 1 feed: no new articles.") is None  # told once
    assert tray.shown == [("Newsreader", text)]
