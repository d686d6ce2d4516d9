"""What the feed panel can select, and the store query each selection shows.

A `View` is a plain value so it can be saved (window state) and compared (keeping the selection
when the feed tree is rebuilt).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, replace
from enum import StrEnum

from newsreader.feed_status import has_problem
from newsreader.model import Feed
from newsreader.store import EntryQuery


class ViewKind(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    STARRED = "starred"
    COMMENTED = "commented"
    PROBLEMS = "problems"
    FOLDER = "folder"
    FEED = "feed"
    SEARCH = "search"  # a saved search, by id
    TAG = "tag"  # a tag, by name


SMART_VIEWS: tuple[tuple[ViewKind, str], ...] = (
    (ViewKind.ALL, "All"),
    (ViewKind.UNREAD, "Unread"),
    (ViewKind.STARRED, "Starred"),
    (ViewKind.COMMENTED, "Commented"),
    (ViewKind.PROBLEMS, "Feed problems"),
)


@dataclass(frozen=True, slots=True)
class View:
    kind: ViewKind
    id: int | None = None  # the folder, feed or saved search id for FOLDER, FEED and SEARCH
    name: str | None = None  # the tag of TAG

    @property
    def key(self) -> str:
        if self.name is not None:
            return f"{self.kind.value}:{self.name}"
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"

    @classmethod
    def from_key(cls, key: str) -> View | None:
        """The view a saved key names, or None when the key is not one we write."""
        kind_text, _, id_text = key.partition(":")
        try:
            kind = ViewKind(kind_text)
        except ValueError:
            return None
        if kind == ViewKind.TAG:
            return cls(kind, name=id_text) if id_text else None
        if kind in (ViewKind.FOLDER, ViewKind.FEED, ViewKind.SEARCH):
            return cls(kind, int(id_text)) if id_text.isdigit() else None
        return cls(kind) if not id_text else None


ALL_VIEW = View(ViewKind.ALL)


def problem_feed_ids(feeds: Sequence[Feed]) -> tuple[int, ...]:
    return tuple(f.id for f in feeds if has_problem(f))


EMPTY_VIEWS = {
    ViewKind.UNREAD: "All read. New articles arrive with the next refresh (r).",
    ViewKind.STARRED: "No starred articles. Star one with s to keep it here.",
    ViewKind.COMMENTED: "No commented articles. Write a comment (c) on one to find it here.",
    ViewKind.PROBLEMS: "No feed problems: every feed was fetched fine the last time.",
}


def combined_search(saved: str | None, typed: str) -> str | None:
    """A saved search narrowed by what is typed in the filter box: both must match."""
    if saved and typed:
        return f"({saved}) ({typed})"
    return saved or typed or None


def empty_message(view: View, *, searching: bool, has_feeds: bool) -> str:
    """What the reader says when a view lists nothing: why, and what to do about it."""
    if searching:
        return "No articles match this search."
    if not has_feeds:
        return (
            "You follow no feeds yet. Add one with Add feed (Ctrl+N), or bring your list "
            "from another reader with File → Import OPML…"
        )
    return EMPTY_VIEWS.get(
        view.kind, "No articles here yet. They arrive with the next refresh (r)."
    )


def query_for(
    view: View,
    feeds: Sequence[Feed],
    hidden: Set[int] = frozenset(),
    searches: Mapping[int, str] | None = None,
) -> EntryQuery:
    """The entries a view lists, newest first. `hidden` feeds (being unsubscribed, still
    undoable) are left out; `searches` holds the saved searches' texts by id."""
    visible = [f for f in feeds if f.id not in hidden]
    match view.kind:
        case ViewKind.SEARCH:
            text = (searches or {}).get(view.id or 0)
            # A saved search that is gone lists nothing (the window then goes back to All).
            query = EntryQuery(search=text) if text else EntryQuery(feed_ids=())
        case ViewKind.TAG:
            query = EntryQuery(tag=view.name)
        case ViewKind.UNREAD:
            query = EntryQuery(unread_only=True)
        case ViewKind.STARRED:
            query = EntryQuery(starred_only=True)
        case ViewKind.COMMENTED:
            query = EntryQuery(commented_only=True)
        case ViewKind.PROBLEMS:
            return EntryQuery(feed_ids=problem_feed_ids(visible))
        case ViewKind.FOLDER:
            query = EntryQuery(folder_id=view.id)
        case ViewKind.FEED:
            return EntryQuery(feed_ids=() if view.id in hidden or view.id is None else (view.id,))
        case _:
            query = EntryQuery()
    return replace(query, feed_ids=tuple(f.id for f in visible)) if hidden else query
