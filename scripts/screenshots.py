"""Renders the real window offscreen, light and dark, into docs/screenshot-{light,dark}.png.

A fresh data folder gets the first-run content (starter subscriptions and the welcome feed,
no network) and a second source (a few short articles written here, as a sync would store
them) so that "Related articles" shows other sources' coverage; the welcome article is opened
and given a short comment thread, and the window is drawn with QWidget.grab.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py (or `make screenshots`)

With `--review DIR` it also draws the states worth a look after a change to the window, into
DIR (not docs/): wide and narrow, light and dark, a store with no feeds, a failing feed
selected (its problem bar), feeds with the same title and a long one, and the export dialog
at its narrowest.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from newsreader.gui.app import Session
from newsreader.gui.first_run import populate_first_run
from newsreader.gui.state import WindowState
from newsreader.model import Author, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.settings import Theme
from newsreader.store import EntryQuery, FetchInfo, Store

DOCS = Path(__file__).resolve().parent.parent / "docs"
SIZE = (1360, 900)


def wait_for(ready: Callable[[], bool], seconds: float = 10.0) -> None:
    """Lets background reads (related articles, the full article list) arrive."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("the window did not finish loading")
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


# Another source's coverage (original text): titles share the welcome article's key words.
LEDGER = (
    (
        2,
        "Offline news reader works on the ferry with no signal",
        "Passengers on the early crossing kept reading after the signal dropped: the articles "
        "were already on their laptops.",
    ),
    (
        9,
        "Why a news reader that works offline suits long trips",
        "Fetch once at home, read for hours on the road. A short guide to packing the news.",
    ),
    (
        30,
        "Offline reading works better than streaming, commuters say",
        "A small survey of rail commuters found that stored articles beat patchy video.",
    ),
)


def add_second_source(store: Store) -> None:
    """The Harbour Ledger, in the News folder, as if a sync had just fetched it."""
    now = datetime.now(UTC).replace(microsecond=0)
    feed = store.add_feed(
        "https://ledger.example/feed.xml",
        title="Harbour Ledger",
        site_url="https://ledger.example/",
        folder_id=store.ensure_folder_path(("News",)),
    )
    entries = tuple(
        ParsedEntry(
            id=f"https://ledger.example/{hours}",
            title=title,
            link=f"https://ledger.example/{hours}",
            published=now - timedelta(hours=hours),
            authors=(Author(name="Harbour Ledger staff"),),
            content=f"<p>{text}</p>",
        )
        for hours, title, text in LEDGER
    )
    parsed = ParsedFeed(format="rss20", title="Harbour Ledger", entries=entries)
    store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=now))


def render(theme: Theme, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder)).ensure()
        store = Store.open(paths)
        store.save_settings(replace(store.load_settings(), theme=theme))
        # the first run's content, as Session would add it, and the second source beside it
        welcome_feed = populate_first_run(store)
        WindowState(paths).mark_first_run_done()
        add_second_source(store)
        session = Session(store, paths, tray=False)
        window = session.window
        window.resize(*SIZE)
        window.main_splitter.setSizes([220, 540, 600])
        window.reader_splitter.setSizes([540, 300])
        welcome = store.entry_ids(EntryQuery(feed_ids=(welcome_feed,)))
        window.articles.select_entry(welcome[0])
        entry = window.reader.entry
        if entry is not None:
            # A discussion as a site's comment feed would deliver it, and the user's reply.
            site = ParsedEntry(
                id="screenshot-comment-1",
                title="Works on the train",
                authors=(Author(name="Sam"),),
                published=datetime.now(UTC) - timedelta(minutes=18),
                content="<p>A reader that keeps working on the train. Exactly what I wanted.</p>",
            )
            store.replace_site_comments(entry.id, [site])
            [root] = store.comment_threads(entry.id)
            store.add_comment(
                entry.id,
                "Agreed. The keyboard shortcuts make it quick, too.",
                author="Me",
                parent_id=root.id,
            )
            window.comments.refresh()
            window.comments.comments_changed.emit(entry.id)  # the list's count, as on submit
        wait_for(lambda: window.reader.related is not None and window.articles.model.complete)
        window.grab().save(str(out))
        window.close()
        session.close()
    print(f"wrote {out}")


def review_state(
    out: Path,
    size: tuple[int, int],
    theme: Theme,
    *,
    feeds: bool = True,
    failing: bool = False,
) -> None:
    """One review picture: the first-run content plus two feeds titled alike, a long title
    and (with `failing`) a failing feed selected; or (without `feeds`) an empty store."""
    from newsreader.gui.views import View, ViewKind

    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder)).ensure()
        store = Store.open(paths)
        store.save_settings(replace(store.load_settings(), theme=theme))
        WindowState(paths).mark_first_run_done()
        broken = None
        if feeds:
            populate_first_run(store)
            add_second_source(store)
            store.add_feed("https://www.alpha.example/feed.xml", title="Blog")
            broken = store.add_feed("https://beta.example/rss", title="Blog")
            store.add_feed(
                "https://tides.example/feed", title="The Long-Winded Chronicle of Harbour Lights"
            )
            now = datetime.now(UTC)
            store.record_fetch_error(broken.id, "HTTP 500 Internal Server Error", now, now)
        session = Session(store, paths, tray=False)
        window = session.window
        window.resize(*size)
        if failing and broken is not None:
            window.feed_tree.select_view(View(ViewKind.FEED, broken.id))
        elif window.articles.model.entry_ids:
            window.articles.select_row(0)
        wait_for(lambda: window.articles.model.complete)
        window.grab().save(str(out))
        window.close()
        session.close()
    print(f"wrote {out}")


def review_export_dialog(out: Path) -> None:
    """The export dialog as narrow as it goes, writing a folder (its longest help text)."""
    from newsreader.export import ExportFormat
    from newsreader.gui.export_dialog import ExportChoices, ExportDialog

    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder)).ensure()
        with Store.open(paths) as store:
            dialog = ExportDialog(ExportChoices.read(store), paths)
            dialog.show()
            dialog.set_format(ExportFormat.HTML)
            dialog.single_file_check.setChecked(False)
            dialog.resize(dialog.minimumSizeHint().width(), dialog.height())
            QApplication.processEvents()
            dialog.grab().save(str(out))
            dialog.close()
    print(f"wrote {out}")


def review(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    review_state(folder / "wide-light.png", (1600, 900), Theme.LIGHT)
    review_state(folder / "narrow-light.png", (760, 560), Theme.LIGHT)
    review_state(folder / "narrow-dark.png", (900, 600), Theme.DARK)
    review_state(folder / "empty.png", (1000, 640), Theme.LIGHT, feeds=False)
    review_state(folder / "failing-feed.png", (1200, 760), Theme.LIGHT, failing=True)
    review_export_dialog(folder / "export-narrow.png")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    if len(sys.argv) == 3 and sys.argv[1] == "--review":
        review(Path(sys.argv[2]))
        return 0
    DOCS.mkdir(exist_ok=True)
    render(Theme.LIGHT, DOCS / "screenshot-light.png")
    render(Theme.DARK, DOCS / "screenshot-dark.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
