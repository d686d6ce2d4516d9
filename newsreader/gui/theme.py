"""Light and dark appearance: the application palette and the reader's stylesheet choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from newsreader.settings import Theme

_DARK_COLOURS = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#2b2d31",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#34363b",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.Highlight: "#3d5a80",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#8c9096",
}
_LIGHT_COLOURS = {
    QPalette.ColorRole.Window: "#f3f4f6",
    QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f6f8fa",
    QPalette.ColorRole.ToolTipBase: "#ffffdc",
    QPalette.ColorRole.ToolTipText: "#1f2328",
    QPalette.ColorRole.Text: "#1f2328",
    QPalette.ColorRole.Button: "#eceef1",
    QPalette.ColorRole.ButtonText: "#1f2328",
    QPalette.ColorRole.BrightText: "#000000",
    QPalette.ColorRole.Link: "#0b57d0",
    QPalette.ColorRole.Highlight: "#cfe0fc",
    QPalette.ColorRole.HighlightedText: "#1f2328",
    QPalette.ColorRole.PlaceholderText: "#6e7781",
}


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(theme: Theme) -> bool:
    """Whether `theme` means dark right now (SYSTEM follows the desktop's colour scheme)."""
    if theme == Theme.SYSTEM:
        return system_is_dark()
    return theme == Theme.DARK


def palette(dark: bool) -> QPalette:
    result = QPalette()
    for role, colour in (_DARK_COLOURS if dark else _LIGHT_COLOURS).items():
        result.setColor(role, QColor(colour))
    disabled = QColor("#7d828a" if dark else "#8c959f")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


def apply_theme(app: QApplication, theme: Theme) -> bool:
    """Applies the theme's palette (the Fusion style draws it faithfully); returns dark."""
    dark = is_dark(theme)
    app.setStyle("Fusion")
    app.setPalette(palette(dark))
    return dark
