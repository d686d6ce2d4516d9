"""A search tree (`newsreader.query`) as SQL over `entries e`, plus FTS5 MATCH expressions.

The words that every match must contain become one FTS5 expression that drives the query
through the full-text index (newest first is the index's own order); words under OR or NOT
beside other conditions become `key IN (SELECT rowid FROM entries_fts WHERE entries_fts
MATCH ?)`, computed once. (Rules on the few entries a sync just wrote are tested in Python
instead: `rule_match`.)

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


def compile_search(node: Node, now: datetime) -> CompiledSearch:
    """The SQL of a search tree; `now` anchors `age:` (a tree without `age:` is compiled
    once and kept)."""
    if any(isinstance(leaf, Age) for leaf in leaves(node)):
        return _compile(node, now)
    return _compile_timeless(node)


@lru_cache(maxsize=256)
def _compile_timeless(node: Node) -> CompiledSearch:
    return _compile(node, datetime.fromtimestamp(0, UTC))


def _compile(node: Node, now: datetime) -> CompiledSearch:
    conjuncts = list(node.operands) if isinstance(node, All) else [node]
    match = None
    words = [c for c in conjuncts if is_text(c)]
    excluded = [c for c in conjuncts if isinstance(c, Not) and is_text(c.operand)]
    if words:
        driving = All((*words, *excluded)) if len(words) + len(excluded) > 1 else words[0]
        match = fts_expression(driving)
        conjuncts = [c for c in conjuncts if c not in words and c not in excluded]
    conjuncts.sort(key=_has_pattern)  # patterns last: the cheap conditions filter first
    compiler = _Compiler(now)
    where = tuple(f"({compiler.sql(c)})" for c in conjuncts)  # ORs stay whole beside ANDs
    shows_hidden = any(isinstance(leaf, Flag) and leaf.name == "is:hidden" for leaf in leaves(node))
    return CompiledSearch(match, where, tuple(compiler.params), shows_hidden)


def _has_pattern(node: Node) -> bool:
    return any(isinstance(leaf, Pattern) for leaf in leaves(node))


def is_text(node: Node) -> bool:
    """Whether FTS5 alone can answer the subtree: words, ORs of such, ANDs of such with at
    least one positive part (FTS5 has no lone NOT)."""
    match node:
        case Term():
            return True
        case Any(operands):
            return all(is_text(o) for o in operands)
        case All(operands):
            return all(
                is_text(o) or (isinstance(o, Not) and is_text(o.operand)) for o in operands
            ) and any(is_text(o) for o in operands)
        case _:
            return False


def fts_expression(node: Node) -> str:
    """The FTS5 expression of a subtree for which `_is_text` holds."""
    match node:
        case Term(text, field, _, prefix):
            expression = quote(text) + (" *" if prefix else "")
            return f"{field} : {expression}" if field else expression
        case Any(operands):
            return " OR ".join(f"({fts_expression(o)})" for o in operands)
        case All(operands):
            expression = " AND ".join(f"({fts_expression(o)})" for o in operands if is_text(o))
            for o in operands:
                if isinstance(o, Not):
                    expression = f"({expression}) NOT ({fts_expression(o.operand)})"
            return expression
    raise AssertionError(f"not a full-text condition: {node!r}")


class _Compiler:
    def __init__(self, now: datetime) -> None:
        self.now = to_ts(now) or 0
        self.params: list[AnyValue] = []

    def sql(self, node: Node) -> str:
        if is_text(node):
            self.params.append(fts_expression(node))
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
                return _FLAG_SQL[name]
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
            case "lang" if value == UNKNOWN_LANGUAGE:
                return "e.language IS NULL"
            case "lang":
                self.params.append(value)
                return "e.language IS ?"
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


def search_pattern(pattern: str, ignore_case: bool, text: str | None) -> bool:
    """Whether `pattern` is found in `text` (None: never), within `PATTERN_TIMEOUT`.
    Raises PatternTimeoutError naming the pattern and the start of the text."""
    if text is None:
        return False
    try:
        return _compiled(pattern, ignore_case).search(text, timeout=PATTERN_TIMEOUT) is not None
    except TimeoutError:
        raise PatternTimeoutError(
            f"the pattern /{pattern}/ took longer than {PATTERN_TIMEOUT * 1000:.0f} ms on "
            f"{text[:60]!r}; simplify it (nested repeats like (a+)+ backtrack without end)"
        ) from None


def _regexp(pattern: str, ignore_case: int, text: str | None) -> int:
    try:
        return int(search_pattern(pattern, bool(ignore_case), text))
    except PatternTimeoutError as error:
        _failures.last = error
        raise TimeoutError(str(error)) from None


def register(conn: sqlite3.Connection) -> None:
    """Adds `newsreader_regexp(pattern, ignore_case, text) -> 0|1` to a connection."""
    conn.create_function("newsreader_regexp", 3, _regexp, deterministic=True)


def pattern_failure() -> PatternTimeoutError | None:
    """The timeout behind the last failed query of this thread, taken (None if there was
    none): call it when a query raised sqlite3.OperationalError."""
    failure, _failures.last = _failures.last, None
    return failure
