"""Print (Ctrl+P): a print preview of articles drawn like the PDF export, each on new pages
with title and page numbers; its toolbar sets up the page and prints.

The preview keeps its printer: Qt's dialog only borrows it, and a printer freed while the
preview still shows (or redraws) crashes the process.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from newsreader.export.images import ImageLookup
from newsreader.export.items import ExportItem
from newsreader.export.pdf import paint_articles


class ArticlePreview(QPrintPreviewDialog):
    """The preview of `items`; drawn again for every page setup change."""

    def __init__(
        self, items: Sequence[ExportItem], images: ImageLookup, parent: QWidget | None = None
    ) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        first = items[0].entry.title if items else None
        title = (first or "Article") if len(items) == 1 else f"{len(items)} articles"
        printer.setDocName(title)
        super().__init__(printer, parent)
        self._owned_printer = printer  # lives as long as the dialog (see above)
        self._items = list(items)
        self._images = images
        self.setWindowTitle(f"Print preview: {title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.paintRequested.connect(self._paint)
        self.resize(900, 900)

    def _paint(self, printer: QPrinter) -> None:
        paint_articles(printer, self._items, self._images, title=printer.docName())
