"""The window's network work runs as asyncio tasks on the GUI thread's loop (qasync over Qt's):
also inside the nested event loop of a modal dialog, with events arriving on the GUI thread;
closing cancels what runs and lets it unwind, so the store and the sync lock are released."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from newsreader.gui.app import Session
from newsreader.gui.state import WindowState
from newsreader.gui.tasks import TaskSet, close_loop
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import SyncEvent
from tests.gui.test_session import atom
from tests.loopback import LoopbackServer, Request, Response

GATE_SECONDS = 20.0


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def open_session(store: Store, paths: DataPaths, qtbot: QtBot) -> Session:
    WindowState(paths).mark_first_run_done()
    session = Session(store, paths, sync_options=SyncOptions(lock_wait=5.0), tray=False)
    qtbot.addWidget(session.window)
    session.show()
    return session


def test_a_sync_started_inside_a_modal_dialog_runs_and_reports_on_the_gui_thread(
    store: Store,
    data_paths: DataPaths,
    qtbot: QtBot,
    server: LoopbackServer,
    qloop: qasync.QEventLoop,
) -> None:
    newest = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    server.route("/feed.xml", Response(body=atom(3, base=server.url(""), newest=newest)))
    store.add_feed(server.url("/feed.xml"))
    session = open_session(store, data_paths, qtbot)
    events: list[tuple[str, int]] = []

    def note(event: SyncEvent) -> None:
        events.append((type(event).__name__, threading.get_ident()))

    session.sync.sync_event.connect(note)
    messages: list[str] = []
    session.window.statusBar().messageChanged.connect(messages.append)
    dialog = QDialog(session.window)
    loops: list[asyncio.AbstractEventLoop] = []

    def start_inside_the_modal_loop() -> None:
        loops.append(asyncio.get_running_loop())  # what httpx needs in every Qt callback
        assert session.sync.start(all_feeds=True)

    def close_when_done() -> None:
        if not session.sync.running and session.sync.last_summary is not None:
            dialog.accept()

    QTimer.singleShot(0, start_inside_the_modal_loop)
    poll = QTimer(dialog)
    poll.timeout.connect(close_when_done)
    poll.start(20)
    QTimer.singleShot(30_000, dialog.reject)  # a hang fails the assertion below, not the run
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert loops == [qloop]
    summary = session.sync.last_summary
    assert summary is not None and summary.checked == 1 and summary.new_entries == 3
    names = [name for name, _ in events]
    assert names[0] == "SyncStarted" and names[-1] == "SyncFinished"
    assert names.count("FeedSynced") == 1
    assert names.index("FollowUpStarted") < names.index("StoriesMatched")  # side by side
    assert "Grouping articles into stories: 3 of 3" in messages  # then cleared
    assert {thread for _, thread in events} == {threading.get_ident()}


def test_closing_cancels_the_sync_and_the_loop_lets_it_unwind(
    store: Store,
    data_paths: DataPaths,
    qtbot: QtBot,
    server: LoopbackServer,
    qloop: qasync.QEventLoop,
) -> None:
    gate = threading.Event()
    newest = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    body = atom(2, base=server.url(""), newest=newest)

    def slow(_request: Request) -> Response:
        if gate.is_set():
            return Response(body=body)
        gate.wait(GATE_SECONDS)
        return Response(status=503)  # headers only: the cancelled client is gone by then

    server.route("/feed.xml", slow)
    feed = store.add_feed(server.url("/feed.xml"))
    session = open_session(store, data_paths, qtbot)
    assert session.sync.start(all_feeds=True)
    qtbot.waitUntil(lambda: bool(server.requests_for("/feed.xml")), timeout=15_000)
    session.window.close()  # cancels the window's tasks
    close_loop(qloop)  # as after app.exec(): the cancelled sync unwinds before the loop closes
    gate.set()
    untouched = store.get_feed(feed.id)
    assert untouched.last_error is None and untouched.last_fetched is None
    assert store.count_entries(EntryQuery(feed_ids=(feed.id,))) == 0
    # The sync lock and the engine's store were released: a new sync runs at once.
    summary = asyncio.run(sync(data_paths, SyncOptions(all_feeds=True, lock_wait=0)))
    assert summary.checked == 1 and summary.new_entries == 2


def test_closed_tasks_are_cancelled_and_report_nothing(qtbot: QtBot) -> None:
    tasks = TaskSet()
    reported: list[object] = []
    task = tasks.start(asyncio.sleep(30), reported.append)
    tasks.close()
    qtbot.waitUntil(task.done)
    assert task.cancelled()
    assert reported == []
    with pytest.raises(RuntimeError, match="closed"):
        tasks.start(asyncio.sleep(0))


def test_a_bug_in_a_task_callback_is_reported_like_a_bug_in_a_slot(qtbot: QtBot) -> None:
    tasks = TaskSet()

    def broken(_task: object) -> None:
        raise ValueError("a bug in a callback")

    with qtbot.capture_exceptions() as exceptions:
        tasks.start(asyncio.sleep(0), broken)
        qtbot.waitUntil(lambda: bool(exceptions))
    assert [str(error) for _, error, _ in exceptions] == ["a bug in a callback"]
