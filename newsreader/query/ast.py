"""The tree a search becomes: frozen records, one per kind of condition.

`parse` (in `newsreader.query.syntax`) builds it; the store turns it into SQL. Every leaf
keeps the 0-based offset where it was written, so later errors (an unknown folder, a
pattern that takes too long) can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Union

TEXT_FIELDS = ("title", "author", "summary", "content")
"""Fields searched in the full-text index (a word without a field searches all four)."""
MATCH_FIELDS = ("feed", "folder", "tag", "lang", "category")
"""Fields compared with a stored value: feed title (part of it, any case) or id, folder
name (its subfolders too), tag name (any case), language (the BCP-47 primary tag detected
at ingest, lower case; `UNKNOWN_LANGUAGE` for none), category (one of the entry's own
categories from its feed, RSS `<category>` or Atom `category term`, whole, any case)."""
UNKNOWN_LANGUAGE = "und"
"""`lang:und` (BCP-47 "undetermined") finds entries whose language is not known."""
PATTERN_FIELDS = ("title", "author", "link", "category")
"""Fields a regular expression (`title~/.../`) can test (`category~/.../`: any one of the
entry's categories)."""
FLAGS = (
    "is:unread",
    "is:read",
    "is:starred",
    "is:commented",
    "is:hidden",
    "has:enclosure",
    "has:image",
)
AGE_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True, slots=True)
class Term:
    """Words in the full-text index: one word (`prefix`: a word start), or a phrase.
    `field` None searches title, summary, content and author."""

    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    """`field:value` for a field of `MATCH_FIELDS`."""

    field: str
    value: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class Flag:
    """One of `FLAGS`, e.g. "is:unread"."""

    name: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class DateBound:
    """`after:DAY` (the entry's date is on or after DAY's start, UTC) or `before:DAY`
    (before DAY's start)."""

    before: bool
    at: datetime
    position: int = 0


@dataclass(frozen=True, slots=True)
class Age:
    """`age:<N` (newer than N seconds, `newer` True) or `age:>N` (older), at query time."""

    newer: bool
    seconds: int
    position: int = 0


@dataclass(frozen=True, slots=True)
class Pattern:
    """`field~/pattern/`: a Python regular expression searched in a field, each match run
    under a time limit."""

    field: str
    pattern: str
    ignore_case: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class All:
    """Every operand matches (words side by side, or AND)."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Any:
    """At least one operand matches (OR)."""

    operands: tuple[Node, ...]


Node = Union[Term, Match, Flag, DateBound, Age, Pattern, Not, All, Any]  # noqa: UP007


def leaves(node: Node) -> list[Node]:
    """The conditions of a tree, left to right."""
    match node:
        case Not(operand):
            return leaves(operand)
        case All(operands) | Any(operands):
            return [leaf for operand in operands for leaf in leaves(operand)]
        case _:
            return [node]
