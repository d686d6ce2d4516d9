"""The reader panel: cached images only, remote images when allowed, links open outside,
site discussions shown read-only and threaded."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QImage, QTextDocument

from newsreader.gui.window import MainWindow
from newsreader.model import Author, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import FetchInfo, Store
from tests.gui.conftest import NOW
from tests.loopback import LoopbackServer, Response


def png(colour: str) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice

    image = QImage(4, 3, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes
    return bytes(buffer.data().data())


def add_entry(store: Store, content: str, link: str = "https://pics.example/story") -> int:
    feed = store.add_feed("https://pics.example/feed.xml")
    entry = ParsedEntry(
        id="pic-1", title="Pictures of the harbour", link=link, published=NOW, content=content
    )
    result = store.apply_parsed_feed(
        feed.id,
        ParsedFeed(format="atom10", title="Pics", entries=(entry,)),
        FetchInfo(fetched_at=NOW),
    )
    return result.new_entry_ids[0]


class UrlCatcher(QObject):
    """Stands in for the system browser: QDesktopServices hands it the URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")  # type: ignore[arg-type]
    yield catcher
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)


def test_cached_image_shown_uncached_left_as_link(
    store: Store, data_paths: DataPaths, make_window: Callable[[Store], MainWindow]
) -> None:
    data = png("red")
    data_paths.images.mkdir(exist_ok=True)
    (data_paths.images / "red.png").write_bytes(data)
    store.record_cached_image(
        "https://pics.example/red.png",
        hashlib.sha256(data).hexdigest(),
        "red.png",
        len(data),
        "image/png",
    )
    add_entry(
        store,
        '<p>Cached: <img src="https://pics.example/red.png" alt="red"></p>'
        '<p>Not cached: <img src="https://tracker.example/pixel.png" alt="pixel"></p>',
    )
    window = make_window(store)
    window.articles.select_row(0)
    reader = window.reader
    shown = reader.loadResource(
        QTextDocument.ResourceType.ImageResource.value, QUrl("https://pics.example/red.png")
    )
    assert isinstance(shown, QImage) and shown.pixelColor(0, 0) == QColor("red")
    assert (
        reader.loadResource(
            QTextDocument.ResourceType.ImageResource.value,
            QUrl("https://tracker.example/pixel.png"),
        )
        is None
    )
    assert "[pixel]" in reader.toPlainText()  # the uncached image is a link, never loaded
    assert 'img src="https://tracker.example/pixel.png"' not in reader.toHtml()
    assert 'img src="https://pics.example/red.png"' in reader.toHtml()


def test_each_image_is_looked_up_once_however_often_the_page_is_drawn(
    store: Store, make_window: Callable[[Store], MainWindow], qtbot: object
) -> None:
    images = [f"https://pics.example/{n}.png" for n in range(3)]
    add_entry(store, "".join(f'<p><img src="{url}" alt="{n}"></p>' for n, url in enumerate(images)))
    window = make_window(store)
    lookups: list[str] = []

    def trace(statement: str) -> None:
        if "FROM images WHERE url" in statement:
            lookups.append(statement)

    store._conn.set_trace_callback(trace)
    try:
        window.articles.select_row(0)
        reader = window.reader
        qtbot.waitUntil(lambda: reader.related is not None and reader.story is not None)  # type: ignore[attr-defined]
        for url in images:  # what Qt asks for while it lays the page out
            reader.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        reader.set_key_points_shown(False)  # one more full redraw
    finally:
        store._conn.set_trace_callback(None)
    assert len(lookups) == len(images)


def test_remote_images_load_only_when_allowed(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
) -> None:
    with LoopbackServer() as server:
        server.route("/blue.png", Response(body=png("blue"), content_type="image/png"))
        url = server.url("/blue.png")
        add_entry(store, f'<p><img src="{url}" alt="blue"></p>')
        window = make_window(store)
        window.articles.select_row(0)
        assert server.requests_for("/blue.png") == []  # not allowed: nothing fetched
        window.save_settings(replace(store.load_settings(), remote_images=True))

        def loaded() -> object:
            kind = QTextDocument.ResourceType.ImageResource.value
            return window.reader.loadResource(kind, QUrl(url))

        qtbot.waitUntil(lambda: loaded() is not None, timeout=15_000)  # type: ignore[attr-defined]
        image = loaded()
        assert isinstance(image, QImage) and image.pixelColor(0, 0) == QColor("blue")
        assert 'img src="' + url in window.reader.toHtml()


def test_remote_images_refuse_other_types_and_oversized_bodies(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    qtbot: object,
) -> None:
    with LoopbackServer() as server:
        server.route("/page.png", Response(body=png("red"), content_type="text/html"))
        server.route("/huge.png", Response(body=png("red") * 20, content_type="image/png"))
        server.route("/green.png", Response(body=png("green"), content_type="image/png"))
        urls = [server.url(path) for path in ("/page.png", "/huge.png", "/green.png")]
        add_entry(store, "".join(f'<p><img src="{url}" alt="pic"></p>' for url in urls))
        small = len(png("red")) * 2  # the PNG fits, twenty of them do not
        window = make_window(store)
        settings = replace(store.load_settings(), remote_images=True, max_image_bytes=small)
        window.save_settings(settings)
        window.articles.select_row(0)

        def loaded(url: str) -> object:
            kind = QTextDocument.ResourceType.ImageResource.value
            return window.reader.loadResource(kind, QUrl(url))

        def settled() -> bool:  # all three asked for, and no download still running
            asked = all(server.requests_for(urlsplit(url).path) for url in urls)
            return asked and not window.reader._pending

        qtbot.waitUntil(settled, timeout=15_000)  # type: ignore[attr-defined]
        page, huge, green = (loaded(url) for url in urls)
        assert page is None  # a text/html body is refused, even one holding a PNG
        assert huge is None  # and an image above max_image_bytes
        assert isinstance(green, QImage) and green.pixelColor(0, 0) == QColor("green")


def test_links_and_open_original_go_to_the_system_browser(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    browser: UrlCatcher,
    qtbot: object,
) -> None:
    add_entry(store, '<p>See <a href="https://elsewhere.example/page">this</a>.</p>')
    window = make_window(store)
    window.articles.select_row(0)
    qtbot.keyClick(window.articles.table, Qt.Key.Key_O)  # type: ignore[attr-defined]
    assert browser.opened == ["https://pics.example/story"]
    window.reader.anchorClicked.emit(QUrl("https://elsewhere.example/page"))
    assert browser.opened[-1] == "https://elsewhere.example/page"
    window.reader.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert len(browser.opened) == 2  # nothing else is ever opened
    assert window.reader.source().isEmpty()  # the panel itself never navigates


def test_open_original_on_an_article_without_a_link_says_why(
    store: Store,
    make_window: Callable[[Store], MainWindow],
    browser: UrlCatcher,
    qtbot: object,
) -> None:
    add_entry(store, "<p>A note the feed gave no page of its own.</p>", link="")
    window = make_window(store)
    window.articles.select_row(0)
    open_original = window.actions_by_name["open_original"]
    assert open_original.isEnabled()  # so that the key is not silently swallowed
    assert open_original.toolTip() == "Open original (o): this article has no web page of its own"
    qtbot.keyClick(window.articles.table, Qt.Key.Key_O)  # type: ignore[attr-defined]
    assert browser.opened == []
    assert window.statusBar().currentMessage() == "This article has no web page of its own."


def test_site_discussion_is_threaded_and_read_only(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    entry_id = add_entry(store, "<p>Body</p>")
    earlier = datetime.now(UTC) - timedelta(minutes=18)
    store.replace_site_comments(
        entry_id,
        [
            ParsedEntry(
                id="c1",
                authors=(Author(name="Ana"),),
                published=earlier,
                content="<p>First from the site</p>",
            ),
            ParsedEntry(
                id="c2",
                authors=(Author(name="Ben"),),
                published=earlier,
                content="<p>A reply on the site</p>",
                in_reply_to="c1",
            ),
        ],
    )
    window = make_window(store)
    window.articles.select_row(0)
    html = window.comments.thread_view.toHtml()
    text = window.comments.thread_view.toPlainText()
    assert "From the site" in text and "Ana" in text and "18 minutes ago" in text
    assert text.index("First from the site") < text.index("A reply on the site")
    assert "comment:edit:" not in html and "comment:delete:" not in html  # read-only
    assert "comment:reply:" in html  # but the user may reply


def test_enclosures_are_listed_with_type_and_size(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    from newsreader.model import Enclosure

    feed = store.add_feed("https://podcast.example/feed.xml")
    entry = ParsedEntry(
        id="ep-1",
        title="Episode one",
        published=NOW,
        content="<p>Show notes</p>",
        enclosures=(Enclosure("https://podcast.example/ep1.mp3", "audio/mpeg", 3_250_000),),
    )
    store.apply_parsed_feed(
        feed.id,
        ParsedFeed(format="rss20", title="Podcast", entries=(entry,)),
        FetchInfo(fetched_at=NOW),
    )
    window = make_window(store)
    window.articles.select_row(0)
    text = window.reader.toPlainText()
    assert "Attachments" in text
    assert "ep1.mp3 audio/mpeg (3.1 MB)" in text
