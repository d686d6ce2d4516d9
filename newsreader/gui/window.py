"""The main window: feed panel | article list | reader over comments, with menus, shortcuts,
undo, a status bar for sync progress, and the window state kept between starts.

The window assembles the parts and routes the user's commands; what the panels show is derived
by the `Presenter` from one view state (`gui/view_state.py`), read/star marks are made by
`Marking`, the actions, menus and toolbar are described in `gui/actions.py`, the status bar in
`gui/status_bar.py`. The window reads through the GUI thread's `Store` (one page of rows at a
time) and writes only small user changes; slow reads and bulk writes go to the background
store thread, network work to asyncio tasks on the GUI thread's loop (`tasks`). Syncs arrive
as events from the `SyncController`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from newsreader import __version__
from newsreader.errors import NewsreaderError, NotFoundError
from newsreader.gui.actions import (
    ARTICLE_ACTIONS,
    build_actions,
    build_menus,
    build_toolbar,
    toolbar_tip,
)
from newsreader.gui.article_list import ArticleList
from newsreader.gui.article_model import Column
from newsreader.gui.background import BackgroundStore
from newsreader.gui.comments import CommentPanel
from newsreader.gui.feed_tree import FeedTree
from newsreader.gui.marking import Marking
from newsreader.gui.opml_import import ImportOpmlDialog
from newsreader.gui.presenter import Presenter
from newsreader.gui.problem_bar import ProblemBar
from newsreader.gui.reader import ReaderView, has_page
from newsreader.gui.rules_dialog import RulesDialog
from newsreader.gui.settings_dialog import SettingsDialog
from newsreader.gui.shortcuts_dialog import ShortcutsDialog
from newsreader.gui.smart import SmartViews
from newsreader.gui.state import WindowState
from newsreader.gui.status_bar import StatusLine
from newsreader.gui.subscriptions import Subscriptions
from newsreader.gui.tasks import TaskSet
from newsreader.gui.theme import apply_theme
from newsreader.gui.undo import PendingUnsubscribes
from newsreader.gui.view_state import CommentsChanged, FeedsChanged, SyncWrote
from newsreader.gui.views import ALL_VIEW, View, ViewKind, query_for
from newsreader.model import Entry, Feed, Folder, FullText
from newsreader.paths import DataPaths
from newsreader.settings import Settings, Theme
from newsreader.store import Store
from newsreader.sync.options import SyncOptions
from newsreader.wording import counted

if TYPE_CHECKING:  # loaded where used: the window opens without them (export, accounts)
    from newsreader.gui.accounts_panel import AccountsPanel
    from newsreader.gui.export_dialog import ExportChoices

DEFAULT_HIDDEN = (Column.SOURCES, Column.LANGUAGE)
NO_WEB_PAGE = "This article has no web page of its own"
"""Why Open original does nothing for an article whose feed gave it no link."""
RELOAD_MS = 400
"""Shortest wait between a sync's writes and the list and panel showing them (ms)."""
OUTSIDE_POLL_MS = 1000
"""How often the window looks for writes made behind its back (`Store.data_version`): a
`newsreader import` or `sync` from the command line while it is open."""
RELOAD_PACE = 3
"""A sync's next reload waits at least this many times the background thread's work since
the last one began (see `MainWindow.reload_after_sync`)."""
"""List columns hidden until the user shows them (header's menu): room for the titles (the
snippet line names a story's sources; the Sources column was empty for most rows and left the
titles ~170 px at 1360 px)."""


class MainWindow(QMainWindow):
    """The whole window. `settings_changed` fires after the user saved new settings."""

    settings_changed = Signal(object)  # Settings
    refresh_requested = Signal()
    cancel_requested = Signal()
    add_feed_requested = Signal(str)  # a prefilled address, or ""
    refresh_feeds_requested = Signal(object)  # tuple of feed addresses to fetch now
    feeds_added = Signal()  # new subscriptions (OPML import): fetch the feeds that are due
    unread_count_changed = Signal(int)
    closing = Signal()

    def __init__(
        self,
        store: Store,
        paths: DataPaths,
        parent: QWidget | None = None,
        *,
        sync_options: SyncOptions | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.paths = paths
        # The engine runs on this window's loop: nothing that holds the GIL for long may run
        # in a thread of this process (SyncOptions.responsive).
        self.sync_options = replace(sync_options or SyncOptions(), responsive=True)
        self.settings = store.load_settings()
        self.state = WindowState(paths)
        self.undo_stack = QUndoStack(self)
        self.pending = PendingUnsubscribes(store)
        self.dark = False
        self.setWindowTitle("Newsreader")
        self.setAccessibleName("Newsreader")

        self.feed_tree = FeedTree()
        self.background = BackgroundStore(paths, self)
        self.feed_tree.tree_model.decode_icons_with(self.background)
        self.tasks = TaskSet()
        self.accounts_panel: AccountsPanel | None = None  # built by the first settings_dialog
        self.articles = ArticleList(store, self.background)
        self.reader = ReaderView(
            store, paths, self.background, self.tasks, load_article=self.fetch_full_text
        )
        self.comments = CommentPanel(store, self.undo_stack, self.tasks, self.fetch_site_comments)
        self.status_line = StatusLine(self)
        self.setStatusBar(self.status_line)
        self.status_line.cancel_requested.connect(self.cancel_requested)
        self.problem_bar = ProblemBar()
        self.presenter = Presenter(
            store,
            paths,
            self.background,
            self.pending,
            self.feed_tree,
            self.articles,
            self.reader,
            self.comments,
            self.status_line,
            self.problem_bar,
            self,
            hide_read=self.state.hide_read,
        )
        self.marking = Marking(
            store,
            self.background,
            self.undo_stack,
            self.articles,
            self.presenter.apply,
            lambda: self.settings.mark_read_delay_seconds,
            lambda: self.settings.mark_copies_read,
            self,
        )
        self.subscriptions = Subscriptions(
            store,
            self,
            self.undo_stack,
            self.pending,
            lambda: self.folders,
            self.refresh_feeds,
            self.subscriptions_changed,
            self.background,
            lambda feed: self.presenter.panel.name_of(feed),
        )
        self.smart = SmartViews(store, self, lambda: self.presenter.apply(FeedsChanged()))
        self._build_layout()
        self.actions_by_name = build_actions(self, self._action_slots(), self.undo_stack)
        self.menus = build_menus(self.menuBar(), self.actions_by_name)
        self.toolbar = build_toolbar(self, self.actions_by_name)
        self.reader.entry_changed.connect(self._enable_article_actions)
        self._enable_article_actions(self.reader.entry)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_MS)  # sync events arrive in bursts: repaint once
        self._reload_timer.timeout.connect(self.reload_after_sync)
        self._busy_at_reload = 0.0
        # Other programs' writes (the command line's import, sync): the tree (folders, feeds,
        # counts) and the list are read again as after a sync, paced the same way.
        self._outside_version = store.data_version()
        self._outside_timer = QTimer(self)
        self._outside_timer.setInterval(OUTSIDE_POLL_MS)
        self._outside_timer.timeout.connect(self._check_outside_writes)
        self._outside_timer.start()

        self.presenter.entry_opened.connect(self.marking.entry_opened)
        self.presenter.unread_count_changed.connect(self.unread_changed)
        self.presenter.view_changed.connect(
            lambda state: self.actions_by_name["hide_read"].setChecked(state.hides_read)
        )
        self.actions_by_name["hide_read"].setChecked(self.presenter.state.hides_read)
        self.actions_by_name["snippets"].setChecked(self.state.snippets)
        self.articles.table.set_snippets_shown(self.state.snippets)
        hidden = self.state.hidden_columns
        self.articles.table.hide_columns(
            DEFAULT_HIDDEN if hidden is None else [Column(c) for c in hidden if c in list(Column)]
        )
        self.articles.table.columns_changed.connect(
            lambda: self.state.save_hidden_columns(
                [int(c) for c in self.articles.table.hidden_columns()]
            )
        )
        self.feed_tree.context_requested.connect(self._feed_context_menu)
        self.feed_tree.feed_dropped.connect(self.subscriptions.move_feed)
        self.problem_bar.retry_requested.connect(lambda feed: self.refresh_feeds_now([feed]))
        self.problem_bar.edit_requested.connect(self.subscriptions.properties_dialog)
        self.reader.entry_requested.connect(self.open_entry)
        self.reader.key_points_loaded.connect(self.articles.model.set_key_points)
        self.articles.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.articles.table.customContextMenuRequested.connect(self._article_context_menu)
        self.comments.noted.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.comments.comments_changed.connect(
            lambda entry_id: self.presenter.apply(CommentsChanged(entry_id))
        )
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.apply_settings(self.settings)

    # --- building ------------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.reader_splitter = QSplitter(Qt.Orientation.Vertical)
        self.reader_splitter.setAccessibleName("Reader and comments")
        reading = QWidget()
        column = QVBoxLayout(reading)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.problem_bar)
        column.addWidget(self.reader, 1)
        self.reader_splitter.addWidget(reading)
        self.reader_splitter.addWidget(self.comments)
        self.reader_splitter.setStretchFactor(0, 3)
        self.reader_splitter.setStretchFactor(1, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setAccessibleName("Panels")
        self.main_splitter.addWidget(self.feed_tree)
        self.main_splitter.addWidget(self.articles)
        self.main_splitter.addWidget(self.reader_splitter)
        self.main_splitter.setSizes([220, 520, 580])  # the list: titles and snippets
        self.reader_splitter.setSizes([520, 260])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.main_splitter)
        self.setCentralWidget(central)

    def _action_slots(self) -> dict[str, Callable[[], object]]:
        """What each action of `gui/actions.py` does."""
        return {
            "add_feed": lambda: self.add_feed_requested.emit(""),
            "import_opml": self.import_opml_dialog,
            "export_opml": self.export_opml_dialog,
            "export": self.export_dialog,
            "print": self.print_article,
            "quit": self.close,
            "cut": lambda: self.edit_focused("cut"),
            "copy": lambda: self.edit_focused("copy"),
            "paste": lambda: self.edit_focused("paste"),
            "select_all": lambda: self.edit_focused("selectAll"),
            "copy_link": self.copy_link,
            "search": self.focus_search,
            "save_search": self.save_search,
            "tag": self.edit_tags,
            "settings": self.settings_dialog,
            "next": lambda: self.articles.step(1),
            "previous": lambda: self.articles.step(-1),
            "next_unread": self.next_unread,
            "scroll": self.scroll_or_next,
            "toggle_read": self.toggle_read,
            "star": self.toggle_star,
            "open_original": self.open_original,
            "full_text": self.reader.toggle_full_text,
            "load_full_text": self.reader.load_full_text,
            "comment": self.comments.focus_editor,
            "mark_all_read": self.mark_all_read,
            "mark_older_read": lambda: self.marking.mark_older_read(self.articles.model.query),
            "mark_above_read": lambda: self.marking.mark_above_read(self.articles.model.query),
            "hide_read": self.toggle_hide_read,
            "snippets": self.toggle_snippets,
            "shortcuts": self.shortcuts_dialog,
            "refresh": self.refresh_requested.emit,
            "cancel_refresh": self.cancel_requested.emit,
            "about": self.about,
            "rules": self.rules_dialog,
        }

    # the status bar's parts, as the tests and the session reach them
    @property
    def status_label(self) -> QLabel:
        return self.status_line.count_label

    @property
    def offline_label(self) -> QLabel:
        return self.status_line.offline_label

    @property
    def progress(self) -> QProgressBar:
        return self.status_line.progress

    @property
    def cancel_button(self) -> QPushButton:
        return self.status_line.cancel_button

    def _enable_article_actions(self, entry: Entry | None) -> None:
        """The actions on one article are available while the reader shows one. Open in
        browser stays available on an article without a link, so that `o` says why nothing
        opens instead of doing nothing; its tooltip says so beforehand."""
        for name in ARTICLE_ACTIONS:
            self.actions_by_name[name].setEnabled(entry is not None)
        self.actions_by_name["load_full_text"].setEnabled(entry is not None and has_page(entry))
        open_original = self.actions_by_name["open_original"]
        open_original.setEnabled(entry is not None)
        linkless = entry is not None and not entry.link
        tip = toolbar_tip(open_original.iconText(), open_original.shortcut())
        open_original.setToolTip(f"{tip}: {NO_WEB_PAGE.lower()}" if linkless else tip)

    def article_context_menu(self) -> QMenu:
        """The article list's right-click menu: the Article menu's actions plus export."""
        menu = QMenu(self)
        menu.setAccessibleName("Article actions")
        for name in ("toggle_read", "star", "tag", "open_original", None, "export", "print"):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions_by_name[name])
        return menu

    def _article_context_menu(self, pos: QPoint) -> None:
        table = self.articles.table
        index = table.indexAt(pos)
        if index.isValid():
            table.setCurrentIndex(index)
            self.article_context_menu().exec(table.viewport().mapToGlobal(pos))

    # --- settings and state ----------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.dark = apply_theme(app, settings.theme)
        self.reader.set_appearance(
            dark=self.dark, font_size=settings.font_size, remote_images=settings.remote_images
        )
        self.reader.set_key_points_shown(settings.key_points)
        self.articles.model.set_collapse_stories(
            settings.collapse_stories, keep=self.presenter.state.entry_id
        )
        self.comments.author = settings.comment_author
        self.comments.dark = self.dark
        self.comments.refresh()

    def _system_scheme_changed(self) -> None:
        if self.settings.theme == Theme.SYSTEM:
            self.apply_settings(self.settings)

    def settings_dialog(self) -> None:
        from newsreader.gui.accounts_panel import AccountsPanel

        if self.accounts_panel is None:  # kept: its syncs may end after the dialog closed
            self.accounts_panel = AccountsPanel(self.store, self.paths, self.tasks)
            self.accounts_panel.changed.connect(self.reload_after_sync)
        self.accounts_panel.reload()
        dialog = SettingsDialog(self.settings, self, self.accounts_panel)
        accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
        self.accounts_panel.setParent(None)
        if not accepted:
            return
        self.save_settings(dialog.result_settings())

    def save_settings(self, settings: Settings) -> None:
        self.store.save_settings(settings)
        self.apply_settings(settings)
        self.settings_changed.emit(settings)

    def restore_state(self, fallback_entry: int | None = None) -> None:
        """Geometry, splitters, the selected view and article of the last session."""
        if (geometry := self.state.geometry) is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if (window_state := self.state.window_state) is not None:
            self.restoreState(window_state)
        for name, splitter in self._splitters().items():
            if (sizes := self.state.splitter(name)) is not None:
                splitter.restoreState(sizes)
        self.refresh_feeds()
        if not self.feed_tree.select_view(self.state.view):
            self.feed_tree.select_view(ALL_VIEW)
        entry_id = self.state.entry_id or fallback_entry
        if entry_id is not None:
            self.select_entry(entry_id, chosen=False)

    def select_entry(self, entry_id: int, *, chosen: bool = True) -> None:
        """Selects an entry of the list now, or once the full list has arrived if it lies
        beyond the first rows. One the list leaves out (read, with read ones hidden) is put
        back in its place first, as the article read last in a session is kept
        (`ArticleModel.restore`). One not `chosen` by the user (the last session's, the
        first start's welcome) is shown but not marked read."""
        if self._select_now(entry_id, chosen):
            return
        model = self.articles.model

        def select() -> None:
            if self.articles.current_entry_id() is None:
                self._select_now(entry_id, chosen)
            if self.articles.current_entry_id() is not None or not model.restoring:
                model.loaded.disconnect(select)

        model.loaded.connect(select)
        model.restore(entry_id)

    def _select_now(self, entry_id: int, chosen: bool) -> bool:
        if chosen:
            return self.articles.select_entry(entry_id)
        with self.presenter.automatic():
            return self.articles.select_entry(entry_id)

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.main_splitter, "reader": self.reader_splitter}

    def save_state(self) -> None:
        self.state.save(
            geometry=self.saveGeometry(),
            window_state=self.saveState(),
            splitters={n: QByteArray(s.saveState()) for n, s in self._splitters().items()},
            view=self.view,
            entry_id=self.articles.current_entry_id(),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.marking.stop()
        self._reload_timer.stop()
        self._outside_timer.stop()
        self.save_state()
        self.pending.commit()
        self.background.close()
        self.tasks.close()
        super().closeEvent(event)
        self.closing.emit()

    # --- the view state, as the presenter holds it ------------------------------------------

    @property
    def view(self) -> View:
        return self.presenter.state.view

    @property
    def search(self) -> str:
        return self.presenter.state.search

    @property
    def feeds(self) -> list[Feed]:
        return self.presenter.panel.feeds

    @property
    def folders(self) -> list[Folder]:
        return self.presenter.panel.folders

    @property
    def unread_count(self) -> int:
        return self.presenter.panel.unread

    def visible_feeds(self) -> list[Feed]:
        return list(self.presenter.panel.visible)

    def refresh_feeds(self) -> None:
        """Re-reads feeds and counts into the feed tree now: after the user's own changes."""
        self.presenter.refresh_panel()

    def refresh_feeds_in_background(self) -> None:
        self.presenter.refresh_panel_in_background()

    def unread_changed(self, unread: int) -> None:
        """Window title (and, through `unread_count_changed`, the tray) carry the unread count."""
        self.setWindowTitle(f"Newsreader ({unread} unread)" if unread else "Newsreader")
        self.unread_count_changed.emit(unread)

    def show_view(self, view: View) -> None:
        self.presenter.select_view(view)

    def set_search(self, text: str) -> None:
        self.presenter.set_search(text)

    def focus_search(self) -> None:
        self.articles.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.articles.filter.selectAll()

    # --- articles --------------------------------------------------------------------------

    def open_entry(self, entry_id: int) -> None:
        """Selects an article (a related one, say): in the list when it is there, else in All
        with the search cleared."""
        if self.articles.select_entry(entry_id):
            return
        for widget in (self.articles.filter, self.feed_tree):  # one transition, not three
            widget.blockSignals(True)
        try:
            self.articles.filter.clear()
            self.feed_tree.select_view(ALL_VIEW)
        finally:
            for widget in (self.articles.filter, self.feed_tree):
                widget.blockSignals(False)
        self.presenter.show(ALL_VIEW, "")
        self.select_entry(entry_id)

    def current_entry(self) -> Entry | None:
        return self.marking.current_entry()

    def toggle_read(self) -> None:
        self.marking.toggle_read()

    def toggle_star(self) -> None:
        self.marking.toggle_star()

    def mark_all_read(self) -> None:
        self._marked_all(self.marking.mark_all_read(self.articles.model.query))

    def _marked_all(self, marked: int) -> None:
        """Shift+A (or a feed's Mark all read) says what it did and how to undo it."""
        if marked:
            self.statusBar().showMessage(
                f"Marked {counted(marked, 'article')} read (Ctrl+Z undoes it).", 10_000
            )

    def toggle_hide_read(self) -> None:
        """View → Hide read articles, for the current view; remembered across starts."""
        self.presenter.set_hide_read(self.actions_by_name["hide_read"].isChecked())
        self.state.save_hide_read(self.presenter.state.hide_read)

    def toggle_snippets(self) -> None:
        """View → Show article snippets; remembered across starts."""
        shown = self.actions_by_name["snippets"].isChecked()
        self.articles.table.set_snippets_shown(shown)
        self.state.save_snippets(shown)

    def open_original(self) -> None:
        """`o`: the article's page in the browser, or a word in the status bar why not."""
        entry = self.reader.entry
        if entry is None:
            return
        if not entry.link:
            self.statusBar().showMessage(f"{NO_WEB_PAGE}.", 10_000)
        elif not self.reader.open_original():
            self.statusBar().showMessage(
                f"No web browser could be started for {entry.link} (Ctrl+Shift+C copies the link).",
                15_000,
            )

    def copy_link(self) -> None:
        """Edit → Copy link: the current article's web address."""
        entry = self.reader.entry
        if entry is not None and entry.link:
            QGuiApplication.clipboard().setText(entry.link)
            self.statusBar().showMessage(f"Copied {entry.link}", 5_000)

    def edit_focused(self, operation: str) -> None:
        """Edit → Cut, Copy, Paste, Select all on the focused text (search box, comment
        editor, reader); Copy in the article list copies the article's link."""
        widget = QApplication.focusWidget()
        if widget is self.articles.table and operation == "copy":
            self.copy_link()
            return
        method = getattr(widget, operation, None)
        if callable(method):
            method()

    def shortcuts_dialog(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.actions_by_name, self)
        dialog.open()
        return dialog

    def mark_view_read(self, view: View) -> None:
        searches = self.presenter.panel.search_texts
        self._marked_all(
            self.marking.mark_all_read(query_for(view, self.feeds, self.pending.hidden, searches))
        )

    async def fetch_site_comments(self, entry_id: int) -> int:
        """An entry's comment feed, fetched now through the sync engine (comment panel)."""
        from newsreader.sync.engine import fetch_comments

        return await fetch_comments(self.paths, entry_id, self.sync_options)

    async def fetch_full_text(self, entry_id: int) -> FullText | None:
        """An entry's full article, fetched now through the sync engine (reader panel);
        raises NewsreaderError when its page could not even be tried."""
        from newsreader.sync.articles import fetch_articles

        (result,) = await fetch_articles(self.paths, [entry_id], self.sync_options)
        if result.error is not None:
            raise NotFoundError(result.error)
        return result.full_text

    def scroll_or_next(self) -> None:
        """Space: page down in the article; at its end, the next unread article."""
        bar = self.reader.verticalScrollBar()
        if bar.value() < bar.maximum():
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            return
        self.next_unread()

    def next_unread(self) -> None:
        """N: the next unread article below the current one, or a word why there is none."""
        if self.articles.next_unread():
            return
        query = replace(self.articles.model.query, unread_only=True, limit=None, offset=0)
        left = self.store.count_entries(query)
        self.statusBar().showMessage(
            f"No unread articles below this one ({left:,} unread in this view)."
            if left
            else "No unread articles in this view.",
            10_000,
        )

    # --- subscriptions ---------------------------------------------------------------------

    def feed_context_menu(self, view: View) -> QMenu | None:
        """The feed panel's right-click menu for a feed, folder or saved search (None for
        other rows)."""
        if view.kind not in (ViewKind.FEED, ViewKind.FOLDER):
            return self.smart.context_menu(view)
        return self.subscriptions.context_menu(
            view, self.mark_view_read, self.refresh_feeds_now, self.feeds
        )

    def _feed_context_menu(self, view: View, where: QPoint) -> None:
        if (menu := self.feed_context_menu(view)) is not None:
            menu.exec(where)

    def save_search(self) -> None:
        """Saves the filter box's search as a smart feed and shows it."""
        search_id = self.smart.save_search(self.search)
        if search_id is not None:
            self.feed_tree.select_view(View(ViewKind.SEARCH, search_id))

    def selected_entry_ids(self) -> list[int]:
        """The articles selected in the list, top to bottom (the current one when the list
        has no selection of rows)."""
        return [entry.id for entry in self.marking.selected_entries()]

    def edit_tags(self) -> None:
        """The tag editor (T) for the selected articles."""
        self.smart.edit_tags(self.selected_entry_ids())

    def subscriptions_changed(self) -> None:
        self.presenter.apply(FeedsChanged())

    def import_opml_dialog(self) -> None:
        self.subscriptions.import_opml_dialog(self._imported)

    def ask_import_opml(self, path: Path) -> ImportOpmlDialog | None:
        """A file handed over by the desktop: asks whether and where to import it."""
        return self.subscriptions.ask_import(path, self._imported)

    def _imported(self, added: int) -> None:
        self.statusBar().showMessage(f"Imported {counted(added, 'new feed')}.")
        if added:
            self.feeds_added.emit()

    def export_opml_dialog(self) -> None:
        written = self.subscriptions.export_opml_dialog()
        if written is not None:
            self.statusBar().showMessage(f"Subscriptions written to {written}.")

    # --- sync ------------------------------------------------------------------------------

    def refresh_feeds_now(self, feeds: Sequence[Feed]) -> None:
        """Fetches these feeds now (Retry, Refresh this feed or folder)."""
        if feeds:
            self.refresh_feeds_requested.emit(tuple(f.url for f in feeds))

    def _check_outside_writes(self) -> None:
        """Another connection committed since the last look (another program, or this one's
        sync): the panel and the list are read again (`schedule_reload`)."""
        try:
            version = self.store.data_version()
        except NewsreaderError:  # the store is closing or busy: the next look tells
            return
        if version != self._outside_version:
            self._outside_version = version
            self.schedule_reload()

    def schedule_reload(self) -> None:
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def reload_after_sync(self) -> None:
        """New articles appear as inserted rows; selection and scroll position stay. Both read
        on the background store thread, the panel first.

        Paced: the next one comes no sooner than `RELOAD_PACE` times what that thread
        worked since this one's predecessor began. Into 100,000 articles a reload reads for
        ~0.3 s, and at one every 400 ms the thread never rested: its Python took the GIL
        from the GUI thread's paint all through the sync. A small store keeps 400 ms."""
        busy = self.background.busy_seconds
        pace = RELOAD_PACE * (busy - self._busy_at_reload)
        self._reload_timer.setInterval(max(RELOAD_MS, round(pace * 1000)))
        self._busy_at_reload = busy
        self.presenter.apply(SyncWrote())

    def show_progress(self, done: int, total: int) -> None:
        self.status_line.show_progress(done, total)

    def set_offline(self, offline: bool) -> None:
        self.presenter.set_online(not offline)

    # --- export and print ---------------------------------------------------------------

    def export_dialog(self) -> None:
        """File → Export… with the selected articles offered first (the export part's dialog);
        what it offers is read on the background store thread, then it opens."""
        from newsreader.gui.export_dialog import ExportChoices

        ids = self.selected_entry_ids()
        feed_id = self.view.id if self.view.kind == ViewKind.FEED else None
        folder_id = self.view.id if self.view.kind == ViewKind.FOLDER else None
        self.background.submit(
            lambda store: ExportChoices.read(store, ids),
            lambda choices: self._open_export_dialog(choices, feed_id, folder_id),
        )

    def _open_export_dialog(
        self, choices: ExportChoices, feed_id: int | None, folder_id: int | None
    ) -> None:
        from newsreader.gui.export_dialog import ExportDialog

        dialog = ExportDialog(
            choices, self.paths, feed_id=feed_id, folder_id=folder_id, parent=self
        )
        dialog.exported.connect(
            lambda result: self.statusBar().showMessage(
                f"Exported {counted(result.articles, 'article')}.", 10_000
            )
        )
        dialog.open()

    def print_article(self) -> QDialog | None:
        """File → Print…: a print preview of the current article with its comments."""
        from newsreader.gui.export_dialog import print_preview

        current = self.articles.current_entry_id()
        if current is None:
            return None
        # What the reader shows: the full article, or the feed's text when switched to it.
        source = self.reader.shown_source
        return print_preview(
            self,
            self.store,
            self.paths,
            [current],
            with_comments=True,
            feed_text=source.has_article and not source.showing_full,
        )

    def rules_dialog(self) -> RulesDialog:
        """Opens the Rules dialog; the window re-reads feeds and list when it closes after a
        change."""
        dialog = RulesDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed() -> None:
            if dialog.changed:
                self.presenter.apply(FeedsChanged())

        dialog.finished.connect(closed)
        dialog.open()
        return dialog

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Newsreader",
            f"<h3>Newsreader {__version__}</h3><p>A desktop news reader that works offline: "
            "feeds, comments, related coverage and export.</p>",
        )
