"""A search tree (`newsreader.query`) as SQL over `entries e`, plus FTS5 MATCH expressions.

Two ways to run a search:
- over the whole library (`probe=False`): the words that every match must contain become one
  FTS5 expression that drives the query through the full-text index (newest first is the
  index's own order); words under OR or NOT beside other conditions become
  `key IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)`, computed once.
- on a few given entries (`probe=True`, rules on new articles): every word condition is
  answered by `PROBE_INDEX`, which holds only those entries, so the cost follows the entries
  checked, not the size of the library.

Patterns (`title~/re/`) run in the SQL function `newsreader_regexp` with the `regex` module's
time limit per match; the first match that runs out of time stops the whole query with
`PatternTimeoutError`, so one bad pattern never stalls a sync or the window.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any as AnyValue

import regex

from newsreader.errors import SearchQueryError
from newsreader.query.ast import (
    Age,
    All,
    Any,
    DateBound,
    Flag,
    Match,
    Node,
    Not,
    Pattern,
    Term,
    leaves,
)
from newsreader.query.syntax import parse
from newsreader.store.codec import to_ts
from newsreader.store.schema import SEARCH_KEY_SQL
from newsreader.store.search import quote

PATTERN_TIMEOUT = 0.05
"""Seconds one pattern may spend on one field of one entry."""
ENTRY_KEY = SEARCH_KEY_SQL.format(date="e.sort_date", id="e.id")
"""An entry's full-text index row id, as SQL over `entries e`."""
HIDDEN = "e.id IN (SELECT entry_id FROM hidden_entries)"
PROBE_INDEX = "rule_text"
"""A small full-text index (temp schema, this connection only) of just the entries rules are
checking, keyed by entry id: word conditions of a probe are answered there. Asking the main
index about a few rows would open every one of its segments for each word, which costs
milliseconds per rule and feed."""
PROBE_INDEX_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{PROBE_INDEX} USING fts5("
    "title, summary, content, author, content = '', "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
PROBE_INDEX_CLEAR = f"INSERT INTO temp.{PROBE_INDEX}({PROBE_INDEX}) VALUES ('delete-all')"

_FLAG_SQL = {
    "is:unread": "e.read = 0",
    "is:read": "e.read = 1",
    "is:starred": "e.starred = 1",
    "is:commented": (
        "e.id IN (SELECT entry_id FROM comments WHERE origin = 'user' AND NOT deleted)"
    ),
    "is:hidden": HIDDEN,
    "has:enclosure": "e.id IN (SELECT entry_id FROM enclosures)",
    "has:image": "(e.image IS NOT NULL OR e.id IN (SELECT entry_id FROM entry_images))",
}
_PROBE_FLAG_SQL = {
    **_FLAG_SQL,
    "is:commented": (
        "EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id AND c.origin = 'user' "
        "AND NOT c.deleted)"
    ),
    "is:hidden": "EXISTS (SELECT 1 FROM hidden_entries h WHERE h.entry_id = e.id)",
    "has:enclosure": "EXISTS (SELECT 1 FROM enclosures n WHERE n.entry_id = e.id)",
    "has:image": (
        "(e.image IS NOT NULL OR EXISTS (SELECT 1 FROM entry_images i WHERE i.entry_id = e.id))"
    ),
}
"""The flags for a probe: a lookup per entry checked instead of a list of every entry."""
_PATTERN_COLUMN = {
    "title": "e.title",
    "author": "newsreader_authors_text(e.authors)",
    "link": "e.link",
}
_FOLDER_TREE = (
    "e.feed_id IN (SELECT id FROM feeds WHERE folder_id IN (WITH RECURSIVE sub(id) AS "
    "(SELECT id FROM folders WHERE name = ? COLLATE NOCASE UNION SELECT folders.id FROM "
    "folders JOIN sub ON folders.parent_id = sub.id) SELECT id FROM sub))"
)


class PatternTimeoutError(SearchQueryError):
    """A pattern ran out of time on one entry (catastrophic backtracking, or a huge field)."""


@dataclass(frozen=True, slots=True)
class CompiledSearch:
    """`match`: the FTS5 expression that drives the query (None: scan entries); `where`:
    conditions on `entries e` with their `params` in order; `shows_hidden`: the search asks
    for hidden entries (`is:hidden`), so they are not left out."""

    match: str | None
    where: tuple[str, ...]
    params: tuple[AnyValue, ...]
    shows_hidden: bool


@lru_cache(maxsize=256)
def parsed_search(text: str) -> Node:
    """The tree of a search (cached: views, saved searches and rules run the same texts
    again and again). Raises QuerySyntaxError."""
    return parse(text)


def compile_search(node: Node, now: datetime, *, probe: bool = False) -> CompiledSearch:
    """The SQL of a search tree (see the module docstring for `probe`); `now` anchors
    `age:` (a tree without `age:` is compiled once and kept)."""
    if any(isinstance(leaf, Age) for leaf in leaves(node)):
        return _compile(node, now, probe)
    return _compile_timeless(node, probe)


@lru_cache(maxsize=256)
def _compile_timeless(node: Node, probe: bool) -> CompiledSearch:
    return _compile(node, datetime.fromtimestamp(0, UTC), probe)


def _compile(node: Node, now: datetime, probe: bool) -> CompiledSearch:
    conjuncts = list(node.operands) if isinstance(node, All) else [node]
    match = None
    if not probe:
        words = [c for c in conjuncts if _is_text(c)]
        excluded = [c for c in conjuncts if isinstance(c, Not) and _is_text(c.operand)]
        if words:
            match = _fts(All((*words, *excluded)) if len(words) + len(excluded) > 1 else words[0])
            conjuncts = [c for c in conjuncts if c not in words and c not in excluded]
    conjuncts.sort(key=_has_pattern)  # patterns last: the cheap conditions filter first
    compiler = _Compiler(now, probe)
    where = tuple(compiler.sql(c) for c in conjuncts)
    shows_hidden = any(isinstance(leaf, Flag) and leaf.name == "is:hidden" for leaf in leaves(node))
    return CompiledSearch(match, where, tuple(compiler.params), shows_hidden)


@lru_cache(maxsize=256)
def has_words(node: Node) -> bool:
    """Whether a search has full-text conditions (which a probe answers from `PROBE_INDEX`)."""
    return any(isinstance(leaf, Term) for leaf in leaves(node))


def _has_pattern(node: Node) -> bool:
    return any(isinstance(leaf, Pattern) for leaf in leaves(node))


def _is_text(node: Node) -> bool:
    """Whether FTS5 alone can answer the subtree: words, ORs of such, ANDs of such with at
    least one positive part (FTS5 has no lone NOT)."""
    match node:
        case Term():
            return True
        case Any(operands):
            return all(_is_text(o) for o in operands)
        case All(operands):
            return all(
                _is_text(o) or (isinstance(o, Not) and _is_text(o.operand)) for o in operands
            ) and any(_is_text(o) for o in operands)
        case _:
            return False


def _fts(node: Node) -> str:
    """The FTS5 expression of a subtree for which `_is_text` holds."""
    match node:
        case Term(text, field, _, prefix):
            expression = quote(text) + (" *" if prefix else "")
            return f"{field} : {expression}" if field else expression
        case Any(operands):
            return " OR ".join(f"({_fts(o)})" for o in operands)
        case All(operands):
            expression = " AND ".join(f"({_fts(o)})" for o in operands if _is_text(o))
            for o in operands:
                if isinstance(o, Not):
                    expression = f"({expression}) NOT ({_fts(o.operand)})"
            return expression
    raise AssertionError(f"not a full-text condition: {node!r}")


class _Compiler:
    def __init__(self, now: datetime, probe: bool) -> None:
        self.now = to_ts(now) or 0
        self.probe = probe
        self.params: list[AnyValue] = []

    def sql(self, node: Node) -> str:
        if _is_text(node):
            self.params.append(_fts(node))
            if self.probe:
                return f"e.id IN (SELECT rowid FROM temp.{PROBE_INDEX} WHERE {PROBE_INDEX} MATCH ?)"
            return f"{ENTRY_KEY} IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)"
        match node:
            case Not(operand):
                return f"NOT ({self.sql(operand)})"
            case All(operands):
                ordered = sorted(operands, key=_has_pattern)
                return " AND ".join(f"({self.sql(o)})" for o in ordered)
            case Any(operands):
                return " OR ".join(f"({self.sql(o)})" for o in operands)
            case Flag(name):
                return (_PROBE_FLAG_SQL if self.probe else _FLAG_SQL)[name]
            case DateBound(before, at):
                self.params.append(to_ts(at))
                return "e.sort_date < ?" if before else "e.sort_date >= ?"
            case Age(newer, seconds):
                self.params.append(self.now - seconds)
                return "e.sort_date > ?" if newer else "e.sort_date <= ?"
            case Pattern(field, pattern, ignore_case):
                self.params.extend((pattern, ignore_case))
                return f"newsreader_regexp(?, ?, {_PATTERN_COLUMN[field]})"
            case Match(field, value):
                return self.match(field, value)
        raise AssertionError(f"no SQL for {node!r}")

    def match(self, field: str, value: str) -> str:
        match field:
            case "feed" if value.isdigit():
                self.params.append(int(value))
                return "e.feed_id = ?"
            case "feed":
                self.params.append("%" + _escape_like(value) + "%")
                return (
                    "e.feed_id IN (SELECT id FROM feeds "
                    "WHERE coalesce(title, url) LIKE ? ESCAPE '\\')"
                )
            case "folder":
                self.params.append(value)
                return _FOLDER_TREE
            case "tag" if self.probe:
                self.params.append(value)
                return (
                    "EXISTS (SELECT 1 FROM entry_tags t WHERE t.entry_id = e.id "
                    "AND t.tag = ? COLLATE NOCASE)"
                )
            case "tag":
                self.params.append(value)
                return "e.id IN (SELECT entry_id FROM entry_tags WHERE tag = ? COLLATE NOCASE)"
        raise AssertionError(f"no SQL for the field {field!r}")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Failures(threading.local):
    """The last pattern that ran out of time on this thread (connections belong to their
    thread, so each store sees its own)."""

    last: PatternTimeoutError | None = None


_failures = _Failures()


@lru_cache(maxsize=64)
def _compiled(pattern: str, ignore_case: bool) -> regex.Pattern[str]:
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    return regex.compile(pattern, flags)


def _regexp(pattern: str, ignore_case: int, text: str | None) -> int:
    if text is None:
        return 0
    try:
        return int(
            _compiled(pattern, bool(ignore_case)).search(text, timeout=PATTERN_TIMEOUT) is not None
        )
    except TimeoutError:
        _failures.last = PatternTimeoutError(
            f"the pattern /{pattern}/ took longer than {PATTERN_TIMEOUT * 1000:.0f} ms on "
            f"{text[:60]!r}; simplify it (nested repeats like (a+)+ backtrack without end)"
        )
        raise


def register(conn: sqlite3.Connection) -> None:
    """Adds `newsreader_regexp(pattern, ignore_case, text) -> 0|1` to a connection."""
    conn.create_function("newsreader_regexp", 3, _regexp, deterministic=True)


def pattern_failure() -> PatternTimeoutError | None:
    """The timeout behind the last failed query of this thread, taken (None if there was
    none): call it when a query raised sqlite3.OperationalError."""
    failure, _failures.last = _failures.last, None
    return failure
