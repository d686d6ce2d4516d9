"""Native SQL tests a text must pass before a pattern (`title~/re/`) can match it.

A pattern runs in Python (`newsreader_regexp`), a few microseconds a row; on a search over
many feeds that reads tens of thousands of titles that is hundreds of milliseconds, even when
the pattern matches nothing. Most patterns name text every match contains: `/ab\\w+ cd/`
needs "ab" and " cd", `/^[a-m]/` needs a first character from a to m. SQLite checks that
natively (`instr`, `unicode`, well under a microsecond a row), so the pattern runs only on the
rows that pass: `CASE WHEN <tests> THEN newsreader_regexp(...) ELSE 0 END`.

The tests are necessary, never sufficient: a text that fails one cannot match the pattern, so
the search finds exactly what the pattern alone finds. They come from the standard library's
parser of `re` syntax (the `regex` module's version 0 reads the same syntax); a pattern that
parser cannot read, or reads differently from `regex` (fuzzy `{e<=1}`, POSIX `[[:alpha:]]`),
gets no tests and runs on every row as before.

With ignore-case, `regex` also finds three letters outside ASCII (`FOLDS_BEYOND_ASCII`) and
every non-ASCII letter in its other case, while SQLite's `lower` folds ASCII only: those
characters are left out of ignore-case tests (a literal is cut there).
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

FOLDS_BEYOND_ASCII = {"i": (0x130, 0x131), "k": (0x212A,), "s": (0x17F,)}
"""ASCII characters that the `regex` module's ignore-case matching also finds outside ASCII
(İ and ı, the Kelvin sign, long s); tests/store/test_pattern_sql.py checks the list against every
code point."""
MAX_LITERALS = 3
"""Literal tests per pattern (the longest ones: they reject the most rows)."""
_FUZZY_OR_ODD_BRACE = re.compile(r"(?<!\\)\{(?!\d*,?\d*\})")
_REPEATS = frozenset(("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"))
_START_ANCHORS = frozenset(("AT_BEGINNING", "AT_BEGINNING_STRING"))


@lru_cache(maxsize=128)
def necessary_sql(pattern: str, ignore_case: bool, column: str) -> tuple[str, tuple[Any, ...]]:
    """SQL over `column` that is true for every text the pattern matches (and NULL or 0 for
    some that it does not), with its parameters; ("", ()) when nothing is known."""
    tree = _parse(pattern)
    if tree is None:
        return "", ()
    flags = tree.state.flags
    ignore = ignore_case or bool(flags & re.IGNORECASE)
    items = list(tree)
    tests: list[str] = []
    params: list[Any] = []
    if items and str(items[0][0]) == "AT" and _starts_text(str(items[0][1]), flags):
        first = _first_characters(items[1:], ignore)
        if first:
            tests.append(f"unicode({column}) IN ({', '.join(map(str, sorted(first)))})")
    literals = sorted(set(_literals(items, ignore)), key=len, reverse=True)[:MAX_LITERALS]
    for literal in literals:
        if ignore:
            tests.append(f"instr(lower({column}), ?)")
            params.append(literal.lower())
        else:
            tests.append(f"instr({column}, ?)")
            params.append(literal)
    return " AND ".join(tests), tuple(params)


def _parse(pattern: str) -> Any:
    """The `re` parse tree of a pattern, or None when `re` cannot read it or may read it
    otherwise than `regex` (a warning such as "possible nested set" counts as unreadable)."""
    if _FUZZY_OR_ODD_BRACE.search(pattern):
        return None
    parser = importlib.import_module("re._parser")  # private, so untyped
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return parser.parse(pattern)
    except Exception:  # any pattern this parser cannot read gets no tests
        return None


def _starts_text(anchor: str, flags: int) -> bool:
    return anchor in _START_ANCHORS and not (anchor == "AT_BEGINNING" and flags & re.MULTILINE)


def _first_characters(items: list[tuple[Any, Any]], ignore: bool) -> set[int] | None:
    """The code points a match's first character can be, when the pattern (after its start
    anchor) begins with a literal or a set of literals and ranges; None otherwise."""
    if not items:
        return None
    op, value = items[0]
    match str(op):
        case "LITERAL":
            codes = {value}
        case "IN":
            codes = set()
            for part_op, part in value:
                if str(part_op) == "LITERAL":
                    codes.add(part)
                elif str(part_op) == "RANGE" and part[1] - part[0] <= 0x100:
                    codes.update(range(part[0], part[1] + 1))
                else:  # NEGATE, a category (\w), a wide range: not worth listing
                    return None
        case _:
            return None
    if not ignore:
        return codes
    if any(code > 0x7F for code in codes):
        return None
    folded: set[int] = set()
    for code in codes:
        char = chr(code)
        folded.update((code, ord(char.lower()), ord(char.upper())))
        folded.update(FOLDS_BEYOND_ASCII.get(char.lower(), ()))
    return folded


def _literals(items: Iterable[tuple[Any, Any]], ignore: bool) -> list[str]:
    """Texts every match contains: runs of literal characters in the pattern's sequence,
    and in groups and repeats of at least one. Under ignore-case a run is cut at any
    character SQLite's `lower` cannot fold as `regex` does."""
    found: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            found.append("".join(run))
            run.clear()

    for op, value in items:
        name = str(op)
        if name == "LITERAL" and _foldable(chr(value), ignore):
            run.append(chr(value))
            continue
        flush()
        if name == "SUBPATTERN" and not value[1] and not value[2]:  # no scoped flags
            found.extend(_literals(value[3], ignore))
        elif name in _REPEATS and value[0] >= 1:
            found.extend(_literals(value[2], ignore))
    flush()
    return found


def _foldable(char: str, ignore: bool) -> bool:
    """Whether a literal character can be tested as is (case-sensitive: always), or in
    SQLite's `lower` (ignore-case: ASCII, but not the letters `regex` also finds beyond)."""
    return not ignore or (char.isascii() and char.lower() not in FOLDS_BEYOND_ASCII)
