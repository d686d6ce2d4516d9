"""Accessibility and the smaller pieces: accessible names, OPML in and out, the tray."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from newsreader.gui.add_feed_dialog import AddFeedDialog
from newsreader.gui.feed_properties import FeedPropertiesDialog
from newsreader.gui.settings_dialog import SettingsDialog
from newsreader.gui.tray import Tray, app_icon
from newsreader.gui.window import MainWindow
from newsreader.model import DiscoveredFeed
from newsreader.store import Store

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def inside_control(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, CONTROLS):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets without an accessible name (Qt's own sub-widgets excepted)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.accessibleName():
            continue
        if widget.objectName().startswith("qt_") or inside_control(widget, root):
            continue  # spin box editors, combo box popups: parts of a named control
        if isinstance(widget, QAbstractButton) and widget.text():
            continue  # a button's text is its accessible name
        missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_has_an_accessible_name(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    assert unnamed_controls(window) == []
    assert unnamed_controls(SettingsDialog(window.settings, window)) == []
    feed = filled_store.list_feeds()[0]
    assert unnamed_controls(FeedPropertiesDialog(feed, None, window)) == []

    async def discover(url: str) -> list[DiscoveredFeed]:
        return []

    assert unnamed_controls(AddFeedDialog(discover, window.tasks, [], window)) == []


def test_opml_export_then_import_round_trip(
    filled_store: Store, make_window: Callable[[Store], MainWindow], tmp_path: Path, qtbot: object
) -> None:
    window = make_window(filled_store)
    path = tmp_path / "subs.opml"
    window.subscriptions.export_opml_file(path)
    assert b"https://alpha.example/feed.xml" in path.read_bytes()
    for feed in filled_store.list_feeds():
        filled_store.delete_feed(feed.id)
    imported: list[int] = []
    dialog = window.subscriptions.ask_import(path, imported.append)
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: imported == [2])  # type: ignore[attr-defined]
    assert {f.url for f in filled_store.list_feeds()} == {
        "https://alpha.example/feed.xml",
        "https://beta.example/feed.xml",
    }


def test_tray_shows_unread_count(
    filled_store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    window = make_window(filled_store)
    tray = Tray(window, QMenu(window))
    tray.set_unread(window.unread_count)
    assert window.unread_count == 8
    assert tray.toolTip() == "Newsreader: 8 unread"
    assert window.windowTitle() == "Newsreader (8 unread)"
    badge = tray.icon().pixmap(64, 64).toImage()
    plain = app_icon().pixmap(64, 64).toImage()
    assert badge != plain  # the count is drawn on the icon
    tray.set_unread(0)
    assert tray.icon().pixmap(64, 64).toImage() == plain


def write_opml(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        '<outline type="rss" text="Alpha" xmlUrl="https://alpha.example/feed.xml"/>'
        '<outline text="Sea"><outline type="rss" text="Tides" '
        'xmlUrl="https://tides.example/feed.xml"/>'
        '<outline type="rss" text="Gulls" xmlUrl="https://gulls.example/feed.xml"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    return path


def test_importing_opml_asks_first_and_offers_the_folders(
    filled_store: Store, make_window: Callable[[Store], MainWindow], tmp_path: Path, qtbot: object
) -> None:
    filled_store.add_folder("Later")
    window = make_window(filled_store)
    window.refresh_feeds()
    path = write_opml(tmp_path / "coast.opml")
    imported: list[int] = []

    cancelled = window.subscriptions.ask_import(path, imported.append)
    assert cancelled is not None
    assert cancelled.question.text() == (
        "Import 2 feeds from “coast.opml” into:\n(1 more you already follow stay where they are.)"
    )
    choices = [cancelled.folder.itemText(i) for i in range(cancelled.folder.count())]
    assert choices == ["(top level, keeping the file's folders)", "Later", "New folder “coast”"]
    assert unnamed_controls(cancelled) == []
    cancelled.reject()
    assert imported == [] and filled_store.feed_by_url("https://tides.example/feed.xml") is None

    asked = window.subscriptions.ask_import(path, imported.append)
    assert asked is not None
    asked.folder.setCurrentIndex(asked.folder.findText("New folder “coast”"))
    asked.accept()
    qtbot.waitUntil(lambda: imported == [2])  # type: ignore[attr-defined]
    tides = filled_store.feed_by_url("https://tides.example/feed.xml")
    assert tides is not None and tides.folder_id is not None
    assert filled_store.folder_path(tides.folder_id) == ("coast", "Sea")
    alpha = filled_store.feed_by_url("https://alpha.example/feed.xml")
    assert alpha is not None and alpha.folder_id is None  # already followed: left alone
    assert "coast" in {f.name for f in window.folders}  # the feed panel was re-read

    again = window.subscriptions.ask_import(path, imported.append)
    assert again is not None
    assert again.question.text() == "You already follow all 3 feeds in “coast.opml”."
    assert not again.buttons.button(again.buttons.StandardButton.Ok).isEnabled()
    again.reject()
