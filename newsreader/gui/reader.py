"""The reader panel: one article in a QTextBrowser that can neither run code nor reach the
network by itself.

The full article (docs/fulltext.md) is shown instead of the feed's text when one is stored,
with a source line that names what is shown and switches (`toggle_full_text`, key F);
`load_full_text` (Shift+F, or the line's link) fetches it now as a task, with a quiet note
when that fails.

QTextBrowser has no scripting. Every resource it asks for goes through `loadResource`, which
answers only from the offline image cache; remote images are fetched (as tasks on the GUI
thread's asyncio loop) only when the user allowed them in Settings. Links never navigate inside
the panel: `entry:ID` links open another article in the app, every other link opens in the
system browser.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from newsreader.errors import NewsreaderError
from newsreader.gui.background import BackgroundStore
from newsreader.gui.reader_html import (
    ENTRY_SCHEME,
    FULL_TEXT_SCHEME,
    KEY_POINTS_SCHEME,
    Source,
    StoryView,
    article_html,
    distinct_related,
    empty_html,
    stylesheet,
)
from newsreader.gui.tasks import TaskSet, outcome
from newsreader.model import Entry, FullText
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import CachedImage, Store

RELATED_LIMIT = 8
COVERAGE_SHOWN = 25
"""Articles listed under Coverage; a larger story says how many more it has (a story of 2,000
articles drew 2,000 links, ~0.2 s on the GUI thread, for a list nobody reads to the end)."""
ArticleLoader = Callable[[int], Coroutine[Any, Any, FullText | None]]
"""Fetches an entry's full article now and returns what is stored (the window's
`fetch_full_text`); raises NewsreaderError when nothing could be tried."""


class ReaderView(QTextBrowser):
    """Shows one entry; emits `entry_requested` for related-article links, `key_points_loaded`
    when an article's key points are known, and `entry_changed`
    (the entry, or None for a message) when what it shows changes."""

    entry_requested = Signal(int)
    key_points_loaded = Signal(int, object)  # entry id, tuple[str, ...]
    entry_changed = Signal(object)  # Entry | None

    def __init__(
        self,
        store: Store,
        paths: DataPaths,
        background: BackgroundStore,
        tasks: TaskSet,
        parent: QWidget | None = None,
        load_article: ArticleLoader | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_article = load_article
        self._source = Source()
        self._loading: dict[int, asyncio.Task[FullText | None]] = {}
        self._notes: dict[int, str] = {}
        self._store = store
        self._background = background
        self._tasks = tasks
        self._related: list[Entry] | None = None
        self._story: StoryView | None = None
        self._key_points = True
        self._key_points_open = True
        self._shown_content: str | None = None
        self._paths = paths
        self._remote_images = False
        self._remote: dict[str, QImage] = {}
        self._pending: set[str] = set()
        # Per shown entry: each image's cache row, looked up once however often the page is
        # drawn (related articles and key points arriving redraw it), and the settings remote
        # downloads use, read once.
        self._cache_rows: dict[str, CachedImage | None] = {}
        self._fetch_settings: Settings | None = None
        self._dark = False
        self.entry: Entry | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Article")
        self.anchorClicked.connect(self._on_anchor)
        self.show_message("Select an article to read it, or press n for the next unread one.")

    # --- appearance ------------------------------------------------------------------------

    def set_appearance(self, *, dark: bool, font_size: int, remote_images: bool) -> None:
        """Theme, font size in points (0 keeps the system size) and the remote-image choice."""
        self._dark = dark
        self._remote_images = remote_images
        self._fetch_settings = None  # the settings were saved: read them again when needed
        font = QFont(self.font())
        if font_size > 0:
            font.setPointSize(font_size)
        self.document().setDefaultFont(font)
        self.document().setDefaultStyleSheet(stylesheet(dark))
        self._render(keep_scroll=True)

    # --- content ---------------------------------------------------------------------------

    def show_message(self, message: str) -> None:
        self.entry = None
        self.entry_changed.emit(None)
        self.document().setDefaultStyleSheet(stylesheet(self._dark))
        self.setHtml(empty_html(message))

    def show_entry(self, entry: Entry) -> None:
        """Shows the article at once; related articles follow from the background reader."""
        same = self.entry is not None and self.entry.id == entry.id
        self.entry = entry
        self.entry_changed.emit(entry)
        if not same:
            self._related = None
            self._story = None
            self._cache_rows.clear()
            self._fetch_settings = None
            entry_id = entry.id
            full_text = self._store.full_text(entry_id)
            failed = full_text is not None and full_text.status != "ok"
            self._source = Source(
                full_text=full_text,
                showing_full=full_text is not None and full_text.status == "ok",
                has_page=has_page(entry),
                retry=self._store.follow_up_retry(PAGE_JOB, entry_id) if failed else None,
            )
            # related articles and the story in one job: the page is drawn again once
            self._background.submit(
                lambda store: load_surroundings(store, entry_id),
                lambda found: self._around_loaded(entry_id, *found),
            )
        elif self._story is not None and entry.content != self._shown_content:
            entry_id = entry.id
            self._background.submit(
                lambda store: load_story_view(store, entry_id),
                lambda story: self._story_loaded(entry_id, story),
            )
        self._shown_content = entry.content
        self._render(keep_scroll=same)

    def update_entry(self, entry: Entry) -> None:
        """A fresher copy of the shown article (read or starred changed), taken without
        drawing the page again."""
        if self.entry is not None and self.entry.id == entry.id:
            self.entry = entry
            self.entry_changed.emit(entry)

    def _around_loaded(self, entry_id: int, related: list[Entry], story: StoryView) -> None:
        self.key_points_loaded.emit(entry_id, story.key_points)
        if self.entry is not None and self.entry.id == entry_id:
            self._related = distinct_related(self.entry, related)
            self._story = story
            self._render(keep_scroll=True)

    def _story_loaded(self, entry_id: int, story: StoryView) -> None:
        self.key_points_loaded.emit(entry_id, story.key_points)
        if self.entry is not None and self.entry.id == entry_id:
            self._story = story
            self._render(keep_scroll=True)

    @property
    def story(self) -> StoryView | None:
        """The coverage and key points shown, or None while they are being looked up."""
        return self._story

    def set_key_points_shown(self, shown: bool) -> None:
        """The setting: key points above the article, or none."""
        self._key_points = shown
        self._render(keep_scroll=True)

    @property
    def related(self) -> list[Entry] | None:
        """The related articles shown, or None while they are still being looked up."""
        return self._related

    def _render(self, *, keep_scroll: bool) -> None:
        if self.entry is None:
            return
        scroll = self.verticalScrollBar().value()
        source = replace(
            self._source,
            loading=self.entry.id in self._loading,
            note=self._notes.get(self.entry.id),
        )
        page = article_html(
            self.entry,
            self._related,
            datetime.now(UTC),
            self._image_source,
            self._story,
            key_points=self._key_points,
            key_points_open=self._key_points_open,
            source=source,
        )
        self.document().setDefaultStyleSheet(stylesheet(self._dark))
        self.setHtml(page)
        if keep_scroll:
            self.verticalScrollBar().setValue(scroll)

    def _image_source(self, url: str) -> str | None:
        """What an <img> becomes: itself when we can show it (cached or allowed), else a link."""
        if url in self._remote or self._cached_image(url) is not None:
            return url
        return url if self._remote_images else None

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        if type != QTextDocument.ResourceType.ImageResource.value:
            return None
        name = QUrl(name)
        url = name.toString()
        cached = self._cached_image(url)
        if cached is not None:
            path = Path(cached.path)
            image = QImage(str(path if path.is_absolute() else self._paths.images / path))
            return None if image.isNull() else image
        if url in self._remote:
            return self._remote[url]
        if self._remote_images and name.scheme() in ("http", "https"):
            self._fetch_remote(url)
        return None

    def _cached_image(self, url: str) -> CachedImage | None:
        if url not in self._cache_rows:
            self._cache_rows[url] = self._store.cached_image(url)
        return self._cache_rows[url]

    def _fetch_remote(self, url: str) -> None:
        if url in self._pending:
            return
        self._pending.add(url)
        if self._fetch_settings is None:  # its size cap and politeness, as saved now
            self._fetch_settings = self._store.load_settings()
        settings = self._fetch_settings
        from newsreader.sync.images import fetch_remote_image  # httpx: loaded when first used

        self._tasks.start(
            fetch_remote_image(url, settings), lambda done: self._downloaded(url, done)
        )

    def _downloaded(self, url: str, task: asyncio.Task[bytes | None]) -> None:
        self._pending.discard(url)
        data = outcome(task).value  # a failed download leaves the image out, like offline
        if not data:
            return
        image = QImage.fromData(data)
        if image.isNull():
            return
        self._remote[url] = image
        self._render(keep_scroll=True)

    # --- the full article ------------------------------------------------------------------

    @property
    def shown_source(self) -> Source:
        """What is shown of the entry: its full article or the feed's text."""
        return self._source

    def toggle_full_text(self) -> bool:
        """Switches between the feed's text and the full article; False when there is no
        article to switch to (then nothing changes)."""
        if self.entry is None or not self._source.has_article:
            return False
        self._source = replace(self._source, showing_full=not self._source.showing_full)
        self._render(keep_scroll=False)
        return True

    def load_full_text(self) -> asyncio.Task[FullText | None] | None:
        """Fetches the shown entry's full article now (a task); the article is shown when it
        is in, a failure leaves a quiet note on the source line."""
        entry = self.entry
        if entry is None or self._load_article is None or entry.id in self._loading:
            return None
        if not has_page(entry):  # nothing to fetch: the source line says so
            return None
        entry_id = entry.id
        self._notes.pop(entry_id, None)
        task = self._tasks.start(
            self._load_article(entry_id), lambda done: self._article_loaded(entry_id, done)
        )
        self._loading[entry_id] = task
        self._render(keep_scroll=True)
        return task

    def _article_loaded(self, entry_id: int, task: asyncio.Task[FullText | None]) -> None:
        self._loading.pop(entry_id, None)
        done = outcome(task)
        stored: FullText | None = None
        if isinstance(done.error, NewsreaderError):
            self._notes[entry_id] = f"Could not load the full article: {done.error}"
        elif done.error is not None:
            raise done.error
        else:
            stored = done.value
            if stored is not None and stored.status != "ok":
                self._notes[entry_id] = f"No full article: {stored.reason or stored.status}"
        if self.entry is None or self.entry.id != entry_id:
            return
        if stored is not None and stored.status == "ok":
            self._source = replace(self._source, full_text=stored, showing_full=True)
        self._render(keep_scroll=True)

    # --- links -----------------------------------------------------------------------------

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == FULL_TEXT_SCHEME:
            if url.path() == "load":
                self.load_full_text()
            elif url.path() in ("article", "feed") and (
                (url.path() == "article") != self._source.showing_full
            ):
                self.toggle_full_text()
            return
        if url.scheme() == KEY_POINTS_SCHEME:
            self._key_points_open = url.path() == "show"
            self._render(keep_scroll=True)
            return
        if url.scheme() == ENTRY_SCHEME:
            entry_id = url.path()
            if entry_id.isdigit():
                self.entry_requested.emit(int(entry_id))
            return
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def open_original(self) -> bool:
        """Opens the article's page in the system browser; False when it has no link."""
        if self.entry is None or not self.entry.link:
            return False
        return QDesktopServices.openUrl(QUrl(self.entry.link))


PAGE_JOB = "page"
"""The follow-up queue's kind for an entry's article page (`sync.fulltext.PAGE`)."""


def has_page(entry: Entry) -> bool:
    """Whether the entry links a web page a full article can be fetched from."""
    return entry.link is not None and entry.link.lower().startswith(("http:", "https:"))


def load_story_view(store: Store, entry_id: int) -> StoryView:
    """The entry's coverage (its story's first `COVERAGE_SHOWN` other articles, oldest
    first) and key points (computed and stored on first view), read on the background store
    thread."""
    return load_surroundings(store, entry_id, related=False)[1]


def load_surroundings(
    store: Store, entry_id: int, *, related: bool = True
) -> tuple[list[Entry], StoryView]:
    """What the reader shows around an article, read on the background store thread in one
    go: its related articles (none without `related`) and its story (`load_story_view`).
    The related and coverage articles are read together (three statements, not six)."""
    related_ids = store.related_entry_ids(entry_id, RELATED_LIMIT) if related else []
    story = store.entry_story(entry_id)
    listed = story.entries[:COVERAGE_SHOWN] if story is not None else ()
    found = {e.id: e for e in store.entries_by_ids(list(dict.fromkeys((*related_ids, *listed))))}
    key_points = tuple(store.key_points(entry_id))
    if story is None:
        view = StoryView(key_points=key_points)
    else:
        view = StoryView(
            coverage=tuple(found[i] for i in listed if i in found),
            copies=frozenset(story.copies),
            key_points=key_points,
            others=frozenset(story.entries),
        )
    return [found[i] for i in related_ids if i in found], view
