"""File → Export…: choose format, articles, comments and destination; the export runs on a
worker thread (with its own `Store`, as sqlite connections belong to their thread) and reports
progress back through a queued Qt signal; Cancel stops it between articles and leaves no file.

The dialog starts with the last export's format and folder (kept in the window's state) and
proposes a file name from what is exported ("Spring tides.html", "Tide Tables 2026-11-30.pdf");
a name the user typed is never replaced. Feeds with the same title are told apart as in the
feed panel.

Also `print_preview`: Print (Ctrl+P) through a print preview, drawn by the PDF exporter.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsreader.errors import ExportCancelled, NewsreaderError, TargetExistsError
from newsreader.export import (
    ExportFormat,
    ExportOptions,
    ExportProgress,
    ExportResult,
    ExportScope,
    export,
    export_item,
    store_images,
)
from newsreader.export.filenames import safe_stem
from newsreader.feed_names import feed_names
from newsreader.gui.add_feed_dialog import folder_names
from newsreader.gui.state import WindowState
from newsreader.model import Entry, Feed, Folder
from newsreader.paths import DataPaths
from newsreader.settings import PageSize
from newsreader.store import EntryQuery, Store
from newsreader.wording import agreeing, counted

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

FORMAT_LABELS = {
    ExportFormat.HTML: "HTML (web page)",
    ExportFormat.MARKDOWN: "Markdown",
    ExportFormat.TEXT: "Plain text",
    ExportFormat.PDF: "PDF",
    ExportFormat.EPUB: "EPUB book",
    ExportFormat.JSON: "JSON (for scripts)",
}

SELECTED, STORY, FEED, FOLDER, STARRED, SEARCH, SINCE_ONLY = (
    "selected",
    "story",
    "feed",
    "folder",
    "starred",
    "search",
    "since",
)


@dataclass(frozen=True, slots=True)
class _Job:
    scope: ExportScope
    options: ExportOptions


@dataclass(frozen=True, slots=True)
class StoryChoice:
    """The story the selected articles belong to: its id, headline (`Store.story_headline`,
    as `newsreader stories` shows it) and how many articles it has."""

    id: int
    title: str
    size: int


@dataclass(frozen=True, slots=True)
class ExportChoices:
    """What the dialog offers, read from the store before it opens (on the background store
    thread in the window): the selected articles (and the title of one), the feeds and
    folders, how many articles are starred, the PDF page size of the settings, and the story
    of the selection when every selected article is in one story (a story's row or one of its
    articles)."""

    selected_ids: tuple[int, ...]
    selected_title: str | None
    feeds: tuple[Feed, ...]
    folders: tuple[Folder, ...]
    starred: int
    page_size: PageSize
    story: StoryChoice | None = None

    @classmethod
    def read(cls, store: Store, selected_ids: Sequence[int] = ()) -> ExportChoices:
        selected = tuple(selected_ids)
        title = None
        if len(selected) == 1:
            title = next((e.title for e in store.entries_by_ids(selected)), None)
        return cls(
            selected_ids=selected,
            selected_title=title,
            feeds=tuple(store.list_feeds()),
            folders=tuple(store.list_folders()),
            starred=store.count_entries(EntryQuery(starred_only=True)),
            page_size=store.load_settings().pdf_page_size,
            story=_story_of(store, selected),
        )


def _story_of(store: Store, selected: Sequence[int]) -> StoryChoice | None:
    """The story every selected article is in, None when they are in none or in several."""
    if not selected:
        return None
    found = store.entry_story(selected[0])
    if found is None:
        return None
    members = store.story_entry_ids(found.id)
    if not members or not set(selected) <= set(members):
        return None
    return StoryChoice(found.id, store.story_headline(found.id) or "Untitled", len(members))


class _Bridge(QObject):
    """Carries the worker thread's news to the dialog on the GUI thread (queued signals)."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # ExportResult
    failed = Signal(object)  # NewsreaderError


class ExportDialog(QDialog):
    """The export dialog. `choices`: what it offers (`ExportChoices.read`), the selected
    articles first; only scopes with something in them are listed. `feed_id`/`folder_id`:
    the feed or folder selected in the tree, preselected if given.
    After a successful export, `export_result` holds what was written and `exported` is emitted."""

    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        choices: ExportChoices,
        paths: DataPaths,
        *,
        feed_id: int | None = None,
        folder_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Articles")
        self.setModal(True)
        self._paths = paths
        self._state = WindowState(paths)
        self._proposed = ""  # the destination the dialog proposed, while the user keeps it
        self._selected = choices.selected_ids
        self._story = choices.story
        self._cancel = threading.Event()
        self._worker: threading.Thread | None = None
        self._job: _Job | None = None
        self.export_result: ExportResult | None = None
        self._bridge = _Bridge(self)
        self._bridge.progressed.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.failed.connect(self._on_failed)

        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Format")
        for fmt, label in FORMAT_LABELS.items():
            self.format_combo.addItem(label, fmt)

        self.scope_combo = QComboBox()
        self.scope_combo.setAccessibleName("Articles")
        self._selected_title = choices.selected_title  # one selected article's, for its file
        if self._selected:  # a scope with nothing in it is not offered
            count = len(self._selected)
            self.scope_combo.addItem(f"Selected {agreeing(count, 'article')} ({count})", SELECTED)
        if self._story is not None:
            told = counted(self._story.size, "article")
            self.scope_combo.addItem(f"This story ({told})", STORY)
        if choices.feeds:
            self.scope_combo.addItem("A feed", FEED)
        if choices.folders:
            self.scope_combo.addItem("A folder", FOLDER)
        if choices.starred:
            self.scope_combo.addItem("Starred articles", STARRED)
        self.scope_combo.addItem("Search results", SEARCH)
        self.scope_combo.addItem("Every article since a date", SINCE_ONLY)

        self.feed_combo = QComboBox()
        self.feed_combo.setAccessibleName("Feed")
        feeds = choices.feeds
        names = feed_names(feeds)
        for feed in sorted(feeds, key=lambda f: names[f.id].casefold()):
            self.feed_combo.addItem(names[feed.id], feed.id)
            self.feed_combo.setItemData(
                self.feed_combo.count() - 1, feed.url, Qt.ItemDataRole.ToolTipRole
            )
        self.folder_combo = QComboBox()
        self.folder_combo.setAccessibleName("Folder")
        folders = choices.folders
        paths_by_id = {f.id: "/".join(folder_names(folders, f.id)) for f in folders}
        for path in sorted(paths_by_id.values(), key=str.casefold):
            self.folder_combo.addItem(path, path)
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Search")
        self.search_edit.setPlaceholderText("words to search for")
        self.since_check = QCheckBox("Only articles since")
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-7))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setAccessibleName("Since")
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.since_edit.setEnabled(False)

        self.comments_check = QCheckBox("Include comments")
        self.key_points_check = QCheckBox("Include key points")
        self.key_points_check.setToolTip("2-4 of each article's own sentences, before its text")
        self.single_file_check = QCheckBox("One file for all articles, with contents")
        self.single_file_check.setChecked(True)
        self.page_size_combo = QComboBox()
        self.page_size_combo.setAccessibleName("Page size")
        for size in PageSize:
            self.page_size_combo.addItem(size.value, size)
        self.page_size_combo.setCurrentIndex(list(PageSize).index(choices.page_size))
        self.remote_images_check = QCheckBox("Link images at their web address (no assets folder)")

        self.destination_edit = QLineEdit()
        self.destination_edit.setAccessibleName("Destination")
        self.browse_button = QPushButton("Choose…")
        self.browse_button.clicked.connect(self.choose_destination)
        destination = QHBoxLayout()
        destination.addWidget(self.destination_edit, 1)
        destination.addWidget(self.browse_button)
        self.destination_hint = QLabel()
        self.destination_hint.setAccessibleName("Where the export goes")
        self.destination_hint.setWordWrap(True)

        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit, 1)

        form = QFormLayout()
        form.addRow("Format:", self.format_combo)
        form.addRow("Articles:", self.scope_combo)
        form.addRow("Feed:", self.feed_combo)
        form.addRow("Folder:", self.folder_combo)
        form.addRow("Search:", self.search_edit)
        form.addRow("", _wrap(since_row))
        form.addRow("", self.comments_check)
        form.addRow("", self.key_points_check)
        form.addRow("", self.single_file_check)
        form.addRow("", self.remote_images_check)
        form.addRow("Page size:", self.page_size_combo)
        form.addRow("Save to:", _wrap(destination))
        form.addRow(self.destination_hint)  # both columns: room to wrap at any width
        self._form = form

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

        last_format = self._state.export_format
        if last_format in {f.value for f in ExportFormat}:
            self.set_format(ExportFormat(last_format))

        if feed_id is not None:
            self.feed_combo.setCurrentIndex(max(self.feed_combo.findData(feed_id), 0))
            if not self._selected:
                self.scope_combo.setCurrentIndex(self.scope_combo.findData(FEED))
        if folder_id is not None and folder_id in paths_by_id:
            self.folder_combo.setCurrentIndex(
                max(self.folder_combo.findData(paths_by_id[folder_id]), 0)
            )
            if not self._selected and feed_id is None:
                self.scope_combo.setCurrentIndex(self.scope_combo.findData(FOLDER))
        self.format_combo.currentIndexChanged.connect(self._update_fields)
        self.scope_combo.currentIndexChanged.connect(self._update_fields)
        self.single_file_check.toggled.connect(self._update_fields)
        for combo in (self.feed_combo, self.folder_combo):
            combo.currentIndexChanged.connect(self._propose_destination)
        self.search_edit.textChanged.connect(self._propose_destination)
        self.since_edit.dateChanged.connect(self._propose_destination)
        self._update_fields()

    # --- choices ---------------------------------------------------------------------------

    @property
    def format(self) -> ExportFormat:
        return ExportFormat(self.format_combo.currentData())

    def set_format(self, fmt: ExportFormat) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def set_scope(self, kind: str) -> None:
        self.scope_combo.setCurrentIndex(self.scope_combo.findData(kind))

    def writes_one_file(self) -> bool:
        fmt = self.format
        if fmt.single_file_only:
            return True
        return self.single_file_check.isChecked()  # html, md, txt: one file or a folder

    def scope(self) -> ExportScope:
        kind = self.scope_combo.currentData()
        since = None
        if self.since_check.isChecked() or kind == SINCE_ONLY:
            day = self.since_edit.date()
            since = datetime.combine(date(day.year(), day.month(), day.day()), time(), tzinfo=UTC)
        return ExportScope(
            entry_ids=self._selected if kind == SELECTED else (),
            story_id=self._story.id if kind == STORY and self._story is not None else None,
            feed_id=self.feed_combo.currentData() if kind == FEED else None,
            folder=self.folder_combo.currentData() if kind == FOLDER else None,
            starred=kind == STARRED,
            search=self.search_edit.text().strip() or None if kind == SEARCH else None,
            since=since,
        )

    def options(self, *, force: bool = False) -> ExportOptions:
        out = Path(self.destination_edit.text().strip()).expanduser()
        fmt = self.format
        if self.writes_one_file() and out.suffix.lower().lstrip(".") not in fmt.extensions:
            out = out.with_name(out.name + "." + fmt.extensions[0])
        elif not self.writes_one_file() and out.suffix.lower().lstrip(".") in fmt.extensions:
            out = out.with_suffix("")  # a folder was asked for
        return ExportOptions(
            format=fmt,
            out=out,
            with_comments=self.comments_check.isChecked(),
            with_key_points=self.key_points_check.isChecked(),
            force=force,
            page_size=PageSize(self.page_size_combo.currentData()),
            remote_images=self.remote_images_check.isChecked(),
        )

    def choose_destination(self) -> None:
        fmt = self.format
        start = self.destination_edit.text() or str(Path.home())
        if self.writes_one_file():
            pattern = " ".join(f"*.{ext}" for ext in fmt.extensions)
            name, _ = QFileDialog.getSaveFileName(
                self, "Export to", start, f"{FORMAT_LABELS[fmt]} ({pattern})"
            )
        else:
            name = QFileDialog.getExistingDirectory(self, "Export into folder", start)
        if name:
            self.destination_edit.setText(name)

    def _update_fields(self) -> None:
        fmt = self.format
        kind = self.scope_combo.currentData()
        _show_row(self._form, self.feed_combo, kind == FEED)
        _show_row(self._form, self.folder_combo, kind == FOLDER)
        _show_row(self._form, self.search_edit, kind == SEARCH)
        self.single_file_check.setVisible(not fmt.single_file_only)
        self.remote_images_check.setVisible(fmt == ExportFormat.MARKDOWN)
        _show_row(self._form, self.page_size_combo, fmt == ExportFormat.PDF)
        if kind == SINCE_ONLY:
            self.since_check.setChecked(True)
        self.since_check.setEnabled(kind != SINCE_ONLY)
        if self.writes_one_file():
            self.destination_hint.setText(f"A .{fmt.extensions[0]} file.")
        else:
            self.destination_hint.setText(
                "A folder: each article becomes one file named after its title."
            )
        self._propose_destination()
        self.fit_height()

    def fit_height(self) -> None:
        """Makes the dialog as tall as its texts need at its width (a hint or an error that
        wraps onto more lines when the dialog is narrow): nothing is ever clipped."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = max(layout.totalHeightForWidth(self.width()), layout.totalMinimumSize().height())
        if self.height() < needed:
            self.resize(self.width(), needed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_height()

    def proposed_name(self) -> str:
        """A file (or folder) name for what is chosen, without extension: the article's
        title, the feed's or folder's name, "Starred articles", the search's words; with
        today's date where the set grows over time."""
        kind = self.scope_combo.currentData()
        today = date.today().isoformat()
        since = self.since_edit.date().toString("yyyy-MM-dd")
        if kind == SELECTED and self._selected_title:
            name = self._selected_title
        elif kind == SELECTED:
            name = f"{counted(len(self._selected), 'article')} {today}"
        elif kind == STORY and self._story is not None:
            name = self._story.title
        elif kind == FEED:
            name = f"{self.feed_combo.currentText() or 'Feed'} {today}"
        elif kind == FOLDER:
            name = f"{self.folder_combo.currentText().replace('/', ' - ') or 'Folder'} {today}"
        elif kind == STARRED:
            name = f"Starred articles {today}"
        elif kind == SEARCH:
            name = f"Search {self.search_edit.text().strip() or today}"
        else:
            name = f"Articles since {since}"
        return safe_stem(name, 100)

    def _propose_destination(self) -> None:
        """Fills in folder and name, unless the user wrote a destination of their own."""
        current = self.destination_edit.text().strip()
        if current and current != self._proposed:
            return
        folder = Path(self._state.export_folder or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        name = self.proposed_name()
        if self.writes_one_file():
            name += "." + self.format.extensions[0]
        self._proposed = str(folder / name)
        self.destination_edit.setText(self._proposed)

    # --- running ---------------------------------------------------------------------------

    def start(self, *, force: bool = False) -> None:
        """Starts the export on a worker thread; the dialog stays responsive."""
        if self._worker is not None:
            return
        if not self.destination_edit.text().strip():
            self.status.setText("Choose where to save the export.")
            return
        self._job = _Job(self.scope(), self.options(force=force))
        self._cancel.clear()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText("Exporting…")
        self.export_button.setEnabled(False)
        self._worker = threading.Thread(
            target=self._run, args=(self._job,), name="export", daemon=True
        )
        self._worker.start()

    def cancel(self) -> None:
        """Cancel: stops a running export (nothing is left behind), else closes."""
        if self._worker is None:
            self.reject()
            return
        self._cancel.set()
        self.status.setText("Cancelling…")

    def is_running(self) -> bool:
        return self._worker is not None

    def _run(self, job: _Job) -> None:
        """On the worker thread: its own store connection, news through the bridge."""
        try:
            with Store.open(self._paths) as store:
                result = export(
                    store,
                    job.scope,
                    job.options,
                    images=store_images(store, self._paths.images),
                    cancel=self._cancel,
                    progress=self._report,
                )
        except NewsreaderError as error:
            self._bridge.failed.emit(error)
        except OSError as error:
            self._bridge.failed.emit(NewsreaderError(f"could not write the export: {error}"))
        else:
            self._bridge.finished.emit(result)

    def _report(self, update: ExportProgress) -> None:
        self._bridge.progressed.emit(update.done, update.total, update.title)

    def _on_progress(self, done: int, total: int, title: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if title:
            self.status.setText(f"Exported {done} of {total}: {title}")

    def _finish_worker(self) -> None:
        if self._worker is not None:
            self._worker.join()
        self._worker = None
        self.export_button.setEnabled(True)
        self.progress.setVisible(False)

    def _on_finished(self, result: ExportResult) -> None:
        self._finish_worker()
        if self._job is not None:  # the next export starts with this format and folder
            out = self._job.options.out
            self._state.save_export(self._job.options.format.value, str(out.parent))
        self.export_result = result
        self.exported.emit(result)
        self.accept()

    def _on_failed(self, error: NewsreaderError) -> None:
        self._finish_worker()
        if isinstance(error, ExportCancelled):
            self.reject()
            return
        if isinstance(error, TargetExistsError) and self._job is not None:
            answer = QMessageBox.question(
                self,
                "Replace file?",
                f"{error.path.name} already exists in {error.path.parent}. Replace it"
                + ("?" if self.writes_one_file() else " and any other file of this export?"),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.start(force=True)
                return
        self.status.setText(str(error))
        self.fit_height()

    def done(self, code: int) -> None:
        """Closing the window while exporting cancels first (and waits: it is quick)."""
        if self._worker is not None:
            self._cancel.set()
            self._worker.join()
            self._worker = None
        super().done(code)


def print_preview(
    parent: QWidget | None,
    store: Store,
    paths: DataPaths,
    entry_ids: Sequence[int],
    *,
    with_comments: bool = False,
    feed_text: bool = False,
) -> QDialog | None:
    """Print (Ctrl+P): a print preview of the articles (`gui/print_preview.py`), drawn by
    `paint_entries`, opened without blocking; returns the dialog (None when none of the
    articles exists)."""
    from newsreader.gui.print_preview import ArticlePreview

    entries = store.entries_by_ids(list(entry_ids))
    if not entries:
        return None
    title = (entries[0].title or "Article") if len(entries) == 1 else f"{len(entries)} articles"

    def paint(printer: QPrinter) -> None:
        paint_entries(
            printer, store, paths, entries, with_comments=with_comments, feed_text=feed_text
        )

    dialog = ArticlePreview(title, paint, parent)
    dialog.open()
    return dialog


def paint_entries(
    printer: QPrinter,
    store: Store,
    paths: DataPaths,
    entries: Sequence[Entry],
    *,
    with_comments: bool,
    feed_text: bool,
) -> int:
    """Draws the articles on `printer` like the PDF export, each on new pages with title and
    page numbers: the full article when one is stored, unless `feed_text`; returns how many
    were drawn."""
    from newsreader.export.pdf import paint_articles

    items = [
        export_item(store, entry, with_comments=with_comments, full_article=not feed_text)
        for entry in entries
    ]
    return paint_articles(
        printer, items, store_images(store, paths.images), title=printer.docName()
    )


def _wrap(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder


def _show_row(form: QFormLayout, field: QWidget, visible: bool) -> None:
    form.setRowVisible(field, visible)
