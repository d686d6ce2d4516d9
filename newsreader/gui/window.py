"""The main window: feed panel | article list | reader over comments, with menus, shortcuts,
undo, a status bar for sync progress, and the window state kept between starts.

The window reads through the GUI thread's `Store` (one page of rows at a time) and writes only
small user changes (read, star, comments, subscriptions); slow reads and bulk writes go to the
background store thread, network work to asyncio tasks on the GUI thread's loop (`tasks`). Syncs
arrive as events from the `SyncController`.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from newsreader import __version__
from newsreader.errors import NotFoundError, SearchQueryError
from newsreader.gui.article_list import ArticleList
from newsreader.gui.background import BackgroundStore
from newsreader.gui.comments import CommentPanel
from newsreader.gui.export_dialog import ExportDialog, print_entries
from newsreader.gui.feed_tree import FeedTree, TreeData
from newsreader.gui.opml_import import ImportOpmlDialog
from newsreader.gui.reader import ReaderView
from newsreader.gui.settings_dialog import SettingsDialog
from newsreader.gui.state import WindowState
from newsreader.gui.subscriptions import Subscriptions
from newsreader.gui.tasks import TaskSet
from newsreader.gui.theme import apply_theme
from newsreader.gui.undo import (
    BULK,
    PendingUnsubscribes,
    SetReadCommand,
    SetStarredCommand,
)
from newsreader.gui.views import ALL_VIEW, View, ViewKind, empty_message, query_for
from newsreader.gui.wording import counted
from newsreader.model import Entry, Feed, Folder
from newsreader.paths import DataPaths
from newsreader.settings import Settings, Theme
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions, fetch_comments


class MainWindow(QMainWindow):
    """The whole window. `settings_changed` fires after the user saved new settings."""

    settings_changed = Signal(object)  # Settings
    refresh_requested = Signal()
    cancel_requested = Signal()
    add_feed_requested = Signal(str)  # a prefilled address, or ""
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
        self.sync_options = sync_options or SyncOptions()
        self.settings = store.load_settings()
        self.state = WindowState(paths)
        self.undo_stack = QUndoStack(self)
        self.pending = PendingUnsubscribes(store)
        self.feeds: list[Feed] = []
        self.folders: list[Folder] = []
        self.view: View = ALL_VIEW
        self.search = ""
        self.dark = False
        self.unread_count = 0
        self._panel_reads = 0  # bumped by each immediate refresh; older background reads lose
        self.setWindowTitle("Newsreader")
        self.setAccessibleName("Newsreader")

        self.feed_tree = FeedTree()
        self.background = BackgroundStore(paths, self)
        self.tasks = TaskSet()
        self.articles = ArticleList(store, self.background)
        self.reader = ReaderView(store, paths, self.background, self.tasks)
        self.comments = CommentPanel(store, self.undo_stack, self.tasks, self.fetch_site_comments)
        self.subscriptions = Subscriptions(
            store,
            self,
            self.undo_stack,
            self.pending,
            lambda: self.folders,
            self.refresh_feeds,
            self.subscriptions_changed,
        )
        self.reader_splitter = QSplitter(Qt.Orientation.Vertical)
        self.reader_splitter.setAccessibleName("Reader and comments")
        self.reader_splitter.addWidget(self.reader)
        self.reader_splitter.addWidget(self.comments)
        self.reader_splitter.setStretchFactor(0, 3)
        self.reader_splitter.setStretchFactor(1, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setAccessibleName("Panels")
        self.main_splitter.addWidget(self.feed_tree)
        self.main_splitter.addWidget(self.articles)
        self.main_splitter.addWidget(self.reader_splitter)
        self.main_splitter.setSizes([240, 460, 620])
        self.reader_splitter.setSizes([520, 260])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.main_splitter)
        self.setCentralWidget(central)

        self._build_status_bar()
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.reader.entry_changed.connect(self._enable_article_actions)
        self._enable_article_actions(self.reader.entry)

        self._mark_read_timer = QTimer(self)
        self._mark_read_timer.setSingleShot(True)
        self._mark_read_timer.timeout.connect(self._mark_current_read)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(400)  # sync events arrive in bursts: repaint once
        self._reload_timer.timeout.connect(self.reload_after_sync)

        self.feed_tree.view_selected.connect(self.show_view)
        self.feed_tree.context_requested.connect(self._feed_context_menu)
        self.feed_tree.feed_dropped.connect(self.subscriptions.move_feed)
        self.articles.entry_activated.connect(self.open_entry)
        model = self.articles.model
        for signal in (model.loaded, model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._show_count)
        self.articles.search_changed.connect(self.set_search)
        self.reader.entry_requested.connect(self.open_related)
        self.articles.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.articles.table.customContextMenuRequested.connect(self._article_context_menu)
        self.comments.comments_changed.connect(self._comments_changed)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.apply_settings(self.settings)

    # --- building ------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Status")
        self.offline_label = QLabel("Offline")
        self.offline_label.setAccessibleName("Offline")
        self.offline_label.setToolTip(
            "No network: stored articles stay readable; refreshing "
            "resumes when the network is back."
        )
        self.offline_label.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Refresh progress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("%v/%m feeds")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel refresh")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.offline_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def _action(self, name: str, text: str, slot: object, *shortcuts: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        a = self._action
        a("add_feed", "&Add feed…", lambda: self.add_feed_requested.emit(""), "Ctrl+N")
        a("import_opml", "&Import OPML…", self.import_opml_dialog)
        a("export_opml", "E&xport OPML…", self.export_opml_dialog)
        a("export", "&Export…", self.export_dialog, "Ctrl+E")
        a("print", "&Print…", self.print_article, "Ctrl+P")
        a("quit", "&Quit", self.close, "Ctrl+Q")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.actions_by_name["undo"], self.actions_by_name["redo"] = undo, redo
        a("search", "&Search this view", self.focus_search, "/", "Ctrl+F")
        a("settings", "Se&ttings…", self.settings_dialog, "Ctrl+,")
        a("next", "&Next article", lambda: self.articles.step(1), "J")
        a("previous", "&Previous article", lambda: self.articles.step(-1), "K")
        a("next_unread", "Next &unread article", self.articles.next_unread, "N")
        a("scroll", "Scroll article, then next unread", self.scroll_or_next, "Space")
        a("toggle_read", "Mark read/&unread", self.toggle_read, "M")
        a("star", "&Star/unstar", self.toggle_star, "S")
        a("open_original", "&Open original", self.reader.open_original, "O")
        a("comment", "&Comment…", self.comments.focus_editor, "C")
        a("mark_all_read", "Mark &all read", self.mark_all_read, "Shift+A")
        a("refresh", "&Refresh all", self.refresh_requested, "R")
        a("cancel_refresh", "&Cancel refresh", self.cancel_requested)
        a("about", "&About Newsreader", self.about)

    def _build_menus(self) -> None:
        menus: dict[str, list[str | None]] = {
            "&File": [
                "add_feed",
                "import_opml",
                "export_opml",
                None,
                "export",
                "print",
                None,
                "quit",
            ],
            "&Edit": ["undo", "redo", None, "search", None, "settings"],
            "&Go": ["next", "previous", "next_unread", "scroll"],
            "&Article": ["toggle_read", "star", "open_original", "comment"],
            "Fee&ds": ["refresh", "cancel_refresh", None, "mark_all_read"],
            "&Help": ["about"],
        }
        self.menus: dict[str, QMenu] = {}
        for title, names in menus.items():
            menu = self.menuBar().addMenu(title)
            self.menus[title] = menu
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions_by_name[name])

    def _build_toolbar(self) -> None:
        """The common actions as a compact row of buttons; each button's tooltip names the
        action and its shortcut (the menus hold every action)."""
        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("main_toolbar")  # saveState/restoreState key
        self.toolbar.setAccessibleName("Main toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for group, actions in enumerate(TOOLBAR):
            if group:
                self.toolbar.addSeparator()
            for name, label, icon in actions:
                action = self.actions_by_name[name]
                action.setIconText(label)
                action.setIcon(QIcon.fromTheme(icon))
                action.setToolTip(toolbar_tip(label, action.shortcut()))
                self.toolbar.addAction(action)
                button = self.toolbar.widgetForAction(action)
                button.setAccessibleName(label)
                button.setAccessibleDescription(action.toolTip())
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _enable_article_actions(self, entry: Entry | None) -> None:
        """The actions on one article are available while the reader shows one."""
        for name in ARTICLE_ACTIONS:
            self.actions_by_name[name].setEnabled(entry is not None)
        self.actions_by_name["open_original"].setEnabled(entry is not None and bool(entry.link))

    def article_context_menu(self) -> QMenu:
        """The article list's right-click menu: the Article menu's actions plus export."""
        menu = QMenu(self)
        menu.setAccessibleName("Article actions")
        for name in ("toggle_read", "star", "open_original", None, "export", "print"):
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
        self.comments.author = settings.comment_author
        self.comments.dark = self.dark
        self.comments.refresh()

    def _system_scheme_changed(self) -> None:
        if self.settings.theme == Theme.SYSTEM:
            self.apply_settings(self.settings)

    def settings_dialog(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
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
        view = self.state.view
        if not self.feed_tree.select_view(view):
            self.feed_tree.select_view(ALL_VIEW)
        self.show_view(self.feed_tree.current_view() or ALL_VIEW)
        entry_id = self.state.entry_id or fallback_entry
        if entry_id is not None and not self.articles.select_entry(entry_id):
            self._select_when_loaded(entry_id)

    def _select_when_loaded(self, entry_id: int) -> None:
        """Selects an entry beyond the first rows once the full list has arrived."""
        model = self.articles.model

        def select() -> None:
            model.loaded.disconnect(select)
            if self.articles.current_entry_id() is None:
                self.articles.select_entry(entry_id)

        model.loaded.connect(select)

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
        self._mark_read_timer.stop()
        self._reload_timer.stop()
        self.save_state()
        self.pending.commit()
        self.background.close()
        self.tasks.close()
        super().closeEvent(event)
        self.closing.emit()

    # --- feeds and views -------------------------------------------------------------------

    def visible_feeds(self) -> list[Feed]:
        return [f for f in self.feeds if f.id not in self.pending.hidden]

    def refresh_feeds(self) -> None:
        """Re-reads feeds and counts into the feed tree now (in place when its shape is
        unchanged): after the user's own changes, which must show at once."""
        self._panel_reads += 1
        self._show_panel(read_panel(self.store, self.paths.images, self.pending.hidden))

    def refresh_feeds_in_background(self) -> None:
        """The same, read on the background store thread: while a sync writes to a large store
        these reads take tens of milliseconds. A `refresh_feeds` made meanwhile wins."""
        reads = self._panel_reads
        images, hidden = self.paths.images, frozenset(self.pending.hidden)

        def show(panel: Panel) -> None:
            if reads == self._panel_reads:
                self._show_panel(panel)

        self.background.submit(lambda store: read_panel(store, images, hidden), show)

    def _show_panel(self, panel: Panel) -> None:
        self.feeds, self.folders = panel.feeds, panel.folders
        self.feed_tree.populate(panel.tree)
        self.unread_changed(panel.tree.smart_counts[ViewKind.ALL])

    def unread_changed(self, unread: int) -> None:
        """Window title (and, through `unread_count_changed`, the tray) carry the unread count."""
        self.setWindowTitle(f"Newsreader ({unread} unread)" if unread else "Newsreader")
        if unread != self.unread_count:
            self.unread_count = unread
            self.unread_count_changed.emit(unread)

    def show_view(self, view: View) -> None:
        self.view = view
        self._apply_query()

    def set_search(self, text: str) -> None:
        self.search = text
        self._apply_query()

    def _apply_query(self) -> None:
        old = self.articles.model.query
        query = replace(
            query_for(self.view, self.feeds, self.pending.hidden),
            search=self.search or None,
            order=old.order,
            descending=old.descending,
        )
        try:
            self.articles.model.set_query(query)
        except SearchQueryError as error:
            self.articles.show_error(str(error))
            return
        self.articles.show_error(None)
        if self.articles.model.rowCount() == 0:
            self.reader.show_message(
                empty_message(
                    self.view, searching=bool(self.search), has_feeds=bool(self.visible_feeds())
                )
            )
            self.comments.show_entry(None)

    def _show_count(self) -> None:
        model = self.articles.model
        count = model.rowCount()
        more = "" if model.complete else "+"
        self.status_label.setText(f"{count}{more} article{'s' if count != 1 else ''}")

    def focus_search(self) -> None:
        self.articles.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.articles.filter.selectAll()

    # --- articles --------------------------------------------------------------------------

    def open_entry(self, entry_id: int | None) -> None:
        self._mark_read_timer.stop()
        if entry_id is None:
            return
        try:
            entry = self.store.get_entry(entry_id)
        except NotFoundError:
            return
        self.reader.show_entry(entry)
        self.comments.show_entry(entry)
        if not entry.read:
            delay = self.settings.mark_read_delay_seconds
            if delay <= 0:
                self._mark_current_read()
            else:
                self._mark_read_timer.start(delay * 1000)

    def open_related(self, entry_id: int) -> None:
        """A related article: selected in the list when it is there, else shown in All."""
        if self.articles.select_entry(entry_id):
            return
        self.search = ""
        self.articles.filter.clear()
        self.feed_tree.select_view(ALL_VIEW)
        if not self.articles.select_entry(entry_id):
            self.open_entry(entry_id)

    def current_entry(self) -> Entry | None:
        entry_id = self.articles.current_entry_id()
        return self.articles.model.entry_at(self.articles.current_row()) if entry_id else None

    def _mark_current_read(self) -> None:
        entry = self.reader.entry
        if entry is None or self.articles.current_entry_id() != entry.id:
            return
        fresh = self.store.get_entry(entry.id)
        if not fresh.read:
            self._set_read([entry.id], True)

    def _set_read(self, ids: list[int], read: bool) -> None:
        """Marks entries read or unread as one undoable step."""
        self.undo_stack.push(
            SetReadCommand(self.store, self.background, ids, read, self.entries_changed)
        )

    def toggle_read(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        self._mark_read_timer.stop()
        self._set_read([entry.id], not entry.read)

    def toggle_star(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        self.undo_stack.push(
            SetStarredCommand(self.store, [entry.id], not entry.starred, self.entries_changed)
        )

    def mark_all_read(self) -> None:
        ids = self.articles.model.unread_ids()
        if ids:
            self._set_read(ids, True)

    def entries_changed(self, ids: Sequence[int]) -> None:
        """After read/star writes: repaint those rows (or re-read a bulk change) and counts."""
        if len(ids) > BULK:
            self.articles.model.reload()
        else:
            self.articles.model.update_entries(self.store.entries_by_ids(list(ids)))
        self.refresh_feeds()

    async def fetch_site_comments(self, entry_id: int) -> int:
        """An entry's comment feed, fetched now through the sync engine (comment panel)."""
        return await fetch_comments(self.paths, entry_id, self.sync_options)

    def _comments_changed(self, entry_id: int) -> None:
        self.articles.model.refresh_entries([entry_id])
        self.refresh_feeds()
        if self.view.kind == ViewKind.COMMENTED:
            self.articles.model.reload()

    def scroll_or_next(self) -> None:
        """Space: page down in the article; at its end, the next unread article."""
        bar = self.reader.verticalScrollBar()
        if bar.value() < bar.maximum():
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            return
        self.articles.next_unread()

    # --- subscriptions ---------------------------------------------------------------------

    def _feed_context_menu(self, view: View, where: QPoint) -> None:
        if view.kind in (ViewKind.FEED, ViewKind.FOLDER):
            self.subscriptions.context_menu(view, self.mark_view_read).exec(where)

    def mark_view_read(self, view: View) -> None:
        query = replace(query_for(view, self.feeds, self.pending.hidden), unread_only=True)
        ids = self.store.entry_ids(query)
        if ids:
            self._set_read(ids, True)

    def subscriptions_changed(self) -> None:
        self.refresh_feeds()
        if self.view.kind == ViewKind.FEED and self.view.id in self.pending.hidden:
            self.feed_tree.select_view(ALL_VIEW)
        self._apply_query()

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

    def schedule_reload(self) -> None:
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def reload_after_sync(self) -> None:
        """New articles appear as inserted rows; selection and scroll position stay. Both read
        on the background store thread, the panel first (one thread: results keep order)."""
        self.refresh_feeds_in_background()
        self.articles.model.reload()

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(done < total)
        self.cancel_button.setVisible(done < total)

    def set_offline(self, offline: bool) -> None:
        self.offline_label.setVisible(offline)

    # --- export and print ---------------------------------------------------------------

    def export_dialog(self) -> ExportDialog:
        """File → Export… with the current article offered first (the export part's dialog)."""
        current = self.articles.current_entry_id()
        dialog = ExportDialog(
            self.store,
            self.paths,
            selected_ids=[current] if current is not None else [],
            feed_id=self.view.id if self.view.kind == ViewKind.FEED else None,
            folder_id=self.view.id if self.view.kind == ViewKind.FOLDER else None,
            parent=self,
        )
        dialog.exported.connect(
            lambda result: self.statusBar().showMessage(
                f"Exported {counted(result.articles, 'article')}.", 10_000
            )
        )
        dialog.open()
        return dialog

    def print_article(self) -> None:
        current = self.articles.current_entry_id()
        if current is not None:
            print_entries(self, self.store, self.paths, [current], with_comments=True)

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Newsreader",
            f"<h3>Newsreader {__version__}</h3><p>A desktop news reader that works offline: "
            "feeds, comments, related coverage and export.</p>",
        )


# actions on the article in the reader: disabled while it shows none
ARTICLE_ACTIONS = ("toggle_read", "star", "open_original", "comment", "print")
# groups of (action name, button label, theme icon), separated on the toolbar
TOOLBAR: tuple[tuple[tuple[str, str, QIcon.ThemeIcon], ...], ...] = (
    (
        ("add_feed", "Add feed", QIcon.ThemeIcon.ListAdd),
        ("refresh", "Refresh", QIcon.ThemeIcon.ViewRefresh),
    ),
    (
        ("mark_all_read", "Mark all read", QIcon.ThemeIcon.MailMarkRead),
        ("star", "Star", QIcon.ThemeIcon.MailMarkImportant),
        ("open_original", "Open original", QIcon.ThemeIcon.GoNext),
    ),
    (("export", "Export", QIcon.ThemeIcon.DocumentSaveAs),),
)


def toolbar_tip(label: str, shortcut: QKeySequence) -> str:
    """For example "Refresh (R)", the shortcut as the platform writes it."""
    keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    return f"{label} ({keys})" if keys else label


@dataclass(frozen=True, slots=True)
class Panel:
    """What the feed panel shows: all feeds (with unread counts), the folders, and the tree of
    the visible ones."""

    feeds: list[Feed]
    folders: list[Folder]
    tree: TreeData


def read_panel(store: Store, images: Path, hidden: Set[int]) -> Panel:
    """Reads the feed panel from `store` (the GUI thread's or the background thread's).
    `hidden` feeds (being unsubscribed, still undoable) are left out of the tree and counts."""
    feeds = store.list_feeds()
    folders = store.list_folders()
    visible = [f for f in feeds if f.id not in hidden]
    unread = sum(f.unread_count for f in visible)
    counts = {
        ViewKind.ALL: unread,
        ViewKind.UNREAD: unread,
        ViewKind.STARRED: store.count_entries(query_for(View(ViewKind.STARRED), feeds, hidden)),
        ViewKind.COMMENTED: store.count_entries(query_for(View(ViewKind.COMMENTED), feeds, hidden)),
    }
    icons: dict[int, Path] = {}
    for feed in visible:
        if feed.icon_url and (cached := store.cached_image(feed.icon_url)) is not None:
            path = Path(cached.path)
            icons[feed.id] = path if path.is_absolute() else images / path
    return Panel(feeds, folders, TreeData(visible, folders, counts, icons))
