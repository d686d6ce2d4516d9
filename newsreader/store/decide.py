"""What to do with a fetched feed's entries, decided from plain values (no I/O).

The store reads what it knows of the feed's entries (`Known`), hands them with the incoming
rows to `decide_entries`, and applies the returned `EntryIntents` in its transaction. The
split follows lemon24/reader's `_update.Decider`: a decision that touches no database is
tested with plain values, and the writer only does what it is told.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

HASH_CHANGED_LIMIT = 24
"""How many times in a row an entry is rewritten because its content changed while its
`updated` date did not (a page that embeds the time, a rotating ad or tracking token): past
this, such changes are ignored until the feed dates a change. reader's value and rule
(lemon24/reader, `HASH_CHANGED_LIMIT`, its issue #225)."""


FUTURE_TOLERANCE = 10 * 60
"""Seconds an entry's date may lie past the fetch that wrote it (clock skew between the
publisher and this machine) before the entry is dated at that fetch instead (`sort_date`)."""


def sort_date(published: int | None, updated: int | None, first_seen: int, fetched: int) -> int:
    """The date an entry is listed, sorted and shown on (unix s): published, else updated,
    else when it was first seen; a date more than `FUTURE_TOLERANCE` after `fetched` (the
    fetch writing it) is taken as `fetched`: a pubDate of next year would otherwise keep the
    entry at the top of every list for months (RSS Guard, NetNewsWire and Feedbin limit such
    dates to the fetch time). The feed's own dates stay in `published` and `updated`."""
    date = published if published is not None else first_seen if updated is None else updated
    return fetched if date > fetched + FUTURE_TOLERANCE else date


class Incoming(Protocol):
    """An entry as the feed now has it."""

    @property
    def guid(self) -> str: ...
    @property
    def link(self) -> str | None: ...
    @property
    def content_hash(self) -> object: ...
    @property
    def updated(self) -> int | None: ...
    @property
    def title(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Known:
    """A stored entry of the feed, as far as the decision needs it (times in unix s)."""

    id: int
    guid: str
    link: str | None
    title: str | None
    content_hash: str
    first_seen: int
    comment_count: int | None
    updated: int | None
    hash_changes: int  # content-only rewrites in a row (see HASH_CHANGED_LIMIT)


R = TypeVar("R", bound=Incoming)


@dataclass(frozen=True, slots=True)
class Update(Generic[R]):
    """Rewrite `known` with `row`; `hash_changes` is the counter to store with it."""

    known: Known
    row: R
    hash_changes: int


@dataclass(frozen=True, slots=True)
class EntryIntents(Generic[R]):
    inserts: list[R]
    updates: list[Update[R]]
    skipped_purged: int  # in the feed, but the user's purge removed them: not added again
    over_limit: int  # content changed, update date did not, HASH_CHANGED_LIMIT reached


def decide_entries(
    rows: Sequence[R], known: Iterable[Known], purged: Collection[str]
) -> EntryIntents[R]:
    """Which incoming rows are new, which rewrite a stored entry, which are skipped.

    A row is the stored entry with its guid (the parser makes an item's link its guid when it
    has none). Distinct guids are distinct entries, even at one link: a live blog's or a
    podcast's items all link one page. The one exception is a feed that changed an
    article's id (a new scheme, a rebuilt site): a row whose guid is unknown takes over the
    stored entry at its link when that entry's guid is no longer in the feed, the title is
    the same, and neither the feed nor the store has another entry at that link; anything
    less sure is a new entry (a duplicate can be deleted, an overwritten article is lost).
    A matched entry is rewritten when its guid or content changed, except a content-only
    change (same `updated`) past HASH_CHANGED_LIMIT in a row. An unmatched row whose guid
    the user purged is skipped.
    """
    by_guid: dict[str, Known] = {}
    by_link: dict[str, list[Known]] = {}
    for entry in known:
        by_guid[entry.guid] = entry
        if entry.link is not None:
            by_link.setdefault(entry.link, []).append(entry)
    incoming = {row.guid for row in rows}
    links_in_feed = Counter(row.link for row in rows if row.link is not None)
    taken: set[int] = set()
    inserts: list[R] = []
    updates: list[Update[R]] = []
    skipped = over_limit = 0
    for row in rows:
        match = by_guid.get(row.guid)
        if match is None and row.link is not None and links_in_feed[row.link] == 1:
            match = _renamed(row, by_link.get(row.link, ()), incoming, taken)
        if match is None:
            if row.guid in purged:
                skipped += 1
            else:
                inserts.append(row)
            continue
        taken.add(match.id)
        if match.guid != row.guid or row.updated != match.updated:
            updates.append(Update(match, row, 0))  # a dated change (the hash holds the date)
        elif match.content_hash != row.content_hash:
            if match.hash_changes >= HASH_CHANGED_LIMIT:
                over_limit += 1
            else:
                updates.append(Update(match, row, match.hash_changes + 1))
    return EntryIntents(inserts, updates, skipped, over_limit)


def _renamed(
    row: Incoming, at_link: Sequence[Known], incoming: Collection[str], taken: Collection[int]
) -> Known | None:
    """The stored entry `row` is under a new guid (see `decide_entries`), or None."""
    if len(at_link) != 1:
        return None
    [candidate] = at_link
    if candidate.guid in incoming or candidate.id in taken or candidate.title != row.title:
        return None
    return candidate
