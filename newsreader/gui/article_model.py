"""The article list's model: a thin, lazy adapter over the store.

Opening a view reads the first few hundred ids at once and the full id list on the background
store thread (`Store.entry_ids`); rows are fetched a page at a time (`Store.entries_by_ids`) when
the view first paints them, so 100,000 articles open at once.
A sync's new articles are inserted as rows (never a model reset), which keeps the selection and
lets the view hold its scroll position.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Collection, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from newsreader.errors import NewsreaderError
from newsreader.gui.background import BackgroundStore
from newsreader.gui.snippet import snippet
from newsreader.gui.timefmt import exact_time, relative_time
from newsreader.model import Entry
from newsreader.store import Store
from newsreader.store.types import EntryOrder, EntryQuery

PAGE_SIZE = 64  # rows read together when the view paints one not in memory (~4 ms at 100,000)
NEXT_UNREAD_PROBE = 64  # ids read when looking for the next unread article near the current
HEAD_ROWS = 300  # rows read at once when a view opens; the rest follow from the background
CACHE_LIMIT = 4000  # entries kept in memory; a page is re-read when scrolled back to
RECENT_PAGES = 2  # pages read afresh with each reload (those the view showed last)

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2  # the title column's line of the entry's text

Index = QModelIndex | QPersistentModelIndex
Keep = int | Collection[int] | None  # articles a reload keeps in place (`ArticleModel.reload`)
log = logging.getLogger(__name__)


class Column(IntEnum):
    STAR = 0
    TITLE = 1
    SOURCE = 2
    DATE = 3
    COMMENTS = 4
    SOURCES = 5
    LANGUAGE = 6


COLUMN_COUNT = len(Column)
"""Qt asks the column count several times per row when it selects them all (Ctrl+A):
`len()` of an enum is a Python call of its own, about a tenth of that second on 100,000 rows."""

HEADERS = {
    Column.STAR: "★",
    Column.TITLE: "Title",
    Column.SOURCE: "Source",
    Column.DATE: "Date",
    Column.COMMENTS: "#",
    Column.SOURCES: "Sources",
    Column.LANGUAGE: "Lang",
}
SORT_KEYS: dict[Column, EntryOrder] = {
    Column.TITLE: "title",
    Column.SOURCE: "source",
    Column.DATE: "date",
}


class ArticleModel(QAbstractTableModel):
    """Rows of one `EntryQuery`. `loaded` fires when the query's full id list is in place."""

    loaded = Signal()

    def __init__(self, store: Store, background: BackgroundStore, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._background = background
        self._query = EntryQuery()
        self._generation = 0  # bumped by set_query: late results of older queries are dropped
        self._ids: list[int] = []
        # id -> row: built on the background thread with each reload's changes, else on
        # first need; None while rows are being removed and inserted
        self._rows: dict[int, int] | None = None
        self._applying = False  # rows are being removed and inserted (`_apply`)
        # One reload in flight at a time: one asked for meanwhile waits for it (with the
        # latest `keep`), so each result applies to the rows it was worked out from.
        self._reloading = False
        self._reload_again: tuple[Keep] | None = None
        # an article to put back in its place though the query leaves it out (`restore`)
        self._restore: int | None = None
        # the ids of the pages read last (what the view shows): a reload reads them afresh
        # on the background thread, so the rows on screen are not read again on this one
        self._recent: deque[list[int]] = deque(maxlen=RECENT_PAGES)
        self._touched: set[int] = set()  # entries changed here while a reload was running
        self._cache: OrderedDict[int, Entry] = OrderedDict()
        # stored comments (the user's and the site's) of the cached entries, read per page
        self._stored_comments: dict[int, int] = {}
        # feeds reporting each cached entry's story (entries alone left out), read per page
        self._sources: dict[int, int] = {}
        # with one row per story: the cached entries whose story holds an unread article the
        # query lists (the row stands for it and is drawn unread), read per page
        self._unread_story: set[int] = set()
        # key points already computed (when an article was read), for the title's tooltip
        self._key_points: dict[int, list[str]] = {}
        # a line of each cached entry's text, worked out when its page is read (gui/snippet.py)
        self._snippets: dict[int, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self.complete = True
        self.now = datetime.now(UTC)  # refreshed by the window so "5 minutes ago" ages
        self.collapse_stories = False  # one row per story (`Store.one_per_story`)
        self.article_count = 0  # the articles the rows stand for (more than rows: stories)

    # --- the query ---------------------------------------------------------------------

    @property
    def query(self) -> EntryQuery:
        return self._query

    def set_query(self, query: EntryQuery) -> None:
        """Shows another view (or search or order): the one place the model is reset.

        The first screenfuls (a LIMIT query, fast on any store size) show at once; the full
        id list is read by the background reader and appended when it arrives.
        Raises SearchQueryError for a bad search, before anything changes.
        """
        head, listed = self._listed(self._store, replace(query, limit=HEAD_ROWS, offset=0))
        self._generation += 1
        self._restore = None
        self._query = query
        self.article_count = listed
        self._reset(head)
        self.complete = listed < HEAD_ROWS and not self.collapse_stories
        if self.complete:
            self.loaded.emit()
        else:
            self.reload()

    def change_query(self, query: EntryQuery, keep: Keep = None) -> None:
        """Lists another query by removing and inserting rows in place (no reset: the
        selection and scroll position stay), read in the background like `reload`. For a
        narrower or wider variant of the same view: read articles hidden, a feed left out."""
        self._generation += 1
        self._query = query
        self.complete = False
        self.reload(keep)

    def reload(self, keep: Keep = None) -> None:
        """Re-reads the query's ids in the background, then inserts and removes rows in place
        (never a reset), so the selection and the scroll position stay. The background thread
        also works out which rows change and the new rows' index: on a view of 100,000 rows
        that is tens of ms, which the GUI thread would otherwise spend on every refresh during
        a sync. `keep` (the article being read and the other selected ones) stays in its place
        even when the query no longer lists it, as a just-read article in Unread does until
        the user leaves the view; with one row per story, a kept article goes on standing for
        its story (no other article of it takes its row).
        A reload asked for while one runs follows it (requests meanwhile are one reload)."""
        if self._reloading:
            self._reload_again = (keep,)
            return
        self._reloading = True
        self._touched.clear()
        generation, query, shown = self._generation, self._query, list(self._ids)
        shown_set = set(shown) if self.collapse_stories else set()
        recent = list(self._recent)
        keeps = kept_ids(keep)
        restore = self._restore

        def work(store: Store) -> tuple[RowChanges, list[Page], int] | None:
            try:
                kept = [k for k in keeps if k in shown_set]  # put back in place below
                # the view's articles, read or not, in order: where `restore` goes
                order = (
                    store.entry_ids(replace(query, unread_only=False, limit=None, offset=0))
                    if restore is not None and restore not in shown
                    else []
                )
                restoring = restore if restore is not None and restore in order else None
                if restoring is not None and self.collapse_stories:
                    kept.append(restoring)  # it stands for its story
                listed, count = self._listed(store, query, kept, prefer=shown_set)
                rows = with_kept(shown, listed, keeps)
                if restoring is not None:
                    rows = with_kept(order, rows, restoring)
                changes = row_changes(shown, rows)
                shown_pages = pages_holding(changes, recent)
                count += len(rows) - len(listed)  # the article kept in its place
                story_query = query if self.collapse_stories else None
                pages = [read_page(store, page, story_query) for page in shown_pages]
                return changes, pages, count
            except NewsreaderError as error:  # e.g. a search that cannot run any more
                log.warning("the article list could not be read again: %s", error)
                return None

        self._background.submit(work, lambda read: self._ids_read(generation, shown, read, restore))

    @property
    def restoring(self) -> bool:
        """An article waits to be put back in its place (`restore`)."""
        return self._restore is not None

    def restore(self, entry_id: int) -> None:
        """Lists `entry_id` in its place in the view's order even when the query leaves it
        out (a read article with read ones hidden: the last one read, restored at start), as
        one just read in the session is kept (see `reload`); nothing when the view does not
        hold it. Done by the next reload: `loaded` follows."""
        self._restore = entry_id
        if not self._reloading:
            self.reload()

    def set_collapse_stories(self, collapse: bool, keep: Keep = None) -> None:
        """Shows each story (articles of several feeds on one event) as one row, its first
        listed article, or every article again; rows change in place (see `reload`). `keep`
        (the article being read) keeps its row: it stands for its story, so the selection
        and the reader stay on it."""
        if collapse != self.collapse_stories:
            self.collapse_stories = collapse
            self.change_query(self._query, keep)

    def _listed(
        self,
        store: Store,
        query: EntryQuery,
        keep: Collection[int] = (),
        prefer: Collection[int] = (),
    ) -> tuple[list[int], int]:
        """The query's ids as rows: one per story when stories are collapsed (`keep`, the
        articles being read and selected, standing for their stories, else the one of
        `prefer` a row shows;
        `Store.one_per_story`); and how many articles they stand for."""
        ids = store.entry_ids(query)
        if not self.collapse_stories:
            return ids, len(ids)
        return store.one_per_story(ids, keep, prefer), len(ids)

    def _ids_read(
        self,
        generation: int,
        shown: list[int],
        read: tuple[RowChanges, list[Page], int] | None,
        restore: int | None = None,
    ) -> None:
        self._reloading = False
        again, self._reload_again = self._reload_again, None
        if self._restore is not None and (restore != self._restore or read is None):
            again = again or (None,)  # asked for while this one ran: the next one does it
        elif generation == self._generation:
            self._restore = None
        if generation == self._generation and read is not None:
            changes, pages, self.article_count = read
            if self._ids != shown:  # the rows changed meanwhile: the changes are worked out again
                changes = row_changes(self._ids, changes.ids)
            self._apply(changes, pages)
            self.complete = True
            self.loaded.emit()
        if again is not None:
            self.reload(again[0])

    def _reset(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = None
        self._forget_all()
        self.now = datetime.now(UTC)
        self.endResetModel()

    def _apply(self, changes: RowChanges, pages: Sequence[Page] = ()) -> None:
        """Turns the current rows into `changes.ids` with row removals and insertions. Rows
        that stay keep their persistent indexes; if they changed order, the model is reset.
        What was held of the rows is forgotten but `pages`, read with the changes (entries
        changed here since are left out: they are read again when shown)."""
        if changes.reordered:
            self._reset(changes.ids)
            self._rows = changes.rows
            return
        self._forget_all()
        for page in pages:
            self._keep(page, leave_out=self._touched)
        self.now = datetime.now(UTC)
        self._applying = True
        try:
            for first, last in reversed(changes.removed):
                self.beginRemoveRows(QModelIndex(), first, last)
                del self._ids[first : last + 1]
                self._rows = None
                self.endRemoveRows()
            for first, last in changes.inserted:  # ascending: each run lands at its final rows
                self.beginInsertRows(QModelIndex(), first, last)
                self._ids[first:first] = changes.ids[first : last + 1]
                self._rows = None
                self.endInsertRows()
        finally:
            self._applying = False
        if changes.removed or changes.inserted:
            self._rows = changes.rows
        if self._ids:
            self._repaint(0, len(self._ids) - 1)

    def refresh_entries(self, entry_ids: Sequence[int]) -> None:
        """Repaints rows whose entries changed (read, starred, comments) without re-querying."""
        self._touched.update(entry_ids)
        for entry_id in entry_ids:
            self._cache.pop(entry_id, None)  # its page, comment counts included, is read again
            row = self.row_of(entry_id)
            if row is not None:
                self._repaint(row, row)

    def update_entries(self, entries: Sequence[Entry]) -> None:
        """Takes fresher copies of entries (e.g. just marked read) and repaints their rows.
        The comment counts missing for them are read in one query, not one per entry."""
        self._touched.update(entry.id for entry in entries)
        shown = [(row, entry) for entry in entries if (row := self.row_of(entry.id)) is not None]
        uncounted = [entry.id for _, entry in shown if entry.id not in self._stored_comments]
        counts = self._store.comment_counts(uncounted) if uncounted else {}
        if self.collapse_stories and shown:  # a story's unread state may have changed
            ids = [entry.id for _, entry in shown]
            self._unread_story.difference_update(ids)
            self._unread_story.update(self._store.unread_in_stories(ids, self._query))
        for row, entry in shown:
            self._cache[entry.id] = entry
            self._snippets.setdefault(entry.id, snippet(entry.summary, entry.content, entry.title))
            self._stored_comments.setdefault(entry.id, counts.get(entry.id, 0))
            self._repaint(row, row)

    def _repaint(self, first: int, last: int) -> None:
        """Every column of rows `first` to `last` is drawn again."""
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))

    # --- lookups -----------------------------------------------------------------------

    @property
    def applying(self) -> bool:
        """Rows are being removed and inserted by a refresh; `loaded` follows."""
        return self._applying

    @property
    def cached_count(self) -> int:
        """How many rows are held in memory (the rest are read from the store when shown)."""
        return len(self._cache)

    @property
    def entry_ids(self) -> list[int]:
        return self._ids

    def unread_ids(self) -> list[int]:
        """The unread entries of the current query, in list order."""
        return self._store.entry_ids(replace(self._query, unread_only=True))

    def next_unread_row(self, after: int) -> int | None:
        """The first unread row below row `after` (-1: from the top).

        In the usual newest-first order a short query from the current article's date down
        finds it, instead of listing every unread id of a large view.
        """
        unread = replace(self._query, unread_only=True)
        current = self.entry_at(after) if after >= 0 else None
        if self._query.order == "date" and self._query.descending and current and current.date:
            until = current.date + timedelta(seconds=1)  # `until` is exclusive
            nearby = self._store.entry_ids(replace(unread, until=until, limit=NEXT_UNREAD_PROBE))
            row = self._first_row_below(nearby, after)
            if row is not None:
                return row
        return self._first_row_below(self._store.entry_ids(unread), after)

    def next_unread(self, after: int, visited: Collection[int] = ()) -> tuple[int, int] | None:
        """The next unread article below row `after` (-1: from the top), as (row, entry id).

        With one row per story, a story's unread articles are reached through its row: in
        row `after`, those listed after the one it shows, then those listed before it, but
        none of `visited` (the articles this row has shown since it became current: with a
        mark-read delay they may still be unread); then the rows below, each entered at its
        first unread article. Their ids and stories are read here, as `next_unread_row`
        reads a large view's unread ids."""
        if not self.collapse_stories:
            row = self.next_unread_row(after)
            return None if row is None else (row, self._ids[row])
        unread = self._store.entry_ids(replace(self._query, unread_only=True))
        shown = self._ids[after] if 0 <= after < len(self._ids) else None
        mates = self._store.story_mates(unread)
        passed = shown not in unread  # the row's articles after the one shown (if unread)
        best: tuple[int, int] | None = None
        best_rank: tuple[int, bool] | None = None
        for entry_id in unread:
            if entry_id == shown:
                passed = True
                continue
            row = self.row_of(entry_id)
            for mate in mates.get(entry_id, ()) if row is None else ():
                if (row := self.row_of(mate)) is not None:
                    break
            if row is None or row < after or (row == after and entry_id in visited):
                continue
            rank = (row, row == after and not passed)  # `unread` is in the list's order
            if best_rank is None or rank < best_rank:
                best, best_rank = (row, entry_id), rank
            if rank == (after, False):
                break
        return best

    def show_in_row(self, row: int, entry_id: int) -> None:
        """The row of a story shows another of its articles (the next unread one)."""
        old = self._ids[row]
        if old == entry_id:
            return
        self._ids[row] = entry_id
        if self._rows is not None:
            self._rows.pop(old, None)
            self._rows[entry_id] = row
        self._touched.add(entry_id)
        self._repaint(row, row)

    def _first_row_below(self, ids: Sequence[int], after: int) -> int | None:
        for entry_id in ids:
            row = self.row_of(entry_id)
            if row is not None and row > after:
                return row
        return None

    def row_of(self, entry_id: int) -> int | None:
        if self._rows is None and self._applying:
            # between two runs of `_apply` (the views ask): one scan, no index built for rows
            # about to change again
            try:
                return self._ids.index(entry_id)
            except ValueError:
                return None
        if self._rows is None:
            self._rows = row_index(self._ids)
        return self._rows.get(entry_id)

    def entry_at(self, row: int) -> Entry | None:
        if not 0 <= row < len(self._ids):
            return None
        entry_id = self._ids[row]
        entry = self._cache.get(entry_id)
        if entry is None:
            self._fetch_page(row)
            entry = self._cache.get(entry_id)
        return entry

    def comment_count(self, entry: Entry) -> CommentCount:
        """The feed's announced count and the comments stored here for a cached entry."""
        return CommentCount(entry.comment_count or 0, self._stored_comments.get(entry.id, 0))

    def _fetch_page(self, row: int) -> None:
        start = row - row % PAGE_SIZE
        page = self._ids[start : start + PAGE_SIZE]
        self._keep(read_page(self._store, page, self._query if self.collapse_stories else None))
        self._recent.append(page)

    def _keep(self, page: Page, leave_out: Set[int] = frozenset()) -> None:
        """Holds a page's entries (but those in `leave_out`), forgetting the oldest held
        beyond `CACHE_LIMIT`."""
        for entry in page.entries:
            if entry.id in leave_out:
                continue
            self._cache[entry.id] = entry
            self._stored_comments[entry.id] = page.comments.get(entry.id, 0)
            self._sources[entry.id] = page.sources.get(entry.id, 0)
            if entry.id in page.unread_stories:
                self._unread_story.add(entry.id)
            else:
                self._unread_story.discard(entry.id)
            self._key_points[entry.id] = page.key_points.get(entry.id, [])
            self._snippets[entry.id] = page.snippets[entry.id]
        while len(self._cache) > CACHE_LIMIT:
            gone, _ = self._cache.popitem(last=False)
            self._stored_comments.pop(gone, None)
            self._snippets.pop(gone, None)
            self._sources.pop(gone, None)
            self._unread_story.discard(gone)
            self._key_points.pop(gone, None)

    def set_key_points(self, entry_id: int, points: Sequence[str]) -> None:
        """An entry's key points became known (the reader computed them): its title's
        tooltip lists them from now on."""
        if entry_id in self._cache:
            self._key_points[entry_id] = list(points)

    def sources(self, entry: Entry) -> int:
        """How many feeds report a cached entry's story (0: no other feed does)."""
        return self._sources.get(entry.id, 0)

    def row_unread(self, entry: Entry) -> bool:
        """Whether a cached entry's row stands for an unread article: the entry, or with one
        row per story an unread article of its story the query lists."""
        return not entry.read or (self.collapse_stories and entry.id in self._unread_story)

    def _forget_all(self) -> None:
        self._cache.clear()
        self._stored_comments.clear()
        self._sources.clear()
        self._unread_story.clear()
        self._key_points.clear()
        self._snippets.clear()

    # --- Qt model API ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or section not in range(len(Column)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.STAR:
            return "Starred"
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.COMMENTS:
            return "Comments"
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.SOURCES:
            return "Feeds reporting the same story"
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.LANGUAGE:
            return "Language"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ENTRY_ID_ROLE:
            return self._ids[index.row()]
        if role in (SNIPPET_ROLE, Qt.ItemDataRole.AccessibleDescriptionRole):
            # the snippet line, also read out by screen readers after the title; it starts
            # with the story's sources (the Sources column is hidden until asked for)
            entry = self.entry_at(index.row()) if index.column() == Column.TITLE else None
            if entry is None:
                return None
            line = self._snippets.get(entry.id, "")
            sources = self.sources(entry)
            return f"{sources} sources · {line}" if sources else line
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        entry = self.entry_at(index.row())
        if entry is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self.row_unread(entry) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.STAR, Column.COMMENTS):
                return Qt.AlignmentFlag.AlignCenter
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(entry, column)
        return self._display(entry, column)

    def _display(self, entry: Entry, column: Column) -> str:
        if column == Column.STAR:
            return "★" if entry.starred else ""
        if column == Column.TITLE:
            return entry.title or "(untitled)"
        if column == Column.SOURCE:
            return entry.feed_title or ""
        if column == Column.DATE:
            return relative_time(entry.date, self.now)
        if column == Column.SOURCES:
            sources = self.sources(entry)
            return f"{sources} sources" if sources else ""
        if column == Column.LANGUAGE:
            return entry.language or ""
        shown = self.comment_count(entry).shown
        return str(shown) if shown else ""

    def _tooltip(self, entry: Entry, column: Column) -> str | None:
        if column == Column.COMMENTS:
            return self.comment_count(entry).describe() or None
        if column == Column.DATE:
            return exact_time(entry.date)
        if column == Column.TITLE:
            points = self._key_points.get(entry.id)
            if not points:
                return entry.title
            listed = "\n".join(f"• {p}" for p in points)
            return f"{entry.title or '(untitled)'}\n\nKey points:\n{listed}"
        return None

    def _accessible(self, entry: Entry, column: Column) -> str:
        if column == Column.STAR:
            return "starred" if entry.starred else "not starred"
        if column == Column.TITLE:
            state = "unread" if self.row_unread(entry) else "read"
            return f"{entry.title or 'untitled'}, {state}"
        if column == Column.COMMENTS:
            described = self.comment_count(entry).describe()
            return f"comments: {described}" if described else "no comments"
        return self._display(entry, column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column)) if column in range(len(Column)) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, order=key, descending=descending))


@dataclass(frozen=True, slots=True)
class CommentCount:
    """An entry's comments: as many as the feed announces for the site, and how many are
    stored here (the site's comments fetched so far and the user's own)."""

    announced: int
    stored: int

    @property
    def shown(self) -> int:
        """The list's number: the larger, since the stored ones may include the user's own
        and the announced ones may not all have been fetched."""
        return max(self.announced, self.stored)

    def describe(self) -> str:
        """For example "5 on the site, 2 here"; empty when there are none."""
        parts = []
        if self.announced:
            parts.append(f"{self.announced} on the site")
        if self.stored:
            parts.append(f"{self.stored} here")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Page:
    """Rows as read from the store (`read_page`): their entries, and for each the comments
    stored, the feeds reporting its story (entries alone left out), its current key points
    and its snippet line; with one row per story, the entries whose story holds an unread
    article of the query (`Store.unread_in_stories`)."""

    entries: list[Entry]
    comments: dict[int, int]
    sources: dict[int, int]
    key_points: dict[int, list[str]]
    snippets: dict[int, str]
    unread_stories: Set[int] = frozenset()


def read_page(store: Store, ids: Sequence[int], story_query: EntryQuery | None = None) -> Page:
    """The rows of these ids, in four queries (on the GUI thread's store or the background
    one's); with `story_query` (one row per story), its stories' unread state in one more."""
    entries = store.entries_by_ids(ids)
    read = [entry.id for entry in entries]
    return Page(
        entries,
        store.comment_counts(read),
        store.story_sizes(read),
        store.current_key_points(read),
        {entry.id: snippet(entry.summary, entry.content, entry.title) for entry in entries},
        store.unread_in_stories(read, story_query) if story_query is not None else frozenset(),
    )


def pages_holding(changes: RowChanges, recent: Sequence[Sequence[int]]) -> list[list[int]]:
    """The pages of `changes.ids` that hold the entries of the `recent` pages (at most
    `RECENT_PAGES` + 1 of them): where the rows the view showed are after the changes."""
    if not (changes.removed or changes.inserted or changes.reordered):  # nothing moved
        return [list(page) for page in recent]
    starts: set[int] = set()
    for page in recent:
        rows = [row for entry_id in page if (row := changes.rows.get(entry_id)) is not None]
        if rows:  # else none of the page is listed any more
            starts.update(row - row % PAGE_SIZE for row in (min(rows), max(rows)))
    return [changes.ids[start : start + PAGE_SIZE] for start in sorted(starts)[: RECENT_PAGES + 1]]


@dataclass(frozen=True, slots=True)
class RowChanges:
    """How the rows `old` become `ids`: runs of rows to remove (rows of `old`), then runs to
    insert (rows of `ids`); `reordered` when rows that stay changed order (a reset instead).
    `rows` is the row of each of `ids` when any row changes (else empty)."""

    ids: list[int]
    removed: list[tuple[int, int]]
    inserted: list[tuple[int, int]]
    reordered: bool
    rows: dict[int, int] = field(default_factory=dict)


def row_changes(old: list[int], ids: list[int]) -> RowChanges:
    """The row changes from `old` to `ids` (comprehensions, not row-by-row loops: 100,000
    rows take a few ms)."""
    if ids == old:
        return RowChanges(ids, [], [], reordered=False)
    new_set = set(ids)
    kept = [entry_id for entry_id in old if entry_id in new_set]
    kept_set = set(kept)
    if [entry_id for entry_id in ids if entry_id in kept_set] != kept:
        return RowChanges(ids, [], [], reordered=True, rows=row_index(ids))
    gone = [row for row, entry_id in enumerate(old) if entry_id not in new_set]
    added = [row for row, entry_id in enumerate(ids) if entry_id not in kept_set]
    return RowChanges(ids, runs(gone), runs(added), reordered=False, rows=row_index(ids))


def row_index(ids: list[int]) -> dict[int, int]:
    """Each id's row."""
    return dict(zip(ids, range(len(ids)), strict=True))


def kept_ids(keep: Keep) -> tuple[int, ...]:
    """`keep` as a tuple of ids."""
    return () if keep is None else (keep,) if isinstance(keep, int) else tuple(keep)


def with_kept(old: list[int], ids: list[int], keep: Keep) -> list[int]:
    """`ids` with each of `keep` that `old` held and `ids` no longer does put back after the
    row that preceded it in `old` (one pass over each list, however many are kept: a whole
    selected list); else `ids` unchanged."""
    keeps = kept_ids(keep)
    if not keeps:
        return ids
    listed = set(ids)
    missing = {k for k in keeps if k not in listed}
    if not missing:
        return ids
    after: dict[int | None, list[int]] = {}  # kept ones, by the listed row that precedes them
    anchor: int | None = None
    for entry_id in old:
        if entry_id in listed:
            anchor = entry_id
        elif entry_id in missing:
            after.setdefault(anchor, []).append(entry_id)
    if not after:
        return ids
    rows = list(after.get(None, ()))
    for entry_id in ids:
        rows.append(entry_id)
        if entry_id in after:
            rows.extend(after[entry_id])
    return rows


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers grouped into (first, last) runs of consecutive rows."""
    grouped: list[tuple[int, int]] = []
    for row in rows:
        if grouped and grouped[-1][1] == row - 1:
            grouped[-1] = (grouped[-1][0], row)
        else:
            grouped.append((row, row))
    return grouped
