"""Rules on the entries one ingest just wrote: each search compiled once into a Python test,
run on the entries' rows read in one query, instead of one SQL statement per rule and feed.

A sync stores a feed's new entries and then runs every rule on them in the same transaction
(see `RuleMixin`). A rule's search is turned into a tree of small closures once per process
(`rule_test`, cached by the tree, which `parsed_search` caches by text); a batch
(`RuleBatch`) reads the entries' state once and answers each condition in Python, as SQL
would:

- words, phrases and prefixes (the parts FTS5 alone answers, `is_text`) ask `PROBE_INDEX`,
  a small full-text index of just these entries, once per distinct expression and batch: the
  same tokeniser as the library's index decides, so a rule matches what a search finds;
- flags, tags, dates, language, feed and folder compare the row's values as the SQL does:
  tag, feed and folder names in any case (`text.fold_case`, SQL's `newsreader_fold`),
  categories in any ASCII case (SQLite's `COLLATE NOCASE`, which their index uses);
- patterns run last in an AND, only on entries every cheaper condition kept.

Rules run in order, and a later rule sees what earlier ones did: the batch applies each
rule's actions to its copy of the rows (`applied`) once the rule's savepoint is released.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from newsreader.query.ast import (
    UNKNOWN_LANGUAGE,
    Age,
    All,
    Any,
    DateBound,
    Flag,
    Match,
    Node,
    Not,
    Pattern,
    leaves,
)
from newsreader.store.codec import authors_text, to_ts
from newsreader.store.query_sql import (
    FOLDER_NAMED_FEEDS,
    FOLDER_TREE_FEEDS,
    fts_expression,
    is_text,
    search_pattern,
)
from newsreader.store.text import fold_case

PROBE_INDEX = "rule_text"
"""A small full-text index (temp schema, this connection only) of just the entries rules are
checking, keyed by entry id: word conditions are answered there. Asking the main index about
a few rows would open every one of its segments for each word."""
_PROBE_INDEX_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{PROBE_INDEX} USING fts5("
    "title, summary, content, author, content = '', "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
_PROBE_INDEX_CLEAR = f"INSERT INTO temp.{PROBE_INDEX}({PROBE_INDEX}) VALUES ('delete-all')"
_PROBE_INSERT = (
    f"INSERT INTO temp.{PROBE_INDEX}(rowid, title, summary, content, author) VALUES (?, ?, ?, ?, ?)"
)
_PROBE_INSERT_STORED = (
    f"INSERT INTO temp.{PROBE_INDEX}(rowid, title, summary, content, author) "
    "SELECT id, title, newsreader_index_text(summary), "
    "newsreader_index_content(content, (SELECT ft.text FROM full_texts ft "
    "WHERE ft.entry_id = entries.id AND ft.status = 'ok')), "
    "newsreader_authors_text(authors) "
    "FROM entries WHERE id IN (SELECT value FROM json_each(?))"
)
_CANDIDATES = (
    "SELECT e.id, e.feed_id, e.read, e.starred, e.sort_date, e.title, e.authors, e.link, "
    "e.language, "
    "(e.image IS NOT NULL OR EXISTS (SELECT 1 FROM entry_images i WHERE i.entry_id = e.id)), "
    "EXISTS (SELECT 1 FROM enclosures n WHERE n.entry_id = e.id), "
    "EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id AND c.origin = 'user' "
    "AND NOT c.deleted), "
    "EXISTS (SELECT 1 FROM hidden_entries h WHERE h.entry_id = e.id) "
    "FROM json_each(?) AS checked CROSS JOIN entries e ON e.id = checked.value"
)
_FOLDER_BY_ID = FOLDER_TREE_FEEDS.format(start="SELECT ?")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """`text` with only the ASCII letters in lower case: how SQLite's `LIKE` and
    `COLLATE NOCASE` compare ("Ä" and "ä" differ there, so they do here)."""
    return text.translate(_ASCII_LOWER)


@dataclass(slots=True)
class Candidate:
    """One entry as the rules see it: the values a search can test, kept up to date as
    earlier rules act on it (`tags` in `fold_case` form)."""

    id: int
    feed_id: int
    read: bool
    starred: bool
    sort_date: int
    title: str | None
    authors: str
    link: str | None
    language: str | None
    image: bool
    enclosure: bool
    commented: bool
    hidden: bool
    tags: set[str] = field(default_factory=set)
    categories: list[str] = field(default_factory=list)  # as in `entry_categories`


Test = Callable[[Candidate, "RuleBatch"], bool]
"""A compiled search: does it match this entry (asking the batch for words, feeds,
folders and the time)? Raises PatternTimeoutError."""


class RuleBatch:
    """The entries one ingest wrote, read once, for every rule that runs on them; the
    caller holds the write transaction. `written_text`: the indexed text (title, summary,
    content, author) the ingest already computed, by entry id; other entries' text is
    computed from their stored columns when a word condition first needs it."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        entry_ids: Sequence[int],
        now: datetime,
        written_text: Mapping[int, tuple[str | None, str, str, str]],
        probed: frozenset[int] = frozenset(),
    ) -> None:
        """`probed`: entries whose text `PROBE_INDEX` already holds, put there by another
        batch of this transaction (the rules' on the same new entries): when it holds all of
        this batch's, it is not filled again. After a word condition, `probed` names the
        entries it holds."""
        self._conn = conn
        self.now = to_ts(now) or 0
        self._written_text = written_text
        self.entries = _candidates(conn, entry_ids)
        self._texts: dict[str, frozenset[int]] = {}
        self.probed = probed
        self._probe_filled = False
        self._feed_names: dict[int, str] | None = None
        self._folders: dict[str, frozenset[int]] = {}
        self._scopes: dict[int, frozenset[int]] = {}

    def matches(self, test: Test, feed_id: int | None, folder_id: int | None) -> list[int]:
        """Ids of the entries (ascending) in the scope (a feed, a folder tree, or all) that
        the search matches. Raises PatternTimeoutError."""
        scope = self.folder_scope(folder_id) if folder_id is not None else None
        return [
            candidate.id
            for candidate in self.entries.values()
            if (feed_id is None or candidate.feed_id == feed_id)
            and (scope is None or candidate.feed_id in scope)
            and test(candidate, self)
        ]

    def applied(self, actions: Iterable[str], ids: Sequence[int], gone: Sequence[int]) -> None:
        """Records a rule's actions on these entries (`gone`: those it deleted), so the
        next rule sees them as SQL would."""
        for action in actions:
            name, _, tag = action.partition(":")
            for entry_id in ids:
                candidate = self.entries.get(entry_id)
                if candidate is None:
                    continue
                if name == "read":
                    candidate.read = True
                elif name == "star":
                    candidate.starred = True
                elif name == "hide":
                    candidate.hidden = True
                elif name == "tag":
                    candidate.tags.add(fold_case(tag))
        for entry_id in gone:
            self.entries.pop(entry_id, None)

    def text_hits(self, expression: str) -> frozenset[int]:
        """Ids of the batch's entries that an FTS5 expression matches (once per expression)."""
        found = self._texts.get(expression)
        if found is None:
            self._fill_probe_index()
            found = frozenset(
                row[0]
                for row in self._conn.execute(
                    f"SELECT rowid FROM temp.{PROBE_INDEX} WHERE {PROBE_INDEX} MATCH ?",
                    (expression,),
                )
            )
            self._texts[expression] = found
        return found

    def feed_name(self, feed_id: int) -> str:
        """A feed's title, else its URL, in `fold_case` form (what `feed:text` searches)."""
        if self._feed_names is None:
            feed_ids = sorted({c.feed_id for c in self.entries.values()})
            self._feed_names = {
                row[0]: fold_case(row[1])
                for row in self._conn.execute(
                    "SELECT id, coalesce(title, url) FROM feeds "
                    "WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(feed_ids),),
                )
            }
        return self._feed_names.get(feed_id, "")

    def folder_feeds(self, name: str) -> frozenset[int]:
        """Ids of the feeds in folders of this name (in any case: `fold_case`) and their
        subfolders."""
        found = self._folders.get(name)
        if found is None:
            found = frozenset(
                row[0] for row in self._conn.execute(FOLDER_NAMED_FEEDS, (fold_case(name),))
            )
            self._folders[name] = found
        return found

    def folder_scope(self, folder_id: int) -> frozenset[int]:
        """Ids of the feeds in a folder and its subfolders (a rule's scope)."""
        found = self._scopes.get(folder_id)
        if found is None:
            found = frozenset(row[0] for row in self._conn.execute(_FOLDER_BY_ID, (folder_id,)))
            self._scopes[folder_id] = found
        return found

    def _fill_probe_index(self) -> None:
        if self._probe_filled:
            return
        self._probe_filled = True
        if self.probed.issuperset(self.entries):
            return
        conn = self._conn
        conn.execute(_PROBE_INDEX_SQL)
        conn.execute(_PROBE_INDEX_CLEAR)
        known = self._written_text
        ids = list(self.entries)
        conn.executemany(_PROBE_INSERT, [(i, *known[i]) for i in ids if i in known])
        missing = [i for i in ids if i not in known]
        if missing:
            conn.execute(_PROBE_INSERT_STORED, (json.dumps(missing),))
        self.probed = frozenset(ids)


def _candidates(conn: sqlite3.Connection, entry_ids: Sequence[int]) -> dict[int, Candidate]:
    """The entries' rows as `Candidate`s, by id, ascending."""
    marks = json.dumps(list(entry_ids))
    found = {
        row[0]: Candidate(
            id=row[0],
            feed_id=row[1],
            read=bool(row[2]),
            starred=bool(row[3]),
            sort_date=row[4],
            title=row[5],
            authors=authors_text(row[6]),
            link=row[7],
            language=row[8],
            image=bool(row[9]),
            enclosure=bool(row[10]),
            commented=bool(row[11]),
            hidden=bool(row[12]),
        )
        for row in conn.execute(_CANDIDATES, (marks,))
    }
    for entry_id, tag in conn.execute(
        "SELECT entry_id, tag FROM entry_tags WHERE entry_id IN (SELECT value FROM json_each(?))",
        (marks,),
    ):
        found[entry_id].tags.add(fold_case(tag))
    for entry_id, category in conn.execute(
        "SELECT entry_id, category FROM entry_categories "
        "WHERE entry_id IN (SELECT value FROM json_each(?))",
        (marks,),
    ):
        found[entry_id].categories.append(category)
    return dict(sorted(found.items()))


@lru_cache(maxsize=256)
def rule_test(node: Node) -> Test:
    """A search tree as a `Test` (compiled once per tree)."""
    return _compile(node)


_FLAG_TESTS: dict[str, Test] = {
    "is:unread": lambda c, b: not c.read,
    "is:read": lambda c, b: c.read,
    "is:starred": lambda c, b: c.starred,
    "is:commented": lambda c, b: c.commented,
    "is:hidden": lambda c, b: c.hidden,
    "has:enclosure": lambda c, b: c.enclosure,
    "has:image": lambda c, b: c.image,
}


def _cost(node: Node) -> int:
    """The order conditions of an AND are tried in: values first, then words (a query of
    the probe index the first time), patterns last."""
    if any(isinstance(leaf, Pattern) for leaf in leaves(node)):
        return 2
    return 1 if is_text(node) else 0


def _compile(node: Node) -> Test:
    if is_text(node):
        expression = fts_expression(node)
        return lambda c, b: c.id in b.text_hits(expression)
    match node:
        case Not(operand):
            inner = _compile(operand)
            return lambda c, b: not inner(c, b)
        case All(operands):
            every = tuple(_compile(o) for o in sorted(operands, key=_cost))
            return lambda c, b: all(test(c, b) for test in every)
        case Any(operands):
            some = tuple(_compile(o) for o in operands)
            return lambda c, b: any(test(c, b) for test in some)
        case Flag(name):
            return _FLAG_TESTS[name]
        case DateBound(before, at):
            bound = to_ts(at) or 0
            if before:
                return lambda c, b: c.sort_date < bound
            return lambda c, b: c.sort_date >= bound
        case Age(newer, seconds):
            if newer:
                return lambda c, b: c.sort_date > b.now - seconds
            return lambda c, b: c.sort_date <= b.now - seconds
        case Pattern(field_name, pattern, ignore_case):
            return _pattern_test(field_name, pattern, ignore_case)
        case Match(field_name, value):
            return _match_test(field_name, value)
    raise AssertionError(f"no rule test for {node!r}")


def _pattern_test(field_name: str, pattern: str, ignore_case: bool) -> Test:
    match field_name:
        case "title":
            return lambda c, b: search_pattern(pattern, ignore_case, c.title)
        case "author":
            return lambda c, b: search_pattern(pattern, ignore_case, c.authors)
        case "link":
            return lambda c, b: search_pattern(pattern, ignore_case, c.link)
        case "category":
            return lambda c, b: any(search_pattern(pattern, ignore_case, x) for x in c.categories)
    raise AssertionError(f"no pattern field {field_name!r}")


def _match_test(field_name: str, value: str) -> Test:
    match field_name:
        case "feed" if value.isdigit():
            feed_id = int(value)
            return lambda c, b: c.feed_id == feed_id
        case "feed":
            part = fold_case(value)
            return lambda c, b: part in b.feed_name(c.feed_id)
        case "folder":
            return lambda c, b: c.feed_id in b.folder_feeds(value)
        case "tag":
            tag = fold_case(value)
            return lambda c, b: tag in c.tags
        case "category":
            category = ascii_lower(value)
            return lambda c, b: any(ascii_lower(x) == category for x in c.categories)
        case "lang" if value == UNKNOWN_LANGUAGE:
            return lambda c, b: c.language is None
        case "lang":
            return lambda c, b: c.language == value
    raise AssertionError(f"no rule test for the field {field_name!r}")
