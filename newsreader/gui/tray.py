"""The system tray icon: unread count in its tooltip, a small menu, new-article notifications."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget


def app_icon() -> QIcon:
    icon = QIcon()
    icons = resources.files("newsreader").joinpath("resources").joinpath("icons")
    for size in (16, 24, 32, 48, 64, 128, 256):
        data = icons.joinpath(f"newsreader-{size}.png")
        if data.is_file():
            pixmap = QPixmap()
            pixmap.loadFromData(data.read_bytes())
            icon.addPixmap(pixmap)
    return icon


class Tray(QSystemTrayIcon):
    def __init__(self, window: QWidget, menu: QMenu) -> None:
        super().__init__(app_icon(), window)
        self.setContextMenu(menu)
        self.set_unread(0)

    def set_unread(self, unread: int) -> None:
        self.setToolTip(f"Newsreader: {unread} unread" if unread else "Newsreader")

    def notify_new(self, count: int) -> None:
        if count > 0 and self.supportsMessages():
            self.showMessage(
                "Newsreader",
                f"{count} new article{'s' if count != 1 else ''}",
                QSystemTrayIcon.MessageIcon.Information,
                5000,
            )
