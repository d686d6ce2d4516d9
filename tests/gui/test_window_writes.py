"""The window's own reads and writes that could stall it (feed properties, OPML import, the
export dialog's choices) run on the background store thread, and feeds with the same title
are named as the feed panel names them wherever the window asks about one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from newsreader.gui.export_dialog import ExportChoices, ExportDialog
from newsreader.gui.window import MainWindow
from newsreader.model import Feed
from newsreader.store import EntryQuery, Store
from tests.gui.conftest import add_feed, answering

STORE_THREAD = "newsreader-store_0"  # `BackgroundStore`'s one worker


def record_threads(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[str]:
    """Wraps `owner.name` so each call notes the thread it ran on; the notes."""
    threads: list[str] = []
    real = getattr(owner, name)

    def noted(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, noted)
    return threads


def two_blogs(store: Store) -> tuple[Feed, Feed]:
    alpha = store.add_feed("https://alpha.example/feed.xml", title="Blog")
    beta = store.add_feed("https://beta.example/feed.xml", title="Blog")
    return alpha, beta


def test_unsubscribe_asks_about_the_feed_by_its_name_in_the_tree(
    store: Store, make_window: Callable[[Store], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, _beta = two_blogs(store)
    window = make_window(store)
    asked = answering(monkeypatch, QMessageBox.StandardButton.Yes)
    assert window.subscriptions.unsubscribe(alpha.id)
    assert asked[0].startswith("Unsubscribe from “Blog (alpha.example)”?")
    assert window.undo_stack.undoText() == "Unsubscribe from Blog (alpha.example)"


def test_feed_properties_name_the_feed_and_write_on_the_store_thread(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    _alpha, beta = two_blogs(store)
    window = make_window(store)
    threads = record_threads(monkeypatch, Store, "set_feed_url")
    dialog = window.subscriptions.properties_dialog(beta.id)
    assert dialog.windowTitle() == "Properties of Blog (beta.example)"
    dialog.url.setText("https://beta.example/atom.xml")
    dialog.interval.setValue(90)
    dialog.accept()
    # the dialog's writes follow one another on the store thread: wait for the last one
    qtbot.waitUntil(lambda: store.get_feed(beta.id).interval_minutes == 90)
    assert store.get_feed(beta.id).url == "https://beta.example/atom.xml"
    assert threads == [STORE_THREAD]
    # the panel was re-read after the write: the tree tells the feeds apart by the new address
    qtbot.waitUntil(lambda: window.presenter.panel.feeds[1].url.endswith("atom.xml"))


def test_a_refused_property_is_said_and_nothing_else_breaks(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    alpha, _beta = two_blogs(store)
    window = make_window(store)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warned.append(text))
    dialog = window.subscriptions.properties_dialog(alpha.id)
    dialog.user_agent.setText("two\nlines")
    dialog.accept()
    qtbot.waitUntil(lambda: bool(warned))
    assert "User-Agent" in warned[0]
    assert store.get_feed(alpha.id).user_agent is None


OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Coast</title></head><body>
<outline text="Tides" xmlUrl="https://tides.example/feed.xml"/>
<outline text="Gulls" xmlUrl="https://gulls.example/feed.xml"/>
</body></opml>"""


def test_opml_import_writes_on_the_store_thread(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    path = tmp_path / "coast.opml"
    path.write_text(OPML, encoding="utf-8")
    window = make_window(store)
    threads = record_threads(monkeypatch, Store, "import_outline")
    imported: list[int] = []
    dialog = window.subscriptions.ask_import(path, imported.append)
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: imported == [2])
    assert threads == [STORE_THREAD]
    assert {f.url for f in window.feeds} == {
        "https://tides.example/feed.xml",
        "https://gulls.example/feed.xml",
    }


def test_the_export_dialog_reads_its_choices_on_the_store_thread(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    add_feed(store, "alpha", 2)
    window = make_window(store)
    threads = record_threads(monkeypatch, ExportChoices, "read")
    window.articles.select_row(0)
    window.export_dialog()
    qtbot.waitUntil(lambda: bool(window.findChildren(ExportDialog)))
    assert threads == [STORE_THREAD]
    (dialog,) = window.findChildren(ExportDialog)
    assert dialog.scope_combo.currentText() == "Selected article (1)"
    dialog.reject()


def scopes(dialog: ExportDialog) -> list[str]:
    return [dialog.scope_combo.itemText(i) for i in range(dialog.scope_combo.count())]


def test_the_export_dialog_offers_no_scope_with_nothing_in_it(
    store: Store, data_paths: Any, qtbot: Any
) -> None:
    empty = ExportDialog(ExportChoices.read(store), data_paths)
    qtbot.addWidget(empty)
    assert scopes(empty) == ["Search results", "Every article since a date"]
    assert not empty.feed_combo.isVisibleTo(empty)

    feed_id = add_feed(store, "alpha", 2)
    store.set_starred(store.entry_ids(EntryQuery(feed_ids=(feed_id,)))[:1], True)
    store.add_folder("Later")
    full = ExportDialog(ExportChoices.read(store), data_paths)
    qtbot.addWidget(full)
    assert scopes(full) == [
        "A feed",
        "A folder",
        "Starred articles",
        "Search results",
        "Every article since a date",
    ]
    assert full.scope_combo.currentText() == "A feed"
