"""What the window shows, as plain values: the one `ViewState` (selected view, search, selected
article, online or not), the feed panel's data read from the store (`Panel`), the store changes
that reach the window (`StoreChange`), and the pure rules that derive texts from them.

The presenter (`gui/presenter.py`) holds one `ViewState` and one `Panel` and derives the list,
the reader, its empty-state text, the counts and the status bar from them, so no panel keeps a
copy of its own that could drift.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, replace
from pathlib import Path

from newsreader.feed_names import feed_names
from newsreader.feed_status import FAILED_ACCOUNT, has_problem, problem_feed_count
from newsreader.gui.feed_tree import TreeData
from newsreader.gui.views import ALL_VIEW, View, ViewKind, empty_message, query_for
from newsreader.model import Account, Entry, Feed, Folder
from newsreader.store import SavedSearch, Store
from newsreader.wording import agreeing, counted


@dataclass(frozen=True, slots=True)
class ViewState:
    """What the user chose to look at. Everything the panels show follows from this and the
    store."""

    view: View = ALL_VIEW
    search: str = ""
    entry_id: int | None = None  # the selected article, always one the list holds
    online: bool = True  # False after a sync in which no feed got an answer
    hide_read: frozenset[str] = frozenset()  # keys of the views that list unread articles only

    @property
    def hides_read(self) -> bool:
        return self.view.key in self.hide_read


# --- store changes: the one path by which writes reach the window -----------------------------


@dataclass(frozen=True, slots=True)
class EntriesMarked:
    """The user marked entries read/unread or starred/unstarred (only ids whose state changed).
    `read`/`starred` is the new state, None when that flag was not touched."""

    ids: tuple[int, ...]
    read: bool | None = None
    starred: bool | None = None


@dataclass(frozen=True, slots=True)
class CommentsChanged:
    """The comments of one entry changed (written, edited, deleted, fetched)."""

    entry_id: int


@dataclass(frozen=True, slots=True)
class FeedsChanged:
    """Subscriptions, folders, titles or feed settings changed: panel and list are re-read."""


@dataclass(frozen=True, slots=True)
class SyncWrote:
    """A sync (or a subscribe's first fetch) wrote entries or feed states: re-read on the
    background store thread, since the writes may be large."""


StoreChange = EntriesMarked | CommentsChanged | FeedsChanged | SyncWrote


# --- the feed panel -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Panel:
    """What the feed panel shows: all feeds (with unread counts), the folders, the tree of the
    visible ones and the feeds' cached icons. `hidden` feeds (being unsubscribed, still
    undoable) are left out of the tree and counts."""

    feeds: list[Feed]
    folders: list[Folder]
    tree: TreeData
    hidden: frozenset[int] = frozenset()

    @property
    def visible(self) -> Sequence[Feed]:
        return self.tree.feeds

    @property
    def unread(self) -> int:
        return self.tree.smart_counts.get(ViewKind.ALL, 0)

    @property
    def problems(self) -> list[Feed]:
        """The visible feeds with a problem of their own (not through their account)."""
        return [f for f in self.visible if has_problem(f)]

    @property
    def failing_accounts(self) -> Sequence[Account]:
        """Feed-server accounts whose last sync failed."""
        return self.tree.failing_accounts

    @property
    def problem_count(self) -> int:
        """The visible feeds Feed problems lists: their own problem or their account's."""
        return problem_feed_count(self.visible, self.failing_accounts)

    def failing_account_of(self, feed: Feed) -> Account | None:
        """The feed's feed-server account when its last sync failed (its articles are then
        not brought in, whatever the feed itself)."""
        return next((a for a in self.failing_accounts if a.id == feed.account_id), None)

    def marked(
        self,
        entries: Sequence[Entry],
        change: EntriesMarked,
        searches: Sequence[SavedSearch] | None = None,
    ) -> Panel:
        """The panel after `change` to `entries` (their state after the write), worked out
        without reading the store: each entry changed its flag, so counts move by one. Which
        saved searches hold an entry is the store's to say: `searches`, read again after the
        write (their kept counts, one cheap read), replaces theirs when given."""
        counts = dict(self.tree.smart_counts)
        feeds = self.feeds
        if change.read is not None:
            step = -1 if change.read else 1
            per_feed = Counter(e.feed_id for e in entries)
            feeds = [
                replace(f, unread_count=max(0, f.unread_count + step * per_feed[f.id]))
                if f.id in per_feed
                else f
                for f in feeds
            ]
        if change.starred is not None:
            step = 1 if change.starred else -1
            counts[ViewKind.STARRED] = max(0, counts.get(ViewKind.STARRED, 0) + step * len(entries))
        return panel_of(
            feeds,
            self.folders,
            counts,
            self.tree.icons,
            self.hidden,
            self.tree.searches if searches is None else searches,
            self.tree.tags,
            self.tree.failing_accounts,
        )

    def name_of(self, feed: Feed) -> str:
        """The feed's name as the tree lists it: told apart from a visible feed of the same
        title ("Blog (alpha.example)", `newsreader.feed_names`)."""
        return feed_names([*(f for f in self.visible if f.id != feed.id), feed])[feed.id]

    @property
    def search_texts(self) -> dict[int, str]:
        """The saved searches' texts by id."""
        return {s.id: s.query for s in self.tree.searches}


def panel_of(
    feeds: list[Feed],
    folders: list[Folder],
    counts: Mapping[ViewKind, int],
    icons: dict[int, Path],
    hidden: Set[int],
    searches: Sequence[SavedSearch] = (),
    tags: Sequence[tuple[str, int]] = (),
    failing_accounts: Sequence[Account] = (),
) -> Panel:
    """A panel whose All/Unread counts are the visible feeds' unread sum."""
    visible = [f for f in feeds if f.id not in hidden]
    unread = sum(f.unread_count for f in visible)
    smart = {**counts, ViewKind.ALL: unread, ViewKind.UNREAD: unread}
    tree = TreeData(
        visible,
        folders,
        smart,
        icons,
        searches=tuple(searches),
        tags=tuple(tags),
        failing_accounts=tuple(failing_accounts),
    )
    return Panel(feeds, folders, tree, frozenset(hidden))


def read_panel(store: Store, images: Path, hidden: Set[int]) -> Panel:
    """Reads the feed panel from `store` (the GUI thread's or the background thread's)."""
    feeds = store.list_feeds()
    folders = store.list_folders()
    counts = {
        kind: store.count_entries(query_for(View(kind), feeds, hidden))
        for kind in (ViewKind.STARRED, ViewKind.COMMENTED)
    }
    icon_urls = {f.id: f.icon_url for f in feeds if f.id not in hidden and f.icon_url}
    cached = store.cached_images(list(icon_urls.values()))  # one read for all the feeds
    icons: dict[int, Path] = {}
    for feed_id, url in icon_urls.items():
        if (image := cached.get(url)) is not None:
            path = Path(image.path)
            icons[feed_id] = path if path.is_absolute() else images / path
    searches = store.list_saved_searches()  # with unread counts: a query each, ~ms
    failing = [a for a in store.list_accounts() if a.status in FAILED_ACCOUNT]
    return panel_of(feeds, folders, counts, icons, hidden, searches, store.list_tags(), failing)


# --- derived texts ------------------------------------------------------------------------------


def count_text(rows: int, complete: bool, articles: int | None = None) -> str:
    """The status bar's count: "48 articles", or "300+ articles" while the rest is read;
    "20 articles in 10 rows" when the rows stand for more articles (a story as one row)."""
    more = "" if complete else "+"  # counted so far
    shown = rows if articles is None else articles
    text = f"{shown:,}{more} {agreeing(shown, 'article')}"
    if articles is not None and articles != rows:
        text += f" in {rows:,}{more} {agreeing(rows, 'row')}"
    return text


def _failing_feed(view: View, panel: Panel) -> Feed | None:
    """The feed a feed view shows when its last fetch failed (its error is then why the
    view is empty, not "they arrive with the next refresh")."""
    if view.kind != ViewKind.FEED:
        return None
    feed = next((f for f in panel.feeds if f.id == view.id), None)
    return feed if feed is not None and feed.last_error else None


def reader_message(
    state: ViewState, panel: Panel, rows: int, complete: bool, articles: int | None = None
) -> str:
    """What the reader says while no article is selected: why the view is empty and what to
    do, or how many articles it lists and how to open one."""
    view, searching = state.view, bool(state.search)
    if view.kind == ViewKind.PROBLEMS and (problems := panel.problem_count) and not searching:
        return (
            f"{counted(problems, 'feed')} with a problem, listed under Feed problems on "
            "the left. Select one to see what went wrong and to retry it."
        )
    if rows == 0 and not searching and (failing := _failing_feed(view, panel)) is not None:
        return (
            f"No articles here: the last fetch of this feed failed ({failing.last_error}). "
            "Retry now, above, tries again."
        )
    if rows == 0:
        return empty_message(view, searching=searching, has_feeds=bool(panel.visible))
    if panel.unread == 0:  # N would find nothing
        return (
            f"{count_text(rows, complete, articles)} here, all read. Select one to read it again."
        )
    return (
        f"{count_text(rows, complete, articles)} here. Select one to read it, or press n for "
        "the next unread one."
    )
