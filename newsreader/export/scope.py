"""What to export: selected articles, a feed, a folder, Starred, a search, a date range.

`ExportScope` is what the user chose; `resolve_ids` turns it into entry ids through the store
(only ids: the articles themselves are read in batches while writing, so memory stays flat).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from newsreader.errors import ExportError
from newsreader.model import Folder
from newsreader.store import EntryQuery

NOTHING_CHOSEN = (
    "nothing chosen to export: give --entry, --story, --feed, --folder, --starred, --search, "
    "--since or --until"
)

if TYPE_CHECKING:
    from newsreader.store import Store


@dataclass(frozen=True, slots=True)
class ExportScope:
    """Filters combine with AND; `entry_ids` alone keeps the given order, other scopes export
    oldest first. `story_id` is a story's id (`newsreader stories`): its articles."""

    entry_ids: tuple[int, ...] = ()
    story_id: int | None = None
    feed_id: int | None = None
    folder: str | None = None  # a folder name, or a path "Parent/Child"
    starred: bool = False
    search: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive: with `since`, a date range

    @property
    def is_empty(self) -> bool:
        return not (
            self.entry_ids
            or self.story_id is not None
            or self.feed_id is not None
            or self.folder
            or self.starred
            or self.search
            or self.since is not None
            or self.until is not None
        )


def parse_date(text: str) -> datetime:
    """A date (YYYY-MM-DD, midnight UTC) or an ISO 8601 date-time (naive means UTC)."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ExportError(
            f"not a date: {text!r} (use YYYY-MM-DD or an ISO date-time such as "
            "2024-05-01T08:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def resolve_ids(store: Store, scope: ExportScope) -> list[int]:
    """The ids of the entries in `scope`; `ExportError` for an empty scope or unknown names."""
    if scope.is_empty:
        raise ExportError(NOTHING_CHOSEN)
    if scope.feed_id is not None:
        store.get_feed(scope.feed_id)  # NotFoundError names a missing feed
    query = EntryQuery(
        feed_ids=(scope.feed_id,) if scope.feed_id is not None else None,
        folder_id=find_folder(store.list_folders(), scope.folder).id if scope.folder else None,
        starred_only=scope.starred,
        search=scope.search or None,
        since=scope.since,
        until=scope.until,
        descending=False,
    )
    if not scope.entry_ids and scope.story_id is None:
        return store.entry_ids(query)
    known = {entry.id for entry in store.entries_by_ids(scope.entry_ids)}
    missing = [str(i) for i in scope.entry_ids if i not in known]
    if missing:
        raise ExportError(f"no article with id {', '.join(missing)}")
    ordered = list(dict.fromkeys(scope.entry_ids))
    if scope.story_id is not None:
        told = store.story_entry_ids(scope.story_id)
        if not told:
            raise ExportError(
                f"no story with id {scope.story_id} (`newsreader stories` lists them)"
            )
        ordered = [i for i in ordered if i in set(told)] if ordered else told
    if query == EntryQuery(descending=False):
        return ordered
    matching = set(store.entry_ids(query))
    return [i for i in ordered if i in matching]


def find_folder(folders: list[Folder], name: str) -> Folder:
    """The folder called `name` (case-insensitive), or at path "A/B"; clear error otherwise."""
    by_id = {folder.id: folder for folder in folders}

    def path(folder: Folder) -> str:
        parts = [folder.name]
        seen = {folder.id}
        while folder.parent_id is not None and folder.parent_id in by_id:
            folder = by_id[folder.parent_id]
            if folder.id in seen:
                break
            seen.add(folder.id)
            parts.append(folder.name)
        return "/".join(reversed(parts))

    wanted = name.strip().strip("/").casefold()
    matches = [f for f in folders if path(f).casefold() == wanted]
    if not matches:
        matches = [f for f in folders if f.name.casefold() == wanted]
    if not matches:
        known = ", ".join(sorted(path(f) for f in folders)) or "none"
        raise ExportError(f"no folder named {name!r} (folders: {known})")
    if len(matches) > 1:
        paths = ", ".join(sorted(path(f) for f in matches))
        raise ExportError(f"several folders are named {name!r}: {paths}; give its path")
    return matches[0]
