"""Matching queued entries to stories, reading stories (articles from several feeds on one
event) and storing key points.

Ingest queues each written entry (`story_queue`); `match_queued_stories` puts them into
stories (`storyindex.StoryIndex`) in batches after the feeds are written. Here stories are
also read: an entry's story and copies, story sizes for a page of the article list, and the
list of stories. Key points are computed by the caller (`newsreader.stories`) off the
GUI thread and stored with the hash of the text they came from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from newsreader.errors import NotFoundError
from newsreader.store.codec import to_ts
from newsreader.store.db import StoreBase
from newsreader.store.entries import chunks, placeholders
from newsreader.store.storyindex import queued_input
from newsreader.store.text import index_text
from newsreader.store.types import EntryStory, Story
from newsreader.stories.headline import headline
from newsreader.stories.keypoints import key_points, text_hash

_ARTICLE = "LEFT JOIN full_texts ft ON ft.entry_id = e.id AND ft.status = 'ok'"
_SOURCE_COLUMNS = "ft.content AS article, e.content, e.summary"


def key_point_source(article: str | None, content: str | None, summary: str | None) -> str:
    """The HTML key points are taken from: the full article fetched from the entry's page,
    else the feed's content, else its summary ("" when there is none). When the article
    arrives (or changes) the text's hash changes and the key points are made again."""
    return article or content or summary or ""


STORY_BATCH = 500
"""Queued entries matched in one write transaction: ~0.1-0.3 s of the writer on the sync
benchmark's look-alike articles, so a user's mark or star waits at most that long."""

_ORDER = (
    "SELECT q.entry_id FROM story_queue q CROSS JOIN entries e ON e.id = q.entry_id "
    "ORDER BY e.sort_date, e.id"
)
"""The queue, oldest first. Read from the queue's side (CROSS JOIN keeps that order of the
loops): walking the entries by date to find the queued ones walked a whole store of older
matched entries before the new ones of a sync, for every batch."""
_QUEUED = "SELECT id, feed_id, sort_date, title, summary, NULL, language FROM entries WHERE id IN "
"""The content is left out (often long HTML): it is read only for an entry whose summary has
no text (`storyindex.queued_input`)."""


_LEAVING: dict[str, frozenset[int]] = {}
"""The feeds being unsubscribed, by store file, in this process (`set_leaving_feeds`)."""


class _QueueOrder:
    """The queued entry ids in the order they are matched (oldest first), read once for the
    batches of a run rather than sorted afresh for each batch. Read again whenever the store
    may have changed behind it: another connection committed (`data_version`) or this one
    wrote anything besides the batches (`total_changes`, as it stood when the last batch
    committed)."""

    def __init__(self) -> None:
        self._ids: list[int] = []
        self._next = 0
        self._seen: tuple[int, int] | None = None

    def take(self, conn: sqlite3.Connection, limit: int) -> list[int]:
        """The next `limit` queued entry ids (call inside the batch's write transaction)."""
        if self._state(conn) != self._seen or self._next >= len(self._ids):
            self._ids = [entry_id for (entry_id,) in conn.execute(_ORDER)]
            self._next = 0
        taken = self._ids[self._next : self._next + limit]
        self._next += len(taken)
        return taken

    def committed(self, conn: sqlite3.Connection) -> None:
        """The batch taken last is committed: the rest of the order still holds until the
        store changes."""
        self._seen = self._state(conn)

    def forget(self) -> None:
        self._seen = None

    @staticmethod
    def _state(conn: sqlite3.Connection) -> tuple[int, int]:
        return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


class StoryMixin(StoreBase):
    _queue_order: _QueueOrder | None = None

    def match_queued_stories(self, limit: int = STORY_BATCH) -> int:
        """Puts the oldest `limit` queued entries into stories, in one transaction, and
        takes them off the queue; returns how many (0: the queue is empty). Call it until it
        returns 0; each call is short, so other writes wait little."""
        order = self._queue_order
        if order is None:
            order = self._queue_order = _QueueOrder()
        alone = self._depth == 0  # this call commits its own transaction
        try:
            with self._write() as conn:
                rows = self._queued_rows(conn, order.take(conn, limit))
                items = [queued_input(*row) for row in rows]
                blank = [i.entry_id for i in items if not i.text.strip()]  # lead: the content
                if blank:
                    contents: dict[int, str | None] = {}
                    for part in chunks(blank):
                        contents.update(
                            conn.execute(
                                "SELECT id, content FROM entries "
                                f"WHERE id IN ({placeholders(len(part))})",
                                part,
                            ).fetchall()
                        )
                    items = [
                        replace(i, text=index_text(contents[i.entry_id]))
                        if i.entry_id in contents
                        else i
                        for i in items
                    ]
                self._stories.add(items)
                conn.executemany(
                    "DELETE FROM story_queue WHERE entry_id = ?", [(r[0],) for r in rows]
                )
        except BaseException:
            order.forget()
            raise
        if alone:
            order.committed(self._conn)
        else:  # the caller's transaction may still roll the batch back
            order.forget()
        return len(rows)

    @staticmethod
    def _queued_rows(conn: sqlite3.Connection, ids: list[int]) -> list[tuple[Any, ...]]:
        """What matching reads of these entries (see `storyindex.queued_input`)."""
        rows: list[tuple[Any, ...]] = []
        for part in chunks(ids):
            rows += conn.execute(f"{_QUEUED}({placeholders(len(part))})", part)
        return rows

    def story_queue_size(self) -> int:
        """How many entries wait to be put into stories."""
        return int(self._scalar("SELECT count(*) FROM story_queue") or 0)

    def entry_story(self, entry_id: int) -> EntryStory | None:
        """The entry's story, or None when no other article is in it (or the entry was never
        matched: entries older than the backfill when stories were introduced)."""
        row = self._row(
            "SELECT story_id, coalesce(copy_of, entry_id) AS copy_group FROM entry_stories "
            "WHERE entry_id = ?",
            (entry_id,),
        )
        if row is None:
            return None
        others = self._rows(
            "SELECT st.entry_id, coalesce(st.copy_of, st.entry_id) AS copy_group "
            "FROM entry_stories st JOIN entries e ON e.id = st.entry_id "
            f"WHERE st.story_id = ? AND st.entry_id != ?{self._not_leaving()} "
            "ORDER BY e.sort_date, e.id",
            (row["story_id"], entry_id),
        )
        if not others:
            return None
        return EntryStory(
            id=row["story_id"],
            entries=tuple(r["entry_id"] for r in others),
            copies=tuple(r["entry_id"] for r in others if r["copy_group"] == row["copy_group"]),
        )

    def set_leaving_feeds(self, feed_ids: Collection[int]) -> None:
        """The feeds being unsubscribed: the window hides a feed it unsubscribes from (the
        step can still be undone) and deletes it when it closes. Until then every `Store` of
        this file in this process leaves their articles out of stories: a story's sources,
        its articles, its title and the list of stories, as if the feed were gone (a
        story's row said "5 sources" after one of the five was unsubscribed)."""
        _LEAVING[str(self.paths.store)] = frozenset(feed_ids)

    def _not_leaving(self, alias: str = "e") -> str:
        """A condition (" AND ...") leaving out the articles of feeds being unsubscribed."""
        leaving = _LEAVING.get(str(self.paths.store))
        if not leaving:
            return ""
        return f" AND {alias}.feed_id NOT IN ({','.join(str(int(i)) for i in sorted(leaving))})"

    def story_sizes(self, entry_ids: Sequence[int]) -> dict[int, int]:
        """For each entry that is in a story of two or more feeds: the number of feeds
        ("sources") reporting it. Entries alone are left out. Each story is counted once,
        however many of `entry_ids` it holds (a page of the article list often shows several
        articles of one large story); two queries per 500 ids."""
        sizes: dict[int, int] = {}
        for part in chunks(entry_ids):
            story_of = dict(
                self._conn.execute(
                    "SELECT entry_id, story_id FROM entry_stories "
                    f"WHERE entry_id IN ({placeholders(len(part))})",
                    tuple(part),
                ).fetchall()
            )
            stories = sorted(set(story_of.values()))
            feeds = (
                dict(
                    self._conn.execute(
                        "SELECT o.story_id, count(DISTINCT e.feed_id) FROM entry_stories o "
                        "JOIN entries e ON e.id = o.entry_id "
                        f"WHERE o.story_id IN ({placeholders(len(stories))}){self._not_leaving()} "
                        "GROUP BY o.story_id",
                        tuple(stories),
                    ).fetchall()
                )
                if stories
                else {}
            )
            sizes.update(
                (entry_id, n)
                for entry_id, story_id in story_of.items()
                if (n := feeds.get(story_id, 0)) > 1
            )
        return sizes

    def one_per_story(
        self,
        entry_ids: Sequence[int],
        keep: int | Collection[int] | None = None,
        prefer: Collection[int] = (),
    ) -> list[int]:
        """`entry_ids` with one article of each story kept, in their order: a story reported
        by several feeds becomes one row of the article list. Articles in no story (or alone
        in theirs) all stay. The article kept of a story: those of `keep` (the article being
        read and the selected ones), each standing for its story even when not listed (the
        story then gets no other row here: the caller puts them back in their places, so a
        story is not shown again by another article); else the
        first listed of `prefer` (the articles the rows show now: a row keeps showing the
        article last opened through it when the list is read again); else the first listed.
        One query per 500 ids."""
        kept = () if keep is None else (keep,) if isinstance(keep, int) else tuple(keep)
        looked_up = [*entry_ids, *kept]
        story_of: dict[int, int] = {}
        for part in chunks(looked_up):
            story_of.update(
                self._conn.execute(
                    "SELECT entry_id, story_id FROM entry_stories "
                    f"WHERE entry_id IN ({placeholders(len(part))})",
                    tuple(part),
                ).fetchall()
            )
        # A story's id is its first article's id, so an unmatched entry's own id is free.
        chosen: dict[int, int] = {}
        kept_set = set(kept)
        for entry_id in kept:
            chosen.setdefault(story_of.get(entry_id, entry_id), entry_id)
        kept_stories = set(chosen)
        preferred = prefer if isinstance(prefer, (set, frozenset)) else set(prefer)
        for entry_id in entry_ids:
            story = story_of.get(entry_id, entry_id)
            if story in kept_stories:
                continue
            held = chosen.get(story)
            if held is None or (held not in preferred and entry_id in preferred):
                chosen[story] = entry_id
        return [e for e in entry_ids if e in kept_set or chosen[story_of.get(e, e)] == e]

    def story_headline(self, story_id: int) -> str | None:
        """The title the story goes by (`stories.headline.headline`: its oldest article's
        in its most common language); None for no such story or no titled article."""
        rows = self._conn.execute(
            "SELECT e.title, e.language FROM entry_stories st JOIN entries e ON e.id = st.entry_id "
            f"WHERE st.story_id = ?{self._not_leaving()} ORDER BY e.sort_date, e.id",
            (story_id,),
        ).fetchall()
        return headline([(title, language) for title, language in rows])

    def story_entry_ids(self, story_id: int) -> list[int]:
        """The ids of the story's articles, oldest first; empty when there is no such story."""
        return [
            row[0]
            for row in self._conn.execute(
                "SELECT e.id FROM entry_stories st JOIN entries e ON e.id = st.entry_id "
                f"WHERE st.story_id = ?{self._not_leaving()} ORDER BY e.sort_date, e.id",
                (story_id,),
            )
        ]

    def story_mates(self, entry_ids: Sequence[int]) -> dict[int, list[int]]:
        """For each of these entries that shares a story with others: the story's other
        entries (the article list's row of a story shows one of them). One query per 500
        ids."""
        mates: dict[int, list[int]] = {}
        for part in chunks(entry_ids):
            for entry_id, mate in self._conn.execute(
                "SELECT s.entry_id, o.entry_id FROM entry_stories s "
                "JOIN entry_stories o ON o.story_id = s.story_id AND o.entry_id != s.entry_id "
                "JOIN entries e ON e.id = o.entry_id "
                f"WHERE s.entry_id IN ({placeholders(len(part))}){self._not_leaving()}",
                tuple(part),
            ):
                mates.setdefault(entry_id, []).append(mate)
        return mates

    def copies_of(self, entry_ids: Sequence[int], *, unread_only: bool = False) -> list[int]:
        """The near-identical copies of these entries (their reprints and what they reprint),
        the entries themselves left out; with `unread_only`, only the unread ones."""
        unread = " AND NOT e.read" if unread_only else ""
        found: set[int] = set()
        for part in chunks(entry_ids):
            found.update(
                entry_id
                for (entry_id,) in self._conn.execute(
                    # each group: an original and its copies (`copy_of` names the original);
                    # two indexed lookups, not one scan of every matched entry
                    "WITH groups AS (SELECT DISTINCT coalesce(copy_of, entry_id) AS g "
                    f"FROM entry_stories WHERE entry_id IN ({placeholders(len(part))})) "
                    "SELECT st.entry_id FROM entry_stories st JOIN entries e ON e.id = st.entry_id "
                    f"WHERE st.copy_of IN (SELECT g FROM groups){unread} "
                    "UNION SELECT st.entry_id FROM entry_stories st "
                    "JOIN entries e ON e.id = st.entry_id "
                    f"WHERE st.entry_id IN (SELECT g FROM groups){unread}",
                    tuple(part),
                )
            )
        return sorted(found - set(entry_ids))

    def list_stories(
        self, *, since: datetime | None = None, min_sources: int = 2, limit: int | None = None
    ) -> list[Story]:
        """Stories with at least `min_sources` feeds whose newest article is at or after
        `since`, newest first."""
        rows = self._rows(
            "SELECT st.story_id, group_concat(e.id) AS ids, count(DISTINCT e.feed_id) AS sources, "
            "min(e.sort_date) AS first, max(e.sort_date) AS last "
            "FROM entry_stories st JOIN entries e ON e.id = st.entry_id "
            "WHERE st.story_id IN (SELECT story_id FROM entry_stories s2 "
            f"JOIN entries e2 ON e2.id = s2.entry_id WHERE e2.sort_date >= ?){self._not_leaving()} "
            "GROUP BY st.story_id HAVING sources >= ? ORDER BY last DESC, st.story_id DESC "
            "LIMIT ?",
            (to_ts(since) or 0, max(min_sources, 1), -1 if limit is None else limit),
        )
        stories = []
        for row in rows:
            ids = [int(i) for i in row["ids"].split(",")]
            dated = self._conn.execute(
                f"SELECT id, title, language FROM entries WHERE id IN ({placeholders(len(ids))}) "
                "ORDER BY sort_date, id",
                ids,
            ).fetchall()
            stories.append(
                Story(
                    id=row["story_id"],
                    title=headline([(title, language) for _, title, language in dated]),
                    entry_ids=tuple(i for i, _, _ in dated),
                    sources=row["sources"],
                    first=datetime.fromtimestamp(row["first"], UTC),
                    last=datetime.fromtimestamp(row["last"], UTC),
                )
            )
        return stories

    def key_points(self, entry_id: int) -> list[str]:
        """The entry's key points (2-4 of its own sentences, see `stories.keypoints`) from its
        full article when one is stored (table `full_texts`), else its content, else its
        summary (see `key_point_source`): the stored ones while that text is unchanged, else
        computed now and stored. CPU work of a few milliseconds: call it off the GUI thread.
        Raises NotFoundError for an unknown entry."""
        row = self._row(
            f"SELECT {_SOURCE_COLUMNS}, e.language FROM entries e {_ARTICLE} WHERE e.id = ?",
            (entry_id,),
        )
        if row is None:
            raise NotFoundError(f"no entry with id {entry_id}")
        markup = key_point_source(row["article"], row["content"], row["summary"])
        digest = text_hash(markup)
        stored = self.stored_key_points(entry_id, digest)
        if stored is not None:
            return stored
        points = key_points(markup, row["language"])
        self.save_key_points(entry_id, digest, points)
        return points

    def current_key_points(self, entry_ids: Sequence[int]) -> dict[int, list[str]]:
        """The key points already stored for these entries and still matching their text
        (entries without any, or with stale ones, left out). Computes nothing: for the
        article list's tooltips, one query per 500 ids."""
        found: dict[int, list[str]] = {}
        for part in chunks(entry_ids):
            for entry_id, article, content, summary, digest, sentences in self._conn.execute(
                f"SELECT e.id, {_SOURCE_COLUMNS}, k.text_hash, k.sentences FROM key_points k "
                f"JOIN entries e ON e.id = k.entry_id {_ARTICLE} WHERE k.entry_id IN "
                f"({placeholders(len(part))})",
                tuple(part),
            ):
                if digest == text_hash(key_point_source(article, content, summary)):
                    found[entry_id] = [str(s) for s in json.loads(sentences)]
        return found

    def stored_key_points(self, entry_id: int, text_hash: str) -> list[str] | None:
        """The key points stored for the entry if they came from the text with this hash;
        None when there are none or the text changed since."""
        found = self._scalar(
            "SELECT sentences FROM key_points WHERE entry_id = ? AND text_hash = ?",
            (entry_id, text_hash),
        )
        return None if found is None else [str(s) for s in json.loads(found)]

    def save_key_points(self, entry_id: int, text_hash: str, sentences: Sequence[str]) -> None:
        """Stores an entry's key points and the hash of the text they were taken from."""
        with self._write() as conn:
            self._require("entries", entry_id, "entry")
            conn.execute(
                "INSERT INTO key_points(entry_id, text_hash, sentences) VALUES (?, ?, ?) "
                "ON CONFLICT(entry_id) DO UPDATE SET text_hash = excluded.text_hash, "
                "sentences = excluded.sentences",
                (entry_id, text_hash, json.dumps(list(sentences), ensure_ascii=False)),
            )
