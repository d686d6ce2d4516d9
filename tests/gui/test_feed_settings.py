"""The window's parts of the real-world fixes: a feed's own User-Agent in its Properties
dialog (fetched with it by the next sync, served here by a loopback server), and the OPML
import dialog counting "already subscribed" by the same rule as the import itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsreader.errors import NewsreaderError
from newsreader.gui.feed_properties import FeedPropertiesDialog
from newsreader.gui.subscriptions import write_feed_changes
from newsreader.gui.window import MainWindow
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.fetch import USER_AGENT
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, rss

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def fetched_with(window: MainWindow, server: LoopbackServer, qtbot: object) -> str:
    """Syncs every feed now, on the window's loop as the window does; the User-Agent of the
    last request for the feed."""
    options = SyncOptions(all_feeds=True, lock_wait=5.0)
    task = window.tasks.start(sync(window.paths, options))
    qtbot.waitUntil(task.done, timeout=30_000)  # type: ignore[attr-defined]
    task.result()
    return server.requests_for("/picky.xml")[-1].headers["user-agent"]


def test_a_feed_gets_its_own_user_agent_in_its_properties(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    server: LoopbackServer,
    qtbot: object,
) -> None:
    def picky(request: object) -> Response:  # a site that refuses clients it does not know
        agent = getattr(request, "headers", {}).get("user-agent", "")
        if not agent.startswith("Mozilla/"):
            return Response(status=403, body=b"Forbidden")
        return Response(body=rss([Item("p1")], title="Picky"), content_type="application/rss+xml")

    server.route("/picky.xml", picky)
    feed = store.add_feed(server.url("/picky.xml"))
    window = make_window(store)
    dialog = FeedPropertiesDialog(feed, None, window)
    assert dialog.user_agent.text() == ""
    assert USER_AGENT in dialog.user_agent.toolTip()
    dialog.user_agent.setText(f"  {BROWSER} ")
    write_feed_changes(window.store, feed, dialog.changes())
    feed = store.get_feed(feed.id)
    assert feed.user_agent == BROWSER
    assert fetched_with(window, server, qtbot) == BROWSER
    assert store.get_feed(feed.id).title == "Picky"  # the site answered this time

    again = FeedPropertiesDialog(feed, None, window)
    assert again.user_agent.text() == BROWSER  # shown as stored
    again.user_agent.setText("two\nlines")
    with pytest.raises(NewsreaderError, match="User-Agent"):
        write_feed_changes(window.store, feed, again.changes())
    again.user_agent.clear()  # back to the app's own
    write_feed_changes(window.store, feed, again.changes())
    assert store.get_feed(feed.id).user_agent is None
    assert fetched_with(window, server, qtbot) == USER_AGENT


OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Moving house</title></head><body>
<outline text="Alpha" xmlUrl="https://alpha.example/feed"/>
<outline text="Beta" xmlUrl="http://BETA.example/rss/"/>
<outline text="Gamma" xmlUrl="https://gamma.example/atom.xml"/>
<outline text="Delta site" htmlUrl="https://delta.example/"/>
</body></opml>
"""


def test_import_counts_already_subscribed_feeds_as_the_import_does(
    store: Store, make_window: Callable[[Store], MainWindow], tmp_path: Path, qtbot: object
) -> None:
    # the same feeds as two of the file's, written with a trailing slash and scheme case
    store.add_feed("https://Alpha.example/feed/")
    store.add_feed("HTTP://beta.example/rss")
    path = tmp_path / "moving.opml"
    path.write_text(OPML, encoding="utf-8")
    window = make_window(store)
    imported: list[int] = []
    dialog = window.subscriptions.ask_import(path, imported.append)
    assert dialog is not None
    assert dialog.question.text() == (
        "Import 1 feed from “moving.opml” into:\n(2 more you already follow stay where they are.)"
    )
    assert dialog.left_out.text() == (  # under the drop-down, not between it and its question
        "Not imported (1):\n• Delta site: a web page, not its feed (Add feed finds the feed there)"
    )
    dialog.accept()
    qtbot.waitUntil(lambda: imported == [1])  # type: ignore[attr-defined]  # as promised
    assert len(store.list_feeds()) == 3
    again = window.subscriptions.ask_import(path, imported.append)
    assert again is not None
    assert again.question.text().startswith("You already follow all 3 feeds in “moving.opml”.")
    again.reject()
