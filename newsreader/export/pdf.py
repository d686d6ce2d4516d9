"""PDF export and printing through Qt: QTextDocument lays out each article, QPainter draws its
pages onto a QPdfWriter (or a QPrinter, for Print).

This is the only core module that uses Qt, and only inside functions, so importing the export
package never loads PySide6. Qt needs a QGuiApplication to lay out text; from the command line
none exists, so `ensure_gui_application` creates one on the offscreen platform (no display is
needed). Articles are laid out one at a time and thrown away after their pages are drawn, so a
set of any size prints with flat memory; each article starts on a new page, and every page
carries the document title and its number in the footer. A PDF gets a bookmark per article
(added with pypdf) and no ligatures, so URLs copy and search as written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.export.images import ImageLookup, load_image
from newsreader.export.items import ExportItem
from newsreader.export.render import render_article
from newsreader.settings import PageSize

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication, QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtPrintSupport import QPrinter

SCREEN_DPI = 96.0  # documents are laid out in CSS pixels, then scaled to the device
PDF_DPI = 300
MARGIN_MM = 15.0
FOOTER_PX = 28.0

STYLESHEET = """
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; }
h1 { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 18pt; margin-bottom: 4px; }
h2, h3, h4 { font-family: "DejaVu Sans", Arial, sans-serif; }
p.source, p.author, p.date, p.link { color: #555555; font-size: 9pt; margin: 0; }
p.source { font-weight: bold; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }
blockquote { color: #444444; margin-left: 16px; }
p.comment-meta { color: #555555; font-size: 9pt; margin-bottom: 0; }
span.comment-author { font-weight: bold; }
ol.thread { list-style-type: none; }
"""

_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Creates a QGuiApplication (offscreen unless QT_QPA_PLATFORM says otherwise) when the
    process has none; a window's own application is used as it is."""
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["newsreader-export"])


def write_pdf(
    items: Iterable[ExportItem],
    lookup: ImageLookup,
    path: Path,
    *,
    title: str,
    page_size: PageSize = PageSize.A4,
) -> int:
    """Writes every article into one PDF at `path`; returns how many articles it holds."""
    ensure_gui_application()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageSize(QPageSize(_page_size_id(page_size)))
    writer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    writer.setTitle(title)
    writer.setCreator("Newsreader")
    bookmarks: list[tuple[str, int]] = []
    count = paint_articles(writer, items, lookup, title=title, bookmarks=bookmarks)
    del writer  # the file is complete once the writer is gone
    add_bookmarks(path, bookmarks)
    return count


def add_bookmarks(path: Path, bookmarks: Sequence[tuple[str, int]]) -> None:
    """Adds a bookmark (outline entry) per (title, first page index) to the PDF at `path` and
    makes it open with the bookmarks shown. Qt's PDF writer has no outline of its own; pypdf
    appends one as an incremental update (the pages are not rewritten, which keeps memory near
    twice the file's size), written beside the file and moved over it."""
    if not bookmarks:
        return
    from pypdf import PdfWriter

    writer = PdfWriter(str(path), incremental=True)
    for title, page in bookmarks:
        writer.add_outline_item(title=title, page_number=page)
    writer.page_mode = "/UseOutlines"
    updated = path.with_name(path.name + ".outline")
    writer.write(str(updated))
    updated.replace(path)


def paint_articles(
    device: QPdfWriter | QPrinter,
    items: Iterable[ExportItem],
    lookup: ImageLookup,
    *,
    title: str,
    bookmarks: list[tuple[str, int]] | None = None,
) -> int:
    """Draws the articles onto a paged device (a QPdfWriter, or a QPrinter chosen in a print
    dialog), each starting on a new page; returns how many were drawn. `bookmarks`, when
    given, receives (article title, index of its first page) for each article."""
    ensure_gui_application()
    from PySide6.QtCore import QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPainter, QTextDocument

    rect = device.pageLayout().paintRectPixels(device.resolution())
    scale = device.resolution() / SCREEN_DPI
    width = rect.width() / scale
    body_height = rect.height() / scale - FOOTER_PX
    painter = QPainter()
    if not painter.begin(device):
        from newsreader.errors import ExportError

        raise ExportError("could not start drawing the PDF (is the file writable?)")
    footer_font = QFont("DejaVu Sans")
    footer_font.setPixelSize(11)  # CSS pixels: the painter is scaled to the device
    footer_font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)  # no ligatures
    page = 0
    count = 0
    try:
        for item in items:
            document = render_document(item, lookup, width=width, max_image_height=body_height)
            document.setPageSize(QSizeF(width, body_height))
            if bookmarks is not None:
                name = document.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
                bookmarks.append((name, page))
            for index in range(document.pageCount()):
                if page:
                    device.newPage()
                page += 1
                painter.save()
                painter.scale(scale, scale)
                painter.save()
                painter.translate(0, -index * body_height)
                document.drawContents(painter, QRectF(0, index * body_height, width, body_height))
                painter.restore()
                painter.setFont(footer_font)
                footer = QRectF(0, body_height + 6, width, FOOTER_PX - 6)
                flags = Qt.AlignmentFlag.AlignVCenter
                painter.drawText(footer, int(flags | Qt.AlignmentFlag.AlignLeft), title)
                painter.drawText(footer, int(flags | Qt.AlignmentFlag.AlignRight), f"Page {page}")
                painter.restore()
            count += 1
    finally:
        painter.end()
    return count


def render_document(
    item: ExportItem,
    lookup: ImageLookup,
    *,
    width: float = 680.0,
    max_image_height: float | None = None,
) -> QTextDocument:
    """One article as a QTextDocument with its cached images as resources, images scaled to
    fit `width` (CSS pixels). The window can show it, or print it with `QTextDocument.print_`."""
    ensure_gui_application()
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultStyleSheet(STYLESHEET)
    resolve = _resource_resolver(document, lookup, width, max_image_height or width * 1.4)
    article = render_article(
        item.entry, item.feed_title, item.comments, resolve, item.body_html, item.key_points
    )
    document.setHtml(f"<html><body>{article.html}</body></html>")
    _without_ligatures(document)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, article.facts.title)
    document.setTextWidth(width)
    return document


def _without_ligatures(document: QTextDocument) -> None:
    """Draws every character as its own glyph: with ligatures, "office" and a URL such as
    https://fiddle.example/ are drawn (and copied, searched, extracted) as "o\ufb03ce" and
    "\ufb01ddle"."""
    from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor

    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    unshaped = QTextCharFormat()
    unshaped.setFontStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    cursor.mergeCharFormat(unshaped)


def _resource_resolver(
    document: QTextDocument, lookup: ImageLookup, width: float, height: float
) -> Callable[[str], str | None]:
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtGui import QImage, QTextDocument

    def resolve(url: str) -> str | None:
        image_data = load_image(lookup, url)
        if image_data is None:
            return None
        image = QImage.fromData(image_data.data)
        if image.isNull():
            return None
        fit = min(width / image.width(), height / image.height())
        if fit < 1.0:
            # Shown at `fit` of its size in CSS pixels; keep up to twice that many pixels
            # (a device pixel ratio) so print stays sharp without carrying huge originals.
            shown = image.width() * fit
            if image.width() > 2 * shown:
                image = image.scaledToWidth(
                    round(2 * shown), Qt.TransformationMode.SmoothTransformation
                )
            image.setDevicePixelRatio(image.width() / shown)
        name = f"newsreader-image:{image_data.file_name}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        return name

    return resolve


def _page_size_id(page_size: PageSize) -> QPageSize.PageSizeId:
    from PySide6.QtGui import QPageSize

    if page_size == PageSize.LETTER:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4
