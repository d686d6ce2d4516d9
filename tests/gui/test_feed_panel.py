"""The feed panel's rows: each feed's icon as the sync cached it, or a letter tile; unread
counts drawn whole however long the name and narrow the panel; feeds with the same title told
apart. Feeds are served by a loopback server and fetched by the window's own sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from newsreader.feed_names import feed_names
from newsreader.gui.app import Session
from newsreader.gui.feed_icons import TILE_COLOURS, tile_colour, tile_letter
from newsreader.gui.feed_tree import FeedTree, TreeData
from newsreader.gui.state import WindowState
from newsreader.gui.tree_delegate import CountDelegate, row_layout
from newsreader.gui.view_state import Panel, read_panel
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import Feed
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions
from tests.gui.conftest import add_feed
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, rss

RSS = "application/rss+xml"
GREEN = QColor("#00c000")


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def png_of(colour: QColor, folder: Path, size: int = 16) -> bytes:
    """A real PNG of one colour, drawn here."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(colour)
    path = folder / "icon.png"
    assert image.save(str(path))
    return path.read_bytes()


def icon_colour(tree: FeedTree, feed_id: int) -> QColor:
    """The colour at the centre of a feed row's icon, as the tree would draw it."""
    item = tree.tree_model.item_for(View(ViewKind.FEED, feed_id))
    assert item is not None
    image = item.icon().pixmap(32, 32).toImage()
    assert not image.isNull()
    return image.pixelColor(image.width() // 2, image.height() // 4)  # above the letter


def test_icons_cached_by_the_sync_show_and_feeds_without_one_get_a_letter_tile(
    store: Store, data_paths: DataPaths, qtbot: object, server: LoopbackServer, tmp_path: Path
) -> None:
    # a large icon (an apple-touch-icon): shown, and kept small in memory
    big = png_of(GREEN, tmp_path, size=180)
    server.route("/icon.png", Response(body=big, content_type="image/png"))
    # a site that answers its icon address with something no image reader understands
    server.route("/broken.png", Response(body=b"<html>oops</html>", content_type="image/png"))
    green = rss([Item("g1")], title="Green", image=server.url("/icon.png"))
    server.route("/green.xml", Response(body=green, content_type=RSS))
    server.route(
        "/broken.xml",
        Response(
            body=rss([Item("b1")], title="broken icon", image=server.url("/broken.png")),
            content_type=RSS,
        ),
    )
    server.route("/plain.xml", Response(body=rss([Item("p1")], title="Plain"), content_type=RSS))
    ids = {n: store.add_feed(server.url(f"/{n}.xml")).id for n in ("green", "broken", "plain")}
    WindowState(data_paths).mark_first_run_done()
    session = Session(store, data_paths, sync_options=SyncOptions(lock_wait=5.0), tray=False)
    qtbot.addWidget(session.window)  # type: ignore[attr-defined]
    session.show()
    tree = session.window.feed_tree
    assert session.sync.start(all_feeds=True)
    qtbot.waitUntil(lambda: not session.sync.running, timeout=30_000)  # type: ignore[attr-defined]
    # the follow-up stage cached the icon; the window's panel read it after the sync
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: icon_colour(tree, ids["green"]) == GREEN, timeout=10_000
    )
    green = tree.tree_model.item_for(View(ViewKind.FEED, ids["green"]))
    assert green is not None
    assert max(green.icon().availableSizes()[0].toTuple()) <= 32
    broken = store.get_feed(ids["broken"])
    plain = store.get_feed(ids["plain"])
    assert plain.title == "Plain" and broken.title == "broken icon"
    for feed in (plain, broken):
        assert icon_colour(tree, feed.id) == QColor(tile_colour(feed.url))
    item = tree.tree_model.item_for(View(ViewKind.FEED, ids["broken"]))
    assert item is not None and item.text() == "broken icon (1)"


def test_letter_tiles_are_stable_per_feed_and_readable() -> None:
    assert tile_letter("the Verge") == "T"
    assert tile_letter("  «Ñandú» news") == "Ñ"
    assert tile_letter("***") == "#"
    url = "https://alpha.example/feed.xml"
    assert tile_colour(url) == tile_colour(url)  # crc32: the same in every process
    colours = {tile_colour(f"https://site{i}.example/feed") for i in range(200)}
    assert len(colours) >= len(TILE_COLOURS) - 2  # spread over the palette
    for colour in TILE_COLOURS:
        assert contrast(QColor(colour), QColor("#ffffff")) >= 4.5, colour


def contrast(one: QColor, two: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def counted_row(tree: FeedTree, index: QModelIndex) -> tuple[str, str, bool]:
    """(elided name, count, whether the count lies wholly inside the visible row)."""
    option = QStyleOptionViewItem()
    option.rect = tree.visualRect(index)
    option.font = tree.font()
    option.widget = tree
    option.decorationSize = tree.iconSize()
    delegate = tree.itemDelegate()
    assert isinstance(delegate, CountDelegate)
    layout = delegate.layout(option, index)
    assert layout is not None
    visible = tree.viewport().rect()
    return layout.title, layout.count, visible.contains(layout.count_rect)


@pytest.mark.parametrize("width", [140, 220, 600])
def test_unread_counts_stay_whole_while_long_names_elide(
    store: Store, make_window: Callable[[Store], MainWindow], width: int
) -> None:
    long_title = (  # longer than 600 px: the feed panel keeps the width it is given
        "The Extraordinarily Long-Winded Chronicle of Harbour Lights and Tides, "
        "Told Week by Week Along the Northern Coast"
    )
    feed_id = add_feed(store, "long", 12)
    store.rename_feed(feed_id, long_title)
    window = make_window(store)
    window.main_splitter.setSizes([width, 400, 600])
    tree = window.feed_tree
    qtbot_width = tree.viewport().width()
    assert tree.header().sectionSize(0) <= qtbot_width  # no column wider than the panel
    title, count, whole = counted_row(tree, tree.tree_model.index_for(View(ViewKind.FEED, feed_id)))
    assert count == "12" and whole
    assert title.endswith("…") and long_title.startswith(title[:-1])
    all_row = counted_row(tree, tree.tree_model.index_for(View(ViewKind.ALL)))
    assert all_row == ("All", "12", True)


def test_counts_stay_whole_when_the_tree_gets_a_scroll_bar(qapp: object) -> None:
    """A hidden header never stretched its column again: once enough feeds arrived for a
    scroll bar, the counts at the right edge lay under it ("All 1" for 17, seen under X)."""
    feeds = [
        Feed(id=n, url=f"https://site{n}.example/feed.xml", title=f"Site {n}", unread_count=17)
        for n in range(1, 41)
    ]
    tree = FeedTree()
    tree.resize(200, 300)
    tree.show()
    tree.populate(TreeData(feeds[:2], [], {ViewKind.ALL: 34}, {}))  # no scroll bar yet
    QApplication.processEvents()
    tree.populate(TreeData(feeds, [], {ViewKind.ALL: 680}, {}))  # a sync brought more feeds
    QApplication.processEvents()
    assert tree.verticalScrollBar().isVisible()
    assert tree.columnWidth(0) == tree.viewport().width()
    assert counted_row(tree, tree.tree_model.index_for(View(ViewKind.ALL))) == ("All", "680", True)
    tree.close()


def test_feeds_failing_during_a_sync_remake_only_the_problem_rows(qapp: object) -> None:
    """Offline, hundreds of feeds fail one after the other during a sync: each refresh used to
    rebuild the whole tree on the GUI thread (100-200 ms with 500 feeds). Only the rows under
    Feed problems are made again; the feeds' rows, the selection and the folded problems
    stay."""
    feeds = [
        Feed(id=n, url=f"https://site{n}.example/feed.xml", title=f"Site {n}", unread_count=2)
        for n in range(1, 6)
    ]
    tree = FeedTree()
    tree.show()
    tree.populate(TreeData(feeds, [], {ViewKind.ALL: 10}, {}))
    model = tree.tree_model
    rows = {f.id: model.item_for(View(ViewKind.FEED, f.id)) for f in feeds}
    assert tree.select_view(View(ViewKind.FEED, 3))
    failing = [replace(f, last_error="cannot resolve host name") if f.id < 3 else f for f in feeds]

    tree.populate(TreeData(failing, [], {ViewKind.ALL: 10}, {}))

    problems = model.item_for(View(ViewKind.PROBLEMS))
    assert problems is not None and problems.text() == "Feed problems (2)"
    group = problems.child(0)
    assert [group.child(row).text() for row in range(group.rowCount())] == [
        "Site 1: cannot resolve host name",
        "Site 2: cannot resolve host name",
    ]
    assert {f.id: model.item_for(View(ViewKind.FEED, f.id)) for f in feeds} == rows  # kept
    assert tree.current_view() == View(ViewKind.FEED, 3)
    assert not tree.isExpanded(problems.index())  # still folded
    tree.setExpanded(problems.index(), True)
    assert tree.isExpanded(group.index())  # a group opens with its feeds shown

    tree.populate(TreeData(feeds, [], {ViewKind.ALL: 10}, {}))  # they work again
    assert problems.rowCount() == 0 and problems.text() == "Feed problems"
    assert model.item_for(View(ViewKind.FEED, 1)) is rows[1]
    tree.close()


def test_row_layout_never_overlaps_name_and_count(qapp: object) -> None:
    metrics = QFontMetrics(QFont())
    rect = QRect(10, 0, 90, 20)
    layout = row_layout(rect, "A name far too long for ninety pixels", 12345, metrics)
    assert layout.count == "12,345"
    assert rect.contains(layout.count_rect) and layout.count_rect.right() == rect.right()
    assert layout.title_rect.right() < layout.count_rect.left()
    assert metrics.horizontalAdvance(layout.title) <= layout.title_rect.width()


def test_feeds_with_the_same_title_are_told_apart(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    first = store.add_feed("https://www.alpha.example/feed.xml", title="Blog")
    second = store.add_feed("https://beta.example/rss", title="Blog")
    third = store.add_feed("https://beta.example/comments/rss", title="blog")
    other = store.add_feed("https://gamma.example/feed", title="Gamma")
    window = make_window(store)
    model = window.feed_tree.tree_model
    texts = {
        feed.id: item.data(Qt.ItemDataRole.AccessibleTextRole)
        for feed in (first, second, third, other)
        if (item := model.item_for(View(ViewKind.FEED, feed.id))) is not None
    }
    assert texts == {
        first.id: "Blog (alpha.example), 0 unread",
        second.id: "Blog (beta.example/rss), 0 unread",
        third.id: "blog (beta.example/comments/rss), 0 unread",
        other.id: "Gamma, 0 unread",
    }
    item = model.item_for(View(ViewKind.FEED, second.id))
    assert item is not None and "https://beta.example/rss" in item.toolTip()
    # a failing one is named the same way above the reader
    now = datetime.now(UTC)
    store.record_fetch_error(second.id, "HTTP 500 Internal Server Error", now, now)
    window.refresh_feeds()
    assert window.feed_tree.select_view(View(ViewKind.FEED, second.id))
    bar = window.problem_bar.label.text()
    assert bar.startswith("Blog (beta.example/rss) could not be fetched")


def test_feed_names_fall_back_to_the_whole_address() -> None:
    feeds = [
        Feed(1, "https://a.example/feed?kind=rss", title="News"),
        Feed(2, "https://a.example/feed?kind=atom", title="News"),
        Feed(3, "http://b.example:8080/x", title="Other"),
        Feed(4, "http://b.example:8081/x", title="Other"),
    ]
    assert feed_names(feeds) == {
        1: "News (https://a.example/feed?kind=rss)",
        2: "News (https://a.example/feed?kind=atom)",
        3: "Other (b.example:8080/x)",
        4: "Other (b.example:8081/x)",
    }


def test_the_rules_dialog_tells_feeds_with_the_same_title_apart(
    store: Store, qtbot: object
) -> None:
    from newsreader.gui.rules_dialog import RulesDialog

    store.add_feed("https://www.alpha.example/feed.xml", title="Blog")
    store.add_feed("https://beta.example/rss", title="Blog")
    dialog = RulesDialog(store)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    scopes = [dialog.scope.itemText(i) for i in range(dialog.scope.count())]
    assert scopes == ["All feeds", "Feed Blog (alpha.example)", "Feed Blog (beta.example)"]


def test_icons_of_the_first_tree_are_decoded_off_the_gui_thread(
    store: Store,
    data_paths: DataPaths,
    make_window: Callable[[Store], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: object,
) -> None:
    """Several hundred icons took up to a second to decode on the GUI thread when the window
    opened: they are decoded on the background store thread, tiles showing meanwhile."""
    import threading

    import newsreader.gui.feed_tree

    ids = []
    data_paths.images.mkdir(parents=True, exist_ok=True)
    for n in range(3):
        feed = store.add_feed(f"https://site{n}.example/feed.xml", title=f"Site {n}")
        name = f"icon{n}.png"
        png = png_of(GREEN, data_paths.images, size=64)
        (data_paths.images / name).write_bytes(png)
        url = f"https://site{n}.example/favicon.png"
        store.record_cached_image(url, f"{n:064x}", name, len(png), "image/png")
        store.set_feed_icon(feed.id, url)
        ids.append(feed.id)
    threads: list[str] = []
    decode = newsreader.gui.feed_tree.decode_icon

    def noted(path: Path) -> QImage:
        threads.append(threading.current_thread().name)
        return decode(path)

    monkeypatch.setattr(newsreader.gui.feed_tree, "decode_icon", noted)
    window = make_window(store)
    tree = window.feed_tree
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: all(icon_colour(tree, feed_id) == GREEN for feed_id in ids)
    )
    assert set(threads) == {"newsreader-store_0"} and len(threads) == 3


def test_the_panel_reads_every_feed_icon_in_one_statement(
    store: Store, data_paths: DataPaths
) -> None:
    """The feed panel is read again whenever feeds or comments change, on the GUI thread. It
    read each feed's cached icon with a statement of its own (a few hundred feeds: a few
    hundred statements per change); now its statements do not grow with the feeds."""
    icons: dict[int, Path] = {}

    def add_feeds(first: int, count: int) -> None:
        for n in range(first, first + count):
            feed = store.add_feed(f"https://site{n}.example/feed.xml", title=f"Site {n}")
            url = f"https://site{n % 4}.example/favicon.png"  # sites share icons
            name = f"icon{n % 4}.png"
            if n % 4 != 3:  # the fourth icon was never cached: that feed gets a tile
                store.record_cached_image(url, f"{n % 4:064x}", name, 10, "image/png")
                icons[feed.id] = data_paths.images / name
            store.set_feed_icon(feed.id, url)

    def read() -> tuple[list[str], Panel]:
        statements: list[str] = []
        store.trace_statements(statements.append)
        try:
            return statements, read_panel(store, data_paths.images, frozenset({hidden.id}))
        finally:
            store.trace_statements(None)

    hidden = store.add_feed("https://hidden.example/feed.xml")  # being unsubscribed
    store.set_feed_icon(hidden.id, "https://hidden.example/favicon.png")
    add_feeds(0, 4)
    few, panel = read()
    assert panel.tree.icons == icons
    add_feeds(4, 40)
    many, panel = read()
    assert panel.tree.icons == icons and len(icons) == 33
    assert len(many) == len(few), many
    assert sum(" FROM images " in s for s in many) == 1, many
    assert not any("hidden.example" in s for s in many)
