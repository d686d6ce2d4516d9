"""The full article in the reader: shown when stored, with the Feed text / Full article switch
(key F) and its source named; *Load full article* (Shift+F) fetches the page from a loopback
server as a task on the window's loop; a page without an article leaves a quiet note."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtTest import QTest

from newsreader.gui.feed_properties import FeedPropertiesDialog
from newsreader.gui.subscriptions import write_feed_changes
from newsreader.gui.window import MainWindow
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, Store
from newsreader.sync.engine import SyncOptions, sync
from tests.gui.conftest import NOW
from tests.loopback import LoopbackServer, Response

WAIT_MS = 30_000
TEASER = "<p>The ferry service resumes on Monday… Read more</p>"
PARAGRAPHS = [
    "The island ferry returns to service on Monday after six weeks in dry dock, the operator "
    "said, with the first sailing leaving the harbour at seven in the morning as before.",
    "Islanders had relied on a smaller boat chartered from the mainland, which could carry "
    "neither lorries nor the mobile library, and the school had moved its exams twice.",
    "The operator said the new propellers should cut the crossing by ten minutes and that "
    "winter timetables would be published at the end of the month on its website.",
]
PAGE = (
    "<html lang='en'><head><title>Ferry returns</title></head><body><article>"
    "<h1>Ferry returns</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
)


@pytest.fixture
def web() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


def teaser_entry(store: Store, link: str) -> int:
    feed = store.add_feed("https://island.example/feed.xml")
    entry = ParsedEntry(id="ferry", title="Ferry returns", link=link, published=NOW, summary=TEASER)
    store.apply_parsed_feed(
        feed.id, ParsedFeed(format="rss20", entries=(entry,)), FetchInfo(fetched_at=NOW)
    )
    [entry_id] = store.entry_ids(EntryQuery(feed_ids=(feed.id,)))
    return entry_id


def shown(window: MainWindow) -> str:
    return window.reader.toPlainText()


def test_a_stored_article_is_shown_with_its_source_and_the_switch(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    entry_id = teaser_entry(store, "https://island.example/ferry")
    html = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    store.record_full_text(entry_id, "ok", NOW, content=html, text="\n\n".join(PARAGRAPHS))
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    assert "Full article, from its page" in shown(window)
    assert PARAGRAPHS[1][:50] in shown(window)
    assert "Read more" not in shown(window)
    QTest.keyClick(window, Qt.Key.Key_F)
    assert "Feed text" in shown(window) and "Read more" in shown(window)
    assert PARAGRAPHS[1][:50] not in shown(window)
    assert window.reader.shown_source.has_article and not window.reader.shown_source.showing_full
    QTest.keyClick(window, Qt.Key.Key_F)
    assert PARAGRAPHS[1][:50] in shown(window)


def test_load_full_article_fetches_the_page_as_a_task(
    store: Store, make_window: Callable[[Store], MainWindow], web: LoopbackServer, qtbot: object
) -> None:
    web.route("/ferry", Response(body=PAGE.encode(), content_type="text/html; charset=utf-8"))
    entry_id = teaser_entry(store, web.url("/ferry"))
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    assert "Load full article" in shown(window)
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)
    assert "Loading the full article" in shown(window)
    qtbot.waitUntil(lambda: PARAGRAPHS[2][:50] in shown(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "Full article, from its page" in shown(window)
    stored = store.full_text(entry_id)
    assert stored is not None and stored.status == "ok"
    assert store.get_entry(entry_id).summary == TEASER


def test_a_page_without_an_article_is_a_quiet_note(
    store: Store, make_window: Callable[[Store], MainWindow], web: LoopbackServer, qtbot: object
) -> None:
    web.route(
        "/front",
        Response(body=b"<html><body><a href='/x'>X</a></body></html>", content_type="text/html"),
    )
    entry_id = teaser_entry(store, web.url("/front"))
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    task = window.reader.load_full_text()
    assert task is not None
    qtbot.waitUntil(lambda: "No full article" in shown(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "Read more" in shown(window)  # the feed's text stays
    assert "Load full article" in shown(window)  # one may try again


def test_the_feed_properties_dialog_sets_the_full_article_setting(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    teaser_entry(store, "https://island.example/ferry")
    window = make_window(store)
    feed = store.list_feeds()[0]
    dialog = FeedPropertiesDialog(feed, None, window)
    assert dialog.full_text.currentData() == "auto"
    dialog.full_text.setCurrentIndex(dialog.full_text.findData("never"))
    write_feed_changes(window.store, feed, dialog.changes())
    assert store.get_feed(feed.id).full_text == "never"


def test_print_prints_what_the_reader_shows(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl+P prints the full article while it is shown, the feed's text once F switched to
    it. The print preview prints with a PDF file standing in for paper."""
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

    entry_id = teaser_entry(store, "https://island.example/ferry")
    html = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    store.record_full_text(entry_id, "ok", NOW, content=html, text="\n\n".join(PARAGRAPHS))
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    printed: list[Path] = []

    def print_article() -> None:
        dialog = window.print_article()
        assert isinstance(dialog, QPrintPreviewDialog)
        path = tmp_path / f"printed{len(printed)}.pdf"
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(path))
        preview = dialog.findChild(QPrintPreviewWidget)
        assert preview is not None
        preview.print_()
        printed.append(path)
        dialog.close()

    def text(path: Path) -> str:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)

    print_article()
    QTest.keyClick(window, Qt.Key.Key_F)
    print_article()
    full, feed = (text(path) for path in printed)
    assert "six weeks in dry dock" in full and "Read more" not in full
    assert "Read more" in feed and "dry dock" not in feed


def png(width: int, height: int) -> bytes:
    """A real PNG of that size (the reader decodes it)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_the_articles_images_are_cached_at_sync_and_shown_offline(
    store: Store, make_window: Callable[[Store], MainWindow], data_paths: DataPaths
) -> None:
    """A teaser feed whose article page has two photos: after a sync, with the server gone,
    the reader shows the full article with both photos from the offline image cache."""
    page = (
        "<html lang='en'><head><title>Ferry returns</title></head><body><article>"
        f"<h1>Ferry returns</h1><p>{PARAGRAPHS[0]}</p><figure><img src='/photos/ferry.png'>"
        f"<figcaption>The ferry in dry dock.</figcaption></figure><p>{PARAGRAPHS[1]}</p>"
        f"<p><img src='quay.png' alt='The quay'></p><p>{PARAGRAPHS[2]}</p></article>"
        "</body></html>"
    )
    with LoopbackServer() as web:
        web.route("/news/ferry", Response(body=page.encode(), content_type="text/html"))
        web.route("/photos/ferry.png", Response(body=png(40, 30), content_type="image/png"))
        web.route("/news/quay.png", Response(body=png(50, 20), content_type="image/png"))
        feed = (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Island</title><item>"
            f"<guid>ferry</guid><title>Ferry returns</title><link>{web.url('/news/ferry')}"
            f"</link><description>{escape(TEASER)}</description></item></channel></rss>"
        )
        web.route("/feed.xml", Response(body=feed.encode(), content_type="application/rss+xml"))
        store.add_feed(web.url("/feed.xml"))
        options = SyncOptions(parse_processes=False, all_feeds=True, follow_up_unbounded=True)
        with ThreadPoolExecutor(1) as thread:  # its own loop: the window's is installed here
            thread.submit(asyncio.run, sync(data_paths, options)).result()
        photos = {web.url("/photos/ferry.png"): (40, 30), web.url("/news/quay.png"): (50, 20)}
    [entry_id] = store.entry_ids(EntryQuery())
    window = make_window(store)
    assert window.articles.select_entry(entry_id)
    assert "Full article, from its page" in shown(window)
    html = window.reader.toHtml()
    for url, size in photos.items():
        assert f'src="{url}"' in html  # an image the reader cannot show becomes a link
        image = window.reader.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(url)
        )
        assert isinstance(image, QImage) and (image.width(), image.height()) == size
