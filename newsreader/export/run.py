"""Runs one export: resolves the scope, streams the articles in batches, hands them to the
format's writer, reports progress, honours Cancel, and moves the finished files into place.

Where the output goes (`ExportOptions.out`):
- epub, pdf, json: `out` is the file to write.
- html, md, txt: `out` ending in the format's extension (.html/.htm, .md, .txt) is one file:
  one article as itself, or a digest of many (the set's title, how many, a table of
  contents, every article). Any other `out` is a folder (created if missing) receiving one
  file per article, named from its title (Markdown images go to `assets/` inside it).
Nothing is overwritten unless `force`; a cancelled or failed export leaves no file behind (and
no folder it created); a file error (a full disk, a read-only folder) is an `ExportError`.
Temporary files a killed export left in the target folder are swept first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.errors import ExportCancelled, ExportError, describe_os_error
from newsreader.export import epub, html, json, markdown, text
from newsreader.export.atomic import Staging, sweep_stale_parts
from newsreader.export.filenames import UniqueNames, inside
from newsreader.export.images import ImageLookup, LocalImage
from newsreader.export.items import ExportItem
from newsreader.export.render import ImageResolver
from newsreader.export.scope import ExportScope, find_folder, resolve_ids
from newsreader.settings import PageSize

if TYPE_CHECKING:
    from newsreader.model import Entry
    from newsreader.store import Store

BATCH_SIZE = 100


class ExportFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "md"
    TEXT = "txt"
    PDF = "pdf"
    EPUB = "epub"
    JSON = "json"

    @property
    def extensions(self) -> tuple[str, ...]:
        return {ExportFormat.HTML: ("html", "htm")}.get(self, (self.value,))

    @property
    def single_file_only(self) -> bool:
        """Formats that always write one file, whatever the scope."""
        return self in {ExportFormat.PDF, ExportFormat.EPUB, ExportFormat.JSON}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: ExportFormat
    out: Path
    with_comments: bool = False
    with_key_points: bool = False  # each article's key sentences before its text
    feed_text: bool = False  # the feed's text even where a full article is stored
    force: bool = False
    page_size: PageSize = PageSize.A4  # PDF only
    remote_images: bool = False  # Markdown only: link images at their remote address
    title: str | None = None  # of a set (book, PDF, HTML page); derived from the scope if None


@dataclass(frozen=True, slots=True)
class ExportProgress:
    done: int  # articles written so far
    total: int
    title: str  # of the article just written ("" before the first)


@dataclass(frozen=True, slots=True)
class ExportResult:
    files: tuple[Path, ...]
    articles: int


ProgressCallback = Callable[[ExportProgress], None]


def store_images(store: Store, images_dir: Path) -> ImageLookup:
    """Looks images up in the offline cache; cached paths may be relative to `images_dir`."""

    def lookup(url: str) -> LocalImage | None:
        cached = store.cached_image(url)
        if cached is None:
            return None
        path = Path(cached.path)
        return LocalImage(url, path if path.is_absolute() else images_dir / path)

    return lookup


def export(
    store: Store,
    scope: ExportScope,
    options: ExportOptions,
    *,
    images: ImageLookup,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
) -> ExportResult:
    """Exports the articles in `scope`; raises `ExportCancelled` if `cancel` gets set."""
    ids = resolve_ids(store, scope)
    if not ids:
        raise ExportError("no articles match what was chosen; nothing exported")
    target = _target(options, len(ids))
    title = options.title or describe(store, scope)
    folder = target.path if target.is_folder else target.path.parent
    sweep_stale_parts(folder)
    sweep_stale_parts(folder / markdown.ASSETS_DIR)
    stream = _ArticleStream(
        store,
        ids,
        _Asked(options.with_comments, options.with_key_points, not options.feed_text),
        cancel,
        progress,
    )
    try:
        with Staging(force=options.force) as staging:
            if target.is_folder:
                _export_each(stream, options, images, staging, target.path)
            else:
                _export_one(stream, options, images, staging, target.path, title)
            files = staging.commit()
    except OSError as error:
        raise ExportError(
            f"the export to {target.path} could not be written: {describe_os_error(error)}"
        ) from error
    return ExportResult(tuple(files), stream.done)


def describe(store: Store, scope: ExportScope) -> str:
    """A title for a set, from what was chosen."""
    if len(scope.entry_ids) == 1:
        label = store.get_entry(scope.entry_ids[0]).title or "Untitled"
    elif scope.story_id is not None and store.story_entry_ids(scope.story_id):
        label = store.story_headline(scope.story_id) or "Untitled"  # as `stories` shows it
    elif scope.feed_id is not None:
        label = store.get_feed(scope.feed_id).display_title
    elif scope.folder:
        label = find_folder(store.list_folders(), scope.folder).name
    elif scope.starred:
        label = "Starred articles"
    elif scope.search:
        label = f"Search: {scope.search}"
    elif scope.since is not None or scope.until is not None:
        start = f" since {scope.since:%Y-%m-%d}" if scope.since else ""
        end = f" before {scope.until:%Y-%m-%d}" if scope.until else ""
        label = f"Articles{start}{end}"
    else:
        label = "Selected articles"
    return label


@dataclass(frozen=True, slots=True)
class _Target:
    path: Path
    is_folder: bool


def _target(options: ExportOptions, count: int) -> _Target:
    out = options.out.expanduser()
    fmt = options.format
    named_file = out.suffix.lower().lstrip(".") in fmt.extensions
    if fmt.single_file_only or named_file:
        if out.is_dir():
            raise ExportError(
                f"{out} is a folder; {fmt.value} export writes one file: give a file name "
                f"such as {out / ('articles.' + fmt.extensions[0])}"
            )
        if not out.parent.is_dir():
            raise ExportError(f"the folder {out.parent} does not exist")
        return _Target(out.absolute(), is_folder=False)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; {fmt.value} export of a set needs a folder")
    return _Target(out.absolute(), is_folder=True)


def _export_one(
    stream: _ArticleStream,
    options: ExportOptions,
    images: ImageLookup,
    staging: Staging,
    path: Path,
    title: str,
) -> None:
    fmt = options.format
    if fmt == ExportFormat.PDF:
        from newsreader.export.pdf import write_pdf

        with staging.path(path) as temp:
            write_pdf(stream, images, temp, title=title, page_size=options.page_size)
        return
    with staging.open(path) as out:
        if fmt == ExportFormat.EPUB:
            epub.write_book(stream, images, out, title=title)
        elif fmt == ExportFormat.JSON:
            json.write_entries(
                stream,
                out,
                with_comments=options.with_comments,
                with_full_text=not options.feed_text,
                with_key_points=options.with_key_points,
            )
        elif fmt == ExportFormat.HTML:
            html.write_collection(stream, images, out, title)
        elif fmt == ExportFormat.MARKDOWN:
            resolve = _markdown_images(options, images, staging, path.parent)
            if len(stream) == 1:  # one article is itself, not a digest of one
                for item in stream:
                    markdown.write_article(item, resolve, out)
            else:
                markdown.write_digest(stream, resolve, out, title)
        elif len(stream) == 1:
            for item in stream:
                text.write_article(item, out)
        else:
            text.write_digest(stream, out, title)


def _export_each(
    stream: _ArticleStream,
    options: ExportOptions,
    images: ImageLookup,
    staging: Staging,
    folder: Path,
) -> None:
    staging.make_folder(folder)
    names = UniqueNames()
    resolve = _markdown_images(options, images, staging, folder)
    for item in stream:
        name = names.take(item.entry.title, options.format.extensions[0])
        with staging.open(inside(folder, name)) as out:
            if options.format == ExportFormat.HTML:
                html.write_article(item, images, out)
            elif options.format == ExportFormat.MARKDOWN:
                markdown.write_article(item, resolve, out)
            else:
                text.write_article(item, out)


def _markdown_images(
    options: ExportOptions, images: ImageLookup, staging: Staging, folder: Path
) -> ImageResolver:
    if options.remote_images:
        return markdown.asset_resolver(images, None)
    assets = folder / markdown.ASSETS_DIR

    def save(name: str, data: bytes) -> None:
        final = assets / name
        if final.exists() and final.read_bytes() == data:
            return  # the same image from an earlier export: keep it
        staging.write_bytes(final, data)

    return markdown.asset_resolver(images, save)


def export_item(
    store: Store,
    entry: Entry,
    *,
    with_comments: bool,
    full_article: bool,
    key_points: bool = False,
) -> ExportItem:
    """One article as the export writers (and Print) take it: with its comment threads and
    key points when asked (stored key points are read; others are made now, a few ms each,
    and stored), and with what fetching its page gave when the full article is used (the
    body is then the full article whenever one is stored)."""
    comments = tuple(store.comment_threads(entry.id)) if with_comments else ()
    full_text = store.full_text(entry.id) if full_article else None
    points = tuple(store.key_points(entry.id)) if key_points else ()
    return ExportItem(entry, entry.feed_title, comments, full_text, points)


@dataclass(frozen=True, slots=True)
class _Asked:
    """What an export reads beside each article."""

    comments: bool
    key_points: bool
    full_articles: bool


class _ArticleStream:
    """The articles of an export, read from the store in batches as the writer asks for them;
    checks `cancel` and reports progress between articles."""

    def __init__(
        self,
        store: Store,
        ids: Sequence[int],
        asked: _Asked,
        cancel: threading.Event | None,
        progress: ProgressCallback | None,
    ) -> None:
        self._store = store
        self._ids = ids
        self._asked = asked
        self._cancel = cancel
        self._progress = progress
        self.done = 0

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[ExportItem]:
        total = len(self._ids)
        self._report(ExportProgress(0, total, ""))
        for start in range(0, total, BATCH_SIZE):
            for entry in self._store.entries_by_ids(self._ids[start : start + BATCH_SIZE]):
                self._check_cancel()
                asked = self._asked
                yield export_item(
                    self._store,
                    entry,
                    with_comments=asked.comments,
                    full_article=asked.full_articles,
                    key_points=asked.key_points,
                )
                self.done += 1
                self._report(ExportProgress(self.done, total, entry.title or ""))
        self._check_cancel()

    def _check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise ExportCancelled

    def _report(self, update: ExportProgress) -> None:
        if self._progress is not None:
            self._progress(update)
