"""The system tray icon: unread count in its tooltip, a small menu, new-article notifications."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from newsreader.wording import counted


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


BADGE_SIZE = 64


def badged_icon(base: QIcon, count: int) -> QIcon:
    """The app icon with the unread count in a red disc (99+ beyond two digits)."""
    if count <= 0:
        return base
    pixmap = base.pixmap(BADGE_SIZE, BADGE_SIZE)
    if pixmap.isNull():
        pixmap = QPixmap(BADGE_SIZE, BADGE_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
    text = str(count) if count < 100 else "99+"
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRectF(BADGE_SIZE * 0.38, 0, BADGE_SIZE * 0.62, BADGE_SIZE * 0.5)
    painter.setBrush(QColor("#d93025"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(disc, disc.height() / 2, disc.height() / 2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(disc.height() * (0.7 if len(text) < 3 else 0.55)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class Tray(QSystemTrayIcon):
    def __init__(self, window: QWidget, menu: QMenu) -> None:
        self._base = app_icon()
        super().__init__(self._base, window)
        self.setContextMenu(menu)
        self.unread = -1
        self.set_unread(0)

    def set_unread(self, unread: int) -> None:
        if unread == self.unread:
            return
        self.unread = unread
        self.setIcon(badged_icon(self._base, unread))
        self.setToolTip(f"Newsreader: {unread} unread" if unread else "Newsreader")

    def notify_new(self, count: int) -> None:
        if count > 0 and self.supportsMessages():
            self.showMessage(
                "Newsreader",
                counted(count, "new article"),
                QSystemTrayIcon.MessageIcon.Information,
                5000,
            )
