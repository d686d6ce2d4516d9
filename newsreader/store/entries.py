"""Reading and marking entries: queries (filters, full-text search, order), statuses, tags and
related coverage."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Enclosure, Entry
from newsreader.query.ast import Node
from newsreader.store import rows
from newsreader.store.codec import to_ts
from newsreader.store.db import StoreBase
from newsreader.store.pending import queue_item_changes
from newsreader.store.query_sql import HIDDEN, compile_search, parsed_search, pattern_failure
from newsreader.store.schema import ID_MASK, search_key
from newsreader.store.search import RANK, related_expression, title_terms
from newsreader.store.text import fold_case
from newsreader.store.types import EntryQuery

T = TypeVar("T")
CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
RELATED_TERMS = 5
RELATED_DAYS = 30
RELATED_CANDIDATES = 100  # matches scored on each side of the entry's date
RANK_WINDOW = 5000
"""Search by relevance ranks the newest this many matches (all of them, for most words)."""

_FOLDER_FEEDS = (
    "e.feed_id IN (SELECT id FROM feeds WHERE folder_id IN ("
    "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT folders.id FROM folders "
    "JOIN sub ON folders.parent_id = sub.id) SELECT id FROM sub))"
)
_USER_COMMENTED = (
    "EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id AND c.origin = 'user' "
    "AND NOT c.deleted)"
)


def chunks(ids: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def placeholders(count: int) -> str:
    """`?, ?, ?` for an `IN (...)` list of `count` parameters."""
    return ", ".join("?" * count)


class _Sql:
    """The FROM/WHERE/ORDER parts of an entry query and their parameters.

    With a search, the full-text index drives the query and entries are joined by the id in
    its key; ordered by date, that is the index's own order (see `SEARCH_KEY_SQL`), so the
    newest matches come without sorting them all.
    """

    def __init__(
        self, query: EntryQuery, *, hidden_exist: bool, now: datetime, tree: Node | None = None
    ) -> None:
        """`tree`: a search tree to use instead of `query.search` (already parsed)."""
        self.query = query
        self.where: list[str] = []
        self.params: list[Any] = []
        self.match: str | None = None
        shows_hidden = False
        self.joins = "FROM entries e"
        if tree is None and query.search is not None:
            tree = parsed_search(query.search)
        if tree is not None:
            compiled = compile_search(tree, now)
            self.match = compiled.match
            shows_hidden = compiled.shows_hidden
            if compiled.match is not None:
                self._drive_by_index(compiled.match, compiled.keys)
            self.where.extend(compiled.where)
            self.params.extend(compiled.params)
        if hidden_exist and not shows_hidden:
            self.where.append(f"NOT ({HIDDEN})")
        if query.order == "source":
            self.joins += " JOIN feeds f ON f.id = e.feed_id"
        if query.feed_ids is not None:
            self.where.append(f"e.feed_id IN ({placeholders(len(query.feed_ids))})")
            self.params.extend(query.feed_ids)
        if query.folder_id is not None:
            self.where.append(_FOLDER_FEEDS)
            self.params.append(query.folder_id)
        if query.unread_only:
            self.where.append("e.read = 0")
        if query.starred_only:
            self.where.append("e.starred = 1")
        if query.commented_only:
            self.where.append(_USER_COMMENTED)
        if query.tag is not None:
            self.where.append(
                "EXISTS (SELECT 1 FROM entry_tags t "
                "WHERE t.entry_id = e.id AND newsreader_fold(t.tag) = ?)"
            )
            self.params.append(fold_case(query.tag))
        if query.since is not None:
            self.where.append("e.sort_date >= ?")
            self.params.append(to_ts(query.since))
        if query.until is not None:
            self.where.append("e.sort_date < ?")
            self.params.append(to_ts(query.until))

    def _drive_by_index(self, expression: str, keys: tuple[int | None, int | None]) -> None:
        """Joins the matches of an FTS5 expression, read only between `keys` (the search
        keys the search's dates allow, see `CompiledSearch`)."""
        self.joins = (
            "FROM entries_fts JOIN entries e INDEXED BY entries_search "
            f"ON e.id = (entries_fts.rowid & {ID_MASK})"
        )
        self.where.append("entries_fts MATCH ?")
        self.params.append(expression)
        low, high = keys
        if low is not None:
            self.where.append("entries_fts.rowid >= ?")
            self.params.append(low)
        if high is not None:
            self.where.append("entries_fts.rowid <= ?")
            self.params.append(high)
        if self.query.order == "relevance":
            # Ranking scores every match; a word found in most entries would cost
            # hundreds of milliseconds, so only the newest RANK_WINDOW matches compete.
            self.where.append(
                "entries_fts.rowid >= (SELECT coalesce(min(rowid), 0) FROM (SELECT rowid "
                "FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT ?))"
            )
            self.params.extend((expression, RANK_WINDOW))

    def select(self, columns: str, *, ordered: bool = True) -> tuple[str, list[Any]]:
        sql = f"SELECT {columns} {self.joins}"
        if self.where:
            sql += " WHERE " + " AND ".join(self.where)
        params = list(self.params)
        if ordered:
            sql += " ORDER BY " + self._order()
            if self.query.limit is not None or self.query.offset:
                sql += " LIMIT ? OFFSET ?"
                limit = -1 if self.query.limit is None else self.query.limit
                params.extend((limit, self.query.offset))
        return sql, params

    def _order(self) -> str:
        way = "DESC" if self.query.descending else "ASC"
        searching = self.match is not None
        by_date = f"entries_fts.rowid {way}" if searching else f"e.sort_date {way}, e.id {way}"
        newest = "entries_fts.rowid DESC" if searching else "e.sort_date DESC, e.id DESC"
        match self.query.order:
            case "relevance" if searching:
                return f"{RANK}, {newest}"
            case "title":
                return f"e.title COLLATE NOCASE {way}, {newest}"
            case "source":
                return f"coalesce(f.title, f.url) COLLATE NOCASE {way}, {newest}"
            case _:
                return by_date


def tree_select(
    tree: Node | None, columns: str, *, hide_hidden: bool, now: datetime
) -> tuple[str, list[Any]]:
    """SELECT `columns` of the entries a search tree finds (None: every entry), unordered,
    with its parameters; `hide_hidden`: leave out the entries rules hid."""
    return _Sql(EntryQuery(), hidden_exist=hide_hidden, now=now, tree=tree).select(
        columns, ordered=False
    )


class EntryMixin(StoreBase):
    def get_entry(self, entry_id: int) -> Entry:
        found = self.entries_by_ids([entry_id])
        if not found:
            raise NotFoundError(f"no entry with id {entry_id}")
        return found[0]

    def list_entries(self, query: EntryQuery) -> list[Entry]:
        return self.entries_by_ids(self.entry_ids(query))

    def count_entries(self, query: EntryQuery) -> int:
        sql, params = self._sql(query).select("count(*)", ordered=False)
        return int(self._query_rows(query, sql, params)[0][0])

    def entry_ids(self, query: EntryQuery) -> list[int]:
        """The ids `list_entries` would return, in its order (cheap: for lazy views)."""
        sql, params = self._sql(query).select("e.id")
        return [entry_id for (entry_id,) in self._query_rows(query, sql, params, plain=True)]

    def unread_in_stories(self, entry_ids: Sequence[int], query: EntryQuery) -> set[int]:
        """Those of these entries whose story holds an unread article `query` lists (read or
        not, the entry itself included): with one row per story, the row of such an entry
        stands for unread articles and is drawn unread. Entries in no story are left out
        (their own flag says). One query per 500 ids: the article list reads it per page."""
        listed = replace(query, unread_only=True, limit=None, offset=0)
        found: set[int] = set()
        for part in chunks(entry_ids):
            marks = placeholders(len(part))
            sql = self._sql(listed)
            sql.joins += " JOIN entry_stories st ON st.entry_id = e.id"
            sql.where.append(
                f"st.story_id IN (SELECT story_id FROM entry_stories WHERE entry_id IN ({marks}))"
            )
            sql.params.extend(part)
            unread, params = sql.select("st.story_id", ordered=False)
            found.update(
                entry_id
                for (entry_id,) in self._query_rows(
                    listed,
                    "SELECT entry_id FROM entry_stories "
                    f"WHERE entry_id IN ({marks}) AND story_id IN ({unread})",
                    [*part, *params],
                    plain=True,
                )
            )
        return found

    def entries_by_ids(self, ids: Sequence[int]) -> list[Entry]:
        """The entries with these ids, in the given order; unknown ids are left out."""
        found: dict[int, sqlite3.Row] = {}
        for part in chunks(ids):
            for row in self._rows(
                f"SELECT {rows.ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id "
                f"WHERE e.id IN ({placeholders(len(part))})",
                part,
            ):
                found[row["id"]] = row
        return self._complete([found[id_] for id_ in ids if id_ in found])

    def set_read(self, ids: Sequence[int], read: bool) -> int:
        """Marks entries read or unread; returns how many changed. Changes of a server
        account's articles are queued for the server in the same transaction."""
        return self._set_flag("read", ids, read)

    def set_starred(self, ids: Sequence[int], starred: bool) -> int:
        return self._set_flag("starred", ids, starred)

    def mark_all_read(self, query: EntryQuery) -> int:
        """Marks every entry the query selects (limit and offset included) read."""
        sql, params = self._sql(query).select("e.id")
        with self._write() as conn:
            try:
                queue_item_changes(conn, "read", True, f"e.id IN ({sql})", params)
                cursor = conn.execute(
                    f"UPDATE entries SET read = 1 WHERE read = 0 AND id IN ({sql})", params
                )
            except sqlite3.OperationalError as error:
                raise self._search_error(query, error) from error
            return cursor.rowcount

    def add_tag(self, entry_id: int, tag: str) -> None:
        self.tag_entries([entry_id], tag)

    def remove_tag(self, entry_id: int, tag: str) -> None:
        self.untag_entries([entry_id], tag)

    def tag_entries(self, ids: Sequence[int], tag: str) -> int:
        """Tags entries (a tag already in use in another case keeps its spelling); returns
        how many were not tagged so before. NotFoundError names an unknown id; nothing is
        tagged then."""
        tag = _clean_tag(tag)
        with self._write() as conn:
            for entry_id in dict.fromkeys(ids):
                self._require("entries", entry_id, "entry")
            spelling = self.tag_spelling(tag)
            return sum(
                conn.execute(
                    "INSERT OR IGNORE INTO entry_tags(entry_id, tag) VALUES (?, ?)",
                    (entry_id, spelling),
                ).rowcount
                for entry_id in dict.fromkeys(ids)
            )

    def untag_entries(self, ids: Sequence[int], tag: str) -> int:
        """Removes a tag (in any case: `fold_case`) from entries; returns how many carried
        it."""
        folded = fold_case(_clean_tag(tag))
        with self._write() as conn:
            for entry_id in dict.fromkeys(ids):
                self._require("entries", entry_id, "entry")
            return sum(  # an entry counts once (a store of older versions may hold two cases)
                conn.execute(
                    "DELETE FROM entry_tags WHERE entry_id = ? AND newsreader_fold(tag) = ?",
                    (entry_id, folded),
                ).rowcount
                > 0
                for entry_id in dict.fromkeys(ids)
            )

    def tag_spelling(self, tag: str) -> str:
        """The spelling already in use for this tag in any case (`fold_case`: "ÉTÉ" is
        "été"), else the tag as given. The index answers a tag in use in any ASCII case; only
        a tag not found so (a new one, mostly) has every tagged row read."""
        found = self._scalar(
            "SELECT tag FROM entry_tags WHERE tag = ? COLLATE NOCASE LIMIT 1", (tag,)
        ) or self._scalar(
            "SELECT tag FROM entry_tags WHERE newsreader_fold(tag) = ? LIMIT 1", (fold_case(tag),)
        )
        return str(found) if found is not None else tag

    def list_tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many entries carry it, by name; spellings of one tag in
        other cases (`fold_case`; a store of older versions may hold them) are one tag."""
        return [
            (row[0], row[1])
            for row in self._rows(
                "SELECT min(tag), count(DISTINCT entry_id) FROM entry_tags "
                "GROUP BY newsreader_fold(tag) ORDER BY min(tag) COLLATE NOCASE"
            )
        ]

    def related_entries(self, entry_id: int, limit: int = 10) -> list[Entry]:
        """Other entries whose titles share at least two of the entry's key title terms (its
        longest words that are not stop words; the one term when it has only one), dated
        within `RELATED_DAYS` of it (coverage of the same story), entries of other feeds
        first, each group best match first. Of the matches, the `RELATED_CANDIDATES` nearest
        in time before and after the entry are ranked (coverage of one story is close in
        time; ranking every match in the window cost time in proportion to the store)."""
        return self.entries_by_ids(self.related_entry_ids(entry_id, limit))

    def related_entry_ids(self, entry_id: int, limit: int = 10) -> list[int]:
        """The ids `related_entries` returns, in its order (for a caller that reads them
        together with other entries). NotFoundError for an unknown entry."""
        entry = self._row("SELECT title, sort_date, feed_id FROM entries WHERE id = ?", (entry_id,))
        if entry is None:
            raise NotFoundError(f"no entry with id {entry_id}")
        terms = title_terms(entry["title"])
        if not terms or limit <= 0:
            return []
        # Longer words are the rarer, more telling ones (and bm25 weighs rarity again);
        # counting each term's entries in the index would cost more than the search itself.
        key_terms = sorted(terms, key=len, reverse=True)[:RELATED_TERMS]
        date = int(entry["sort_date"])
        window = RELATED_DAYS * 86400
        at = search_key(date, 1)
        # bm25 reads each scored row's length: ranking every match in the window took 4,100
        # statements (91 ms) per opened article on a 4,000-entry store of similar titles; the
        # nearest matches on each side (one more after: the entry itself is there) take 410.
        found = self._rows(
            "WITH near(key, score) AS ("
            "SELECT * FROM (SELECT rowid, bm25(titles_fts) FROM titles_fts "
            "WHERE titles_fts MATCH :terms AND rowid BETWEEN :at AND :high "
            "ORDER BY rowid LIMIT :candidates + 1) UNION ALL "
            "SELECT * FROM (SELECT rowid, bm25(titles_fts) FROM titles_fts "
            "WHERE titles_fts MATCH :terms AND rowid BETWEEN :low AND :at - 1 "
            "ORDER BY rowid DESC LIMIT :candidates)) "
            "SELECT e.id FROM near JOIN entries e INDEXED BY entries_search "
            f"ON e.id = (near.key & {ID_MASK}) "
            "WHERE e.id != :entry ORDER BY e.feed_id = :feed, near.score LIMIT :limit",
            {
                "terms": related_expression(key_terms),
                "at": at,
                "low": search_key(date - window, 1) - 1,
                "high": search_key(date + window, ID_MASK),
                "candidates": RELATED_CANDIDATES,
                "entry": entry_id,
                "feed": entry["feed_id"],
                "limit": limit,
            },
        )
        return [row[0] for row in found]

    def _sql(self, query: EntryQuery) -> _Sql:
        """The SQL of a query; raises SearchQueryError for a search that cannot be read."""
        hidden = bool(self._scalar("SELECT EXISTS (SELECT 1 FROM hidden_entries)"))
        return _Sql(query, hidden_exist=hidden, now=datetime.now(UTC))

    def _query_rows(
        self, query: EntryQuery, sql: str, params: Sequence[Any], *, plain: bool = False
    ) -> list[Any]:
        """The query's rows as `sqlite3.Row`s, or as plain tuples with `plain` (an id list of
        100,000 rows reads in about half the time: the window re-reads it during a sync, on
        a thread that shares the GIL with the GUI thread)."""
        # a pattern runs out of time while rows are fetched, not only when they are asked for
        try:
            cursor = self._conn.execute(sql, params)
            cursor.row_factory = None if plain else sqlite3.Row
            return cursor.fetchall()
        except sqlite3.OperationalError as error:
            raise self._search_error(query, error) from error

    def _search_error(self, query: EntryQuery, error: sqlite3.OperationalError) -> Exception:
        """A pattern out of time becomes its PatternTimeoutError; anything else a
        StoreError."""
        timeout = pattern_failure()
        if timeout is not None:
            return timeout
        return StoreError(f"the store {self.paths.store} could not be read: {error}")

    def _complete(self, found: Sequence[sqlite3.Row]) -> list[Entry]:
        """Entries from rows, with their enclosures and tags read in batches."""
        ids = [row["id"] for row in found]
        enclosures: dict[int, list[Enclosure]] = {}
        tags: dict[int, list[str]] = {}
        for part in chunks(ids):
            marks = placeholders(len(part))
            for entry_id, url, type_, length in self._conn.execute(
                f"SELECT entry_id, url, type, length FROM enclosures WHERE entry_id IN ({marks})",
                part,
            ):
                enclosures.setdefault(entry_id, []).append(Enclosure(url, type_, length))
            for entry_id, tag in self._conn.execute(
                f"SELECT entry_id, tag FROM entry_tags WHERE entry_id IN ({marks}) ORDER BY tag",
                part,
            ):
                tags.setdefault(entry_id, []).append(tag)
        return [
            rows.entry(row, enclosures.get(row["id"], ()), tags.get(row["id"], ())) for row in found
        ]

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> int:
        changed = 0
        with self._write() as conn:
            for part in chunks(list(dict.fromkeys(ids))):
                queue_item_changes(
                    conn, column, value, f"e.id IN ({placeholders(len(part))})", part
                )
                changed += conn.execute(
                    f"UPDATE entries SET {column} = ? WHERE {column} != ? "
                    f"AND id IN ({placeholders(len(part))})",
                    (value, value, *part),
                ).rowcount
        return changed


def _clean_tag(tag: str) -> str:
    cleaned = " ".join(tag.split())
    if not cleaned:
        raise StoreError("a tag needs some text")
    return cleaned
