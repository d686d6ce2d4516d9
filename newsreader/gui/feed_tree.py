"""The feed panel: smart views on top, then folders and feeds with unread counts and icons.

Feeds show their cached icon or a letter tile (`gui/feed_icons.py`); counts are drawn whole at
the right edge while names elide (`gui/tree_delegate.py`); feeds with the same title are told
apart by where they come from (`newsreader.feed_names`).

The model is rebuilt from `Store.list_feeds()`/`list_folders()` (cheap: a few hundred rows) but
only when the tree's shape changes; otherwise counts and titles are updated in place, so the
selection and expansion survive a sync. Dragging a feed onto a folder (or onto empty space, the
top level) emits `feed_dropped`; the window writes the move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImage,
    QMouseEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTreeView, QWidget

from newsreader.feed_names import feed_names
from newsreader.feed_status import (
    account_problem_text,
    account_problems,
    has_problem,
    problem_feed_count,
    problem_groups,
    problem_text,
)
from newsreader.gui.background import BackgroundStore
from newsreader.gui.feed_icons import FeedIcons, decode_icon, tile_colour, tile_letter
from newsreader.gui.tree_delegate import COUNT_ROLE, TITLE_ROLE, CountDelegate
from newsreader.gui.views import SMART_VIEWS, View, ViewKind
from newsreader.model import Account, Feed, Folder
from newsreader.store import SavedSearch

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1  # the View's key
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # smart views, then folders, then feeds, by name
ICON_ROLE = Qt.ItemDataRole.UserRole + 5  # what a feed's icon was made from (file or tile)
FEED_MIME = "application/x-newsreader-feed-id"


@dataclass(frozen=True, slots=True)
class TreeData:
    """Everything the tree shows, read from the store by the window."""

    feeds: Sequence[Feed]
    folders: Sequence[Folder]
    smart_counts: dict[ViewKind, int]  # unread in All/Unread, totals for Starred/Commented
    icons: dict[int, Path]  # feed id -> cached icon file
    online: bool = True  # words the problem groups (no host name resolves: offline?)
    searches: Sequence[SavedSearch] = ()  # with their unread counts, in the user's order
    tags: Sequence[tuple[str, int]] = ()  # tag names with their entry counts
    failing_accounts: Sequence[Account] = ()  # feed-server accounts whose last sync failed


SECTIONS = (("Searches", "0a"), ("Tags", "0b"))
"""The sections after the smart views (title, sort key); each is shown only when it has rows."""


def _label(title: str, count: int) -> str:
    return f"{title} ({count})" if count else title


def _problem_group(text: str, tooltip: str | None = None) -> QStandardItem:
    """A group's row under Feed problems: a heading over its feeds, selecting nothing."""
    item = QStandardItem(text)
    if tooltip:
        item.setToolTip(tooltip)
    item.setEditable(False)
    item.setDragEnabled(False)
    item.setDropEnabled(False)
    return item


def _problem_row(feed: Feed, text: str, tooltip: str) -> QStandardItem:
    """A feed's row under its problem group: selecting it opens the feed's view."""
    item = QStandardItem(text)
    item.setData(View(ViewKind.FEED, feed.id).key, VIEW_ROLE)
    item.setToolTip(tooltip)
    item.setEditable(False)
    item.setDragEnabled(False)
    item.setDropEnabled(False)
    return item


def _show(
    item: QStandardItem, title: str, count: int, accessible: str, tooltip: str | None = None
) -> None:
    """Sets what changed only: each change repaints, and a sync updates hundreds of rows.
    The text is "Title (count)"; the delegate draws name and count apart from their roles."""
    text = _label(title, count)
    if item.text() != text:
        item.setText(text)
    if item.data(TITLE_ROLE) != title:
        item.setData(title, TITLE_ROLE)
    if item.data(COUNT_ROLE) != count:
        item.setData(count, COUNT_ROLE)
    if item.data(Qt.ItemDataRole.AccessibleTextRole) != accessible:
        item.setData(accessible, Qt.ItemDataRole.AccessibleTextRole)
    if tooltip is not None and item.toolTip() != tooltip:
        item.setToolTip(tooltip)


class Rebuilt(Enum):
    """What `FeedTreeModel.populate` made again."""

    NOTHING = "nothing"  # rows updated in place
    PROBLEMS = "problems"  # the rows under Feed problems
    TREE = "tree"  # every row


class FeedTreeModel(QStandardItemModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, QStandardItem] = {}
        # feed id -> what its row is made from (name, count, address, title, problem, icon
        # file), as last shown: a sync's refresh touches only the rows that changed (each
        # touch costs Qt calls and a repaint; the panel is refreshed every 400 ms in a sync)
        self._feed_rows: dict[int, tuple[str, int, str, str, str | None, Path | None]] = {}
        self._shape: tuple[object, ...] = ()
        self._problems: tuple[object, ...] = ()  # the feeds' problems, and whether online
        self._order: list[int] = []
        self._icons = FeedIcons()
        self._decoder: BackgroundStore | None = None  # None: icons decoded on this thread
        self._wanted: set[Path] = set()  # icon files to decode after this populate
        self._decoding: set[Path] = set()  # handed to the decoder, not back yet
        self.setSortRole(SORT_ROLE)

    def decode_icons_with(self, background: BackgroundStore) -> None:
        """Icon files are decoded on `background`'s thread from now on; a feed shows its
        letter tile until its icon is in."""
        self._decoder = background

    def item_for(self, view: View) -> QStandardItem | None:
        return self._items.get(view.key)

    def index_for(self, view: View) -> QModelIndex:
        item = self._items.get(view.key)
        return item.index() if item is not None else QModelIndex()

    def populate(self, data: TreeData, style: QStyle) -> Rebuilt:
        """Shows `data`: rows updated in place, the problems' rows made again (a feed's
        problem came, went or changed), or the whole tree rebuilt (feeds, folders, searches
        or tags came or went). After either of the last two the view restores its
        selection and expansion."""
        shape = (
            sorted((f.id, f.folder_id, data.icons.get(f.id)) for f in data.feeds),
            sorted((f.id, f.parent_id) for f in data.folders),
            tuple((s.id, s.position) for s in data.searches),
            tuple(name for name, _ in data.tags),
        )
        problems = (
            tuple((f.id, problem_text(f)) for f in data.feeds if has_problem(f)),
            tuple(
                (p.account, tuple(f.id for f in p.feeds))
                for p in account_problems(data.feeds, data.failing_accounts)
            ),
            data.online,
        )
        order = [f.id for f in data.feeds]
        if shape != self._shape or not self._items:
            self._shape, self._problems, self._order = shape, problems, order
            self._rebuild(data, style)
            self._decode_wanted()
            return Rebuilt.TREE
        rebuilt = Rebuilt.NOTHING
        if problems != self._problems:
            # During a sync on a network that is down hundreds of feeds fail one after the
            # other: rebuilding the whole tree for each refresh cost the GUI thread 100-200 ms
            # with 500 feeds.
            self._problems = problems
            self._rebuild_problems(data)
            rebuilt = Rebuilt.PROBLEMS
        self._update(data)
        if order != self._order:  # titles changed (a first fetch names a feed): re-sort
            self._order = order
            self.sort(0)
        self._decode_wanted()
        return rebuilt

    def problem_groups(self) -> list[QModelIndex]:
        """The rows of the problems' groups (under Feed problems)."""
        parent = self._items.get(View(ViewKind.PROBLEMS).key)
        if parent is None:
            return []
        return [parent.child(row).index() for row in range(parent.rowCount())]

    def _decode_wanted(self) -> None:
        """Hands the icon files this populate met for the first time to the decoder, in one
        job; their feeds' rows get their icons when it is done."""
        wanted = sorted(self._wanted - self._decoding)
        self._wanted.clear()
        if not wanted or self._decoder is None:
            return
        self._decoding.update(wanted)
        self._decoder.submit(
            lambda _store: {path: decode_icon(path) for path in wanted}, self._icons_decoded
        )

    def _icons_decoded(self, images: dict[Path, QImage]) -> None:
        for path, image in images.items():
            self._icons.decoded(path, image)
            self._decoding.discard(path)
        for item in self._items.values():  # feed rows note what their icon is made from
            path = Path(str(item.data(ICON_ROLE) or "").partition("|")[0])
            if path in images and (icon := self._icons.from_file(path)) is not None:
                item.setIcon(icon)

    def _rebuild(self, data: TreeData, style: QStyle) -> None:
        self.clear()
        self._items = {}
        self._feed_rows = {}
        root = self.invisibleRootItem()
        folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        smart_icons = {
            ViewKind.ALL: QStyle.StandardPixmap.SP_DirHomeIcon,
            ViewKind.UNREAD: QStyle.StandardPixmap.SP_FileDialogNewFolder,
            ViewKind.STARRED: QStyle.StandardPixmap.SP_DialogYesButton,
            ViewKind.COMMENTED: QStyle.StandardPixmap.SP_FileDialogDetailedView,
            ViewKind.PROBLEMS: QStyle.StandardPixmap.SP_MessageBoxWarning,
        }
        for rank, (kind, _title) in enumerate(SMART_VIEWS):
            item = self._new_item(View(kind), style.standardIcon(smart_icons[kind]))
            item.setData(f"0{rank}", SORT_ROLE)
            item.setDropEnabled(False)
            root.appendRow(item)
            if kind == ViewKind.PROBLEMS:
                self._add_problems(item, data)
        self._add_sections(root, data, style)
        folder_items: dict[int | None, QStandardItem] = {None: root}
        pending = list(data.folders)
        while pending:  # parents before children, whatever order the store returns
            placed = [f for f in pending if f.parent_id in folder_items]
            if not placed:
                break
            for folder in placed:
                item = self._new_item(View(ViewKind.FOLDER, folder.id), folder_icon)
                item.setData("1" + folder.name.casefold(), SORT_ROLE)
                item.setDragEnabled(False)
                folder_items[folder.parent_id].appendRow(item)
                folder_items[folder.id] = item
                pending.remove(folder)
        for feed in data.feeds:
            item = self._new_item(View(ViewKind.FEED, feed.id), QIcon())  # set by _update
            item.setDropEnabled(False)
            folder_items.get(feed.folder_id, root).appendRow(item)
        self._update(data)

    def _add_sections(self, root: QStandardItem, data: TreeData, style: QStyle) -> None:
        """Searches and Tags: a header row (nothing to select) over one row per search or
        tag, in the user's order / by name."""
        rows = (
            [(View(ViewKind.SEARCH, s.id), f"{rank:05d}") for rank, s in enumerate(data.searches)],
            [(View(ViewKind.TAG, name=name), name.casefold()) for name, _ in data.tags],
        )
        icons = (QStyle.StandardPixmap.SP_FileDialogContentsView, QStyle.StandardPixmap.SP_FileIcon)
        for (title, order), views, icon in zip(SECTIONS, rows, icons, strict=True):
            if not views:
                continue
            header = QStandardItem(title)
            header.setData(order, SORT_ROLE)
            header.setEditable(False)
            header.setSelectable(False)
            header.setDragEnabled(False)
            header.setDropEnabled(False)
            root.appendRow(header)
            for view, sort_key in views:
                item = self._new_item(view, style.standardIcon(icon))
                item.setData(sort_key, SORT_ROLE)
                item.setDragEnabled(False)
                item.setDropEnabled(False)
                header.appendRow(item)

    def _rebuild_problems(self, data: TreeData) -> None:
        parent = self._items.get(View(ViewKind.PROBLEMS).key)
        if parent is None:
            return
        parent.removeRows(0, parent.rowCount())
        self._add_problems(parent, data)

    def _add_problems(self, parent: QStandardItem, data: TreeData) -> None:
        """First a group per feed-server account whose sync failed ("12 feeds: account alice
        at rss.example not synced (HTTP 401)") over its feeds, then the feeds with a problem
        of their own in groups by cause ("16 feeds: cannot resolve host names") over theirs;
        a group selects nothing itself."""
        names = feed_names(data.feeds)
        for account_problem in account_problems(data.feeds, data.failing_accounts):
            reason = account_problem_text(account_problem.account)
            group_item = _problem_group(
                account_problem.describe(), f"{account_problem.account.url}\n{reason}"
            )
            parent.appendRow(group_item)
            for feed in account_problem.feeds:
                group_item.appendRow(_problem_row(feed, names[feed.id], f"{feed.url}\n{reason}"))
        for group in problem_groups(data.feeds):
            group_item = _problem_group(group.describe(online=data.online))
            parent.appendRow(group_item)
            for feed in group.feeds:
                text = f"{names[feed.id]}: {problem_text(feed)}"
                group_item.appendRow(_problem_row(feed, text, f"{feed.url}\n{problem_text(feed)}"))

    def _new_item(self, view: View, icon: QIcon) -> QStandardItem:
        item = QStandardItem(icon, "")
        item.setData(view.key, VIEW_ROLE)
        item.setEditable(False)
        self._items[view.key] = item
        return item

    def _update(self, data: TreeData) -> None:
        names = dict(SMART_VIEWS)
        problems = problem_feed_count(data.feeds, data.failing_accounts)
        for kind, title in names.items():
            item = self._items.get(View(kind).key)
            if item is None:
                continue
            count = problems if kind == ViewKind.PROBLEMS else data.smart_counts.get(kind, 0)
            _show(item, title, count, f"{title}, {count}")
        for search in data.searches:
            item = self._items.get(View(ViewKind.SEARCH, search.id).key)
            if item is not None:
                count = search.unread_count
                label = f"{search.name}, {count} unread"
                _show(item, search.name, count, label, search.query)
        for name, count in data.tags:
            item = self._items.get(View(ViewKind.TAG, name=name).key)
            if item is not None:
                _show(item, name, count, f"Tag {name}, {count} articles")
        folder_unread: dict[int, int] = {}
        parents = {f.id: f.parent_id for f in data.folders}
        feed_titles = feed_names(data.feeds)
        for feed in data.feeds:
            folder_id = feed.folder_id
            while folder_id is not None:
                folder_unread[folder_id] = folder_unread.get(folder_id, 0) + feed.unread_count
                folder_id = parents.get(folder_id)
            name = feed_titles[feed.id]
            problem = problem_text(feed) if has_problem(feed) else None
            path = data.icons.get(feed.id)
            row = (name, feed.unread_count, feed.url, feed.display_title, problem, path)
            if self._feed_rows.get(feed.id) == row:
                continue
            item = self._items.get(View(ViewKind.FEED, feed.id).key)
            if item is None:
                continue
            self._feed_rows[feed.id] = row
            tip = f"{name}\n{feed.url}"
            if problem is not None:
                tip += f"\nLast error: {problem}"
            made_from = f"{path or ''}|{tile_letter(feed.display_title)}|{tile_colour(feed.url)}"
            item.setData("2" + name.casefold(), SORT_ROLE)
            self._show_icon(item, feed, path, made_from)
            _show(item, name, feed.unread_count, f"{name}, {feed.unread_count} unread", tip)
        for folder in data.folders:
            item = self._items.get(View(ViewKind.FOLDER, folder.id).key)
            if item is not None:
                count = folder_unread.get(folder.id, 0)
                _show(item, folder.name, count, f"{folder.name}, {count} unread")

    def _show_icon(
        self, item: QStandardItem, feed: Feed, path: Path | None, made_from: str
    ) -> None:
        """The feed's cached icon, else its letter tile; made again only when what it is
        made from (`made_from`: the icon file, the tile's letter and colour) changed (an icon
        arrived, a first fetch named the feed)."""
        if item.data(ICON_ROLE) != made_from:
            item.setData(made_from, ICON_ROLE)
            if path is not None and not self._icons.known(path):
                if self._decoder is None:
                    self._icons.decoded(path, decode_icon(path))
                else:
                    self._wanted.add(path)  # the tile until the icon is decoded
            item.setIcon(self._icons.icon(feed.display_title, feed.url, path))

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Drags carry the feed id, so a drop never depends on the current selection."""
        mime = QMimeData()
        for index in indexes:
            view = View.from_key(str(index.data(VIEW_ROLE)))
            if view is not None and view.kind == ViewKind.FEED:
                mime.setData(FEED_MIME, str(view.id).encode())
                break
        return mime

    def mimeTypes(self) -> list[str]:
        return [FEED_MIME]


def view_at(index: QModelIndex | QPersistentModelIndex) -> View | None:
    return View.from_key(str(index.data(VIEW_ROLE))) if index.isValid() else None


class FeedTree(QTreeView):
    """The feed panel's view: selection is a `View`; right click and drops become signals."""

    view_selected = Signal(object)  # View
    context_requested = Signal(object, QPoint)  # View, global position
    feed_dropped = Signal(int, object)  # feed id, folder id or None (top level)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree_model = FeedTreeModel(self)
        self.setModel(self.tree_model)
        self.setHeaderHidden(True)
        self.setAccessibleName("Feeds")
        self.setUniformRowHeights(True)
        # One column as wide as the panel (see updateGeometries): names elide, counts stay
        # whole at the right edge.
        self.setItemDelegate(CountDelegate(self))
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.header().setStretchLastSection(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context)
        self.selectionModel().currentChanged.connect(self._on_current)

    def updateGeometries(self) -> None:
        """The one column is as wide as the viewport, also after a vertical scroll bar came
        or went (a hidden header's Stretch section kept its old width, and the counts at the
        right edge lay under the scroll bar)."""
        super().updateGeometries()
        if self.columnWidth(0) != self.viewport().width():
            self.header().resizeSection(0, self.viewport().width())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A right click opens the menu of the row under the cursor (`context_requested`)
        without selecting it: the view, its list and the reader stay as they were."""
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            return
        super().mousePressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """No type-ahead: single letters are the app's shortcuts, never a jump to a feed
        (a `p` once selected "Python Insider" and changed the view)."""

    def current_view(self) -> View | None:
        return view_at(self.currentIndex())

    def select_view(self, view: View) -> bool:
        index = self.tree_model.index_for(view)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def populate(self, data: TreeData) -> None:
        current = self.current_view()
        problems = self.tree_model.index_for(View(ViewKind.PROBLEMS))
        problems_open = problems.isValid() and self.isExpanded(problems)
        self.selectionModel().blockSignals(True)
        try:
            rebuilt = self.tree_model.populate(data, self.style())
            if rebuilt == Rebuilt.TREE:
                self.expandAll()
                # the problems stay folded unless the user opened them: hundreds of failing
                # feeds must never push the real ones off screen
                self.setExpanded(self.tree_model.index_for(View(ViewKind.PROBLEMS)), problems_open)
            elif rebuilt == Rebuilt.PROBLEMS:
                for group in self.tree_model.problem_groups():
                    self.setExpanded(group, True)
            if rebuilt != Rebuilt.NOTHING and current is not None:
                index = self.tree_model.index_for(current)
                if index.isValid():
                    self.setCurrentIndex(index)
        finally:
            self.selectionModel().blockSignals(False)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        view = view_at(current)
        if view is not None:
            self.view_selected.emit(view)

    def _on_context(self, pos: QPoint) -> None:
        view = view_at(self.indexAt(pos))
        if view is not None:
            self.context_requested.emit(view, self.viewport().mapToGlobal(pos))

    # --- drag and drop --------------------------------------------------------------------

    def drop_target(self, pos: QPoint) -> tuple[bool, int | None]:
        """(accepted, folder id) for a drop at `pos`: a folder, a feed's folder, or the top."""
        view = view_at(self.indexAt(pos))
        if view is None:
            return True, None
        if view.kind == ViewKind.FOLDER:
            return True, view.id
        if view.kind == ViewKind.FEED:
            parent = view_at(self.indexAt(pos).parent())
            if parent is None:
                return True, None
            if parent.kind == ViewKind.FOLDER:
                return True, parent.id
        return False, None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(FEED_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accepted, _folder = self.drop_target(event.position().toPoint())
        if accepted and event.mimeData().hasFormat(FEED_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        raw = bytes(event.mimeData().data(FEED_MIME).data()).decode()
        accepted, folder_id = self.drop_target(event.position().toPoint())
        if not raw.isdigit() or not accepted:
            event.ignore()
            return
        # The model is not changed here: the window moves the feed in the store and repopulates.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.feed_dropped.emit(int(raw), folder_id)
