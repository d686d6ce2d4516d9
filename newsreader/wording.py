"""Counts in words, for the command line and the window alike: "3 feeds", "1 entry", and
the word that agrees with a count ("1 entry matches", "2 entries match"). Every message that
puts a number beside a word goes through here, so none says "1 entries" or "feed(s)"."""

from __future__ import annotations


def agreeing(count: int, one: str, other: str | None = None) -> str:
    """The form of a word that agrees with `count`: `one` when it is exactly one, else
    `other` (default: `one` + "s"). For nouns ("entry", "entries") and verbs ("matches",
    "match"; "is", "are") alike."""
    return one if count == 1 else (other or one + "s")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, in the plural unless it is exactly one; the plural is `noun` + "s"
    unless given ("entry", "entries")."""
    return f"{count} {agreeing(count, noun, plural)}"
