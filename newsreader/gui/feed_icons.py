"""The feed panel's pictures: a feed's own icon (cached by the sync's follow-up stage, read
from the image cache) or, when it has none or the file cannot be read, a letter tile: a
coloured square with the feed's first letter, its colour chosen from the feed's address so
it stays the same from one start to the next.

Files are decoded (and scaled down) into QImages off the GUI thread when a decoder is given
(`FeedTree.decode_icons_with`: the window's background store thread; several hundred icons took
0.2-1 s on the GUI thread), the feed showing its tile meanwhile; only the QPixmap is made on
the GUI thread (it belongs there). Everything is kept: an icon per file and a tile per letter
and colour, so a tree rebuild after a sync decodes nothing twice.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QImageReader, QPainter, QPixmap

# Mid-dark colours on which white letters keep a contrast of 4.5:1 or more (checked in tests).
TILE_COLOURS = (
    "#1f6feb",
    "#8250df",
    "#bf3989",
    "#cf222e",
    "#a4400f",
    "#7d5b00",
    "#1a7f37",
    "#0f7b78",
    "#0969da",
    "#6e40c9",
    "#57606a",
    "#9a3412",
)
TILE_SIZE = 32  # pixels; the view scales it to its icon size


def tile_letter(title: str) -> str:
    """The letter a tile shows: the title's first letter or digit, upper-cased; "#" if none."""
    return next((c.upper() for c in title if c.isalnum()), "#")


def tile_colour(key: str) -> str:
    """The tile colour for a feed, from its address: the same address always gets the same
    colour (crc32, not Python's salted hash)."""
    return TILE_COLOURS[zlib.crc32(key.encode("utf-8", "replace")) % len(TILE_COLOURS)]


def decode_icon(path: Path) -> QImage:
    """The image in an icon file, at most TILE_SIZE pixels on its longer side; a null image
    when it is missing or no image Qt can read (a site that serves an error page as its
    favicon). Safe on any thread (QImage is)."""
    image = QImageReader(str(path)).read()
    if not image.isNull() and max(image.width(), image.height()) > TILE_SIZE:
        # kept small: a thousand 180-pixel touch icons would hold 130 MB
        image = image.scaled(
            TILE_SIZE,
            TILE_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


class FeedIcons:
    """Icons from the image cache and letter tiles, made once and kept."""

    def __init__(self) -> None:
        self._files: dict[Path, QIcon | None] = {}
        self._tiles: dict[tuple[str, str], QIcon] = {}

    def icon(self, title: str, key: str, path: Path | None) -> QIcon:
        """The feed's icon from `path` once decoded (see `decoded`), else its letter tile
        (`key`: the feed's address)."""
        if path is not None and (cached := self.from_file(path)) is not None:
            return cached
        return self.tile(title, key)

    def from_file(self, path: Path) -> QIcon | None:
        """The icon decoded from `path`; None when not decoded (yet) or not a picture."""
        return self._files.get(path)

    def known(self, path: Path) -> bool:
        """Whether the file at `path` was decoded already (a picture, or found unreadable)."""
        return path in self._files

    def decoded(self, path: Path, image: QImage) -> None:
        """Keeps the icon decoded from `path` (a null image: none, the tile stays). GUI thread."""
        self._files[path] = None if image.isNull() else QIcon(QPixmap.fromImage(image))

    def tile(self, title: str, key: str) -> QIcon:
        letter, colour = tile_letter(title), tile_colour(key)
        icon = self._tiles.get((letter, colour))
        if icon is None:
            icon = QIcon(letter_tile(letter, colour))
            self._tiles[(letter, colour)] = icon
        return icon


def letter_tile(letter: str, colour: str, size: int = TILE_SIZE) -> QPixmap:
    """A rounded square of `colour` with `letter` in white, bold, centred."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        radius = size / 5
        painter.drawRoundedRect(QRectF(0, 0, size, size), radius, radius)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(round(size * 0.62))
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letter)
    finally:
        painter.end()
    return pixmap
