"""The article list's title cell with its snippet: the title on the first line (bold while
unread), one line of the article's text under it in a quieter colour, both elided to the
column's width. With snippets off (View → Show article snippets) Qt draws the cell as usual.

Painting only reads what the model holds: the snippet was worked out when the row's page was
read (`gui/snippet.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from newsreader.gui.article_model import SNIPPET_ROLE
from newsreader.gui.tree_delegate import styled_text_rect

Index = QModelIndex | QPersistentModelIndex
LINE_GAP = 2  # pixels between title and snippet


@dataclass(frozen=True, slots=True)
class TitleLayout:
    title: str
    title_rect: QRect
    snippet: str
    snippet_rect: QRect


def rows_height(metrics: QFontMetrics, lines: int) -> int:
    """A list row's height for `lines` lines of text in the font of `metrics`."""
    return lines * metrics.height() + (lines - 1) * LINE_GAP + 8


def title_layout(
    text_rect: QRect, title: str, snippet: str, title_font: QFont, snippet_font: QFont
) -> TitleLayout:
    """Title and snippet, each elided to `text_rect`'s width; the two lines centred in it as
    a block (the title alone when there is no snippet)."""
    title_metrics, snippet_metrics = QFontMetrics(title_font), QFontMetrics(snippet_font)
    width = max(text_rect.width(), 0)
    height = title_metrics.height() + (LINE_GAP + snippet_metrics.height() if snippet else 0)
    top = text_rect.top() + max((text_rect.height() - height) // 2, 0)
    title_rect = QRect(text_rect.left(), top, width, title_metrics.height())
    snippet_rect = QRect(
        text_rect.left(), title_rect.bottom() + 1 + LINE_GAP, width, snippet_metrics.height()
    )
    elide = Qt.TextElideMode.ElideRight
    return TitleLayout(
        title_metrics.elidedText(title, elide, width),
        title_rect,
        snippet_metrics.elidedText(snippet, elide, width) if snippet else "",
        snippet_rect,
    )


class TitleDelegate(QStyledItemDelegate):
    """Draws the title column; `show_snippets` is set by the list."""

    show_snippets = True

    def layout(self, option: QStyleOptionViewItem, index: Index) -> TitleLayout | None:
        """Where title and snippet go in `option.rect`, or None when Qt draws the cell."""
        if not self.show_snippets:
            return None
        opt, text_rect = styled_text_rect(self, option, index)
        snippet_font = QFont(opt.font)
        snippet_font.setBold(False)
        snippet = str(index.data(SNIPPET_ROLE) or "")
        return title_layout(text_rect, opt.text, snippet, opt.font, snippet_font)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        layout = self.layout(option, index)
        if layout is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title_font = QFont(opt.font)
        opt.text = ""  # background, selection and focus as Qt draws them
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        try:
            painter.setFont(title_font)
            painter.setPen(text)
            painter.drawText(layout.title_rect, align, layout.title)
            if layout.snippet:
                snippet_font = QFont(title_font)
                snippet_font.setBold(False)
                painter.setFont(snippet_font)
                painter.setPen(quiet)
                painter.drawText(layout.snippet_rect, align, layout.snippet)
        finally:
            painter.restore()
