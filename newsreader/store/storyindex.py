"""Putting each new article into its story, incrementally, inside the write transaction.

For an entry (its terms: see `stories.similarity`):
1. its terms go into `story_fts` under its search key (date in the high bits);
2. candidates: the `CANDIDATES` newest `story_fts` matches of its `QUERY_TERMS` rarest terms
   (OR) within `WINDOW` of its date, from other feeds;
3. each candidate's story is scored against the entry: the mean of the highest cosine to a
   member and the mean cosine to its members (members from other feeds, within the window).
   Mean and maximum together keep one look-alike member (same names and place, another
   event) from pulling an article in, and let a short article join on its best match;
4. the best story at or above `SAME_STORY` takes the entry, else it starts its own (story id
   = its entry id). A member with a cosine of `COPY` or more makes it a copy of that member.

Document frequencies come from the index itself (an `fts5vocab` table) and are cached per
connection; the cache is dropped as the index grows, since the weights drift only slowly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsreader.store.schema import ID_MASK, SEARCH_KEY_SQL, search_key
from newsreader.store.text import index_text
from newsreader.stories.language import detect_language
from newsreader.stories.similarity import (
    COPY,
    SAME_STORY,
    Vector,
    cosine,
    idf,
    story_terms,
    vector,
)

DAY = 86_400
WINDOW = 2 * DAY
"""How far apart (seconds, either way) two reports of one event may be published."""
QUERY_TERMS = 10
CANDIDATES = 40
BACKFILL_DAYS = 14
_RECOUNT_EVERY = 2_000  # articles indexed before the counts are read afresh (at least)
_MAX_VECTORS = 50_000  # cached vectors of recent articles
_LOOKUPS = 500  # terms per document-frequency query
_KEY = SEARCH_KEY_SQL.format(date="e.sort_date", id="e.id")
_VOCAB = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_vocab USING fts5vocab(main, story_fts, row)"


@dataclass(frozen=True, slots=True)
class StoryInput:
    """What story matching reads of one written entry: `text` is its plain summary (or
    content when it has no summary); `sort_date` unix seconds."""

    entry_id: int
    feed_id: int
    sort_date: int
    title: str | None
    text: str
    language: str | None


@dataclass(frozen=True, slots=True)
class _Member:
    entry_id: int
    story_id: int
    copy_of: int | None
    feed_id: int
    vector: Vector


def lead_text(summary_text: str, content_text: str) -> str:
    """The text an entry's lead and language are taken from: its summary, else content."""
    return summary_text if summary_text.strip() else content_text


def entry_language(title: str | None, text: str) -> str | None:
    """The language of an entry from its title and (plain) lead text."""
    return detect_language(f"{title or ''}. {text}")


class StoryIndex:
    """Story assignment on one connection (the caller holds the write transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Call outside a transaction (or inside one that will commit): it creates the
        connection's temporary vocabulary table, which a rollback would take back."""
        self._conn = conn
        conn.execute(_VOCAB)
        self._df: dict[str, int] = {}
        self._n = 0
        self._since_count = _RECOUNT_EVERY  # forces a first count
        self._vectors: dict[int, Vector] = {}
        self._vectors_n = 0  # the article count the cached vectors were weighed with

    def add(self, items: Sequence[StoryInput]) -> None:
        """Indexes the entries' terms and puts each into a story, oldest first. Entries
        already in a story are taken out first (a changed text is matched afresh)."""
        if not items:
            return
        conn = self._conn
        ordered = sorted(items, key=lambda i: (i.sort_date, i.entry_id))
        terms = {i.entry_id: story_terms(i.title, i.text, i.language) for i in ordered}
        conn.executemany(
            "DELETE FROM entry_stories WHERE entry_id = ?", [(i.entry_id,) for i in ordered]
        )
        conn.executemany(
            "INSERT INTO story_fts(rowid, terms) VALUES (?, ?)",
            [(search_key(i.sort_date, i.entry_id), " ".join(terms[i.entry_id])) for i in ordered],
        )
        self._count(terms.values())
        self._load_counts(t for found in terms.values() for t in found)
        for item in ordered:  # one at a time: each may join a story the previous one began
            self._vectors.pop(item.entry_id, None)
            conn.execute(
                "INSERT INTO entry_stories(entry_id, story_id, copy_of) VALUES (?, ?, ?)",
                self._assign(item, terms[item.entry_id]),
            )

    def _count(self, added: Iterable[list[str]]) -> None:
        """Keeps the article count and the cached document frequencies up to date with the
        articles just indexed. Other writers (another process, a purge) make them drift: they
        are read afresh every `_RECOUNT_EVERY` articles or a tenth of the index. Cached
        vectors are dropped whenever the index grew by a tenth, so a young store's weights
        follow it closely."""
        df = self._df
        count = 0
        for terms in added:
            count += 1
            for term in set(terms):
                if term in df:
                    df[term] += 1
        self._n += count
        self._since_count += count
        if self._since_count >= max(_RECOUNT_EVERY, self._n // 10):
            df.clear()
            self._n = self._conn.execute("SELECT count(*) FROM story_fts").fetchone()[0]
            self._since_count = 0
        if self._n > self._vectors_n * 1.1 or len(self._vectors) > _MAX_VECTORS:
            self._vectors.clear()
            self._vectors_n = self._n

    def _load_counts(self, terms: Iterable[str]) -> None:
        """Reads the document frequencies of those `terms` not cached yet, in one query per
        500 terms (one query per term cost four times as much: each `fts5vocab` lookup has a
        fixed cost)."""
        df = self._df
        missing = list({t for t in terms if t not in df})
        for start in range(0, len(missing), _LOOKUPS):
            part = missing[start : start + _LOOKUPS]
            df.update(
                self._conn.execute(
                    "SELECT term, doc FROM temp.story_vocab WHERE term IN "
                    f"({', '.join('?' * len(part))})",
                    part,
                ).fetchall()
            )
        for term in missing:
            df.setdefault(term, 0)

    def _weight(self, term: str) -> float:
        df = self._df.get(term)
        if df is None:
            self._load_counts((term,))
            df = self._df[term]
        return idf(df, self._n)

    def _vector(self, entry_id: int, terms: str) -> Vector:
        found = self._vectors.get(entry_id)
        if found is None:
            found = self._vectors[entry_id] = vector(terms.split(), self._weight)
        return found

    def _assign(self, item: StoryInput, terms: list[str]) -> tuple[int, int, int | None]:
        """(entry id, story id, copy of) for one entry."""
        own = (item.entry_id, item.entry_id, None)
        if not terms:
            return own
        mine = vector(terms, self._weight)
        members = self._members(item, mine)
        by_story: dict[int, list[tuple[float, _Member]]] = {}
        for member in members:
            by_story.setdefault(member.story_id, []).append((cosine(mine, member.vector), member))
        best: tuple[float, int, float, _Member] | None = None
        for story_id, scored in by_story.items():
            top, top_member = max(scored, key=lambda s: s[0])
            score = (top + sum(s for s, _ in scored) / len(scored)) / 2
            if score >= SAME_STORY and (best is None or score > best[0]):
                best = (score, story_id, top, top_member)
        if best is None:
            return own
        _, story_id, top, top_member = best
        copy_of = None
        if top >= COPY:
            copy_of = top_member.copy_of or top_member.entry_id
        return (item.entry_id, story_id, copy_of)

    def _members(self, item: StoryInput, mine: Vector) -> list[_Member]:
        """Members (other feeds, within the window) of the candidates' stories."""
        rarest = sorted(mine, key=lambda t: -mine[t])[:QUERY_TERMS]
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in rarest)
        low, high = max(item.sort_date - WINDOW, 0), item.sort_date + WINDOW
        stories = {
            story_id
            for (story_id,) in self._conn.execute(
                # Newest matches first: FTS5 walks the rowid (date) range and stops at the limit.
                # ORDER BY rank scored every match in the window first, which made each new
                # article cost time in proportion to the store (10+ ms per article at 1,500).
                "SELECT st.story_id FROM (SELECT rowid AS key FROM story_fts "
                "WHERE story_fts MATCH ? AND rowid BETWEEN ? AND ? "
                "ORDER BY rowid DESC LIMIT ?) c "
                f"JOIN entry_stories st ON st.entry_id = (c.key & {ID_MASK}) "
                "JOIN entries e ON e.id = st.entry_id WHERE e.feed_id != ?",
                (
                    match,
                    search_key(low, 1),
                    search_key(high, ID_MASK),
                    CANDIDATES,
                    item.feed_id,
                ),
            )
        }
        if not stories:
            return []
        marks = ", ".join("?" * len(stories))
        rows = self._conn.execute(
            "SELECT st.entry_id, st.story_id, st.copy_of, e.feed_id, s.terms "
            "FROM entry_stories st JOIN entries e ON e.id = st.entry_id "
            f"JOIN story_fts s ON s.rowid = {_KEY} "
            f"WHERE st.story_id IN ({marks}) AND e.feed_id != ? "
            "AND e.sort_date BETWEEN ? AND ?",
            (*stories, item.feed_id, low, high),
        ).fetchall()
        self._load_counts(
            t
            for entry_id, *_, terms in rows
            if entry_id not in self._vectors
            for t in terms.split()
        )
        return [
            _Member(entry_id, story_id, copy_of, feed_id, self._vector(entry_id, terms))
            for entry_id, story_id, copy_of, feed_id, terms in rows
        ]


def backfill(conn: sqlite3.Connection) -> None:
    """Languages of all existing entries; stories for those of the newest `BACKFILL_DAYS`
    days (in date order, as if they arrived so)."""
    newest = conn.execute("SELECT max(sort_date) FROM entries").fetchone()[0]
    if newest is None:
        return
    rows = conn.execute(
        "SELECT id, feed_id, sort_date, title, summary, content FROM entries ORDER BY sort_date, id"
    ).fetchall()
    inputs = [_input(*row) for row in rows]
    conn.executemany(
        "UPDATE entries SET language = ? WHERE id = ?",
        [(i.language, i.entry_id) for i in inputs if i.language is not None],
    )
    recent = newest - BACKFILL_DAYS * DAY
    StoryIndex(conn).add([i for i in inputs if i.sort_date >= recent])


def _input(
    entry_id: int,
    feed_id: int,
    sort_date: int,
    title: str | None,
    summary: str | None,
    content: str | None,
) -> StoryInput:
    text = lead_text(index_text(summary), index_text(content))
    return StoryInput(entry_id, feed_id, sort_date, title, text, entry_language(title, text))
