"""Fixtures for the window's tests: a real store in tmp_path filled through the store's own
write path, windows built on it (offscreen), and per test the asyncio loop the app runs
network work on (qasync over Qt's loop), so tests drive tasks with `qtbot.waitUntil`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QMessageBox

from newsreader.gui.state import WindowState
from newsreader.gui.tasks import close_loop, install_loop
from newsreader.gui.window import MainWindow
from newsreader.model import Author, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import FetchInfo, Store

NOW = datetime.now(UTC).replace(microsecond=0)


def parsed_feed(
    name: str, count: int, *, start: datetime = NOW, step_minutes: int = 10
) -> ParsedFeed:
    """A feed of `count` entries, newest first, `step_minutes` apart (text written here)."""
    entries = tuple(
        ParsedEntry(
            id=f"{name}-{i}",
            title=f"{name} story {i} about harbour lights",
            link=f"https://{name}.example/{i}",
            published=start - timedelta(minutes=step_minutes * i),
            authors=(Author(name=f"{name} writer"),),
            content=f"<p>Body of {name} story {i}: the harbour lights were seen again.</p>",
        )
        for i in range(count)
    )
    return ParsedFeed(format="atom10", title=f"{name.title()} News", entries=entries)


def answering(monkeypatch: pytest.MonkeyPatch, *answers: QMessageBox.StandardButton) -> list[str]:
    """`QMessageBox.question` answered with `answers` in turn (the last one again after
    that) instead of a modal box; returns the list the questions' texts go into."""
    asked: list[str] = []
    left = list(answers)

    def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return left.pop(0) if len(left) > 1 else left[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def add_feed(store: Store, name: str, count: int, *, start: datetime = NOW) -> int:
    feed = store.add_feed(f"https://{name}.example/feed.xml")
    parsed = parsed_feed(name, count, start=start)
    store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=NOW))
    return feed.id


@pytest.fixture(autouse=True)
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The app's loop, as `gui.app.run` makes it; closing it cancels and unwinds leftover tasks.
    Set up before (so torn down after) qtbot, whose teardown closes the windows."""
    loop = install_loop(qapp)
    yield loop
    close_loop(loop)


@pytest.fixture
def store(data_paths: DataPaths) -> Iterator[Store]:
    opened = Store.open(data_paths)
    yield opened
    opened.close()


@pytest.fixture
def filled_store(store: Store) -> Store:
    add_feed(store, "alpha", 5)
    add_feed(store, "beta", 3, start=NOW - timedelta(minutes=5))
    return store


@pytest.fixture
def make_window(qtbot: object, data_paths: DataPaths) -> Iterator[Callable[[Store], MainWindow]]:
    """Builds a window over a store (first run already done), shown offscreen."""
    windows: list[MainWindow] = []

    def make(store: Store) -> MainWindow:
        WindowState(data_paths).mark_first_run_done()
        window = MainWindow(store, data_paths)
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.restore_state()
        with qtbot.waitActive(window):  # type: ignore[attr-defined]  # shortcuts need it
            window.show()
            window.activateWindow()
        windows.append(window)
        return window

    yield make
