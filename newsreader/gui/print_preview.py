"""Print (Ctrl+P): a print preview of articles drawn like the PDF export, each on new pages
with title and page numbers; its toolbar sets up the page and prints.

The preview keeps its printer: Qt's dialog only borrows it, and a printer freed while the
preview still shows (or redraws) crashes the process.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget


class ArticlePreview(QPrintPreviewDialog):
    """The preview titled `title`; `paint(printer)` draws the pages, again for every page
    setup change."""

    def __init__(
        self, title: str, paint: Callable[[QPrinter], object], parent: QWidget | None = None
    ) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        super().__init__(printer, parent)
        self._owned_printer = printer  # lives as long as the dialog (see above)
        self._paint = paint
        self.setWindowTitle(f"Print preview: {title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.paintRequested.connect(self._draw)
        self.resize(900, 900)

    def _draw(self, printer: QPrinter) -> None:
        self._paint(printer)
