"""Exports carry each article's detected language (EPUB `dc:language` and `xml:lang`)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

from newsreader.export import ExportFormat, ExportOptions, ExportScope, export, store_images
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.store.builders import entry, feed, fetch

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_epub_is_marked_with_the_articles_language(
    store: Store, data_paths: DataPaths, tmp_path: Path
) -> None:
    feed_id = _two_german_one_english(store)  # the book's language: the most common one
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


def _two_german_one_english(store: Store) -> int:
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
            entry(
                "c",
                title="The city council passes a new budget",
                summary="<p>On Tuesday evening the city council passed a new budget for "
                "public transport. The opposition voted against it.</p>",
            ),
        ),
        fetch(),
    )
    return feed_id


def test_an_html_page_is_marked_with_its_articles_languages(
    store: Store, data_paths: DataPaths, tmp_path: Path
) -> None:
    """`<html lang>` the most common language (as the EPUB's `dc:language`), and each
    article its own `lang`."""
    feed_id = _two_german_one_english(store)
    languages = {e.title: e.language for e in store.entries_by_ids([1, 2, 3])}
    assert sorted(map(str, languages.values())) == ["de", "de", "en"]  # as detected
    out = tmp_path / "zeitung.html"
    export(
        store,
        ExportScope(feed_id=feed_id),
        ExportOptions(format=ExportFormat.HTML, out=out),
        images=store_images(store, data_paths.images),
    )
    page = lxml.html.fromstring(out.read_bytes())
    assert page.get("lang") == "de"
    articles = page.xpath("//div[starts-with(@id, 'article-')]")
    assert len(articles) == 3
    for article in articles:
        title = article.xpath("string(.//h1)").strip()
        assert article.get("lang") == languages[title], title


def test_each_html_file_of_a_folder_is_marked_with_its_articles_language(
    store: Store, data_paths: DataPaths, tmp_path: Path
) -> None:
    feed_id = _two_german_one_english(store)
    out = tmp_path / "zeitung"
    export(
        store,
        ExportScope(feed_id=feed_id),
        ExportOptions(format=ExportFormat.HTML, out=out),
        images=store_images(store, data_paths.images),
    )
    files = sorted(out.glob("*.html"))
    assert len(files) == 3
    found = {
        lxml.html.fromstring(f.read_bytes()).findtext(".//title"): lxml.html.fromstring(
            f.read_bytes()
        ).get("lang")
        for f in files
    }
    assert found == {
        "Stadtrat beschließt neuen Haushalt": "de",
        "Neue Straßenbahn fährt ab Montag": "de",
        "The city council passes a new budget": "en",
    }
