"""Exports carry each article's detected language (EPUB `dc:language` and `xml:lang`)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from newsreader.export import ExportFormat, ExportOptions, ExportScope, export, store_images
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.store.builders import entry, feed, fetch

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_epub_is_marked_with_the_articles_language(
    store: Store, data_paths: DataPaths, tmp_path: Path
) -> None:
    feed_id = store.add_feed("https://zeitung.example/feed", title="Zeitung").id
    store.apply_parsed_feed(
        feed_id,
        feed(
            entry(
                "a",
                title="Stadtrat beschließt neuen Haushalt",
                summary="<p>Der Stadtrat hat am Dienstagabend einen neuen Haushalt für den "
                "Nahverkehr beschlossen. Die Opposition stimmte dagegen.</p>",
            ),
            entry(
                "b",
                title="Neue Straßenbahn fährt ab Montag",
                summary="<p>Die neue Linie verbindet den Bahnhof mit der Altstadt und fährt "
                "alle zehn Minuten.</p>",
            ),
        ),
        fetch(),
    )
    out = tmp_path / "zeitung.epub"
    export(
        store,
        ExportScope(feed_id=feed_id),
        ExportOptions(format=ExportFormat.EPUB, out=out),
        images=store_images(store, data_paths.images),
    )
    with zipfile.ZipFile(out) as book:
        opf = etree.fromstring(book.read("OEBPS/package.opf"))
        ns = {"dc": "http://purl.org/dc/elements/1.1/"}
        assert opf.findtext(".//dc:language", namespaces=ns) == "de"
        chapter = etree.fromstring(book.read("OEBPS/text/article-0001.xhtml"))
        assert chapter.get(XML_LANG) == "de"
        assert chapter.get("lang") == "de"
