"""The whole path a double-clicked feed link or OPML file takes: a second start of the app (a
real process running `newsreader TARGET`) hands it to the running window through the local
socket, and the window asks to subscribe (discovering the feed on a loopback server) or imports
the list."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from newsreader.gui.add_feed_dialog import AddFeedDialog
from newsreader.gui.app import Session
from newsreader.gui.opml_import import ImportOpmlDialog
from newsreader.gui.single_instance import serve
from newsreader.gui.state import WindowState
from newsreader.gui.tasks import close_loop, install_loop
from newsreader.gui.views import ViewKind
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.engine import SyncOptions
from tests.loopback import LoopbackServer, Response
from tests.processes import Children

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hand-over Times</title><id>urn:handover</id>
<updated>{now}</updated>
<entry><id>urn:handover:1</id><title>Handed over</title><updated>{now}</updated>
<content type="text">Written for this test.</content></entry></feed>"""


@pytest.fixture
def store(data_paths: DataPaths) -> Iterator[Store]:
    opened = Store.open(data_paths)
    yield opened
    opened.close()


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The app's loop, as `gui.app.run` makes it (running while Qt runs, so `qtbot.waitUntil`
    drives its tasks); closing it cancels and unwinds what is left."""
    loop = install_loop(qapp)
    yield loop
    close_loop(loop)


@pytest.fixture
def session(
    qloop: qasync.QEventLoop, store: Store, data_paths: DataPaths, qtbot: QtBot
) -> Iterator[Session]:
    WindowState(data_paths).mark_first_run_done()
    running = Session(store, data_paths, sync_options=SyncOptions(lock_wait=5.0), tray=False)
    qtbot.addWidget(running.window)
    server = serve(running.window, data_paths, running.open_target)
    running.show()
    yield running
    server.close()
    running.sync.cancel()


WAIT_MS = 20_000


def subscribed(store: Store, url: str) -> bool:
    feed = store.feed_by_url(url)
    return feed is not None and store.count_entries(EntryQuery(feed_ids=(feed.id,))) > 0


StartAgain = Callable[[str], "subprocess.Popen[str]"]


@pytest.fixture
def start_again(data_paths: DataPaths) -> Iterator[StartAgain]:
    """Starts the app a second time with a target, as the desktop would. One that did not hand
    over and exit (the test failed) is a whole second app: it is ended with the test, never
    left running."""
    children = Children()
    yield lambda target: children.python(
        ["-m", "newsreader", "--data-dir", str(data_paths.root), target]
    )
    children.reap()


def test_a_feed_link_opens_the_subscribe_dialog_in_the_running_window(
    session: Session, store: Store, start_again: StartAgain, qtbot: QtBot
) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with LoopbackServer() as web:
        web.route("/news.atom", Response(body=ATOM.format(now=now).encode()))
        link = web.url("/news.atom").replace("http://", "feed://")
        process = start_again(link)

        def dialog() -> AddFeedDialog | None:
            found = session.window.findChildren(AddFeedDialog)
            return found[-1] if found else None

        qtbot.waitUntil(lambda: dialog() is not None, timeout=WAIT_MS)
        opened = dialog()
        assert opened is not None
        assert opened.url_edit.text() == web.url("/news.atom")
        qtbot.waitUntil(lambda: opened.results.count() > 0, timeout=WAIT_MS)
        opened.accept()
        qtbot.waitUntil(lambda: subscribed(store, web.url("/news.atom")), timeout=WAIT_MS)
        # subscribe() ends by showing the new feed; its HTTP client is closed by then
        qtbot.waitUntil(lambda: session.window.view.kind == ViewKind.FEED, timeout=WAIT_MS)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    feed = store.feed_by_url(web.url("/news.atom"))
    assert feed is not None, "not subscribed"
    assert feed.last_error is None, feed.last_error
    assert [e.title for e in store.list_entries(EntryQuery(feed_ids=(feed.id,)))] == ["Handed over"]


def test_an_opml_file_is_imported_by_the_running_window_after_asking(
    session: Session, store: Store, start_again: StartAgain, qtbot: QtBot, tmp_path: Path
) -> None:
    store.add_folder("Reading")
    session.window.refresh_feeds()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with LoopbackServer() as web:
        web.route("/one.atom", Response(body=ATOM.format(now=now).encode()))
        url = web.url("/one.atom")
        opml = tmp_path / "from the desktop.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
            f'<outline text="Tech"><outline type="rss" text="Loopback one" xmlUrl="{url}"/>'
            "</outline></body></opml>",
            encoding="utf-8",
        )
        process = start_again(opml.as_uri())

        def dialog() -> ImportOpmlDialog | None:
            found = session.window.findChildren(ImportOpmlDialog)
            return found[-1] if found else None

        qtbot.waitUntil(lambda: dialog() is not None, timeout=WAIT_MS)
        asked = dialog()
        assert asked is not None
        assert asked.question.text() == "Import 1 feed from “from the desktop.opml” into:"
        assert store.feed_by_url(url) is None  # nothing before the yes
        asked.folder.setCurrentIndex(asked.folder.findText("Reading"))
        asked.accept()
        # the new feed is fetched at once
        qtbot.waitUntil(lambda: subscribed(store, url), timeout=WAIT_MS)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    feed = store.feed_by_url(url)
    assert feed is not None and feed.folder_id is not None
    assert store.folder_path(feed.folder_id) == ("Reading", "Tech")
