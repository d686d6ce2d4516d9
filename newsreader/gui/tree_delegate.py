"""How a feed panel row with an unread count is drawn: the name elided on the right, the count
whole in a pill at the row's right edge. However narrow the panel and long the title, the
number is never cut off ("Some Very Long Feed Ti… (12" is what Qt's own elision gave).

Rows without a count (section headers, problem groups, feeds with nothing unread) are drawn
by Qt as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

TITLE_ROLE = Qt.ItemDataRole.UserRole + 3  # the row's name without its count
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4  # the unread (or total) count the row shows

PILL_PADDING = 5  # pixels either side of the number
GAP = 6  # pixels between the name and the pill

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class RowLayout:
    """Where a counted row's parts go: the (elided) name and the count's pill."""

    title: str
    title_rect: QRect
    count: str
    count_rect: QRect


def row_layout(text_rect: QRect, title: str, count: int, metrics: QFontMetrics) -> RowLayout:
    """The name elided into what the pill leaves of `text_rect`; the pill right-aligned,
    as wide as the number needs (and never wider than the whole rect)."""
    number = f"{count:,}"
    pill_width = min(metrics.horizontalAdvance(number) + 2 * PILL_PADDING, text_rect.width())
    pill_height = min(metrics.height(), text_rect.height())
    count_rect = QRect(
        text_rect.right() - pill_width + 1,
        text_rect.top() + (text_rect.height() - pill_height) // 2,
        pill_width,
        pill_height,
    )
    title_rect = QRect(text_rect)
    title_rect.setRight(count_rect.left() - GAP)
    elided = metrics.elidedText(title, Qt.TextElideMode.ElideRight, max(title_rect.width(), 0))
    return RowLayout(elided, title_rect, number, count_rect)


def styled_text_rect(
    delegate: QStyledItemDelegate, option: QStyleOptionViewItem, index: Index
) -> tuple[QStyleOptionViewItem, QRect]:
    """The item's style option (initialised by `delegate`) and the rect Qt would draw its
    text in, inside the margin Qt's own item drawing leaves, so custom-drawn and plain rows
    line up."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    style = opt.widget.style() if opt.widget is not None else QApplication.style()
    text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, opt.widget) + 1
    text_rect.adjust(margin, 0, -margin, 0)
    return opt, text_rect


class CountDelegate(QStyledItemDelegate):
    """Draws rows that carry `COUNT_ROLE` as name plus pill; others as Qt does."""

    def layout(self, option: QStyleOptionViewItem, index: Index) -> RowLayout | None:
        """The row's layout for `option` (its rect and font), or None for a row Qt draws."""
        count = index.data(COUNT_ROLE)
        if not isinstance(count, int) or count <= 0:
            return None
        opt, text_rect = styled_text_rect(self, option, index)
        title = str(index.data(TITLE_ROLE) or "")
        return row_layout(text_rect, title, count, QFontMetrics(opt.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        layout = self.layout(option, index)
        if layout is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # background, selection, focus and icon as Qt draws them
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal
            if opt.state & QStyle.StateFlag.State_Enabled
            else QPalette.ColorGroup.Disabled
        )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = opt.palette.color(group, text_role)
        painter.save()
        try:
            painter.setFont(opt.font)
            painter.setPen(text)
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(layout.title_rect, align, layout.title)
            pill = QColor(text)
            pill.setAlpha(36)  # a faint shade of the text colour: fits light, dark, selected
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pill)
            radius = layout.count_rect.height() / 2
            painter.drawRoundedRect(layout.count_rect, radius, radius)
            painter.setPen(text)
            painter.drawText(layout.count_rect, Qt.AlignmentFlag.AlignCenter, layout.count)
        finally:
            painter.restore()
