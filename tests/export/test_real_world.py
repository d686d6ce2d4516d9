"""Every article of the shared real-world feeds exported as one EPUB that passes epubcheck,
and as one HTML page that loads nothing from the network (skipped when the corpus is absent)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from newsreader.errors import NewsreaderError
from newsreader.export import ExportFormat, ExportOptions, ExportScope, export, store_images
from newsreader.parse import parse_feed
from newsreader.paths import DataPaths
from newsreader.store import FetchInfo, Store
from tests.conftest import REAL_WORLD
from tests.export.test_formats import _epubcheck

pytestmark = pytest.mark.slow


def test_real_world_feeds_export_cleanly(data_paths: DataPaths, tmp_path: Path) -> None:
    if not REAL_WORLD.is_dir():
        pytest.skip("the shared real-world corpus is not here")
    with Store.open(data_paths) as store:
        for document in sorted(REAL_WORLD.iterdir()):
            if document.suffix in {".html", ".opml"}:
                continue
            url = f"https://example.org/{document.name}"
            try:
                parsed = parse_feed(document.read_bytes(), url)
            except NewsreaderError:
                continue
            feed = store.add_feed(url, title=parsed.title)
            store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=datetime.now(UTC)))
        scope = ExportScope(since=datetime(1970, 1, 1, tzinfo=UTC))
        images = store_images(store, data_paths.images)
        book = tmp_path / "real-world.epub"
        result = export(store, scope, ExportOptions(ExportFormat.EPUB, book), images=images)
        page = tmp_path / "real-world.html"
        export(store, scope, ExportOptions(ExportFormat.HTML, page), images=images)

    assert result.articles > 500
    _epubcheck(book)
    root = lxml.html.parse(str(page)).getroot()
    remote = [
        element.get(name)
        for element in root.iter()
        for name in ("src", "srcset", "poster", "data", "background")
        if element.get(name) and not element.get(name, "").startswith("data:")
    ]
    assert remote == []
