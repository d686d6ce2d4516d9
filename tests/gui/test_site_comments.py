"""Loading an entry's comments from the site on demand: the comment feed is fetched from a
loopback server by the sync engine as a task on the window's loop, and the thread, the heading
and the article list's count follow; a failing fetch leaves a quiet note and nothing changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from newsreader.gui.article_model import Column
from newsreader.gui.window import MainWindow
from newsreader.model import CommentOrigin, ParsedEntry, ParsedFeed
from newsreader.store import EntryQuery, FetchInfo, Store
from tests.gui.conftest import NOW
from tests.loopback import LoopbackServer, Response

WAIT_MS = 20_000
STAMP = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
COMMENTS = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<title>Comments on the lighthouse story</title><id>urn:lighthouse:comments</id>
<updated>{STAMP}</updated>
<entry><id>urn:lighthouse:c1</id><title>By Ada</title><author><name>Ada</name></author>
<updated>{STAMP}</updated><thr:in-reply-to ref="urn:lighthouse"/>
<content type="text">The keeper's log agrees with this.</content></entry>
<entry><id>urn:lighthouse:c2</id><title>By Ben</title><author><name>Ben</name></author>
<updated>{STAMP}</updated><thr:in-reply-to ref="urn:lighthouse:c1"/>
<content type="text">Which page of the log?</content></entry>
</feed>"""


@pytest.fixture
def web() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


def entry_with_comment_feed(store: Store, comments_url: str) -> int:
    feed = store.add_feed("https://lighthouse.example/feed.xml")
    entry = ParsedEntry(
        id="urn:lighthouse",
        title="The lighthouse keeps its light",
        published=NOW,
        comments_feed=comments_url,
        comment_count=1,
    )
    store.apply_parsed_feed(
        feed.id, ParsedFeed(format="atom10", entries=(entry,)), FetchInfo(fetched_at=NOW)
    )
    [entry_id] = store.entry_ids(EntryQuery(feed_ids=(feed.id,)))
    return entry_id


def count_cell(window: MainWindow) -> str:
    model = window.articles.model
    return str(model.index(window.articles.current_row(), Column.COMMENTS).data() or "")


def test_comments_load_from_the_site_on_demand(
    store: Store, make_window: Callable[[Store], MainWindow], web: LoopbackServer, qtbot: object
) -> None:
    web.route("/lighthouse/comments.atom", Response(body=COMMENTS.encode()))
    entry_id = entry_with_comment_feed(store, web.url("/lighthouse/comments.atom"))
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    panel = window.comments
    assert panel.load_button.isVisible()
    assert panel.load_button.text() == "Load comments from the site"
    # the list shows the feed's count; the panel says those are on the site, not here yet
    assert "1 comment on the site, not loaded yet" in panel.thread_view.toPlainText()
    assert "No comments yet" not in panel.thread_view.toPlainText()
    assert count_cell(window) == "1"  # as announced

    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not panel.load_button.isEnabled()
    assert panel.site_status.text() == "Loading…"
    qtbot.waitUntil(lambda: panel.load_button.isEnabled(), timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert panel.site_status.text() == "2 new or changed"
    text = panel.thread_view.toPlainText()
    assert "The keeper's log agrees with this." in text and "Which page of the log?" in text
    assert "not loaded yet" not in text
    assert panel.heading.text() == "Comments (2)"
    assert panel.load_button.text() == "Refresh site comments"
    [root] = store.comment_threads(entry_id)
    assert root.origin == CommentOrigin.SITE and root.author == "Ada"
    assert [reply.author for reply in root.replies] == ["Ben"]
    assert count_cell(window) == "2"  # the list follows

    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.load_button.isEnabled(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert panel.site_status.text() == "No new comments"
    assert len(web.requests_for("/lighthouse/comments.atom")) == 2


def test_a_failed_load_is_a_quiet_note_and_changes_nothing(
    store: Store, make_window: Callable[[Store], MainWindow], web: LoopbackServer, qtbot: object
) -> None:
    web.route("/gone.atom", Response(status=500, body=b"broken"))
    entry_id = entry_with_comment_feed(store, web.url("/gone.atom"))
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    window.comments.editor.setPlainText("Mine stays")
    window.comments.submit()
    task = window.comments.load_site_comments()
    assert task is not None
    status = window.comments.site_status
    qtbot.waitUntil(lambda: status.text() == "Could not load comments", timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert task.done()
    assert "500" in status.toolTip()
    assert window.comments.load_button.isEnabled()  # one may try again
    assert [c.body for c in store.list_comments(entry_id)] == ["Mine stays"]


def test_entries_without_a_comment_feed_offer_no_load(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    window.articles.select_row(0)
    assert not window.comments.load_button.isVisible()
    assert window.comments.load_site_comments() is None
