"""Counts in words, for the command line and the window alike: "3 feeds", "1 entry"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, in the plural unless it is exactly one; the plural is `noun` + "s"
    unless given ("entry", "entries")."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"
