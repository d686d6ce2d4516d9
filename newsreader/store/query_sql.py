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

import importlib
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any as AnyValue

import regex

from newsreader.errors import PatternTimeoutError
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
from newsreader.store.pattern_sql import necessary_sql
from newsreader.store.schema import ID_BITS, ID_MASK, KEY_DATE_MAX, SEARCH_KEY_SQL
from newsreader.store.search import quote
from newsreader.store.text import fold_case

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
    "author": "a.names",
    "link": "e.link",
    "category": "c.category",
}
_PATTERN_ROWS = {
    "category": "entry_categories c WHERE c.entry_id = e.id",
    "author": "entry_authors a WHERE a.entry_id = e.id",
}
"""Fields kept in a table beside `entries`: a pattern on them is `EXISTS` over these rows
(any one of the entry's categories; its one row of authors' names)."""
FOLDER_TREE_FEEDS = (
    "WITH RECURSIVE sub(id) AS ({start} UNION SELECT folders.id FROM folders "
    "JOIN sub ON folders.parent_id = sub.id) "
    "SELECT id FROM feeds WHERE folder_id IN (SELECT id FROM sub)"
)
"""The ids of the feeds in the folders `start` (an SQL query of folder ids, formatted in)
selects and in their subfolders: `folder:` searches and rules' folder scopes."""
FOLDER_NAMED_FEEDS = FOLDER_TREE_FEEDS.format(
    start="SELECT id FROM folders WHERE newsreader_fold(name) = ?"
)
"""`FOLDER_TREE_FEEDS` of the folders of a name (`?`, given as `text.fold_case` of it)."""


@dataclass(frozen=True, slots=True)
class CompiledSearch:
    """`match`: the FTS5 expression that drives the query (None: scan entries); `where`:
    conditions on `entries e` with their `params` in order; `shows_hidden`: the search asks
    for hidden entries (`is:hidden`), so they are not left out. `keys`: the lowest and
    highest full-text index row id (search key, both included; None: open) that the dates
    every match must have allow: the index reads only that stretch (the date conditions
    stay in `where`)."""

    match: str | None
    where: tuple[str, ...]
    params: tuple[AnyValue, ...]
    shows_hidden: bool
    keys: tuple[int | None, int | None] = (None, None)


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
    # a pattern's leading word start narrows the index too (the pattern itself stays below)
    starts = [t for c in conjuncts if isinstance(c, Pattern) and (t := pattern_start(c))]
    required = [*words, *starts]
    if required:
        driving = All((*required, *excluded)) if len(required) + len(excluded) > 1 else required[0]
        match = fts_expression(driving)
        conjuncts = [c for c in conjuncts if c not in words and c not in excluded]
    conjuncts.sort(key=_has_pattern)  # patterns last: the cheap conditions filter first
    compiler = _Compiler(now)
    where = tuple(f"({compiler.sql(c)})" for c in conjuncts)  # ORs stay whole beside ANDs
    shows_hidden = any(isinstance(leaf, Flag) and leaf.name == "is:hidden" for leaf in leaves(node))
    keys = _key_range(conjuncts, to_ts(now) or 0) if match is not None else (None, None)
    return CompiledSearch(match, where, tuple(compiler.params), shows_hidden, keys)


def _key_range(conjuncts: Iterable[Node], now: int) -> tuple[int | None, int | None]:
    """The search keys (see `SEARCH_KEY_SQL`) entries meeting every date condition among
    `conjuncts` can have: a key is its date's clamped seconds above the id bits, so a
    date range is a key range (a little wider at the clamped ends, never narrower)."""
    low: int | None = None
    high: int | None = None
    for node in conjuncts:
        match node:
            case DateBound(before=False, at=at):  # sort_date >= at
                first = _key_date(to_ts(at) or 0) << ID_BITS
                low = first if low is None else max(low, first)
            case DateBound(before=True, at=at):  # sort_date < at
                last = _key_date((to_ts(at) or 0) - 1) << ID_BITS | ID_MASK
                high = last if high is None else min(high, last)
            case Age(newer=True, seconds=seconds):  # sort_date > now - seconds
                first = _key_date(now - seconds + 1) << ID_BITS
                low = first if low is None else max(low, first)
            case Age(newer=False, seconds=seconds):  # sort_date <= now - seconds
                last = _key_date(now - seconds) << ID_BITS | ID_MASK
                high = last if high is None else min(high, last)
    return low, high


def _key_date(seconds: int) -> int:
    return min(max(seconds, 0), KEY_DATE_MAX)


_INDEXED_PATTERN_FIELDS = ("title", "author")
_WORD_START_ANCHORS = frozenset(("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BOUNDARY"))
MIN_PATTERN_START = 3
"""Letters a pattern must begin with before they narrow the full-text index."""


@lru_cache(maxsize=64)
def pattern_start(node: Pattern) -> Term | None:
    """The word start every match of a pattern puts in the full-text index, as a prefix
    term of its field: `title~/^Ask HN/` -> `title:ask*`, `author~/\\bbot/i` -> `author:bot*`.
    Only for a pattern that begins with `^`, `\\A` or `\\b` and then at least
    `MIN_PATTERN_START` ASCII letters or digits (no alternation, no ASCII-only `\\b`): the
    index's tokens start at every such place, so the term keeps every entry the pattern can
    match (case and accents aside, which the index ignores). None otherwise."""
    if node.field not in _INDEXED_PATTERN_FIELDS:
        return None
    try:
        tree = _re_parser().parse(node.pattern)
    except Exception:  # a pattern this parser cannot read narrows nothing
        return None
    items = list(tree)
    if not items or tree.state.flags & (re.ASCII | re.LOCALE):
        return None
    op, where = items[0]
    if str(op) != "AT" or str(where) not in _WORD_START_ANCHORS:
        return None
    letters = []
    for op, code in items[1:]:
        char = chr(code) if str(op) == "LITERAL" else ""
        if not (char.isascii() and char.isalnum()):
            break
        letters.append(char)
    if len(letters) < MIN_PATTERN_START:
        return None
    return Term("".join(letters).lower(), node.field, prefix=True, position=node.position)


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


def condition_sql(node: Node, now: datetime) -> tuple[str, tuple[AnyValue, ...]]:
    """A search tree as one condition over `entries e` (words as `key IN (matches)`, the
    index read once) with its parameters: for testing a set of entries that is not read
    through the index (`compile_search` lets the index drive a query instead)."""
    compiler = _Compiler(now)
    return compiler.sql(node), tuple(compiler.params)


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
                column = _PATTERN_COLUMN[field]
                run = f"newsreader_regexp(?, ?, {column})"
                tests, params = necessary_sql(pattern, ignore_case, column)
                self.params.extend((*params, pattern, ignore_case))
                if tests:
                    run = f"CASE WHEN {tests} THEN {run} ELSE 0 END"
                if field in _PATTERN_ROWS:
                    return f"EXISTS (SELECT 1 FROM {_PATTERN_ROWS[field]} AND {run})"
                return run
            case Match(field, value):
                return self.match(field, value)
        raise AssertionError(f"no SQL for {node!r}")

    def match(self, field: str, value: str) -> str:
        match field:
            case "feed" if value.isdigit():
                self.params.append(int(value))
                return "e.feed_id = ?"
            case "feed":
                self.params.append(fold_case(value))
                return (
                    "e.feed_id IN (SELECT id FROM feeds "
                    "WHERE instr(newsreader_fold(coalesce(title, url)), ?) > 0)"
                )
            case "folder":
                self.params.append(fold_case(value))
                return f"e.feed_id IN ({FOLDER_NAMED_FEEDS})"
            case "lang" if value == UNKNOWN_LANGUAGE:
                return "e.language IS NULL"
            case "lang":
                self.params.append(value)
                return "e.language IS ?"
            case "tag":
                self.params.append(fold_case(value))
                return "e.id IN (SELECT entry_id FROM entry_tags WHERE newsreader_fold(tag) = ?)"
            case "category":
                self.params.append(value)
                return (
                    "e.id IN (SELECT entry_id FROM entry_categories "
                    "WHERE category = ? COLLATE NOCASE)"
                )
        raise AssertionError(f"no SQL for the field {field!r}")


class _Failures(threading.local):
    """The last pattern that ran out of time on this thread (connections belong to their
    thread, so each store sees its own)."""

    last: PatternTimeoutError | None = None


_failures = _Failures()


@lru_cache(maxsize=64)
def _compiled(pattern: str, ignore_case: bool) -> regex.Pattern[str]:
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    return regex.compile(pattern, flags)


SHORT_TEXT = 300
"""Characters up to which a pattern that cannot backtrack much (`_backtracks_little`) runs
without the time limit: the `regex` module's limit reads the clock on each call, which costs
more than the search itself on a title (measured 4 µs -> 18 µs)."""
_ONE_CHARACTER = frozenset(("LITERAL", "NOT_LITERAL", "ANY", "IN", "CATEGORY"))
_REPEATS = frozenset(("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"))
_MAX_BRANCHES = 2


@lru_cache(maxsize=64)
def _backtracks_little(pattern: str) -> bool:
    """Whether a pattern's work on a text of n characters stays within about n² steps: at
    most one open-ended repeat, and it repeats one character (`\\w+`, `.*`, `[a-z]?`); fixed
    counts only of one character; at most two alternations; no back-references. Read with
    the standard library's parser of `re` syntax; a pattern it does not read is not known to
    be safe. (`(a|aa)+$` and `(a+)+$` are not.)"""
    try:
        tree = _re_parser().parse(pattern)
    except Exception:  # any pattern this parser cannot read keeps the time limit
        return False
    repeats = branches = 0

    def safe(items: Iterable[tuple[AnyValue, AnyValue]]) -> bool:
        nonlocal repeats, branches
        for op, value in items:
            name = str(op)
            if name in _REPEATS:
                low, high, body = value
                single = len(body) == 1 and str(body[0][0]) in _ONE_CHARACTER
                repeats += low != high
                if not single or repeats > 1:
                    return False
            elif name == "SUBPATTERN":
                if not safe(value[3]):
                    return False
            elif name == "BRANCH":
                branches += 1
                if branches > _MAX_BRANCHES or not all(safe(a) for a in value[1]):
                    return False
            elif name in ("ASSERT", "ASSERT_NOT"):
                if not safe(value[1]):
                    return False
            elif name != "AT" and name not in _ONE_CHARACTER:
                return False
        return True

    return safe(tree)


def _re_parser() -> AnyValue:
    """`re._parser`, the standard library's reader of `re` syntax (private, so untyped)."""
    return importlib.import_module("re._parser")


def search_pattern(pattern: str, ignore_case: bool, text: str | None) -> bool:
    """Whether `pattern` is found in `text` (None: never), within `PATTERN_TIMEOUT` (a
    pattern that backtracks little runs on short texts without the clock). Raises
    PatternTimeoutError naming the pattern and the start of the text."""
    if text is None:
        return False
    compiled = _compiled(pattern, ignore_case)
    if len(text) <= SHORT_TEXT and _backtracks_little(pattern):
        return compiled.search(text) is not None
    try:
        return compiled.search(text, timeout=PATTERN_TIMEOUT) is not None
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
