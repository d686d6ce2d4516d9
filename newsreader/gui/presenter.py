"""The presenter: holds the window's one `ViewState` and the feed panel's data, and derives
everything the panels show from them.

Transitions come from the user (`select_view`, `set_search`, `select_entry`), from the sync
(`set_online`) and from the store (`apply`, the one path by which writes of any origin reach
the window: marks, undo, comments, subscriptions, syncs). After each, `_derive` works out the
reader (the selected article, or the text for no selection, which depends on the view and on
what the list holds), the status bar's count and the Offline label. Nothing shown is kept in a
second place, so no panel can drift from the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from newsreader.errors import SearchQueryError
from newsreader.feed_names import feed_names
from newsreader.gui.article_list import ArticleList
from newsreader.gui.background import BackgroundStore
from newsreader.gui.comments import CommentPanel
from newsreader.gui.feed_tree import FeedTree
from newsreader.gui.problem_bar import ProblemBar
from newsreader.gui.reader import ReaderView
from newsreader.gui.status_bar import StatusLine
from newsreader.gui.undo import BULK, PendingUnsubscribes
from newsreader.gui.view_state import (
    CommentsChanged,
    EntriesMarked,
    FeedsChanged,
    Panel,
    StoreChange,
    SyncWrote,
    ViewState,
    count_text,
    panel_of,
    read_panel,
    reader_message,
)
from newsreader.gui.views import ALL_VIEW, View, ViewKind, combined_search, query_for
from newsreader.model import Entry
from newsreader.paths import DataPaths
from newsreader.query import field_hint, parse
from newsreader.store import EntryQuery, Store


class Presenter(QObject):
    """`entry_opened` fires when the reader starts showing an article the user selected (not
    one selected for them: the article of the last session, the first start's welcome; see
    `automatic`); `unread_count_changed` when the total unread count changes."""

    entry_opened = Signal(object)  # Entry
    view_changed = Signal(object)  # ViewState, after another view, search or filter is listed
    unread_count_changed = Signal(int)

    def __init__(
        self,
        store: Store,
        paths: DataPaths,
        background: BackgroundStore,
        pending: PendingUnsubscribes,
        feed_tree: FeedTree,
        articles: ArticleList,
        reader: ReaderView,
        comments: CommentPanel,
        status: StatusLine,
        problem_bar: ProblemBar,
        parent: QObject | None = None,
        *,
        hide_read: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self._store, self._paths, self._background, self._pending = (
            store,
            paths,
            background,
            pending,
        )
        self._tree, self._articles, self._reader, self._comments, self._status = (
            feed_tree,
            articles,
            reader,
            comments,
            status,
        )
        self._problem_bar = problem_bar
        self.state = ViewState(hide_read=hide_read)
        self.panel = panel_of([], [], {}, {}, frozenset())  # until the first read
        self._panel_reads = 0  # bumped by each immediate panel read; older background reads lose
        self._message: str | None = None  # the reader's message while no article is selected
        # the view, search and hide-read the list was set to
        self._listed: tuple[View, str, bool] | None = None
        # the articles read during this visit of the view (until the view, its search or
        # hide-read changes): each stays in its place though the view hides read ones, so
        # k goes back to it (as NetNewsWire and Reeder do)
        self._visited: dict[int, None] = {}
        self._automatic = 0  # > 0 while the window selects an article for the user
        self._unchosen: int | None = None  # the article shown so, until the user clicks it
        feed_tree.view_selected.connect(self.select_view)
        articles.entry_activated.connect(self.select_entry)
        articles.search_changed.connect(self.set_search)
        articles.table.clicked.connect(self._clicked)
        model = articles.model
        for signal in (model.loaded, model.modelReset):
            signal.connect(self._derive)
        for signal in (model.rowsInserted, model.rowsRemoved):
            signal.connect(self._rows_changed)
        self._set_query()  # the state holds from the start

    # --- transitions from the user and the sync ------------------------------------------------

    def select_view(self, view: View) -> None:
        """Another view in the tree: its list unfiltered (the filter box is cleared on a
        view change; a search stays with the view it was typed in only while it is shown)."""
        if view != self.state.view:
            self._articles.clear_search()
            self.show(view, "")
        else:
            self.show(view, self.state.search)

    def set_search(self, text: str) -> None:
        self.show(self.state.view, text)

    def show(self, view: View, search: str) -> None:
        """Lists `view` filtered by `search`, with no article selected. The view listed now
        again (the tree takes focus, the user clicks it again) changes nothing."""
        if (view, search, self.state.hides_read) == self._listed:
            return
        self.state = replace(self.state, view=view, search=search, entry_id=None)
        self._set_query()

    def set_hide_read(self, hide: bool) -> None:
        """Lists only the unread articles of the current view (or all again); the article
        being read stays until the user moves on."""
        key = self.state.view.key
        hidden = self.state.hide_read | {key} if hide else self.state.hide_read - {key}
        if hidden == self.state.hide_read:
            return
        self.state = replace(self.state, hide_read=hidden)
        self._visited = {}
        self._refresh_list(keep_selected=True)

    @contextmanager
    def automatic(self) -> Iterator[None]:
        """Articles selected meanwhile are shown but not opened (`entry_opened` does not fire,
        so nothing marks them read): the window chose them, not the user."""
        self._automatic += 1
        try:
            yield
        finally:
            self._automatic -= 1

    def select_entry(self, entry_id: int | None) -> None:
        """The list's current article changed (None: no article is current)."""
        entry = self._articles.model.entry_at(self._articles.current_row()) if entry_id else None
        if entry is None or entry.id != entry_id:
            self.state = replace(self.state, entry_id=None)
            self._unchosen = None
            self._derive()
            return
        self.state = replace(self.state, entry_id=entry.id)
        self._message = None
        self._visited[entry.id] = None
        self._reader.show_entry(entry)
        self._comments.show_entry(entry)
        self._derive()
        if self._automatic or self._articles.model.applying:  # rows moved under it
            self._unchosen = entry.id
        else:
            self._unchosen = None
            self.entry_opened.emit(entry)

    def _clicked(self) -> None:
        """A click on the article shown for the user opens it as their choice."""
        entry_id = self._articles.current_entry_id()
        if entry_id is not None and entry_id == self._unchosen:
            self._unchosen = None
            entry = self._articles.model.entry_at(self._articles.current_row())
            if entry is not None and entry.id == entry_id:
                self.entry_opened.emit(entry)

    def set_online(self, online: bool) -> None:
        if online != self.state.online:
            self.state = replace(self.state, online=online)
            self._tree.populate(replace(self.panel.tree, online=online))
            self._derive()

    # --- store changes -------------------------------------------------------------------------

    def apply(self, change: StoreChange) -> None:
        """What the window does after the store changed: the one path for every write."""
        match change:
            case EntriesMarked(ids=ids) if len(ids) > BULK:
                self._articles.model.reload(self._kept())
                self.refresh_panel_in_background()
            case EntriesMarked(ids=ids):
                if change.read:  # read here (M): kept in place like an opened one
                    model = self._articles.model
                    self._visited.update((i, None) for i in ids if model.row_of(i) is not None)
                self._entries_marked(change, self._store.entries_by_ids(list(ids)))
            case CommentsChanged(entry_id=entry_id):
                self._articles.model.refresh_entries([entry_id])
                self.refresh_panel()
                if self.state.view.kind == ViewKind.COMMENTED:
                    self._articles.model.reload(self._kept())
            case FeedsChanged():
                self.refresh_panel()
                self._refresh_list()
            case SyncWrote():
                self.refresh_panel_in_background(then_list=True)

    def _entries_marked(self, change: EntriesMarked, entries: list[Entry]) -> None:
        """Rows repainted and counts moved from the entries read once after the write; rows
        the list does not hold (an undo in a view they had left) bring the list back in sync."""
        model = self._articles.model
        model.update_entries(entries)
        if any(model.row_of(e.id) is None for e in entries):
            model.reload(self._kept())
        shown = self._reader.entry
        if shown is not None and (fresh := next((e for e in entries if e.id == shown.id), None)):
            self._reader.update_entry(fresh)
        self._panel_reads += 1
        # the saved searches' unread counts follow at once, as the feeds' do (kept up to
        # date by the store's write: reading them is one small query)
        searches = (
            self._store.list_saved_searches()
            if change.read is not None and self.panel.tree.searches
            else None
        )
        self._show_panel(self.panel.marked(entries, change, searches))

    def refresh_panel(self) -> None:
        """Re-reads feeds and counts now: after the user's own changes, which show at once."""
        self._panel_reads += 1
        self._show_panel(read_panel(self._store, self._paths.images, self._pending.hidden))

    def refresh_panel_in_background(self, *, then_list: bool = False) -> None:
        """The same on the background store thread: while a sync writes to a large store these
        reads take tens of milliseconds. A `refresh_panel` made meanwhile wins. With
        `then_list`, the list is brought up to date once the panel is in."""
        reads = self._panel_reads
        images, hidden = self._paths.images, frozenset(self._pending.hidden)

        def show(panel: Panel) -> None:
            if reads == self._panel_reads:
                self._show_panel(panel)
            if then_list:
                self._refresh_list(keep_selected=True)

        self._background.submit(lambda store: read_panel(store, images, hidden), show)

    def _show_panel(self, panel: Panel) -> None:
        old_unread = self.panel.unread
        self.panel = panel
        self._tree.populate(replace(panel.tree, online=self.state.online))
        view = self.state.view
        gone = view.kind in (ViewKind.FEED, ViewKind.FOLDER, ViewKind.SEARCH, ViewKind.TAG)
        if gone and self._tree.current_view() != view:
            self._tree.select_view(ALL_VIEW)  # its feed or folder is gone (or hidden)
        if panel.unread != old_unread:
            self.unread_count_changed.emit(panel.unread)
        self._derive()

    # --- the list ------------------------------------------------------------------------------

    def query(self) -> EntryQuery:
        """The store query the state lists, in the list's current order."""
        old = self._articles.model.query
        listed = query_for(
            self.state.view, self.panel.feeds, self.panel.hidden, self.panel.search_texts
        )
        return replace(
            listed,
            unread_only=listed.unread_only or self.state.hides_read,
            search=combined_search(listed.search, self.state.search),
            order=old.order,
            descending=old.descending,
        )

    def _set_query(self) -> None:
        self._listed = (self.state.view, self.state.search, self.state.hides_read)
        self._visited = {}  # a new visit
        try:
            if self.state.search:  # its mistakes at positions in what was typed, not in
                parse(self.state.search)  # the saved search it narrows (`combined_search`)
            self._articles.model.set_query(self.query())
        except SearchQueryError as error:
            self._articles.show_error(str(error))
        else:
            self._articles.show_error(field_hint(self.state.search))
        self._derive()
        self.view_changed.emit(self.state)

    def _kept(self) -> tuple[int, ...]:
        """The articles a reload keeps in their rows even when no longer listed: the one
        being read, the other selected ones (Ctrl+click with read ones hidden), then those
        read during this visit of the view."""
        current = () if self.state.entry_id is None else (self.state.entry_id,)
        others = [i for i in self._articles.selected_entry_ids() if i != self.state.entry_id]
        chosen = {*current, *others}
        return (*current, *others, *(i for i in self._visited if i not in chosen))

    def _refresh_list(self, *, keep_selected: bool = False) -> None:
        """After the store or the filter changed: rows removed and inserted in place (read in
        the background), so the selection stays while its article is listed, and with
        `keep_selected` even when the query no longer lists it (a read article when read ones
        are hidden). A changed query without `keep_selected` is listed anew at once."""
        query = self.query()
        keep = self._kept() if keep_selected else tuple(self._visited)
        if query == self._articles.model.query:
            self._articles.model.reload(keep)
        elif keep_selected:
            self._listed = (self.state.view, self.state.search, self.state.hides_read)
            self._articles.model.change_query(query, keep)
        else:  # the user's own change (a feed hidden): shown at once
            self.state = replace(self.state, entry_id=None)
            self._set_query()
            return
        self._derive()

    # --- what is shown -------------------------------------------------------------------------

    def _rows_changed(self) -> None:
        """Rows went in or out: derived now, or once for a whole refresh (`loaded` follows it;
        a refresh during a sync inserts and removes rows in several runs)."""
        if not self._articles.model.applying:
            self._derive()

    def _derive(self) -> None:
        model = self._articles.model
        rows, complete = model.rowCount(), model.complete
        articles = model.article_count
        self._status.show_count(count_text(rows, complete, articles))
        self._status.set_offline(not self.state.online)
        view = self.state.view
        failing = next((f for f in self.panel.problems if view == View(ViewKind.FEED, f.id)), None)
        account = None
        if failing is None and view.kind == ViewKind.FEED:  # its account's sync failed?
            chosen = next((f for f in self.panel.visible if f.id == view.id), None)
            account = self.panel.failing_account_of(chosen) if chosen is not None else None
            failing = chosen if account is not None else None
        if failing != self._problem_bar.feed or account != self._problem_bar.account:
            names = feed_names(self.panel.visible) if failing is not None else {}
            name = names.get(failing.id) if failing else None
            self._problem_bar.show_feed(failing, name, account)
        entry_id = self.state.entry_id
        if entry_id is not None and model.row_of(entry_id) is None:
            self.state = replace(self.state, entry_id=None)  # the list no longer holds it
        if self.state.entry_id is not None:
            return
        message = reader_message(self.state, self.panel, rows, complete, articles)
        if message != self._message or self._reader.entry is not None:
            self._message = message
            had_entry = self._reader.entry is not None
            self._reader.show_message(message)
            if had_entry:  # else the comments say so already (the count in the message moved)
                self._comments.show_entry(None)
