"""Exporting articles to files: HTML, Markdown, plain text, PDF, EPUB and JSON.

Front ends call `export(store, scope, options, images=store_images(...), cancel=, progress=)`;
the window's reader panel shares `render.render_article`. PDF (`newsreader.export.pdf`) is the
only part that uses Qt and is imported only when a PDF is written.
"""

from newsreader.export.items import ExportItem
from newsreader.export.run import (
    ExportFormat,
    ExportOptions,
    ExportProgress,
    ExportResult,
    export,
    export_item,
    store_images,
)
from newsreader.export.scope import ExportScope, parse_date

__all__ = [
    "ExportFormat",
    "ExportItem",
    "ExportOptions",
    "ExportProgress",
    "ExportResult",
    "ExportScope",
    "export",
    "export_item",
    "parse_date",
    "store_images",
]
